//! Every change to a plan is an [`Edit`]. Applying one returns its inverse, which is what the
//! undo history keeps: small, exact, and the same path for every kind of change.

use crate::model::{
    Assumptions, Choice, ControlModel, Customer, HistoryEntry, Plan, PriceBook,
    RecommendedScenario, Scenario, Workload,
};

/// What a change to the plan can affect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Only text that no figure depends on (the customer profile).
    Text,
    /// One workload: reprice it alone.
    Workload(usize),
    /// Scenario choices, names or the list: totals only, no repricing.
    Scenarios,
    Everything,
}

impl Scope {
    /// The scope of two changes together.
    #[must_use]
    pub fn and(self, other: Self) -> Self {
        match (self, other) {
            (Self::Text, x) | (x, Self::Text) => x,
            (Self::Workload(a), Self::Workload(b)) if a == b => self,
            (Self::Scenarios, Self::Scenarios) => self,
            _ => Self::Everything,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    Customer(Box<Customer>),
    Assumptions(Assumptions),
    PriceBook(Box<PriceBook>),
    ControlModel(ControlModel),
    /// Replace the workload at `index`.
    Workload {
        index: usize,
        workload: Workload,
    },
    InsertWorkload {
        index: usize,
        workload: Workload,
    },
    /// Removes the workload and every scenario choice that names it.
    RemoveWorkload {
        index: usize,
    },
    /// Set or clear one workload's choice in one scenario.
    Choice {
        scenario: usize,
        workload_id: String,
        choice: Option<Choice>,
    },
    /// Replace the scenario at `index` (name, notes, choices).
    Scenario {
        index: usize,
        scenario: Scenario,
    },
    InsertScenario {
        index: usize,
        scenario: Scenario,
    },
    RemoveScenario {
        index: usize,
    },
    /// Replace the saves the plan records (a merge joins a colleague's history to yours, so
    /// the merged plan names the versions it descends from; undoing the merge takes them
    /// out again).
    History(Vec<HistoryEntry>),
    /// Recommend a scenario to the customer (with its rationale), or no scenario.
    Recommendation(Option<RecommendedScenario>),
    /// Several edits as one step.
    Batch(Vec<Edit>),
}

impl Edit {
    /// A short description for the undo menu ("Undo edit workload").
    #[must_use]
    pub fn label(&self) -> &'static str {
        match self {
            Self::Customer(_) => "customer profile",
            Self::Assumptions(_) => "assumptions",
            Self::PriceBook(_) => "price book",
            Self::ControlModel(_) => "control model",
            Self::Workload { .. } => "workload",
            Self::InsertWorkload { .. } => "add workload",
            Self::RemoveWorkload { .. } => "delete workload",
            Self::Choice { .. } => "scenario choice",
            Self::Scenario { .. } => "scenario",
            Self::InsertScenario { .. } => "add scenario",
            Self::RemoveScenario { .. } => "delete scenario",
            Self::History(_) => "history",
            Self::Recommendation(_) => "recommendation",
            Self::Batch(_) => "changes",
        }
    }

    /// What the edit can affect, so the app recomputes only that.
    #[must_use]
    pub fn scope(&self) -> Scope {
        match self {
            Self::Customer(_) | Self::History(_) | Self::Recommendation(_) => Scope::Text,
            Self::Workload { index, .. } => Scope::Workload(*index),
            Self::Choice { .. }
            | Self::Scenario { .. }
            | Self::InsertScenario { .. }
            | Self::RemoveScenario { .. } => Scope::Scenarios,
            Self::Batch(edits) if edits.len() == 1 => edits[0].scope(),
            _ => Scope::Everything,
        }
    }

    /// Edits to the same thing in quick succession (typing in a field) undo as one step.
    #[must_use]
    pub fn merge_key(&self) -> Option<String> {
        match self {
            Self::Customer(_) => Some("customer".to_owned()),
            Self::Assumptions(_) => Some("assumptions".to_owned()),
            Self::PriceBook(_) => Some("price_book".to_owned()),
            Self::ControlModel(_) => Some("control_model".to_owned()),
            Self::Workload { index, .. } => Some(format!("workload:{index}")),
            Self::Scenario { index, .. } => Some(format!("scenario:{index}")),
            // Typing the rationale is one step.
            Self::Recommendation(_) => Some("recommendation".to_owned()),
            // Dragging a move month is one step, not one per month passed.
            Self::Choice {
                scenario,
                workload_id,
                ..
            } => Some(format!("choice:{scenario}:{workload_id}")),
            _ => None,
        }
    }

    /// Applies the edit and returns the edit that undoes it. An edit whose index is out of
    /// range (a stale request) changes nothing and returns an empty batch.
    #[must_use = "the returned edit is what undoes this one"]
    pub fn apply(self, plan: &mut Plan) -> Self {
        match self {
            Self::Customer(value) => {
                Self::Customer(Box::new(std::mem::replace(&mut plan.customer, *value)))
            }
            Self::Assumptions(value) => {
                Self::Assumptions(std::mem::replace(&mut plan.assumptions, value))
            }
            Self::PriceBook(value) => {
                Self::PriceBook(Box::new(std::mem::replace(&mut plan.price_book, *value)))
            }
            Self::ControlModel(value) => {
                Self::ControlModel(std::mem::replace(&mut plan.control_model, value))
            }
            Self::Workload { index, workload } => match plan.workloads.get_mut(index) {
                Some(slot) => {
                    let old = std::mem::replace(slot, workload);
                    // A new id keeps the workload's scenario choices.
                    let new_id = plan.workloads[index].id.clone();
                    if old.id != new_id {
                        for scenario in &mut plan.scenarios {
                            if let Some(choice) = scenario.choices.remove(&old.id) {
                                scenario.choices.insert(new_id.clone(), choice);
                            }
                        }
                    }
                    Self::Workload {
                        index,
                        workload: old,
                    }
                }
                None => Self::Batch(Vec::new()),
            },
            Self::InsertWorkload { index, workload } => {
                let index = index.min(plan.workloads.len());
                plan.workloads.insert(index, workload);
                Self::RemoveWorkload { index }
            }
            Self::RemoveWorkload { index } => {
                if index >= plan.workloads.len() {
                    return Self::Batch(Vec::new());
                }
                let workload = plan.workloads.remove(index);
                let mut inverse = vec![Self::InsertWorkload {
                    index,
                    workload: workload.clone(),
                }];
                for (scenario_index, scenario) in plan.scenarios.iter_mut().enumerate() {
                    if let Some(choice) = scenario.choices.remove(&workload.id) {
                        inverse.push(Self::Choice {
                            scenario: scenario_index,
                            workload_id: workload.id.clone(),
                            choice: Some(choice),
                        });
                    }
                }
                single(inverse)
            }
            Self::Choice {
                scenario,
                workload_id,
                choice,
            } => match plan.scenarios.get_mut(scenario) {
                Some(target) => {
                    let old = match choice {
                        Some(choice) => target.choices.insert(workload_id.clone(), choice),
                        None => target.choices.remove(&workload_id),
                    };
                    Self::Choice {
                        scenario,
                        workload_id,
                        choice: old,
                    }
                }
                None => Self::Batch(Vec::new()),
            },
            Self::Scenario { index, scenario } => match plan.scenarios.get_mut(index) {
                Some(slot) => {
                    let old = std::mem::replace(slot, scenario);
                    // A renamed scenario keeps its recommendation (it is kept by name).
                    let new_name = &plan.scenarios[index].name;
                    if let Some(recommended) = plan
                        .recommended
                        .as_mut()
                        .filter(|r| r.scenario == old.name && old.name != *new_name)
                    {
                        recommended.scenario.clone_from(new_name);
                    }
                    Self::Scenario {
                        index,
                        scenario: old,
                    }
                }
                None => Self::Batch(Vec::new()),
            },
            Self::InsertScenario { index, scenario } => {
                let index = index.min(plan.scenarios.len());
                plan.scenarios.insert(index, scenario);
                Self::RemoveScenario { index }
            }
            Self::RemoveScenario { index } => {
                if index >= plan.scenarios.len() {
                    return Self::Batch(Vec::new());
                }
                let scenario = plan.scenarios.remove(index);
                let insert = Self::InsertScenario {
                    index,
                    scenario: scenario.clone(),
                };
                // A deleted scenario is no longer recommended; undo recommends it again.
                if plan
                    .recommended
                    .as_ref()
                    .is_some_and(|r| r.scenario == scenario.name)
                {
                    let recommended = plan.recommended.take();
                    Self::Batch(vec![Self::Recommendation(recommended), insert])
                } else {
                    insert
                }
            }
            Self::History(value) => Self::History(std::mem::replace(&mut plan.history, value)),
            Self::Recommendation(value) => {
                Self::Recommendation(std::mem::replace(&mut plan.recommended, value))
            }
            Self::Batch(edits) => {
                let mut inverses: Vec<Self> = edits.into_iter().map(|e| e.apply(plan)).collect();
                inverses.reverse();
                Self::Batch(inverses)
            }
        }
    }

    /// True for an edit that changes nothing (an empty batch).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        matches!(self, Self::Batch(edits) if edits.iter().all(Self::is_empty))
    }
}

/// One edit as itself, several as a batch.
fn single(mut edits: Vec<Edit>) -> Edit {
    if edits.len() == 1 {
        edits.remove(0)
    } else {
        Edit::Batch(edits)
    }
}
