//! clap's own argument errors (unknown flag, missing value, bad enum value)
//! as a coded diagnostic when JSON output was asked for. clap failed, so the
//! message format is read from the raw arguments.

use super::args::{ColorWhen, MessageFormat};
use super::output::{Printer, Verbosity};
use std::ffi::OsString;
use ward_diagnostics::{Code, Diagnostic};

/// Whether `--message-format json` (or `--message-format=json`) is anywhere
/// on the command line, up to a `--` that ends the options.
pub fn asks_for_json(args: &[OsString]) -> bool {
    let mut args = args.iter().map(|a| a.to_str().unwrap_or_default());
    while let Some(arg) = args.next() {
        match arg {
            "--" => return false,
            "--message-format=json" => return true,
            "--message-format" if args.next() == Some("json") => return true,
            _ => {}
        }
    }
    false
}

/// Prints clap's error as one E0605 diagnostic through the JSON printer:
/// clap's first line is the message, its tips and possible values are notes.
pub fn print_as_json(err: &clap::Error) {
    let text = err.render().to_string();
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or_default();
    let message = first.strip_prefix("error: ").unwrap_or(first);
    let mut diagnostic = Diagnostic::error_without_location(Code::E0605, message)
        .with_help("run the command with `--help` for the arguments it takes");
    for line in lines.filter(|l| !l.starts_with("For more information")) {
        diagnostic = diagnostic.with_note(line);
    }
    Printer {
        format: MessageFormat::Json,
        color: ColorWhen::Never,
        verbosity: Verbosity::Normal,
    }
    .problem(diagnostic);
}

#[cfg(test)]
mod tests {
    use super::asks_for_json;
    use std::ffi::OsString;

    fn argv(line: &str) -> Vec<OsString> {
        line.split(' ').map(OsString::from).collect()
    }

    #[test]
    fn json_is_found_in_either_spelling_and_only_before_a_double_dash() {
        assert!(asks_for_json(&argv(
            "ward check --message-format json --bogus"
        )));
        assert!(asks_for_json(&argv(
            "ward build --stage final --message-format=json"
        )));
        assert!(!asks_for_json(&argv(
            "ward check --message-format human --bogus"
        )));
        assert!(!asks_for_json(&argv("ward check --bogus json")));
        assert!(!asks_for_json(&argv("ward check -- --message-format json")));
    }
}
