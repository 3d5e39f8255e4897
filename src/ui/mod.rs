//! The desktop app: thin `*_ui` functions over the state in [`crate::app`]. Widgets only
//! emit [`Edit`]s and [`Command`]s; [`KeyholderApp::execute`] runs commands in one place.

mod charts;
mod compare;
mod control_model;
mod frontier_worker;
mod menu;
mod modals;
mod price_book;
mod roadmap;
mod scenarios;
mod side_panel;
mod status_bar;
mod widgets;
mod workloads;

use std::path::{Path, PathBuf};

use egui::{Context, ViewportCommand};

use crate::app::{
    AppPaths, Command, DialogKind, DialogOutcome, Document, Edit, FileDialogs, Preferences, Scope,
    ThemeChoice,
};
use crate::model::{Evaluation, Issue, Plan, ScenarioTotals, YearMonth, validate};
use crate::storage;

pub use charts::{ChartsView, Question, TradeOffView, create_scenario, set_choice_by_click};
pub use compare::Comparison;
pub use frontier_worker::{FrontierState, FrontierWorker};
pub use modals::Modal;
pub use workloads::{SortColumn, WorkloadsView};

/// Seconds of quiet after an edit before unsaved work is written to the recovery file.
pub const RECOVERY_DELAY_S: f64 = 2.0;

/// The main views of the central panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Workloads,
    Scenarios,
    TradeOff,
    CashFlow,
    Roadmap,
    PriceBook,
    ControlModel,
    Compare,
}

impl Tab {
    pub const ALL: [Self; 8] = [
        Self::Workloads,
        Self::Scenarios,
        Self::TradeOff,
        Self::CashFlow,
        Self::Roadmap,
        Self::PriceBook,
        Self::ControlModel,
        Self::Compare,
    ];

    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Workloads => "Workloads",
            Self::Scenarios => "Scenarios",
            Self::TradeOff => "Trade-off",
            Self::CashFlow => "Cash flow",
            Self::Roadmap => "Roadmap",
            Self::PriceBook => "Price book",
            Self::ControlModel => "Control model",
            Self::Compare => "Compare",
        }
    }
}

/// How the app starts.
pub struct StartOptions {
    /// A plan given on the command line.
    pub plan: Option<PathBuf>,
    pub paths: AppPaths,
    pub dialogs: Box<dyn FileDialogs>,
}

/// What to do once the user has answered "Save / Don't save / Cancel".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterPrompt {
    Quit,
    NewPlan,
    Open,
    OpenPath(PathBuf),
    ImportInventory,
}

/// Figures derived from the plan, recomputed when its revision changes.
pub struct Derived {
    pub revision: u64,
    pub evaluation: Evaluation,
    pub totals: Vec<ScenarioTotals>,
    pub issues: Vec<Issue>,
}

impl Derived {
    fn new(plan: &Plan, revision: u64) -> Self {
        let evaluation = Evaluation::new(plan);
        let totals = evaluation.scenarios(plan);
        Self {
            revision,
            evaluation,
            totals,
            issues: validate(plan),
        }
    }
}

pub struct KeyholderApp {
    pub document: Document,
    pub derived: Derived,
    pub preferences: Preferences,
    pub paths: AppPaths,
    dialogs: Box<dyn FileDialogs>,
    pub tab: Tab,
    /// Index of the scenario the table shows choices for.
    pub active_scenario: usize,
    pub workloads_view: WorkloadsView,
    pub charts: ChartsView,
    /// A colleague's copy of the plan being compared with the open one.
    pub comparison: Option<Comparison>,
    /// Files beside the open plan that look like sync-client conflict copies of it.
    pub conflict_copies: Vec<PathBuf>,
    /// A short note recorded in the plan's history with the next save.
    pub next_save_note: String,
    /// The roadmap as last computed (it depends on the plan revision and scenario only).
    roadmap_cache: Option<(roadmap::RoadmapKey, std::sync::Arc<roadmap::RoadmapData>)>,
    /// The context of the last frame, for actions that finish after a modal (chart export).
    last_ctx: Option<Context>,
    pub modal: Option<Modal>,
    /// A chart export waiting for the next frame.
    screenshot_pending: Option<PathBuf>,
    /// The outcome of a chart export whose screenshot is on its way.
    chart_export: Option<std::sync::mpsc::Receiver<Result<PathBuf, String>>>,
    /// A one-line message for the status bar (e.g. "Saved", or why a save failed).
    pub status: Option<String>,
    edits: Vec<Edit>,
    commands: Vec<Command>,
    /// Paths to open once the current modal is answered (drag and drop, recent files).
    open_requests: Vec<PathBuf>,
    /// Revision last written to the recovery file.
    recovery_revision: Option<u64>,
    /// Counts the documents opened in this session, so figures computed for one plan are
    /// never taken for another's (revisions restart at 0 with every document).
    pub generation: u64,
    /// When the plan last changed (egui time), for the recovery debounce.
    last_change_time: f64,
    last_seen_revision: u64,
    close_confirmed: bool,
    window_title: String,
    /// The suggested file name when the plan has no file yet.
    suggested_name: String,
}

impl KeyholderApp {
    /// Builds the app for eframe (or a test harness).
    #[must_use]
    pub fn new(cc: &eframe::CreationContext<'_>, options: StartOptions) -> Self {
        let app = Self::new_headless(options);
        app.apply_theme(&cc.egui_ctx);
        app
    }

