//! Command-line arguments (clap derive).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "ward",
    version,
    about = "Threat modeling as code for connected medical devices"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check a model: syntax, semantics and risk findings.
    Check(CheckArgs),
    /// Format .ward files canonically.
    Fmt(FmtArgs),
    /// Print the long description of a diagnostic code.
    Explain(ExplainArgs),
}

#[derive(Args, Debug, Clone)]
pub struct DiagnosticArgs {
    /// How diagnostics are printed.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
    /// When to colour human output (NO_COLOR is honoured by `auto`).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// Treat warnings as errors (exit 2 on any warning).
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// A .ward file, a folder of .ward files, or a Ward.toml (default: .).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    #[command(flatten)]
    pub diagnostics: DiagnosticArgs,
    /// Print how the risk of this threat was derived, step by step.
    #[arg(long, value_name = "THREAT_ID")]
    pub explain_risk: Option<String>,
}

#[derive(Args, Debug)]
pub struct FmtArgs {
    /// Files or folders to format (default: .).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Do not write; list the files that would change and exit 1 if any.
    #[arg(long)]
    pub check: bool,
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// A diagnostic code, e.g. E0001.
    pub code: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}
