//! The trade-off chart (plan, workloads, MSP and terms views), the cash-flow chart, and the
//! optimizer's questions. Plots are views of the engine's figures; clicks come back as
//! actions.

mod cash_flow;
mod msp_view;
mod plan_view;
mod terms_view;
mod workload_view;

use std::sync::Arc;

use egui::{Color32, Pos2, Ui};
use egui_plot::{Legend, Plot, PlotPoint};

use crate::app::{Actions, AppState, ChartsView, FrontierState, TradeOffView};
use crate::model::charts::TradeOffPoint;
use crate::model::{CostMetric, Destination, format_cents};

pub use cash_flow::cash_flow_ui;

/// How close (in points on screen) a click must be to pick a plotted point.
const PICK_RADIUS: f32 = 14.0;

/// The trade-off tab: the metric, the view, and the view itself.
pub fn trade_off_ui(ui: &mut Ui, state: &AppState, view: &mut ChartsView, actions: &mut Actions) {
    ui.horizontal(|ui| {
        ui.label("Cost:");
        ui.selectable_value(&mut view.metric, CostMetric::Tco, "TCO over the horizon");
        ui.selectable_value(&mut view.metric, CostMetric::RunRate, "Run rate per month");
        ui.separator();
        ui.label("View:");
        ui.selectable_value(&mut view.view, TradeOffView::Plan, "Plans");
        ui.selectable_value(&mut view.view, TradeOffView::Workloads, "Workloads");
        ui.selectable_value(&mut view.view, TradeOffView::MspMargin, "MSP margin");
        ui.selectable_value(&mut view.view, TradeOffView::Terms, "Terms and margin");
    });
    let key = frontier_key(state, view);
    // While the plan's new frontier is computed (in the background, started by the app's
    // logic), the previous one stays on screen, but only a frontier of the plan as it is now
    // can become a scenario.
    let (frontier, ready) = match state.frontier.state(key) {
        FrontierState::Ready(frontier) => (Some(Arc::clone(frontier)), true),
        FrontierState::Computing(previous) => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Computing the frontier for the changed plan…");
            });
            (previous.map(Arc::clone), false)
        }
    };
    match view.view {
        TradeOffView::Plan => {
            plan_view::plan_view_ui(ui, state, view, frontier.as_deref(), ready, actions);
        }
        TradeOffView::Workloads => workload_view::workload_view_ui(ui, state, view, actions),
        TradeOffView::MspMargin => {
            let current = frontier.filter(|_| ready);
            msp_view::msp_view_ui(ui, state, view, current.as_deref(), key);
        }
        TradeOffView::Terms => terms_view::terms_view_ui(ui, state, view, actions),
    }
}

/// What the frontier on screen must be computed for.
fn frontier_key(state: &AppState, view: &ChartsView) -> crate::app::FrontierKey {
    let (generation, revision) = state.document_key();
    (generation, revision, view.metric)
}

/// The cost axis's name under a metric.
fn cost_name(state: &AppState, metric: CostMetric) -> String {
    match metric {
        CostMetric::Tco => format!(
            "TCO over {} months",
            state.plan().assumptions.horizon_months
        ),
        CostMetric::RunRate => "run rate per month".to_owned(),
    }
}

/// A chart with control (0–100 %) across and money up, as all trade-off views share, with
/// `egui_plot`'s legend in a corner (the plan view draws its own beside the plot).
fn control_plot<'a>(id: &str, x_label: &str, y_label: String) -> Plot<'a> {
    bare_control_plot(id, x_label, y_label)
        .legend(Legend::default().position(egui_plot::Corner::LeftTop))
}

/// [`control_plot`] without a legend.
fn bare_control_plot<'a>(id: &str, x_label: &str, y_label: String) -> Plot<'a> {
    Plot::new(id)
        .x_axis_label(x_label)
        .y_axis_label(y_label)
        .x_axis_formatter(|mark, _| format!("{:.0} %", mark.value))
        .y_axis_formatter(|mark, _| money_axis(mark.value))
        .include_x(0.0)
        .include_x(100.0)
        .include_y(0.0)
        .allow_drag(false)
}

fn money_axis(value: f64) -> String {
    #[expect(clippy::cast_possible_truncation, reason = "axis labels")]
    let cents = (value.round() as i64 / 100) * 100;
    let text = format_cents(cents);
    text.trim_end_matches(".00").to_owned()
}

/// One colour per scenario, the same in every chart (the status quo is the first).
fn scenario_color(index: usize) -> Color32 {
    const PALETTE: [Color32; 8] = [
        Color32::from_rgb(200, 60, 60),
        Color32::from_rgb(230, 140, 20),
        Color32::from_rgb(40, 160, 90),
        Color32::from_rgb(150, 90, 210),
        Color32::from_rgb(20, 160, 170),
        Color32::from_rgb(210, 80, 160),
        Color32::from_rgb(140, 120, 60),
        Color32::from_rgb(90, 130, 230),
    ];
    PALETTE[index % PALETTE.len()]
}

