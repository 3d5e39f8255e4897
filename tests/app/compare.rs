//! Comparing and merging a colleague's copy, plan history, and sync-client conflict copies.

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use keyholder::app::{Action, Command, Document, KeyholderApp, Tab, take_all_edit};
use keyholder::model::{Choice, Decimal, Destination, Plan, diff_plans};
use keyholder::storage::{conflict_copies, is_conflict_copy, load_plan, sample_plan, save_plan};

use crate::harness::{Setup, act};

/// The sample as a colleague sends it back (see also tests/diff.rs).
fn theirs() -> Plan {
    let mut plan = sample_plan().expect("sample");
    plan.customer.seats = 130;
    plan.workloads[0].name = "Exchange 2010".to_owned();
    let backup = plan.workload_index("backup").expect("backup");
    plan.workloads.remove(backup);
    for scenario in &mut plan.scenarios {
        scenario.choices.remove("backup");
    }
    let mut payroll = plan.workloads[1].clone();
    payroll.id = "payroll".to_owned();
    payroll.name = "Payroll".to_owned();
    plan.workloads.push(payroll);
    plan.scenarios[1]
        .choices
        .insert("sql".to_owned(), Choice::new(Destination::AzurePaas, 4));
    plan.scenarios.remove(2);
    plan.price_book.destinations.bpos.recurring[0].unit_price = Decimal::from(4);
    plan
}

#[test]
fn conflict_copies_are_recognised_by_their_names() {
    for name in [
        "plan (Dana Whitfield's conflicted copy 2010-03-01).ron",
        "plan (Case Conflict).ron",
        "plan-DESKTOP-4F2K9QL.ron",
        "plan-LAPTOP7.ron",
        "Plan (1).ron",
        "plan (1).ron",
        "plan(2).ron",
        "plan-conflict-20100301.ron",
    ] {
        assert!(is_conflict_copy("plan.ron", name), "{name}");
    }
    for name in [
        "plan.ron",
        "plan-v2.ron",
        "plan-V2.ron",
        "plan-EU.ron",
        "plan-FY26.ron",
        "planning.ron",
        "plan (copy).ron",
        "plan (1).csv",
        "plan-draft.ron",
        "other (1).ron",
    ] {
        assert!(!is_conflict_copy("plan.ron", name), "{name}");
    }
}

#[test]
fn conflict_copies_are_found_beside_the_file() {
    let setup = Setup::new();
    let folder = &setup.folder;
    for name in [
        "plan.ron",
        "plan (1).ron",
        "plan-DESKTOP-4F2K9QL.ron",
        "plan-v2.ron",
        "notes.txt",
    ] {
        std::fs::write(folder.path().join(name), "x").expect("write");
    }
    let found: Vec<String> = conflict_copies(&folder.path().join("plan.ron"))
        .iter()
        .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    assert_eq!(found, ["plan (1).ron", "plan-DESKTOP-4F2K9QL.ron"]);
}

#[test]
fn taking_everything_makes_the_plans_agree_and_undo_restores_mine() {
    let mine = sample_plan().expect("sample");
    let theirs = theirs();
    let diff = diff_plans(&mine, &theirs);
    let mut document = Document::new(mine.clone(), None, None);
    document.apply(take_all_edit(&mine, &theirs, &diff).expect("changes"), 0.0);
    assert!(
        !diff_plans(document.plan(), &theirs).has_changes(),
        "{:#?}",
        diff_plans(document.plan(), &theirs)
    );
    document.undo();
    assert_eq!(document.plan(), &mine);
    assert!(!document.is_dirty());
}

/// The app on `plan`, with the file dialogs answering `answers` (the last one first).
fn harness_with(
    setup: &Setup,
    plan: Option<PathBuf>,
    answers: &[PathBuf],
) -> Harness<'static, KeyholderApp> {
    for answer in answers.iter().rev() {
        setup.dialogs.choose(answer);
    }
    setup.harness(plan)
}

