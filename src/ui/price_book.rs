//! The price book editor: every rate with its basis, categories and source.

use egui::{CollapsingHeader, Grid, RichText, Ui};

use super::widgets::{multiline_row, number_field, number_row, text_row};
use crate::app::{Actions, AppState, Edit};
use crate::model::{
    Basis, Category, Decimal, Destination, DestinationTerms, PriceBook, RateLine, bounds,
};

/// Where in a destination's terms an edited number goes.
type Slot = fn(&mut DestinationTerms) -> &mut Decimal;
/// Where in a destination's terms an edited group of rate lines goes.
type Lines = fn(&mut DestinationTerms) -> &mut Vec<RateLine>;

/// The book being edited: copied from the plan's only when a value changes, so drawing the
/// editor never copies the whole book.
struct Changed<'a> {
    book: &'a PriceBook,
    edited: Option<PriceBook>,
}

impl Changed<'_> {
    fn book(&mut self) -> &mut PriceBook {
        self.edited.get_or_insert_with(|| self.book.clone())
    }

    fn terms(&mut self, destination: Destination) -> &mut DestinationTerms {
        self.book().destinations.get_mut(destination)
    }
}

pub fn price_book_ui(ui: &mut Ui, state: &AppState, actions: &mut Actions) {
    let book = &state.plan().price_book;
    let mut changed = Changed { book, edited: None };
    egui::ScrollArea::vertical().show(ui, |ui| {
        Grid::new("price_book").num_columns(2).show(ui, |ui| {
            if let Some(v) = text_row(ui, "Price book name", &book.name) {
                changed.book().name = v;
            }
            if let Some(v) = text_row(ui, "Currency", &book.currency) {
                changed.book().currency = v;
            }
            if let Some(v) = text_row(ui, "Prices as of", &book.as_of) {
                changed.book().as_of = v;
            }
            if let Some(v) = number_row(
                ui,
                "Hours per month",
                book.hours_per_month,
                bounds::hours_per_month,
            ) {
                changed.book().hours_per_month = v;
            }
            if let Some(v) = number_row(
                ui,
                "MSP rate per hour",
                book.msp_rate_per_hour,
                bounds::rate_per_hour,
            ) {
                changed.book().msp_rate_per_hour = v;
            }
            if let Some(v) = number_row(
                ui,
                "MSP cost per hour",
                book.msp_cost_per_hour,
                bounds::rate_per_hour,
            ) {
                changed.book().msp_cost_per_hour = v;
            }
            if let Some(v) = text_row(ui, "Source of the MSP rates", &book.labor_source) {
                changed.book().labor_source = v;
            }
            if let Some(v) = multiline_row(ui, "Price book notes", &book.notes) {
                changed.book().notes = v;
            }
        });
        for destination in Destination::ALL {
            let terms = book.destinations.get(destination);
            CollapsingHeader::new(format!("{} ({})", terms.label, destination.strategy()))
                .id_salt(destination.key())
                .show(ui, |ui| terms_ui(ui, destination, terms, &mut changed));
        }
    });
    if let Some(edited) = changed.edited
        && edited != *book
    {
        actions.edit(Edit::PriceBook(Box::new(edited)));
    }
}

fn terms_ui(
    ui: &mut Ui,
    destination: Destination,
    terms: &DestinationTerms,
    changed: &mut Changed<'_>,
) {
    let key = destination.label();
    Grid::new(("terms", key)).num_columns(2).show(ui, |ui| {
        if let Some(v) = text_row(ui, &format!("{key} label"), &terms.label) {
            changed.terms(destination).label = v;
        }
        if let Some(v) = number_row(
            ui,
            &format!("{key} partner fee, first year %"),
            terms.partner_fee_first_year_pct,
            bounds::percent,
        ) {
            changed.terms(destination).partner_fee_first_year_pct = v;
        }
        if let Some(v) = number_row(
            ui,
            &format!("{key} partner fee after %"),
            terms.partner_fee_recurring_pct,
            bounds::percent,
        ) {
            changed.terms(destination).partner_fee_recurring_pct = v;
        }
        let labor = &terms.msp_labor_hours;
        let migration = &terms.migration_hours;
        let hours: [(&str, Decimal, Slot); 7] = [
            (
                "MSP hours per workload-month",
                labor.per_workload_month,
                |t| &mut t.msp_labor_hours.per_workload_month,
            ),
            ("MSP hours per server-month", labor.per_server_month, |t| {
                &mut t.msp_labor_hours.per_server_month
            }),
            ("MSP hours per user-month", labor.per_user_month, |t| {
                &mut t.msp_labor_hours.per_user_month
            }),
            (
                "migration hours per workload",
                migration.per_workload,
                |t| &mut t.migration_hours.per_workload,
            ),
            ("migration hours per user", migration.per_user, |t| {
                &mut t.migration_hours.per_user
            }),
            ("migration hours per server", migration.per_server, |t| {
                &mut t.migration_hours.per_server
            }),
            ("migration hours per 100 GB", migration.per_100_gb, |t| {
                &mut t.migration_hours.per_100_gb
            }),
        ];
        for (label, value, slot) in hours {
            if let Some(v) = number_row(ui, &format!("{key} {label}"), value, bounds::hours) {
                *slot(changed.terms(destination)) = v;
            }
        }
        if let Some(v) = text_row(
            ui,
            &format!("{key} source of the terms"),
            &terms.terms_source,
        ) {
            changed.terms(destination).terms_source = v;
        }
    });
    ui.label(RichText::new("Hosts").strong());
    ui.horizontal_wrapped(|ui| {
        for category in Category::ALL {
            let mut hosted = terms.hosts.contains(&category);
            if ui
                .checkbox(&mut hosted, category.label())
                .accessible_name(format!("{key} hosts {}", category.label()))
                .on_hover_text(format!(
                    "{key} hosts {} workloads",
                    category.label().to_lowercase()
                ))
                .changed()
            {
                let hosts = &mut changed.terms(destination).hosts;
                if hosted {
                    hosts.insert(category);
                } else {
                    hosts.remove(&category);
                }
            }
        }
    });
    let groups: [(&str, &[RateLine], Lines); 3] = [
        (
            "Recurring (customer pays the provider)",
            &terms.recurring,
            |t| &mut t.recurring,
        ),
        ("MSP fees (customer pays the MSP)", &terms.msp_fees, |t| {
            &mut t.msp_fees
        }),
        ("MSP's own costs", &terms.msp_costs, |t| &mut t.msp_costs),
    ];
    for (title, lines, slot) in groups {
        ui.add_space(4.0);
        ui.label(RichText::new(title).strong());
        if let Some(edited) = lines_ui(ui, &format!("{key} {title}"), lines) {
            *slot(changed.terms(destination)) = edited;
        }
    }
}

