//! The trade-off chart's plan view: the frontier, every scenario, the status quo, and the
//! plan that answers the optimizer's question.

use egui::{Color32, RichText, Ui};
use egui_plot::{Line, MarkerShape, PlotPoint, Points};
use rust_decimal::prelude::ToPrimitive;

use super::{
    FRONTIER_COLOR, Swatch, bare_control_plot, cost_name, inside_label, legend_ui, pick, point_of,
    remember_chart, scenario_color, scenario_marker,
};
use crate::app::{
    Action, Actions, AppState, ChartAnswer, ChartsView, Chosen, Question, control_f64,
};
use crate::model::charts::{self, TradeOffPoint};
use crate::model::{Decimal, Frontier, FrontierPoint, format_cents, format_control};

/// How many frontier plans the chart draws (the frontier itself is exact and complete).
const SHOWN_FRONTIER_POINTS: usize = 1_500;

pub fn plan_view_ui(
    ui: &mut Ui,
    state: &AppState,
    view: &mut ChartsView,
    frontier: Option<&Frontier>,
    ready: bool,
    actions: &mut Actions,
) {
    let currency = state.plan().price_book.currency.clone();
    question_ui(ui, view, &currency);
    let selection = frontier.map(|f| view.selection(f, &state.exact_answer, state.document_key()));
    answer_ui(ui, state, view, selection, ready, actions);
    if let Some(f) = frontier {
        ui.label(
            RichText::new(format!(
                "{} plans on the frontier, {}; {} shown.",
                f.points.len(),
                f.resolution,
                f.points.len().min(SHOWN_FRONTIER_POINTS)
            ))
            .weak()
            .small(),
        );
    }
    let selected = selection.and_then(ChartAnswer::chosen);
    plot_ui(ui, state, view, frontier, selected.as_ref(), &currency);
}

/// "Cheapest plan with control of at least" (a slider) or "most control with a cost of at
/// most" (an amount). Changing either forgets a clicked point.
fn question_ui(ui: &mut Ui, view: &mut ChartsView, currency: &str) {
    let before = (view.question, view.min_control, view.max_cost.clone());
    ui.horizontal(|ui| {
        ui.radio_value(
            &mut view.question,
            Question::MinControl,
            "Cheapest plan with control of at least",
        );
        let slider = ui
            .add(
                egui::Slider::new(&mut view.min_control, 0.0..=100.0)
                    .suffix(" %")
                    .step_by(0.5),
            )
            .accessible_name("Minimum control");
        if slider.changed() {
            view.question = Question::MinControl;
        }
        ui.separator();
        ui.radio_value(
            &mut view.question,
            Question::MaxCost,
            "Most control with a cost of at most",
        );
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut view.max_cost)
                    .desired_width(110.0)
                    .hint_text(currency),
            )
            .accessible_name("Maximum cost");
        if field.changed() {
            view.question = Question::MaxCost;
        }
    });
    if before != (view.question, view.min_control, view.max_cost.clone()) {
        view.clicked = None;
    }
}

/// The answer's figures and the button that turns it into a scenario.
fn answer_ui(
    ui: &mut Ui,
    state: &AppState,
    view: &ChartsView,
    selection: Option<ChartAnswer<'_>>,
    ready: bool,
    actions: &mut Actions,
) {
    let currency = &state.plan().price_book.currency;
    let cost_name = cost_name(state, view.metric);
    ui.horizontal(|ui| match selection {
        None => {
            ui.label("The frontier appears here once it is computed.");
        }
        Some(ChartAnswer::Computing) => {
            ui.spinner();
            ui.label("Finding the plan with the most control within this cost…");
        }
        Some(ChartAnswer::NoBound) => {
            ui.label("Type a cost to find the plan with the most control within it.");
        }
        Some(ChartAnswer::Nothing) => {
            ui.label(
                RichText::new("No plan answers this question.").color(ui.visuals().warn_fg_color),
            );
        }
        Some(ChartAnswer::Chosen(chosen)) => {
            ui.label(format!(
                "{}: control {}, {cost_name} {} {currency}.",
                if view.clicked.is_some() {
                    "Clicked plan"
                } else {
                    "Answer"
                },
                format_control(chosen.control_score),
                format_cents(chosen.cost_cents),
            ));
            let name = view.question_text(currency);
            let label = if view.clicked.is_some() {
                "Create scenario from this point"
            } else {
                "Create scenario from the answer"
            };
            let hint = if ready {
                format!("Adds the scenario \"{name}\" and makes it active")
            } else {
                "Wait for the frontier of the changed plan".to_owned()
            };
            if ui
                .add_enabled(ready, egui::Button::new(label))
                .on_hover_text(hint)
                .clicked()
            {
                actions.push(Action::CreateScenarioFromPlan {
                    offers: chosen.offers(),
                    name,
                });
            }
        }
    });
}

