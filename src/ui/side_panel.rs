//! The left panel: customer profile, assumptions, the scenario list and the plan's history.

use egui::{CollapsingHeader, Grid, RichText, Ui};

use super::widgets::{
    checked_text_row, choice_row, draft_field, multiline_row, number_row, text_row,
};
use crate::app::{Action, Actions, AppState, Edit};
use crate::model::{Scenario, YearMonth, bounds};

pub fn side_panel_ui(ui: &mut Ui, state: &AppState, actions: &mut Actions) {
    customer_ui(ui, state, actions);
    ui.separator();
    assumptions_ui(ui, state, actions);
    ui.separator();
    scenario_list_ui(ui, state, actions);
    ui.separator();
    history_ui(ui, state, actions);
}

/// Who saved the plan and when, newest first, and the note for the next save.
fn history_ui(ui: &mut Ui, state: &AppState, actions: &mut Actions) {
    let history = &state.plan().history;
    let count = history.len();
    CollapsingHeader::new(format!(
        "History ({count} save{})",
        if count == 1 { "" } else { "s" }
    ))
    .id_salt("history")
    .show(ui, |ui| {
        Grid::new("next_save_note").num_columns(2).show(ui, |ui| {
            let label = ui.label("Note for the next save");
            let mut note = state.next_save_note.clone();
            if ui
                .add(
                    egui::TextEdit::singleline(&mut note)
                        .desired_width(f32::INFINITY)
                        .hint_text("e.g. updated seat counts"),
                )
                .labelled_by(label.id)
                .changed()
            {
                actions.push(Action::SetSaveNote(note));
            }
            ui.end_row();
        });
        for entry in history.iter().rev().take(50) {
            let when = crate::clock::rfc3339_as_local(&entry.saved_at);
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

fn customer_ui(ui: &mut Ui, state: &AppState, actions: &mut Actions) {
    ui.heading("Customer");
    let customer = &state.plan().customer;
    let mut edited = customer.clone();
    Grid::new("customer").num_columns(2).show(ui, |ui| {
        if let Some(v) = checked_text_row(ui, "Customer name", &customer.name, |name| {
            if name.trim().is_empty() {
                Err("the customer needs a name".to_owned())
            } else {
                Ok(())
            }
        }) {
            edited.name = v;
        }
        if let Some(v) = text_row(ui, "Industry", &customer.industry) {
            edited.industry = v;
        }
        if let Some(v) = number_row(ui, "Seats", customer.seats, bounds::seats) {
            edited.seats = v;
        }
        if let Some(v) = number_row(ui, "Sites", customer.sites, bounds::sites) {
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
    if edited != *customer {
        actions.edit(Edit::Customer(Box::new(edited)));
    }
}

fn assumptions_ui(ui: &mut Ui, state: &AppState, actions: &mut Actions) {
    ui.heading("Assumptions");
    let assumptions = &state.plan().assumptions;
    let mut edited = assumptions.clone();
    Grid::new("assumptions").num_columns(2).show(ui, |ui| {
        let label = ui.label("Start month");
        ui.vertical(|ui| {
            if let Some(month) = draft_field(
                ui,
                "Start month",
                &assumptions.start_month,
                &assumptions.start_month.to_string(),
                110.0,
                Some(&label),
                YearMonth::parse,
            ) {
                edited.start_month = month;
            }
        });
        ui.end_row();
        if let Some(v) = number_row(
            ui,
            "Horizon (months)",
            assumptions.horizon_months,
            bounds::horizon_months,
        ) {
            edited.horizon_months = v;
        }
        if let Some(v) = number_row(
            ui,
            "Discount rate (% a year)",
            assumptions.discount_rate_pct,
            bounds::percent,
        ) {
            edited.discount_rate_pct = v;
        }
        if let Some(v) = number_row(
            ui,
            "Growth (% a year)",
            assumptions.growth_pct,
            bounds::percent,
        ) {
            edited.growth_pct = v;
        }
    });
    if edited != *assumptions {
        actions.edit(Edit::Assumptions(edited));
    }
}

/// A name not used by any scenario, from `base` ("New scenario", "New scenario 2", …).
fn unused_name(scenarios: &[Scenario], base: &str) -> String {
    // A plan has far fewer scenarios than this; the range only bounds the search.
    (1..=100_000)
        .map(|n| {
            if n == 1 {
                base.to_owned()
            } else {
                format!("{base} {n}")
            }
        })
        .find(|name| !scenarios.iter().any(|s| &s.name == name))
        .unwrap_or_else(|| base.to_owned())
}

fn scenario_list_ui(ui: &mut Ui, state: &AppState, actions: &mut Actions) {
    ui.heading("Scenarios");
    let scenarios = &state.plan().scenarios;
    let active_index = state.active_scenario;
    let recommended = state.plan().recommended_index();
    for (index, scenario) in scenarios.iter().enumerate() {
        let moves = state.derived.totals.get(index).map_or(0, |t| t.moves);
        let text = format!(
            "{}  ({moves} move{})",
            scenario.name,
            if moves == 1 { "" } else { "s" }
        );
        ui.horizontal(|ui| {
            if ui
                .selectable_label(index == active_index, text)
                .on_hover_text("Make this the active scenario")
                .clicked()
            {
                actions.push(Action::SelectScenario(index));
            }
            if recommended == Some(index) {
                super::scenarios::recommended_badge(ui);
            }
        });
    }
    let Some(active) = scenarios.get(active_index) else {
        return;
    };
    ui.add_space(4.0);
    Grid::new("active_scenario").num_columns(2).show(ui, |ui| {
        let others: Vec<&str> = scenarios
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != active_index)
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
            actions.edit(Edit::Scenario {
                index: active_index,
                scenario: Scenario {
                    name,
                    ..active.clone()
                },
            });
        }
        if let Some(notes) = multiline_row(ui, "Scenario notes", &active.notes) {
            actions.edit(Edit::Scenario {
                index: active_index,
                scenario: Scenario {
                    notes,
                    ..active.clone()
                },
            });
        }
    });
    let room = bounds::scenario_count(scenarios.len() + 1).is_ok();
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(room, egui::Button::new("Add scenario"))
            .on_hover_text("Add an empty scenario (nothing moves)")
            .clicked()
        {
            let scenario = Scenario {
                name: unused_name(scenarios, "New scenario"),
                ..Scenario::default()
            };
            actions.edit(Edit::InsertScenario {
                index: scenarios.len(),
                scenario,
            });
            actions.push(Action::SelectScenario(scenarios.len()));
        }
        if ui
            .add_enabled(room, egui::Button::new("Duplicate scenario"))
            .on_hover_text("Copy the active scenario")
            .clicked()
        {
            let scenario = Scenario {
                name: unused_name(scenarios, &format!("{} (copy)", active.name)),
                ..active.clone()
            };
            actions.edit(Edit::InsertScenario {
                index: active_index + 1,
                scenario,
            });
            actions.push(Action::SelectScenario(active_index + 1));
        }
        if ui
            .add_enabled(scenarios.len() > 1, egui::Button::new("Delete scenario"))
            .on_hover_text("Delete the active scenario")
            .clicked()
        {
            actions.edit(Edit::RemoveScenario {
                index: active_index,
            });
            actions.push(Action::SelectScenario(active_index.saturating_sub(1)));
        }
    });
}
