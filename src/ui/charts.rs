//! The trade-off chart (plan, workloads and MSP views), the cash-flow chart, and the
//! optimizer's questions. Plots are views of the engine's figures; clicks come back as edits.

use std::sync::Arc;

use rust_decimal::prelude::ToPrimitive;

use egui::{Color32, Pos2, RichText, Ui};
use egui_plot::{
    Arrows, Legend, Line, LineStyle, MarkerShape, Plot, PlotPoint, Points, Text, VLine,
};

use super::KeyholderApp;
use super::frontier_worker::{FrontierState, FrontierWorker};
use crate::app::Edit;
use crate::model::charts::{self, TradeOffPoint, WorkloadOption};
use crate::model::{
    Choice, CostMetric, Decimal, Destination, Frontier, FrontierPoint, format_cents, format_control,
};

/// How many frontier plans the chart draws (the frontier itself is exact and complete).
const SHOWN_FRONTIER_POINTS: usize = 1_500;
/// How many workloads the workload view draws at most when "all" are shown.
const SHOWN_WORKLOADS: usize = 600;
/// How close (in points on screen) a click must be to pick a plotted point.
const PICK_RADIUS: f32 = 14.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TradeOffView {
    Plan,
    Workloads,
    MspMargin,
}

/// Which of the optimizer's questions picks the highlighted frontier point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    MinControl,
    MaxCost,
}

pub struct ChartsView {
    pub metric: CostMetric,
    pub view: TradeOffView,
    pub question: Question,
    /// The "minimum control" slider, 0–100.
    pub min_control: f64,
    /// The "maximum cost" field, in the plan's currency.
    pub max_cost: String,
    /// A frontier point the user clicked (replaces the question's answer until it changes).
    pub clicked: Option<FrontierPoint>,
    pub all_workloads: bool,
    pub show_monthly_cost: bool,
    pub show_msp_margin: bool,
    pub worker: FrontierWorker,
    /// Where the last chart was drawn, for File ▸ Export ▸ Chart.
    pub chart_rect: Option<egui::Rect>,
    /// Screen ↔ plot coordinates of the last chart drawn.
    pub transform: Option<egui_plot::PlotTransform>,
    /// The workload view's prepared points.
    workload_cache: Option<(WorkloadChartKey, Arc<WorkloadChart>)>,
    /// The MSP margin of a dozen frontier plans, for the frontier it was computed from.
    msp_cache: Option<(super::frontier_worker::FrontierKey, Vec<TradeOffPoint>)>,
}

impl Default for ChartsView {
    fn default() -> Self {
        Self {
            metric: CostMetric::Tco,
            view: TradeOffView::Plan,
            question: Question::MinControl,
            min_control: 70.0,
            max_cost: String::new(),
            clicked: None,
            all_workloads: false,
            show_monthly_cost: false,
            show_msp_margin: false,
            worker: FrontierWorker::default(),
            chart_rect: None,
            transform: None,
            msp_cache: None,
            workload_cache: None,
        }
    }
}

impl ChartsView {
    /// The frontier point the current question (or a click) selects.
    #[must_use]
    pub fn selected(&self, frontier: &Frontier) -> Option<FrontierPoint> {
        if let Some(point) = self.clicked.filter(|p| frontier.points.contains(p)) {
            return Some(point);
        }
        match self.question {
            Question::MinControl => {
                let min = Decimal::from_f64_retain(self.min_control)
                    .unwrap_or(Decimal::ZERO)
                    .round_dp(2);
                frontier.cheapest_with_control_at_least(min).copied()
            }
            Question::MaxCost => crate::model::parse_amount_cents(&self.max_cost)
                .ok()
                .and_then(|max| frontier.most_control_within(max).copied()),
        }
    }

