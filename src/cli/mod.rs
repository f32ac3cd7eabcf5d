//! The `ward` command line: argument parsing and exit codes. Each command is
//! a thin shell over the library crates; no model logic lives here.

mod arg_error;
mod args;
mod build;
mod check;
mod diff;
mod explain;
mod fix;
mod fmt;
mod import;
mod init;
mod last_run;
mod output;
mod pipeline;
mod progress;
mod source_files;

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
    /// Standard output or error was closed before ward finished writing (a
    /// pager or `head` quit): 128 + SIGPIPE, what a shell reports for a
    /// command killed by a closed pipe.
    pub const PIPE_CLOSED: i32 = 141;
}

/// A closed stdout or stderr ends ward quietly with [`exit::PIPE_CLOSED`]
/// instead of a panic (exit 101): `print!` and `eprint!` panic when the
/// write fails, wherever they are, and this hook turns that one panic into
/// the exit. SIGPIPE itself stays ignored (Rust's default), so a Graphviz
/// child that exits early is an error ward reports, not a silent death.
fn exit_quietly_on_closed_pipe() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        let closed = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        if message.starts_with("failed printing to std")
            && (message.contains("Broken pipe") || message.contains(&closed.to_string()))
        {
            std::process::exit(exit::PIPE_CLOSED);
        }
        default_hook(info);
    }));
}

/// Runs the CLI and returns the process exit code.
pub fn main() -> i32 {
    exit_quietly_on_closed_pipe();
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&argv) {
        Ok(cli) => cli,
        Err(err) if !err.use_stderr() => {
            // --help and --version: clap's text on stdout.
            let _ = err.print();
            return exit::OK;
        }
        Err(err) => {
            if arg_error::asks_for_json(&argv) {
                arg_error::print_as_json(&err);
            } else {
                let _ = err.print();
            }
            return exit::ERROR;
        }
    };
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Build(args) => build::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Lsp => ward_lsp::run_stdio(),
        Command::Diff(args) => diff::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Import(args) => import::run(&args),
    }
}
