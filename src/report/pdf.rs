//! The report as a native PDF: selectable text in the shipped font (embedded, subset), the
//! report's own SVG charts drawn as vectors, A4 or Letter, a cover with the customer, the date
//! and the account manager, page numbers, tables whose rows never break across pages (a table
//! that continues repeats its header), and "Internal" on every page of an internal report.
//!
//! Built with krilla (the PDF writer of the Typst project: fonts embedded and subset, text
//! kept selectable) and krilla-svg (usvg's SVG drawn into the page). Laying out is done
//! here: text is measured in the shipped face, pages are laid out first and drawn once the
//! page count is known.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::{Document, metadata::Metadata};
use krilla_svg::{SurfaceExt, SvgSettings};
use resvg::usvg;

use super::escape::PLAIN_MARKUP;
use super::fonts::{self, text_width};
use super::svg::{self, Canvas};
use super::tables::{
    assumption_facts, customer_facts, customer_scenario_rows, msp_facts, recommendation_heading,
    recommendation_paragraphs, scenario_header, workload_table,
};
use super::{INTERNAL_MARK, PlanReport};

/// A page size.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Paper {
    #[default]
    A4,
    /// US Letter, 8.5 × 11 inches.
    Letter,
}

/// Countries (ISO 3166 codes) whose offices print on Letter: the United States and Canada,
/// Mexico and most of Central America, Chile, Colombia, Venezuela and the Philippines.
const LETTER_REGIONS: [&str; 15] = [
    "US", "CA", "MX", "PR", "GT", "SV", "HN", "NI", "CR", "PA", "DO", "CL", "CO", "VE", "PH",
];

impl Paper {
    pub const ALL: [Self; 2] = [Self::A4, Self::Letter];

    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::A4 => "A4",
            Self::Letter => "Letter",
        }
    }

    /// Width and height in points (1/72 inch): A4 is 210 × 297 mm, Letter 8.5 × 11 in.
    #[must_use]
    pub const fn size_pt(self) -> (f32, f32) {
        match self {
            Self::A4 => (595.276, 841.89),
            Self::Letter => (612.0, 792.0),
        }
    }

    /// The paper of a locale such as `en_US.UTF-8`, `en-CA` or `de_DE`: Letter where its
    /// region prints on Letter, A4 everywhere else (also when the locale names no region).
    #[must_use]
    pub fn for_locale(locale: &str) -> Self {
        let name = locale.split(['.', '@']).next().unwrap_or("");
        let region = name
            .split(['_', '-'])
            .skip(1)
            .find(|part| part.len() == 2 && part.chars().all(|c| c.is_ascii_alphabetic()));
        match region {
            Some(region) if LETTER_REGIONS.contains(&region.to_ascii_uppercase().as_str()) => {
                Self::Letter
            }
            _ => Self::A4,
        }
    }

    /// The paper of this computer's locale: `LC_PAPER` where it is set (Unix), else the
    /// user's locale (`LC_ALL`, `LANG`, or the system setting on Windows and macOS).
    #[must_use]
    pub fn from_system() -> Self {
        let paper = std::env::var("LC_PAPER")
            .ok()
            .filter(|l| !l.is_empty() && l != "C" && l != "POSIX");
        match paper.or_else(sys_locale::get_locale) {
            Some(locale) => Self::for_locale(&locale),
            None => Self::A4,
        }
    }
}

/// How the PDF is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfOptions {
    pub paper: Paper,
    /// The date on the cover, as people read it (`1 Dec 2026`).
    pub prepared_on: String,
}

// ---------------------------------------------------------------------------------------
// Drawing operations, laid out first and drawn once the page count is known.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Face {
    Regular,
    Bold,
}

type Colour = (u8, u8, u8);

const INK: Colour = (0x22, 0x22, 0x22);
const GREY: Colour = (0x55, 0x55, 0x55);
const LIGHT_GREY: Colour = (0x77, 0x77, 0x77);
const BLUE: Colour = (0x1f, 0x6f, 0xb2);
const DARK_BLUE: Colour = (0x1a, 0x4f, 0x7a);
const RED: Colour = (0xb3, 0x26, 0x1e);
const RULE: Colour = (0xcf, 0xd6, 0xdd);
const HEADER_FILL: Colour = (0xee, 0xf2, 0xf6);
const ROW_HEADER_FILL: Colour = (0xf7, 0xf9, 0xfb);
const CALLOUT_FILL: Colour = (0xf5, 0xf9, 0xfd);

