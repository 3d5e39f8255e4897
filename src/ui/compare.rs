//! The compare view: a colleague's copy merged three-way against the version both started
//! from (only theirs, taken with one click or all at once; both changed, decided per field
//! with base, yours and theirs side by side; only yours; the effect on every scenario's
//! totals before the merge is applied, as one undo step). Without a known common version,
//! the two-way list of every difference.

use std::path::Path;

use egui::{CollapsingHeader, Grid, RichText, Ui};

use crate::app::{Action, Actions, AppState, CommonVersion, Comparison, Take};
use crate::model::{
    Change, ChangeKey, ChangeKind, DiffRow, DiffSection, FieldChange, PartMerge, PlanDiff,
    PlanMerge, Side, TotalsChange, format_cents,
};

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

pub fn compare_ui(ui: &mut Ui, state: &AppState, actions: &mut Actions) {
    let Some(comparison) = &state.comparison else {
        ui.label("Choose File > Compare with… to see what a colleague changed in their copy of this plan, and merge their changes into yours.");
        return;
    };
    match (&comparison.common, &comparison.merge) {
        (CommonVersion::Found { id, saved, .. }, Some(merge)) => {
            three_way_ui(ui, comparison, merge, &id.short(), saved.as_ref(), actions);
        }
        (common, _) => {
            let why = match common {
                CommonVersion::NotKept(id) => format!(
                    "Both copies started from version {}, but this computer does not keep it (Keyholder keeps the versions it opens and saves).",
                    id.short()
                ),
                _ => "No version both copies started from is recorded (one of them was saved before Keyholder recorded versions, or they never shared one).".to_owned(),
            };
            ui.label(
                RichText::new(format!(
                    "{why} So this is a two-way comparison: each difference below may be your change or theirs, and taking it replaces yours."
                ))
                .color(ui.visuals().warn_fg_color),
            );
            two_way_ui(ui, comparison, actions);
        }
    }
}

/// The three-way merge: what to take, what to decide, what it does to the totals.
fn three_way_ui(
    ui: &mut Ui,
    comparison: &Comparison,
    merge: &PlanMerge,
    version: &str,
    saved: Option<&(String, String)>,
    actions: &mut Actions,
) {
    let path = &comparison.path;
    let theirs = merge.count(ChangeKind::Theirs);
    let conflicts = merge.count(ChangeKind::Conflict);
    let unresolved = merge.unresolved();
    ui.horizontal(|ui| {
        ui.label(RichText::new(format!("Merging theirs: {}", file_name(path))).strong())
            .on_hover_text(path.display().to_string());
        if ui
            .add_enabled(
                theirs > 0,
                egui::Button::new(format!("Take all their changes ({theirs})")),
            )
            .on_hover_text("Take every change only they made; conflicts stay to be decided")
            .clicked()
        {
            actions.push(Action::TakeAllTheirs);
        }
        let apply = ui
            .add_enabled(
                unresolved == 0 && theirs + conflicts > 0,
                egui::Button::new("Apply merge"),
            )
            .on_hover_text("Take their changes and the sides picked for the conflicts, as one step (Ctrl+Z undoes it)");
        if apply.clicked() {
            actions.push(Action::ApplyMerge);
        }
        if ui.button("Close comparison").clicked() {
            actions.push(Action::CloseComparison);
        }
    });
    let since = saved.map_or_else(
        || format!("version {version}"),
        |(by, at)| {
            format!(
                "the version {by} saved on {} ({version})",
                crate::clock::rfc3339_as_local(at)
            )
        },
    );
    ui.label(
        RichText::new(format!(
            "Both copies started from {since}: {} to take, {} to decide, {} of yours kept.",
            plural(theirs, "change of theirs", "changes of theirs"),
            plural(conflicts, "conflict", "conflicts"),
            plural(merge.count(ChangeKind::Mine), "change", "changes"),
        ))
        .weak()
        .small(),
    );
    ui.separator();
    egui::ScrollArea::vertical().show(ui, |ui| {
        if theirs + conflicts == 0 {
            ui.label("Their copy has no change you do not have.");
        }
        if conflicts > 0 {
            conflicts_ui(ui, merge, unresolved, actions);
        }
        if theirs > 0 {
            ui.add_space(6.0);
            ui.label(RichText::new(format!("Only theirs ({theirs})")).strong());
            for part in merge.parts.iter().filter(|p| p.has(ChangeKind::Theirs)) {
                theirs_part_ui(ui, part, actions);
            }
        }
        if theirs + conflicts > 0 {
            ui.add_space(6.0);
            effect_ui(ui, &comparison.effect);
        }
        for (kind, title) in [
            (ChangeKind::Mine, "Only yours (kept)"),
            (ChangeKind::Both, "Made in both copies alike"),
        ] {
            let count = merge.count(kind);
            if count == 0 {
                continue;
            }
            ui.add_space(6.0);
            CollapsingHeader::new(format!("{title}: {count}"))
                .id_salt(("merge_kind", title))
                .show(ui, |ui| {
                    for (part, change) in merge.changes_of(kind).take(200) {
                        let side = if kind == ChangeKind::Mine {
                            Side::Mine
                        } else {
                            Side::Theirs
                        };
                        ui.label(RichText::new(part.line(change, side)).monospace());
                    }
                    if count > 200 {
                        ui.label(RichText::new(format!("and {} more", count - 200)).weak());
                    }
                });
        }
    });
}

