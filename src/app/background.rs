//! One computation at a time on a background thread, for a key: asking for another key
//! cancels the running one; the last result stays until a newer one arrives. The frontier has
//! its own worker; the trade-off chart's terms view uses this one.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};

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
        let thread_cancel = Arc::clone(&cancel);
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("background".to_owned())
            .spawn(move || {
                if let Some(result) = work(&thread_cancel) {
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
        }
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