enum Op {
    Text {
        x: f32,
        y: f32,
        face: Face,
        size: f32,
        colour: Colour,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Colour>,
        stroke: Option<Colour>,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        colour: Colour,
        width: f32,
    },
    Chart {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        tree: Box<usvg::Tree>,
    },
}

const BODY: f32 = 10.0;
const SMALL: f32 = 8.5;
const LINE: f32 = 1.35;
const CELL_PAD_X: f32 = 4.0;
const CELL_PAD_Y: f32 = 3.0;

/// Text split into lines no wider than `width` at `size`: at spaces, and inside a word
/// only when the word alone is wider.
fn wrap(text: &str, face: Face, size: f32, width: f32) -> Vec<String> {
    let bold = face == Face::Bold;
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if text_width(&candidate, size, bold) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line is cut where it must be.
            for ch in word.chars() {
                let mut longer = line.clone();
                longer.push(ch);
                if !line.is_empty() && text_width(&longer, size, bold) > width {
                    lines.push(std::mem::take(&mut line));
                    line.push(ch);
                } else {
                    line = longer;
                }
            }
        }
        lines.push(line);
    }
    lines
}

/// The widest single word of `text`, so a column is never narrower.
fn widest_word(text: &str, face: Face, size: f32) -> f32 {
    text.split_whitespace()
        .map(|w| text_width(w, size, face == Face::Bold))
        .fold(0.0, f32::max)
}

/// A right-aligned column: every filled cell is an amount, a number or "-".
fn is_numeric(cell: &str) -> bool {
    let cell = cell.trim();
    cell == "-"
        || cell
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '-')
            && cell.chars().any(|c| c.is_ascii_digit())
            && !cell.contains(" (month")
}

struct Table<'a> {
    /// The header row, repeated on every page the table continues on (`None`: facts).
    header: Option<&'a [String]>,
    rows: &'a [Vec<String>],
    /// The first cell of each row is a label (bold, shaded).
    row_headers: bool,
    /// Stretch to the full width.
    full_width: bool,
    /// Right-align columns of amounts.
    align_numbers: bool,
}

impl Table<'_> {
    fn columns(&self) -> usize {
        self.header
            .map(<[String]>::len)
            .or_else(|| self.rows.first().map(Vec::len))
            .unwrap_or(0)
    }
}

