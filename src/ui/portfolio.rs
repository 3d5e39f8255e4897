//! The portfolio view: the book of business of a folder. A summary line per currency, then
//! the customers (a virtualised table, sortable and filterable; double-click or Enter opens
//! the plan), the account managers' totals, the chart of what each move does for the
//! customer and for the MSP, and the project load by calendar quarter.

use std::sync::Arc;

use egui::{Color32, RichText, Ui};
use egui_extras::{Column, TableBuilder};
use egui_plot::{HLine, Legend, Plot, Points, VLine};

use crate::app::{
    Action, Actions, AppState, CONTROL_BANDS, Command, PortfolioColumn, PortfolioData,
    PortfolioRow, PortfolioSection, PortfolioView, RowFilter, RowStatus,
};
use crate::model::portfolio::{CalendarQuarter, CustomerFigures, Rollup, Totals, control_rgb};
use crate::model::{Cents, YearMonth, format_cents, format_control};

/// (column, header, what the column holds).
const COLUMNS: [(PortfolioColumn, &str, &str); 16] = [
    (PortfolioColumn::Customer, "Customer", "customer"),
    (PortfolioColumn::Status, "Status", "status"),
    (
        PortfolioColumn::AccountManager,
        "Account manager",
        "account manager",
    ),
    (PortfolioColumn::LastSaved, "Last saved", "last save"),
    (PortfolioColumn::Workloads, "Workloads", "workloads"),
    (PortfolioColumn::RunRate, "Now / month", "run rate now"),
    (
        PortfolioColumn::Scenario,
        "Scenario",
        "the recommended scenario, or else the cheapest that breaks even",
    ),
    (
        PortfolioColumn::Saving,
        "Saving (horizon)",
        "saving over the horizon",
    ),
    (
        PortfolioColumn::SavingPerMonth,
        "Saving / month",
        "saving per month",
    ),
    (PortfolioColumn::ControlKept, "Control kept", "control kept"),
    (
        PortfolioColumn::MarginNow,
        "Margin now",
        "MSP margin now per month",
    ),
    (
        PortfolioColumn::MarginAfter,
        "Margin after",
        "MSP margin after per month",
    ),
    (
        PortfolioColumn::MarginChange,
        "Margin change",
        "MSP margin change",
    ),
    (PortfolioColumn::BreakEven, "Break-even", "break-even month"),
    (PortfolioColumn::NextMove, "Next move", "next move"),
    (PortfolioColumn::File, "File", "file"),
];

fn signed(cents: Cents) -> String {
    if cents > 0 {
        format!("+{}", format_cents(cents))
    } else {
        format_cents(cents)
    }
}

fn status_color(ui: &Ui, status: RowStatus) -> Color32 {
    match status {
        RowStatus::Problem => ui.visuals().error_fg_color,
        RowStatus::ConflictCopy => ui.visuals().warn_fg_color,
        RowStatus::Ok => ui.visuals().text_color(),
    }
}

fn rgb(control: f64) -> Color32 {
    let [r, g, b] = control_rgb(control);
    Color32::from_rgb(r, g, b)
}

