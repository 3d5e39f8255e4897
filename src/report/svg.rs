//! The report's two charts as inline SVG: no scripts, no external files, every text from the
//! plan escaped. Drawn from [`super::ChartData`], the same figures as the tables.
//!
//! - Trade-off: x = control score (0–100 %), y = TCO over the horizon; each scenario a
//!   labelled point (the status quo a square, the others circles) and the TCO frontier as a
//!   step line.
//! - Cash flow: cumulative cost by month per scenario, the break-even month of each scenario
//!   marked with a ring and a dotted drop line.
//!
//! The same drawing serves the HTML page (760 px wide, as tall as it needs), the PDF and a
//! slide ([`Canvas::slide`]: a fixed size with a title, the customer and the price book's
//! date). Text is measured in the face the PDF and PNG use ([`super::fonts`]), so labels
//! are kept apart, inside the plot, and axis titles never meet the tick labels.

use std::fmt::Write as _;

use super::escape::html_escape;
use super::fonts::{SVG_FONT_FAMILY, text_width as face_width};
use super::{ChartSeries, PlanReport};
use crate::model::{Cents, format_cents};

/// The report's charts: 760 px wide.
const REPORT_WIDTH: f64 = 760.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 18.0;
const PLOT_HEIGHT: f64 = 300.0;
const FONT_SIZE: f64 = 12.0;
const LINE_HEIGHT: f64 = 16.0;
/// Space under the plot for the tick labels and the axis title.
const UNDER_PLOT: f64 = 54.0;
/// Where the rotated y-axis title's middle sits, from the left edge.
const Y_TITLE_X: f64 = 16.0;
/// Longest scenario name drawn in full; longer ones are cut with an ellipsis.
const MAX_LABEL_CHARS: usize = 42;

const STATUS_QUO_COLOUR: &str = "#333333";
const FRONTIER_COLOUR: &str = "#5b87b5";
const CHEAPEST_COLOUR: &str = "#1a4f7a";
const GRID_COLOUR: &str = "#e4e4e4";
const PALETTE: [&str; 8] = [
    "#1f6fb2", "#c2452d", "#2e8b57", "#8e5bb5", "#c98500", "#0f8b8d", "#a0522d", "#c2185b",
];

/// Where a chart is drawn: its width in drawing units, a fixed height (a slide) or its
/// natural one, the pixel size written on the `<svg>`, and a heading for a slide.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Canvas {
    pub width: f64,
    /// `None`: the plot is [`PLOT_HEIGHT`] high and the chart as tall as its legend needs.
    pub height: Option<f64>,
    /// The `width` and `height` attributes (the drawing scales to them); `None`: one pixel
    /// per unit.
    pub pixels: Option<(u32, u32)>,
    /// Title and subtitle above the plot.
    pub heading: Option<(String, String)>,
}

impl Canvas {
    /// The report's chart: 760 wide, as tall as it needs.
    pub(super) fn report() -> Self {
        Self {
            width: REPORT_WIDTH,
            height: None,
            pixels: None,
            heading: None,
        }
    }

    /// A slide of `width_px` × `height_px` pixels: drawn 960 units wide (so text keeps its
    /// size relative to the slide) and scaled to the pixels.
    pub(super) fn slide(width_px: u32, height_px: u32, title: String, subtitle: String) -> Self {
        let units = 960.0;
        let height = units * f64::from(height_px.max(1)) / f64::from(width_px.max(1));
        Self {
            width: units,
            height: Some(height),
            pixels: Some((width_px, height_px)),
            heading: Some((title, subtitle)),
        }
    }

    /// Where the plot starts from the top: below the heading, if any.
    fn plot_top(&self) -> f64 {
        if self.heading.is_some() {
            TOP + 62.0
        } else {
            TOP
        }
    }
}

/// The colour of a series: the status quo dark grey, the scenarios from the palette in order.
pub(super) fn colour(series: &[ChartSeries], index: usize) -> &'static str {
    if series.get(index).is_some_and(|s| s.is_status_quo) {
        return STATUS_QUO_COLOUR;
    }
    let scenario_number = series[..index.min(series.len())]
        .iter()
        .filter(|s| !s.is_status_quo)
        .count();
    PALETTE[scenario_number % PALETTE.len()]
}