struct Layout {
    width: f32,
    height: f32,
    left: f32,
    right: f32,
    top: f32,
    bottom: f32,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Layout {
    fn new(paper: Paper) -> Self {
        let (width, height) = paper.size_pt();
        let mut layout = Self {
            width,
            height,
            left: 54.0,
            right: width - 54.0,
            top: 64.0,
            bottom: height - 60.0,
            pages: Vec::new(),
            y: 0.0,
        };
        layout.new_page();
        layout
    }

    fn content_width(&self) -> f32 {
        self.right - self.left
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = self.top;
    }

    fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    /// Starts a new page unless `height` more fits on this one (or this one is still
    /// empty, where nothing would fit better).
    fn ensure(&mut self, height: f32) {
        if self.y + height > self.bottom && self.y > self.top + 0.5 {
            self.new_page();
        }
    }

    fn text(&mut self, x: f32, y: f32, face: Face, size: f32, colour: Colour, text: &str) {
        self.push(Op::Text {
            x,
            y,
            face,
            size,
            colour,
            text: text.to_owned(),
        });
    }

    /// A section heading, kept with at least `keep` points of what follows.
    fn heading(&mut self, text: &str, keep: f32) {
        let size = 14.0;
        self.y += 10.0;
        self.ensure(size * LINE + 8.0 + keep);
        self.y += size;
        self.text(self.left, self.y, Face::Bold, size, DARK_BLUE, text);
        self.y += 5.0;
        self.push(Op::Line {
            x1: self.left,
            y1: self.y,
            x2: self.right,
            y2: self.y,
            colour: RULE,
            width: 0.75,
        });
        self.y += 10.0;
    }

    /// A paragraph, wrapped; its lines may continue on the next page.
    fn paragraph(&mut self, text: &str, face: Face, size: f32, colour: Colour) {
        let width = self.content_width();
        self.lines(
            &wrap(text, face, size, width),
            self.left,
            face,
            size,
            colour,
        );
        self.y += size * 0.6;
    }

    fn lines(&mut self, lines: &[String], x: f32, face: Face, size: f32, colour: Colour) {
        for line in lines {
            self.ensure(size * LINE);
            self.y += size;
            self.text(x, self.y, face, size, colour, line);
            self.y += size * (LINE - 1.0);
        }
    }

    /// Paragraphs in a shaded box with a blue bar, kept on one page where they fit.
    fn callout(&mut self, paragraphs: &[(String, Face, f32, Colour)]) {
        let inner = self.content_width() - 24.0;
        let wrapped: Vec<(Vec<String>, Face, f32, Colour)> = paragraphs
            .iter()
            .map(|(text, face, size, colour)| {
                (wrap(text, *face, *size, inner), *face, *size, *colour)
            })
            .collect();
        let height: f32 = wrapped
            .iter()
            .map(|(lines, _, size, _)| lines.len() as f32 * size * LINE + size * 0.6)
            .sum::<f32>()
            + 14.0;
        if height < self.bottom - self.top {
            self.ensure(height);
            self.push(Op::Rect {
                x: self.left,
                y: self.y,
                w: self.content_width(),
                h: height,
                fill: Some(CALLOUT_FILL),
                stroke: None,
            });
            self.push(Op::Rect {
                x: self.left,
                y: self.y,
                w: 4.0,
                h: height,
                fill: Some(BLUE),
                stroke: None,
            });
        }
        self.y += 7.0;
        for (lines, face, size, colour) in &wrapped {
            self.lines(lines, self.left + 16.0, *face, *size, *colour);
            self.y += size * 0.6;
        }
        self.y += 7.0;
    }

    /// Column widths for `table` at `size`, or `None` when even the narrowest layout is
    /// wider than the page.
    fn column_widths(&self, table: &Table<'_>, size: f32) -> Option<Vec<f32>> {
        let columns = table.columns();
        let mut natural = vec![0.0_f32; columns];
        let mut least = vec![0.0_f32; columns];
        let cells = table
            .header
            .map(|h| (h, true))
            .into_iter()
            .chain(table.rows.iter().map(|r| (r.as_slice(), false)));
        for (row, is_header) in cells {
            for (i, cell) in row.iter().enumerate().take(columns) {
                let face = if is_header || (table.row_headers && i == 0) {
                    Face::Bold
                } else {
                    Face::Regular
                };
                let pad = 2.0 * CELL_PAD_X;
                natural[i] = natural[i].max(text_width(cell, size, face == Face::Bold) + pad);
                // Numbers never wrap; text may, down to its widest word.
                let at_least = if is_numeric(cell) && !is_header {
                    text_width(cell, size, face == Face::Bold)
                } else {
                    widest_word(cell, face, size)
                };
                least[i] = least[i].max(at_least + pad);
            }
        }
        let available = self.content_width();
        let natural_sum: f32 = natural.iter().sum();
        if natural_sum <= available {
            if table.full_width && natural_sum > 0.0 {
                let stretch = available / natural_sum;
                return Some(natural.iter().map(|w| w * stretch).collect());
            }
            return Some(natural);
        }
        let least_sum: f32 = least.iter().sum();
        if least_sum > available {
            return None;
        }
        // Give each column its least width and share the rest by how much more it wants.
        let extra = available - least_sum;
        let wants: f32 = natural.iter().zip(&least).map(|(n, l)| n - l).sum();
        Some(
            natural
                .iter()
                .zip(&least)
                .map(|(n, l)| {
                    l + if wants > 0.0 {
                        extra * (n - l) / wants
                    } else {
                        0.0
                    }
                })
                .collect(),
        )
    }

    /// A table whose rows never break across pages; on a new page its header is repeated.
    /// The font shrinks (to 6 points) before a table would be wider than the page.
    fn table(&mut self, table: &Table<'_>, size: f32) {
        let mut size = size;
        let widths = loop {
            match self.column_widths(table, size) {
                Some(widths) => break widths,
                None if size > 6.0 => size -= 0.5,
                // Still too wide at 6 points: cut the columns evenly (cells wrap inside).
                None => {
                    #[expect(clippy::cast_precision_loss, reason = "a handful of columns")]
                    let even = self.content_width() / table.columns().max(1) as f32;
                    break vec![even; table.columns()];
                }
            }
        };
        // Columns of mostly amounts are right-aligned (a scenario's "none" with its figures).
        let numeric: Vec<bool> = (0..table.columns())
            .map(|i| {
                if !table.align_numbers {
                    return false;
                }
                let filled: Vec<&String> = table
                    .rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .filter(|c| !c.trim().is_empty())
                    .collect();
                let amounts = filled.iter().filter(|c| is_numeric(c)).count();
                !filled.is_empty() && amounts * 2 > filled.len()
            })
            .collect();
        let header_height = table.header.map_or(0.0, |h| {
            Self::row_height(h, &widths, size, true, table.row_headers)
        });
        let heights: Vec<f32> = table
            .rows
            .iter()
            .map(|r| Self::row_height(r, &widths, size, false, table.row_headers))
            .collect();
        // A table of up to half a page is kept whole; a longer one starts where its header
        // and first row fit.
        let whole = header_height + heights.iter().sum::<f32>();
        if whole <= (self.bottom - self.top) / 2.0 {
            self.ensure(whole);
        } else {
            self.ensure(header_height + heights.first().copied().unwrap_or(0.0));
        }
        if let Some(header) = table.header {
            self.row(header, &widths, &numeric, size, true, table.row_headers);
        }
        for (row, height) in table.rows.iter().zip(heights) {
            if self.y + height > self.bottom {
                self.new_page();
                if let Some(header) = table.header {
                    self.row(header, &widths, &numeric, size, true, table.row_headers);
                }
            }
            self.row(row, &widths, &numeric, size, false, table.row_headers);
        }
        self.y += 10.0;
    }

    /// What of `table` at `size` must fit where it starts: all of it when it is kept whole
    /// (up to half a page), else its header and first row.
    fn table_start_height(&self, table: &Table<'_>, size: f32) -> f32 {
        let Some(widths) = self.column_widths(table, size) else {
            return self.bottom - self.top;
        };
        let header = table.header.map_or(0.0, |h| {
            Self::row_height(h, &widths, size, true, table.row_headers)
        });
        let heights: Vec<f32> = table
            .rows
            .iter()
            .map(|r| Self::row_height(r, &widths, size, false, table.row_headers))
            .collect();
        let whole = header + heights.iter().sum::<f32>();
        if whole <= (self.bottom - self.top) / 2.0 {
            whole
        } else {
            header + heights.first().copied().unwrap_or(0.0)
        }
    }

    fn cell_face(is_header: bool, row_headers: bool, column: usize) -> Face {
        if is_header || (row_headers && column == 0) {
            Face::Bold
        } else {
            Face::Regular
        }
    }

    fn row_height(
        row: &[String],
        widths: &[f32],
        size: f32,
        is_header: bool,
        row_headers: bool,
    ) -> f32 {
        let lines = row
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(i, (cell, w))| {
                wrap(
                    cell,
                    Self::cell_face(is_header, row_headers, i),
                    size,
                    w - 2.0 * CELL_PAD_X,
                )
                .len()
            })
            .max()
            .unwrap_or(1)
            .max(1);
        #[expect(clippy::cast_precision_loss, reason = "a few lines")]
        let lines = lines as f32;
        lines * size * LINE + 2.0 * CELL_PAD_Y
    }

