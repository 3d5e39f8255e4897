//! The app's files: open, save (through the one save path in `storage`), reload after a
//! colleague's change, restore a kept version, import, compare, and every export.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::model::Plan;
use crate::storage::{self, Expect, SaveError};

use super::import_job::ImportJob;
use super::{DialogKind, Document, Edit, KeyholderApp, Modal};

/// An absolute path (relative ones are taken from the current folder).
pub(super) fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The bundled sample, or an empty plan if the build were broken (tests rule that out).
pub(super) fn sample_or_empty_plan() -> Plan {
    storage::sample_plan().unwrap_or_else(|_| {
        let book = storage::default_price_book().unwrap_or_default();
        Plan::new("New customer", crate::clock::this_month(), book)
    })
}

/// A document for the plan file at `path`: read-only when it comes from a newer Keyholder.
pub(super) fn document_from_file(path: &Path) -> Result<Document, storage::LoadError> {
    let (loaded, stamp, read_only) = super::load_for_app(path)?;
    let mut document = Document::new(loaded.plan, Some(absolute(path)), Some(stamp));
    document.read_only = read_only;
    document.unknown_fields = loaded.unknown_fields;
    document.migrated_from = loaded.migrated_from;
    Ok(document)
}

impl KeyholderApp {
    /// A new plan with the 2010 price book (unsaved changes already dealt with).
    pub(super) fn new_plan(&mut self) {
        let book =
            storage::default_price_book().unwrap_or_else(|_| self.state.plan().price_book.clone());
        let plan = Plan::new("New customer", crate::clock::this_month(), book);
        self.replace_document(Document::new(plan, None, None));
        "new-customer.ron".clone_into(&mut self.state.suggested_name);
        self.state.status = Some("New plan with the 2010 price book.".to_owned());
    }

    /// Opens a plan file (unsaved changes already dealt with).
    pub(super) fn open_path(&mut self, path: &Path) {
        match document_from_file(path) {
            Ok(document) => {
                let path = absolute(path);
                let unknown = document.unknown_fields.len();
                let read_only = document.read_only.clone();
                let migrated = document.migrated_from;
                self.replace_document(document);
                self.state.preferences.add_recent(&path);
                self.save_preferences();
                let mut status = match (read_only, unknown) {
                    (Some(why), _) => why,
                    (None, 0) => format!("Opened {}.", path.display()),
                    (None, n) => format!(
                        "Opened {}. {n} field{} this version does not know will not be kept on save (see the status bar).",
                        path.display(),
                        if n == 1 { "" } else { "s" }
                    ),
                };
                if let Some(version) = migrated {
                    let _ = write!(
                        status,
                        " It was written in format version {version}; saving writes version {}, which older Keyholders open read-only.",
                        crate::model::FORMAT_VERSION
                    );
                }
                self.state.status = Some(status);
            }
            Err(error) => {
                self.state.preferences.forget_recent(&absolute(path));
                self.show_error("The plan could not be opened", error.to_string());
            }
        }
    }

    /// Save (or Save as). Returns whether the plan is now saved.
    pub(super) fn save(&mut self, choose_path: bool) -> bool {
        let has_file = self.state.document.read_only.is_none() && !choose_path;
        let target = if let (true, Some(path)) = (has_file, self.state.document.path()) {
            Some(path.to_path_buf())
        } else {
            let name = self.state.suggested_name.clone();
            self.ask(DialogKind::SavePlan, &name)
        };
        match target {
            // A file chosen in the dialog was confirmed there (replace it, keeping a backup).
            Some(path) if choose_path || self.state.document.path() != Some(path.as_path()) => {
                self.save_to(&path, &Expect::Replace)
            }
            Some(path) => {
                let expect = self
                    .state
                    .document
                    .stamp
                    .clone()
                    .map_or(Expect::Replace, Expect::Unchanged);
                self.save_to(&path, &expect)
            }
            None => false,
        }
    }

