//! The app names itself (issue 15): the About box gives the version, the commit and the
//! shipped price books' dates; a saved plan records the Keyholder that saved it; a plan of
//! an older format says it was migrated.

use std::path::Path;

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use keyholder::app::{Action, Command, Modal};
use keyholder::storage::load_plan;

use crate::harness::{Setup, act, press, replace_text, unfocus};

#[test]
fn the_about_box_names_the_version_the_commit_and_the_price_books() {
    let setup = Setup::new();
    let mut harness = setup.harness(None);
    act(&mut harness, Action::Command(Command::ShowAbout));
    assert!(matches!(harness.state().state.modal, Some(Modal::About)));
    harness.get_by_label_contains(&format!(
        "Version {}",
        keyholder::identity::VERSION_AND_COMMIT
    ));
    assert!(keyholder::identity::VERSION_AND_COMMIT.contains(keyholder::identity::COMMIT));
    harness.get_by_label_contains("Microsoft cloud at launch (2010), as of 2010-02");
    harness.get_by_label_contains("Microsoft cloud today (2026), as of 2026-07");
}

#[test]
fn a_save_records_the_keyholder_that_saved_it() {
    let setup = Setup::new();
    let path = setup.plan_file("plan.ron");
    let mut harness = setup.harness(Some(path.clone()));
    replace_text(&mut harness, "Customer name", "Recorded");
    unfocus(&mut harness);
    press(&mut harness, Modifiers::COMMAND, Key::S);
    let (loaded, _) = load_plan(&path).expect("load");
    let last = loaded.plan.history.last().expect("a history entry");
    assert_eq!(
        last.keyholder_version,
        keyholder::identity::VERSION_AND_COMMIT
    );
}

#[test]
fn a_plan_of_format_version_1_says_it_was_migrated() {
    let setup = Setup::new();
    let old = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1/law-firm.ron");
    let mut harness = setup.harness(None);
    act(&mut harness, Action::OpenPath(old));
    let status = harness.state().state.status.clone().unwrap_or_default();
    assert!(status.contains("format version 1"), "{status}");
    assert!(!harness.state().state.document.is_dirty());
}
