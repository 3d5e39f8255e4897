//! The Scenarios view: the totals of PRODUCT.md section 3 side by side for every scenario.

use egui::{Grid, RichText, Ui};

use crate::app::{Action, Actions, AppState};
use crate::model::{ScenarioTotals, format_cents};

/// Formats one figure of a scenario.
type Cell<'a> = dyn Fn(&ScenarioTotals) -> String + 'a;

pub fn scenarios_ui(ui: &mut Ui, state: &AppState, actions: &mut Actions) {
    let plan = state.plan();
    let currency = plan.price_book.currency.clone();
    ui.label(format!(
        "Over {} months from {}, discount rate {} %, growth {} % a year. Amounts in {currency}.",
        plan.assumptions.horizon_months,
        plan.assumptions.start_month,
        plan.assumptions.discount_rate_pct.normalize(),
        plan.assumptions.growth_pct.normalize()
    ));
    ui.add_space(6.0);
    let totals = &state.derived.totals;
    let status_quo_tco = state.derived.evaluation.status_quo_tco();
    let rows: [(&str, &Cell); 10] = [
        ("Moves", &|t| t.moves.to_string()),
        ("Run rate per month", &|t| format_cents(t.run_rate_cents)),
        ("One-time", &|t| format_cents(t.one_time_cents)),
        ("TCO", &|t| format_cents(t.tco_cents)),
        ("NPV", &|t| format_cents(t.npv_cents)),
        ("Break-even", &|t| {
            t.break_even_month
                .map_or_else(|| "none".to_owned(), |m| format!("month {m}"))
        }),
        ("Control score", &|t| {
            crate::model::format_control(t.control_score)
        }),
        ("MSP margin per month", &|t| {
            format_cents(t.msp_monthly_margin_cents)
        }),
        ("MSP margin over horizon", &|t| {
            format_cents(t.msp_margin_total_cents)
        }),
        ("Saving against status quo", &|t| {
            format_cents(status_quo_tco - t.tco_cents)
        }),
    ];
    egui::ScrollArea::both().show(ui, |ui| {
        Grid::new("scenario_totals")
            .striped(true)
            .min_col_width(110.0)
            .show(ui, |ui| {
                ui.label("");
                for (index, t) in totals.iter().enumerate() {
                    let text = RichText::new(&t.name).strong();
                    if ui
                        .selectable_label(index == state.active_scenario, text)
                        .on_hover_text("Make this the active scenario")
                        .clicked()
                    {
                        actions.push(Action::SelectScenario(index));
                    }
                }
                ui.end_row();
                for (label, cell) in rows {
                    ui.label(label);
                    for t in totals {
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            ui.label(cell(t))
                        });
                    }
                    ui.end_row();
                }
            });
        ui.add_space(8.0);
        ui.label(
            RichText::new("Saving against status quo: the status quo's TCO (nothing moves) less the scenario's.")
                .weak()
                .small(),
        );
    });
}
