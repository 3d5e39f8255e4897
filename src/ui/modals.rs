//! The app's questions, drawn from [`Modal`]. Each answer is pushed as an [`Action`] (which
//! closes the question); what the user types into a question lives in egui's memory until
//! it is answered.

use std::path::PathBuf;

use egui::{Context, Id, RichText, TextEdit, Ui};

use crate::app::{
    Action, Actions, AppState, ChartExport, ChartFileFormat, Command, DialogKind, Modal,
    ReportExport, ReportFileFormat,
};
use crate::model::{FieldChange, PriceBook};
use crate::report::{Audience, ChartKind, ChartSize, Paper};
use crate::storage::backups::{KeptVersion, VersionKind};

pub fn modal_ui(ctx: &Context, state: &AppState, actions: &mut Actions) {
    let Some(modal) = &state.modal else {
        return;
    };
    let mut answered = false;
    let response = egui::Modal::new(Id::unique("keyholder_modal")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        let mut answer = |action: Action| {
            answered = true;
            actions.answer(action);
        };
        match modal {
            Modal::UnsavedChanges { then } => unsaved_ui(ui, state, then, &mut answer),
            Modal::Conflict { path } => conflict_ui(ui, path, &mut answer),
            Modal::Recovery { file, recovery } => {
                ui.heading("Restore unsaved work?");
                let what = recovery.original_path.as_ref().map_or_else(
                    || "a plan that was never saved".to_owned(),
                    |p| p.display().to_string(),
                );
                ui.label(format!(
                    "Keyholder closed with unsaved changes to {what} (\"{}\", last written {}).",
                    recovery.plan.customer.name,
                    crate::clock::rfc3339_as_local(&recovery.written_at)
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Restore").clicked() {
                        answer(Action::RestoreRecovery(file.clone()));
                    }
                    if ui
                        .button("Discard")
                        .on_hover_text("Delete the unsaved changes")
                        .clicked()
                    {
                        answer(Action::DiscardRecovery(file.clone()));
                    }
                });
            }
            Modal::PathPrompt { kind, text, error } => {
                path_prompt_ui(ui, *kind, text, error.as_deref(), &mut answer);
            }
            Modal::Error { title, message } => {
                ui.heading(title.as_str());
                egui::ScrollArea::vertical()
                    .max_height(300.0)
                    .show(ui, |ui| {
                        ui.label(message.as_str());
                    });
                if ui.button("OK").clicked() {
                    answer(Action::CloseModal);
                }
            }
            Modal::Shortcuts => shortcuts_ui(ui, &mut answer),
            Modal::Preferences { user_name } => {
                preferences_ui(ui, state, user_name, &mut answer);
            }
            Modal::PriceBookChanges {
                path,
                book,
                changes,
                problems,
            } => price_book_ui(ui, path, book, changes, problems, &mut answer),
            Modal::About => about_ui(ui, state, &mut answer),
            Modal::Versions { original, versions } => {
                versions_ui(ui, original, versions, &mut answer);
            }
            Modal::MergedCopies { copies, summary } => {
                super::compare::merged_copies_ui(ui, copies, summary, &mut answer);
            }
            Modal::ExportReport { initial, opened } => {
                export_report_ui(ui, *initial, *opened, &mut answer);
            }
            Modal::ExportChart { initial, opened } => {
                export_chart_ui(ui, initial, *opened, &mut answer);
            }
            Modal::Importing { path, progress } => {
                ui.heading("Importing the inventory");
                ui.label(path.display().to_string());
                ui.add(egui::ProgressBar::new(progress.fraction()).show_percentage());
                if ui.button("Cancel").clicked() {
                    answer(Action::CancelImport);
                }
                // The bar moves while the thread works.
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100));
            }
        }
    });
    if !answered && modal.dismissable() && response.should_close() {
        actions.answer(Action::CloseModal);
    }
}

