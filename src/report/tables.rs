//! What every human format of the report says, as rows and paragraphs: the scenario table,
//! the workload table, the customer and the assumptions, the recommendation and what the
//! charts show. Each format only lays them out.

use super::escape::Markup;
use super::{PlanReport, WorkloadLine};
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

/// Rows of the scenario table: (label, one cell per scenario). The MSP's margin only in an
/// internal report (a customer report has no figures for it).
pub(super) fn scenario_rows(report: &PlanReport) -> Vec<(&'static str, Vec<String>)> {
    let cur = &report.currency;
    let cells = |f: &dyn Fn(&super::ScenarioLine) -> String| {
        report.scenarios.iter().map(f).collect::<Vec<_>>()
    };
    let amount =
        |cents: Option<Cents>| cents.map_or_else(String::new, |c| format!("{} {cur}", money(c)));
    let mut rows = vec![
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
    ];
    if report
        .scenarios
        .iter()
        .any(|s| s.msp_monthly_margin_cents.is_some())
    {
        rows.push((
            "MSP margin per month",
            cells(&|s| amount(s.msp_monthly_margin_cents)),
        ));
        rows.push((
            "MSP margin over horizon",
            cells(&|s| amount(s.msp_margin_total_cents)),
        ));
        if report
            .scenarios
            .iter()
            .any(|s| s.partner_fees_total_cents.unwrap_or(0) != 0)
        {
            rows.push((
                "Partner fees in the margin (PEC, CSP)",
                cells(&|s| amount(s.partner_fees_total_cents)),
            ));
        }
    }
    if report.scenarios.iter().any(|s| s.upfront_cents != 0) {
        rows.insert(
            2,
            (
                "of which upfront payments",
                cells(&|s| format!("{} {cur}", money(s.upfront_cents))),
            ),
        );
    }
    if report
        .scenarios
        .iter()
        .any(|s| s.commitment_past_horizon_cents != 0)
    {
        rows.push((
            "Committed after the horizon (not in TCO)",
            cells(&|s| format!("{} {cur}", money(s.commitment_past_horizon_cents))),
        ));
    }
    rows
}

/// The header of the scenario table: the names, the recommended one marked.
pub(super) fn scenario_header(report: &PlanReport) -> Vec<String> {
    let recommended = report.recommended.as_ref().map(|r| r.scenario.as_str());
    std::iter::once(String::new())
        .chain(report.scenarios.iter().map(|s| {
            if Some(s.name.as_str()) == recommended {
                format!("{} (recommended)", s.name)
            } else {
                s.name.clone()
            }
        }))
        .collect()
}

