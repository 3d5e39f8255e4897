//! What changed between two versions of a plan, for colleagues who pass a file back and
//! forth. Workloads are matched by id and scenarios by name, so a rename is a change, not a
//! removal and an addition.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::Value;

use super::engine::{EngineError, Evaluation, ScenarioTotals};
use super::plan::{HistoryEntry, Plan, RecommendedScenario, Scenario, Workload};
use super::price_book::PriceBook;

/// One changed value, `old` and `new` as shown to a person (`None` when absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl std::fmt::Display for FieldChange {
    /// `users: 120 -> 130`, `notes: added "…"`, `color: removed (was "blue")`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.old, &self.new) {
            (Some(old), Some(new)) => write!(f, "{}: {old} -> {new}", self.field),
            (None, Some(new)) => write!(f, "{}: added {new}", self.field),
            (Some(old), None) => write!(f, "{}: removed (was {old})", self.field),
            (None, None) => f.write_str(&self.field),
        }
    }
}

/// A workload present in both plans with the fields that differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkloadChange {
    pub id: String,
    pub name: String,
    pub changes: Vec<FieldChange>,
}

/// A workload present in one plan only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkloadRef {
    pub id: String,
    pub name: String,
}

/// A scenario present in both plans with what differs (choices are keyed by workload id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioChange {
    pub name: String,
    pub changes: Vec<FieldChange>,
}

/// A scenario's totals in each plan (absent where the scenario is).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TotalsChange {
    pub scenario: String,
    pub old_tco_cents: Option<i64>,
    pub new_tco_cents: Option<i64>,
    pub old_run_rate_cents: Option<i64>,
    pub new_run_rate_cents: Option<i64>,
    /// Two decimals, like everywhere.
    pub old_control_score: Option<f64>,
    pub new_control_score: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PlanDiff {
    pub customer: Vec<FieldChange>,
    pub assumptions: Vec<FieldChange>,
    pub price_book: Vec<FieldChange>,
    pub control_model: Vec<FieldChange>,
    /// The recommended scenario and its rationale (`scenario`, `rationale`).
    pub recommendation: Vec<FieldChange>,
    pub workloads_added: Vec<WorkloadRef>,
    pub workloads_removed: Vec<WorkloadRef>,
    pub workloads_changed: Vec<WorkloadChange>,
    pub scenarios_added: Vec<String>,
    pub scenarios_removed: Vec<String>,
    pub scenarios_changed: Vec<ScenarioChange>,
    /// Every scenario whose totals differ (including added and removed ones).
    pub totals: Vec<TotalsChange>,
    /// Saves recorded in the new plan's history that the old one does not have.
    pub new_history: Vec<HistoryEntry>,
}

impl PlanDiff {
    /// True when the plans differ in anything but history.
    #[must_use]
    pub fn has_changes(&self) -> bool {
        !(self.customer.is_empty()
            && self.assumptions.is_empty()
            && self.price_book.is_empty()
            && self.control_model.is_empty()
            && self.recommendation.is_empty()
            && self.workloads_added.is_empty()
            && self.workloads_removed.is_empty()
            && self.workloads_changed.is_empty()
            && self.scenarios_added.is_empty()
            && self.scenarios_removed.is_empty()
            && self.scenarios_changed.is_empty())
    }
}

fn show(value: &Value) -> String {
    match value {
        Value::String(text) => format!("\"{text}\""),
        Value::Null => "none".to_owned(),
        other => other.to_string(),
    }
}

/// Every leaf that differs between two values, with a dotted path under `prefix`.
fn changes(prefix: &str, old: &Value, new: &Value, out: &mut Vec<FieldChange>) {
    let join = |key: &str| {
        if prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{prefix}.{key}")
        }
    };
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                match b.get(key) {
                    Some(other) => changes(&join(key), value, other, out),
                    None => out.push(FieldChange {
                        field: join(key),
                        old: Some(show(value)),
                        new: None,
                    }),
                }
            }
            for (key, value) in b {
                if !a.contains_key(key) {
                    out.push(FieldChange {
                        field: join(key),
                        old: None,
                        new: Some(show(value)),
                    });
                }
            }
        }
        // Lists of plain values (categories, hosts) read best whole.
        (Value::Array(a), Value::Array(b))
            if a != b && a.iter().chain(b).all(|v| !v.is_object()) =>
        {
            let list = |items: &[Value]| items.iter().map(show).collect::<Vec<_>>().join(", ");
            out.push(FieldChange {
                field: prefix.to_owned(),
                old: Some(list(a)),
                new: Some(list(b)),
            });
        }
        (Value::Array(a), Value::Array(b)) => {
            for i in 0..a.len().max(b.len()) {
                let field = format!("{prefix}[{i}]");
                match (a.get(i), b.get(i)) {
                    (Some(x), Some(y)) => changes(&field, x, y, out),
                    (Some(x), None) => out.push(FieldChange {
                        field,
                        old: Some(show(x)),
                        new: None,
                    }),
                    (None, Some(y)) => out.push(FieldChange {
                        field,
                        old: None,
                        new: Some(show(y)),
                    }),
                    (None, None) => {}
                }
            }
        }
        _ if old != new => out.push(FieldChange {
            field: prefix.to_owned(),
            old: Some(show(old)),
            new: Some(show(new)),
        }),
        _ => {}
    }
}

