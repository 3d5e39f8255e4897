//! Comparing plans is linear in their size (workloads, scenarios, history): large plans from
//! colleagues compare in about the time it takes to read them.

use std::time::{Duration, Instant};

use keyholder::model::{HistoryEntry, Plan, Scenario, try_diff_plans};

use crate::synthetic::synthetic_plan;

fn history(plan: &mut Plan, entries: usize, who: &str) {
    for i in 0..entries {
        plan.history.push(HistoryEntry {
            saved_by: who.to_owned(),
            saved_at: format!("2010-01-01T00:00:{i:06}Z"),
            note: String::new(),
            ..HistoryEntry::default()
        });
    }
}

/// 40,000 workloads, 1,000 scenarios and 20,000 saves in each plan. Debug builds are slow;
/// the limit leaves room for a busy machine and fails on work that grows with the square of
/// a plan's size (matching workloads by scanning, every scenario priced over every workload).
#[test]
fn large_plans_with_many_scenarios_and_saves_compare_quickly() {
    let mut old = synthetic_plan(40_000, 11);
    for i in 0..997 {
        old.scenarios.push(Scenario {
            name: format!("Option {i}"),
            ..Scenario::default()
        });
    }
    history(&mut old, 20_000, "Ann");
    let mut new = old.clone();
    new.workloads.reverse();
    new.scenarios.reverse();
    new.workloads[0].users += 1;
    history(&mut new, 5, "Dana");

    let started = Instant::now();
    let diff = try_diff_plans(&old, &new).expect("diff");
    let took = started.elapsed();
    assert_eq!(diff.workloads_changed.len(), 1);
    assert!(diff.workloads_added.is_empty() && diff.workloads_removed.is_empty());
    assert!(diff.scenarios_changed.is_empty() && diff.scenarios_added.is_empty());
    assert_eq!(diff.new_history.len(), 5);
    // About 1.7 s measured in a debug build on this 2-core machine.
    assert!(took < Duration::from_secs(10), "took {took:?}");
}
