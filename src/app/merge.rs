//! Taking a colleague's changes into the open plan, one at a time or all at once, and
//! applying a three-way merge. Every take, and a whole merge, is an [`Edit`], so it is
//! undoable like any other change (one step each).

use std::path::{Path, PathBuf};

use crate::model::{ChangeKind, Part, Picks, Plan, PlanDiff, merge_plans};
use crate::storage;

use super::comparison::CommonVersion;
use super::edit::Edit;
use super::{KeyholderApp, Modal};

/// One change from the other plan that can be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Take {
    Customer,
    Assumptions,
    PriceBook,
    ControlModel,
    /// The recommended scenario and its rationale.
    Recommendation,
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
        Take::Recommendation => (mine.recommended != theirs.recommended)
            .then(|| Edit::Recommendation(theirs.recommended.clone())),
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
    removed.sort_by_key(|id| std::cmp::Reverse(mine.workload_index(id)));
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
    // Last: theirs' recommendation names one of theirs' scenarios, all in place by now.
    if !diff.recommendation.is_empty() {
        takes.push(Take::Recommendation);
    }
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

/// The edits that make `mine` equal to `target` in everything but the history (and in the
/// history too when `with_history`), as one undo step: what taking a three-way merge's
/// result does. Workloads and scenarios keep `target`'s order (a merge keeps mine's order and
/// puts theirs' additions beside their neighbours, so inserting them there is enough).
#[must_use]
pub fn edit_to(mine: &Plan, target: &Plan, with_history: bool) -> Option<Edit> {
    let mut scratch = mine.clone();
    let mut edits = Vec::new();
    let mut push = |edit: Edit, scratch: &mut Plan| {
        // The inverse is not needed: the scratch copy only keeps later indices right.
        let _ = edit.clone().apply(scratch);
        edits.push(edit);
    };
    if scratch.customer != target.customer {
        push(
            Edit::Customer(Box::new(target.customer.clone())),
            &mut scratch,
        );
    }
    if scratch.assumptions != target.assumptions {
        push(Edit::Assumptions(target.assumptions.clone()), &mut scratch);
    }
    if scratch.price_book != target.price_book {
        push(
            Edit::PriceBook(Box::new(target.price_book.clone())),
            &mut scratch,
        );
    }
    if scratch.control_model != target.control_model {
        push(
            Edit::ControlModel(target.control_model.clone()),
            &mut scratch,
        );
    }
    // Workloads: removals from the end, then each of the target's in its place.
    for index in (0..scratch.workloads.len()).rev() {
        if target.workload(&scratch.workloads[index].id).is_none() {
            push(Edit::RemoveWorkload { index }, &mut scratch);
        }
    }
    for (index, workload) in target.workloads.iter().enumerate() {
        match scratch.workload_index(&workload.id) {
            Some(at) if at == index => {
                if scratch.workloads[index] != *workload {
                    push(
                        Edit::Workload {
                            index,
                            workload: workload.clone(),
                        },
                        &mut scratch,
                    );
                }
            }
            Some(at) => {
                // Out of place: moved (its choices are set again with the scenarios below).
                push(Edit::RemoveWorkload { index: at }, &mut scratch);
                push(
                    Edit::InsertWorkload {
                        index,
                        workload: workload.clone(),
                    },
                    &mut scratch,
                );
            }
            None => push(
                Edit::InsertWorkload {
                    index,
                    workload: workload.clone(),
                },
                &mut scratch,
            ),
        }
    }
    // Scenarios the same way, compared after the workload edits (a removed workload took its
    // choices with it).
    for index in (0..scratch.scenarios.len()).rev() {
        if target.scenario(&scratch.scenarios[index].name).is_none() {
            push(Edit::RemoveScenario { index }, &mut scratch);
        }
    }
    for (index, scenario) in target.scenarios.iter().enumerate() {
        match scratch
            .scenarios
            .iter()
            .position(|s| s.name == scenario.name)
        {
            Some(at) if at == index => {
                if scratch.scenarios[index] != *scenario {
                    push(
                        Edit::Scenario {
                            index,
                            scenario: scenario.clone(),
                        },
                        &mut scratch,
                    );
                }
            }
            Some(at) => {
                push(Edit::RemoveScenario { index: at }, &mut scratch);
                push(
                    Edit::InsertScenario {
                        index,
                        scenario: scenario.clone(),
                    },
                    &mut scratch,
                );
            }
            None => push(
                Edit::InsertScenario {
                    index,
                    scenario: scenario.clone(),
                },
                &mut scratch,
            ),
        }
    }
    if with_history && scratch.history != target.history {
        push(Edit::History(target.history.clone()), &mut scratch);
    }
    (!edits.is_empty()).then_some(Edit::Batch(edits))
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

impl KeyholderApp {
    /// The merge of the compared copy into the open plan with `picks`, if the common version
    /// is known.
    fn merged_with(&self, picks: &Picks) -> Option<crate::model::PlanMerge> {
        let comparison = self.state.comparison.as_ref()?;
        let CommonVersion::Found { base, .. } = &comparison.common else {
            return None;
        };
        Some(merge_plans(
            base,
            self.state.plan(),
            &comparison.theirs,
            picks,
        ))
    }

    /// Applies the edit that makes the open plan `target`, as one undo step. Returns whether
    /// anything changed.
    fn become_plan(&mut self, target: &Plan, with_history: bool) -> bool {
        if self.state.document.read_only.is_some() {
            self.state.status =
                Some("This plan is read-only: use Save as… to work on a copy.".to_owned());
            return false;
        }
        match edit_to(self.state.plan(), target, with_history) {
            Some(edit) => {
                self.apply_edit(edit);
                true
            }
            None => false,
        }
    }

    /// Takes their one-sided changes to one part (a workload, a scenario, a rate line…).
    pub(super) fn take_part(&mut self, part: &Part) {
        let Some(merge) = self.merged_with(&Picks::only(part.clone())) else {
            return;
        };
        let label = merge
            .parts
            .iter()
            .find(|p| p.part == *part)
            .map_or_else(|| part.to_string(), |p| p.label.clone());
        if self.become_plan(&merge.plan, false) {
            self.state.status = Some(format!("Took their changes to {label} (Ctrl+Z undoes it)."));
        }
    }

    /// Takes every one-sided change of theirs; conflicts stay to be decided.
    pub(super) fn take_all_theirs(&mut self) {
        let Some(merge) = self.merged_with(&Picks::default()) else {
            return;
        };
        let count = merge.count(ChangeKind::Theirs);
        if self.become_plan(&merge.plan, false) {
            let conflicts = merge.count(ChangeKind::Conflict);
            self.state.status = Some(format!(
                "Took {} of theirs (Ctrl+Z undoes it){}.",
                plural(count, "change", "changes"),
                if conflicts == 0 {
                    String::new()
                } else {
                    format!(
                        "; {} left to decide",
                        plural(conflicts, "conflict", "conflicts")
                    )
                }
            ));
        }
    }

    /// Applies the whole merge with the sides picked for its conflicts, as one undo step, and
    /// ends the comparison (their copy is merged). A conflict copy is offered a move to the
    /// backups folder.
    pub(super) fn apply_merge(&mut self) {
        let Some(picks) = self.state.comparison.as_ref().map(|c| c.picks.clone()) else {
            return;
        };
        let Some(merge) = self.merged_with(&picks) else {
            return;
        };
        let unresolved = merge.unresolved();
        if unresolved > 0 {
            self.state.status = Some(format!(
                "Pick yours or theirs for {} first.",
                if unresolved == 1 {
                    "the conflict".to_owned()
                } else {
                    format!("each of the {unresolved} conflicts")
                }
            ));
            return;
        }
        if self.state.document.read_only.is_some() {
            // Says why nothing is taken.
            self.become_plan(&merge.plan, true);
            return;
        }
        self.become_plan(&merge.plan, true);
        let Some(comparison) = self.state.comparison.take() else {
            return;
        };
        // Their save over the plan's own file is merged in: saving may replace it without
        // asking again, as long as the file is still what was merged.
        if self.state.document.path() == Some(comparison.path.as_path())
            && let Some(theirs) = &comparison.their_stamp
            && storage::FileStamp::read(&comparison.path)
                .is_some_and(|now| now.same_content(theirs))
        {
            self.state.document.stamp = Some(theirs.clone());
        }
        let summary = format!(
            "Merged {}: {} taken, {} decided (Ctrl+Z undoes the merge).",
            file_name(&comparison.path),
            plural(merge.count(ChangeKind::Theirs), "change", "changes"),
            plural(merge.count(ChangeKind::Conflict), "conflict", "conflicts"),
        );
        self.state.status = Some(summary.clone());
        self.note_merge(&file_name(&comparison.path));
        if self.state.conflict_copies.contains(&comparison.path) {
            self.state.modal = Some(Modal::MergedCopies {
                copies: vec![comparison.path],
                summary: vec![summary],
            });
        }
    }

    /// Merges each sync-client conflict copy of the open plan into it, three-way, each as one
    /// undo step. A copy with conflicts opens in the compare view for the user to decide (and
    /// the rest wait); a copy with no known common version is left for a two-way compare.
    /// Merged copies are offered a move to the backups folder.
    pub(super) fn merge_conflict_copies(&mut self) {
        if self.state.document.read_only.is_some() {
            self.state.status =
                Some("This plan is read-only: use Save as… to work on a copy.".to_owned());
            return;
        }
        let mut merged: Vec<PathBuf> = Vec::new();
        let mut summary = Vec::new();
        for copy in self.state.conflict_copies.clone() {
            let name = file_name(&copy);
            let (theirs, stamp) = match storage::load_plan(&copy) {
                Ok((loaded, stamp)) => (loaded.plan, stamp),
                Err(error) => {
                    summary.push(format!("{name}: not merged: {error}"));
                    continue;
                }
            };
            let CommonVersion::Found { base, .. } = self.common_version(&theirs) else {
                summary.push(format!(
                    "{name}: not merged: no version it shares with your plan is known here; use Compare to take its changes one by one"
                ));
                continue;
            };
            let merge = merge_plans(&base, self.state.plan(), &theirs, &Picks::default());
            let conflicts = merge.unresolved();
            if conflicts > 0 {
                summary.push(format!(
                    "{name}: {} with your changes: pick a side for each in the Compare view, then Apply merge",
                    plural(conflicts, "conflict", "conflicts")
                ));
                self.start_comparison(&copy, theirs, Some(stamp));
                break;
            }
            self.become_plan(&merge.plan, true);
            self.note_merge(&name);
            summary.push(format!(
                "{name}: merged ({} taken)",
                plural(merge.count(ChangeKind::Theirs), "change", "changes")
            ));
            merged.push(copy);
        }
        if merged.is_empty() {
            if !summary.is_empty() {
                self.state.status = Some(summary.join(" "));
            }
            return;
        }
        self.state.status = Some(format!(
            "Merged {} into your plan (Ctrl+Z undoes each).",
            plural(merged.len(), "conflict copy", "conflict copies")
        ));
        self.state.modal = Some(Modal::MergedCopies {
            copies: merged,
            summary,
        });
    }

    /// Says in the next save's history note what was merged (after what the user typed).
    fn note_merge(&mut self, name: &str) {
        let note = &mut self.state.next_save_note;
        if !note.is_empty() {
            note.push_str("; ");
        }
        note.push_str("Merged ");
        note.push_str(name);
    }

    /// Moves merged conflict copies out of the shared folder into the backups folder.
    pub(super) fn move_copies_to_backups(&mut self, copies: &[PathBuf]) {
        let Some(path) = self.state.document.path().map(Path::to_path_buf) else {
            return;
        };
        let target = storage::resolve_links(&path).unwrap_or_else(|_| path.clone());
        let backups = self.state.paths.backups_dir();
        let mut moved = 0;
        let mut problems = Vec::new();
        for copy in copies {
            match storage::backups::keep_merged_copy(&backups, &target, copy) {
                Ok(_) => moved += 1,
                Err(error) => problems.push(format!("{}: {error}", copy.display())),
            }
        }
        self.state.conflict_copies = storage::conflict_copies(&path);
        if problems.is_empty() {
            self.state.status = Some(format!(
                "Moved {} to {}.",
                plural(moved, "merged copy", "merged copies"),
                backups.display()
            ));
        } else {
            self.show_error(
                "Some copies could not be moved; they are where they were",
                problems.join("\n"),
            );
        }
    }
}
