//! Taking a colleague's changes into the open plan, one at a time or all at once. Every
//! take is an [`Edit`], so it is undoable like any other change.

use crate::model::{Plan, PlanDiff};

use super::edit::Edit;

/// One change from the other plan that can be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Take {
    Customer,
    Assumptions,
    PriceBook,
    ControlModel,
    /// A workload by id: added, changed, or removed in theirs.
    Workload(String),
    /// A scenario by name: added, changed, or removed in theirs.
    Scenario(String),
}

/// The edit that makes `mine` agree with `theirs` on one point, or `None` when they already
/// agree there.
#[must_use]
pub fn take_edit(mine: &Plan, theirs: &Plan, take: &Take) -> Option<Edit> {
    match take {
        Take::Customer => (mine.customer != theirs.customer)
            .then(|| Edit::Customer(Box::new(theirs.customer.clone()))),
        Take::Assumptions => (mine.assumptions != theirs.assumptions)
            .then(|| Edit::Assumptions(theirs.assumptions.clone())),
        Take::PriceBook => (mine.price_book != theirs.price_book)
            .then(|| Edit::PriceBook(Box::new(theirs.price_book.clone()))),
        Take::ControlModel => (mine.control_model != theirs.control_model)
            .then(|| Edit::ControlModel(theirs.control_model.clone())),
        Take::Workload(id) => {
            let index = mine.workloads.iter().position(|w| &w.id == id);
            match (index, theirs.workload(id)) {
                (Some(index), Some(w)) => (mine.workloads[index] != *w).then(|| Edit::Workload {
                    index,
                    workload: w.clone(),
                }),
                (None, Some(w)) => Some(Edit::InsertWorkload {
                    index: mine.workloads.len(),
                    workload: w.clone(),
                }),
                (Some(index), None) => Some(Edit::RemoveWorkload { index }),
                (None, None) => None,
            }
        }
        Take::Scenario(name) => {
            let index = mine.scenarios.iter().position(|s| &s.name == name);
            match (index, theirs.scenario(name)) {
                (Some(index), Some(s)) => (mine.scenarios[index] != *s).then(|| Edit::Scenario {
                    index,
                    scenario: s.clone(),
                }),
                (None, Some(s)) => Some(Edit::InsertScenario {
                    index: mine.scenarios.len(),
                    scenario: s.clone(),
                }),
                (Some(index), None) => Some(Edit::RemoveScenario { index }),
                (None, None) => None,
            }
        }
    }
}

/// Everything the diff lists, in an order that keeps indices valid: changes and additions
/// first, removals from the end backwards.
#[must_use]
pub fn all_takes(mine: &Plan, diff: &PlanDiff) -> Vec<Take> {
    let mut takes = Vec::new();
    if !diff.customer.is_empty() {
        takes.push(Take::Customer);
    }
    if !diff.assumptions.is_empty() {
        takes.push(Take::Assumptions);
    }
    if !diff.price_book.is_empty() {
        takes.push(Take::PriceBook);
    }
    if !diff.control_model.is_empty() {
        takes.push(Take::ControlModel);
    }
    takes.extend(
        diff.workloads_changed
            .iter()
            .map(|w| Take::Workload(w.id.clone())),
    );
    takes.extend(
        diff.workloads_added
            .iter()
            .map(|w| Take::Workload(w.id.clone())),
    );
    let mut removed: Vec<&str> = diff
        .workloads_removed
        .iter()
        .map(|w| w.id.as_str())
        .collect();
    removed.sort_by_key(|id| std::cmp::Reverse(mine.workloads.iter().position(|w| w.id == *id)));
    takes.extend(removed.into_iter().map(|id| Take::Workload(id.to_owned())));
    takes.extend(
        diff.scenarios_changed
            .iter()
            .map(|s| Take::Scenario(s.name.clone())),
    );
    takes.extend(
        diff.scenarios_added
            .iter()
            .map(|s| Take::Scenario(s.clone())),
    );
    let mut removed: Vec<&str> = diff.scenarios_removed.iter().map(String::as_str).collect();
    removed
        .sort_by_key(|name| std::cmp::Reverse(mine.scenarios.iter().position(|s| s.name == *name)));
    takes.extend(
        removed
            .into_iter()
            .map(|name| Take::Scenario(name.to_owned())),
    );
    takes
}

/// One edit that takes every change of `theirs` (applied step by step on a scratch copy, so
/// each step's indices are right).
#[must_use]
pub fn take_all_edit(mine: &Plan, theirs: &Plan, diff: &PlanDiff) -> Option<Edit> {
    let mut scratch = mine.clone();
    let mut edits = Vec::new();
    for take in all_takes(mine, diff) {
        if let Some(edit) = take_edit(&scratch, theirs, &take) {
            edits.push(edit.clone());
            // The inverse is not needed: the scratch copy is thrown away.
            let _ = edit.apply(&mut scratch);
        }
    }
    (!edits.is_empty()).then_some(Edit::Batch(edits))
}
