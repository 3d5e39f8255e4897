//! Small form widgets shared by the editors. Each input is named for screen readers (and
//! tests) by the label beside it; number fields refuse invalid text with a message.

use std::str::FromStr;

use egui::{Color32, Response, RichText, TextEdit, Ui};

use crate::model::Decimal;

/// The colour of refusal messages, readable in both themes.
pub fn error_color(ui: &Ui) -> Color32 {
    ui.visuals().error_fg_color
}

/// A labelled single-line text field in a two-column grid; returns the new text when edited.
pub fn text_row(ui: &mut Ui, label: &str, value: &str) -> Option<String> {
    let label = ui.label(label);
    let mut text = value.to_owned();
    let response = ui
        .add(TextEdit::singleline(&mut text).desired_width(f32::INFINITY))
        .labelled_by(label.id);
    ui.end_row();
    response.changed().then_some(text)
}

/// A labelled text field in a grid whose value must pass `check` (a name that may not be
/// empty, an id that must be unique). While focused it keeps what the user types, so the
/// text can be cleared and retyped; a refused value shows why under the field and never
/// reaches the plan.
pub fn checked_text_row(
    ui: &mut Ui,
    label: &str,
    value: &str,
    check: impl Fn(&str) -> Result<(), String>,
) -> Option<String> {
    let label_response = ui.label(label);
    let id = ui.make_persistent_id(("checked_text", label));
    let mut result = None;
    ui.vertical(|ui| {
        let mut text = ui
            .data(|d| d.get_temp::<String>(id))
            .unwrap_or_else(|| value.to_owned());
        let response = ui
            .add(TextEdit::singleline(&mut text).desired_width(f32::INFINITY))
            .labelled_by(label_response.id);
        if response.has_focus() {
            match check(&text) {
                Ok(()) => {
                    if text != value {
                        result = Some(text.clone());
                    }
                }
                Err(message) => {
                    ui.label(
                        RichText::new(format!("Refused: {message}"))
                            .color(error_color(ui))
                            .small(),
                    );
                }
            }
            ui.data_mut(|d| d.insert_temp(id, text));
        } else {
            ui.data_mut(|d| d.remove::<String>(id));
        }
    });
    ui.end_row();
    result
}

/// A labelled multi-line text field in a grid.
pub fn multiline_row(ui: &mut Ui, label: &str, value: &str) -> Option<String> {
    let label = ui.label(label);
    let mut text = value.to_owned();
    // Long notes scroll inside a few lines instead of pushing the form apart.
    let response = egui::ScrollArea::vertical()
        .id_salt(label.id)
        .max_height(72.0)
        .show(ui, |ui| {
            ui.add(
                TextEdit::multiline(&mut text)
                    .desired_rows(3)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id)
        })
        .inner;
    ui.end_row();
    response.changed().then_some(text)
}

/// A labelled number field in a grid. While focused it keeps what the user types; a value
/// that parses and passes `check` is returned, anything else is refused with a message under
/// the field and never reaches the plan.
pub fn number_row<T>(
    ui: &mut Ui,
    label: &str,
    value: T,
    check: impl Fn(T) -> Result<(), String>,
) -> Option<T>
where
    T: FromStr + ToString + PartialEq + Copy,
{
    let label_response = ui.label(label);
    let result = ui
        .vertical(|ui| number_field(ui, label, value, check, Some(&label_response)))
        .inner;
    ui.end_row();
    result
}

