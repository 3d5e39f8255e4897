//! The exact search for the cheapest plan with at least a given control total: the LP
//! relaxation's break point gives a Lagrangian multiplier λ and a base plan; reduced costs at
//! λ fix every workload but a small core; a dynamic programme over the core (states are whole
//! plans, pruned by bounds and dominance) settles it. See the module comment of `optimizer`
//! for why the answer is exact.

use super::groups::Groups;
use super::problem::{Class, Problem, Totals};
use crate::model::number::Cents;

/// A round whose candidates are more than this many workloads groups identical workloads
/// first (once per search): grouping costs O(n log n), and pays only with a large core.
const GROUP_FROM_CANDIDATES: usize = 64;

/// A plan found by the search: the base plan (the first `base` LP steps) with the options in
/// `overrides` (class index, option index) changed, and its exact figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Solution {
    pub base: usize,
    pub overrides: Vec<(u32, u8)>,
    pub totals: Totals,
    pub cost_cents: Cents,
}

/// One option of a core item relative to the base plan.
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

impl Delta {
    /// An item's own base option: no change.
    fn base(option: u8) -> Self {
        Self {
            option,
            is_base: true,
            da: 0,
            dm: 0,
            d_o: 0,
            ds: 0.0,
            ds_exact: 0,
            reduced: 0.0,
        }
    }
}

/// Who an item of the core stands for.
#[derive(Debug, Clone, Copy)]
enum Owner {
    /// One workload with any number of options.
    Class(u32),
    /// `count` of the workloads of a copies group (the same change between two options,
    /// moved together): a group of n such workloads becomes items of 1, 2, 4, … copies, so
    /// any number 0…n of them can move (the binary splitting of a bounded knapsack item), in
    /// log n layers instead of n.
    Copies { group: u32, count: u32 },
}

#[derive(Debug, Clone, Copy)]
struct CoreItem {
    owner: Owner,
    first: usize,
    len: usize,
    reduced_min: f64,
    /// Most control units the item can add to / take from the base plan.
    up: i64,
    down: i64,
    /// Least reduced cost per control unit added / taken away (infinite when none).
    rate_up: f64,
    rate_down: f64,
}

/// What the core items after one can still do.
#[derive(Debug, Clone, Copy)]
struct Remaining {
    up: i64,
    down: i64,
    rate_up: f64,
    rate_down: f64,
}

impl Remaining {
    const NONE: Self = Self {
        up: 0,
        down: 0,
        rate_up: f64::INFINITY,
        rate_down: f64::INFINITY,
    };
}

/// A whole plan: the base plan with the core items decided so far changed, relative to the
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
    item: u32,
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

impl Query {
    /// The bound G for an incumbent that costs `incumbent` cents.
    #[expect(clippy::cast_precision_loss, reason = "cents below 2^53")]
    fn gap(&self, incumbent: Cents) -> f64 {
        (incumbent - self.cost) as f64 + self.fixed_gap
    }
}

#[derive(Debug, Clone)]
struct Best {
    cost: Cents,
    totals: Totals,
    overrides: Vec<(u32, u8)>,
}

/// Core workloads that can make only one change with the same figures (control units, exact
/// surrogate for a linear cost model, run rate and one-time) are interchangeable.
type GroupKey = (i64, i64, Cents, Cents);

/// Workloads that make the same change: one class, or a range of [`Groups::members`].
#[derive(Debug, Clone, Copy)]
enum Run {
    One { class: u32, option: u8 },
    Members { from: u32, to: u32, option: u8 },
}

impl Run {
    fn count(self) -> u32 {
        match self {
            Self::One { .. } => 1,
            Self::Members { from, to, .. } => to - from,
        }
    }
}

/// A run that can make one change, before the runs with the same change are merged.
#[derive(Debug, Clone, Copy)]
struct Pair {
    key: GroupKey,
    change: Delta,
    run: Run,
    /// The run's first class, for a deterministic order.
    class: u32,
}

/// Reusable buffers for many questions on one problem.
pub(super) struct Search<'p> {
    problem: &'p Problem,
    stamp: Vec<u32>,
    round: u32,
    candidates: Vec<u32>,
    items: Vec<CoreItem>,
    deltas: Vec<Delta>,
    /// The runs of each copies group (workloads with the same single change).
    copies: Vec<Vec<Run>>,
    /// The runs of this round that can make one change only.
    pairs: Vec<Pair>,
    /// Identical workloads, once grouped (for a frontier, or when a core grows large).
    identical: Option<Groups>,
    states: Vec<State>,
    next: Vec<State>,
    /// For a linear cost: the extended states of each option, each in descending control.
    lanes: Vec<Vec<State>>,
    nodes: Vec<Node>,
    near_band: Vec<(f64, Cents, Cents)>,
    remaining: Vec<Remaining>,
    /// The last question's final threshold, a good first one for the next.
    last_limit: f64,
}

