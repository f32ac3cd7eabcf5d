//! The shared front half of `check` and `build`: compile, then analyse when
//! the model compiles, and the exit code that follows (spec §3).

use super::exit;
use super::last_run::{self, Fingerprint};
use super::output::{plural, Printer, Tally, Verbosity};
use std::path::Path;
use ward_analysis::Analysis;
use ward_diagnostics::Diagnostic;
use ward_model::{Compiled, Digests};

pub struct Outcome {
    pub compiled: Compiled,
    /// `None` when the model does not compile.
    pub analysis: Option<Analysis>,
}

impl Outcome {
    /// Compile diagnostics followed by analysis findings, sorted by position.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let findings = self
            .analysis
            .as_ref()
            .map_or_else(Vec::new, |a| a.findings.clone());
        // Each is sorted already.
        ward_diagnostics::merge_sorted(self.compiled.diagnostics.clone(), findings)
    }

    /// [`Outcome::diagnostics`], moved out instead of copied: the outcome
    /// keeps none afterwards.
    pub fn take_diagnostics(&mut self) -> Vec<Diagnostic> {
        let compiled = std::mem::take(&mut self.compiled.diagnostics);
        let findings =
            (self.analysis.as_mut()).map_or_else(Vec::new, |a| std::mem::take(&mut a.findings));
        // Each is sorted already.
        ward_diagnostics::merge_sorted(compiled, findings)
    }

    /// 2 for compile errors (or compile warnings under `--deny-warnings`) and
    /// for an analysis over its threat budget (E0420),
    /// 1 for error-level findings (or any finding under `--deny-warnings`).
    pub fn exit_code(&self, deny_warnings: bool) -> i32 {
        let compile = Tally::of(&self.compiled.diagnostics);
        if compile.errors > 0 || (deny_warnings && compile.warnings > 0) {
            return exit::ERROR;
        }
        if self.analysis.as_ref().is_some_and(|a| !a.within_budget) {
            return exit::ERROR;
        }
        let findings = Tally::of(self.analysis.as_ref().map_or(&[][..], |a| &a.findings));
        if findings.errors > 0 || (deny_warnings && findings.warnings > 0) {
            return exit::FINDINGS;
        }
        exit::OK
    }
}

/// What the command line overrides of how the model is judged (`--stage`,
/// `--as-of`); `None` keeps what `Ward.toml` sets.
#[derive(Clone, Debug, Default)]
pub struct Judging {
    pub stage: Option<ward_model::Stage>,
    pub as_of: Option<String>,
}

impl From<&super::args::DiagnosticArgs> for Judging {
    fn from(args: &super::args::DiagnosticArgs) -> Judging {
        Judging {
            stage: args.stage.map(Into::into),
            as_of: args.as_of.clone(),
        }
    }
}

/// Compiles the model at `path` and, when it compiles, analyses it at
/// the stage and date of `judging`, or those its `Ward.toml` sets.
/// `digests`: which declarations' content digests the model keeps
/// (`ward check --print-hash` needs all of them).
pub fn compile_and_analyze(path: &Path, judging: &Judging, digests: Digests) -> Outcome {
    let mut compiled = ward_model::compile_path_with(path, digests);
    if let Some(stage) = judging.stage {
        compiled.model.stage = stage;
    }
    if let Some(as_of) = &judging.as_of {
        compiled.model.as_of = Some(as_of.clone());
    }
    let analysis = ward_analysis::analyze_compiled(&compiled);
    Outcome { compiled, analysis }
}

/// Prints the model's diagnostics and, for humans, the final count line
/// on stderr (none under `--quiet` on a clean model), and remembers them as
/// the last run. `after_check`: a model whose sources and diagnostics are
/// those of the last run gets its warnings in one line (`build`).
pub fn report(outcome: &Outcome, printer: Printer, after_check: bool) {
    report_diagnostics(outcome, outcome.diagnostics(), printer, after_check);
}

/// [`report`] of `diagnostics`, the outcome's, already taken out of it.
pub fn report_diagnostics(
    outcome: &Outcome,
    diagnostics: Vec<Diagnostic>,
    printer: Printer,
    after_check: bool,
) {
    let sources = &outcome.compiled.sources;
    let root = &outcome.compiled.root;
    let fingerprint = Fingerprint::of(sources, &diagnostics);
    let repeated = after_check && last_run::reported_before(root, &fingerprint);
    let tally = Tally::of(&diagnostics);
    printer.model_diagnostics(sources, diagnostics, repeated);
    last_run::remember(root, &fingerprint);
    if printer.is_json() {
        return;
    }
    if printer.verbosity == Verbosity::Quiet && tally.errors + tally.warnings == 0 {
        return;
    }
    let counts = format!(
        "{}, {}",
        plural(tally.errors, "error"),
        plural(tally.warnings, "warning")
    );
    match &outcome.analysis {
        None => printer.say(format!("error: the model does not compile ({counts})")),
        Some(analysis) if !analysis.within_budget => printer.say(format!(
            "error: the analysis stopped at its threat budget ({counts})"
        )),
        Some(analysis) => {
            let controlled = analysis.threats.iter().filter(|t| t.controlled).count();
            let files = (sources.files()).filter(|(_, f)| f.path.is_some()).count();
            printer.say(format!(
                "checked {} at stage {}: {} ({controlled} controlled); {counts}",
                plural(files, "file"),
                outcome.compiled.model.stage,
                plural(analysis.threats.len(), "threat"),
            ));
        }
    }
}
