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
    // A customer's CSV has no margin columns and no ids: it is built without them.
    let internal = report.audience.is_internal();
    let mut header = vec![
        "customer",
        "scenario",
        "run_rate_cents",
        "one_time_cents",
        "tco_cents",
        "npv_cents",
        "break_even_month",
        "control_score",
    ];
    if internal {
        header.extend(["msp_monthly_margin_cents", "msp_margin_total_cents"]);
    }
    let _ = writer.write_record(&header);
    let optional = |cents: Option<i64>| cents.map_or_else(String::new, |c| c.to_string());
    for s in &report.scenarios {
        let mut record = vec![
            text_cell(&report.customer),
            text_cell(&s.name),
            s.run_rate_cents.to_string(),
            s.one_time_cents.to_string(),
            s.tco_cents.to_string(),
            s.npv_cents.to_string(),
            s.break_even_month
                .map_or_else(String::new, |m| m.to_string()),
            format!("{:.2}", s.control_score),
        ];
        if internal {
            record.push(optional(s.msp_monthly_margin_cents));
            record.push(optional(s.msp_margin_total_cents));
        }
        let _ = writer.write_record(&record);
    }
    let _ = writer.write_record([""]);
    let header: &[&str] = &[
        "workload_id",
        "workload",
        "category",
        "current",
        "destination",
        "monthly_cents",
        "one_time_cents",
        "control",
    ];
    let _ = writer.write_record(&header[usize::from(!internal)..]);
    for w in &report.workloads {
        for o in &w.options {
            let mut record: Vec<String> = w.id.iter().map(|id| text_cell(id)).collect();
            record.extend([
                text_cell(&w.name),
                w.category.key().to_owned(),
                w.current.key().to_owned(),
                o.destination.key().to_owned(),
                o.monthly_cents.to_string(),
                o.one_time_cents.to_string(),
                format!("{:.2}", o.control),
            ]);
            let _ = writer.write_record(&record);
        }
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
