//! The model, the engine, plan files, inventory import and reports, below the app and the
//! command line: one test binary, so the suite links eframe once for all of them.

#![allow(
    clippy::float_cmp,
    reason = "figures are compared with the exact values a report prints"
)]

#[path = "../support/synthetic.rs"]
mod synthetic;

mod bad_files;
mod crash;
mod frontier;
mod model;
mod plan_files;
mod portfolio;
mod price_books;
mod report;
mod saves;
mod saving;
mod workloads_csv;
