//! The report as plain text for a terminal.

use std::fmt::Write as _;

use super::escape::{TEXT_MARKUP, terminal_safe};
use super::tables::{
    msp_facts, recommendation_heading, recommendation_paragraphs, scenario_header, scenario_rows,
    workload_table,
};
use super::{INTERNAL_MARK, PlanReport};

/// A table with columns aligned; every cell made safe for a terminal first.
pub(super) fn aligned(out: &mut String, header: &[String], rows: &[Vec<String>]) {
    let safe = |cells: &[String]| -> Vec<String> {
        cells
            .iter()
            .map(|c| terminal_safe(c).into_owned())
            .collect()
    };
    let header = safe(header);
    let rows: Vec<Vec<String>> = rows.iter().map(|r| safe(r)).collect();
    let (header, rows) = (&header[..], &rows[..]);
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
    if report.audience.is_internal() {
        let _ = writeln!(out, "{}", INTERNAL_MARK.to_uppercase());
    }
    let _ = writeln!(out, "{}", terminal_safe(&report.customer));
    let _ = writeln!(
        out,
        "Price book: {} (as of {}), {}. Horizon {} months from {}, discount rate {} %, growth {} % a year.\n",
        terminal_safe(&d.price_book),
        terminal_safe(&d.price_book_as_of),
        terminal_safe(&report.currency),
        report.horizon_months,
        d.start_month,
        d.discount_rate_pct,
        d.growth_pct
    );
    let _ = writeln!(out, "{}", recommendation_heading(report));
    for paragraph in recommendation_paragraphs(report, &TEXT_MARKUP) {
        let _ = writeln!(out, "  {paragraph}");
    }
    let _ = writeln!(out);
    let header = scenario_header(report);
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
            .map_or_else(String::new, |f| format!(" in \"{}\"", terminal_safe(f)))
    );
    aligned(&mut out, &header, &rows);
    let msp = msp_facts(report);
    if !msp.is_empty() {
        let _ = writeln!(out, "\nMSP terms (internal)");
        for (label, value) in msp {
            let _ = writeln!(out, "  {label}: {value}");
        }
    }
    out
}
