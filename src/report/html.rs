//! The report as a self-contained HTML page: no scripts, no external files, the charts as
//! inline SVG, every text from the plan escaped.

use std::fmt::Write as _;

use super::escape::{HTML_MARKUP, html_escape};
use super::tables::{
    assumption_facts, customer_facts, customer_scenario_rows, msp_facts, recommendation_heading,
    recommendation_paragraphs, scenario_header, workload_table,
};
use super::{INTERNAL_MARK, PlanReport};

/// A table with a header row; with `row_headers`, the first cell of each row is a header.
pub(super) fn html_table(
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
fn html_facts<L: AsRef<str>>(out: &mut String, facts: &[(L, String)]) {
    let _ = writeln!(out, "<table class=\"facts\">\n<tbody>");
    for (label, value) in facts {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            html_escape(label.as_ref()),
            html_escape(value)
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>");
}

/// The page's style: plain on screen, clean on paper (no dark backgrounds, each main section
/// on a new page, tables and charts kept whole where they fit).
pub(super) const HTML_STYLE: &str = "
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
.internal-mark { border: 2px solid #b3261e; color: #b3261e; font-weight: 700; text-transform: uppercase; letter-spacing: 0.06em; padding: 0.3em 0.8em; margin: 0 0 1em; text-align: center; }
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
  /* Fixed elements repeat on every printed page. */
  .internal-mark { position: fixed; top: 0; left: 0; right: 0; margin: 0; padding: 0.1em; font-size: 8pt; background: #fff; }
  body.internal { padding-top: 2em; }
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
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"Keyholder\">\n<title>{customer} - cloud options: cost and control</title>\n<style>{HTML_STYLE}</style>\n</head>\n<body{}>",
        if report.audience.is_internal() {
            " class=\"internal\""
        } else {
            ""
        }
    );
    if report.audience.is_internal() {
        let _ = writeln!(out, "<p class=\"internal-mark\">{INTERNAL_MARK}</p>");
    }
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
        "<section id=\"recommendation\">\n<h2>{}</h2>\n<div class=\"recommendation\">",
        recommendation_heading(report)
    );
    let paragraphs = recommendation_paragraphs(report, &HTML_MARKUP);
    let last = paragraphs.len().saturating_sub(1);
    for (i, paragraph) in paragraphs.iter().enumerate() {
        let class = if i == last && report.recommended.is_some() {
            " class=\"rule\""
        } else {
            ""
        };
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
    html_table(
        &mut out,
        "scenarios",
        &scenario_header(report),
        &customer_scenario_rows(report),
        true,
    );
    let _ = writeln!(out, "</section>");

    let _ = writeln!(
        out,
        "<section id=\"charts\" class=\"new-page\">\n<h2>Cost and control</h2>\n<figure>\n{}<figcaption>Each scenario's control score against its total cost over the horizon (the status quo as a square). The line is the frontier: for each level of control, the cheapest plan that keeps at least that much, with every move in the first month; no plan lies below it.</figcaption>\n</figure>\n<figure>\n{}<figcaption>What each scenario has cost in total by the end of each month. A ring marks the month a scenario breaks even: from then on its cumulative cost stays at or below the status quo's.</figcaption>\n</figure>\n</section>",
        super::svg::trade_off(report, &super::svg::Canvas::report()),
        super::svg::cash_flow(report, &super::svg::Canvas::report()),
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
    let _ = writeln!(out, "</ul>\n</section>");
    let msp = msp_facts(report);
    if !msp.is_empty() {
        let _ = writeln!(
            out,
            "<section id=\"msp-terms\">\n<h2>MSP terms (internal)</h2>"
        );
        html_facts(&mut out, &msp);
        let _ = writeln!(out, "</section>");
    }
    let _ = writeln!(
        out,
        "<footer>Prepared with Keyholder. Figures are computed from the price book named above; amounts marked as estimates in the sources are assumptions to confirm.</footer>\n</body>\n</html>"
    );
    out
}
