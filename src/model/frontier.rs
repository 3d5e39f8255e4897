//! The trade-off frontier: the plans no other plan beats on both cost and control, and the
//! optimizer's two questions over it.
//!
//! Control depends only on the destination, so a plan's control score is
//! Σ importance·control(d) / Σ importance. Each destination's control is put on a grid of
//! `step` control points (the largest step that represents every destination exactly, e.g.
//! 0.5 points for the default model), and a dynamic programme over the grid keeps, for each
//! reachable control total, the cheapest plan. That is exact. Only when the grid would make
//! the work too large (very large plans, or weights with many decimals) is a coarser step
//! used; the score of any plan then errs by at most half a step, and [`Resolution`] says so.
//!
//! Cost is additive per workload for run rate, and for TCO when growth is 0 %. With growth,
//! each workload's TCO share is rounded to cents on its own, so the search ranks plans to
//! within about a cent per workload; the figures reported for a chosen plan are always the
//! scenario's exact totals.

use rust_decimal::{Decimal, prelude::ToPrimitive};

use super::destination::Destination;
use super::engine::{Evaluation, Pricing};
use std::sync::atomic::{AtomicBool, Ordering};

use super::number::Cents;

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

/// How finely the frontier resolves control scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolution {
    /// Control points per grid step.
    pub step: Decimal,
    /// True when every destination's control lies on the grid, so every score is exact.
    pub exact: bool,
}

