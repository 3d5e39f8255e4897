//! The trade-off chart's terms view: at a control level, the customer's best price under
//! each term policy (no commitment, up to a year, any; with and without Hybrid Benefit)
//! against what that plan earns the MSP: what the customer's best price costs the partner.

use egui::{Grid, RichText, Ui};
use egui_plot::Points;

use super::{
    FRONTIER_COLOR, money_axis, point_label, remember_chart, scenario_color, scenario_marker,
};
use crate::app::{Action, Actions, AppState, ChartsView};
use crate::model::charts::TermPolicyPoint;
use crate::model::{CostMetric, format_cents, format_control};

/// The series of the policies' plans (their labels join its legend entry).
const POLICIES: &str = "Cheapest under each term policy";

#[expect(clippy::cast_precision_loss, reason = "cents well below 2^53")]
fn xy(cost_cents: i64, margin_cents: i64) -> [f64; 2] {
    [cost_cents as f64, margin_cents as f64]
}

pub fn terms_view_ui(ui: &mut Ui, state: &AppState, view: &mut ChartsView, actions: &mut Actions) {
    let plan = state.plan();
    let currency = &plan.price_book.currency;
    ui.label("What the customer's best price costs the MSP: for each way of buying (how long the customer commits, and whether its own licences are used through Azure Hybrid Benefit), the cheapest plan that keeps at least the control below, with every move in the first month. Reservations and savings plans cut the bill, and the partner-earned credit paid only on pay as you go with it.");
    ui.horizontal(|ui| {
        ui.label("Control at least");
        ui.add(egui::Slider::new(&mut view.min_control, 0.0..=100.0).suffix(" %"))
            .on_hover_text("The control score every plan shown keeps");
    });
    let key = view.terms_key(state.document_key());
    let Some(points) = state.term_policies.result(&key) else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Finding the cheapest plan under each term policy…");
        });
        return;
    };
    let cost = match view.metric {
        CostMetric::Tco => |t: &crate::model::ScenarioTotals| t.tco_cents,
        CostMetric::RunRate => |t: &crate::model::ScenarioTotals| t.run_rate_cents,
    };
    let scenarios: Vec<(String, [f64; 2])> = state
        .derived
        .totals
        .iter()
        .map(|t| (t.name.clone(), xy(cost(t), t.msp_margin_total_cents)))
        .collect();
    let policy_xy: Vec<[f64; 2]> = points
        .iter()
        .map(|p| xy(p.cost_cents, p.msp_margin_total_cents))
        .collect();
    let cost_name = super::cost_name(state, view.metric);
    // The table first (its numbers name the points), the chart in the rest of the room.
    policy_table(ui, points, currency, &cost_name, actions);
    ui.add_space(4.0);
    let response = egui_plot::Plot::new("trade_off_terms")
        .x_axis_label(format!("Customer's {cost_name} ({currency})"))
        .y_axis_label(format!("MSP margin over the horizon ({currency})"))
        .x_axis_formatter(|mark, _| money_axis(mark.value))
        .y_axis_formatter(|mark, _| money_axis(mark.value))
        .include_y(0.0)
        .allow_drag(false)
        .legend(egui_plot::Legend::default().position(egui_plot::Corner::LeftTop))
        .label_formatter(|hover| {
            let egui_plot::HoverPosition::NearDataPoint {
                plot_name, index, ..
            } = hover
            else {
                return None;
            };
            if *plot_name == POLICIES {
                let p = points.get(*index)?;
                Some(format!(
                    "{}\n{cost_name} {} {currency}\ncontrol {}\nMSP margin {} {currency} (partner fees {})",
                    p.label,
                    format_cents(p.cost_cents),
                    format_control(p.control_score),
                    format_cents(p.msp_margin_total_cents),
                    format_cents(p.partner_fees_total_cents)
                ))
            } else {
                Some((*plot_name).to_owned())
            }
        })
        .show(ui, |plot_ui| {
            plot_ui.add(
                Points::new(POLICIES, policy_xy.clone())
                    .radius(5.0)
                    .filled(true)
                    .color(FRONTIER_COLOR),
            );
            for (i, point) in policy_xy.iter().enumerate() {
                plot_ui.text(point_label(
                    POLICIES,
                    &(i + 1).to_string(),
                    *point,
                    FRONTIER_COLOR,
                    false,
                ));
            }
            for (i, (name, point)) in scenarios.iter().enumerate() {
                plot_ui.add(scenario_marker(name.clone(), *point, scenario_color(i)));
                plot_ui.text(point_label(name, name, *point, scenario_color(i), false));
            }
        });
    remember_chart(view, response.transform);
}

/// The plans as a table: each policy's cost, control, margin and partner fees, and a button
/// that makes the plan a scenario.
fn policy_table(
    ui: &mut Ui,
    points: &[TermPolicyPoint],
    currency: &str,
    cost_name: &str,
    actions: &mut Actions,
) {
    Grid::new("term_policies")
        .striped(true)
        .num_columns(7)
        .show(ui, |ui| {
            for heading in [
                "#".to_owned(),
                "Term policy".to_owned(),
                format!("{cost_name} ({currency})"),
                "Control".to_owned(),
                format!("MSP margin ({currency})"),
                format!("of which partner fees ({currency})"),
                String::new(),
            ] {
                ui.label(RichText::new(heading).strong());
            }
            ui.end_row();
            for (i, p) in points.iter().enumerate() {
                ui.label((i + 1).to_string());
                ui.label(&p.label);
                ui.label(format_cents(p.cost_cents));
                ui.label(format_control(p.control_score));
                ui.label(format_cents(p.msp_margin_total_cents));
                ui.label(format_cents(p.partner_fees_total_cents));
                if ui
                    .button("Create scenario")
                    .accessible_name(format!("Create scenario: {}", p.label))
                    .on_hover_text("Adds this plan as a scenario and makes it active")
                    .clicked()
                {
                    actions.push(Action::CreateScenarioFromPlan {
                        offers: p.offers.clone(),
                        name: p.label.clone(),
                    });
                }
                ui.end_row();
            }
        });
}
