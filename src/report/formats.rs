//! The same report in five formats.

use std::fmt::Write as _;

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
fn scenario_rows(report: &PlanReport) -> Vec<(&'static str, Vec<String>)> {
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
fn workload_table(report: &PlanReport) -> (Vec<String>, Vec<Vec<String>>) {
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

fn aligned(out: &mut String, header: &[String], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(width) = widths.get_mut(i) {
                *width = (*width).max(cell.chars().count());
            }
        }
    }
    let line = |out: &mut String, cells: &[String]| {
        let text: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        let _ = writeln!(out, "  {}", text.join("  ").trim_end());
    };
    line(out, header);
    for row in rows {
        line(out, row);
    }
}

/// Plain text for a terminal.
#[must_use]
pub fn to_text(report: &PlanReport) -> String {
    let d = &report.details;
    let mut out = String::new();
    let _ = writeln!(out, "{}", report.customer);
    let _ = writeln!(
        out,
        "Price book: {} (as of {}), {}. Horizon {} months from {}, discount rate {} %, growth {} % a year.\n",
        d.price_book,
        d.price_book_as_of,
        report.currency,
        report.horizon_months,
        d.start_month,
        d.discount_rate_pct,
        d.growth_pct
    );
    let mut header = vec![String::new()];
    header.extend(report.scenarios.iter().map(|s| s.name.clone()));
    let rows: Vec<Vec<String>> = scenario_rows(report)
        .into_iter()
        .map(|(label, cells)| std::iter::once(label.to_owned()).chain(cells).collect())
        .collect();
    let _ = writeln!(out, "Scenarios");
    aligned(&mut out, &header, &rows);
    let (header, rows) = workload_table(report);
    let _ = writeln!(
        out,
        "\nWorkloads{}",
        d.focus
            .as_ref()
            .map_or_else(String::new, |f| format!(" in \"{f}\""))
    );
    aligned(&mut out, &header, &rows);
    out
}

fn md_cell(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '|' | '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' => {
                escaped.push('\\');
                escaped.push(ch);
            }
            '\n' | '\r' => escaped.push(' '),
            _ => escaped.push(ch),
        }
    }
    escaped
}

fn md_table(out: &mut String, header: &[String], rows: &[Vec<String>]) {
    let row = |cells: &[String]| {
        format!(
            "| {} |",
            cells
                .iter()
                .map(|c| md_cell(c))
                .collect::<Vec<_>>()
                .join(" | ")
        )
    };
    let _ = writeln!(out, "{}", row(header));
    let _ = writeln!(out, "|{}", " --- |".repeat(header.len()));
    for cells in rows {
        let _ = writeln!(out, "{}", row(cells));
    }
}

/// Plan text escaped for one output format, and emphasis around text already escaped.
struct Markup {
    escape: fn(&str) -> String,
    strong: fn(&str) -> String,
}

const HTML_MARKUP: Markup = Markup {
    escape: html_escape,
    strong: |text| format!("<strong>{text}</strong>"),
};

const MD_MARKUP: Markup = Markup {
    escape: md_cell,
    strong: |text| format!("**{text}**"),
};

/// The rule behind the recommendation, as the report states it (see [`super::recommend`]).
const RECOMMENDATION_RULE: &str = "How this is chosen: among the scenarios that move at least one workload and break even within the horizon, the one with the lowest total cost of ownership (TCO) over the horizon. A scenario breaks even in the first month from which its cumulative cost stays at or below the status quo's until the end of the horizon; its saving is the status quo's TCO minus its own. When no scenario breaks even, keeping the status quo is cheapest over the horizon, and the scenario closest to breaking even is the one with the smallest extra cost. Control scores run from 0 to 100 % and weigh each workload by its criticality.";

