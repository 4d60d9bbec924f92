//! Unit tests of [`super`]: the markup is well formed, its text escaped, its bars
//! proportional.

use super::*;

/// Checks `svg` is well-formed XML as far as charts go: tags nest and close, attribute
/// values are quoted, text holds no bare `<` or `&`. Returns the elements' names in order.
fn well_formed(svg: &str) -> Vec<String> {
    let mut open: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        check_text(&rest[..start]);
        let end = rest[start..].find('>').expect("a tag is closed") + start;
        let tag = &rest[start + 1..end];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop().as_deref(), Some(name), "in {svg}");
        } else {
            let closed = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let (name, attributes) = tag.split_once(' ').unwrap_or((tag, ""));
            check_attributes(attributes);
            seen.push(name.to_owned());
            if !closed {
                open.push(name.to_owned());
            }
        }
        rest = &rest[end + 1..];
    }
    check_text(rest);
    assert!(open.is_empty(), "unclosed {open:?}");
    seen
}

fn check_text(text: &str) {
    assert!(!text.contains('<') && !text.contains('>'), "{text}");
    for (i, _) in text.match_indices('&') {
        let entity = &text[i..text[i..].find(';').map_or(text.len(), |e| i + e + 1)];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].contains(&entity),
            "a bare & in {text}"
        );
    }
}

fn check_attributes(mut attributes: &str) {
    while !attributes.trim().is_empty() {
        let (name, value) = attributes
            .trim_start()
            .split_once("=\"")
            .expect("name=\"value\"");
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "{name}"
        );
        let end = value.find('"').expect("a closing quote");
        check_text(&value[..end]);
        attributes = &value[end + 1..];
    }
}

/// The value of attribute `name` of each `<rect class="bar …">`.
fn bar_attribute(svg: &str, name: &str) -> Vec<f64> {
    svg.split("<rect class=\"bar")
        .skip(1)
        .map(|rect| {
            let from = rect.find(&format!(" {name}=\"")).expect(name) + name.len() + 3;
            rect[from..from + rect[from..].find('"').unwrap()]
                .parse()
                .unwrap()
        })
        .collect()
}

fn labels(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("Nov {i}")).collect()
}

#[test]
fn a_bar_chart_is_a_named_image_with_bars_proportional_to_the_values() {
    let svg = bars("Due <soon> & “later”", &labels(4), &[10, 5, 0, 20], "due");
    let elements = well_formed(&svg);
    assert_eq!(elements[..2], ["svg", "title"]);
    assert!(svg.contains("role=\"img\""));
    assert!(
        svg.contains("aria-label=\"Due &lt;soon&gt; &amp; “later”\""),
        "{svg}"
    );
    assert!(svg.contains("<title>Due &lt;soon&gt; &amp; “later”</title>"));
    assert!(!svg.contains("style"), "the CSP allows no inline style");
    let heights = bar_attribute(&svg, "height");
    assert_eq!(heights.len(), 3, "no bar for zero");
    // The axis tops at 20: the tallest bar fills the plot.
    assert!((heights[2] - (BOTTOM - TOP)).abs() < 0.11, "{heights:?}");
    assert!((heights[0] - 2.0 * heights[1]).abs() < 0.11, "{heights:?}");
    assert!((heights[2] - 2.0 * heights[0]).abs() < 0.11, "{heights:?}");
}

#[test]
fn stacked_bars_stack_each_series_on_the_one_below() {
    let series = [
        Series {
            name: "Again",
            class: "grade-1",
        },
        Series {
            name: "Good",
            class: "grade-3",
        },
    ];
    let svg = stacked_bars("Reviews", &labels(2), &series, &[vec![3, 7], vec![0, 4]]);
    well_formed(&svg);
    let (heights, ys) = (bar_attribute(&svg, "height"), bar_attribute(&svg, "y"));
    assert_eq!(heights.len(), 3);
    // The axis tops at 10: the first bar's parts are 30% and 70% of the plot, the lower
    // one standing on the axis and the upper one on it.
    let plot = BOTTOM - TOP;
    assert!((heights[0] - 0.3 * plot).abs() < 0.11 && (heights[1] - 0.7 * plot).abs() < 0.11);
    assert!((ys[0] + heights[0] - BOTTOM).abs() < 0.11);
    assert!(
        (ys[1] + heights[1] - ys[0]).abs() < 0.11,
        "{ys:?} {heights:?}"
    );
    assert!(svg.contains("class=\"bar grade-1\"") && svg.contains("<title>Nov 1: Again 3</title>"));
}

#[test]
fn empty_charts_still_draw_an_axis() {
    for svg in [
        bars("Nothing due", &[], &[], "due"),
        line("Never reviewed", &[], 0.9, None),
    ] {
        well_formed(&svg);
        assert!(svg.contains("class=\"grid\""));
    }
    assert!(bars("All zero", &labels(3), &[0, 0, 0], "due").contains(">1</text>"));
}

#[test]
fn a_forgetting_curve_falls_from_the_top_and_crosses_the_desired_retention_line() {
    let points: Vec<(f64, f64)> = (0..=10)
        .map(|d| (f64::from(d), 0.9_f64.powf(f64::from(d) / 5.0)))
        .collect();
    let svg = line("Forgetting curve", &points, 0.9, Some((5.0, 0.9)));
    let elements = well_formed(&svg);
    assert!(elements.contains(&"polyline".to_owned()) && elements.contains(&"circle".to_owned()));
    let polyline = svg.split("points=\"").nth(1).unwrap();
    let first = polyline.split(' ').next().unwrap();
    assert_eq!(first, format!("{LEFT},{TOP}"), "100% at day 0");
    let target = format!("y1=\"{}\"", n(BOTTOM - 0.9 * (BOTTOM - TOP)));
    assert!(
        svg.contains(&format!(
            "class=\"target\" x1=\"{LEFT}\" x2=\"{RIGHT}\" {target}"
        )),
        "{svg}"
    );
    assert!(svg.contains("<title>now: 90%</title>"));
}

#[test]
fn count_axes_end_at_a_round_number() {
    let tops: Vec<i64> = [1, 3, 7, 11, 20, 21, 480, 5001].map(nice_ceiling).to_vec();
    assert_eq!(tops, [1, 5, 10, 20, 20, 50, 500, 10_000]);
}
