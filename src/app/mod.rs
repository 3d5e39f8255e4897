//! The desktop app's controller: its state, the intent queue and everything the app does, with
//! no drawing (that is `src/ui`, which only reads this state and pushes [`Action`]s). Laid
//! out like rerun's viewer app:
//!
//! - this file: [`KeyholderApp`], what it holds, and its start-up;
//! - [`logic`]: one frame's logic (input and shortcuts, the queue, derived figures, recovery
//!   writes, background results), run by eframe's `App::logic` even while the window is hidden;
//! - [`command_handling`]: what each [`Action`] and [`Command`] does, prompts and dialogs;
//! - [`files`]: open, save, import, export, compare, reload, restore;
//! - [`chart_export`] (the report and chart exports), [`recovery`], [`derived`], [`frontier_worker`], [`import_job`]: the
//!   parts with a job of their own; [`portfolio`]: the book of business of a folder; [`document`], [`edit`], [`merge`]: the plan and its undo.

mod action;
mod background;
mod chart_export;
mod command;
mod command_handling;
mod comparison;
mod derived;
mod dialogs;
mod document;
mod edit;
mod files;
mod frontier_worker;
mod import_job;
mod logic;
mod merge;
mod modal;
mod paths;
mod portfolio;
mod preferences;
mod recovery;
mod view_state;

use std::path::{Path, PathBuf};

pub use action::{Action, Actions};
pub use background::Background;
pub use chart_export::{
    ChartExport, ChartFileFormat, ReportExport, ReportFileFormat, chart_of_tab,
};
pub use command::Command;
pub use comparison::{CommonVersion, Comparison};
pub use derived::Derived;
pub use dialogs::{DialogKind, DialogOutcome, FileDialogs, NativeDialogs};
pub use document::Document;
pub use edit::{Edit, Scope};
pub use frontier_worker::{FrontierKey, FrontierState, FrontierWorker};

/// What the terms view's plans are computed for: the document, the metric and the control
/// level (in hundredths of a point).
pub type TermsKey = (u64, u64, crate::model::CostMetric, i64);

/// What the exact answer to "most control within a cost" is computed for: the document, the
/// metric and the cost bound in cents.
pub type AnswerKey = (u64, u64, crate::model::CostMetric, crate::model::Cents);
pub use merge::{Take, all_takes, edit_to, take_all_edit, take_edit};
pub use modal::Modal;
pub use paths::AppPaths;
pub use portfolio::{
    BookChart, CONTROL_BANDS, CurrencyChart, PORTFOLIO_QUIET_S, PortfolioColumn, PortfolioData,
    PortfolioRow, PortfolioSection, PortfolioState, PortfolioView, ProblemKind, RowFilter,
    RowStatus,
};
pub use preferences::{MAX_RECENT, Preferences, ThemeChoice, default_user_name};
pub use recovery::{
    Recovery, find_recoveries, load_for_app, recovery_file, remove_recovery, write_recovery,
};
pub use view_state::{
    ChartAnswer, ChartsView, Chosen, HoverRow, Question, RoadmapData, RoadmapView, RowFigures,
    SortColumn, Tab, TradeOffView, ViewStates, WorkloadChart, WorkloadsView, control_f64,
};

use crate::clock::Stopwatch;
use crate::model::Plan;
use crate::storage;

/// Seconds of quiet after an edit before unsaved work is written to the recovery file.
pub const RECOVERY_DELAY_S: f64 = 2.0;

/// How the app starts.
pub struct StartOptions {
    /// A plan given on the command line, or a folder of plans to open as the portfolio.
    pub plan: Option<PathBuf>,
    pub paths: AppPaths,
    pub dialogs: Box<dyn FileDialogs>,
    /// The app's sense of elapsed time (tests move a manual one).
    pub stopwatch: Stopwatch,
}

impl StartOptions {
    #[must_use]
    pub fn new(plan: Option<PathBuf>, paths: AppPaths, dialogs: Box<dyn FileDialogs>) -> Self {
        Self {
            plan,
            paths,
            dialogs,
            stopwatch: Stopwatch::system(),
        }
    }
}

/// The workloads selected in the table: the one the editor shows, and every selected one
/// (for changes to many at once).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub current: Option<usize>,
    /// Sorted, without repeats; contains `current`.
    pub all: Vec<usize>,
}

impl Selection {
    /// Only `index`.
    #[must_use]
    pub fn one(index: usize) -> Self {
        Self {
            current: Some(index),
            all: vec![index],
        }
    }

    #[must_use]
    pub fn contains(&self, index: usize) -> bool {
        self.all.binary_search(&index).is_ok()
    }
}

