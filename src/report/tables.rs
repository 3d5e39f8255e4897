//! What every human format of the report says, as rows and paragraphs: the scenario table,
//! the workload table, the customer and the assumptions, the recommendation and what the
//! charts show. Each format only lays them out.

use std::fmt::Write as _;

use super::escape::Markup;
use super::{PlanReport, Recommendation, WorkloadLine};
use crate::model::{Cents, Destination, format_cents};

fn money(cents: Cents) -> String {
    format_cents(cents)
}

fn break_even(month: Option<u32>) -> String {
    month.map_or_else(|| "none".to_owned(), |m| format!("month {m}"))
}

fn option_monthly(workload: &WorkloadLine, destination: Destination) -> Option<Cents> {
    workload
        .options
        .iter()
        .find(|o| o.destination == destination)
        .map(|o| o.monthly_cents)
}

fn option_control(workload: &WorkloadLine, destination: Destination) -> Option<f64> {
    workload
        .options
        .iter()
        .find(|o| o.destination == destination)
        .map(|o| o.control)
}

/// Rows of the scenario table: (label, one cell per scenario).
pub(super) fn scenario_rows(report: &PlanReport) -> Vec<(&'static str, Vec<String>)> {
    let cur = &report.currency;
    let cells = |f: &dyn Fn(&super::ScenarioLine) -> String| {
        report.scenarios.iter().map(f).collect::<Vec<_>>()
    };
    vec![
        (
            "Run rate per month",
            cells(&|s| format!("{} {cur}", money(s.run_rate_cents))),
        ),
        (
            "One-time",
            cells(&|s| format!("{} {cur}", money(s.one_time_cents))),
        ),
        ("TCO", cells(&|s| format!("{} {cur}", money(s.tco_cents)))),
        ("NPV", cells(&|s| format!("{} {cur}", money(s.npv_cents)))),
        ("Break-even", cells(&|s| break_even(s.break_even_month))),
        (
            "Control score",
            cells(&|s| format!("{:.2}", s.control_score)),
        ),
        (
            "MSP margin per month",
            cells(&|s| format!("{} {cur}", money(s.msp_monthly_margin_cents))),
        ),
        (
            "MSP margin over horizon",
            cells(&|s| format!("{} {cur}", money(s.msp_margin_total_cents))),
        ),
    ]
}

/// Rows of the workload table: header and cells.
pub(super) fn workload_table(report: &PlanReport) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header: Vec<String> = ["Id", "Name", "Category", "Current", "Monthly now"]
        .map(str::to_owned)
        .to_vec();
    let focus = report.details.focus.is_some();
    if focus {
        header
            .extend(["Choice", "Move month", "Monthly after", "Control after"].map(str::to_owned));
    } else {
        header.extend(
            Destination::ALL
                .iter()
                .map(|d| format!("{} monthly", d.label())),
        );
    }
    let rows = report
        .workloads
        .iter()
        .map(|w| {
            let now = option_monthly(w, w.current).map_or_else(String::new, money);
            let mut row = vec![
                w.id.clone(),
                w.name.clone(),
                w.category.label().to_owned(),
                w.current.label().to_owned(),
                now,
            ];
            match w.choice {
                Some((destination, move_month)) => row.extend([
                    destination.label().to_owned(),
                    if destination == w.current {
                        "-".to_owned()
                    } else {
                        move_month.to_string()
                    },
                    option_monthly(w, destination).map_or_else(String::new, money),
                    option_control(w, destination).map_or_else(String::new, |c| format!("{c:.2}")),
                ]),
                None if !focus => row.extend(
                    Destination::ALL
                        .iter()
                        .map(|d| option_monthly(w, *d).map_or_else(|| "-".to_owned(), money)),
                ),
                None => {}
            }
            row
        })
        .collect();
    (header, rows)
}

/// The rule behind the recommendation, as the report states it (see [`super::recommend`]).
const RECOMMENDATION_RULE: &str = "How this is chosen: among the scenarios that move at least one workload and break even within the horizon, the one with the lowest total cost of ownership (TCO) over the horizon. A scenario breaks even in the first month from which its cumulative cost stays at or below the status quo's until the end of the horizon; its saving is the status quo's TCO minus its own. When no scenario breaks even, keeping the status quo is cheapest over the horizon, and the scenario closest to breaking even is the one with the smallest extra cost. Control scores run from 0 to 100 % and weigh each workload by its criticality.";

