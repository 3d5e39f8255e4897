//! The same report in five formats.

use std::fmt::Write as _;

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

/// Markdown, every text from the plan escaped.
#[must_use]
pub fn to_markdown(report: &PlanReport) -> String {
    let d = &report.details;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md_cell(&report.customer));
    let _ = writeln!(
        out,
        "Price book: {} (as of {}), {}. Horizon {} months from {}, discount rate {} %, growth {} % a year.\n",
        md_cell(&d.price_book),
        md_cell(&d.price_book_as_of),
        md_cell(&report.currency),
        report.horizon_months,
        d.start_month,
        d.discount_rate_pct,
        d.growth_pct
    );
    let _ = writeln!(out, "## Scenarios\n");
    let mut header = vec![String::new()];
    header.extend(report.scenarios.iter().map(|s| s.name.clone()));
    let rows: Vec<Vec<String>> = scenario_rows(report)
        .into_iter()
        .map(|(label, cells)| std::iter::once(label.to_owned()).chain(cells).collect())
        .collect();
    md_table(&mut out, &header, &rows);
    let _ = writeln!(out, "\n## Workloads\n");
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

fn html_table(out: &mut String, header: &[String], rows: &[Vec<String>]) {
    let _ = write!(out, "<table>\n<thead><tr>");
    for cell in header {
        let _ = write!(out, "<th>{}</th>", html_escape(cell));
    }
    let _ = writeln!(out, "</tr></thead>\n<tbody>");
    for row in rows {
        let _ = write!(out, "<tr>");
        for cell in row {
            let _ = write!(out, "<td>{}</td>", html_escape(cell));
        }
        let _ = writeln!(out, "</tr>");
    }
    let _ = writeln!(out, "</tbody>\n</table>");
}

/// A self-contained HTML page, every text from the plan escaped.
#[must_use]
pub fn to_html(report: &PlanReport) -> String {
    let d = &report.details;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} - Keyholder account plan</title>\n<style>\nbody {{ font-family: system-ui, sans-serif; margin: 2em; color: #222; }}\ntable {{ border-collapse: collapse; margin: 1em 0; }}\nth, td {{ border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; }}\nth {{ background: #f2f2f2; }}\n@media print {{ body {{ margin: 0; }} }}\n</style>\n</head>\n<body>",
        html_escape(&report.customer)
    );
    let _ = writeln!(out, "<h1>{}</h1>", html_escape(&report.customer));
    let _ = writeln!(
        out,
        "<p>Price book: {} (as of {}), {}. Horizon {} months from {}, discount rate {} %, growth {} % a year.</p>",
        html_escape(&d.price_book),
        html_escape(&d.price_book_as_of),
        html_escape(&report.currency),
        report.horizon_months,
        d.start_month,
        d.discount_rate_pct,
        d.growth_pct
    );
    let _ = writeln!(out, "<h2>Scenarios</h2>");
    let mut header = vec![String::new()];
    header.extend(report.scenarios.iter().map(|s| s.name.clone()));
    let rows: Vec<Vec<String>> = scenario_rows(report)
        .into_iter()
        .map(|(label, cells)| std::iter::once(label.to_owned()).chain(cells).collect())
        .collect();
    html_table(&mut out, &header, &rows);
    let _ = writeln!(out, "<h2>Workloads</h2>");
    let (header, rows) = workload_table(report);
    html_table(&mut out, &header, &rows);
    let _ = writeln!(out, "<h2>Sources of the prices</h2>\n<ul>");
    for (label, source) in &d.sources {
        let _ = writeln!(
            out,
            "<li>{}: {}</li>",
            html_escape(label),
            html_escape(source)
        );
    }
    let _ = writeln!(out, "</ul>\n</body>\n</html>");
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
