//! The book of business in the app: a portfolio folder read on a background thread (with a
//! progress bar, never blocking the window), watched for colleagues' saves (`notify`), and
//! read again, only the plans that changed, once the folder has been quiet for a moment.
//! Also the view's own state: sort, filter, section, and the rows and chart points prepared
//! once per read.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Duration;

use egui_plot::PlotPoint;
use notify::Watcher as _;
use rust_decimal::prelude::ToPrimitive;

use crate::model::YearMonth;
use crate::model::portfolio::{CustomerFigures, Rollup};
use crate::report::portfolio::{Portfolio, Progress};

use super::{KeyholderApp, Tab};

pub use crate::report::portfolio::{PortfolioRow, ProblemKind, RowStatus};

/// Seconds the folder must be quiet after a change before it is read again: a sync client
/// writes a file in several steps, and a save renames a temporary file into place.
pub const PORTFOLIO_QUIET_S: f64 = 0.5;

/// A complete read of the folder and its roll-ups, computed off the UI thread.
pub struct PortfolioData {
    pub portfolio: Portfolio,
    pub rollups: Vec<Rollup>,
    /// The rows with figures, as indices into `portfolio.rows`: the roll-ups' customer
    /// indices point into this.
    pub with_figures: Vec<usize>,
}

impl PortfolioData {
    fn new(portfolio: Portfolio) -> Self {
        let rollups = portfolio.rollups();
        let with_figures = portfolio
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.figures.is_some())
            .map(|(i, _)| i)
            .collect();
        Self {
            portfolio,
            rollups,
            with_figures,
        }
    }

    /// How many rows need attention (a file problem or conflict copies).
    #[must_use]
    pub fn needing_attention(&self) -> usize {
        self.portfolio
            .rows
            .iter()
            .filter(|r| r.status() != RowStatus::Ok)
            .count()
    }
}

/// A read running on its own thread.
struct Job {
    progress: Arc<Progress>,
    receiver: Receiver<Result<PortfolioData, String>>,
}

impl Job {
    fn start(
        folder: PathBuf,
        as_of: YearMonth,
        previous: Option<Arc<PortfolioData>>,
        repaint: egui::Context,
    ) -> Self {
        let progress = Arc::new(Progress::default());
        let (sender, receiver) = channel();
        let thread_progress = Arc::clone(&progress);
        let work = move || {
            let read = match previous.as_deref() {
                Some(data) if data.portfolio.as_of == as_of && data.portfolio.folder == folder => {
                    data.portfolio.reread(&thread_progress)
                }
                _ => Portfolio::read(&folder, as_of, &thread_progress),
            };
            let _ = sender.send(read.map(PortfolioData::new));
            repaint.request_repaint();
        };
        if let Err(error) = std::thread::Builder::new()
            .name("portfolio".to_owned())
            .spawn(work)
        {
            let (sender, failed) = channel();
            let _ = sender.send(Err(format!("the folder could not be read: {error}")));
            return Self {
                progress,
                receiver: failed,
            };
        }
        Self { progress, receiver }
    }
}

impl Drop for Job {
    fn drop(&mut self) {
        // A read nobody waits for any more stops early.
        self.progress
            .cancel
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// The folder's watcher: each change to a plan (or a folder) under it arrives as a message.
struct FolderWatcher {
    _watcher: notify::RecommendedWatcher,
    changes: Receiver<()>,
}

/// Whether a change in the folder may concern a plan: a `.ron` file, or a folder (renamed
/// or removed with plans in it). Reads are not changes (the app's own reads must not
/// trigger another), and neither are temporary files of a save in progress.
fn concerns_plans(event: &notify::Event) -> bool {
    if matches!(event.kind, notify::EventKind::Access(_)) {
        return false;
    }
    event.paths.iter().any(|path| match path.extension() {
        Some(extension) => extension.eq_ignore_ascii_case("ron"),
        None => true,
    })
}

impl FolderWatcher {
    fn start(folder: &Path, repaint: egui::Context) -> Result<Self, String> {
        let (sender, changes) = channel();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                // An error from the watcher (an overflow of its queue) may hide a change.
                if event.as_ref().map_or(true, concerns_plans) {
                    let _ = sender.send(());
                    repaint.request_repaint();
                }
            })
            .map_err(|e| e.to_string())?;
        watcher
            .watch(folder, notify::RecursiveMode::Recursive)
            .map_err(|e| e.to_string())?;
        Ok(Self {
            _watcher: watcher,
            changes,
        })
    }

