//! Speed of the book of business: a folder of 500 plans of 50 workloads read, checked and
//! priced into rows (the target: under 1 s on the 2-core machine), read again after one
//! plan changed; and the CPU time of one frame of the portfolio view with 5,000 customers.
//! Run with `cargo bench --bench portfolio`.

#[path = "../support/synthetic.rs"]
mod synthetic;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use egui::{Pos2, RawInput, Rect, vec2};
use keyholder::app::{
    Action, AppPaths, DialogKind, DialogOutcome, FileDialogs, KeyholderApp, PortfolioColumn,
    PortfolioSection, StartOptions, Tab,
};
use keyholder::model::YearMonth;
use keyholder::report::portfolio::{Portfolio, Progress};
use keyholder::storage::plan_to_ron;

struct NoDialogs;

impl FileDialogs for NoDialogs {
    fn ask(&mut self, _: DialogKind, _: Option<&Path>, _: &str) -> DialogOutcome {
        DialogOutcome::Cancelled
    }
}

const AS_OF: YearMonth = YearMonth {
    year: 2010,
    month: 5,
};

/// `count` plans of `workloads` workloads, in ten sub-folders, with five account managers.
fn write_folder(folder: &Path, count: usize, workloads: usize) -> u64 {
    let managers = [
        "Dana Whitfield",
        "Sam Okafor",
        "Chris Lindqvist",
        "Ana Ruiz",
        "",
    ];
    let mut bytes = 0;
    for i in 0..count {
        let mut plan = synthetic::synthetic_plan(workloads, i as u64);
        plan.customer.name = format!("Customer {i:05}");
        managers[i % managers.len()].clone_into(&mut plan.customer.account_manager);
        let sub = folder.join(format!("region-{}", i % 10));
        std::fs::create_dir_all(&sub).expect("folder");
        let text = plan_to_ron(&plan);
        bytes += text.len() as u64;
        // A plain write: the benchmark measures reading, not Keyholder's fsync'd save.
        std::fs::write(sub.join(format!("customer-{i:05}.ron")), text).expect("write");
    }
    bytes
}

fn read(c: &mut Criterion) {
    let folder = tempfile::tempdir().expect("temp folder");
    let bytes = write_folder(folder.path(), 500, 50);
    eprintln!(
        "500 plans of 50 workloads: {} KiB, {} threads",
        bytes / 1024,
        rayon::current_num_threads()
    );
    let mut group = c.benchmark_group("portfolio_500_plans_of_50_workloads");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(15));
    group.bench_function("read_check_evaluate", |b| {
        b.iter(|| {
            let portfolio =
                Portfolio::read(folder.path(), AS_OF, &Progress::default()).expect("read");
            assert_eq!(portfolio.rows.len(), 500);
            assert!(portfolio.rows.iter().all(|r| r.figures.is_some()));
            black_box(portfolio.rollups())
        });
    });
    let portfolio = Portfolio::read(folder.path(), AS_OF, &Progress::default()).expect("read");
    group.bench_function("read_again_one_changed", |b| {
        let changed = folder.path().join("region-3/customer-00003.ron");
        let mut n = 0;
        b.iter(|| {
            n += 1;
            let mut plan = synthetic::synthetic_plan(50, 3);
            plan.customer.name = format!("Customer 3, save {n}");
            std::fs::write(&changed, plan_to_ron(&plan)).expect("write");
            black_box(portfolio.reread(&Progress::default()).expect("read"))
        });
    });
    group.finish();
}

fn frame(ctx: &egui::Context, app: &mut KeyholderApp) -> usize {
    let input = RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1400.0, 900.0))),
        ..RawInput::default()
    };
    let mut output = ctx.run_ui(input, |ui| keyholder::ui::frame_ui(ui, app));
    output.textures_delta.clear();
    let primitives = ctx.tessellate(std::mem::take(&mut output.shapes), output.pixels_per_point);
    primitives.len()
}

fn frames(c: &mut Criterion) {
    let folder = tempfile::tempdir().expect("temp folder");
    let plans = folder.path().join("plans");
    write_folder(&plans, 5_000, 10);
    let mut app = KeyholderApp::new_headless(StartOptions::new(
        None,
        AppPaths::in_folder(folder.path()),
        Box::new(NoDialogs),
    ));
    let ctx = egui::Context::default();
    let started = Instant::now();
    app.push(Action::OpenPortfolio(plans.clone()));
    frame(&ctx, &mut app);
    app.state.portfolio.wait();
    eprintln!(
        "5,000 plans of 10 workloads read in the background in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    app.push(Action::SetPortfolioAsOf(AS_OF));
    frame(&ctx, &mut app);
    app.state.portfolio.wait();
    assert_eq!(
        app.state.portfolio.data().map(|d| d.portfolio.rows.len()),
        Some(5_000)
    );
    let mut group = c.benchmark_group("frame_5000_customers");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(5));
    for (section, name) in [
        (PortfolioSection::Customers, "customers"),
        (PortfolioSection::AccountManagers, "account_managers"),
        (PortfolioSection::Chart, "chart"),
        (PortfolioSection::Quarters, "quarters"),
    ] {
        app.state.tab = Tab::Portfolio;
        app.views.portfolio.section = section;
        app.views.portfolio.sort = PortfolioColumn::SavingPerMonth;
        for _ in 0..3 {
            frame(&ctx, &mut app);
        }
        group.bench_function(name, |b| b.iter(|| black_box(frame(&ctx, &mut app))));
    }
    // A new sort of all 5,000 rows, then the frame.
    app.views.portfolio.section = PortfolioSection::Customers;
    let mut ascending = true;
    group.bench_function("customers_resorted", |b| {
        b.iter(|| {
            ascending = !ascending;
            app.views.portfolio.ascending = ascending;
            black_box(frame(&ctx, &mut app))
        });
    });
    group.finish();
}

criterion_group!(benches, read, frames);
criterion_main!(benches);
