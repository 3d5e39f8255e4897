//! The exact search for the cheapest plan with at least a given control total: the LP
//! relaxation's break point gives a Lagrangian multiplier λ and a base plan; reduced costs at
//! λ fix every workload but a small core; a dynamic programme over the core (states are whole
//! plans, pruned by bounds and dominance) settles it. See the module comment of `optimizer`
//! for why the answer is exact.

use super::problem::{Problem, Totals};
use crate::model::number::Cents;

/// A plan found by the search: the base plan (the first `base` LP steps) with the options in
/// `overrides` (class index, option index) changed, and its exact figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Solution {
    pub base: usize,
    pub overrides: Vec<(u32, u8)>,
    pub totals: Totals,
    pub cost_cents: Cents,
}

/// One option of a core class relative to the class's option in the base plan.
#[derive(Debug, Clone, Copy)]
struct Delta {
    option: u8,
    is_base: bool,
    da: i64,
    dm: Cents,
    d_o: Cents,
    ds: f64,
    ds_exact: i64,
    /// Reduced cost at λ: Δsurrogate − λ·Δcontrol, never negative (beyond rounding).
    reduced: f64,
}

#[derive(Debug, Clone, Copy)]
struct CoreClass {
    class: u32,
    first: usize,
    len: usize,
    reduced_min: f64,
    /// Most control units the class can add to / take from the base plan.
    up: i64,
    down: i64,
}

/// A whole plan: the base plan with the core classes decided so far changed, relative to the
/// base plan's figures.
#[derive(Debug, Clone, Copy)]
struct State {
    a: i64,
    r: Cents,
    o: Cents,
    s: f64,
    s_exact: i64,
    reduced: f64,
    node: u32,
}

/// A changed option, chained to the state it was added to (for recovering the plan).
#[derive(Debug, Clone, Copy)]
struct Node {
    parent: u32,
    class: u32,
    option: u8,
}

const ROOT: u32 = u32::MAX;

/// One question: the control total asked for, λ, and the base plan.
struct Query {
    need: i64,
    lambda: f64,
    base: usize,
    totals: Totals,
    cost: Cents,
    /// G = (incumbent − base cost) + `fixed_gap` bounds Σ reduced cost + λ·surplus of every
    /// plan that costs no more than the incumbent.
    fixed_gap: f64,
}

#[derive(Debug, Clone)]
struct Best {
    cost: Cents,
    totals: Totals,
    overrides: Vec<(u32, u8)>,
}

impl Best {
    /// Lower cost, or the same cost with more control.
    const fn beaten_by(&self, cost: Cents, units: i64) -> bool {
        cost < self.cost || (cost == self.cost && units > self.totals.a)
    }
}

/// Reusable buffers for many questions on one problem.
pub(super) struct Search<'p> {
    problem: &'p Problem,
    stamp: Vec<u32>,
    round: u32,
    candidates: Vec<u32>,
    core: Vec<CoreClass>,
    deltas: Vec<Delta>,
    states: Vec<State>,
    next: Vec<State>,
    nodes: Vec<Node>,
    near_band: Vec<(f64, Cents, Cents)>,
    remaining: Vec<(i64, i64)>,
}

impl<'p> Search<'p> {
    pub fn new(problem: &'p Problem) -> Self {
        Self {
            problem,
            stamp: vec![0; problem.classes.len()],
            round: 0,
            candidates: Vec::new(),
            core: Vec::new(),
            deltas: Vec::new(),
            states: Vec::new(),
            next: Vec::new(),
            nodes: Vec::new(),
            near_band: Vec::new(),
            remaining: Vec::new(),
        }
    }

