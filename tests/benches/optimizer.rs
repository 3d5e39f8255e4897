//! Keyholder's optimizer side by side with `HiGHS`, an open-source MILP solver, on generated
//! realistic plans of 1,000, 10,000 and 100,000 workloads: "the cheapest plan with control at
//! least X" for X in {50, 70, 90} under both metrics, "the most control for at most Y" with Y
//! the cost of that answer (a tie at the bound), and the frontier for the chart.
//!
//! `cargo bench --bench optimizer --features highs` prints both times and their ratio, and
//! checks that the answers agree to the cent and the control unit. Without the feature only
//! Keyholder is timed. `KEYHOLDER_WRITE_FIXTURES=1` (with the feature) rewrites
//! `tests/fixtures/optimizer/highs-optima.json`, which `cargo test` compares against.
//! `KEYHOLDER_BENCH_SIZES=1000,10000` limits the sizes; `KEYHOLDER_BENCH_TERMS_ONLY=1` times only
//! the plans on the 2026 book with its purchase terms; `KEYHOLDER_BENCH_QUESTIONS=run-rate:70,tco:90`
//! asks only those questions (metric and X) and skips the frontier;
//! `KEYHOLDER_HIGHS_EVERY_QUESTION=1` also asks `HiGHS` "most control within" at 100,000;
//! `KEYHOLDER_HIGHS_START=1` gives `HiGHS` Keyholder's plan as its first incumbent.

#![allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    reason = "benchmark figures: cents and units far below 2^52"
)]

#[path = "../support/child_usage.rs"]
mod child_usage;
#[path = "../support/synthetic.rs"]
mod synthetic;

use std::fmt::Write as _;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use keyholder::model::{CostMetric, Decimal, Destination, Evaluation, Optimizer, Plan};

/// One generated plan.
#[derive(Clone, Copy)]
struct Instance {
    workloads: usize,
    seed: u64,
    /// Annual growth in tenths of a percent.
    growth_tenths: i64,
    horizon_months: u32,
}

impl Instance {
    fn plan(self) -> Plan {
        let mut plan = synthetic::synthetic_plan(self.workloads, self.seed);
        plan.assumptions.growth_pct = Decimal::new(self.growth_tenths, 1);
        plan.assumptions.horizon_months = self.horizon_months;
        plan
    }

    fn label(self) -> String {
        let mut label = format!("{} workloads", thousands(self.workloads));
        if self.growth_tenths != 0 {
            let _ = write!(label, ", growth {} %", Decimal::new(self.growth_tenths, 1));
        }
        label
    }
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The problem as a MILP solver sees it: per workload, per offered destination, (control
/// units, monthly cents, one-time cents), with control units = importance × control × 2 (the
/// default control model's scores are multiples of 0.5).
pub struct Mckp {
    pub options: Vec<Vec<(i64, i64, i64, Destination)>>,
    pub importance_total: i64,
    pub horizon_months: i64,
    /// Months and growth factor of each plan year.
    pub years: Vec<(i64, f64)>,
}

impl Mckp {
    fn of(plan: &Plan, evaluation: &Evaluation) -> Self {
        let units = |d: Destination| {
            let doubled = evaluation.control(d) * Decimal::TWO;
            assert!(
                doubled.fract().is_zero(),
                "the bench uses the default control model"
            );
            i64::try_from(doubled.mantissa() / 10_i128.pow(doubled.scale())).unwrap_or(0)
        };
        let options = plan
            .workloads
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let importance = i64::from(w.criticality.importance());
                Destination::ALL
                    .into_iter()
                    .filter_map(|d| {
                        evaluation
                            .option(i, d)
                            .map(|p| (importance * units(d), p.monthly_cents, p.one_time_cents, d))
                    })
                    .collect()
            })
            .collect();
        let horizon = i64::from(plan.assumptions.horizon_months);
        let growth = 1.0
            + plan
                .assumptions
                .growth_pct
                .to_string()
                .parse::<f64>()
                .unwrap_or(0.0)
                / 100.0;
        let years = (0..(horizon + 11) / 12)
            .map(|y| {
                (
                    (horizon - 12 * y).min(12),
                    growth.powi(i32::try_from(y).unwrap_or(0)),
                )
            })
            .collect();
        Self {
            options,
            importance_total: plan
                .workloads
                .iter()
                .map(|w| i64::from(w.criticality.importance()))
                .sum(),
            horizon_months: horizon,
            years,
        }
    }

