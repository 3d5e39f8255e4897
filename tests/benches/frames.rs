//! CPU time of one frame of the app (layout + tessellation, no GPU) with a 10,000-workload
//! plan open, per view; and the time to recompute the figures after an edit.
//! Run with `cargo bench --bench frames`.

#[path = "../support/synthetic.rs"]
mod synthetic;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use egui::{Pos2, RawInput, Rect, vec2};
use keyholder::app::{
    Action, AppPaths, DialogKind, DialogOutcome, FileDialogs, KeyholderApp, Selection,
    StartOptions, Tab, TradeOffView,
};

struct NoDialogs;

impl FileDialogs for NoDialogs {
    fn ask(&mut self, _: DialogKind, _: Option<&Path>, _: &str) -> DialogOutcome {
        DialogOutcome::Cancelled
    }
}

fn frame(ctx: &egui::Context, app: &mut KeyholderApp) -> usize {
    let input = RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1400.0, 900.0))),
        ..RawInput::default()
    };
    let mut output = ctx.run_ui(input, |ui| keyholder::ui::frame_ui(ui, app));
    // Textures would go to the GPU; a headless frame drops them.
    output.textures_delta.clear();
    let primitives = ctx.tessellate(std::mem::take(&mut output.shapes), output.pixels_per_point);
    primitives.len()
}

fn views(c: &mut Criterion) {
    let folder = tempfile::tempdir().expect("temp folder");
    let path = folder.path().join("large.ron");
    keyholder::storage::save_plan(&path, &synthetic::synthetic_plan(10_000, 42)).expect("save");
    let mut app = KeyholderApp::new_headless(StartOptions::new(
        Some(path),
        AppPaths::in_folder(folder.path()),
        Box::new(NoDialogs),
    ));
    let ctx = egui::Context::default();
    let mut group = c.benchmark_group("frame_10000_workloads");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(5));
    for (tab, view, name) in [
        (Tab::Workloads, TradeOffView::Plan, "workloads"),
        (Tab::Scenarios, TradeOffView::Plan, "scenarios"),
        (Tab::TradeOff, TradeOffView::Plan, "trade_off_plans"),
        (
            Tab::TradeOff,
            TradeOffView::Workloads,
            "trade_off_workloads",
        ),
        (
            Tab::TradeOff,
            TradeOffView::MspMargin,
            "trade_off_msp_margin",
        ),
        (Tab::CashFlow, TradeOffView::Plan, "cash_flow"),
        (Tab::Roadmap, TradeOffView::Plan, "roadmap"),
    ] {
        app.state.tab = tab;
        app.views.charts.view = view;
        app.views.charts.all_workloads = true;
        app.state.selection = Selection::one(5_000);
        frame(&ctx, &mut app);
        // The frontier is computed in the background; measure frames once it is there.
        let started = std::time::Instant::now();
        app.state.frontier.wait();
        if name == "trade_off_plans" {
            eprintln!(
                "frontier of 10,000 workloads ready after {:.2} s in the background",
                started.elapsed().as_secs_f64()
            );
        }
        for _ in 0..3 {
            frame(&ctx, &mut app);
        }
        group.bench_function(name, |b| b.iter(|| black_box(frame(&ctx, &mut app))));
    }
    group.finish();

    let mut group = c.benchmark_group("edit_10000_workloads");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    app.state.tab = Tab::Workloads;
    let mut users = 0;
    group.bench_function("edit_one_field_and_draw", |b| {
        b.iter(|| {
            users += 1;
            let mut workload = app.plan().workloads[5_000].clone();
            workload.users = users;
            app.push(Action::Edit(keyholder::app::Edit::Workload {
                index: 5_000,
                workload,
            }));
            black_box(frame(&ctx, &mut app));
        });
    });
    group.finish();
}

criterion_group!(benches, views);
criterion_main!(benches);