    fn row(
        &mut self,
        row: &[String],
        widths: &[f32],
        numeric: &[bool],
        size: f32,
        is_header: bool,
        row_headers: bool,
    ) {
        let height = Self::row_height(row, widths, size, is_header, row_headers);
        let mut x = self.left;
        for (i, (cell, &w)) in row.iter().zip(widths).enumerate() {
            let face = Self::cell_face(is_header, row_headers, i);
            let fill = if is_header {
                Some(HEADER_FILL)
            } else if row_headers && i == 0 {
                Some(ROW_HEADER_FILL)
            } else {
                None
            };
            self.push(Op::Rect {
                x,
                y: self.y,
                w,
                h: height,
                fill,
                stroke: Some(RULE),
            });
            let mut y = self.y + CELL_PAD_Y;
            for line in wrap(cell, face, size, w - 2.0 * CELL_PAD_X) {
                y += size;
                let right = numeric.get(i).copied().unwrap_or(false) && !is_header;
                let tx = if right {
                    x + w - CELL_PAD_X - text_width(&line, size, face == Face::Bold)
                } else {
                    x + CELL_PAD_X
                };
                self.text(tx, y, face, size, INK, &line);
                y += size * (LINE - 1.0);
            }
            x += w;
        }
        self.y += height;
    }

