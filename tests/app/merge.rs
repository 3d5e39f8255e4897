//! The three-way merge in the real app: a colleague's copy of the plan merged against the
//! version both started from (found by the content ids in the histories and the versions the
//! app keeps), takes with one click or all at once, conflicts decided per field, the effect
//! on the totals before the merge is applied, one undo step for the whole merge, conflict
//! copies merged in one action, and the two-way view when no common version is known.

use std::fs;
use std::path::{Path, PathBuf};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use keyholder::app::{Action, CommonVersion, Edit, KeyholderApp, Modal, Tab};
use keyholder::model::{ContentId, HistoryEntry, Plan, Workload};
use keyholder::storage::{
    Expect, content_id, load_plan, record_content_id, sample_plan, save_plan, save_plan_file,
};

use crate::harness::{Setup, act, press};

fn workload_mut<'a>(plan: &'a mut Plan, id: &str) -> &'a mut Workload {
    plan.workloads
        .iter_mut()
        .find(|w| w.id == id)
        .expect("workload")
}

/// A colleague's copy of the plan in `path` as their Keyholder writes it: opened (which
/// names the version opened in its last history entry), changed, saved (which records the
/// new version).
fn colleagues_save(from: &Path, to: &Path, who: &str, change: impl FnOnce(&mut Plan)) {
    let mut plan = load_plan(from).expect("their copy").0.plan;
    let opened = content_id(&plan);
    record_content_id(&mut plan, &opened);
    change(&mut plan);
    plan.history.push(HistoryEntry {
        saved_by: who.to_owned(),
        saved_at: "2010-03-02T09:00:00Z".to_owned(),
        note: format!("{who}'s changes"),
        keyholder_version: "0.1.0".to_owned(),
        content_id: None,
    });
    save_plan_file(to, &plan, &Expect::Replace, None).expect("their save");
}

/// Sam's copy: Exchange renamed, a 48-month horizon, a payroll workload.
fn sams_changes(plan: &mut Plan) {
    workload_mut(plan, "exchange").name = "Exchange 2010".to_owned();
    plan.assumptions.horizon_months = 48;
    let mut payroll = Workload::new(
        "payroll",
        "Payroll",
        keyholder::model::Category::LineOfBusiness,
    );
    payroll.users = 8;
    plan.workloads.push(payroll);
}

/// Edits the open plan as the views do.
fn edit(harness: &mut Harness<'_, KeyholderApp>, change: impl FnOnce(&mut Plan)) {
    let mut plan = harness.state().plan().clone();
    change(&mut plan);
    let edit = keyholder::app::edit_to(harness.state().plan(), &plan, false).expect("a change");
    act(harness, Action::Edit(edit));
}

/// Dana's changes: 130 seats, Exchange at `users`.
fn danas_changes(harness: &mut Harness<'_, KeyholderApp>, users: u32) {
    edit(harness, |plan| {
        plan.customer.seats = 130;
        workload_mut(plan, "exchange").users = users;
    });
}

fn is_disabled(harness: &Harness<'_, KeyholderApp>, label: &str) -> bool {
    harness.get_by_label(label).accesskit_node().is_disabled()
}

