//! The report as Markdown, every text from the plan escaped; the charts as a short text
//! summary.

use std::fmt::Write as _;

use super::escape::{MD_MARKUP, markdown_escape as md_cell};
use super::tables::{
    assumption_facts, chart_summary, customer_facts, customer_scenario_rows, msp_facts,
    recommendation_heading, recommendation_paragraphs, scenario_header, workload_table,
};
use super::{INTERNAL_MARK, PlanReport};

pub(super) fn md_table(out: &mut String, header: &[String], rows: &[Vec<String>]) {
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
    let m = &MD_MARKUP;
    let mut out = String::new();
    if report.audience.is_internal() {
        let _ = writeln!(out, "**{INTERNAL_MARK}.**\n");
    }
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
    let _ = writeln!(out, "\n## {}\n", recommendation_heading(report));
    for paragraph in recommendation_paragraphs(report, m) {
        let _ = writeln!(out, "{paragraph}\n");
    }
    let _ = writeln!(out, "## Scenarios\n");
    md_table(
        &mut out,
        &scenario_header(report),
        &customer_scenario_rows(report),
    );
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
    let msp = msp_facts(report);
    if !msp.is_empty() {
        let _ = writeln!(out, "\n## MSP terms (internal)\n");
        for (label, value) in msp {
            let _ = writeln!(out, "- {}: {}", md_cell(&label), md_cell(&value));
        }
        let _ = writeln!(out, "\n**{INTERNAL_MARK}.**");
    }
    out
}
