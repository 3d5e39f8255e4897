//! One function per command; each returns its exit code or a message for stderr.

// Notes are written into a String (`write!` on a String cannot fail).
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use super::{
    Audience, ChartArg, Failure, Metric, OutputFormat, PaperArg, PlanReportFormat, ReportFormat,
    output,
};
use crate::import::{
    ImportProgress, InventorySettings, customer_from_file_name, import_inventory_file,
};
use crate::model::{
    Answer, ChangeKind, CostMetric, Destination, Evaluation, Frontier, HistoryEntry, Offer,
    Optimizer, Picks, Plan, PlanMerge, ScenarioTotals, Side, TermKind, TotalsChange, YearMonth,
    format_cents, format_control, merge_effect, merge_plans, parse_amount_cents, validate,
    warnings,
};
use crate::report;
use crate::storage::{self, Expect, FileStamp};

/// Loads and validates a plan, or explains why not: each problem as
/// `PLAN:LINE:COL: field: message` (`PLAN: field: message` where the file does not write the
/// field). A plan that passes can be evaluated: validation also checks its figures.
fn load_valid(path: &Path) -> Result<(Plan, FileStamp), Failure> {
    let (loaded, stamp, issues) = storage::load_and_validate(path)?;
    for field in &loaded.unknown_fields {
        output::error_line(&format!(
            "{}: warning: unknown field `{field}` is ignored (it would be lost on save)",
            path.display()
        ));
    }
    if !issues.is_empty() {
        let lines: Vec<String> = issues
            .iter()
            .map(|issue| match issue.position {
                Some(_) => format!("{}:{issue}", path.display()),
                None => format!("{}: {issue}", path.display()),
            })
            .collect();
        return Err(Failure(lines));
    }
    Ok((loaded.plan, stamp))
}

