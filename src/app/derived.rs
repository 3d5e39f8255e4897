//! Figures derived from the open plan, recomputed when its revision changes, and only as far
//! as the change reaches (one edited workload is priced again alone).

use crate::model::{Evaluation, Issue, Plan, ScenarioTotals, validate};

use super::edit::Scope;

/// The plan priced, its scenario totals and its problems.
pub struct Derived {
    /// The document revision these figures are for.
    pub revision: u64,
    pub evaluation: Evaluation,
    pub totals: Vec<ScenarioTotals>,
    pub issues: Vec<Issue>,
}

impl Derived {
    #[must_use]
    pub fn new(plan: &Plan, revision: u64) -> Self {
        let evaluation = Evaluation::new(plan);
        let totals = evaluation.scenarios(plan);
        Self {
            revision,
            evaluation,
            totals,
            issues: validate(plan),
        }
    }

    /// Brings the figures up to `revision` after changes of `scope`.
    pub fn update(&mut self, plan: &Plan, revision: u64, scope: Option<Scope>) {
        if self.revision == revision {
            return;
        }
        match scope {
            Some(Scope::Text) => self.issues = validate(plan),
            Some(Scope::Workload(index)) => {
                self.evaluation.update_workload(plan, index);
                self.totals = self.evaluation.scenarios(plan);
                self.issues = validate(plan);
            }
            Some(Scope::Scenarios) => {
                self.totals = self.evaluation.scenarios(plan);
                self.issues = validate(plan);
            }
            Some(Scope::Everything) | None => *self = Self::new(plan, revision),
        }
        self.revision = revision;
    }
}
