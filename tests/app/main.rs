//! The real app driven through egui_kittest, as a user clicks and types.

mod charts;
mod compare;
mod workflows;
