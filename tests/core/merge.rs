//! Three-way merge of two copies of a plan against the version both started from: worked
//! examples on the sample law firm, and properties over generated pairs of copies (a copy
//! merged with itself changes nothing; changes to different parts never conflict and both
//! survive; the merge is the same whichever copy is "mine", up to the side conflicts take).

use std::collections::BTreeSet;

use keyholder::model::{
    ChangeKey, ChangeKind, Choice, ContentId, Decimal, Destination, Evaluation, HistoryEntry, Part,
    Picks, Plan, RateList, Side, Workload, merge_effect, merge_plans,
};
use keyholder::storage::{content_id, content_text, id_of_content_text, plan_to_ron, sample_plan};
use proptest::collection::vec;
use proptest::prelude::*;

fn base() -> Plan {
    sample_plan().expect("sample")
}

fn workload_mut<'a>(plan: &'a mut Plan, id: &str) -> &'a mut Workload {
    plan.workloads
        .iter_mut()
        .find(|w| w.id == id)
        .expect("workload")
}

fn key(part: Part, field: &str) -> ChangeKey {
    ChangeKey {
        part,
        field: field.to_owned(),
    }
}

/// The law firm as two colleagues change it: Dana (mine) grows Exchange to 130 users and
/// the seat count to 130; Sam (theirs) renames Exchange, lengthens the horizon, takes the
/// backup server out and adds payroll, and cuts the Exchange Online price to 4.00.
fn colleagues() -> (Plan, Plan, Plan) {
    let base = base();
    let mut mine = base.clone();
    workload_mut(&mut mine, "exchange").users = 130;
    mine.customer.seats = 130;
    let mut theirs = base.clone();
    workload_mut(&mut theirs, "exchange").name = "Exchange 2010".to_owned();
    theirs.assumptions.horizon_months = 48;
    theirs.workloads.retain(|w| w.id != "backup");
    for scenario in &mut theirs.scenarios {
        scenario.choices.remove("backup");
    }
    let mut payroll = Workload::new(
        "payroll",
        "Payroll",
        keyholder::model::Category::LineOfBusiness,
    );
    payroll.users = 8;
    theirs.workloads.push(payroll);
    theirs.price_book.destinations.bpos.recurring[0].unit_price = Decimal::from(4);
    (base, mine, theirs)
}

#[test]
fn changes_to_different_fields_and_workloads_all_survive_with_no_question() {
    let (base, mine, theirs) = colleagues();
    let merge = merge_plans(&base, &mine, &theirs, &Picks::default());
    assert_eq!(merge.count(ChangeKind::Conflict), 0, "{:#?}", merge.parts);
    let plan = &merge.plan;
    let exchange = plan.workload("exchange").expect("exchange");
    assert_eq!(
        (exchange.users, exchange.name.as_str()),
        (130, "Exchange 2010")
    );
    assert_eq!(plan.customer.seats, 130);
    assert_eq!(plan.assumptions.horizon_months, 48);
    assert!(plan.workload("backup").is_none());
    assert!(plan.workload("payroll").is_some());
    assert!(
        plan.scenarios
            .iter()
            .all(|s| !s.choices.contains_key("backup")),
        "the backup server's choices went with it"
    );
    assert_eq!(
        plan.price_book.destinations.bpos.recurring[0].unit_price,
        Decimal::from(4)
    );
    // Payroll lands where Sam put it: last, after the domain controllers.
    assert_eq!(
        plan.workloads.last().map(|w| w.id.as_str()),
        Some("payroll")
    );

    // Who changed what.
    let mine_only: Vec<String> = merge
        .changes_of(ChangeKind::Mine)
        .map(|(p, c)| p.key(c).to_string())
        .collect();
    assert_eq!(mine_only, ["customer.seats", "workloads[exchange].users"]);
    let theirs_only: Vec<String> = merge
        .changes_of(ChangeKind::Theirs)
        .map(|(p, c)| p.key(c).to_string())
        .collect();
    assert_eq!(
        theirs_only,
        [
            "assumptions.horizon_months",
            "price_book.destinations.bpos.recurring[\"Exchange Online\"].unit_price",
            "workloads[exchange].name",
            // In plan order: Sam put payroll after the domain controllers, before backup.
            "workloads[payroll]",
            "workloads[backup]",
        ]
    );
    let (part, change) = merge
        .changes_of(ChangeKind::Theirs)
        .find(|(p, _)| p.part == Part::Workload("backup".to_owned()))
        .expect("backup");
    assert_eq!(part.label, "Backup server (backup)");
    assert_eq!(change.describe(Side::Theirs), "removed");
}

