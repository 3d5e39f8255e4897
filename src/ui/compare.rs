//! The compare view: what a colleague's copy of the plan changed, and taking those changes
//! into the open plan one at a time or all at once (each take undoable).

use egui::{CollapsingHeader, Grid, RichText, Ui};

use crate::app::{Action, Actions, AppState, Take};
use crate::model::{FieldChange, format_cents};

fn changes_ui(ui: &mut Ui, changes: &[FieldChange]) {
    for change in changes.iter().take(60) {
        ui.label(RichText::new(change.to_string()).monospace());
    }
    if changes.len() > 60 {
        ui.label(RichText::new(format!("and {} more", changes.len() - 60)).weak());
    }
}

pub fn compare_ui(ui: &mut Ui, state: &AppState, actions: &mut Actions) {
    let Some(comparison) = &state.comparison else {
        ui.label("Choose File > Compare with… to see what a colleague changed in their copy of this plan, and take their changes.");
        return;
    };
    // Borrowed, not cloned: the diff of a large plan is drawn every frame.
    let diff = &comparison.diff;
    let path = &comparison.path;
    ui.horizontal(|ui| {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        ui.label(RichText::new(format!("Yours compared with theirs: {name}")).strong())
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
        for (title, changes, take) in [
            ("Customer", &diff.customer, Take::Customer),
            ("Assumptions", &diff.assumptions, Take::Assumptions),
            ("Price book", &diff.price_book, Take::PriceBook),
            ("Control model", &diff.control_model, Take::ControlModel),
        ] {
            if changes.is_empty() {
                continue;
            }
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(format!(
                        "{title}: {} change{}",
                        changes.len(),
                        if changes.len() == 1 { "" } else { "s" }
                    ))
                    .strong(),
                );
                if ui
                    .button("Take theirs")
                    .on_hover_text(format!("Replace your {} with theirs", title.to_lowercase()))
                    .accessible_name(format!("Take their {}", title.to_lowercase()))
                    .clicked()
                {
                    actions.push(Action::Take(take.clone()));
                }
            });
            ui.indent(title, |ui| changes_ui(ui, changes));
        }
        let workload_count = diff.workloads_added.len()
            + diff.workloads_removed.len()
            + diff.workloads_changed.len();
        if workload_count > 0 {
            ui.add_space(6.0);
            ui.label(
                RichText::new(format!(
                    "Workloads: {workload_count} differ (matched by id)"
                ))
                .strong(),
            );
            for w in &diff.workloads_added {
                ui.horizontal(|ui| {
                    ui.label(format!("+ {} ({}) is only in theirs", w.name, w.id));
                    if ui
                        .button("Add")
                        .accessible_name(format!("Add their workload {}", w.name))
                        .clicked()
                    {
                        actions.push(Action::Take(Take::Workload(w.id.clone())));
                    }
                });
            }
            for w in &diff.workloads_removed {
                ui.horizontal(|ui| {
                    ui.label(format!("- {} ({}) is only in yours", w.name, w.id));
                    if ui
                        .button("Remove")
                        .accessible_name(format!("Remove your workload {}", w.name))
                        .clicked()
                    {
                        actions.push(Action::Take(Take::Workload(w.id.clone())));
                    }
                });
            }
            for w in &diff.workloads_changed {
                CollapsingHeader::new(format!(
                    "~ {} ({}): {} change{}",
                    w.name,
                    w.id,
                    w.changes.len(),
                    if w.changes.len() == 1 { "" } else { "s" }
                ))
                .id_salt(("workload_change", &w.id))
                .default_open(diff.workloads_changed.len() <= 10)
                .show(ui, |ui| {
                    changes_ui(ui, &w.changes);
                    if ui
                        .button("Take theirs")
                        .accessible_name(format!("Take their version of {}", w.name))
                        .clicked()
                    {
                        actions.push(Action::Take(Take::Workload(w.id.clone())));
                    }
                });
            }
        }
        let scenario_count = diff.scenarios_added.len()
            + diff.scenarios_removed.len()
            + diff.scenarios_changed.len();
        if scenario_count > 0 {
            ui.add_space(6.0);
            ui.label(
                RichText::new(format!(
                    "Scenarios: {scenario_count} differ (matched by name)"
                ))
                .strong(),
            );
            for name in &diff.scenarios_added {
                ui.horizontal(|ui| {
                    ui.label(format!("+ \"{name}\" is only in theirs"));
                    if ui
                        .button("Add")
                        .accessible_name(format!("Add their scenario {name}"))
                        .clicked()
                    {
                        actions.push(Action::Take(Take::Scenario(name.clone())));
                    }
                });
            }
            for name in &diff.scenarios_removed {
                ui.horizontal(|ui| {
                    ui.label(format!("- \"{name}\" is only in yours"));
                    if ui
                        .button("Remove")
                        .accessible_name(format!("Remove your scenario {name}"))
                        .clicked()
                    {
                        actions.push(Action::Take(Take::Scenario(name.clone())));
                    }
                });
            }
            for s in &diff.scenarios_changed {
                CollapsingHeader::new(format!(
                    "~ \"{}\": {} change{}",
                    s.name,
                    s.changes.len(),
                    if s.changes.len() == 1 { "" } else { "s" }
                ))
                .id_salt(("scenario_change", &s.name))
                .default_open(true)
                .show(ui, |ui| {
                    changes_ui(ui, &s.changes);
                    if ui
                        .button("Take theirs")
                        .accessible_name(format!("Take their version of scenario {}", s.name))
                        .clicked()
                    {
                        actions.push(Action::Take(Take::Scenario(s.name.clone())));
                    }
                });
            }
        }
        if !diff.totals.is_empty() {
            ui.add_space(6.0);
            ui.label(RichText::new("Effect on the totals (yours -> theirs)").strong());
            Grid::new("compare_totals")
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
                    for t in &diff.totals {
                        ui.label(&t.scenario);
                        ui.label(format!(
                            "{} -> {}",
                            money(t.old_tco_cents),
                            money(t.new_tco_cents)
                        ));
                        ui.label(format!(
                            "{} -> {}",
                            money(t.old_run_rate_cents),
                            money(t.new_run_rate_cents)
                        ));
                        ui.label(format!(
                            "{} -> {}",
                            control(t.old_control_score),
                            control(t.new_control_score)
                        ));
                        ui.end_row();
                    }
                });
        }
        if !diff.new_history.is_empty() {
            ui.add_space(6.0);
            ui.label(RichText::new("Saved in theirs since").strong());
            for h in &diff.new_history {
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
    });
}
