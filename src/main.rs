//! The `keyholder` binary: the command line, and the desktop app when no command is given.

use std::process::ExitCode;

use clap::Parser;
use keyholder::cli::{Cli, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(command) => run(command),
        None => {
            eprintln!(
                "The desktop app is not part of this build yet. Use a command, e.g. `keyholder report {}`; see `keyholder --help`.",
                cli.plan.map_or_else(
                    || "saves/law-firm.ron".to_owned(),
                    |p| p.display().to_string()
                )
            );
            ExitCode::from(2)
        }
    }
}
