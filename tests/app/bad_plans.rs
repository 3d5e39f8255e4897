//! Absurd numbers and broken files in the app (issue 8, items 4 and 9): a plan at or beyond
//! any bound opens, every view draws, nothing panics; a file that cannot be read is an
//! error message in Open and in Compare with, never an exit; the fields refuse values past
//! their bounds with the bound's own words; moves past the horizon are shown as such.

use std::path::{Path, PathBuf};

use egui_kittest::kittest::Queryable;
use keyholder::app::{Action, Modal, Tab};
use keyholder::model::{Destination, Plan, validate};
use keyholder::storage::sample_plan;
use proptest::prelude::*;

use crate::bound_knobs::{KNOBS, apply};
use crate::harness::{Setup, act, replace_text, select, show, unfocus};

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad");
    let mut files: Vec<PathBuf> = ["", "invalid"]
        .iter()
        .flat_map(|sub| std::fs::read_dir(root.join(sub)).expect("fixtures"))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Every view of the app, drawn once with the plan open.
fn draw_every_view(harness: &mut egui_kittest::Harness<'_, keyholder::app::KeyholderApp>) {
    for tab in Tab::ALL {
        show(harness, tab);
        if tab == Tab::TradeOff {
            harness.state_mut().state.frontier.wait();
            harness.run_ok();
        }
    }
}

#[test]
fn every_bad_file_is_a_message_in_open_and_in_compare_never_an_exit() {
    let setup = Setup::new();
    let mut harness = setup.harness(None);
    for file in fixtures() {
        act(&mut harness, Action::OpenPath(file.clone()));
        let opened = harness.state().state.document.path() == Some(file.as_path());
        if !opened {
            assert!(
                matches!(harness.state().state.modal, Some(Modal::Error { .. })),
                "{}: neither opened nor explained: {:?}, {:?}",
                file.display(),
                harness.state().state.modal,
                harness.state().state.document.path(),
            );
            act(&mut harness, Action::CloseModal);
        }
        draw_every_view(&mut harness);
        act(&mut harness, Action::CompareWith(file.clone()));
        if let Some(Modal::Error { .. }) = harness.state().state.modal {
            act(&mut harness, Action::CloseModal);
        }
        draw_every_view(&mut harness);
    }
}

#[test]
fn a_plan_whose_figures_cannot_be_computed_shows_why_and_no_figures() {
    let setup = Setup::new();
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bad/invalid/hours_per_month_1e28.ron");
    let mut harness = setup.harness(Some(file));
    show(&mut harness, Tab::Scenarios);
    harness.get_by_label_contains("The plan's figures cannot be computed");
    assert!(harness.query_by_label("Run rate per month").is_none());
    // The value can be corrected in the app, and the figures come back.
    show(&mut harness, Tab::PriceBook);
    replace_text(&mut harness, "Hours per month", "730");
    unfocus(&mut harness);
    assert!(harness.state().state.derived.figures_problem.is_none());
    assert!(validate(harness.state().plan()).is_empty());
}

#[test]
fn the_fields_refuse_values_past_their_bounds_with_the_bounds_words() {
    let setup = Setup::new();
    let mut harness = setup.harness(None);
    select(&mut harness, 0);
    let before = harness.state().plan().clone();
    for (field, text, message) in [
        ("Users", "10000001", "must be at most 10,000,000"),
        ("Servers", "100001", "must be at most 100,000"),
        ("Storage (GB)", "100000001", "must be at most 100,000,000"),
        ("Horizon (months)", "121", "must be from 1 to 120 months"),
        ("Growth (% a year)", "101", "must be from 0 to 100"),
        ("Seats", "10000001", "must be at most 10,000,000"),
    ] {
        replace_text(&mut harness, field, text);
        harness.get_by_label_contains(&format!("Refused: {message}"));
        unfocus(&mut harness);
        select(&mut harness, 0);
    }
    show(&mut harness, Tab::PriceBook);
    replace_text(
        &mut harness,
        "Hours per month",
        "10000000000000000000000000000",
    );
    harness.get_by_label_contains("Refused: must be at most 744");
    unfocus(&mut harness);
    assert_eq!(
        harness.state().plan(),
        &before,
        "nothing past a bound reached the plan"
    );
}

#[test]
fn a_move_after_the_horizon_is_shown_as_such_in_the_roadmap() {
    let mut plan = sample_plan().expect("sample");
    let scenario = plan
        .scenarios
        .iter_mut()
        .find(|s| !s.choices.is_empty())
        .expect("a scenario that moves");
    let name = scenario.name.clone();
    for choice in scenario.choices.values_mut() {
        choice.move_month = 40;
    }
    assert!(
        validate(&plan).is_empty(),
        "a move past the horizon is allowed"
    );
    let setup = Setup::new();
    let path = setup.write_plan("late.ron", &plan);
    let mut harness = setup.harness(Some(path));
    let index = harness
        .state()
        .plan()
        .scenarios
        .iter()
        .position(|s| s.name == name)
        .expect("scenario");
    act(&mut harness, Action::SelectScenario(index));
    show(&mut harness, Tab::Roadmap);
    harness.get_by_label_contains("after the 36-month horizon");
    assert!(
        harness
            .get_all_by_label_contains("(after the horizon)")
            .next()
            .is_some()
    );
    let totals = &harness.state().state.derived.totals[index];
    assert_eq!(totals.moves, 0);
    assert_eq!(totals.break_even_month, None);
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 12,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// A plan at or beyond any bound opens in the app and every view draws, without a
    /// panic, whether validation accepts it or not.
    #[test]
    fn plans_at_and_beyond_every_bound_open_and_draw(
        settings in prop::collection::vec(
            (0..KNOBS.len(), any::<prop::sample::Index>(), 0..11_usize, 0..5_usize),
            1..5,
        ),
    ) {
        let mut plan: Plan = sample_plan().expect("sample");
        for (knob, pick, w, d) in settings {
            let (name, values) = KNOBS[knob];
            let (value, _) = values[pick.index(values.len())];
            apply(&mut plan, name, value, w, Destination::ALL[d]);
        }
        let setup = Setup::new();
        let path = setup.write_plan("bounds.ron", &plan);
        let mut harness = setup.harness(Some(path));
        draw_every_view(&mut harness);
        select(&mut harness, 0);
        show(&mut harness, Tab::Workloads);
    }
}