    /// The cheapest plan whose control total is at least `need` units, with the most
    /// control among equally cheap ones; `None` when no plan has that much control.
    pub fn cheapest_with_at_least(&mut self, need: i64) -> Option<Solution> {
        let problem = self.problem;
        if need > problem.max_units {
            return None;
        }
        // The LP relaxation: take increments by ascending slope until the control suffices.
        let base = problem.prefix.partition_point(|t| t.a < need);
        let totals = *problem.prefix.get(base)?;
        let lambda = base
            .checked_sub(1)
            .and_then(|i| problem.steps.get(i))
            .map_or(0.0, |s| s.slope);
        let cost = problem.cost.exact(totals.r, totals.o);
        let (surrogate, _) = problem.cost.surrogate(totals.r, totals.o);
        #[expect(clippy::cast_precision_loss, reason = "cents and units below 2^53")]
        let fixed_gap =
            (cost as f64 - surrogate) + problem.cost.band() + lambda * (totals.a - need) as f64;
        let query = Query {
            need,
            lambda,
            base,
            totals,
            cost,
            fixed_gap,
        };
        let mut best = Best {
            cost,
            totals,
            overrides: Vec::new(),
        };
        // Grow the core until every workload left out of it provably keeps its base option.
        let mut limit = (2.0 * problem.cost.band()).max(1.0);
        loop {
            self.settle_core(&query, &mut best, limit);
            let gap = query.gap(best.cost);
            if gap <= limit {
                break;
            }
            limit = if gap <= 4.0 * limit { gap } else { 4.0 * limit };
        }
        Some(Solution {
            base,
            overrides: best.overrides,
            totals: best.totals,
            cost_cents: best.cost,
        })
    }

    /// Marks class `class` as a candidate for the core (once per round).
    fn mark(&mut self, class: u32) {
        let slot = &mut self.stamp[class as usize];
        if *slot != self.round {
            *slot = self.round;
            self.candidates.push(class);
        }
    }

    /// The classes with an option whose reduced cost is at most `limit`, each with those
    /// options (and its base option first), by ascending smallest reduced cost.
    fn collect_core(&mut self, query: &Query, limit: f64) {
        let problem = self.problem;
        let limit = limit + problem.tolerance;
        self.round = self.round.wrapping_add(1);
        if self.round == 0 {
            self.stamp.fill(0);
            self.round = 1;
        }
        self.candidates.clear();
        // A hull option's reduced cost is at least |slope − λ| × units of the step next to
        // the base option on its way, so only steps with slopes this close to λ can qualify.
        #[expect(clippy::cast_precision_loss, reason = "control units below 2^53")]
        let width = limit / problem.min_step_units as f64;
        let low = problem
            .steps
            .partition_point(|s| s.slope < query.lambda - width);
        let high = problem
            .steps
            .partition_point(|s| s.slope <= query.lambda + width);
        for t in low..high {
            self.mark(problem.steps[t].class);
        }
        // An option above the hull costs at least its height above it.
        for &(excess, class) in &problem.near_hull {
            if excess > limit {
                break;
            }
            self.mark(class);
        }

        self.core.clear();
        self.deltas.clear();
        for &class_id in &self.candidates {
            let class = &problem.classes[class_id as usize];
            let base_index = usize::from(class.hull[class.hull_position(query.base)]);
            let base = class.options[base_index];
            let first = self.deltas.len();
            self.deltas.push(Delta {
                option: u8::try_from(base_index).unwrap_or(u8::MAX),
                is_base: true,
                da: 0,
                dm: 0,
                d_o: 0,
                ds: 0.0,
                ds_exact: 0,
                reduced: 0.0,
            });
            let (mut reduced_min, mut up, mut down) = (f64::INFINITY, 0_i64, 0_i64);
            for (index, option) in class.options.iter().enumerate() {
                if index == base_index {
                    continue;
                }
                let da = option.a - base.a;
                let ds = option.s - base.s;
                #[expect(clippy::cast_precision_loss, reason = "control units below 2^53")]
                let reduced = ds - query.lambda * da as f64;
                if reduced > limit {
                    continue;
                }
                self.deltas.push(Delta {
                    option: u8::try_from(index).unwrap_or(u8::MAX),
                    is_base: false,
                    da,
                    dm: option.m - base.m,
                    d_o: option.o - base.o,
                    ds,
                    ds_exact: option.s_exact - base.s_exact,
                    reduced,
                });
                reduced_min = reduced_min.min(reduced);
                up = up.max(da);
                down = down.max(-da);
            }
            if self.deltas.len() == first + 1 {
                self.deltas.truncate(first);
                continue;
            }
            self.core.push(CoreClass {
                class: class_id,
                first,
                len: self.deltas.len() - first,
                reduced_min,
                up,
                down,
            });
        }
        self.core.sort_by(|x, y| {
            x.reduced_min
                .total_cmp(&y.reduced_min)
                .then(x.class.cmp(&y.class))
        });
        // Control the classes after each one can still add or take away.
        self.remaining.clear();
        self.remaining.resize(self.core.len() + 1, (0, 0));
        for k in (0..self.core.len()).rev() {
            let (up, down) = self.remaining[k + 1];
            self.remaining[k] = (
                up.saturating_add(self.core[k].up),
                down.saturating_add(self.core[k].down),
            );
        }
    }

