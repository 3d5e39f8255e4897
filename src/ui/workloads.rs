//! The Workloads view: a virtualised, sortable, filterable table of every workload with the
//! active scenario's choice, and an editor for the selected one.

use egui::{Grid, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::KeyholderApp;
use super::widgets::{
    check_row, checked_text_row, checks, choice, choice_row, multiline_row, number_row,
};
use crate::app::{Command, Edit};
use crate::model::{
    Category, Choice, Criticality, Decimal, Destination, Plan, Workload, allowed_destinations,
    format_cents, format_control,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortColumn {
    Plan,
    Name,
    Category,
    Users,
    Servers,
    Storage,
    Criticality,
    Current,
    Choice,
    MoveMonth,
    MonthlyNow,
    MonthlyAfter,
    ControlAfter,
}

/// (column, header, what the column holds).
const COLUMNS: [(SortColumn, &str, &str); 12] = [
    (SortColumn::Name, "Name", "name"),
    (SortColumn::Category, "Category", "category"),
    (SortColumn::Users, "Users", "users"),
    (SortColumn::Servers, "Servers", "servers"),
    (SortColumn::Storage, "GB", "storage in GB"),
    (SortColumn::Criticality, "Criticality", "criticality"),
    (SortColumn::Current, "Current", "current destination"),
    (SortColumn::Choice, "Choice", "the scenario's choice"),
    (SortColumn::MoveMonth, "Move", "move month"),
    (SortColumn::MonthlyNow, "Now / month", "monthly cost now"),
    (
        SortColumn::MonthlyAfter,
        "After / month",
        "monthly cost after the move",
    ),
    (
        SortColumn::ControlAfter,
        "Control after",
        "control after the move",
    ),
];

/// One workload's row as shown, for the active scenario.
#[derive(Debug, Clone, Copy)]
struct RowFigures {
    destination: Destination,
    move_month: Option<u32>,
    monthly_now: i64,
    monthly_after: i64,
    control_after: Decimal,
}

#[derive(Debug, Clone)]
pub struct WorkloadsView {
    pub selected: Option<usize>,
    pub filter: String,
    pub sort: SortColumn,
    pub ascending: bool,
    /// Workload indices in display order; rebuilt only when its key changes.
    rows: Vec<usize>,
    figures: Vec<RowFigures>,
    key: Option<(u64, String, SortColumn, bool, usize)>,
    scroll_to_selected: bool,
}

impl Default for WorkloadsView {
    fn default() -> Self {
        Self {
            selected: None,
            filter: String::new(),
            sort: SortColumn::Plan,
            ascending: true,
            rows: Vec::new(),
            figures: Vec::new(),
            key: None,
            scroll_to_selected: false,
        }
    }
}

impl WorkloadsView {
    pub fn select(&mut self, index: usize) {
        self.selected = Some(index);
        self.scroll_to_selected = true;
    }

    /// The rows in display order (for tests and keyboard navigation).
    #[must_use]
    pub fn rows(&self) -> &[usize] {
        &self.rows
    }

    fn refresh(
        &mut self,
        app_revision: u64,
        plan: &Plan,
        derived: &super::Derived,
        scenario: usize,
        dragging: bool,
    ) {
        let key = (
            app_revision,
            self.filter.clone(),
            self.sort,
            self.ascending,
            scenario,
        );
        if self.key.as_ref() == Some(&key) {
            return;
        }
        // While a value is dragged (a move month), rows keep their place: re-sorting under
        // the pointer would hand the drag to another workload.
        let keep_order = dragging
            && self.rows.len() == plan.workloads.len()
            && self
                .key
                .as_ref()
                .is_some_and(|k| (&k.1, k.2, k.3, k.4) == (&key.1, key.2, key.3, key.4));
        let evaluation = &derived.evaluation;
        let chosen = plan.scenarios.get(scenario);
        let destinations = chosen.map(|s| evaluation.final_destinations(s));
        self.figures = plan
            .workloads
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let destination = destinations.as_ref().map_or(w.current, |d| d[i]);
                let move_month = chosen
                    .and_then(|s| s.choices.get(&w.id))
                    .filter(|c| c.destination == destination && destination != w.current)
                    .map(|c| c.move_month);
                let monthly =
                    |d: Destination| evaluation.option(i, d).map_or(0, |p| p.monthly_cents);
                RowFigures {
                    destination,
                    move_month,
                    monthly_now: monthly(w.current),
                    monthly_after: monthly(destination),
                    control_after: evaluation.control(destination),
                }
            })
            .collect();
        let needle = self.filter.trim().to_lowercase();
        let mut rows: Vec<usize> = (0..plan.workloads.len())
            .filter(|&i| {
                needle.is_empty() || {
                    let w = &plan.workloads[i];
                    w.name.to_lowercase().contains(&needle)
                        || w.id.to_lowercase().contains(&needle)
                        || w.category.label().to_lowercase().contains(&needle)
                        || w.notes.to_lowercase().contains(&needle)
                }
            })
            .collect();
        let (w, f) = (&plan.workloads, &self.figures);
        match self.sort {
            SortColumn::Plan => {}
            SortColumn::Name => {
                rows.sort_by(|&a, &b| w[a].name.to_lowercase().cmp(&w[b].name.to_lowercase()))
            }
            SortColumn::Category => rows.sort_by_key(|&i| w[i].category.label()),
            SortColumn::Users => rows.sort_by_key(|&i| w[i].users),
            SortColumn::Servers => rows.sort_by_key(|&i| w[i].servers),
            SortColumn::Storage => rows.sort_by_key(|&i| w[i].storage_gb),
            SortColumn::Criticality => rows.sort_by_key(|&i| w[i].criticality),
            SortColumn::Current => rows.sort_by_key(|&i| w[i].current),
            SortColumn::Choice => rows.sort_by_key(|&i| f[i].destination),
            SortColumn::MoveMonth => rows.sort_by_key(|&i| f[i].move_month),
            SortColumn::MonthlyNow => rows.sort_by_key(|&i| f[i].monthly_now),
            SortColumn::MonthlyAfter => rows.sort_by_key(|&i| f[i].monthly_after),
            SortColumn::ControlAfter => rows.sort_by_key(|&i| f[i].control_after),
        }
        if !self.ascending {
            rows.reverse();
        }
        if !keep_order {
            self.rows = rows;
        }
        self.key = Some(key);
    }
}