    /// Control units a plan must reach for a score of at least `min_control` (whole points).
    fn need(&self, min_control: i64) -> i64 {
        2 * min_control * self.importance_total
    }
}

fn cpu_time() -> Duration {
    child_usage::own_cpu_time()
}

/// Median wall and CPU time of `runs` runs.
#[derive(Debug, Clone, Copy)]
struct Timing {
    wall: Duration,
    cpu: Duration,
}

/// Times `runs` runs; the medians and the last result.
fn time<T>(runs: usize, mut run: impl FnMut() -> T) -> (Timing, T) {
    let mut walls = Vec::with_capacity(runs);
    let mut cpus = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs.max(1) {
        let (start, start_cpu) = (Instant::now(), cpu_time());
        let result = run();
        walls.push(start.elapsed());
        cpus.push(cpu_time().saturating_sub(start_cpu));
        last = Some(result);
    }
    walls.sort();
    cpus.sort();
    let timing = Timing {
        wall: walls[walls.len() / 2],
        cpu: cpus[cpus.len() / 2],
    };
    (timing, last.expect("at least one run"))
}

/// "12.3 ms (CPU 11.9 ms)".
fn timing(t: Timing) -> String {
    format!("{} (CPU {})", ms(t.wall), ms(t.cpu))
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or_else(
        |_| "unknown".to_owned(),
        |l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
    )
}

/// What one solver answered: the plan's exact cost (by the engine) and control units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Optimum {
    cost_cents: i64,
    control_units: i64,
}

fn keyholder_units(score: Decimal, importance_total: i64) -> i64 {
    let units = score * Decimal::from(importance_total) * Decimal::TWO;
    i64::try_from(units.round().mantissa()).unwrap_or(0) / 10_i64.pow(units.round().scale())
}

#[cfg(feature = "highs")]
fn cost_of(totals: &keyholder::model::ScenarioTotals, metric: CostMetric) -> i64 {
    match metric {
        CostMetric::Tco => totals.tco_cents,
        CostMetric::RunRate => totals.run_rate_cents,
    }
}

#[cfg(feature = "highs")]
mod milp {
    //! The same questions for `HiGHS`: binary x[w][d] with one destination per workload, the
    //! control row, and the cost; with growth, integer z[y] ≥ R × factor − ½ per grown year
    //! (the least such z is the engine's rounding of R × factor, halves up).

    use highs::{ColProblem, HighsModelStatus, Sense};
    use keyholder::model::{CostMetric, Destination};

    use super::Mckp;

    pub struct Solved {
        pub destinations: Vec<Destination>,
    }

    #[derive(Clone, Copy)]
    enum Question {
        CheapestWithAtLeast(i64),
        MostControlWithin(i64),
    }

