//! An inventory import on a background thread: a large or slow file (a network share) never
//! freezes the window, the user sees how far it got, and can cancel it. The reading is the
//! command line's own (`import::import_inventory_file`): the same encodings, limits and
//! counts.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

use crate::import::{ImportError, ImportOutcome, ImportProgress, InventorySettings};

/// A running import.
pub struct ImportJob {
    pub path: PathBuf,
    pub customer: String,
    pub progress: Arc<ImportProgress>,
    receiver: Receiver<Result<ImportOutcome, ImportError>>,
}

impl ImportJob {
    /// Starts importing `path` as a new plan.
    #[must_use]
    pub fn start(path: &Path, settings: InventorySettings, repaint: egui::Context) -> Self {
        let progress = Arc::new(ImportProgress::new());
        let (sender, receiver) = channel();
        let customer = settings.customer.clone();
        let thread_progress = Arc::clone(&progress);
        let thread_path = path.to_path_buf();
        let work = move || {
            let outcome =
                crate::import::import_inventory_file(&thread_path, settings, &thread_progress);
            let _ = sender.send(outcome);
            repaint.request_repaint();
        };
        let receiver = match std::thread::Builder::new()
            .name("import".to_owned())
            .spawn(work)
        {
            Ok(_) => receiver,
            Err(error) => {
                // No thread: say so rather than freeze the window with the work.
                let (sender, failed) = channel();
                let _ = sender.send(Err(ImportError::Refused {
                    path: path.to_path_buf(),
                    line: 0,
                    message: format!("the import could not be started: {error}"),
                }));
                failed
            }
        };
        Self {
            path: path.to_path_buf(),
            customer,
            progress,
            receiver,
        }
    }

    /// The outcome, once the thread is done.
    #[must_use]
    pub fn poll(&self) -> Option<Result<ImportOutcome, ImportError>> {
        self.receiver.try_recv().ok()
    }

    pub fn cancel(&self) {
        self.progress.cancel();
    }
}