/// The paths of the fields that differ between two values (`users`, `constraints.custom_code`).
pub(super) fn field_names<T: Serialize>(old: &T, new: &T) -> Vec<String> {
    diff_of(old, new).into_iter().map(|c| c.field).collect()
}

fn diff_of<T: Serialize>(old: &T, new: &T) -> Vec<FieldChange> {
    let (Ok(a), Ok(b)) = (serde_json::to_value(old), serde_json::to_value(new)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    changes("", &a, &b, &mut out);
    out
}

/// Which rates and terms differ between two price books, each with a field path like
/// `destinations.azure_iaas.recurring[0].unit_price` and the old and new values as shown
/// to a person (`0.12` → `0.0416`); empty when the books are the same. Shown before a
/// colleague's price book is taken into a plan.
#[must_use]
pub fn price_book_changes(old: &PriceBook, new: &PriceBook) -> Vec<FieldChange> {
    diff_of(old, new)
}

/// What changed from `old` to `new`. Never panics: totals that cannot be computed (only for
/// plans that validation refuses) count as zero; see [`try_diff_plans`].
#[must_use]
pub fn diff_plans(old: &Plan, new: &Plan) -> PlanDiff {
    let evaluations = (Evaluation::new(old), Evaluation::new(new));
    // The totals never fail here, so neither does the diff.
    diff_with(old, new, &evaluations, |evaluation, scenario| {
        Ok(evaluation.scenario(scenario))
    })
    .unwrap_or_default()
}

/// What changed from `old` to `new`, or why the totals of either plan cannot be computed.
/// Linear in the size of both plans: workloads, scenarios and history entries are matched
/// through hash maps.
///
/// # Errors
/// [`EngineError`] when either plan's figures cannot be computed (never for plans that
/// validation accepts).
pub fn try_diff_plans(old: &Plan, new: &Plan) -> Result<PlanDiff, EngineError> {
    let evaluations = (Evaluation::try_new(old)?, Evaluation::try_new(new)?);
    diff_with(old, new, &evaluations, |evaluation, scenario| {
        evaluation.try_scenario(scenario).map_err(Some)
    })
    .map_err(|error| {
        error.unwrap_or(EngineError::Totals {
            scenario: String::new(),
        })
    })
}

/// The recommended scenario's name and rationale, field by field (`none` where no scenario
/// is recommended), so a cleared recommendation reads `scenario: "Hybrid" -> none`.
fn recommendation_changes(
    old: Option<&RecommendedScenario>,
    new: Option<&RecommendedScenario>,
) -> Vec<FieldChange> {
    let shown =
        |text: Option<&String>| text.map_or_else(|| "none".to_owned(), |t| format!("\"{t}\""));
    let fields = [
        (
            "scenario",
            old.map(|r| &r.scenario),
            new.map(|r| &r.scenario),
        ),
        (
            "rationale",
            old.map(|r| &r.rationale),
            new.map(|r| &r.rationale),
        ),
    ];
    fields
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(field, a, b)| FieldChange {
            field: field.to_owned(),
            old: Some(shown(a)),
            new: Some(shown(b)),
        })
        .collect()
}

fn workload_ref(w: &Workload) -> WorkloadRef {
    WorkloadRef {
        id: w.id.clone(),
        name: w.name.clone(),
    }
}

/// Items by key (workload id, scenario name); the first of a repeated key, which
/// validation refuses anyway.
fn index<T>(items: &[T], key: impl Fn(&T) -> &str) -> HashMap<&str, &T> {
    let mut map = HashMap::with_capacity(items.len());
    for item in items {
        map.entry(key(item)).or_insert(item);
    }
    map
}

/// Workloads (matched by id) changed, removed and added, in that order.
fn workload_changes(
    old: &Plan,
    new: &Plan,
) -> (Vec<WorkloadChange>, Vec<WorkloadRef>, Vec<WorkloadRef>) {
    let old_workloads = index(&old.workloads, |w: &Workload| &w.id);
    let new_workloads = index(&new.workloads, |w: &Workload| &w.id);
    let mut changed = Vec::new();
    let mut removed = Vec::new();
    for w in &old.workloads {
        match new_workloads.get(w.id.as_str()) {
            // Most workloads are unchanged: compare before building the field-by-field diff.
            Some(other) if *other == w => {}
            Some(other) => {
                let fields = diff_of(w, *other);
                if !fields.is_empty() {
                    changed.push(WorkloadChange {
                        id: w.id.clone(),
                        name: other.name.clone(),
                        changes: fields,
                    });
                }
            }
            None => removed.push(workload_ref(w)),
        }
    }
    let added = new
        .workloads
        .iter()
        .filter(|w| !old_workloads.contains_key(w.id.as_str()))
        .map(workload_ref)
        .collect();
    (changed, removed, added)
}