/// Both changed: base, yours and theirs side by side, a side picked per field.
fn conflicts_ui(ui: &mut Ui, merge: &PlanMerge, unresolved: usize, actions: &mut Actions) {
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(format!(
                "Both changed ({}): pick a side for each{}",
                merge.count(ChangeKind::Conflict),
                if unresolved == 0 {
                    String::new()
                } else {
                    format!(", {unresolved} left")
                }
            ))
            .strong(),
        );
        if ui.button("Yours for all").clicked() {
            actions.push(Action::PickAllConflicts(Side::Mine));
        }
        if ui.button("Theirs for all").clicked() {
            actions.push(Action::PickAllConflicts(Side::Theirs));
        }
    });
    Grid::new("merge_conflicts")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            for heading in ["", "Base", "Yours", "Theirs"] {
                ui.label(RichText::new(heading).weak());
            }
            ui.end_row();
            for (part, change) in merge.changes_of(ChangeKind::Conflict) {
                conflict_row_ui(ui, part, change, actions);
                ui.end_row();
            }
        });
}

fn conflict_row_ui(ui: &mut Ui, part: &PartMerge, change: &Change, actions: &mut Actions) {
    let key: ChangeKey = part.key(change);
    let what = if change.field.is_empty() {
        part.label.clone()
    } else {
        format!("{}: {}", part.label, change.field)
    };
    ui.label(what).on_hover_text(key.to_string());
    ui.label(RichText::new(change.base.as_deref().unwrap_or("absent")).monospace());
    for (side, verb) in [(Side::Mine, "Keep yours"), (Side::Theirs, "Take theirs")] {
        let shown = change.value(side).map_or_else(
            || {
                if change.base.is_some() {
                    "removed".to_owned()
                } else {
                    "absent".to_owned()
                }
            },
            str::to_owned,
        );
        let picked = change.resolution == Some(side);
        let response = ui
            .radio(picked, RichText::new(shown).monospace())
            .accessible_name(format!("{verb} for {key}"));
        if response.clicked() {
            actions.push(Action::PickSide {
                key: key.clone(),
                side: (!picked).then_some(side),
            });
        }
    }
}

/// One part with changes only they made, and its one-click take.
fn theirs_part_ui(ui: &mut Ui, part: &PartMerge, actions: &mut Actions) {
    ui.horizontal_wrapped(|ui| {
        let lines: Vec<String> = part
            .changes
            .iter()
            .filter(|c| c.kind == ChangeKind::Theirs)
            .map(|c| c.describe(Side::Theirs))
            .collect();
        ui.label(RichText::new(format!("{}:", part.label)).strong())
            .on_hover_text(part.part.to_string());
        ui.label(RichText::new(lines.join("; ")).monospace());
        if ui
            .button("Take")
            .accessible_name(format!("Take their changes to {}", part.label))
            .clicked()
        {
            actions.push(Action::TakePart(part.part.clone()));
        }
    });
}

