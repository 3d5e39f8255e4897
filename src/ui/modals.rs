//! The app's modal questions. Each answer becomes an action on the app after the modal closes.

use std::path::PathBuf;

use egui::{Context, Id, RichText, TextEdit};

use super::{AfterPrompt, KeyholderApp};
use crate::app::{Command, DialogKind, Recovery};

#[derive(Debug, Clone)]
pub enum Modal {
    /// Save / Don't save / Cancel before `after`.
    UnsavedChanges {
        after: AfterPrompt,
    },
    /// The file changed on disk since it was read.
    Conflict {
        path: PathBuf,
    },
    /// Unsaved work from a session that ended without saving.
    Recovery {
        file: PathBuf,
        recovery: Box<Recovery>,
    },
    /// No native dialog could be shown: type a path.
    PathPrompt {
        kind: DialogKind,
        text: String,
        error: Option<String>,
    },
    Error {
        title: String,
        message: String,
    },
    Shortcuts,
    About,
    /// A colleague's price book, with the rates that would change.
    PriceBookChanges {
        path: PathBuf,
        book: Box<crate::model::PriceBook>,
        changes: Vec<crate::model::FieldChange>,
        /// Why it may not be used (invalid values, another currency).
        problems: Vec<String>,
    },
    /// The user's name for plan history (edited in place, saved on Close).
    Preferences {
        user_name: String,
    },
}

/// What the user answered this frame.
enum Answer {
    Save(AfterPrompt),
    DontSave(AfterPrompt),
    Reload(PathBuf),
    SaveCopy,
    Overwrite(PathBuf),
    Restore(PathBuf, Box<Recovery>),
    Discard(PathBuf),
    Path(DialogKind, PathBuf),
    UserName(String),
    UsePriceBook(Box<crate::model::PriceBook>),
    Close,
}

