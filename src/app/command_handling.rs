//! What every [`Action`] and [`Command`] does: the one place where the app changes, asks a
//! question, shows a dialog or goes to the disk on the user's behalf.

use std::path::{Path, PathBuf};

use egui::ViewportCommand;

use crate::model::{Category, Workload};

use super::{
    Action, Command, DialogKind, DialogOutcome, Edit, KeyholderApp, Modal, RecoveryFile, Selection,
    Tab, ThemeChoice, take_all_edit, take_edit,
};

const READ_ONLY_NOTICE: &str = "This plan is read-only: use Save as… to work on a copy.";

impl KeyholderApp {
    /// Runs one action.
    pub fn handle(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::Command(command) => self.execute(ctx, command),
            Action::Edit(edit) => self.apply_edit(edit),
            Action::OpenPath(path) => {
                if !self.asks_about_unsaved(Action::OpenPath(path.clone())) {
                    self.open_path(&path);
                }
            }
            Action::CompareWith(path) => self.compare_with(&path),
            Action::CloseComparison => self.state.comparison = None,
            Action::Take(take) => {
                let edit = self
                    .state
                    .comparison
                    .as_ref()
                    .and_then(|c| take_edit(self.state.plan(), &c.theirs, &take));
                // A take is its own undo step, never merged with typing just before.
                if let Some(edit) = edit {
                    self.apply_edit(Edit::Batch(vec![edit]));
                }
            }
            Action::TakeAll => {
                let edit = self
                    .state
                    .comparison
                    .as_ref()
                    .and_then(|c| take_all_edit(self.state.plan(), &c.theirs, &c.diff));
                if let Some(edit) = edit {
                    self.apply_edit(edit);
                    self.state.status =
                        Some("Took all their changes (Ctrl+Z undoes it).".to_owned());
                }
            }
            Action::SelectScenario(index) => {
                self.state.active_scenario =
                    index.min(self.state.plan().scenarios.len().saturating_sub(1));
            }
            Action::SelectWorkloads { current, all } => {
                let mut all: Vec<usize> = all.into_iter().chain(current).collect();
                all.sort_unstable();
                all.dedup();
                self.state.selection = Selection { current, all };
            }
            Action::ShowTab(tab) => self.state.tab = tab,
            Action::ChooseOffer { workload, offer } => self.choose_offer(workload, offer),
            Action::CreateScenarioFromPlan { offers, name } => {
                self.create_scenario_from_plan(&offers, &name);
            }
            Action::SetUsers { workloads, users } => self.set_users(&workloads, users),
            Action::SetSaveNote(note) => self.state.next_save_note = note,
            Action::Notice(text) => self.state.status = Some(text),
            Action::CloseModal => self.state.modal = None,
            Action::SaveThen(then) => {
                if self.save(false) && self.state.modal.is_none() {
                    self.handle(ctx, *then);
                }
            }
            Action::DiscardThen(then) => {
                self.discard_agreed = Some(self.state.document_key());
                self.handle(ctx, *then);
            }
            Action::Reload(path) => self.reload_from_disk(&path),
            Action::Overwrite(path) => {
                self.save_to(&path, &crate::storage::Expect::Replace);
            }
            Action::RestoreRecovery(file) => self.restore_recovery(&file),
            Action::DiscardRecovery(file) => {
                let _ = std::fs::remove_file(file);
                self.state.status = Some("Unsaved work discarded.".to_owned());
            }
            Action::RestoreVersion(path) => {
                if !self.asks_about_unsaved(Action::RestoreVersion(path.clone())) {
                    self.restore_version(&path);
                }
            }
            Action::PathChosen(kind, path) => self.path_chosen(ctx, kind, &path),
            Action::SetUserName(name) => self.set_user_name(&name),
            Action::UsePriceBook(book) => {
                self.apply_edit(Edit::PriceBook(book));
                self.state.status = Some("Price book replaced (Ctrl+Z undoes it).".to_owned());
            }
            Action::CancelImport => self.cancel_import(),
            Action::PickSide { key, side } => self.pick_side(key, side),
            Action::PickAllConflicts(side) => self.pick_all_conflicts(side),
            Action::TakePart(part) => self.take_part(&part),
            Action::TakeAllTheirs => self.take_all_theirs(),
            Action::ApplyMerge => self.apply_merge(),
            Action::MergeConflictCopies => self.merge_conflict_copies(),
            Action::MoveCopiesToBackups(copies) => self.move_copies_to_backups(&copies),
            Action::ExportReport(choice) => self.export_report(choice),
            Action::ExportChart(choice, format) => self.export_chart(choice, format),
            Action::CopyChart(choice) => self.copy_chart(ctx, choice),
            Action::OpenPortfolio(folder) => self.open_portfolio(ctx, &folder),
            Action::OpenPortfolioPlan(path) => {
                if !self.asks_about_unsaved(Action::OpenPortfolioPlan(path.clone())) {
                    self.open_portfolio_plan(&path);
                }
            }
            Action::RereadPortfolio => self.reread_portfolio(ctx),
            Action::SetPortfolioAsOf(month) => self.set_portfolio_as_of(ctx, month),
            Action::ClosePortfolio => self.close_portfolio(),
        }
    }

    /// Applies an edit to the plan (refused on a read-only plan), undoably.
    pub(super) fn apply_edit(&mut self, edit: Edit) {
        if self.state.document.read_only.is_some() {
            self.state.status = Some(READ_ONLY_NOTICE.to_owned());
            return;
        }
        let now = self.stopwatch.seconds();
        self.state.document.apply(edit, now);
    }

    /// Runs one command. Dialogs and disk I/O happen here, never inside widget code.
    pub fn execute(&mut self, ctx: &egui::Context, command: Command) {
        let read_only = self.state.document.read_only.is_some();
        match command {
            Command::NewPlan | Command::Open | Command::ImportInventory | Command::Quit => {
                if !self.asks_about_unsaved(Action::Command(command)) {
                    self.proceed(ctx, command);
                }
            }
            Command::Save => {
                self.save(false);
            }
            Command::SaveAs => {
                self.save(true);
            }
            Command::RestoreVersion => self.offer_kept_versions(),
            Command::ExportReport => self.ask_report_export(super::ReportFileFormat::Html),
            Command::ExportReportPdf => self.ask_report_export(super::ReportFileFormat::Pdf),
            Command::ExportChart => self.ask_chart_export(),
            Command::CopyChart => self.copy_chart(ctx, None),
            Command::ExportWorkloadsCsv => {
                let name = format!("{}-workloads.csv", self.stem());
                if let Some(path) = self.ask(DialogKind::ExportWorkloadsCsv, &name) {
                    self.export_workloads_csv(&path);
                }
            }
            Command::ImportWorkloadsCsv
            | Command::ImportPriceBook
            | Command::AddWorkload
            | Command::DuplicateWorkload
            | Command::DeleteWorkload
                if read_only =>
            {
                self.state.status = Some(READ_ONLY_NOTICE.to_owned());
            }
            Command::ImportWorkloadsCsv => {
                if let Some(path) = self.ask(DialogKind::OpenWorkloadsCsv, "") {
                    self.import_workloads_csv(&path);
                }
            }
            Command::ExportPriceBook => {
                let name = format!(
                    "{}.ron",
                    self.state
                        .plan()
                        .price_book
                        .name
                        .replace(['/', '\\', ':'], "-")
                );
                if let Some(path) = self.ask(DialogKind::ExportPriceBook, &name) {
                    self.export_price_book(&path);
                }
            }
            Command::ImportPriceBook => {
                if let Some(path) = self.ask(DialogKind::OpenPriceBook, "") {
                    self.offer_price_book(&path);
                }
            }
            Command::CompareWith => {
                if let Some(path) = self.ask(DialogKind::OpenComparison, "") {
                    self.compare_with(&path);
                }
            }
            Command::Undo => self.state.document.undo(),
            Command::Redo => self.state.document.redo(),
            Command::AddWorkload => self.add_workload(),
            Command::DuplicateWorkload => self.duplicate_workload(),
            Command::DeleteWorkload => self.delete_workload(),
            Command::ToggleTheme => {
                self.state.preferences.theme = if ctx.theme() == egui::Theme::Dark {
                    ThemeChoice::Light
                } else {
                    ThemeChoice::Dark
                };
                self.apply_theme(ctx);
                self.save_preferences();
            }
            Command::OpenPortfolio => {
                if let Some(folder) = self.ask(DialogKind::OpenPortfolio, "") {
                    self.open_portfolio(ctx, &folder);
                }
            }
            Command::ShowShortcuts => self.state.modal = Some(Modal::Shortcuts),
            Command::ShowAbout => self.state.modal = Some(Modal::About),
            Command::ShowPreferences => {
                self.state.modal = Some(Modal::Preferences {
                    user_name: self.state.preferences.user_name.clone(),
                });
            }
        }
    }

    /// With unsaved changes the user has not agreed to drop, asks Save / Don't save / Cancel
    /// before `then` and returns true; otherwise returns false and the caller goes on.
    pub(super) fn asks_about_unsaved(&mut self, then: Action) -> bool {
        let agreed = self.discard_agreed == Some(self.state.document_key());
        let ask = self.state.document.is_dirty() && !agreed;
        if ask {
            self.state.modal = Some(Modal::UnsavedChanges {
                then: Box::new(then),
            });
        }
        ask
    }

    /// Carries out a command that leaves the open plan, once unsaved changes are dealt with.
    fn proceed(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::Quit => {
                self.forget_recovery();
                self.state.close_confirmed = true;
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }
            Command::NewPlan => self.new_plan(),
            Command::Open => {
                if let Some(path) = self.ask(DialogKind::OpenPlan, "") {
                    self.open_path(&path);
                }
            }
            Command::ImportInventory => {
                if let Some(path) = self.ask(DialogKind::OpenInventory, "") {
                    self.import_inventory(ctx, &path);
                }
            }
            _ => {}
        }
    }

    /// Asks for a file through the dialogs; when none can be shown, the in-app path field
    /// takes over (and the action continues from there, see [`Self::path_chosen`]).
    pub(super) fn ask(&mut self, kind: DialogKind, file_name: &str) -> Option<PathBuf> {
        let folder = self
            .state
            .preferences
            .last_folder
            .clone()
            .unwrap_or_else(|| self.state.paths.documents_dir.clone());
        match self.dialogs.ask(kind, Some(&folder), file_name) {
            DialogOutcome::Chosen(path) => Some(path),
            DialogOutcome::Cancelled => None,
            DialogOutcome::Unavailable => {
                let text = folder.join(file_name).to_string_lossy().into_owned();
                self.state.modal = Some(Modal::PathPrompt {
                    kind,
                    text,
                    error: None,
                });
                None
            }
        }
    }

    /// What the user typed into the path prompt.
    fn path_chosen(&mut self, ctx: &egui::Context, kind: DialogKind, path: &Path) {
        let folder = kind == DialogKind::OpenPortfolio;
        if !kind.saves()
            && !(if folder {
                path.is_dir()
            } else {
                path.is_file()
            })
        {
            self.state.modal = Some(Modal::PathPrompt {
                kind,
                error: Some(format!(
                    "{} is not a {}.",
                    path.display(),
                    if folder { "folder" } else { "file" }
                )),
                text: path.to_string_lossy().into_owned(),
            });
            return;
        }
        match kind {
            DialogKind::OpenPlan => self.open_path(path),
            DialogKind::SavePlan => {
                self.save_to(path, &crate::storage::Expect::Replace);
            }
            DialogKind::OpenInventory => self.import_inventory(ctx, path),
            DialogKind::ExportReport => self.write_report(path),
            DialogKind::OpenComparison => self.compare_with(path),
            DialogKind::ExportWorkloadsCsv => self.export_workloads_csv(path),
            DialogKind::OpenWorkloadsCsv => self.import_workloads_csv(path),
            DialogKind::ExportPriceBook => self.export_price_book(path),
            DialogKind::OpenPriceBook => self.offer_price_book(path),
            DialogKind::ExportChart => self.write_chart(path),
            DialogKind::OpenPortfolio => self.open_portfolio(ctx, path),
        }
    }

    /// Sets the name written into plan history (the OS user when left empty).
    fn set_user_name(&mut self, name: &str) {
        self.state.preferences.user_name = if name.trim().is_empty() {
            super::default_user_name()
        } else {
            name.trim().to_owned()
        };
        self.save_preferences();
        self.state.status = Some(format!(
            "Plans you save record \"{}\" in their history.",
            self.state.preferences.user_name
        ));
    }

    /// The open plan's file name without `.ron`, for the names of exported files.
    pub(super) fn stem(&self) -> String {
        self.state
            .suggested_name
            .trim_end_matches(".ron")
            .to_owned()
    }

    /// Whether the plan may hold one more workload; says why not when it may not.
    fn room_for_a_workload(&mut self) -> bool {
        match crate::model::bounds::workload_count(self.state.plan().workloads.len() + 1) {
            Ok(()) => true,
            Err(why) => {
                self.state.status = Some(format!("Refused: the workloads {why}."));
                false
            }
        }
    }

    fn add_workload(&mut self) {
        if !self.room_for_a_workload() {
            return;
        }
        let plan = self.state.plan();
        let id = plan.unused_workload_id("new-workload");
        let workload = Workload::new(&id, "New workload", Category::Other);
        let index = plan.workloads.len();
        self.apply_edit(Edit::InsertWorkload { index, workload });
        self.select_and_show(index);
        self.state.tab = Tab::Workloads;
    }

    fn duplicate_workload(&mut self) {
        let Some(index) = self.selected_workload() else {
            return;
        };
        if !self.room_for_a_workload() {
            return;
        }
        let plan = self.state.plan();
        let mut copy = plan.workloads[index].clone();
        copy.id = plan.unused_workload_id(&copy.id);
        copy.name = format!("{} (copy)", copy.name);
        self.apply_edit(Edit::InsertWorkload {
            index: index + 1,
            workload: copy,
        });
        self.select_and_show(index + 1);
    }

    fn delete_workload(&mut self) {
        let Some(index) = self.selected_workload() else {
            return;
        };
        self.apply_edit(Edit::RemoveWorkload { index });
        let remaining = self.state.plan().workloads.len();
        self.state.selection = if remaining > 0 {
            Selection::one(index.min(remaining - 1))
        } else {
            Selection::default()
        };
    }

    /// The workload the editor shows, if it still exists.
    fn selected_workload(&self) -> Option<usize> {
        self.state
            .selection
            .current
            .filter(|&i| i < self.state.plan().workloads.len())
    }

    fn select_and_show(&mut self, index: usize) {
        self.state.selection = Selection::one(index);
        self.views.workloads.scroll_to_selected = true;
    }

    /// Sets `offer` for a workload in the active scenario (undoably), keeping its move month.
    fn choose_offer(&mut self, workload: usize, offer: crate::model::Offer) {
        let plan = self.state.plan();
        let (Some(scenario), Some(w)) = (
            plan.scenarios.get(self.state.active_scenario),
            plan.workloads.get(workload),
        ) else {
            return;
        };
        let move_month = scenario.choices.get(&w.id).map_or(0, |c| c.move_month);
        let choice = self
            .state
            .derived
            .evaluation
            .choice_for(workload, offer, move_month);
        let status = format!(
            "{}: {} in \"{}\".",
            w.name,
            plan.price_book.offer_label(&offer),
            scenario.name
        );
        let edit = Edit::Choice {
            scenario: self.state.active_scenario,
            workload_id: w.id.clone(),
            choice,
        };
        self.apply_edit(edit);
        self.state.status = Some(status);
    }

    /// Adds an optimizer's plan as a scenario (all moves in month 0) and makes it active.
    fn create_scenario_from_plan(&mut self, offers: &[crate::model::Offer], name: &str) {
        let plan = self.state.plan();
        // A plan has far fewer scenarios than this; the range only bounds the search.
        let unique = (1..=100_000)
            .map(|n| {
                if n == 1 {
                    name.to_owned()
                } else {
                    format!("{name} ({n})")
                }
            })
            .find(|candidate| plan.scenarios.iter().all(|s| s.name.trim() != candidate))
            .unwrap_or_else(|| name.to_owned());
        let scenario = self
            .state
            .derived
            .evaluation
            .scenario_from_offers(plan, &unique, offers);
        let index = plan.scenarios.len();
        self.apply_edit(Edit::InsertScenario { index, scenario });
        self.state.active_scenario = index;
        self.state.status = Some(format!(
            "Scenario \"{unique}\" created from the chart's plan; edit its moves in the Workloads or Roadmap view."
        ));
    }

    /// Sets the users of many workloads as one undoable step.
    fn set_users(&mut self, workloads: &[usize], users: u32) {
        let plan = self.state.plan();
        let edits: Vec<Edit> = workloads
            .iter()
            .filter_map(|&index| {
                let workload = plan.workloads.get(index)?;
                (workload.users != users).then(|| Edit::Workload {
                    index,
                    workload: Workload {
                        users,
                        ..workload.clone()
                    },
                })
            })
            .collect();
        let count = edits.len();
        if count > 0 {
            self.apply_edit(Edit::Batch(edits));
        }
        self.state.status = Some(format!(
            "Users set to {users} on {count} workload{} (Ctrl+Z undoes it).",
            if count == 1 { "" } else { "s" }
        ));
    }

    /// Restores a recovery file offered at start.
    fn restore_recovery(&mut self, file: &std::path::Path) {
        let Some(recovery) = super::find_recoveries(&self.state.paths.recovery_dir())
            .into_iter()
            .find(|(path, _)| path == file)
            .map(|(_, recovery)| recovery)
        else {
            self.show_error(
                "The unsaved work could not be restored",
                format!("{} is no longer readable.", file.display()),
            );
            return;
        };
        // The file as it was when the plan was read, so a colleague's save since then is
        // caught before the restored plan overwrites it.
        let stamp = recovery
            .original_stamp
            .map(|(len, hash)| crate::storage::FileStamp {
                len,
                modified: None,
                hash,
            });
        let original = recovery.original_path.clone();
        self.replace_document(super::Document::recovered(
            recovery.plan,
            original.clone(),
            stamp,
        ));
        // This session now owns the recovery file: it goes once the plan is saved or dropped.
        // (A recovery of an unsaved plan keeps its own name until then.)
        if original.is_none()
            || file == super::recovery_file(&self.state.paths.recovery_dir(), original.as_deref())
        {
            self.recovery = RecoveryFile::Restored;
        }
        self.state.status = Some("Unsaved work restored. Save it to keep it.".to_owned());
    }
}