    /// Whether anything changed since the last call.
    fn changed(&self) -> bool {
        let mut changed = false;
        loop {
            match self.changes.try_recv() {
                Ok(()) => changed = true,
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => return changed,
            }
        }
    }
}

/// The open portfolio, if any: its latest read, the read in progress, the watcher.
#[derive(Default)]
pub struct PortfolioState {
    folder: Option<PathBuf>,
    /// "This month" for the rows' next moves.
    as_of: Option<YearMonth>,
    /// The latest complete read.
    data: Option<Arc<PortfolioData>>,
    /// Counts the reads shown, so that what a view prepared from one is rebuilt for the next.
    revision: u64,
    /// The read the status bar last told about.
    announced: u64,
    /// Why the latest read failed (the folder is gone, say); the previous read stays shown.
    error: Option<String>,
    /// Why the folder is not watched, if it is not.
    watch_problem: Option<String>,
    job: Option<Job>,
    watcher: Option<FolderWatcher>,
    /// When (stopwatch seconds) the folder last changed, while a read is due.
    changed_at_s: Option<f64>,
}

impl PortfolioState {
    #[must_use]
    pub fn folder(&self) -> Option<&Path> {
        self.folder.as_deref()
    }

    #[must_use]
    pub fn is_open(&self) -> bool {
        self.folder.is_some()
    }

    #[must_use]
    pub fn as_of(&self) -> Option<YearMonth> {
        self.as_of
    }

    #[must_use]
    pub fn data(&self) -> Option<&Arc<PortfolioData>> {
        self.data.as_ref()
    }

    #[must_use]
    pub const fn revision(&self) -> u64 {
        self.revision
    }

    #[must_use]
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    #[must_use]
    pub fn watch_problem(&self) -> Option<&str> {
        self.watch_problem.as_deref()
    }

    /// The progress of the read in progress, if one is.
    #[must_use]
    pub fn reading(&self) -> Option<&Progress> {
        self.job.as_ref().map(|j| j.progress.as_ref())
    }

    /// Blocks until the read in progress ends, and takes its result (tests and benchmarks).
    pub fn wait(&mut self) {
        if let Some(job) = self.job.take() {
            let result = job.receiver.recv();
            self.take_result(result.unwrap_or_else(|_| Err("the read stopped".to_owned())));
        }
    }

    fn take_result(&mut self, result: Result<PortfolioData, String>) {
        match result {
            Ok(data) => {
                self.data = Some(Arc::new(data));
                self.error = None;
                self.revision += 1;
            }
            Err(error) => self.error = Some(error),
        }
    }

    fn start_read(&mut self, ctx: &egui::Context, fresh: bool) {
        let (Some(folder), Some(as_of)) = (self.folder.clone(), self.as_of) else {
            return;
        };
        let previous = if fresh { None } else { self.data.clone() };
        self.job = Some(Job::start(folder, as_of, previous, ctx.clone()));
        ctx.request_repaint_after(Duration::from_millis(100));
    }

    /// Background results, and a read once the folder has been quiet after a change.
    fn poll(&mut self, ctx: &egui::Context, now_s: f64) {
        if let Some(job) = &self.job {
            match job.receiver.try_recv() {
                Ok(result) => {
                    self.job = None;
                    self.take_result(result);
                }
                Err(TryRecvError::Disconnected) => {
                    self.job = None;
                    self.error = Some("the read stopped unexpectedly".to_owned());
                }
                // The progress bar moves while the read runs.
                Err(TryRecvError::Empty) => ctx.request_repaint_after(Duration::from_millis(100)),
            }
        }
        if self.watcher.as_ref().is_some_and(FolderWatcher::changed) {
            self.changed_at_s = Some(now_s);
        }
        let Some(changed_at_s) = self.changed_at_s else {
            return;
        };
        let quiet_s = now_s - changed_at_s;
        if quiet_s < PORTFOLIO_QUIET_S {
            ctx.request_repaint_after(Duration::from_secs_f64(PORTFOLIO_QUIET_S - quiet_s + 0.05));
        } else if self.job.is_none() {
            // A change during a read waits for it to end, then reads again.
            self.changed_at_s = None;
            self.start_read(ctx, false);
        }
    }
}