/// Every scenario's totals, yours now and after the merge.
fn effect_ui(ui: &mut Ui, effect: &[TotalsChange]) {
    ui.label(RichText::new("Effect of the merge on the totals (yours now -> merged)").strong());
    Grid::new("merge_totals")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            for heading in ["Scenario", "TCO", "Run rate per month", "Control score"] {
                ui.label(RichText::new(heading).weak());
            }
            ui.end_row();
            let money = |v: Option<i64>| v.map_or_else(|| "none".to_owned(), format_cents);
            let control =
                |v: Option<f64>| v.map_or_else(|| "none".to_owned(), |c| format!("{c:.2}"));
            for t in effect {
                ui.label(&t.scenario);
                let pair = |a: String, b: String| {
                    if a == b {
                        format!("{a} (no change)")
                    } else {
                        format!("{a} -> {b}")
                    }
                };
                ui.label(pair(money(t.old_tco_cents), money(t.new_tco_cents)));
                ui.label(pair(
                    money(t.old_run_rate_cents),
                    money(t.new_run_rate_cents),
                ));
                ui.label(pair(
                    control(t.old_control_score),
                    control(t.new_control_score),
                ));
                ui.end_row();
            }
        });
}

/// After conflict copies were merged: what was merged, and whether to move the copies out of
/// the shared folder into the backups folder.
pub fn merged_copies_ui(
    ui: &mut Ui,
    copies: &[std::path::PathBuf],
    summary: &[String],
    answer: &mut impl FnMut(Action),
) {
    ui.heading("Conflict copies merged");
    for line in summary {
        ui.label(line.as_str());
    }
    ui.label(format!(
        "Move the merged {} out of the shared folder into Keyholder's backups folder? (Save your plan to keep the merge.)",
        if copies.len() == 1 { "copy" } else { "copies" }
    ));
    ui.horizontal(|ui| {
        if ui.button("Move to backups").clicked() {
            answer(Action::MoveCopiesToBackups(copies.to_vec()));
        }
        if ui.button("Leave them").clicked() {
            answer(Action::CloseModal);
        }
    });
}

fn changes_ui(ui: &mut Ui, changes: &[FieldChange]) {
    for change in changes.iter().take(60) {
        ui.label(RichText::new(change.to_string()).monospace());
    }
    if changes.len() > 60 {
        ui.label(RichText::new(format!("and {} more", changes.len() - 60)).weak());
    }
}

/// The two-way view: every difference between the copies, each taken as "theirs" (all that
/// can be shown when the version both started from is not known).
fn two_way_ui(ui: &mut Ui, comparison: &Comparison, actions: &mut Actions) {
    // Borrowed, not cloned: the diff of a large plan is drawn every frame.
    let diff = &comparison.diff;
    let path = &comparison.path;
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(format!("Yours compared with theirs: {}", file_name(path))).strong(),
        )
        .on_hover_text(path.display().to_string());
        if ui
            .add_enabled(
                diff.has_changes(),
                egui::Button::new("Take all their changes"),
            )
            .clicked()
        {
            actions.push(Action::TakeAll);
        }
        if ui.button("Close comparison").clicked() {
            actions.push(Action::CloseComparison);
        }
    });
    ui.label(
        RichText::new("Each take changes your open plan and can be undone with Ctrl+Z.")
            .weak()
            .small(),
    );
    ui.separator();
    egui::ScrollArea::vertical().show(ui, |ui| {
        if !diff.has_changes() {
            ui.label("No differences in the plan.");
        }
        // The rows `keyholder diff` prints, section by section, with what can be taken.
        let mut section = None;
        for row in diff.rows() {
            if section != Some(row.section()) {
                section = Some(row.section());
                section_heading_ui(ui, diff, row.section(), actions);
            }
            two_way_row_ui(ui, diff, &row, actions);
        }
    });
}

/// A section's title, with its count and (for the plan's parts) Take theirs.
fn section_heading_ui(ui: &mut Ui, diff: &PlanDiff, section: DiffSection, actions: &mut Actions) {
    ui.add_space(6.0);
    let part = match section {
        DiffSection::Customer => Some((&diff.customer, Take::Customer)),
        DiffSection::Assumptions => Some((&diff.assumptions, Take::Assumptions)),
        DiffSection::PriceBook => Some((&diff.price_book, Take::PriceBook)),
        DiffSection::ControlModel => Some((&diff.control_model, Take::ControlModel)),
        DiffSection::Recommendation => Some((&diff.recommendation, Take::Recommendation)),
        _ => None,
    };
    let title = section.title();
    match (section, part) {
        (_, Some((changes, take))) => {
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(format!(
                        "{title}: {}",
                        plural(changes.len(), "change", "changes")
                    ))
                    .strong(),
                );
                if ui
                    .button("Take theirs")
                    .on_hover_text(format!("Replace your {} with theirs", title.to_lowercase()))
                    .accessible_name(format!("Take their {}", title.to_lowercase()))
                    .clicked()
                {
                    actions.push(Action::Take(take));
                }
            });
        }
        (DiffSection::Workloads, None) => {
            let count = diff.workloads_added.len()
                + diff.workloads_removed.len()
                + diff.workloads_changed.len();
            ui.label(RichText::new(format!("Workloads: {count} differ (matched by id)")).strong());
        }
        (DiffSection::Scenarios, None) => {
            let count = diff.scenarios_added.len()
                + diff.scenarios_removed.len()
                + diff.scenarios_changed.len();
            ui.label(
                RichText::new(format!("Scenarios: {count} differ (matched by name)")).strong(),
            );
        }
        (DiffSection::Totals, None) => {
            ui.label(RichText::new("Effect on the totals (yours -> theirs)").strong());
        }
        (_, None) => {
            ui.label(RichText::new("Saved in theirs since").strong());
        }
    }
}

