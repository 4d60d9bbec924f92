//! The colours of both themes meet WCAG AA: computed from the stylesheet itself, so a colour
//! changed there is checked here.

use std::collections::HashMap;

const BASE_CSS: &str = include_str!("../static/css/base.css");
/// The review charts' colours.
const REVIEW_CSS: &str = include_str!("../static/css/review.css");

/// Every `--name: light-dark(#LIGHT, #DARK)` of the stylesheet.
fn colours() -> HashMap<String, [String; 2]> {
    BASE_CSS
        .lines()
        .chain(REVIEW_CSS.lines())
        .filter_map(|line| {
            let (name, rest) = line.trim().split_once(": light-dark(")?;
            let (light, dark) = rest.split_once(')')?.0.split_once(", ")?;
            Some((name.to_owned(), [light.to_owned(), dark.to_owned()]))
        })
        .collect()
}

/// WCAG relative luminance of `#rrggbb`.
fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let value = f64::from(u8::from_str_radix(&hex[1 + 2 * i..3 + 2 * i], 16).unwrap()) / 255.0;
        if value <= 0.039_28 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)
}

fn ratio(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[test]
fn every_text_and_control_colour_meets_wcag_aa_in_both_themes() {
    let colours = colours();
    assert!(colours.len() >= 18, "{colours:?}");
    // (foreground, background, least ratio): 4.5 for text, 3 for borders and focus rings.
    let pairs = [
        ("--fg", "--bg", 4.5),
        ("--fg", "--surface", 4.5),
        ("--fg", "--tile", 4.5),
        ("--muted", "--bg", 4.5),
        ("--muted", "--surface", 4.5),
        ("--muted", "--tile", 4.5),
        ("--accent", "--bg", 4.5),
        ("--accent", "--surface", 4.5),
        ("--accent", "--tile", 4.5),
        ("--bad", "--bg", 4.5),
        ("--bad", "--surface", 4.5),
        ("--on-button", "--button", 4.5),
        ("--on-danger", "--danger", 4.5),
        ("--border", "--bg", 3.0),
        ("--focus", "--bg", 3.0),
        ("--button", "--bg", 3.0),
        // The review charts' bars, lines and legend swatches, on the page.
        ("--grade-again", "--bg", 3.0),
        ("--grade-hard", "--bg", 3.0),
        ("--grade-good", "--bg", 3.0),
        ("--grade-easy", "--bg", 3.0),
        ("--chart-line", "--bg", 3.0),
        ("--chart-target", "--bg", 3.0),
    ];
    for (theme, side) in [("light", 0), ("dark", 1)] {
        for (fg, bg, least) in pairs {
            let (a, b) = (&colours[fg][side], &colours[bg][side]);
            let found = ratio(a, b);
            assert!(
                found >= least,
                "{theme}: {fg} {a} on {bg} {b} is {found:.2}:1, below {least}:1"
            );
        }
    }
}