pub fn workloads_tab_ui(ui: &mut Ui, app: &mut KeyholderApp) {
    let mut view = std::mem::take(&mut app.workloads_view);
    let dragging = ui.ctx().dragged_id().is_some();
    view.refresh(
        app.document.revision(),
        app.plan(),
        &app.derived,
        app.active_scenario,
        dragging,
    );
    // Up and down move the selection through the table as shown.
    if app.modal.is_none() && !ui.ctx().egui_wants_keyboard_input() && !view.rows.is_empty() {
        let step = ui.input_mut(|i| {
            if i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown) {
                1
            } else if i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp) {
                -1
            } else {
                0
            }
        });
        if step != 0 {
            let position = view
                .selected
                .and_then(|s| view.rows.iter().position(|&r| r == s));
            let next = match (position, step) {
                (None, _) => 0,
                (Some(p), 1) => (p + 1).min(view.rows.len() - 1),
                (Some(p), _) => p.saturating_sub(1),
            };
            view.select(view.rows[next]);
        }
    }
    if view
        .selected
        .is_some_and(|s| s >= app.plan().workloads.len())
    {
        view.selected = None;
    }

    ui.horizontal(|ui| {
        let label = ui.label("Filter");
        ui.add(
            egui::TextEdit::singleline(&mut view.filter)
                .desired_width(200.0)
                .hint_text("name, id, category or notes"),
        )
        .labelled_by(label.id);
        for command in [
            Command::AddWorkload,
            Command::DuplicateWorkload,
            Command::DeleteWorkload,
        ] {
            let enabled = command == Command::AddWorkload || view.selected.is_some();
            if ui
                .add_enabled(enabled, egui::Button::new(command.label()))
                .on_hover_text(command.tooltip())
                .clicked()
            {
                app.request(command);
            }
        }
        ui.label(format!(
            "{} of {} workloads",
            view.rows.len(),
            app.plan().workloads.len()
        ));
        if let Some(scenario) = app.plan().scenarios.get(app.active_scenario) {
            ui.label(RichText::new(format!("Choices of \"{}\"", scenario.name)).weak());
        }
    });
    ui.separator();

    if let Some(index) = view.selected {
        egui::Panel::bottom("workload_editor")
            .resizable(true)
            .default_size(320.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| editor_ui(ui, app, index));
            });
    }
    egui::ScrollArea::horizontal().show(ui, |ui| table_ui(ui, app, &mut view));
    app.workloads_view = view;
}

