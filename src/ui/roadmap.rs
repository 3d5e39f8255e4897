//! The roadmap: when each workload of the active scenario moves, and what each of the
//! customer's fiscal quarters costs once and changes in monthly cost.

use egui::{Grid, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::app::{Actions, AppState, Edit, RoadmapData, RoadmapView};
use crate::model::charts::{month_label, month_name};
use crate::model::{Plan, bounds, format_cents};

/// Moves named per quarter in the summary; the rest are counted.
const NAMED_MOVES: usize = 4;

fn signed(cents: i64) -> String {
    format!(
        "{}{}",
        if cents > 0 { "+" } else { "" },
        format_cents(cents)
    )
}

pub fn roadmap_ui(ui: &mut Ui, state: &AppState, view: &mut RoadmapView, actions: &mut Actions) {
    let plan = state.plan();
    let Some(data) = view.data(
        state.document_key(),
        plan,
        &state.derived.evaluation,
        state.active_scenario,
    ) else {
        return;
    };
    let Some(scenario) = plan.scenarios.get(state.active_scenario) else {
        return;
    };
    let currency = &plan.price_book.currency;
    ui.label(format!(
        "Roadmap of \"{}\": the moves by the customer's fiscal quarter (the fiscal year starts in {}), then each move with its month. Amounts in {currency}.",
        scenario.name,
        month_name(plan.customer.fiscal_year_start_month)
    ));
    if data.moves.is_empty() {
        ui.label(
            RichText::new("Nothing moves in this scenario: choose destinations in the Workloads or Trade-off view.")
                .weak(),
        );
        return;
    }
    if data.outside_horizon > 0 {
        ui.label(
            RichText::new(format!(
                "{} move{} after the {}-month horizon: within the horizon {} where {} today, and no total counts {}.",
                data.outside_horizon,
                if data.outside_horizon == 1 { " falls" } else { "s fall" },
                plan.assumptions.horizon_months,
                if data.outside_horizon == 1 { "that workload stays" } else { "those workloads stay" },
                if data.outside_horizon == 1 { "it is" } else { "they are" },
                if data.outside_horizon == 1 { "it" } else { "them" },
            ))
            .color(ui.visuals().warn_fg_color),
        );
    }
    quarters_ui(ui, plan, &data);
    ui.add_space(8.0);
    moves_ui(ui, state, &data, actions);
}

/// The moves of each fiscal quarter, their one-time cost and change in monthly cost.
fn quarters_ui(ui: &mut Ui, plan: &Plan, data: &RoadmapData) {
    ui.heading("By fiscal quarter");
    egui::ScrollArea::vertical()
        .id_salt("roadmap_quarters")
        .max_height(220.0)
        .show(ui, |ui| {
            Grid::new("roadmap_quarters")
                .striped(true)
                .num_columns(4)
                .show(ui, |ui| {
                    for heading in ["Quarter", "Moves", "One-time", "Change in monthly cost"] {
                        ui.label(RichText::new(heading).strong());
                    }
                    ui.end_row();
                    let mut running_change = 0;
                    for q in &data.quarters {
                        running_change += q.monthly_change_cents;
                        ui.label(format!(
                            "FY{:02} Q{}",
                            q.fiscal_year.rem_euclid(100),
                            q.quarter
                        ));
                        let mut names: Vec<String> = q
                            .moves
                            .iter()
                            .take(NAMED_MOVES)
                            .map(|m| {
                                format!("{} to {}", plan.workloads[m.workload].name, m.to.label())
                            })
                            .collect();
                        if q.moves.len() > NAMED_MOVES {
                            names.push(format!("and {} more", q.moves.len() - NAMED_MOVES));
                        }
                        ui.label(names.join("\n"));
                        ui.label(format_cents(q.one_time_cents));
                        ui.label(format!(
                            "{} (total so far {})",
                            signed(q.monthly_change_cents),
                            signed(running_change)
                        ));
                        ui.end_row();
                    }
                });
        });
}

/// Every move with its month, which can be changed here.
fn moves_ui(ui: &mut Ui, state: &AppState, data: &RoadmapData, actions: &mut Actions) {
    let plan = state.plan();
    ui.heading("Moves");
    let row_height = ui.spacing().interact_size.y + 4.0;
    TableBuilder::new(ui)
        .id_salt("roadmap_moves")
        .striped(true)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::initial(260.0).clip(true))
        .columns(Column::auto().at_least(90.0), 2)
        .column(Column::auto().at_least(80.0))
        .column(Column::auto().at_least(140.0))
        .column(Column::remainder())
        .header(row_height, |mut header| {
            for heading in [
                "Workload",
                "From",
                "To",
                "Move month",
                "When",
                "One-time / change per month",
            ] {
                header.col(|ui| {
                    ui.label(RichText::new(heading).strong());
                });
            }
        })
        .body(|body| {
            body.rows(row_height, data.moves.len(), |mut row| {
                let m = &data.moves[row.index()];
                let w = &plan.workloads[m.workload];
                row.col(|ui| {
                    ui.label(&w.name);
                });
                row.col(|ui| {
                    ui.label(m.from.label());
                });
                row.col(|ui| {
                    ui.label(plan.price_book.offer_label(&m.offer));
                });
                row.col(|ui| {
                    let mut month = m.move_month;
                    let response = ui
                        .add(
                            egui::DragValue::new(&mut month)
                                .range(0..=bounds::MAX_MOVE_MONTH)
                                // Drawing never changes a value: a month out of range in a
                                // file stays as it is until the user drags it.
                                .clamp_existing_to_range(false),
                        )
                        .accessible_name(format!("Move month of {}", w.name));
                    if response.changed() && month != m.move_month {
                        // The same offer (term, Hybrid Benefit) in another month.
                        let choice = state
                            .derived
                            .evaluation
                            .choice_for(m.workload, m.offer, month);
                        actions.edit(Edit::Choice {
                            scenario: state.active_scenario,
                            workload_id: w.id.clone(),
                            choice,
                        });
                    }
                });
                row.col(|ui| {
                    if m.outside_horizon {
                        ui.label(
                            RichText::new(format!(
                                "{} (after the horizon)",
                                month_label(plan, m.move_month)
                            ))
                            .color(ui.visuals().warn_fg_color),
                        );
                    } else {
                        ui.label(month_label(plan, m.move_month));
                    }
                });
                row.col(|ui| {
                    ui.label(format!(
                        "{} / {}",
                        format_cents(m.one_time_cents),
                        signed(m.monthly_change_cents)
                    ));
                });
            });
        });
}
