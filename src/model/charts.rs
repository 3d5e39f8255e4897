//! The data every chart and the roadmap are drawn from, computed from the engine's figures
//! so that a point on screen is the number in `keyholder report`.

use rust_decimal::prelude::ToPrimitive;

use super::destination::Destination;
use super::engine::{Evaluation, ScenarioTotals};
use super::number::Cents;
use super::optimizer::{CostMetric, FrontierPoint};
use super::plan::{Plan, Scenario, YearMonth};
use super::terms::Offer;

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

/// One offer (destination, term, Hybrid Benefit) of one workload, for the workload view.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadOption {
    pub workload: usize,
    pub destination: Destination,
    pub offer: Offer,
    pub control: f64,
    /// The workload's cost there under the metric (see [`Evaluation::cost_under`]).
    pub cost_cents: Cents,
    pub is_current: bool,
    pub is_chosen: bool,
}

/// Every offer of the given workloads (each allowed destination on each of its terms, with
/// and without Hybrid Benefit where it applies), with the current and the scenario's choice
/// marked.
#[must_use]
pub fn workload_options(
    evaluation: &Evaluation,
    scenario: Option<&Scenario>,
    metric: CostMetric,
    workloads: &[usize],
) -> Vec<WorkloadOption> {
    let chosen = scenario.map(|s| evaluation.final_offers(s));
    let mut options = Vec::with_capacity(workloads.len() * 4);
    for &index in workloads {
        let Some(current) = evaluation.current_offer(index) else {
            continue;
        };
        let choice = chosen
            .as_ref()
            .and_then(|c| c.get(index).copied())
            .unwrap_or(current);
        for (offer, pricing) in evaluation.offers_of(index) {
            let destination = offer.destination;
            options.push(WorkloadOption {
                workload: index,
                destination,
                offer,
                control: evaluation.control(destination).to_f64().unwrap_or(0.0),
                cost_cents: evaluation.cost_under(&pricing, metric),
                is_current: offer == current,
                is_chosen: offer == choice,
            });
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
    /// What it is bought on after the move (the destination's term, Hybrid Benefit).
    pub offer: Offer,
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
    let roadmap_move = |i: usize, offer: Offer, move_month: u32, outside_horizon: bool| {
        let w = plan.workloads.get(i)?;
        let now = evaluation.option(i, w.current)?;
        let after = evaluation.offer_pricing(i, offer)?;
        Some(RoadmapMove {
            workload: i,
            from: w.current,
            to: offer.destination,
            offer,
            move_month,
            one_time_cents: after.one_time_cents,
            monthly_change_cents: after.monthly_cents.saturating_sub(now.monthly_cents),
            outside_horizon,
        })
    };
    let offers = evaluation.final_offers(scenario);
    let mut moves: Vec<RoadmapMove> = plan
        .workloads
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            offers
                .get(*i)
                .is_some_and(|o| Some(*o) != evaluation.current_offer(*i))
        })
        .filter_map(|(i, w)| {
            let choice = scenario.choices.get(&w.id)?;
            roadmap_move(i, offers[i], choice.move_month, false)
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
        .filter_map(|(i, choice)| {
            roadmap_move(i, evaluation.offer_of(&choice), choice.move_month, true)
        })
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

/// Which purchase terms a plan may use, for the trade-off chart's terms view: how long the
/// customer may commit, and whether Hybrid Benefit may be applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermPolicy {
    /// The longest commitment allowed, in months (0: pay as you go and monthly terms only).
    pub max_commitment_months: u32,
    pub hybrid_benefit: bool,
}

impl TermPolicy {
    /// No commitment, up to a year, any; each without and with Hybrid Benefit.
    pub const ALL: [Self; 6] = [
        Self::new(0, false),
        Self::new(12, false),
        Self::new(u32::MAX, false),
        Self::new(0, true),
        Self::new(12, true),
        Self::new(u32::MAX, true),
    ];

    const fn new(max_commitment_months: u32, hybrid_benefit: bool) -> Self {
        Self {
            max_commitment_months,
            hybrid_benefit,
        }
    }

    #[must_use]
    pub fn label(&self) -> String {
        let commitment = match self.max_commitment_months {
            0 => "No commitment",
            12 => "Commitments up to 1 year",
            _ => "Any commitment",
        };
        if self.hybrid_benefit {
            format!("{commitment}, Hybrid Benefit")
        } else {
            commitment.to_owned()
        }
    }

    /// Whether a plan under this policy may buy `offer`.
    #[must_use]
    pub fn allows(&self, evaluation: &Evaluation, offer: Offer) -> bool {
        (self.hybrid_benefit || !offer.hybrid_benefit)
            && evaluation
                .commitment_months(offer.destination, offer.term)
                .is_some_and(|months| months <= self.max_commitment_months)
    }
}

/// The customer's best price under one term policy at a control level, and what it earns
/// the MSP: a point of the terms view (customer cost across, MSP margin up).
#[derive(Debug, Clone, PartialEq)]
pub struct TermPolicyPoint {
    /// The policies with this plan (several when they find the same plan).
    pub label: String,
    /// The plan's cost under the metric, as the report prints it.
    pub cost_cents: Cents,
    pub control_score: rust_decimal::Decimal,
    pub msp_margin_total_cents: Cents,
    pub partner_fees_total_cents: Cents,
    pub offers: Vec<Offer>,
}

/// For each [`TermPolicy`], the cheapest plan with control of at least `min_control` (exact,
/// from the optimizer over the offers the policy allows), policies that find the same plan
/// merged; ascending cost. `None` soon after `cancel` is set.
#[must_use]
pub fn term_policy_points(
    evaluation: &Evaluation,
    metric: CostMetric,
    min_control: rust_decimal::Decimal,
    cancel: &std::sync::atomic::AtomicBool,
) -> Option<Vec<TermPolicyPoint>> {
    let mut points: Vec<TermPolicyPoint> = Vec::new();
    for policy in TermPolicy::ALL {
        if cancel.load(std::sync::atomic::Ordering::Relaxed) {
            return None;
        }
        let optimizer = super::optimizer::Optimizer::over_offers(evaluation, metric, &|offer| {
            policy.allows(evaluation, offer)
        });
        let Some(answer) = optimizer.cheapest_with_control_at_least(evaluation, min_control) else {
            continue;
        };
        if let Some(same) = points.iter_mut().find(|p| p.offers == answer.offers) {
            same.label.push_str(" = ");
            same.label.push_str(&policy.label());
            continue;
        }
        points.push(TermPolicyPoint {
            label: policy.label(),
            cost_cents: answer.cost_cents,
            control_score: answer.control_score,
            msp_margin_total_cents: answer.totals.msp_margin_total_cents,
            partner_fees_total_cents: answer.totals.partner_fees_total_cents,
            offers: answer.offers,
        });
    }
    points.sort_by_key(|p| p.cost_cents);
    Some(points)
}