impl KeyholderApp {
    /// Opens `folder` as the portfolio: reads it in the background, watches it, shows it.
    pub(super) fn open_portfolio(&mut self, ctx: &egui::Context, folder: &Path) {
        if !folder.is_dir() {
            self.state.preferences.forget_recent_portfolio(folder);
            self.show_error(
                "The portfolio could not be opened",
                format!(
                    "{}: not a folder that can be read (a portfolio is a folder of plans).",
                    folder.display()
                ),
            );
            return;
        }
        let folder = super::files::absolute(folder);
        let portfolio = &mut self.state.portfolio;
        *portfolio = PortfolioState {
            folder: Some(folder.clone()),
            as_of: Some(crate::clock::this_month()),
            revision: portfolio.revision,
            announced: portfolio.revision,
            ..PortfolioState::default()
        };
        match FolderWatcher::start(&folder, ctx.clone()) {
            Ok(watcher) => portfolio.watcher = Some(watcher),
            Err(error) => {
                portfolio.watch_problem = Some(format!(
                    "Changes are not picked up by themselves ({error}); use Read again."
                ));
            }
        }
        portfolio.start_read(ctx, true);
        self.views.portfolio = PortfolioView::default();
        self.state.preferences.add_recent_portfolio(&folder);
        self.save_preferences();
        self.state.tab = Tab::Portfolio;
        self.state.status = Some(format!("Reading the plans in {}…", folder.display()));
    }

    /// Stops showing and watching the portfolio.
    pub(super) fn close_portfolio(&mut self) {
        let revision = self.state.portfolio.revision;
        self.state.portfolio = PortfolioState {
            revision,
            ..PortfolioState::default()
        };
        if self.state.tab == Tab::Portfolio {
            self.state.tab = Tab::Workloads;
        }
    }

    /// Reads the whole folder again now (every plan, not only the changed ones).
    pub(super) fn reread_portfolio(&mut self, ctx: &egui::Context) {
        self.state.portfolio.changed_at_s = None;
        self.state.portfolio.start_read(ctx, true);
    }

    /// Sets "this month" for the rows' next moves, and reads the folder for it.
    pub(super) fn set_portfolio_as_of(&mut self, ctx: &egui::Context, as_of: YearMonth) {
        if self.state.portfolio.as_of != Some(as_of) && self.state.portfolio.is_open() {
            self.state.portfolio.as_of = Some(as_of);
            self.state.portfolio.start_read(ctx, true);
        }
    }

    /// Opens a customer's plan from the portfolio (unsaved changes already dealt with).
    pub(super) fn open_portfolio_plan(&mut self, path: &Path) {
        let generation = self.state.generation;
        self.open_path(path);
        if self.state.generation != generation {
            self.state.tab = Tab::Workloads;
        }
    }

    pub(super) fn poll_portfolio(&mut self, ctx: &egui::Context) {
        let now_s = self.stopwatch.seconds();
        let portfolio = &mut self.state.portfolio;
        portfolio.poll(ctx, now_s);
        if portfolio.revision != portfolio.announced
            && let Some(data) = &portfolio.data
        {
            portfolio.announced = portfolio.revision;
            let problems = data.needing_attention();
            self.state.status = Some(format!(
                "{} plans in {}{}.",
                data.portfolio.rows.len(),
                data.portfolio.folder.display(),
                match problems {
                    0 => String::new(),
                    1 => "; 1 needs attention".to_owned(),
                    n => format!("; {n} need attention"),
                }
            ));
        }
    }
}

/// The sections of the portfolio view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortfolioSection {
    Customers,
    AccountManagers,
    Chart,
    Quarters,
}

impl PortfolioSection {
    pub const ALL: [Self; 4] = [
        Self::Customers,
        Self::AccountManagers,
        Self::Chart,
        Self::Quarters,
    ];

    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Customers => "Customers",
            Self::AccountManagers => "Account managers",
            Self::Chart => "Customer and MSP",
            Self::Quarters => "Project load by quarter",
        }
    }
}

/// Which rows the customer table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowFilter {
    All,
    /// Customers whose next move falls in this calendar quarter: whom to talk to now.
    MovingThisQuarter,
    /// Files with a problem or conflict copies.
    NeedsAttention,
}

