//! The book of business: every plan of a portfolio folder read (in parallel, read-only),
//! checked and priced into one row per customer ([`PortfolioRow`]), the roll-ups, and the
//! formats `keyholder portfolio` writes. The app's portfolio view shows the same rows.

mod formats;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::model::portfolio::{CustomerFigures, Rollup, rollups};
use crate::model::{Evaluation, Plan, Scenario, YearMonth, validate};
use crate::storage::portfolio::{
    Fingerprint, PlanFile, PortfolioRead, read_portfolio_file, scan_portfolio,
};
use crate::storage::{LoadError, ParseError};

pub use formats::{to_csv, to_html, to_json, to_markdown, to_text};

/// The scenario a customer's row shows, as an index into the plan's scenarios; `None` keeps
/// the status quo. The one place the choice is made: the scenario the account manager
/// recommends ([`Plan::recommended`]) when the plan has it; otherwise the report's rule
/// ([`super::recommend`]): the cheapest scenario over the horizon among those that break
/// even; none when no scenario does.
#[must_use]
pub fn featured_scenario(plan: &Plan, evaluation: &Evaluation) -> Option<usize> {
    if let Some(index) = plan.recommended_index() {
        return Some(index);
    }
    let status_quo = evaluation.scenario(&Scenario::status_quo());
    let totals = evaluation.scenarios(plan);
    match super::recommend(plan, &status_quo, &totals) {
        super::Recommendation::Scenario { name, .. } => {
            plan.scenarios.iter().position(|s| s.name == name)
        }
        super::Recommendation::StatusQuo { .. } => None,
    }
}

/// What kind of problem keeps a file out of the book's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// The file could not be read (permissions, a folder, gone).
    Unreadable,
    /// Larger than plan files may be.
    TooLarge,
    /// Not valid plan text (`file:line:col`).
    Broken,
    /// Written by a newer Keyholder.
    NewerVersion,
    /// Reads, but fails the plan's checks (a negative price, a missing workload).
    Invalid,
}

impl ProblemKind {
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Unreadable => "cannot be read",
            Self::TooLarge => "file too large",
            Self::Broken => "file problem",
            Self::NewerVersion => "newer format",
            Self::Invalid => "plan problem",
        }
    }
}

/// Why a file has no figures: what kind of problem, and every message about it
/// (`file:line:col: message`, or `file: field: message` for each failed check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub kind: ProblemKind,
    pub lines: Vec<String>,
}

impl FileProblem {
    fn of_load(error: &LoadError) -> Self {
        let kind = match error {
            LoadError::Io { .. } => ProblemKind::Unreadable,
            LoadError::TooLarge { .. } => ProblemKind::TooLarge,
            LoadError::Parse {
                error: ParseError::NewerVersion { .. },
                ..
            } => ProblemKind::NewerVersion,
            LoadError::Parse { .. } | LoadError::Encoding { .. } => ProblemKind::Broken,
        };
        Self {
            kind,
            lines: vec![error.to_string()],
        }
    }

    /// The first message.
    #[must_use]
    pub fn message(&self) -> &str {
        self.lines.first().map_or("", String::as_str)
    }
}

/// How a row stands, in the order a manager attends to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RowStatus {
    /// The file has a problem; there are no figures.
    Problem,
    /// A sync client left conflict copies beside the plan: someone's changes are not in it.
    ConflictCopy,
    Ok,
}

impl RowStatus {
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::Problem => "problem",
            Self::ConflictCopy => "conflict_copy",
            Self::Ok => "ok",
        }
    }
}

/// One customer of the book: one plan file.
#[derive(Debug, Clone, PartialEq)]
pub struct PortfolioRow {
    pub path: PathBuf,
    /// The path below the portfolio folder, with `/` between folders.
    pub relative: String,
    /// The file as it was found, to tell when it changes.
    pub fingerprint: Fingerprint,
    /// Conflict copies of this plan a sync client left beside it.
    pub conflict_copies: Vec<PathBuf>,
    /// The customer's name; the file's name when the plan could not be read.
    pub customer: String,
    pub account_manager: String,
    /// `None` when the file has a problem.
    pub figures: Option<CustomerFigures>,
    pub problem: Option<FileProblem>,
}

