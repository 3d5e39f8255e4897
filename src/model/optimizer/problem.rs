//! The problem the optimizer searches, built once per plan and metric: every workload's
//! options as (control units, run rate, one-time), the exact cost of a plan, the linear
//! surrogate the search ranks by, and the LP relaxation's increments sorted by slope.

use rust_decimal::{Decimal, prelude::ToPrimitive};

use super::CostMetric;
use crate::model::destination::Destination;
use crate::model::engine::Evaluation;
use crate::model::number::{Cents, round_cents};
use crate::model::terms::Offer;

/// Decimal places kept of each destination's control score when the exact fraction does not
/// fit the search's integers (weights and levels with very many digits): the scores are then
/// rounded down to this many, and the answers say so.
const ROUNDED_CONTROL_DECIMALS: u32 = 10;

/// Destination control scores as whole units: control(d) = units[d] × numerator / denominator
/// exactly (PRODUCT.md: Σ weight·level / Σ weight).
#[derive(Debug, Clone)]
pub(super) struct ControlGrid {
    /// Units of each destination, in the order of [`Destination::ALL`].
    pub units: [i64; 5],
    /// Control points per unit, as an exact fraction and as a decimal (rounded when the
    /// fraction does not terminate; 0.5 for the default model).
    numerator: i128,
    denominator: i128,
    pub step: Decimal,
    /// The engine's control score of each destination.
    pub values: [Decimal; 5],
    /// Zero when the units are exact; otherwise the most a destination's score was rounded
    /// down by (the answers are then optimal to within this many control points).
    pub rounded_by: Decimal,
}

impl ControlGrid {
    fn of(evaluation: &Evaluation) -> Self {
        let values = Destination::ALL.map(|d| evaluation.control(d).max(Decimal::ZERO));
        let (weighted, total_weight) = &evaluation.control_fraction;
        let weighted = Destination::ALL.map(|d| *weighted.get(d));
        let workloads = i128::try_from(evaluation.workloads.len()).unwrap_or(i128::MAX);
        Self::exact(&weighted, *total_weight, values, workloads)
            .unwrap_or_else(|| Self::rounded(values))
    }

    /// Units from Σ weight·level scaled to whole numbers, when they fit.
    fn exact(
        weighted: &[Decimal; 5],
        total_weight: Decimal,
        values: [Decimal; 5],
        workloads: i128,
    ) -> Option<Self> {
        if total_weight <= Decimal::ZERO || weighted.iter().any(Decimal::is_sign_negative) {
            return (weighted.iter().all(Decimal::is_zero)).then_some(Self {
                units: [0; 5],
                numerator: 1,
                denominator: 1,
                step: Decimal::ONE,
                values,
                rounded_by: Decimal::ZERO,
            });
        }
        let weighted = weighted.map(|w| w.normalize());
        let scale = weighted.iter().map(Decimal::scale).max().unwrap_or(0);
        let mut raw = [0_i128; 5];
        for (slot, w) in raw.iter_mut().zip(&weighted) {
            *slot = w
                .mantissa()
                .checked_mul(10_i128.checked_pow(scale - w.scale())?)?;
        }
        let divisor = raw.iter().fold(0, |g, &u| gcd_raw(g, u)).max(1);
        let mut units = [0_i64; 5];
        for (slot, r) in units.iter_mut().zip(raw) {
            *slot = i64::try_from(r / divisor).ok()?;
        }
        // Every plan total (≤ 5 × workloads × the largest units) must stay far inside i64.
        let largest = i128::from(units.iter().copied().max().unwrap_or(0));
        if largest.checked_mul(5)?.checked_mul(workloads)? > 1_i128 << 60 {
            return None;
        }
        // step = divisor / 10^scale / total_weight, total_weight = mantissa / 10^its scale.
        let total = total_weight.normalize();
        let numerator = divisor.checked_mul(10_i128.checked_pow(total.scale())?)?;
        let denominator = total.mantissa().checked_mul(10_i128.checked_pow(scale)?)?;
        let common = gcd_i128(numerator, denominator).max(1);
        let (numerator, denominator) = (numerator / common, denominator / common);
        let step = Decimal::try_from_i128_with_scale(numerator, 0)
            .ok()?
            .checked_div(Decimal::try_from_i128_with_scale(denominator, 0).ok()?)?;
        Some(Self {
            units,
            numerator,
            denominator,
            step: step.normalize(),
            values,
            rounded_by: Decimal::ZERO,
        })
    }