/// Everything the views draw. They see it by shared reference only; it changes through
/// [`Action`]s that [`KeyholderApp::handle`] runs.
pub struct AppState {
    pub document: Document,
    pub derived: Derived,
    pub preferences: Preferences,
    pub paths: AppPaths,
    pub tab: Tab,
    /// Index of the scenario the table shows choices for.
    pub active_scenario: usize,
    pub selection: Selection,
    /// A colleague's copy of the plan being compared with the open one.
    pub comparison: Option<Comparison>,
    /// The content id of the open plan's version last read from or written to its file (kept
    /// in the data folder): the newest version a colleague's copy can share with it.
    pub opened_version: Option<crate::model::ContentId>,
    /// Files beside the open plan that look like sync-client conflict copies of it.
    pub conflict_copies: Vec<PathBuf>,
    /// A short note recorded in the plan's history with the next save.
    pub next_save_note: String,
    /// The question the app is asking, if any.
    pub modal: Option<Modal>,
    /// A one-line message for the status bar (e.g. "Saved", or why a save failed).
    pub status: Option<String>,
    /// Counts the documents opened in this session, so figures computed for one plan are
    /// never taken for another's (revisions restart at 0 with every document).
    pub generation: u64,
    /// The trade-off frontier, computed in the background.
    pub frontier: FrontierWorker,
    /// The terms view's plans (the cheapest under each term policy), in the background.
    pub term_policies: Background<TermsKey, Vec<crate::model::charts::TermPolicyPoint>>,
    /// The exact answer to "most control within a cost" (the frontier's points are 0.01
    /// control points apart, so the best plan within a cost may lie between two of them).
    pub exact_answer: Background<AnswerKey, Option<crate::model::Answer>>,
    /// The book of business: every plan of a folder, read and watched in the background.
    pub portfolio: PortfolioState,
    /// True once the user has agreed to close the window (nothing unsaved is left behind).
    pub close_confirmed: bool,
    /// The suggested file name when the plan has no file yet.
    pub suggested_name: String,
}

impl AppState {
    #[must_use]
    pub const fn plan(&self) -> &Plan {
        self.document.plan()
    }

    /// The open document's generation and revision: what every cached figure is keyed by.
    #[must_use]
    pub const fn document_key(&self) -> (u64, u64) {
        (self.generation, self.document.revision())
    }

    /// Why the plan may not be edited, if it may not.
    #[must_use]
    pub fn read_only(&self) -> Option<&str> {
        self.document.read_only.as_deref()
    }

    /// The window title: file name, an unsaved marker, read-only.
    #[must_use]
    pub fn title(&self) -> String {
        let name = if self.document.path().is_some() {
            self.document.title()
        } else {
            format!("{} (not saved)", self.suggested_name)
        };
        format!(
            "{}{}{} - Keyholder",
            if self.document.is_dirty() { "• " } else { "" },
            name,
            if self.document.read_only.is_some() {
                " (read-only)"
            } else {
                ""
            }
        )
    }
}

/// Whether this session wrote (or restored) the open document's recovery file, and for
/// which revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RecoveryFile {
    /// None of this session's: a recovery left by an earlier session stays until answered.
    NotOurs,
    /// This session restored it; it goes once the plan is saved or dropped.
    Restored,
    /// This session wrote it for this revision.
    Written(u64),
}

/// The app: its state, the views' own state, the intent queue, and the machinery behind them.
pub struct KeyholderApp {
    pub state: AppState,
    pub views: ViewStates,
    /// Intents pushed by the views this frame; [`Self::logic`] runs them next frame.
    pub actions: Actions,
    /// Actions that wait for the open question to be answered (a file dropped meanwhile).
    waiting: Vec<Action>,
    dialogs: Box<dyn FileDialogs>,
    stopwatch: Stopwatch,
    recovery: RecoveryFile,
    /// When the plan last changed (stopwatch seconds), for the recovery debounce.
    last_change_s: f64,
    last_seen_revision: u64,
    /// The document revision whose unsaved changes the user agreed to drop ("Don't save").
    discard_agreed: Option<(u64, u64)>,
    import: Option<import_job::ImportJob>,
    exports: chart_export::Exports,
    window_title: String,
}

impl KeyholderApp {
    /// Builds the app for eframe (or a test harness).
    #[must_use]
    pub fn new(cc: &eframe::CreationContext<'_>, options: StartOptions) -> Self {
        let app = Self::new_headless(options);
        app.apply_theme(&cc.egui_ctx);
        app
    }