pub fn modal_ui(ctx: &Context, app: &mut KeyholderApp) {
    let Some(modal) = app.modal.as_mut() else {
        return;
    };
    let mut answer = None;
    let response = egui::Modal::new(Id::unique("keyholder_modal")).show(ctx, |ui| {
        ui.set_max_width(520.0);
        match modal {
            Modal::UnsavedChanges { after } => {
                ui.heading("Save changes?");
                ui.label(format!(
                    "The plan \"{}\" has unsaved changes. Save them before you {}?",
                    app.document.title(),
                    match after {
                        AfterPrompt::Quit => "close Keyholder",
                        AfterPrompt::NewPlan => "start a new plan",
                        AfterPrompt::Open | AfterPrompt::OpenPath(_) => "open another plan",
                        AfterPrompt::ImportInventory => "import an inventory",
                    }
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        answer = Some(Answer::Save(after.clone()));
                    }
                    if ui.button("Don't save").clicked() {
                        answer = Some(Answer::DontSave(after.clone()));
                    }
                    if ui.button("Cancel").clicked() {
                        answer = Some(Answer::Close);
                    }
                });
            }
            Modal::Conflict { path } => {
                ui.heading("The file was changed by someone else");
                ui.label(format!(
                    "{} changed on disk since you opened it (a colleague or a sync client saved over it). Nothing has been overwritten.",
                    path.display()
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Reload").on_hover_text("Open their version; yours is kept in the backups folder").clicked() {
                        answer = Some(Answer::Reload(path.clone()));
                    }
                    if ui.button("Save as copy…").clicked() {
                        answer = Some(Answer::SaveCopy);
                    }
                    if ui.button("Overwrite").on_hover_text("Replace their version with yours; theirs is kept in the backups folder").clicked() {
                        answer = Some(Answer::Overwrite(path.clone()));
                    }
                    if ui.button("Cancel").clicked() {
                        answer = Some(Answer::Close);
                    }
                });
            }
            Modal::Recovery { file, recovery } => {
                ui.heading("Restore unsaved work?");
                let what = recovery.original_path.as_ref().map_or_else(
                    || "a plan that was never saved".to_owned(),
                    |p| p.display().to_string(),
                );
                ui.label(format!(
                    "Keyholder closed with unsaved changes to {what} (\"{}\", last written {}).",
                    recovery.plan.customer.name, recovery.written_at
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Restore").clicked() {
                        answer = Some(Answer::Restore(file.clone(), recovery.clone()));
                    }
                    if ui.button("Discard").on_hover_text("Delete the unsaved changes").clicked() {
                        answer = Some(Answer::Discard(file.clone()));
                    }
                });
            }
            Modal::PathPrompt { kind, text, error } => {
                ui.heading(kind.title());
                ui.label("No file dialog is available on this system. Type the file's full path:");
                let label = ui.label("Path");
                let response = ui.add(TextEdit::singleline(text).desired_width(480.0)).labelled_by(label.id);
                let path = PathBuf::from(text.trim());
                if kind.saves() && path.is_file() {
                    ui.label(RichText::new("A file with this name exists and will be replaced (its current version is kept in the backups folder).").color(ui.visuals().warn_fg_color));
                }
                if let Some(error) = error {
                    ui.label(RichText::new(error.as_str()).color(ui.visuals().error_fg_color));
                }
                let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.horizontal(|ui| {
                    if ui.button("OK").clicked() || enter {
                        if text.trim().is_empty() {
                            *error = Some("Type a path first.".to_owned());
                        } else if !kind.saves() && !path.is_file() {
                            *error = Some(format!("{} is not a file.", path.display()));
                        } else {
                            answer = Some(Answer::Path(*kind, path));
                        }
                    }
                    if ui.button("Cancel").clicked() {
                        answer = Some(Answer::Close);
                    }
                });
            }
            Modal::Error { title, message } => {
                ui.heading(title.as_str());
                egui::ScrollArea::vertical().max_height(300.0).show(ui, |ui| {
                    ui.label(message.as_str());
                });
                if ui.button("OK").clicked() {
                    answer = Some(Answer::Close);
                }
            }
            Modal::Shortcuts => {
                ui.heading("Keyboard shortcuts");
                egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                    for command in Command::ALL {
                        let keys: Vec<String> = command
                            .shortcut()
                            .into_iter()
                            .chain(command.alternative_shortcut())
                            .map(|s| ui.ctx().format_shortcut(&s))
                            .collect();
                        if keys.is_empty() {
                            continue;
                        }
                        ui.label(command.label());
                        ui.label(keys.join("  or  "));
                        ui.end_row();
                    }
                    ui.label("Next / previous field");
                    ui.label("Tab / Shift+Tab");
                    ui.end_row();
                });
                if ui.button("Close").clicked() {
                    answer = Some(Answer::Close);
                }
            }
            Modal::Preferences { user_name } => {
                ui.heading("Preferences");
                egui::Grid::new("preferences").num_columns(2).show(ui, |ui| {
                    let label = ui.label("Your name");
                    ui.add(TextEdit::singleline(user_name).desired_width(260.0))
                        .labelled_by(label.id)
                        .on_hover_text("Written into a plan's history when you save it");
                    ui.end_row();
                });
                ui.label(RichText::new(format!("Stored in {}", app.paths.preferences_file().display())).weak().small());
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        answer = Some(Answer::UserName(user_name.trim().to_owned()));
                    }
                    if ui.button("Cancel").clicked() {
                        answer = Some(Answer::Close);
                    }
                });
            }
            Modal::PriceBookChanges { path, book, changes, problems } => {
                ui.heading("Use this price book?");
                ui.label(format!("\"{}\" ({}, as of {}) from {}", book.name, book.currency, book.as_of, path.display()));
                if changes.is_empty() {
                    ui.label("It has the same rates as this plan's price book.");
                } else {
                    ui.label(format!("{} value{} would change:", changes.len(), if changes.len() == 1 { "" } else { "s" }));
                    egui::ScrollArea::vertical().max_height(300.0).show(ui, |ui| {
                        for change in changes.iter() {
                            ui.label(RichText::new(change.to_string()).monospace().small());
                        }
                    });
                }
                for problem in problems.iter() {
                    ui.label(RichText::new(format!("Not usable: {problem}")).color(ui.visuals().error_fg_color));
                }
                ui.horizontal(|ui| {
                    if ui.add_enabled(problems.is_empty(), egui::Button::new("Use this price book")).clicked() {
                        answer = Some(Answer::UsePriceBook(book.clone()));
                    }
                    if ui.button("Cancel").clicked() {
                        answer = Some(Answer::Close);
                    }
                });
            }
            Modal::About => {
                ui.heading(format!("Keyholder {}", env!("CARGO_PKG_VERSION")));
                ui.label("Account plans for MSPs and VARs: what moving a customer's workloads to Microsoft's cloud saves, and how much control over the environment and the customer it costs.");
                ui.add_space(6.0);
                let book = &app.document.plan().price_book;
                ui.label(RichText::new(format!("Price book: {} ({}, as of {})", book.name, book.currency, book.as_of)).strong());
                egui::ScrollArea::vertical().max_height(260.0).show(ui, |ui| {
                    ui.label(format!("MSP rates: {}", book.labor_source));
                    for (_, terms) in book.destinations.iter() {
                        for line in terms.recurring.iter().chain(&terms.msp_fees).chain(&terms.msp_costs) {
                            ui.label(format!("{}, {}: {}", terms.label, line.label, line.source));
                        }
                        if !terms.terms_source.is_empty() {
                            ui.label(format!("{} terms: {}", terms.label, terms.terms_source));
                        }
                    }
                });
                if ui.button("Close").clicked() {
                    answer = Some(Answer::Close);
                }
            }
        }
    });
    let dismissable = matches!(
        modal,
        Modal::Error { .. }
            | Modal::Shortcuts
            | Modal::About
            | Modal::Preferences { .. }
            | Modal::PriceBookChanges { .. }
            | Modal::PathPrompt { .. }
            | Modal::UnsavedChanges { .. }
            | Modal::Conflict { .. }
    );
    if answer.is_none() && dismissable && response.should_close() {
        answer = Some(Answer::Close);
    }
    let Some(answer) = answer else { return };
    app.modal = None;
    match answer {
        Answer::Close => {}
        Answer::Save(after) => {
            if app.save(false) && app.modal.is_none() {
                app.continue_with(after, ctx);
            }
        }
        Answer::DontSave(after) => app.continue_with(after, ctx),
        Answer::Reload(path) => app.reload_from_disk(&path),
        Answer::SaveCopy => {
            app.save(true);
        }
        Answer::Overwrite(path) => {
            app.save_to(&path, true);
        }
        Answer::Restore(file, recovery) => app.restore(&file, *recovery),
        Answer::Discard(file) => {
            let _ = std::fs::remove_file(file);
            app.status = Some("Unsaved work discarded.".to_owned());
        }
        Answer::Path(kind, path) => app.path_chosen(kind, path),
        Answer::UserName(name) => app.set_user_name(name),
        Answer::UsePriceBook(book) => {
            app.edit(crate::app::Edit::PriceBook(book));
            app.status = Some("Price book replaced (Ctrl+Z undoes it).".to_owned());
        }
    }
}