    /// Units of the engine's scores rounded down to `ROUNDED_CONTROL_DECIMALS` places.
    fn rounded(values: [Decimal; 5]) -> Self {
        let power = Decimal::from(10_i64.pow(ROUNDED_CONTROL_DECIMALS));
        let mut raw = [0_i64; 5];
        let mut rounded_by = Decimal::ZERO;
        for (slot, value) in raw.iter_mut().zip(values) {
            let scaled = value * power;
            let units = if scaled.fract().is_zero() {
                scaled
            } else {
                // Strictly below the engine's value (by at least 1e-15), so a plan that meets a
                // bound on the grid meets it in the engine's own decimal arithmetic too.
                ((value - Decimal::new(1, 15)) * power)
                    .floor()
                    .max(Decimal::ZERO)
            };
            *slot = units.to_i64().unwrap_or(0);
            rounded_by = rounded_by.max(value - Decimal::from(*slot) / power);
        }
        let divisor = raw.iter().fold(0, |g, &u| gcd(g, u)).max(1);
        let denominator = 10_i128.pow(ROUNDED_CONTROL_DECIMALS);
        Self {
            units: raw.map(|u| u / divisor),
            numerator: i128::from(divisor),
            denominator,
            step: (Decimal::from(divisor) / power).normalize(),
            values,
            rounded_by: rounded_by.normalize(),
        }
    }

    pub fn is_exact(&self) -> bool {
        self.rounded_by.is_zero()
    }

    /// The control score of `units` control units over `importance_total`: the exact
    /// fraction, rounded once to a decimal as the engine rounds its score.
    pub fn score(&self, units: i64, importance_total: u64) -> Decimal {
        if importance_total == 0 {
            return Decimal::ZERO;
        }
        let exact = i128::from(units)
            .checked_mul(self.numerator)
            .and_then(|n| Decimal::try_from_i128_with_scale(n, 0).ok())
            .zip(
                self.denominator
                    .checked_mul(i128::from(importance_total))
                    .and_then(|d| Decimal::try_from_i128_with_scale(d, 0).ok()),
            )
            .and_then(|(n, d)| n.checked_div(d));
        exact.unwrap_or_else(|| Decimal::from(units) * self.step / Decimal::from(importance_total))
    }
}

const fn gcd_i128(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        let r = a % b;
        a = b;
        b = r;
    }
    a
}

const fn gcd(a: i64, b: i64) -> i64 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        let r = a % b;
        a = b;
        b = r;
    }
    a
}

/// Greatest common divisor of i128 raw units (always ≥ 0).
fn gcd_raw(a: i128, b: i128) -> i128 {
    gcd_i128(a, b)
}

/// What a plan costs under the metric, every move in month 0, from its run rate `R` (cents
/// per month) and one-time total `O`.
#[derive(Debug, Clone)]
pub(super) enum CostModel {
    /// Exactly `per_run_rate × R (+ O)`: the run rate (1 × R), or TCO without growth
    /// (horizon × R + O).
    Linear { per_run_rate: i64, one_time: bool },
    /// TCO with growth: Σ over plan years of months × round(R × factor) + O. Within `band`
    /// cents of the linear form `factor_sum × R + O`, and non-decreasing in R.
    Growth {
        years: Vec<(i64, Decimal)>,
        factor_sum: f64,
        band: f64,
    },
}

impl CostModel {
    fn of(evaluation: &Evaluation, metric: CostMetric, run_rate_max: Cents) -> Self {
        let horizon = i64::from(evaluation.horizon_months);
        if metric == CostMetric::RunRate {
            return Self::Linear {
                per_run_rate: 1,
                one_time: false,
            };
        }
        let factors = &evaluation.growth_factors;
        if factors.iter().all(|f| *f == Decimal::ONE) {
            return Self::Linear {
                per_run_rate: horizon,
                one_time: true,
            };
        }
        let mut years = Vec::with_capacity(factors.len());
        let mut left = horizon;
        for factor in factors {
            let months = left.min(12);
            left -= months;
            years.push((months, *factor));
        }
        let factor_sum: Decimal = years.iter().map(|(n, f)| Decimal::from(*n) * f).sum();
        // |round(v) − v| ≤ ½ for each month of a year whose factor is not a whole number;
        // whole factors give whole cents (the engine's decimal product is exact to far below
        // a cent, and the 1e-6 covers it).
        #[expect(clippy::cast_precision_loss, reason = "months ≤ 120")]
        let band = years
            .iter()
            .filter(|(_, f)| !f.fract().is_zero())
            .map(|(n, _)| *n as f64 * 0.5)
            .sum::<f64>()
            + 1e-6;
        let factor_sum = factor_sum.to_f64().unwrap_or(f64::MAX);
        // The f64 factor differs from the decimal one by less than 1e-15 relative.
        #[expect(clippy::cast_precision_loss, reason = "a bound, not a figure")]
        let widen = 1e-15 * factor_sum * run_rate_max as f64;
        Self::Growth {
            years,
            factor_sum,
            band: band + widen,
        }
    }

