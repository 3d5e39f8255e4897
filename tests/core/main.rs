//! The model, the engine, plan files, inventory import and reports, below the app and the
//! command line: one test binary, so the suite links eframe once for all of them.

#![allow(
    clippy::float_cmp,
    reason = "figures are compared with the exact values a report prints"
)]

#[path = "../support/bound_knobs.rs"]
mod bound_knobs;
#[path = "../support/pdf_tools.rs"]
mod pdf_tools;
#[path = "../support/synthetic.rs"]
mod synthetic;

mod audience;
mod bad_files;
mod bounds;
mod crash;
mod diff_scale;
mod frontier;
mod identity;
mod inventory;
mod merge;
mod migration;
mod model;
mod optimizer;
mod pdf;
mod plan_files;
mod portfolio;
mod price_books;
mod report;
mod saves;
mod saving;
mod slide;
mod terms;
mod text_files;
mod warnings;
mod workloads_csv;