    /// The name a scenario created from the selected point gets.
    #[must_use]
    pub fn question_text(&self, currency: &str) -> String {
        if self.clicked.is_some() {
            return "Frontier plan".to_owned();
        }
        let metric = match self.metric {
            CostMetric::Tco => "TCO",
            CostMetric::RunRate => "run rate",
        };
        match self.question {
            Question::MinControl => {
                format!("Cheapest with control at least {:.0}", self.min_control)
            }
            Question::MaxCost => format!(
                "Most control within {} {currency} {metric}",
                self.max_cost.trim()
            ),
        }
    }
}

/// A chart with control (0–100 %) across and money up, as all trade-off views share.
fn control_plot<'a>(id: &str, x_label: &str, y_label: String) -> Plot<'a> {
    Plot::new(id)
        .legend(Legend::default().position(egui_plot::Corner::LeftTop))
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

/// A workload's name, cost and control, for the hover label of its point.
type HoverRow = (String, i64, f64);

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
fn pick(transform: &egui_plot::PlotTransform, pointer: Pos2, points: &[[f64; 2]]) -> Option<usize> {
    points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                i,
                transform
                    .position_from_point(&PlotPoint::new(p[0], p[1]))
                    .distance(pointer),
            )
        })
        .filter(|(_, d)| *d <= PICK_RADIUS)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

#[expect(clippy::cast_precision_loss, reason = "cents well below 2^53")]
fn point_of(p: &TradeOffPoint) -> [f64; 2] {
    [p.control, p.cost_cents as f64]
}

pub fn trade_off_ui(ui: &mut Ui, app: &mut KeyholderApp) {
    let currency = app.plan().price_book.currency.clone();
    ui.horizontal(|ui| {
        ui.label("Cost:");
        ui.selectable_value(
            &mut app.charts.metric,
            CostMetric::Tco,
            "TCO over the horizon",
        );
        ui.selectable_value(
            &mut app.charts.metric,
            CostMetric::RunRate,
            "Run rate per month",
        );
        ui.separator();
        ui.label("View:");
        ui.selectable_value(&mut app.charts.view, TradeOffView::Plan, "Plans");
        ui.selectable_value(&mut app.charts.view, TradeOffView::Workloads, "Workloads");
        ui.selectable_value(&mut app.charts.view, TradeOffView::MspMargin, "MSP margin");
    });
    let key = (app.generation, app.document.revision(), app.charts.metric);
    let ctx = ui.ctx().clone();
    app.charts
        .worker
        .request(key, &app.derived.evaluation, &ctx);
    // While the plan's new frontier is computed, the previous one stays on screen, but only
    // a frontier of the plan as it is now can become a scenario.
    let (frontier, ready) = match app.charts.worker.state(key) {
        FrontierState::Ready(frontier) => (Some(Arc::clone(frontier)), true),
        FrontierState::Computing(previous) => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Computing the frontier for the changed plan…");
            });
            (previous.map(Arc::clone), false)
        }
    };
    match app.charts.view {
        TradeOffView::Plan => plan_view_ui(ui, app, frontier.as_deref(), ready, &currency),
        TradeOffView::Workloads => workload_view_ui(ui, app, &currency),
        TradeOffView::MspMargin => {
            let current = frontier.filter(|_| ready);
            msp_view_ui(ui, app, current.as_deref(), key, &currency);
        }
    }
}

