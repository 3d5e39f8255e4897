//! The Workloads view: a virtualised, sortable, filterable table of every workload with the
//! active scenario's choice, and an editor for the selected one.

use egui::{Grid, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::widgets::{check_row, checked_text_row, choice, choice_row, multiline_row, number_row};
use crate::app::{Action, Actions, AppState, Command, Edit, SortColumn, WorkloadsView};
use crate::model::{
    Category, Criticality, Decimal, Destination, Offer, PriceBook, Workload, allowed_destinations,
    bounds, format_cents, format_control,
};

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

pub fn workloads_tab_ui(
    ui: &mut Ui,
    state: &AppState,
    view: &mut WorkloadsView,
    actions: &mut Actions,
) {
    let plan = state.plan();
    let dragging = ui.ctx().dragged_id().is_some();
    view.refresh(
        state.document_key(),
        plan,
        &state.derived,
        state.active_scenario,
        dragging,
    );
    keyboard_selection(ui, state, view, actions);
    let selection = &state.selection;
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
            let enabled = command == Command::AddWorkload || selection.current.is_some();
            if ui
                .add_enabled(enabled, egui::Button::new(command.label()))
                .on_hover_text(command.tooltip())
                .clicked()
            {
                actions.command(command);
            }
        }
        ui.label(format!(
            "{} of {} workloads",
            view.rows().len(),
            plan.workloads.len()
        ));
        if let Some(scenario) = plan.scenarios.get(state.active_scenario) {
            ui.label(RichText::new(format!("Choices of \"{}\"", scenario.name)).weak());
        }
    });
    if selection.all.len() > 1 {
        bulk_edit_ui(ui, state, view, actions);
    }
    ui.separator();

    if let Some(index) = selection.current.filter(|&i| i < plan.workloads.len()) {
        egui::Panel::bottom("workload_editor")
            .resizable(true)
            .default_size(320.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| editor_ui(ui, state, index, actions));
            });
    }
    egui::ScrollArea::horizontal().show(ui, |ui| table_ui(ui, state, view, actions));
}

/// Up and down move the selection through the table as shown.
fn keyboard_selection(ui: &Ui, state: &AppState, view: &WorkloadsView, actions: &mut Actions) {
    let rows = view.rows();
    if state.modal.is_some() || ui.ctx().egui_wants_keyboard_input() || rows.is_empty() {
        return;
    }
    let step = ui.input_mut(|i| {
        if i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown) {
            1
        } else if i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp) {
            -1
        } else {
            0
        }
    });
    if step == 0 {
        return;
    }
    let position = state
        .selection
        .current
        .and_then(|s| rows.iter().position(|&r| r == s));
    let next = match (position, step) {
        (None, _) => 0,
        (Some(p), 1) => (p + 1).min(rows.len() - 1),
        (Some(p), _) => p.saturating_sub(1),
    };
    actions.push(Action::SelectWorkloads {
        current: Some(rows[next]),
        all: vec![rows[next]],
    });
}

/// One change for every selected workload: today, their users (a server imported from an
/// inventory has none, so per-user prices come to nothing).
fn bulk_edit_ui(ui: &mut Ui, state: &AppState, view: &mut WorkloadsView, actions: &mut Actions) {
    let count = state.selection.all.len();
    ui.horizontal(|ui| {
        ui.label(RichText::new(format!("{count} workloads selected:")).strong());
        let label = ui.label("Users for the selected workloads");
        ui.add(egui::TextEdit::singleline(&mut view.bulk_users).desired_width(80.0))
            .labelled_by(label.id);
        let parsed = super::widgets::parse_number::<u32>(&view.bulk_users);
        let apply = ui
            .add_enabled(parsed.is_ok(), egui::Button::new("Set users"))
            .on_hover_text(format!(
                "Set the users of all {count} selected workloads (one undo step)"
            ));
        if apply.clicked()
            && let Ok(users) = parsed
        {
            actions.push(Action::SetUsers {
                workloads: state.selection.all.clone(),
                users,
            });
        }
        if let Err(why) = parsed
            && !view.bulk_users.trim().is_empty()
        {
            ui.label(
                RichText::new(format!("Refused: {why}"))
                    .color(super::widgets::error_color(ui))
                    .small(),
            );
        }
    });
}