    /// Facts as a two-column table across the page.
    fn facts<L: AsRef<str>>(&mut self, facts: &[(L, String)]) {
        let rows: Vec<Vec<String>> = facts
            .iter()
            .map(|(label, value)| vec![label.as_ref().to_owned(), value.clone()])
            .collect();
        self.table(
            &Table {
                header: None,
                rows: &rows,
                row_headers: true,
                full_width: true,
                align_numbers: false,
            },
            BODY - 0.5,
        );
    }

    /// A chart from the report's SVG, scaled to the page's width, kept whole, and its caption.
    fn chart(&mut self, svg_text: &str, caption: &str) -> Result<(), String> {
        let options = usvg::Options {
            fontdb: fonts::database(),
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(svg_text, &options).map_err(|e| e.to_string())?;
        let w = self.content_width();
        let h = w * tree.size().height() / tree.size().width();
        let caption_lines = wrap(caption, Face::Regular, SMALL, w);
        #[expect(clippy::cast_precision_loss, reason = "a few lines")]
        let caption_height = caption_lines.len() as f32 * SMALL * LINE;
        self.ensure(h + 6.0 + caption_height);
        self.push(Op::Chart {
            x: self.left,
            y: self.y,
            w,
            h,
            tree: Box::new(tree),
        });
        self.y += h + 6.0;
        self.lines(&caption_lines, self.left, Face::Regular, SMALL, GREY);
        self.y += 14.0;
        Ok(())
    }

    fn bullets(&mut self, items: &[String], size: f32) {
        let indent = 12.0;
        let width = self.content_width() - indent;
        for item in items {
            let lines = wrap(item, Face::Regular, size, width);
            #[expect(clippy::cast_precision_loss, reason = "a few lines")]
            let height = lines.len() as f32 * size * LINE;
            self.ensure(height);
            self.text(
                self.left + 2.0,
                self.y + size,
                Face::Regular,
                size,
                INK,
                "•",
            );
            self.lines(&lines, self.left + indent, Face::Regular, size, INK);
            self.y += 2.0;
        }
    }
}

// ---------------------------------------------------------------------------------------
// The report's pages.

fn cover(layout: &mut Layout, report: &PlanReport, options: &PdfOptions) {
    let d = &report.details;
    let left = layout.left;
    let width = layout.content_width();
    layout.y = layout.top + (layout.bottom - layout.top) * 0.28;
    layout.text(
        left,
        layout.y,
        Face::Bold,
        11.0,
        BLUE,
        "CLOUD OPTIONS: COST AND CONTROL",
    );
    layout.y += 14.0;
    for line in wrap(&report.customer, Face::Bold, 28.0, width) {
        layout.y += 30.0;
        layout.text(left, layout.y, Face::Bold, 28.0, INK, &line);
    }
    layout.y += 14.0;
    layout.push(Op::Rect {
        x: left,
        y: layout.y,
        w: width,
        h: 3.0,
        fill: Some(BLUE),
        stroke: None,
    });
    layout.y += 22.0;
    let mut lines = Vec::new();
    if !d.customer.account_manager.trim().is_empty() {
        lines.push(format!("Prepared by {}", d.customer.account_manager.trim()));
    }
    lines.push(options.prepared_on.clone());
    lines.push(format!(
        "Prices from {} (as of {}), over {} months from {}",
        d.price_book, d.price_book_as_of, report.horizon_months, d.start_month
    ));
    for line in lines {
        layout.paragraph(&line, Face::Regular, 12.0, GREY);
    }
    if report.audience.is_internal() {
        layout.y += 24.0;
        layout.paragraph(
            "Internal report: it shows the MSP's margin, partner fees and terms, and internal ids. Do not send it to the customer; export a customer report for them.",
            Face::Bold,
            11.0,
            RED,
        );
    }
    layout.new_page();
}

/// One part of the scenario table (at most four scenarios side by side).
fn scenario_table((header, rows): &(Vec<String>, Vec<Vec<String>>)) -> Table<'_> {
    Table {
        header: Some(header),
        rows,
        row_headers: true,
        full_width: false,
        align_numbers: true,
    }
}

