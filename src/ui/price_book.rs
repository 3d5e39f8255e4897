//! The price book editor: every rate with its basis, categories and source.

use egui::{CollapsingHeader, Grid, RichText, Ui};

use super::KeyholderApp;
use super::widgets::{checks, multiline_row, number_field, number_row, text_row};
use crate::app::Edit;
use crate::model::{Basis, Category, Decimal, Destination, DestinationTerms, RateLine};

pub fn price_book_ui(ui: &mut Ui, app: &mut KeyholderApp) {
    let book = app.plan().price_book.clone();
    let mut edited = book.clone();
    egui::ScrollArea::vertical().show(ui, |ui| {
        Grid::new("price_book").num_columns(2).show(ui, |ui| {
            if let Some(v) = text_row(ui, "Price book name", &book.name) {
                edited.name = v;
            }
            if let Some(v) = text_row(ui, "Currency", &book.currency) {
                edited.currency = v;
            }
            if let Some(v) = text_row(ui, "Prices as of", &book.as_of) {
                edited.as_of = v;
            }
            if let Some(v) = number_row(
                ui,
                "Hours per month",
                book.hours_per_month,
                checks::positive,
            ) {
                edited.hours_per_month = v;
            }
            if let Some(v) = number_row(
                ui,
                "MSP rate per hour",
                book.msp_rate_per_hour,
                checks::non_negative,
            ) {
                edited.msp_rate_per_hour = v;
            }
            if let Some(v) = number_row(
                ui,
                "MSP cost per hour",
                book.msp_cost_per_hour,
                checks::non_negative,
            ) {
                edited.msp_cost_per_hour = v;
            }
            if let Some(v) = text_row(ui, "Source of the MSP rates", &book.labor_source) {
                edited.labor_source = v;
            }
            if let Some(v) = multiline_row(ui, "Price book notes", &book.notes) {
                edited.notes = v;
            }
        });
        for destination in Destination::ALL {
            let terms = book.destinations.get(destination);
            CollapsingHeader::new(format!("{} ({})", terms.label, destination.strategy()))
                .id_salt(destination.key())
                .show(ui, |ui| {
                    terms_ui(
                        ui,
                        destination,
                        terms,
                        edited.destinations.get_mut(destination),
                    );
                });
        }
    });
    if edited != book {
        app.edit(Edit::PriceBook(Box::new(edited)));
    }
}

fn terms_ui(
    ui: &mut Ui,
    destination: Destination,
    terms: &DestinationTerms,
    edited: &mut DestinationTerms,
) {
    let key = destination.label();
    Grid::new(("terms", key)).num_columns(2).show(ui, |ui| {
        if let Some(v) = text_row(ui, &format!("{key} label"), &terms.label) {
            edited.label = v;
        }
        if let Some(v) = number_row(
            ui,
            &format!("{key} partner fee, first year %"),
            terms.partner_fee_first_year_pct,
            checks::percent,
        ) {
            edited.partner_fee_first_year_pct = v;
        }
        if let Some(v) = number_row(
            ui,
            &format!("{key} partner fee after %"),
            terms.partner_fee_recurring_pct,
            checks::percent,
        ) {
            edited.partner_fee_recurring_pct = v;
        }
        let labor = &terms.msp_labor_hours;
        for (label, value, slot) in [
            (
                "MSP hours per workload-month",
                labor.per_workload_month,
                &mut edited.msp_labor_hours.per_workload_month,
            ),
            (
                "MSP hours per server-month",
                labor.per_server_month,
                &mut edited.msp_labor_hours.per_server_month,
            ),
            (
                "MSP hours per user-month",
                labor.per_user_month,
                &mut edited.msp_labor_hours.per_user_month,
            ),
        ] {
            if let Some(v) = number_row(ui, &format!("{key} {label}"), value, checks::non_negative)
            {
                *slot = v;
            }
        }
        let migration = &terms.migration_hours;
        for (label, value, slot) in [
            (
                "migration hours per workload",
                migration.per_workload,
                &mut edited.migration_hours.per_workload,
            ),
            (
                "migration hours per user",
                migration.per_user,
                &mut edited.migration_hours.per_user,
            ),
            (
                "migration hours per server",
                migration.per_server,
                &mut edited.migration_hours.per_server,
            ),
            (
                "migration hours per 100 GB",
                migration.per_100_gb,
                &mut edited.migration_hours.per_100_gb,
            ),
        ] {
            if let Some(v) = number_row(ui, &format!("{key} {label}"), value, checks::non_negative)
            {
                *slot = v;
            }
        }
        if let Some(v) = text_row(
            ui,
            &format!("{key} source of the terms"),
            &terms.terms_source,
        ) {
            edited.terms_source = v;
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
                if hosted {
                    edited.hosts.insert(category);
                } else {
                    edited.hosts.remove(&category);
                }
            }
        }
    });
    for (title, lines, slot) in [
        (
            "Recurring (customer pays the provider)",
            &terms.recurring,
            &mut edited.recurring,
        ),
        (
            "MSP fees (customer pays the MSP)",
            &terms.msp_fees,
            &mut edited.msp_fees,
        ),
        ("MSP's own costs", &terms.msp_costs, &mut edited.msp_costs),
    ] {
        ui.add_space(4.0);
        ui.label(RichText::new(title).strong());
        lines_ui(ui, &format!("{key} {title}"), lines, slot);
    }
}

fn lines_ui(ui: &mut Ui, salt: &str, lines: &[RateLine], edited: &mut Vec<RateLine>) {
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
                    edited[i].label = label;
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
                edited[i].basis = basis;
            }
            if let Some(v) = number_field(
                ui,
                &format!("{salt} line {} unit price", i + 1),
                line.unit_price,
                checks::non_negative,
                None,
            ) {
                edited[i].unit_price = v;
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
                                edited[i].categories.insert(category);
                            } else {
                                edited[i].categories.remove(&category);
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
                    edited[i].source = source;
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
        edited.remove(i);
    }
    if ui
        .push_id((salt, "add"), |ui| ui.button("Add line"))
        .inner
        .clicked()
    {
        edited.push(RateLine {
            label: "New line".to_owned(),
            basis: Basis::Flat,
            unit_price: Decimal::ZERO,
            categories: std::collections::BTreeSet::new(),
            source: "estimate".to_owned(),
        });
    }
}
