//! One function per command; each returns its exit code or a message for stderr.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use super::{
    Audience, ChartArg, Failure, Metric, OutputFormat, PaperArg, PlanReportFormat, ReportFormat,
};
use crate::import::{
    ImportProgress, InventorySettings, customer_from_file_name, import_inventory_file,
};
use crate::model::{
    CostMetric, Destination, Evaluation, Frontier, HistoryEntry, Plan, PlanDiff, ScenarioTotals,
    YearMonth, format_cents, format_control, parse_amount_cents, validate, warnings,
};
use crate::report;
use crate::storage::{self, Expect, FileStamp};

/// Loads and validates a plan, or explains why not: each problem as
/// `PLAN:LINE:COL: field: message` (`PLAN: field: message` where the file does not write the
/// field). A plan that passes can be evaluated: validation also checks its figures.
fn load_valid(path: &Path) -> Result<(Plan, FileStamp), Failure> {
    let (loaded, stamp, issues) = storage::load_and_validate(path)?;
    for field in &loaded.unknown_fields {
        eprintln!(
            "{}: warning: unknown field `{field}` is ignored (it would be lost on save)",
            path.display()
        );
    }
    if !issues.is_empty() {
        let lines: Vec<String> = issues
            .iter()
            .map(|issue| match issue.position {
                Some(_) => format!("{}:{issue}", path.display()),
                None => format!("{}: {issue}", path.display()),
            })
            .collect();
        return Err(Failure(lines.join("\n")));
    }
    Ok((loaded.plan, stamp))
}

/// The evaluation of a validated plan; an error names the file (it cannot happen for a plan
/// that passed validation, which evaluates it too).
fn evaluate(path: &Path, plan: &Plan) -> Result<Evaluation, Failure> {
    Evaluation::try_new(plan).map_err(|e| Failure(format!("{}: {e}", path.display())))
}

