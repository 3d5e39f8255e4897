//! Native file dialogs behind a small trait, so tests inject answers and never open one.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogOutcome {
    Chosen(PathBuf),
    Cancelled,
    /// No native dialog could be shown (no portal, no zenity): ask in the app instead.
    Unavailable,
}

/// What the user is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogKind {
    OpenPlan,
    SavePlan,
    OpenInventory,
    ExportReport,
    ExportChart,
    OpenComparison,
    ExportWorkloadsCsv,
    OpenWorkloadsCsv,
    ExportPriceBook,
    OpenPriceBook,
    /// A folder of plans.
    OpenPortfolio,
}

impl DialogKind {
    #[must_use]
    pub const fn title(self) -> &'static str {
        match self {
            Self::OpenPlan => "Open plan",
            Self::SavePlan => "Save plan as",
            Self::OpenInventory => "Import inventory",
            Self::ExportReport => "Export report",
            Self::ExportChart => "Export chart",
            Self::OpenComparison => "Compare with",
            Self::ExportWorkloadsCsv => "Export workloads as CSV",
            Self::OpenWorkloadsCsv => "Update workloads from CSV",
            Self::ExportPriceBook => "Save the price book",
            Self::OpenPriceBook => "Load a price book",
            Self::OpenPortfolio => "Open portfolio folder",
        }
    }

    #[must_use]
    pub const fn saves(self) -> bool {
        matches!(
            self,
            Self::SavePlan
                | Self::ExportReport
                | Self::ExportChart
                | Self::ExportWorkloadsCsv
                | Self::ExportPriceBook
        )
    }
}

pub trait FileDialogs {
    /// Asks for a file; `folder` is where to start, `file_name` the suggestion when saving.
    fn ask(&mut self, kind: DialogKind, folder: Option<&Path>, file_name: &str) -> DialogOutcome;
}

/// rfd's native dialogs. A dialog that returns "nothing" faster than a person could click
/// Cancel was never shown: that is reported as unavailable.
#[derive(Debug, Default)]
pub struct NativeDialogs;

impl FileDialogs for NativeDialogs {
    fn ask(&mut self, kind: DialogKind, folder: Option<&Path>, file_name: &str) -> DialogOutcome {
        let mut dialog = rfd::FileDialog::new().set_title(kind.title());
        if let Some(folder) = folder {
            dialog = dialog.set_directory(folder);
        }
        dialog = match kind {
            DialogKind::OpenInventory => dialog.add_filter("Azure Migrate CSV", &["csv"]),
            DialogKind::ExportReport => dialog
                .add_filter("PDF", &["pdf"])
                .add_filter("HTML page", &["html"])
                .add_filter("Markdown", &["md"]),
            DialogKind::ExportChart => dialog
                .add_filter("PNG image", &["png"])
                .add_filter("SVG drawing", &["svg"]),
            DialogKind::ExportWorkloadsCsv | DialogKind::OpenWorkloadsCsv => {
                dialog.add_filter("CSV (Excel)", &["csv"])
            }
            DialogKind::ExportPriceBook | DialogKind::OpenPriceBook => {
                dialog.add_filter("Keyholder price book", &["ron"])
            }
            _ => dialog.add_filter("Keyholder plan", &["ron"]),
        };
        let started = Instant::now();
        let chosen = if kind == DialogKind::OpenPortfolio {
            dialog.pick_folder()
        } else if kind.saves() {
            dialog.set_file_name(file_name).save_file()
        } else {
            dialog.pick_file()
        };
        match chosen {
            Some(path) => DialogOutcome::Chosen(path),
            None if started.elapsed() < Duration::from_millis(150) => DialogOutcome::Unavailable,
            None => DialogOutcome::Cancelled,
        }
    }
}
