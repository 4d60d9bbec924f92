//! Real browsers (headless Chromium through WebDriver) on a real server.

mod axe;
#[path = "../common/mod.rs"]
mod common;
mod play;
mod review;
mod search;
mod site;
mod support;
mod wall;
