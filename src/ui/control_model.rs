//! The control model editor: dimensions, weights and the level of each destination.

use egui::{Grid, RichText, Ui};

use super::widgets::{grid_text, number_field};
use crate::app::{Action, Actions, AppState, Edit};
use crate::model::{
    ControlDimension, Decimal, Destination, PerDestination, bounds, control_by_destination,
};

pub fn control_model_ui(ui: &mut Ui, state: &AppState, actions: &mut Actions) {
    let model = &state.plan().control_model;
    // Eight or so dimensions: copying them per frame costs nothing measurable.
    let mut edited = model.clone();
    ui.label("How much of the environment the MSP controls on each destination, 0-100 per dimension. The control score of a destination is the weighted average of its levels.");
    ui.add_space(6.0);
    let mut remove = None;
    egui::ScrollArea::both().show(ui, |ui| {
        Grid::new("control_model")
            .striped(true)
            .num_columns(8)
            .show(ui, |ui| {
                ui.label(RichText::new("Dimension").strong());
                ui.label(RichText::new("Weight").strong());
                for destination in Destination::ALL {
                    ui.label(RichText::new(destination.label()).strong());
                }
                ui.label("");
                ui.end_row();
                for (i, dimension) in model.dimensions.iter().enumerate() {
                    if let Some(name) = grid_text(
                        ui,
                        i,
                        format!("Dimension {} name", i + 1),
                        &dimension.name,
                        230.0,
                    ) {
                        if name.trim().is_empty() {
                            actions.push(Action::Notice(
                                "Refused: a dimension needs a name.".to_owned(),
                            ));
                        } else {
                            edited.dimensions[i].name = name;
                        }
                    }
                    if let Some(v) = number_field(
                        ui,
                        &format!("Weight of {}", dimension.name),
                        dimension.weight,
                        bounds::weight,
                        None,
                    ) {
                        edited.dimensions[i].weight = v;
                    }
                    for destination in Destination::ALL {
                        let label = format!("{} level for {}", destination.label(), dimension.name);
                        if let Some(v) = number_field(
                            ui,
                            &label,
                            *dimension.levels.get(destination),
                            bounds::control_level,
                            None,
                        ) {
                            *edited.dimensions[i].levels.get_mut(destination) = v;
                        }
                    }
                    if ui
                        .add_enabled(model.dimensions.len() > 1, egui::Button::new("Remove"))
                        .accessible_name(format!("Remove {}", dimension.name))
                        .on_hover_text(format!("Remove {}", dimension.name))
                        .clicked()
                    {
                        remove = Some(i);
                    }
                    ui.end_row();
                }
                ui.label(RichText::new("Control score").strong());
                ui.label("");
                let scores = control_by_destination(model);
                for destination in Destination::ALL {
                    ui.label(
                        RichText::new(crate::model::format_control(*scores.get(destination)))
                            .strong(),
                    );
                }
                ui.end_row();
            });
    });
    if let Some(i) = remove {
        edited.dimensions.remove(i);
    }
    ui.horizontal(|ui| {
        if ui.button("Add dimension").clicked() {
            edited.dimensions.push(ControlDimension {
                name: format!("Dimension {}", model.dimensions.len() + 1),
                weight: Decimal::ONE,
                levels: PerDestination::from_fn(|_| Decimal::ONE_HUNDRED),
            });
        }
        if ui
            .button("Reset to defaults")
            .on_hover_text("The shared-responsibility defaults of a new plan")
            .clicked()
        {
            edited = crate::model::ControlModel::default();
        }
    });
    if edited.dimensions.iter().map(|d| d.weight).sum::<Decimal>() <= Decimal::ZERO {
        ui.label(
            RichText::new("The weights must add up to more than 0.")
                .color(ui.visuals().error_fg_color),
        );
    }
    if edited != *model {
        actions.edit(Edit::ControlModel(edited));
    }
}
