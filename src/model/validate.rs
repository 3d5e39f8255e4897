//! Checks that a plan makes sense before it is priced, each problem naming its field.

use std::collections::HashSet;
use std::fmt;

use rust_decimal::Decimal;

use super::destination::Destination;
use super::engine::is_allowed;
use super::plan::{Plan, Workload};
use super::price_book::{PriceBook, RateLine};

/// One problem in a plan: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// A path a person can follow, e.g. `workloads[2] "Exchange 2003".storage_gb`.
    pub field: String,
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// The largest price, quantity or number of hours a plan may hold: far above any real one,
/// and small enough that every figure computed from it stays exact.
pub(crate) fn max_quantity() -> Decimal {
    Decimal::from(1_000_000_000_000_i64)
}

struct Checker {
    issues: Vec<Issue>,
}

impl Checker {
    fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.issues.push(Issue {
            field: field.into(),
            message: message.into(),
        });
    }

    fn text(&mut self, field: &str, value: &str, what: &str) {
        if value.trim().is_empty() {
            self.push(field, format!("{what} must not be empty"));
        }
    }

    fn non_negative(&mut self, field: &str, value: Decimal) {
        if value.is_sign_negative() && !value.is_zero() {
            self.push(field, format!("must not be negative (found {value})"));
        } else if value > max_quantity() {
            self.push(
                field,
                format!("is too large (found {value}; at most 1,000,000,000,000)"),
            );
        }
    }

    fn percent(&mut self, field: &str, value: Decimal) {
        if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED {
            self.push(
                field,
                format!("must be a percentage from 0 to 100 (found {value})"),
            );
        }
    }

    fn lines(&mut self, field: &str, lines: &[RateLine]) {
        for (i, line) in lines.iter().enumerate() {
            let at = format!("{field}[{i}] \"{}\"", line.label);
            self.text(&format!("{at}.label"), &line.label, "the label");
            self.non_negative(&format!("{at}.unit_price"), line.unit_price);
            self.text(
                &format!("{at}.source"),
                &line.source,
                "the source of the price",
            );
        }
    }
}

