//! The trade-off chart's MSP view: what each plan earns the MSP over the horizon against the
//! control it keeps, for the scenarios and a dozen frontier plans.

use egui::Ui;
use egui_plot::{Line, LineStyle, Points};

use rust_decimal::prelude::ToPrimitive;

use super::{
    FRONTIER_COLOR, control_plot, inside_label, remember_chart, scenario_color, scenario_marker,
};
use crate::app::{AppState, ChartsView, FrontierKey};
use crate::model::charts::{self, MarginPoint};
use crate::model::{Decimal, Frontier, format_cents, format_control};

#[expect(clippy::cast_precision_loss, reason = "cents well below 2^53")]
fn margin_xy(p: &MarginPoint) -> [f64; 2] {
    [p.control, p.margin_cents as f64]
}

pub fn msp_view_ui(
    ui: &mut Ui,
    state: &AppState,
    view: &mut ChartsView,
    frontier: Option<&Frontier>,
    key: FrontierKey,
) {
    ui.label("The partner's own trade-off: what each plan earns the MSP over the horizon (fees, partner fees and migration, less its own costs) against the control it keeps.");
    let currency = &state.plan().price_book.currency;
    let scenarios = charts::msp_points(&state.derived.totals);
    let frontier_points: &[MarginPoint] = match frontier {
        Some(f) => view.msp_frontier(key, || msp_frontier_points(state, f)),
        None => &[],
    };
    let frontier_xy: Vec<[f64; 2]> = frontier_points.iter().map(margin_xy).collect();
    let response = control_plot(
        "trade_off_msp",
        "Control score (%)",
        format!("MSP margin over the horizon ({currency})"),
    )
    .label_formatter(|hover| {
        let egui_plot::HoverPosition::NearDataPoint {
            plot_name, index, ..
        } = hover
        else {
            return None;
        };
        let p = if *plot_name == "Frontier plans" {
            frontier_points.get(*index)?
        } else {
            scenarios.iter().find(|s| s.label == *plot_name)?
        };
        Some(format!(
            "{}\ncontrol {}\nMSP margin {} {currency}",
            p.label,
            format_control(Decimal::try_from(p.control).unwrap_or_default()),
            format_cents(p.margin_cents)
        ))
    })
    .show(ui, |plot_ui| {
        if !frontier_xy.is_empty() {
            plot_ui.add(
                Points::new("Frontier plans", frontier_xy.clone())
                    .radius(4.0)
                    .color(FRONTIER_COLOR),
            );
            plot_ui.line(
                Line::new("Frontier plans (line)", frontier_xy.clone())
                    .style(LineStyle::dashed_loose())
                    .color(FRONTIER_COLOR),
            );
        }
        for (i, s) in scenarios.iter().enumerate() {
            let xy = margin_xy(s);
            plot_ui.add(scenario_marker(s.label.clone(), xy, scenario_color(i)));
            plot_ui.text(inside_label(&s.label, xy, scenario_color(i)));
        }
    });
    remember_chart(view, response.transform);
}

/// A dozen frontier plans evaluated in full (recovering a plan's assignment replays part of
/// the search, so this is done once per frontier).
fn msp_frontier_points(state: &AppState, frontier: &Frontier) -> Vec<MarginPoint> {
    let evaluation = &state.derived.evaluation;
    charts::thin(&frontier.points, 12)
        .iter()
        .map(|p| {
            let totals = evaluation.totals_of_offers("Frontier plan", &frontier.offers(p));
            MarginPoint {
                label: "Frontier plan".to_owned(),
                control: totals.control_score.to_f64().unwrap_or(0.0),
                margin_cents: totals.msp_margin_total_cents,
            }
        })
        .collect()
}
