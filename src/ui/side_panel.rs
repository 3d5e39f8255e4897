//! The left panel: customer profile, assumptions and the scenario list.

use egui::{CollapsingHeader, Grid, RichText, Ui};

use super::KeyholderApp;
use super::widgets::{checked_text_row, checks, choice_row, multiline_row, number_row, text_row};
use crate::app::Edit;
use crate::model::{Scenario, YearMonth};

pub fn side_panel_ui(ui: &mut Ui, app: &mut KeyholderApp) {
    customer_ui(ui, app);
    ui.separator();
    assumptions_ui(ui, app);
    ui.separator();
    scenario_list_ui(ui, app);
    ui.separator();
    history_ui(ui, app);
}

/// Who saved the plan and when, newest first, and the note for the next save.
fn history_ui(ui: &mut Ui, app: &mut KeyholderApp) {
    let count = app.plan().history.len();
    CollapsingHeader::new(format!(
        "History ({count} save{})",
        if count == 1 { "" } else { "s" }
    ))
    .id_salt("history")
    .show(ui, |ui| {
        Grid::new("next_save_note").num_columns(2).show(ui, |ui| {
            let label = ui.label("Note for the next save");
            ui.add(
                egui::TextEdit::singleline(&mut app.next_save_note)
                    .desired_width(f32::INFINITY)
                    .hint_text("e.g. updated seat counts"),
            )
            .labelled_by(label.id);
            ui.end_row();
        });
        for entry in app.plan().history.iter().rev().take(50) {
            let when = entry
                .saved_at
                .replace('T', " ")
                .trim_end_matches('Z')
                .to_owned();
            let note = if entry.note.is_empty() {
                String::new()
            } else {
                format!(": {}", entry.note)
            };
            ui.label(RichText::new(format!("{when} {}{note}", entry.saved_by)).small());
        }
        if count == 0 {
            ui.label(RichText::new("Not saved by anyone yet.").weak().small());
        }
    });
}

fn customer_ui(ui: &mut Ui, app: &mut KeyholderApp) {
    ui.heading("Customer");
    let customer = app.plan().customer.clone();
    let mut edited = customer.clone();
    Grid::new("customer").num_columns(2).show(ui, |ui| {
        if let Some(v) = text_row(ui, "Customer name", &customer.name) {
            edited.name = v;
        }
        if let Some(v) = text_row(ui, "Industry", &customer.industry) {
            edited.industry = v;
        }
        if let Some(v) = number_row(ui, "Seats", customer.seats, checks::any) {
            edited.seats = v;
        }
        if let Some(v) = number_row(ui, "Sites", customer.sites, checks::any) {
            edited.sites = v;
        }
        if let Some(v) = text_row(ui, "Contact", &customer.contact) {
            edited.contact = v;
        }
        let months: Vec<u8> = (1..=12).collect();
        if let Some(v) = choice_row(
            ui,
            "Fiscal year starts",
            customer.fiscal_year_start_month,
            &months,
            |m| crate::model::charts::month_name(m).to_owned(),
        ) {
            edited.fiscal_year_start_month = v;
        }
        if let Some(v) = text_row(ui, "Account manager", &customer.account_manager) {
            edited.account_manager = v;
        }
        if let Some(v) = multiline_row(ui, "Customer notes", &customer.notes) {
            edited.notes = v;
        }
    });
    if edited != customer {
        app.edit(Edit::Customer(Box::new(edited)));
    }
}

