//! The price book editor: every rate with its basis, categories and source.

use egui::{CollapsingHeader, Grid, RichText, Ui};

use super::widgets::{grid_text, multiline_row, number_field, number_row, text_row};
use crate::app::{Actions, AppState, Edit};
use crate::model::{
    Basis, Category, Decimal, Destination, DestinationTerms, PartnerFeeRule, PriceBook,
    PurchaseTerm, RateLine, TermKind, bounds,
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
    for (i, (title, lines, slot)) in groups.into_iter().enumerate() {
        ui.add_space(4.0);
        ui.label(RichText::new(title).strong());
        // Only the provider's recurring lines can carry a licence (Hybrid Benefit).
        if let Some(edited) = lines_ui(ui, &format!("{key} {title}"), lines, i == 0) {
            *slot(changed.terms(destination)) = edited;
        }
    }
    ui.add_space(4.0);
    ui.label(
        RichText::new("Purchase terms (the first is what a choice without a term buys)").strong(),
    );
    if let Some(edited) = purchase_terms_ui(ui, key, terms) {
        changed.terms(destination).purchase_terms = edited;
    }
    ui.add_space(4.0);
    ui.label(RichText::new("Partner fees by term (PEC, CSP margin)").strong());
    if let Some(edited) = fee_rules_ui(ui, key, terms) {
        changed.terms(destination).partner_fee_rules = edited;
    }
}