fn plan_view_ui(
    ui: &mut Ui,
    app: &mut KeyholderApp,
    frontier: Option<&Frontier>,
    ready: bool,
    currency: &str,
) {
    let metric = app.charts.metric;
    let cost_name = match metric {
        CostMetric::Tco => format!("TCO over {} months", app.plan().assumptions.horizon_months),
        CostMetric::RunRate => "run rate per month".to_owned(),
    };
    let before = (
        app.charts.question,
        app.charts.min_control,
        app.charts.max_cost.clone(),
    );
    ui.horizontal(|ui| {
        ui.radio_value(
            &mut app.charts.question,
            Question::MinControl,
            "Cheapest plan with control of at least",
        );
        let slider = ui.add(
            egui::Slider::new(&mut app.charts.min_control, 0.0..=100.0)
                .suffix(" %")
                .step_by(0.5),
        );
        let slider = slider.accessible_name("Minimum control");
        if slider.changed() {
            app.charts.question = Question::MinControl;
        }
        ui.separator();
        ui.radio_value(
            &mut app.charts.question,
            Question::MaxCost,
            "Most control with a cost of at most",
        );
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut app.charts.max_cost)
                    .desired_width(110.0)
                    .hint_text(currency),
            )
            .accessible_name("Maximum cost");
        if field.changed() {
            app.charts.question = Question::MaxCost;
        }
    });
    if before
        != (
            app.charts.question,
            app.charts.min_control,
            app.charts.max_cost.clone(),
        )
    {
        app.charts.clicked = None;
    }

    let selected = frontier.and_then(|f| app.charts.selected(f));
    ui.horizontal(|ui| match (frontier, selected) {
        (None, _) => {
            ui.label("The frontier appears here once it is computed.");
        }
        (Some(_), None) => {
            ui.label(
                RichText::new("No plan answers this question.").color(ui.visuals().warn_fg_color),
            );
        }
        (Some(frontier), Some(point)) => {
            ui.label(format!(
                "{}: control {}, {cost_name} {} {currency}.",
                if app.charts.clicked.is_some() {
                    "Clicked plan"
                } else {
                    "Answer"
                },
                format_control(point.control_score),
                format_cents(point.cost_cents),
            ));
            let name = app.charts.question_text(currency);
            let label = if app.charts.clicked.is_some() {
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
                create_scenario(app, frontier, &point, &name);
            }
        }
    });
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

    let scenarios = charts::scenario_points(&app.derived.totals, metric);
    let shown: Vec<FrontierPoint> =
        frontier.map_or_else(Vec::new, |f| charts::thin(&f.points, SHOWN_FRONTIER_POINTS));
    #[expect(clippy::cast_precision_loss, reason = "cents well below 2^53")]
    let shown_xy: Vec<[f64; 2]> = shown
        .iter()
        .map(|p| [p.control_score.to_f64().unwrap_or(0.0), p.cost_cents as f64])
        .collect();
    let steps = frontier.map_or_else(Vec::new, |f| {
        charts::frontier_steps(&f.points, SHOWN_FRONTIER_POINTS * 2)
    });
    let labels: Vec<String> = scenarios.iter().map(|s| s.label.clone()).collect();
    let scenario_xy: Vec<[f64; 2]> = scenarios.iter().map(point_of).collect();
    let cost_label = cost_name.clone();
    let hover_scenarios = scenarios.clone();
    let hover_shown = shown.clone();
    let currency_owned = currency.to_owned();
    // The chart with its axes, for File ▸ Export ▸ Chart.
    let scoped = ui.scope(|ui| {
        control_plot(
            "trade_off_plan",
            "Control score (%)",
            format!("{cost_name} ({currency})"),
        )
        .label_formatter(move |hover| match hover {
            egui_plot::HoverPosition::NearDataPoint {
                plot_name, index, ..
            } if *plot_name == "Frontier plans" => hover_shown.get(*index).map(|p| {
                format!(
                    "Frontier plan\ncontrol {}\n{cost_label} {} {currency_owned}",
                    format_control(p.control_score),
                    format_cents(p.cost_cents)
                )
            }),
            egui_plot::HoverPosition::NearDataPoint { plot_name, .. } => hover_scenarios
                .iter()
                .find(|s| s.label == *plot_name)
                .map(|s| {
                    format!(
                        "{}\ncontrol {}\n{cost_label} {} {currency_owned}",
                        s.label,
                        format_control(Decimal::try_from(s.control).unwrap_or_default()),
                        format_cents(s.cost_cents)
                    )
                }),
            egui_plot::HoverPosition::Elsewhere { .. } => None,
        })
        .show(ui, |plot_ui| {
            if !steps.is_empty() {
                plot_ui.line(
                    Line::new("Frontier", steps.clone())
                        .color(Color32::from_rgb(0, 120, 212))
                        .width(2.0),
                );
                plot_ui.add(
                    Points::new("Frontier plans", shown_xy.clone())
                        .radius(1.5)
                        .color(Color32::from_rgb(0, 120, 212)),
                );
            }
            for (i, (label, xy)) in labels.iter().zip(&scenario_xy).enumerate() {
                let status_quo = i == 0 && app.derived.totals.first().is_some_and(|t| t.moves == 0);
                let shape = if status_quo {
                    MarkerShape::Square
                } else {
                    MarkerShape::Circle
                };
                plot_ui.add(
                    Points::new(label.clone(), vec![*xy])
                        .radius(7.0)
                        .shape(shape)
                        .filled(true)
                        .color(scenario_color(i)),
                );
                plot_ui.text(
                    Text::new(
                        label.clone(),
                        PlotPoint::new(xy[0], xy[1]),
                        format!("  {label}"),
                    )
                    .anchor(egui::Align2::LEFT_BOTTOM)
                    .color(scenario_color(i)),
                );
            }
            if let Some(point) = selected {
                #[expect(clippy::cast_precision_loss, reason = "cents well below 2^53")]
                let xy = [
                    point.control_score.to_f64().unwrap_or(0.0),
                    point.cost_cents as f64,
                ];
                plot_ui.add(
                    Points::new("Selected plan", vec![xy])
                        .radius(10.0)
                        .shape(MarkerShape::Diamond)
                        .filled(false)
                        .color(Color32::RED),
                );
            }
        })
    });
    let response = scoped.inner;
    app.charts.chart_rect = Some(scoped.response.rect);
    app.charts.transform = Some(response.transform);
    if response.response.clicked()
        && let Some(pointer) = response.response.interact_pointer_pos()
        && let Some(i) = pick(&response.transform, pointer, &shown_xy)
    {
        app.charts.clicked = Some(shown[i]);
    }
}

