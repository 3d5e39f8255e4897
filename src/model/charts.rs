//! The data every chart and the roadmap are drawn from, computed from the engine's figures
//! so that a point on screen is the number in `keyholder report`.

use rust_decimal::prelude::ToPrimitive;

use super::destination::Destination;
use super::engine::{Evaluation, ScenarioTotals};
use super::number::Cents;
use super::optimizer::{CostMetric, FrontierPoint};
use super::plan::{Plan, Scenario, YearMonth};

/// A scenario's cost under a metric.
#[must_use]
pub const fn scenario_cost(totals: &ScenarioTotals, metric: CostMetric) -> Cents {
    match metric {
        CostMetric::Tco => totals.tco_cents,
        CostMetric::RunRate => totals.run_rate_cents,
    }
}

/// A point of the trade-off chart: control score (x) and cost (y).
#[derive(Debug, Clone, PartialEq)]
pub struct TradeOffPoint {
    pub label: String,
    pub control: f64,
    pub cost_cents: Cents,
}

/// One point per scenario, in the plan's order.
#[must_use]
pub fn scenario_points(totals: &[ScenarioTotals], metric: CostMetric) -> Vec<TradeOffPoint> {
    totals
        .iter()
        .map(|t| TradeOffPoint {
            label: t.name.clone(),
            control: t.control_score.to_f64().unwrap_or(0.0),
            cost_cents: scenario_cost(t, metric),
        })
        .collect()
}

/// The frontier as a step line: for each control level x, the least cost of a plan with at
/// least x control. Vertices `[control, cost]`, with at most about `max_vertices` of them
/// (a frontier of many thousands of points is thinned for drawing, keeping its ends).
#[must_use]
pub fn frontier_steps(points: &[FrontierPoint], max_vertices: usize) -> Vec<[f64; 2]> {
    let shown = thin(points, max_vertices / 2);
    let mut vertices = Vec::with_capacity(shown.len() * 2);
    let mut previous_control = 0.0;
    for point in shown {
        let control = point.control_score.to_f64().unwrap_or(0.0);
        #[expect(clippy::cast_precision_loss, reason = "cents well below 2^53")]
        let cost = point.cost_cents as f64;
        vertices.push([previous_control, cost]);
        vertices.push([control, cost]);
        previous_control = control;
    }
    vertices
}

/// At most `limit` points spread evenly over `points`, always with the first and last.
#[must_use]
pub fn thin<T: Clone>(points: &[T], limit: usize) -> Vec<T> {
    let limit = limit.max(2);
    if points.len() <= limit {
        return points.to_vec();
    }
    let last = points.len() - 1;
    (0..limit)
        .map(|i| points[i * last / (limit - 1)].clone())
        .collect()
}

/// One allowed destination of one workload, for the workload view.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadOption {
    pub workload: usize,
    pub destination: Destination,
    pub control: f64,
    /// The workload's cost there under the metric (see [`Evaluation::cost_under`]).
    pub cost_cents: Cents,
    pub is_current: bool,
    pub is_chosen: bool,
}

/// Every offered destination of the given workloads, with the current and the scenario's
/// choice marked.
#[must_use]
pub fn workload_options(
    evaluation: &Evaluation,
    scenario: Option<&Scenario>,
    metric: CostMetric,
    workloads: &[usize],
) -> Vec<WorkloadOption> {
    let chosen = scenario.map(|s| evaluation.final_destinations(s));
    let mut options = Vec::with_capacity(workloads.len() * 4);
    for &index in workloads {
        let Some(current) = evaluation.current(index) else {
            continue;
        };
        let choice = chosen
            .as_ref()
            .and_then(|c| c.get(index).copied())
            .unwrap_or(current);
        for destination in Destination::ALL {
            if let Some(pricing) = evaluation.option(index, destination) {
                options.push(WorkloadOption {
                    workload: index,
                    destination,
                    control: evaluation.control(destination).to_f64().unwrap_or(0.0),
                    cost_cents: evaluation.cost_under(pricing, metric),
                    is_current: destination == current,
                    is_chosen: destination == choice,
                });
            }
        }
    }
    options
}

/// The fiscal year (named by the calendar year it ends in) and quarter (1–4) of a month.
#[must_use]
pub fn fiscal_quarter(month: YearMonth, fiscal_start_month: u8) -> (i32, u8) {
    let start = fiscal_start_month.clamp(1, 12);
    let year = if start == 1 || month.month < start {
        month.year
    } else {
        month.year + 1
    };
    let offset = (month.month + 12 - start) % 12;
    (year, offset / 3 + 1)
}

/// The English name of a month, 1 = January.
#[must_use]
pub fn month_name(month: u8) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES
        .get(usize::from(month.clamp(1, 12)) - 1)
        .copied()
        .unwrap_or("January")
}