/// A name cut to [`MAX_LABEL_CHARS`] characters (before escaping).
fn short(name: &str) -> String {
    if name.chars().count() <= MAX_LABEL_CHARS {
        name.to_owned()
    } else {
        let mut cut: String = name.chars().take(MAX_LABEL_CHARS - 1).collect();
        cut.push('…');
        cut
    }
}

/// The width of `text` at the charts' 12-unit font (labels are bold).
fn text_width(text: &str, bold: bool) -> f64 {
    #[expect(clippy::cast_possible_truncation, reason = "a font size")]
    let size = FONT_SIZE as f32;
    f64::from(face_width(text, size, bold))
}

/// Round tick values covering `lo..=hi`: (first, last, step), about `target` steps.
pub(super) fn nice_ticks(lo: f64, hi: f64, target: usize) -> (f64, f64, f64) {
    let (mut lo, mut hi) = if lo.is_finite() && hi.is_finite() {
        (lo.min(hi), lo.max(hi))
    } else {
        (0.0, 1.0)
    };
    if (hi - lo).abs() < f64::EPSILON {
        let pad = (lo.abs() * 0.1).max(100.0);
        lo -= pad;
        hi += pad;
    }
    #[expect(
        clippy::cast_precision_loss,
        reason = "pixel positions and counts far below 2^53"
    )]
    let raw = (hi - lo) / target.max(1) as f64;
    let magnitude = 10_f64.powf(raw.log10().floor());
    let normalised = raw / magnitude;
    let step = magnitude
        * if normalised <= 1.0 {
            1.0
        } else if normalised <= 2.0 {
            2.0
        } else if normalised <= 5.0 {
            5.0
        } else {
            10.0
        };
    ((lo / step).floor() * step, (hi / step).ceil() * step, step)
}

fn tick_values(first: f64, last: f64, step: f64) -> Vec<f64> {
    let mut values = Vec::new();
    let mut i = 0.0;
    loop {
        let v = first + i * step;
        if v > last + step * 1e-6 {
            break;
        }
        values.push(v);
        i += 1.0;
    }
    values
}

/// A money tick in whole currency units with thousands separators (`350,000`), or with
/// cents when the ticks are closer than one unit.
#[expect(
    clippy::cast_possible_truncation,
    reason = "rounded amounts of money, in range"
)]
fn money_tick(cents: f64, step_cents: f64) -> String {
    if step_cents >= 100.0 {
        let units = (cents / 100.0).round() as Cents;
        format_cents(units * 100).trim_end_matches(".00").to_owned()
    } else {
        format_cents(cents.round() as Cents)
    }
}

/// A linear map from a value range to a pixel range.
#[derive(Clone, Copy)]
struct Scale {
    lo: f64,
    hi: f64,
    from: f64,
    to: f64,
}

impl Scale {
    fn at(self, value: f64) -> f64 {
        if (self.hi - self.lo).abs() < f64::EPSILON {
            return f64::midpoint(self.from, self.to);
        }
        self.from + (value - self.lo) / (self.hi - self.lo) * (self.to - self.from)
    }
}

/// A box taken by a marker or a label, for keeping labels apart.
#[derive(Clone, Copy)]
struct Taken {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Taken {
    /// A square of half-side `r` around a marker.
    fn around(x: f64, y: f64, r: f64) -> Self {
        Self {
            x0: x - r,
            y0: y - r,
            x1: x + r,
            y1: y + r,
        }
    }

    fn overlaps(&self, other: &Self) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }
}