impl<'p> Search<'p> {
    pub fn new(problem: &'p Problem) -> Self {
        Self {
            problem,
            stamp: vec![0; problem.classes.len()],
            round: 0,
            candidates: Vec::new(),
            items: Vec::new(),
            deltas: Vec::new(),
            copies: Vec::new(),
            pairs: Vec::new(),
            identical: None,
            states: Vec::new(),
            next: Vec::new(),
            lanes: Vec::new(),
            nodes: Vec::new(),
            near_band: Vec::new(),
            remaining: Vec::new(),
            last_limit: 0.0,
        }
    }

    /// Groups identical workloads now rather than when a core first grows large: for many
    /// questions on one plan (the frontier).
    pub fn group_identical(&mut self) {
        if self.identical.is_none() {
            self.identical = Some(Groups::of(self.problem));
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
        // Grow the core until every workload left out of it provably keeps its base option,
        // starting from the threshold the last question ended with (the frontier asks
        // similar questions in a row).
        let mut limit = (2.0 * problem.cost.band())
            .max(1.0)
            .max(self.last_limit)
            .min(query.gap(best.cost));
        loop {
            self.settle_core(&query, &mut best, limit);
            let gap = query.gap(best.cost);
            if gap <= limit {
                self.last_limit = gap;
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

    /// The candidates: classes (or, once grouped, groups of identical classes) with a hull
    /// step whose slope is close enough to λ, or an option close enough above their hull, for
    /// a reduced cost of at most `limit`.
    fn collect_candidates(&mut self, query: &Query, limit: f64) {
        let problem = self.problem;
        self.round = self.round.wrapping_add(1);
        if self.round == 0 {
            self.stamp.fill(0);
            self.round = 1;
        }
        self.candidates.clear();
        let (stamp, round, candidates) = (&mut self.stamp, self.round, &mut self.candidates);
        let mut mark = |id: u32| {
            if let Some(slot) = stamp.get_mut(id as usize)
                && *slot != round
            {
                *slot = round;
                candidates.push(id);
            }
        };
        // A hull option's reduced cost is at least |slope − λ| × units of the step next to
        // the base option on its way, so only steps with slopes this close to λ can qualify;
        // the step's own reduced cost is that of the option it leads to when it is next to
        // the base option (farther hull options cost more, the hull being convex).
        #[expect(clippy::cast_precision_loss, reason = "control units below 2^53")]
        let width = limit / problem.min_step_units as f64;
        #[expect(clippy::cast_precision_loss, reason = "control units below 2^53")]
        let close = |slope: f64, da: i64| (slope - query.lambda).abs() * da as f64 <= limit;
        let lambda = query.lambda;
        if let Some(groups) = &self.identical {
            let step = |s: &super::groups::GroupStep| (s.slope, s.da, s.group);
            mark_close(
                &groups.steps,
                &groups.near_hull,
                step,
                (lambda, width, limit),
                close,
                &mut mark,
            );
            return;
        }
        let step = |s: &super::problem::Step| (s.slope, s.da, s.class);
        mark_close(
            &problem.steps,
            &problem.near_hull,
            step,
            (lambda, width, limit),
            close,
            &mut mark,
        );
        if self.candidates.len() > GROUP_FROM_CANDIDATES {
            // A large core: identical workloads may make it so.
            self.group_identical();
            self.collect_candidates(query, limit);
        }
    }

    /// The core for `limit`: every class with an option whose reduced cost is at most
    /// `limit`, with those options (its base option first); identical classes as groups (see
    /// [`Self::add_group`]) and the workloads with one change left merged by that change;
    /// items by ascending smallest reduced cost, the widest first among equals.
    fn collect_core(&mut self, query: &Query, limit: f64) {
        let problem = self.problem;
        let limit = limit + problem.tolerance;
        self.collect_candidates(query, limit);
        self.items.clear();
        self.deltas.clear();
        self.copies.clear();
        self.pairs.clear();
        let candidates = std::mem::take(&mut self.candidates);
        let identical = self.identical.take();
        for &candidate in &candidates {
            if let Some(groups) = &identical {
                let range = groups.range(candidate);
                let first = u32::try_from(range.start).unwrap_or(u32::MAX);
                self.add_group(query, limit, &groups.members[range], Some(first));
            } else {
                self.add_group(query, limit, std::slice::from_ref(&candidate), None);
            }
        }
        self.identical = identical;
        self.candidates = candidates;
        self.group_pairs();
        // Among items as cheap (the copies of a change at λ cost nothing), the widest first:
        // the states then stay within what the rest can still add or take away.
        let tolerance = problem.tolerance;
        let order = |item: &CoreItem| {
            if item.reduced_min <= tolerance {
                0.0
            } else {
                item.reduced_min
            }
        };
        self.items.sort_by(|x, y| {
            order(x)
                .total_cmp(&order(y))
                .then((y.up + y.down).cmp(&(x.up + x.down)))
        });
        // What the items after each one can still do.
        self.remaining.clear();
        self.remaining.resize(self.items.len() + 1, Remaining::NONE);
        for k in (0..self.items.len()).rev() {
            let after = self.remaining[k + 1];
            let item = &self.items[k];
            self.remaining[k] = Remaining {
                up: after.up.saturating_add(item.up),
                down: after.down.saturating_add(item.down),
                rate_up: after.rate_up.min(item.rate_up),
                rate_down: after.rate_down.min(item.rate_down),
            };
        }
    }

    /// Adds identical classes `members` (ascending; one class when not grouped) to the core.
    ///
    /// In the base plan the members are on one hull option p, or the first ones (whose break
    /// step it is) on the next one, q. Otherwise q is the option of least reduced cost after
    /// p. Every other option has a reduced cost of at least r₂, so a plan that can beat the
    /// incumbent has at most `full` = ⌊limit / r₂⌋ members off p and q. So `full` members
    /// become items with every option within the limit, and the others can only move between
    /// p and q, as copies of one change (log n items). The members being interchangeable,
    /// these items give every distribution of them with at most `full` off p and q, and only
    /// real plans.
    fn add_group(&mut self, query: &Query, limit: f64, members: &[u32], first: Option<u32>) {
        let classes = &self.problem.classes;
        let (Some(&lead), Some(&last)) = (members.first(), members.last()) else {
            return;
        };
        let class = &classes[lead as usize];
        let position = |member: u32| classes[member as usize].hull_position(query.base);
        // The LP steps are sorted stably, so each step of theirs was taken by a prefix of
        // the members: the positions descend.
        let (ahead, p) = (position(lead), position(last));
        if ahead > p + 1 {
            // Two steps of theirs tie with λ after rounding: each member on its own.
            for (offset, member) in (0_u32..).zip(members) {
                let first = first.map(|f| f + offset);
                self.add_group(query, limit, std::slice::from_ref(member), first);
            }
            return;
        }
        let at_q = if ahead == p {
            0
        } else {
            members.partition_point(|&m| position(m) > p)
        };
        debug_assert!(members[..at_q].iter().all(|&m| position(m) == p + 1));
        debug_assert!(members[at_q..].iter().all(|&m| position(m) == p));
        let reference = usize::from(class.hull[p]);
        let next = if at_q > 0 {
            class.hull.get(p + 1).map(|&h| usize::from(h))
        } else {
            None
        };
        let Some((q, least_beyond)) = second_option(query, class, reference, next) else {
            return;
        };
        let k = members.len();
        let full = most_off(least_beyond, limit, self.problem.tolerance, k);
        // members[..at_q] are on q, the rest on p; the full members around the boundary.
        let from_p = full.min(k - at_q);
        let from_q = full - from_p;
        let run = |range: std::ops::Range<usize>, option: usize| {
            let option = u8::try_from(option).unwrap_or(u8::MAX);
            match first {
                Some(first) => Run::Members {
                    from: first + u32::try_from(range.start).unwrap_or(u32::MAX),
                    to: first + u32::try_from(range.end).unwrap_or(u32::MAX),
                    option,
                },
                None => Run::One {
                    class: members[range.start],
                    option,
                },
            }
        };
        for (base, range) in [(q, at_q - from_q..at_q), (reference, at_q..at_q + from_p)] {
            if range.is_empty() {
                continue;
            }
            let start = self.deltas.len();
            self.push_options(query, class, base, limit);
            match self.deltas.len() - start {
                1 => self.deltas.truncate(start),
                2 => {
                    let change = self.deltas[start + 1];
                    self.deltas.truncate(start);
                    self.push_pair(
                        change,
                        run(range.clone(), usize::from(change.option)),
                        members[range.start],
                    );
                }
                len => {
                    for &member in &members[range] {
                        let item = item_of(Owner::Class(member), &self.deltas[start..], start, len);
                        self.items.push(item);
                    }
                }
            }
        }
        for (from, to, range) in [
            (q, reference, 0..at_q - from_q),
            (reference, q, at_q + from_p..k),
        ] {
            if range.is_empty() {
                continue;
            }
            let change = delta_of(query, class, from, to);
            if change.reduced <= limit {
                self.push_pair(change, run(range.clone(), to), members[range.start]);
            }
        }
    }

    /// Pushes `base` of `class` (first) and each of its options within `limit` of it.
    fn push_options(&mut self, query: &Query, class: &Class, base: usize, limit: f64) {
        self.deltas
            .push(Delta::base(u8::try_from(base).unwrap_or(u8::MAX)));
        for index in 0..class.options.len() {
            if index == base {
                continue;
            }
            let delta = delta_of(query, class, base, index);
            if delta.reduced <= limit {
                self.deltas.push(delta);
            }
        }
    }

    /// A run of workloads that can make one change only.
    fn push_pair(&mut self, change: Delta, run: Run, class: u32) {
        let exact = if self.problem.cost.is_linear() {
            change.ds_exact
        } else {
            0
        };
        self.pairs.push(Pair {
            key: (change.da, exact, change.dm, change.d_o),
            change,
            run,
            class,
        });
    }

    /// Groups the runs with the same single change and gives each group items of 1,
    /// 2, 4, … copies (the last one the rest), each with its base option and the change times
    /// the copies.
    fn group_pairs(&mut self) {
        self.pairs
            .sort_unstable_by(|x, y| x.key.cmp(&y.key).then(x.class.cmp(&y.class)));
        let mut start = 0;
        while start < self.pairs.len() {
            let key = self.pairs[start].key;
            let end = start
                + self.pairs[start..]
                    .iter()
                    .take_while(|p| p.key == key)
                    .count();
            let change = self.pairs[start].change;
            let group = u32::try_from(self.copies.len()).unwrap_or(u32::MAX);
            let runs = &self.pairs[start..end];
            let mut left = runs.iter().map(|p| p.run.count()).sum::<u32>();
            self.copies.push(runs.iter().map(|p| p.run).collect());
            start = end;
            let mut count = 1_u32;
            while left > 0 {
                let take = count.min(left);
                left -= take;
                count = count.saturating_mul(2);
                let times = i64::from(take);
                let first = self.deltas.len();
                self.deltas.push(Delta::base(0));
                self.deltas.push(Delta {
                    option: change.option,
                    is_base: false,
                    da: change.da * times,
                    dm: change.dm * times,
                    d_o: change.d_o * times,
                    ds: change.ds * f64::from(take),
                    ds_exact: change.ds_exact * times,
                    reduced: change.reduced * f64::from(take),
                });
                let owner = Owner::Copies { group, count: take };
                let item = item_of(owner, &self.deltas[first..], first, 2);
                self.items.push(item);
            }
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
        for k in 0..self.items.len() {
            let incumbent = found.map_or(best.cost, |(cost, _)| cost);
            self.add_core_item(query, k, query.gap(incumbent) + problem.tolerance);
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

    /// Extends every state with each option of core item `k`, keeping the states that can
    /// still cost no more than the incumbent (`bound` on reduced cost plus what the rest of
    /// the core must add) and that no other state beats.
    fn add_core_item(&mut self, query: &Query, k: usize, bound: f64) {
        let item = self.items[k];
        let after = self.remaining[k + 1];
        let linear = self.problem.cost.is_linear();
        let item_id = u32::try_from(k).unwrap_or(ROOT);
        self.next.clear();
        if self.lanes.len() < item.len {
            self.lanes.resize_with(item.len, Vec::new);
        }
        for (lane, delta) in self.deltas[item.first..item.first + item.len]
            .iter()
            .enumerate()
        {
            // States are in descending control, so each option's lane is too.
            let out = if linear {
                let out = &mut self.lanes[lane];
                out.clear();
                out
            } else {
                &mut self.next
            };
            for state in &self.states {
                let reduced = state.reduced + delta.reduced;
                if reduced > bound {
                    continue;
                }
                let a = state.a + delta.da;
                if !can_still_fit(query, &after, a, reduced, bound) {
                    continue;
                }
                let node = if delta.is_base {
                    state.node
                } else {
                    self.nodes.push(Node {
                        parent: state.node,
                        item: item_id,
                        option: delta.option,
                    });
                    u32::try_from(self.nodes.len() - 1).unwrap_or(ROOT)
                };
                out.push(State {
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
        if linear {
            merge_pareto_linear(&mut self.lanes[..item.len], &mut self.states);
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
        let mut copies: Vec<u32> = vec![0; self.copies.len()];
        let mut node = state.node;
        while let Some(n) = self.nodes.get(node as usize) {
            match self.items.get(n.item as usize).map(|i| i.owner) {
                Some(Owner::Class(class)) => overrides.push((class, n.option)),
                Some(Owner::Copies { group, count }) => copies[group as usize] += count,
                None => {}
            }
            node = n.parent;
        }
        // The members of a copies group are interchangeable: the first ones move.
        let members = self.identical.as_ref().map_or(&[][..], |g| &g.members[..]);
        for (runs, &count) in self.copies.iter().zip(&copies) {
            let mut left = count;
            for run in runs {
                if left == 0 {
                    break;
                }
                match *run {
                    Run::One { class, option } => overrides.push((class, option)),
                    Run::Members { from, to, option } => {
                        let take = (to - from).min(left);
                        let moved = members.get(from as usize..(from + take) as usize);
                        overrides.extend(moved.unwrap_or(&[]).iter().map(|&c| (c, option)));
                    }
                }
                left = left.saturating_sub(run.count());
            }
        }
        overrides.sort_unstable();
        overrides
    }
}

/// The option q a group moves to first from `reference` (`next` when given, otherwise the
/// one of least reduced cost), and the least reduced cost of any other option.
fn second_option(
    query: &Query,
    class: &Class,
    reference: usize,
    next: Option<usize>,
) -> Option<(usize, Option<f64>)> {
    let reduced = |to: usize| reduced_cost(query, class, reference, to);
    let others = || (0..class.options.len()).filter(move |&i| i != reference);
    let q = next.or_else(|| others().min_by(|&x, &y| reduced(x).total_cmp(&reduced(y))))?;
    let least_beyond = others()
        .filter(|&i| i != q)
        .map(reduced)
        .min_by(f64::total_cmp);
    Some((q, least_beyond))
}

/// How many of `members` identical workloads a plan within `limit` of reduced cost can have
/// on options whose reduced cost is at least `least` (each adds at least `least` less the
/// rounding `tolerance`).
fn most_off(least: Option<f64>, limit: f64, tolerance: f64, members: usize) -> usize {
    match least {
        Some(r) if r <= limit => {
            let floor = r - tolerance;
            if floor <= tolerance {
                members
            } else {
                #[expect(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    clippy::cast_precision_loss,
                    reason = "a positive count, capped at the members"
                )]
                let most = (limit / floor).floor().min(members as f64) as usize;
                most
            }
        }
        _ => 0,
    }
}

/// Reduced cost at λ of moving a workload of `class` from option `from` to option `to`.
fn reduced_cost(query: &Query, class: &Class, from: usize, to: usize) -> f64 {
    let (from, to) = (&class.options[from], &class.options[to]);
    #[expect(clippy::cast_precision_loss, reason = "control units below 2^53")]
    let da = (to.a - from.a) as f64;
    (to.s - from.s) - query.lambda * da
}

/// The change of a workload of `class` from option `from` to option `to`.
fn delta_of(query: &Query, class: &Class, from: usize, to: usize) -> Delta {
    let (base, option) = (&class.options[from], &class.options[to]);
    Delta {
        option: u8::try_from(to).unwrap_or(u8::MAX),
        is_base: false,
        da: option.a - base.a,
        dm: option.m - base.m,
        d_o: option.o - base.o,
        ds: option.s - base.s,
        ds_exact: option.s_exact - base.s_exact,
        reduced: reduced_cost(query, class, from, to),
    }
}

/// A core item from its options (the base option first).
fn item_of(owner: Owner, deltas: &[Delta], first: usize, len: usize) -> CoreItem {
    let mut item = CoreItem {
        owner,
        first,
        len,
        reduced_min: f64::INFINITY,
        up: 0,
        down: 0,
        rate_up: f64::INFINITY,
        rate_down: f64::INFINITY,
    };
    for delta in deltas.iter().take(len).filter(|d| !d.is_base) {
        item.reduced_min = item.reduced_min.min(delta.reduced);
        item.up = item.up.max(delta.da);
        item.down = item.down.max(-delta.da);
        #[expect(clippy::cast_precision_loss, reason = "control units below 2^53")]
        let rate = delta.reduced.max(0.0) / delta.da.unsigned_abs().max(1) as f64;
        if delta.da > 0 {
            item.rate_up = item.rate_up.min(rate);
        } else if delta.da < 0 {
            item.rate_down = item.rate_down.min(rate);
        }
    }
    item
}

/// Whether a plan (`state`, costing `cost`) beats the round's best so far, or the best of
/// earlier rounds when the round has none yet: lower cost, or as cheap with more control.
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
        None => cost < best.cost || (cost == best.cost && query.totals.a + state.a > best.totals.a),
    }
}

/// Whether a plan with `a` control units (relative to the base plan) and this reduced cost
/// can still be completed by the rest of the core within `bound`: a shortfall is bought at
/// no less than the cheapest remaining rate per unit; a surplus costs λ per unit, or less
/// where the remaining items can shed it more cheaply.
#[expect(clippy::cast_precision_loss, reason = "control units below 2^53")]
fn can_still_fit(query: &Query, after: &Remaining, a: i64, reduced: f64, bound: f64) -> bool {
    let units = query.totals.a + a;
    let still_to_pay = if units < query.need {
        let short = query.need - units;
        if short > after.up {
            return false;
        }
        after.rate_up * short as f64
    } else {
        let surplus = units - query.need;
        let shed = surplus.min(after.down);
        query.lambda * surplus as f64 - (query.lambda - after.rate_down).max(0.0) * shed as f64
    };
    reduced + still_to_pay <= bound
}

/// Merges the lanes (each in descending control) keeping the states no other state beats
/// with at least as much control and an exact cost no higher (for a linear cost the
/// surrogate is the cost); `states` gets them by descending control.
fn merge_pareto_linear(lanes: &mut [Vec<State>], states: &mut Vec<State>) {
    states.clear();
    if let [first, second] = lanes {
        merge_two(first, second, states);
        return;
    }
    let mut heads = vec![0_usize; lanes.len()];
    let mut cheapest = i64::MAX;
    loop {
        // The head with the most control, the cheapest among equals.
        let mut pick: Option<(usize, &State)> = None;
        for (lane, list) in lanes.iter().enumerate() {
            if let Some(state) = list.get(heads[lane])
                && pick.is_none_or(|(_, best)| {
                    state.a > best.a || (state.a == best.a && state.s_exact < best.s_exact)
                })
            {
                pick = Some((lane, state));
            }
        }
        let Some((lane, state)) = pick else {
            break;
        };
        if state.s_exact < cheapest {
            cheapest = state.s_exact;
            states.push(*state);
        }
        heads[lane] += 1;
    }
}

/// [`merge_pareto_linear`] for the common item with two options.
fn merge_two(first: &[State], second: &[State], states: &mut Vec<State>) {
    let (mut i, mut j) = (0, 0);
    let mut cheapest = i64::MAX;
    while i < first.len() || j < second.len() {
        let take_first = match (first.get(i), second.get(j)) {
            (Some(x), Some(y)) => x.a > y.a || (x.a == y.a && x.s_exact <= y.s_exact),
            (Some(_), None) => true,
            (None, _) => false,
        };
        let state = if take_first {
            i += 1;
            first[i - 1]
        } else {
            j += 1;
            second[j - 1]
        };
        if state.s_exact < cheapest {
            cheapest = state.s_exact;
            states.push(state);
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

/// Marks the ids of the steps within `width` of λ that pass `close`, then of the options above
/// their hull by at most `limit` (an option above the hull costs at least its height above it).
fn mark_close<T>(
    steps: &[T],
    near_hull: &[(f64, u32)],
    step: impl Fn(&T) -> (f64, i64, u32),
    (lambda, width, limit): (f64, f64, f64),
    close: impl Fn(f64, i64) -> bool,
    mut mark: impl FnMut(u32),
) {
    let low = steps.partition_point(|s| step(s).0 < lambda - width);
    let high = steps.partition_point(|s| step(s).0 <= lambda + width);
    for (slope, da, id) in steps[low..high].iter().map(&step) {
        if close(slope, da) {
            mark(id);
        }
    }
    for &(excess, id) in near_hull {
        if excess > limit {
            break;
        }
        mark(id);
    }
}