    /// The app without a window, for tests and benchmarks that drive it directly.
    #[must_use]
    pub fn new_headless(options: StartOptions) -> Self {
        let (mut preferences, preference_warning) =
            Preferences::load(&options.paths.preferences_file());
        preferences.prune_recent();
        let mut status = preference_warning;
        let mut modal = None;
        // A folder on the command line is a portfolio, opened once the app runs; the plan is
        // then the last one, as at a start without arguments.
        let (given_plan, portfolio) = match options.plan.clone() {
            Some(path) if path.is_dir() => (None, Some(path)),
            other => (other, None),
        };
        let start_path = given_plan.or_else(|| preferences.recent_files.first().cloned());
        let document = if let Some(path) = start_path {
            match files::document_from_file(&path) {
                Ok(document) => {
                    preferences.add_recent(&files::absolute(&path));
                    if let Some(why) = &document.read_only {
                        status = Some(why.clone());
                    }
                    document
                }
                Err(error) => {
                    modal = Some(Modal::Error {
                        title: "The plan could not be opened".to_owned(),
                        message: error.to_string(),
                    });
                    Document::new(files::sample_or_empty_plan(), None, None)
                }
            }
        } else {
            status = Some("This is the bundled sample plan; Save as… keeps your changes in a file of your own.".to_owned());
            Document::new(files::sample_or_empty_plan(), None, None)
        };
        let suggested_name = document.path().and_then(Path::file_name).map_or_else(
            || storage::SAMPLE_PLAN.0.to_owned(),
            |n| n.to_string_lossy().into_owned(),
        );
        if modal.is_none()
            && let Some((file, recovery)) = find_recoveries(&options.paths.recovery_dir())
                .into_iter()
                .next()
        {
            modal = Some(Modal::Recovery {
                file,
                recovery: Box::new(recovery),
            });
        }
        let conflict_copies = document
            .path()
            .map_or_else(Vec::new, storage::conflict_copies);
        let derived = Derived::new(document.plan(), document.revision());
        let revision = document.revision();
        let active_scenario = default_active_scenario(&derived);
        let mut app = Self {
            state: AppState {
                document,
                derived,
                preferences,
                paths: options.paths,
                tab: Tab::Workloads,
                active_scenario,
                selection: Selection::default(),
                comparison: None,
                opened_version: None,
                conflict_copies,
                next_save_note: String::new(),
                modal,
                status,
                generation: 0,
                frontier: FrontierWorker::default(),
                term_policies: Background::default(),
                exact_answer: Background::default(),
                portfolio: PortfolioState::default(),
                close_confirmed: false,
                suggested_name,
            },
            views: ViewStates::default(),
            actions: Actions::default(),
            waiting: Vec::new(),
            dialogs: options.dialogs,
            stopwatch: options.stopwatch,
            recovery: RecoveryFile::NotOurs,
            last_change_s: 0.0,
            last_seen_revision: revision,
            discard_agreed: None,
            import: None,
            exports: chart_export::Exports::default(),
            window_title: String::new(),
        };
        app.keep_opened_version();
        app.save_preferences();
        if let Some(folder) = portfolio {
            app.actions.push(Action::OpenPortfolio(folder));
        }
        app
    }

    #[must_use]
    pub const fn plan(&self) -> &Plan {
        self.state.plan()
    }

    /// The window title: file name, an unsaved marker, read-only.
    #[must_use]
    pub fn title(&self) -> String {
        self.state.title()
    }

    /// Queues an action, as a view does; it runs at the start of the next frame.
    pub fn push(&mut self, action: Action) {
        self.actions.push(action);
    }

    /// Saves the preferences when the window closes; unsaved work stays in its recovery file.
    pub fn on_exit(&mut self) {
        if !self.state.document.is_dirty() {
            self.forget_recovery();
        }
        self.save_preferences();
    }

    fn apply_theme(&self, ctx: &egui::Context) {
        ctx.set_theme(match self.state.preferences.theme {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        });
    }

    fn save_preferences(&mut self) {
        if let Err(error) = self
            .state
            .preferences
            .save(&self.state.paths.preferences_file())
        {
            self.state.status = Some(format!("Preferences could not be saved: {error}"));
        }
    }

    /// Replaces the open document (unsaved changes already dealt with). Everything that
    /// belonged to the previous plan goes with it.
    fn replace_document(&mut self, document: Document) {
        self.forget_recovery();
        self.state.generation += 1;
        self.views.charts.clicked = None;
        self.state.comparison = None;
        self.state.next_save_note.clear();
        self.state.conflict_copies = document
            .path()
            .map_or_else(Vec::new, storage::conflict_copies);
        self.state.suggested_name = document.path().and_then(Path::file_name).map_or_else(
            || self.state.suggested_name.clone(),
            |n| n.to_string_lossy().into_owned(),
        );
        self.state.document = document;
        self.state.document.take_changes();
        self.state.derived = Derived::new(self.state.plan(), self.state.document.revision());
        self.last_seen_revision = self.state.document.revision();
        self.recovery = RecoveryFile::NotOurs;
        self.discard_agreed = None;
        self.state.selection = Selection::default();
        self.views.workloads = WorkloadsView::default();
        self.state.active_scenario = default_active_scenario(&self.state.derived);
        self.keep_opened_version();
    }

    /// Removes this document's recovery file, if this session wrote or restored it (a
    /// recovery left by an earlier session stays until the user answers about it).
    fn forget_recovery(&mut self) {
        if self.recovery != RecoveryFile::NotOurs {
            remove_recovery(&self.state.paths.recovery_dir(), self.state.document.path());
            self.recovery = RecoveryFile::NotOurs;
        }
    }

    fn show_error(&mut self, title: &str, message: String) {
        self.state.modal = Some(Modal::Error {
            title: title.to_owned(),
            message,
        });
    }
}

/// The first scenario that moves something, so the table shows a real choice.
fn default_active_scenario(derived: &Derived) -> usize {
    derived.totals.iter().position(|t| t.moves > 0).unwrap_or(0)
}