/// The baseline y of a label of `width` whose left edge is `x`, as near `y` as possible
/// without covering what is already taken, within `top..=bottom`; where every place covers
/// something, the one that covers least.
fn place_label(taken: &mut Vec<Taken>, x: f64, width: f64, y: f64, top: f64, bottom: f64) -> f64 {
    let candidate = |y: f64| Taken {
        x0: x - 2.0,
        y0: y - 11.0,
        x1: x + width + 2.0,
        y1: y + 3.0,
    };
    let covered = |b: &Taken| -> f64 {
        taken
            .iter()
            .filter(|t| t.overlaps(b))
            .map(|t| (t.x1.min(b.x1) - t.x0.max(b.x0)) * (t.y1.min(b.y1) - t.y0.max(b.y0)))
            .sum()
    };
    let (low, high) = (top + 11.0, (bottom - 3.0).max(top + 11.0));
    let mut best = (f64::INFINITY, y.clamp(low, high));
    for k in 0..48 {
        let offset = f64::from((k + 1) / 2) * 7.0 * if k % 2 == 0 { 1.0 } else { -1.0 };
        let y = (y + offset).clamp(low, high);
        let area = covered(&candidate(y));
        if area < best.0 {
            best = (area, y);
            if area <= 0.0 {
                break;
            }
        }
    }
    taken.push(candidate(best.1));
    best.1
}