/// Scenarios (matched by name) changed, removed and added, in that order.
fn scenario_changes(old: &Plan, new: &Plan) -> (Vec<ScenarioChange>, Vec<String>, Vec<String>) {
    let old_scenarios = index(&old.scenarios, |s: &Scenario| &s.name);
    let new_scenarios = index(&new.scenarios, |s: &Scenario| &s.name);
    let mut changed = Vec::new();
    let mut removed = Vec::new();
    for s in &old.scenarios {
        match new_scenarios.get(s.name.as_str()) {
            Some(other) if *other == s => {}
            Some(other) => {
                let fields = diff_of(s, *other);
                if !fields.is_empty() {
                    changed.push(ScenarioChange {
                        name: s.name.clone(),
                        changes: fields,
                    });
                }
            }
            None => removed.push(s.name.clone()),
        }
    }
    let added = new
        .scenarios
        .iter()
        .filter(|s| !old_scenarios.contains_key(s.name.as_str()))
        .map(|s| s.name.clone())
        .collect();
    (changed, removed, added)
}

/// The scenarios whose totals differ, old plan's order first, then the new plan's own;
/// `totals_of` gives a scenario's totals (`Err(None)` leaves the scenario out).
fn totals_changes(
    old: &Plan,
    new: &Plan,
    (old_eval, new_eval): &(Evaluation, Evaluation),
    totals_of: impl Fn(&Evaluation, &Scenario) -> Result<ScenarioTotals, Option<EngineError>>,
) -> Result<Vec<TotalsChange>, Option<EngineError>> {
    let old_scenarios = index(&old.scenarios, |s: &Scenario| &s.name);
    let new_scenarios = index(&new.scenarios, |s: &Scenario| &s.name);
    let mut names: Vec<&str> = old.scenarios.iter().map(|s| s.name.as_str()).collect();
    names.extend(
        new.scenarios
            .iter()
            .map(|s| s.name.as_str())
            .filter(|n| !old_scenarios.contains_key(n)),
    );
    let mut seen = HashSet::with_capacity(names.len());
    names.retain(|name| seen.insert(*name));
    let mut totals = Vec::new();
    for name in names {
        let a = old_scenarios
            .get(name)
            .map(|s| totals_of(old_eval, s))
            .transpose();
        let b = new_scenarios
            .get(name)
            .map(|s| totals_of(new_eval, s))
            .transpose();
        let (a, b) = match (a, b) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(None), _) | (_, Err(None)) => continue,
            (Err(error), _) | (_, Err(error)) => return Err(error),
        };
        let change = TotalsChange {
            scenario: name.to_owned(),
            old_tco_cents: a.as_ref().map(|t| t.tco_cents),
            new_tco_cents: b.as_ref().map(|t| t.tco_cents),
            old_run_rate_cents: a.as_ref().map(|t| t.run_rate_cents),
            new_run_rate_cents: b.as_ref().map(|t| t.run_rate_cents),
            old_control_score: a.as_ref().map(ScenarioTotals::control_score_2dp),
            new_control_score: b.as_ref().map(ScenarioTotals::control_score_2dp),
        };
        let same = change.old_tco_cents == change.new_tco_cents
            && change.old_run_rate_cents == change.new_run_rate_cents
            && change.old_control_score == change.new_control_score;
        if !same {
            totals.push(change);
        }
    }
    Ok(totals)
}

/// The diff, with `totals_of` giving a scenario's totals (`Err(None)` leaves totals out).
fn diff_with(
    old: &Plan,
    new: &Plan,
    evaluations: &(Evaluation, Evaluation),
    totals_of: impl Fn(&Evaluation, &Scenario) -> Result<ScenarioTotals, Option<EngineError>>,
) -> Result<PlanDiff, Option<EngineError>> {
    let (workloads_changed, workloads_removed, workloads_added) = workload_changes(old, new);
    let (scenarios_changed, scenarios_removed, scenarios_added) = scenario_changes(old, new);
    let totals = totals_changes(old, new, evaluations, totals_of)?;
    let old_history: HashSet<(&str, &str, &str)> = old
        .history
        .iter()
        .map(|h| (h.saved_by.as_str(), h.saved_at.as_str(), h.note.as_str()))
        .collect();
    Ok(PlanDiff {
        customer: diff_of(&old.customer, &new.customer),
        assumptions: diff_of(&old.assumptions, &new.assumptions),
        price_book: diff_of(&old.price_book, &new.price_book),
        control_model: diff_of(&old.control_model, &new.control_model),
        recommendation: recommendation_changes(old.recommended.as_ref(), new.recommended.as_ref()),
        workloads_added,
        workloads_removed,
        workloads_changed,
        scenarios_added,
        scenarios_removed,
        scenarios_changed,
        totals,
        new_history: new
            .history
            .iter()
            .filter(|h| {
                !old_history.contains(&(h.saved_by.as_str(), h.saved_at.as_str(), h.note.as_str()))
            })
            .cloned()
            .collect(),
    })
}
