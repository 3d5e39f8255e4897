//! The optimizer: the cheapest plan that keeps at least X control, the most control for at
//! most Y, and the trade-off frontier, exact by PRODUCT.md's own figures at any plan size.
//!
//! # The problem
//!
//! Every workload chooses one of its allowed destinations, all moves in month 0. A plan's
//! control score is Σ importance·control(d) / Σ importance, and control depends only on the
//! destination, so with each destination's score a whole number of grid units (0.5 points for
//! the default model: 200, 197, 142, 56 and 22 units) "control ≥ X" is the linear constraint
//! Σ a ≥ need, a = importance × units, need = ⌈X·Σ importance / step⌉. The cost is the run rate
//! R = Σ monthly, or the TCO: Σ over plan years of months × round(R·(1+g)^year) + Σ one-time.
//! Without growth that is horizon × R + one-time, additive per workload; with growth it is a
//! non-decreasing function Φ(R) within δ = ½ cent per grown month of the linear form F·R
//! (F = Σ months × factor). "Cheapest with control ≥ X" is therefore a multiple-choice knapsack
//! problem (MCKP) in minimisation form, one class per workload; with growth, an MCKP whose
//! objective is known to within ±δ of a linear one.
//!
//! # The method
//!
//! The structure of the exact MCKP algorithms of the literature (Sinha and Zoltners 1979;
//! Dyer, Kayal and Walker 1984; Pisinger's "minimal algorithm for the multiple-choice knapsack
//! problem", 1995), ranking by the linear surrogate s = F·monthly + one-time:
//!
//! 1. **Dominance.** An option that another option of the same workload beats (at least as much
//!    control and no higher cost in every plan: lower surrogate, or with growth no higher run
//!    rate and one-time, or a surrogate lower by 2δ) is dropped.
//! 2. **LP relaxation.** What is left of each workload is reduced to its lower convex hull of
//!    (control, surrogate) (LP dominance). The LP relaxation is solved greedily: start each
//!    workload on its cheapest option and take hull increments by ascending cost per control
//!    unit until the control suffices; one workload at most is fractional. The slope λ of that
//!    break increment is the optimal LP dual; the plan that takes the break increment whole is
//!    the base plan (feasible, and a first incumbent).
//! 3. **Reduced-cost fixing.** For every plan x, s(x) = L(λ) + Σ `r_w(x)` + λ·surplus(x), where
//!    L(λ) is the Lagrangian (= LP) bound and every reduced cost `r_w` ≥ 0. A plan that costs no
//!    more than the incumbent U therefore has Σ `r_w` + λ·surplus ≤ G = U + δ − L(λ), so every
//!    workload whose alternatives all have `r_w` > G keeps its base option. The others form the
//!    core: typically a handful, found by a binary search in the sorted increments (a step's
//!    reduced cost is at least |slope − λ| × its control units) and a list of options above
//!    their hull (whose reduced cost is at least that height).
//! 4. **Core dynamic programme.** The core workloads are added one at a time, by ascending
//!    reduced cost, to a list of states; each state is a whole plan (the base plan with the
//!    core decisions so far), so each feasible state is an incumbent that tightens G at once.
//!    A state is dropped when its reduced cost plus λ × the surplus it must keep exceeds G,
//!    when the rest of the core cannot lift it to the control asked for, or when another state
//!    with at least as much control beats it (cost no higher for every completion: a lower
//!    surrogate, and with growth no higher run rate and one-time, or a surrogate lower by 2δ).
//!    The core starts small and grows (the reduced-cost threshold ×4) until the final G is
//!    within the threshold: then no workload outside the core can be part of a plan that
//!    costs no more than the answer.
//! 5. **Settling the exact cost.** States that may be optimal are costed exactly (integer cents
//!    by the engine's formula, Φ for growth); the answer is the cheapest, with the most control
//!    among equally cheap plans, so it is a point of the frontier.
//!
//! It is exact: each rule drops only plans that cost more than a real plan already found, or
//! that a kept plan beats for every completion; floating point only ranks and bounds, with a
//! margin far above its rounding error, and every figure compared with a bound is an integer
//! computed as `Evaluation::totals_of_destinations` computes it. Control is integer units.
//! When a control model's destination scores have more than 10 decimals (weights that do not
//! divide a power of ten), they are rounded down to 10: answers then never fall below the
//! bound and are optimal to within that rounding ([`Guarantee::WithinControl`]).
//!
//! "Most control for at most Y" bisects on the control total between a plan that fits the
//! budget and the LP bound (no plan with more control than it can fit), each probe an exact
//! "cheapest with at least". The frontier is the exact answer at every 0.01 control points
//! (every Pareto-optimal plan when a plan has few), each point a real plan.

mod frontier;
mod groups;
mod problem;
mod search;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use rust_decimal::Decimal;

pub use frontier::{Frontier, FrontierPoint, Resolution};
use problem::Problem;
use search::{Search, Solution};

use super::destination::Destination;
use super::engine::{Evaluation, ScenarioTotals};
use super::number::Cents;
use super::terms::Offer;

