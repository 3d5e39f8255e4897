//! The real app driven through `egui_kittest`: what a user clicks and types, and what the plan
//! and the files look like afterwards. Dialogs are a fake; files live in a temp folder.

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use keyholder::app::{Action, Command, DialogOutcome, Modal, Tab};
use keyholder::model::Destination;
use keyholder::storage::{load_plan, plan_to_ron, sample_plan, save_plan};

use crate::harness::{
    DroppedPath, Setup, press, replace_text, request_close, select, show, unfocus,
};

#[test]
fn first_start_opens_the_bundled_sample() {
    let setup = Setup::new();
    let harness = setup.harness(None);
    let app = harness.state();
    assert_eq!(app.plan().customer.name, "Harlow & Finch LLP");
    assert!(app.state.document.path().is_none());
    assert!(!app.state.document.is_dirty());
    assert_eq!(app.title(), "law-firm.ron (not saved) - Keyholder");
    harness.get_by_label("Exchange 2007");
}

#[test]
fn add_edit_duplicate_and_delete_a_workload() {
    let setup = Setup::new();
    let mut harness = setup.harness(None);
    let before = harness.state().plan().workloads.len();

    harness.get_by_label("Add workload").click();
    harness.run_ok();
    assert_eq!(harness.state().plan().workloads.len(), before + 1);
    assert_eq!(harness.state().state.selection.current, Some(before));

    replace_text(&mut harness, "Workload name", "Payroll server");
    replace_text(&mut harness, "Users", "25");
    unfocus(&mut harness);
    let added = &harness.state().plan().workloads[before];
    assert_eq!(added.name, "Payroll server");
    assert_eq!(added.users, 25);

    harness.get_by_label("Duplicate workload").click();
    harness.run_ok();
    let plan = harness.state().plan();
    assert_eq!(plan.workloads.len(), before + 2);
    assert_eq!(plan.workloads[before + 1].name, "Payroll server (copy)");
    assert_ne!(plan.workloads[before + 1].id, plan.workloads[before].id);

    harness.get_by_label("Delete workload").click();
    harness.run_ok();
    assert_eq!(harness.state().plan().workloads.len(), before + 1);
    assert!(harness.state().state.document.is_dirty());
}

#[test]
fn an_invalid_number_is_refused_at_the_field() {
    let setup = Setup::new();
    let mut harness = setup.harness(None);
    select(&mut harness, 0);
    harness.run_ok();
    let users = harness.state().plan().workloads[0].users;
    replace_text(&mut harness, "Users", "twelve");
    harness.get_by_label_contains("Refused: \"twelve\" is not a number");
    replace_text(&mut harness, "Storage (GB)", "-5");
    harness.get_by_label_contains("Refused: must not be negative");
    unfocus(&mut harness);
    assert_eq!(harness.state().plan().workloads[0].users, users);
    assert!(harness.state().plan().workloads[0].storage_gb >= keyholder::model::Decimal::ZERO);
    assert!(!harness.state().state.document.is_dirty());
    // The horizon refuses 0 and 121.
    replace_text(&mut harness, "Horizon (months)", "121");
    harness.get_by_label_contains("Refused: must be from 1 to 120 months");
    unfocus(&mut harness);
    assert_eq!(harness.state().plan().assumptions.horizon_months, 36);
}

