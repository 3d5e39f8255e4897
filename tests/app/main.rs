//! The real app driven through egui_kittest, as a user clicks and types.

#[path = "../support/harness.rs"]
mod harness;

mod charts;
mod compare;
mod trust;
mod workflows;
