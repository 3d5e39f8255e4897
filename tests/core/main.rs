//! The model, the engine, plan files, inventory import and reports, below the app and the
//! command line: one test binary, so the suite links eframe once for all of them.

#[path = "../support/synthetic.rs"]
mod synthetic;

mod bad_files;
mod crash;
mod frontier;
mod model;
mod optimizer;
mod plan_files;
mod price_books;
mod report;
mod saves;
mod workloads_csv;