#[test]
fn takes_in_the_compare_view_are_undoable_one_by_one() {
    let setup = Setup::new();
    let folder = &setup.folder;
    let mine_path = folder.path().join("plan.ron");
    save_plan(&mine_path, &sample_plan().expect("sample")).expect("save");
    let theirs_path = folder.path().join("theirs.ron");
    save_plan(&theirs_path, &theirs()).expect("save");
    let mut harness = harness_with(&setup, Some(mine_path), &[theirs_path]);
    harness
        .state_mut()
        .push(Action::Command(Command::CompareWith));
    harness.run_ok();
    assert_eq!(harness.state().state.tab, Tab::Compare);
    harness.get_by_label_contains("+ Payroll (payroll) is only in theirs");

    harness.get_by_label("Add their workload Payroll").click();
    harness.run_ok();
    assert!(harness.state().plan().workload("payroll").is_some());
    harness.get_by_label("Take their customer").click();
    harness.run_ok();
    assert_eq!(harness.state().plan().customer.seats, 130);
    harness
        .get_by_label("Remove your scenario Keep anything we need admin on")
        .click();
    harness.run_ok();
    assert!(
        harness
            .state()
            .plan()
            .scenario("Keep anything we need admin on")
            .is_none()
    );

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_ok();
    assert!(
        harness
            .state()
            .plan()
            .scenario("Keep anything we need admin on")
            .is_some()
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_ok();
    assert_eq!(harness.state().plan().customer.seats, 120);

    harness.get_by_label("Take all their changes").click();
    harness.run_ok();
    harness.get_by_label("No differences in the plan.");
}

#[test]
fn a_conflict_copy_is_pointed_out_with_a_one_click_compare() {
    let setup = Setup::new();
    let folder = &setup.folder;
    let mine = folder.path().join("plan.ron");
    save_plan(&mine, &sample_plan().expect("sample")).expect("save");
    save_plan(
        &folder
            .path()
            .join("plan (Dana's conflicted copy 2010-03-01).ron"),
        &theirs(),
    )
    .expect("save");
    let mut harness = harness_with(&setup, Some(mine), &[]);
    harness.get_by_label("1 conflict copy beside this file:");
    harness
        .get_by_label("Compare plan (Dana's conflicted copy 2010-03-01).ron")
        .click();
    harness.run_ok();
    assert_eq!(harness.state().state.tab, Tab::Compare);
    harness.get_by_label_contains("- Backup server (backup) is only in yours");
}

#[test]
fn a_save_records_who_when_and_the_note() {
    let setup = Setup::new();
    let folder = &setup.folder;
    let path = folder.path().join("plan.ron");
    save_plan(&path, &sample_plan().expect("sample")).expect("save");
    let before = sample_plan().expect("sample").history.len();
    let mut harness = harness_with(&setup, Some(path.clone()), &[]);
    harness.state_mut().state.preferences.user_name = "Dana Whitfield".to_owned();
    let mut customer = harness.state().plan().customer.clone();
    customer.seats = 125;
    harness
        .state_mut()
        .push(Action::Edit(keyholder::app::Edit::Customer(Box::new(
            customer,
        ))));
    harness.state_mut().state.next_save_note = "Seat count from the March invoice".to_owned();
    harness.run_ok();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run_ok();
    let history = load_plan(&path).expect("load").0.plan.history;
    assert_eq!(history.len(), before + 1);
    let last = history.last().expect("entry");
    assert_eq!(last.saved_by, "Dana Whitfield");
    assert_eq!(last.note, "Seat count from the March invoice");
    assert!(
        last.saved_at.ends_with('Z') && last.saved_at.len() == 20,
        "{}",
        last.saved_at
    );
    assert!(harness.state().state.next_save_note.is_empty());
    // The history shows in the side panel.
    harness.get_by_label_contains("History (").click();
    harness.run_ok();
    harness.get_by_label_contains("Dana Whitfield: Seat count from the March invoice");
}

#[test]
fn workloads_go_out_to_csv_and_come_back_updated_by_id() {
    let setup = Setup::new();
    let folder = &setup.folder;
    let csv = folder.path().join("workloads.csv");
    // Dialog answers are popped from the end: export first, then import.
    let mut harness = harness_with(&setup, None, &[csv.clone(), csv.clone()]);
    harness
        .state_mut()
        .push(Action::Command(Command::ExportWorkloadsCsv));
    harness.run_ok();
    let text = std::fs::read_to_string(&csv).expect("written");
    assert!(
        text.starts_with('\u{feff}'),
        "Excel needs the byte-order mark"
    );
    // A colleague edits Exchange's users in Excel.
    let edited: String = text
        .lines()
        .map(|line| {
            if line.starts_with("exchange,") {
                line.replacen(",120,", ",150,", 1)
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\r\n");
    std::fs::write(&csv, edited).expect("write");
    harness
        .state_mut()
        .push(Action::Command(Command::ImportWorkloadsCsv));
    harness.run_ok();
    assert_eq!(
        harness.state().plan().workload("exchange").map(|w| w.users),
        Some(150)
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_ok();
    assert_eq!(
        harness.state().plan().workload("exchange").map(|w| w.users),
        Some(120)
    );
}

#[test]
fn a_colleagues_price_book_shows_its_changes_before_it_is_used() {
    let setup = Setup::new();
    let folder = &setup.folder;
    let book_path = folder.path().join("book.ron");
    let mut book = sample_plan().expect("sample").price_book;
    book.destinations.bpos.recurring[0].unit_price = Decimal::from(4);
    keyholder::storage::save_price_book(&book_path, &book).expect("save");
    let mut harness = harness_with(&setup, None, &[book_path]);
    harness
        .state_mut()
        .push(Action::Command(Command::ImportPriceBook));
    harness.run_ok();
    harness.get_by_label("1 value would change:");
    harness.get_by_label_contains("destinations.bpos.recurring[0].unit_price: 5 -> 4");
    harness.get_by_label("Use this price book").click();
    harness.run_ok();
    assert_eq!(
        harness
            .state()
            .plan()
            .price_book
            .destinations
            .bpos
            .recurring[0]
            .unit_price,
        Decimal::from(4)
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_ok();
    assert_eq!(
        harness
            .state()
            .plan()
            .price_book
            .destinations
            .bpos
            .recurring[0]
            .unit_price,
        Decimal::from(5)
    );
}

#[test]
fn a_windows_1252_csv_is_read_letter_for_letter() {
    let setup = Setup::new();
    let folder = &setup.folder;
    let csv = folder.path().join("latin1.csv");
    // "Müller" in Windows-1252, as some Excel versions save it.
    std::fs::write(&csv, b"id,name\nexchange,M\xfcller mail\n").expect("write");
    let mut harness = harness_with(&setup, None, &[csv]);
    let before = harness.state().plan().clone();
    harness
        .state_mut()
        .push(Action::Command(Command::ImportWorkloadsCsv));
    harness.run_ok();
    // Issue 8 item 5: Excel's Windows-1252 is decoded, never refused or garbled.
    let exchange = harness
        .state()
        .plan()
        .workload("exchange")
        .expect("exchange");
    assert_eq!(exchange.name, "Müller mail");
    harness.state_mut().push(Action::Command(Command::Undo));
    harness.run_ok();
    assert_eq!(harness.state().plan(), &before);
}

#[test]
fn a_comparison_belongs_to_the_plan_it_was_made_for() {
    let setup = Setup::new();
    let folder = &setup.folder;
    let theirs_path = folder.path().join("theirs.ron");
    save_plan(&theirs_path, &theirs()).expect("save");
    let mut harness = harness_with(&setup, None, &[]);
    act(&mut harness, Action::CompareWith(theirs_path.clone()));
    harness.state_mut().state.next_save_note = "for the law firm".to_owned();
    harness.run_ok();
    assert!(harness.state().state.comparison.is_some());
    let dental = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("saves")
        .join("dental-practice.ron");
    act(&mut harness, Action::OpenPath(dental.clone()));
    harness.run_ok();
    assert!(
        harness.state().state.comparison.is_none(),
        "not compared against another customer's copy"
    );
    assert!(harness.state().state.next_save_note.is_empty());
}

#[test]
fn a_price_book_in_another_currency_cannot_be_used_silently() {
    let setup = Setup::new();
    let folder = &setup.folder;
    let book_path = folder.path().join("euro.ron");
    let mut book = sample_plan().expect("sample").price_book;
    book.currency = "EUR".to_owned();
    keyholder::storage::save_price_book(&book_path, &book).expect("save");
    let mut harness = harness_with(&setup, None, &[book_path]);
    harness
        .state_mut()
        .push(Action::Command(Command::ImportPriceBook));
    harness.run_ok();
    harness.get_by_label_contains("Not usable: its currency is EUR, this plan's is USD");
    harness.get_by_label("Use this price book").click();
    harness.run_ok();
    assert_eq!(harness.state().plan().price_book.currency, "USD");
}