impl RowFilter {
    pub const ALL: [Self; 3] = [Self::All, Self::MovingThisQuarter, Self::NeedsAttention];

    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::All => "All customers",
            Self::MovingThisQuarter => "Moving this quarter",
            Self::NeedsAttention => "Needs attention",
        }
    }
}

/// What the customer table can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PortfolioColumn {
    Customer,
    AccountManager,
    LastSaved,
    Workloads,
    RunRate,
    Scenario,
    Saving,
    SavingPerMonth,
    ControlKept,
    MarginNow,
    MarginAfter,
    MarginChange,
    BreakEven,
    NextMove,
    Status,
    File,
}

/// What the rows were prepared for: read, filter text, filter, sort.
type RowsKey = (u64, String, RowFilter, PortfolioColumn, bool);

/// The portfolio view's own state.
pub struct PortfolioView {
    pub section: PortfolioSection,
    pub filter: String,
    pub show: RowFilter,
    pub sort: PortfolioColumn,
    pub ascending: bool,
    /// The selected row (an index into the portfolio's rows).
    pub selected: Option<usize>,
    /// The text of the "next moves from" field.
    pub as_of_text: Option<String>,
    /// The currency the chart shows, when the book has several.
    pub chart_currency: Option<String>,
    rows: Vec<usize>,
    key: Option<RowsKey>,
    chart: Option<(u64, Arc<BookChart>)>,
}

impl Default for PortfolioView {
    fn default() -> Self {
        Self {
            section: PortfolioSection::Customers,
            filter: String::new(),
            show: RowFilter::All,
            sort: PortfolioColumn::Customer,
            ascending: true,
            selected: None,
            as_of_text: None,
            chart_currency: None,
            rows: Vec::new(),
            key: None,
            chart: None,
        }
    }
}

fn sort_key_cents(
    row: &PortfolioRow,
    f: impl Fn(&crate::model::portfolio::CustomerFigures) -> i64,
) -> Option<i64> {
    row.figures.as_ref().map(f)
}

impl PortfolioView {
    /// The rows in display order (indices into the portfolio's rows).
    #[must_use]
    pub fn rows(&self) -> &[usize] {
        &self.rows
    }

