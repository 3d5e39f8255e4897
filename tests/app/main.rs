//! The real app driven through `egui_kittest`, as a user clicks and types.

#![allow(
    clippy::float_cmp,
    reason = "figures are compared with the exact values a report prints"
)]

#[path = "../support/bound_knobs.rs"]
mod bound_knobs;
#[path = "../support/harness.rs"]
mod harness;
#[path = "../support/synthetic.rs"]
mod synthetic;

mod bad_plans;
mod charts;
mod compare;
mod export;
mod identity;
mod import;
mod merge;
mod portfolio;
mod terms;
mod trust;
mod workflows;