/// The recommendation as paragraphs, its rule last.
fn recommendation_paragraphs(report: &PlanReport, m: &Markup) -> Vec<String> {
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
fn customer_scenario_rows(report: &PlanReport) -> Vec<Vec<String>> {
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
fn customer_facts(report: &PlanReport) -> Vec<(&'static str, String)> {
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
fn assumption_facts(report: &PlanReport) -> Vec<(&'static str, String)> {
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
fn chart_summary(report: &PlanReport, m: &Markup) -> Vec<String> {
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

/// Markdown, every text from the plan escaped; the charts as a short text summary.
#[must_use]
pub fn to_markdown(report: &PlanReport) -> String {
    let d = &report.details;
    let m = &MD_MARKUP;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md_cell(&report.customer));
    let _ = writeln!(
        out,
        "Cloud options for {}: what moving workloads costs and how much control it keeps.{}\n",
        md_cell(&report.customer),
        if d.customer.account_manager.trim().is_empty() {
            String::new()
        } else {
            format!(" Prepared by {}.", md_cell(&d.customer.account_manager))
        }
    );
    let _ = writeln!(out, "## Customer\n");
    for (label, value) in customer_facts(report) {
        let _ = writeln!(out, "- {label}: {}", md_cell(&value));
    }
    let _ = writeln!(out, "\n## Assumptions\n");
    for (label, value) in assumption_facts(report) {
        let _ = writeln!(out, "- {label}: {}", md_cell(&value));
    }
    let _ = writeln!(out, "\n## Recommendation\n");
    for paragraph in recommendation_paragraphs(report, m) {
        let _ = writeln!(out, "{paragraph}\n");
    }
    let _ = writeln!(out, "## Scenarios\n");
    let mut header = vec![String::new()];
    header.extend(report.scenarios.iter().map(|s| s.name.clone()));
    md_table(&mut out, &header, &customer_scenario_rows(report));
    let _ = writeln!(out, "\n## Cost and control\n");
    for line in chart_summary(report, m) {
        let _ = writeln!(out, "- {line}");
    }
    let _ = writeln!(
        out,
        "\n## Workloads{}\n",
        d.focus
            .as_ref()
            .map_or_else(String::new, |f| format!(" in \"{}\"", md_cell(f)))
    );
    let _ = writeln!(
        out,
        "Monthly amounts in {}; \"-\" where a destination cannot host the workload.\n",
        md_cell(&report.currency)
    );
    let (header, rows) = workload_table(report);
    md_table(&mut out, &header, &rows);
    let _ = writeln!(out, "\n## Sources of the prices\n");
    for (label, source) in &d.sources {
        let _ = writeln!(out, "- {}: {}", md_cell(label), md_cell(source));
    }
    out
}

/// Escapes text for HTML element content and attribute values.
#[must_use]
pub fn html_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(ch),
        }
    }
    escaped
}

/// A table with a header row; with `row_headers`, the first cell of each row is a header.
fn html_table(
    out: &mut String,
    class: &str,
    header: &[String],
    rows: &[Vec<String>],
    row_headers: bool,
) {
    let _ = write!(out, "<table class=\"{class}\">\n<thead><tr>");
    for cell in header {
        let _ = write!(out, "<th scope=\"col\">{}</th>", html_escape(cell));
    }
    let _ = writeln!(out, "</tr></thead>\n<tbody>");
    for row in rows {
        let _ = write!(out, "<tr>");
        for (i, cell) in row.iter().enumerate() {
            if i == 0 && row_headers {
                let _ = write!(out, "<th scope=\"row\">{}</th>", html_escape(cell));
            } else {
                let _ = write!(out, "<td>{}</td>", html_escape(cell));
            }
        }
        let _ = writeln!(out, "</tr>");
    }
    let _ = writeln!(out, "</tbody>\n</table>");
}

/// A two-column table of facts.
fn html_facts(out: &mut String, facts: &[(&'static str, String)]) {
    let _ = writeln!(out, "<table class=\"facts\">\n<tbody>");
    for (label, value) in facts {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            html_escape(label),
            html_escape(value)
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>");
}

/// The page's style: plain on screen, clean on paper (no dark backgrounds, each main section
/// on a new page, tables and charts kept whole where they fit).
const HTML_STYLE: &str = "
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; font-size: 15px; line-height: 1.45; color: #222; background: #fff; margin: 0 auto; padding: 2em 2.5em 3em; max-width: 1100px; }
header.title { border-bottom: 3px solid #1f6fb2; padding-bottom: 0.6em; margin-bottom: 1.2em; }
header.title .kicker { text-transform: uppercase; letter-spacing: 0.08em; font-size: 0.8em; color: #1f6fb2; margin: 0; }
h1 { font-size: 2em; margin: 0.15em 0 0.1em; }
header.title .subtitle { margin: 0; color: #555; }
h2 { font-size: 1.35em; color: #1a4f7a; border-bottom: 1px solid #d6dee6; padding-bottom: 0.2em; margin: 1.6em 0 0.6em; }
.columns h2 { margin-top: 0.4em; }
.columns { display: flex; flex-wrap: wrap; gap: 0 2.5em; }
.columns > section { flex: 1 1 20em; }
table { border-collapse: collapse; margin: 0.6em 0 1em; font-size: 0.92em; }
th, td { border: 1px solid #cfd6dd; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
thead th { background: #eef2f6; }
tbody th { font-weight: 600; background: #f7f9fb; }
table.scenarios td, table.workloads td:nth-child(n+5) { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.workloads.focus td:nth-child(6) { text-align: left; }
table.workloads td:nth-child(4) { white-space: nowrap; }
table.facts { width: 100%; }
table.facts th { width: 12em; }
table.scenarios th[scope=col] { min-width: 9em; }
table.workloads { width: 100%; font-size: 0.85em; }
.recommendation { border: 1px solid #b9d0e6; border-left: 6px solid #1f6fb2; background: #f5f9fd; padding: 0.6em 1.1em; }
.recommendation p { margin: 0.5em 0; }
.recommendation p.rule { color: #555; font-size: 0.9em; }
.note { color: #555; font-size: 0.9em; }
figure { margin: 1em 0 1.8em; }
figure svg { display: block; width: 100%; max-width: 960px; height: auto; }
figcaption { color: #555; font-size: 0.9em; margin-top: 0.4em; }
ul.sources { padding-left: 1.2em; font-size: 0.9em; }
ul.sources li { margin: 0.2em 0; }
footer { margin-top: 2.5em; color: #777; font-size: 0.8em; border-top: 1px solid #ddd; padding-top: 0.5em; }
@page { margin: 15mm 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  header.title { border-bottom-color: #1f6fb2; }
  .new-page { break-before: page; page-break-before: always; }
  h2 { margin-top: 1.2em; break-after: avoid; page-break-after: avoid; }
  .new-page h2, .columns h2 { margin-top: 0; }
  table, figure, .recommendation, #scenarios { break-inside: avoid; page-break-inside: avoid; }
  table.workloads { break-inside: auto; page-break-inside: auto; }
  thead { display: table-header-group; }
  tr, li { break-inside: avoid; page-break-inside: avoid; }
  .recommendation, thead th, tbody th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  footer { border-top: none; }
}
";

/// A self-contained HTML page for the customer (no scripts, no external files, the charts
/// as inline SVG), every text from the plan escaped. Prints cleanly to PDF from a browser.
#[must_use]
pub fn to_html(report: &PlanReport) -> String {
    let d = &report.details;
    let customer = html_escape(&report.customer);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"Keyholder\">\n<title>{customer} - cloud options: cost and control</title>\n<style>{HTML_STYLE}</style>\n</head>\n<body>"
    );
    let _ = writeln!(
        out,
        "<header class=\"title\">\n<p class=\"kicker\">Cloud options: cost and control</p>\n<h1>{customer}</h1>\n<p class=\"subtitle\">{}Prices from {} (as of {}), over {} months from {}.</p>\n</header>",
        if d.customer.account_manager.trim().is_empty() {
            String::new()
        } else {
            format!("Prepared by {}. ", html_escape(&d.customer.account_manager))
        },
        html_escape(&d.price_book),
        html_escape(&d.price_book_as_of),
        report.horizon_months,
        html_escape(&d.start_month),
    );

    let _ = writeln!(
        out,
        "<div class=\"columns\">\n<section id=\"customer\">\n<h2>Customer</h2>"
    );
    html_facts(&mut out, &customer_facts(report));
    let _ = writeln!(
        out,
        "</section>\n<section id=\"assumptions\">\n<h2>Assumptions</h2>"
    );
    html_facts(&mut out, &assumption_facts(report));
    let _ = writeln!(out, "</section>\n</div>");

    let _ = writeln!(
        out,
        "<section id=\"recommendation\">\n<h2>Recommendation</h2>\n<div class=\"recommendation\">"
    );
    let paragraphs = recommendation_paragraphs(report, &HTML_MARKUP);
    let last = paragraphs.len().saturating_sub(1);
    for (i, paragraph) in paragraphs.iter().enumerate() {
        let class = if i == last { " class=\"rule\"" } else { "" };
        let _ = writeln!(out, "<p{class}>{paragraph}</p>");
    }
    let _ = writeln!(out, "</div>\n</section>");

    let _ = writeln!(
        out,
        "<section id=\"scenarios\">\n<h2>Scenarios</h2>\n<p class=\"note\">Amounts in {}. TCO: everything the customer pays over the {} months; NPV: the same discounted at {} % a year. Control score: how much of the environment stays under the MSP's control, 0 to 100.</p>",
        html_escape(&report.currency),
        report.horizon_months,
        html_escape(&d.discount_rate_pct),
    );
    let mut header = vec![String::new()];
    header.extend(report.scenarios.iter().map(|s| s.name.clone()));
    html_table(
        &mut out,
        "scenarios",
        &header,
        &customer_scenario_rows(report),
        true,
    );
    let _ = writeln!(out, "</section>");

    let _ = writeln!(
        out,
        "<section id=\"charts\" class=\"new-page\">\n<h2>Cost and control</h2>\n<figure>\n{}<figcaption>Each scenario's control score against its total cost over the horizon (the status quo as a square). The line is the frontier: for each level of control, the cheapest plan that keeps at least that much, with every move in the first month; no plan lies below it.</figcaption>\n</figure>\n<figure>\n{}<figcaption>What each scenario has cost in total by the end of each month. A ring marks the month a scenario breaks even: from then on its cumulative cost stays at or below the status quo's.</figcaption>\n</figure>\n</section>",
        super::svg::trade_off(report),
        super::svg::cash_flow(report),
    );

    let _ = writeln!(
        out,
        "<section id=\"workloads\" class=\"new-page\">\n<h2>Workloads{}</h2>\n<p class=\"note\">Monthly amounts in {}; \"-\" where a destination cannot host the workload.</p>",
        d.focus.as_ref().map_or_else(String::new, |f| format!(
            " in &ldquo;{}&rdquo;",
            html_escape(f)
        )),
        html_escape(&report.currency),
    );
    let (header, rows) = workload_table(report);
    let class = if d.focus.is_some() {
        "workloads focus"
    } else {
        "workloads"
    };
    html_table(&mut out, class, &header, &rows, false);
    let _ = writeln!(out, "</section>");

    let _ = writeln!(
        out,
        "<section id=\"sources\" class=\"new-page\">\n<h2>Sources of the prices</h2>\n<ul class=\"sources\">"
    );
    for (label, source) in &d.sources {
        let _ = writeln!(
            out,
            "<li><strong>{}</strong>: {}</li>",
            html_escape(label),
            html_escape(source)
        );
    }
    let _ = writeln!(
        out,
        "</ul>\n</section>\n<footer>Prepared with Keyholder. Figures are computed from the price book named above; amounts marked as estimates in the sources are assumptions to confirm.</footer>\n</body>\n</html>"
    );
    out
}

/// Text cells that a spreadsheet would read as a formula get a leading apostrophe.
#[must_use]
pub fn neutralize_formula(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// CSV: the scenario totals, a blank line, then one row per workload and allowed destination.
/// Amounts are plain cents; text cells are guarded against formula injection.
#[must_use]
pub fn to_csv(report: &PlanReport) -> String {
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let _ = writer.write_record([
        "customer",
        "scenario",
        "run_rate_cents",
        "one_time_cents",
        "tco_cents",
        "npv_cents",
        "break_even_month",
        "control_score",
        "msp_monthly_margin_cents",
        "msp_margin_total_cents",
    ]);
    for s in &report.scenarios {
        let _ = writer.write_record([
            neutralize_formula(&report.customer),
            neutralize_formula(&s.name),
            s.run_rate_cents.to_string(),
            s.one_time_cents.to_string(),
            s.tco_cents.to_string(),
            s.npv_cents.to_string(),
            s.break_even_month
                .map_or_else(String::new, |m| m.to_string()),
            format!("{:.2}", s.control_score),
            s.msp_monthly_margin_cents.to_string(),
            s.msp_margin_total_cents.to_string(),
        ]);
    }
    let _ = writer.write_record([""]);
    let _ = writer.write_record([
        "workload_id",
        "workload",
        "category",
        "current",
        "destination",
        "monthly_cents",
        "one_time_cents",
        "control",
    ]);
    for w in &report.workloads {
        for o in &w.options {
            let _ = writer.write_record([
                neutralize_formula(&w.id),
                neutralize_formula(&w.name),
                w.category.key().to_owned(),
                w.current.key().to_owned(),
                o.destination.key().to_owned(),
                o.monthly_cents.to_string(),
                o.one_time_cents.to_string(),
                format!("{:.2}", o.control),
            ]);
        }
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// JSON with the keys documented in the README.
#[must_use]
pub fn to_json(report: &PlanReport) -> String {
    let mut text = serde_json::to_string_pretty(report).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}