    #[allow(
        clippy::cast_precision_loss,
        clippy::float_cmp,
        reason = "cents and units far below 2^53; a factor of exactly 1 is a year without growth"
    )]
    fn solve(
        mckp: &Mckp,
        metric: CostMetric,
        question: Question,
        start: Option<&[Destination]>,
    ) -> Option<Solved> {
        let mut problem = ColProblem::default();
        let pick: Vec<highs::Row> = mckp
            .options
            .iter()
            .map(|_| problem.add_row(1.0..=1.0))
            .collect();
        let control = match question {
            Question::CheapestWithAtLeast(need) => problem.add_row(need as f64..),
            Question::MostControlWithin(_) => problem.add_row::<f64, _>(..),
        };
        let budget = match question {
            Question::MostControlWithin(budget) => Some(problem.add_row(..=budget as f64)),
            Question::CheapestWithAtLeast(_) => None,
        };
        let tco = metric == CostMetric::Tco;
        let grown: Vec<(i64, f64, highs::Row)> = mckp
            .years
            .iter()
            .filter(|(_, factor)| tco && *factor != 1.0)
            .map(|&(months, factor)| (months, factor, problem.add_row(-0.5 + 1e-6..)))
            .collect();
        let flat_months: i64 = if tco {
            mckp.years
                .iter()
                .filter(|(_, f)| *f == 1.0)
                .map(|(n, _)| *n)
                .sum()
        } else {
            1
        };
        let cheapest = matches!(question, Question::CheapestWithAtLeast(_));
        // Columns are numbered in the order they are added.
        let mut column = 0_usize;
        let columns: Vec<Vec<usize>> = mckp
            .options
            .iter()
            .zip(&pick)
            .map(|(options, &row)| {
                options
                    .iter()
                    .map(|&(units, monthly, one_time, _)| {
                        let cost = (flat_months * monthly + if tco { one_time } else { 0 }) as f64;
                        let mut entries = vec![(row, 1.0), (control, units as f64)];
                        entries.extend(budget.map(|b| (b, cost)));
                        entries.extend(grown.iter().map(|&(_, f, r)| (r, -f * monthly as f64)));
                        let objective = if cheapest { cost } else { units as f64 };
                        problem.add_integer_column(objective, 0.0..=1.0, entries);
                        column += 1;
                        column - 1
                    })
                    .collect()
            })
            .collect();
        for &(months, _, row) in &grown {
            let mut entries = vec![(row, 1.0)];
            entries.extend(budget.map(|b| (b, months as f64)));
            let objective = if cheapest { months as f64 } else { 0.0 };
            problem.add_integer_column(objective, 0.0.., entries);
        }
        let mut model = problem.optimise(if cheapest {
            Sense::Minimise
        } else {
            Sense::Maximise
        });
        model.make_quiet();
        // A known plan as HiGHS's first incumbent (its binaries; the plan-year rounding
        // columns have no start).
        if let Some(start) = start.filter(|_| grown.is_empty()) {
            let mut values = vec![0.0; column];
            for ((options, cols), chosen) in mckp.options.iter().zip(&columns).zip(start) {
                for (option, &col) in options.iter().zip(cols) {
                    if option.3 == *chosen {
                        values[col] = 1.0;
                    }
                }
            }
            model.set_solution(Some(&values), None, None, None);
        }
        // Integer objectives: a gap below one unit proves optimality.
        model.set_option("mip_rel_gap", 0.0);
        model.set_option("mip_abs_gap", 0.5);
        model.set_option("time_limit", super::highs_time_limit_s());
        let solved = model.solve();
        if solved.status() != HighsModelStatus::Optimal {
            return None;
        }
        let solution = solved.get_solution();
        let values = solution.columns();
        let destinations = mckp
            .options
            .iter()
            .zip(&columns)
            .map(|(options, cols)| {
                options
                    .iter()
                    .zip(cols)
                    .find(|(_, col)| values[**col] > 0.5)
                    .map_or(options[0].3, |(o, _)| o.3)
            })
            .collect();
        Some(Solved { destinations })
    }

    /// The cheapest plan with at least `need` control units.
    pub fn cheapest(
        mckp: &Mckp,
        metric: CostMetric,
        need: i64,
        start: Option<&[Destination]>,
    ) -> Option<Solved> {
        solve(mckp, metric, Question::CheapestWithAtLeast(need), start)
    }

    /// The most control units with a cost of at most `budget` cents.
    pub fn most_control(mckp: &Mckp, metric: CostMetric, budget: i64) -> Option<Solved> {
        solve(mckp, metric, Question::MostControlWithin(budget), None)
    }
}