    /// The exact cost, as `Evaluation::totals_of_destinations` computes it.
    pub fn exact(&self, run_rate: Cents, one_time: Cents) -> Cents {
        match self {
            Self::Linear {
                per_run_rate,
                one_time: with_one_time,
            } => {
                let recurring = per_run_rate.saturating_mul(run_rate);
                if *with_one_time {
                    recurring.saturating_add(one_time)
                } else {
                    recurring
                }
            }
            Self::Growth { years, .. } => {
                // The engine's recurring_cost(t) = round(R × (1 + g)^⌊t/12⌋), summed by month.
                let recurring = years.iter().fold(0_i64, |total, (months, factor)| {
                    let monthly = if *factor == Decimal::ONE {
                        run_rate
                    } else {
                        round_cents(Decimal::from(run_rate) * factor)
                    };
                    total.saturating_add(months.saturating_mul(monthly))
                });
                recurring.saturating_add(one_time)
            }
        }
    }

    /// The linear surrogate of an option or a plan: exact (as an integer) for `Linear`.
    pub fn surrogate(&self, run_rate: Cents, one_time: Cents) -> (f64, i64) {
        match self {
            Self::Linear { .. } => {
                let exact = self.exact(run_rate, one_time);
                #[expect(clippy::cast_precision_loss, reason = "cents below 2^53")]
                let float = exact as f64;
                (float, exact)
            }
            #[expect(clippy::cast_precision_loss, reason = "cents below 2^53")]
            Self::Growth { factor_sum, .. } => (factor_sum * run_rate as f64 + one_time as f64, 0),
        }
    }

    /// How far the exact cost can lie from the surrogate (0 for `Linear`).
    pub const fn band(&self) -> f64 {
        match self {
            Self::Linear { .. } => 0.0,
            Self::Growth { band, .. } => *band,
        }
    }

    pub const fn is_linear(&self) -> bool {
        matches!(self, Self::Linear { .. })
    }
}

/// One offer (destination and purchase term) of one workload.
#[derive(Debug, Clone, Copy)]
pub(super) struct Opt {
    /// Control units: importance × the destination's units.
    pub a: i64,
    /// Monthly cost (run rate) in cents.
    pub m: Cents,
    /// One-time cost in cents (0 under the run-rate metric, where it does not count).
    pub o: Cents,
    /// The surrogate cost, and its exact integer value for a linear cost model.
    pub s: f64,
    pub s_exact: i64,
    pub destination: Destination,
    pub offer: Offer,
}

/// A workload with more than one option worth considering.
#[derive(Debug, Clone)]
pub(super) struct Class {
    pub workload: u32,
    pub importance: i64,
    /// Options no other option of the workload beats, in ascending control.
    pub options: Vec<Opt>,
    /// Option indices of the lower convex hull of (control, surrogate), from the cheapest
    /// option (most control among equally cheap ones) to the one with the most control.
    pub hull: Vec<u8>,
    /// Rank in `Problem::steps` of the step from `hull[k]` to `hull[k + 1]`.
    pub step_rank: Vec<u32>,
}

impl Class {
    /// Index into `hull` of the class's option in the plan that takes the first `base` steps.
    pub fn hull_position(&self, base: usize) -> usize {
        self.step_rank
            .iter()
            .take_while(|&&rank| (rank as usize) < base)
            .count()
    }
}

