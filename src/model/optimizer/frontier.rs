//! The trade-off frontier: the plans no other plan beats on both cost and control, as the
//! exact answer to "the cheapest plan with at least X control" at every 0.01 control points
//! (or every such plan, when a plan has few), each a real plan with its exact figures.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rust_decimal::Decimal;

use super::problem::Problem;
use super::search::{Search, Solution};
use super::{Answer, CostMetric, Optimizer, answer_of, control_of, offers_of};
use crate::model::destination::Destination;
use crate::model::engine::Evaluation;
use crate::model::number::Cents;
use crate::model::terms::Offer;

/// A frontier with at most about this many plans is listed whole; a larger one at every
/// [`SPACING`] control points.
const COMPLETE_UP_TO: u64 = 20_000;

/// Control points between two levels of a large frontier: the chart's and the report's
/// resolution (scores are shown with two decimals).
const SPACING: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

/// What the frontier holds and how exact it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolution {
    /// Control points per grid unit of the search (0.5 for the default control model).
    pub step: Decimal,
    /// `None`: every plan on the frontier. `Some(s)`: for every multiple X of `s` control
    /// points, the cheapest plan with control at least X (every point between two of them is
    /// beaten only by less than `s` points of control).
    pub spacing: Option<Decimal>,
    /// True when every point is exactly optimal ([`super::Guarantee::Exact`]).
    pub exact: bool,
    /// When not exact: how many control points the points may be from optimal.
    pub control_within: Decimal,
}

impl std::fmt::Display for Resolution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.spacing {
            None => "every plan on the frontier".to_owned(),
            Some(spacing) => format!(
                "the cheapest plan at every {} control points",
                spacing.normalize()
            ),
        };
        if self.exact {
            write!(f, "exact: {what}")
        } else {
            write!(
                f,
                "{what}, each optimal to within {} control points",
                self.control_within.normalize()
            )
        }
    }
}

/// One plan of the frontier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrontierPoint {
    /// The plan's control score, 0–100, as the engine computes it.
    pub control_score: Decimal,
    /// The plan's cost under the frontier's metric, exactly as the report prints it.
    pub cost_cents: Cents,
    /// Which of the frontier's plans this is.
    plan: u32,
}

/// How to rebuild one frontier plan: the base plan of the search and the changed options.
#[derive(Debug, Clone)]
struct PlanRecord {
    base: u32,
    overrides: Box<[(u32, u8)]>,
}

#[derive(Debug, Clone)]
pub struct Frontier {
    pub metric: CostMetric,
    pub resolution: Resolution,
    /// Ascending in control and strictly ascending in cost.
    pub points: Vec<FrontierPoint>,
    problem: Arc<Problem>,
    plans: Vec<PlanRecord>,
}

impl Frontier {
    /// Computes the frontier of every assignment of allowed destinations.
    #[must_use]
    pub fn compute(evaluation: &Evaluation, metric: CostMetric) -> Self {
        let never = AtomicBool::new(false);
        let problem = Arc::new(Problem::new(evaluation, metric, &|_| true));
        Self::of_problem(Arc::clone(&problem), &never).unwrap_or_else(|| Self {
            metric,
            resolution: resolution_of(&problem, None),
            points: Vec::new(),
            problem,
            plans: Vec::new(),
        })
    }

    /// Like [`Self::compute`], for a background thread: returns `None` soon after `cancel`
    /// is set (the plan changed and the result would be stale).
    #[must_use]
    pub fn compute_unless_cancelled(
        evaluation: &Evaluation,
        metric: CostMetric,
        cancel: &AtomicBool,
    ) -> Option<Self> {
        Self::of_problem(
            Arc::new(Problem::new(evaluation, metric, &|_| true)),
            cancel,
        )
    }