/// Seconds `HiGHS` may take on one question (`KEYHOLDER_HIGHS_TIME_LIMIT`, default 600); a
/// question it does not settle in time is reported as such.
#[cfg(feature = "highs")]
fn highs_time_limit_s() -> f64 {
    std::env::var("KEYHOLDER_HIGHS_TIME_LIMIT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600.0)
}

/// Whether `HiGHS` answers "most control within" on the largest plans too
/// (`KEYHOLDER_HIGHS_EVERY_QUESTION=1`): each can take minutes there.
fn highs_asked_everything() -> bool {
    std::env::var_os("KEYHOLDER_HIGHS_EVERY_QUESTION").is_some()
}

/// Whether `HiGHS` gets Keyholder's plan as its first incumbent (`KEYHOLDER_HIGHS_START=1`).
fn highs_starts_from_ours() -> bool {
    std::env::var_os("KEYHOLDER_HIGHS_START").is_some()
}

/// Everything the run prints at the end.
#[derive(Default)]
struct Report {
    rows: Vec<String>,
    frontier_rows: Vec<String>,
    fixtures: Vec<String>,
    write_fixtures: bool,
}

fn main() {
    let sizes: Vec<usize> = std::env::var("KEYHOLDER_BENCH_SIZES").map_or_else(
        |_| vec![1_000, 10_000, 100_000],
        |s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect(),
    );
    let mut report = Report {
        write_fixtures: std::env::var_os("KEYHOLDER_WRITE_FIXTURES").is_some(),
        ..Report::default()
    };
    println!(
        "Optimizer benchmark (release build), load average before: {}",
        load()
    );
    let mut instances: Vec<Instance> = sizes
        .iter()
        .map(|&workloads| Instance {
            workloads,
            seed: 42,
            growth_tenths: 0,
            horizon_months: 36,
        })
        .collect();
    if sizes.contains(&1_000) {
        // With growth the TCO is not additive: HiGHS gets it modelled exactly with integer
        // rounding variables.
        instances.push(Instance {
            workloads: 1_000,
            seed: 43,
            growth_tenths: 30,
            horizon_months: 36,
        });
    }
    let terms_only = std::env::var_os("KEYHOLDER_BENCH_TERMS_ONLY").is_some();
    let chosen = chosen_questions();
    for instance in instances.into_iter().filter(|_| !terms_only) {
        bench_instance(instance, chosen.as_deref(), &mut report);
    }
    for &workloads in sizes.iter().filter(|_| chosen.is_none()) {
        bench_terms(workloads, &mut report);
    }
    println!("\nLoad average after: {}\n", load());
    println!("| Plan | Metric | Question | Keyholder | HiGHS | HiGHS / Keyholder | Same optimum |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for row in &report.rows {
        println!("{row}");
    }
    println!("\n| Plan | Metric | Frontier | Keyholder |\n| --- | --- | --- | --- |");
    for row in &report.frontier_rows {
        println!("{row}");
    }
    if report.write_fixtures {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/optimizer/highs-optima.json"
        );
        let text = format!("[\n{}\n]\n", report.fixtures.join(",\n"));
        std::fs::create_dir_all(std::path::Path::new(path).parent().expect("folder"))
            .expect("folder");
        std::fs::write(path, text).expect("write fixtures");
        println!("\nwrote {path}");
    }
}

/// The (metric, X) pairs `KEYHOLDER_BENCH_QUESTIONS` names, or `None` for every question.
fn chosen_questions() -> Option<Vec<(CostMetric, i64)>> {
    let text = std::env::var("KEYHOLDER_BENCH_QUESTIONS").ok()?;
    let pairs = text
        .split(',')
        .map(|pair| {
            let (metric, x) = pair
                .trim()
                .split_once(':')
                .expect("metric:X, e.g. run-rate:70");
            let metric = match metric {
                "tco" => CostMetric::Tco,
                "run-rate" => CostMetric::RunRate,
                other => panic!("unknown metric {other:?}: tco or run-rate"),
            };
            (metric, x.parse().expect("X is a whole number"))
        })
        .collect();
    Some(pairs)
}

