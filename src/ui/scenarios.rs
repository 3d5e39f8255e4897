//! The Scenarios view: the totals of PRODUCT.md section 3 side by side for every scenario,
//! and the scenario the account manager recommends to the customer, with why.

use egui::{Color32, Grid, RichText, TextEdit, Ui};

use crate::app::{Action, Actions, AppState, Edit};
use crate::model::{RecommendedScenario, ScenarioTotals, format_cents};

const BADGE_COLOUR: Color32 = Color32::from_rgb(31, 111, 178);

/// The badge beside a recommended scenario (here and in the side panel).
pub fn recommended_badge(ui: &mut Ui) {
    ui.label(
        RichText::new("Recommended")
            .small()
            .strong()
            .color(Color32::WHITE)
            .background_color(BADGE_COLOUR),
    )
    .on_hover_text("The scenario the reports recommend to the customer");
}

/// Formats one figure of a scenario.
type Cell<'a> = dyn Fn(&ScenarioTotals) -> String + 'a;

pub fn scenarios_ui(ui: &mut Ui, state: &AppState, actions: &mut Actions) {
    let plan = state.plan();
    let currency = plan.price_book.currency.clone();
    recommendation_ui(ui, state, actions);
    ui.add_space(6.0);
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
    let mut rows: Vec<(&str, &Cell)> = vec![
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
        ("MSP margin per month (internal)", &|t| {
            format_cents(t.msp_monthly_margin_cents)
        }),
        ("MSP margin over horizon (internal)", &|t| {
            format_cents(t.msp_margin_total_cents)
        }),
    ];
    let saving = |t: &crate::model::ScenarioTotals| format_cents(status_quo_tco - t.tco_cents);
    rows.push(("Saving against status quo", &saving));
    // The rows of commercial terms, where some scenario has them.
    let any =
        |figure: fn(&crate::model::ScenarioTotals) -> i64| totals.iter().any(|t| figure(t) != 0);
    if any(|t| t.upfront_cents) {
        rows.insert(
            3,
            ("of which upfront payments", &|t| {
                format_cents(t.upfront_cents)
            }),
        );
    }
    if any(|t| t.partner_fees_total_cents) {
        let at = rows.len() - 1;
        rows.insert(
            at,
            ("Partner fees in the margin (PEC, CSP; internal)", &|t| {
                format_cents(t.partner_fees_total_cents)
            }),
        );
    }
    if any(|t| t.commitment_past_horizon_cents) {
        rows.push(("Committed after the horizon (not in TCO)", &|t| {
            format_cents(t.commitment_past_horizon_cents)
        }));
    }
    egui::ScrollArea::both().show(ui, |ui| {
        Grid::new("scenario_totals")
            .striped(true)
            .min_col_width(110.0)
            .show(ui, |ui| {
                ui.label("");
                let recommended = plan.recommended_index();
                for (index, t) in totals.iter().enumerate() {
                    let text = RichText::new(&t.name).strong();
                    ui.vertical(|ui| {
                        if ui
                            .selectable_label(index == state.active_scenario, text)
                            .on_hover_text("Make this the active scenario")
                            .clicked()
                        {
                            actions.push(Action::SelectScenario(index));
                        }
                        if recommended == Some(index) {
                            recommended_badge(ui);
                        }
                    });
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

/// Which scenario the reports recommend (or none: they present the scenarios side by side)
/// and the rationale the customer reads beside it.
fn recommendation_ui(ui: &mut Ui, state: &AppState, actions: &mut Actions) {
    let plan = state.plan();
    let current = plan.recommended.clone();
    let chosen_name = current.as_ref().map(|r| r.scenario.clone());
    ui.horizontal(|ui| {
        let label = ui.label(RichText::new("Recommend to the customer").strong());
        let selected_text = chosen_name
            .clone()
            .unwrap_or_else(|| "No recommendation".to_owned());
        egui::ComboBox::from_id_salt("recommended_scenario")
            .selected_text(selected_text)
            .width(260.0)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(chosen_name.is_none(), "No recommendation")
                    .on_hover_text("The reports present the scenarios side by side")
                    .clicked()
                    && current.is_some()
                {
                    actions.edit(Edit::Recommendation(None));
                }
                for scenario in &plan.scenarios {
                    let is_chosen = chosen_name.as_deref() == Some(scenario.name.as_str());
                    if ui.selectable_label(is_chosen, &scenario.name).clicked() && !is_chosen {
                        actions.edit(Edit::Recommendation(Some(RecommendedScenario {
                            scenario: scenario.name.clone(),
                            rationale: current
                                .as_ref()
                                .map(|r| r.rationale.clone())
                                .unwrap_or_default(),
                        })));
                    }
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text("The scenario the customer report and the PDF recommend");
    });
    if let Some(recommended) = current {
        let mut rationale = recommended.rationale.clone();
        ui.horizontal(|ui| {
            let label = ui.label("Why (the customer reads this)");
            let response = ui
                .add(
                    TextEdit::multiline(&mut rationale)
                        .desired_rows(2)
                        .desired_width(520.0)
                        .char_limit(RecommendedScenario::MAX_RATIONALE_CHARS)
                        .hint_text("e.g. Keeps admin access to the systems we support, at a lower monthly cost"),
                )
                .labelled_by(label.id);
            if response.changed() {
                actions.edit(Edit::Recommendation(Some(RecommendedScenario {
                    scenario: recommended.scenario.clone(),
                    rationale: rationale.clone(),
                })));
            }
        });
        ui.label(
            RichText::new(format!(
                "{} of {} characters. The report also shows what the cheapest plan keeping at least as much control would cost.",
                rationale.chars().count(),
                RecommendedScenario::MAX_RATIONALE_CHARS
            ))
            .weak()
            .small(),
        );
    }
}
