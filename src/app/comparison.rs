//! A colleague's copy of the plan being compared with the open one: three-way against the
//! version both copies started from when that version is known, two-way otherwise.
//!
//! The common version is found, not guessed: every save records the content id of what it
//! wrote in the plan's history, and this app keeps each version it opens or saves in the data
//! folder (`bases/`). The newest id that both copies' histories name, and that is kept here
//! (or is their copy itself), is the base.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::model::{
    ChangeKey, ChangeKind, ContentId, Evaluation, Picks, Plan, PlanDiff, PlanMerge, Side,
    TotalsChange, diff_plans, merge_effect, merge_plans,
};
use crate::storage;

use super::{KeyholderApp, Tab};

/// What is known about the version both copies started from.
#[derive(Debug, Clone, PartialEq)]
pub enum CommonVersion {
    Found {
        id: ContentId,
        base: Box<Plan>,
        /// Who saved that version and when, if a history records it.
        saved: Option<(String, String)>,
    },
    /// Neither history names a version the other names: a file saved before Keyholder
    /// recorded versions, or copies that never shared one.
    NotRecorded,
    /// Both name this version, but this computer does not keep it (it keeps the versions
    /// it opened or saved).
    NotKept(ContentId),
}

/// The other plan and what differs from the open one.
pub struct Comparison {
    pub path: PathBuf,
    pub theirs: Plan,
    /// Every difference, two-way (all that can be shown without a common version).
    pub diff: PlanDiff,
    pub common: CommonVersion,
    /// The sides picked for conflicts.
    pub picks: Picks,
    /// The three-way merge with the picks, when the common version is known.
    pub merge: Option<PlanMerge>,
    /// The merge's effect on every scenario's totals (the open plan -> the merged plan).
    pub effect: Vec<TotalsChange>,
    /// The open plan's generation and revision the figures were computed for.
    pub computed_for: (u64, u64),
    /// Their file as it was read: when it is the open plan's own file (a colleague saved
    /// over it) and still so once the merge is applied, the merged plan may be saved over it.
    pub their_stamp: Option<storage::FileStamp>,
}

impl Comparison {
    #[must_use]
    pub fn new(
        path: &Path,
        mine: &Plan,
        mine_evaluation: &Evaluation,
        theirs: Plan,
        common: CommonVersion,
        computed_for: (u64, u64),
    ) -> Self {
        let mut comparison = Self {
            path: path.to_path_buf(),
            diff: diff_plans(mine, &theirs),
            theirs,
            common,
            picks: Picks::default(),
            merge: None,
            effect: Vec::new(),
            computed_for,
            their_stamp: None,
        };
        comparison.recompute(mine, mine_evaluation);
        comparison
    }

    /// Recomputes the differences once the open plan changed (a take, an edit, undo); their
    /// copy does not change while it is compared.
    pub fn refresh(&mut self, mine: &Plan, mine_evaluation: &Evaluation, computed_for: (u64, u64)) {
        if self.computed_for != computed_for {
            self.diff = diff_plans(mine, &self.theirs);
            self.recompute(mine, mine_evaluation);
            self.computed_for = computed_for;
        }
    }

    /// The merge and its effect, for the open plan and the current picks.
    fn recompute(&mut self, mine: &Plan, mine_evaluation: &Evaluation) {
        if let CommonVersion::Found { base, .. } = &self.common {
            let merge = merge_plans(base, mine, &self.theirs, &self.picks);
            self.effect = merge_effect(mine, mine_evaluation, &merge.plan);
            self.merge = Some(merge);
        }
    }
}