/// One increment of the LP relaxation: a workload moving from one hull option to the next.
#[derive(Debug, Clone, Copy)]
pub(super) struct Step {
    pub class: u32,
    /// Surrogate cost per control unit.
    pub slope: f64,
    pub da: i64,
    pub dm: Cents,
    pub d_o: Cents,
}

/// Control units, run rate and one-time cost of a plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Totals {
    pub a: i64,
    pub r: Cents,
    pub o: Cents,
}

impl Totals {
    fn add(self, da: i64, dm: Cents, d_o: Cents) -> Self {
        Self {
            a: self.a.saturating_add(da),
            r: self.r.saturating_add(dm),
            o: self.o.saturating_add(d_o),
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Problem {
    pub metric: CostMetric,
    pub importance_total: u64,
    pub grid: ControlGrid,
    pub cost: CostModel,
    /// Each workload's offer in the start plan (its cheapest option by the surrogate, the
    /// most control among equally cheap ones); workloads outside `classes` never move.
    pub start: Vec<Offer>,
    pub classes: Vec<Class>,
    /// The LP relaxation's increments of every class, by ascending slope.
    pub steps: Vec<Step>,
    /// `prefix[i]`: totals of the plan that takes the first `i` steps.
    pub prefix: Vec<Totals>,
    /// Classes with an option above their hull, by how far the nearest one lies above it
    /// (no reduced cost of such an option is ever smaller).
    pub near_hull: Vec<(f64, u32)>,
    /// The fewest control units any step adds.
    pub min_step_units: i64,
    /// Importance on each destination in the start plan, and per step (from, to) for the
    /// prefix; only kept when control is rounded, to report the engine's own score.
    pub start_mass: [i64; 5],
    pub mass_prefix: Option<Vec<[i64; 5]>>,
    /// Margin for floating-point rounding in the surrogate (cents).
    pub tolerance: f64,
    /// Every plan's control total lies in `min_units..=max_units`.
    pub min_units: i64,
    pub max_units: i64,
    /// At most this many plans can be on the frontier (a cheap upper bound).
    pub frontier_size_bound: u64,
}

impl Problem {
    /// The problem over every offer `allowed` keeps (a workload's offer today is always
    /// kept, so every workload has one).
    pub fn new(
        evaluation: &Evaluation,
        metric: CostMetric,
        allowed: &dyn Fn(Offer) -> bool,
    ) -> Self {
        let grid = ControlGrid::of(evaluation);
        let offers = Offers::of(evaluation, metric, allowed);
        // The dearest plan bounds every figure (for the floating-point margins).
        let (mut run_rate_max, mut one_time_max): (Cents, Cents) = (0, 0);
        for workload in &offers.by_workload {
            let monthly = workload.iter().map(|o| o.1).max();
            run_rate_max = run_rate_max.saturating_add(monthly.unwrap_or(0));
            let one_time = workload.iter().map(|o| o.2).max();
            one_time_max = one_time_max.saturating_add(one_time.unwrap_or(0));
        }
        let cost = CostModel::of(evaluation, metric, run_rate_max);
        let built = Classes::of(evaluation, &offers, &grid, &cost);
        let mut classes = built.with_choice;
        let (steps, near_hull) = steps_of(&mut classes);
        let mut prefix = Vec::with_capacity(steps.len() + 1);
        let mut totals = classes.iter().fold(built.fixed, |t, class| {
            let o = class.options[usize::from(class.hull[0])];
            t.add(o.a, o.m, o.o)
        });
        prefix.push(totals);
        for step in &steps {
            totals = totals.add(step.da, step.dm, step.d_o);
            prefix.push(totals);
        }
        let mass_prefix =
            (!grid.is_exact()).then(|| mass_prefix(&classes, &steps, built.start_mass));
        let min_step_units = steps.iter().map(|s| s.da).min().unwrap_or(1).max(1);
        let (largest_surrogate, _) = cost.surrogate(run_rate_max, one_time_max);
        Self {
            metric,
            importance_total: built.importance_total,
            grid,
            cost,
            start: built.start,
            classes,
            steps,
            prefix,
            near_hull,
            min_step_units,
            start_mass: built.start_mass,
            mass_prefix,
            tolerance: 1e-6 + 1e-13 * largest_surrogate.abs(),
            min_units: built.min_units,
            max_units: totals.a,
            frontier_size_bound: built.frontier_size_bound,
        }
    }

    /// The smallest control total whose score (as [`ControlGrid::score`] rounds it, like the
    /// engine) reaches `min_control`; `None` beyond every plan.
    pub fn need_for(&self, min_control: Decimal) -> Option<i64> {
        let reaches = |units: i64| self.score_of_units(units) >= min_control;
        if !reaches(self.max_units) {
            return None;
        }
        if reaches(self.min_units) {
            return Some(self.min_units);
        }
        // units ≥ min_control × importance / step, settled by comparing the rounded scores
        // (monotone in the units) around the estimate.
        let estimate = (min_control * Decimal::from(self.importance_total) / self.grid.step)
            .ceil()
            .to_i64()
            .unwrap_or(self.max_units)
            .clamp(self.min_units, self.max_units);
        let (mut low, mut high) = (self.min_units, self.max_units);
        // A few exact steps around the estimate, then bisection if the estimate was far off.
        if reaches(estimate) {
            high = estimate;
            if !reaches(estimate - 1) {
                return Some(estimate);
            }
        } else {
            low = estimate;
            if reaches(estimate + 1) {
                return Some(estimate + 1);
            }
        }
        // Invariant: !reaches(low), reaches(high).
        while high - low > 1 {
            let middle = low + (high - low) / 2;
            if reaches(middle) {
                high = middle;
            } else {
                low = middle;
            }
        }
        Some(high)
    }

    /// The control score (0–100) of a plan with `units` control units.
    pub fn score_of_units(&self, units: i64) -> Decimal {
        self.grid.score(units, self.importance_total)
    }

    /// The control score as the engine computes it: Σ importance × control / Σ importance,
    /// from the importance on each destination.
    pub fn score_of_mass(&self, mass: &[i64; 5]) -> Decimal {
        if self.importance_total == 0 {
            return Decimal::ZERO;
        }
        let weighted: Decimal = mass
            .iter()
            .zip(self.grid.values)
            .map(|(m, v)| Decimal::from(*m) * v)
            .sum();
        weighted / Decimal::from(self.importance_total)
    }
}

/// Every workload's offers as (offer, run-rate cents, one-time cents) under the metric.
struct Offers {
    by_workload: Vec<Vec<(Offer, Cents, Cents)>>,
}

impl Offers {
    /// Under TCO the part of a term paid upfront counts as one-time (it does not grow):
    /// every month 0 move pays it for each month of the horizon.
    fn of(evaluation: &Evaluation, metric: CostMetric, allowed: &dyn Fn(Offer) -> bool) -> Self {
        let horizon = i64::from(evaluation.horizon_months);
        let by_workload = (0..evaluation.workload_count())
            .map(|index| {
                let today = evaluation.current_offer(index);
                evaluation
                    .offers_of(index)
                    .into_iter()
                    .filter(|(offer, _)| Some(*offer) == today || allowed(*offer))
                    .map(|(offer, p)| match metric {
                        CostMetric::RunRate => (offer, p.monthly_cents, 0),
                        CostMetric::Tco => (
                            offer,
                            p.monthly_cents.saturating_sub(p.prepaid_monthly_cents),
                            p.one_time_cents
                                .saturating_add(p.prepaid_monthly_cents.saturating_mul(horizon)),
                        ),
                    })
                    .collect()
            })
            .collect();
        Self { by_workload }
    }
}

/// Every workload's undominated options: the workloads with a choice, and the rest fixed.
struct Classes {
    with_choice: Vec<Class>,
    start: Vec<Offer>,
    /// Totals of the workloads with one option left.
    fixed: Totals,
    start_mass: [i64; 5],
    importance_total: u64,
    min_units: i64,
    frontier_size_bound: u64,
}

impl Classes {
    fn of(evaluation: &Evaluation, offers: &Offers, grid: &ControlGrid, cost: &CostModel) -> Self {
        let band = cost.band();
        let mut built = Self {
            with_choice: Vec::new(),
            start: Vec::with_capacity(evaluation.workloads.len()),
            fixed: Totals::default(),
            start_mass: [0; 5],
            importance_total: 0,
            min_units: 0,
            frontier_size_bound: 1,
        };
        let mut units_span: u64 = 0;
        for (index, figures) in evaluation.workloads.iter().enumerate() {
            let importance = i64::from(figures.importance);
            built.importance_total += u64::from(figures.importance);
            let mut options: Vec<Opt> = offers.by_workload[index]
                .iter()
                .map(|&(offer, m, o)| {
                    let d = offer.destination;
                    let (s, s_exact) = cost.surrogate(m, o);
                    Opt {
                        a: importance.saturating_mul(grid.units[d.index()]),
                        m,
                        o,
                        s,
                        s_exact,
                        destination: d,
                        offer,
                    }
                })
                .collect();
            built.min_units += options.iter().map(|o| o.a).min().unwrap_or(0);
            keep_undominated(&mut options, cost, band);
            options.sort_by(|x, y| x.a.cmp(&y.a).then(x.s.total_cmp(&y.s)));
            let Some(first) = options.first().copied() else {
                // Cannot happen: the current offer is always an option.
                built.start.push(Offer::new(
                    figures.current,
                    crate::model::TermKind::PayAsYouGo,
                ));
                continue;
            };
            if options.len() == 1 {
                built.start.push(first.offer);
                built.fixed = built.fixed.add(first.a, first.m, first.o);
                built.start_mass[first.destination.index()] += importance;
                continue;
            }
            built.frontier_size_bound = built
                .frontier_size_bound
                .saturating_mul(options.len() as u64);
            let span = options.last().map_or(0, |o| o.a) - first.a;
            units_span = units_span.saturating_add(u64::try_from(span).unwrap_or(0));
            let hull = lower_hull(&options, cost.is_linear());
            let start_option = options[usize::from(hull[0])];
            built.start.push(start_option.offer);
            built.start_mass[start_option.destination.index()] += importance;
            built.with_choice.push(Class {
                workload: u32::try_from(index).unwrap_or(u32::MAX),
                importance,
                options,
                hull,
                step_rank: Vec::new(),
            });
        }
        built.frontier_size_bound = built.frontier_size_bound.min(units_span.saturating_add(1));
        built
    }
}

/// The hull steps of every class sorted by slope (recording each step's rank in its class),
/// and the classes with options above their hull by how far above.
fn steps_of(classes: &mut [Class]) -> (Vec<Step>, Vec<(f64, u32)>) {
    let mut steps = Vec::new();
    let mut near_hull = Vec::new();
    for (class_index, class) in classes.iter().enumerate() {
        let class_id = u32::try_from(class_index).unwrap_or(u32::MAX);
        for pair in class.hull.windows(2) {
            let (from, to) = (
                class.options[usize::from(pair[0])],
                class.options[usize::from(pair[1])],
            );
            steps.push(Step {
                class: class_id,
                slope: slope(&from, &to),
                da: to.a - from.a,
                dm: to.m - from.m,
                d_o: to.o - from.o,
            });
        }
        if let Some(excess) = min_excess(class) {
            near_hull.push((excess, class_id));
        }
    }
    // Within a class the slopes rise, so a stable sort by slope keeps each class's steps in
    // hull order.
    steps.sort_by(|x, y| x.slope.total_cmp(&y.slope));
    near_hull.sort_by(|x, y| x.0.total_cmp(&y.0));
    for (rank, step) in steps.iter().enumerate() {
        classes[step.class as usize]
            .step_rank
            .push(u32::try_from(rank).unwrap_or(u32::MAX));
    }
    (steps, near_hull)
}

/// Importance on each destination after each prefix of the steps.
fn mass_prefix(classes: &[Class], steps: &[Step], start_mass: [i64; 5]) -> Vec<[i64; 5]> {
    let mut positions = vec![0_usize; classes.len()];
    let mut mass = start_mass;
    let mut out = Vec::with_capacity(steps.len() + 1);
    out.push(mass);
    for step in steps {
        let class = &classes[step.class as usize];
        let position = &mut positions[step.class as usize];
        let from = class.options[usize::from(class.hull[*position])].destination;
        *position += 1;
        let to = class.options[usize::from(class.hull[*position])].destination;
        mass[from.index()] -= class.importance;
        mass[to.index()] += class.importance;
        out.push(mass);
    }
    out
}

/// Slope of the step between two hull options, surrogate cents per control unit.
#[expect(clippy::cast_precision_loss, reason = "control units below 2^53")]
fn slope(from: &Opt, to: &Opt) -> f64 {
    (to.s - from.s) / (to.a - from.a) as f64
}

/// Drops every option another option of the same workload beats: at least as much control
/// and, for every possible rest of the plan, no higher cost. With growth that is "no higher
/// run rate and one-time" (the cost is non-decreasing in the run rate) or "surrogate lower by
/// at least twice the band". Of equal options the first (in destination order) stays.
fn keep_undominated(options: &mut Vec<Opt>, cost: &CostModel, band: f64) {
    let linear = cost.is_linear();
    let beats = |p: &Opt, q: &Opt| {
        p.a >= q.a
            && if linear {
                p.s_exact <= q.s_exact
            } else {
                (p.m <= q.m && p.o <= q.o) || p.s + 2.0 * band <= q.s
            }
    };
    let keep: Vec<bool> = (0..options.len())
        .map(|j| {
            !(0..options.len()).any(|i| {
                i != j
                    && beats(&options[i], &options[j])
                    && (!beats(&options[j], &options[i]) || i < j)
            })
        })
        .collect();
    let mut flags = keep.into_iter();
    options.retain(|_| flags.next().unwrap_or(true));
}

/// Option indices of the lower convex hull, from the cheapest option (the most control among
/// equally cheap ones) towards more control; options sorted by ascending control. Slopes rise
/// strictly along it, exactly for a linear cost model and as computed in f64 otherwise.
fn lower_hull(options: &[Opt], linear: bool) -> Vec<u8> {
    let start = (0..options.len())
        .min_by(|&x, &y| {
            let (p, q) = (&options[x], &options[y]);
            p.s.total_cmp(&q.s).then(q.a.cmp(&p.a))
        })
        .unwrap_or(0);
    let turns_up = |p: &Opt, q: &Opt, r: &Opt| -> bool {
        if linear {
            let left = i128::from(q.s_exact - p.s_exact) * i128::from(r.a - q.a);
            let right = i128::from(r.s_exact - q.s_exact) * i128::from(q.a - p.a);
            left < right
        } else {
            slope(p, q) < slope(q, r)
        }
    };
    let mut hull: Vec<usize> = vec![start];
    let mut index = start + 1;
    while index < options.len() {
        let candidate = &options[index];
        // Of options with equal control only the cheapest (first, as sorted) can be on it.
        let same_as_last = options[*hull.last().unwrap_or(&start)].a == candidate.a;
        if candidate.a > options[start].a && !same_as_last {
            while hull.len() >= 2
                && !turns_up(
                    &options[hull[hull.len() - 2]],
                    &options[hull[hull.len() - 1]],
                    candidate,
                )
            {
                hull.pop();
            }
            // A step must add cost: a cheaper option with more control would have been the start.
            hull.push(index);
        }
        index += 1;
    }
    // In f64 a slope can tie its predecessor after rounding; such a vertex is dropped so that
    // slopes rise strictly along every hull.
    if !linear {
        let mut k = 1;
        while k + 1 < hull.len() {
            if slope(&options[hull[k - 1]], &options[hull[k]])
                >= slope(&options[hull[k]], &options[hull[k + 1]])
            {
                hull.remove(k);
                k = k.saturating_sub(1).max(1);
            } else {
                k += 1;
            }
        }
    }
    hull.into_iter()
        .map(|i| u8::try_from(i).unwrap_or(u8::MAX))
        .collect()
}

/// How far the class's nearest non-hull option lies above the hull (or above the cheapest
/// option, for options with less control than it): a lower bound on its reduced cost at every
/// multiplier. `None` when every option is on the hull.
fn min_excess(class: &Class) -> Option<f64> {
    let vertices: Vec<&Opt> = class
        .hull
        .iter()
        .map(|&i| &class.options[usize::from(i)])
        .collect();
    let start = vertices.first()?;
    class
        .options
        .iter()
        .enumerate()
        .filter(|(i, _)| !class.hull.iter().any(|&h| usize::from(h) == *i))
        .map(|(_, option)| {
            let floor = if option.a <= start.a {
                start.s
            } else {
                vertices
                    .windows(2)
                    .find(|pair| pair[0].a <= option.a && option.a <= pair[1].a)
                    .map_or(f64::NEG_INFINITY, |pair| {
                        #[expect(clippy::cast_precision_loss, reason = "units below 2^53")]
                        let along = (option.a - pair[0].a) as f64;
                        pair[0].s + along * slope(pair[0], pair[1])
                    })
            };
            (option.s - floor).max(0.0)
        })
        .min_by(f64::total_cmp)
}
