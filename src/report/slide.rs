//! A chart for a slide: the report's own SVG chart at a chosen size (1920 × 1080 by
//! default), on white, with a title, the customer's name and the price book's date, and the
//! legend inside the picture. The same drawing as the report's, so the slide and the report
//! agree; rendered to PNG with resvg in the shipped font.

use resvg::tiny_skia;
use resvg::usvg;

use super::PlanReport;
use super::fonts;
use super::svg::{self, Canvas};

/// Which chart.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum ChartKind {
    /// Control kept against TCO: the scenarios, the status quo and the frontier.
    #[default]
    TradeOff,
    /// Cumulative cost by month, break-even months marked.
    CashFlow,
}

impl ChartKind {
    pub const ALL: [Self; 2] = [Self::TradeOff, Self::CashFlow];

    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::TradeOff => "Trade-off (cost and control)",
            Self::CashFlow => "Cash flow (cumulative cost)",
        }
    }

    /// The end of a suggested file name: `law-firm-trade-off.png`.
    #[must_use]
    pub const fn file_stem(self) -> &'static str {
        match self {
            Self::TradeOff => "trade-off",
            Self::CashFlow => "cash-flow",
        }
    }

    const fn title(self) -> &'static str {
        match self {
            Self::TradeOff => "Cost against control kept",
            Self::CashFlow => "Cumulative cost by month",
        }
    }
}

/// A picture's size in pixels, within what a slide or a print needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChartSize {
    pub width_px: u32,
    pub height_px: u32,
}

impl ChartSize {
    /// A full-HD slide.
    pub const SLIDE: Self = Self {
        width_px: 1920,
        height_px: 1080,
    };
    pub const MIN_PX: u32 = 320;
    /// 8K: larger pictures only cost memory (a 7680 × 4320 picture is 133 MB unpacked).
    pub const MAX_PX: u32 = 7680;

    /// A size both of whose sides lie within [`Self::MIN_PX`]..=[`Self::MAX_PX`], and not
    /// more than four times wider than high or the other way round (a chart needs room).
    ///
    /// # Errors
    /// A message saying which side is out of range.
    pub fn new(width_px: u32, height_px: u32) -> Result<Self, String> {
        for (side, value) in [("width", width_px), ("height", height_px)] {
            if !(Self::MIN_PX..=Self::MAX_PX).contains(&value) {
                return Err(format!(
                    "a {side} of {value} pixels; charts are {} to {} pixels on each side",
                    Self::MIN_PX,
                    Self::MAX_PX
                ));
            }
        }
        if width_px > height_px * 4 || height_px > width_px * 4 {
            return Err(format!(
                "{width_px} × {height_px} pixels is too narrow for a chart; keep the sides within four times each other"
            ));
        }
        Ok(Self {
            width_px,
            height_px,
        })
    }

    /// `1920x1080` (also `1920 × 1080`, `1920*1080`).
    ///
    /// # Errors
    /// When the text is not two whole numbers or the size is out of range.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad =
            || format!("'{text}' is not a size; write WIDTHxHEIGHT in pixels, e.g. 1920x1080");
        let (w, h) = text.split_once(['x', 'X', '×', '*']).ok_or_else(bad)?;
        let w: u32 = w.trim().parse().map_err(|_| bad())?;
        let h: u32 = h.trim().parse().map_err(|_| bad())?;
        Self::new(w, h)
    }
}

impl Default for ChartSize {
    fn default() -> Self {
        Self::SLIDE
    }
}

impl std::fmt::Display for ChartSize {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}x{}", self.width_px, self.height_px)
    }
}

/// The slide's canvas: title with the customer, subtitle with the price book and its date.
fn canvas(report: &PlanReport, kind: ChartKind, size: ChartSize) -> Canvas {
    let d = &report.details;
    Canvas::slide(
        size.width_px,
        size.height_px,
        format!("{}: {}", report.customer, kind.title()),
        format!(
            "Prices as of {} ({}), {} months from {}, amounts in {}",
            d.price_book_as_of, d.price_book, report.horizon_months, d.start_month, report.currency
        ),
    )
}

/// The chart as an SVG file of `size` pixels.
#[must_use]
pub fn chart_svg(report: &PlanReport, kind: ChartKind, size: ChartSize) -> String {
    let canvas = canvas(report, kind, size);
    match kind {
        ChartKind::TradeOff => svg::trade_off(report, &canvas),
        ChartKind::CashFlow => svg::cash_flow(report, &canvas),
    }
}

/// The chart as RGBA pixels, row by row (for the clipboard), on white.
///
/// # Errors
/// When the drawing cannot be read back (a defect) or the picture cannot be made.
pub fn chart_rgba(
    report: &PlanReport,
    kind: ChartKind,
    size: ChartSize,
) -> Result<Vec<u8>, String> {
    let text = chart_svg(report, kind, size);
    let options = usvg::Options {
        fontdb: fonts::database(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&text, &options).map_err(|e| e.to_string())?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width_px, size.height_px)
        .ok_or_else(|| format!("a picture of {size} pixels cannot be made"))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    #[expect(clippy::cast_precision_loss, reason = "pixel counts far below 2^24")]
    let transform = tiny_skia::Transform::from_scale(
        size.width_px as f32 / tree.size().width(),
        size.height_px as f32 / tree.size().height(),
    );
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    // The background is opaque, so premultiplied and straight alpha are the same pixels.
    Ok(pixmap.take())
}

/// The chart as a PNG file of `size` pixels.
///
/// # Errors
/// As [`chart_rgba`], or when the PNG encoder fails.
pub fn chart_png(report: &PlanReport, kind: ChartKind, size: ChartSize) -> Result<Vec<u8>, String> {
    let pixels = chart_rgba(report, kind, size)?;
    let mut bytes = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut bytes),
        &pixels,
        size.width_px,
        size.height_px,
        image::ExtendedColorType::Rgba8,
    )
    .map_err(|e| e.to_string())?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_read_and_bounded() {
        assert_eq!(ChartSize::parse("1920x1080"), Ok(ChartSize::SLIDE));
        assert_eq!(
            ChartSize::parse(" 1280 × 720 "),
            Ok(ChartSize {
                width_px: 1280,
                height_px: 720
            })
        );
        assert!(ChartSize::parse("1920").is_err());
        assert!(ChartSize::parse("wide x tall").is_err());
        assert!(
            ChartSize::new(100, 100)
                .unwrap_err()
                .contains("width of 100")
        );
        assert!(ChartSize::new(7681, 4320).is_err());
        assert!(
            ChartSize::new(4000, 400)
                .unwrap_err()
                .contains("too narrow")
        );
        assert_eq!(ChartSize::SLIDE.to_string(), "1920x1080");
    }
}
