//! Nothing lost, nothing silently changed (issue 8, items 1 to 3), in the real app: saving
//! through a link, a read-only plan, Reload keeping the user's version, Compare from the
//! conflict question, restoring a kept version, refused values never reaching the plan, and
//! recovery written while the window is hidden.

use std::fs;

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use keyholder::app::{Action, Command, Modal, Tab};
use keyholder::storage::{load_plan, sample_plan, save_plan};

use crate::harness::{Setup, act, press, replace_text, select, unfocus};

/// Edits the customer's name and leaves the field, so the plan has an unsaved change.
fn make_a_change(
    harness: &mut egui_kittest::Harness<'_, keyholder::app::KeyholderApp>,
    name: &str,
) {
    replace_text(harness, "Customer name", name);
    unfocus(harness);
    assert!(harness.state().state.document.is_dirty());
}

#[cfg(unix)]
#[test]
fn a_plan_opened_through_a_link_is_saved_through_it() {
    let setup = Setup::new();
    let target = setup.plan_file("OneDrive plan.ron");
    let link = setup.path("shortcut.ron");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    let mut harness = setup.harness(Some(link.clone()));
    make_a_change(&mut harness, "Saved through the link");
    press(&mut harness, Modifiers::COMMAND, Key::S);
    assert!(!harness.state().state.document.is_dirty());
    assert!(
        fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        load_plan(&target).expect("target").0.plan.customer.name,
        "Saved through the link"
    );
    let status = harness.state().state.status.clone().unwrap_or_default();
    assert!(status.contains("through the link"), "{status}");
}

#[test]
fn a_read_only_plan_is_never_replaced_and_stays_open_unsaved() {
    let setup = Setup::new();
    let path = setup.plan_file("read-only.ron");
    let before = fs::read(&path).expect("read");
    let mut permissions = fs::metadata(&path).expect("metadata").permissions();
    permissions.set_readonly(true);
    fs::set_permissions(&path, permissions).expect("chmod");
    let mut harness = setup.harness(Some(path.clone()));
    make_a_change(&mut harness, "Mine, unsaved");
    press(&mut harness, Modifiers::COMMAND, Key::S);
    match &harness.state().state.modal {
        Some(Modal::Error { title, message }) => {
            assert!(title.contains("read-only"), "{title}");
            assert!(message.contains("Save as"), "{message}");
        }
        other => panic!("expected the read-only message, got {other:?}"),
    }
    assert!(harness.state().state.document.is_dirty());
    assert_eq!(harness.state().plan().customer.name, "Mine, unsaved");
    assert_eq!(fs::read(&path).expect("read"), before);
}

/// Opens `path`, changes it, lets a colleague save over it, and answers Reload.
fn reload_after_a_colleagues_save(
    setup: &Setup,
    harness: &mut egui_kittest::Harness<'_, keyholder::app::KeyholderApp>,
    path: &std::path::Path,
    mine: &str,
) -> std::path::PathBuf {
    make_a_change(harness, mine);
    let mut theirs = sample_plan().expect("sample");
    theirs.customer.name = format!("Theirs after {mine}");
    save_plan(path, &theirs).expect("their save");
    press(harness, Modifiers::COMMAND, Key::S);
    assert!(matches!(
        harness.state().state.modal,
        Some(Modal::Conflict { .. })
    ));
    harness.get_by_label("Reload").click();
    harness.run_ok();
    assert_eq!(
        harness.state().plan().customer.name,
        format!("Theirs after {mine}")
    );
    let status = harness.state().state.status.clone().unwrap_or_default();
    let kept = status
        .split("Yours is kept as ")
        .nth(1)
        .and_then(|rest| rest.split(" (File > Open").next())
        .unwrap_or_else(|| panic!("the status bar says where: {status}"));
    let kept = std::path::PathBuf::from(kept);
    assert!(
        kept.starts_with(setup.paths().data_dir),
        "{}",
        kept.display()
    );
    kept
}

#[test]
fn reload_keeps_the_users_version_as_a_plan_file_under_a_new_name_each_time() {
    let setup = Setup::new();
    let path = setup.plan_file("shared.ron");
    let mut harness = setup.harness(Some(path.clone()));
    let first = reload_after_a_colleagues_save(&setup, &mut harness, &path, "Mine, first");
    let second = reload_after_a_colleagues_save(&setup, &mut harness, &path, "Mine, second");
    assert_ne!(
        first, second,
        "the second Reload did not overwrite the first"
    );
    assert_eq!(
        load_plan(&first).expect("a plan").0.plan.customer.name,
        "Mine, first"
    );
    assert_eq!(
        load_plan(&second).expect("a plan").0.plan.customer.name,
        "Mine, second"
    );
    // File > Open opens it like any plan.
    act(&mut harness, Action::OpenPath(first.clone()));
    assert_eq!(harness.state().plan().customer.name, "Mine, first");
}