    /// Writes the plan to `path` through the one save path. A colleague's change since the
    /// plan was read opens the conflict question instead; a read-only file is left alone and
    /// the plan stays open and unsaved. Returns whether the plan is now saved.
    pub(super) fn save_to(&mut self, path: &Path, expect: &Expect) -> bool {
        let path = absolute(path);
        let same_file = self.state.document.path() == Some(path.as_path());
        if same_file && self.state.document.read_only.is_some() {
            self.state.status =
                Some("This plan is read-only: use Save as… to keep a copy.".to_owned());
            return false;
        }
        let unchanged_on_disk = || {
            matches!((&self.state.document.stamp, storage::FileStamp::read(&path)),
                (Some(a), Some(b)) if a.same_content(&b))
        };
        if same_file && !self.state.document.is_dirty() && unchanged_on_disk() {
            // Saving an unchanged plan would only rewrite the same bytes (and a shared folder
            // would sync them again).
            self.state.status = Some(format!("{} is already saved.", path.display()));
            return true;
        }
        let mut plan = self.state.plan().clone();
        if self.state.document.is_dirty() || !same_file {
            plan.history.push(
                self.state
                    .preferences
                    .history_entry(&self.state.next_save_note),
            );
        }
        // The version this save writes, named in its history entry and kept for merges.
        let content = storage::content_text(&plan);
        let content_id = storage::id_of_content_text(&content);
        storage::record_content_id(&mut plan, &content_id);
        let backups = self.state.paths.backups_dir();
        match storage::save_plan_file(&path, &plan, expect, Some(&backups)) {
            Ok(saved) => {
                let old_path = self.state.document.path().map(Path::to_path_buf);
                super::remove_recovery(&self.state.paths.recovery_dir(), old_path.as_deref());
                self.state.document.plan_mut_untracked().history = plan.history;
                self.state.document.mark_saved(path.clone(), saved.stamp);
                self.recovery = super::RecoveryFile::NotOurs;
                self.state.preferences.add_recent(&path);
                self.save_preferences();
                self.state.suggested_name = path
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                self.state.conflict_copies = storage::conflict_copies(&path);
                self.state.next_save_note.clear();
                let through = if saved.written == path {
                    String::new()
                } else {
                    format!(" (through the link, to {})", saved.written.display())
                };
                self.state.status = Some(match saved.backup_problem {
                    None => format!("Saved {}{through}.", path.display()),
                    Some(problem) => format!("Saved {}{through}; {problem}.", path.display()),
                });
                self.keep_version(&path, &content_id, &content);
                true
            }
            Err(SaveError::ChangedOnDisk { .. }) => {
                self.state.modal = Some(Modal::Conflict { path });
                false
            }
            Err(SaveError::ReadOnly { path: target }) => {
                self.show_error(
                    "The plan was not saved: the file is read-only",
                    format!(
                        "{} may not be changed (its permissions or attributes are read-only, or it belongs to someone else). Nothing was written and your changes are still open here: use File > Save as… to keep them in another file.",
                        target.display()
                    ),
                );
                false
            }
            Err(error) => {
                self.show_error(
                    "The plan was not saved",
                    format!("{error}. Your changes are still open here."),
                );
                false
            }
        }
    }

    /// Replaces the open plan with the file on disk (after a colleague's change). The user's
    /// version is kept first, as a plan file of its own under a name no earlier one has.
    pub(super) fn reload_from_disk(&mut self, path: &Path) {
        let mut kept = None;
        if self.state.document.is_dirty() {
            let target = storage::resolve_links(path).unwrap_or_else(|_| path.to_path_buf());
            let bytes = storage::plan_to_ron(self.state.plan());
            match storage::backups::keep_users_version(
                &self.state.paths.backups_dir(),
                &target,
                bytes.as_bytes(),
            ) {
                Ok(file) => kept = Some(file),
                Err(error) => {
                    // Reloading now would lose the user's version: stop and say so.
                    self.show_error(
                        "Not reloaded: your version could not be kept",
                        format!(
                            "Keyholder keeps your version before it opens theirs, but {} could not be written: {error}. Nothing was changed; use File > Save as… to keep your version.",
                            self.state.paths.backups_dir().display()
                        ),
                    );
                    return;
                }
            }
        }
        self.open_path(path);
        if let Some(file) = kept {
            self.state.status = Some(format!(
                "Reloaded their version. Yours is kept as {} (File > Open opens it; so does File > Restore previous version…).",
                file.display()
            ));
        }
    }