fn bench_instance(instance: Instance, chosen: Option<&[(CostMetric, i64)]>, report: &mut Report) {
    let plan = instance.plan();
    let evaluation = Evaluation::new(&plan);
    let mckp = Mckp::of(&plan, &evaluation);
    let runs = match instance.workloads {
        0..=2_000 => 9,
        2_001..=20_000 => 5,
        _ => 3,
    };
    for metric in [CostMetric::Tco, CostMetric::RunRate] {
        if instance.growth_tenths != 0 && metric == CostMetric::RunRate {
            continue;
        }
        for x in [50_i64, 70, 90] {
            if chosen.is_none_or(|c| c.contains(&(metric, x))) {
                bench_question(instance, &evaluation, &mckp, metric, x, runs, report);
            }
        }
        if instance.growth_tenths == 0 && chosen.is_none() {
            let never = AtomicBool::new(false);
            let (frontier_time, frontier) = time(runs.min(3), || {
                Optimizer::new(&evaluation, metric).frontier_unless_cancelled(&never)
            });
            let frontier = frontier.expect("not cancelled");
            let line = format!(
                "| {} | {} | frontier ({} plans, {}) | {} |",
                instance.label(),
                metric.label(),
                thousands(frontier.points.len()),
                frontier.resolution,
                timing(frontier_time)
            );
            println!("  {line}");
            report.frontier_rows.push(line);
        }
    }
}

/// The same kind of plan on the 2026 book: every Azure purchase term and, for the third of the
/// workloads that own licences with Software Assurance, Hybrid Benefit, so several offers per
/// destination. Keyholder alone: the HiGHS model here has one option per destination.
fn bench_terms(workloads: usize, report: &mut Report) {
    let mut plan = synthetic::synthetic_plan(workloads, 44);
    plan.price_book =
        keyholder::storage::builtin_price_book("microsoft-2026.ron").expect("the 2026 book");
    for (i, workload) in plan.workloads.iter_mut().enumerate() {
        workload.licences_with_sa = i % 3 == 0;
    }
    let evaluation = Evaluation::new(&plan);
    let offers: usize = (0..workloads).map(|i| evaluation.offers_of(i).len()).sum();
    let label = format!(
        "{} workloads, 2026 book ({:.1} offers each)",
        thousands(workloads),
        offers as f64 / workloads.max(1) as f64
    );
    let runs = if workloads <= 2_000 { 9 } else { 3 };
    for metric in [CostMetric::Tco, CostMetric::RunRate] {
        for x in [50_i64, 70, 90] {
            let min = Decimal::from(x);
            let (took, answer) = time(runs, || {
                Optimizer::new(&evaluation, metric).cheapest_with_control_at_least(&evaluation, min)
            });
            let answer = answer.expect("every X ≤ 90 is reachable in these plans");
            assert!(answer.control_score >= min, "below the bound");
            assert!(answer.guarantee.is_exact());
            let line = format!(
                "| {label} | {} | control ≥ {x} | {} | not modelled (terms) | | |",
                metric.label(),
                timing(took)
            );
            println!("  {line}");
            report.rows.push(line);
        }
        let never = AtomicBool::new(false);
        let (took, frontier) = time(runs.min(3), || {
            Optimizer::new(&evaluation, metric).frontier_unless_cancelled(&never)
        });
        let frontier = frontier.expect("not cancelled");
        let line = format!(
            "| {label} | {} | frontier ({} plans, {}) | {} |",
            metric.label(),
            thousands(frontier.points.len()),
            frontier.resolution,
            timing(took)
        );
        println!("  {line}");
        report.frontier_rows.push(line);
    }
}