    /// The app without a window, for tests and benchmarks that drive `ui` directly.
    #[must_use]
    pub fn new_headless(options: StartOptions) -> Self {
        let (mut preferences, preference_warning) =
            Preferences::load(&options.paths.preferences_file());
        preferences.prune_recent();
        let fallback = || storage::sample_plan().unwrap_or_else(|_| empty_plan());
        let mut status = preference_warning;
        let mut modal = None;
        let mut suggested_name = storage::SAMPLE_PLAN.0.to_owned();
        let start_path = options
            .plan
            .clone()
            .or_else(|| preferences.recent_files.first().cloned());
        let document = match start_path {
            Some(path) => match crate::app::load_for_app(&path) {
                Ok((loaded, stamp, read_only)) => {
                    let mut document =
                        Document::new(loaded.plan, Some(absolute(&path)), Some(stamp));
                    document.read_only = read_only;
                    document.unknown_fields = loaded.unknown_fields;
                    preferences.add_recent(&absolute(&path));
                    document
                }
                Err(error) => {
                    modal = Some(Modal::Error {
                        title: "The plan could not be opened".to_owned(),
                        message: error.to_string(),
                    });
                    Document::new(fallback(), None, None)
                }
            },
            None => {
                status = Some("This is the bundled sample plan; Save as… keeps your changes in a file of your own.".to_owned());
                Document::new(fallback(), None, None)
            }
        };
        if let Some(path) = document.path() {
            suggested_name = path
                .file_name()
                .map_or(suggested_name, |n| n.to_string_lossy().into_owned());
        }
        let recoveries = crate::app::find_recoveries(&options.paths.recovery_dir());
        if modal.is_none()
            && let Some((file, recovery)) = recoveries.into_iter().next()
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
        let mut app = Self {
            document,
            derived,
            preferences,
            paths: options.paths,
            dialogs: options.dialogs,
            tab: Tab::Workloads,
            active_scenario: 0,
            workloads_view: WorkloadsView::default(),
            charts: ChartsView::default(),
            comparison: None,
            conflict_copies,
            next_save_note: String::new(),
            roadmap_cache: None,
            last_ctx: None,
            modal,
            chart_export: None,
            screenshot_pending: None,
            status,
            edits: Vec::new(),
            commands: Vec::new(),
            open_requests: Vec::new(),
            recovery_revision: None,
            generation: 0,
            last_change_time: 0.0,
            last_seen_revision: revision,
            close_confirmed: false,
            window_title: String::new(),
            suggested_name,
        };
        app.active_scenario = app.default_active_scenario();
        app.save_preferences();
        app
    }

    /// The first scenario that moves something, so the table shows a real choice.
    fn default_active_scenario(&self) -> usize {
        self.derived
            .totals
            .iter()
            .position(|t| t.moves > 0)
            .unwrap_or(0)
    }

    #[must_use]
    pub fn plan(&self) -> &Plan {
        self.document.plan()
    }

    /// Writes the workloads as a CSV that opens in Excel.
    pub fn export_workloads_csv(&mut self, path: &Path) {
        let text = crate::import::workloads_to_csv(self.plan());
        match storage::write_atomically(path, text.as_bytes()) {
            Ok(()) => self.status = Some(format!("Workloads written to {}.", path.display())),
            Err(error) => self.show_error(
                "The workloads were not exported",
                format!("{}: {error}", path.display()),
            ),
        }
    }

    /// Updates workloads by id from a CSV (one undoable edit); rejected rows are listed.
    pub fn import_workloads_csv(&mut self, path: &Path) {
        let text = match std::fs::read(path) {
            Ok(bytes) if bytes.len() as u64 <= storage::MAX_FILE_BYTES => {
                match String::from_utf8(bytes) {
                    Ok(text) => text,
                    // Guessing another encoding would put wrong letters into names and notes.
                    Err(_) => {
                        return self.show_error(
                        "The CSV was not read",
                        format!(
                            "{}: the file is not UTF-8 text. In Excel, save it as \"CSV UTF-8 (Comma delimited)\"; nothing was changed.",
                            path.display()
                        ),
                    );
                    }
                }
            }
            Ok(_) => {
                return self.show_error(
                    "The CSV was not read",
                    format!("{}: the file is too large", path.display()),
                );
            }
            Err(error) => {
                return self.show_error(
                    "The CSV was not read",
                    format!("{}: {error}", path.display()),
                );
            }
        };
        let update = match crate::import::apply_workloads_csv(self.plan(), &text) {
            Ok(update) => update,
            Err(message) => {
                return self.show_error(
                    "The CSV was not read",
                    format!("{}:{message}", path.display()),
                );
            }
        };
        let mut edits = Vec::new();
        for workload in &update.workloads {
            match self
                .plan()
                .workloads
                .iter()
                .position(|w| w.id == workload.id)
            {
                Some(index) if self.plan().workloads[index] != *workload => {
                    edits.push(Edit::Workload {
                        index,
                        workload: workload.clone(),
                    });
                }
                Some(_) => {}
                None => edits.push(Edit::InsertWorkload {
                    index: usize::MAX,
                    workload: workload.clone(),
                }),
            }
        }
        let summary = format!(
            "{} workload{} updated, {} added from {}",
            update.updated.len(),
            if update.updated.len() == 1 { "" } else { "s" },
            update.added.len(),
            path.display()
        );
        if !edits.is_empty() {
            self.edit(Edit::Batch(edits));
        }
        let mut rows: Vec<String> = update
            .rejected
            .iter()
            .map(|r| format!("line {}: {}", r.line, r.message))
            .collect();
        if !update.ignored_columns.is_empty() {
            rows.push(format!(
                "columns not recognised, so not used: {}",
                update.ignored_columns.join(", ")
            ));
        }
        if rows.is_empty() {
            self.status = Some(format!("{summary} (Ctrl+Z undoes it)."));
        } else {
            self.show_error(
                &format!("{summary}; some of the file was not used"),
                rows.join("\n"),
            );
        }
    }