pub fn portfolio_ui(
    ui: &mut Ui,
    state: &AppState,
    view: &mut PortfolioView,
    actions: &mut Actions,
) {
    let portfolio = &state.portfolio;
    let Some(folder) = portfolio.folder() else {
        ui.label("No portfolio is open: point Keyholder at the folder where your customers' plans are kept.");
        let command = Command::OpenPortfolio;
        if ui
            .button(command.label())
            .on_hover_text(command.tooltip())
            .clicked()
        {
            actions.command(command);
        }
        return;
    };
    ui.horizontal(|ui| {
        ui.heading("Portfolio");
        let name = folder.file_name().map_or_else(
            || folder.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        ui.label(RichText::new(name).strong())
            .on_hover_text(folder.display().to_string());
        if let Some(progress) = portfolio.reading() {
            let done = progress.done.load(std::sync::atomic::Ordering::Relaxed);
            let total = progress.total.load(std::sync::atomic::Ordering::Relaxed);
            ui.add(
                egui::ProgressBar::new(progress.fraction().unwrap_or(0.0))
                    .desired_width(220.0)
                    .text(if total == 0 {
                        "Searching the folder…".to_owned()
                    } else {
                        format!("Reading {done} of {total} plans")
                    }),
            );
        }
        if ui
            .button("Read again")
            .on_hover_text("Read every plan in the folder again now")
            .clicked()
        {
            actions.push(Action::RereadPortfolio);
        }
        if ui
            .button("Close portfolio")
            .on_hover_text("Stop showing and watching this folder")
            .clicked()
        {
            actions.push(Action::ClosePortfolio);
        }
        as_of_ui(ui, state, view, actions);
    });
    if let Some(error) = portfolio.error() {
        ui.label(RichText::new(error).color(ui.visuals().error_fg_color));
    }
    match portfolio.watch_problem() {
        Some(problem) => {
            ui.label(RichText::new(problem).color(ui.visuals().warn_fg_color));
        }
        None => {
            ui.label(
                RichText::new("Watching the folder: a plan a colleague saves updates its row.")
                    .weak()
                    .small(),
            );
        }
    }
    let Some(data) = portfolio.data().map(Arc::clone) else {
        ui.spinner();
        return;
    };
    let revision = portfolio.revision();
    summary_ui(ui, &data, view);
    ui.horizontal(|ui| {
        for section in PortfolioSection::ALL {
            if ui
                .selectable_label(view.section == section, section.label())
                .clicked()
            {
                view.section = section;
            }
        }
    });
    ui.separator();
    match view.section {
        PortfolioSection::Customers => customers_ui(ui, revision, &data, view, actions),
        PortfolioSection::AccountManagers => managers_ui(ui, &data),
        PortfolioSection::Chart => chart_ui(ui, revision, &data, view),
        PortfolioSection::Quarters => quarters_ui(ui, &data),
    }
}

/// "Next moves from YYYY-MM": the month the rows' next moves count from.
fn as_of_ui(ui: &mut Ui, state: &AppState, view: &mut PortfolioView, actions: &mut Actions) {
    let current = state.portfolio.as_of().unwrap_or_default();
    let text = view.as_of_text.get_or_insert_with(|| current.to_string());
    let label = ui.label("Next moves from");
    let response = ui
        .add(egui::TextEdit::singleline(text).desired_width(70.0))
        .labelled_by(label.id)
        .on_hover_text("YYYY-MM: each customer's next move is the first in this month or later");
    let parsed = YearMonth::parse(text);
    if response.lost_focus() {
        match parsed {
            Ok(month) => actions.push(Action::SetPortfolioAsOf(month)),
            Err(_) => *text = current.to_string(),
        }
    } else if let Err(why) = parsed
        && response.has_focus()
    {
        ui.label(
            RichText::new(why)
                .color(ui.visuals().error_fg_color)
                .small(),
        );
    }
}

fn totals_line(totals: &Totals, currency: &str) -> String {
    format!(
        "{} customers, {} workloads. Saving for customers {} {currency} / month ({} over their horizons). MSP margin {} -> {} {currency} / month ({}). Control kept {} -> {}. {} would move: {} good for both, {} lower the MSP's margin.",
        totals.customers,
        totals.workloads,
        format_cents(totals.saving_per_month_cents),
        format_cents(totals.saving_cents),
        format_cents(totals.margin_now_cents),
        format_cents(totals.margin_after_cents),
        signed(totals.margin_change_cents()),
        format_control(totals.control_now()),
        format_control(totals.control_kept()),
        totals.moving,
        totals.good_for_both,
        totals.costs_margin,
    )
}

/// The book in one line per currency, and what to look at first.
fn summary_ui(ui: &mut Ui, data: &PortfolioData, view: &mut PortfolioView) {
    for rollup in &data.rollups {
        ui.label(totals_line(&rollup.book, &rollup.currency));
    }
    let as_of = data.portfolio.as_of;
    let moving_now = data
        .portfolio
        .rows
        .iter()
        .filter(|r| {
            r.figures
                .as_ref()
                .is_some_and(|f| f.moves_in_quarter_of(as_of))
        })
        .count();
    let attention = data.needing_attention();
    ui.horizontal(|ui| {
        let quarter = CalendarQuarter::of(as_of);
        if ui
            .link(format!("{moving_now} customers move in {quarter}"))
            .on_hover_text("Show the customers whose next move falls in this quarter")
            .clicked()
        {
            view.show = RowFilter::MovingThisQuarter;
            view.section = PortfolioSection::Customers;
        }
        ui.label("·");
        let text = RichText::new(format!(
            "{attention} file{} need{} attention",
            if attention == 1 { "" } else { "s" },
            if attention == 1 { "s" } else { "" }
        ));
        let text = if attention > 0 {
            text.color(ui.visuals().warn_fg_color)
        } else {
            text
        };
        if ui
            .link(text)
            .on_hover_text("Show the files with a problem or unsaved conflict copies")
            .clicked()
        {
            view.show = RowFilter::NeedsAttention;
            view.section = PortfolioSection::Customers;
        }
    });
}

fn customers_ui(
    ui: &mut Ui,
    revision: u64,
    data: &PortfolioData,
    view: &mut PortfolioView,
    actions: &mut Actions,
) {
    view.refresh(revision, data);
    let rows = &data.portfolio.rows;
    ui.horizontal(|ui| {
        let label = ui.label("Filter");
        ui.add(
            egui::TextEdit::singleline(&mut view.filter)
                .desired_width(200.0)
                .hint_text("customer, account manager or file"),
        )
        .labelled_by(label.id);
        for show in RowFilter::ALL {
            if ui
                .selectable_label(view.show == show, show.label())
                .clicked()
            {
                view.show = show;
            }
        }
        ui.label(format!("{} of {} plans", view.rows().len(), rows.len()));
        let selected = view.selected.and_then(|i| rows.get(i));
        if ui
            .add_enabled(selected.is_some(), egui::Button::new("Open plan"))
            .on_hover_text("Open the selected customer's plan (or double-click its row)")
            .clicked()
            && let Some(row) = selected
        {
            actions.push(Action::OpenPortfolioPlan(row.path.clone()));
        }
    });
    keyboard_ui(ui, data, view, actions);
    if let Some(row) = view.selected.and_then(|i| rows.get(i))
        && row.status() != RowStatus::Ok
    {
        ui.label(
            RichText::new(row.status_detail())
                .color(status_color(ui, row.status()))
                .small(),
        );
    }
    egui::ScrollArea::horizontal().show(ui, |ui| table_ui(ui, data, view, actions));
}

/// Up and down move the selection; Enter opens the selected plan.
fn keyboard_ui(ui: &Ui, data: &PortfolioData, view: &mut PortfolioView, actions: &mut Actions) {
    if ui.ctx().egui_wants_keyboard_input() || view.rows().is_empty() {
        return;
    }
    let (down, up, enter) = ui.input_mut(|i| {
        (
            i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
            i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
            i.consume_key(egui::Modifiers::NONE, egui::Key::Enter),
        )
    });
    let rows = view.rows();
    let position = view
        .selected
        .and_then(|s| rows.iter().position(|&r| r == s));
    let next = match (position, down, up) {
        (None, true, _) | (None, _, true) => Some(0),
        (Some(p), true, _) => Some((p + 1).min(rows.len() - 1)),
        (Some(p), _, true) => Some(p.saturating_sub(1)),
        _ => None,
    };
    if let Some(next) = next {
        view.selected = Some(rows[next]);
    }
    if enter && let Some(row) = view.selected.and_then(|i| data.portfolio.rows.get(i)) {
        actions.push(Action::OpenPortfolioPlan(row.path.clone()));
    }
}

/// The cells of one row with figures, after customer and account manager.
fn figure_cells(f: &CustomerFigures) -> [String; 11] {
    let saved = match (&f.last_saved_by, &f.last_saved_at) {
        (Some(by), Some(at)) => format!("{by}, {}", crate::clock::rfc3339_as_local(at)),
        _ => "-".to_owned(),
    };
    [
        saved,
        f.workloads.to_string(),
        format_cents(f.status_quo_run_rate_cents),
        f.scenario
            .clone()
            .unwrap_or_else(|| "Status quo".to_owned()),
        format_cents(f.saving_cents),
        format_cents(f.saving_per_month_cents),
        format_control(f.control_kept),
        format_cents(f.margin_now_cents),
        format_cents(f.margin_after_cents),
        signed(f.margin_change_cents()),
        f.break_even()
            .map_or_else(|| "none".to_owned(), |m| m.to_string()),
    ]
}

fn table_ui(ui: &mut Ui, data: &PortfolioData, view: &mut PortfolioView, actions: &mut Actions) {
    let rows = &data.portfolio.rows;
    let row_height = ui.spacing().interact_size.y + 2.0;
    // A click on a cell selects the row and a double-click opens the plan: text selection
    // in the cells would take both.
    ui.style_mut().interaction.selectable_labels = false;
    let table = TableBuilder::new(ui)
        .id_salt("portfolio_table")
        .striped(true)
        .resizable(true)
        .sense(egui::Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        // Customer, status, account manager, last saved, workloads, run rate, scenario, the
        // seven figures, next move, file.
        .column(Column::initial(170.0).at_least(80.0).clip(true))
        .column(Column::initial(150.0).clip(true))
        .column(Column::initial(120.0).clip(true))
        .column(Column::initial(215.0).clip(true))
        .column(Column::auto().at_least(40.0))
        .column(Column::initial(105.0).clip(true))
        .column(Column::initial(170.0).clip(true))
        .columns(Column::initial(110.0).clip(true), 7)
        .column(Column::initial(260.0).clip(true))
        .column(Column::initial(180.0).clip(true));
    let mut sort_clicked = None;
    let mut clicked = None;
    let mut opened = None;
    table
        .header(row_height, |mut header| {
            for (column, title, meaning) in COLUMNS {
                header.col(|ui| {
                    let arrow = match (view.sort == column, view.ascending) {
                        (true, true) => " ^",
                        (true, false) => " v",
                        _ => "",
                    };
                    let sort = format!("Sort by {meaning}");
                    if ui
                        .button(RichText::new(format!("{title}{arrow}")).strong())
                        .accessible_name(&sort)
                        .on_hover_text(sort)
                        .clicked()
                    {
                        sort_clicked = Some(column);
                    }
                });
            }
        })
        .body(|body| {
            let order = view.rows();
            body.rows(row_height, order.len(), |mut table_row| {
                let index = order[table_row.index()];
                let row: &PortfolioRow = &rows[index];
                table_row.set_selected(view.selected == Some(index));
                row_cells_ui(&mut table_row, row);
                let response = table_row.response();
                if response.double_clicked() {
                    opened = Some(index);
                } else if response.clicked() {
                    clicked = Some(index);
                }
            });
        });
    if let Some(index) = clicked {
        view.selected = Some(index);
    }
    if let Some(index) = opened {
        view.selected = Some(index);
        actions.push(Action::OpenPortfolioPlan(rows[index].path.clone()));
    }
    if let Some(column) = sort_clicked {
        if view.sort == column {
            view.ascending = !view.ascending;
        } else {
            view.sort = column;
            view.ascending = true;
        }
    }
}

/// The cells of one customer's row.
fn row_cells_ui(table_row: &mut egui_extras::TableRow<'_, '_>, row: &PortfolioRow) {
    table_row.col(|ui| {
        ui.label(&row.customer);
    });
    // Next to the name, so that what needs attention is seen without scrolling.
    table_row.col(|ui| {
        let status = row.status();
        let response = ui.label(RichText::new(row.status_label()).color(status_color(ui, status)));
        if status != RowStatus::Ok {
            response.on_hover_text(row.status_detail());
        }
    });
    table_row.col(|ui| {
        ui.label(&row.account_manager);
    });
    match &row.figures {
        Some(f) => {
            let cells = figure_cells(f);
            for (i, cell) in cells.iter().enumerate() {
                table_row.col(|ui| {
                    // The change in the MSP's margin, coloured by its sign.
                    if i == 9 && f.margin_change_cents() < 0 {
                        ui.label(RichText::new(cell).color(ui.visuals().warn_fg_color));
                    } else if i == 6 {
                        ui.label(
                            RichText::new(cell).color(rgb(
                                rust_decimal::prelude::ToPrimitive::to_f64(&f.control_kept)
                                    .unwrap_or(0.0),
                            )),
                        );
                    } else {
                        ui.label(cell);
                    }
                });
            }
            table_row.col(|ui| match &f.next_move {
                Some(m) => {
                    ui.label(format!("{} {}: {}", m.month, m.fiscal_label(), m.summary()));
                }
                None => {
                    ui.label("-");
                }
            });
        }
        None => {
            for _ in 0..12 {
                table_row.col(|ui| {
                    ui.label("-");
                });
            }
        }
    }
    table_row.col(|ui| {
        ui.label(&row.relative)
            .on_hover_text(row.path.display().to_string());
    });
}

fn grid_money_row(ui: &mut Ui, cells: &[String]) {
    for cell in cells {
        ui.label(cell);
    }
    ui.end_row();
}

fn managers_ui(ui: &mut Ui, data: &PortfolioData) {
    egui::ScrollArea::both().show(ui, |ui| {
        for rollup in &data.rollups {
            manager_grid_ui(ui, rollup);
            ui.add_space(12.0);
        }
    });
}

fn manager_grid_ui(ui: &mut Ui, rollup: &Rollup) {
    let c = &rollup.currency;
    ui.heading(format!("By account manager ({c})"));
    egui::Grid::new(("managers", c))
        .striped(true)
        .num_columns(9)
        .show(ui, |ui| {
            for title in [
                "Account manager",
                "Customers",
                "Now / month",
                "Saving / month",
                "Saving (horizons)",
                "Margin now",
                "Margin after",
                "Margin change",
                "Control now -> kept",
            ] {
                ui.label(RichText::new(title).strong());
            }
            ui.end_row();
            let cells = |name: &str, t: &Totals| {
                vec![
                    name.to_owned(),
                    t.customers.to_string(),
                    format_cents(t.status_quo_run_rate_cents),
                    format_cents(t.saving_per_month_cents),
                    format_cents(t.saving_cents),
                    format_cents(t.margin_now_cents),
                    format_cents(t.margin_after_cents),
                    signed(t.margin_change_cents()),
                    format!(
                        "{} -> {}",
                        format_control(t.control_now()),
                        format_control(t.control_kept())
                    ),
                ]
            };
            for (name, totals) in &rollup.by_manager {
                let name = if name.is_empty() {
                    "(none named)"
                } else {
                    name
                };
                grid_money_row(ui, &cells(name, totals));
            }
            let whole: Vec<String> = cells("Whole book", &rollup.book);
            for cell in &whole {
                ui.label(RichText::new(cell).strong());
            }
            ui.end_row();
        });
}

fn chart_ui(ui: &mut Ui, revision: u64, data: &PortfolioData, view: &mut PortfolioView) {
    let chart = view.chart(revision, data);
    if chart.currencies.len() > 1 {
        ui.horizontal(|ui| {
            ui.label("Currency");
            for c in &chart.currencies {
                let chosen = view
                    .chart_currency
                    .as_deref()
                    .map_or(c.currency == chart.currencies[0].currency, |v| {
                        v == c.currency
                    });
                if ui.selectable_label(chosen, &c.currency).clicked() {
                    view.chart_currency = Some(c.currency.clone());
                }
            }
        });
    }
    let Some(shown) = chart
        .currencies
        .iter()
        .find(|c| view.chart_currency.as_deref() == Some(c.currency.as_str()))
        .or_else(|| chart.currencies.first())
    else {
        ui.label("No customer has figures yet.");
        return;
    };
    ui.label("Each customer with the scenario shown for it: right saves the customer money, up earns the MSP more each month; the colour is the control the MSP keeps (red 0 %, amber 50 %, green 100 %). Top right is good for both; bottom right costs the MSP its margin.");
    let currency = &shown.currency;
    let names = |band: usize| format!("Control {}-{} %", band * 10, band * 10 + 10);
    let rows = &data.portfolio.rows;
    Plot::new("portfolio_chart")
        .legend(Legend::default().position(egui_plot::Corner::LeftTop))
        .x_axis_label(format!("Saving for the customer ({currency} / month)"))
        .y_axis_label(format!("MSP margin change ({currency} / month)"))
        .allow_drag(false)
        .include_x(0.0)
        .include_y(0.0)
        .label_formatter(|hover| {
            let egui_plot::HoverPosition::NearDataPoint {
                plot_name, index, ..
            } = hover
            else {
                return None;
            };
            let band = (0..CONTROL_BANDS).find(|&b| names(b) == *plot_name)?;
            let row = rows.get(*shown.bands[band].1.get(*index)?)?;
            let f = row.figures.as_ref()?;
            Some(format!(
                "{}\nsaving {} {currency} / month\nMSP margin {} {currency} / month\ncontrol kept {}",
                row.customer,
                format_cents(f.saving_per_month_cents),
                signed(f.margin_change_cents()),
                format_control(f.control_kept)
            ))
        })
        .show(ui, |plot_ui| {
            plot_ui.hline(HLine::new("", 0.0).color(Color32::GRAY));
            plot_ui.vline(VLine::new("", 0.0).color(Color32::GRAY));
            for (band, (points, _)) in shown.bands.iter().enumerate() {
                if points.is_empty() {
                    continue;
                }
                #[expect(clippy::cast_precision_loss, reason = "ten bands")]
                let middle = band as f64 * 10.0 + 5.0;
                plot_ui.add(
                    Points::new(names(band), points.as_slice())
                        .radius(4.0)
                        .filled(true)
                        .color(rgb(middle)),
                );
            }
        });
}

fn quarters_ui(ui: &mut Ui, data: &PortfolioData) {
    ui.label("The MSP's project load: every customer's moves in the scenario shown for it, by calendar quarter.");
    egui::ScrollArea::both().show(ui, |ui| {
        for rollup in &data.rollups {
            let c = &rollup.currency;
            ui.heading(format!("Moves by quarter ({c})"));
            if rollup.quarters.is_empty() {
                ui.label("No moves.");
                continue;
            }
            egui::Grid::new(("quarters", c))
                .striped(true)
                .num_columns(7)
                .show(ui, |ui| {
                    for title in [
                        "Quarter",
                        "Customers",
                        "Moves",
                        "One-time fees",
                        "Migration hours",
                        "Monthly cost change",
                        "Who",
                    ] {
                        ui.label(RichText::new(title).strong());
                    }
                    ui.end_row();
                    for q in &rollup.quarters {
                        let names: Vec<&str> = q
                            .customers
                            .iter()
                            .filter_map(|&i| data.with_figures.get(i))
                            .filter_map(|&row| data.portfolio.rows.get(row))
                            .map(|r| r.customer.as_str())
                            .collect();
                        let who = match names.len() {
                            0..=4 => names.join(", "),
                            n => format!("{} and {} more", names[..3].join(", "), n - 3),
                        };
                        let current = CalendarQuarter::of(data.portfolio.as_of) == q.load.quarter;
                        let quarter = q.load.quarter.to_string();
                        if current {
                            ui.label(RichText::new(quarter).strong());
                        } else {
                            ui.label(quarter);
                        }
                        ui.label(q.customers.len().to_string());
                        ui.label(q.load.moves.to_string());
                        ui.label(format_cents(q.load.one_time_cents));
                        ui.label(q.load.migration_hours.round_dp(1).normalize().to_string());
                        ui.label(signed(q.load.monthly_change_cents));
                        ui.label(who).on_hover_text(names.join("\n"));
                        ui.end_row();
                    }
                });
            ui.add_space(12.0);
        }
    });
}