/// "Cheapest with control at least X", then "most control within" that answer's cost.
fn bench_question(
    instance: Instance,
    evaluation: &Evaluation,
    mckp: &Mckp,
    metric: CostMetric,
    x: i64,
    runs: usize,
    report: &mut Report,
) {
    let min = Decimal::from(x);
    let (keyholder_time, answer) = time(runs, || {
        let optimizer = Optimizer::new(evaluation, metric);
        optimizer.cheapest_with_control_at_least(evaluation, min)
    });
    let answer = answer.expect("every X ≤ 90 is reachable in these plans");
    assert!(answer.control_score >= min, "below the bound");
    assert!(answer.guarantee.is_exact());
    let ours = Optimum {
        cost_cents: answer.cost_cents,
        control_units: keyholder_units(answer.control_score, mckp.importance_total),
    };
    // Its own cost as a budget: a plan with at least its control must come back.
    let (budget_time, back) = time(runs, || {
        let optimizer = Optimizer::new(evaluation, metric);
        optimizer.most_control_within(evaluation, ours.cost_cents)
    });
    let back = back.expect("the answer fits its own cost");
    assert!(back.cost_cents <= ours.cost_cents, "over the budget");
    let back = Optimum {
        cost_cents: back.cost_cents,
        control_units: keyholder_units(back.control_score, mckp.importance_total),
    };
    assert!(back.control_units >= ours.control_units);
    let label = instance.label();
    let theirs = highs_pair(
        mckp,
        evaluation,
        metric,
        mckp.need(x),
        [ours, back],
        &answer.destinations,
        runs,
    );
    let mut highs_rows = [Highs::NotBuilt, Highs::NotBuilt];
    if let Some((highs_time, highs_optimum, highs_budget_time, highs_back)) = theirs {
        if let Some(highs_optimum) = highs_optimum {
            assert_eq!(ours, highs_optimum, "{label} {metric:?} X={x}");
            if report.write_fixtures && instance.workloads <= 10_000 {
                let case = fixture(instance, metric, "min_control", x, highs_optimum);
                report.fixtures.push(case);
            }
        }
        if let Some(highs_back) = highs_back {
            assert_eq!(back, highs_back, "{label} {metric:?} Y=answer({x})");
            if report.write_fixtures && instance.workloads <= 10_000 {
                let bound = ours.cost_cents;
                let case = fixture(instance, metric, "max_cost_cents", bound, highs_back);
                report.fixtures.push(case);
            }
        }
        highs_rows = [
            Highs::Ran(highs_time, highs_optimum.is_some()),
            if instance.workloads > 20_000 && !highs_asked_everything() {
                Highs::Skipped
            } else {
                Highs::Ran(highs_budget_time, highs_back.is_some())
            },
        ];
    }
    for ((question, ours_time), highs) in [
        (
            if highs_starts_from_ours()
                && (instance.growth_tenths == 0 || metric == CostMetric::RunRate)
            {
                format!("control ≥ {x} (HiGHS started from Keyholder's plan)")
            } else {
                format!("control ≥ {x}")
            },
            keyholder_time,
        ),
        (format!("cost ≤ answer({x})"), budget_time),
    ]
    .into_iter()
    .zip(highs_rows)
    {
        let line = row(instance, metric, &question, ours_time, highs);
        println!("  {line}");
        report.rows.push(line);
    }
}

/// What `HiGHS` did for a question.
#[derive(Debug, Clone, Copy)]
enum Highs {
    NotBuilt,
    /// Not asked (the largest plan: only the "control ≥ X" questions).
    Skipped,
    /// Its time, and whether it proved its optimum within the time limit.
    Ran(Timing, bool),
}

/// One table row (the answers were checked equal before a row is written).
fn row(
    instance: Instance,
    metric: CostMetric,
    question: &str,
    keyholder: Timing,
    highs: Highs,
) -> String {
    let (highs_text, ratio, same) = match highs {
        Highs::NotBuilt => ("not built (--features highs)".to_owned(), String::new(), ""),
        Highs::Skipped => ("not asked".to_owned(), String::new(), ""),
        Highs::Ran(h, finished) => {
            let ratio = format!(
                "{}{:.0}x (CPU {:.0}x)",
                if finished { "" } else { "> " },
                h.wall.as_secs_f64() / keyholder.wall.as_secs_f64(),
                h.cpu.as_secs_f64() / keyholder.cpu.as_secs_f64().max(1e-6)
            );
            if finished {
                (timing(h), ratio, "yes")
            } else {
                (
                    format!("> {} (time limit, no proven optimum)", timing(h)),
                    ratio,
                    "HiGHS unfinished",
                )
            }
        }
    };
    format!(
        "| {} | {} | {question} | {} | {highs_text} | {ratio} | {same} |",
        instance.label(),
        metric.label(),
        timing(keyholder),
    )
}

