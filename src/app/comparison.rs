//! A colleague's copy of the plan being compared with the open one.

use std::path::{Path, PathBuf};

use crate::model::{Plan, PlanDiff, diff_plans};

/// The other plan and what differs from the open one.
pub struct Comparison {
    pub path: PathBuf,
    pub theirs: Plan,
    pub diff: PlanDiff,
    /// The open plan's generation and revision the diff was computed for.
    pub computed_for: (u64, u64),
}

impl Comparison {
    #[must_use]
    pub fn new(path: &Path, mine: &Plan, theirs: Plan, computed_for: (u64, u64)) -> Self {
        let diff = diff_plans(mine, &theirs);
        Self {
            path: path.to_path_buf(),
            theirs,
            diff,
            computed_for,
        }
    }

    /// Recomputes the differences once the open plan changed (a take, an edit, undo); their
    /// copy does not change while it is compared.
    pub fn refresh(&mut self, mine: &Plan, computed_for: (u64, u64)) {
        if self.computed_for != computed_for {
            self.diff = diff_plans(mine, &self.theirs);
            self.computed_for = computed_for;
        }
    }
}
