//! The one way the app tests start the real app: `egui_kittest`'s eframe harness over
//! `KeyholderApp`, its files in a temporary folder, fake file dialogs answered from a queue,
//! and a stopwatch the test moves by hand.

#![allow(dead_code, reason = "each test module uses part of it")]

use std::cell::RefCell;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use egui::{Key, Modifiers, ViewportEvent, ViewportId};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use keyholder::app::{
    Action, AppPaths, DialogKind, DialogOutcome, FileDialogs, KeyholderApp, RECOVERY_DELAY_S,
    Selection, StartOptions, Tab,
};
use keyholder::clock::Stopwatch;
use keyholder::model::Plan;
use keyholder::storage::{load_plan, sample_plan, save_plan};

/// Answers dialogs from a queue the test fills (first in, first out); records what was asked.
#[derive(Clone, Default)]
pub struct FakeDialogs {
    answers: Rc<RefCell<VecDeque<DialogOutcome>>>,
    asked: Rc<RefCell<Vec<DialogKind>>>,
}

impl FakeDialogs {
    pub fn answer(&self, outcome: DialogOutcome) {
        self.answers.borrow_mut().push_back(outcome);
    }

    pub fn choose(&self, path: &Path) {
        self.answer(DialogOutcome::Chosen(path.to_path_buf()));
    }

    /// The dialogs shown so far, in order.
    pub fn asked(&self) -> Vec<DialogKind> {
        self.asked.borrow().clone()
    }
}

impl FileDialogs for FakeDialogs {
    fn ask(&mut self, kind: DialogKind, _folder: Option<&Path>, _file_name: &str) -> DialogOutcome {
        self.asked.borrow_mut().push(kind);
        self.answers
            .borrow_mut()
            .pop_front()
            .unwrap_or(DialogOutcome::Cancelled)
    }
}

/// A temporary folder for the app's own files and the test's plans, the fake dialogs and
/// the stopwatch.
pub struct Setup {
    pub folder: tempfile::TempDir,
    pub dialogs: FakeDialogs,
    pub stopwatch: Stopwatch,
}

impl Setup {
    pub fn new() -> Self {
        Self {
            folder: tempfile::tempdir().expect("temp"),
            dialogs: FakeDialogs::default(),
            stopwatch: Stopwatch::manual(),
        }
    }

    pub fn paths(&self) -> AppPaths {
        AppPaths::in_folder(self.folder.path())
    }

    /// `name` in the test's folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.folder.path().join(name)
    }

    /// A copy of the sample plan as a file in the temp folder.
    pub fn plan_file(&self, name: &str) -> PathBuf {
        self.write_plan(name, &sample_plan().expect("sample"))
    }

    pub fn write_plan(&self, name: &str, plan: &Plan) -> PathBuf {
        let path = self.path(name);
        save_plan(&path, plan).expect("save");
        path
    }

    /// The real app, opened on `plan` (or as at a first start), after its first frames.
    pub fn harness(&self, plan: Option<PathBuf>) -> Harness<'static, KeyholderApp> {
        self.harness_stepping(plan, 0.25)
    }

    /// Like [`Self::harness`], with `step_dt` seconds of input time per frame. kittest
    /// gives each queued event a frame of its own, so a double-click (two clicks within
    /// 0.3 s) needs frames shorter than the default quarter of a second.
    pub fn harness_stepping(
        &self,
        plan: Option<PathBuf>,
        step_dt: f32,
    ) -> Harness<'static, KeyholderApp> {
        let mut options = StartOptions::new(plan, self.paths(), Box::new(self.dialogs.clone()));
        options.stopwatch = self.stopwatch.clone();
        let mut harness = Harness::builder()
            .with_size([1400.0, 900.0])
            .with_step_dt(step_dt)
            .build_eframe(move |cc| KeyholderApp::new(cc, options));
        harness.run_ok();
        harness
    }

    /// Lets the plan be quiet long enough for its recovery file to be written.
    pub fn wait_for_recovery(&self, harness: &mut Harness<'_, KeyholderApp>) {
        self.stopwatch.advance(RECOVERY_DELAY_S + 0.5);
        harness.step();
        harness.run_ok();
    }
}

/// A sample plan from `saves/`.
pub fn sample(name: &str) -> Plan {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("saves")
        .join(name);
    load_plan(&path).expect("sample").0.plan
}

pub fn press(harness: &mut Harness<'_, KeyholderApp>, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.run_ok();
}

/// Leaves the field being typed in (Escape), so it commits, and shows the Workloads view.
pub fn unfocus(harness: &mut Harness<'_, KeyholderApp>) {
    harness.key_press(Key::Escape);
    harness.run_ok();
    show(harness, Tab::Workloads);
}

/// Replaces the text of the field named `label` with `text` (still focused).
pub fn replace_text(harness: &mut Harness<'_, KeyholderApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run_ok();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label(label).type_text(text);
    harness.run_ok();
}

/// Pushes an action as a view would, and lets the app run it.
pub fn act(harness: &mut Harness<'_, KeyholderApp>, action: Action) {
    harness.state_mut().push(action);
    harness.run_ok();
}

pub fn show(harness: &mut Harness<'_, KeyholderApp>, tab: Tab) {
    act(harness, Action::ShowTab(tab));
}

/// Selects one workload, as a click on its row does.
pub fn select(harness: &mut Harness<'_, KeyholderApp>, index: usize) {
    harness.state_mut().state.selection = Selection::one(index);
    harness.run_ok();
}

/// The window's close button.
pub fn request_close(harness: &mut Harness<'_, KeyholderApp>) {
    harness
        .input_mut()
        .viewports
        .entry(ViewportId::ROOT)
        .or_default()
        .events
        .push(ViewportEvent::Close);
    harness.run_ok();
}

/// A file dropped on the window.
#[derive(Debug)]
pub struct DroppedPath(pub PathBuf);

impl egui::DroppedFile for DroppedPath {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}
