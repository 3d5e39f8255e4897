//! The questions the app asks, as data. The modal view draws the open one and pushes the
//! answer as an [`Action`]; nothing else changes until it is answered.

use std::path::PathBuf;
use std::sync::Arc;

use crate::model::{FieldChange, PriceBook};
use crate::storage::backups::KeptVersion;

use super::action::Action;
use super::chart_export::{ChartExport, ReportExport};
use super::dialogs::DialogKind;
use super::recovery::Recovery;
use crate::import::ImportProgress;

#[derive(Debug, Clone)]
pub enum Modal {
    /// Save / Don't save / Cancel before `then`.
    UnsavedChanges {
        then: Box<Action>,
    },
    /// The file changed on disk since it was read.
    Conflict {
        path: PathBuf,
    },
    /// Unsaved work from a session that ended without saving.
    Recovery {
        file: PathBuf,
        recovery: Box<Recovery>,
    },
    /// No native dialog could be shown: type a path (`text` is the suggestion).
    PathPrompt {
        kind: DialogKind,
        text: String,
        error: Option<String>,
    },
    Error {
        title: String,
        message: String,
    },
    Shortcuts,
    About,
    /// A colleague's price book, with the rates that would change.
    PriceBookChanges {
        path: PathBuf,
        book: Box<PriceBook>,
        changes: Vec<FieldChange>,
        /// Why it may not be used (invalid values, another currency).
        problems: Vec<String>,
    },
    /// The user's name for plan history (edited in the dialog, saved on Save).
    Preferences {
        user_name: String,
    },
    /// The kept earlier versions of the open plan, newest first.
    Versions {
        original: PathBuf,
        versions: Vec<KeptVersion>,
    },
    /// The report export's choices: audience, format, paper. `opened` tells one showing of
    /// the dialog from the next (each starts from its own choices, the customer first).
    ExportReport {
        initial: ReportExport,
        opened: u64,
    },
    /// The chart export's choices: which chart, its size.
    ExportChart {
        initial: ChartExport,
        opened: u64,
    },
    /// An inventory import running in the background.
    Importing {
        path: PathBuf,
        progress: Arc<ImportProgress>,
    },
    /// Conflict copies merged into the plan: move them to the backups folder?
    MergedCopies {
        copies: Vec<PathBuf>,
        /// What was merged, one line per copy.
        summary: Vec<String>,
    },
}

impl Modal {
    /// Whether clicking outside or pressing Escape may close it (a question that must be
    /// answered, or a running import, may not).
    #[must_use]
    pub const fn dismissable(&self) -> bool {
        !matches!(self, Self::Recovery { .. } | Self::Importing { .. })
    }
}