/// Adds a scenario with the frontier point's assignment (all moves in month 0).
pub fn create_scenario(
    app: &mut KeyholderApp,
    frontier: &Frontier,
    point: &FrontierPoint,
    name: &str,
) {
    let destinations = frontier.assignment(point);
    let plan = app.plan();
    let unique = (1..)
        .map(|n| {
            if n == 1 {
                name.to_owned()
            } else {
                format!("{name} ({n})")
            }
        })
        .find(|candidate| plan.scenarios.iter().all(|s| s.name.trim() != candidate))
        .unwrap_or_else(|| name.to_owned());
    let scenario = app
        .derived
        .evaluation
        .scenario_from_destinations(plan, &unique, &destinations);
    let index = plan.scenarios.len();
    app.edit(Edit::InsertScenario { index, scenario });
    app.active_scenario = index;
    app.status = Some(format!(
        "Scenario \"{unique}\" created from the frontier; edit its moves in the Workloads or Roadmap view."
    ));
}

/// Everything the workload view draws, prepared once per plan revision and selection.
pub struct WorkloadChart {
    options: Vec<WorkloadOption>,
    by_destination: Vec<(Destination, Vec<[f64; 2]>)>,
    current: Vec<[f64; 2]>,
    chosen: Vec<[f64; 2]>,
    origins: Vec<[f64; 2]>,
    tips: Vec<[f64; 2]>,
    /// Every option's point, in the order of `options` (for picking a click).
    all_xy: Vec<[f64; 2]>,
    hover_groups: Vec<(Destination, Vec<HoverRow>)>,
}

/// What the workload view was prepared for.
type WorkloadChartKey = (u64, u64, usize, CostMetric, Vec<usize>);

