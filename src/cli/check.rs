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
