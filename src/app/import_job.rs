//! An inventory import on a background thread: a large or slow file (a network share) never
//! freezes the window, the user sees how far it got, and can cancel it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, channel};

use crate::import::ImportOutcome;
use crate::model::{PriceBook, YearMonth};

/// How far an import got, shared with the thread doing it.
#[derive(Debug, Default)]
pub struct ImportProgress {
    /// Bytes of the file read and parsed so far, and in all (0 until known).
    pub done_bytes: AtomicU64,
    pub total_bytes: AtomicU64,
    /// Set to stop the import; the open plan is then left as it was.
    pub cancel: AtomicBool,
}

impl ImportProgress {
    /// 0.0–1.0, or `None` while the size is not known.
    #[must_use]
    pub fn fraction(&self) -> Option<f32> {
        let total = self.total_bytes.load(Ordering::Relaxed);
        (total > 0).then(|| {
            #[expect(clippy::cast_precision_loss, reason = "a progress bar")]
            let fraction = self.done_bytes.load(Ordering::Relaxed) as f32 / total as f32;
            fraction.clamp(0.0, 1.0)
        })
    }
}

/// A running import.
pub struct ImportJob {
    pub path: PathBuf,
    pub customer: String,
    pub progress: Arc<ImportProgress>,
    receiver: Receiver<Result<ImportOutcome, String>>,
}

impl ImportJob {
    /// Starts importing `path` as a new plan for `customer`.
    #[must_use]
    pub fn start(
        path: &Path,
        customer: String,
        start_month: YearMonth,
        book: PriceBook,
        repaint: egui::Context,
    ) -> Self {
        let progress = Arc::new(ImportProgress::default());
        let (sender, receiver) = channel();
        let thread_progress = Arc::clone(&progress);
        let thread_path = path.to_path_buf();
        let thread_customer = customer.clone();
        let work = move || {
            let outcome = run_import(
                &thread_path,
                &thread_customer,
                start_month,
                book,
                &thread_progress,
            );
            if !thread_progress.cancel.load(Ordering::Relaxed) {
                let _ = sender.send(outcome);
            }
            repaint.request_repaint();
        };
        if let Err(error) = std::thread::Builder::new()
            .name("import".to_owned())
            .spawn(work)
        {
            // No thread: say so rather than freeze the window with the work.
            let (sender, failed) = channel();
            let _ = sender.send(Err(format!("the import could not be started: {error}")));
            return Self {
                path: path.to_path_buf(),
                customer,
                progress,
                receiver: failed,
            };
        }
        Self {
            path: path.to_path_buf(),
            customer,
            progress,
            receiver,
        }
    }

    /// The outcome, once the thread is done.
    #[must_use]
    pub fn poll(&self) -> Option<Result<ImportOutcome, String>> {
        self.receiver.try_recv().ok()
    }

    pub fn cancel(&self) {
        self.progress.cancel.store(true, Ordering::Relaxed);
    }
}

fn run_import(
    path: &Path,
    customer: &str,
    start_month: YearMonth,
    book: PriceBook,
    progress: &ImportProgress,
) -> Result<ImportOutcome, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if bytes.len() as u64 > crate::storage::MAX_FILE_BYTES {
        return Err(format!("{}: the file is too large", path.display()));
    }
    progress
        .total_bytes
        .store(bytes.len() as u64, Ordering::Relaxed);
    let text = String::from_utf8_lossy(&bytes);
    let outcome = crate::import::import_inventory(&text, customer, start_month, book)
        .map_err(|message| format!("{}:{message}", path.display()))?;
    progress
        .done_bytes
        .store(bytes.len() as u64, Ordering::Relaxed);
    Ok(outcome)
}
