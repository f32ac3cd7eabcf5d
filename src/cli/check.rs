//! `ward check [PATH]`: diagnostics and risk findings; `--explain-risk`;
//! `--fix` applies the safe fixes first.

use super::args::CheckArgs;
use super::exit;
use super::output::{plural, Printer};
use super::pipeline::{compile_and_analyze, report_diagnostics, Judging, Outcome};
use ward_diagnostics::{Code, Diagnostic};

pub fn run(args: &CheckArgs) -> i32 {
    let printer = Printer::from(&args.diagnostics);
    let judging = Judging::from(&args.diagnostics);
    let digests = if args.print_hash {
        ward_model::Digests::All
    } else {
        ward_model::Digests::WhenRead
    };
    let outcome = if args.fix {
        super::fix::fix_model(&args.path, &judging, digests, printer)
    } else {
        compile_and_analyze(&args.path, &judging, digests)
    };
    let code = outcome.exit_code(args.diagnostics.deny_warnings);
    if let Some(threat_id) = &args.explain_risk {
        return explain_risk(&outcome, threat_id, printer).unwrap_or(code);
    }
    if args.print_hash {
        return print_hashes(&outcome, printer, code);
    }
    let mut outcome = outcome;
    let diagnostics = outcome.take_diagnostics();
    report_diagnostics(&outcome, diagnostics, printer, false);
    printer.summary_record(outcome.compiled.model.stage, code);
    // The process ends next: freeing the model and its analysis piece by
    // piece would cost about a tenth of a check of a large model.
    std::mem::forget(outcome);
    code
}

/// Prints the derivation of one threat's risk on its own, without the
/// diagnostic stream; `Some(exit code)` when it cannot.
fn explain_risk(outcome: &Outcome, threat_id: &str, printer: Printer) -> Option<i32> {
    let Some(analysis) = outcome.analysis.as_ref().filter(|a| a.within_budget) else {
        let errors = outcome
            .diagnostics()
            .iter()
            .filter(|d| d.is_error())
            .count();
        let blocked = match outcome.analysis {
            None => "the model does not compile",
            Some(_) => "the analysis stopped at its threat budget",
        };
        printer.problem(Diagnostic::error_without_location(
            Code::E0601,
            format!(
                "cannot explain `{threat_id}`: {blocked} ({}; `ward check` lists them)",
                plural(errors, "error")
            ),
        ));
        return Some(exit::ERROR);
    };
    let model = &outcome.compiled.model;
    let view = ward_view::View::new(model, analysis, &outcome.compiled.sources);
    if let Some(text) = ward_view::explain_risk(model, analysis, &view, threat_id) {
        print!("{text}");
        return None;
    }
    let ids: Vec<&str> = analysis.threats.iter().map(|t| t.id.as_str()).collect();
    let mut error = Diagnostic::error_without_location(
        Code::E0601,
        format!("no threat `{threat_id}` in this model"),
    );
    if let Some(best) = ward_model::did_you_mean(threat_id, ids.iter().copied()) {
        error = error.with_help(format!("did you mean `{best}`?"));
    }
    printer.problem(error);
    Some(exit::ERROR)
}

/// `--print-hash`: each scope's content hash, for approvals to pin.
/// The content hash of each scope the model's approvals use, and of the
/// whole model, on their own (without the diagnostic stream).
fn print_hashes(outcome: &Outcome, printer: Printer, code: i32) -> i32 {
    let Some(analysis) = &outcome.analysis else {
        printer.problem(Diagnostic::error_without_location(
            Code::E0601,
            "cannot print the content hash: the model does not compile",
        ));
        return exit::ERROR;
    };
    for (scope, hash) in ward_analysis::approvals::scope_hashes(&outcome.compiled.model, analysis) {
        println!("{scope} {hash}");
    }
    code
}