fn table_ui(ui: &mut Ui, app: &mut KeyholderApp, view: &mut WorkloadsView) {
    let horizon = app.plan().assumptions.horizon_months;
    let row_height = ui.spacing().interact_size.y + 4.0;
    let mut table = TableBuilder::new(ui)
        .id_salt("workloads_table")
        .striped(true)
        .resizable(true)
        .sense(egui::Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        // Name, category, users, servers, storage, criticality, current, choice, move month,
        // monthly now, monthly after, control after.
        .column(Column::initial(165.0).at_least(80.0).clip(true))
        .column(Column::initial(115.0).at_least(60.0).clip(true))
        .columns(Column::auto().at_least(40.0), 3)
        .column(Column::initial(70.0).clip(true))
        .column(Column::initial(95.0).clip(true))
        .column(Column::initial(120.0).at_least(100.0))
        .columns(Column::auto().at_least(40.0), 4);
    if view.scroll_to_selected
        && let Some(position) = view
            .selected
            .and_then(|s| view.rows.iter().position(|&r| r == s))
    {
        table = table.scroll_to_row(position, None);
        view.scroll_to_selected = false;
    }
    let mut clicked = None;
    let mut edits = Vec::new();
    let mut sort_clicked = None;
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
            let plan = app.plan();
            body.rows(row_height, view.rows.len(), |mut row| {
                let index = view.rows[row.index()];
                let w = &plan.workloads[index];
                let f = view.figures[index];
                row.set_selected(view.selected == Some(index));
                row.col(|ui| {
                    ui.label(&w.name);
                });
                row.col(|ui| {
                    ui.label(w.category.label());
                });
                row.col(|ui| {
                    ui.label(w.users.to_string());
                });
                row.col(|ui| {
                    ui.label(w.servers.to_string());
                });
                row.col(|ui| {
                    ui.label(w.storage_gb.normalize().to_string());
                });
                row.col(|ui| {
                    ui.label(w.criticality.key());
                });
                row.col(|ui| {
                    ui.label(w.current.label());
                });
                row.col(|ui| {
                    let options: Vec<Destination> = Destination::ALL
                        .into_iter()
                        .filter(|d| app.derived.evaluation.offers(index, *d))
                        .collect();
                    let name = format!("Choice for {}", w.name);
                    ui.push_id(("choice", index), |ui| {
                        if let Some(destination) = choice(
                            ui,
                            &name,
                            f.destination,
                            &options,
                            &|d| d.label().to_owned(),
                            None,
                        ) {
                            edits.push(choice_edit(
                                app.active_scenario,
                                w,
                                destination,
                                f.move_month.unwrap_or(0),
                            ));
                        }
                    });
                });
                row.col(|ui| {
                    if let Some(month) = f.move_month {
                        let mut value = month;
                        let response = ui
                            .add(
                                egui::DragValue::new(&mut value)
                                    .range(0..=horizon.saturating_sub(1)),
                            )
                            .accessible_name(format!("Move month for {}", w.name));
                        if response.changed() && value != month {
                            edits.push(choice_edit(app.active_scenario, w, f.destination, value));
                        }
                    } else {
                        ui.label("-");
                    }
                });
                row.col(|ui| {
                    ui.label(format_cents(f.monthly_now));
                });
                row.col(|ui| {
                    ui.label(format_cents(f.monthly_after));
                });
                row.col(|ui| {
                    ui.label(format_control(f.control_after));
                });
                if row.response().clicked() {
                    clicked = Some(index);
                }
            });
        });
    if let Some(index) = clicked {
        view.selected = Some(index);
    }
    if let Some(column) = sort_clicked {
        if view.sort == column {
            view.ascending = !view.ascending;
        } else {
            view.sort = column;
            view.ascending = true;
        }
    }
    for edit in edits {
        app.edit(edit);
    }
}