#[test]
fn two_colleagues_changes_merge_with_no_question_and_undo_as_one_step() {
    let setup = Setup::new();
    let plan = setup.plan_file("plan.ron");
    let copy = setup.path("plan (Sam's conflicted copy 2010-03-02).ron");
    colleagues_save(&plan, &copy, "Sam", sams_changes);
    let mut harness = setup.harness(Some(plan.clone()));
    danas_changes(&mut harness, 125);
    let before_merge = harness.state().plan().clone();

    harness
        .get_by_label("Compare plan (Sam's conflicted copy 2010-03-02).ron")
        .click();
    harness.run_ok();
    assert_eq!(harness.state().state.tab, Tab::Compare);
    let comparison = harness
        .state()
        .state
        .comparison
        .as_ref()
        .expect("comparing");
    assert!(
        matches!(&comparison.common, CommonVersion::Found { id, .. } if *id == content_id(&sample_plan().expect("sample"))),
        "the version both opened is the base"
    );
    harness.get_by_label_contains("Merging theirs: plan (Sam's conflicted copy 2010-03-02).ron");
    harness.get_by_label("Only theirs (3)");
    // My own edits are not offered as theirs.
    harness.get_by_label("Only yours (kept): 2");
    assert!(harness.query_by_label_contains("Both changed").is_none());

    // One take, one undo step.
    harness
        .get_by_label("Take their changes to Payroll (payroll)")
        .click();
    harness.run_ok();
    assert!(harness.state().plan().workload("payroll").is_some());
    assert_eq!(harness.state().plan().assumptions.horizon_months, 36);
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert!(harness.state().plan().workload("payroll").is_none());
    assert_eq!(harness.state().plan(), &before_merge);

    // The effect on the totals is shown before anything is applied: the horizon grows by a
    // year (and payroll is added), so every scenario's TCO changes.
    harness.get_by_label("Effect of the merge on the totals (yours now -> merged)");
    let effect = &harness
        .state()
        .state
        .comparison
        .as_ref()
        .expect("comparing")
        .effect;
    assert_eq!(effect.len(), 3);
    assert!(effect.iter().all(|t| t.old_tco_cents != t.new_tco_cents));

    harness.get_by_label("Apply merge").click();
    harness.run_ok();
    let merged = harness.state().plan();
    assert_eq!(merged.customer.seats, 130);
    let exchange = merged.workload("exchange").expect("exchange");
    assert_eq!(
        (exchange.users, exchange.name.as_str()),
        (125, "Exchange 2010")
    );
    assert_eq!(merged.assumptions.horizon_months, 48);
    assert!(merged.workload("payroll").is_some());
    assert!(
        merged.history.iter().any(|h| h.note == "Sam's changes"),
        "their saves join the history"
    );
    assert!(harness.state().state.comparison.is_none());
    assert_eq!(
        harness.state().state.next_save_note,
        "Merged plan (Sam's conflicted copy 2010-03-02).ron",
        "the next save says what was merged"
    );
    assert!(
        harness.state().state.status.as_deref().is_some_and(|s| s
            .starts_with("Merged plan (Sam's conflicted copy 2010-03-02).ron: 3 changes taken")),
        "{:?}",
        harness.state().state.status
    );

    // It was a conflict copy: offered a move to the backups folder.
    harness.get_by_label("Conflict copies merged");
    harness.get_by_label("Move to backups").click();
    harness.run_ok();
    assert!(!copy.exists());
    assert!(harness.state().state.conflict_copies.is_empty());
    let kept: Vec<PathBuf> = fs::read_dir(setup.path("data/backups"))
        .expect("backups")
        .flat_map(|slot| fs::read_dir(slot.expect("slot").path().join("merged")).expect("merged"))
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(
        load_plan(&kept[0])
            .expect("kept copy")
            .0
            .plan
            .assumptions
            .horizon_months,
        48
    );

    // The whole merge undoes as one step.
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(harness.state().plan(), &before_merge);
}

#[test]
fn a_field_both_changed_shows_base_yours_and_theirs_and_waits_for_a_pick() {
    let setup = Setup::new();
    let plan = setup.plan_file("plan.ron");
    let theirs = setup.path("sams-copy.ron");
    colleagues_save(&plan, &theirs, "Sam", |p| {
        workload_mut(p, "exchange").users = 130;
    });
    let mut harness = setup.harness(Some(plan));
    danas_changes(&mut harness, 125);
    act(&mut harness, Action::CompareWith(theirs));

    harness.get_by_label("Both changed (1): pick a side for each, 1 left");
    // Side by side: base 120, yours 125, theirs 130.
    harness.get_by_label("Exchange 2007 (exchange): users");
    let merge = harness
        .state()
        .state
        .comparison
        .as_ref()
        .and_then(|c| c.merge.as_ref())
        .expect("three-way");
    assert_eq!(
        merge.conflict_lines(),
        ["workloads[exchange].users: 120 -> 125 | 130"]
    );
    let yours = "Keep yours for workloads[exchange].users";
    let theirs_pick = "Take theirs for workloads[exchange].users";
    harness.get_by_label(yours);
    harness.get_by_label(theirs_pick);
    assert!(
        is_disabled(&harness, "Apply merge"),
        "nothing is applied undecided"
    );

    // "All collaboration to BPOS" moves Exchange to BPOS at 7.00 a user (Exchange Online
    // 5.00 + user administration 2.00); its run rate is 9,254.53 with 120 users:
    //   yours (125 users): 9,254.53 + 5 × 7.00 = 9,289.53
    //   theirs (130):      9,254.53 + 10 × 7.00 = 9,324.53
    // Undecided, the merged plan holds yours: no change.
    harness.get_by_label("9,289.53 (no change)");
    harness.get_by_label(theirs_pick).click();
    harness.run_ok();
    harness.get_by_label("9,289.53 -> 9,324.53");
    assert!(!is_disabled(&harness, "Apply merge"));
    harness.get_by_label("Both changed (1): pick a side for each");

    harness.get_by_label("Apply merge").click();
    harness.run_ok();
    assert_eq!(
        harness.state().plan().workload("exchange").map(|w| w.users),
        Some(130)
    );
    assert_eq!(harness.state().plan().customer.seats, 130, "mine kept");
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(
        harness.state().plan().workload("exchange").map(|w| w.users),
        Some(125)
    );
}

