//! The menu bar. Items only emit commands.

use egui::{Button, Ui};

use super::{KeyholderApp, Tab};
use crate::app::Command;

fn item(ui: &mut Ui, app: &mut KeyholderApp, command: Command, enabled: bool) {
    let shortcut = command
        .shortcut()
        .map(|s| ui.ctx().format_shortcut(&s))
        .unwrap_or_default();
    let button = Button::new(command.label()).shortcut_text(shortcut);
    if ui
        .add_enabled(enabled, button)
        .on_hover_text(command.tooltip())
        .clicked()
    {
        app.request(command);
        ui.close();
    }
}

pub fn menu_bar_ui(ui: &mut Ui, app: &mut KeyholderApp) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            item(ui, app, Command::NewPlan, true);
            item(ui, app, Command::Open, true);
            ui.menu_button("Open recent", |ui| {
                // Files deleted or moved since are dropped from the list.
                app.preferences.prune_recent();
                if app.preferences.recent_files.is_empty() {
                    ui.label("No recent plans");
                }
                for path in app.preferences.recent_files.clone() {
                    let name = path.file_name().map_or_else(
                        || path.display().to_string(),
                        |n| n.to_string_lossy().into_owned(),
                    );
                    if ui
                        .button(name)
                        .on_hover_text(path.display().to_string())
                        .clicked()
                    {
                        app.request_open(path);
                        ui.close();
                    }
                }
            });
            ui.separator();
            item(ui, app, Command::Save, app.document.read_only.is_none());
            item(ui, app, Command::SaveAs, true);
            ui.separator();
            item(ui, app, Command::ImportInventory, true);
            item(ui, app, Command::CompareWith, true);
            item(
                ui,
                app,
                Command::ImportWorkloadsCsv,
                app.document.read_only.is_none(),
            );
            item(
                ui,
                app,
                Command::ImportPriceBook,
                app.document.read_only.is_none(),
            );
            ui.menu_button("Export", |ui| {
                item(ui, app, Command::ExportReport, true);
                item(ui, app, Command::ExportChart, true);
                item(ui, app, Command::ExportWorkloadsCsv, true);
                item(ui, app, Command::ExportPriceBook, true);
            });
            ui.separator();
            item(ui, app, Command::Quit, true);
        });
        ui.menu_button("Edit", |ui| {
            let undo = app
                .document
                .undo_label()
                .map_or_else(|| "Undo".to_owned(), |l| format!("Undo {l}"));
            let redo = app
                .document
                .redo_label()
                .map_or_else(|| "Redo".to_owned(), |l| format!("Redo {l}"));
            for (command, text, enabled) in [
                (Command::Undo, undo, app.document.can_undo()),
                (Command::Redo, redo, app.document.can_redo()),
            ] {
                let shortcut = command
                    .shortcut()
                    .map(|s| ui.ctx().format_shortcut(&s))
                    .unwrap_or_default();
                if ui
                    .add_enabled(enabled, Button::new(text).shortcut_text(shortcut))
                    .clicked()
                {
                    app.request(command);
                    ui.close();
                }
            }
            ui.separator();
            let selected = app.workloads_view.selected.is_some();
            item(ui, app, Command::AddWorkload, true);
            item(ui, app, Command::DuplicateWorkload, selected);
            item(ui, app, Command::DeleteWorkload, selected);
            ui.separator();
            item(ui, app, Command::ShowPreferences, true);
        });
        ui.menu_button("View", |ui| {
            for tab in Tab::ALL {
                if ui.selectable_label(app.tab == tab, tab.label()).clicked() {
                    app.tab = tab;
                    ui.close();
                }
            }
            ui.separator();
            item(ui, app, Command::ToggleTheme, true);
        });
        ui.menu_button("Help", |ui| {
            item(ui, app, Command::ShowShortcuts, true);
            item(ui, app, Command::ShowAbout, true);
        });
    });
}
