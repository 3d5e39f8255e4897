//! One frame's logic, run by eframe's `App::logic` before the frame is drawn, and also while
//! the window is hidden (minimised), so that recovery writes and background results never
//! wait for the window to come back.

use std::time::Duration;

use egui::ViewportCommand;

use super::{
    Action, Command, KeyholderApp, Modal, RECOVERY_DELAY_S, RecoveryFile, Tab, TradeOffView,
};

impl KeyholderApp {
    /// Input and shortcuts, the queued actions, the derived figures, background results,
    /// recovery writes and the window title.
    pub fn logic(&mut self, ctx: &egui::Context) {
        self.window_input(ctx);
        let acted = self.run_actions(ctx);
        self.poll_background(ctx);
        self.refresh(ctx);
        self.keep_recovery(ctx);
        if acted {
            // What they changed shows in the next frame, which must not wait for more input.
            ctx.request_repaint();
        }
    }

    /// The window's own requests: close, files dropped on it, keyboard shortcuts.
    fn window_input(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) && !self.state.close_confirmed {
            if self.state.document.is_dirty() {
                ctx.send_viewport_cmd(ViewportCommand::CancelClose);
                self.state.modal = Some(Modal::UnsavedChanges {
                    then: Box::new(Action::Command(Command::Quit)),
                });
            } else {
                self.forget_recovery();
            }
        }
        let dropped: Vec<std::path::PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        // Only the last file dropped is opened (one plan at a time).
        if let Some(path) = dropped.into_iter().last() {
            self.actions.push(Action::OpenPath(path));
        }
        if self.state.modal.is_some() {
            return;
        }
        let typing = ctx.egui_wants_keyboard_input();
        // egui matches Ctrl+Z also when Shift is held: try the shortcuts with more modifiers first.
        let mut commands = Command::ALL;
        commands.sort_by_key(|c| {
            std::cmp::Reverse(c.shortcut().map_or(0, |s| u8::from(s.modifiers.shift)))
        });
        for command in commands {
            if typing && !command.works_while_typing() {
                continue;
            }
            let pressed = command
                .shortcut()
                .into_iter()
                .chain(command.alternative_shortcut())
                .any(|shortcut| ctx.input_mut(|i| i.consume_shortcut(&shortcut)));
            if pressed {
                self.actions.push(Action::Command(command));
            }
        }
    }

    /// Runs the queue. An action that would replace the plan while a question is open waits
    /// for the answer. Returns whether anything ran.
    fn run_actions(&mut self, ctx: &egui::Context) -> bool {
        let mut acted = false;
        // Actions may queue more (an answer followed by what it leads to): run until empty.
        loop {
            let queued = self.actions.take();
            if queued.is_empty() {
                break;
            }
            for action in queued {
                if self.state.modal.is_some() && action.waits_for_open_question() {
                    self.waiting.push(action);
                    continue;
                }
                acted = true;
                self.handle(ctx, action);
            }
            if self.state.modal.is_none() && !self.waiting.is_empty() {
                for action in std::mem::take(&mut self.waiting) {
                    self.actions.push(action);
                }
            }
        }
        acted
    }

    /// Results of work running on other threads.
    fn poll_background(&mut self, ctx: &egui::Context) {
        self.state.frontier.poll();
        self.poll_import();
        self.poll_portfolio(ctx);
    }

    fn refresh(&mut self, ctx: &egui::Context) {
        if let Some(rect) = ctx.input(|i| i.viewport().inner_rect) {
            let size = [rect.width().round(), rect.height().round()];
            if self.state.preferences.window_size != Some(size)
                && size[0] > 100.0
                && size[1] > 100.0
            {
                self.state.preferences.window_size = Some(size);
            }
        }
        let changes = self.state.document.take_changes();
        let revision = self.state.document.revision();
        self.state
            .derived
            .update(self.state.document.plan(), revision, changes);
        let scenarios = self.state.plan().scenarios.len();
        self.state.active_scenario = self.state.active_scenario.min(scenarios.saturating_sub(1));
        let workloads = self.state.plan().workloads.len();
        let selection = &mut self.state.selection;
        selection.all.retain(|&i| i < workloads);
        if selection.current.is_some_and(|i| i >= workloads) {
            selection.current = None;
        }
        let key = self.state.document_key();
        if let Some(comparison) = &mut self.state.comparison {
            comparison.refresh(
                self.state.document.plan(),
                &self.state.derived.evaluation,
                key,
            );
        }
        if self.state.tab == Tab::TradeOff {
            let frontier_key = (key.0, key.1, self.views.charts.metric);
            self.state
                .frontier
                .request(frontier_key, &self.state.derived.evaluation, ctx);
            if self.views.charts.view == TradeOffView::Plan
                && let Some(answer_key) = self.views.charts.answer_key(key)
            {
                let evaluation = self.state.derived.evaluation.clone();
                self.state.exact_answer.request(answer_key, ctx, move |_| {
                    // Tens of milliseconds at 100,000 workloads: not worth stopping halfway.
                    let optimizer = crate::model::Optimizer::new(&evaluation, answer_key.2);
                    Some(optimizer.most_control_within(&evaluation, answer_key.3))
                });
            }
            if self.views.charts.view == TradeOffView::Terms {
                let terms_key = self.views.charts.terms_key(key);
                let evaluation = self.state.derived.evaluation.clone();
                let (metric, min_control) = (terms_key.2, terms_key.3);
                self.state
                    .term_policies
                    .request(terms_key, ctx, move |cancel| {
                        crate::model::charts::term_policy_points(
                            &evaluation,
                            metric,
                            crate::model::Decimal::new(min_control, 2),
                            cancel,
                        )
                    });
            }
        }
        let title = self.state.title();
        if title != self.window_title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.window_title = title;
        }
    }

    /// Writes unsaved work to the recovery file once the plan has been quiet for a moment.
    fn keep_recovery(&mut self, ctx: &egui::Context) {
        if self.state.close_confirmed {
            return;
        }
        let revision = self.state.document.revision();
        let now_s = self.stopwatch.seconds();
        if revision != self.last_seen_revision {
            self.last_seen_revision = revision;
            self.last_change_s = now_s;
        }
        if !self.state.document.is_dirty() {
            if self.recovery != RecoveryFile::NotOurs {
                self.forget_recovery();
            }
            return;
        }
        if self.recovery == RecoveryFile::Written(revision) {
            return;
        }
        let waited = now_s - self.last_change_s;
        if waited < RECOVERY_DELAY_S {
            ctx.request_repaint_after(Duration::from_secs_f64(RECOVERY_DELAY_S - waited + 0.05));
            return;
        }
        let written = super::write_recovery(
            &self.state.paths.recovery_dir(),
            self.state.document.path(),
            self.state.document.stamp.as_ref(),
            self.state.plan(),
        );
        if let Err(error) = written {
            self.state.status = Some(format!(
                "Unsaved work could not be written to the recovery folder: {error}"
            ));
        }
        // Also after a failure: trying again every frame would not help, the next edit will.
        self.recovery = RecoveryFile::Written(revision);
    }
}
