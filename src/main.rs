//! The `keyholder` binary: the desktop app, or a command line tool when given a command.

use std::process::ExitCode;

use clap::Parser;
use keyholder::cli::{Cli, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(command) => run(command),
        // A mistyped command would otherwise be taken for a plan to open.
        None if cli.plan.as_ref().is_some_and(|p| !p.exists()) => {
            let path = cli.plan.unwrap_or_default();
            eprintln!(
                "keyholder: {}: no such plan file, and not a command (check, report, optimize, import, diff, portfolio); see `keyholder --help`",
                path.display()
            );
            ExitCode::from(2)
        }
        None => match keyholder::ui::run_native(cli.plan) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("keyholder: {message}");
                ExitCode::FAILURE
            }
        },
    }
}