impl PortfolioRow {
    #[must_use]
    pub fn status(&self) -> RowStatus {
        if self.problem.is_some() {
            RowStatus::Problem
        } else if self.conflict_copies.is_empty() {
            RowStatus::Ok
        } else {
            RowStatus::ConflictCopy
        }
    }

    /// `ok`, `conflict copy (2)`, `file problem`, `newer format`…
    #[must_use]
    pub fn status_label(&self) -> String {
        match (&self.problem, self.conflict_copies.len()) {
            (Some(problem), _) => problem.kind.label().to_owned(),
            (None, 0) => "ok".to_owned(),
            (None, 1) => "unsaved conflict copy".to_owned(),
            (None, n) => format!("{n} unsaved conflict copies"),
        }
    }

    /// What the status is about: the file's problem, or the conflict copies' names.
    #[must_use]
    pub fn status_detail(&self) -> String {
        if let Some(problem) = &self.problem {
            return problem.lines.join("\n");
        }
        self.conflict_copies
            .iter()
            .map(|p| {
                format!(
                    "{}: a conflict copy of this plan; open the plan and compare it to take its changes",
                    p.display()
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// How far a read of a portfolio got, shared with the threads doing it.
#[derive(Debug, Default)]
pub struct Progress {
    /// Files to read, and read so far.
    pub total: AtomicUsize,
    pub done: AtomicUsize,
    /// Set to stop: the read then ends early and its result is incomplete.
    pub cancel: AtomicBool,
}

impl Progress {
    /// 0.0–1.0, or `None` while the folder is still being searched.
    #[must_use]
    pub fn fraction(&self) -> Option<f32> {
        let total = self.total.load(Ordering::Relaxed);
        (total > 0).then(|| {
            #[expect(clippy::cast_precision_loss, reason = "a progress bar")]
            let fraction = self.done.load(Ordering::Relaxed) as f32 / total as f32;
            fraction.clamp(0.0, 1.0)
        })
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// Every customer of a portfolio folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Portfolio {
    pub folder: PathBuf,
    /// "This month": the next move of each row is the first from this month on.
    pub as_of: YearMonth,
    /// By path.
    pub rows: Vec<PortfolioRow>,
    /// Price books found among the plans (not customers, left out).
    pub price_books: Vec<PathBuf>,
    /// Folders that could not be searched, or what was left out.
    pub notes: Vec<String>,
}

impl Portfolio {
    /// Reads every plan under `folder`, in parallel.
    ///
    /// # Errors
    /// When `folder` is not a folder that can be read (a plan with a problem is a row).
    pub fn read(folder: &Path, as_of: YearMonth, progress: &Progress) -> Result<Self, String> {
        Self::read_reusing(folder, as_of, None, progress)
    }

    /// Reads the folder again, reading only the plans that are new or changed since `self`
    /// was read (by length and modification time); the others keep their row.
    ///
    /// # Errors
    /// As [`Self::read`].
    pub fn reread(&self, progress: &Progress) -> Result<Self, String> {
        Self::read_reusing(&self.folder, self.as_of, Some(self), progress)
    }

    fn read_reusing(
        folder: &Path,
        as_of: YearMonth,
        previous: Option<&Self>,
        progress: &Progress,
    ) -> Result<Self, String> {
        let scan = scan_portfolio(folder).map_err(|e| e.to_string())?;
        progress.total.store(scan.files.len(), Ordering::Relaxed);
        progress.done.store(0, Ordering::Relaxed);
        let known: HashMap<&Path, &PortfolioRow> = previous
            .map(|p| p.rows.iter().map(|r| (r.path.as_path(), r)).collect())
            .unwrap_or_default();
        // Ok: a customer's row; Err: a price book lying among the plans.
        let read: Vec<Result<PortfolioRow, PathBuf>> = scan
            .files
            .par_iter()
            .filter_map(|file| {
                if progress.cancelled() {
                    return None;
                }
                let row = match known.get(file.path.as_path()) {
                    Some(row) if row.fingerprint == file.fingerprint => {
                        let mut row = (*row).clone();
                        row.conflict_copies.clone_from(&file.conflict_copies);
                        Some(row)
                    }
                    _ => row_of_file(folder, file, as_of),
                };
                progress.done.fetch_add(1, Ordering::Relaxed);
                Some(row.ok_or_else(|| file.path.clone()))
            })
            .collect();
        if progress.cancelled() {
            return Err(format!("{}: reading was stopped", folder.display()));
        }
        let mut rows = Vec::with_capacity(read.len());
        let mut price_books = Vec::new();
        for result in read {
            match result {
                Ok(row) => rows.push(row),
                Err(path) => price_books.push(path),
            }
        }
        Ok(Self {
            folder: folder.to_path_buf(),
            as_of,
            rows,
            price_books,
            notes: scan.notes,
        })
    }

    /// The roll-ups of every row with figures, one per currency.
    #[must_use]
    pub fn rollups(&self) -> Vec<Rollup> {
        let figures: Vec<&CustomerFigures> = self
            .rows
            .iter()
            .filter_map(|r| r.figures.as_ref())
            .collect();
        rollups(&figures)
    }

    /// The rows with figures, in the order [`Self::rollups`] counts them (its customer
    /// indices point into this).
    #[must_use]
    pub fn rows_with_figures(&self) -> Vec<&PortfolioRow> {
        self.rows.iter().filter(|r| r.figures.is_some()).collect()
    }

    /// The rows whose file has a problem.
    pub fn problems(&self) -> impl Iterator<Item = &PortfolioRow> {
        self.rows.iter().filter(|r| r.problem.is_some())
    }
}

/// The row of one plan file, read-only; `None` for a price book.
#[must_use]
pub fn row_of_file(folder: &Path, file: &PlanFile, as_of: YearMonth) -> Option<PortfolioRow> {
    let relative = file
        .path
        .strip_prefix(folder)
        .unwrap_or(&file.path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    let file_name = file
        .path
        .file_stem()
        .map_or_else(|| relative.clone(), |s| s.to_string_lossy().into_owned());
    let mut row = PortfolioRow {
        path: file.path.clone(),
        relative,
        fingerprint: file.fingerprint,
        conflict_copies: file.conflict_copies.clone(),
        customer: file_name,
        account_manager: String::new(),
        figures: None,
        problem: None,
    };
    match read_portfolio_file(&file.path) {
        PortfolioRead::PriceBook => return None,
        PortfolioRead::Failed(error) => row.problem = Some(FileProblem::of_load(&error)),
        PortfolioRead::Newer { error, known } => {
            if let Some(plan) = known {
                name_row(&mut row, &plan);
            }
            row.problem = Some(FileProblem::of_load(&error));
        }
        PortfolioRead::Plan { loaded, .. } => {
            let plan = loaded.plan;
            name_row(&mut row, &plan);
            let issues = validate(&plan);
            if issues.is_empty() {
                let evaluation = Evaluation::new(&plan);
                let featured = featured_scenario(&plan, &evaluation)
                    .and_then(|index| plan.scenarios.get(index));
                row.figures = Some(CustomerFigures::new(&plan, &evaluation, featured, as_of));
            } else {
                row.problem = Some(FileProblem {
                    kind: ProblemKind::Invalid,
                    lines: issues
                        .iter()
                        .map(|i| format!("{}: {i}", file.path.display()))
                        .collect(),
                });
            }
        }
    }
    Some(row)
}

fn name_row(row: &mut PortfolioRow, plan: &Plan) {
    if !plan.customer.name.trim().is_empty() {
        row.customer.clone_from(&plan.customer.name);
    }
    plan.customer
        .account_manager
        .trim()
        .clone_into(&mut row.account_manager);
}
