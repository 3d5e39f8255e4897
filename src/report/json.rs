//! The report as JSON, with the keys the README documents.

use super::PlanReport;

/// JSON with the keys documented in the README.
#[must_use]
pub fn to_json(report: &PlanReport) -> String {
    let mut text = serde_json::to_string_pretty(report).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}
