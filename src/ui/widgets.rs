//! Small form widgets shared by the editors. Each input is named for screen readers (and
//! tests) by the label beside it.
//!
//! A field whose value has rules (numbers, names, ids, months) keeps what the user types as
//! a *draft* and commits it to the plan only when the user is done with it: Enter, Tab or a
//! click elsewhere. A draft that breaks a rule is never committed: the field keeps showing
//! what was typed and why it is refused, and the plan keeps its last valid value until a
//! valid one is entered (Escape drops a refused draft). Free text (notes, labels) has no
//! rules and is committed as it is typed, merging into one undo step.

use egui::{Color32, Response, RichText, TextEdit, Ui};

use crate::model::Decimal;

/// The colour of refusal messages, readable in both themes.
pub fn error_color(ui: &Ui) -> Color32 {
    ui.visuals().error_fg_color
}

/// What the user typed into a field with rules, until it is committed or dropped.
#[derive(Clone, Debug, Default)]
struct Draft(String);

/// Forgets every draft (another plan was opened: its fields start from its values).
pub fn forget_drafts(ctx: &egui::Context) {
    ctx.data_mut(egui::util::IdTypeMap::remove_by_type::<Draft>);
}

/// A single-line field with rules. `parse` turns the text into a value or says why not.
/// Returns the value when a valid draft that differs from `current` is committed.
pub fn draft_field<T: PartialEq>(
    ui: &mut Ui,
    name: &str,
    current: &T,
    shown: &str,
    width: f32,
    labelled_by: Option<&Response>,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Option<T> {
    let id = ui.make_persistent_id(("draft", name));
    let draft = ui.data(|d| d.get_temp::<Draft>(id)).map(|d| d.0);
    let mut text = draft.clone().unwrap_or_else(|| shown.to_owned());
    let response = ui.add(TextEdit::singleline(&mut text).desired_width(width));
    let response = match labelled_by {
        Some(label) => response.labelled_by(label.id),
        None => response.accessible_name(name),
    };
    let mut draft = if response.changed() {
        Some(text.clone())
    } else {
        draft
    };
    let verdict = draft.as_deref().map(&parse);
    let mut committed = None;
    if response.lost_focus() {
        match verdict {
            Some(Ok(value)) => {
                draft = None;
                if value != *current {
                    committed = Some(value);
                }
            }
            Some(Err(_)) if ui.input(|i| i.key_pressed(egui::Key::Escape)) => draft = None,
            _ => {}
        }
    }
    let refusal = draft
        .as_deref()
        .and_then(|text| parse(text).err())
        .map(|why| {
            if response.has_focus() {
                format!("Refused: {why}")
            } else {
                format!("Refused: {why}. The plan keeps {shown}.")
            }
        });
    if let Some(message) = refusal {
        ui.label(RichText::new(message).color(error_color(ui)).small());
    } else if !response.has_focus() {
        // A valid draft is committed when focus leaves; none lingers unfocused.
        draft = None;
    }
    ui.data_mut(|d| {
        if let Some(text) = draft {
            d.insert_temp(id, Draft(text));
        } else {
            d.remove_temp::<Draft>(id);
        }
    });
    committed
}

/// A labelled single-line text field in a two-column grid, committed as it is typed.
/// A one-line text cell of a grid; the new text when it changed.
pub fn grid_text(
    ui: &mut Ui,
    id: impl egui::AsIdSalt,
    name: String,
    value: &str,
    width: f32,
) -> Option<String> {
    ui.push_id(id, |ui| {
        // A grid cell offers only its column's width of the last frame: claim the width
        // first, or the column never grows past its first, narrow, size.
        ui.set_min_width(width);
        let mut text = value.to_owned();
        ui.add(TextEdit::singleline(&mut text).desired_width(width))
            .accessible_name(name)
            .changed()
            .then_some(text)
    })
    .inner
}

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
/// empty, an id that must be unique); see the module comment for when it is committed.
pub fn checked_text_row(
    ui: &mut Ui,
    label: &str,
    value: &str,
    check: impl Fn(&str) -> Result<(), String>,
) -> Option<String> {
    let label_response = ui.label(label);
    let result = ui
        .vertical(|ui| {
            draft_field(
                ui,
                label,
                &value.to_owned(),
                value,
                f32::INFINITY,
                Some(&label_response),
                |text| check(text).map(|()| text.to_owned()),
            )
        })
        .inner;
    ui.end_row();
    result
}

/// A labelled multi-line text field in a grid, committed as it is typed.
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

/// A value a number field can hold, read from what a person typed.
pub trait FieldNumber: Copy + PartialEq + ToString {
    /// The value of `number`, or why this kind of field cannot hold it.
    ///
    /// # Errors
    /// The reason, worded as the field shows it.
    fn from_decimal(number: Decimal) -> Result<Self, String>;
}

impl FieldNumber for Decimal {
    fn from_decimal(number: Decimal) -> Result<Self, String> {
        Ok(number)
    }
}

impl FieldNumber for u32 {
    fn from_decimal(number: Decimal) -> Result<Self, String> {
        use rust_decimal::prelude::ToPrimitive;
        if number.is_sign_negative() && !number.is_zero() {
            Err("must not be negative".to_owned())
        } else if !number.fract().is_zero() {
            Err("must be a whole number".to_owned())
        } else {
            // Every bound is far below u32::MAX: a larger number gets the field's own
            // "must be at most" from its check.
            Ok(number.to_u32().unwrap_or(u32::MAX))
        }
    }
}

/// Reads a number as a person types it (`1,250.5`, ` 36 `).
///
/// # Errors
/// "must be a number", or what the field's kind refuses.
pub fn parse_number<T: FieldNumber>(text: &str) -> Result<T, String> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '_')
        .collect();
    if cleaned.is_empty() {
        return Err("a number is needed".to_owned());
    }
    let number: Decimal = cleaned
        .parse()
        .or_else(|_| Decimal::from_scientific(&cleaned))
        .map_err(|_| format!("\"{}\" is not a number", text.trim()))?;
    T::from_decimal(number)
}

/// A labelled number field in a grid; see the module comment for when it is committed.
pub fn number_row<T: FieldNumber>(
    ui: &mut Ui,
    label: &str,
    value: T,
    check: impl Fn(T) -> Result<(), String>,
) -> Option<T> {
    let label_response = ui.label(label);
    let result = ui
        .vertical(|ui| number_field(ui, label, value, check, Some(&label_response)))
        .inner;
    ui.end_row();
    result
}

/// A number field without a grid row; `label` is its accessible name.
pub fn number_field<T: FieldNumber>(
    ui: &mut Ui,
    label: &str,
    value: T,
    check: impl Fn(T) -> Result<(), String>,
    labelled_by: Option<&Response>,
) -> Option<T> {
    draft_field(
        ui,
        label,
        &value,
        &value.to_string(),
        110.0,
        labelled_by,
        |text| parse_number::<T>(text).and_then(|v| check(v).map(|()| v)),
    )
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
    // Tall enough for every option (a destination on each of its terms can be twenty), so
    // none hides below a scroll bar.
    #[expect(clippy::cast_precision_loss, reason = "a few dozen options")]
    let height = (options.len() as f32 * (ui.spacing().interact_size.y + 4.0)).clamp(200.0, 640.0);
    let response = egui::ComboBox::from_id_salt(label)
        .selected_text(text(value))
        .height(height)
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