    pub(super) fn of_problem(problem: Arc<Problem>, cancel: &AtomicBool) -> Option<Self> {
        let spacing = (problem.frontier_size_bound > COMPLETE_UP_TO).then_some(SPACING);
        // Thousands of questions: spread over the cores in ranges of control, taken from a
        // shared counter so that a core done early takes the next range.
        let workers = if problem.classes.len() < PARALLEL_FROM {
            1
        } else {
            std::thread::available_parallelism()
                .map_or(1, std::num::NonZero::get)
                .min(MAX_WORKERS)
        };
        let starts = range_starts(&problem, spacing, workers * RANGES_PER_WORKER);
        let next = AtomicUsize::new(0);
        let work = || {
            let mut search = Search::new(&problem);
            // Thousands of questions on one plan: group identical workloads once.
            search.group_identical();
            let mut done = Vec::new();
            loop {
                let range = next.fetch_add(1, Ordering::Relaxed);
                let Some(&from) = starts.get(range) else {
                    return Some(done);
                };
                let until = starts.get(range + 1).copied().unwrap_or(i64::MAX);
                done.push((
                    range,
                    walk(&problem, &mut search, from, until, spacing, cancel)?,
                ));
            }
        };
        let mut ranges: Vec<(usize, Vec<Solution>)> = if workers == 1 {
            work()?
        } else {
            let finished: Vec<Option<Vec<_>>> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..workers).map(|_| scope.spawn(work)).collect();
                handles
                    .into_iter()
                    .map(|handle| handle.join().ok().flatten())
                    .collect()
            });
            let mut ranges = Vec::new();
            for done in finished {
                ranges.extend(done?);
            }
            ranges
        };
        ranges.sort_by_key(|(range, _)| *range);
        let mut points: Vec<FrontierPoint> = Vec::new();
        let mut plans = Vec::new();
        let mut most_units: Option<i64> = None;
        for solution in ranges.into_iter().flat_map(|(_, solutions)| solutions) {
            // A range's first plans are an earlier range's last when that one reached past
            // where this range starts: the plans ascend strictly in control.
            if most_units.is_some_and(|most| solution.totals.a <= most) {
                continue;
            }
            most_units = Some(solution.totals.a);
            points.push(FrontierPoint {
                control_score: control_of(&problem, &solution),
                cost_cents: solution.cost_cents,
                plan: u32::try_from(plans.len()).unwrap_or(u32::MAX),
            });
            plans.push(PlanRecord {
                base: u32::try_from(solution.base).unwrap_or(u32::MAX),
                overrides: solution.overrides.into_boxed_slice(),
            });
        }
        Some(Self {
            metric: problem.metric,
            resolution: resolution_of(&problem, spacing),
            points,
            problem,
            plans,
        })
    }

    /// The cheapest frontier plan whose control score is at least `min_control`: the exact
    /// answer when `min_control` is a multiple of the spacing (or the frontier is complete);
    /// otherwise a plan with at least that control that the next level's answer bounds.
    #[must_use]
    pub fn cheapest_with_control_at_least(&self, min_control: Decimal) -> Option<&FrontierPoint> {
        self.points.iter().find(|p| p.control_score >= min_control)
    }

    /// The frontier plan with the most control whose cost is at most `max_cost_cents`: the
    /// exact answer when the frontier is complete, otherwise within the spacing of it (see
    /// [`Optimizer::most_control_within`] for the exact answer at any size).
    #[must_use]
    pub fn most_control_within(&self, max_cost_cents: Cents) -> Option<&FrontierPoint> {
        self.points
            .iter()
            .rev()
            .find(|p| p.cost_cents <= max_cost_cents)
    }

    /// The destination of every workload (in plan order) in the plan behind `point`.
    #[must_use]
    pub fn assignment(&self, point: &FrontierPoint) -> Vec<Destination> {
        self.offers(point).iter().map(|o| o.destination).collect()
    }

    /// The offer of every workload (in plan order) in the plan behind `point`.
    #[must_use]
    pub fn offers(&self, point: &FrontierPoint) -> Vec<Offer> {
        offers_of(&self.problem, &self.solution(point))
    }

    /// The plan behind `point` with the totals the report prints for it.
    #[must_use]
    pub fn answer(&self, evaluation: &Evaluation, point: &FrontierPoint) -> Answer {
        answer_of(&self.problem, evaluation, &self.solution(point))
    }

    /// The optimizer this frontier was computed with, for exact answers between its points.
    #[must_use]
    pub fn optimizer(&self) -> Optimizer {
        Optimizer {
            problem: Arc::clone(&self.problem),
        }
    }

    fn solution(&self, point: &FrontierPoint) -> Solution {
        let record = self.plans.get(point.plan as usize);
        Solution {
            base: record.map_or(0, |r| r.base as usize),
            overrides: record.map_or_else(Vec::new, |r| r.overrides.to_vec()),
            totals: super::problem::Totals::default(),
            cost_cents: point.cost_cents,
        }
    }
}

/// Workloads from which the frontier is worth spreading over several cores.
const PARALLEL_FROM: usize = 64;
/// At most this many cores for one frontier.
const MAX_WORKERS: usize = 8;
/// Ranges of control per core, so that the cores finish close together.
const RANGES_PER_WORKER: usize = 4;

/// Where each range of the frontier's walk starts (ascending, the first at the fewest units).
/// With a spacing every start is a level's need: the one-range walk asks exactly there or
/// gets an answer reaching past it, so the ranges together ask what one walk would.
fn range_starts(problem: &Problem, spacing: Option<Decimal>, ranges: usize) -> Vec<i64> {
    let (low, high) = (problem.min_units, problem.max_units);
    let mut starts = vec![low];
    let ranges_i64 = i64::try_from(ranges.max(1)).unwrap_or(1);
    for k in 1..ranges_i64 {
        let start = match spacing {
            None => low + (high - low) / ranges_i64 * k,
            Some(spacing) => {
                let (first, top) = (problem.score_of_units(low), problem.score_of_units(high));
                let levels = ((top - first) / spacing).floor();
                let level = ((first / spacing).ceil()
                    + (levels * Decimal::from(k) / Decimal::from(ranges_i64)).floor())
                    * spacing;
                problem.need_for(level).unwrap_or(high)
            }
        };
        if starts.last().is_some_and(|&last| start > last) && start <= high {
            starts.push(start);
        }
    }
    starts
}

/// The frontier's plans from `from` units up to (not including) `until`: each the cheapest
/// with at least the need, the next need just above its control (or, with a spacing, the
/// next level above it). `None` once `cancel` is set.
fn walk(
    problem: &Problem,
    search: &mut Search<'_>,
    from: i64,
    until: i64,
    spacing: Option<Decimal>,
    cancel: &AtomicBool,
) -> Option<Vec<Solution>> {
    let mut solutions = Vec::new();
    let mut need = from;
    while need < until
        && let Some(solution) = search.cheapest_with_at_least(need)
    {
        if cancel.load(Ordering::Relaxed) {
            return None;
        }
        let units = solution.totals.a;
        solutions.push(solution);
        if units >= problem.max_units {
            break;
        }
        need = units + 1;
        if let Some(spacing) = spacing {
            let level = (problem.score_of_units(units) / spacing).floor() * spacing + spacing;
            let level_need = problem.need_for(level).unwrap_or(problem.max_units);
            need = need.max(level_need);
        }
    }
    Some(solutions)
}

fn resolution_of(problem: &Problem, spacing: Option<Decimal>) -> Resolution {
    Resolution {
        step: problem.grid.step,
        spacing,
        exact: problem.grid.is_exact(),
        control_within: problem.grid.rounded_by,
    }
}