/// Save / Don't save / Cancel, before `then`.
fn unsaved_ui(ui: &mut Ui, state: &AppState, then: &Action, answer: &mut impl FnMut(Action)) {
    ui.heading("Save changes?");
    let what = match then {
        Action::Command(Command::Quit) => "close Keyholder",
        Action::Command(Command::NewPlan) => "start a new plan",
        Action::Command(Command::ImportInventory) => "import an inventory",
        Action::RestoreVersion(_) => "restore an earlier version",
        _ => "open another plan",
    };
    ui.label(format!(
        "The plan \"{}\" has unsaved changes. Save them before you {what}?",
        state.document.title()
    ));
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if ui.button("Save").clicked() {
            answer(Action::SaveThen(Box::new(then.clone())));
        }
        if ui.button("Don't save").clicked() {
            answer(Action::DiscardThen(Box::new(then.clone())));
        }
        if ui.button("Cancel").clicked() {
            answer(Action::CloseModal);
        }
    });
}

fn conflict_ui(ui: &mut Ui, path: &std::path::Path, answer: &mut impl FnMut(Action)) {
    ui.heading("The file was changed by someone else");
    ui.label(format!(
        "{} changed on disk since you opened it (a colleague or a sync client saved over it, or it was moved away). Nothing has been overwritten.",
        path.display()
    ));
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if ui
            .button("Compare with their version")
            .on_hover_text("See what their version changed, and take what you want of it")
            .clicked()
        {
            answer(Action::CompareWith(path.to_path_buf()));
        }
        if ui
            .button("Reload")
            .on_hover_text("Open their version; yours is kept as a plan file of its own (the status bar says where)")
            .clicked()
        {
            answer(Action::Reload(path.to_path_buf()));
        }
        if ui.button("Save as copy…").clicked() {
            answer(Action::Command(Command::SaveAs));
        }
        if ui
            .button("Overwrite")
            .on_hover_text("Replace their version with yours; theirs is kept in the backups folder")
            .clicked()
        {
            answer(Action::Overwrite(path.to_path_buf()));
        }
        if ui.button("Cancel").clicked() {
            answer(Action::CloseModal);
        }
    });
}

/// Text the user is typing into a question, kept in egui's memory under `id`.
fn draft(ui: &Ui, id: Id, initial: &str) -> String {
    ui.data(|d| d.get_temp::<String>(id))
        .unwrap_or_else(|| initial.to_owned())
}

/// Who the report is for, its format and its paper; Save asks where.
fn export_report_ui(
    ui: &mut Ui,
    initial: ReportExport,
    opened: u64,
    answer: &mut impl FnMut(Action),
) {
    ui.heading("Export report");
    let id = Id::unique(("export_report", opened));
    let mut choice = ui
        .data(|d| d.get_temp::<ReportExport>(id))
        .unwrap_or(initial);
    ui.label(RichText::new("Who is it for?").strong());
    for audience in Audience::ALL {
        ui.radio_value(&mut choice.audience, audience, audience.label())
            .on_hover_text(audience.description());
        ui.label(RichText::new(audience.description()).weak().small());
    }
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.label(RichText::new("Format").strong());
        for format in ReportFileFormat::ALL {
            ui.selectable_value(&mut choice.format, format, format.label());
        }
    });
    if choice.format == ReportFileFormat::Pdf {
        ui.horizontal(|ui| {
            ui.label(RichText::new("Paper").strong());
            for paper in Paper::ALL {
                ui.selectable_value(&mut choice.paper, paper, paper.label());
            }
        });
    }
    if choice.audience == Audience::Internal {
        ui.label(
            RichText::new("Internal reports show your margin and partner terms: do not send one to the customer.")
                .color(ui.visuals().warn_fg_color),
        );
    }
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if ui.button("Save…").clicked() {
            answer(Action::ExportReport(choice));
        }
        if ui.button("Cancel").clicked() {
            answer(Action::CloseModal);
        }
    });
    ui.data_mut(|d| d.insert_temp(id, choice));
}