#[test]
fn undo_and_redo_every_kind_of_edit() {
    let setup = Setup::new();
    let mut harness = setup.harness(None);
    let original = harness.state().plan().clone();

    // A field: typing a name undoes as one step.
    replace_text(&mut harness, "Customer name", "Harlow LLP");
    unfocus(&mut harness);
    assert_eq!(harness.state().plan().customer.name, "Harlow LLP");
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(harness.state().plan().customer.name, "Harlow & Finch LLP");
    press(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    assert_eq!(harness.state().plan().customer.name, "Harlow LLP");
    press(&mut harness, Modifiers::COMMAND, Key::Z);

    // A table edit: the active scenario's choice for a workload.
    let scenario = harness.state().state.active_scenario;
    let sql_before = harness.state().plan().scenarios[scenario]
        .choices
        .get("sql")
        .copied();
    harness.get_by_label("Choice for SQL Server 2005").click();
    harness.run_ok();
    harness.get_by_label("Azure PaaS").click();
    harness.run_ok();
    let chosen = harness.state().plan().scenarios[scenario]
        .choices
        .get("sql")
        .map(|c| c.destination);
    assert_eq!(chosen, Some(Destination::AzurePaas));
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(
        harness.state().plan().scenarios[scenario]
            .choices
            .get("sql")
            .copied(),
        sql_before
    );
    // Ctrl+Y redoes too.
    press(&mut harness, Modifiers::COMMAND, Key::Y);
    assert_eq!(
        harness.state().plan().scenarios[scenario]
            .choices
            .get("sql")
            .map(|c| c.destination),
        Some(Destination::AzurePaas)
    );
    press(&mut harness, Modifiers::COMMAND, Key::Z);

    // Scenarios: add, then undo.
    let scenarios = harness.state().plan().scenarios.len();
    harness.get_by_label("Add scenario").click();
    harness.run_ok();
    assert_eq!(harness.state().plan().scenarios.len(), scenarios + 1);
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(harness.state().plan().scenarios.len(), scenarios);

    // Price book and control model.
    show(&mut harness, Tab::PriceBook);
    replace_text(&mut harness, "MSP rate per hour", "140");
    unfocus(&mut harness);
    assert_eq!(
        harness.state().plan().price_book.msp_rate_per_hour,
        keyholder::model::Decimal::from(140)
    );
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    show(&mut harness, Tab::ControlModel);
    replace_text(&mut harness, "Weight of Network", "30");
    unfocus(&mut harness);
    assert_eq!(
        harness.state().plan().control_model.dimensions[1].weight,
        keyholder::model::Decimal::from(30)
    );
    press(&mut harness, Modifiers::COMMAND, Key::Z);

    // Deleting a workload takes its scenario choices along; undo brings both back.
    select(&mut harness, 0);
    harness.run_ok();
    harness.get_by_label("Delete workload").click();
    harness.run_ok();
    assert!(
        harness
            .state()
            .plan()
            .scenarios
            .iter()
            .all(|s| !s.choices.contains_key("exchange"))
    );
    press(&mut harness, Modifiers::COMMAND, Key::Z);

    assert_eq!(harness.state().plan(), &original);
    assert!(
        !harness.state().state.document.is_dirty(),
        "back at the opened state, nothing is unsaved"
    );
}

#[test]
fn ctrl_z_in_a_focused_text_field_belongs_to_the_field() {
    let setup = Setup::new();
    let mut harness = setup.harness(None);
    // Free text is committed as it is typed.
    replace_text(&mut harness, "Industry", "Law");
    assert_eq!(harness.state().plan().customer.industry, "Law");
    // Still focused: the plan's undo must not run.
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert!(harness.state().state.document.can_undo());
}

#[test]
fn save_as_and_open_through_the_dialogs_and_the_recent_list() {
    let setup = Setup::new();
    let mut harness = setup.harness(None);
    replace_text(&mut harness, "Customer name", "Saved customer");
    unfocus(&mut harness);
    let target = setup.folder.path().join("documents").join("saved.ron");
    std::fs::create_dir_all(target.parent().expect("parent")).expect("folder");
    setup.dialogs.answer(DialogOutcome::Chosen(target.clone()));
    press(&mut harness, Modifiers::COMMAND, Key::S);
    assert!(!harness.state().state.document.is_dirty());
    assert_eq!(harness.state().title(), "saved.ron - Keyholder");
    let (loaded, _) = load_plan(&target).expect("saved file loads");
    assert_eq!(loaded.plan.customer.name, "Saved customer");
    assert_eq!(
        loaded.plan.history.len(),
        harness.state().plan().history.len()
    );
    assert!(harness.state().state.preferences.recent_files.first() == Some(&target));

    // Open another file, then the first again from the recent list.
    let other = setup.plan_file("other.ron");
    setup.dialogs.answer(DialogOutcome::Chosen(other.clone()));
    press(&mut harness, Modifiers::COMMAND, Key::O);
    assert_eq!(harness.state().state.document.path(), Some(other.as_path()));
    let recent = harness.state().state.preferences.recent_files.clone();
    assert_eq!(recent, vec![other.clone(), target.clone()], "newest first");
    harness.state_mut().push(Action::OpenPath(target.clone()));
    harness.run_ok();
    assert_eq!(harness.state().plan().customer.name, "Saved customer");

    // A missing file is pruned from the recent list at the next start.
    std::fs::remove_file(&other).expect("remove");
    drop(harness);
    let harness = setup.harness(None);
    assert_eq!(
        harness.state().state.preferences.recent_files,
        vec![target.clone()]
    );
    assert_eq!(
        harness.state().state.document.path(),
        Some(target.as_path()),
        "starts on the last plan"
    );
}

#[test]
fn a_path_field_takes_over_when_no_dialog_can_be_shown() {
    let setup = Setup::new();
    let mut harness = setup.harness(None);
    setup.dialogs.answer(DialogOutcome::Unavailable);
    press(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    assert!(matches!(
        harness.state().state.modal,
        Some(Modal::PathPrompt { .. })
    ));
    let target = setup.folder.path().join("typed.ron");
    replace_text(&mut harness, "Path", &target.to_string_lossy());
    harness.get_by_label("OK").click();
    harness.run_ok();
    assert!(target.is_file());
    assert!(!harness.state().state.document.is_dirty());
}

#[test]
fn closing_with_unsaved_changes_asks_save_dont_save_or_cancel() {
    // Cancel: nothing closes, nothing is lost.
    let setup = Setup::new();
    let path = setup.plan_file("plan.ron");
    let mut harness = setup.harness(Some(path.clone()));
    replace_text(&mut harness, "Customer name", "Changed");
    unfocus(&mut harness);
    request_close(&mut harness);
    harness.get_by_label_contains("has unsaved changes");
    harness.get_by_label("Cancel").click();
    harness.run_ok();
    assert!(!harness.state().state.close_confirmed);
    assert!(harness.state().state.document.is_dirty());

    // Don't save: closes, the file is as it was.
    let before = std::fs::read(&path).expect("read");
    request_close(&mut harness);
    harness.get_by_label("Don't save").click();
    harness.run_ok();
    assert!(harness.state().state.close_confirmed);
    assert_eq!(std::fs::read(&path).expect("read"), before);

    // Save: the file gets the change, then the window closes.
    let mut harness = setup.harness(Some(path.clone()));
    replace_text(&mut harness, "Customer name", "Changed again");
    unfocus(&mut harness);
    request_close(&mut harness);
    harness.get_by_label("Save").click();
    harness.run_ok();
    assert!(harness.state().state.close_confirmed);
    assert_eq!(
        load_plan(&path).expect("load").0.plan.customer.name,
        "Changed again"
    );
}

#[test]
fn a_colleagues_change_on_disk_is_detected_before_saving() {
    let setup = Setup::new();
    let path = setup.plan_file("shared.ron");
    let mut harness = setup.harness(Some(path.clone()));
    replace_text(&mut harness, "Customer name", "My change");
    unfocus(&mut harness);

    // A colleague saves the same file meanwhile.
    let mut theirs = sample_plan().expect("sample");
    theirs.customer.name = "Their change".to_owned();
    save_plan(&path, &theirs).expect("their save");
    let their_bytes = std::fs::read(&path).expect("read");

    press(&mut harness, Modifiers::COMMAND, Key::S);
    assert!(matches!(
        harness.state().state.modal,
        Some(Modal::Conflict { .. })
    ));
    assert_eq!(
        std::fs::read(&path).expect("read"),
        their_bytes,
        "not overwritten"
    );
    assert!(harness.state().state.document.is_dirty());

    // Overwrite is an explicit choice; their version goes to the backups.
    harness.get_by_label("Overwrite").click();
    harness.run_ok();
    assert_eq!(
        load_plan(&path).expect("load").0.plan.customer.name,
        "My change"
    );
    let backups = keyholder::storage::backups::kept_versions(&setup.paths().backups_dir(), &path);
    assert!(
        backups
            .iter()
            .any(|b| std::fs::read(&b.path).expect("backup") == their_bytes)
    );
}

#[test]
fn reload_takes_the_colleagues_version() {
    let setup = Setup::new();
    let path = setup.plan_file("shared.ron");
    let mut harness = setup.harness(Some(path.clone()));
    replace_text(&mut harness, "Customer name", "My change");
    unfocus(&mut harness);
    let mut theirs = sample_plan().expect("sample");
    theirs.customer.name = "Their change".to_owned();
    save_plan(&path, &theirs).expect("their save");
    press(&mut harness, Modifiers::COMMAND, Key::S);
    harness.get_by_label("Reload").click();
    harness.run_ok();
    assert_eq!(harness.state().plan().customer.name, "Their change");
    assert!(!harness.state().state.document.is_dirty());
}

#[test]
fn unsaved_work_is_recovered_after_a_crash() {
    let setup = Setup::new();
    let path = setup.plan_file("plan.ron");
    let mut harness = setup.harness(Some(path.clone()));
    replace_text(&mut harness, "Customer name", "Edited before the crash");
    unfocus(&mut harness);
    // The recovery file is written after about two seconds without edits.
    setup.wait_for_recovery(&mut harness);
    let recovery = keyholder::app::recovery_file(
        &setup.paths().recovery_dir(),
        Some(&std::path::absolute(&path).expect("abs")),
    );
    assert!(
        recovery.is_file(),
        "recovery file written: {}",
        recovery.display()
    );
    // The process dies: the harness is dropped without closing.
    std::mem::forget(harness);

    let mut harness = setup.harness(Some(path.clone()));
    assert!(matches!(
        harness.state().state.modal,
        Some(Modal::Recovery { .. })
    ));
    harness.get_by_label("Restore").click();
    harness.run_ok();
    assert_eq!(
        harness.state().plan().customer.name,
        "Edited before the crash"
    );
    assert!(
        harness.state().state.document.is_dirty(),
        "restored work is unsaved until saved"
    );
    assert_eq!(
        harness.state().state.document.path(),
        Some(std::path::absolute(&path).expect("abs").as_path())
    );
    press(&mut harness, Modifiers::COMMAND, Key::S);
    assert!(
        !recovery.exists(),
        "the recovery file goes once the plan is saved"
    );
    assert_eq!(
        load_plan(&path).expect("load").0.plan.customer.name,
        "Edited before the crash"
    );
}

#[test]
fn a_broken_file_shows_file_line_col_and_stays_untouched() {
    let setup = Setup::new();
    let path = setup.folder.path().join("broken.ron");
    let text =
        plan_to_ron(&sample_plan().expect("sample")).replacen("seats: 120", "seats: \"many\"", 1);
    std::fs::write(&path, &text).expect("write");
    let harness = setup.harness(Some(path.clone()));
    match &harness.state().state.modal {
        Some(Modal::Error { message, .. }) => {
            let line = text
                .lines()
                .position(|l| l.contains("seats: \"many\""))
                .expect("line")
                + 1;
            assert!(
                message.starts_with(&format!("{}:{line}:", path.display())),
                "{message}"
            );
        }
        other => panic!("expected an error, got {other:?}"),
    }
    assert_eq!(std::fs::read_to_string(&path).expect("read"), text);
}

#[test]
fn a_plan_from_a_newer_keyholder_opens_read_only() {
    let setup = Setup::new();
    let path = setup.folder.path().join("newer.ron");
    let text = plan_to_ron(&sample_plan().expect("sample"))
        .replacen("format_version: 3,", "format_version: 4,", 1)
        .replacen(
            "    customer: (",
            "    colour: \"blue\",\n    customer: (",
            1,
        );
    std::fs::write(&path, &text).expect("write");
    let mut harness = setup.harness(Some(path.clone()));
    let app = harness.state();
    assert!(
        app.state
            .document
            .read_only
            .as_deref()
            .is_some_and(|why| why.contains("newer Keyholder"))
    );
    assert_eq!(app.state.document.unknown_fields, vec!["colour".to_owned()]);
    assert!(app.title().ends_with("(read-only) - Keyholder"));
    // Saving over it is refused; the file stays as it was.
    press(&mut harness, Modifiers::COMMAND, Key::S);
    assert_eq!(std::fs::read_to_string(&path).expect("read"), text);
}

#[test]
fn dropping_a_plan_file_opens_it() {
    let setup = Setup::new();
    let path = setup.plan_file("dropped.ron");
    let mut harness = setup.harness(None);
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(DroppedPath(path.clone())));
    harness.run_ok();
    assert_eq!(harness.state().state.document.path(), Some(path.as_path()));
}

#[test]
fn closing_while_the_restore_question_is_open_keeps_the_recovery_file() {
    let setup = Setup::new();
    let path = setup.plan_file("plan.ron");
    let mut harness = setup.harness(Some(path.clone()));
    replace_text(&mut harness, "Customer name", "Unsaved edit");
    unfocus(&mut harness);
    setup.wait_for_recovery(&mut harness);
    std::mem::forget(harness);
    let recovery = keyholder::app::recovery_file(
        &setup.paths().recovery_dir(),
        Some(&std::path::absolute(&path).expect("abs")),
    );
    assert!(recovery.is_file());

    // Next start: the question is shown, and the user closes the window without answering.
    let mut harness = setup.harness(Some(path.clone()));
    assert!(matches!(
        harness.state().state.modal,
        Some(Modal::Recovery { .. })
    ));
    request_close(&mut harness);
    drop(harness);
    assert!(
        recovery.is_file(),
        "the unsaved work is still there for the next start"
    );
}

#[test]
fn a_colleagues_save_after_a_crash_is_caught_when_the_restored_plan_is_saved() {
    let setup = Setup::new();
    let path = setup.plan_file("shared.ron");
    let mut harness = setup.harness(Some(path.clone()));
    replace_text(&mut harness, "Customer name", "Mine");
    unfocus(&mut harness);
    setup.wait_for_recovery(&mut harness);
    std::mem::forget(harness);
    // While Keyholder is down, a colleague saves the file.
    let mut theirs = sample_plan().expect("sample");
    theirs.customer.name = "Theirs".to_owned();
    save_plan(&path, &theirs).expect("their save");
    let their_bytes = std::fs::read(&path).expect("read");

    let mut harness = setup.harness(Some(path.clone()));
    harness.get_by_label("Restore").click();
    harness.run_ok();
    press(&mut harness, Modifiers::COMMAND, Key::S);
    assert!(matches!(
        harness.state().state.modal,
        Some(Modal::Conflict { .. })
    ));
    assert_eq!(std::fs::read(&path).expect("read"), their_bytes);
}

#[test]
fn saving_an_unchanged_plan_leaves_the_file_alone() {
    let setup = Setup::new();
    let path = setup.plan_file("plan.ron");
    let before = std::fs::read(&path).expect("read");
    let modified = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .expect("mtime");
    let mut harness = setup.harness(Some(path.clone()));
    press(&mut harness, Modifiers::COMMAND, Key::S);
    assert_eq!(std::fs::read(&path).expect("read"), before);
    assert_eq!(
        std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .expect("mtime"),
        modified
    );
    assert!(
        harness
            .state()
            .state
            .status
            .as_deref()
            .is_some_and(|s| s.contains("already saved"))
    );
}

#[test]
fn arrow_keys_move_the_selection_through_the_table() {
    let setup = Setup::new();
    let mut harness = setup.harness(None);
    press(&mut harness, Modifiers::NONE, Key::ArrowDown);
    assert_eq!(harness.state().state.selection.current, Some(0));
    press(&mut harness, Modifiers::NONE, Key::ArrowDown);
    press(&mut harness, Modifiers::NONE, Key::ArrowDown);
    assert_eq!(harness.state().state.selection.current, Some(2));
    press(&mut harness, Modifiers::NONE, Key::ArrowUp);
    assert_eq!(harness.state().state.selection.current, Some(1));
    harness.get_by_label("Workload name");
}

#[test]
fn the_user_name_for_history_is_a_preference() {
    let setup = Setup::new();
    let path = setup.plan_file("plan.ron");
    let mut harness = setup.harness(Some(path.clone()));
    harness
        .state_mut()
        .push(Action::Command(Command::ShowPreferences));
    harness.run_ok();
    replace_text(&mut harness, "Your name", "Dana Whitfield");
    harness.get_by_label("Save").click();
    harness.run_ok();
    assert_eq!(
        harness.state().state.preferences.user_name,
        "Dana Whitfield"
    );
    // The next save records it in the plan's history.
    replace_text(&mut harness, "Customer name", "Changed");
    unfocus(&mut harness);
    press(&mut harness, Modifiers::COMMAND, Key::S);
    let history = load_plan(&path).expect("load").0.plan.history;
    assert_eq!(
        history.last().map(|h| h.saved_by.as_str()),
        Some("Dana Whitfield")
    );
    // And it persists in the config dir.
    drop(harness);
    let harness = setup.harness(Some(path));
    assert_eq!(
        harness.state().state.preferences.user_name,
        "Dana Whitfield"
    );
}

#[test]
fn a_constraint_that_rules_out_the_current_destination_is_refused() {
    let setup = Setup::new();
    let mut harness = setup.harness(None);
    let mut exchange = harness.state().plan().workloads[0].clone();
    exchange.current = keyholder::model::Destination::MspHosted;
    harness
        .state_mut()
        .push(Action::Edit(keyholder::app::Edit::Workload {
            index: 0,
            workload: exchange,
        }));
    select(&mut harness, 0);
    harness.run_ok();
    harness.get_by_label("Data must stay on site").click();
    harness.run_ok();
    let w = &harness.state().plan().workloads[0];
    assert!(!w.constraints.data_must_stay_onsite, "refused");
    let status = harness.state().state.status.clone().unwrap_or_default();
    assert!(
        status.starts_with("Refused:") && status.contains("MSP-hosted is ruled out"),
        "{status}"
    );
}

#[test]
fn an_empty_name_or_a_taken_id_is_refused_at_the_field() {
    let setup = Setup::new();
    let mut harness = setup.harness(None);
    select(&mut harness, 0);
    harness.run_ok();
    harness.get_by_label("Workload name").focus();
    harness.run_ok();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.key_press(Key::Backspace);
    harness.run_ok();
    harness.get_by_label_contains("Refused: a workload needs a name");
    assert_eq!(harness.state().plan().workloads[0].name, "Exchange 2007");
    harness
        .get_by_label("Workload name")
        .type_text("Exchange Online");
    harness.run_ok();
    // A valid name is committed when the field is left (Enter, Tab or a click elsewhere).
    harness.key_press(Key::Enter);
    harness.run_ok();
    assert_eq!(harness.state().plan().workloads[0].name, "Exchange Online");

    replace_text(&mut harness, "Workload id", "sharepoint");
    harness.get_by_label_contains("Refused: id \"sharepoint\" is used by another workload");
    unfocus(&mut harness);
    assert_eq!(harness.state().plan().workloads[0].id, "exchange");
}