    /// Saves the plan's price book as its own file.
    pub fn export_price_book(&mut self, path: &Path) {
        match storage::save_price_book(path, &self.plan().price_book) {
            Ok(()) => self.status = Some(format!("Price book saved to {}.", path.display())),
            Err(error) => self.show_error("The price book was not saved", error.to_string()),
        }
    }

    /// Shows which rates a colleague's price book would change, before using it.
    pub fn offer_price_book(&mut self, path: &Path) {
        match storage::load_price_book(path) {
            Ok(book) => {
                let changes = crate::model::price_book_changes(&self.plan().price_book, &book);
                let mut problems: Vec<String> = crate::model::validate_price_book(&book)
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                if book.currency.trim() != self.plan().price_book.currency.trim() {
                    // Known monthly costs in the plan are in its own currency.
                    problems.push(format!(
                        "its currency is {}, this plan's is {}: amounts would no longer compare",
                        book.currency,
                        self.plan().price_book.currency
                    ));
                }
                self.modal = Some(Modal::PriceBookChanges {
                    path: path.to_path_buf(),
                    book: Box::new(book),
                    changes,
                    problems,
                });
            }
            Err(error) => self.show_error("The price book could not be opened", error.to_string()),
        }
    }

    fn show_error(&mut self, title: &str, message: String) {
        self.modal = Some(Modal::Error {
            title: title.to_owned(),
            message,
        });
    }

    /// Opens a colleague's copy of the plan in the compare view.
    pub fn compare_with(&mut self, path: &Path) {
        match storage::load_plan(path) {
            Ok((loaded, _)) => {
                let key = (self.generation, self.document.revision());
                self.comparison = Some(Comparison::new(path, self.plan(), loaded.plan, key));
                self.tab = Tab::Compare;
            }
            Err(error) => {
                self.modal = Some(Modal::Error {
                    title: "The plan to compare could not be opened".to_owned(),
                    message: error.to_string(),
                });
            }
        }
    }

    /// Sets the name written into plan history (the OS user when left empty).
    pub fn set_user_name(&mut self, name: String) {
        self.preferences.user_name = if name.is_empty() {
            crate::app::default_user_name()
        } else {
            name
        };
        self.save_preferences();
        self.status = Some(format!(
            "Plans you save record \"{}\" in their history.",
            self.preferences.user_name
        ));
    }

    /// True once the user has agreed to close the window (nothing unsaved is left behind).
    #[must_use]
    pub const fn close_confirmed(&self) -> bool {
        self.close_confirmed
    }