fn table_ui(ui: &mut Ui, state: &AppState, view: &mut WorkloadsView, actions: &mut Actions) {
    let plan = state.plan();
    let currency = &plan.price_book.currency;
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
        && let Some(position) = state
            .selection
            .current
            .and_then(|s| view.rows().iter().position(|&r| r == s))
    {
        table = table.scroll_to_row(position, None);
        view.scroll_to_selected = false;
    }
    let mut clicked = None;
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
                    // Money columns name their currency.
                    let title =
                        if matches!(column, SortColumn::MonthlyNow | SortColumn::MonthlyAfter) {
                            format!("{title} ({currency})")
                        } else {
                            title.to_owned()
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
            let rows = view.rows();
            body.rows(row_height, rows.len(), |mut row| {
                let index = rows[row.index()];
                let w = &plan.workloads[index];
                let Some(f) = view.figures(index).copied() else {
                    return;
                };
                row.set_selected(state.selection.contains(index));
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
                    // Every offer: each destination on each of its terms, with and without
                    // Hybrid Benefit where the workload may use it.
                    let evaluation = &state.derived.evaluation;
                    let options: Vec<Offer> = evaluation
                        .offers_of(index)
                        .into_iter()
                        .map(|(offer, _)| offer)
                        .collect();
                    let name = format!("Choice for {}", w.name);
                    ui.push_id(("choice", index), |ui| {
                        if let Some(offer) = choice(
                            ui,
                            &name,
                            f.offer,
                            &options,
                            &|o| plan.price_book.offer_label(&o),
                            None,
                        ) {
                            actions.edit(choice_edit(
                                state,
                                index,
                                offer,
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
                                // A move may lie past the horizon (the workload then
                                // stays put within it).
                                egui::DragValue::new(&mut value)
                                    .range(0..=bounds::MAX_MOVE_MONTH)
                                    // Drawing never changes a value: a month out of range in a
                                    // file stays as it is until the user drags it.
                                    .clamp_existing_to_range(false),
                            )
                            .accessible_name(format!("Move month for {}", w.name));
                        if response.changed() && value != month {
                            actions.edit(choice_edit(state, index, f.offer, value));
                        }
                    } else {
                        ui.label("-");
                    }
                });
                row.col(|ui| {
                    ui.label(format_cents(f.monthly_now_cents));
                });
                row.col(|ui| {
                    ui.label(format_cents(f.monthly_after_cents));
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
        select_by_click(ui, state, view, index, actions);
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

/// A click selects one workload; Ctrl (Cmd) adds or removes it; Shift selects the rows
/// between the current one and it, as shown.
fn select_by_click(
    ui: &Ui,
    state: &AppState,
    view: &WorkloadsView,
    index: usize,
    actions: &mut Actions,
) {
    let modifiers = ui.input(|i| i.modifiers);
    let selection = &state.selection;
    let all = if modifiers.command {
        let mut all = selection.all.clone();
        match all.binary_search(&index) {
            Ok(at) => {
                all.remove(at);
            }
            Err(at) => all.insert(at, index),
        }
        all
    } else if modifiers.shift
        && let Some(anchor) = selection.current
    {
        let rows = view.rows();
        match (
            rows.iter().position(|&r| r == anchor),
            rows.iter().position(|&r| r == index),
        ) {
            (Some(a), Some(b)) => rows[a.min(b)..=a.max(b)].to_vec(),
            _ => vec![index],
        }
    } else {
        vec![index]
    };
    let current = if all.contains(&index) {
        Some(index)
    } else {
        all.first().copied()
    };
    actions.push(Action::SelectWorkloads { current, all });
}

/// The edit that sets a workload's offer (and move month) in the active scenario; choosing
/// how it is bought today removes the choice.
fn choice_edit(state: &AppState, index: usize, offer: Offer, move_month: u32) -> Edit {
    let workload_id = state
        .plan()
        .workloads
        .get(index)
        .map(|w| w.id.clone())
        .unwrap_or_default();
    Edit::Choice {
        scenario: state.active_scenario,
        workload_id,
        choice: state
            .derived
            .evaluation
            .choice_for(index, offer, move_month),
    }
}

fn editor_ui(ui: &mut Ui, state: &AppState, index: usize, actions: &mut Actions) {
    let plan = state.plan();
    let Some(workload) = plan.workloads.get(index) else {
        return;
    };
    let book = &plan.price_book;
    ui.heading(&workload.name);
    for warning in state.derived.warnings_of(index) {
        ui.label(
            RichText::new(format!("Warning: {}", warning.message))
                .color(ui.visuals().warn_fg_color),
        );
    }
    let mut edited = workload.clone();
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_max_width(430.0);
            Grid::new("workload_editor_grid")
                .num_columns(2)
                .show(ui, |ui| fields_ui(ui, state, index, &mut edited));
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
                    if let Some(v) = check_row(
                        ui,
                        "Licences with Software Assurance",
                        "owned, with SA: Azure Hybrid Benefit may apply",
                        workload.licences_with_sa,
                    ) {
                        edited.licences_with_sa = v;
                    }
                    if let Some(v) = multiline_row(ui, "Workload notes", &workload.notes) {
                        edited.notes = v;
                    }
                });
            ui.add_space(6.0);
            scenario_choice_ui(ui, state, index, actions);
            ui.add_space(6.0);
            options_ui(ui, state, book, workload, index);
        });
    });
    if edited == *workload {
        return;
    }
    // A category or constraint that rules out where the workload runs today is refused:
    // change its current destination first.
    if !crate::model::is_allowed(book, &edited, edited.current) {
        let why = crate::model::ruled_out_reason(book, &edited, edited.current);
        actions.push(Action::Notice(format!(
            "Refused: {why}. Change the current destination first."
        )));
        return;
    }
    actions.edit(Edit::Workload {
        index,
        workload: edited,
    });
}

/// Identity, size, criticality and where it runs today.
fn fields_ui(ui: &mut Ui, state: &AppState, index: usize, edited: &mut Workload) {
    let plan = state.plan();
    let workload = &plan.workloads[index];
    let book = &plan.price_book;
    let taken: std::collections::HashSet<&str> = plan
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
        id.trim().clone_into(&mut edited.id);
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
    if let Some(v) = number_row(ui, "Users", workload.users, bounds::users) {
        edited.users = v;
    }
    if let Some(v) = number_row(ui, "Servers", workload.servers, bounds::servers) {
        edited.servers = v;
    }
    if let Some(v) = number_row(ui, "Storage (GB)", workload.storage_gb, bounds::storage_gb) {
        edited.storage_gb = v;
    }
    if let Some(v) = number_row(
        ui,
        "Egress (GB a month)",
        workload.egress_gb_per_month,
        bounds::egress_gb_per_month,
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
                state
                    .derived
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
                |amount| bounds::monthly_override_cents(crate::model::cents_from_amount(amount)),
                None,
            ) {
                edited.current_monthly_override_cents = Some(crate::model::cents_from_amount(v));
            }
        }
    });
    ui.end_row();
}

