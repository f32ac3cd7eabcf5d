//! The `ward` command line: argument parsing and exit codes. Each command is
//! a thin shell over the library crates; no model logic lives here.

mod args;
mod build;
mod check;
mod explain;
mod fmt;
mod source_files;
mod output;
mod pipeline;
mod progress;

use args::{Cli, Command};
use clap::Parser;

/// Exit codes shared by every command (spec §3).
pub mod exit {
    /// No errors (warnings allowed).
    pub const OK: i32 = 0;
    /// The model compiles but an error-level risk finding remains (or, for
    /// `fmt --check` and `build --check`, files differ).
    pub const FINDINGS: i32 = 1;
    /// A compile error, or misuse of the command.
    pub const ERROR: i32 = 2;
}

/// Runs the CLI and returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() {
                exit::ERROR
            } else {
                exit::OK
            };
            let _ = err.print();
            return code;
        }
    };
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Build(args) => build::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Lsp => ward_lsp::run_stdio(),
    }
}
