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

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The real binary, ready for arguments.
fn keyholder() -> Command {
    Command::new(env!("CARGO_BIN_EXE_keyholder"))
}

/// A plan of `saves/`.
fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("saves")
        .join(name)
}