/// The chart itself: the frontier as one line (its plans named on hover), the scenarios as
/// labelled points kept inside the plot, the legend under it; a click near a frontier plan
/// selects it.
fn plot_ui(
    ui: &mut Ui,
    state: &AppState,
    view: &mut ChartsView,
    frontier: Option<&Frontier>,
    selected: Option<&Chosen<'_>>,
    currency: &str,
) {
    let metric = view.metric;
    let cost_name = cost_name(state, metric);
    let totals = &state.derived.totals;
    let scenarios = charts::scenario_points(totals, metric);
    // The plans the line passes through: each step of the line ends at one of them.
    let shown: Vec<FrontierPoint> =
        frontier.map_or_else(Vec::new, |f| charts::thin(&f.points, SHOWN_FRONTIER_POINTS));
    #[expect(clippy::cast_precision_loss, reason = "cents well below 2^53")]
    let shown_xy: Vec<PlotPoint> = shown
        .iter()
        .map(|p| PlotPoint::new(control_f64(p), p.cost_cents as f64))
        .collect();
    let steps = frontier.map_or_else(Vec::new, |f| {
        charts::frontier_steps(&f.points, SHOWN_FRONTIER_POINTS * 2)
    });
    let status_quo_first = totals.first().is_some_and(|t| t.moves == 0);
    let recommended = state.plan().recommended_index();
    let hover = hover_text(&scenarios, &shown, &cost_name, currency);
    // Leave room under the plot for its legend.
    let height = (ui.available_height() - 48.0).max(200.0);
    let response = bare_control_plot(
        "trade_off_plan",
        "Control score (%)",
        format!("{cost_name} ({currency})"),
    )
    .height(height)
    .label_formatter(hover)
    .show(ui, |plot_ui| {
        if !steps.is_empty() {
            // One thin staircase: egui_plot would otherwise merge a step line's many
            // vertices into a filled band.
            plot_ui.line(
                Line::new(FRONTIER_NAME, steps)
                    .color(FRONTIER_COLOR)
                    .width(2.0)
                    .allow_band(false),
            );
        }
        for (i, point) in scenarios.iter().enumerate() {
            let xy = point_of(point);
            let shape = if i == 0 && status_quo_first {
                MarkerShape::Square
            } else {
                MarkerShape::Circle
            };
            if recommended == Some(i) {
                plot_ui.add(
                    Points::new(format!("{} (recommended)", point.label), vec![xy])
                        .radius(11.0)
                        .shape(MarkerShape::Circle)
                        .filled(false)
                        .color(scenario_color(i)),
                );
            }
            plot_ui.add(scenario_marker(point.label.clone(), xy, scenario_color(i)).shape(shape));
            let name = if recommended == Some(i) {
                format!("{} (recommended)", point.label)
            } else {
                point.label.clone()
            };
            plot_ui.text(inside_label(&name, xy, scenario_color(i)));
        }
        if let Some(chosen) = selected {
            #[expect(clippy::cast_precision_loss, reason = "cents well below 2^53")]
            let xy = [
                chosen.control_score.to_f64().unwrap_or(0.0),
                chosen.cost_cents as f64,
            ];
            plot_ui.add(
                Points::new("Selected plan", vec![xy])
                    .radius(10.0)
                    .shape(MarkerShape::Diamond)
                    .filled(false)
                    .color(Color32::RED),
            );
        }
    });
    remember_chart(view, response.transform);
    let mut legend: Vec<(Swatch, Color32, String)> = Vec::new();
    if !shown.is_empty() {
        legend.push((
            Swatch::Line,
            FRONTIER_COLOR,
            "Frontier: the cheapest plan for each level of control (hover for its plans)"
                .to_owned(),
        ));
    }
    for (i, point) in scenarios.iter().enumerate() {
        let swatch = if i == 0 && status_quo_first {
            Swatch::Square
        } else {
            Swatch::Dot
        };
        legend.push((swatch, scenario_color(i), point.label.clone()));
    }
    if selected.is_some() {
        legend.push((Swatch::Dot, Color32::RED, "Selected plan".to_owned()));
    }
    legend_ui(ui, &legend);
    if response.response.clicked()
        && let Some(pointer) = response.response.interact_pointer_pos()
        && let Some(i) = pick(&response.transform, pointer, &shown_xy)
    {
        view.clicked = Some(shown[i]);
    }
}

/// The frontier line's name (its hover label finds the plan of the step under the pointer).
const FRONTIER_NAME: &str = "Frontier";

/// The hover label of a frontier plan or a scenario.
fn hover_text<'a>(
    scenarios: &'a [TradeOffPoint],
    shown: &'a [FrontierPoint],
    cost_label: &'a str,
    currency: &'a str,
) -> impl Fn(&egui_plot::HoverPosition<'_>) -> Option<String> + 'a {
    move |hover| match hover {
        // The line has two vertices per plan (where its step starts and the plan itself).
        egui_plot::HoverPosition::NearDataPoint {
            plot_name, index, ..
        } if *plot_name == FRONTIER_NAME => shown.get(*index / 2).map(|p| {
            format!(
                "Frontier plan (click to select)\ncontrol {}\n{cost_label} {} {currency}",
                format_control(p.control_score),
                format_cents(p.cost_cents)
            )
        }),
        egui_plot::HoverPosition::NearDataPoint { plot_name, .. } => scenarios
            .iter()
            .find(|s| {
                plot_name
                    .strip_suffix(" (recommended)")
                    .unwrap_or(plot_name)
                    == s.label
            })
            .map(|s| {
                format!(
                    "{}\ncontrol {}\n{cost_label} {} {currency}",
                    s.label,
                    format_control(Decimal::try_from(s.control).unwrap_or_default()),
                    format_cents(s.cost_cents)
                )
            }),
        egui_plot::HoverPosition::Elsewhere { .. } => None,
    }
}