/// A number field without a grid row; `label` is its accessible name.
pub fn number_field<T>(
    ui: &mut Ui,
    label: &str,
    value: T,
    check: impl Fn(T) -> Result<(), String>,
    labelled_by: Option<&Response>,
) -> Option<T>
where
    T: FromStr + ToString + PartialEq + Copy,
{
    let id = ui.make_persistent_id(("number", label));
    let error_id = id.with("error");
    let mut text = ui
        .data(|d| d.get_temp::<String>(id))
        .unwrap_or_else(|| value.to_string());
    let response = ui.add(TextEdit::singleline(&mut text).desired_width(110.0));
    let response = match labelled_by {
        Some(label) => response.labelled_by(label.id),
        None => response.accessible_name(label),
    };
    let mut result = None;
    if response.has_focus() || response.changed() {
        let verdict = text
            .trim()
            .replace(',', "")
            .parse::<T>()
            .map_err(|_| {
                let digits = text.trim().replace(',', "");
                if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
                    format!("{} is too large", text.trim())
                } else {
                    format!("\"{}\" is not a number", text.trim())
                }
            })
            .and_then(|parsed| check(parsed).map(|()| parsed));
        match verdict {
            Ok(parsed) => {
                ui.data_mut(|d| d.remove::<String>(error_id));
                if parsed != value {
                    result = Some(parsed);
                }
            }
            Err(message) => ui.data_mut(|d| {
                d.insert_temp(error_id, message);
            }),
        }
        ui.data_mut(|d| d.insert_temp(id, text));
    }
    if response.lost_focus() || !response.has_focus() {
        // Back to the plan's value: whatever was refused does not linger.
        ui.data_mut(|d| d.remove::<String>(id));
    }
    if let Some(message) = ui.data(|d| d.get_temp::<String>(error_id)) {
        ui.label(
            RichText::new(format!("Refused: {message}"))
                .color(error_color(ui))
                .small(),
        );
        if !response.has_focus() && !response.lost_focus() {
            ui.data_mut(|d| d.remove::<String>(error_id));
        }
    }
    result
}

/// Checks for number fields.
pub mod checks {
    use super::Decimal;

    pub fn non_negative(value: Decimal) -> Result<(), String> {
        if value < Decimal::ZERO {
            Err("must not be negative".to_owned())
        } else {
            Ok(())
        }
    }

    pub fn percent(value: Decimal) -> Result<(), String> {
        if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED {
            Err("must be a percentage from 0 to 100".to_owned())
        } else {
            Ok(())
        }
    }

    pub fn positive(value: Decimal) -> Result<(), String> {
        if value <= Decimal::ZERO {
            Err("must be more than 0".to_owned())
        } else {
            Ok(())
        }
    }

    pub fn any<T>(_: T) -> Result<(), String> {
        Ok(())
    }

    pub fn horizon(value: u32) -> Result<(), String> {
        if (1..=120).contains(&value) {
            Ok(())
        } else {
            Err("must be from 1 to 120 months".to_owned())
        }
    }
}

/// A labelled combo box in a grid, choosing among `options`.
pub fn choice_row<T: PartialEq + Copy>(
    ui: &mut Ui,
    label: &str,
    value: T,
    options: &[T],
    text: impl Fn(T) -> String,
) -> Option<T> {
    let label_response = ui.label(label);
    let result = choice(ui, label, value, options, &text, Some(&label_response));
    ui.end_row();
    result
}

/// A combo box named `label` for screen readers.
pub fn choice<T: PartialEq + Copy>(
    ui: &mut Ui,
    label: &str,
    value: T,
    options: &[T],
    text: &dyn Fn(T) -> String,
    labelled_by: Option<&Response>,
) -> Option<T> {
    let mut selected = value;
    let response = egui::ComboBox::from_id_salt(label)
        .selected_text(text(value))
        .show_ui(ui, |ui| {
            for option in options {
                ui.selectable_value(&mut selected, *option, text(*option));
            }
        })
        .response;
    match labelled_by {
        Some(label) => drop(response.labelled_by(label.id)),
        None => drop(response.accessible_name(label)),
    }
    (selected != value).then_some(selected)
}

/// A labelled check box in a grid.
pub fn check_row(ui: &mut Ui, label: &str, text: &str, value: bool) -> Option<bool> {
    let label_response = ui.label(label);
    let mut checked = value;
    ui.checkbox(&mut checked, text)
        .labelled_by(label_response.id);
    ui.end_row();
    (checked != value).then_some(checked)
}