#[test]
fn a_field_both_changed_is_a_conflict_with_base_mine_and_theirs() {
    let base = base();
    let mut mine = base.clone();
    workload_mut(&mut mine, "exchange").users = 125;
    let mut theirs = base.clone();
    workload_mut(&mut theirs, "exchange").users = 130;
    workload_mut(&mut theirs, "exchange").storage_gb = Decimal::from(700);

    let merge = merge_plans(&base, &mine, &theirs, &Picks::default());
    assert_eq!(
        merge.conflict_lines(),
        ["workloads[exchange].users: 120 -> 125 | 130"]
    );
    assert_eq!(merge.unresolved(), 1);
    // Until someone picks, the merged plan holds mine; theirs' other change is taken.
    let exchange = merge.plan.workload("exchange").expect("exchange");
    assert_eq!(
        (exchange.users, exchange.storage_gb),
        (125, Decimal::from(700))
    );

    let theirs_wins = merge_plans(&base, &mine, &theirs, &Picks::prefer(Side::Theirs));
    assert_eq!(theirs_wins.unresolved(), 0);
    assert_eq!(
        theirs_wins.plan.workload("exchange").map(|w| w.users),
        Some(130)
    );

    // Picked one by one, a pick beats the preference.
    let mut picks = Picks::prefer(Side::Theirs);
    picks.decided.insert(
        key(Part::Workload("exchange".to_owned()), "users"),
        Side::Mine,
    );
    let picked = merge_plans(&base, &mine, &theirs, &picks);
    assert_eq!(picked.plan.workload("exchange").map(|w| w.users), Some(125));
    let (_, conflict) = picked
        .changes_of(ChangeKind::Conflict)
        .next()
        .expect("conflict");
    assert_eq!(conflict.resolution, Some(Side::Mine));
}

#[test]
fn the_same_change_on_both_sides_is_no_conflict() {
    let base = base();
    let mut mine = base.clone();
    mine.customer.seats = 140;
    let theirs = mine.clone();
    let merge = merge_plans(&base, &mine, &theirs, &Picks::default());
    assert_eq!(merge.count(ChangeKind::Conflict), 0);
    assert_eq!(merge.count(ChangeKind::Both), 1);
    assert_eq!(merge.plan, mine);
}

#[test]
fn a_workload_one_side_removed_and_the_other_changed_is_a_conflict() {
    let base = base();
    // Mine changes the backup server's storage and its move in one scenario.
    let mut mine = base.clone();
    workload_mut(&mut mine, "backup").storage_gb = Decimal::from(3000);
    mine.scenarios[2]
        .choices
        .insert("backup".to_owned(), Choice::new(Destination::AzureIaas, 6));
    // Theirs removes it (and so its choices).
    let mut theirs = base.clone();
    theirs.workloads.retain(|w| w.id != "backup");
    for scenario in &mut theirs.scenarios {
        scenario.choices.remove("backup");
    }
    let merge = merge_plans(&base, &mine, &theirs, &Picks::default());
    assert_eq!(
        merge.conflict_lines(),
        [
            "workloads[backup]: Backup server (backup) -> changed (storage_gb, its choice in \"Keep anything we need admin on\") | removed"
        ]
    );
    // Unresolved: mine, with its choice.
    let kept = &merge.plan;
    assert!(kept.workload("backup").is_some());
    assert_eq!(
        kept.scenarios[2]
            .choices
            .get("backup")
            .map(|c| c.destination),
        Some(Destination::AzureIaas)
    );
    // Theirs: gone, with every choice.
    let removed = merge_plans(&base, &mine, &theirs, &Picks::prefer(Side::Theirs)).plan;
    assert!(removed.workload("backup").is_none());
    assert!(
        removed
            .scenarios
            .iter()
            .all(|s| !s.choices.contains_key("backup"))
    );
}