/// Rows of the workload table: header and cells.
pub(super) fn workload_table(report: &PlanReport) -> (Vec<String>, Vec<Vec<String>>) {
    let with_ids = report.workloads.iter().any(|w| w.id.is_some());
    let mut header: Vec<String> = ["Id", "Name", "Category", "Current", "Monthly now"]
        .into_iter()
        .skip(usize::from(!with_ids))
        .map(str::to_owned)
        .collect();
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
            let mut row: Vec<String> = w.id.iter().cloned().collect();
            row.extend([
                w.name.clone(),
                w.category.label().to_owned(),
                w.current.label().to_owned(),
                now,
            ]);
            match &w.choice {
                Some(choice) => row.extend([
                    choice.label.clone(),
                    choice
                        .move_month
                        .map_or_else(|| "-".to_owned(), |m| m.to_string()),
                    money(choice.monthly_cents),
                    format!("{:.2}", choice.control),
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

/// How the comparison with the frontier is made, as the report states it.
const FRONTIER_NOTE: &str = "The cheapest plan at this control comes from the optimizer: over every allowed destination of every workload, the plan with the lowest total cost of ownership (TCO) over the horizon whose control score is at least the recommended scenario's, with every move in the first month. Control scores run from 0 to 100 % and weigh each workload by its criticality.";

/// The recommendation as paragraphs (the account manager's choice and rationale, its
/// figures, the cheapest plan at its control); a note on the method last. Without a
/// recommendation, one paragraph saying that the scenarios are presented side by side.
pub(super) fn recommendation_paragraphs(report: &PlanReport, m: &Markup) -> Vec<String> {
    let d = &report.details;
    let currency = (m.escape)(&report.currency);
    let money = |cents: Cents| format!("{} {currency}", format_cents(cents));
    let horizon = report.horizon_months;
    let mut paragraphs = Vec::new();
    let Some(r) = &report.recommended else {
        paragraphs.push(format!(
            "The scenarios are presented side by side, without a recommendation: each one's cost over the {horizon} months from {} and the control it keeps are in the table below, against keeping the status quo ({}).",
            (m.escape)(&d.start_month),
            money(d.status_quo_tco_cents),
        ));
        return paragraphs;
    };
    paragraphs.push((m.strong)(&format!(
        "Recommended: {}.",
        (m.escape)(&r.scenario)
    )));
    if !r.rationale.is_empty() {
        paragraphs.push((m.escape)(&r.rationale));
    }
    let against = match r.saving_cents {
        0 => "the same as keeping the status quo".to_owned(),
        s if s > 0 => format!(
            "{} than keeping the status quo ({})",
            (m.strong)(&format!("{} less", money(s))),
            money(d.status_quo_tco_cents)
        ),
        s => format!(
            "{} more than keeping the status quo ({})",
            money(-s),
            money(d.status_quo_tco_cents)
        ),
    };
    let break_even = match (&d.recommended_break_even_label, r.break_even_month) {
        (Some(label), Some(_)) => format!(
            " It breaks even in {}: from then on its cumulative cost stays at or below the status quo's.",
            (m.escape)(label)
        ),
        _ => " It does not break even within the horizon.".to_owned(),
    };
    let difference = r.control_score - d.status_quo_control;
    let change = if difference.abs() < 0.005 {
        "the same control".to_owned()
    } else if difference < 0.0 {
        format!("{:.2} points less", -difference)
    } else {
        format!("{difference:.2} points more")
    };
    paragraphs.push(format!(
        "Over the {horizon} months from {} it costs {} in total, {against}.{break_even} It keeps a control score of {:.2} % against the status quo's {:.2} %, {change}.",
        (m.escape)(&d.start_month),
        money(r.tco_cents),
        r.control_score,
        d.status_quo_control,
    ));
    match &r.cheapest_at_control {
        Some(best) => {
            let gap = r.tco_cents - best.tco_cents;
            let closeness = if gap <= 0 {
                "The recommended scenario costs no more than the cheapest plan at its control: no plan keeping as much control costs less.".to_owned()
            } else {
                format!(
                    "The recommended scenario costs {} more over the horizon than that plan{}.",
                    money(gap),
                    percent_of(r.tco_cents, best.tco_cents).map_or_else(String::new, |p| format!(
                        " (that plan costs {p} % of the recommended scenario's TCO)"
                    )),
                )
            };
            paragraphs.push(format!(
                "{} keeping at least {:.2} % control costs {} in total ({} a month after its moves, {} one-time; it moves {} workload{} in the first month and keeps {:.2} %). {closeness}",
                (m.strong)("The cheapest plan"),
                r.control_score,
                money(best.tco_cents),
                money(best.run_rate_cents),
                money(best.one_time_cents),
                best.moves,
                if best.moves == 1 { "" } else { "s" },
                best.control_score,
            ));
        }
        None => paragraphs.push(format!(
            "No plan keeping {:.2} % control was found on the frontier.",
            r.control_score
        )),
    }
    if let Some(focus) = d.focus.as_deref().filter(|f| *f != r.scenario) {
        paragraphs.push(format!(
            "This report details the scenario {}.",
            (m.strong)(&(m.escape)(focus))
        ));
    }
    paragraphs.push(FRONTIER_NOTE.to_owned());
    paragraphs
}

/// `part` as a whole percentage of `whole`, when `whole` is positive.
fn percent_of(whole: Cents, part: Cents) -> Option<i64> {
    (whole > 0).then(|| {
        let pct = i128::from(part) * 100;
        let whole = i128::from(whole);
        // Rounded half up; amounts are far below i128's range.
        i64::try_from((pct * 2 + whole) / (whole * 2)).unwrap_or(i64::MAX)
    })
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

/// (label, value) of the MSP's own terms: an internal report's section for the sales lead.
pub(super) fn msp_facts(report: &PlanReport) -> Vec<(String, String)> {
    let Some(terms) = &report.details.msp_terms else {
        return Vec::new();
    };
    let mut facts = vec![
        (
            "MSP billed rate per hour".to_owned(),
            terms.rate_per_hour.clone(),
        ),
        (
            "MSP cost per hour (labour)".to_owned(),
            terms.cost_per_hour.clone(),
        ),
    ];
    for (destination, first_year, after) in &terms.partner_fees {
        facts.push((
            format!("Partner fee, {destination}"),
            format!("{first_year} of the provider's revenue in the first year, {after} after"),
        ));
    }
    facts
}

/// The heading of the recommendation section.
pub(super) fn recommendation_heading(report: &PlanReport) -> &'static str {
    if report.recommended.is_some() {
        "Recommendation"
    } else {
        "The options"
    }
}