    /// Queues a command; it runs at the end of the frame.
    pub fn request(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Queues an edit; it is applied at the end of the frame.
    pub fn edit(&mut self, edit: Edit) {
        self.edits.push(edit);
    }

    /// Opens a file (drag and drop, recent list), asking about unsaved changes first.
    pub fn request_open(&mut self, path: PathBuf) {
        self.open_requests.push(path);
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

    fn apply_theme(&self, ctx: &Context) {
        ctx.set_theme(match self.preferences.theme {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        });
    }

    fn save_preferences(&mut self) {
        if let Err(error) = self.preferences.save(&self.paths.preferences_file()) {
            self.status = Some(format!("Preferences could not be saved: {error}"));
        }
    }

    /// Runs one command. Dialogs and disk I/O happen here, never inside widget code.
    pub fn execute(&mut self, ctx: &Context, command: Command) {
        match command {
            Command::NewPlan => self.unless_unsaved(AfterPrompt::NewPlan, ctx),
            Command::Open => self.unless_unsaved(AfterPrompt::Open, ctx),
            Command::ImportInventory => self.unless_unsaved(AfterPrompt::ImportInventory, ctx),
            Command::Quit => self.unless_unsaved(AfterPrompt::Quit, ctx),
            Command::Save => {
                self.save(false);
            }
            Command::SaveAs => {
                self.save(true);
            }
            Command::ExportReport => self.export_report(),
            Command::ExportChart => self.export_chart(ctx),
            Command::ExportWorkloadsCsv => {
                let stem = self.suggested_name.trim_end_matches(".ron").to_owned();
                if let Some(path) = self.ask(
                    DialogKind::ExportWorkloadsCsv,
                    &format!("{stem}-workloads.csv"),
                ) {
                    self.export_workloads_csv(&path);
                }
            }
            Command::ImportWorkloadsCsv | Command::ImportPriceBook
                if self.document.read_only.is_some() =>
            {
                self.status =
                    Some("This plan is read-only: use Save as… to work on a copy.".to_owned());
            }
            Command::ImportWorkloadsCsv => {
                if let Some(path) = self.ask(DialogKind::OpenWorkloadsCsv, "") {
                    self.import_workloads_csv(&path);
                }
            }
            Command::ExportPriceBook => {
                let name = format!(
                    "{}.ron",
                    self.plan().price_book.name.replace(['/', '\\', ':'], "-")
                );
                if let Some(path) = self.ask(DialogKind::ExportPriceBook, &name) {
                    self.export_price_book(&path);
                }
            }
            Command::ImportPriceBook => {
                if let Some(path) = self.ask(DialogKind::OpenPriceBook, "") {
                    self.offer_price_book(&path);
                }
            }
            Command::CompareWith => {
                if let Some(path) = self.ask(DialogKind::OpenComparison, "") {
                    self.compare_with(&path);
                }
            }
            Command::Undo => {
                if self.document.can_undo() {
                    self.document.undo();
                }
            }
            Command::Redo => {
                if self.document.can_redo() {
                    self.document.redo();
                }
            }
            Command::AddWorkload | Command::DuplicateWorkload | Command::DeleteWorkload
                if self.document.read_only.is_some() =>
            {
                self.status =
                    Some("This plan is read-only: use Save as… to work on a copy.".to_owned());
            }
            Command::AddWorkload => {
                let plan = self.plan();
                let id = plan.unused_workload_id("new-workload");
                let workload =
                    crate::model::Workload::new(&id, "New workload", crate::model::Category::Other);
                let index = plan.workloads.len();
                self.document
                    .apply(Edit::InsertWorkload { index, workload }, now(ctx));
                self.workloads_view.select(index);
                self.tab = Tab::Workloads;
            }
            Command::DuplicateWorkload => {
                if let Some(index) = self
                    .workloads_view
                    .selected
                    .filter(|i| *i < self.plan().workloads.len())
                {
                    let mut copy = self.plan().workloads[index].clone();
                    copy.id = self.plan().unused_workload_id(&copy.id);
                    copy.name = format!("{} (copy)", copy.name);
                    self.document.apply(
                        Edit::InsertWorkload {
                            index: index + 1,
                            workload: copy,
                        },
                        now(ctx),
                    );
                    self.workloads_view.select(index + 1);
                }
            }
            Command::DeleteWorkload => {
                if let Some(index) = self
                    .workloads_view
                    .selected
                    .filter(|i| *i < self.plan().workloads.len())
                {
                    self.document
                        .apply(Edit::RemoveWorkload { index }, now(ctx));
                    let remaining = self.plan().workloads.len();
                    self.workloads_view.selected =
                        (remaining > 0).then(|| index.min(remaining - 1));
                }
            }
            Command::ToggleTheme => {
                self.preferences.theme = if ctx.theme() == egui::Theme::Dark {
                    ThemeChoice::Light
                } else {
                    ThemeChoice::Dark
                };
                self.apply_theme(ctx);
                self.save_preferences();
            }
            Command::ShowShortcuts => self.modal = Some(Modal::Shortcuts),
            Command::ShowAbout => self.modal = Some(Modal::About),
            Command::ShowPreferences => {
                self.modal = Some(Modal::Preferences {
                    user_name: self.preferences.user_name.clone(),
                });
            }
        }
    }

    /// Runs `after` now, or first asks Save / Don't save / Cancel when there are unsaved changes.
    fn unless_unsaved(&mut self, after: AfterPrompt, ctx: &Context) {
        if self.document.is_dirty() {
            self.modal = Some(Modal::UnsavedChanges { after });
        } else {
            self.continue_with(after, ctx);
        }
    }

    /// Carries out an action once unsaved changes are dealt with.
    pub fn continue_with(&mut self, after: AfterPrompt, ctx: &Context) {
        match after {
            AfterPrompt::Quit => {
                self.forget_recovery();
                self.close_confirmed = true;
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }
            AfterPrompt::NewPlan => {
                self.forget_recovery();
                let book = storage::default_price_book()
                    .unwrap_or_else(|_| self.plan().price_book.clone());
                let plan = Plan::new("New customer", this_month(), book);
                self.replace_document(Document::new(plan, None, None));
                self.suggested_name = "new-customer.ron".to_owned();
                self.status = Some("New plan with the 2010 price book.".to_owned());
            }
            AfterPrompt::Open => {
                if let Some(path) = self.ask(DialogKind::OpenPlan, "") {
                    self.open_path(&path);
                }
            }
            AfterPrompt::OpenPath(path) => self.open_path(&path),
            AfterPrompt::ImportInventory => {
                if let Some(path) = self.ask(DialogKind::OpenInventory, "") {
                    self.import_inventory(&path);
                }
            }
        }
    }

    /// Asks for a file through the dialogs; when none can be shown, the in-app path field
    /// takes over (and the action continues from there).
    fn ask(&mut self, kind: DialogKind, file_name: &str) -> Option<PathBuf> {
        let folder = self
            .preferences
            .last_folder
            .clone()
            .unwrap_or_else(|| self.paths.documents_dir.clone());
        match self.dialogs.ask(kind, Some(&folder), file_name) {
            DialogOutcome::Chosen(path) => Some(path),
            DialogOutcome::Cancelled => None,
            DialogOutcome::Unavailable => {
                let text = folder.join(file_name).to_string_lossy().into_owned();
                self.modal = Some(Modal::PathPrompt {
                    kind,
                    text,
                    error: None,
                });
                None
            }
        }
    }

    /// Called by the path prompt with what the user typed.
    pub fn path_chosen(&mut self, kind: DialogKind, path: PathBuf) {
        match kind {
            DialogKind::OpenPlan => self.open_path(&path),
            DialogKind::SavePlan => {
                self.save_to(&path, false);
            }
            DialogKind::OpenInventory => self.import_inventory(&path),
            DialogKind::ExportReport => self.write_report(&path),
            DialogKind::OpenComparison => self.compare_with(&path),
            DialogKind::ExportWorkloadsCsv => self.export_workloads_csv(&path),
            DialogKind::OpenWorkloadsCsv => self.import_workloads_csv(&path),
            DialogKind::ExportPriceBook => self.export_price_book(&path),
            DialogKind::OpenPriceBook => self.offer_price_book(&path),
            DialogKind::ExportChart => {
                let ctx = self.last_ctx.clone();
                if let Some(ctx) = ctx {
                    self.request_chart_screenshot(&ctx, path);
                }
            }
        }
    }

    fn replace_document(&mut self, document: Document) {
        self.generation += 1;
        self.charts.clicked = None;
        // What belonged to the previous plan goes with it.
        self.comparison = None;
        self.next_save_note.clear();
        self.conflict_copies = document
            .path()
            .map_or_else(Vec::new, storage::conflict_copies);
        self.document = document;
        self.document.take_changes();
        self.derived = Derived::new(self.document.plan(), self.document.revision());
        self.last_seen_revision = self.document.revision();
        self.recovery_revision = None;
        self.workloads_view = WorkloadsView::default();
        self.active_scenario = self.default_active_scenario();
    }

    /// Opens a plan file (unsaved changes already dealt with).
    pub fn open_path(&mut self, path: &Path) {
        match crate::app::load_for_app(path) {
            Ok((loaded, stamp, read_only)) => {
                let path = absolute(path);
                self.forget_recovery();
                let mut document = Document::new(loaded.plan, Some(path.clone()), Some(stamp));
                document.read_only = read_only.clone();
                document.unknown_fields = loaded.unknown_fields;
                let unknown = document.unknown_fields.len();
                self.replace_document(document);
                self.conflict_copies = storage::conflict_copies(&path);
                self.suggested_name = path
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                self.preferences.add_recent(&path);
                self.save_preferences();
                self.status = Some(match (read_only, unknown) {
                    (Some(why), _) => why,
                    (None, 0) => format!("Opened {}.", path.display()),
                    (None, n) => format!(
                        "Opened {}. {n} field{} this version does not know will not be kept on save (see the status bar).",
                        path.display(),
                        if n == 1 { "" } else { "s" }
                    ),
                });
            }
            Err(error) => {
                self.modal = Some(Modal::Error {
                    title: "The plan could not be opened".to_owned(),
                    message: error.to_string(),
                });
            }
        }
    }

    fn import_inventory(&mut self, path: &Path) {
        let text = match std::fs::read(path) {
            Ok(bytes) if bytes.len() as u64 <= storage::MAX_FILE_BYTES => {
                String::from_utf8_lossy(&bytes).into_owned()
            }
            Ok(_) => {
                self.modal = Some(Modal::Error {
                    title: "Import failed".to_owned(),
                    message: format!("{}: the file is too large", path.display()),
                });
                return;
            }
            Err(error) => {
                self.modal = Some(Modal::Error {
                    title: "Import failed".to_owned(),
                    message: format!("{}: {error}", path.display()),
                });
                return;
            }
        };
        let customer = path.file_stem().map_or_else(
            || "New customer".to_owned(),
            |s| s.to_string_lossy().into_owned(),
        );
        let book = storage::default_price_book().unwrap_or_else(|_| self.plan().price_book.clone());
        match crate::import::import_inventory(&text, &customer, this_month(), book) {
            Ok(outcome) => {
                self.forget_recovery();
                let count = outcome.plan.workloads.len();
                self.replace_document(Document::new(outcome.plan, None, None));
                // An imported plan has never been saved: mark it unsaved so nothing is lost.
                self.document = Document::recovered(self.document.plan().clone(), None, None);
                self.suggested_name = format!("{customer}.ron");
                let rejected: Vec<String> = outcome
                    .rejected
                    .iter()
                    .map(|r| format!("line {}: {}", r.line, r.message))
                    .collect();
                if rejected.is_empty() {
                    self.status = Some(format!(
                        "Imported {count} servers from {}. Check the guessed categories, then save.",
                        path.display()
                    ));
                } else {
                    self.modal = Some(Modal::Error {
                        title: format!(
                            "Imported {count} servers; {} rows were not imported",
                            rejected.len()
                        ),
                        message: rejected.join("\n"),
                    });
                }
            }
            Err(message) => {
                self.modal = Some(Modal::Error {
                    title: "Import failed".to_owned(),
                    message: format!("{}:{message}", path.display()),
                });
            }
        }
    }

    /// Save (or Save as). Returns whether the plan is now saved.
    pub fn save(&mut self, choose_path: bool) -> bool {
        let target = match (
            choose_path,
            self.document.path(),
            self.document.read_only.is_some(),
        ) {
            (false, Some(path), false) => Some(path.to_path_buf()),
            _ => {
                let name = self.suggested_name.clone();
                self.ask(DialogKind::SavePlan, &name)
            }
        };
        match target {
            Some(path) => self.save_to(&path, false),
            None => false,
        }
    }

    /// Writes the plan to `path`. Unless `overwrite` is set, a file changed by someone else
    /// since it was read is not overwritten: the conflict prompt opens instead.
    pub fn save_to(&mut self, path: &Path, overwrite: bool) -> bool {
        let path = absolute(path);
        let same_file = self.document.path() == Some(path.as_path());
        let unchanged_on_disk = || {
            let on_disk = storage::FileStamp::read(&path);
            matches!((&self.document.stamp, &on_disk), (Some(a), Some(b)) if a.len == b.len && a.hash == b.hash)
        };
        if same_file
            && !self.document.is_dirty()
            && self.document.read_only.is_none()
            && unchanged_on_disk()
        {
            // Saving an unchanged plan would only rewrite the same bytes (and a shared folder
            // would sync them again).
            self.status = Some(format!("{} is already saved.", path.display()));
            return true;
        }
        if self.document.read_only.is_some() && same_file {
            self.status = Some("This plan is read-only: use Save as… to keep a copy.".to_owned());
            return false;
        }
        if !overwrite {
            let on_disk = storage::FileStamp::read(&path);
            let expected = if same_file {
                self.document.stamp.as_ref()
            } else {
                None
            };
            // Another file chosen in Save as was confirmed in the dialog; a file deleted
            // meanwhile is simply written again.
            let changed = matches!((expected, &on_disk), (Some(expected), Some(now)) if expected.len != now.len || expected.hash != now.hash);
            if changed {
                self.modal = Some(Modal::Conflict { path });
                return false;
            }
        }
        if let Err(error) = crate::app::back_up_previous_version(&self.paths.backups_dir(), &path) {
            self.status = Some(format!(
                "The previous version could not be backed up ({error}); saving anyway."
            ));
        }
        let mut plan = self.plan().clone();
        if self.document.is_dirty() {
            plan.history.push(crate::model::HistoryEntry {
                saved_by: self.preferences.user_name.clone(),
                saved_at: humantime::format_rfc3339_seconds(std::time::SystemTime::now())
                    .to_string(),
                note: self.next_save_note.trim().to_owned(),
            });
        }
        match storage::save_plan(&path, &plan) {
            Ok(stamp) => {
                let old_path = self.document.path().map(Path::to_path_buf);
                crate::app::remove_recovery(&self.paths.recovery_dir(), old_path.as_deref());
                self.document.plan_mut_untracked().history = plan.history;
                self.document.mark_saved(path.clone(), stamp);
                self.recovery_revision = None;
                self.preferences.add_recent(&path);
                self.save_preferences();
                self.suggested_name = path
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                self.status = Some(format!("Saved {}.", path.display()));
                self.next_save_note.clear();
                true
            }
            Err(error) => {
                self.modal = Some(Modal::Error {
                    title: "The plan was not saved".to_owned(),
                    message: format!("{error}. Your changes are still open here."),
                });
                false
            }
        }
    }

    /// Replaces the open plan with the file on disk (after a colleague's change). The
    /// unsaved version is kept in the backups folder first.
    pub fn reload_from_disk(&mut self, path: &Path) {
        if self.document.is_dirty()
            && let Ok(dir) = crate::app::write_recovery(
                &self.paths.backups_dir().join("before-reload"),
                Some(path),
                self.document.stamp.as_ref(),
                self.plan(),
            )
        {
            self.status = Some(format!(
                "Your unsaved version is kept in {}.",
                dir.display()
            ));
        }
        self.open_path(path);
    }

    /// Saves the chart on screen as a PNG: asks where, then takes a screenshot of the
    /// window and keeps the chart's part of it (see [`save_chart_png`]).
    fn export_chart(&mut self, ctx: &Context) {
        if !matches!(self.tab, Tab::TradeOff | Tab::CashFlow) {
            self.tab = Tab::TradeOff;
            self.status = Some(
                "Showing the trade-off chart: choose File > Export > Chart… again to save it."
                    .to_owned(),
            );
            return;
        }
        let stem = self.suggested_name.trim_end_matches(".ron").to_owned();
        let name = format!(
            "{stem}-{}.png",
            if self.tab == Tab::CashFlow {
                "cash-flow"
            } else {
                "trade-off"
            }
        );
        if let Some(path) = self.ask(DialogKind::ExportChart, &name) {
            self.request_chart_screenshot(ctx, path);
        }
    }

    /// Asks for the screenshot at the start of the next frame, once the menu or dialog that
    /// asked for it is gone from the screen.
    fn request_chart_screenshot(&mut self, ctx: &Context, path: PathBuf) {
        self.screenshot_pending = Some(path);
        ctx.request_repaint();
    }

    fn take_chart_screenshot(&mut self, ctx: &Context, path: PathBuf) {
        let Some(rect) = self.charts.chart_rect else {
            self.status = Some("Open the trade-off or cash-flow chart first.".to_owned());
            return;
        };
        let pixels_per_point = ctx.pixels_per_point();
        let (sender, receiver) = std::sync::mpsc::channel();
        self.chart_export = Some(receiver);
        let repaint = ctx.clone();
        ctx.request_screenshot(move |image| {
            let _ = sender.send(save_chart_png(&image, rect, pixels_per_point, &path));
            repaint.request_repaint();
        });
    }

    /// Reports how the chart export went, once the screenshot has been written.
    fn receive_chart_export(&mut self) {
        let Some(receiver) = &self.chart_export else {
            return;
        };
        let Ok(result) = receiver.try_recv() else {
            return;
        };
        self.chart_export = None;
        match result {
            Ok(path) => self.status = Some(format!("Chart saved to {}.", path.display())),
            Err(message) => {
                self.modal = Some(Modal::Error {
                    title: "The chart was not saved".to_owned(),
                    message,
                });
            }
        }
    }

    fn export_report(&mut self) {
        let stem = self.suggested_name.trim_end_matches(".ron").to_owned();
        if let Some(path) = self.ask(DialogKind::ExportReport, &format!("{stem}-report.html")) {
            self.write_report(&path);
        }
    }

    fn write_report(&mut self, path: &Path) {
        let report = match crate::report::build(self.plan(), &self.derived.evaluation, None) {
            Ok(report) => report,
            Err(message) => {
                self.modal = Some(Modal::Error {
                    title: "The report was not written".to_owned(),
                    message,
                });
                return;
            }
        };
        let markdown = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"));
        let text = if markdown {
            crate::report::to_markdown(&report)
        } else {
            crate::report::to_html(&report)
        };
        let result = storage::write_atomically(path, text.as_bytes());
        match result {
            Ok(()) => self.status = Some(format!("Report written to {}.", path.display())),
            Err(error) => {
                self.modal = Some(Modal::Error {
                    title: "The report was not written".to_owned(),
                    message: format!("{}: {error}", path.display()),
                })
            }
        }
    }

    /// Removes this document's recovery file, if this session wrote or restored it (a
    /// recovery left by an earlier session stays until the user answers about it).
    fn forget_recovery(&mut self) {
        if self.recovery_revision.take().is_some() {
            crate::app::remove_recovery(&self.paths.recovery_dir(), self.document.path());
        }
    }

    /// Writes unsaved work to the recovery file once the plan has been quiet for a moment.
    fn keep_recovery(&mut self, ctx: &Context) {
        if self.close_confirmed {
            return;
        }
        let revision = self.document.revision();
        let time = now(ctx);
        if revision != self.last_seen_revision {
            self.last_seen_revision = revision;
            self.last_change_time = time;
        }
        if !self.document.is_dirty() {
            if self.recovery_revision.is_some() {
                self.forget_recovery();
            }
            return;
        }
        if self.recovery_revision == Some(revision) {
            return;
        }
        let waited = time - self.last_change_time;
        if waited >= RECOVERY_DELAY_S {
            match crate::app::write_recovery(
                &self.paths.recovery_dir(),
                self.document.path(),
                self.document.stamp.as_ref(),
                self.plan(),
            ) {
                Ok(_) => self.recovery_revision = Some(revision),
                Err(error) => {
                    self.status = Some(format!(
                        "Unsaved work could not be written to the recovery folder: {error}"
                    ));
                    self.recovery_revision = Some(revision);
                }
            }
        } else {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(
                RECOVERY_DELAY_S - waited + 0.05,
            ));
        }
    }

    /// Restores a recovery file offered at start.
    pub fn restore(&mut self, file: &Path, recovery: crate::app::Recovery) {
        // The file as it was when the plan was read, so a colleague's save since then is
        // caught before the restored plan overwrites it.
        let stamp = recovery
            .original_stamp
            .map(|(len, hash)| storage::FileStamp {
                len,
                modified: None,
                hash,
            });
        let original = recovery.original_path.clone();
        self.replace_document(Document::recovered(recovery.plan, original.clone(), stamp));
        if let Some(path) = &original {
            self.suggested_name = path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        }
        // This session now owns the recovery file: it goes once the plan is saved or dropped.
        // (A recovery of an unsaved plan keeps its own name until then.)
        if original.is_none()
            || file == crate::app::recovery_file(&self.paths.recovery_dir(), original.as_deref())
        {
            self.recovery_revision = Some(u64::MAX);
        }
        self.status = Some("Unsaved work restored. Save it to keep it.".to_owned());
    }

    fn handle_input(&mut self, ctx: &Context) {
        if ctx.input(|i| i.viewport().close_requested()) && !self.close_confirmed {
            if self.document.is_dirty() {
                ctx.send_viewport_cmd(ViewportCommand::CancelClose);
                self.modal = Some(Modal::UnsavedChanges {
                    after: AfterPrompt::Quit,
                });
            } else {
                self.forget_recovery();
            }
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        self.open_requests.extend(dropped);
        if self.modal.is_some() {
            return;
        }
        let typing = ctx.egui_wants_keyboard_input();
        // egui matches Ctrl+Z also when Shift is held: try the shortcuts with more modifiers first.
        let mut commands = Command::ALL;
        commands.sort_by_key(|c| {
            std::cmp::Reverse(c.shortcut().map_or(0, |s| s.modifiers.shift as u8))
        });
        for command in commands {
            if typing && !command.works_while_typing() {
                continue;
            }
            let pressed = command
                .shortcut()
                .into_iter()
                .chain(command.alternative_shortcut())
                .any(|shortcut| ctx.input_mut(|i| i.consume_shortcut(&shortcut)));
            if pressed {
                self.commands.push(command);
            }
        }
    }

    fn refresh(&mut self, ctx: &Context) {
        if let Some(rect) = ctx.input(|i| i.viewport().inner_rect) {
            let size = [rect.width().round(), rect.height().round()];
            if self.preferences.window_size != Some(size) && size[0] > 100.0 && size[1] > 100.0 {
                self.preferences.window_size = Some(size);
            }
        }
        let changes = self.document.take_changes();
        if self.derived.revision != self.document.revision() {
            let plan = self.document.plan();
            match changes {
                Some(Scope::Text) => self.derived.issues = validate(plan),
                Some(Scope::Workload(index)) => {
                    self.derived.evaluation.update_workload(plan, index);
                    self.derived.totals = self.derived.evaluation.scenarios(plan);
                    self.derived.issues = validate(plan);
                }
                Some(Scope::Scenarios) => {
                    self.derived.totals = self.derived.evaluation.scenarios(plan);
                    self.derived.issues = validate(plan);
                }
                Some(Scope::Everything) | None => {
                    self.derived = Derived::new(plan, self.document.revision())
                }
            }
            self.derived.revision = self.document.revision();
        }
        self.active_scenario = self
            .active_scenario
            .min(self.plan().scenarios.len().saturating_sub(1));
        let key = (self.generation, self.document.revision());
        if let Some(comparison) = &mut self.comparison {
            comparison.refresh(self.document.plan(), key);
        }

        let title = self.title();
        if title != self.window_title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.window_title = title;
        }
    }
}

impl eframe::App for KeyholderApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        if !self.document.is_dirty() {
            self.forget_recovery();
        }
        self.save_preferences();
    }
}

