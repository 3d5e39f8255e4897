//! Speed of the core: load + validate + evaluate and save a 10,000-workload plan, and the
//! exact frontier of a 1,000-workload plan. Run with `cargo bench --bench engine`.

#[path = "../support/synthetic.rs"]
mod synthetic;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use keyholder::model::{CostMetric, Evaluation, Frontier, validate};
use keyholder::storage::{load_plan, save_plan};

fn plan_files(c: &mut Criterion) {
    let plan = synthetic::synthetic_plan(10_000, 42);
    let folder = tempfile::tempdir().expect("temp folder");
    let path = folder.path().join("large.ron");
    save_plan(&path, &plan).expect("save");
    let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
    eprintln!(
        "10,000-workload plan: {:.1} MiB",
        bytes as f64 / 1_048_576.0
    );

    let mut group = c.benchmark_group("plan_10000_workloads");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("load_validate_evaluate", |b| {
        b.iter(|| {
            let (loaded, _) = load_plan(&path).expect("load");
            assert!(validate(&loaded.plan).is_empty());
            let evaluation = Evaluation::new(&loaded.plan);
            black_box(evaluation.scenarios(&loaded.plan));
        });
    });
    group.bench_function("save", |b| {
        b.iter(|| save_plan(&path, black_box(&plan)).expect("save"));
    });
    group.finish();
}

fn frontier(c: &mut Criterion) {
    let plan = synthetic::synthetic_plan(1_000, 42);
    let evaluation = Evaluation::new(&plan);
    let mut group = c.benchmark_group("frontier_1000_workloads");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(15));
    group.bench_function("tco_exact", |b| {
        b.iter(|| {
            let frontier = Frontier::compute(black_box(&evaluation), CostMetric::Tco);
            assert!(frontier.resolution.exact);
            black_box(frontier.points.len())
        });
    });
    let frontier = Frontier::compute(&evaluation, CostMetric::Tco);
    eprintln!(
        "frontier of 1,000 workloads: {} points, {}",
        frontier.points.len(),
        frontier.resolution
    );
    let middle = frontier.points[frontier.points.len() / 2];
    group.bench_function("assignment_of_one_point", |b| {
        b.iter(|| black_box(frontier.assignment(&middle)));
    });
    group.finish();
}

criterion_group!(benches, plan_files, frontier);
criterion_main!(benches);