fn assumptions_ui(ui: &mut Ui, app: &mut KeyholderApp) {
    ui.heading("Assumptions");
    let assumptions = app.plan().assumptions.clone();
    let mut edited = assumptions.clone();
    Grid::new("assumptions").num_columns(2).show(ui, |ui| {
        let label = ui.label("Start month");
        let id = ui.make_persistent_id("start_month_text");
        let mut text = ui
            .data(|d| d.get_temp::<String>(id))
            .unwrap_or_else(|| assumptions.start_month.to_string());
        ui.vertical(|ui| {
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut text)
                        .desired_width(110.0)
                        .hint_text("YYYY-MM"),
                )
                .labelled_by(label.id);
            if response.has_focus() {
                match YearMonth::parse(&text) {
                    Ok(month) if month != assumptions.start_month => edited.start_month = month,
                    Ok(_) => {}
                    Err(message) => {
                        ui.label(
                            RichText::new(format!("Refused: {message}"))
                                .color(ui.visuals().error_fg_color)
                                .small(),
                        );
                    }
                }
                ui.data_mut(|d| d.insert_temp(id, text));
            } else {
                ui.data_mut(|d| d.remove::<String>(id));
            }
        });
        ui.end_row();
        if let Some(v) = number_row(
            ui,
            "Horizon (months)",
            assumptions.horizon_months,
            checks::horizon,
        ) {
            edited.horizon_months = v;
        }
        if let Some(v) = number_row(
            ui,
            "Discount rate (% a year)",
            assumptions.discount_rate_pct,
            checks::percent,
        ) {
            edited.discount_rate_pct = v;
        }
        if let Some(v) = number_row(
            ui,
            "Growth (% a year)",
            assumptions.growth_pct,
            checks::percent,
        ) {
            edited.growth_pct = v;
        }
    });
    if edited != assumptions {
        app.edit(Edit::Assumptions(edited));
    }
}

fn scenario_list_ui(ui: &mut Ui, app: &mut KeyholderApp) {
    ui.heading("Scenarios");
    let scenarios = app.plan().scenarios.clone();
    for (index, scenario) in scenarios.iter().enumerate() {
        let active = index == app.active_scenario;
        let moves = app.derived.totals.get(index).map_or(0, |t| t.moves);
        let text = format!(
            "{}  ({moves} move{})",
            scenario.name,
            if moves == 1 { "" } else { "s" }
        );
        if ui
            .selectable_label(active, text)
            .on_hover_text("Make this the active scenario")
            .clicked()
        {
            app.active_scenario = index;
        }
    }
    let Some(active) = scenarios.get(app.active_scenario).cloned() else {
        return;
    };
    ui.add_space(4.0);
    Grid::new("active_scenario").num_columns(2).show(ui, |ui| {
        let others: Vec<&str> = scenarios
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != app.active_scenario)
            .map(|(_, s)| s.name.trim())
            .collect();
        if let Some(name) = checked_text_row(ui, "Scenario name", &active.name, |name| {
            if name.trim().is_empty() {
                Err("a scenario needs a name".to_owned())
            } else if others.contains(&name.trim()) {
                Err(format!("another scenario is named \"{}\"", name.trim()))
            } else {
                Ok(())
            }
        }) {
            app.edit(Edit::Scenario {
                index: app.active_scenario,
                scenario: Scenario {
                    name,
                    ..active.clone()
                },
            });
        }
        if let Some(notes) = multiline_row(ui, "Scenario notes", &active.notes) {
            app.edit(Edit::Scenario {
                index: app.active_scenario,
                scenario: Scenario {
                    notes,
                    ..active.clone()
                },
            });
        }
    });
    ui.horizontal_wrapped(|ui| {
        let unused = |base: &str| {
            (1..)
                .map(|n| {
                    if n == 1 {
                        base.to_owned()
                    } else {
                        format!("{base} {n}")
                    }
                })
                .find(|name| !scenarios.iter().any(|s| &s.name == name))
                .unwrap_or_else(|| base.to_owned())
        };
        if ui
            .button("Add scenario")
            .on_hover_text("Add an empty scenario (nothing moves)")
            .clicked()
        {
            let scenario = Scenario {
                name: unused("New scenario"),
                ..Scenario::default()
            };
            app.edit(Edit::InsertScenario {
                index: scenarios.len(),
                scenario,
            });
            app.active_scenario = scenarios.len();
        }
        if ui
            .button("Duplicate scenario")
            .on_hover_text("Copy the active scenario")
            .clicked()
        {
            let scenario = Scenario {
                name: unused(&format!("{} (copy)", active.name)),
                ..active.clone()
            };
            app.edit(Edit::InsertScenario {
                index: app.active_scenario + 1,
                scenario,
            });
            app.active_scenario += 1;
        }
        let can_delete = scenarios.len() > 1;
        if ui
            .add_enabled(can_delete, egui::Button::new("Delete scenario"))
            .on_hover_text("Delete the active scenario")
            .clicked()
        {
            app.edit(Edit::RemoveScenario {
                index: app.active_scenario,
            });
            app.active_scenario = app.active_scenario.saturating_sub(1);
        }
    });
}
