//! The one intent queue (rerun's `SystemCommand`): views and shortcuts push an [`Action`];
//! the app runs the queue in one place, at the start of the next frame
//! ([`super::KeyholderApp::logic`]). No view changes app state or touches a file itself.

use std::path::PathBuf;

use crate::model::{ChangeKey, Offer, Part, PriceBook, Side, YearMonth};

use super::chart_export::{ChartExport, ChartFileFormat, ReportExport};
use super::command::Command;
use super::dialogs::DialogKind;
use super::edit::Edit;
use super::merge::Take;
use super::view_state::Tab;

/// Something the user asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A menu item, button or shortcut.
    Command(Command),
    /// A change to the plan (undoable).
    Edit(Edit),
    /// Open a plan file (drag and drop, recent files), asking about unsaved changes first.
    OpenPath(PathBuf),
    /// Compare the open plan with a colleague's copy.
    CompareWith(PathBuf),
    /// Stop comparing.
    CloseComparison,
    /// Take one of a colleague's changes, or all of them, into the open plan.
    Take(Take),
    TakeAll,
    SelectScenario(usize),
    /// Select workloads: `current` is the one the editor shows, `all` every selected one.
    SelectWorkloads {
        current: Option<usize>,
        all: Vec<usize>,
    },
    ShowTab(Tab),
    /// Choose an offer (destination, term, Hybrid Benefit) for a workload in the active
    /// scenario (a click on the chart), keeping its move month.
    ChooseOffer {
        workload: usize,
        offer: Offer,
    },
    /// Add an optimizer's plan (a frontier point, the exact answer, a term policy's plan) as
    /// a scenario named `name` (made unique).
    CreateScenarioFromPlan {
        offers: Vec<Offer>,
        name: String,
    },
    /// Set the users of every selected workload at once.
    SetUsers {
        workloads: Vec<usize>,
        users: u32,
    },
    /// The note recorded in the plan's history with the next save.
    SetSaveNote(String),
    /// A short message for the status bar (e.g. why a value was refused).
    Notice(String),

    // Answers to the app's questions (each closes the question it answers).
    /// Close the open question without doing anything.
    CloseModal,
    /// Save, then do `then` (Save / Don't save / Cancel).
    SaveThen(Box<Action>),
    /// Drop the unsaved changes, then do `then`.
    DiscardThen(Box<Action>),
    /// Open the colleague's version on disk; the user's is kept as a file of its own.
    Reload(PathBuf),
    /// Save over a colleague's change (theirs is kept as a backup).
    Overwrite(PathBuf),
    /// Restore the unsaved work of a session that ended without saving.
    RestoreRecovery(PathBuf),
    /// Delete the unsaved work of such a session.
    DiscardRecovery(PathBuf),
    /// Open a kept earlier version of the plan (it replaces the open one, unsaved).
    RestoreVersion(PathBuf),
    /// A path typed where no file dialog could be shown.
    PathChosen(DialogKind, PathBuf),
    /// The name written into plan history (the OS user when empty).
    SetUserName(String),
    /// Use a colleague's price book in the plan.
    UsePriceBook(Box<PriceBook>),
    /// Stop a running inventory import.
    CancelImport,
    /// Write the report the export dialog chose (asks where).
    ExportReport(ReportExport),
    /// Save the chart the export dialog chose (asks where).
    ExportChart(ChartExport, ChartFileFormat),
    /// Put the chart on the clipboard (the chart of the tab on screen when `None`).
    CopyChart(Option<ChartExport>),

    // The three-way merge in the compare view.
    /// Pick the side a conflict takes (`None`: not decided).
    PickSide {
        key: ChangeKey,
        side: Option<Side>,
    },
    /// Pick the same side for every conflict.
    PickAllConflicts(Side),
    /// Take their one-sided changes to one part (its own undo step).
    TakePart(Part),
    /// Take every one-sided change of theirs, leaving the conflicts to decide (one undo step).
    TakeAllTheirs,
    /// Apply the whole merge, with the sides picked for its conflicts (one undo step).
    ApplyMerge,
    /// Merge every sync-client conflict copy of the open plan into it, three-way.
    MergeConflictCopies,
    /// Move merged conflict copies to the backups folder.
    MoveCopiesToBackups(Vec<PathBuf>),

    // The book of business.
    /// Open a folder of plans as the portfolio (recent portfolios, the path prompt).
    OpenPortfolio(PathBuf),
    /// Open one customer's plan from the portfolio, asking about unsaved changes first.
    OpenPortfolioPlan(PathBuf),
    /// Read every plan of the portfolio again now.
    RereadPortfolio,
    /// The month from which each customer's next move is counted.
    SetPortfolioAsOf(YearMonth),
    ClosePortfolio,
}

impl Action {
    /// Actions that replace or leave the open plan wait while a question is open (a file
    /// dropped on the window is opened once the question is answered).
    #[must_use]
    pub const fn waits_for_open_question(&self) -> bool {
        matches!(self, Self::OpenPath(_) | Self::OpenPortfolioPlan(_))
    }
}

/// The queue views push to.
#[derive(Debug, Default)]
pub struct Actions(Vec<Action>);

impl Actions {
    pub fn push(&mut self, action: Action) {
        self.0.push(action);
    }

    /// Pushes the answer to the open question: it is closed, then `action` runs.
    pub fn answer(&mut self, action: Action) {
        self.0.push(Action::CloseModal);
        if action != Action::CloseModal {
            self.0.push(action);
        }
    }

    pub fn command(&mut self, command: Command) {
        self.push(Action::Command(command));
    }

    pub fn edit(&mut self, edit: Edit) {
        self.push(Action::Edit(edit));
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Everything queued so far, in order, leaving the queue empty.
    pub fn take(&mut self) -> Vec<Action> {
        std::mem::take(&mut self.0)
    }

    /// The queued actions, oldest first (tests).
    #[must_use]
    pub fn pending(&self) -> &[Action] {
        &self.0
    }
}