/// The recommendation as paragraphs, its rule last.
pub(super) fn recommendation_paragraphs(report: &PlanReport, m: &Markup) -> Vec<String> {
    let d = &report.details;
    let currency = (m.escape)(&report.currency);
    let money = |cents: Cents| format!("{} {currency}", format_cents(cents));
    let horizon = report.horizon_months;
    let mut paragraphs = Vec::new();
    let mut recommended = None;
    match &d.recommendation {
        Some(Recommendation::Scenario {
            name,
            tco_cents,
            saving_cents,
            break_even_label,
            control,
            ..
        }) => {
            recommended = Some(name.as_str());
            let difference = control - d.status_quo_control;
            let change = if difference.abs() < 0.005 {
                "the same control".to_owned()
            } else if difference < 0.0 {
                format!("{:.2} points less", -difference)
            } else {
                format!("{difference:.2} points more")
            };
            paragraphs.push(format!(
                "{} Over the {horizon} months from {} it costs {} in total, {} than keeping the status quo ({}). It breaks even in {}: from then on its cumulative cost stays at or below the status quo's. It keeps a control score of {control:.2} % against the status quo's {:.2} %, {change}.",
                (m.strong)(&format!("Recommended: {}.", (m.escape)(name))),
                (m.escape)(&d.start_month),
                money(*tco_cents),
                (m.strong)(&format!("{} less", money(*saving_cents))),
                money(d.status_quo_tco_cents),
                (m.escape)(break_even_label),
                d.status_quo_control,
            ));
        }
        Some(Recommendation::StatusQuo { closest }) => {
            let mut text = format!(
                "{} No scenario breaks even within the {horizon}-month horizon, so keeping the status quo is cheapest over the horizon: {} in total.",
                (m.strong)("Recommended: keep the status quo."),
                money(d.status_quo_tco_cents),
            );
            match closest {
                Some((name, tco_cents, extra_cents)) => {
                    let _ = write!(
                        text,
                        " The scenario closest to breaking even is {}: it would cost {} in total, {} more than the status quo.",
                        (m.strong)(&(m.escape)(name)),
                        money(*tco_cents),
                        money(*extra_cents),
                    );
                }
                None => text
                    .push_str(" None of the plan's scenarios moves a workload within the horizon."),
            }
            paragraphs.push(text);
        }
        None => {}
    }
    if let Some(focus) = d.focus.as_deref().filter(|f| Some(*f) != recommended) {
        paragraphs.push(format!(
            "This report details the scenario {}; the recommendation weighs every scenario of the plan.",
            (m.strong)(&(m.escape)(focus))
        ));
    }
    paragraphs.push(RECOMMENDATION_RULE.to_owned());
    paragraphs
}

/// The scenario rows for a customer: break-even as a calendar month.
pub(super) fn customer_scenario_rows(report: &PlanReport) -> Vec<Vec<String>> {
    let months = &report.details.charts.months;
    let calendar = |month: Option<u32>| match month {
        Some(m) => months.get(m as usize).map_or_else(
            || break_even(Some(m)),
            |label| format!("{label} (month {m})"),
        ),
        None => "none".to_owned(),
    };
    scenario_rows(report)
        .into_iter()
        .map(|(label, cells)| {
            let cells = if label == "Break-even" {
                report
                    .scenarios
                    .iter()
                    .map(|s| calendar(s.break_even_month))
                    .collect()
            } else {
                cells
            };
            std::iter::once(label.to_owned()).chain(cells).collect()
        })
        .collect()
}

/// (label, value) of the customer facts; values are plan text.
pub(super) fn customer_facts(report: &PlanReport) -> Vec<(&'static str, String)> {
    let c = &report.details.customer;
    let mut facts = vec![("Customer", report.customer.clone())];
    if !c.industry.trim().is_empty() {
        facts.push(("Industry", c.industry.clone()));
    }
    facts.push(("Seats", c.seats.to_string()));
    facts.push(("Sites", c.sites.to_string()));
    if !c.contact.trim().is_empty() {
        facts.push(("Contact", c.contact.clone()));
    }
    if !c.account_manager.trim().is_empty() {
        facts.push(("Account manager", c.account_manager.clone()));
    }
    facts
}

/// (label, value) of the assumptions; values are plan text.
pub(super) fn assumption_facts(report: &PlanReport) -> Vec<(&'static str, String)> {
    let d = &report.details;
    let horizon = match (d.charts.months.first(), d.charts.months.last()) {
        (Some(first), Some(last)) => {
            format!("{} months ({first} to {last})", report.horizon_months)
        }
        _ => format!("{} months", report.horizon_months),
    };
    vec![
        ("Start month", d.start_month.clone()),
        ("Horizon", horizon),
        (
            "Discount rate (for NPV)",
            format!("{} % a year", d.discount_rate_pct),
        ),
        (
            "Growth of recurring cost",
            format!("{} % a year", d.growth_pct),
        ),
        ("Price book", d.price_book.clone()),
        ("Prices as of", d.price_book_as_of.clone()),
        ("Currency", report.currency.clone()),
    ]
}

/// A short text account of what the charts show, for formats without them.
pub(super) fn chart_summary(report: &PlanReport, m: &Markup) -> Vec<String> {
    let charts = &report.details.charts;
    let currency = (m.escape)(&report.currency);
    let money = |cents: Cents| format!("{} {currency}", format_cents(cents));
    let mut lines: Vec<String> = charts
        .series
        .iter()
        .map(|s| {
            let break_even = match s.break_even_month {
                _ if s.is_status_quo => "the baseline".to_owned(),
                Some(month) => format!(
                    "breaks even in {}",
                    charts
                        .month_labels
                        .get(month as usize)
                        .map_or_else(|| format!("month {month}"), |l| (m.escape)(l))
                ),
                None => "does not break even within the horizon".to_owned(),
            };
            format!(
                "{}: control {:.2} %, TCO {}, {break_even}.",
                (m.strong)(&(m.escape)(&s.name)),
                s.control,
                money(s.tco_cents),
            )
        })
        .collect();
    if let (Some(low), Some(high)) = (charts.frontier.first(), charts.frontier.last()) {
        #[expect(
            clippy::cast_possible_truncation,
            reason = "rounded amounts of money, in range"
        )]
        let cents = |v: f64| v.round() as Cents;
        lines.push(format!(
            "Frontier (every move in the first month): the cheapest plan costs {} over the horizon; keeping {:.2} % control costs at least {}.",
            money(cents(low[1])),
            high[0],
            money(cents(high[1])),
        ));
    }
    lines
}