impl WorkloadChart {
    fn build(app: &KeyholderApp, metric: CostMetric, which: &[usize]) -> Self {
        let scenario = app.plan().scenarios.get(app.active_scenario);
        let options = charts::workload_options(&app.derived.evaluation, scenario, metric, which);
        #[expect(clippy::cast_precision_loss, reason = "cents well below 2^53")]
        let xy = |o: &WorkloadOption| [o.control, o.cost_cents as f64];
        let workloads = &app.plan().workloads;
        let mut by_destination: Vec<(Destination, Vec<[f64; 2]>)> = Destination::ALL
            .into_iter()
            .map(|d| (d, Vec::new()))
            .collect();
        let mut hover_groups: Vec<(Destination, Vec<HoverRow>)> = Destination::ALL
            .into_iter()
            .map(|d| (d, Vec::new()))
            .collect();
        for o in &options {
            by_destination[o.destination.index()].1.push(xy(o));
            hover_groups[o.destination.index()].1.push((
                workloads[o.workload].name.clone(),
                o.cost_cents,
                o.control,
            ));
        }
        // Options come grouped by workload: one arrow per workload that moves.
        let mut origins = Vec::new();
        let mut tips = Vec::new();
        for group in options.chunk_by(|a, b| a.workload == b.workload) {
            let from = group.iter().find(|o| o.is_current);
            let to = group.iter().find(|o| o.is_chosen);
            if let (Some(from), Some(to)) = (from, to)
                && from.destination != to.destination
            {
                origins.push(xy(from));
                tips.push(xy(to));
            }
        }
        Self {
            current: options.iter().filter(|o| o.is_current).map(xy).collect(),
            chosen: options.iter().filter(|o| o.is_chosen).map(xy).collect(),
            all_xy: options.iter().map(xy).collect(),
            options,
            by_destination,
            origins,
            tips,
            hover_groups,
        }
    }
}