impl KeyholderApp {
    /// One frame of the whole app (eframe calls this; so do the frame-time benchmarks).
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if self.last_ctx.is_none() {
            self.last_ctx = Some(ctx.clone());
        }
        if let Some(path) = self.screenshot_pending.take() {
            self.take_chart_screenshot(&ctx, path);
        }
        self.handle_input(&ctx);

        egui::Panel::top("menu_bar").show(ui, |ui| menu::menu_bar_ui(ui, self));
        egui::Panel::bottom("status_bar").show(ui, |ui| status_bar::status_bar_ui(ui, self));
        egui::Panel::left("plan_panel")
            .resizable(true)
            .default_size(255.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| side_panel::side_panel_ui(ui, self));
            });
        egui::CentralPanel::default_margins().show(ui, |ui| {
            ui.horizontal(|ui| {
                for tab in Tab::ALL {
                    ui.selectable_value(&mut self.tab, tab, tab.label());
                }
            });
            ui.separator();
            match self.tab {
                Tab::Workloads => workloads::workloads_tab_ui(ui, self),
                Tab::Scenarios => scenarios::scenarios_ui(ui, self),
                Tab::TradeOff => charts::trade_off_ui(ui, self),
                Tab::CashFlow => charts::cash_flow_ui(ui, self),
                Tab::Roadmap => roadmap::roadmap_ui(ui, self),
                Tab::Compare => compare::compare_ui(ui, self),
                Tab::PriceBook => price_book::price_book_ui(ui, self),
                Tab::ControlModel => control_model::control_model_ui(ui, self),
            }
        });
        modals::modal_ui(&ctx, self);

        let time = now(&ctx);
        if self.document.read_only.is_some() && !self.edits.is_empty() {
            self.edits.clear();
            self.status =
                Some("This plan is read-only: use Save as… to work on a copy.".to_owned());
        }
        if !self.edits.is_empty() || !self.commands.is_empty() {
            // What they change shows in the next frame, which must not wait for more input.
            ctx.request_repaint();
        }
        for edit in std::mem::take(&mut self.edits) {
            self.document.apply(edit, time);
        }
        for command in std::mem::take(&mut self.commands) {
            self.execute(&ctx, command);
        }
        if self.modal.is_none()
            && let Some(path) = self.open_requests.pop()
        {
            self.open_requests.clear();
            self.unless_unsaved(AfterPrompt::OpenPath(path), &ctx);
        }
        self.receive_chart_export();
        self.refresh(&ctx);
        self.keep_recovery(&ctx);
    }
}

