//! Checks that a plan makes sense before it is priced, each problem naming its field. Every
//! number is checked against its bound in [`super::bounds`]; a plan that passes is also
//! evaluated, and any figure that could not be computed is reported too, so every plan
//! validation accepts can be reported, optimized, compared and opened.

use std::collections::{HashMap, HashSet};
use std::fmt;

use rust_decimal::Decimal;

use super::bounds;
use super::destination::Destination;
use super::engine::{EngineError, Evaluation, is_allowed};
use super::plan::{Plan, RecommendedScenario, Scenario, Workload};
use super::price_book::{Basis, DestinationTerms, PriceBook, RateLine};
use super::terms::{TermKind, hybrid_benefit_applies};

/// One step of the path to a field in the plan, as it is written in the file: a struct
/// field, a position in a list, or a key of a map (a scenario's choices).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FieldStep {
    Field(&'static str),
    Index(usize),
    Key(String),
}

/// One problem in a plan: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// A path a person can follow, e.g. `workloads[2] "Exchange 2003".storage_gb`.
    pub field: String,
    pub message: String,
    /// The same place as steps through the file's structure (`workloads`, 2, `storage_gb`),
    /// for finding its line and column in the file.
    pub path: Vec<FieldStep>,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// The old single bound of quantities, still used by `src/import` until its rows are checked
/// with the functions of [`bounds`] (which validation applies; they are tighter).
pub(crate) fn max_quantity() -> Decimal {
    Decimal::from(1_000_000_000_000_i64)
}

/// A field's place, as text for people and as steps for the file.
#[derive(Debug, Clone)]
struct Place {
    text: String,
    path: Vec<FieldStep>,
}

impl Place {
    fn field(name: &'static str) -> Self {
        Self {
            text: name.to_owned(),
            path: vec![FieldStep::Field(name)],
        }
    }

    fn dot(&self, name: &'static str) -> Self {
        let mut path = self.path.clone();
        path.push(FieldStep::Field(name));
        Self {
            text: format!("{}.{name}", self.text),
            path,
        }
    }

    /// Element `index` of a list, with the element's name to recognise it by.
    fn item(&self, index: usize, name: &str) -> Self {
        let mut path = self.path.clone();
        path.push(FieldStep::Index(index));
        Self {
            text: format!("{}[{index}] \"{name}\"", self.text),
            path,
        }
    }

    fn key(&self, key: &str) -> Self {
        let mut path = self.path.clone();
        path.push(FieldStep::Key(key.to_owned()));
        Self {
            text: format!("{}[\"{key}\"]", self.text),
            path,
        }
    }
}

struct Checker {
    issues: Vec<Issue>,
}

impl Checker {
    fn push(&mut self, place: Place, message: impl Into<String>) {
        self.issues.push(Issue {
            field: place.text,
            message: message.into(),
            path: place.path,
        });
    }

    /// Reports a failed bound with the value found; `place` is built only for a problem.
    fn bound<T: fmt::Display>(
        &mut self,
        place: impl FnOnce() -> Place,
        result: Result<(), String>,
        found: T,
    ) {
        if let Err(message) = result {
            self.push(place(), format!("{message} (found {found})"));
        }
    }

    fn decimal(
        &mut self,
        place: impl FnOnce() -> Place,
        check: fn(Decimal) -> Result<(), String>,
        value: Decimal,
    ) {
        self.bound(place, check(value), value.normalize());
    }

    fn text(&mut self, place: impl FnOnce() -> Place, value: &str, what: &str) {
        if value.trim().is_empty() {
            self.push(place(), format!("{what} must not be empty"));
        }
    }