/// Which chart and its size; Save PNG…, Save SVG… or Copy.
fn export_chart_ui(
    ui: &mut Ui,
    initial: &ChartExport,
    opened: u64,
    answer: &mut impl FnMut(Action),
) {
    ui.heading("Export chart");
    let id = Id::unique(("export_chart", opened));
    let mut kind = ui
        .data(|d| d.get_temp::<ChartKind>(id.with("kind")))
        .unwrap_or(initial.kind);
    let mut width = draft(ui, id.with("width"), &initial.size.width_px.to_string());
    let mut height = draft(ui, id.with("height"), &initial.size.height_px.to_string());
    ui.horizontal(|ui| {
        ui.label(RichText::new("Chart").strong());
        for choice in ChartKind::ALL {
            ui.selectable_value(&mut kind, choice, choice.label());
        }
    });
    ui.horizontal(|ui| {
        ui.label(RichText::new("Size").strong());
        ui.add(TextEdit::singleline(&mut width).desired_width(60.0))
            .accessible_name("Chart width in pixels");
        ui.label("×");
        ui.add(TextEdit::singleline(&mut height).desired_width(60.0))
            .accessible_name("Chart height in pixels");
        ui.label("pixels");
        for (name, w, h) in [
            ("Slide", 1920, 1080),
            ("HD", 1280, 720),
            ("4:3", 1600, 1200),
        ] {
            if ui
                .small_button(name)
                .on_hover_text(format!("{w} × {h} pixels"))
                .clicked()
            {
                width = w.to_string();
                height = h.to_string();
            }
        }
    });
    let size = match (width.trim().parse::<u32>(), height.trim().parse::<u32>()) {
        (Ok(w), Ok(h)) => ChartSize::new(w, h),
        _ => Err("Type the width and height as whole numbers of pixels.".to_owned()),
    };
    ui.label(
        RichText::new("A light background, the title, the customer and the price book's date, the legend inside.")
            .weak()
            .small(),
    );
    ui.add_space(8.0);
    match size {
        Ok(size) => {
            let choice = ChartExport { kind, size };
            ui.horizontal(|ui| {
                if ui.button("Save PNG…").clicked() {
                    answer(Action::ExportChart(choice, ChartFileFormat::Png));
                }
                if ui.button("Save SVG…").clicked() {
                    answer(Action::ExportChart(choice, ChartFileFormat::Svg));
                }
                if ui.button("Copy chart").clicked() {
                    answer(Action::CopyChart(Some(choice)));
                }
                if ui.button("Cancel").clicked() {
                    answer(Action::CloseModal);
                }
            });
        }
        Err(problem) => {
            ui.label(RichText::new(problem).color(ui.visuals().error_fg_color));
            if ui.button("Cancel").clicked() {
                answer(Action::CloseModal);
            }
        }
    }
    ui.data_mut(|d| {
        d.insert_temp(id.with("kind"), kind);
        d.insert_temp(id.with("width"), width);
        d.insert_temp(id.with("height"), height);
    });
}

fn path_prompt_ui(
    ui: &mut Ui,
    kind: DialogKind,
    suggestion: &str,
    error: Option<&str>,
    answer: &mut impl FnMut(Action),
) {
    ui.heading(kind.title());
    ui.label("No file dialog is available on this system. Type the file's full path:");
    let id = Id::unique(("path_prompt", kind.title(), suggestion));
    let mut text = draft(ui, id, suggestion);
    let label = ui.label("Path");
    let response = ui
        .add(TextEdit::singleline(&mut text).desired_width(480.0))
        .labelled_by(label.id);
    let path = PathBuf::from(text.trim());
    if kind.saves() && path.is_file() {
        ui.label(RichText::new("A file with this name exists and will be replaced (its current version is kept in the backups folder).").color(ui.visuals().warn_fg_color));
    }
    let mut problem = error.map(str::to_owned);
    let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    ui.horizontal(|ui| {
        if ui.button("OK").clicked() || enter {
            if text.trim().is_empty() {
                problem = Some("Type a path first.".to_owned());
            } else {
                answer(Action::PathChosen(kind, path.clone()));
            }
        }
        if ui.button("Cancel").clicked() {
            answer(Action::CloseModal);
        }
    });
    if let Some(problem) = problem {
        ui.label(RichText::new(problem).color(ui.visuals().error_fg_color));
    }
    ui.data_mut(|d| d.insert_temp(id, text));
}