/// A menu of checkboxes, one per item; none ticked reads `none_means`.
fn set_menu<T: Ord + Clone>(
    ui: &mut Ui,
    name: &str,
    items: &[(T, String)],
    chosen: &std::collections::BTreeSet<T>,
    none_means: &str,
) -> Option<std::collections::BTreeSet<T>> {
    let shown = if chosen.is_empty() {
        none_means.to_owned()
    } else {
        items
            .iter()
            .filter(|(item, _)| chosen.contains(item))
            .map(|(_, label)| label.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut result = None;
    let menu = ui.menu_button(shown, |ui| {
        for (item, label) in items {
            let mut on = chosen.contains(item);
            if ui
                .checkbox(&mut on, label)
                .accessible_name(format!("{name}: {label}"))
                .changed()
            {
                let mut set = result.take().unwrap_or_else(|| chosen.clone());
                if on {
                    set.insert(item.clone());
                } else {
                    set.remove(item);
                }
                result = Some(set);
            }
        }
        ui.label(RichText::new(format!("None ticked means {none_means}.")).weak());
    });
    drop(menu.response.accessible_name(name));
    result
}

/// A destination's purchase terms; returns the edited list when something changed.
fn purchase_terms_ui(
    ui: &mut Ui,
    key: &str,
    terms: &DestinationTerms,
) -> Option<Vec<PurchaseTerm>> {
    let list = &terms.purchase_terms;
    let mut edited: Option<Vec<PurchaseTerm>> = None;
    let mut remove = None;
    let salt = format!("{key} term");
    let line_labels: Vec<(String, String)> = terms
        .recurring
        .iter()
        .map(|l| (l.label.clone(), l.label.clone()))
        .collect();
    if list.is_empty() {
        ui.label(RichText::new("None listed: pay as you go at the list price.").weak());
    }
    Grid::new(&salt)
        .striped(true)
        .num_columns(8)
        .show(ui, |ui| {
            if !list.is_empty() {
                for heading in [
                    "Term",
                    "Label",
                    "% of list",
                    "Lines it covers",
                    "Commitment (months)",
                    "Paid upfront",
                    "Source",
                    "",
                ] {
                    ui.label(RichText::new(heading).weak());
                }
                ui.end_row();
            }
            for (i, term) in list.iter().enumerate() {
                let at = format!("{salt} {}", i + 1);
                if let Some(kind) = super::widgets::choice(
                    ui,
                    &format!("{at} kind"),
                    term.kind,
                    &TermKind::ALL,
                    &|k| k.label().to_owned(),
                    None,
                ) {
                    line_mut(&mut edited, list, i).kind = kind;
                }
                if let Some(label) = grid_text(
                    ui,
                    (&at, "label"),
                    format!("{at} label"),
                    &term.label,
                    160.0,
                ) {
                    line_mut(&mut edited, list, i).label = label;
                }
                if let Some(v) = number_field(
                    ui,
                    &format!("{at} percent of list"),
                    term.recurring_pct,
                    bounds::term_percent,
                    None,
                ) {
                    line_mut(&mut edited, list, i).recurring_pct = v;
                }
                ui.push_id((&at, "lines"), |ui| {
                    if let Some(lines) = set_menu(
                        ui,
                        &format!("{at} lines"),
                        &line_labels,
                        &term.lines,
                        "every recurring line",
                    ) {
                        line_mut(&mut edited, list, i).lines = lines;
                    }
                });
                if let Some(v) = number_field(
                    ui,
                    &format!("{at} commitment months"),
                    term.commitment_months,
                    bounds::commitment_months,
                    None,
                ) {
                    line_mut(&mut edited, list, i).commitment_months = v;
                }
                if let Some(upfront) = flag_cell(
                    ui,
                    "",
                    format!("{at} paid upfront"),
                    term.paid_upfront,
                    "Each commitment period's provider cost is paid in its first month",
                ) {
                    line_mut(&mut edited, list, i).paid_upfront = upfront;
                }
                if let Some(source) = grid_text(
                    ui,
                    (&at, "source"),
                    format!("{at} source"),
                    &term.source,
                    260.0,
                ) {
                    line_mut(&mut edited, list, i).source = source;
                }
                if remove_cell(ui, &at, None) {
                    remove = Some(i);
                }
                ui.end_row();
            }
        });
    if let Some(i) = remove {
        edited.get_or_insert_with(|| list.clone()).remove(i);
    }
    // A new term is the first kind not listed yet; a first term makes pay as you go
    // explicit, so that adding a second one keeps what existing choices mean.
    let next = TermKind::ALL
        .into_iter()
        .find(|k| !list.iter().any(|t| t.kind == *k));
    if let Some(kind) = next
        && ui
            .push_id((&salt, "add"), |ui| ui.button("Add term"))
            .inner
            .on_hover_text(format!("Adds \"{}\"", kind.label()))
            .clicked()
    {
        let terms = edited.get_or_insert_with(|| list.clone());
        let mut term = PurchaseTerm::new(kind);
        term.source = "estimate".to_owned();
        terms.push(term);
    }
    edited
}

/// A destination's partner-fee rules; returns the edited list when something changed.
fn fee_rules_ui(ui: &mut Ui, key: &str, terms: &DestinationTerms) -> Option<Vec<PartnerFeeRule>> {
    let rules = &terms.partner_fee_rules;
    let mut edited: Option<Vec<PartnerFeeRule>> = None;
    let mut remove = None;
    let salt = format!("{key} fee rule");
    let kinds: Vec<(TermKind, String)> = terms
        .offered_terms()
        .iter()
        .map(|t| (t.kind, t.shown_label().to_owned()))
        .collect();
    Grid::new(&salt).striped(true).num_columns(7).show(ui, |ui| {
        if !rules.is_empty() {
            for heading in [
                "Fee",
                "First year %",
                "After %",
                "Paid on",
                "Needs admin access",
                "Source",
                "",
            ] {
                ui.label(RichText::new(heading).weak());
            }
            ui.end_row();
        }
        for (i, rule) in rules.iter().enumerate() {
            let at = format!("{salt} {}", i + 1);
            if let Some(label) = grid_text(ui, (&at, "label"), format!("{at} label"), &rule.label, 180.0) {
                line_mut(&mut edited, rules, i).label = label;
            }
            if let Some(v) = number_field(
                ui,
                &format!("{at} first year percent"),
                rule.first_year_pct,
                bounds::percent,
                None,
            ) {
                line_mut(&mut edited, rules, i).first_year_pct = v;
            }
            if let Some(v) = number_field(
                ui,
                &format!("{at} later percent"),
                rule.recurring_pct,
                bounds::percent,
                None,
            ) {
                line_mut(&mut edited, rules, i).recurring_pct = v;
            }
            ui.push_id((&at, "terms"), |ui| {
                if let Some(set) =
                    set_menu(ui, &format!("{at} terms"), &kinds, &rule.terms, "every term")
                {
                    line_mut(&mut edited, rules, i).terms = set;
                }
            });
            if let Some(needs) = flag_cell(
                ui,
                "",
                format!("{at} needs admin access"),
                rule.needs_admin_access,
                "Paid only while the control model gives the MSP admin access on this destination",
            ) {
                line_mut(&mut edited, rules, i).needs_admin_access = needs;
            }
            if let Some(source) = grid_text(ui, (&at, "source"), format!("{at} source"), &rule.source, 260.0)
            {
                line_mut(&mut edited, rules, i).source = source;
            }
            if remove_cell(ui, &at, None) {
                remove = Some(i);
            }
            ui.end_row();
        }
    });
    if let Some(i) = remove {
        edited.get_or_insert_with(|| rules.clone()).remove(i);
    }
    if ui
        .push_id((&salt, "add"), |ui| ui.button("Add partner fee"))
        .inner
        .clicked()
    {
        edited
            .get_or_insert_with(|| rules.clone())
            .push(PartnerFeeRule {
                label: "New partner fee".to_owned(),
                first_year_pct: Decimal::ZERO,
                recurring_pct: Decimal::ZERO,
                terms: std::collections::BTreeSet::new(),
                needs_admin_access: false,
                source: "estimate".to_owned(),
            });
    }
    edited
}

/// The rate lines of one group; returns the edited list when something changed.
fn lines_ui(
    ui: &mut Ui,
    salt: &str,
    lines: &[RateLine],
    with_licence: bool,
) -> Option<Vec<RateLine>> {
    let mut edited: Option<Vec<RateLine>> = None;
    let mut remove = None;
    Grid::new(salt).striped(true).num_columns(7).show(ui, |ui| {
        for heading in ["Line", "Basis", "Unit price", "Categories", "Source", "", ""] {
            ui.label(RichText::new(heading).weak());
        }
        ui.end_row();
        for (i, line) in lines.iter().enumerate() {
            let at = format!("{salt} line {}", i + 1);
            if let Some(label) = grid_text(ui, (salt, i), format!("{at} label"), &line.label, 200.0) {
                line_mut(&mut edited, lines, i).label = label;
            }
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
            if let Some(source) =
                grid_text(ui, (salt, i, "source"), format!("{at} source"), &line.source, 320.0)
            {
                line_mut(&mut edited, lines, i).source = source;
            }
            if with_licence {
                if let Some(licence) = flag_cell(
                    ui,
                    "Licence",
                    format!("{at} carries a licence"),
                    line.licence,
                    "The price includes a Windows Server or SQL Server licence, which Azure Hybrid Benefit removes",
                ) {
                    line_mut(&mut edited, lines, i).licence = licence;
                }
            } else {
                ui.label("");
            }
            if remove_cell(ui, &at, Some(&line.label)) {
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

/// A check box cell; the new value when it changed.
fn flag_cell(ui: &mut Ui, label: &str, name: String, value: bool, hover: &str) -> Option<bool> {
    let mut on = value;
    ui.checkbox(&mut on, label)
        .accessible_name(name)
        .on_hover_text(hover)
        .changed()
        .then_some(on)
}

/// The "Remove" button of row `at`; whether it was clicked.
fn remove_cell(ui: &mut Ui, at: &str, shown: Option<&str>) -> bool {
    let response = ui.button("Remove").accessible_name(format!("Remove {at}"));
    match shown {
        Some(shown) => response.on_hover_text(format!("Remove {shown}")),
        None => response,
    }
    .clicked()
}

/// Item `i` of the edited copy of `lines` (rate lines, terms, fee rules), made on the first
/// change.
fn line_mut<'v, T: Clone>(edited: &'v mut Option<Vec<T>>, lines: &[T], i: usize) -> &'v mut T {
    &mut edited.get_or_insert_with(|| lines.to_vec())[i]
}
