//! The open plan: its file, whether it is saved, and its undo history.

use std::path::{Path, PathBuf};

use crate::model::Plan;
use crate::storage::FileStamp;

use super::edit::{Edit, Scope};

/// Typing into one field within this many seconds undoes as one step.
const MERGE_WINDOW_S: f64 = 1.5;
/// Undo steps kept; edits are small (only what changed), so this is cheap.
const MAX_UNDO: usize = 500;

#[derive(Debug, Clone)]
struct Step {
    /// The edit that goes back (undo) or forward (redo).
    edit: Edit,
    /// The revision the plan has after this step is applied.
    revision: u64,
    /// The revision this step stands for on its stack top (to merge only into the latest step).
    after: u64,
    merge_key: Option<String>,
    time: f64,
}

/// An open plan. "Unsaved" is computed: the plan's revision differs from the saved one.
#[derive(Debug, Clone)]
pub struct Document {
    plan: Plan,
    path: Option<PathBuf>,
    /// The bytes on disk when the plan was read or last saved, to notice a colleague's change.
    pub stamp: Option<FileStamp>,
    /// Why the plan may not be saved over its file (e.g. it is from a newer Keyholder).
    pub read_only: Option<String>,
    /// Fields the file had that this version does not know.
    pub unknown_fields: Vec<String>,
    /// The file's format version when it was older and was migrated on load.
    pub migrated_from: Option<u32>,
    revision: u64,
    /// The revision the file on disk holds; `None` when no revision does (a restored or
    /// imported plan, not saved yet).
    saved_revision: Option<u64>,
    next_revision: u64,
    /// What changed since [`Self::take_changes`] was last called.
    changes: Option<Scope>,
    undo: Vec<Step>,
    redo: Vec<Step>,
}

impl Document {
    /// A document for a plan read from `path` (or a new plan when `path` is `None`).
    #[must_use]
    pub fn new(plan: Plan, path: Option<PathBuf>, stamp: Option<FileStamp>) -> Self {
        Self {
            plan,
            path,
            stamp,
            read_only: None,
            unknown_fields: Vec::new(),
            migrated_from: None,
            revision: 0,
            saved_revision: Some(0),
            next_revision: 1,
            changes: None,
            undo: Vec::new(),
            redo: Vec::new(),
        }
    }

    /// A document restored from a recovery file: the plan differs from what is on disk.
    #[must_use]
    pub fn recovered(plan: Plan, path: Option<PathBuf>, stamp: Option<FileStamp>) -> Self {
        let mut document = Self::new(plan, path, stamp);
        document.saved_revision = None;
        document
    }

    #[must_use]
    pub const fn plan(&self) -> &Plan {
        &self.plan
    }

    #[must_use]
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Changes with every edit, undo and redo; equal revisions mean equal plans.
    #[must_use]
    pub const fn revision(&self) -> u64 {
        self.revision
    }

    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.saved_revision != Some(self.revision)
    }

    /// The file name shown in the title bar.
    #[must_use]
    pub fn title(&self) -> String {
        self.path.as_deref().and_then(Path::file_name).map_or_else(
            || "Untitled plan".to_owned(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    /// Applies an edit and records it for undo. `now` is in seconds (egui's input time).
    pub fn apply(&mut self, edit: Edit, now: f64) {
        let merge_key = edit.merge_key();
        let scope = edit.scope();
        let inverse = edit.apply(&mut self.plan);
        if inverse.is_empty() {
            return;
        }
        self.redo.clear();
        self.note_change(scope);
        let revision = self.next_revision;
        self.next_revision += 1;
        let merge = self.undo.last_mut().filter(|top| {
            merge_key.is_some()
                && top.merge_key == merge_key
                && now - top.time < MERGE_WINDOW_S
                && top.after == self.revision
                && self.saved_revision != Some(self.revision)
        });
        if let Some(top) = merge {
            // Keep the older inverse: undo goes back to before the first keystroke.
            top.after = revision;
            top.time = now;
        } else {
            self.undo.push(Step {
                edit: inverse,
                revision: self.revision,
                after: revision,
                merge_key,
                time: now,
            });
            if self.undo.len() > MAX_UNDO {
                self.undo.remove(0);
            }
        }
        self.revision = revision;
    }

    fn note_change(&mut self, scope: Scope) {
        self.changes = Some(self.changes.map_or(scope, |s| s.and(scope)));
    }

    /// What changed since the last call: the app recomputes only what it must.
    pub fn take_changes(&mut self) -> Option<Scope> {
        self.changes.take()
    }

    #[must_use]
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    #[must_use]
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    #[must_use]
    pub fn undo_label(&self) -> Option<&'static str> {
        self.undo.last().map(|s| s.edit.label())
    }

    #[must_use]
    pub fn redo_label(&self) -> Option<&'static str> {
        self.redo.last().map(|s| s.edit.label())
    }

    pub fn undo(&mut self) {
        if let Some(step) = self.undo.pop() {
            self.note_change(step.edit.scope());
            let forward = step.edit.apply(&mut self.plan);
            self.redo.push(Step {
                edit: forward,
                revision: self.revision,
                after: step.revision,
                merge_key: None,
                time: 0.0,
            });
            self.revision = step.revision;
        }
    }

    pub fn redo(&mut self) {
        if let Some(step) = self.redo.pop() {
            self.note_change(step.edit.scope());
            let back = step.edit.apply(&mut self.plan);
            self.undo.push(Step {
                edit: back,
                revision: self.revision,
                after: step.revision,
                merge_key: None,
                time: 0.0,
            });
            self.revision = step.revision;
        }
    }

    /// Records that the plan as it is now was written to `path`.
    pub fn mark_saved(&mut self, path: PathBuf, stamp: FileStamp) {
        self.path = Some(path);
        self.stamp = Some(stamp);
        self.saved_revision = Some(self.revision);
        self.read_only = None;
        self.unknown_fields.clear();
    }

    /// Mutable access for changes that are not user edits (e.g. appending history on save).
    /// Keeps the revision, so the document's saved state is unaffected.
    pub fn plan_mut_untracked(&mut self) -> &mut Plan {
        &mut self.plan
    }
}
