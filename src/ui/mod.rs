//! The desktop app's drawing: thin `*_ui` functions that read the app's state by shared
//! reference, keep their own view state, and push what the user asks for as
//! [`Action`]s. Nothing here touches a file or changes the plan: `crate::app` does.
//!
//! This file is the window: the eframe glue (logic in `App::logic`, drawing in `App::ui`),
//! the panel layout, and [`run_native`].

mod charts;
mod compare;
mod control_model;
mod menu;
mod modals;
mod portfolio;
mod price_book;
mod roadmap;
mod scenarios;
mod side_panel;
mod status_bar;
mod widgets;
mod workloads;

use std::path::PathBuf;

use crate::app::{Actions, AppPaths, AppState, KeyholderApp, StartOptions, Tab, ViewStates};

impl eframe::App for KeyholderApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        KeyholderApp::logic(self, ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        layout_ui(ui, &self.state, &mut self.views, &mut self.actions);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        KeyholderApp::on_exit(self);
    }
}

/// One whole frame, logic then drawing, as eframe runs it (for benchmarks that drive the
/// app headless).
pub fn frame_ui(ui: &mut egui::Ui, app: &mut KeyholderApp) {
    app.logic(ui.ctx());
    layout_ui(ui, &app.state, &mut app.views, &mut app.actions);
}

/// The window's panels: menu bar, status bar, the plan panel and the central view.
pub fn layout_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    views: &mut ViewStates,
    actions: &mut Actions,
) {
    // Another plan was opened: what was typed into the last one's fields goes with it.
    let shown = egui::Id::unique("document_shown");
    if ui.data(|d| d.get_temp::<u64>(shown)) != Some(state.generation) {
        widgets::forget_drafts(ui.ctx());
        ui.data_mut(|d| d.insert_temp(shown, state.generation));
    }
    egui::Panel::top("menu_bar").show(ui, |ui| menu::menu_bar_ui(ui, state, actions));
    egui::Panel::bottom("status_bar").show(ui, |ui| status_bar::status_bar_ui(ui, state, actions));
    // The book of business is about every customer, not the open plan: it takes the width.
    if state.tab != Tab::Portfolio {
        egui::Panel::left("plan_panel")
            .resizable(true)
            .default_size(255.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .show(ui, |ui| side_panel::side_panel_ui(ui, state, actions));
            });
    }
    egui::CentralPanel::default_margins().show(ui, |ui| {
        ui.horizontal(|ui| {
            if state.portfolio.is_open() {
                let tab = Tab::Portfolio;
                if ui.selectable_label(state.tab == tab, tab.label()).clicked() {
                    actions.push(crate::app::Action::ShowTab(tab));
                }
                ui.separator();
            }
            for tab in Tab::ALL {
                if ui.selectable_label(state.tab == tab, tab.label()).clicked() {
                    actions.push(crate::app::Action::ShowTab(tab));
                }
            }
        });
        ui.separator();
        if let Some(problem) = &state.derived.figures_problem {
            figures_problem_ui(ui, problem);
            if matches!(
                state.tab,
                Tab::Scenarios | Tab::TradeOff | Tab::CashFlow | Tab::Roadmap
            ) {
                // No figures rather than wrong ones.
                return;
            }
        }
        match state.tab {
            Tab::Workloads => workloads::workloads_tab_ui(ui, state, &mut views.workloads, actions),
            Tab::Scenarios => scenarios::scenarios_ui(ui, state, actions),
            Tab::TradeOff => charts::trade_off_ui(ui, state, &mut views.charts, actions),
            Tab::CashFlow => charts::cash_flow_ui(ui, state, &mut views.charts),
            Tab::Roadmap => roadmap::roadmap_ui(ui, state, &mut views.roadmap, actions),
            Tab::Compare => compare::compare_ui(ui, state, actions),
            Tab::PriceBook => price_book::price_book_ui(ui, state, actions),
            Tab::ControlModel => control_model::control_model_ui(ui, state, actions),
            Tab::Portfolio => {
                portfolio::portfolio_ui(ui, state, &mut views.portfolio, actions);
            }
        }
    });
    modals::modal_ui(ui.ctx(), state, actions);
    if !actions.is_empty() {
        // The app runs them at the start of the next frame, which must not wait for input.
        ui.ctx().request_repaint();
    }
}

/// Why the plan's figures cannot be shown, and what to do about it.
fn figures_problem_ui(ui: &mut egui::Ui, problem: &str) {
    ui.label(
        egui::RichText::new(format!(
            "The plan's figures cannot be computed: {problem}. Correct that value (the status bar lists the plan's problems); until then no figures are shown."
        ))
        .color(ui.visuals().error_fg_color),
    );
    ui.separator();
}

/// Starts the desktop app (the binary's default command).
///
/// # Errors
/// When no window can be created (no display, no graphics driver).
pub fn run_native(plan: Option<PathBuf>) -> Result<(), String> {
    let paths =
        AppPaths::from_system().ok_or("no home folder was found for Keyholder's preferences")?;
    let (preferences, _) = crate::app::Preferences::load(&paths.preferences_file());
    let size = preferences.window_size.unwrap_or([1440.0, 900.0]);
    let mut viewport = egui::ViewportBuilder::default()
        .with_title(crate::identity::NAME)
        // The desktop entry's StartupWMClass (X11) and app id (Wayland): how the desktop finds
        // the icon and groups the windows.
        .with_app_id(crate::identity::APP_ID)
        .with_inner_size(size)
        .with_min_inner_size([760.0, 480.0])
        .with_drag_and_drop(true);
    if let Ok(icon) = crate::identity::window_icon() {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        crate::identity::NAME,
        options,
        Box::new(move |cc| {
            let dialogs = Box::new(crate::app::NativeDialogs);
            Ok(Box::new(KeyholderApp::new(
                cc,
                StartOptions::new(plan, paths, dialogs),
            )))
        }),
    )
    .map_err(|e| format!("the window could not be opened: {e}"))
}
