//! The real app driven through `egui_kittest`, as a user clicks and types.

#![allow(
    clippy::float_cmp,
    reason = "figures are compared with the exact values a report prints"
)]

#[path = "../support/harness.rs"]
mod harness;

mod charts;
mod compare;
mod portfolio;
mod trust;
mod workflows;