/// The edit that sets a workload's destination (and move month) in a scenario; choosing
/// the current destination removes the choice.
fn choice_edit(
    scenario: usize,
    workload: &Workload,
    destination: Destination,
    move_month: u32,
) -> Edit {
    Edit::Choice {
        scenario,
        workload_id: workload.id.clone(),
        choice: (destination != workload.current).then_some(Choice {
            destination,
            move_month,
        }),
    }
}

fn editor_ui(ui: &mut Ui, app: &mut KeyholderApp, index: usize) {
    let Some(workload) = app.plan().workloads.get(index).cloned() else {
        return;
    };
    let book = app.plan().price_book.clone();
    ui.heading(&workload.name);
    let mut edited = workload.clone();
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_max_width(430.0);
            Grid::new("workload_editor_grid")
                .num_columns(2)
                .show(ui, |ui| {
                    fields_ui(ui, app, &book, &workload, index, &mut edited);
                });
        });
        ui.separator();
        ui.vertical(|ui| {
            Grid::new("workload_editor_more")
                .num_columns(2)
                .show(ui, |ui| {
                    let constraints = workload.constraints;
                    if let Some(v) = check_row(
                        ui,
                        "Needs OS admin",
                        "no Azure PaaS, no BPOS",
                        constraints.needs_os_admin,
                    ) {
                        edited.constraints.needs_os_admin = v;
                    }
                    if let Some(v) = check_row(
                        ui,
                        "Data must stay on site",
                        "on-premises only",
                        constraints.data_must_stay_onsite,
                    ) {
                        edited.constraints.data_must_stay_onsite = v;
                    }
                    if let Some(v) =
                        check_row(ui, "Custom code", "no BPOS", constraints.custom_code)
                    {
                        edited.constraints.custom_code = v;
                    }
                    if let Some(v) = multiline_row(ui, "Workload notes", &workload.notes) {
                        edited.notes = v;
                    }
                });
            ui.add_space(6.0);
            options_ui(ui, app, &book, &workload, index);
        });
    });
    // A category or constraint that rules out where the workload runs today is refused:
    // change its current destination first.
    if edited != workload && !crate::model::is_allowed(&book, &edited, edited.current) {
        let mut probe = app.plan().clone();
        probe.workloads[index] = edited.clone();
        let why = crate::model::validate(&probe)
            .into_iter()
            .find(|issue| issue.field.ends_with(".current"))
            .map_or_else(
                || "it rules out the current destination".to_owned(),
                |issue| issue.message,
            );
        app.status = Some(format!(
            "Refused: {why}. Change the current destination first."
        ));
        edited = workload.clone();
    }
    if edited != workload {
        app.edit(Edit::Workload {
            index,
            workload: edited,
        });
    }
}