/// `"2010-03"` style label of month `t` of the plan, with its fiscal quarter.
#[must_use]
pub fn month_label(plan: &Plan, t: u32) -> String {
    let month = plan.assumptions.start_month.plus_months(t);
    let (year, quarter) = fiscal_quarter(month, plan.customer.fiscal_year_start_month);
    format!("{month} (FY{:02} Q{quarter})", year.rem_euclid(100))
}

/// One move in the roadmap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoadmapMove {
    pub workload: usize,
    pub from: Destination,
    pub to: Destination,
    pub move_month: u32,
    pub one_time_cents: Cents,
    /// Monthly cost after the move minus before it.
    pub monthly_change_cents: Cents,
    /// The move falls at or after the end of the horizon: within the horizon the workload
    /// stays where it is, and no total counts the move.
    pub outside_horizon: bool,
}

/// The moves of one fiscal quarter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoadmapQuarter {
    pub fiscal_year: i32,
    pub quarter: u8,
    pub moves: Vec<RoadmapMove>,
    pub one_time_cents: Cents,
    pub monthly_change_cents: Cents,
}

/// A scenario's roadmap: the moves within the horizon by fiscal quarter, and apart from
/// them the moves scheduled at or after its end (so a view or report can say that they fall
/// outside the horizon).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roadmap {
    pub quarters: Vec<RoadmapQuarter>,
    /// In time order, each marked [`RoadmapMove::outside_horizon`].
    pub outside_horizon: Vec<RoadmapMove>,
}

/// The scenario's moves within the horizon grouped by the customer's fiscal quarters, in
/// time order (the moves after the horizon are in [`scenario_roadmap`]).
#[must_use]
pub fn roadmap(plan: &Plan, evaluation: &Evaluation, scenario: &Scenario) -> Vec<RoadmapQuarter> {
    scenario_roadmap(plan, evaluation, scenario).quarters
}

/// The scenario's roadmap: moves within the horizon by fiscal quarter, and those at or after
/// its end apart.
#[must_use]
pub fn scenario_roadmap(plan: &Plan, evaluation: &Evaluation, scenario: &Scenario) -> Roadmap {
    let roadmap_move = |i: usize, to: Destination, move_month: u32, outside_horizon: bool| {
        let w = plan.workloads.get(i)?;
        let now = evaluation.option(i, w.current)?;
        let after = evaluation.option(i, to)?;
        Some(RoadmapMove {
            workload: i,
            from: w.current,
            to,
            move_month,
            one_time_cents: after.one_time_cents,
            monthly_change_cents: after.monthly_cents.saturating_sub(now.monthly_cents),
            outside_horizon,
        })
    };
    let destinations = evaluation.final_destinations(scenario);
    let mut moves: Vec<RoadmapMove> = plan
        .workloads
        .iter()
        .enumerate()
        .filter(|(i, w)| destinations.get(*i).is_some_and(|d| *d != w.current))
        .filter_map(|(i, w)| {
            let choice = scenario.choices.get(&w.id)?;
            roadmap_move(i, destinations[i], choice.move_month, false)
        })
        .collect();
    moves.sort_by_key(|m| (m.move_month, m.workload));
    let mut quarters: Vec<RoadmapQuarter> = Vec::new();
    for m in moves {
        let month = plan.assumptions.start_month.plus_months(m.move_month);
        let (fiscal_year, quarter) = fiscal_quarter(month, plan.customer.fiscal_year_start_month);
        match quarters.last_mut() {
            Some(q) if q.fiscal_year == fiscal_year && q.quarter == quarter => {
                q.one_time_cents = q.one_time_cents.saturating_add(m.one_time_cents);
                q.monthly_change_cents = q
                    .monthly_change_cents
                    .saturating_add(m.monthly_change_cents);
                q.moves.push(m);
            }
            _ => quarters.push(RoadmapQuarter {
                fiscal_year,
                quarter,
                one_time_cents: m.one_time_cents,
                monthly_change_cents: m.monthly_change_cents,
                moves: vec![m],
            }),
        }
    }
    let mut outside_horizon: Vec<RoadmapMove> = evaluation
        .moves_outside_horizon(scenario)
        .into_iter()
        .filter_map(|(i, choice)| roadmap_move(i, choice.destination, choice.move_month, true))
        .collect();
    outside_horizon.sort_by_key(|m| (m.move_month, m.workload));
    Roadmap {
        quarters,
        outside_horizon,
    }
}

/// A point of the MSP's trade-off chart: control score (x) and the MSP's margin over the
/// horizon (y).
#[derive(Debug, Clone, PartialEq)]
pub struct MarginPoint {
    pub label: String,
    pub control: f64,
    pub margin_cents: Cents,
}

/// The MSP's trade-off for each scenario: its margin over the horizon against control.
#[must_use]
pub fn msp_points(totals: &[ScenarioTotals]) -> Vec<MarginPoint> {
    totals
        .iter()
        .map(|t| MarginPoint {
            label: t.name.clone(),
            control: t.control_score.to_f64().unwrap_or(0.0),
            margin_cents: t.msp_margin_total_cents,
        })
        .collect()
}