    /// Prepares the rows for `data` (read `revision`), unless they already are.
    pub fn refresh(&mut self, revision: u64, data: &PortfolioData) {
        let key = (
            revision,
            self.filter.clone(),
            self.show,
            self.sort,
            self.ascending,
        );
        if self.key.as_ref() == Some(&key) {
            return;
        }
        let portfolio = &data.portfolio;
        let needle = self.filter.trim().to_lowercase();
        let mut rows: Vec<usize> = portfolio
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| match self.show {
                RowFilter::All => true,
                RowFilter::MovingThisQuarter => r
                    .figures
                    .as_ref()
                    .is_some_and(|f| f.moves_in_quarter_of(portfolio.as_of)),
                RowFilter::NeedsAttention => r.status() != RowStatus::Ok,
            })
            .filter(|(_, r)| {
                needle.is_empty()
                    || r.customer.to_lowercase().contains(&needle)
                    || r.account_manager.to_lowercase().contains(&needle)
                    || r.relative.to_lowercase().contains(&needle)
            })
            .map(|(i, _)| i)
            .collect();
        let all = &portfolio.rows;
        let lower = |s: &str| s.to_lowercase();
        match self.sort {
            PortfolioColumn::Customer => rows.sort_by_cached_key(|&i| lower(&all[i].customer)),
            PortfolioColumn::AccountManager => {
                rows.sort_by_cached_key(|&i| lower(&all[i].account_manager));
            }
            PortfolioColumn::LastSaved => rows.sort_by_cached_key(|&i| {
                all[i]
                    .figures
                    .as_ref()
                    .and_then(|f| f.last_saved_at.clone())
            }),
            PortfolioColumn::Workloads => {
                rows.sort_by_key(|&i| all[i].figures.as_ref().map(|f| f.workloads));
            }
            PortfolioColumn::RunRate => {
                rows.sort_by_key(|&i| sort_key_cents(&all[i], |f| f.status_quo_run_rate_cents));
            }
            PortfolioColumn::Scenario => rows
                .sort_by_cached_key(|&i| all[i].figures.as_ref().and_then(|f| f.scenario.clone())),
            PortfolioColumn::Saving => {
                rows.sort_by_key(|&i| sort_key_cents(&all[i], |f| f.saving_cents));
            }
            PortfolioColumn::SavingPerMonth => {
                rows.sort_by_key(|&i| sort_key_cents(&all[i], |f| f.saving_per_month_cents));
            }
            PortfolioColumn::ControlKept => {
                rows.sort_by_key(|&i| all[i].figures.as_ref().map(|f| f.control_kept));
            }
            PortfolioColumn::MarginNow => {
                rows.sort_by_key(|&i| sort_key_cents(&all[i], |f| f.margin_now_cents));
            }
            PortfolioColumn::MarginAfter => {
                rows.sort_by_key(|&i| sort_key_cents(&all[i], |f| f.margin_after_cents));
            }
            PortfolioColumn::MarginChange => {
                rows.sort_by_key(|&i| {
                    sort_key_cents(&all[i], CustomerFigures::margin_change_cents)
                });
            }
            PortfolioColumn::BreakEven => {
                rows.sort_by_key(|&i| {
                    all[i]
                        .figures
                        .as_ref()
                        .and_then(CustomerFigures::break_even)
                });
            }
            // Soonest first; rows with no move to come after those with one.
            PortfolioColumn::NextMove => rows.sort_by_key(|&i| {
                all[i]
                    .figures
                    .as_ref()
                    .and_then(|f| f.next_move.as_ref())
                    .map_or((1, None), |m| (0, Some(m.month)))
            }),
            PortfolioColumn::Status => rows.sort_by_key(|&i| all[i].status()),
            PortfolioColumn::File => rows.sort_by_cached_key(|&i| all[i].relative.clone()),
        }
        if !self.ascending {
            rows.reverse();
        }
        self.rows = rows;
        self.key = Some(key);
        if self.selected.is_some_and(|s| s >= portfolio.rows.len()) {
            self.selected = None;
        }
    }

    /// The chart's points for `data` (read `revision`), prepared once per read.
    pub fn chart(&mut self, revision: u64, data: &PortfolioData) -> Arc<BookChart> {
        match &self.chart {
            Some((cached, chart)) if *cached == revision => Arc::clone(chart),
            _ => {
                let chart = Arc::new(BookChart::build(data));
                self.chart = Some((revision, Arc::clone(&chart)));
                chart
            }
        }
    }
}

/// How many colour steps the chart uses for control kept (one series each).
pub const CONTROL_BANDS: usize = 10;

/// One currency's customers as chart points: across the saving for the customer per month,
/// up the MSP's margin change per month, one series per band of control kept.
pub struct CurrencyChart {
    pub currency: String,
    /// `bands[b]`: the points whose control kept lies in band `b` (10 points wide), and for
    /// each the row it stands for.
    pub bands: Vec<(Vec<PlotPoint>, Vec<usize>)>,
}

/// The chart of every currency in the book.
pub struct BookChart {
    pub currencies: Vec<CurrencyChart>,
}

impl BookChart {
    fn build(data: &PortfolioData) -> Self {
        let currencies = data
            .rollups
            .iter()
            .map(|rollup| {
                let mut bands = vec![(Vec::new(), Vec::new()); CONTROL_BANDS];
                for (index, row) in data.portfolio.rows.iter().enumerate() {
                    let Some(f) = row
                        .figures
                        .as_ref()
                        .filter(|f| f.currency == rollup.currency)
                    else {
                        continue;
                    };
                    let control = f.control_kept.to_f64().unwrap_or(0.0);
                    #[expect(
                        clippy::cast_possible_truncation,
                        clippy::cast_sign_loss,
                        reason = "clamped to the bands"
                    )]
                    let band = ((control / 10.0).floor().max(0.0) as usize).min(CONTROL_BANDS - 1);
                    #[expect(clippy::cast_precision_loss, reason = "drawing only")]
                    let point = PlotPoint::new(
                        f.saving_per_month_cents as f64 / 100.0,
                        f.margin_change_cents() as f64 / 100.0,
                    );
                    bands[band].0.push(point);
                    bands[band].1.push(index);
                }
                CurrencyChart {
                    currency: rollup.currency.clone(),
                    bands,
                }
            })
            .collect();
        Self { currencies }
    }
}
