//! Identical workloads, found once per search: classes whose options have the same figures
//! (control units, run rate, one-time, surrogate) in the same order. Such classes are
//! interchangeable in every plan's cost and control, so the core can carry a group of them as
//! a few items (see `Search::add_group`) instead of one item per workload, and the candidate
//! search looks at one hull step per group instead of one per workload.

use std::cmp::Ordering;

use super::problem::{Class, Problem};

/// One hull step of a group (the same step of every member).
#[derive(Debug, Clone, Copy)]
pub(super) struct GroupStep {
    pub slope: f64,
    pub da: i64,
    pub group: u32,
}

/// The classes of a problem in groups of identical ones.
#[derive(Debug, Clone)]
pub(super) struct Groups {
    /// Every class, group after group, each group's members in ascending class order (so that,
    /// the LP steps being sorted stably, the members that took a step of theirs come first).
    pub members: Vec<u32>,
    /// Group g is `members[start[g]..start[g + 1]]`.
    start: Vec<u32>,
    /// Each group's hull steps, by ascending slope.
    pub steps: Vec<GroupStep>,
    /// Groups with options above their hull, by how far the nearest one lies above it.
    pub near_hull: Vec<(f64, u32)>,
}

impl Groups {
    /// Sorts the classes by their figures (O(n log n) comparisons of a few options each).
    pub fn of(problem: &Problem) -> Self {
        let classes = &problem.classes;
        let figures = |index: u32| &classes[index as usize];
        let mut members: Vec<u32> = (0..u32::try_from(classes.len()).unwrap_or(u32::MAX)).collect();
        members.sort_unstable_by(|&x, &y| same_figures(figures(x), figures(y)).then(x.cmp(&y)));
        let mut start = Vec::new();
        let mut group_of = vec![0_u32; classes.len()];
        for (position, &class) in members.iter().enumerate() {
            let new_group = position == 0
                || same_figures(figures(members[position - 1]), figures(class)) != Ordering::Equal;
            if new_group {
                start.push(u32::try_from(position).unwrap_or(u32::MAX));
            }
            group_of[class as usize] = u32::try_from(start.len() - 1).unwrap_or(u32::MAX);
        }
        let groups = start.len();
        start.push(u32::try_from(members.len()).unwrap_or(u32::MAX));
        let mut steps = Vec::new();
        for (group, &first) in start.iter().take(groups).enumerate() {
            let representative = figures(members[first as usize]);
            for &rank in &representative.step_rank {
                if let Some(step) = problem.steps.get(rank as usize) {
                    steps.push(GroupStep {
                        slope: step.slope,
                        da: step.da,
                        group: u32::try_from(group).unwrap_or(u32::MAX),
                    });
                }
            }
        }
        steps.sort_by(|x, y| x.slope.total_cmp(&y.slope));
        // Identical classes lie equally far above their hulls: the first of each group counts.
        let mut seen = vec![false; groups];
        let near_hull = problem
            .near_hull
            .iter()
            .filter_map(|&(excess, class)| {
                let group = group_of[class as usize];
                let first = !std::mem::replace(&mut seen[group as usize], true);
                first.then_some((excess, group))
            })
            .collect();
        Self {
            members,
            start,
            steps,
            near_hull,
        }
    }

    /// Where group `group`'s members are in [`Self::members`].
    pub fn range(&self, group: u32) -> std::ops::Range<usize> {
        let at = |g: usize| self.start.get(g).map_or(0, |&s| s as usize);
        at(group as usize)..at(group as usize + 1)
    }
}

/// Orders classes by their figures; `Equal` exactly when they are interchangeable: the same
/// options (control units, run rate, one-time, surrogate; never the destination) in the same
/// order, hence the same hull and the same LP steps.
fn same_figures(x: &Class, y: &Class) -> Ordering {
    x.options
        .len()
        .cmp(&y.options.len())
        .then_with(|| x.hull.cmp(&y.hull))
        .then_with(|| {
            x.options
                .iter()
                .zip(&y.options)
                .map(|(p, q)| {
                    p.a.cmp(&q.a)
                        .then(p.m.cmp(&q.m))
                        .then(p.o.cmp(&q.o))
                        .then(p.s_exact.cmp(&q.s_exact))
                        .then(p.s.total_cmp(&q.s))
                })
                .find(|order| order.is_ne())
                .unwrap_or(Ordering::Equal)
        })
}
