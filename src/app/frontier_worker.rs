//! Computes the trade-off frontier on a background thread so the window never freezes, and
//! starts again (cancelling the old run) when the plan or the metric changes.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};

use crate::model::{CostMetric, Evaluation, Frontier};

/// What the frontier is computed for: the document (its generation in this session), the
/// plan's revision and the metric.
pub type FrontierKey = (u64, u64, CostMetric);

struct Job {
    key: FrontierKey,
    cancel: Arc<AtomicBool>,
    receiver: Receiver<Frontier>,
}

#[derive(Default)]
pub struct FrontierWorker {
    job: Option<Job>,
    ready: Option<(FrontierKey, Arc<Frontier>)>,
}

/// What the chart can show.
pub enum FrontierState<'a> {
    Ready(&'a Arc<Frontier>),
    /// Computing; the previous frontier (for an older plan) while it lasts.
    Computing(Option<&'a Arc<Frontier>>),
}

impl FrontierWorker {
    /// Asks for the frontier of `key`; starts a computation if none is ready or running.
    pub fn request(&mut self, key: FrontierKey, evaluation: &Evaluation, ctx: &egui::Context) {
        self.poll();
        if self.ready.as_ref().is_some_and(|(k, _)| *k == key)
            || self.job.as_ref().is_some_and(|j| j.key == key)
        {
            return;
        }
        if let Some(old) = self.job.take() {
            old.cancel.store(true, Ordering::Relaxed);
        }
        let cancel = Arc::new(AtomicBool::new(false));
        let (sender, receiver) = channel();
        let for_thread = evaluation.clone();
        let thread_cancel = Arc::clone(&cancel);
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("frontier".to_owned())
            .spawn(move || {
                if let Some(frontier) =
                    Frontier::compute_unless_cancelled(&for_thread, key.2, &thread_cancel)
                {
                    let _ = sender.send(frontier);
                    ctx.request_repaint();
                }
            });
        if spawned.is_ok() {
            self.job = Some(Job {
                key,
                cancel,
                receiver,
            });
        } else {
            // No thread could be started: compute here rather than show nothing.
            self.ready = Some((key, Arc::new(Frontier::compute(evaluation, key.2))));
        }
    }

    /// Takes a finished result, if any.
    pub fn poll(&mut self) {
        if let Some(job) = &self.job
            && let Ok(frontier) = job.receiver.try_recv()
        {
            self.ready = Some((job.key, Arc::new(frontier)));
            self.job = None;
        }
    }

    /// Blocks until the running computation ends (tests and benchmarks).
    pub fn wait(&mut self) {
        if let Some(job) = self.job.take()
            && let Ok(frontier) = job.receiver.recv()
        {
            self.ready = Some((job.key, Arc::new(frontier)));
        }
    }

    #[must_use]
    pub fn state(&self, key: FrontierKey) -> FrontierState<'_> {
        match &self.ready {
            Some((k, frontier)) if *k == key => FrontierState::Ready(frontier),
            // The same plan's previous frontier, shown (not used) until the new one is there.
            Some((k, frontier)) if k.0 == key.0 && k.2 == key.2 => {
                FrontierState::Computing(Some(frontier))
            }
            _ => FrontierState::Computing(None),
        }
    }
}

impl Drop for FrontierWorker {
    fn drop(&mut self) {
        if let Some(job) = &self.job {
            job.cancel.store(true, Ordering::Relaxed);
        }
    }
}
