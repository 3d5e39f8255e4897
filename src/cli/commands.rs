//! One function per command; each returns its exit code or a message for stderr.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use super::{Failure, Metric, OutputFormat, ReportFormat};
use crate::import::import_inventory;
use crate::model::{
    Answer, CostMetric, Destination, Evaluation, Frontier, HistoryEntry, Optimizer, Plan,
    ScenarioTotals, YearMonth, format_cents, format_control, parse_amount_cents, validate,
};
use crate::report;
use crate::storage::{self, FileStamp, MAX_FILE_BYTES};

/// Loads and validates a plan, or explains why not.
fn load_valid(path: &Path) -> Result<(Plan, FileStamp), Failure> {
    let (loaded, stamp) = storage::load_plan(path)?;
    for field in &loaded.unknown_fields {
        eprintln!(
            "{}: warning: unknown field `{field}` is ignored (it would be lost on save)",
            path.display()
        );
    }
    let issues = validate(&loaded.plan);
    if !issues.is_empty() {
        let lines: Vec<String> = issues
            .iter()
            .map(|i| format!("{}: {i}", path.display()))
            .collect();
        return Err(Failure(lines.join("\n")));
    }
    Ok((loaded.plan, stamp))
}

pub fn check(plans: &[std::path::PathBuf]) -> Result<ExitCode, Failure> {
    let mut failed = false;
    for path in plans {
        match load_valid(path) {
            Ok((plan, _)) => println!(
                "{}: ok ({} workload{}, {} scenario{})",
                path.display(),
                plan.workloads.len(),
                if plan.workloads.len() == 1 { "" } else { "s" },
                plan.scenarios.len(),
                if plan.scenarios.len() == 1 { "" } else { "s" },
            ),
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

pub fn report(
    path: &Path,
    scenario: Option<&str>,
    format: ReportFormat,
) -> Result<ExitCode, Failure> {
    let (plan, _) = load_valid(path)?;
    let evaluation = Evaluation::new(&plan);
    let report = report::build(&plan, &evaluation, scenario)?;
    let text = match format {
        ReportFormat::Text => report::to_text(&report),
        ReportFormat::Markdown => report::to_markdown(&report),
        ReportFormat::Html => report::to_html(&report),
        ReportFormat::Csv => report::to_csv(&report),
        ReportFormat::Json => report::to_json(&report),
    };
    print!("{text}");
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
    /// "exact", or the proven bound when the answer is not.
    resolution: String,
    exact: bool,
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

/// A control score that falls short of `bound`, with enough decimals that it does not read
/// as reaching it (69.996 is "69.996", not "70.00").
fn control_below(score: Decimal, bound: Decimal) -> String {
    if crate::model::round_control(score) < bound {
        return format_control(score);
    }
    (6..=28)
        .map(|places| score.round_dp_with_strategy(places, rust_decimal::RoundingStrategy::ToZero))
        .find(|shown| *shown < bound)
        .unwrap_or(score)
        .normalize()
        .to_string()
}

fn to_f64_2dp(value: Decimal) -> f64 {
    crate::model::round_control(value).to_f64().unwrap_or(0.0)
}

pub fn optimize(args: &OptimizeArgs<'_>) -> Result<ExitCode, Failure> {
    let (mut plan, stamp) = load_valid(args.plan)?;
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
    let evaluation = Evaluation::new(&plan);
    let metric = match args.metric {
        Metric::Tco => CostMetric::Tco,
        Metric::RunRate => CostMetric::RunRate,
    };
    let optimizer = Optimizer::new(&evaluation, metric);
    let frontier = if args.frontier {
        optimizer.frontier_unless_cancelled(&std::sync::atomic::AtomicBool::new(false))
    } else {
        None
    };
    let currency = plan.price_book.currency.clone();
    let cost_label = match metric {
        CostMetric::Tco => format!("TCO over {} months", plan.assumptions.horizon_months),
        CostMetric::RunRate => "run rate per month".to_owned(),
    };

    let (question, found) = ask(args, &optimizer, &evaluation, &cost_label, &currency)?;
    // How exact the output is: the answer's guarantee, or the frontier's when there is no
    // question.
    let (resolution, exact) = match (&found, &frontier) {
        (Some(found), _) => (found.guarantee.to_string(), found.guarantee.is_exact()),
        (None, Some(frontier)) => (frontier.resolution.to_string(), frontier.resolution.exact),
        (None, None) => (
            optimizer.guarantee().to_string(),
            optimizer.guarantee().is_exact(),
        ),
    };

    let answer = found.map(|found| {
        let name = save_as.unwrap_or(&question);
        let scenario = evaluation.scenario_from_destinations(&plan, name, &found.destinations);
        let totals = evaluation.scenario(&scenario);
        (found.destinations, scenario, totals)
    });

    print_optimize(
        args.format,
        &plan,
        &Printed {
            question: &question,
            metric,
            cost_label: &cost_label,
            currency: &currency,
            resolution: &resolution,
            exact,
            answer: answer.as_ref().map(|(d, _, t)| (d.as_slice(), t)),
            frontier: frontier.as_ref(),
        },
    );

    if let (Some(name), Some((_, scenario, _))) = (save_as, answer) {
        plan.scenarios.push(scenario);
        plan.history.push(history_entry(&format!(
            "Added scenario \"{name}\" with keyholder optimize"
        )));
        if let Some(issue) = validate(&plan).first() {
            return Err(Failure(format!(
                "{}: not saved: {issue}",
                args.plan.display()
            )));
        }
        storage::save_plan_checked(args.plan, &plan, Some(&stamp))?;
        eprintln!("{}: saved scenario \"{name}\"", args.plan.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// What `optimize` prints.
struct Printed<'a> {
    question: &'a str,
    metric: CostMetric,
    cost_label: &'a str,
    currency: &'a str,
    resolution: &'a str,
    exact: bool,
    answer: Option<(&'a [Destination], &'a ScenarioTotals)>,
    frontier: Option<&'a Frontier>,
}

fn print_optimize(format: OutputFormat, plan: &Plan, printed: &Printed<'_>) {
    match format {
        OutputFormat::Json => {
            let json = OptimizeJson {
                question: printed.question.to_owned(),
                metric: match printed.metric {
                    CostMetric::Tco => "tco",
                    CostMetric::RunRate => "run-rate",
                },
                resolution: printed.resolution.to_owned(),
                exact: printed.exact,
                assignment: printed.answer.map(|(destinations, _)| {
                    plan.workloads
                        .iter()
                        .zip(destinations)
                        .map(|(w, d)| (w.id.clone(), *d))
                        .collect()
                }),
                tco_cents: printed.answer.map(|(_, t)| t.tco_cents),
                run_rate_cents: printed.answer.map(|(_, t)| t.run_rate_cents),
                control_score: printed.answer.map(|(_, t)| t.control_score_2dp()),
                frontier: printed.frontier.map(|frontier| {
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
            let _ = writeln!(
                out,
                "{} ({}, {}).",
                printed.question, printed.cost_label, printed.resolution
            );
            if let Some((destinations, totals)) = printed.answer {
                write_answer(&mut out, plan, destinations, totals, printed.currency);
            }
            if let Some(frontier) = printed.frontier {
                let _ = writeln!(
                    out,
                    "\nFrontier ({} points, control ascending):",
                    frontier.points.len()
                );
                let _ = writeln!(out, "  {}", frontier.resolution);
                let _ = writeln!(out, "  {:>8}  {}", "control", printed.cost_label);
                for p in &frontier.points {
                    let _ = writeln!(
                        out,
                        "  {:>8}  {} {}",
                        format_control(p.control_score),
                        format_cents(p.cost_cents),
                        printed.currency
                    );
                }
            }
            print!("{out}");
        }
    }
}

/// The optimizer's answer to the question on the command line (none for `--frontier` alone).
fn ask(
    args: &OptimizeArgs<'_>,
    optimizer: &Optimizer,
    evaluation: &Evaluation,
    cost_label: &str,
    currency: &str,
) -> Result<(String, Option<Answer>), Failure> {
    if let Some(text) = args.min_control {
        let min: Decimal = text.trim().parse().map_err(|_| {
            Failure(format!(
                "--min-control: '{text}' is not a number from 0 to 100"
            ))
        })?;
        if min < Decimal::ZERO || min > Decimal::ONE_HUNDRED {
            return Err(Failure(format!("--min-control: {min} is outside 0–100")));
        }
        let question = format!("Cheapest plan with control at least {}", min.normalize());
        let found = optimizer
            .cheapest_with_control_at_least(evaluation, min)
            .ok_or_else(|| {
                let best = optimizer
                    .most_control(evaluation)
                    .map_or(Decimal::ZERO, |a| a.control_score);
                Failure(format!(
                    "no plan reaches control {}: the most control possible is {}",
                    min.normalize(),
                    control_below(best, min)
                ))
            })?;
        Ok((question, Some(found)))
    } else if let Some(text) = args.max_cost {
        let max = parse_amount_cents(text).map_err(|e| Failure(format!("--max-cost: {e}")))?;
        let question = format!(
            "Most control with {cost_label} at most {} {currency}",
            format_cents(max)
        );
        let found = optimizer
            .most_control_within(evaluation, max)
            .ok_or_else(|| {
                let cheapest = optimizer.cheapest(evaluation).map_or(0, |a| a.cost_cents);
                Failure(format!(
                    "no plan costs at most {} {currency}: the cheapest plan's {cost_label} is {} {currency}",
                    format_cents(max),
                    format_cents(cheapest)
                ))
            })?;
        Ok((question, Some(found)))
    } else {
        Ok(("Trade-off frontier".to_owned(), None))
    }
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

/// Who saved, and when, for the plan's history.
#[must_use]
pub fn history_entry(note: &str) -> HistoryEntry {
    // The same name the app records: the preference when set, else the OS user.
    let user = crate::app::AppPaths::from_system()
        .map(|paths| {
            crate::app::Preferences::load(&paths.preferences_file())
                .0
                .user_name
        })
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(crate::app::default_user_name);
    HistoryEntry {
        saved_by: user,
        saved_at: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
        note: note.to_owned(),
    }
}

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
    let start_month = match start_month {
        Some(text) => YearMonth::parse(text).map_err(|e| Failure(format!("--start-month: {e}")))?,
        None => {
            let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
            YearMonth::parse(now.get(..7).unwrap_or("2010-02")).unwrap_or_default()
        }
    };
    let size = std::fs::metadata(inventory)
        .map_err(|e| Failure(format!("{}: cannot read: {e}", inventory.display())))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(Failure(format!(
            "{}: the file is larger than {} MiB",
            inventory.display(),
            MAX_FILE_BYTES >> 20
        )));
    }
    let bytes = std::fs::read(inventory)
        .map_err(|e| Failure(format!("{}: cannot read: {e}", inventory.display())))?;
    let text = String::from_utf8_lossy(&bytes);
    let customer = customer.map_or_else(
        || {
            inventory.file_stem().map_or_else(
                || "New customer".to_owned(),
                |s| s.to_string_lossy().into_owned(),
            )
        },
        str::to_owned,
    );
    let book = storage::default_price_book()?;
    let outcome = import_inventory(&text, &customer, start_month, book)
        .map_err(|e| Failure(format!("{}:{e}", inventory.display())))?;
    for row in &outcome.rejected {
        eprintln!("{}:{}: {}", inventory.display(), row.line, row.message);
    }
    let mut plan = outcome.plan;
    plan.history.push(history_entry(&format!(
        "Imported from {}",
        inventory.display()
    )));
    storage::save_plan_checked(output, &plan, None)?;
    println!(
        "{}: created with {} workload{} from {}{}",
        output.display(),
        plan.workloads.len(),
        if plan.workloads.len() == 1 { "" } else { "s" },
        inventory.display(),
        if outcome.rejected.is_empty() {
            String::new()
        } else {
            format!(
                "; {} row{} rejected (listed above)",
                outcome.rejected.len(),
                if outcome.rejected.len() == 1 { "" } else { "s" }
            )
        }
    );
    Ok(if outcome.rejected.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn money_change(old: Option<i64>, new: Option<i64>) -> String {
    let show = |v: Option<i64>| v.map_or_else(|| "none".to_owned(), format_cents);
    format!("{} -> {}", show(old), show(new))
}

pub fn diff(
    old_path: &Path,
    new_path: &Path,
    format: OutputFormat,
    exit_code: bool,
) -> Result<ExitCode, Failure> {
    let (old, _) = storage::load_plan(old_path)?;
    let (new, _) = storage::load_plan(new_path)?;
    let changes = crate::model::diff_plans(&old.plan, &new.plan);
    match format {
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&changes).unwrap_or_default()
        ),
        OutputFormat::Text => {
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
                        let _ = writeln!(out, "  {}", change);
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
                        let _ = writeln!(out, "      {}", change);
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
                        let _ = writeln!(out, "      {}", change);
                    }
                }
            }
            if !changes.totals.is_empty() {
                let currency = &new.plan.price_book.currency;
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
            print!("{out}");
        }
    }
    Ok(if exit_code && changes.has_changes() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
