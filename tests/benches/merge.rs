//! Speed of sharing: the content id of a 10,000-workload plan (hashed at every open and
//! save), keeping a version in the data folder, and a three-way merge of two copies of it
//! with their effect on the totals. Run with `cargo bench --bench merge`.

#[path = "../support/synthetic.rs"]
mod synthetic;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use keyholder::model::{ChangeKind, Evaluation, Picks, merge_effect, merge_plans};
use keyholder::storage::{content_id, content_text, id_of_content_text};

fn sharing(c: &mut Criterion) {
    let base = synthetic::synthetic_plan(10_000, 42);
    // Two colleagues: one changes every tenth workload's users, the other every seventh
    // workload's storage and removes the last hundred; about 140 of them touch the same one.
    let mut mine = base.clone();
    for w in mine.workloads.iter_mut().step_by(10) {
        w.users += 1;
    }
    let mut theirs = base.clone();
    for w in theirs.workloads.iter_mut().step_by(7) {
        w.users += 2;
    }
    theirs.workloads.truncate(9_900);
    let removed: Vec<String> = base.workloads[9_900..]
        .iter()
        .map(|w| w.id.clone())
        .collect();
    for scenario in &mut theirs.scenarios {
        scenario.choices.retain(|id, _| !removed.contains(id));
    }
    let merge = merge_plans(&base, &mine, &theirs, &Picks::default());
    eprintln!(
        "merge of 10,000 workloads: {} from mine, {} from theirs, {} conflicts",
        merge.count(ChangeKind::Mine),
        merge.count(ChangeKind::Theirs),
        merge.count(ChangeKind::Conflict)
    );

    let mut group = c.benchmark_group("sharing_10000_workloads");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("content_id", |b| {
        b.iter(|| black_box(content_id(black_box(&base))));
    });
    let folder = tempfile::tempdir().expect("temp folder");
    let original = folder.path().join("large.ron");
    group.bench_function("keep_version", |b| {
        b.iter(|| {
            let text = content_text(&mine);
            let id = id_of_content_text(&text);
            // A version already kept is not written again: remove it to time the write.
            let file = keyholder::storage::bases::keep_base(
                &folder.path().join("bases"),
                &original,
                &id,
                &text,
            )
            .expect("kept");
            std::fs::remove_file(file).expect("remove");
        });
    });
    group.bench_function("three_way_merge", |b| {
        b.iter(|| black_box(merge_plans(&base, &mine, &theirs, &Picks::default())));
    });
    let mine_evaluation = Evaluation::new(&mine);
    group.bench_function("merge_and_effect_on_totals", |b| {
        b.iter(|| {
            let merge = merge_plans(&base, &mine, &theirs, &Picks::default());
            black_box(merge_effect(&mine, &mine_evaluation, &merge.plan))
        });
    });
    group.finish();
}

criterion_group!(benches, sharing);
criterion_main!(benches);
