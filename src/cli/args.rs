//! Command-line arguments (clap derive).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "ward",
    version,
    about = "Threat modeling as code for connected medical devices",
    after_help = "Exit codes (every command): 0 no errors (warnings allowed); 1 an error-level risk finding remains (or, with --check, files differ); 2 the model does not compile, or misuse; 141 the output pipe was closed early (e.g. `| head`)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check a model: syntax, semantics and risk findings.
    Check(CheckArgs),
    /// Check, then write every artifact (views, tables, model.json, SARIF, report).
    Build(BuildArgs),
    /// Format .ward files canonically.
    Fmt(FmtArgs),
    /// Print the long description of a diagnostic code.
    Explain(ExplainArgs),
    /// Run the language server on stdin/stdout (for editors).
    Lsp,
    /// What changed between two versions of a model: threats and their
    /// risk, controls, evidence, acceptances, hazards, findings.
    Diff(DiffArgs),
    /// Write a commented starter model that compiles clean, with Ward.toml,
    /// .gitignore, a CI workflow and a README; never overwrites a file.
    Init(InitArgs),
    /// Import another tool's threat model (Threagile YAML, Threat Dragon JSON) as a
    /// commented Ward model that compiles; never overwrites a file.
    Import(ImportArgs),
}

#[derive(Args, Debug, Clone)]
pub struct DiagnosticArgs {
    /// How diagnostics are printed.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
    /// When to colour human output (NO_COLOR is honoured by `auto`).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// Treat warnings as errors: exit 1 on any warning finding (2 on a
    /// compile warning, as for a compile error).
    #[arg(long)]
    pub deny_warnings: bool,
    /// Print only the errors and the final count line, and nothing on a
    /// clean model (JSON output still lists everything).
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print every diagnostic. By default, past the first 20 the warnings
    /// are counted by code, and `build` of a model unchanged since the last
    /// run counts its warnings in one line.
    #[arg(long, short)]
    pub verbose: bool,
    /// The stage to judge the model at (default: `stage` of Ward.toml, else
    /// design). `submission` judges on verified evidence only and reports
    /// what a reviewer would send back as errors.
    #[arg(long, value_enum)]
    pub stage: Option<StageArg>,
    /// The date end-of-support dates are judged against, `YYYY-MM-DD`
    /// (default: `as_of` of Ward.toml; builds never read the clock).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = calendar_date)]
    pub as_of: Option<String>,
}

fn calendar_date(text: &str) -> Result<String, String> {
    if ward_model::is_calendar_date(text) {
        Ok(text.to_owned())
    } else {
        Err(format!(
            "`{text}` is not a calendar date (expected YYYY-MM-DD)"
        ))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StageArg {
    Design,
    Submission,
}

impl From<StageArg> for ward_model::Stage {
    fn from(stage: StageArg) -> ward_model::Stage {
        match stage {
            StageArg::Design => ward_model::Stage::Design,
            StageArg::Submission => ward_model::Stage::Submission,
        }
    }
}

#[derive(Args, Debug)]
#[command(
    after_help = "Exit codes: 0 no errors (warnings allowed); 1 the model compiles but an error-level risk finding remains (or, with --deny-warnings, a warning finding); 2 the model does not compile, or misuse; 141 the output pipe was closed early (e.g. `| head`)."
)]
pub struct CheckArgs {
    /// A .ward file, a folder of .ward files, or a Ward.toml (default: .).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    #[command(flatten)]
    pub diagnostics: DiagnosticArgs,
    /// Print how the risk of this threat was derived, step by step, on its
    /// own (without the diagnostics).
    #[arg(long, value_name = "THREAT_ID")]
    pub explain_risk: Option<String>,
    /// Apply the safe fixes (did-you-mean, missing comma) to the files, then
    /// report what remains.
    #[arg(long)]
    pub fix: bool,
    /// Print the content hash of the model and of each scope the model's
    /// approvals use, one line each (`model sha256:...`), for an approval's
    /// `approved_hash`.
    #[arg(long)]
    pub print_hash: bool,
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// A .ward file, a folder of .ward files, or a Ward.toml (default: .).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The output folder (default: `out/` in the model root, or `[build] out` of Ward.toml).
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// A folder of templates that replace the built-in ones of the same name.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Write DOT only; skip running Graphviz for SVG.
    #[arg(long)]
    pub no_svg: bool,
    /// Regenerate in memory and exit 1 listing the artifacts that differ from those on disk.
    #[arg(long)]
    pub check: bool,
    /// Stamp artifacts with this time (default when given without a value:
    /// SOURCE_DATE_EPOCH or now). Without it, output has no timestamp.
    #[arg(long, value_name = "RFC3339", num_args = 0..=1, default_missing_value = "now")]
    pub timestamp: Option<String>,
    /// The revision stated in the design-history index (default: the git
    /// commit when the model is in a repository, else `unversioned`).
    #[arg(long, value_name = "REV")]
    pub revision: Option<String>,
    /// Also write these opt-in artifacts: `xlsx` (ward.xlsx), `reqif`
    /// (design-inputs.reqif), `otm` (model.otm.json). A comma list, repeatable; adds to `[outputs]`
    /// of Ward.toml. The other artifacts are always written.
    #[arg(long, value_name = "FORMAT", value_delimiter = ',')]
    pub format: Vec<String>,
    #[command(flatten)]
    pub diagnostics: DiagnosticArgs,
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
    /// How diagnostics are printed (JSON: one object per line on stdout,
    /// also for the files `--check` finds unformatted).
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// A diagnostic code, e.g. E0001.
    pub code: String,
    /// `json`: the page as one object (`code`, `summary`, `text`), and an
    /// unknown code as a diagnostic.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
}