/// One row of the two-way view, with the take it offers.
fn two_way_row_ui(ui: &mut Ui, diff: &PlanDiff, row: &DiffRow<'_>, actions: &mut Actions) {
    let take_button = |ui: &mut Ui, text: &str, name: String, take: Take, actions: &mut Actions| {
        if ui.button(text).accessible_name(name).clicked() {
            actions.push(Action::Take(take));
        }
    };
    match row {
        DiffRow::Field(_, change) => {
            ui.indent(("field", &change.field), |ui| {
                ui.label(RichText::new(change.to_string()).monospace());
            });
        }
        DiffRow::WorkloadAdded(w) => {
            ui.horizontal(|ui| {
                ui.label(format!("+ {} ({}) is only in theirs", w.name, w.id));
                take_button(
                    ui,
                    "Add",
                    format!("Add their workload {}", w.name),
                    Take::Workload(w.id.clone()),
                    actions,
                );
            });
        }
        DiffRow::WorkloadRemoved(w) => {
            ui.horizontal(|ui| {
                ui.label(format!("- {} ({}) is only in yours", w.name, w.id));
                take_button(
                    ui,
                    "Remove",
                    format!("Remove your workload {}", w.name),
                    Take::Workload(w.id.clone()),
                    actions,
                );
            });
        }
        DiffRow::WorkloadChanged(w) => {
            CollapsingHeader::new(format!(
                "{}: {}",
                row.text(),
                plural(w.changes.len(), "change", "changes")
            ))
            .id_salt(("workload_change", &w.id))
            .default_open(diff.workloads_changed.len() <= 10)
            .show(ui, |ui| {
                changes_ui(ui, row.details());
                take_button(
                    ui,
                    "Take theirs",
                    format!("Take their version of {}", w.name),
                    Take::Workload(w.id.clone()),
                    actions,
                );
            });
        }
        DiffRow::ScenarioAdded(name) => {
            ui.horizontal(|ui| {
                ui.label(format!("+ \"{name}\" is only in theirs"));
                take_button(
                    ui,
                    "Add",
                    format!("Add their scenario {name}"),
                    Take::Scenario((*name).to_owned()),
                    actions,
                );
            });
        }
        DiffRow::ScenarioRemoved(name) => {
            ui.horizontal(|ui| {
                ui.label(format!("- \"{name}\" is only in yours"));
                take_button(
                    ui,
                    "Remove",
                    format!("Remove your scenario {name}"),
                    Take::Scenario((*name).to_owned()),
                    actions,
                );
            });
        }
        DiffRow::ScenarioChanged(s) => {
            CollapsingHeader::new(format!(
                "{}: {}",
                row.text(),
                plural(s.changes.len(), "change", "changes")
            ))
            .id_salt(("scenario_change", &s.name))
            .default_open(true)
            .show(ui, |ui| {
                changes_ui(ui, row.details());
                take_button(
                    ui,
                    "Take theirs",
                    format!("Take their version of scenario {}", s.name),
                    Take::Scenario(s.name.clone()),
                    actions,
                );
            });
        }
        DiffRow::Totals(_) => {
            ui.label(row.text());
        }
        DiffRow::Saved(h) => {
            // The file keeps UTC; the reader wants their own clock.
            let note = if h.note.is_empty() {
                String::new()
            } else {
                format!(": {}", h.note)
            };
            ui.label(format!(
                "{} by {}{note}",
                crate::clock::rfc3339_as_local(&h.saved_at),
                h.saved_by
            ));
        }
    }
}