fn shortcuts_ui(ui: &mut Ui, answer: &mut impl FnMut(Action)) {
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
        answer(Action::CloseModal);
    }
}

fn preferences_ui(ui: &mut Ui, state: &AppState, user_name: &str, answer: &mut impl FnMut(Action)) {
    ui.heading("Preferences");
    let id = Id::unique(("preferences_user_name", user_name));
    let mut name = draft(ui, id, user_name);
    egui::Grid::new("preferences")
        .num_columns(2)
        .show(ui, |ui| {
            let label = ui.label("Your name");
            ui.add(TextEdit::singleline(&mut name).desired_width(260.0))
                .labelled_by(label.id)
                .on_hover_text("Written into a plan's history when you save it");
            ui.end_row();
        });
    ui.label(
        RichText::new(format!(
            "Stored in {}",
            state.paths.preferences_file().display()
        ))
        .weak()
        .small(),
    );
    ui.horizontal(|ui| {
        if ui.button("Save").clicked() {
            answer(Action::SetUserName(name.trim().to_owned()));
        }
        if ui.button("Cancel").clicked() {
            answer(Action::CloseModal);
        }
    });
    ui.data_mut(|d| d.insert_temp(id, name));
}

fn price_book_ui(
    ui: &mut Ui,
    path: &std::path::Path,
    book: &PriceBook,
    changes: &[FieldChange],
    problems: &[String],
    answer: &mut impl FnMut(Action),
) {
    ui.heading("Use this price book?");
    ui.label(format!(
        "\"{}\" ({}, as of {}) from {}",
        book.name,
        book.currency,
        book.as_of,
        path.display()
    ));
    if changes.is_empty() {
        ui.label("It has the same rates as this plan's price book.");
    } else {
        ui.label(format!(
            "{} value{} would change:",
            changes.len(),
            if changes.len() == 1 { "" } else { "s" }
        ));
        egui::ScrollArea::vertical()
            .max_height(300.0)
            .show(ui, |ui| {
                for change in changes {
                    ui.label(RichText::new(change.to_string()).monospace().small());
                }
            });
    }
    for problem in problems {
        ui.label(
            RichText::new(format!("Not usable: {problem}")).color(ui.visuals().error_fg_color),
        );
    }
    ui.horizontal(|ui| {
        if ui
            .add_enabled(
                problems.is_empty(),
                egui::Button::new("Use this price book"),
            )
            .clicked()
        {
            answer(Action::UsePriceBook(Box::new(book.clone())));
        }
        if ui.button("Cancel").clicked() {
            answer(Action::CloseModal);
        }
    });
}

/// The app's icon as a texture, decoded once and kept in egui's memory.
fn icon_texture(ctx: &Context) -> Option<egui::TextureHandle> {
    let id = Id::unique("keyholder_icon_texture");
    if let Some(texture) = ctx.data(|d| d.get_temp::<egui::TextureHandle>(id)) {
        return Some(texture);
    }
    let icon = crate::identity::decode_icon(crate::identity::ICON_PNG_64).ok()?;
    let size = [
        usize::try_from(icon.width).ok()?,
        usize::try_from(icon.height).ok()?,
    ];
    let image = egui::ColorImage::from_rgba_unmultiplied(size, &icon.rgba);
    let texture = ctx.load_texture("keyholder-icon", image, egui::TextureOptions::LINEAR);
    ctx.data_mut(|d| d.insert_temp(id, texture.clone()));
    Some(texture)
}