#[derive(Args, Debug)]
#[command(
    after_help = "Each side is a folder, a Ward.toml, or a git revision of the repository around the current folder (`main`, `v1.2.0`, `HEAD~1`; `REV:PATH` names the model's folder in it). Exit codes: 0 no failing change; 1 a change named by --fail-on; 2 a side cannot be read or does not compile. See docs/diff.md."
)]
pub struct DiffArgs {
    /// The old version: a folder, a Ward.toml or a git revision.
    pub old: String,
    /// The new version (default: .).
    #[arg(default_value = ".")]
    pub new: String,
    /// Where the model is in a revision: a folder or Ward.toml, relative
    /// to the current folder (default: .). `REV:PATH` overrides it for one side.
    #[arg(long, value_name = "PATH", default_value = ".")]
    pub model: std::path::PathBuf,
    /// How the change impact is written.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Exit 1 when the diff shows this kind of change (repeatable).
    #[arg(long, value_enum, value_name = "CHANGE")]
    pub fail_on: Vec<FailOnArg>,
    /// The stage to judge both sides at (default: each side's Ward.toml).
    #[arg(long, value_enum)]
    pub stage: Option<StageArg>,
    /// When to colour diagnostics of a side that does not compile.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Md,
    Json,
    Html,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    RiskIncrease,
    NewUncontrolled,
    StaleAcceptance,
    AnyChange,
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

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The folder to write the starter into (default: .; made if missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The starter model to write.
    #[arg(long, value_enum, default_value_t = InitTemplate::Minimal)]
    pub template: InitTemplate,
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// How diagnostics are printed.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
}

/// The starter models of `ward init` (templates/init/NAME/).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InitTemplate {
    /// One device, one app, one cloud service.
    Minimal,
    /// A BLE body-worn sensor, a phone app and a cloud (like a CGM).
    Wearable,
    /// An infusion pump, its bridge, the hospital network, a drug library server.
    InfusionPump,
    /// Many bedside devices behind a gateway, the EHR through an interface engine.
    HospitalFleet,
}

#[derive(Args, Debug)]
#[command(
    after_help = "Writes Ward.toml and model.ward into DIR (made if missing) and prints what was mapped, approximated and dropped; whatever could not be mapped is a comment where it came from. Nothing is written when the input has an error or a file is in the way. Exit codes: 0 imported; 2 the input cannot be read or imported, or a file is in the way. See docs/interchange.md."
)]
pub struct ImportArgs {
    /// The format of INPUT.
    #[arg(value_enum)]
    pub format: ImportFormat,
    /// The file to import.
    pub input: PathBuf,
    /// The folder to write the Ward model into.
    #[arg(short, long, value_name = "DIR")]
    pub out: PathBuf,
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// How diagnostics are printed.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
}

/// The formats `ward import` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// Threagile YAML (threagile_version 1.x).
    Threagile,
    /// OWASP Threat Dragon v2 JSON.
    ThreatDragon,
    /// Open Threat Model JSON (otmVersion 0.2.x), e.g. from IriusRisk, tools/pytm2otm.py or `ward build --format otm`.
    Otm,
}