/// Which cost the frontier trades against control.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum CostMetric {
    /// Total cost of ownership over the horizon, everything moving in month 0.
    #[default]
    Tco,
    /// Monthly cost after all moves, without growth.
    RunRate,
}

impl CostMetric {
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Tco => "TCO",
            Self::RunRate => "run rate",
        }
    }
}

/// How good an answer is known to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guarantee {
    /// No plan in the whole assignment space does better.
    Exact,
    /// The control model's scores have more than 10 decimals and were rounded down: the
    /// answer meets its bound, and no plan beats it by more than this many control points
    /// (for "cheapest with at least X": none with control X + this or more costs less).
    WithinControl(Decimal),
}

impl Guarantee {
    #[must_use]
    pub const fn is_exact(self) -> bool {
        matches!(self, Self::Exact)
    }
}

impl std::fmt::Display for Guarantee {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Exact => f.write_str("exact"),
            Self::WithinControl(points) => write!(
                f,
                "optimal to within {} control points (the control model's scores have more than 10 decimals)",
                points.normalize()
            ),
        }
    }
}

/// A plan the optimizer chose, with the figures the report prints for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The destination of every workload, in plan order (all moves in month 0).
    pub destinations: Vec<Destination>,
    /// The offer (destination and purchase term) of every workload, in plan order.
    pub offers: Vec<Offer>,
    /// The plan's cost under the optimizer's metric (`totals.tco_cents` or
    /// `totals.run_rate_cents`).
    pub cost_cents: Cents,
    /// The plan's exact control score (`totals.control_score`).
    pub control_score: Decimal,
    /// The plan's scenario totals, as `keyholder report` prints them.
    pub totals: ScenarioTotals,
    pub guarantee: Guarantee,
}

/// The optimizer for one plan and metric. Cheap to clone (it shares its data) and `Send`, so a
/// background thread can hold one.
#[derive(Debug, Clone)]
pub struct Optimizer {
    problem: Arc<Problem>,
}

impl Optimizer {
    /// Prepares the search: every workload's options, dominance, hulls and the sorted LP
    /// increments (O(n log n)).
    #[must_use]
    pub fn new(evaluation: &Evaluation, metric: CostMetric) -> Self {
        Self::over_offers(evaluation, metric, &|_| true)
    }

    /// The search over only the offers `allowed` keeps (each workload's offer today is
    /// always kept): e.g. pay as you go only, or no three-year commitments.
    #[must_use]
    pub fn over_offers(
        evaluation: &Evaluation,
        metric: CostMetric,
        allowed: &dyn Fn(Offer) -> bool,
    ) -> Self {
        Self {
            problem: Arc::new(Problem::new(evaluation, metric, allowed)),
        }
    }

    #[must_use]
    pub fn metric(&self) -> CostMetric {
        self.problem.metric
    }

    /// What every answer of this optimizer is known to be.
    #[must_use]
    pub fn guarantee(&self) -> Guarantee {
        guarantee_of(&self.problem)
    }

    /// The cheapest plan whose control score is at least `min_control` (the most control
    /// among equally cheap plans), or `None` when no plan has that much control.
    #[must_use]
    pub fn cheapest_with_control_at_least(
        &self,
        evaluation: &Evaluation,
        min_control: Decimal,
    ) -> Option<Answer> {
        let first_need = self.problem.need_for(min_control)?;
        let mut need = first_need;
        let mut search = Search::new(&self.problem);
        loop {
            let solution = search.cheapest_with_at_least(need)?;
            let mut answer = answer_of(&self.problem, evaluation, &solution);
            if answer.control_score >= min_control {
                if need > first_need {
                    let missed = self.problem.score_of_units(need - first_need);
                    answer.guarantee = match answer.guarantee {
                        Guarantee::Exact => Guarantee::WithinControl(missed),
                        Guarantee::WithinControl(points) => {
                            Guarantee::WithinControl(points.max(missed))
                        }
                    };
                }
                return Some(answer);
            }
            // The exact score reaches the bound but the engine's 28-digit decimal arithmetic
            // put this plan a hair below it (a control model whose scores do not terminate):
            // ask for one unit more, and say by how much the answer may miss the optimum.
            need = solution.totals.a + 1;
        }
    }

    /// The plan with the most control whose cost is at most `max_cost_cents` (the cheapest
    /// among plans with that control), or `None` when every plan costs more.
    #[must_use]
    pub fn most_control_within(
        &self,
        evaluation: &Evaluation,
        max_cost_cents: Cents,
    ) -> Option<Answer> {
        let solution = most_control_within(&self.problem, max_cost_cents)?;
        Some(answer_of(&self.problem, evaluation, &solution))
    }

    /// The cheapest plan of all (the most control among equally cheap ones).
    #[must_use]
    pub fn cheapest(&self, evaluation: &Evaluation) -> Option<Answer> {
        let solution = Search::new(&self.problem).cheapest_with_at_least(self.problem.min_units)?;
        Some(answer_of(&self.problem, evaluation, &solution))
    }

