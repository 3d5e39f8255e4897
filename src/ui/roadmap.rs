//! The roadmap: when each workload of the active scenario moves, and what each of the
//! customer's fiscal quarters costs once and changes in monthly cost.

use egui::{Grid, RichText, Ui};

use super::KeyholderApp;
use crate::app::Edit;
use crate::model::charts::{month_label, roadmap};
use crate::model::{Choice, format_cents};

pub fn roadmap_ui(ui: &mut Ui, app: &mut KeyholderApp) {
    let plan = app.plan().clone();
    let Some(scenario) = plan.scenarios.get(app.active_scenario) else {
        return;
    };
    let currency = &plan.price_book.currency;
    let horizon = plan.assumptions.horizon_months;
    ui.label(format!(
        "Roadmap of \"{}\": move months per workload, then the moves by the customer's fiscal quarter (the fiscal year starts in {}). Amounts in {currency}.",
        scenario.name,
        crate::model::charts::month_name(plan.customer.fiscal_year_start_month)
    ));
    let quarters = roadmap(&plan, &app.derived.evaluation, scenario);
    if quarters.is_empty() {
        ui.label(RichText::new("Nothing moves in this scenario: choose destinations in the Workloads or Trade-off view.").weak());
        return;
    }
    let mut edits = Vec::new();
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.heading("Moves");
        Grid::new("roadmap_moves")
            .striped(true)
            .num_columns(5)
            .show(ui, |ui| {
                for heading in ["Workload", "From", "To", "Move month", "When"] {
                    ui.label(RichText::new(heading).strong());
                }
                ui.end_row();
                // In plan order, so a row stays put while its move month is dragged.
                let mut moves: Vec<&crate::model::charts::RoadmapMove> =
                    quarters.iter().flat_map(|q| &q.moves).collect();
                moves.sort_by_key(|m| m.workload);
                {
                    for m in moves {
                        let w = &plan.workloads[m.workload];
                        ui.label(&w.name);
                        ui.label(m.from.label());
                        ui.label(m.to.label());
                        let mut month = m.move_month;
                        let response = ui
                            .add(
                                egui::DragValue::new(&mut month)
                                    .range(0..=horizon.saturating_sub(1)),
                            )
                            .accessible_name(format!("Move month of {}", w.name));
                        if response.changed() && month != m.move_month {
                            edits.push(Edit::Choice {
                                scenario: app.active_scenario,
                                workload_id: w.id.clone(),
                                choice: Some(Choice {
                                    destination: m.to,
                                    move_month: month,
                                }),
                            });
                        }
                        ui.label(month_label(&plan, m.move_month));
                        ui.end_row();
                    }
                }
            });
        ui.add_space(10.0);
        ui.heading("By fiscal quarter");
        Grid::new("roadmap_quarters")
            .striped(true)
            .num_columns(4)
            .show(ui, |ui| {
                for heading in ["Quarter", "Moves", "One-time", "Change in monthly cost"] {
                    ui.label(RichText::new(heading).strong());
                }
                ui.end_row();
                let mut running_change = 0;
                for q in &quarters {
                    running_change += q.monthly_change_cents;
                    ui.label(format!(
                        "FY{:02} Q{}",
                        q.fiscal_year.rem_euclid(100),
                        q.quarter
                    ));
                    let names: Vec<String> = q
                        .moves
                        .iter()
                        .map(|m| format!("{} to {}", plan.workloads[m.workload].name, m.to.label()))
                        .collect();
                    ui.label(names.join("\n"));
                    ui.label(format_cents(q.one_time_cents));
                    ui.label(format!(
                        "{}{} (total so far {}{})",
                        if q.monthly_change_cents > 0 { "+" } else { "" },
                        format_cents(q.monthly_change_cents),
                        if running_change > 0 { "+" } else { "" },
                        format_cents(running_change)
                    ));
                    ui.end_row();
                }
            });
    });
    for edit in edits {
        app.edit(edit);
    }
}
