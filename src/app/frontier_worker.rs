//! The trade-off frontier, computed by the generic [`Background`] worker so the window never
//! freezes; it starts again (cancelling the old run) when the plan or the metric changes, and
//! shows the same plan's previous frontier while the new one is computed.

use std::sync::Arc;

use super::background::Background;
use crate::model::{CostMetric, Evaluation, Frontier};

/// What the frontier is computed for: the document (its generation in this session), the
/// plan's revision and the metric.
pub type FrontierKey = (u64, u64, CostMetric);

#[derive(Default)]
pub struct FrontierWorker {
    background: Background<FrontierKey, Frontier>,
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
        if self.background.is_for(&key) {
            return;
        }
        let evaluation = evaluation.clone();
        self.background.request(key, ctx, move |cancel| {
            Frontier::compute_unless_cancelled(&evaluation, key.2, cancel)
        });
    }

    /// Takes a finished result, if any.
    pub fn poll(&mut self) {
        self.background.poll();
    }

    /// Blocks until the running computation ends (tests and benchmarks).
    pub fn wait(&mut self) {
        self.background.wait();
    }

    #[must_use]
    pub fn state(&self, key: FrontierKey) -> FrontierState<'_> {
        match self.background.latest() {
            Some((k, frontier)) if *k == key => FrontierState::Ready(frontier),
            // The same plan's previous frontier, shown (not used) until the new one is there.
            Some((k, frontier)) if k.0 == key.0 && k.2 == key.2 => {
                FrontierState::Computing(Some(frontier))
            }
            _ => FrontierState::Computing(None),
        }
    }
}
