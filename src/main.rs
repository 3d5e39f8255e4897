//! The `keyholder` binary: the desktop app, or a command line tool when given a command.

use std::process::ExitCode;

use clap::Parser;
use keyholder::cli::{Cli, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(command) => run(command),
        None => match keyholder::ui::run_native(cli.plan) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("keyholder: {message}");
                ExitCode::FAILURE
            }
        },
    }
}
