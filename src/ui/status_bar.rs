//! File path, saved state, read-only and why, problems, conflict copies, the last message.

use egui::{RichText, Ui};

use crate::app::{Action, Actions, AppState};

pub fn status_bar_ui(ui: &mut Ui, state: &AppState, actions: &mut Actions) {
    ui.horizontal_wrapped(|ui| {
        let document = &state.document;
        let path = document.path().map_or_else(
            || "Not saved to a file yet".to_owned(),
            |p| p.display().to_string(),
        );
        ui.label(path);
        ui.separator();
        if let Some(why) = state.read_only() {
            // Said in full, not only on hover: the user must know why Save is off.
            ui.label(RichText::new(format!("Read-only: {why}")).strong());
        } else if document.is_dirty() {
            ui.label(RichText::new("Unsaved changes").strong());
        } else {
            ui.label("Saved");
        }
        let issues = &state.derived.issues;
        if !issues.is_empty() {
            ui.separator();
            let text = format!(
                "{} problem{} in the plan",
                issues.len(),
                if issues.len() == 1 { "" } else { "s" }
            );
            let list: Vec<String> = issues.iter().take(30).map(ToString::to_string).collect();
            ui.label(RichText::new(text).color(ui.visuals().warn_fg_color))
                .on_hover_text(list.join("\n"));
        }
        let warnings = &state.derived.warnings;
        if !warnings.is_empty() {
            ui.separator();
            let list: Vec<String> = warnings.iter().take(30).map(ToString::to_string).collect();
            ui.label(
                RichText::new(format!(
                    "{} warning{}",
                    warnings.len(),
                    if warnings.len() == 1 { "" } else { "s" }
                ))
                .color(ui.visuals().warn_fg_color),
            )
            .on_hover_text(list.join("\n"));
        }
        if !document.unknown_fields.is_empty() {
            ui.separator();
            ui.label(
                RichText::new(format!(
                    "{} unknown field(s) will not be kept",
                    document.unknown_fields.len()
                ))
                .color(ui.visuals().warn_fg_color),
            )
            .on_hover_text(document.unknown_fields.join("\n"));
        }
        if !state.conflict_copies.is_empty() {
            ui.separator();
            let n = state.conflict_copies.len();
            ui.label(
                RichText::new(format!(
                    "{n} conflict cop{} beside this file:",
                    if n == 1 { "y" } else { "ies" }
                ))
                .color(ui.visuals().warn_fg_color),
            )
            .on_hover_text("A sync client kept a colleague's version next to yours");
            for path in state.conflict_copies.iter().take(3) {
                let name = path
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                if ui.button(format!("Compare {name}")).clicked() {
                    actions.push(Action::CompareWith(path.clone()));
                }
            }
            if ui
                .button(if n == 1 { "Merge it" } else { "Merge them" })
                .on_hover_text("Merge each copy into your plan three-way: their changes are taken, and where you both changed a value you choose")
                .accessible_name("Merge the conflict copies")
                .clicked()
            {
                actions.push(Action::MergeConflictCopies);
            }
        }
        if let Some(status) = &state.status {
            ui.separator();
            ui.label(status);
        }
    });
}