#[test]
fn a_removal_of_an_unchanged_workload_is_taken_and_a_changed_scenario_survives() {
    let base = base();
    // Mine moves SharePoint later in the BPOS scenario; theirs drops live meeting entirely.
    let mut mine = base.clone();
    mine.scenarios[1]
        .choices
        .get_mut("sharepoint")
        .expect("choice")
        .move_month = 9;
    let mut theirs = base.clone();
    theirs.workloads.retain(|w| w.id != "live-meeting");
    for scenario in &mut theirs.scenarios {
        scenario.choices.remove("live-meeting");
    }
    let merge = merge_plans(&base, &mine, &theirs, &Picks::default());
    assert_eq!(merge.count(ChangeKind::Conflict), 0, "{:#?}", merge.parts);
    let scenario = &merge.plan.scenarios[1];
    assert_eq!(
        scenario.choices.get("sharepoint").map(|c| c.move_month),
        Some(9)
    );
    assert!(!scenario.choices.contains_key("live-meeting"));
    // The scenario's only listed change is mine: the removed workload's choices went with it.
    let scenario_changes: Vec<String> = merge
        .parts
        .iter()
        .filter(|p| matches!(p.part, Part::Scenario(_)))
        .flat_map(|p| p.changes.iter().map(move |c| p.key(c).to_string()))
        .collect();
    assert_eq!(
        scenario_changes,
        ["scenarios[\"All collaboration to BPOS\"].choices.sharepoint"]
    );
}

#[test]
fn one_take_takes_only_that_parts_changes() {
    let (base, mine, theirs) = colleagues();
    let take = merge_plans(
        &base,
        &mine,
        &theirs,
        &Picks::only(Part::Workload("payroll".to_owned())),
    )
    .plan;
    assert!(take.workload("payroll").is_some());
    // Nothing else of theirs came along.
    assert!(take.workload("backup").is_some());
    assert_eq!(take.assumptions.horizon_months, 36);
    assert_eq!(
        take.workload("exchange").map(|w| w.name.as_str()),
        Some("Exchange 2007")
    );
    // And mine is untouched.
    assert_eq!(take.customer.seats, 130);
}

#[test]
fn rate_lines_and_control_dimensions_merge_one_by_one() {
    let base = base();
    let mut mine = base.clone();
    mine.price_book.destinations.bpos.recurring[0].unit_price = Decimal::from(4);
    mine.control_model.dimensions[0].weight = Decimal::from(6);
    let mut theirs = base.clone();
    theirs.price_book.destinations.bpos.recurring[1].unit_price = Decimal::new(5, 0);
    theirs.control_model.dimensions[1].levels.bpos = Decimal::from(10);
    theirs.price_book.hours_per_month = Decimal::from(744);
    let merge = merge_plans(&base, &mine, &theirs, &Picks::default());
    assert_eq!(merge.count(ChangeKind::Conflict), 0);
    let bpos = &merge.plan.price_book.destinations.bpos;
    assert_eq!(bpos.recurring[0].unit_price, Decimal::from(4));
    assert_eq!(bpos.recurring[1].unit_price, Decimal::from(5));
    assert_eq!(merge.plan.price_book.hours_per_month, Decimal::from(744));
    assert_eq!(
        merge.plan.control_model.dimensions[0].weight,
        Decimal::from(6)
    );
    assert_eq!(
        merge.plan.control_model.dimensions[1].levels.bpos,
        Decimal::from(10)
    );
    let theirs_keys: Vec<String> = merge
        .changes_of(ChangeKind::Theirs)
        .map(|(p, c)| p.key(c).to_string())
        .collect();
    assert_eq!(
        theirs_keys,
        [
            "price_book.hours_per_month",
            "price_book.destinations.bpos.recurring[\"SharePoint Online\"].unit_price",
            "control_model.dimensions[\"Network\"].levels.bpos",
        ]
    );
    // The same line changed on both sides is a conflict at the line's field.
    let mut theirs = base.clone();
    theirs.price_book.destinations.bpos.recurring[0].unit_price = Decimal::new(45, 1);
    let merge = merge_plans(&base, &mine, &theirs, &Picks::default());
    assert_eq!(
        merge.conflict_lines(),
        ["price_book.destinations.bpos.recurring[\"Exchange Online\"].unit_price: 5 -> 4 | 4.5"]
    );
    assert_eq!(
        merge.parts[0].part,
        Part::RateLine {
            destination: Destination::Bpos,
            list: RateList::Recurring,
            label: "Exchange Online".to_owned(),
            occurrence: 0,
        }
    );
}