/// Crops a window screenshot to the chart's rectangle and writes it as a PNG file.
///
/// # Errors
/// A message when the chart lies outside the image or the file cannot be written.
pub fn save_chart_png(
    image: &egui::ColorImage,
    rect: egui::Rect,
    pixels_per_point: f32,
    path: &Path,
) -> Result<PathBuf, String> {
    let [width, height] = image.size;
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "pixel coordinates"
    )]
    let to_pixels =
        |v: f32, limit: usize| ((v * pixels_per_point).round().max(0.0) as usize).min(limit);
    let (x0, y0) = (to_pixels(rect.min.x, width), to_pixels(rect.min.y, height));
    let (x1, y1) = (to_pixels(rect.max.x, width), to_pixels(rect.max.y, height));
    if x1 <= x0 || y1 <= y0 {
        return Err("the chart is not on screen".to_owned());
    }
    let chart = image.region_by_pixels([x0, y0], [x1 - x0, y1 - y0]);
    let bytes = encode_png(&chart)?;
    storage::write_atomically(path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path.to_path_buf())
}

/// PNG bytes of an image.
///
/// # Errors
/// When the encoder fails (it does not for valid images).
pub fn encode_png(image: &egui::ColorImage) -> Result<Vec<u8>, String> {
    let [width, height] = image.size;
    let pixels: Vec<u8> = image.pixels.iter().flat_map(|p| p.to_array()).collect();
    let mut bytes = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut bytes),
        &pixels,
        u32::try_from(width).map_err(|e| e.to_string())?,
        u32::try_from(height).map_err(|e| e.to_string())?,
        image::ExtendedColorType::Rgba8,
    )
    .map_err(|e| e.to_string())?;
    Ok(bytes)
}