/// Identity, size, criticality and where it runs today.
fn fields_ui(
    ui: &mut Ui,
    app: &mut KeyholderApp,
    book: &crate::model::PriceBook,
    workload: &Workload,
    index: usize,
    edited: &mut Workload,
) {
    let taken: std::collections::HashSet<&str> = app
        .plan()
        .workloads
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .map(|(_, w)| w.id.as_str())
        .collect();
    if let Some(id) = checked_text_row(ui, "Workload id", &workload.id, |id| {
        if id.trim().is_empty() {
            Err("a workload needs an id".to_owned())
        } else if taken.contains(id.trim()) {
            Err(format!("id \"{}\" is used by another workload", id.trim()))
        } else {
            Ok(())
        }
    }) {
        edited.id = id.trim().to_owned();
    }
    if let Some(v) = checked_text_row(ui, "Workload name", &workload.name, |name| {
        if name.trim().is_empty() {
            Err("a workload needs a name".to_owned())
        } else {
            Ok(())
        }
    }) {
        edited.name = v;
    }
    if let Some(v) = choice_row(ui, "Category", workload.category, &Category::ALL, |c| {
        c.label().to_owned()
    }) {
        edited.category = v;
    }
    if let Some(v) = number_row(ui, "Users", workload.users, checks::any) {
        edited.users = v;
    }
    if let Some(v) = number_row(ui, "Servers", workload.servers, checks::any) {
        edited.servers = v;
    }
    if let Some(v) = number_row(
        ui,
        "Storage (GB)",
        workload.storage_gb,
        checks::non_negative,
    ) {
        edited.storage_gb = v;
    }
    if let Some(v) = number_row(
        ui,
        "Egress (GB a month)",
        workload.egress_gb_per_month,
        checks::non_negative,
    ) {
        edited.egress_gb_per_month = v;
    }
    if let Some(v) = choice_row(
        ui,
        "Criticality",
        workload.criticality,
        &Criticality::ALL,
        |c| format!("{} (importance {})", c.key(), c.importance()),
    ) {
        edited.criticality = v;
    }
    let mut currents = allowed_destinations(book, workload);
    if !currents.contains(&workload.current) {
        currents.insert(0, workload.current);
    }
    if let Some(v) = choice_row(
        ui,
        "Current destination",
        workload.current,
        &currents,
        |d| d.label().to_owned(),
    ) {
        edited.current = v;
    }
    let label = ui.label("Real monthly cost now");
    ui.horizontal(|ui| {
        let mut known = workload.current_monthly_override_cents.is_some();
        if ui
            .checkbox(&mut known, "Known")
            .labelled_by(label.id)
            .changed()
        {
            edited.current_monthly_override_cents = known.then(|| {
                app.derived
                    .evaluation
                    .option(index, workload.current)
                    .map_or(0, |p| p.monthly_cents)
            });
        }
        if let Some(cents) = workload.current_monthly_override_cents {
            let value = Decimal::new(cents, 2);
            if let Some(v) = super::widgets::number_field(
                ui,
                "Real monthly cost",
                value,
                checks::non_negative,
                None,
            ) {
                edited.current_monthly_override_cents = Some(crate::model::cents_from_amount(v));
            }
        }
    });
    ui.end_row();
}

/// What the workload costs and how much control it keeps on each destination.
fn options_ui(
    ui: &mut Ui,
    app: &KeyholderApp,
    book: &crate::model::PriceBook,
    workload: &Workload,
    index: usize,
) {
    let currency = &book.currency;
    Grid::new("workload_options")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            ui.label(RichText::new("On each destination").strong());
            ui.label(format!("Monthly ({currency})"));
            ui.label(format!("One-time ({currency})"));
            ui.label("Control");
            ui.end_row();
            for destination in Destination::ALL {
                let offered = crate::model::is_allowed(book, workload, destination)
                    || destination == workload.current;
                match app
                    .derived
                    .evaluation
                    .option(index, destination)
                    .filter(|_| offered)
                {
                    Some(p) => {
                        ui.label(destination.label());
                        ui.label(format_cents(p.monthly_cents));
                        ui.label(format_cents(p.one_time_cents));
                        ui.label(format_control(app.derived.evaluation.control(destination)));
                    }
                    None => {
                        ui.label(RichText::new(destination.label()).weak());
                        ui.label(RichText::new("ruled out").weak());
                        ui.label("");
                        ui.label("");
                    }
                }
                ui.end_row();
            }
        });
}