#[test]
fn the_effect_on_the_totals_is_worked_out_for_every_scenario() {
    let (base, mine, theirs) = colleagues();
    // Only the price cut here, so the effect can be checked by hand.
    let mut theirs_price = base.clone();
    theirs_price.price_book = theirs.price_book.clone();
    let merge = merge_plans(&base, &mine, &theirs_price, &Picks::default());
    let effect = merge_effect(&mine, &Evaluation::new(&mine), &merge.plan);
    let names: Vec<&str> = effect.iter().map(|t| t.scenario.as_str()).collect();
    assert_eq!(
        names,
        [
            "Status quo",
            "All collaboration to BPOS",
            "Keep anything we need admin on"
        ]
    );
    // Status quo: nothing is on BPOS, so the price of Exchange Online changes nothing.
    assert_eq!(effect[0].old_run_rate_cents, effect[0].new_run_rate_cents);
    // "All collaboration to BPOS" (report: 9,254.53 a month with 120 users on Exchange):
    // Exchange on BPOS costs users × (Exchange Online + user administration 2.00).
    //   mine:   9,254.53 − 120 × 7.00 + 130 × 7.00 = 9,254.53 + 70.00 = 9,324.53
    //   merged: 9,254.53 − 120 × 7.00 + 130 × 6.00 = 9,254.53 − 60.00 = 9,194.53
    assert_eq!(effect[1].old_run_rate_cents, Some(932_453));
    assert_eq!(effect[1].new_run_rate_cents, Some(919_453));
    // "Keep anything we need admin on" (7,508.23): the same 10 users more, 1.00 less each
    // on all 130: 7,508.23 + 70.00 = 7,578.23, then − 130.00 = 7,448.23.
    assert_eq!(effect[2].old_run_rate_cents, Some(757_823));
    assert_eq!(effect[2].new_run_rate_cents, Some(744_823));
    // Control does not depend on prices.
    assert_eq!(effect[1].old_control_score, effect[1].new_control_score);
}

#[test]
fn histories_are_joined_and_the_lineage_names_every_saved_version() {
    let base = base();
    let id = content_id(&base);
    let entry = |who: &str, id: &ContentId| HistoryEntry {
        saved_by: who.to_owned(),
        saved_at: "2010-03-01T09:00:00Z".to_owned(),
        note: String::new(),
        keyholder_version: "0.1.0".to_owned(),
        content_id: Some(id.clone()),
    };
    let mut shared = base.clone();
    shared.history.push(entry("Dana", &id));
    let mut mine = shared.clone();
    mine.customer.seats = 121;
    let mine_id = content_id(&mine);
    mine.history.push(entry("Dana", &mine_id));
    let mut theirs = shared.clone();
    theirs.customer.sites = 3;
    let theirs_id = content_id(&theirs);
    theirs.history.push(entry("Sam", &theirs_id));

    let merged = merge_plans(&shared, &mine, &theirs, &Picks::default()).plan;
    let lineage: Vec<&ContentId> = merged.lineage();
    assert_eq!(lineage, [&theirs_id, &mine_id, &id]);
    assert_eq!(merged.history.len(), shared.history.len() + 2);
}

