//! The trade-off chart's workload view: each workload's allowed destinations as points, the
//! current one ringed, the chosen one marked, an arrow for each move. A click on a
//! destination chooses it in the active scenario.

use egui::{Color32, RichText, Ui};
use egui_plot::{Arrows, MarkerShape, Points};

use super::{control_plot, destination_color, pick, remember_chart};
use crate::app::{Action, Actions, AppState, ChartsView, HoverRow, WorkloadChart};
use crate::model::{CostMetric, Destination, format_cents};

/// How many workloads the workload view draws at most when "all" are shown.
const SHOWN_WORKLOADS: usize = 600;

pub fn workload_view_ui(
    ui: &mut Ui,
    state: &AppState,
    view: &mut ChartsView,
    actions: &mut Actions,
) {
    let plan = state.plan();
    ui.horizontal(|ui| {
        ui.checkbox(&mut view.all_workloads, "All workloads")
            .on_hover_text("Otherwise only the workload selected in the Workloads view");
        let scenario = plan
            .scenarios
            .get(state.active_scenario)
            .map_or("", |s| s.name.as_str());
        ui.label(
            RichText::new(format!(
                "Click a destination to choose it in \"{scenario}\" (undo with Ctrl+Z)."
            ))
            .weak(),
        );
    });
    let which = shown_workloads(ui, state, view.all_workloads);
    if which.is_empty() {
        ui.label("Select a workload in the Workloads view, or tick \"All workloads\".");
        return;
    }
    let chart = view.workload_chart(
        state.document_key(),
        plan,
        &state.derived.evaluation,
        state.active_scenario,
        which,
    );
    let currency = &plan.price_book.currency;
    let cost_name = match view.metric {
        CostMetric::Tco => "TCO",
        CostMetric::RunRate => "monthly",
    };
    let response = control_plot(
        "trade_off_workloads",
        "Control (%)",
        format!("{cost_name} ({currency})"),
    )
    .label_formatter(|hover| hover_text(&chart.hover_groups, hover, cost_name, currency))
    .show(ui, |plot_ui| draw(plot_ui, &chart));
    remember_chart(view, response.transform);
    if response.response.clicked()
        && let Some(pointer) = response.response.interact_pointer_pos()
        && let Some(i) = pick(&response.transform, pointer, &chart.all_xy)
    {
        let option = &chart.options[i];
        actions.push(Action::ChooseOffer {
            workload: option.workload,
            offer: option.offer,
        });
    }
}

/// The workloads to draw: the selected ones, or all (the largest by today's cost when
/// there are too many to read).
fn shown_workloads(ui: &mut Ui, state: &AppState, all: bool) -> Vec<usize> {
    let count = state.plan().workloads.len();
    if !all {
        return state
            .selection
            .all
            .iter()
            .copied()
            .filter(|&i| i < count)
            .collect();
    }
    let mut which: Vec<usize> = (0..count).collect();
    if which.len() > SHOWN_WORKLOADS {
        let evaluation = &state.derived.evaluation;
        which.sort_by_key(|&i| {
            std::cmp::Reverse(
                evaluation
                    .current(i)
                    .and_then(|d| evaluation.option(i, d))
                    .map_or(0, |p| p.monthly_cents),
            )
        });
        which.truncate(SHOWN_WORKLOADS);
        ui.label(
            RichText::new(format!(
                "Showing the {SHOWN_WORKLOADS} workloads that cost most today, of {count}."
            ))
            .weak()
            .small(),
        );
    }
    which
}

fn draw<'a>(plot_ui: &mut egui_plot::PlotUi<'a>, chart: &'a WorkloadChart) {
    if !chart.origins.is_empty() {
        plot_ui.add(
            Arrows::new("Moves", chart.origins.as_slice(), chart.tips.as_slice())
                .tip_length(12.0)
                .color(Color32::GRAY),
        );
    }
    for (destination, points) in &chart.by_destination {
        plot_ui.add(
            Points::new(destination.label(), points.as_slice())
                .radius(4.0)
                .filled(true)
                .color(destination_color(*destination)),
        );
    }
    plot_ui.add(
        Points::new("Current", chart.current.as_slice())
            .radius(8.0)
            .filled(false)
            .shape(MarkerShape::Circle)
            .color(Color32::DARK_GRAY),
    );
    plot_ui.add(
        Points::new("Chosen", chart.chosen.as_slice())
            .radius(9.0)
            .filled(false)
            .shape(MarkerShape::Diamond)
            .color(Color32::RED),
    );
}

fn hover_text(
    groups: &[(Destination, Vec<HoverRow>)],
    hover: &egui_plot::HoverPosition<'_>,
    cost_name: &str,
    currency: &str,
) -> Option<String> {
    let egui_plot::HoverPosition::NearDataPoint {
        plot_name, index, ..
    } = hover
    else {
        return None;
    };
    let (destination, list) = groups.iter().find(|(d, _)| d.label() == *plot_name)?;
    let (name, cost, control) = list.get(*index)?;
    Some(format!(
        "{name}\n{}: {cost_name} {} {currency}\ncontrol {control:.2}",
        destination.label(),
        format_cents(*cost)
    ))
}