impl KeyholderApp {
    /// The version both the open plan and `theirs` descend from, if it can be found.
    pub(super) fn common_version(&self, theirs: &Plan) -> CommonVersion {
        let theirs_id = storage::content_id(theirs);
        let theirs_versions: BTreeSet<&ContentId> = theirs
            .lineage()
            .into_iter()
            .chain(std::iter::once(&theirs_id))
            .collect();
        let mine = self.state.plan();
        // Newest first. The version opened is in the history already (its last entry names
        // it), unless the file was changed by hand after its last save: then it is newest.
        let mut mine_versions = mine.lineage();
        if let Some(opened) = &self.state.opened_version
            && !mine_versions.contains(&opened)
        {
            mine_versions.insert(0, opened);
        }
        let bases = self.state.paths.bases_dir();
        let mut shared = None;
        for id in mine_versions {
            if !theirs_versions.contains(id) {
                continue;
            }
            shared.get_or_insert_with(|| id.clone());
            let base = if *id == theirs_id {
                // Their copy is that version: nothing of theirs to take, only mine to keep.
                Some(theirs.clone())
            } else {
                storage::bases::find_base(&bases, id)
            };
            if let Some(base) = base {
                let saved = mine
                    .history
                    .iter()
                    .chain(&theirs.history)
                    .find(|h| h.content_id.as_ref() == Some(id))
                    .map(|h| (h.saved_by.clone(), h.saved_at.clone()));
                return CommonVersion::Found {
                    id: id.clone(),
                    base: Box::new(base),
                    saved,
                };
            }
        }
        shared.map_or(CommonVersion::NotRecorded, CommonVersion::NotKept)
    }

    /// Opens `theirs` (read from `path`, whose bytes were `stamp`) in the compare view,
    /// three-way when the common version is found.
    pub(super) fn start_comparison(
        &mut self,
        path: &Path,
        theirs: Plan,
        stamp: Option<storage::FileStamp>,
    ) {
        let common = self.common_version(&theirs);
        let key = self.state.document_key();
        let mut comparison = Comparison::new(
            path,
            self.state.plan(),
            &self.state.derived.evaluation,
            theirs,
            common,
            key,
        );
        comparison.their_stamp = stamp;
        self.state.comparison = Some(comparison);
        self.state.tab = Tab::Compare;
    }

    /// Keeps the open plan, as its file holds it now, as a version colleagues' copies may
    /// start from (in `bases/`), and remembers its id. Only a plan that is in its file
    /// unchanged is kept.
    pub(super) fn keep_opened_version(&mut self) {
        self.state.opened_version = None;
        let document = &self.state.document;
        let Some(path) = document.path().map(Path::to_path_buf) else {
            return;
        };
        if document.is_dirty() || document.read_only.is_some() {
            return;
        }
        let text = storage::content_text(self.state.plan());
        let id = storage::id_of_content_text(&text);
        self.keep_version(&path, &id, &text);
    }

    /// Keeps the version `text` (whose id is `id`) of the plan at `path`. A file saved before
    /// versions were recorded gets the id on its last save's entry now (in memory, so the
    /// next save writes it): colleagues who opened the same file then name the same version.
    pub(super) fn keep_version(&mut self, path: &Path, id: &ContentId, text: &str) {
        storage::record_content_id(self.state.document.plan_mut_untracked(), id);
        if let Err(error) = storage::bases::keep_base(&self.state.paths.bases_dir(), path, id, text)
        {
            let kept = format!(
                "this version could not be kept for merging colleagues' copies later ({error})"
            );
            self.state.status = Some(match self.state.status.take() {
                Some(status) => format!("{status} Note: {kept}."),
                None => format!("Note: {kept}."),
            });
        }
        self.state.opened_version = Some(id.clone());
    }

    /// Picks a side for one conflict (`None` undecides it).
    pub(super) fn pick_side(&mut self, key: ChangeKey, side: Option<Side>) {
        self.repick(|picks| {
            match side {
                Some(side) => picks.decided.insert(key, side),
                None => picks.decided.remove(&key),
            };
        });
    }

    /// Picks `side` for every conflict.
    pub(super) fn pick_all_conflicts(&mut self, side: Side) {
        let keys: Vec<ChangeKey> = self
            .state
            .comparison
            .as_ref()
            .and_then(|c| c.merge.as_ref())
            .map(|m| {
                m.changes_of(ChangeKind::Conflict)
                    .map(|(part, change)| part.key(change))
                    .collect()
            })
            .unwrap_or_default();
        self.repick(|picks| {
            for key in keys {
                picks.decided.insert(key, side);
            }
        });
    }

    fn repick(&mut self, change: impl FnOnce(&mut Picks)) {
        let Some(comparison) = &mut self.state.comparison else {
            return;
        };
        change(&mut comparison.picks);
        comparison.recompute(self.state.document.plan(), &self.state.derived.evaluation);
    }
}