    /// Finds the best plan that changes only classes of the core for `limit`, improving
    /// `best`.
    fn settle_core(&mut self, query: &Query, best: &mut Best, limit: f64) {
        self.collect_core(query, limit);
        let problem = self.problem;
        let linear = problem.cost.is_linear();
        self.nodes.clear();
        self.states.clear();
        self.states.push(State {
            a: 0,
            r: 0,
            o: 0,
            s: 0.0,
            s_exact: 0,
            reduced: 0.0,
            node: ROOT,
        });
        // The best plan of this round, if it beats `best`: (cost, state).
        let mut found: Option<(Cents, State)> = None;
        for k in 0..self.core.len() {
            let incumbent = found.map_or(best.cost, |(cost, _)| cost);
            self.add_core_class(query, k, query.gap(incumbent) + problem.tolerance);
            // Every state is a whole plan: the feasible ones are incumbents.
            let mut feasible = self
                .states
                .iter()
                .filter(|s| query.totals.a + s.a >= query.need);
            if linear {
                for state in feasible {
                    let cost = query.cost + state.s_exact;
                    if beats(found.as_ref(), best, query, cost, state) {
                        found = Some((cost, *state));
                    }
                }
            } else if let Some(state) = feasible.by_ref().min_by(|x, y| x.s.total_cmp(&y.s)) {
                let cost = self.exact_cost(query, state);
                if beats(found.as_ref(), best, query, cost, state) {
                    found = Some((cost, *state));
                }
            }
        }
        if !linear {
            // Any plan within twice the band of the cheapest surrogate may be the cheapest.
            let band = 2.0 * problem.cost.band() + problem.tolerance;
            let feasible = || {
                self.states
                    .iter()
                    .filter(|s| query.totals.a + s.a >= query.need)
            };
            if let Some(cheapest) = feasible().map(|s| s.s).min_by(f64::total_cmp) {
                for state in feasible().filter(|s| s.s <= cheapest + band) {
                    let cost = self.exact_cost(query, state);
                    if beats(found.as_ref(), best, query, cost, state) {
                        found = Some((cost, *state));
                    }
                }
            }
        }
        if let Some((cost, state)) = found {
            *best = Best {
                cost,
                totals: Totals {
                    a: query.totals.a + state.a,
                    r: query.totals.r + state.r,
                    o: query.totals.o + state.o,
                },
                overrides: self.overrides_of(&state),
            };
        }
    }