fn body(layout: &mut Layout, report: &PlanReport) -> Result<(), String> {
    let d = &report.details;
    layout.heading("Customer", 40.0);
    layout.facts(&customer_facts(report));
    layout.heading("Assumptions", 40.0);
    layout.facts(&assumption_facts(report));

    layout.heading(recommendation_heading(report), 60.0);
    let paragraphs = recommendation_paragraphs(report, &PLAIN_MARKUP);
    let last = paragraphs.len().saturating_sub(1);
    let styled: Vec<(String, Face, f32, Colour)> = paragraphs
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            if report.recommended.is_some() && i == 0 {
                (text, Face::Bold, 11.0, INK)
            } else if report.recommended.is_some() && i == last {
                (text, Face::Regular, SMALL, GREY)
            } else {
                (text, Face::Regular, BODY, INK)
            }
        })
        .collect();
    layout.callout(&styled);

    let header = scenario_header(report);
    let rows = customer_scenario_rows(report);
    // At most four scenarios side by side on a portrait page; more continue in a table
    // of their own below.
    let per_table = 4;
    let scenarios = header.len().saturating_sub(1);
    let parts: Vec<(Vec<String>, Vec<Vec<String>>)> = (0..scenarios.max(1).div_ceil(per_table))
        .map(|part| {
            let start = part * per_table;
            let count = scenarios.saturating_sub(start).min(per_table);
            let pick = |row: &[String]| -> Vec<String> {
                std::iter::once(row.first().cloned().unwrap_or_default())
                    .chain(row.iter().skip(1 + start).take(count).cloned())
                    .collect()
            };
            (pick(&header), rows.iter().map(|r| pick(r)).collect())
        })
        .collect();
    let first_height = parts.first().map_or(0.0, |part| {
        layout.table_start_height(&scenario_table(part), BODY - 1.0)
    });
    layout.heading("Scenarios", first_height + 30.0);
    layout.paragraph(
        &format!(
            "Amounts in {}. TCO: everything the customer pays over the {} months; NPV: the same discounted at {} % a year. Control score: how much of the environment stays under the MSP's control, 0 to 100.",
            report.currency, report.horizon_months, d.discount_rate_pct
        ),
        Face::Regular,
        SMALL,
        GREY,
    );
    for part in &parts {
        layout.table(&scenario_table(part), BODY - 1.0);
    }

    // A chart is about 0.55 of the page's width high.
    let chart_height = layout.content_width() * 0.55;
    layout.heading("Cost and control", chart_height);
    layout.chart(
        &svg::trade_off(report, &Canvas::report()),
        "Each scenario's control score against its total cost over the horizon (the status quo as a square). The line is the frontier: for each level of control, the cheapest plan that keeps at least that much, with every move in the first month; no plan lies below it.",
    )?;
    layout.chart(
        &svg::cash_flow(report, &Canvas::report()),
        "What each scenario has cost in total by the end of each month. A ring marks the month a scenario breaks even: from then on its cumulative cost stays at or below the status quo's.",
    )?;

    let title = d.focus.as_ref().map_or_else(
        || "Workloads".to_owned(),
        |f| format!("Workloads in \u{201c}{f}\u{201d}"),
    );
    let (header, rows) = workload_table(report);
    let table = Table {
        header: Some(&header),
        rows: &rows,
        row_headers: false,
        full_width: true,
        align_numbers: true,
    };
    // The heading and the note stay with the table's start.
    let keep = layout.table_start_height(&table, SMALL - 0.5);
    layout.heading(&title, keep + 24.0);
    layout.paragraph(
        &format!(
            "Monthly amounts in {}; \"-\" where a destination cannot host the workload.",
            report.currency
        ),
        Face::Regular,
        SMALL,
        GREY,
    );
    layout.table(&table, SMALL - 0.5);

    layout.heading("Sources of the prices", 40.0);
    let sources: Vec<String> = d
        .sources
        .iter()
        .map(|(label, source)| format!("{label}: {source}"))
        .collect();
    layout.bullets(&sources, SMALL);
    let msp = msp_facts(report);
    if !msp.is_empty() {
        layout.heading("MSP terms (internal)", 40.0);
        layout.facts(&msp);
    }
    layout.y += 8.0;
    layout.paragraph(
        "Prepared with Keyholder. Figures are computed from the price book named above; amounts marked as estimates in the sources are assumptions to confirm.",
        Face::Regular,
        SMALL - 0.5,
        LIGHT_GREY,
    );
    Ok(())
}

