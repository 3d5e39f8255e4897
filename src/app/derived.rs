//! Figures derived from the open plan, recomputed when its revision changes, and only as far
//! as the change reaches (one edited workload is priced again alone).

use crate::model::{Evaluation, FieldStep, Issue, Plan, ScenarioTotals, validate, warnings};

use super::edit::Scope;

/// The plan priced, its scenario totals and its problems.
pub struct Derived {
    /// The document revision these figures are for.
    pub revision: u64,
    pub evaluation: Evaluation,
    pub totals: Vec<ScenarioTotals>,
    pub issues: Vec<Issue>,
    /// What a person should see though it is not an error (a workload with 0 users on
    /// per-user prices).
    pub warnings: Vec<Issue>,
    /// Why the plan's figures cannot be computed (a value past its bound in a file opened
    /// from disk; the app's fields refuse such values). The views then show this instead of
    /// figures.
    pub figures_problem: Option<String>,
}

impl Derived {
    #[must_use]
    pub fn new(plan: &Plan, revision: u64) -> Self {
        let (evaluation, problem) = match Evaluation::try_new(plan) {
            Ok(evaluation) => (evaluation, None),
            // Figures that cannot be computed are zero in this evaluation, and never shown.
            Err(error) => (Evaluation::new(plan), Some(error)),
        };
        let mut derived = Self {
            revision,
            evaluation,
            totals: Vec::new(),
            issues: validate(plan),
            warnings: warnings(plan),
            figures_problem: problem.map(|e| e.to_string()),
        };
        derived.total(plan);
        derived
    }

    /// Every scenario's totals, or why they cannot be computed.
    fn total(&mut self, plan: &Plan) {
        match self.evaluation.try_scenarios(plan) {
            Ok(totals) => self.totals = totals,
            Err(error) => {
                self.totals = self.evaluation.scenarios(plan);
                self.figures_problem
                    .get_or_insert_with(|| error.to_string());
            }
        }
    }

    fn check(&mut self, plan: &Plan) {
        self.issues = validate(plan);
        self.warnings = warnings(plan);
    }

    /// The warnings about workload `index`.
    pub fn warnings_of(&self, index: usize) -> impl Iterator<Item = &Issue> {
        self.warnings.iter().filter(move |w| {
            matches!(
                w.path.as_slice(),
                [FieldStep::Field("workloads"), FieldStep::Index(i), ..] if *i == index
            )
        })
    }

    /// Brings the figures up to `revision` after changes of `scope`.
    pub fn update(&mut self, plan: &Plan, revision: u64, scope: Option<Scope>) {
        if self.revision == revision {
            return;
        }
        // After a problem, only a fresh evaluation can tell it is gone.
        let scope = if self.figures_problem.is_some() {
            Some(Scope::Everything)
        } else {
            scope
        };
        match scope {
            Some(Scope::Text) => self.issues = validate(plan),
            Some(Scope::Workload(index)) => {
                if let Err(error) = self.evaluation.try_update_workload(plan, index) {
                    self.figures_problem = Some(error.to_string());
                }
                self.total(plan);
                self.check(plan);
            }
            Some(Scope::Scenarios) => {
                self.total(plan);
                self.check(plan);
            }
            Some(Scope::Everything) | None => *self = Self::new(plan, revision),
        }
        self.revision = revision;
    }
}