    /// Lists the kept versions of the open plan (File ▸ Restore previous version…).
    pub(super) fn offer_kept_versions(&mut self) {
        let Some(path) = self.state.document.path().map(Path::to_path_buf) else {
            self.state.status = Some(
                "This plan has no file yet, so no earlier versions of it are kept.".to_owned(),
            );
            return;
        };
        let target = storage::resolve_links(&path).unwrap_or_else(|_| path.clone());
        let versions = storage::backups::kept_versions(&self.state.paths.backups_dir(), &target);
        self.state.modal = Some(Modal::Versions {
            original: path,
            versions,
        });
    }

    /// Opens a kept version in place of the open plan, as unsaved changes to the plan's file:
    /// saving it makes it the current version (the one on disk is kept in turn).
    pub(super) fn restore_version(&mut self, version: &Path) {
        let original = self.state.document.path().map(Path::to_path_buf);
        match storage::load_plan(version) {
            Ok((loaded, _)) => {
                let stamp = original.as_deref().and_then(storage::FileStamp::read);
                self.replace_document(Document::recovered(loaded.plan, original, stamp));
                self.state.status = Some(format!(
                    "Restored the version kept as {}. Save to make it the current version (the one on disk is kept too).",
                    version.display()
                ));
            }
            Err(error) => self.show_error("That version could not be opened", error.to_string()),
        }
    }

    /// Starts importing an inventory in the background (unsaved changes already dealt with).
    pub(super) fn import_inventory(&mut self, ctx: &egui::Context, path: &Path) {
        let settings = crate::import::InventorySettings {
            customer: crate::import::customer_from_file_name(path),
            start_month: crate::clock::this_month(),
            price_book: storage::default_price_book()
                .unwrap_or_else(|_| self.state.plan().price_book.clone()),
        };
        let job = ImportJob::start(path, settings, ctx.clone());
        self.state.modal = Some(Modal::Importing {
            path: path.to_path_buf(),
            progress: std::sync::Arc::clone(&job.progress),
        });
        self.import = Some(job);
    }

    pub(super) fn cancel_import(&mut self) {
        if let Some(job) = self.import.take() {
            job.cancel();
            self.state.status = Some(format!(
                "Import of {} cancelled; nothing was changed.",
                job.path.display()
            ));
        }
        if matches!(self.state.modal, Some(Modal::Importing { .. })) {
            self.state.modal = None;
        }
    }

    /// Takes the finished import, if there is one: the imported plan replaces the open one.
    pub(super) fn poll_import(&mut self) {
        let Some(outcome) = self.import.as_ref().and_then(ImportJob::poll) else {
            return;
        };
        let Some(job) = self.import.take() else {
            return;
        };
        if matches!(self.state.modal, Some(Modal::Importing { .. })) {
            self.state.modal = None;
        }
        let outcome = match outcome {
            Ok(outcome) => outcome,
            Err(crate::import::ImportError::Cancelled) => return,
            Err(error) => return self.show_error("Import failed", error.to_string()),
        };
        if outcome.plan.workloads.is_empty() {
            // Nothing to plan with: the open plan stays, as the command line writes nothing.
            return self.show_error(
                "Nothing was imported",
                format!(
                    "{}: {}\n{}",
                    job.path.display(),
                    outcome.summary(),
                    rejected_lines(&outcome).join("\n")
                ),
            );
        }
        let summary = format!("{}: {}", job.path.display(), outcome.summary());
        // What a person must know before relying on the figures: rows left out, letters that
        // may be read wrongly, workloads whose per-user prices count 0 users.
        let mut notes = rejected_lines(&outcome);
        notes.extend(outcome.encoding_caution());
        notes.extend(outcome.warnings.iter().map(ToString::to_string));
        // An imported plan has never been saved: it is unsaved work from the start.
        self.replace_document(Document::recovered(outcome.plan, None, None));
        self.state.suggested_name = format!("{}.ron", job.customer);
        if notes.is_empty() {
            self.state.status = Some(format!(
                "Imported {summary}. Check the guessed categories, then save."
            ));
        } else {
            self.show_error(&format!("Imported {summary}"), notes.join("\n"));
        }
    }

