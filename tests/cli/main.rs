//! The `keyholder` command line run as a user runs it (the real binary, through `assert_cmd`).

#![allow(
    clippy::float_cmp,
    reason = "figures are compared with the exact values a report prints"
)]

mod bounds;
mod commands;
mod diff;
mod import;
mod merge;
mod optimize;
mod portfolio;
mod report;
mod saving;
mod terminal;
mod version;
