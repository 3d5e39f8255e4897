//! The rule that keeps an import from writing a plan `check` refuses: the plan with the
//! imported rows is validated once, and each problem is traced back to the workload (so the
//! row) it concerns. Whatever bounds validation enforces, a row over one is a rejected row
//! with validation's own message.

use std::collections::{BTreeMap, HashMap};

use crate::model::{Issue, Plan, validate};

/// What validation says about a plan, by workload.
pub(super) struct Verdict {
    /// Per workload index, why it is not valid (one message per problem).
    pub by_workload: BTreeMap<usize, Vec<String>>,
    /// Problems that concern no single workload (the price book, the customer, …).
    pub elsewhere: Vec<Issue>,
}

/// Validates `plan` once and sorts the problems by the workload they concern. A problem in a
/// scenario's choice for a workload (e.g. a destination the workload's new category rules
/// out) counts for that workload.
pub(super) fn verdict(plan: &Plan) -> Verdict {
    let mut index_of: HashMap<&str, usize> = HashMap::with_capacity(plan.workloads.len());
    for (i, w) in plan.workloads.iter().enumerate() {
        index_of.entry(w.id.as_str()).or_insert(i);
    }
    let mut by_workload: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut elsewhere = Vec::new();
    for issue in validate(plan) {
        match concerned_workload(plan, &index_of, &issue) {
            Some((index, message)) => by_workload.entry(index).or_default().push(message),
            None => elsewhere.push(issue),
        }
    }
    Verdict {
        by_workload,
        elsewhere,
    }
}

/// The workload an issue is about, and the issue worded for that workload's row: the field
/// inside the workload (`storage_gb: is too large …`), or the scenario path in full.
fn concerned_workload(
    plan: &Plan,
    index_of: &HashMap<&str, usize>,
    issue: &Issue,
) -> Option<(usize, String)> {
    if let Some(rest) = issue.field.strip_prefix("workloads[") {
        let digits = rest.find(']')?;
        let index: usize = rest[..digits].parse().ok()?;
        let workload = plan.workloads.get(index)?;
        // Validation names a workload `workloads[i] "name".field`.
        let prefix = format!("workloads[{index}] \"{}\".", workload.name);
        let field = issue.field.strip_prefix(&prefix).unwrap_or(&issue.field);
        return Some((index, format!("{field}: {}", issue.message)));
    }
    if issue.field.starts_with("scenarios[") {
        let open = issue.field.find(".choices[\"")? + ".choices[\"".len();
        let close = issue.field.rfind("\"]")?;
        let id = issue.field.get(open..close)?;
        let index = *index_of.get(id)?;
        return Some((index, issue.to_string()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Category, Choice, Destination, Scenario, Workload, YearMonth};

    #[test]
    fn problems_are_traced_to_their_workload() {
        let mut plan = Plan::new(
            "Test",
            YearMonth::default(),
            crate::model::PriceBook::default(),
        );
        plan.workloads
            .push(Workload::new("ok", "Fine", Category::Email));
        let mut empty = Workload::new("empty", "", Category::Email);
        empty.name = String::new();
        plan.workloads.push(empty);
        plan.workloads
            .push(Workload::new("moved", "Moved", Category::Email));
        let mut scenario = Scenario::status_quo();
        scenario.name = "Cloud".to_owned();
        scenario
            .choices
            .insert("moved".to_owned(), Choice::new(Destination::Bpos, 0));
        plan.scenarios.push(scenario);
        let verdict = verdict(&plan);
        // The default price book hosts nothing, so every workload's current destination is
        // ruled out too; the empty name and the scenario's choice are on top of that.
        let empty = verdict.by_workload.get(&1).expect("the empty name");
        assert!(empty.iter().any(|m| m.starts_with("name: ")), "{empty:?}");
        let moved = verdict.by_workload.get(&2).expect("the scenario's choice");
        assert!(
            moved
                .iter()
                .any(|m| m.starts_with("scenarios[1] \"Cloud\".choices[\"moved\"]")),
            "{moved:?}"
        );
        assert!(!verdict.elsewhere.is_empty(), "the empty price book");
    }
}
