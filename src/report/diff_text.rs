//! `keyholder diff` as text: the rows of a plan comparison ([`PlanDiff::rows`], the rows the
//! app's compare view draws too), each section under its title, every line safe for a
//! terminal.

use std::fmt::Write as _;

use super::escape::terminal_safe;
use crate::model::{DiffRow, DiffSection, PlanDiff};

fn line(out: &mut String, text: &str) {
    let _ = writeln!(out, "{}", terminal_safe(text));
}

/// What changed from the plan named `old` to the plan named `new`; amounts in `currency`.
#[must_use]
pub fn diff_to_text(old: &str, new: &str, diff: &PlanDiff, currency: &str) -> String {
    let mut out = String::new();
    line(&mut out, &format!("{old} -> {new}"));
    let mut section = None;
    for row in diff.rows() {
        if section != Some(row.section()) {
            section = Some(row.section());
            let title = match row.section() {
                DiffSection::Totals => format!("{} ({currency})", DiffSection::Totals.title()),
                other => other.title().to_owned(),
            };
            line(&mut out, &title);
        }
        line(&mut out, &format!("  {}", row.text()));
        if matches!(
            row,
            DiffRow::WorkloadChanged(_) | DiffRow::ScenarioChanged(_)
        ) {
            for change in row.details() {
                line(&mut out, &format!("      {change}"));
            }
        }
    }
    if !diff.has_changes() {
        line(&mut out, "No differences in the plan.");
    }
    out
}
