//! File path, saved state, read-only and warnings.

use egui::{RichText, Ui};

use super::KeyholderApp;

pub fn status_bar_ui(ui: &mut Ui, app: &mut KeyholderApp) {
    ui.horizontal(|ui| {
        let path = app.document.path().map_or_else(
            || "Not saved to a file yet".to_owned(),
            |p| p.display().to_string(),
        );
        ui.label(path);
        ui.separator();
        if app.document.read_only.is_some() {
            ui.label(RichText::new("Read-only").strong())
                .on_hover_text(app.document.read_only.clone().unwrap_or_default());
        } else if app.document.is_dirty() {
            ui.label(RichText::new("Unsaved changes").strong());
        } else {
            ui.label("Saved");
        }
        let issues = &app.derived.issues;
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
        if !app.document.unknown_fields.is_empty() {
            ui.separator();
            ui.label(
                RichText::new(format!(
                    "{} unknown field(s) will not be kept",
                    app.document.unknown_fields.len()
                ))
                .color(ui.visuals().warn_fg_color),
            )
            .on_hover_text(app.document.unknown_fields.join("\n"));
        }
        if !app.conflict_copies.is_empty() {
            ui.separator();
            let n = app.conflict_copies.len();
            ui.label(
                RichText::new(format!(
                    "{n} conflict cop{} beside this file:",
                    if n == 1 { "y" } else { "ies" }
                ))
                .color(ui.visuals().warn_fg_color),
            )
            .on_hover_text("A sync client kept a colleague's version next to yours");
            let mut compare = None;
            for path in app.conflict_copies.iter().take(3) {
                let name = path
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                if ui.button(format!("Compare {name}")).clicked() {
                    compare = Some(path.clone());
                }
            }
            if let Some(path) = compare {
                app.compare_with(&path);
            }
        }
        if let Some(status) = &app.status {
            ui.separator();
            ui.label(status);
        }
    });
}
