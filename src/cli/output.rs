//! Printing diagnostics: human (coloured on a terminal) or JSON lines.

use super::args::{ColorWhen, DiagnosticArgs, MessageFormat};
use super::exit;
use std::io::{IsTerminal, Write};
use ward_diagnostics::{ColorChoice, Diagnostic, Severity, SourceMap};

/// Text from the model or its repository (names, paths, messages) as it
/// may be printed: control, bidi and zero-width characters escaped.
pub fn shown(text: impl std::fmt::Display) -> String {
    ward_diagnostics::terminal_safe(&text.to_string()).into_owned()
}

pub fn color_choice(when: ColorWhen) -> ColorChoice {
    match when {
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
        ColorWhen::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            if !no_color && std::io::stderr().is_terminal() {
                ColorChoice::Always
            } else {
                ColorChoice::Never
            }
        }
    }
}

/// Counts of errors and warnings, for the summary line and the exit code.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
}

impl Tally {
    pub fn of(diagnostics: &[Diagnostic]) -> Tally {
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        Tally {
            errors,
            warnings: diagnostics.len() - errors,
        }
    }
}

/// Prints diagnostics in the requested format: human text on stderr with a
/// summary line, or one JSON object per line on stdout.
pub fn print_diagnostics(sources: &SourceMap, diagnostics: &[Diagnostic], args: &DiagnosticArgs) {
    match args.message_format {
        MessageFormat::Json => {
            let json = ward_diagnostics::render_json(sources, diagnostics);
            write_or_exit(&mut std::io::stdout().lock(), json.as_bytes());
        }
        MessageFormat::Human => {
            let text =
                ward_diagnostics::render_terminal(sources, diagnostics, color_choice(args.color));
            write_or_exit(&mut std::io::stderr().lock(), text.as_bytes());
        }
    }
}

/// Writes all of `bytes`; a reader that closed the pipe ends ward quietly
/// with [`exit::PIPE_CLOSED`], like `print!` does (see `cli::main`).
pub fn write_or_exit(out: &mut impl Write, bytes: &[u8]) {
    if let Err(e) = out.write_all(bytes).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(exit::PIPE_CLOSED);
        }
    }
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Prints a diagnostic that has no place in a source file (output folder,
/// templates, I/O) as plain text on stderr.
pub fn print_output_error(d: &Diagnostic) {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    eprintln!("{kind}[{}]: {}", d.code, shown(&d.message));
    if let Some(help) = &d.help {
        eprintln!("  = help: {}", shown(help));
    }
    for note in &d.notes {
        eprintln!("  = note: {}", shown(note));
    }
}