impl std::fmt::Display for Resolution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.exact {
            write!(f, "exact (control grid {} points)", self.step.normalize())
        } else {
            write!(
                f,
                "control scores within ±{} points",
                (self.step / Decimal::TWO).normalize()
            )
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrontierPoint {
    /// Importance-weighted control score, 0–100.
    pub control_score: Decimal,
    pub cost_cents: Cents,
    /// Control total on the grid; identifies the point for [`Frontier::assignment`].
    units: u64,
}

/// One workload's choices after dropping dominated ones.
#[derive(Debug, Clone)]
struct Item {
    workload: usize,
    /// (extra grid units above the item's cheapest-control option, cost in cents, destination)
    options: Vec<(usize, f64, Destination)>,
    span: usize,
}

const INFINITE: f64 = f64::INFINITY;
/// About one second of the dynamic programme on a 2-core laptop.
const WORK_BUDGET: f64 = 3.0e9;
/// Largest decimal scale of a control value handled exactly.
const MAX_EXACT_SCALE: u32 = 9;

#[derive(Debug, Clone)]
pub struct Frontier {
    pub metric: CostMetric,
    pub resolution: Resolution,
    /// Ascending in control and in cost.
    pub points: Vec<FrontierPoint>,
    items: Vec<Item>,
    /// The destination of each workload that has one option only.
    fixed: Vec<Destination>,
    base_units: u64,
    /// Cost tables at the start of every `segment` items, for recovering assignments.
    checkpoints: Vec<Vec<f64>>,
    segment: usize,
}

impl Frontier {
    /// Computes the frontier of every assignment of allowed destinations.
    #[must_use]
    pub fn compute(evaluation: &Evaluation, metric: CostMetric) -> Self {
        let never = AtomicBool::new(false);
        Self::compute_unless_cancelled(evaluation, metric, &never)
            .unwrap_or_else(|| Self::empty(metric))
    }

    fn empty(metric: CostMetric) -> Self {
        Self {
            metric,
            resolution: Resolution {
                step: Decimal::ONE,
                exact: true,
            },
            points: Vec::new(),
            items: Vec::new(),
            fixed: Vec::new(),
            base_units: 0,
            checkpoints: Vec::new(),
            segment: 1,
        }
    }

    /// Like [`Self::compute`], for a background thread: returns `None` soon after `cancel`
    /// is set (the plan changed and the result would be stale).
    #[must_use]
    pub fn compute_unless_cancelled(
        evaluation: &Evaluation,
        metric: CostMetric,
        cancel: &AtomicBool,
    ) -> Option<Self> {
        let cost_of = |pricing: &Pricing| -> f64 {
            #[expect(clippy::cast_precision_loss, reason = "cents well below 2^53")]
            let cents = evaluation.cost_under(pricing, metric) as f64;
            cents
        };
        let importance_total: u64 = evaluation
            .workloads
            .iter()
            .map(|w| u64::from(w.importance))
            .sum();
        let (units, resolution) = grid(evaluation);
        let mut items = Vec::new();
        let mut fixed: Vec<Destination> = evaluation.workloads.iter().map(|w| w.current).collect();
        let mut base_units: u64 = 0;
        let mut base_cost = 0.0;
        for (index, figures) in evaluation.workloads.iter().enumerate() {
            let importance = figures.importance as usize;
            // Sort by control descending, then cost; keep options cheaper than every option
            // with more control.
            let mut options: Vec<(usize, f64, Destination)> = Destination::ALL
                .into_iter()
                .filter_map(|d| {
                    figures
                        .option(d)
                        .map(|p| (units[d.index()] * importance, cost_of(p), d))
                })
                .collect();
            options.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.total_cmp(&b.1)));
            let mut kept: Vec<(usize, f64, Destination)> = Vec::with_capacity(options.len());
            for option in options {
                if kept.last().is_none_or(|last| option.1 < last.1) {
                    if kept.last().is_some_and(|last| last.0 == option.0) {
                        continue;
                    }
                    kept.push(option);
                }
            }
            let Some(low) = kept.iter().map(|o| o.0).min() else {
                continue;
            };
            base_units += low as u64;
            if kept.len() == 1 {
                fixed[index] = kept[0].2;
                base_cost += kept[0].1;
                continue;
            }
            let options: Vec<_> = kept.into_iter().map(|(u, c, d)| (u - low, c, d)).collect();
            let span = options.iter().map(|o| o.0).max().unwrap_or(0);
            items.push(Item {
                workload: index,
                options,
                span,
            });
        }

        // ⌈√items⌉ checkpoints of ⌈√items⌉ items each.
        let root = items.len().isqrt();
        let segment = if root * root < items.len() {
            root + 1
        } else {
            root
        }
        .max(1);
        let mut checkpoints = Vec::new();
        let mut costs = vec![base_cost];
        for (j, item) in items.iter().enumerate() {
            if cancel.load(Ordering::Relaxed) {
                return None;
            }
            if j.is_multiple_of(segment) {
                checkpoints.push(costs.clone());
            }
            costs = step(&costs, item, None);
        }

        let mut points = Vec::new();
        let mut best = INFINITE;
        for (extra, &cost) in costs.iter().enumerate().rev() {
            if cost < best {
                best = cost;
                let total = base_units + extra as u64;
                #[expect(clippy::cast_possible_truncation, reason = "integral cents")]
                let cost_cents = cost as Cents;
                points.push(FrontierPoint {
                    control_score: score(total, resolution.step, importance_total),
                    cost_cents,
                    units: total,
                });
            }
        }
        points.reverse();
        Some(Self {
            metric,
            resolution,
            points,
            items,
            fixed,
            base_units,
            checkpoints,
            segment,
        })
    }

    /// The cheapest frontier plan whose control score is at least `min_control`.
    #[must_use]
    pub fn cheapest_with_control_at_least(&self, min_control: Decimal) -> Option<&FrontierPoint> {
        self.points.iter().find(|p| p.control_score >= min_control)
    }

    /// The frontier plan with the most control whose cost is at most `max_cost_cents`.
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
        let mut destinations = self.fixed.clone();
        let Some(mut target) = point
            .units
            .checked_sub(self.base_units)
            .and_then(|u| usize::try_from(u).ok())
        else {
            return destinations;
        };
        for (segment_index, start_costs) in self.checkpoints.iter().enumerate().rev() {
            let start = segment_index * self.segment;
            let end = (start + self.segment).min(self.items.len());
            let mut costs = start_costs.clone();
            let mut picks: Vec<Vec<u8>> = Vec::with_capacity(end - start);
            for item in &self.items[start..end] {
                let mut pick = Vec::new();
                costs = step(&costs, item, Some(&mut pick));
                picks.push(pick);
            }
            for (item, pick) in self.items[start..end].iter().zip(&picks).rev() {
                let Some(option) = pick
                    .get(target)
                    .and_then(|&o| item.options.get(usize::from(o)))
                else {
                    return destinations;
                };
                destinations[item.workload] = option.2;
                target -= option.0;
            }
        }
        destinations
    }
}