/// The header and footer of every page: the internal mark, the customer and "Page n of N".
fn furniture(layout: &mut Layout, report: &PlanReport) {
    let count = layout.pages.len();
    let (left, right, width) = (layout.left, layout.right, layout.width);
    let footer_y = layout.height - 32.0;
    for (index, page) in layout.pages.iter_mut().enumerate() {
        if report.audience.is_internal() {
            let mark = INTERNAL_MARK.to_uppercase();
            let mark_width = text_width(&mark, 9.0, true);
            page.push(Op::Rect {
                x: (width - mark_width) / 2.0 - 8.0,
                y: 22.0,
                w: mark_width + 16.0,
                h: 16.0,
                fill: None,
                stroke: Some(RED),
            });
            page.push(Op::Text {
                x: (width - mark_width) / 2.0,
                y: 33.5,
                face: Face::Bold,
                size: 9.0,
                colour: RED,
                text: mark,
            });
        }
        page.push(Op::Line {
            x1: left,
            y1: footer_y - 12.0,
            x2: right,
            y2: footer_y - 12.0,
            colour: RULE,
            width: 0.5,
        });
        let customer = wrap(&report.customer, Face::Regular, SMALL, (right - left) * 0.6)
            .into_iter()
            .next()
            .unwrap_or_default();
        page.push(Op::Text {
            x: left,
            y: footer_y,
            face: Face::Regular,
            size: SMALL,
            colour: LIGHT_GREY,
            text: customer,
        });
        let number = format!("Page {} of {count}", index + 1);
        page.push(Op::Text {
            x: right - text_width(&number, SMALL, false),
            y: footer_y,
            face: Face::Regular,
            size: SMALL,
            colour: LIGHT_GREY,
            text: number,
        });
    }
}

