//! Inventory import in the app (issue 8, item 5): off the window's thread with a progress
//! bar, Excel's encodings read as the command line reads them, the counts and the warnings
//! shown, and one step to give many imported servers their users.

use std::path::{Path, PathBuf};

use egui_kittest::kittest::Queryable;
use keyholder::app::{Action, Command, DialogOutcome, Modal};

use crate::harness::{Setup, act, select};

fn inventory(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/inventory")
        .join(name)
}

/// Imports `file` through File ▸ Import inventory… and waits for the background thread.
fn import(
    setup: &Setup,
    file: &Path,
) -> egui_kittest::Harness<'static, keyholder::app::KeyholderApp> {
    setup
        .dialogs
        .answer(DialogOutcome::Chosen(file.to_path_buf()));
    let mut harness = setup.harness(None);
    act(&mut harness, Action::Command(Command::ImportInventory));
    for _ in 0..500 {
        if !matches!(harness.state().state.modal, Some(Modal::Importing { .. })) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        harness.step();
    }
    harness.run_ok();
    harness
}

fn names(harness: &egui_kittest::Harness<'_, keyholder::app::KeyholderApp>) -> Vec<String> {
    harness
        .state()
        .plan()
        .workloads
        .iter()
        .map(|w| w.name.clone())
        .collect()
}

#[test]
fn a_windows_1252_inventory_keeps_every_letter_and_says_how_it_was_read() {
    let setup = Setup::new();
    let harness = import(&setup, &inventory("windows-1252.csv"));
    let names = names(&harness);
    assert!(names.iter().any(|n| n == "Müller-FS01"), "{names:?}");
    assert!(names.iter().any(|n| n == "Zürich – Exchange"), "{names:?}");
    assert!(names.iter().all(|n| !n.contains('\u{fffd}')));
    let shown = match &harness.state().state.modal {
        Some(Modal::Error { title, message }) => format!("{title}\n{message}"),
        _ => harness.state().state.status.clone().unwrap_or_default(),
    };
    assert!(shown.contains("4 imported"), "{shown}");
    assert!(shown.contains("Windows-1252"), "{shown}");
    // Servers come with 0 users: where that makes per-user prices look free, it is said.
    assert!(shown.contains("0 users"), "{shown}");
    assert!(
        harness.state().state.document.is_dirty(),
        "imported, not saved"
    );
}

#[test]
fn a_german_excel_export_is_read_with_its_decimal_commas() {
    let setup = Setup::new();
    let harness = import(&setup, &inventory("semicolon-windows-1252.csv"));
    assert_eq!(harness.state().plan().workloads.len(), 2);
    match &harness.state().state.modal {
        Some(Modal::Error { title, message }) => {
            assert!(
                title.contains("3 rows read, 2 imported, 1 rejected"),
                "{title}"
            );
            assert!(title.contains("semicolon"), "{title}");
            assert!(message.contains("line 4"), "{message}");
        }
        other => panic!("the rejected row is shown: {other:?}"),
    }
}

#[test]
fn a_file_that_cannot_be_imported_leaves_the_open_plan_and_says_why() {
    let setup = Setup::new();
    let harness = import(&setup, &inventory("unclosed-quote.csv"));
    assert_eq!(harness.state().plan().customer.name, "Harlow & Finch LLP");
    match &harness.state().state.modal {
        Some(Modal::Error { message, .. }) => assert!(message.contains(":3"), "{message}"),
        other => panic!("expected the refusal, got {other:?}"),
    }
}

#[test]
fn many_imported_servers_get_their_users_in_one_step() {
    let setup = Setup::new();
    let mut harness = import(&setup, &inventory("windows-1252.csv"));
    act(&mut harness, Action::CloseModal);
    let count = harness.state().plan().workloads.len();
    harness.get_by_label("Workloads").click();
    harness.run_ok();
    select(&mut harness, 0);
    act(
        &mut harness,
        Action::SelectWorkloads {
            current: Some(0),
            all: (0..count).collect(),
        },
    );
    harness.get_by_label_contains(&format!("{count} workloads selected"));
    let field = harness.get_by_label("Users for the selected workloads");
    field.focus();
    field.type_text("35");
    harness.run_ok();
    harness.get_by_label("Set users").click();
    harness.run_ok();
    assert!(
        harness
            .state()
            .plan()
            .workloads
            .iter()
            .all(|w| w.users == 35)
    );
    // One undo step brings them all back.
    act(&mut harness, Action::Command(Command::Undo));
    assert!(
        harness
            .state()
            .plan()
            .workloads
            .iter()
            .all(|w| w.users == 0)
    );
}