    fn lines(&mut self, place: &Place, lines: &[RateLine]) {
        self.bound(
            || place.clone(),
            bounds::rate_line_count(lines.len()),
            lines.len(),
        );
        for (i, line) in lines.iter().enumerate() {
            let at = || place.item(i, &line.label);
            self.text(|| at().dot("label"), &line.label, "the label");
            self.decimal(
                || at().dot("unit_price"),
                bounds::unit_price,
                line.unit_price,
            );
            self.text(
                || at().dot("source"),
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
    customer_and_assumptions(&mut c, plan);
    price_book(&mut c, &plan.price_book);
    control_model(&mut c, plan);
    workloads(&mut c, plan);
    scenarios(&mut c, plan);
    // Only a plan without other problems is evaluated: an out-of-bounds value is reported
    // by its bound, not again as a figure.
    if c.issues.is_empty() {
        figures(&mut c, plan);
    }
    c.issues
}

fn customer_and_assumptions(c: &mut Checker, plan: &Plan) {
    let customer = Place::field("customer");
    c.text(
        || customer.dot("name"),
        &plan.customer.name,
        "the customer's name",
    );
    let month = plan.customer.fiscal_year_start_month;
    c.bound(
        || customer.dot("fiscal_year_start_month"),
        bounds::fiscal_year_start_month(month),
        month,
    );
    c.bound(
        || customer.dot("seats"),
        bounds::seats(plan.customer.seats),
        plan.customer.seats,
    );
    c.bound(
        || customer.dot("sites"),
        bounds::sites(plan.customer.sites),
        plan.customer.sites,
    );

    let assumptions = &plan.assumptions;
    let at = Place::field("assumptions");
    c.bound(
        || at.dot("horizon_months"),
        bounds::horizon_months(assumptions.horizon_months),
        assumptions.horizon_months,
    );
    c.decimal(
        || at.dot("discount_rate_pct"),
        bounds::percent,
        assumptions.discount_rate_pct,
    );
    c.decimal(
        || at.dot("growth_pct"),
        bounds::percent,
        assumptions.growth_pct,
    );
}

fn price_book(c: &mut Checker, book: &PriceBook) {
    let at = Place::field("price_book");
    c.text(|| at.dot("name"), &book.name, "the price book's name");
    c.text(|| at.dot("currency"), &book.currency, "the currency");
    c.decimal(
        || at.dot("hours_per_month"),
        bounds::hours_per_month,
        book.hours_per_month,
    );
    c.decimal(
        || at.dot("msp_rate_per_hour"),
        bounds::rate_per_hour,
        book.msp_rate_per_hour,
    );
    c.decimal(
        || at.dot("msp_cost_per_hour"),
        bounds::rate_per_hour,
        book.msp_cost_per_hour,
    );
    let destinations = at.dot("destinations");
    for (destination, terms) in book.destinations.iter() {
        let at = destinations.dot(destination.key());
        c.lines(&at.dot("recurring"), &terms.recurring);
        c.lines(&at.dot("msp_fees"), &terms.msp_fees);
        c.lines(&at.dot("msp_costs"), &terms.msp_costs);
        c.decimal(
            || at.dot("partner_fee_first_year_pct"),
            bounds::percent,
            terms.partner_fee_first_year_pct,
        );
        c.decimal(
            || at.dot("partner_fee_recurring_pct"),
            bounds::percent,
            terms.partner_fee_recurring_pct,
        );
        let labor = &terms.msp_labor_hours;
        let labor_at = at.dot("msp_labor_hours");
        for (name, value) in [
            ("per_workload_month", labor.per_workload_month),
            ("per_server_month", labor.per_server_month),
            ("per_user_month", labor.per_user_month),
        ] {
            c.decimal(|| labor_at.dot(name), bounds::hours, value);
        }
        let migration = &terms.migration_hours;
        let migration_at = at.dot("migration_hours");
        for (name, value) in [
            ("per_workload", migration.per_workload),
            ("per_user", migration.per_user),
            ("per_server", migration.per_server),
            ("per_100_gb", migration.per_100_gb),
        ] {
            c.decimal(|| migration_at.dot(name), bounds::hours, value);
        }
        purchase_terms(c, &at, terms);
    }
}

/// A destination's purchase terms and term-dependent partner fees.
fn purchase_terms(c: &mut Checker, at: &Place, terms: &DestinationTerms) {
    let list = at.dot("purchase_terms");
    c.bound(
        || list.clone(),
        bounds::rate_line_count(terms.purchase_terms.len()),
        terms.purchase_terms.len(),
    );
    let mut kinds = HashSet::new();
    for (i, term) in terms.purchase_terms.iter().enumerate() {
        let at = || list.item(i, term.kind.key());
        if !kinds.insert(term.kind) {
            c.push(
                at().dot("kind"),
                format!(
                    "\"{}\" is listed twice; a destination offers each kind of term once, so that scenarios can name it",
                    term.kind.label()
                ),
            );
        }
        c.decimal(
            || at().dot("recurring_pct"),
            bounds::term_percent,
            term.recurring_pct,
        );
        c.bound(
            || at().dot("commitment_months"),
            bounds::commitment_months(term.commitment_months),
            term.commitment_months,
        );
        if term.paid_upfront && term.commitment_months == 0 {
            c.push(
                at().dot("paid_upfront"),
                "a term paid upfront needs a commitment (how many months the payment covers)",
            );
        }
        for label in &term.lines {
            if !terms.recurring.iter().any(|line| &line.label == label) {
                c.push(
                    at().dot("lines"),
                    format!(
                        "names the recurring line \"{label}\", which this destination does not have"
                    ),
                );
            }
        }
        c.text(
            || at().dot("source"),
            &term.source,
            "the source of the term",
        );
    }
    let rules = at.dot("partner_fee_rules");
    c.bound(
        || rules.clone(),
        bounds::rate_line_count(terms.partner_fee_rules.len()),
        terms.partner_fee_rules.len(),
    );
    let offered: Vec<TermKind> = terms.offered_terms().iter().map(|t| t.kind).collect();
    for (i, rule) in terms.partner_fee_rules.iter().enumerate() {
        let at = || rules.item(i, &rule.label);
        c.text(|| at().dot("label"), &rule.label, "the label");
        c.decimal(
            || at().dot("first_year_pct"),
            bounds::percent,
            rule.first_year_pct,
        );
        c.decimal(
            || at().dot("recurring_pct"),
            bounds::percent,
            rule.recurring_pct,
        );
        for kind in &rule.terms {
            if !offered.contains(kind) {
                c.push(
                    at().dot("terms"),
                    format!(
                        "names \"{}\", which this destination does not offer",
                        kind.label()
                    ),
                );
            }
        }
        c.text(|| at().dot("source"), &rule.source, "the source of the fee");
    }
}

fn control_model(c: &mut Checker, plan: &Plan) {
    let model = &plan.control_model;
    let at = Place::field("control_model").dot("dimensions");
    if model.dimensions.is_empty() {
        c.push(at.clone(), "at least one control dimension is needed");
    }
    c.bound(
        || at.clone(),
        bounds::dimension_count(model.dimensions.len()),
        model.dimensions.len(),
    );
    let mut names = HashSet::new();
    let mut total_weight = Decimal::ZERO;
    for (i, dimension) in model.dimensions.iter().enumerate() {
        let here = || at.item(i, &dimension.name);
        c.text(
            || here().dot("name"),
            &dimension.name,
            "the dimension's name",
        );
        if !names.insert(dimension.name.trim()) {
            c.push(here().dot("name"), "another dimension has the same name");
        }
        c.decimal(|| here().dot("weight"), bounds::weight, dimension.weight);
        total_weight = total_weight.saturating_add(dimension.weight);
        for (destination, level) in dimension.levels.iter() {
            c.decimal(
                || here().dot("levels").dot(destination.key()),
                bounds::control_level,
                *level,
            );
        }
    }
    if !model.dimensions.is_empty() && total_weight <= Decimal::ZERO {
        c.push(at, "the weights must add up to more than 0");
    }
}

fn workloads(c: &mut Checker, plan: &Plan) {
    let book = &plan.price_book;
    let list = Place::field("workloads");
    c.bound(
        || list.clone(),
        bounds::workload_count(plan.workloads.len()),
        plan.workloads.len(),
    );
    // Plans can hold many thousands of workloads: field paths are formatted only for problems.
    let mut ids = HashSet::with_capacity(plan.workloads.len());
    for (i, workload) in plan.workloads.iter().enumerate() {
        let at = |field: &'static str| list.item(i, &workload.name).dot(field);
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
        c.bound(
            || at("users"),
            bounds::users(workload.users),
            workload.users,
        );
        c.bound(
            || at("servers"),
            bounds::servers(workload.servers),
            workload.servers,
        );
        c.decimal(|| at("storage_gb"), bounds::storage_gb, workload.storage_gb);
        c.decimal(
            || at("egress_gb_per_month"),
            bounds::egress_gb_per_month,
            workload.egress_gb_per_month,
        );
        if let Some(cents) = workload.current_monthly_override_cents {
            c.bound(
                || at("current_monthly_override_cents"),
                bounds::monthly_override_cents(cents),
                cents,
            );
        }
        if !is_allowed(book, workload, workload.current) {
            c.push(at("current"), ruled_out(plan, i, workload.current));
        }
    }
}

fn scenarios(c: &mut Checker, plan: &Plan) {
    let book = &plan.price_book;
    let mut index_of = HashMap::with_capacity(plan.workloads.len());
    for (i, w) in plan.workloads.iter().enumerate() {
        index_of.entry(w.id.as_str()).or_insert(i);
    }
    let list = Place::field("scenarios");
    c.bound(
        || list.clone(),
        bounds::scenario_count(plan.scenarios.len()),
        plan.scenarios.len(),
    );
    let mut scenario_names = HashSet::new();
    for (i, scenario) in plan.scenarios.iter().enumerate() {
        let at = || list.item(i, &scenario.name);
        c.text(|| at().dot("name"), &scenario.name, "the scenario's name");
        if !scenario_names.insert(scenario.name.trim()) {
            c.push(at().dot("name"), "another scenario has the same name");
        }
        let is_status_quo = scenario
            .name
            .trim()
            .eq_ignore_ascii_case(Scenario::STATUS_QUO);
        for (id, choice) in &scenario.choices {
            let field = || at().dot("choices").key(id);
            let Some(&index) = index_of.get(id.as_str()) else {
                c.push(
                    field(),
                    format!("names workload \"{id}\", which is not in the plan"),
                );
                continue;
            };
            let workload = &plan.workloads[index];
            let offered = book.destinations.get(choice.destination);
            let default_term = offered.default_term();
            if choice.destination == workload.current
                && is_status_quo
                && (choice.term.is_some_and(|t| t != default_term) || choice.hybrid_benefit)
            {
                c.push(
                    field(),
                    format!(
                        "\"{}\" is the built-in scenario in which nothing changes, but it buys \"{}\" on other terms; give this scenario another name",
                        Scenario::STATUS_QUO,
                        workload.name
                    ),
                );
            }
            if let Some(term) = choice.term
                && offered.term(term).is_none()
            {
                let names: Vec<String> = offered
                    .offered_terms()
                    .iter()
                    .map(|t| format!("\"{}\"", t.kind.key()))
                    .collect();
                c.push(
                    field().dot("term"),
                    format!(
                        "{} is not sold as \"{}\" in this price book; it offers {}",
                        choice.destination.label(),
                        term.key(),
                        names.join(", ")
                    ),
                );
            }
            if choice.hybrid_benefit
                && let Some(reason) = hybrid_benefit_refusal(book, workload, choice.destination)
            {
                c.push(field().dot("hybrid_benefit"), reason);
            }
            if choice.destination != workload.current {
                if is_status_quo {
                    c.push(
                        field(),
                        format!(
                            "\"{}\" is the built-in scenario in which nothing moves, but it moves \"{}\" to {}; give this scenario another name",
                            Scenario::STATUS_QUO,
                            workload.name,
                            choice.destination.label()
                        ),
                    );
                }
                if !is_allowed(book, workload, choice.destination) {
                    c.push(
                        field().dot("destination"),
                        ruled_out(plan, index, choice.destination),
                    );
                }
            }
            c.bound(
                || field().dot("move_month"),
                bounds::move_month(choice.move_month),
                choice.move_month,
            );
        }
    }
    if let Some(recommended) = &plan.recommended {
        if plan.recommended_index().is_none() {
            c.push(
                Place::field("recommended"),
                format!(
                    "recommends the scenario \"{}\", which is not in the plan; name one of its scenarios or remove the recommendation",
                    recommended.scenario
                ),
            );
        }
        let chars = recommended.rationale.chars().count();
        if chars > RecommendedScenario::MAX_RATIONALE_CHARS {
            c.push(
                Place::field("recommended"),
                format!(
                    "the rationale has {chars} characters; keep it to {} (a short paragraph beside the recommendation)",
                    RecommendedScenario::MAX_RATIONALE_CHARS
                ),
            );
        }
    }
}

/// Evaluates the plan and every scenario, reporting what cannot be computed. Most plans are
/// far inside the bounds: when even their largest workload on each destination's costliest
/// lines fits, no figure can be out of range (the worst case in [`bounds`]), and pricing
/// every workload is skipped.
fn figures(c: &mut Checker, plan: &Plan) {
    if largest_workload_fits(plan) {
        return;
    }
    let (evaluation, errors) = Evaluation::build(plan);
    for error in &errors {
        c.push(place_of(plan, error), error.to_string());
    }
    if errors.is_empty() {
        for scenario in &plan.scenarios {
            if let Err(error) = evaluation.try_scenario(scenario) {
                c.push(place_of(plan, &error), error.to_string());
            }
        }
    }
}

/// Whether every workload's figures on every destination stay within the workload bounds,
/// judged without pricing each workload: every line of a destination (whatever its
/// categories) at the plan's largest users, servers, storage and egress, plus a cent per line
/// for rounding. A `false` only means the plan must be priced to know.
fn largest_workload_fits(plan: &Plan) -> bool {
    let book = &plan.price_book;
    let (mut users, mut servers) = (0_u32, 0_u32);
    let (mut storage_gb, mut egress_gb) = (Decimal::ZERO, Decimal::ZERO);
    for w in &plan.workloads {
        users = users.max(w.users);
        servers = servers.max(w.servers);
        storage_gb = storage_gb.max(w.storage_gb);
        egress_gb = egress_gb.max(w.egress_gb_per_month);
    }
    let (users, servers) = (Decimal::from(users), Decimal::from(servers));
    let quantity = |basis: Basis| -> Option<Decimal> {
        Some(match basis {
            Basis::Flat => Decimal::ONE,
            Basis::PerUser => users,
            Basis::PerServer => servers,
            Basis::PerServerHour => servers.checked_mul(book.hours_per_month)?,
            Basis::PerGbStored => storage_gb,
            Basis::PerGbEgress => egress_gb,
        })
    };
    let lines_cents = |lines: &[RateLine]| -> Option<Decimal> {
        lines.iter().try_fold(Decimal::ZERO, |total, line| {
            let cents = line
                .unit_price
                .checked_mul(quantity(line.basis)?)?
                .checked_mul(Decimal::ONE_HUNDRED)?;
            total.checked_add(cents)?.checked_add(Decimal::ONE)
        })
    };
    let hours_cents = |rate: Decimal, hours: Decimal| -> Option<Decimal> {
        rate.checked_mul(hours)?
            .checked_mul(Decimal::ONE_HUNDRED)?
            .checked_add(Decimal::ONE)
    };
    let monthly_max = Decimal::from(bounds::MAX_WORKLOAD_MONTHLY_CENTS);
    let one_time_max = Decimal::from(bounds::MAX_WORKLOAD_ONE_TIME_CENTS);
    let fits = |terms: &super::price_book::DestinationTerms| -> Option<bool> {
        // Recurring and MSP fees are each at most their sum; partner fees at most recurring.
        let monthly = lines_cents(&terms.recurring)?.checked_add(lines_cents(&terms.msp_fees)?)?;
        let labor = &terms.msp_labor_hours;
        let labor_hours = labor
            .per_workload_month
            .checked_add(labor.per_server_month.checked_mul(servers)?)?
            .checked_add(labor.per_user_month.checked_mul(users)?)?;
        let msp_cost = hours_cents(book.msp_cost_per_hour, labor_hours)?
            .checked_add(lines_cents(&terms.msp_costs)?)?;
        let migration = &terms.migration_hours;
        let migration_hours = migration
            .per_workload
            .checked_add(migration.per_user.checked_mul(users)?)?
            .checked_add(migration.per_server.checked_mul(servers)?)?
            .checked_add(
                migration
                    .per_100_gb
                    .checked_mul(storage_gb.checked_div(Decimal::ONE_HUNDRED)?)?,
            )?;
        let one_time = hours_cents(book.msp_rate_per_hour, migration_hours)?;
        let migration_cost = hours_cents(book.msp_cost_per_hour, migration_hours)?;
        Some(
            monthly <= monthly_max
                && msp_cost <= monthly_max
                && one_time <= one_time_max
                && migration_cost <= one_time_max,
        )
    };
    book.destinations
        .iter()
        .all(|(_, terms)| fits(terms).unwrap_or(false))
}

/// Where in the plan an engine error belongs.
fn place_of(plan: &Plan, error: &EngineError) -> Place {
    match error {
        EngineError::Workload { index, .. } => Place::field("workloads").item(
            *index,
            plan.workloads.get(*index).map_or("", |w| w.name.as_str()),
        ),
        EngineError::Horizon { .. } => Place::field("assumptions").dot("horizon_months"),
        EngineError::Percent { field, .. } => {
            Place::field("assumptions").dot(if *field == "growth" {
                "growth_pct"
            } else {
                "discount_rate_pct"
            })
        }
        EngineError::TooManyWorkloads { .. } => Place::field("workloads"),
        EngineError::ControlModel => Place::field("control_model"),
        EngineError::Totals { scenario } => {
            match plan.scenarios.iter().position(|s| s.name == *scenario) {
                Some(i) => Place::field("scenarios").item(i, scenario),
                None => Place::field("scenarios"),
            }
        }
    }
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

/// Why Hybrid Benefit cannot apply to `workload` on `destination`, or `None` when it can.
pub(crate) fn hybrid_benefit_refusal(
    book: &PriceBook,
    workload: &Workload,
    destination: Destination,
) -> Option<String> {
    if !hybrid_benefit_applies(destination) {
        return Some(format!(
            "Azure Hybrid Benefit applies on Azure IaaS and Azure PaaS only, not on {}",
            destination.label()
        ));
    }
    if !workload.licences_with_sa {
        return Some(format!(
            "\"{}\" is not marked as covered by the customer's own licences with Software Assurance (licences_with_sa), which Hybrid Benefit needs",
            workload.name
        ));
    }
    let carries_licence = book
        .destinations
        .get(destination)
        .recurring
        .iter()
        .any(|line| line.licence && line.applies_to(workload.category));
    (!carries_licence).then(|| {
        format!(
            "no recurring line of {} that applies to \"{}\" carries a licence, so Hybrid Benefit would remove nothing",
            destination.label(),
            workload.name
        )
    })
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