/// The rate lines of one group; returns the edited list when something changed.
fn lines_ui(ui: &mut Ui, salt: &str, lines: &[RateLine]) -> Option<Vec<RateLine>> {
    let mut edited: Option<Vec<RateLine>> = None;
    let mut remove = None;
    Grid::new(salt).striped(true).num_columns(6).show(ui, |ui| {
        for heading in ["Line", "Basis", "Unit price", "Categories", "Source", ""] {
            ui.label(RichText::new(heading).weak());
        }
        ui.end_row();
        for (i, line) in lines.iter().enumerate() {
            ui.push_id((salt, i), |ui| {
                let mut label = line.label.clone();
                if ui
                    .add(egui::TextEdit::singleline(&mut label).desired_width(200.0))
                    .accessible_name(format!("{salt} line {} label", i + 1))
                    .changed()
                {
                    line_mut(&mut edited, lines, i).label = label;
                }
            });
            let name = format!("{salt} line {} basis", i + 1);
            if let Some(basis) = super::widgets::choice(
                ui,
                &name,
                line.basis,
                &Basis::ALL,
                &|b| b.label().to_owned(),
                None,
            ) {
                line_mut(&mut edited, lines, i).basis = basis;
            }
            if let Some(v) = number_field(
                ui,
                &format!("{salt} line {} unit price", i + 1),
                line.unit_price,
                bounds::unit_price,
                None,
            ) {
                line_mut(&mut edited, lines, i).unit_price = v;
            }
            let categories = if line.categories.is_empty() {
                "all".to_owned()
            } else {
                line.categories
                    .iter()
                    .map(|c| c.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            ui.push_id((salt, i, "categories"), |ui| {
                let menu = ui.menu_button(categories, |ui| {
                    for category in Category::ALL {
                        let mut applies = line.categories.contains(&category);
                        if ui
                            .checkbox(&mut applies, category.label())
                            .accessible_name(format!(
                                "{salt} line {} applies to {}",
                                i + 1,
                                category.label()
                            ))
                            .changed()
                        {
                            if applies {
                                line_mut(&mut edited, lines, i).categories.insert(category);
                            } else {
                                line_mut(&mut edited, lines, i).categories.remove(&category);
                            }
                        }
                    }
                    ui.label(RichText::new("None ticked means every category.").weak());
                });
                drop(
                    menu.response
                        .accessible_name(format!("{salt} line {} categories", i + 1)),
                );
            });
            ui.push_id((salt, i, "source"), |ui| {
                let mut source = line.source.clone();
                if ui
                    .add(egui::TextEdit::singleline(&mut source).desired_width(320.0))
                    .accessible_name(format!("{salt} line {} source", i + 1))
                    .changed()
                {
                    line_mut(&mut edited, lines, i).source = source;
                }
            });
            if ui
                .button("Remove")
                .accessible_name(format!("Remove {salt} line {}", i + 1))
                .on_hover_text(format!("Remove {}", line.label))
                .clicked()
            {
                remove = Some(i);
            }
            ui.end_row();
        }
    });
    if let Some(i) = remove {
        edited.get_or_insert_with(|| lines.to_vec()).remove(i);
    }
    if ui
        .push_id((salt, "add"), |ui| ui.button("Add line"))
        .inner
        .clicked()
    {
        edited.get_or_insert_with(|| lines.to_vec()).push(RateLine {
            label: "New line".to_owned(),
            basis: Basis::Flat,
            unit_price: Decimal::ZERO,
            categories: std::collections::BTreeSet::new(),
            source: "estimate".to_owned(),
            licence: false,
        });
    }
    edited
}

/// Line `i` of the edited copy of `lines`, made on the first change.
fn line_mut<'v>(
    edited: &'v mut Option<Vec<RateLine>>,
    lines: &[RateLine],
    i: usize,
) -> &'v mut RateLine {
    &mut edited.get_or_insert_with(|| lines.to_vec())[i]
}