#[test]
fn take_all_their_changes_leaves_the_conflicts_to_decide() {
    let setup = Setup::new();
    let plan = setup.plan_file("plan.ron");
    let theirs = setup.path("sams-copy.ron");
    colleagues_save(&plan, &theirs, "Sam", |p| {
        sams_changes(p);
        workload_mut(p, "exchange").users = 130;
    });
    let mut harness = setup.harness(Some(plan));
    danas_changes(&mut harness, 125);
    act(&mut harness, Action::CompareWith(theirs));
    harness.get_by_label("Take all their changes (3)").click();
    harness.run_ok();
    let plan = harness.state().plan();
    assert!(plan.workload("payroll").is_some());
    assert_eq!(plan.assumptions.horizon_months, 48);
    assert_eq!(plan.workload("exchange").map(|w| w.users), Some(125));
    // What is left is the conflict.
    assert!(harness.query_by_label_contains("Only theirs").is_none());
    harness.get_by_label("Both changed (1): pick a side for each, 1 left");
    harness.get_by_label("Theirs for all").click();
    harness.run_ok();
    harness.get_by_label("Apply merge").click();
    harness.run_ok();
    assert_eq!(
        harness.state().plan().workload("exchange").map(|w| w.users),
        Some(130)
    );
}

#[test]
fn without_a_common_version_the_two_way_view_says_why() {
    let setup = Setup::new();
    let plan = setup.plan_file("plan.ron");
    // A copy changed and saved by a Keyholder that recorded no versions.
    let mut old = sample_plan().expect("sample");
    old.customer.seats = 140;
    let theirs = setup.write_plan("old-copy.ron", &old);
    let mut harness = setup.harness(Some(plan.clone()));
    act(&mut harness, Action::CompareWith(theirs));
    assert!(matches!(
        harness.state().state.comparison.as_ref().map(|c| &c.common),
        Some(CommonVersion::NotRecorded)
    ));
    harness.get_by_label_contains("No version both copies started from is recorded");
    harness.get_by_label("Take their customer");

    // Both name a version this computer never kept.
    let elsewhere = ContentId::new("ab".repeat(32));
    let mut named = sample_plan().expect("sample");
    named.history.push(HistoryEntry {
        saved_by: "Sam".to_owned(),
        saved_at: "2010-02-28T09:00:00Z".to_owned(),
        note: String::new(),
        keyholder_version: "0.1.0".to_owned(),
        content_id: Some(elsewhere.clone()),
    });
    save_plan(&plan, &named).expect("save");
    let mut their_named = named.clone();
    their_named.customer.seats = 150;
    let theirs = setup.write_plan("named-copy.ron", &their_named);
    act(&mut harness, Action::OpenPath(plan));
    act(&mut harness, Action::CompareWith(theirs));
    assert_eq!(
        harness
            .state()
            .state
            .comparison
            .as_ref()
            .map(|c| c.common.clone()),
        Some(CommonVersion::NotKept(elsewhere))
    );
    harness.get_by_label_contains("but this computer does not keep it");
}