fn about_ui(ui: &mut Ui, state: &AppState, answer: &mut impl FnMut(Action)) {
    ui.horizontal(|ui| {
        if let Some(texture) = icon_texture(ui.ctx()) {
            ui.add(egui::Image::new(&texture).fit_to_exact_size(egui::vec2(64.0, 64.0)));
        }
        ui.vertical(|ui| {
            ui.heading(crate::identity::NAME);
            ui.label(format!("Version {}", crate::identity::VERSION_AND_COMMIT));
        });
    });
    ui.label("Account plans for MSPs and VARs: what moving a customer's workloads to Microsoft's cloud saves, and how much control over the environment and the customer it costs.");
    if let Ok(books) = crate::identity::price_books() {
        ui.label(RichText::new("Price books that ship with it:").strong());
        for book in books {
            ui.label(format!("{}, as of {}", book.name, book.as_of));
        }
    }
    ui.add_space(6.0);
    let book = &state.plan().price_book;
    ui.label(
        RichText::new(format!(
            "Price book: {} ({}, as of {})",
            book.name, book.currency, book.as_of
        ))
        .strong(),
    );
    egui::ScrollArea::vertical()
        .max_height(260.0)
        .show(ui, |ui| {
            ui.label(format!("MSP rates: {}", book.labor_source));
            for (_, terms) in book.destinations.iter() {
                for line in terms
                    .recurring
                    .iter()
                    .chain(&terms.msp_fees)
                    .chain(&terms.msp_costs)
                {
                    ui.label(format!("{}, {}: {}", terms.label, line.label, line.source));
                }
                if !terms.terms_source.is_empty() {
                    ui.label(format!("{} terms: {}", terms.label, terms.terms_source));
                }
            }
        });
    if ui.button("Close").clicked() {
        answer(Action::CloseModal);
    }
}

/// File ▸ Restore previous version…: every kept version, newest first, with who saved it,
/// when and its size; Open puts it in place of the open plan (unsaved).
fn versions_ui(
    ui: &mut Ui,
    original: &std::path::Path,
    versions: &[KeptVersion],
    answer: &mut impl FnMut(Action),
) {
    ui.heading("Restore a previous version");
    ui.label(format!(
        "Versions of {} that Keyholder kept:",
        original.display()
    ));
    if versions.is_empty() {
        ui.label(RichText::new("None yet: a version is kept each time a save replaces the file, and yours is kept when you reload a colleague's.").weak());
    }
    egui::ScrollArea::vertical()
        .max_height(320.0)
        .show(ui, |ui| {
            egui::Grid::new("kept_versions")
                .striped(true)
                .num_columns(4)
                .show(ui, |ui| {
                    for heading in ["Kept", "Last saved by", "Size", ""] {
                        ui.label(RichText::new(heading).weak());
                    }
                    ui.end_row();
                    for version in versions {
                        let kind = match version.kind {
                            VersionKind::Replaced => "replaced by a save",
                            VersionKind::YoursBeforeReload => "yours, before a reload",
                        };
                        let when = version
                            .kept_at
                            .map_or_else(|| "unknown".to_owned(), crate::clock::local_text);
                        ui.label(format!("{when} ({kind})"))
                            .on_hover_text(version.path.display().to_string());
                        ui.label(version.saved_by.as_ref().map_or_else(
                            || "no save recorded".to_owned(),
                            |(who, at)| format!("{who}, {at}"),
                        ));
                        ui.label(format!("{:.1} KB", size_kb(version.size_bytes)));
                        if ui
                            .button("Open")
                            .accessible_name(format!("Open the version kept {when}"))
                            .clicked()
                        {
                            answer(Action::RestoreVersion(version.path.clone()));
                        }
                        ui.end_row();
                    }
                });
        });
    if ui.button("Close").clicked() {
        answer(Action::CloseModal);
    }
}

#[expect(clippy::cast_precision_loss, reason = "a size shown to one decimal")]
fn size_kb(bytes: u64) -> f64 {
    bytes as f64 / 1024.0
}
