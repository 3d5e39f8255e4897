//! File ▸ Export ▸ Report…, Report as PDF…, Chart… and Copy chart. The report is written for
//! the audience chosen in the export dialog (customer by default); the chart is the report's
//! own drawing of the chart on screen (the cash flow from its tab, the trade-off from any
//! other), at a slide's size on a light background, whatever the app's theme.

use std::path::Path;

use crate::report::{self, Audience, ChartKind, ChartSize, Paper};
use crate::storage;

use super::{DialogKind, KeyholderApp, Modal, Tab};

/// A report file's format, as the export dialog offers it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum ReportFileFormat {
    /// A self-contained page that prints cleanly.
    #[default]
    Html,
    Markdown,
    Pdf,
}

impl ReportFileFormat {
    pub const ALL: [Self; 3] = [Self::Pdf, Self::Html, Self::Markdown];

    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Html => "HTML page",
            Self::Markdown => "Markdown",
            Self::Pdf => "PDF",
        }
    }

    #[must_use]
    pub const fn extension(self) -> &'static str {
        match self {
            Self::Html => "html",
            Self::Markdown => "md",
            Self::Pdf => "pdf",
        }
    }

    /// The format a file name asks for, if its extension names one.
    #[must_use]
    pub fn of_path(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "html" | "htm" => Some(Self::Html),
            "md" | "markdown" => Some(Self::Markdown),
            "pdf" => Some(Self::Pdf),
            _ => None,
        }
    }
}

/// What the report export dialog chose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ReportExport {
    pub format: ReportFileFormat,
    pub audience: Audience,
    pub paper: Paper,
}

/// What the chart export dialog chose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ChartExport {
    pub kind: ChartKind,
    pub size: ChartSize,
}

/// A chart file's format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum ChartFileFormat {
    #[default]
    Png,
    Svg,
}

impl ChartFileFormat {
    #[must_use]
    pub const fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Svg => "svg",
        }
    }
}

/// The chart of a tab: the cash flow on its own tab, the trade-off everywhere else.
#[must_use]
pub const fn chart_of_tab(tab: Tab) -> ChartKind {
    match tab {
        Tab::CashFlow => ChartKind::CashFlow,
        _ => ChartKind::TradeOff,
    }
}

/// The exports asked for and waiting for their file dialog.
#[derive(Debug, Default)]
pub(super) struct Exports {
    pub report: ReportExport,
    pub chart: (ChartExport, ChartFileFormat),
    /// How many export dialogs have been opened.
    pub opened: u64,
}

impl KeyholderApp {
    /// Opens the report export dialog with `format` chosen, the customer audience and the
    /// preferred paper.
    pub(super) fn ask_report_export(&mut self, format: ReportFileFormat) {
        self.exports.opened += 1;
        self.state.modal = Some(Modal::ExportReport {
            initial: ReportExport {
                format,
                audience: Audience::Customer,
                paper: self
                    .state
                    .preferences
                    .paper
                    .unwrap_or_else(Paper::from_system),
            },
            opened: self.exports.opened,
        });
    }

    /// Asks where to write the report the dialog chose, then writes it.
    pub(super) fn export_report(&mut self, choice: ReportExport) {
        if self.state.preferences.paper != Some(choice.paper)
            && choice.format == ReportFileFormat::Pdf
        {
            self.state.preferences.paper = Some(choice.paper);
            self.save_preferences();
        }
        self.exports.report = choice;
        let internal = if choice.audience.is_internal() {
            "-internal"
        } else {
            ""
        };
        let name = format!(
            "{}{internal}-report.{}",
            self.stem(),
            choice.format.extension()
        );
        if let Some(path) = self.ask(DialogKind::ExportReport, &name) {
            self.write_report(&path);
        }
    }