fn workload_view_ui(ui: &mut Ui, app: &mut KeyholderApp, currency: &str) {
    let metric = app.charts.metric;
    let count = app.plan().workloads.len();
    ui.horizontal(|ui| {
        ui.checkbox(&mut app.charts.all_workloads, "All workloads")
            .on_hover_text("Otherwise only the workload selected in the Workloads view");
        let scenario = app
            .plan()
            .scenarios
            .get(app.active_scenario)
            .map_or_else(String::new, |s| s.name.clone());
        ui.label(
            RichText::new(format!(
                "Click a destination to choose it in \"{scenario}\" (undo with Ctrl+Z)."
            ))
            .weak(),
        );
    });
    let mut which: Vec<usize> = if app.charts.all_workloads {
        (0..count).collect()
    } else {
        app.workloads_view
            .selected
            .into_iter()
            .filter(|i| *i < count)
            .collect()
    };
    if which.is_empty() {
        ui.label("Select a workload in the Workloads view, or tick \"All workloads\".");
        return;
    }
    if which.len() > SHOWN_WORKLOADS {
        // The largest workloads by today's cost matter most on the chart.
        let evaluation = &app.derived.evaluation;
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
    let key = (
        app.generation,
        app.document.revision(),
        app.active_scenario,
        metric,
        which.clone(),
    );
    let data = match &app.charts.workload_cache {
        Some((cached, data)) if *cached == key => Arc::clone(data),
        _ => {
            let data = Arc::new(WorkloadChart::build(app, metric, &which));
            app.charts.workload_cache = Some((key, Arc::clone(&data)));
            data
        }
    };
    let WorkloadChart {
        options,
        by_destination,
        current,
        chosen,
        origins,
        tips,
        all_xy,
        hover_groups,
    } = &*data;
    let (current, chosen, origins, tips) = (
        current.clone(),
        chosen.clone(),
        origins.clone(),
        tips.clone(),
    );
    let by_destination = by_destination.clone();
    let hover_groups = hover_groups.clone();
    let cost_name = match metric {
        CostMetric::Tco => "TCO",
        CostMetric::RunRate => "monthly",
    };
    let currency_owned = currency.to_owned();
    // The chart with its axes, for File ▸ Export ▸ Chart.
    let scoped = ui.scope(|ui| {
        control_plot(
            "trade_off_workloads",
            "Control (%)",
            format!("{cost_name} ({currency})"),
        )
        .label_formatter(move |hover| {
            let egui_plot::HoverPosition::NearDataPoint {
                plot_name, index, ..
            } = hover
            else {
                return None;
            };
            let (destination, list) = hover_groups.iter().find(|(d, _)| d.label() == *plot_name)?;
            let (name, cost, control) = list.get(*index)?;
            Some(format!(
                "{name}\n{}: {cost_name} {} {currency_owned}\ncontrol {control:.2}",
                destination.label(),
                format_cents(*cost)
            ))
        })
        .show(ui, |plot_ui| {
            if !origins.is_empty() {
                plot_ui.add(
                    Arrows::new("Moves", origins.clone(), tips.clone())
                        .tip_length(12.0)
                        .color(Color32::GRAY),
                );
            }
            for (destination, points) in &by_destination {
                plot_ui.add(
                    Points::new(destination.label(), points.clone())
                        .radius(4.0)
                        .filled(true)
                        .color(destination_color(*destination)),
                );
            }
            plot_ui.add(
                Points::new("Current", current.clone())
                    .radius(8.0)
                    .filled(false)
                    .shape(MarkerShape::Circle)
                    .color(Color32::DARK_GRAY),
            );
            plot_ui.add(
                Points::new("Chosen", chosen.clone())
                    .radius(9.0)
                    .filled(false)
                    .shape(MarkerShape::Diamond)
                    .color(Color32::RED),
            );
        })
    });
    let response = scoped.inner;
    app.charts.chart_rect = Some(scoped.response.rect);
    app.charts.transform = Some(response.transform);
    if response.response.clicked()
        && let Some(pointer) = response.response.interact_pointer_pos()
        && let Some(i) = pick(&response.transform, pointer, all_xy)
    {
        let option = &options[i];
        set_choice_by_click(app, option.workload, option.destination);
    }
}

/// Sets `destination` for a workload in the active scenario (undoable), keeping its move month.
pub fn set_choice_by_click(app: &mut KeyholderApp, workload: usize, destination: Destination) {
    let Some(scenario) = app.plan().scenarios.get(app.active_scenario) else {
        return;
    };
    let Some(w) = app.plan().workloads.get(workload) else {
        return;
    };
    let move_month = scenario.choices.get(&w.id).map_or(0, |c| c.move_month);
    let choice = (destination != w.current).then_some(Choice {
        destination,
        move_month,
    });
    let (id, name, scenario_name) = (w.id.clone(), w.name.clone(), scenario.name.clone());
    app.edit(Edit::Choice {
        scenario: app.active_scenario,
        workload_id: id,
        choice,
    });
    app.status = Some(format!(
        "{name}: {} in \"{scenario_name}\".",
        destination.label()
    ));
}

fn msp_view_ui(
    ui: &mut Ui,
    app: &mut KeyholderApp,
    frontier: Option<&Frontier>,
    key: super::frontier_worker::FrontierKey,
    currency: &str,
) {
    ui.label("The partner's own trade-off: what each plan earns the MSP over the horizon (fees, partner fees and migration, less its own costs) against the control it keeps.");
    let scenarios = charts::msp_points(&app.derived.totals);
    // A few frontier plans, evaluated in full (assignments are recovered on demand).
    // A dozen frontier plans evaluated in full, once per frontier (recovering an assignment
    // replays part of the search).
    let frontier_points: Vec<TradeOffPoint> = match (frontier, &app.charts.msp_cache) {
        (Some(_), Some((cached, points))) if *cached == key => points.clone(),
        (Some(f), _) => {
            let points: Vec<TradeOffPoint> = charts::thin(&f.points, 12)
                .iter()
                .map(|p| {
                    let totals = app
                        .derived
                        .evaluation
                        .totals_of_destinations("Frontier plan", &f.assignment(p));
                    TradeOffPoint {
                        label: "Frontier plan".to_owned(),
                        control: totals.control_score.to_f64().unwrap_or(0.0),
                        cost_cents: totals.msp_margin_total_cents,
                    }
                })
                .collect();
            app.charts.msp_cache = Some((key, points.clone()));
            points
        }
        (None, _) => Vec::new(),
    };
    let currency_owned = currency.to_owned();
    let hover: Vec<TradeOffPoint> = scenarios.clone();
    let frontier_hover = frontier_points.clone();
    // The chart with its axes, for File ▸ Export ▸ Chart.
    let scoped = ui.scope(|ui| {
        control_plot(
            "trade_off_msp",
            "Control score (%)",
            format!("MSP margin over the horizon ({currency})"),
        )
        .label_formatter(move |h| {
            let egui_plot::HoverPosition::NearDataPoint {
                plot_name, index, ..
            } = h
            else {
                return None;
            };
            let p = if *plot_name == "Frontier plans" {
                frontier_hover.get(*index)?
            } else {
                hover.iter().find(|s| s.label == *plot_name)?
            };
            Some(format!(
                "{}\ncontrol {}\nMSP margin {} {currency_owned}",
                p.label,
                format_control(Decimal::try_from(p.control).unwrap_or_default()),
                format_cents(p.cost_cents)
            ))
        })
        .show(ui, |plot_ui| {
            if !frontier_points.is_empty() {
                let xy: Vec<[f64; 2]> = frontier_points.iter().map(point_of).collect();
                plot_ui.add(
                    Points::new("Frontier plans", xy.clone())
                        .radius(4.0)
                        .color(Color32::from_rgb(0, 120, 212)),
                );
                plot_ui.line(
                    Line::new("Frontier plans (line)", xy)
                        .style(LineStyle::dashed_loose())
                        .color(Color32::from_rgb(0, 120, 212)),
                );
            }
            for (i, s) in scenarios.iter().enumerate() {
                let xy = point_of(s);
                plot_ui.add(
                    Points::new(s.label.clone(), vec![xy])
                        .radius(7.0)
                        .filled(true)
                        .color(scenario_color(i)),
                );
                plot_ui.text(
                    Text::new(
                        s.label.clone(),
                        PlotPoint::new(xy[0], xy[1]),
                        format!("  {}", s.label),
                    )
                    .anchor(egui::Align2::LEFT_BOTTOM)
                    .color(scenario_color(i)),
                );
            }
        })
    });
    let response = scoped.inner;
    app.charts.chart_rect = Some(scoped.response.rect);
    app.charts.transform = Some(response.transform);
}

pub fn cash_flow_ui(ui: &mut Ui, app: &mut KeyholderApp) {
    let currency = app.plan().price_book.currency.clone();
    ui.horizontal(|ui| {
        ui.label("Cumulative cost by month; a marker shows where a scenario breaks even with the status quo.");
        ui.checkbox(&mut app.charts.show_monthly_cost, "Monthly cost");
        ui.checkbox(&mut app.charts.show_msp_margin, "MSP margin (cumulative)");
    });
    let plan = app.plan();
    let totals = app.derived.totals.clone();
    let horizon = plan.assumptions.horizon_months;
    let labels: Vec<String> = (0..horizon).map(|t| charts::month_label(plan, t)).collect();
    let start = plan.assumptions.start_month;
    let fiscal_start = plan.customer.fiscal_year_start_month;
    let hover_labels = labels.clone();
    let currency_owned = currency.clone();
    // The chart with its axes, for File ▸ Export ▸ Chart.
    let scoped = ui.scope(|ui| {
        Plot::new("cash_flow")
            .legend(Legend::default().position(egui_plot::Corner::LeftTop))
            .x_axis_label("Month (customer's fiscal quarters)")
            .y_axis_label(format!("Cumulative cost ({currency})"))
            .x_grid_spacer(move |input| {
                // A mark at every fiscal quarter, a small one at every month.
                // Only the plan's months, however far the chart is zoomed out.
                let (low, high) = (
                    input.bounds.0.max(0.0).floor() as i64,
                    input.bounds.1.ceil().min(f64::from(horizon)) as i64,
                );
                (low..=high)
                    .map(|t| {
                        let month = start.plus_months(u32::try_from(t).unwrap_or(0));
                        let quarter_start =
                            (month.month + 12 - fiscal_start.clamp(1, 12)).is_multiple_of(3);
                        #[expect(clippy::cast_precision_loss, reason = "month numbers")]
                        let value = t as f64;
                        egui_plot::GridMark {
                            value,
                            step_size: if quarter_start { 3.0 } else { 1.0 },
                        }
                    })
                    .collect()
            })
            .x_axis_formatter(move |mark, _| {
                if mark.step_size < 3.0 || mark.value < 0.0 {
                    return String::new();
                }
                #[expect(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    reason = "month numbers"
                )]
                let t = mark.value.round() as u32;
                let month = start.plus_months(t);
                let (year, quarter) = charts::fiscal_quarter(month, fiscal_start);
                format!("{month}\nFY{:02} Q{quarter}", year.rem_euclid(100))
            })
            .y_axis_formatter(|mark, _| money_axis(mark.value))
            .include_y(0.0)
            .allow_drag(false)
            .label_formatter(move |h| {
                let egui_plot::HoverPosition::NearDataPoint {
                    plot_name,
                    position,
                    ..
                } = h
                else {
                    return None;
                };
                #[expect(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    reason = "month numbers"
                )]
                let t = position.x.round().max(0.0) as usize;
                #[expect(clippy::cast_possible_truncation, reason = "cents")]
                let cents = position.y.round() as i64;
                Some(format!(
                    "{plot_name}\n{}\n{} {currency_owned}",
                    hover_labels.get(t).cloned().unwrap_or_default(),
                    format_cents(cents)
                ))
            })
            .show(ui, |plot_ui| {
                for (i, t) in totals.iter().enumerate() {
                    let color = scenario_color(i);
                    #[expect(clippy::cast_precision_loss, reason = "cents well below 2^53")]
                    let cumulative: Vec<[f64; 2]> = t
                        .cumulative_cost_cents
                        .iter()
                        .enumerate()
                        .map(|(m, c)| [m as f64, *c as f64])
                        .collect();
                    plot_ui.line(
                        Line::new(t.name.clone(), cumulative.clone())
                            .width(2.0)
                            .color(color),
                    );
                    if let Some(month) = t.break_even_month
                        && let Some(point) = cumulative.get(month as usize)
                    {
                        let name = format!(
                            "{} breaks even {}",
                            t.name,
                            labels.get(month as usize).cloned().unwrap_or_default()
                        );
                        plot_ui.add(
                            Points::new(name.clone(), vec![*point])
                                .radius(7.0)
                                .shape(MarkerShape::Diamond)
                                .filled(true)
                                .color(color),
                        );
                        plot_ui.add(
                            VLine::new(name, point[0])
                                .style(LineStyle::dashed_dense())
                                .color(color),
                        );
                    }
                    if app.charts.show_monthly_cost {
                        #[expect(clippy::cast_precision_loss, reason = "cents well below 2^53")]
                        let monthly: Vec<[f64; 2]> = t
                            .monthly_cost_cents
                            .iter()
                            .enumerate()
                            .map(|(m, c)| [m as f64, *c as f64])
                            .collect();
                        plot_ui.line(
                            Line::new(format!("{}: monthly cost", t.name), monthly)
                                .style(LineStyle::dotted_dense())
                                .color(color),
                        );
                    }
                    if app.charts.show_msp_margin {
                        let mut running = 0;
                        #[expect(clippy::cast_precision_loss, reason = "cents well below 2^53")]
                        let margin: Vec<[f64; 2]> = t
                            .msp_margin_by_month_cents
                            .iter()
                            .enumerate()
                            .map(|(m, c)| {
                                running += c;
                                [m as f64, running as f64]
                            })
                            .collect();
                        plot_ui.line(
                            Line::new(format!("{}: MSP margin", t.name), margin)
                                .style(LineStyle::dashed_loose())
                                .color(color),
                        );
                    }
                }
            })
    });
    let response = scoped.inner;
    app.charts.chart_rect = Some(scoped.response.rect);
    app.charts.transform = Some(response.transform);
}