/// Adds one workload to the cost table: `next[v + extra] = min(costs[v] + cost)`.
fn step(costs: &[f64], item: &Item, mut picks: Option<&mut Vec<u8>>) -> Vec<f64> {
    let mut next = vec![INFINITE; costs.len() + item.span];
    if let Some(picks) = picks.as_deref_mut() {
        *picks = vec![u8::MAX; next.len()];
    }
    for (option_index, &(extra, cost, _)) in item.options.iter().enumerate() {
        let target = &mut next[extra..extra + costs.len()];
        match picks.as_deref_mut() {
            None => {
                for (slot, &before) in target.iter_mut().zip(costs) {
                    let candidate = before + cost;
                    if candidate < *slot {
                        *slot = candidate;
                    }
                }
            }
            Some(picks) => {
                let picks = &mut picks[extra..extra + costs.len()];
                for ((slot, pick), &before) in target.iter_mut().zip(picks.iter_mut()).zip(costs) {
                    let candidate = before + cost;
                    if candidate < *slot {
                        *slot = candidate;
                        *pick = u8::try_from(option_index).unwrap_or(u8::MAX);
                    }
                }
            }
        }
    }
    next
}

fn score(units: u64, step: Decimal, importance_total: u64) -> Decimal {
    if importance_total == 0 {
        return Decimal::ZERO;
    }
    Decimal::from(units) * step / Decimal::from(importance_total)
}

/// The grid: units per destination and the resolution. Exact when the work allows.
fn grid(evaluation: &Evaluation) -> ([usize; 5], Resolution) {
    let control: Vec<Decimal> = Destination::ALL
        .iter()
        .map(|d| evaluation.control(*d).normalize())
        .collect();
    let work = |units: &[usize; 5]| -> f64 {
        // Σ over workloads of (table length so far × options) ≈ span/2 × options per item.
        let mut span = 0.0;
        let mut options = 0.0;
        for figures in &evaluation.workloads {
            let offered: Vec<usize> = Destination::ALL
                .into_iter()
                .filter(|d| figures.option(*d).is_some())
                .map(|d| units[d.index()])
                .collect();
            let (Some(low), Some(high)) = (offered.iter().min(), offered.iter().max()) else {
                continue;
            };
            span += ((high - low) as f64) * f64::from(figures.importance);
            options += offered.len() as f64;
        }
        span / 2.0 * options
    };

    let scale = control.iter().map(Decimal::scale).max().unwrap_or(0);
    if scale <= MAX_EXACT_SCALE {
        let power = 10_i128.pow(scale);
        let scaled: Vec<i128> = control
            .iter()
            .map(|c| {
                (c * Decimal::from_i128_with_scale(power, 0))
                    .trunc()
                    .to_i128()
                    .unwrap_or(0)
            })
            .collect();
        let divisor = scaled.iter().fold(0_i128, |g, &v| gcd(g, v)).max(1);
        let units: Option<Vec<usize>> = scaled
            .iter()
            .map(|v| usize::try_from(v / divisor).ok())
            .collect();
        if let Some(units) = units {
            let units: [usize; 5] = [units[0], units[1], units[2], units[3], units[4]];
            if work(&units) <= WORK_BUDGET {
                let step = Decimal::from_i128_with_scale(divisor, scale);
                return (units, Resolution { step, exact: true });
            }
        }
    }
    // Coarser grids, finest first, until the work fits.
    let steps = [
        "0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1", "2", "5", "10", "25", "50", "100",
    ];
    let mut fallback = (
        [0; 5],
        Resolution {
            step: Decimal::ONE_HUNDRED,
            exact: false,
        },
    );
    for text in steps {
        let step: Decimal = text.parse().unwrap_or(Decimal::ONE_HUNDRED);
        let units = [0, 1, 2, 3, 4].map(|i| (control[i] / step).round().to_usize().unwrap_or(0));
        let exact = control.iter().all(|c| (c / step).fract().is_zero());
        fallback = (units, Resolution { step, exact });
        if work(&units) <= WORK_BUDGET {
            break;
        }
    }
    fallback
}

const fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        let r = a % b;
        a = b;
        b = r;
    }
    a
}