#[test]
fn the_content_id_ignores_history_and_names_the_content() {
    let plan = base();
    let mut saved_again = plan.clone();
    saved_again.history.push(HistoryEntry {
        saved_by: "Sam".to_owned(),
        saved_at: "2010-04-01T00:00:00Z".to_owned(),
        note: "no change".to_owned(),
        keyholder_version: "0.1.0".to_owned(),
        content_id: None,
    });
    assert_eq!(content_id(&plan), content_id(&saved_again));
    let mut changed = plan.clone();
    changed.customer.seats += 1;
    assert_ne!(content_id(&plan), content_id(&changed));
    // The id is the SHA-256 of the plan's file text with an empty history.
    let text = content_text(&plan);
    let mut without_history = plan.clone();
    without_history.history.clear();
    assert_eq!(text, plan_to_ron(&without_history));
    let id = id_of_content_text(&text);
    assert_eq!(id.as_str().len(), 64);
    assert!(id.as_str().bytes().all(|b| b.is_ascii_hexdigit()));
    // The well-known digest of the empty text, so the hash is SHA-256 and written in hex.
    assert_eq!(
        id_of_content_text("").as_str(),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

// ---------------------------------------------------------------------------------------
// Generated copies.

/// One change a colleague makes, to one part of the law firm's plan ("slot").
#[derive(Debug, Clone)]
enum Edit {
    Seats(u32),
    Contact(String),
    Horizon(u32),
    Growth(i64),
    /// To the workload at this index of the base.
    Users(usize, u32),
    Rename(usize, String),
    Storage(usize, u32),
    Remove(usize),
    /// The workload's choice in a scenario (1 or 2): destination index and month, or none.
    Choose(usize, usize, Option<(usize, u32)>),
    /// A new workload with this id suffix.
    Add(u32),
    Price(usize, u32),
    Weight(usize, u32),
    ScenarioNotes(usize, String),
    AddScenario(u32),
}

impl Edit {
    /// What the edit touches: edits of different slots never overlap.
    fn slot(&self) -> String {
        match self {
            Self::Seats(_) => "seats".to_owned(),
            Self::Contact(_) => "contact".to_owned(),
            Self::Horizon(_) => "horizon".to_owned(),
            Self::Growth(_) => "growth".to_owned(),
            Self::Users(w, _)
            | Self::Rename(w, _)
            | Self::Storage(w, _)
            | Self::Remove(w)
            | Self::Choose(w, _, _) => format!("workload {w}"),
            Self::Add(n) => format!("add {n}"),
            Self::Price(line, _) => format!("price {line}"),
            Self::Weight(d, _) => format!("weight {d}"),
            Self::ScenarioNotes(s, _) => format!("notes {s}"),
            Self::AddScenario(n) => format!("scenario {n}"),
        }
    }

    fn apply(&self, plan: &mut Plan, side: &str) {
        let base_ids: Vec<String> = base().workloads.iter().map(|w| w.id.clone()).collect();
        let find = |plan: &mut Plan, w: usize| -> Option<usize> {
            plan.workloads.iter().position(|x| x.id == base_ids[w])
        };
        match self {
            Self::Seats(n) => plan.customer.seats = *n,
            Self::Contact(text) => plan.customer.contact.clone_from(text),
            Self::Horizon(n) => plan.assumptions.horizon_months = *n,
            Self::Growth(n) => plan.assumptions.growth_pct = Decimal::new(*n, 1),
            Self::Users(w, n) => {
                if let Some(i) = find(plan, *w) {
                    plan.workloads[i].users = *n;
                }
            }
            Self::Rename(w, name) => {
                if let Some(i) = find(plan, *w) {
                    plan.workloads[i].name.clone_from(name);
                }
            }
            Self::Storage(w, gb) => {
                if let Some(i) = find(plan, *w) {
                    plan.workloads[i].storage_gb = Decimal::from(*gb);
                }
            }
            Self::Remove(w) => {
                if let Some(i) = find(plan, *w) {
                    let id = plan.workloads.remove(i).id;
                    for s in &mut plan.scenarios {
                        s.choices.remove(&id);
                    }
                }
            }
            Self::Choose(w, s, choice) => {
                let id = base_ids[*w].clone();
                // As in the app: only a workload the copy has can be chosen for.
                if find(plan, *w).is_none() {
                    return;
                }
                if let Some(scenario) = plan.scenarios.get_mut(*s) {
                    match choice {
                        Some((d, month)) => {
                            scenario
                                .choices
                                .insert(id, Choice::new(Destination::ALL[*d], *month));
                        }
                        None => {
                            scenario.choices.remove(&id);
                        }
                    }
                }
            }
            Self::Add(n) => {
                let id = format!("{side}-{n}");
                plan.workloads.push(Workload::new(
                    &id,
                    &format!("New {id}"),
                    keyholder::model::Category::Other,
                ));
            }
            Self::Price(line, cents) => {
                let lines = &mut plan.price_book.destinations.on_premises.recurring;
                if let Some(l) = lines.get_mut(*line) {
                    l.unit_price = Decimal::new(i64::from(*cents), 2);
                }
            }
            Self::Weight(d, weight) => {
                if let Some(dimension) = plan.control_model.dimensions.get_mut(*d) {
                    dimension.weight = Decimal::from(*weight);
                }
            }
            Self::ScenarioNotes(s, text) => {
                if let Some(scenario) = plan.scenarios.get_mut(*s) {
                    scenario.notes.clone_from(text);
                }
            }
            Self::AddScenario(n) => plan.scenarios.push(keyholder::model::Scenario {
                name: format!("{side} scenario {n}"),
                ..Default::default()
            }),
        }
    }
}

fn edit() -> impl Strategy<Value = Edit> {
    let workload = 0usize..11;
    let words = "[a-z ]{1,12}";
    prop_oneof![
        (0u32..500).prop_map(Edit::Seats),
        words.prop_map(Edit::Contact),
        (1u32..=120).prop_map(Edit::Horizon),
        (0i64..100).prop_map(Edit::Growth),
        (workload.clone(), 0u32..1000).prop_map(|(w, n)| Edit::Users(w, n)),
        (workload.clone(), words).prop_map(|(w, n)| Edit::Rename(w, n)),
        (workload.clone(), 0u32..5000).prop_map(|(w, n)| Edit::Storage(w, n)),
        workload.clone().prop_map(Edit::Remove),
        (workload, 1usize..3, prop::option::of((0usize..5, 0u32..40)))
            .prop_map(|(w, s, c)| Edit::Choose(w, s, c)),
        (0u32..4).prop_map(Edit::Add),
        (0usize..5, 0u32..20_000).prop_map(|(l, c)| Edit::Price(l, c)),
        (0usize..8, 0u32..40).prop_map(|(d, w)| Edit::Weight(d, w)),
        (0usize..3, words).prop_map(|(s, n)| Edit::ScenarioNotes(s, n)),
        (0u32..3).prop_map(Edit::AddScenario),
    ]
}

fn apply_all(edits: &[Edit], side: &str) -> Plan {
    let mut plan = base();
    for edit in edits {
        edit.apply(&mut plan, side);
    }
    plan
}

/// Plans compared with workloads, scenarios and history in a fixed order (a merge keeps
/// mine's order and puts theirs' additions after their neighbours, so order depends on
/// which copy is mine).
fn normalized(plan: &Plan) -> Plan {
    let mut plan = plan.clone();
    plan.workloads.sort_by(|a, b| a.id.cmp(&b.id));
    plan.scenarios.sort_by(|a, b| a.name.cmp(&b.name));
    plan.history.sort_by(|a, b| {
        (&a.saved_at, &a.saved_by, &a.note).cmp(&(&b.saved_at, &b.saved_by, &b.note))
    });
    plan
}

/// Edits split between two copies, no slot edited by both.
fn disjoint_edits() -> impl Strategy<Value = (Vec<Edit>, Vec<Edit>)> {
    vec((edit(), any::<bool>()), 0..16).prop_map(|edits| {
        let mut slots = BTreeSet::new();
        let (mut mine, mut theirs) = (Vec::new(), Vec::new());
        for (edit, to_mine) in edits {
            if slots.insert(edit.slot()) {
                if to_mine {
                    mine.push(edit);
                } else {
                    theirs.push(edit);
                }
            }
        }
        (mine, theirs)
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 96,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn merging_a_copy_with_itself_changes_nothing(edits in vec(edit(), 0..12)) {
        let base = base();
        let copy = apply_all(&edits, "m");
        let merge = merge_plans(&base, &copy, &copy, &Picks::default());
        prop_assert_eq!(&merge.plan, &copy);
        prop_assert_eq!(merge.count(ChangeKind::Conflict), 0);
        prop_assert_eq!(merge.count(ChangeKind::Theirs), 0);
        prop_assert_eq!(merge.count(ChangeKind::Mine), 0);
        // Nor does merging a copy with the unchanged base, either way round.
        let theirs_unchanged = merge_plans(&base, &copy, &base, &Picks::default());
        prop_assert_eq!(&theirs_unchanged.plan, &copy);
        prop_assert_eq!(theirs_unchanged.count(ChangeKind::Conflict), 0);
        let mine_unchanged = merge_plans(&base, &base, &copy, &Picks::default());
        prop_assert_eq!(normalized(&mine_unchanged.plan), normalized(&copy));
        prop_assert_eq!(mine_unchanged.count(ChangeKind::Conflict), 0);
    }

    #[test]
    fn disjoint_changes_never_conflict_and_both_survive((mine_edits, theirs_edits) in disjoint_edits()) {
        let base = base();
        let mine = apply_all(&mine_edits, "m");
        let theirs = apply_all(&theirs_edits, "t");
        let mut both = base.clone();
        for edit in &mine_edits {
            edit.apply(&mut both, "m");
        }
        for edit in &theirs_edits {
            edit.apply(&mut both, "t");
        }
        let merge = merge_plans(&base, &mine, &theirs, &Picks::default());
        prop_assert_eq!(merge.conflict_lines(), Vec::<String>::new());
        prop_assert_eq!(normalized(&merge.plan), normalized(&both));
    }

    #[test]
    fn the_merge_is_the_same_whichever_copy_is_mine(
        mine_edits in vec(edit(), 0..12),
        theirs_edits in vec(edit(), 0..12),
    ) {
        let base = base();
        let mine = apply_all(&mine_edits, "m");
        let theirs = apply_all(&theirs_edits, "t");
        // Conflicts go to the same copy both times: mine's here, so "theirs" when swapped.
        let forward = merge_plans(&base, &mine, &theirs, &Picks::prefer(Side::Mine));
        let backward = merge_plans(&base, &theirs, &mine, &Picks::prefer(Side::Theirs));
        prop_assert_eq!(normalized(&forward.plan), normalized(&backward.plan));
        let conflicts = |merge: &keyholder::model::PlanMerge| -> BTreeSet<String> {
            merge
                .changes_of(ChangeKind::Conflict)
                .map(|(p, c)| p.key(c).to_string())
                .collect()
        };
        prop_assert_eq!(conflicts(&forward), conflicts(&backward));
        prop_assert_eq!(forward.count(ChangeKind::Mine), backward.count(ChangeKind::Theirs));
        prop_assert_eq!(forward.count(ChangeKind::Theirs), backward.count(ChangeKind::Mine));
        prop_assert_eq!(forward.count(ChangeKind::Both), backward.count(ChangeKind::Both));
        // The conflicts left open hold mine, so with no preference the result is mine's
        // choice in every conflict.
        let open = merge_plans(&base, &mine, &theirs, &Picks::default());
        prop_assert_eq!(&open.plan, &forward.plan);
    }
}

#[test]
fn a_generated_pair_with_edits_to_the_same_field_conflicts_once() {
    let base = base();
    let mine = apply_all(&[Edit::Users(0, 150)], "m");
    let theirs = apply_all(
        &[Edit::Users(0, 160), Edit::Rename(0, "Mail".to_owned())],
        "t",
    );
    let merge = merge_plans(&base, &mine, &theirs, &Picks::default());
    assert_eq!(
        merge.conflict_lines(),
        ["workloads[exchange].users: 120 -> 150 | 160"]
    );
    assert_eq!(merge.plan.workloads[0].name, "Mail");
}

// ---------------------------------------------------------------------------------------
// The versions kept for merging.

#[test]
fn a_kept_version_is_found_by_its_id_from_any_plans_slot() {
    use keyholder::storage::bases::{find_base, keep_base};
    let folder = tempfile::tempdir().expect("temp");
    let bases = folder.path().join("bases");
    let plan = base();
    let text = content_text(&plan);
    let id = id_of_content_text(&text);
    let kept = keep_base(&bases, &folder.path().join("plan.ron"), &id, &text).expect("kept");
    assert_eq!(
        kept.file_name().and_then(|n| n.to_str()),
        Some(format!("{id}.ron").as_str())
    );
    // Kept without its history: the content is what a merge needs.
    let found = find_base(&bases, &id).expect("found");
    let mut without_history = plan.clone();
    without_history.history.clear();
    assert_eq!(found, without_history);
    // Kept again for the same file: the same file, not a second one.
    let again = keep_base(&bases, &folder.path().join("plan.ron"), &id, &text).expect("kept");
    assert_eq!(again, kept);
    // Kept for another file too (a copy of the plan elsewhere): a slot of its own.
    keep_base(&bases, &folder.path().join("other.ron"), &id, &text).expect("kept");
    assert_eq!(std::fs::read_dir(&bases).expect("slots").count(), 2);

    // An edited or damaged file is not the version it is named after.
    std::fs::write(&kept, text.replacen("seats: 120", "seats: 121", 1)).expect("edit");
    let other_slot = bases.join(
        std::fs::read_dir(&bases)
            .expect("slots")
            .map(|e| e.expect("slot").file_name())
            .find(|n| n.to_string_lossy().starts_with("other"))
            .expect("other slot"),
    );
    std::fs::remove_file(other_slot.join(format!("{id}.ron"))).expect("remove");
    assert!(find_base(&bases, &id).is_none());
    // Ids come from colleagues' files: only the form Keyholder writes is looked up.
    assert!(find_base(&bases, &ContentId::new("../../etc/passwd")).is_none());
    assert!(
        keep_base(
            &bases,
            &folder.path().join("plan.ron"),
            &ContentId::new("../x"),
            &text
        )
        .is_err()
    );
}

#[test]
fn a_version_kept_in_an_older_format_is_found_by_the_id_its_saves_recorded() {
    use keyholder::storage::bases::{find_base, keep_base};
    let folder = tempfile::tempdir().expect("temp");
    let bases = folder.path().join("bases");
    let plan = base();
    // The same content as a format 1 Keyholder kept it: only the version line differs
    // (history, where format 2 added a field, is not part of the content).
    let now = format!("format_version: {},", keyholder::model::FORMAT_VERSION);
    let old_text = content_text(&plan).replacen(&now, "format_version: 1,", 1);
    assert_ne!(old_text, content_text(&plan));
    let old_id = id_of_content_text(&old_text);
    keep_base(&bases, &folder.path().join("plan.ron"), &old_id, &old_text).expect("kept");
    let found = find_base(&bases, &old_id).expect("found and migrated");
    let mut without_history = plan.clone();
    without_history.history.clear();
    assert_eq!(found, without_history);
}

fn recommend(plan: &mut Plan, scenario: &str, rationale: &str) {
    plan.recommended = Some(keyholder::model::RecommendedScenario {
        scenario: scenario.to_owned(),
        rationale: rationale.to_owned(),
    });
}

/// The recommendation merges like any other part: one colleague choosing the scenario and
/// the other rewording why both survive; two different choices are a conflict the picks
/// settle; and a plain diff names what changed.
#[test]
fn the_recommendation_merges_field_by_field_and_shows_in_the_diff() {
    let mut base = base();
    let first = base.scenarios[0].name.clone();
    let second = base.scenarios[1].name.clone();
    recommend(&mut base, &first, "Cheapest today.");
    let mut mine = base.clone();
    recommend(&mut mine, &second, "Cheapest today.");
    let mut theirs = base.clone();
    recommend(&mut theirs, &first, "Keeps admin rights.");

    let merged = merge_plans(&base, &mine, &theirs, &Picks::default());
    let recommended = merged.plan.recommended.as_ref().expect("a recommendation");
    assert_eq!(recommended.scenario, second, "mine chose the scenario");
    assert_eq!(
        recommended.rationale, "Keeps admin rights.",
        "theirs reworded it"
    );
    assert_eq!(merged.unresolved(), 0);
    let part = merged
        .parts
        .iter()
        .find(|p| p.part == Part::Recommendation)
        .expect("the recommendation is a part of the merge");
    assert_eq!(part.part.to_string(), "recommended");

    // Both chose a scenario, differently: a conflict, settled by a pick.
    let mut theirs = base.clone();
    theirs.recommended = None;
    let merged = merge_plans(&base, &mine, &theirs, &Picks::default());
    assert_eq!(
        merged.unresolved(),
        1,
        "only the scenario: mine kept the rationale"
    );
    assert_eq!(
        merged
            .plan
            .recommended
            .as_ref()
            .map(|r| (r.scenario.as_str(), r.rationale.as_str())),
        Some((second.as_str(), "Cheapest today.")),
        "an unresolved conflict holds mine, and mine's scenario keeps its rationale"
    );
    let merged = merge_plans(&base, &mine, &theirs, &Picks::prefer(Side::Theirs));
    assert_eq!(merged.plan.recommended, None, "theirs cleared it");

    let diff = keyholder::model::diff_plans(&base, &mine);
    assert!(diff.has_changes());
    let lines: Vec<String> = diff
        .recommendation
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(lines, [format!("scenario: \"{first}\" -> \"{second}\"")]);
    let cleared = keyholder::model::diff_plans(&base, &theirs);
    let lines: Vec<String> = cleared
        .recommendation
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        lines,
        [
            format!("scenario: \"{first}\" -> none"),
            "rationale: \"Cheapest today.\" -> none".to_owned()
        ]
    );
}