const FRONTIER_COLOR: Color32 = Color32::from_rgb(0, 120, 212);

fn destination_color(destination: Destination) -> Color32 {
    match destination {
        Destination::OnPremises => Color32::from_rgb(120, 120, 120),
        Destination::MspHosted => Color32::from_rgb(46, 139, 87),
        Destination::AzureIaas => Color32::from_rgb(0, 120, 212),
        Destination::AzurePaas => Color32::from_rgb(110, 80, 200),
        Destination::Bpos => Color32::from_rgb(230, 120, 20),
    }
}

/// The nearest of `points` (plot coordinates) to the pointer, within the pick radius.
fn pick(
    transform: &egui_plot::PlotTransform,
    pointer: Pos2,
    points: &[PlotPoint],
) -> Option<usize> {
    points
        .iter()
        .enumerate()
        .map(|(i, p)| (i, transform.position_from_point(p).distance(pointer)))
        .filter(|(_, d)| *d <= PICK_RADIUS)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

#[expect(clippy::cast_precision_loss, reason = "cents well below 2^53")]
fn point_of(p: &TradeOffPoint) -> [f64; 2] {
    [p.control, p.cost_cents as f64]
}

/// A chart's coordinates, for tests that click it.
fn remember_chart(view: &mut ChartsView, transform: egui_plot::PlotTransform) {
    view.transform = Some(transform);
}

/// A point's name as plot text that stays inside the plot: right of points in the left part
/// of the control axis, left of them near its right end (the status quo sits at 100 %).
fn inside_label(name: &str, xy: [f64; 2], color: Color32) -> egui_plot::Text {
    point_label(name, name, xy, color, xy[0] > 60.0)
}

/// `text` beside a point (on its left or its right), in the legend entry of `series`.
fn point_label(
    series: &str,
    text: &str,
    xy: [f64; 2],
    color: Color32,
    on_left: bool,
) -> egui_plot::Text {
    let (text, anchor) = if on_left {
        (format!("{text}  "), egui::Align2::RIGHT_BOTTOM)
    } else {
        (format!("  {text}"), egui::Align2::LEFT_BOTTOM)
    };
    egui_plot::Text::new(series.to_owned(), PlotPoint::new(xy[0], xy[1]), text)
        .anchor(anchor)
        .color(color)
}

/// A scenario's point: a filled marker in its colour.
fn scenario_marker(name: String, xy: [f64; 2], color: Color32) -> egui_plot::Points<'static> {
    egui_plot::Points::new(name, vec![xy])
        .radius(7.0)
        .filled(true)
        .color(color)
}

/// How a legend entry shows its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Swatch {
    Line,
    Dashed,
    Dot,
    Square,
    Diamond,
}

/// A legend under a plot, in rows that wrap: it never covers the plot.
fn legend_ui(ui: &mut Ui, items: &[(Swatch, Color32, String)]) {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 14.0;
        for (swatch, color, name) in items {
            ui.horizontal(|ui| {
                ui.spacing_mut().item_spacing.x = 4.0;
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(18.0, 12.0), egui::Sense::hover());
                let painter = ui.painter();
                let centre = rect.center();
                match swatch {
                    Swatch::Line => {
                        painter.line_segment(
                            [rect.left_center(), rect.right_center()],
                            egui::Stroke::new(2.5, *color),
                        );
                    }
                    Swatch::Dashed => {
                        for i in 0..3 {
                            #[expect(clippy::cast_precision_loss, reason = "three dashes")]
                            let x = rect.left() + i as f32 * 7.0;
                            painter.line_segment(
                                [egui::pos2(x, centre.y), egui::pos2(x + 4.0, centre.y)],
                                egui::Stroke::new(2.5, *color),
                            );
                        }
                    }
                    Swatch::Dot => {
                        painter.circle_filled(centre, 5.0, *color);
                    }
                    Swatch::Diamond => {
                        let r = 5.5;
                        painter.add(egui::Shape::convex_polygon(
                            vec![
                                centre + egui::vec2(0.0, -r),
                                centre + egui::vec2(r, 0.0),
                                centre + egui::vec2(0.0, r),
                                centre + egui::vec2(-r, 0.0),
                            ],
                            *color,
                            egui::Stroke::NONE,
                        ));
                    }
                    Swatch::Square => {
                        painter.rect_filled(
                            egui::Rect::from_center_size(centre, egui::vec2(10.0, 10.0)),
                            0.0,
                            *color,
                        );
                    }
                }
                ui.label(egui::RichText::new(name).small());
            });
        }
    });
}
