//! Charts drawn by the server as SVG: pure functions from figures to markup, so a page
//! shows them with no script and a test reads them as text.
//!
//! The site's Content-Security-Policy allows no inline styles, so every colour comes from
//! a class styled in `static/css/review.css` (in both themes); the markup carries only
//! geometry. Each chart is an image (`role="img"`) named by its `aria-label` and `<title>`;
//! the pages put the same figures in a table beside it for screen readers and for reading
//! exact values. Every text is escaped here.

use std::fmt::Write as _;

/// The drawing's size in SVG units; CSS scales it to the width of the page.
const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 200.0;
/// The plot area inside the margins (room for the axis labels).
const LEFT: f64 = 34.0;
const RIGHT: f64 = WIDTH - 8.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = HEIGHT - 22.0;

/// One series of a stacked bar chart: its name (in the legend) and the class it is drawn
/// with.
#[derive(Debug, Clone, Copy)]
pub struct Series {
    /// Shown in the legend.
    pub name: &'static str,
    /// The CSS class of its bars.
    pub class: &'static str,
}

/// `text` with `&`, `<`, `>`, `"` and `'` escaped, for SVG text and attributes.
#[must_use]
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The smallest of 1, 2, 5, 10, 20, 50… at least `value`: the top of a count axis.
fn nice_ceiling(value: i64) -> i64 {
    let mut step = 1;
    loop {
        for factor in [1, 2, 5] {
            if step * factor >= value {
                return step * factor;
            }
        }
        step = step.saturating_mul(10);
    }
}

/// A number for a coordinate: one decimal, no trailing `.0`.
fn n(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// The opening of a chart and its title.
fn open(label: &str) -> String {
    let label = escape(label);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" class=\"chart\" \
         role=\"img\" aria-label=\"{label}\"><title>{label}</title>"
    )
}

/// Horizontal grid lines with their values at 0, half and the top of the axis.
fn count_axis(svg: &mut String, top: i64) {
    let half = (top >= 2).then_some(top / 2);
    for value in [Some(0), half, Some(top)].into_iter().flatten() {
        #[allow(clippy::cast_precision_loss)] // Reason: counts far below 2^52.
        let y = BOTTOM - (value as f64 / top as f64) * (BOTTOM - TOP);
        grid_line(svg, y, &value.to_string());
    }
}

/// A horizontal grid line at `y` with its value on the left.
fn grid_line(svg: &mut String, y: f64, value: &str) {
    let _ = write!(
        svg,
        "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{RIGHT}\" y1=\"{y}\" y2=\"{y}\"/>\
         <text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
        n(LEFT - 4.0),
        n(y + 4.0),
        escape(value),
        y = n(y),
    );
}

/// Labels under the bars: the first, then every `every`-th, so a phone's width is not
/// crowded.
fn bar_labels(svg: &mut String, labels: &[String], slot: f64) {
    let every = labels.len().div_ceil(6).max(1);
    for (i, label) in labels.iter().enumerate().step_by(every) {
        #[allow(clippy::cast_precision_loss)] // Reason: a few dozen bars.
        let x = LEFT + slot * (i as f64 + 0.5);
        let _ = write!(
            svg,
            "<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            n(x),
            n(BOTTOM + 15.0),
            escape(label)
        );
    }
}

/// A stacked bar chart: one bar per label, its parts the values of each series in order
/// (bottom up). `values[i][s]` is label `i`'s value of series `s`.
#[must_use]
pub fn stacked_bars(
    label: &str,
    labels: &[String],
    series: &[Series],
    values: &[Vec<i64>],
) -> String {
    let mut svg = open(label);
    let totals: Vec<i64> = values
        .iter()
        .map(|v| v.iter().map(|x| x.max(&0)).sum())
        .collect();
    let top = nice_ceiling(totals.iter().copied().max().unwrap_or(0).max(1));
    count_axis(&mut svg, top);
    #[allow(clippy::cast_precision_loss)] // Reason: a few dozen bars.
    let slot = (RIGHT - LEFT) / labels.len().max(1) as f64;
    #[allow(clippy::cast_precision_loss)] // Reason: counts far below 2^52.
    let scale = (BOTTOM - TOP) / top as f64;
    for (i, parts) in values.iter().enumerate().take(labels.len()) {
        #[allow(clippy::cast_precision_loss)]
        let x = LEFT + slot * i as f64 + slot * 0.15;
        let mut base = BOTTOM;
        for (value, series) in parts.iter().zip(series) {
            if *value <= 0 {
                continue;
            }
            #[allow(clippy::cast_precision_loss)]
            let height = *value as f64 * scale;
            base -= height;
            let name = if series.name.is_empty() {
                String::new()
            } else {
                format!("{} ", escape(series.name))
            };
            let _ = write!(
                svg,
                "<rect class=\"bar {}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}: {name}{value}</title></rect>",
                escape(series.class),
                n(x),
                n(base),
                n(slot * 0.7),
                n(height),
                escape(&labels[i]),
            );
        }
    }
    bar_labels(&mut svg, labels, slot);
    svg.push_str("</svg>");
    svg
}

/// A bar chart of one series, drawn with `class`.
#[must_use]
pub fn bars(label: &str, labels: &[String], values: &[i64], class: &'static str) -> String {
    let series = [Series { name: "", class }];
    let values: Vec<Vec<i64>> = values.iter().map(|v| vec![*v]).collect();
    stacked_bars(label, labels, &series, &values)
}

/// A line chart of a probability falling with days (a forgetting curve): `points` are
/// (days, probability 0 to 1) in order; `target` draws the desired retention as a dashed
/// line and `marker` a dot (today, on the curve).
#[must_use]
pub fn line(label: &str, points: &[(f64, f64)], target: f64, marker: Option<(f64, f64)>) -> String {
    let mut svg = open(label);
    let last = points.last().map_or(1.0, |p| p.0).max(1.0);
    let x = |days: f64| LEFT + days / last * (RIGHT - LEFT);
    let y = |p: f64| BOTTOM - p.clamp(0.0, 1.0) * (BOTTOM - TOP);
    for percent in [0, 50, 100] {
        grid_line(
            &mut svg,
            y(f64::from(percent) / 100.0),
            &format!("{percent}%"),
        );
    }
    let target_y = n(y(target));
    let _ = write!(
        svg,
        "<line class=\"target\" x1=\"{LEFT}\" x2=\"{RIGHT}\" y1=\"{target_y}\" y2=\"{target_y}\"><title>desired retention {}%</title></line>",
        n(target * 100.0)
    );
    let path: Vec<String> = points
        .iter()
        .map(|&(d, p)| format!("{},{}", n(x(d)), n(y(p))))
        .collect();
    let _ = write!(
        svg,
        "<polyline class=\"curve\" points=\"{}\"/>",
        path.join(" ")
    );
    if let Some((d, p)) = marker {
        let _ = write!(
            svg,
            "<circle class=\"marker\" cx=\"{}\" cy=\"{}\" r=\"4\"><title>now: {}%</title></circle>",
            n(x(d.min(last))),
            n(y(p)),
            n(p * 100.0)
        );
    }
    for (days, anchor) in [(0.0, "start"), (last / 2.0, "middle"), (last, "end")] {
        let _ = write!(
            svg,
            "<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\">{} d</text>",
            n(x(days)),
            n(BOTTOM + 15.0),
            n(days.round())
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
#[path = "charts_tests.rs"]
mod tests;