/// What the workload costs and how much control it keeps on each destination.
/// The workload's offer in the active scenario (destination, term, Hybrid Benefit), as the
/// table's Choice column sets it.
fn scenario_choice_ui(ui: &mut Ui, state: &AppState, index: usize, actions: &mut Actions) {
    let plan = state.plan();
    let evaluation = &state.derived.evaluation;
    let (Some(scenario), Some(workload)) = (
        plan.scenarios.get(state.active_scenario),
        plan.workloads.get(index),
    ) else {
        return;
    };
    let Some(current) = evaluation
        .final_offers(scenario)
        .get(index)
        .copied()
        .or_else(|| evaluation.current_offer(index))
    else {
        return;
    };
    let options: Vec<Offer> = evaluation
        .offers_of(index)
        .into_iter()
        .map(|(offer, _)| offer)
        .collect();
    let move_month = scenario
        .choices
        .get(&workload.id)
        .map_or(0, |c| c.move_month);
    Grid::new("workload_scenario_choice")
        .num_columns(2)
        .show(ui, |ui| {
            let label = format!("In \"{}\"", scenario.name);
            if let Some(offer) = super::widgets::choice_row(ui, &label, current, &options, |o| {
                plan.price_book.offer_label(&o)
            }) {
                actions.edit(choice_edit(state, index, offer, move_month));
            }
        });
}

fn options_ui(ui: &mut Ui, state: &AppState, book: &PriceBook, workload: &Workload, index: usize) {
    let currency = &book.currency;
    let evaluation = &state.derived.evaluation;
    Grid::new("workload_options")
        .striped(true)
        .num_columns(5)
        .show(ui, |ui| {
            ui.label(RichText::new("On each destination and term").strong());
            ui.label(format!("Monthly ({currency})"));
            ui.label(format!("One-time ({currency})"));
            ui.label(format!("Partner fee ({currency})"));
            ui.label("Control");
            ui.end_row();
            let offers = evaluation.offers_of(index);
            for destination in Destination::ALL {
                let offered = crate::model::is_allowed(book, workload, destination)
                    || destination == workload.current;
                let on_destination: Vec<_> = offers
                    .iter()
                    .filter(|(o, _)| o.destination == destination && offered)
                    .collect();
                if on_destination.is_empty() {
                    ui.label(RichText::new(destination.label()).weak());
                    ui.label(RichText::new("ruled out").weak());
                    ui.label("");
                    ui.label("");
                    ui.label("");
                    ui.end_row();
                }
                // Each term on its own row; the partner fee is the first year's (PEC, CSP).
                for (offer, p) in on_destination {
                    ui.label(book.offer_label(offer));
                    ui.label(format_cents(p.monthly_cents));
                    ui.label(format_cents(p.one_time_cents));
                    ui.label(format_cents(p.partner_fee_first_year_cents));
                    ui.label(format_control(evaluation.control(destination)));
                    ui.end_row();
                }
            }
        });
}