    /// Opens a colleague's copy of the plan in the compare view.
    pub(super) fn compare_with(&mut self, path: &Path) {
        match storage::load_plan(path) {
            Ok((loaded, stamp)) => self.start_comparison(path, loaded.plan, Some(stamp)),
            Err(error) => {
                self.show_error("The plan to compare could not be opened", error.to_string());
            }
        }
    }

    /// Writes the workloads as a CSV that opens in Excel.
    pub(super) fn export_workloads_csv(&mut self, path: &Path) {
        let text = crate::import::workloads_to_csv(self.state.plan());
        match storage::write_atomically(path, text.as_bytes()) {
            Ok(_) => {
                self.state.status = Some(format!("Workloads written to {}.", path.display()));
            }
            Err(error) => self.show_error("The workloads were not exported", error.to_string()),
        }
    }

    /// Updates workloads by id from a CSV (one undoable edit); rejected rows are listed.
    pub(super) fn import_workloads_csv(&mut self, path: &Path) {
        // The inventory's reading: Excel's encodings and separators, the size limit.
        let update = match crate::import::apply_workloads_csv_file(self.state.plan(), path) {
            Ok(update) => update,
            Err(error) => return self.show_error("The CSV was not read", error.to_string()),
        };
        let plan = self.state.plan();
        let mut edits = Vec::new();
        for workload in &update.workloads {
            match plan.workload_index(&workload.id) {
                Some(index) if plan.workloads[index] != *workload => {
                    edits.push(Edit::Workload {
                        index,
                        workload: workload.clone(),
                    });
                }
                Some(_) => {}
                None => edits.push(Edit::InsertWorkload {
                    index: usize::MAX,
                    workload: workload.clone(),
                }),
            }
        }
        let summary = format!(
            "{} workload{} updated, {} added from {}",
            update.updated.len(),
            if update.updated.len() == 1 { "" } else { "s" },
            update.added.len(),
            path.display()
        );
        if !edits.is_empty() {
            self.apply_edit(Edit::Batch(edits));
        }
        let mut rows: Vec<String> = update
            .rejected
            .iter()
            .map(|r| format!("line {}: {}", r.line, r.message))
            .collect();
        if !update.ignored_columns.is_empty() {
            rows.push(format!(
                "columns not recognised, so not used: {}",
                update.ignored_columns.join(", ")
            ));
        }
        if rows.is_empty() {
            self.state.status = Some(format!("{summary} (Ctrl+Z undoes it)."));
        } else {
            self.show_error(
                &format!("{summary}; some of the file was not used"),
                rows.join("\n"),
            );
        }
    }

    /// Saves the plan's price book as its own file.
    pub(super) fn export_price_book(&mut self, path: &Path) {
        match storage::save_price_book(path, &self.state.plan().price_book) {
            Ok(()) => self.state.status = Some(format!("Price book saved to {}.", path.display())),
            Err(error) => self.show_error("The price book was not saved", error.to_string()),
        }
    }

    /// Shows which rates a colleague's price book would change, before using it.
    pub(super) fn offer_price_book(&mut self, path: &Path) {
        match storage::load_price_book(path) {
            Ok(book) => {
                let ours = &self.state.plan().price_book;
                let changes = crate::model::price_book_changes(ours, &book);
                let mut problems: Vec<String> = crate::model::validate_price_book(&book)
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                if book.currency.trim() != ours.currency.trim() {
                    // Known monthly costs in the plan are in its own currency.
                    problems.push(format!(
                        "its currency is {}, this plan's is {}: amounts would no longer compare",
                        book.currency, ours.currency
                    ));
                }
                self.state.modal = Some(Modal::PriceBookChanges {
                    path: path.to_path_buf(),
                    book: Box::new(book),
                    changes,
                    problems,
                });
            }
            Err(error) => self.show_error("The price book could not be opened", error.to_string()),
        }
    }
}

/// The rows an import left out, one line each.
fn rejected_lines(outcome: &crate::import::ImportOutcome) -> Vec<String> {
    outcome
        .rejected
        .iter()
        .map(|r| format!("line {}: {}", r.line, r.message))
        .collect()
}
