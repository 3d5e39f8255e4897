//! The menu bar. Items only push commands.

use egui::{Button, Ui};

use crate::app::{Action, Actions, AppState, Command, Tab};

fn item(ui: &mut Ui, actions: &mut Actions, command: Command, enabled: bool) {
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
        actions.command(command);
        ui.close();
    }
}

pub fn menu_bar_ui(ui: &mut Ui, state: &AppState, actions: &mut Actions) {
    let writable = state.read_only().is_none();
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            item(ui, actions, Command::NewPlan, true);
            item(ui, actions, Command::Open, true);
            // Files that went missing are dropped at start-up and when they fail to open: the
            // menu does not look at the disk.
            ui.menu_button("Open recent", |ui| {
                if state.preferences.recent_files.is_empty() {
                    ui.label("No recent plans");
                }
                for path in &state.preferences.recent_files {
                    let name = path.file_name().map_or_else(
                        || path.display().to_string(),
                        |n| n.to_string_lossy().into_owned(),
                    );
                    if ui
                        .button(name)
                        .on_hover_text(path.display().to_string())
                        .clicked()
                    {
                        actions.push(Action::OpenPath(path.clone()));
                        ui.close();
                    }
                }
            });
            item(ui, actions, Command::OpenPortfolio, true);
            ui.menu_button("Open recent portfolio", |ui| {
                if state.preferences.recent_portfolios.is_empty() {
                    ui.label("No recent portfolios");
                }
                for folder in &state.preferences.recent_portfolios {
                    let name = folder.file_name().map_or_else(
                        || folder.display().to_string(),
                        |n| n.to_string_lossy().into_owned(),
                    );
                    if ui
                        .button(name)
                        .on_hover_text(folder.display().to_string())
                        .clicked()
                    {
                        actions.push(Action::OpenPortfolio(folder.clone()));
                        ui.close();
                    }
                }
            });
            if state.portfolio.is_open()
                && ui
                    .button("Close portfolio")
                    .on_hover_text("Stop showing and watching the portfolio folder")
                    .clicked()
            {
                actions.push(Action::ClosePortfolio);
                ui.close();
            }
            ui.separator();
            item(ui, actions, Command::Save, writable);
            item(ui, actions, Command::SaveAs, true);
            item(
                ui,
                actions,
                Command::RestoreVersion,
                state.document.path().is_some(),
            );
            ui.separator();
            item(ui, actions, Command::ImportInventory, true);
            item(ui, actions, Command::CompareWith, true);
            item(ui, actions, Command::ImportWorkloadsCsv, writable);
            item(ui, actions, Command::ImportPriceBook, writable);
            ui.menu_button("Export", |ui| {
                item(ui, actions, Command::ExportReport, true);
                item(ui, actions, Command::ExportReportPdf, true);
                ui.separator();
                item(ui, actions, Command::ExportChart, true);
                item(ui, actions, Command::CopyChart, true);
                ui.separator();
                item(ui, actions, Command::ExportWorkloadsCsv, true);
                item(ui, actions, Command::ExportPriceBook, true);
            });
            ui.separator();
            item(ui, actions, Command::Quit, true);
        });
        ui.menu_button("Edit", |ui| {
            let document = &state.document;
            let undo = document
                .undo_label()
                .map_or_else(|| "Undo".to_owned(), |l| format!("Undo {l}"));
            let redo = document
                .redo_label()
                .map_or_else(|| "Redo".to_owned(), |l| format!("Redo {l}"));
            for (command, text, enabled) in [
                (Command::Undo, undo, document.can_undo()),
                (Command::Redo, redo, document.can_redo()),
            ] {
                let shortcut = command
                    .shortcut()
                    .map(|s| ui.ctx().format_shortcut(&s))
                    .unwrap_or_default();
                if ui
                    .add_enabled(enabled, Button::new(text).shortcut_text(shortcut))
                    .clicked()
                {
                    actions.command(command);
                    ui.close();
                }
            }
            ui.separator();
            let selected = state.selection.current.is_some();
            item(ui, actions, Command::AddWorkload, true);
            item(ui, actions, Command::DuplicateWorkload, selected);
            item(ui, actions, Command::DeleteWorkload, selected);
            ui.separator();
            item(ui, actions, Command::ShowPreferences, true);
        });
        ui.menu_button("View", |ui| {
            let portfolio = state.portfolio.is_open().then_some(Tab::Portfolio);
            for tab in portfolio.into_iter().chain(Tab::ALL) {
                if ui.selectable_label(state.tab == tab, tab.label()).clicked() {
                    actions.push(Action::ShowTab(tab));
                    ui.close();
                }
            }
            ui.separator();
            item(ui, actions, Command::ToggleTheme, true);
        });
        ui.menu_button("Help", |ui| {
            item(ui, actions, Command::ShowShortcuts, true);
            item(ui, actions, Command::ShowAbout, true);
        });
    });
}