fn now(ctx: &Context) -> f64 {
    ctx.input(|i| i.time)
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The current month, for new plans.
#[must_use]
pub fn this_month() -> YearMonth {
    let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    YearMonth::parse(now.get(..7).unwrap_or("2010-02")).unwrap_or_default()
}

fn empty_plan() -> Plan {
    let book = storage::default_price_book().unwrap_or_default();
    Plan::new("New customer", this_month(), book)
}

/// Starts the desktop app (the binary's default command).
///
/// # Errors
/// When no window can be created (no display, no graphics driver).
pub fn run_native(plan: Option<PathBuf>) -> Result<(), String> {
    let paths =
        AppPaths::from_system().ok_or("no home folder was found for Keyholder's preferences")?;
    let (preferences, _) = Preferences::load(&paths.preferences_file());
    let size = preferences.window_size.unwrap_or([1440.0, 900.0]);
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Keyholder")
            .with_app_id("keyholder")
            .with_inner_size(size)
            .with_min_inner_size([760.0, 480.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "Keyholder",
        options,
        Box::new(move |cc| {
            let dialogs = Box::new(crate::app::NativeDialogs);
            Ok(Box::new(KeyholderApp::new(
                cc,
                StartOptions {
                    plan,
                    paths,
                    dialogs,
                },
            )))
        }),
    )
    .map_err(|e| format!("the window could not be opened: {e}"))
}