    /// Extends every state with each option of core class `k`, keeping the states that can
    /// still cost no more than the incumbent (`bound` on reduced cost plus surplus) and that
    /// no other state beats.
    fn add_core_class(&mut self, query: &Query, k: usize, bound: f64) {
        let class = self.core[k];
        let (up_after, down_after) = self.remaining[k + 1];
        self.next.clear();
        for state in &self.states {
            for delta in &self.deltas[class.first..class.first + class.len] {
                let reduced = state.reduced + delta.reduced;
                if reduced > bound {
                    continue;
                }
                let a = state.a + delta.da;
                let units = query.totals.a + a;
                if units.saturating_add(up_after) < query.need {
                    continue;
                }
                // Surplus control is paid for at λ in every completion.
                let surplus = (units - down_after - query.need).max(0);
                #[expect(clippy::cast_precision_loss, reason = "control units below 2^53")]
                let surplus_cost = query.lambda * surplus as f64;
                if reduced + surplus_cost > bound {
                    continue;
                }
                let node = if delta.is_base {
                    state.node
                } else {
                    self.nodes.push(Node {
                        parent: state.node,
                        class: class.class,
                        option: delta.option,
                    });
                    u32::try_from(self.nodes.len() - 1).unwrap_or(ROOT)
                };
                self.next.push(State {
                    a,
                    r: state.r + delta.dm,
                    o: state.o + delta.d_o,
                    s: state.s + delta.ds,
                    s_exact: state.s_exact + delta.ds_exact,
                    reduced,
                    node,
                });
            }
        }
        if self.problem.cost.is_linear() {
            keep_pareto_linear(&mut self.next, &mut self.states);
        } else {
            let margin = 2.0 * self.problem.cost.band() + self.problem.tolerance;
            keep_pareto_growth(
                &mut self.next,
                &mut self.states,
                &mut self.near_band,
                margin,
            );
        }
    }

    fn exact_cost(&self, query: &Query, state: &State) -> Cents {
        self.problem
            .cost
            .exact(query.totals.r + state.r, query.totals.o + state.o)
    }

    /// The options a state changes from the base plan, by class.
    fn overrides_of(&self, state: &State) -> Vec<(u32, u8)> {
        let mut overrides = Vec::new();
        let mut node = state.node;
        while let Some(n) = self.nodes.get(node as usize) {
            overrides.push((n.class, n.option));
            node = n.parent;
        }
        overrides.sort_unstable();
        overrides
    }
}

impl Query {
    /// The bound G for an incumbent that costs `incumbent` cents.
    #[expect(clippy::cast_precision_loss, reason = "cents below 2^53")]
    fn gap(&self, incumbent: Cents) -> f64 {
        (incumbent - self.cost) as f64 + self.fixed_gap
    }
}

/// Whether a plan (`state`, costing `cost`) beats the round's best so far, or the best of
/// earlier rounds when the round has none yet.
fn beats(
    found: Option<&(Cents, State)>,
    best: &Best,
    query: &Query,
    cost: Cents,
    state: &State,
) -> bool {
    match found {
        Some((found_cost, found_state)) => {
            cost < *found_cost || (cost == *found_cost && state.a > found_state.a)
        }
        None => best.beaten_by(cost, query.totals.a + state.a),
    }
}

/// Keeps the states no other state beats with at least as much control and an exact cost
/// no higher (the cost is the surrogate itself); `states` gets them by descending control.
fn keep_pareto_linear(next: &mut [State], states: &mut Vec<State>) {
    next.sort_unstable_by(|x, y| y.a.cmp(&x.a).then(x.s_exact.cmp(&y.s_exact)));
    states.clear();
    let mut cheapest = i64::MAX;
    for state in next.iter() {
        if state.s_exact < cheapest {
            cheapest = state.s_exact;
            states.push(*state);
        }
    }
}

/// The same with growth: a state is beaten by one with at least as much control and either
/// no higher run rate and one-time cost, or a surrogate lower by at least `margin` (twice the
/// band plus the rounding margin).
fn keep_pareto_growth(
    next: &mut [State],
    states: &mut Vec<State>,
    near_band: &mut Vec<(f64, Cents, Cents)>,
    margin: f64,
) {
    next.sort_unstable_by(|x, y| y.a.cmp(&x.a).then(x.s.total_cmp(&y.s)).then(x.r.cmp(&y.r)));
    states.clear();
    near_band.clear();
    let mut cheapest = f64::INFINITY;
    for state in next.iter() {
        if state.s >= cheapest + margin {
            continue;
        }
        if near_band
            .iter()
            .any(|&(_, r, o)| r <= state.r && o <= state.o)
        {
            continue;
        }
        states.push(*state);
        near_band.push((state.s, state.r, state.o));
        if state.s < cheapest {
            cheapest = state.s;
            near_band.retain(|entry| entry.0 < cheapest + margin);
        }
    }
}
