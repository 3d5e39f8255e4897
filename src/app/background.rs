//! One computation at a time on a background thread, for a key: asking for another key
//! cancels the running one; the last result stays until a newer one arrives. The frontier, the
//! trade-off chart's terms view and its exact answer use it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex, PoisonError};

struct Job<K, T> {
    key: K,
    cancel: Arc<AtomicBool>,
    receiver: Receiver<T>,
}

pub struct Background<K, T> {
    job: Option<Job<K, T>>,
    ready: Option<(K, Arc<T>)>,
}

impl<K, T> Default for Background<K, T> {
    fn default() -> Self {
        Self {
            job: None,
            ready: None,
        }
    }
}

impl<K: PartialEq + Clone, T: Send + 'static> Background<K, T> {
    /// Runs `work` for `key` unless its result is ready or running; `work` gets a flag that
    /// is set when the result is no longer wanted, and returns `None` when it stopped.
    pub fn request(
        &mut self,
        key: K,
        ctx: &egui::Context,
        work: impl FnOnce(&AtomicBool) -> Option<T> + Send + 'static,
    ) {
        if self.is_for(&key) {
            return;
        }
        if let Some(old) = self.job.take() {
            old.cancel.store(true, Ordering::Relaxed);
        }
        let cancel = Arc::new(AtomicBool::new(false));
        let (sender, receiver) = channel();
        let thread_cancel = Arc::clone(&cancel);
        let ctx = ctx.clone();
        // Kept outside the thread's closure so that it can still run here if no thread starts.
        let work = Arc::new(Mutex::new(Some(work)));
        let thread_work = Arc::clone(&work);
        let spawned = std::thread::Builder::new()
            .name("background".to_owned())
            .spawn(move || {
                let work = thread_work
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .take();
                if let Some(result) = work.and_then(|work| work(&thread_cancel)) {
                    let _ = sender.send(result);
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
            let work = work.lock().unwrap_or_else(PoisonError::into_inner).take();
            if let Some(result) = work.and_then(|work| work(&AtomicBool::new(false))) {
                self.ready = Some((key, Arc::new(result)));
            }
        }
    }

    /// Whether the result for `key` is ready or being computed (after taking a finished one).
    pub fn is_for(&mut self, key: &K) -> bool {
        self.poll();
        self.ready.as_ref().is_some_and(|(k, _)| k == key)
            || self.job.as_ref().is_some_and(|j| j.key == *key)
    }

    /// Takes a finished result, if any.
    pub fn poll(&mut self) {
        if let Some(job) = &self.job
            && let Ok(result) = job.receiver.try_recv()
        {
            self.ready = Some((job.key.clone(), Arc::new(result)));
            self.job = None;
        }
    }

    /// Blocks until the running computation ends (tests).
    pub fn wait(&mut self) {
        if let Some(job) = self.job.take()
            && let Ok(result) = job.receiver.recv()
        {
            self.ready = Some((job.key, Arc::new(result)));
        }
    }

    /// The result for `key`, when it is ready.
    #[must_use]
    pub fn result(&self, key: &K) -> Option<&Arc<T>> {
        self.ready
            .as_ref()
            .filter(|(k, _)| k == key)
            .map(|(_, r)| r)
    }

    /// The latest result and the key it is for, whatever is asked now.
    #[must_use]
    pub fn latest(&self) -> Option<(&K, &Arc<T>)> {
        self.ready.as_ref().map(|(k, r)| (k, r))
    }

    /// Whether a computation is running.
    #[must_use]
    pub fn is_running(&self) -> bool {
        self.job.is_some()
    }
}

impl<K, T> Drop for Background<K, T> {
    fn drop(&mut self) {
        if let Some(job) = &self.job {
            job.cancel.store(true, Ordering::Relaxed);
        }
    }
}