/// A legend entry's sample.
enum Swatch {
    Line { colour: &'static str, dashed: bool },
    Square(&'static str),
    Circle(&'static str),
    Ring(&'static str),
    Diamond(&'static str),
}

/// The width one legend entry takes.
fn legend_entry_width(text: &str) -> f64 {
    26.0 + text_width(text, false) + 18.0
}

/// The height the legend takes between `left` and `right`, its rows wrapped there.
fn legend_height(items: &[(Swatch, String)], left: f64, right: f64) -> f64 {
    let (mut x, mut rows) = (left, 1.0);
    for (_, text) in items {
        let width = legend_entry_width(text);
        if x > left && x + width > right {
            x = left;
            rows += 1.0;
        }
        x += width;
    }
    12.0 + (rows - 1.0) * (LINE_HEIGHT + 4.0) + 8.0
}

/// Writes the legend as rows that wrap between `left` and `right`; returns its height.
fn legend(out: &mut String, items: &[(Swatch, String)], left: f64, right: f64, top: f64) -> f64 {
    let (mut x, mut y) = (left, top + 12.0);
    let _ = writeln!(out, "<g class=\"legend\">");
    for (swatch, text) in items {
        let width = legend_entry_width(text);
        if x > left && x + width > right {
            x = left;
            y += LINE_HEIGHT + 4.0;
        }
        let cy = y - 4.0;
        match swatch {
            Swatch::Line { colour, dashed } => {
                let _ = writeln!(
                    out,
                    "<line x1=\"{:.1}\" y1=\"{cy:.1}\" x2=\"{:.1}\" y2=\"{cy:.1}\" stroke=\"{colour}\" stroke-width=\"2.5\"{}/>",
                    x,
                    x + 20.0,
                    if *dashed {
                        " stroke-dasharray=\"6 3\""
                    } else {
                        ""
                    }
                );
            }
            Swatch::Square(colour) => {
                let _ = writeln!(
                    out,
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"10\" height=\"10\" fill=\"{colour}\"/>",
                    x + 5.0,
                    cy - 5.0
                );
            }
            Swatch::Circle(colour) => {
                let _ = writeln!(
                    out,
                    "<circle cx=\"{:.1}\" cy=\"{cy:.1}\" r=\"5.5\" fill=\"{colour}\"/>",
                    x + 10.0
                );
            }
            Swatch::Diamond(colour) => {
                let cx = x + 10.0;
                let _ = writeln!(
                    out,
                    "<path d=\"M {cx:.1} {:.1} L {:.1} {cy:.1} L {cx:.1} {:.1} L {:.1} {cy:.1} Z\" fill=\"#ffffff\" stroke=\"{colour}\" stroke-width=\"2\"/>",
                    cy - 6.0,
                    cx + 6.0,
                    cy + 6.0,
                    cx - 6.0
                );
            }
            Swatch::Ring(colour) => {
                let _ = writeln!(
                    out,
                    "<circle cx=\"{:.1}\" cy=\"{cy:.1}\" r=\"5\" fill=\"#ffffff\" stroke=\"{colour}\" stroke-width=\"2\"/>",
                    x + 10.0
                );
            }
        }
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{y:.1}\">{}</text>",
            x + 26.0,
            html_escape(text)
        );
        x += width;
    }
    let _ = writeln!(out, "</g>");
    y - top + 8.0
}

/// The whole `<svg>` element around `body`, `height` units high, with the heading of a
/// slide and a white background (also in a dark-themed viewer).
fn svg(
    canvas: &Canvas,
    id: &str,
    title: &str,
    description: &str,
    body: &str,
    height: f64,
) -> String {
    let width = canvas.width;
    let height = height.ceil();
    let (pixel_width, pixel_height) = canvas.pixels.map_or_else(
        || (format!("{width:.0}"), format!("{height:.0}")),
        |(w, h)| (w.to_string(), h.to_string()),
    );
    let mut heading = String::new();
    if let Some((title, subtitle)) = &canvas.heading {
        let _ = writeln!(
            heading,
            "<text class=\"chart-title\" x=\"{RIGHT:.1}\" y=\"{:.1}\" font-size=\"22\" font-weight=\"700\" fill=\"#1a1a1a\">{}</text>\n<text class=\"chart-subtitle\" x=\"{RIGHT:.1}\" y=\"{:.1}\" font-size=\"13\" fill=\"#555555\">{}</text>",
            TOP + 20.0,
            html_escape(title),
            TOP + 42.0,
            html_escape(subtitle)
        );
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{pixel_width}\" height=\"{pixel_height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{SVG_FONT_FAMILY}\" font-size=\"12\" fill=\"#222222\">\n<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n<rect x=\"0\" y=\"0\" width=\"{width:.0}\" height=\"{height:.0}\" fill=\"#ffffff\"/>\n{heading}{body}</svg>\n",
        html_escape(title),
        html_escape(description)
    )
}

/// The left edge of the plot: room for the y-axis title and the widest tick label.
fn plot_left(y_ticks: &[(f64, String)]) -> f64 {
    let widest = y_ticks
        .iter()
        .map(|(_, label)| text_width(label, false))
        .fold(0.0, f64::max);
    (Y_TITLE_X + 10.0 + 8.0 + widest + 8.0).max(60.0)
}

/// Where the plot's bottom edge lies and how high the whole chart is: on a slide the plot
/// takes what the heading and the legend leave.
fn vertical_layout(canvas: &Canvas, legend_height: f64) -> (f64, f64) {
    let top = canvas.plot_top();
    if let Some(height) = canvas.height {
        let bottom = (height - 12.0 - legend_height - UNDER_PLOT).max(top + 80.0);
        (bottom, height)
    } else {
        let bottom = top + PLOT_HEIGHT;
        (bottom, bottom + UNDER_PLOT + legend_height)
    }
}

/// Grid lines, axes, tick labels and axis titles of a plot area.
struct Frame<'a> {
    x: Scale,
    y: Scale,
    x_ticks: &'a [(f64, String)],
    y_ticks: &'a [(f64, String)],
    x_title: &'a str,
    y_title: &'a str,
}

fn frame(out: &mut String, f: &Frame<'_>) {
    let (left, right) = (f.x.from, f.x.to);
    let (bottom, top) = (f.y.from, f.y.to);
    let _ = writeln!(
        out,
        "<g class=\"grid\" stroke=\"{GRID_COLOUR}\" stroke-width=\"1\">"
    );
    for (value, _) in f.y_ticks {
        let y = f.y.at(*value);
        let _ = writeln!(
            out,
            "<line x1=\"{left:.1}\" y1=\"{y:.1}\" x2=\"{right:.1}\" y2=\"{y:.1}\"/>"
        );
    }
    for (value, _) in f.x_ticks {
        let x = f.x.at(*value);
        let _ = writeln!(
            out,
            "<line x1=\"{x:.1}\" y1=\"{top:.1}\" x2=\"{x:.1}\" y2=\"{bottom:.1}\"/>"
        );
    }
    let _ = writeln!(out, "</g>");
    let _ = writeln!(
        out,
        "<g class=\"axes\" stroke=\"#555555\" stroke-width=\"1\">\n<line x1=\"{left:.1}\" y1=\"{bottom:.1}\" x2=\"{right:.1}\" y2=\"{bottom:.1}\"/>\n<line x1=\"{left:.1}\" y1=\"{top:.1}\" x2=\"{left:.1}\" y2=\"{bottom:.1}\"/>\n</g>"
    );
    let _ = writeln!(out, "<g class=\"ticks\" fill=\"#444444\">");
    for (value, label) in f.y_ticks {
        let y = f.y.at(*value);
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 8.0,
            y + 4.0,
            html_escape(label)
        );
    }
    for (value, label) in f.x_ticks {
        let x = f.x.at(*value);
        let _ = writeln!(
            out,
            "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            bottom + 18.0,
            html_escape(label)
        );
    }
    let _ = writeln!(out, "</g>");
    let _ = writeln!(
        out,
        "<text class=\"axis-title\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-weight=\"600\">{}</text>",
        f64::midpoint(left, right),
        bottom + 40.0,
        html_escape(f.x_title)
    );
    let _ = writeln!(
        out,
        "<text class=\"axis-title\" transform=\"translate({Y_TITLE_X:.1} {:.1}) rotate(-90)\" text-anchor=\"middle\" dominant-baseline=\"central\" font-weight=\"600\">{}</text>",
        f64::midpoint(top, bottom),
        html_escape(f.y_title)
    );
}

/// A label with a white halo so it stays readable over lines; `x` is its left edge.
fn label(out: &mut String, x: f64, y: f64, colour: &str, text: &str) {
    let _ = writeln!(
        out,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" fill=\"{colour}\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\" font-weight=\"700\">{}</text>",
        html_escape(text)
    );
}

#[expect(
    clippy::cast_precision_loss,
    reason = "pixel positions and counts far below 2^53"
)]
fn cents_f64(cents: Cents) -> f64 {
    cents as f64
}

