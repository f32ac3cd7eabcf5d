//! `ward check [PATH]`: diagnostics and risk findings; `--explain-risk`;
//! `--fix` applies the safe fixes first.

use super::args::CheckArgs;
use super::exit;
use super::output::Printer;
use super::pipeline::{compile_and_analyze, report};
use ward_diagnostics::{Code, Diagnostic};

pub fn run(args: &CheckArgs) -> i32 {
    let stage = args.diagnostics.stage.map(Into::into);
    let outcome = if args.fix {
        super::fix::fix_model(&args.path, stage, Printer::from(&args.diagnostics))
    } else {
        compile_and_analyze(&args.path, stage)
    };
    report(&outcome, &args.diagnostics);
    let code = outcome.exit_code(args.diagnostics.deny_warnings);
    if args.print_hash {
        return print_hashes(&outcome, &args.diagnostics, code);
    }
    let Some(threat_id) = &args.explain_risk else {
        return code;
    };
    let printer = Printer::from(&args.diagnostics);
    let Some(analysis) = &outcome.analysis else {
        printer.problem(Diagnostic::error_without_location(
            Code::E0601,
            format!("cannot explain `{threat_id}`: the model does not compile"),
        ));
        return exit::ERROR;
    };
    let model = &outcome.compiled.model;
    let view = ward_view::View::new(model, analysis, &outcome.compiled.sources);
    match ward_view::explain_risk(model, analysis, &view, threat_id) {
        Some(text) => {
            print!("{text}");
            code
        }
        None => {
            let ids: Vec<&str> = analysis.threats.iter().map(|t| t.id.as_str()).collect();
            let mut error = Diagnostic::error_without_location(
                Code::E0601,
                format!("no threat `{threat_id}` in this model"),
            );
            if let Some(best) = ward_model::did_you_mean(threat_id, ids.iter().copied()) {
                error = error.with_help(format!("did you mean `{best}`?"));
            }
            printer.problem(error);
            exit::ERROR
        }
    }
}

/// `--print-hash`: each scope's content hash, for approvals to pin.
fn print_hashes(
    outcome: &super::pipeline::Outcome,
    diagnostics: &super::args::DiagnosticArgs,
    code: i32,
) -> i32 {
    let Some(analysis) = &outcome.analysis else {
        Printer::from(diagnostics).problem(Diagnostic::error_without_location(
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
