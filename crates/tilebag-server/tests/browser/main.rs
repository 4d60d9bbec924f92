//! Real browsers (headless Chromium through WebDriver) on a real server.

mod add_to_deck;
mod axe;
#[path = "../common/mod.rs"]
mod common;
mod play;
mod review;
mod search;
mod site;
mod support;
mod tables;
mod wall;
