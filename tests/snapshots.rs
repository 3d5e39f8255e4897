//! Image snapshots of the app's main views on the bundled sample (software rendering).
//! Behind the `snapshots` feature because pixels differ between GPUs:
//! `cargo test --features snapshots --test snapshots` (`UPDATE_SNAPSHOTS=1` to refresh).

#![cfg(feature = "snapshots")]

use std::path::Path;

use egui_kittest::Harness;
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

fn harness(folder: &Path) -> Harness<'static, KeyholderApp> {
    let paths = AppPaths::in_folder(folder);
    let mut harness = Harness::builder()
        .with_size([1400.0, 860.0])
        .with_theme(egui::Theme::Light)
        .wgpu()
        .build_eframe(move |cc| {
            KeyholderApp::new(cc, StartOptions::new(None, paths, Box::new(NoDialogs)))
        });
    harness.run_ok();
    harness
}

#[test]
fn views_look_right() {
    let folder = tempfile::tempdir().expect("temp");
    let mut harness = harness(folder.path());
    harness.state_mut().state.selection = Selection::one(0);
    harness.run_ok();
    harness.snapshot("workloads");
    for (tab, name) in [
        (Tab::Scenarios, "scenarios"),
        (Tab::TradeOff, "trade_off"),
        (Tab::CashFlow, "cash_flow"),
        (Tab::Roadmap, "roadmap"),
        (Tab::PriceBook, "price_book"),
        (Tab::ControlModel, "control_model"),
    ] {
        harness.state_mut().state.tab = tab;
        harness.run_ok();
        harness.state_mut().state.frontier.wait();
        harness.run_ok();
        harness.snapshot(name);
    }
    harness.state_mut().views.charts.view = TradeOffView::Workloads;
    harness.state_mut().state.tab = Tab::TradeOff;
    harness.run_ok();
    harness.snapshot("trade_off_workloads");

    // A colleague's copy merged three-way in the compare view: both started from the sample
    // (kept as the version the app opened, as opening a file does; the sample stays open so
    // no temporary path shows); I changed the seats, they changed the seats too, renamed
    // Exchange and took out the backup server.
    let sample = keyholder::storage::sample_plan().expect("sample");
    let shared = keyholder::storage::content_id(&sample);
    keyholder::storage::bases::keep_base(
        &AppPaths::in_folder(folder.path()).bases_dir(),
        &folder.path().join("plan.ron"),
        &shared,
        &keyholder::storage::content_text(&sample),
    )
    .expect("kept");
    harness.state_mut().state.opened_version = Some(shared.clone());
    let mut customer = sample.customer.clone();
    customer.seats = 125;
    harness
        .state_mut()
        .push(Action::Edit(keyholder::app::Edit::Customer(Box::new(
            customer,
        ))));
    harness.run_ok();
    let mut theirs = sample.clone();
    keyholder::storage::record_content_id(&mut theirs, &shared);
    theirs.customer.seats = 130;
    theirs.workloads[0].name = "Exchange 2010".to_owned();
    theirs.workloads.pop();
    for scenario in &mut theirs.scenarios {
        scenario.choices.remove("backup");
    }
    theirs.history.push(keyholder::model::HistoryEntry {
        saved_by: "Sam Okafor".to_owned(),
        saved_at: "2010-03-02T09:00:00Z".to_owned(),
        note: "Seats after the merger; backups go with the new NAS".to_owned(),
        keyholder_version: "0.1.0".to_owned(),
        content_id: None,
    });
    let theirs_path = folder.path().join("theirs.ron");
    keyholder::storage::save_plan_file(
        &theirs_path,
        &theirs,
        &keyholder::storage::Expect::Replace,
        None,
    )
    .expect("save");
    harness.state_mut().push(Action::CompareWith(theirs_path));
    harness.run_ok();
    harness.snapshot("compare");
}