#[expect(
    clippy::unnecessary_wraps,
    reason = "every command returns Result<ExitCode, Failure> to `run`"
)]
pub fn check(plans: &[std::path::PathBuf]) -> Result<ExitCode, Failure> {
    let mut failed = false;
    for path in plans {
        match load_valid(path) {
            Ok((plan, _)) => {
                println!(
                    "{}: ok ({} workload{}, {} scenario{})",
                    path.display(),
                    plan.workloads.len(),
                    if plan.workloads.len() == 1 { "" } else { "s" },
                    plan.scenarios.len(),
                    if plan.scenarios.len() == 1 { "" } else { "s" },
                );
                print_warnings(path, &plan, usize::MAX);
            }
            Err(Failure(message)) => {
                eprintln!("{message}");
                failed = true;
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

pub struct ReportArgs<'a> {
    pub plan: &'a Path,
    pub scenario: Option<&'a str>,
    pub format: PlanReportFormat,
    pub audience: Option<Audience>,
    pub paper: Option<PaperArg>,
    pub output: Option<&'a Path>,
}

pub fn report(args: &ReportArgs<'_>) -> Result<ExitCode, Failure> {
    use std::io::{IsTerminal as _, Write as _};

    let path = args.plan;
    let format = args.format;
    if format == PlanReportFormat::Pdf && args.output.is_none() && std::io::stdout().is_terminal() {
        return Err(Failure(
            "a PDF is not text: write it to a file with -o FILE.pdf (or redirect the output)"
                .to_owned(),
        ));
    }
    // What goes to a customer by default is safe to hand over; what a tool reads has
    // everything.
    let audience = match args.audience {
        Some(Audience::Customer) => report::Audience::Customer,
        Some(Audience::Internal) => report::Audience::Internal,
        None => match format {
            PlanReportFormat::Html | PlanReportFormat::Markdown | PlanReportFormat::Pdf => {
                report::Audience::Customer
            }
            PlanReportFormat::Text | PlanReportFormat::Csv | PlanReportFormat::Json => {
                report::Audience::Internal
            }
        },
    };
    let (plan, _) = load_valid(path)?;
    print_warnings(path, &plan, usize::MAX);
    let evaluation = evaluate(path, &plan)?;
    let built = report::build_with(
        &plan,
        &evaluation,
        &report::ReportOptions {
            focus: args.scenario,
            audience,
        },
    )?;
    let bytes = match format {
        PlanReportFormat::Text => report::to_text(&built).into_bytes(),
        PlanReportFormat::Markdown => report::to_markdown(&built).into_bytes(),
        PlanReportFormat::Html => report::to_html(&built).into_bytes(),
        PlanReportFormat::Csv => report::to_csv(&built).into_bytes(),
        PlanReportFormat::Json => report::to_json(&built).into_bytes(),
        PlanReportFormat::Pdf => report::to_pdf(
            &built,
            &report::PdfOptions {
                paper: match args.paper {
                    Some(PaperArg::A4) => report::Paper::A4,
                    Some(PaperArg::Letter) => report::Paper::Letter,
                    None => report::Paper::from_system(),
                },
                prepared_on: crate::clock::local_date_text(crate::clock::now()),
            },
        )?,
    };
    if let Some(output) = args.output {
        storage::write_atomically(output, &bytes)
            .map_err(|e| Failure(format!("{}: {e}", output.display())))?;
    } else {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(&bytes)
            .and_then(|()| stdout.flush())
            .map_err(|e| Failure(format!("the report could not be written: {e}")))?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn chart(path: &Path, chart: ChartArg, size: &str, output: &Path) -> Result<ExitCode, Failure> {
    let size = report::ChartSize::parse(size).map_err(|e| Failure(format!("--size: {e}")))?;
    let kind = match chart {
        ChartArg::TradeOff => report::ChartKind::TradeOff,
        ChartArg::CashFlow => report::ChartKind::CashFlow,
    };
    let svg = output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    let png = output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("png"));
    if !svg && !png {
        return Err(Failure(format!(
            "{}: name the file .png or .svg",
            output.display()
        )));
    }
    let (plan, _) = load_valid(path)?;
    let evaluation = evaluate(path, &plan)?;
    let built = report::build(&plan, &evaluation, None)?;
    let bytes = if svg {
        report::chart_svg(&built, kind, size).into_bytes()
    } else {
        report::chart_png(&built, kind, size)?
    };
    storage::write_atomically(output, &bytes)
        .map_err(|e| Failure(format!("{}: {e}", output.display())))?;
    println!(
        "{}: {} chart, {size} pixels",
        output.display(),
        kind.file_stem()
    );
    Ok(ExitCode::SUCCESS)
}

pub struct OptimizeArgs<'a> {
    pub plan: &'a Path,
    pub min_control: Option<&'a str>,
    pub max_cost: Option<&'a str>,
    pub metric: Metric,
    pub frontier: bool,
    pub save_as: Option<&'a str>,
    pub format: OutputFormat,
}

#[derive(Serialize)]
struct OptimizeJson {
    question: String,
    metric: &'static str,
    resolution: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    assignment: Option<std::collections::BTreeMap<String, Destination>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tco_cents: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    run_rate_cents: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    control_score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    frontier: Option<Vec<FrontierJson>>,
}

#[derive(Serialize)]
struct FrontierJson {
    control_score: f64,
    cost_cents: i64,
}

fn to_f64_2dp(value: Decimal) -> f64 {
    crate::model::round_control(value).to_f64().unwrap_or(0.0)
}

pub fn optimize(args: &OptimizeArgs<'_>) -> Result<ExitCode, Failure> {
    let (plan, stamp) = load_valid(args.plan)?;
    let save_as = args.save_as.map(str::trim);
    if let Some(name) = save_as {
        if name.is_empty() {
            return Err(Failure("--save-as: the scenario needs a name".to_owned()));
        }
        if plan.scenarios.iter().any(|s| s.name.trim() == name) {
            return Err(Failure(format!(
                "{}: a scenario named \"{name}\" already exists; choose another name",
                args.plan.display()
            )));
        }
    }
    let evaluation = evaluate(args.plan, &plan)?;
    let metric = match args.metric {
        Metric::Tco => CostMetric::Tco,
        Metric::RunRate => CostMetric::RunRate,
    };
    let frontier = Frontier::compute(&evaluation, metric);
    let currency = plan.price_book.currency.clone();
    let cost_label = match metric {
        CostMetric::Tco => format!("TCO over {} months", plan.assumptions.horizon_months),
        CostMetric::RunRate => "run rate per month".to_owned(),
    };

    let (question, point) = if let Some(text) = args.min_control {
        let min: Decimal = text.trim().parse().map_err(|_| {
            Failure(format!(
                "--min-control: '{text}' is not a number from 0 to 100"
            ))
        })?;
        if min < Decimal::ZERO || min > Decimal::ONE_HUNDRED {
            return Err(Failure(format!("--min-control: {min} is outside 0–100")));
        }
        let question = format!("Cheapest plan with control at least {}", min.normalize());
        let point = frontier
            .cheapest_with_control_at_least(min)
            .ok_or_else(|| {
                let best = frontier
                    .points
                    .last()
                    .map_or(Decimal::ZERO, |p| p.control_score);
                Failure(format!(
                    "no plan reaches control {}: the most control possible is {}",
                    min.normalize(),
                    format_control(best)
                ))
            })?;
        (question, Some(*point))
    } else if let Some(text) = args.max_cost {
        let max = parse_amount_cents(text).map_err(|e| Failure(format!("--max-cost: {e}")))?;
        let question = format!(
            "Most control with {cost_label} at most {} {currency}",
            format_cents(max)
        );
        let point = frontier.most_control_within(max).ok_or_else(|| {
            let cheapest = frontier.points.first().map_or(0, |p| p.cost_cents);
            Failure(format!(
                "no plan costs at most {} {currency}: the cheapest plan's {cost_label} is {} {currency}",
                format_cents(max),
                format_cents(cheapest)
            ))
        })?;
        (question, Some(*point))
    } else {
        ("Trade-off frontier".to_owned(), None)
    };

    let answer = point
        .map(|point| {
            let destinations = frontier.assignment(&point);
            let name = save_as.unwrap_or(&question);
            let scenario = evaluation.scenario_from_destinations(&plan, name, &destinations);
            let totals = evaluation
                .try_scenario(&scenario)
                .map_err(|e| Failure(format!("{}: {e}", args.plan.display())))?;
            Ok::<_, Failure>((destinations, scenario, totals))
        })
        .transpose()?;

    // Saved before anything is printed: an answer on screen is an answer in the file.
    if let (Some(name), Some((_, scenario, _))) = (save_as, &answer) {
        let mut saved = plan.clone();
        saved.scenarios.push(scenario.clone());
        saved.history.push(history_entry(&format!(
            "Added scenario \"{name}\" with keyholder optimize"
        )));
        if let Some(issue) = validate(&saved).first() {
            return Err(Failure(format!(
                "{}: not saved: {issue}",
                args.plan.display()
            )));
        }
        save(args.plan, &saved, &Expect::Unchanged(stamp))?;
        eprintln!("{}: saved scenario \"{name}\"", args.plan.display());
    }

    match args.format {
        OutputFormat::Json => {
            let json = OptimizeJson {
                question: question.clone(),
                metric: match metric {
                    CostMetric::Tco => "tco",
                    CostMetric::RunRate => "run-rate",
                },
                resolution: frontier.resolution.to_string(),
                assignment: answer.as_ref().map(|(destinations, _, _)| {
                    plan.workloads
                        .iter()
                        .zip(destinations)
                        .map(|(w, d)| (w.id.clone(), *d))
                        .collect()
                }),
                tco_cents: answer.as_ref().map(|(_, _, t)| t.tco_cents),
                run_rate_cents: answer.as_ref().map(|(_, _, t)| t.run_rate_cents),
                control_score: answer.as_ref().map(|(_, _, t)| t.control_score_2dp()),
                frontier: args.frontier.then(|| {
                    frontier
                        .points
                        .iter()
                        .map(|p| FrontierJson {
                            control_score: to_f64_2dp(p.control_score),
                            cost_cents: p.cost_cents,
                        })
                        .collect()
                }),
            };
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
        OutputFormat::Text => {
            let mut out = String::new();
            let _ = writeln!(out, "{question} ({cost_label}, {}).", frontier.resolution);
            if let Some((destinations, _, totals)) = &answer {
                write_answer(&mut out, &plan, destinations, totals, &currency);
            }
            if args.frontier {
                let _ = writeln!(
                    out,
                    "\nFrontier ({} points, control ascending):",
                    frontier.points.len()
                );
                let _ = writeln!(out, "  {:>8}  {}", "control", cost_label);
                for p in &frontier.points {
                    let _ = writeln!(
                        out,
                        "  {:>8}  {} {currency}",
                        format_control(p.control_score),
                        format_cents(p.cost_cents)
                    );
                }
            }
            print!("{out}");
        }
    }

    Ok(ExitCode::SUCCESS)
}

fn write_answer(
    out: &mut String,
    plan: &Plan,
    destinations: &[Destination],
    totals: &ScenarioTotals,
    currency: &str,
) {
    let _ = writeln!(
        out,
        "  control {}, TCO {} {currency}, run rate {} {currency} per month, one-time {} {currency}",
        format_control(totals.control_score),
        format_cents(totals.tco_cents),
        format_cents(totals.run_rate_cents),
        format_cents(totals.one_time_cents)
    );
    let moves: Vec<String> = plan
        .workloads
        .iter()
        .zip(destinations)
        .filter(|(w, d)| w.current != **d)
        .map(|(w, d)| {
            format!(
                "  {} ({}): {} -> {}",
                w.name,
                w.id,
                w.current.label(),
                d.label()
            )
        })
        .collect();
    if moves.is_empty() {
        let _ = writeln!(out, "  Nothing moves.");
    } else {
        let _ = writeln!(out, "  Moves:");
        for line in moves {
            let _ = writeln!(out, "  {line}");
        }
    }
}

/// Who saved, and when, for the plan's history: the same entry the app records.
fn history_entry(note: &str) -> HistoryEntry {
    crate::app::Preferences::of_this_user().history_entry(note)
}

/// Saves through the one save path the app uses too: the same conflict check, and the
/// replaced version kept in the local data folder.
fn save(path: &Path, plan: &Plan, expect: &Expect) -> Result<(), Failure> {
    let backups = crate::app::AppPaths::from_system().map(|paths| paths.backups_dir());
    let saved = storage::save_plan_file(path, plan, expect, backups.as_deref())?;
    if let Some(problem) = saved.backup_problem {
        eprintln!("{}: warning: {problem}", path.display());
    }
    Ok(())
}

/// Prints the plan's warnings (non-fatal problems) on stderr as `PLAN: warning: field:
/// message`, at most `limit` of them, then how many more there are.
fn print_warnings(path: &Path, plan: &Plan, limit: usize) {
    let found = warnings(plan);
    for issue in found.iter().take(limit) {
        eprintln!("{}: warning: {issue}", path.display());
    }
    if found.len() > limit {
        eprintln!(
            "{0}: warning: and {1} more warning{2} like these; `keyholder check {0}` lists them all",
            path.display(),
            found.len() - limit,
            if found.len() - limit == 1 { "" } else { "s" }
        );
    }
}

/// Warnings printed by `import`: enough to see what they are about, not a screenful per
/// thousand servers (`check` prints them all).
const IMPORT_WARNINGS_SHOWN: usize = 10;

pub fn import(
    inventory: &Path,
    output: &Path,
    customer: Option<&str>,
    start_month: Option<&str>,
) -> Result<ExitCode, Failure> {
    if output.exists() {
        return Err(Failure(format!(
            "{}: the file already exists; choose another name (import never overwrites a plan)",
            output.display()
        )));
    }
    let start_month = if let Some(text) = start_month {
        YearMonth::parse(text).map_err(|e| Failure(format!("--start-month: {e}")))?
    } else {
        let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
        YearMonth::parse(now.get(..7).unwrap_or("2010-02")).unwrap_or_default()
    };
    let settings = InventorySettings {
        customer: customer.map_or_else(|| customer_from_file_name(inventory), str::to_owned),
        start_month,
        price_book: storage::default_price_book()?,
    };
    let outcome = import_inventory_file(inventory, settings, &ImportProgress::new())?;
    for row in &outcome.rejected {
        eprintln!("{}:{}: {}", inventory.display(), row.line, row.message);
    }
    if let Some(caution) = outcome.encoding_caution() {
        eprintln!("{}: warning: {caution}", inventory.display());
    }
    if outcome.rows_imported() == 0 {
        return Err(Failure(format!(
            "{}: nothing to import: {}; no plan written",
            inventory.display(),
            outcome.summary()
        )));
    }
    print_warnings(output, &outcome.plan, IMPORT_WARNINGS_SHOWN);
    let summary = outcome.summary();
    let rejected = !outcome.rejected.is_empty();
    let mut plan = outcome.plan;
    plan.history.push(history_entry(&format!(
        "Imported from {}",
        inventory.display()
    )));
    save(output, &plan, &Expect::NewFile)?;
    println!(
        "{}: created with {} workload{} from {}: {summary}",
        output.display(),
        plan.workloads.len(),
        if plan.workloads.len() == 1 { "" } else { "s" },
        inventory.display(),
    );
    Ok(if rejected {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn money_change(old: Option<i64>, new: Option<i64>) -> String {
    let show = |v: Option<i64>| v.map_or_else(|| "none".to_owned(), format_cents);
    format!("{} -> {}", show(old), show(new))
}

/// `diff`'s text output.
fn diff_text(old_path: &Path, new_path: &Path, changes: &PlanDiff, currency: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} -> {}", old_path.display(), new_path.display());
    for (title, list) in [
        ("Customer", &changes.customer),
        ("Assumptions", &changes.assumptions),
        ("Price book", &changes.price_book),
        ("Control model", &changes.control_model),
    ] {
        if !list.is_empty() {
            let _ = writeln!(out, "{title}");
            for change in list {
                let _ = writeln!(out, "  {change}");
            }
        }
    }
    if !(changes.workloads_added.is_empty()
        && changes.workloads_removed.is_empty()
        && changes.workloads_changed.is_empty())
    {
        let _ = writeln!(out, "Workloads");
        for w in &changes.workloads_added {
            let _ = writeln!(out, "  + {} ({}) added", w.name, w.id);
        }
        for w in &changes.workloads_removed {
            let _ = writeln!(out, "  - {} ({}) removed", w.name, w.id);
        }
        for w in &changes.workloads_changed {
            let _ = writeln!(out, "  ~ {} ({})", w.name, w.id);
            for change in &w.changes {
                let _ = writeln!(out, "      {change}");
            }
        }
    }
    if !(changes.scenarios_added.is_empty()
        && changes.scenarios_removed.is_empty()
        && changes.scenarios_changed.is_empty())
    {
        let _ = writeln!(out, "Scenarios");
        for name in &changes.scenarios_added {
            let _ = writeln!(out, "  + \"{name}\" added");
        }
        for name in &changes.scenarios_removed {
            let _ = writeln!(out, "  - \"{name}\" removed");
        }
        for s in &changes.scenarios_changed {
            let _ = writeln!(out, "  ~ \"{}\"", s.name);
            for change in &s.changes {
                let _ = writeln!(out, "      {change}");
            }
        }
    }
    if !changes.totals.is_empty() {
        let _ = writeln!(out, "Effect on the totals ({currency})");
        for t in &changes.totals {
            let control =
                |v: Option<f64>| v.map_or_else(|| "none".to_owned(), |c| format!("{c:.2}"));
            let _ = writeln!(
                out,
                "  \"{}\": TCO {}; run rate {}; control {} -> {}",
                t.scenario,
                money_change(t.old_tco_cents, t.new_tco_cents),
                money_change(t.old_run_rate_cents, t.new_run_rate_cents),
                control(t.old_control_score),
                control(t.new_control_score)
            );
        }
    }
    if !changes.new_history.is_empty() {
        let _ = writeln!(out, "Saved since");
        for h in &changes.new_history {
            let note = if h.note.is_empty() {
                String::new()
            } else {
                format!(": {}", h.note)
            };
            let _ = writeln!(out, "  {} by {}{note}", h.saved_at, h.saved_by);
        }
    }
    if !changes.has_changes() {
        let _ = writeln!(out, "No differences in the plan.");
    }
    out
}

pub fn diff(
    old_path: &Path,
    new_path: &Path,
    format: OutputFormat,
    exit_code: bool,
) -> Result<ExitCode, Failure> {
    // Both plans are validated first, with the messages of `check`: a diff of a plan that
    // cannot be read or priced would show figures that mean nothing.
    let old = load_valid(old_path);
    let new = load_valid(new_path);
    let ((old, _), (new, _)) = match (old, new) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(Failure(a)), Err(Failure(b))) => return Err(Failure(format!("{a}\n{b}"))),
        (Err(failure), _) | (_, Err(failure)) => return Err(failure),
    };
    let changes = crate::model::try_diff_plans(&old, &new).map_err(|e| {
        Failure(format!(
            "{} -> {}: {e}",
            old_path.display(),
            new_path.display()
        ))
    })?;
    match format {
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&changes).unwrap_or_default()
        ),
        OutputFormat::Text => print!(
            "{}",
            diff_text(old_path, new_path, &changes, &new.price_book.currency)
        ),
    }
    Ok(if exit_code && changes.has_changes() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `keyholder portfolio`: the book of business of a folder. Every plan is a row, whatever
/// its state; the files with a problem are listed on stderr and make the exit status 1.
pub fn portfolio(
    folder: &Path,
    format: ReportFormat,
    as_of: Option<&str>,
) -> Result<ExitCode, Failure> {
    use report::portfolio::{self as book, Portfolio, Progress, RowStatus};
    let as_of = match as_of {
        Some(text) => YearMonth::parse(text).map_err(|e| Failure(format!("--as-of: {e}")))?,
        None => crate::clock::this_month(),
    };
    let portfolio = Portfolio::read(folder, as_of, &Progress::default())?;
    if portfolio.rows.is_empty() {
        return Err(Failure(format!(
            "{}: no plan files (.ron) in this folder or below it",
            folder.display()
        )));
    }
    let text = match format {
        ReportFormat::Text => book::to_text(&portfolio),
        ReportFormat::Markdown => book::to_markdown(&portfolio),
        ReportFormat::Html => book::to_html(&portfolio),
        ReportFormat::Csv => book::to_csv(&portfolio),
        ReportFormat::Json => book::to_json(&portfolio),
    };
    print!("{text}");
    for note in &portfolio.notes {
        eprintln!("warning: {note}");
    }
    for row in &portfolio.rows {
        if row.status() == RowStatus::ConflictCopy {
            for copy in &row.conflict_copies {
                eprintln!(
                    "{}: warning: unsaved conflict copy of {}",
                    copy.display(),
                    row.path.display()
                );
            }
        }
    }
    let mut failed = false;
    for row in portfolio.problems() {
        failed = true;
        if let Some(problem) = &row.problem {
            for line in &problem.lines {
                eprintln!("{line}");
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