/// The trade-off chart: each scenario's control score against its TCO, the frontier, and
/// the cheapest plan at the recommended scenario's control.
#[must_use]
pub(super) fn trade_off(report: &PlanReport, canvas: &Canvas) -> String {
    let charts = &report.details.charts;
    let series = &charts.series;
    let currency = &report.currency;
    let costs = charts
        .frontier
        .iter()
        .map(|v| v[1])
        .chain(series.iter().map(|s| cents_f64(s.tco_cents)));
    let (lo, hi) = costs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), c| {
        (lo.min(c), hi.max(c))
    });
    let (first, last, step) = nice_ticks(lo, hi, 6);
    let y_ticks: Vec<(f64, String)> = tick_values(first, last, step)
        .into_iter()
        .map(|v| (v, money_tick(v, step)))
        .collect();
    let left = plot_left(&y_ticks);
    let right = canvas.width - RIGHT;

    let mut items: Vec<(Swatch, String)> = Vec::new();
    for (i, s) in series.iter().enumerate() {
        let c = colour(series, i);
        let swatch = if s.is_status_quo {
            Swatch::Square(c)
        } else {
            Swatch::Circle(c)
        };
        items.push((swatch, series_label(s)));
    }
    if !charts.frontier.is_empty() {
        items.push((
            Swatch::Line {
                colour: FRONTIER_COLOUR,
                dashed: false,
            },
            "Frontier: least TCO for at least that control".to_owned(),
        ));
    }
    if charts.cheapest_at_recommended.is_some() {
        items.push((
            Swatch::Diamond(CHEAPEST_COLOUR),
            "Cheapest plan at the recommended control".to_owned(),
        ));
    }
    let legend_h = legend_height(&items, left, right);
    let (bottom, height) = vertical_layout(canvas, legend_h);
    let top = canvas.plot_top();
    let x = Scale {
        lo: 0.0,
        hi: 100.0,
        from: left,
        to: right,
    };
    let y = Scale {
        lo: first,
        hi: last,
        from: bottom,
        to: top,
    };
    let x_ticks: Vec<(f64, String)> = (0..=10)
        .map(|i| (f64::from(i) * 10.0, format!("{} %", i * 10)))
        .collect();

    let mut out = String::new();
    frame(
        &mut out,
        &Frame {
            x,
            y,
            x_ticks: &x_ticks,
            y_ticks: &y_ticks,
            x_title: "Control kept (control score)",
            y_title: &format!("TCO over {} months ({currency})", report.horizon_months),
        },
    );

    if !charts.frontier.is_empty() {
        let points: Vec<String> = charts
            .frontier
            .iter()
            .map(|v| format!("{:.1},{:.1}", x.at(v[0]), y.at(v[1])))
            .collect();
        let _ = writeln!(
            out,
            "<polyline class=\"frontier\" points=\"{}\" fill=\"none\" stroke=\"{FRONTIER_COLOUR}\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>",
            points.join(" ")
        );
    }

    // Markers first (so labels keep clear of all of them), status quo on top.
    let mut taken: Vec<Taken> = Vec::new();
    let positions: Vec<(f64, f64)> = series
        .iter()
        .map(|s| (x.at(s.control), y.at(cents_f64(s.tco_cents))))
        .collect();
    for &(px, py) in &positions {
        taken.push(Taken::around(px, py, 8.0));
    }
    let cheapest = charts
        .cheapest_at_recommended
        .map(|[control, cents]| (x.at(control), y.at(cents)));
    if let Some((px, py)) = cheapest {
        taken.push(Taken::around(px, py, 8.0));
        let _ = writeln!(
            out,
            "<path class=\"cheapest\" d=\"M {px:.1} {:.1} L {:.1} {py:.1} L {px:.1} {:.1} L {:.1} {py:.1} Z\" fill=\"#ffffff\" stroke=\"{CHEAPEST_COLOUR}\" stroke-width=\"2.5\"/>",
            py - 8.0,
            px + 8.0,
            py + 8.0,
            px - 8.0,
        );
    }
    let mut order: Vec<usize> = (0..series.len()).collect();
    order.sort_by_key(|&i| series[i].is_status_quo);
    for &i in &order {
        let s = &series[i];
        let (px, py) = positions[i];
        let c = colour(series, i);
        let tip = format!(
            "{}: TCO {} {currency}, control {:.2} %",
            s.name,
            format_cents(s.tco_cents),
            s.control
        );
        if s.is_recommended {
            let _ = writeln!(
                out,
                "<circle class=\"recommended-ring\" cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"10.5\" fill=\"none\" stroke=\"{c}\" stroke-width=\"2\"/>"
            );
        }
        if s.is_status_quo {
            let _ = writeln!(
                out,
                "<rect class=\"status-quo\" x=\"{:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{c}\" stroke=\"#ffffff\" stroke-width=\"1.5\"><title>{}</title></rect>",
                px - 6.0,
                py - 6.0,
                html_escape(&tip)
            );
        } else {
            let _ = writeln!(
                out,
                "<circle class=\"scenario\" cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"6.5\" fill=\"{c}\" stroke=\"#ffffff\" stroke-width=\"1.5\"><title>{}</title></circle>",
                html_escape(&tip)
            );
        }
    }
    let plot = PlotBox {
        left,
        right,
        top,
        bottom,
    };
    for &i in order.iter().rev() {
        let (px, py) = positions[i];
        let text = series_label(&series[i]);
        point_label(
            &mut out,
            &mut taken,
            &plot,
            (px, py),
            &text,
            colour(series, i),
        );
    }
    if let Some((px, py)) = cheapest {
        point_label(
            &mut out,
            &mut taken,
            &plot,
            (px, py),
            "Cheapest at that control",
            CHEAPEST_COLOUR,
        );
    }

    let legend_top = bottom + UNDER_PLOT;
    legend(&mut out, &items, left, right, legend_top);
    svg(
        canvas,
        "trade-off",
        "Trade-off between cost and control",
        &format!(
            "Each scenario's control score (0 to 100 %) against its total cost over {} months, with the cheapest plan for each level of control.",
            report.horizon_months
        ),
        &out,
        height,
    )
}

