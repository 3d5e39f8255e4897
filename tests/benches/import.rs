//! Speed of inventory import through the one path the app and the CLI share
//! (`import_inventory_file`): 20,000 servers, 3,000 servers with the same name, a 20,000-row
//! Windows-1252 file (decoded and checked for its encoding), and a workloads CSV of 20,000
//! rows without ids. Run with `cargo bench --bench import`; the targets are under 1 s each.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

#[path = "../support/synthetic.rs"]
mod synthetic;

use criterion::{Criterion, criterion_group, criterion_main};
use keyholder::import::{
    ImportProgress, InventorySettings, apply_workloads_csv, import_inventory_file,
};
use keyholder::model::{Plan, YearMonth};
use keyholder::storage::default_price_book;

fn settings() -> InventorySettings {
    InventorySettings {
        customer: "Bench".to_owned(),
        start_month: YearMonth::parse("2010-04").expect("month"),
        price_book: default_price_book().expect("book"),
    }
}

fn import(path: &Path) -> usize {
    import_inventory_file(path, settings(), &ImportProgress::new())
        .expect("imports")
        .rows_imported()
}

fn inventories(c: &mut Criterion) {
    let folder = tempfile::tempdir().expect("temp folder");
    let distinct = folder.path().join("distinct.csv");
    std::fs::write(
        &distinct,
        synthetic::inventory_csv(20_000, |i| format!("SRV-{i:05}")),
    )
    .expect("write");
    let same = folder.path().join("same.csv");
    std::fs::write(
        &same,
        synthetic::inventory_csv(3_000, |_| "FS01".to_owned()),
    )
    .expect("write");
    let latin = folder.path().join("latin.csv");
    let text = synthetic::inventory_csv(20_000, |i| format!("Müller-Café-{i:05}"));
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
    std::fs::write(&latin, &bytes).expect("write");
    eprintln!(
        "20,000 rows: {} KiB",
        std::fs::metadata(&distinct).map_or(0, |m| m.len()) / 1024
    );

    let mut group = c.benchmark_group("import_inventory_file");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    group.bench_function("20000_rows_utf8", |b| {
        b.iter(|| assert_eq!(import(black_box(&distinct)), 20_000));
    });
    group.bench_function("3000_rows_one_name", |b| {
        b.iter(|| assert_eq!(import(black_box(&same)), 3_000));
    });
    group.bench_function("20000_rows_windows_1252", |b| {
        b.iter(|| assert_eq!(import(black_box(&latin)), 20_000));
    });
    group.finish();
}

fn workloads_csv(c: &mut Criterion) {
    let plan = Plan::new(
        "Bench",
        YearMonth::parse("2010-04").expect("month"),
        default_price_book().expect("book"),
    );
    // No ids: each row gets one from its name, all the same name.
    let mut text = String::from("id,name,category,users,storage_gb\r\n");
    for i in 0..20_000 {
        let _ = write!(text, ",File server,file_server,{},{}\r\n", i % 50, i % 700);
    }
    let mut group = c.benchmark_group("apply_workloads_csv");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    group.bench_function("20000_new_rows_one_name", |b| {
        b.iter(|| {
            let update = apply_workloads_csv(black_box(&plan), &text).expect("applies");
            assert_eq!(update.added.len(), 20_000);
        });
    });
    group.finish();
}

criterion_group!(benches, inventories, workloads_csv);
criterion_main!(benches);