/// The evaluation of a validated plan; an error names the file (it cannot happen for a plan
/// that passed validation, which evaluates it too).
fn evaluate(path: &Path, plan: &Plan) -> Result<Evaluation, Failure> {
    Evaluation::try_new(plan).map_err(|e| Failure::new(format!("{}: {e}", path.display())))
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
                output::line(&format!(
                    "{}: ok ({} workload{}, {} scenario{})",
                    path.display(),
                    plan.workloads.len(),
                    if plan.workloads.len() == 1 { "" } else { "s" },
                    plan.scenarios.len(),
                    if plan.scenarios.len() == 1 { "" } else { "s" },
                ));
                print_warnings(path, &plan, usize::MAX);
            }
            Err(Failure(lines)) => {
                for each in &lines {
                    output::error_line(each);
                }
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
    use std::io::IsTerminal as _;

    let path = args.plan;
    let format = args.format;
    if format == PlanReportFormat::Pdf && args.output.is_none() && std::io::stdout().is_terminal() {
        return Err(Failure::new(
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
            charts: matches!(format, PlanReportFormat::Html | PlanReportFormat::Pdf),
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
    if let Some(file) = args.output {
        storage::write_atomically(file, &bytes)
            .map_err(|e| Failure::new(format!("{}: {e}", file.display())))?;
    } else if format == PlanReportFormat::Pdf {
        output::bytes(&bytes);
    } else {
        // Every text format is UTF-8 made by the report writers.
        output::block(&String::from_utf8_lossy(&bytes));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn chart(path: &Path, chart: ChartArg, size: &str, file: &Path) -> Result<ExitCode, Failure> {
    let size = report::ChartSize::parse(size).map_err(|e| Failure::new(format!("--size: {e}")))?;
    let kind = match chart {
        ChartArg::TradeOff => report::ChartKind::TradeOff,
        ChartArg::CashFlow => report::ChartKind::CashFlow,
    };
    let svg = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    let png = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("png"));
    if !svg && !png {
        return Err(Failure::new(format!(
            "{}: name the file .png or .svg",
            file.display()
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
    storage::write_atomically(file, &bytes)
        .map_err(|e| Failure::new(format!("{}: {e}", file.display())))?;
    output::line(&format!(
        "{}: {} chart, {size} pixels",
        file.display(),
        kind.file_stem()
    ));
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
    /// Each workload's offer: destination, purchase term and Hybrid Benefit.
    #[serde(skip_serializing_if = "Option::is_none")]
    offers: Option<std::collections::BTreeMap<String, OfferJson>>,
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
struct OfferJson {
    destination: Destination,
    term: TermKind,
    hybrid_benefit: bool,
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
    let (plan, stamp) = load_valid(args.plan)?;
    let save_as = args.save_as.map(str::trim);
    if let Some(name) = save_as {
        if name.is_empty() {
            return Err(Failure::new("--save-as: the scenario needs a name"));
        }
        if plan.scenarios.iter().any(|s| s.name.trim() == name) {
            return Err(Failure::new(format!(
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

    let answer = found
        .map(|found| {
            let name = save_as.unwrap_or(&question);
            let scenario = evaluation.scenario_from_offers(&plan, name, &found.offers);
            let totals = evaluation
                .try_scenario(&scenario)
                .map_err(|e| Failure::new(format!("{}: {e}", args.plan.display())))?;
            Ok::<_, Failure>((found.offers, scenario, totals))
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
            return Err(Failure::new(format!(
                "{}: not saved: {issue}",
                args.plan.display()
            )));
        }
        save(args.plan, &saved, &Expect::Unchanged(stamp))?;
        output::error_line(&format!(
            "{}: saved scenario \"{name}\"",
            args.plan.display()
        ));
    }

    print_optimize(
        args.format,
        &plan,
        &evaluation,
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
    answer: Option<(&'a [Offer], &'a ScenarioTotals)>,
    frontier: Option<&'a Frontier>,
}

fn print_optimize(
    format: OutputFormat,
    plan: &Plan,
    evaluation: &Evaluation,
    printed: &Printed<'_>,
) {
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
                assignment: printed.answer.map(|(offers, _)| {
                    plan.workloads
                        .iter()
                        .zip(offers)
                        .map(|(w, o)| (w.id.clone(), o.destination))
                        .collect()
                }),
                offers: printed.answer.map(|(offers, _)| {
                    plan.workloads
                        .iter()
                        .zip(offers)
                        .map(|(w, o)| {
                            (
                                w.id.clone(),
                                OfferJson {
                                    destination: o.destination,
                                    term: o.term,
                                    hybrid_benefit: o.hybrid_benefit,
                                },
                            )
                        })
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
            // JSON escapes every control character itself; its own line ends are kept.
            output::block(&format!(
                "{}\n",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            ));
        }
        OutputFormat::Text => {
            let mut out = String::new();
            push_line(
                &mut out,
                &format!(
                    "{} ({}, {}).",
                    printed.question, printed.cost_label, printed.resolution
                ),
            );
            if let Some((offers, totals)) = printed.answer {
                write_answer(&mut out, plan, evaluation, offers, totals, printed.currency);
            }
            if let Some(frontier) = printed.frontier {
                out.push('\n');
                push_line(
                    &mut out,
                    &format!(
                        "Frontier ({} points, control ascending):",
                        frontier.points.len()
                    ),
                );
                push_line(&mut out, &format!("  {}", frontier.resolution));
                push_line(
                    &mut out,
                    &format!("  {:>8}  {}", "control", printed.cost_label),
                );
                for p in &frontier.points {
                    push_line(
                        &mut out,
                        &format!(
                            "  {:>8}  {} {}",
                            format_control(p.control_score),
                            format_cents(p.cost_cents),
                            printed.currency
                        ),
                    );
                }
            }
            output::block(&out);
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
            Failure::new(format!(
                "--min-control: '{text}' is not a number from 0 to 100"
            ))
        })?;
        if min < Decimal::ZERO || min > Decimal::ONE_HUNDRED {
            return Err(Failure::new(format!(
                "--min-control: {min} is outside 0–100"
            )));
        }
        let question = format!("Cheapest plan with control at least {}", min.normalize());
        let found = optimizer
            .cheapest_with_control_at_least(evaluation, min)
            .ok_or_else(|| {
                let best = optimizer
                    .most_control(evaluation)
                    .map_or(Decimal::ZERO, |a| a.control_score);
                Failure::new(format!(
                    "no plan reaches control {}: the most control possible is {}",
                    min.normalize(),
                    control_below(best, min)
                ))
            })?;
        Ok((question, Some(found)))
    } else if let Some(text) = args.max_cost {
        let max = parse_amount_cents(text).map_err(|e| Failure::new(format!("--max-cost: {e}")))?;
        let question = format!(
            "Most control with {cost_label} at most {} {currency}",
            format_cents(max)
        );
        let found = optimizer
            .most_control_within(evaluation, max)
            .ok_or_else(|| {
                let cheapest = optimizer.cheapest(evaluation).map_or(0, |a| a.cost_cents);
                Failure::new(format!(
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
    evaluation: &Evaluation,
    offers: &[Offer],
    totals: &ScenarioTotals,
    currency: &str,
) {
    push_line(
        out,
        &format!(
            "  control {}, TCO {} {currency}, run rate {} {currency} per month, one-time {} {currency}",
            format_control(totals.control_score),
            format_cents(totals.tco_cents),
            format_cents(totals.run_rate_cents),
            format_cents(totals.one_time_cents)
        ),
    );
    if totals.upfront_cents != 0 {
        push_line(
            out,
            &format!(
                "  of the one-time, {} {currency} are upfront payments for commitments",
                format_cents(totals.upfront_cents)
            ),
        );
    }
    if totals.commitment_past_horizon_cents != 0 {
        push_line(
            out,
            &format!(
                "  commitments run past the horizon: {} {currency} more is committed after it (not in the TCO)",
                format_cents(totals.commitment_past_horizon_cents)
            ),
        );
    }
    let book = &plan.price_book;
    let moves: Vec<String> = plan
        .workloads
        .iter()
        .zip(offers)
        .enumerate()
        .filter(|(i, (_, o))| evaluation.current_offer(*i) != Some(**o))
        .map(|(i, (w, o))| {
            let today = evaluation
                .current_offer(i)
                .map_or_else(|| w.current.label().to_owned(), |c| book.offer_label(&c));
            format!(
                "  {} ({}): {today} -> {}",
                w.name,
                w.id,
                book.offer_label(o)
            )
        })
        .collect();
    if moves.is_empty() {
        push_line(out, "  Nothing moves.");
    } else {
        push_line(out, "  Moves:");
        for line in moves {
            push_line(out, &format!("  {line}"));
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
        output::error_line(&format!("{}: warning: {problem}", path.display()));
    }
    Ok(())
}

/// Prints the plan's warnings (non-fatal problems) on stderr as `PLAN: warning: field:
/// message`, at most `limit` of them, then how many more there are.
fn print_warnings(path: &Path, plan: &Plan, limit: usize) {
    let found = warnings(plan);
    for issue in found.iter().take(limit) {
        output::error_line(&format!("{}: warning: {issue}", path.display()));
    }
    if found.len() > limit {
        output::error_line(&format!(
            "{0}: warning: and {1} more warning{2} like these; `keyholder check {0}` lists them all",
            path.display(),
            found.len() - limit,
            if found.len() - limit == 1 { "" } else { "s" }
        ));
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
        return Err(Failure::new(format!(
            "{}: the file already exists; choose another name (import never overwrites a plan)",
            output.display()
        )));
    }
    let start_month = if let Some(text) = start_month {
        YearMonth::parse(text).map_err(|e| Failure::new(format!("--start-month: {e}")))?
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
        output::error_line(&format!(
            "{}:{}: {}",
            inventory.display(),
            row.line,
            row.message
        ));
    }
    if let Some(caution) = outcome.encoding_caution() {
        output::error_line(&format!("{}: warning: {caution}", inventory.display()));
    }
    if outcome.rows_imported() == 0 {
        return Err(Failure::new(format!(
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
    output::line(&format!(
        "{}: created with {} workload{} from {}: {summary}",
        output.display(),
        plan.workloads.len(),
        if plan.workloads.len() == 1 { "" } else { "s" },
        inventory.display(),
    ));
    Ok(if rejected {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
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
        (Err(Failure(mut a)), Err(Failure(b))) => {
            a.extend(b);
            return Err(Failure(a));
        }
        (Err(failure), _) | (_, Err(failure)) => return Err(failure),
    };
    let changes = crate::model::try_diff_plans(&old, &new).map_err(|e| {
        Failure::new(format!(
            "{} -> {}: {e}",
            old_path.display(),
            new_path.display()
        ))
    })?;
    match format {
        OutputFormat::Json => output::block(&format!(
            "{}\n",
            serde_json::to_string_pretty(&changes).unwrap_or_default()
        )),
        OutputFormat::Text => output::block(&report::diff_to_text(
            &old_path.display().to_string(),
            &new_path.display().to_string(),
            &changes,
            &new.price_book.currency,
        )),
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
        Some(text) => YearMonth::parse(text).map_err(|e| Failure::new(format!("--as-of: {e}")))?,
        None => crate::clock::this_month(),
    };
    let portfolio = Portfolio::read(folder, as_of, &Progress::default())?;
    if portfolio.rows.is_empty() {
        return Err(Failure::new(format!(
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
    output::block(&text);
    for note in &portfolio.notes {
        output::error_line(&format!("warning: {note}"));
    }
    for row in &portfolio.rows {
        if row.status() == RowStatus::ConflictCopy {
            for copy in &row.conflict_copies {
                output::error_line(&format!(
                    "{}: warning: unsaved conflict copy of {}",
                    copy.display(),
                    row.path.display()
                ));
            }
        }
    }
    let mut failed = false;
    for row in portfolio.problems() {
        failed = true;
        if let Some(problem) = &row.problem {
            for line in &problem.lines {
                output::error_line(line);
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

// ---------------------------------------------------------------------------------------
// keyholder merge, keyholder merge-driver

pub struct MergeArgs<'a> {
    pub base: &'a Path,
    pub mine: &'a Path,
    pub theirs: &'a Path,
    pub output: &'a Path,
    pub prefer: Option<Side>,
    pub format: OutputFormat,
}

/// Reads one of the plans of a merge; unknown fields are reported (they would be lost).
fn load_for_merge(path: &Path) -> Result<Plan, Failure> {
    let (loaded, _) = storage::load_plan(path)?;
    for field in &loaded.unknown_fields {
        output::error_line(&format!(
            "{}: warning: unknown field `{field}` is ignored (it is not in the merged plan)",
            path.display()
        ));
    }
    Ok(loaded.plan)
}

/// The problems of the merged plan that neither copy had: two changes that each made
/// sense alone but not together (theirs chose BPOS for a workload mine now requires OS
/// admin on).
fn new_problems(merged: &Plan, mine: &Plan, theirs: &Plan) -> Vec<String> {
    let known: std::collections::BTreeSet<String> = validate(mine)
        .iter()
        .chain(&validate(theirs))
        .map(ToString::to_string)
        .collect();
    validate(merged)
        .iter()
        .map(ToString::to_string)
        .filter(|problem| !known.contains(problem))
        .collect()
}

/// The scenarios whose totals the merge changes, compared with mine.
fn changed_totals(mine: &Plan, merged: &Plan) -> Vec<TotalsChange> {
    merge_effect(mine, &Evaluation::new(mine), merged)
        .into_iter()
        .filter(|t| {
            t.old_tco_cents != t.new_tco_cents
                || t.old_run_rate_cents != t.new_run_rate_cents
                || t.old_control_score != t.new_control_score
        })
        .collect()
}

/// What a merge did, for a person: counts, theirs' changes taken, conflicts, problems and
/// the effect on the totals.
fn merge_text(
    merge: &PlanMerge,
    totals: &[TotalsChange],
    problems: &[String],
    currency: &str,
) -> String {
    // Every line through `push_line`: names and values come from colleagues' files.
    let mut out = String::new();
    let plural = |count: usize| if count == 1 { "" } else { "s" };
    push_line(
        &mut out,
        &format!(
            "{} change{} from mine, {} from theirs, {} made in both, {} conflict{}",
            merge.count(ChangeKind::Mine),
            plural(merge.count(ChangeKind::Mine)),
            merge.count(ChangeKind::Theirs),
            merge.count(ChangeKind::Both),
            merge.count(ChangeKind::Conflict),
            plural(merge.count(ChangeKind::Conflict)),
        ),
    );
    if merge.count(ChangeKind::Theirs) > 0 {
        push_line(&mut out, "Taken from theirs");
        for (part, change) in merge.changes_of(ChangeKind::Theirs) {
            push_line(&mut out, &format!("  {}", part.line(change, Side::Theirs)));
        }
    }
    if merge.count(ChangeKind::Conflict) > 0 {
        push_line(&mut out, "Conflicts (base -> mine | theirs)");
        for (part, change) in merge.changes_of(ChangeKind::Conflict) {
            let taken = match change.resolution {
                Some(side) => format!("  [took {}]", side.key()),
                None => "  [unresolved: mine kept]".to_owned(),
            };
            push_line(
                &mut out,
                &format!("  {}: {}{taken}", part.key(change), change.sides()),
            );
        }
    }
    for problem in problems {
        push_line(&mut out, &format!("Problem in the merged plan: {problem}"));
    }
    if !totals.is_empty() {
        push_line(
            &mut out,
            &format!("Effect on the totals, mine -> merged ({currency})"),
        );
        for t in totals {
            push_line(
                &mut out,
                &format!("  {}", crate::model::DiffRow::Totals(t).text()),
            );
        }
    }
    out
}

#[derive(Serialize)]
struct MergeJson<'a> {
    output: String,
    /// No conflict left unresolved and no new problem.
    clean: bool,
    unresolved: usize,
    parts: &'a [crate::model::PartMerge],
    totals: &'a [TotalsChange],
    problems: &'a [String],
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

pub fn merge(args: &MergeArgs<'_>) -> Result<ExitCode, Failure> {
    let base = load_for_merge(args.base)?;
    let mine = load_for_merge(args.mine)?;
    let theirs = load_for_merge(args.theirs)?;
    let picks = args.prefer.map_or_else(Picks::default, Picks::prefer);
    let merge = merge_plans(&base, &mine, &theirs, &picks);
    let problems = new_problems(&merge.plan, &mine, &theirs);
    let totals = changed_totals(&mine, &merge.plan);
    let unresolved = merge.unresolved();

    let mut plan = merge.plan.clone();
    let mut note = format!(
        "Merged {} into {} (keyholder merge)",
        file_name(args.theirs),
        file_name(args.mine)
    );
    if unresolved > 0 {
        let _ = write!(note, "; {unresolved} conflict(s) left with mine");
    }
    plan.history.push(history_entry(&note));
    let expect = if args.output.exists() {
        // OUT may be MINE itself: merged in place, the replaced version kept as a backup.
        Expect::Replace
    } else {
        Expect::NewFile
    };
    save(args.output, &plan, &expect)?;

    match args.format {
        OutputFormat::Json => {
            let json = MergeJson {
                output: args.output.display().to_string(),
                clean: unresolved == 0 && problems.is_empty(),
                unresolved,
                parts: &merge.parts,
                totals: &totals,
                problems: &problems,
            };
            output::block(&format!(
                "{}\n",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            ));
        }
        OutputFormat::Text => {
            output::line(&format!(
                "Merged {} into {} (common version {}) -> {}",
                args.theirs.display(),
                args.mine.display(),
                args.base.display(),
                args.output.display()
            ));
            output::block(&merge_text(
                &merge,
                &totals,
                &problems,
                &merge.plan.price_book.currency,
            ));
        }
    }
    if unresolved > 0 {
        output::error_line(&format!(
            "{}: {unresolved} conflict{} left unresolved (the file holds mine for {}); pick with --prefer mine|theirs, or merge in the app",
            args.output.display(),
            if unresolved == 1 { "" } else { "s" },
            if unresolved == 1 { "it" } else { "them" }
        ));
    }
    Ok(if unresolved > 0 || !problems.is_empty() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

pub struct DriverArgs<'a> {
    pub ancestor: &'a Path,
    pub current: &'a Path,
    pub other: &'a Path,
    pub path_name: Option<&'a str>,
    pub prefer: Option<Side>,
}

/// The git merge driver. Git gives three temporary files and reads the result from %A;
/// status 0 means merged, anything else leaves the file marked as conflicted. What happened
/// goes to stderr, which git shows.
pub fn merge_driver(args: &DriverArgs<'_>) -> Result<ExitCode, Failure> {
    let name = args
        .path_name
        .map_or_else(|| args.current.display().to_string(), str::to_owned);
    let plans = (
        storage::load_plan(args.ancestor),
        storage::load_plan(args.current),
        storage::load_plan(args.other),
    );
    let (base, mine, theirs) = match plans {
        (Ok((base, _)), Ok((mine, _)), Ok((theirs, _))) => (base.plan, mine.plan, theirs.plan),
        (base, mine, theirs) => {
            // Not three plans (a price book, a file added on both branches, a broken
            // version): merge it as git would have without this driver.
            let ours_is_a_plan = mine.is_ok();
            let why = [base.err(), mine.err(), theirs.err()]
                .into_iter()
                .flatten()
                .map(|e| e.to_string())
                .next()
                .unwrap_or_default();
            return line_merge(args, &name, &why, ours_is_a_plan);
        }
    };
    let picks = args.prefer.map_or_else(Picks::default, Picks::prefer);
    let merge = merge_plans(&base, &mine, &theirs, &picks);
    let problems = new_problems(&merge.plan, &mine, &theirs);
    let unresolved = merge.unresolved();
    let mut plan = merge.plan.clone();
    plan.history.push(history_entry(&format!(
        "Merged in git (keyholder merge-driver){}",
        if unresolved > 0 {
            format!("; {unresolved} conflict(s) left with ours")
        } else {
            String::new()
        }
    )));
    // Git's own temporary file: no backup, nothing to check it against.
    storage::save_plan_file(args.current, &plan, &Expect::Replace, None)?;
    let totals = changed_totals(&mine, &merge.plan);
    let text = merge_text(&merge, &totals, &problems, &merge.plan.price_book.currency);
    output::error_lines(&format!("{name}: merged as a plan: {}", text.trim_end()));
    if unresolved > 0 {
        output::error_lines(&format!(
            "{name}: {unresolved} conflict{} left: the file holds ours (your branch's values) for {}. To take theirs instead:\n  git show :1:{name} > base.ron && git show :3:{name} > theirs.ron && keyholder merge base.ron {name} theirs.ron -o {name} --prefer theirs",
            if unresolved == 1 { "" } else { "s" },
            if unresolved == 1 { "it" } else { "them" }
        ));
    }
    Ok(if unresolved > 0 || !problems.is_empty() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `git merge-file`: the line-by-line merge git does by default, with conflict markers.
/// When ours was a plan, a result that no longer reads as one is a conflict, not a merge
/// (their version may be broken), so git does not commit it.
fn line_merge(
    args: &DriverArgs<'_>,
    name: &str,
    why: &str,
    ours_is_a_plan: bool,
) -> Result<ExitCode, Failure> {
    output::error_line(&format!(
        "{name}: not merged as a plan ({why}); merged line by line instead"
    ));
    let status = std::process::Command::new("git")
        .args(["merge-file", "-L", "ours", "-L", "base", "-L", "theirs"])
        .arg(args.current)
        .arg(args.ancestor)
        .arg(args.other)
        .status()
        .map_err(|e| Failure::new(format!("{name}: git merge-file could not run: {e}")))?;
    if !status.success() {
        return Ok(ExitCode::FAILURE);
    }
    if ours_is_a_plan && let Err(error) = storage::load_plan(args.current) {
        output::error_line(&format!(
            "{name}: the merged lines are not a plan Keyholder can read ({error}); left as a conflict to fix by hand"
        ));
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// Appends one line of the text output, whatever its pieces hold shown rather than acted on
/// by a terminal (names from a plan can hold escape sequences or newlines).
fn push_line(out: &mut String, line: &str) {
    out.push_str(&crate::report::terminal_safe(line));
    out.push('\n');
}
