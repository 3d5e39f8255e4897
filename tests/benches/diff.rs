//! Speed of comparing two plans (`keyholder diff`, File ▸ Compare with…): two 40,000- and
//! 80,000-workload plans, a plan with 1,000 scenarios, and 20,000 history entries. Each
//! comparison validates and evaluates both plans, as the command does. Run with
//! `cargo bench --bench diff`; the last lines time the real binary.

#[path = "../support/child_usage.rs"]
mod child_usage;
#[path = "../support/synthetic.rs"]
mod synthetic;

use std::ffi::OsStr;
use std::hint::black_box;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use keyholder::model::{
    Choice, Destination, HistoryEntry, Plan, Scenario, try_diff_plans, validate,
};

/// A colleague's copy: 1 workload in 100 grown, 100 removed, 100 added, one scenario's
/// choices changed and 10 saves recorded.
fn colleagues_copy(plan: &Plan) -> Plan {
    let mut copy = plan.clone();
    for w in copy.workloads.iter_mut().step_by(100) {
        w.users += 10;
    }
    let removed: Vec<String> = copy.workloads.drain(..100).map(|w| w.id).collect();
    for scenario in &mut copy.scenarios {
        for id in &removed {
            scenario.choices.remove(id);
        }
    }
    for i in 0..100 {
        let mut w = copy.workloads[i].clone();
        w.id = format!("new-{i}");
        copy.workloads.push(w);
    }
    if let Some(scenario) = copy.scenarios.get_mut(2) {
        for choice in scenario.choices.values_mut().step_by(50) {
            choice.move_month += 1;
        }
    }
    for i in 0..10 {
        copy.history.push(HistoryEntry {
            saved_by: "Dana".to_owned(),
            saved_at: format!("2010-03-{:02}T10:00:00Z", i + 1),
            note: format!("Review {i}"),
            ..HistoryEntry::default()
        });
    }
    copy
}

/// A plan with `count` scenarios, each moving 20 workloads.
fn many_scenarios(count: usize) -> Plan {
    let mut plan = synthetic::synthetic_plan(1_000, 7);
    plan.scenarios.truncate(1);
    for s in 0..count - 1 {
        let mut scenario = Scenario {
            name: format!("Option {s}"),
            ..Scenario::default()
        };
        for w in plan.workloads.iter().skip(s % 900).take(20) {
            if w.current != Destination::MspHosted && !w.constraints.data_must_stay_onsite {
                scenario.choices.insert(
                    w.id.clone(),
                    Choice::new(Destination::MspHosted, u32::try_from(s % 36).unwrap_or(0)),
                );
            }
        }
        plan.scenarios.push(scenario);
    }
    plan
}

fn with_history(mut plan: Plan, entries: usize) -> Plan {
    for i in 0..entries {
        plan.history.push(HistoryEntry {
            saved_by: format!("user {}", i % 7),
            saved_at: format!("2010-{:02}-01T00:00:{:02}Z", 1 + i % 12, i % 60),
            note: format!("save {i}"),
            ..HistoryEntry::default()
        });
    }
    plan
}

/// Validates both, then compares: what `keyholder diff` does after reading the files.
fn compare(old: &Plan, new: &Plan) -> usize {
    assert!(validate(old).is_empty() && validate(new).is_empty());
    let diff = try_diff_plans(old, new).expect("diff");
    diff.workloads_changed.len() + diff.totals.len()
}

fn diffs(c: &mut Criterion) {
    let mut group = c.benchmark_group("diff");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    for workloads in [40_000, 80_000] {
        let old = synthetic::synthetic_plan(workloads, 42);
        let new = colleagues_copy(&old);
        group.bench_function(format!("{workloads}_workloads"), |b| {
            b.iter(|| black_box(compare(&old, &new)));
        });
    }
    let old = many_scenarios(1_000);
    let mut new = old.clone();
    new.scenarios.reverse();
    group.bench_function("1000_scenarios", |b| {
        b.iter(|| black_box(compare(&old, &new)));
    });
    let old = with_history(synthetic::synthetic_plan(100, 3), 20_000);
    let new = with_history(old.clone(), 100);
    group.bench_function("20000_history_entries", |b| {
        b.iter(|| black_box(compare(&old, &new)));
    });
    group.finish();
}

/// The real binary on two 40,000-workload files: read, validate and compare both, and for
/// reference `check` of one file (read and validate). Prints wall time and CPU time, since
/// on a shared machine the wall time also counts waiting for a core.
fn command(_: &mut Criterion) {
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return; // `cargo test --benches` runs benchmarks once as tests: no timing then.
    }
    let folder = tempfile::tempdir().expect("temp folder");
    let old = synthetic::synthetic_plan(40_000, 42);
    let (a, b) = (folder.path().join("a.ron"), folder.path().join("b.ron"));
    keyholder::storage::save_plan(&a, &old).expect("save");
    keyholder::storage::save_plan(&b, &colleagues_copy(&old)).expect("save");
    #[expect(
        clippy::cast_precision_loss,
        reason = "a file size in MiB, to one decimal"
    )]
    let mib = std::fs::metadata(&a).map_or(0.0, |m| m.len() as f64 / 1_048_576.0);
    for (label, args) in [
        ("check a.ron", vec![OsStr::new("check"), a.as_os_str()]),
        (
            "diff a.ron b.ron",
            vec![OsStr::new("diff"), a.as_os_str(), b.as_os_str()],
        ),
    ] {
        for _ in 0..3 {
            let started = Instant::now();
            let mut child = Command::new(env!("CARGO_BIN_EXE_keyholder"))
                .args(&args)
                .stdout(Stdio::null())
                .spawn()
                .expect("run keyholder");
            let child_usage::Usage {
                success,
                cpu_s: cpu,
                ..
            } = child_usage::wait_with_usage(&mut child);
            println!(
                "keyholder {label:<17} (40,000 workloads, {mib:.1} MiB a file): {:>5.0} ms, CPU {:>5.0} ms{}",
                started.elapsed().as_secs_f64() * 1000.0,
                cpu * 1000.0,
                if success { "" } else { " (failed)" }
            );
        }
    }
}

criterion_group!(benches, diffs, command);
criterion_main!(benches);
