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

/// The one printer of diagnostics, in the format the command was asked
/// for: human text on stderr, or one JSON object per line on stdout.
#[derive(Clone, Copy, Debug)]
pub struct Printer {
    pub format: MessageFormat,
    pub color: ColorWhen,
}

impl From<&DiagnosticArgs> for Printer {
    fn from(args: &DiagnosticArgs) -> Printer {
        Printer {
            format: args.message_format,
            color: args.color,
        }
    }
}

impl Printer {
    pub fn is_json(self) -> bool {
        self.format == MessageFormat::Json
    }

    /// Prints diagnostics whose spans point into `sources`.
    pub fn diagnostics(self, sources: &SourceMap, diagnostics: &[Diagnostic]) {
        match self.format {
            MessageFormat::Json => {
                let json = ward_diagnostics::render_json(sources, diagnostics);
                write_or_exit(&mut std::io::stdout().lock(), json.as_bytes());
            }
            MessageFormat::Human => {
                let text = ward_diagnostics::render_terminal(
                    sources,
                    diagnostics,
                    color_choice(self.color),
                );
                write_or_exit(&mut std::io::stderr().lock(), text.as_bytes());
            }
        }
    }

    /// Prints one diagnostic that is in no source file (output folder,
    /// templates, the command line).
    pub fn problem(self, diagnostic: Diagnostic) {
        debug_assert!(diagnostic.span.is_none(), "{diagnostic:?} has a span");
        self.diagnostics(&SourceMap::new(), &[diagnostic]);
    }

    /// A line for a person (a summary, a progress note): on stderr in human
    /// format, left out of JSON output, whose every line is a diagnostic.
    pub fn say(self, line: impl std::fmt::Display) {
        if !self.is_json() {
            eprintln!("{line}");
        }
    }
}

/// Prints diagnostics in the requested format (see [`Printer`]).
pub fn print_diagnostics(sources: &SourceMap, diagnostics: &[Diagnostic], args: &DiagnosticArgs) {
    Printer::from(args).diagnostics(sources, diagnostics);
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