fn fixture(
    instance: Instance,
    metric: CostMetric,
    question: &str,
    bound: i64,
    optimum: Optimum,
) -> String {
    format!(
        "  {{\"workloads\": {}, \"seed\": {}, \"growth_tenths_pct\": {}, \"horizon_months\": {}, \"metric\": \"{}\", \"question\": \"{question}\", \"bound\": {bound}, \"cost_cents\": {}, \"control_units\": {}}}",
        instance.workloads,
        instance.seed,
        instance.growth_tenths,
        instance.horizon_months,
        match metric {
            CostMetric::Tco => "tco",
            CostMetric::RunRate => "run-rate",
        },
        optimum.cost_cents,
        optimum.control_units
    )
}

/// `HiGHS`'s times and optima for "cheapest with at least `need`" and "most control within
/// the cost of `ours[0]`", each optimum re-costed exactly by the engine (`None` for a question
/// it did not settle within the time limit). `ours` are Keyholder's two answers: a tie is
/// settled with a second solve only when `HiGHS` found another plan of the same cost (or
/// control), since its tie-breaking is arbitrary.
#[cfg(feature = "highs")]
#[allow(
    clippy::unnecessary_wraps,
    reason = "the same signature as without the feature, where there is no HiGHS"
)]
fn highs_pair(
    mckp: &Mckp,
    evaluation: &Evaluation,
    metric: CostMetric,
    need: i64,
    [ours, ours_back]: [Optimum; 2],
    start: &[Destination],
    runs: usize,
) -> Option<(Timing, Option<Optimum>, Timing, Option<Optimum>)> {
    let budget = ours.cost_cents;
    // HiGHS takes seconds to minutes on the largest plans: fewer repeats there.
    let runs = if mckp.options.len() > 20_000 {
        1
    } else {
        runs.min(3)
    };
    let exact = |solved: milp::Solved| {
        let totals = evaluation.totals_of_destinations("HiGHS", &solved.destinations);
        Optimum {
            cost_cents: cost_of(&totals, metric),
            control_units: keyholder_units(totals.control_score, mckp.importance_total),
        }
    };
    // KEYHOLDER_HIGHS_START=1: Keyholder's plan as HiGHS's first incumbent, so that HiGHS
    // has only to prove (or better) it.
    let start = highs_starts_from_ours().then_some(start);
    let (cheapest_time, cheapest) = time(runs, || milp::cheapest(mckp, metric, need, start));
    // On the largest plans HiGHS answers the questions ("control ≥ X") only: each
    // can take minutes.
    let (budget_time, most) = if mckp.options.len() > 20_000 && !highs_asked_everything() {
        (cheapest_time, None)
    } else {
        time(runs, || milp::most_control(mckp, metric, budget))
    };
    let cheapest = cheapest.map(exact).map(|mut cheapest| {
        // HiGHS breaks ties in cost arbitrarily: the most control among plans of that cost.
        if cheapest.cost_cents == ours.cost_cents
            && cheapest.control_units != ours.control_units
            && let Some(tied) = milp::most_control(mckp, metric, cheapest.cost_cents).map(exact)
            && tied.cost_cents == cheapest.cost_cents
        {
            cheapest.control_units = cheapest.control_units.max(tied.control_units);
        }
        cheapest
    });
    let most = most.map(exact).map(|mut most| {
        // And ties in control: the cheapest plan with that much control.
        if most.control_units == ours_back.control_units
            && most.cost_cents != ours_back.cost_cents
            && let Some(tied) = milp::cheapest(mckp, metric, most.control_units, None).map(exact)
            && tied.control_units == most.control_units
        {
            most.cost_cents = most.cost_cents.min(tied.cost_cents);
        }
        most
    });
    Some((cheapest_time, cheapest, budget_time, most))
}

#[cfg(not(feature = "highs"))]
fn highs_pair(
    _: &Mckp,
    _: &Evaluation,
    _: CostMetric,
    _: i64,
    _: [Optimum; 2],
    _: &[Destination],
    _: usize,
) -> Option<(Timing, Option<Optimum>, Timing, Option<Optimum>)> {
    None
}