    /// Writes the report chosen last to `path`, in the format its extension names (or the
    /// format chosen).
    pub(super) fn write_report(&mut self, path: &Path) {
        let choice = self.exports.report;
        let format = ReportFileFormat::of_path(path).unwrap_or(choice.format);
        let built = match report::build_with(
            self.state.plan(),
            &self.state.derived.evaluation,
            &report::ReportOptions {
                focus: None,
                audience: choice.audience,
                charts: matches!(format, ReportFileFormat::Html | ReportFileFormat::Pdf),
            },
        ) {
            Ok(built) => built,
            Err(message) => return self.show_error("The report was not written", message),
        };
        let bytes = match format {
            ReportFileFormat::Html => Ok(report::to_html(&built).into_bytes()),
            ReportFileFormat::Markdown => Ok(report::to_markdown(&built).into_bytes()),
            ReportFileFormat::Pdf => report::to_pdf(
                &built,
                &report::PdfOptions {
                    paper: choice.paper,
                    prepared_on: crate::clock::local_date_text(crate::clock::now()),
                },
            ),
        };
        let written = bytes
            .and_then(|bytes| storage::write_atomically(path, &bytes).map_err(|e| e.to_string()));
        match written {
            Ok(_) => {
                self.state.status = Some(format!(
                    "{} report written to {}.",
                    choice.audience.label(),
                    path.display()
                ));
            }
            Err(message) => self.show_error("The report was not written", message),
        }
    }

    /// Opens the chart export dialog for the chart of the tab on screen.
    pub(super) fn ask_chart_export(&mut self) {
        let (last, _) = self.exports.chart;
        self.exports.opened += 1;
        self.state.modal = Some(Modal::ExportChart {
            initial: ChartExport {
                kind: chart_of_tab(self.state.tab),
                size: last.size,
            },
            opened: self.exports.opened,
        });
    }

    /// Asks where to save the chart the dialog chose, then writes it.
    pub(super) fn export_chart(&mut self, choice: ChartExport, format: ChartFileFormat) {
        self.exports.chart = (choice, format);
        let name = format!(
            "{}-{}.{}",
            self.stem(),
            choice.kind.file_stem(),
            format.extension()
        );
        if let Some(path) = self.ask(DialogKind::ExportChart, &name) {
            self.write_chart(&path);
        }
    }

    /// Writes the chart chosen last to `path`: SVG for a `.svg` name, PNG otherwise.
    pub(super) fn write_chart(&mut self, path: &Path) {
        let (choice, chosen_format) = self.exports.chart;
        let format = match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("svg") => ChartFileFormat::Svg,
            Some(e) if e.eq_ignore_ascii_case("png") => ChartFileFormat::Png,
            _ => chosen_format,
        };
        let written = report::build(self.state.plan(), &self.state.derived.evaluation, None)
            .and_then(|built| match format {
                ChartFileFormat::Svg => {
                    Ok(report::chart_svg(&built, choice.kind, choice.size).into_bytes())
                }
                ChartFileFormat::Png => report::chart_png(&built, choice.kind, choice.size),
            })
            .and_then(|bytes| storage::write_atomically(path, &bytes).map_err(|e| e.to_string()));
        match written {
            Ok(_) => {
                self.state.status = Some(format!(
                    "Chart saved to {} ({} pixels).",
                    path.display(),
                    choice.size
                ));
            }
            Err(message) => self.show_error("The chart was not saved", message),
        }
    }

    /// Puts the chart of the tab on screen on the clipboard, as a picture of the last size
    /// chosen (a slide's, at first).
    pub(super) fn copy_chart(&mut self, ctx: &egui::Context, choice: Option<ChartExport>) {
        let choice = choice.unwrap_or_else(|| ChartExport {
            kind: chart_of_tab(self.state.tab),
            size: self.exports.chart.0.size,
        });
        let pixels = report::build(self.state.plan(), &self.state.derived.evaluation, None)
            .and_then(|built| report::chart_rgba(&built, choice.kind, choice.size));
        match pixels {
            Ok(pixels) => {
                let size = [
                    choice.size.width_px as usize,
                    choice.size.height_px as usize,
                ];
                ctx.copy_image(egui::ColorImage::from_rgba_unmultiplied(size, &pixels));
                self.state.status = Some(format!(
                    "{} chart copied to the clipboard ({} pixels).",
                    match choice.kind {
                        ChartKind::TradeOff => "Trade-off",
                        ChartKind::CashFlow => "Cash-flow",
                    },
                    choice.size
                ));
            }
            Err(message) => self.show_error("The chart was not copied", message),
        }
    }
}
