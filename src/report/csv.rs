//! The report as CSV: plain cents, text guarded against formula injection by the same rule
//! as the workload CSV.

use super::PlanReport;
use super::escape::terminal_safe;
use crate::import;

/// A text cell: no formula a spreadsheet would run, no character a terminal would act on
/// (names and ids are one line; a report is often printed before it is saved).
fn text_cell(text: &str) -> String {
    terminal_safe(&import::neutralize_formula(text)).into_owned()
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
            text_cell(&report.customer),
            text_cell(&s.name),
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
                text_cell(&w.id),
                text_cell(&w.name),
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