/// Every problem in the plan; empty when the plan is valid.
#[must_use]
pub fn validate(plan: &Plan) -> Vec<Issue> {
    let mut c = Checker { issues: Vec::new() };

    c.text("customer.name", &plan.customer.name, "the customer's name");
    if !(1..=12).contains(&plan.customer.fiscal_year_start_month) {
        c.push(
            "customer.fiscal_year_start_month",
            format!(
                "must be a month from 1 to 12 (found {})",
                plan.customer.fiscal_year_start_month
            ),
        );
    }

    let assumptions = &plan.assumptions;
    if !(1..=120).contains(&assumptions.horizon_months) {
        c.push(
            "assumptions.horizon_months",
            format!(
                "must be from 1 to 120 months (found {})",
                assumptions.horizon_months
            ),
        );
    }
    c.percent(
        "assumptions.discount_rate_pct",
        assumptions.discount_rate_pct,
    );
    c.percent("assumptions.growth_pct", assumptions.growth_pct);

    let book = &plan.price_book;
    c.text("price_book.name", &book.name, "the price book's name");
    c.text("price_book.currency", &book.currency, "the currency");
    if book.hours_per_month <= Decimal::ZERO {
        c.push(
            "price_book.hours_per_month",
            format!("must be more than 0 (found {})", book.hours_per_month),
        );
    }
    c.non_negative("price_book.msp_rate_per_hour", book.msp_rate_per_hour);
    c.non_negative("price_book.msp_cost_per_hour", book.msp_cost_per_hour);
    for (destination, terms) in book.destinations.iter() {
        let at = format!("price_book.destinations.{}", destination.key());
        c.lines(&format!("{at}.recurring"), &terms.recurring);
        c.lines(&format!("{at}.msp_fees"), &terms.msp_fees);
        c.lines(&format!("{at}.msp_costs"), &terms.msp_costs);
        c.percent(
            &format!("{at}.partner_fee_first_year_pct"),
            terms.partner_fee_first_year_pct,
        );
        c.percent(
            &format!("{at}.partner_fee_recurring_pct"),
            terms.partner_fee_recurring_pct,
        );
        let labor = &terms.msp_labor_hours;
        c.non_negative(
            &format!("{at}.msp_labor_hours.per_workload_month"),
            labor.per_workload_month,
        );
        c.non_negative(
            &format!("{at}.msp_labor_hours.per_server_month"),
            labor.per_server_month,
        );
        c.non_negative(
            &format!("{at}.msp_labor_hours.per_user_month"),
            labor.per_user_month,
        );
        let migration = &terms.migration_hours;
        c.non_negative(
            &format!("{at}.migration_hours.per_workload"),
            migration.per_workload,
        );
        c.non_negative(
            &format!("{at}.migration_hours.per_user"),
            migration.per_user,
        );
        c.non_negative(
            &format!("{at}.migration_hours.per_server"),
            migration.per_server,
        );
        c.non_negative(
            &format!("{at}.migration_hours.per_100_gb"),
            migration.per_100_gb,
        );
    }

    let model = &plan.control_model;
    if model.dimensions.is_empty() {
        c.push(
            "control_model.dimensions",
            "at least one control dimension is needed",
        );
    }
    let mut names = HashSet::new();
    let mut total_weight = Decimal::ZERO;
    for (i, dimension) in model.dimensions.iter().enumerate() {
        let at = format!("control_model.dimensions[{i}] \"{}\"", dimension.name);
        c.text(
            &format!("{at}.name"),
            &dimension.name,
            "the dimension's name",
        );
        if !names.insert(dimension.name.trim()) {
            c.push(format!("{at}.name"), "another dimension has the same name");
        }
        c.non_negative(&format!("{at}.weight"), dimension.weight);
        total_weight += dimension.weight;
        for (destination, level) in dimension.levels.iter() {
            c.percent(&format!("{at}.levels.{}", destination.key()), *level);
        }
    }
    if !model.dimensions.is_empty() && total_weight <= Decimal::ZERO {
        c.push(
            "control_model.dimensions",
            "the weights must add up to more than 0",
        );
    }

    // Plans can hold many thousands of workloads: field paths are formatted only for problems.
    let mut ids = HashSet::with_capacity(plan.workloads.len());
    for (i, workload) in plan.workloads.iter().enumerate() {
        let at = |field: &str| format!("workloads[{i}] \"{}\".{field}", workload.name);
        if workload.id.trim().is_empty() {
            c.push(at("id"), "the id must not be empty");
        } else if !ids.insert(workload.id.as_str()) {
            c.push(
                at("id"),
                format!("id \"{}\" is used by another workload", workload.id),
            );
        }
        if workload.name.trim().is_empty() {
            c.push(at("name"), "the name must not be empty");
        }
        for (field, value) in [
            ("storage_gb", workload.storage_gb),
            ("egress_gb_per_month", workload.egress_gb_per_month),
        ] {
            if (value.is_sign_negative() && !value.is_zero()) || value > max_quantity() {
                c.non_negative(&at(field), value);
            }
        }
        if let Some(cents) = workload.current_monthly_override_cents
            && cents < 0
        {
            c.push(
                at("current_monthly_override_cents"),
                format!("must not be negative (found {cents})"),
            );
        }
        if !is_allowed(book, workload, workload.current) {
            c.push(at("current"), ruled_out(plan, i, workload.current));
        }
    }

    let mut index_of = std::collections::HashMap::with_capacity(plan.workloads.len());
    for (i, w) in plan.workloads.iter().enumerate() {
        index_of.entry(w.id.as_str()).or_insert(i);
    }
    let mut scenario_names = HashSet::new();
    for (i, scenario) in plan.scenarios.iter().enumerate() {
        let at = format!("scenarios[{i}] \"{}\"", scenario.name);
        c.text(&format!("{at}.name"), &scenario.name, "the scenario's name");
        if !scenario_names.insert(scenario.name.trim()) {
            c.push(format!("{at}.name"), "another scenario has the same name");
        }
        for (id, choice) in &scenario.choices {
            let field = || format!("{at}.choices[\"{id}\"]");
            let Some(&index) = index_of.get(id.as_str()) else {
                c.push(
                    field(),
                    format!("names workload \"{id}\", which is not in the plan"),
                );
                continue;
            };
            let workload = &plan.workloads[index];
            if choice.destination != workload.current
                && !is_allowed(book, workload, choice.destination)
            {
                c.push(
                    format!("{}.destination", field()),
                    ruled_out(plan, index, choice.destination),
                );
            }
            if (1..=120).contains(&assumptions.horizon_months)
                && choice.move_month >= assumptions.horizon_months
            {
                c.push(
                    format!("{}.move_month", field()),
                    format!(
                        "month {} is outside the {}-month horizon (0 to {})",
                        choice.move_month,
                        assumptions.horizon_months,
                        assumptions.horizon_months.saturating_sub(1)
                    ),
                );
            }
        }
    }
    c.issues
}

/// The problems of a price book on its own (e.g. one loaded from a file before it is taken
/// into a plan), with fields named as in a plan: `price_book.destinations.bpos…`.
#[must_use]
pub fn validate_price_book(book: &PriceBook) -> Vec<Issue> {
    let probe = Plan::new(
        "price book",
        super::plan::YearMonth::default(),
        book.clone(),
    );
    validate(&probe)
        .into_iter()
        .filter(|issue| issue.field.starts_with("price_book."))
        .collect()
}

/// Why `destination` is not open to workload `index`.
fn ruled_out(plan: &Plan, index: usize, destination: Destination) -> String {
    ruled_out_reason(&plan.price_book, &plan.workloads[index], destination)
}

/// Why `destination` is not open to `workload` under `book`: the category or a constraint.
pub(crate) fn ruled_out_reason(
    book: &PriceBook,
    workload: &Workload,
    destination: Destination,
) -> String {
    let terms = book.destinations.get(destination);
    if !terms.hosts.contains(&workload.category) {
        return format!(
            "{} cannot host a {} workload (the price book's {} hosts {})",
            destination.label(),
            workload.category.label().to_lowercase(),
            terms.label,
            if terms.hosts.is_empty() {
                "nothing".to_owned()
            } else {
                terms
                    .hosts
                    .iter()
                    .map(|c| c.key())
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        );
    }
    let constraints = workload.constraints;
    let reason = if constraints.data_must_stay_onsite {
        "its data must stay on site (on-premises only)"
    } else if constraints.needs_os_admin {
        "it needs OS admin access (no Azure PaaS, no BPOS)"
    } else {
        "it runs custom code (no BPOS)"
    };
    format!("{} is ruled out: {reason}", destination.label())
}