fn fill_of(colour: Colour) -> Fill {
    Fill {
        paint: rgb::Color::new(colour.0, colour.1, colour.2).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

fn draw(surface: &mut Surface<'_>, op: &Op, regular: &Font, bold: &Font) {
    match op {
        Op::Text {
            x,
            y,
            face,
            size,
            colour,
            text,
        } => {
            surface.set_stroke(None);
            surface.set_fill(Some(fill_of(*colour)));
            let font = if *face == Face::Bold { bold } else { regular };
            surface.draw_text(
                Point::from_xy(*x, *y),
                font.clone(),
                *size,
                text,
                false,
                TextDirection::Auto,
            );
        }
        Op::Rect {
            x,
            y,
            w,
            h,
            fill,
            stroke,
        } => {
            let mut builder = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                builder.push_rect(rect);
            }
            if let Some(path) = builder.finish() {
                surface.set_fill(fill.map(fill_of));
                surface.set_stroke(stroke.map(|c| Stroke {
                    paint: rgb::Color::new(c.0, c.1, c.2).into(),
                    width: 0.6,
                    ..Stroke::default()
                }));
                surface.draw_path(&path);
            }
        }
        Op::Line {
            x1,
            y1,
            x2,
            y2,
            colour,
            width,
        } => {
            let mut builder = PathBuilder::new();
            builder.move_to(*x1, *y1);
            builder.line_to(*x2, *y2);
            if let Some(path) = builder.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: rgb::Color::new(colour.0, colour.1, colour.2).into(),
                    width: *width,
                    ..Stroke::default()
                }));
                surface.draw_path(&path);
            }
        }
        Op::Chart { x, y, w, h, tree } => {
            if let Some(size) = Size::from_wh(*w, *h) {
                surface.push_transform(&Transform::from_translate(*x, *y));
                surface.draw_svg(tree, size, SvgSettings::default());
                surface.pop();
            }
        }
    }
}

/// The report as a PDF file.
///
/// # Errors
/// When a chart cannot be read back (a defect) or the PDF cannot be written.
pub fn to_pdf(report: &PlanReport, options: &PdfOptions) -> Result<Vec<u8>, String> {
    let mut layout = Layout::new(options.paper);
    cover(&mut layout, report, options);
    body(&mut layout, report)?;
    furniture(&mut layout, report);

    let regular = Font::new(fonts::REGULAR.into(), 0).ok_or("the report's font cannot be read")?;
    let bold = Font::new(fonts::BOLD.into(), 0).ok_or("the report's bold font cannot be read")?;
    let mut document = Document::new();
    let mut metadata = Metadata::new()
        .title(format!(
            "{}: cloud options, cost and control{}",
            report.customer,
            if report.audience.is_internal() {
                " (internal)"
            } else {
                ""
            }
        ))
        .language("en".to_owned())
        .creator("Keyholder".to_owned());
    let manager = report.details.customer.account_manager.trim();
    if !manager.is_empty() {
        metadata = metadata.authors(vec![manager.to_owned()]);
    }
    document.set_metadata(metadata);
    let settings =
        PageSettings::from_wh(layout.width, layout.height).ok_or("the paper size is not valid")?;
    for ops in &layout.pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            draw(&mut surface, op, &regular, &bold);
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| format!("the PDF could not be written: {e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_follows_the_locale() {
        assert_eq!(Paper::for_locale("en_US.UTF-8"), Paper::Letter);
        assert_eq!(Paper::for_locale("en-CA"), Paper::Letter);
        assert_eq!(Paper::for_locale("es_MX"), Paper::Letter);
        assert_eq!(Paper::for_locale("en_GB.UTF-8"), Paper::A4);
        assert_eq!(Paper::for_locale("de_DE@euro"), Paper::A4);
        assert_eq!(Paper::for_locale("zh-Hans-CN"), Paper::A4);
        assert_eq!(Paper::for_locale("C"), Paper::A4);
        assert_eq!(Paper::for_locale(""), Paper::A4);
    }

    #[test]
    fn text_wraps_at_spaces_and_long_words_where_they_must() {
        let lines = wrap(
            "one two three",
            Face::Regular,
            10.0,
            text_width("one two", 10.0, false) + 0.1,
        );
        assert_eq!(lines, ["one two", "three"]);
        let long = wrap(
            "abcdefghij",
            Face::Regular,
            10.0,
            text_width("abcd", 10.0, false) + 0.1,
        );
        assert_eq!(long, ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", Face::Regular, 10.0, 100.0), [""]);
    }

    #[test]
    fn amounts_are_numeric_and_names_are_not() {
        assert!(is_numeric("1,388.34"));
        assert!(is_numeric("369,265.68 USD"));
        assert!(is_numeric("-"));
        assert!(is_numeric("-12.00 USD"));
        assert!(!is_numeric("Exchange 2007"));
        assert!(!is_numeric("2012-08 (month 29)"));
        assert!(!is_numeric(""));
    }
}
