//! The cash-flow chart: cumulative cost by month per scenario, break-even marked; monthly
//! cost and the MSP's margin on request, each in a panel of its own under it (the months
//! linked); months labelled with the customer's fiscal quarters; the legend under the plots.

use egui::{Color32, Ui};
use egui_plot::{Line, LineStyle, MarkerShape, Plot, PlotUi, Points, VLine};

use super::{Swatch, legend_ui, money_axis, remember_chart, scenario_color};
use crate::app::{AppState, ChartsView};
use crate::model::charts::{fiscal_quarter, month_label};
use crate::model::{Plan, ScenarioTotals, format_cents};

pub fn cash_flow_ui(ui: &mut Ui, state: &AppState, view: &mut ChartsView) {
    let plan = state.plan();
    let currency = &plan.price_book.currency;
    ui.horizontal(|ui| {
        ui.label("Cumulative cost by month; a marker shows where a scenario breaks even with the status quo.");
        ui.checkbox(&mut view.show_monthly_cost, "Monthly cost");
        ui.checkbox(&mut view.show_msp_margin, "MSP margin (cumulative)");
    });
    let horizon = plan.assumptions.horizon_months;
    let labels: Vec<String> = (0..horizon).map(|t| month_label(plan, t)).collect();
    let (show_monthly, show_margin) = (view.show_monthly_cost, view.show_msp_margin);
    // The monthly figures have their own panels under the cumulative one (same months,
    // linked), so a line of a few thousand never sits flat under one of a few hundred
    // thousand.
    let panels = 1 + usize::from(show_monthly) + usize::from(show_margin);
    let legend_room = 48.0;
    #[expect(clippy::cast_precision_loss, reason = "three panels at most")]
    let share = (ui.available_height() - legend_room) / (panels as f32 + 1.0);
    let main_height = (share * 2.0).max(180.0);
    let panel_height = share.max(110.0);
    let link = egui::Id::unique("cash_flow_months");
    let hover = |hover: &egui_plot::HoverPosition<'_>| {
        let egui_plot::HoverPosition::NearDataPoint {
            plot_name,
            position,
            ..
        } = hover
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
            "{plot_name}\n{}\n{} {currency}",
            labels.get(t).map_or("", String::as_str),
            format_cents(cents)
        ))
    };
    let response = month_plot(
        "cash_flow",
        plan,
        format!("Cumulative cost ({currency})"),
        main_height,
        link,
    )
    .label_formatter(hover)
    .show(ui, |plot_ui| {
        for (i, totals) in state.derived.totals.iter().enumerate() {
            cumulative_lines(plot_ui, i, totals, &labels);
        }
    });
    remember_chart(view, response.transform);
    if show_monthly {
        month_plot(
            "cash_flow_monthly",
            plan,
            format!("Cost per month ({currency})"),
            panel_height,
            link,
        )
        .label_formatter(hover)
        .show(ui, |plot_ui| {
            for (i, totals) in state.derived.totals.iter().enumerate() {
                plot_ui.line(
                    Line::new(
                        format!("{}: cost per month", totals.name),
                        by_month(totals.monthly_cost_cents.iter().copied()),
                    )
                    .width(1.5)
                    .color(scenario_color(i)),
                );
            }
        });
    }
    if show_margin {
        month_plot(
            "cash_flow_margin",
            plan,
            format!("MSP margin, cumulative ({currency})"),
            panel_height,
            link,
        )
        .label_formatter(hover)
        .show(ui, |plot_ui| {
            for (i, totals) in state.derived.totals.iter().enumerate() {
                let running = totals.msp_margin_by_month_cents.iter().scan(0, |sum, c| {
                    *sum += c;
                    Some(*sum)
                });
                plot_ui.line(
                    Line::new(format!("{}: MSP margin", totals.name), by_month(running))
                        .style(LineStyle::dashed_loose())
                        .color(scenario_color(i)),
                );
            }
        });
    }
    let mut legend: Vec<(Swatch, Color32, String)> = state
        .derived
        .totals
        .iter()
        .enumerate()
        .map(|(i, t)| (Swatch::Line, scenario_color(i), t.name.clone()))
        .collect();
    if show_margin {
        legend.push((Swatch::Dashed, Color32::GRAY, "MSP margin".to_owned()));
    }
    legend.push((
        Swatch::Diamond,
        Color32::GRAY,
        "Break-even: from then on at or below the status quo".to_owned(),
    ));
    legend_ui(ui, &legend);
}

/// A plot over the plan's months, with a mark at every fiscal quarter.
/// One panel of months, `height` high, its months and cursor linked to the others' by `link`.
fn month_plot<'a>(id: &str, plan: &Plan, y_label: String, height: f32, link: egui::Id) -> Plot<'a> {
    let horizon = plan.assumptions.horizon_months;
    let start = plan.assumptions.start_month;
    let fiscal_start = plan.customer.fiscal_year_start_month;
    Plot::new(id)
        .x_axis_label("Month (customer's fiscal quarters)")
        .y_axis_label(y_label)
        .x_grid_spacer(move |input| {
            // A mark at every fiscal quarter, a small one at every month; only the plan's
            // months, however far the chart is zoomed out.
            #[expect(clippy::cast_possible_truncation, reason = "month numbers")]
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
            let month = start.plus_months(mark.value.round() as u32);
            let (year, quarter) = fiscal_quarter(month, fiscal_start);
            format!("{month}\nFY{:02} Q{quarter}", year.rem_euclid(100))
        })
        .y_axis_formatter(|mark, _| money_axis(mark.value))
        .include_y(0.0)
        .allow_drag(false)
        .height(height)
        .link_axis(link, [true, false])
        .link_cursor(link, [true, false])
}

#[expect(clippy::cast_precision_loss, reason = "cents well below 2^53")]
fn by_month(values: impl Iterator<Item = i64>) -> Vec<[f64; 2]> {
    values
        .enumerate()
        .map(|(m, c)| [m as f64, c as f64])
        .collect()
}

/// One scenario's cumulative cost and its break-even marker.
fn cumulative_lines(
    plot_ui: &mut PlotUi<'_>,
    index: usize,
    totals: &ScenarioTotals,
    labels: &[String],
) {
    let color = scenario_color(index);
    let cumulative = by_month(totals.cumulative_cost_cents.iter().copied());
    let break_even = totals
        .break_even_month
        .and_then(|month| cumulative.get(month as usize).map(|point| (month, *point)));
    plot_ui.line(
        Line::new(totals.name.clone(), cumulative)
            .width(2.0)
            .color(color),
    );
    if let Some((month, point)) = break_even {
        let name = format!(
            "{} breaks even {}",
            totals.name,
            labels.get(month as usize).map_or("", String::as_str)
        );
        plot_ui.add(
            Points::new(name.clone(), vec![point])
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
}