#[test]
fn the_conflict_question_offers_compare() {
    let setup = Setup::new();
    let path = setup.plan_file("shared.ron");
    let mut harness = setup.harness(Some(path.clone()));
    make_a_change(&mut harness, "Mine");
    let mut theirs = sample_plan().expect("sample");
    theirs.customer.seats = 140;
    save_plan(&path, &theirs).expect("their save");
    press(&mut harness, Modifiers::COMMAND, Key::S);
    harness.get_by_label("Compare with their version").click();
    harness.run_ok();
    assert_eq!(harness.state().state.tab, Tab::Compare);
    let comparison = harness
        .state()
        .state
        .comparison
        .as_ref()
        .expect("comparing");
    assert_eq!(comparison.theirs.customer.seats, 140);
    // Nothing was written or lost: my change is still open, theirs still on disk.
    assert_eq!(harness.state().plan().customer.name, "Mine");
    assert_eq!(load_plan(&path).expect("load").0.plan.customer.seats, 140);
}

#[test]
fn restore_previous_version_lists_the_kept_versions_and_opens_one() {
    let setup = Setup::new();
    let path = setup.plan_file("plan.ron");
    let mut harness = setup.harness(Some(path.clone()));
    make_a_change(&mut harness, "Second version");
    press(&mut harness, Modifiers::COMMAND, Key::S);
    make_a_change(&mut harness, "Third version");
    press(&mut harness, Modifiers::COMMAND, Key::S);
    act(&mut harness, Action::Command(Command::RestoreVersion));
    let versions = match &harness.state().state.modal {
        Some(Modal::Versions { versions, .. }) => versions.clone(),
        other => panic!("expected the list of versions, got {other:?}"),
    };
    assert_eq!(versions.len(), 2, "the two versions the saves replaced");
    // Newest first: the second version, saved by the user of this test.
    let newest = load_plan(&versions[0].path).expect("a plan").0.plan;
    assert_eq!(newest.customer.name, "Second version");
    assert!(versions[0].saved_by.is_some());
    assert!(versions.iter().all(|v| v.size_bytes > 1_000));
    harness
        .get_all_by_label_contains("Open the version kept")
        .next()
        .expect("an Open button per version")
        .click();
    harness.run_ok();
    assert_eq!(harness.state().plan().customer.name, "Second version");
    assert!(
        harness.state().state.document.is_dirty(),
        "restored, not yet saved"
    );
    assert_eq!(harness.state().state.document.path(), Some(path.as_path()));
}

#[test]
fn a_refused_value_never_reaches_the_plan() {
    let setup = Setup::new();
    let mut harness = setup.harness(None);
    let horizon = harness.state().plan().assumptions.horizon_months;
    assert_eq!(horizon, 36);
    // Typed key by key: "2" and "20" are valid on their way to the refused "200".
    replace_text(&mut harness, "Horizon (months)", "200");
    harness.get_by_label_contains("Refused: must be from 1 to 120 months");
    // Leaving the field with a refused value (Tab) commits nothing.
    harness.key_press(Key::Tab);
    harness.run_ok();
    assert_eq!(
        harness.state().plan().assumptions.horizon_months,
        36,
        "neither 2 nor 20 reached the plan"
    );
    // The field still shows what was typed and why, and what the plan keeps.
    harness.get_by_label_contains("The plan keeps 36");
    replace_text(&mut harness, "Horizon (months)", "24");
    harness.key_press(Key::Enter);
    harness.run_ok();
    assert_eq!(harness.state().plan().assumptions.horizon_months, 24);

    select(&mut harness, 0);
    let users = harness.state().plan().workloads[0].users;
    replace_text(&mut harness, "Users", "12a");
    harness.get_by_label_contains("Refused: \"12a\" is not a number");
    unfocus(&mut harness);
    assert_eq!(harness.state().plan().workloads[0].users, users);
    replace_text(&mut harness, "Users", "2.5");
    harness.get_by_label_contains("Refused: must be a whole number");
    unfocus(&mut harness);
    replace_text(&mut harness, "Users", "-3");
    harness.get_by_label_contains("Refused: must not be negative");
    unfocus(&mut harness);
    assert_eq!(harness.state().plan().workloads[0].users, users);

    // A rename refused at its last keystroke keeps the whole old name.
    let names: Vec<String> = harness
        .state()
        .plan()
        .scenarios
        .iter()
        .map(|s| s.name.clone())
        .collect();
    let active = harness.state().state.active_scenario;
    let other = names
        .iter()
        .enumerate()
        .find(|(i, _)| *i != active)
        .map(|(_, n)| n.clone())
        .expect("another scenario");
    replace_text(&mut harness, "Scenario name", &other);
    harness.get_by_label_contains("Refused: another scenario is named");
    unfocus(&mut harness);
    assert_eq!(harness.state().plan().scenarios[active].name, names[active]);
}

#[test]
fn unsaved_work_reaches_the_recovery_file_while_the_window_is_hidden() {
    let setup = Setup::new();
    let path = setup.plan_file("plan.ron");
    let mut harness = setup.harness(Some(path.clone()));
    make_a_change(&mut harness, "Edited, then minimised");
    // Minimised: eframe runs only the app's logic, egui's frame time stands still.
    setup.stopwatch.advance(5.0);
    let ctx = harness.ctx.clone();
    harness.state_mut().logic(&ctx);
    let recovery = keyholder::app::recovery_file(
        &setup.paths().recovery_dir(),
        Some(&std::path::absolute(&path).expect("abs")),
    );
    assert!(recovery.is_file(), "written without a drawn frame");
}