#[test]
fn merge_them_merges_every_conflict_copy_and_stops_at_a_conflict() {
    let setup = Setup::new();
    let plan = setup.plan_file("plan.ron");
    let first = setup.path("plan (1).ron");
    colleagues_save(&plan, &first, "Sam", |p| p.assumptions.horizon_months = 48);
    let second = setup.path("plan-DESKTOP-4F2K9QL.ron");
    colleagues_save(&plan, &second, "Lee", |p| {
        workload_mut(p, "sql").users = 40;
    });
    let mut harness = setup.harness(Some(plan.clone()));
    harness.get_by_label("2 conflict copies beside this file:");
    harness.get_by_label("Merge the conflict copies").click();
    harness.run_ok();
    let merged = harness.state().plan();
    assert_eq!(merged.assumptions.horizon_months, 48);
    assert_eq!(merged.workload("sql").map(|w| w.users), Some(40));
    harness.get_by_label("plan (1).ron: merged (1 change taken)");
    harness.get_by_label("plan-DESKTOP-4F2K9QL.ron: merged (1 change taken)");
    harness.get_by_label("Leave them").click();
    harness.run_ok();
    assert!(first.exists() && second.exists(), "left where they are");
    // Each copy was its own undo step.
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(
        harness.state().plan().workload("sql").map(|w| w.users),
        Some(0)
    );
    assert_eq!(harness.state().plan().assumptions.horizon_months, 48);

    // Now I change SQL's users too: the first copy is merged already (nothing more to take),
    // the second changes what I changed and opens for me to decide.
    let mut sql = harness.state().plan().workload("sql").expect("sql").clone();
    sql.users = 30;
    let index = harness.state().plan().workload_index("sql").expect("sql");
    act(
        &mut harness,
        Action::Edit(Edit::Workload {
            index,
            workload: sql,
        }),
    );
    harness.get_by_label("Merge the conflict copies").click();
    harness.run_ok();
    harness.get_by_label("plan (1).ron: merged (0 changes taken)");
    harness.get_by_label("plan-DESKTOP-4F2K9QL.ron: 1 conflict with your changes: pick a side for each in the Compare view, then Apply merge");
    harness.get_by_label("Leave them").click();
    harness.run_ok();
    assert_eq!(harness.state().state.tab, Tab::Compare);
    harness.get_by_label("Both changed (1): pick a side for each, 1 left");
    assert_eq!(
        harness.state().plan().workload("sql").map(|w| w.users),
        Some(30)
    );
}

#[test]
fn a_colleagues_save_over_the_file_is_merged_from_the_conflict_question_then_saved() {
    let setup = Setup::new();
    let path = setup.plan_file("shared.ron");
    let mut harness = setup.harness(Some(path.clone()));
    danas_changes(&mut harness, 120);
    // Sam saves over the shared file meanwhile.
    colleagues_save(&path, &path, "Sam", sams_changes);
    press(&mut harness, Modifiers::COMMAND, Key::S);
    assert!(matches!(
        harness.state().state.modal,
        Some(Modal::Conflict { .. })
    ));
    harness.get_by_label("Compare with their version").click();
    harness.run_ok();
    harness.get_by_label("Only theirs (3)");
    harness.get_by_label("Apply merge").click();
    harness.run_ok();
    // Their version is merged in: Save replaces it without asking again, with both.
    press(&mut harness, Modifiers::COMMAND, Key::S);
    assert!(
        harness.state().state.modal.is_none(),
        "{:?}",
        harness.state().state.modal
    );
    assert!(!harness.state().state.document.is_dirty());
    let saved = load_plan(&path).expect("saved").0.plan;
    assert_eq!(saved.customer.seats, 130);
    assert_eq!(saved.assumptions.horizon_months, 48);
    assert!(saved.workload("payroll").is_some());
    // The save names what it wrote, and the version is kept for the next merge.
    let id = saved
        .history
        .last()
        .and_then(|h| h.content_id.clone())
        .expect("recorded");
    assert_eq!(id, content_id(&saved));
    assert_eq!(harness.state().state.opened_version.as_ref(), Some(&id));
    assert!(keyholder::storage::bases::find_base(&setup.path("data/bases"), &id).is_some());
}