    /// The plan with the most control (the cheapest of those).
    #[must_use]
    pub fn most_control(&self, evaluation: &Evaluation) -> Option<Answer> {
        let solution = Search::new(&self.problem).cheapest_with_at_least(self.problem.max_units)?;
        Some(answer_of(&self.problem, evaluation, &solution))
    }

    /// The trade-off frontier, or `None` soon after `cancel` is set.
    #[must_use]
    pub fn frontier_unless_cancelled(&self, cancel: &AtomicBool) -> Option<Frontier> {
        Frontier::of_problem(Arc::clone(&self.problem), cancel)
    }
}

fn guarantee_of(problem: &Problem) -> Guarantee {
    if problem.grid.is_exact() {
        Guarantee::Exact
    } else {
        Guarantee::WithinControl(problem.grid.rounded_by)
    }
}

/// The answer for a solution: its assignment and the engine's totals for it.
fn answer_of(problem: &Problem, evaluation: &Evaluation, solution: &Solution) -> Answer {
    let offers = offers_of(problem, solution);
    let totals = evaluation.totals_of_offers("Optimizer answer", &offers);
    let cost_cents = super::charts::scenario_cost(&totals, problem.metric);
    debug_assert_eq!(
        cost_cents, solution.cost_cents,
        "search and engine disagree"
    );
    Answer {
        destinations: offers.iter().map(|o| o.destination).collect(),
        offers,
        cost_cents,
        control_score: totals.control_score,
        totals,
        guarantee: guarantee_of(problem),
    }
}

/// The offer of every workload in a solution's plan.
fn offers_of(problem: &Problem, solution: &Solution) -> Vec<Offer> {
    let mut destinations = problem.start.clone();
    for class in &problem.classes {
        let option = class.hull[class.hull_position(solution.base)];
        if let Some(slot) = destinations.get_mut(class.workload as usize) {
            *slot = class.options[usize::from(option)].offer;
        }
    }
    for &(class, option) in &solution.overrides {
        if let Some(class) = problem.classes.get(class as usize)
            && let (Some(slot), Some(chosen)) = (
                destinations.get_mut(class.workload as usize),
                class.options.get(usize::from(option)),
            )
        {
            *slot = chosen.offer;
        }
    }
    destinations
}

/// The exact control score of a solution's plan, as the engine computes it.
fn control_of(problem: &Problem, solution: &Solution) -> Decimal {
    let Some(prefix) = &problem.mass_prefix else {
        return problem.score_of_units(solution.totals.a);
    };
    let mut mass = prefix
        .get(solution.base)
        .copied()
        .unwrap_or(problem.start_mass);
    for &(class, option) in &solution.overrides {
        if let Some(class) = problem.classes.get(class as usize) {
            let base = class.options[usize::from(class.hull[class.hull_position(solution.base)])];
            if let Some(chosen) = class.options.get(usize::from(option)) {
                mass[base.destination.index()] -= class.importance;
                mass[chosen.destination.index()] += class.importance;
            }
        }
    }
    problem.score_of_mass(&mass)
}

/// Bisection on the control total: the largest total whose cheapest plan fits the budget.
fn most_control_within(problem: &Problem, max_cost_cents: Cents) -> Option<Solution> {
    let mut search = Search::new(problem);
    let mut low = search.cheapest_with_at_least(problem.min_units)?;
    if low.cost_cents > max_cost_cents {
        return None;
    }
    // No plan with more control than `high` can fit: its cost is at least the LP bound less
    // the band.
    let mut high = lp_control_limit(problem, max_cost_cents);
    let mut first = true;
    while low.totals.a < high {
        let probe = if first {
            high
        } else {
            low.totals.a + (high - low.totals.a + 1) / 2
        };
        first = false;
        match search.cheapest_with_at_least(probe) {
            Some(solution) if solution.cost_cents <= max_cost_cents => low = solution,
            _ => high = probe - 1,
        }
    }
    Some(low)
}

/// The most control units any plan costing at most `max_cost_cents` can have, from the LP
/// relaxation (whose cost for a control total is a lower bound of every plan's surrogate).
fn lp_control_limit(problem: &Problem, max_cost_cents: Cents) -> i64 {
    #[expect(clippy::cast_precision_loss, reason = "cents below 2^53")]
    let budget = max_cost_cents as f64 + problem.cost.band() + problem.tolerance;
    let surrogate = |t: &problem::Totals| problem.cost.surrogate(t.r, t.o).0;
    // The LP cost rises along the prefix; find the last prefix within the budget.
    let last = problem.prefix.partition_point(|t| surrogate(t) <= budget);
    let Some(index) = last.checked_sub(1) else {
        return problem.min_units;
    };
    let Some(step) = problem.steps.get(index) else {
        return problem.max_units;
    };
    let at = problem.prefix[index];
    let spare = (budget - surrogate(&at)).max(0.0);
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_precision_loss,
        reason = "at most one step's units, far below 2^52"
    )]
    let extra = if step.slope > 0.0 {
        (spare / step.slope).floor().min(step.da as f64) as i64
    } else {
        step.da
    };
    (at.a + extra).min(problem.max_units)
}
