//! `ward diff OLD [NEW]`: the change impact between two versions of a model,
//! as text, Markdown, JSON or HTML, and the exit code `--fail-on` asks for.

use super::args::{DiffArgs, DiffFormat, FailOnArg};
use super::exit;
use super::output::{color_choice, shown, write_or_exit};
use clap::ValueEnum;
use ward_diff::side::{load, LoadedSide, SideError};
use ward_diff::FailOn;

pub fn run(args: &DiffArgs) -> i32 {
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(e) => {
            eprintln!("error: cannot read the current folder: {e}");
            return exit::ERROR;
        }
    };
    let stage = args.stage.map(Into::into);
    let side = |arg: &str| -> Option<LoadedSide> {
        match load(arg, &args.model, &cwd, stage) {
            Ok(side) => Some(side),
            Err(SideError::Unreadable(message)) => {
                eprintln!("error: {}", shown(message));
                None
            }
            Err(SideError::DoesNotCompile(compiled)) => {
                let errors: Vec<_> = (compiled.diagnostics.iter())
                    .filter(|d| d.is_error())
                    .cloned()
                    .collect();
                let text = ward_diagnostics::render_terminal(
                    &compiled.sources,
                    &errors,
                    color_choice(args.color),
                );
                write_or_exit(&mut std::io::stderr().lock(), text.as_bytes());
                eprintln!("error: `{}` does not compile; nothing compared", shown(arg));
                None
            }
        }
    };
    // One side at a time: the first that cannot be read is the error.
    let Some(old) = side(&args.old) else {
        return exit::ERROR;
    };
    let Some(new) = side(&args.new) else {
        return exit::ERROR;
    };
    let diff = ward_diff::diff(&old.side(), &new.side());
    let text = match args.format {
        DiffFormat::Text => ward_diff::text(&diff),
        DiffFormat::Md => ward_diff::markdown(&diff),
        DiffFormat::Json => diff.json(),
        DiffFormat::Html => ward_diff::html(&diff),
    };
    write_or_exit(&mut std::io::stdout().lock(), text.as_bytes());
    let failed: Vec<String> = args
        .fail_on
        .iter()
        .filter(|on| diff.fails_on(fail_on(**on)))
        .filter_map(|on| on.to_possible_value())
        .map(|value| value.get_name().to_string())
        .collect();
    if failed.is_empty() {
        return exit::OK;
    }
    eprintln!("error: the change fails --fail-on {}", failed.join(", "));
    exit::FINDINGS
}

fn fail_on(on: FailOnArg) -> FailOn {
    match on {
        FailOnArg::RiskIncrease => FailOn::RiskIncrease,
        FailOnArg::NewUncontrolled => FailOn::NewUncontrolled,
        FailOnArg::StaleAcceptance => FailOn::StaleAcceptance,
        FailOnArg::AnyChange => FailOn::AnyChange,
    }
}
