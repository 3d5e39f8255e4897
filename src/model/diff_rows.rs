//! A plan comparison read row by row, in the order a person reads it: what changed in the
//! customer, the assumptions, the price book, the control model and the recommendation, then the workloads, the
//! scenarios, the effect on the totals and the saves recorded since. `keyholder diff` prints
//! these rows and the app's two-way compare view draws them, so both say the same.

use super::diff::{
    FieldChange, PlanDiff, ScenarioChange, TotalsChange, WorkloadChange, WorkloadRef,
};
use super::number::format_cents;
use super::plan::HistoryEntry;

/// The part of the plan a row belongs to; each is introduced by its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffSection {
    Customer,
    Assumptions,
    PriceBook,
    ControlModel,
    Recommendation,
    Workloads,
    Scenarios,
    Totals,
    SavedSince,
}

impl DiffSection {
    #[must_use]
    pub const fn title(self) -> &'static str {
        match self {
            Self::Customer => "Customer",
            Self::Assumptions => "Assumptions",
            Self::PriceBook => "Price book",
            Self::ControlModel => "Control model",
            Self::Recommendation => "Recommendation",
            Self::Workloads => "Workloads",
            Self::Scenarios => "Scenarios",
            Self::Totals => "Effect on the totals",
            Self::SavedSince => "Saved since",
        }
    }
}

/// One thing that differs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DiffRow<'a> {
    /// A changed value of the customer, assumptions, price book, control model or
    /// recommendation.
    Field(DiffSection, &'a FieldChange),
    WorkloadAdded(&'a WorkloadRef),
    WorkloadRemoved(&'a WorkloadRef),
    WorkloadChanged(&'a WorkloadChange),
    ScenarioAdded(&'a str),
    ScenarioRemoved(&'a str),
    ScenarioChanged(&'a ScenarioChange),
    Totals(&'a TotalsChange),
    Saved(&'a HistoryEntry),
}

impl DiffRow<'_> {
    #[must_use]
    pub const fn section(&self) -> DiffSection {
        match self {
            Self::Field(section, _) => *section,
            Self::WorkloadAdded(_) | Self::WorkloadRemoved(_) | Self::WorkloadChanged(_) => {
                DiffSection::Workloads
            }
            Self::ScenarioAdded(_) | Self::ScenarioRemoved(_) | Self::ScenarioChanged(_) => {
                DiffSection::Scenarios
            }
            Self::Totals(_) => DiffSection::Totals,
            Self::Saved(_) => DiffSection::SavedSince,
        }
    }

    /// The row as one line of text (a changed workload's or scenario's fields follow in
    /// [`Self::details`]).
    #[must_use]
    pub fn text(&self) -> String {
        let money = |v: Option<i64>| v.map_or_else(|| "none".to_owned(), format_cents);
        let control = |v: Option<f64>| v.map_or_else(|| "none".to_owned(), |c| format!("{c:.2}"));
        match self {
            Self::Field(_, change) => change.to_string(),
            Self::WorkloadAdded(w) => format!("+ {} ({}) added", w.name, w.id),
            Self::WorkloadRemoved(w) => format!("- {} ({}) removed", w.name, w.id),
            Self::WorkloadChanged(w) => format!("~ {} ({})", w.name, w.id),
            Self::ScenarioAdded(name) => format!("+ \"{name}\" added"),
            Self::ScenarioRemoved(name) => format!("- \"{name}\" removed"),
            Self::ScenarioChanged(s) => format!("~ \"{}\"", s.name),
            Self::Totals(t) => format!(
                "\"{}\": TCO {} -> {}; run rate {} -> {}; control {} -> {}",
                t.scenario,
                money(t.old_tco_cents),
                money(t.new_tco_cents),
                money(t.old_run_rate_cents),
                money(t.new_run_rate_cents),
                control(t.old_control_score),
                control(t.new_control_score)
            ),
            Self::Saved(h) => {
                let note = if h.note.is_empty() {
                    String::new()
                } else {
                    format!(": {}", h.note)
                };
                format!("{} by {}{note}", h.saved_at, h.saved_by)
            }
        }
    }

    /// The fields that changed in a changed workload or scenario.
    #[must_use]
    pub fn details(&self) -> &[FieldChange] {
        match self {
            Self::WorkloadChanged(w) => &w.changes,
            Self::ScenarioChanged(s) => &s.changes,
            _ => &[],
        }
    }
}

impl PlanDiff {
    /// Every difference, section by section (see the module comment).
    pub fn rows(&self) -> impl Iterator<Item = DiffRow<'_>> {
        let fields = [
            (DiffSection::Customer, &self.customer),
            (DiffSection::Assumptions, &self.assumptions),
            (DiffSection::PriceBook, &self.price_book),
            (DiffSection::ControlModel, &self.control_model),
            (DiffSection::Recommendation, &self.recommendation),
        ]
        .into_iter()
        .flat_map(|(section, changes)| changes.iter().map(move |c| DiffRow::Field(section, c)));
        fields
            .chain(self.workloads_added.iter().map(DiffRow::WorkloadAdded))
            .chain(self.workloads_removed.iter().map(DiffRow::WorkloadRemoved))
            .chain(self.workloads_changed.iter().map(DiffRow::WorkloadChanged))
            .chain(
                self.scenarios_added
                    .iter()
                    .map(|n| DiffRow::ScenarioAdded(n)),
            )
            .chain(
                self.scenarios_removed
                    .iter()
                    .map(|n| DiffRow::ScenarioRemoved(n)),
            )
            .chain(self.scenarios_changed.iter().map(DiffRow::ScenarioChanged))
            .chain(self.totals.iter().map(DiffRow::Totals))
            .chain(self.new_history.iter().map(DiffRow::Saved))
    }
}
