//! `ward check [PATH]`: diagnostics and risk findings; `--explain-risk`;
//! `--fix` applies the safe fixes first.

use super::args::CheckArgs;
use super::exit;
use super::output::shown;
use super::pipeline::{compile_and_analyze, report};

pub fn run(args: &CheckArgs) -> i32 {
    let stage = args.diagnostics.stage.map(Into::into);
    let outcome = if args.fix {
        super::fix::fix_model(&args.path, stage)
    } else {
        compile_and_analyze(&args.path, stage)
    };
    report(&outcome, &args.diagnostics);
    let code = outcome.exit_code(args.diagnostics.deny_warnings);
    let Some(threat_id) = &args.explain_risk else {
        return code;
    };
    let Some(analysis) = &outcome.analysis else {
        eprintln!(
            "error: cannot explain `{}`: the model does not compile",
            shown(threat_id)
        );
        return exit::ERROR;
    };
    let model = &outcome.compiled.model;
    let view = ward_view::View::new(model, analysis);
    match ward_view::explain_risk(model, analysis, &view, threat_id) {
        Some(text) => {
            print!("{text}");
            code
        }
        None => {
            let ids: Vec<&str> = analysis.threats.iter().map(|t| t.id.as_str()).collect();
            eprintln!("error: no threat `{}` in this model", shown(threat_id));
            if let Some(best) = ward_model::did_you_mean(threat_id, ids.iter().copied()) {
                eprintln!("help: did you mean `{}`?", shown(best));
            }
            exit::ERROR
        }
    }
}