/// A series' name as drawn: cut to length, the recommended one marked.
fn series_label(series: &ChartSeries) -> String {
    if series.is_recommended {
        format!("{} (recommended)", short(&series.name))
    } else {
        short(&series.name)
    }
}

/// The plot's edges, for keeping labels inside it.
#[derive(Clone, Copy)]
struct PlotBox {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

/// A point's label: right of it, or left of it where the right edge is near, moved up or
/// down until it covers nothing drawn or labelled, always inside the plot.
fn point_label(
    out: &mut String,
    taken: &mut Vec<Taken>,
    plot: &PlotBox,
    (px, py): (f64, f64),
    text: &str,
    colour: &str,
) {
    let width = text_width(text, true);
    let lx = if px + 12.0 + width <= plot.right - 2.0 {
        px + 12.0
    } else {
        (px - 12.0 - width).max(plot.left + 4.0)
    };
    let ly = place_label(taken, lx, width, py + 4.0, plot.top, plot.bottom);
    label(out, lx, ly, colour, text);
}

/// Months between x ticks: the smallest round step giving at most eight ticks.
fn month_step(horizon: usize) -> usize {
    [1, 2, 3, 6, 12, 24]
        .into_iter()
        .find(|s| horizon.div_ceil(*s) <= 8)
        .unwrap_or(24)
}

/// The cash-flow chart: cumulative cost by month per scenario, break-even months marked.
#[must_use]
pub(super) fn cash_flow(report: &PlanReport, canvas: &Canvas) -> String {
    let charts = &report.details.charts;
    let series = &charts.series;
    let currency = &report.currency;
    let horizon = series
        .iter()
        .map(|s| s.cumulative_cost_cents.len())
        .max()
        .unwrap_or(0)
        .max(1);
    let (lo, hi) = series
        .iter()
        .flat_map(|s| s.cumulative_cost_cents.iter())
        .fold((0.0_f64, f64::NEG_INFINITY), |(lo, hi), &c| {
            (lo.min(cents_f64(c)), hi.max(cents_f64(c)))
        });
    let (first, last, step) = nice_ticks(lo, if hi.is_finite() { hi } else { 1.0 }, 6);
    let y_ticks: Vec<(f64, String)> = tick_values(first, last, step)
        .into_iter()
        .map(|v| (v, money_tick(v, step)))
        .collect();
    let left = plot_left(&y_ticks);
    let right = canvas.width - RIGHT;
    let mut items: Vec<(Swatch, String)> = series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (
                Swatch::Line {
                    colour: colour(series, i),
                    dashed: s.is_status_quo,
                },
                series_label(s),
            )
        })
        .collect();
    items.push((
        Swatch::Ring("#555555"),
        "Break-even: from then on at or below the status quo".to_owned(),
    ));
    let legend_h = legend_height(&items, left, right);
    let (bottom, height) = vertical_layout(canvas, legend_h);
    let top = canvas.plot_top();
    #[expect(
        clippy::cast_precision_loss,
        reason = "pixel positions and counts far below 2^53"
    )]
    let last_month = (horizon - 1).max(1) as f64;
    let x = Scale {
        lo: 0.0,
        hi: last_month,
        from: left,
        to: right,
    };
    let y = Scale {
        lo: first,
        hi: last,
        from: bottom,
        to: top,
    };
    let every = month_step(horizon);
    #[expect(
        clippy::cast_precision_loss,
        reason = "pixel positions and counts far below 2^53"
    )]
    let x_ticks: Vec<(f64, String)> = (0..horizon)
        .step_by(every)
        .map(|t| {
            (
                t as f64,
                charts
                    .months
                    .get(t)
                    .cloned()
                    .unwrap_or_else(|| t.to_string()),
            )
        })
        .collect();

    let mut out = String::new();
    frame(
        &mut out,
        &Frame {
            x,
            y,
            x_ticks: &x_ticks,
            y_ticks: &y_ticks,
            x_title: "Month",
            y_title: &format!("Cumulative cost ({currency})"),
        },
    );

    // Scenario lines first, the status quo (dashed) on top of them.
    let mut order: Vec<usize> = (0..series.len()).collect();
    order.sort_by_key(|&i| series[i].is_status_quo);
    for &i in &order {
        let s = &series[i];
        #[expect(
            clippy::cast_precision_loss,
            reason = "pixel positions and counts far below 2^53"
        )]
        let points: Vec<String> = s
            .cumulative_cost_cents
            .iter()
            .enumerate()
            .map(|(t, &c)| format!("{:.1},{:.1}", x.at(t as f64), y.at(cents_f64(c))))
            .collect();
        let width = if s.is_status_quo || s.is_recommended {
            "2.5"
        } else {
            "2"
        };
        let _ = writeln!(
            out,
            "<polyline class=\"{}\" points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{width}\" stroke-linejoin=\"round\"{}><title>{}</title></polyline>",
            if s.is_status_quo {
                "status-quo"
            } else {
                "scenario"
            },
            points.join(" "),
            colour(series, i),
            if s.is_status_quo {
                " stroke-dasharray=\"7 4\""
            } else {
                ""
            },
            html_escape(&format!(
                "{}: {} {currency} over {} months",
                s.name,
                format_cents(s.cumulative_cost_cents.last().copied().unwrap_or(0)),
                s.cumulative_cost_cents.len()
            ))
        );
    }

    // Break-even rings, drop lines and labels.
    let mut taken: Vec<Taken> = Vec::new();
    let marks: Vec<(usize, usize, f64, f64)> = series
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let m = usize::try_from(s.break_even_month?).ok()?;
            let c = *s.cumulative_cost_cents.get(m)?;
            #[expect(
                clippy::cast_precision_loss,
                reason = "pixel positions and counts far below 2^53"
            )]
            let px = x.at(m as f64);
            Some((i, m, px, y.at(cents_f64(c))))
        })
        .collect();
    for &(i, _, px, py) in &marks {
        let c = colour(series, i);
        let _ = writeln!(
            out,
            "<line class=\"break-even\" x1=\"{px:.1}\" y1=\"{py:.1}\" x2=\"{px:.1}\" y2=\"{bottom:.1}\" stroke=\"{c}\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/>\n<circle class=\"break-even\" cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"5.5\" fill=\"#ffffff\" stroke=\"{c}\" stroke-width=\"2.5\"/>"
        );
        taken.push(Taken::around(px, py, 7.0));
    }
    for &(i, m, px, py) in &marks {
        let month = charts
            .months
            .get(m)
            .cloned()
            .unwrap_or_else(|| m.to_string());
        let text = format!("{}: break-even {month}", short(&series[i].name));
        let width = text_width(&text, true);
        // Above-left of the ring (lines rise to the right), inside the plot.
        let lx = if px - 10.0 - width >= left + 4.0 {
            px - 10.0 - width
        } else {
            (px + 10.0).min(right - 2.0 - width).max(left + 4.0)
        };
        let ly = place_label(&mut taken, lx, width, py - 14.0, top, bottom);
        label(&mut out, lx, ly, colour(series, i), &text);
    }

    let legend_top = bottom + UNDER_PLOT;
    legend(&mut out, &items, left, right, legend_top);
    svg(
        canvas,
        "cash-flow",
        "Cumulative cost by month",
        &format!(
            "What each scenario has cost in total at the end of every month of the {}-month horizon, with the month each scenario breaks even against the status quo.",
            report.horizon_months
        ),
        &out,
        height,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        let (first, last, step) = nice_ticks(35_005_975.0, 36_926_568.0, 6);
        assert!(first <= 35_005_975.0 && last >= 36_926_568.0);
        assert!((step - 500_000.0).abs() < 1e-6, "{step}");
        assert_eq!(money_tick(35_000_000.0, step), "350,000");
        assert_eq!(month_step(36), 6);
        assert_eq!(month_step(120), 24);
        assert_eq!(month_step(3), 1);
    }

    #[test]
    fn long_names_are_cut() {
        let name = "x".repeat(60);
        assert_eq!(short(&name).chars().count(), MAX_LABEL_CHARS);
        assert_eq!(short("Status quo"), "Status quo");
    }
}
