//! Printing diagnostics: human (coloured on a terminal) or JSON lines.

use super::args::{ColorWhen, DiagnosticArgs, MessageFormat};
use super::exit;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use ward_diagnostics::{Code, ColorChoice, Diagnostic, Severity, SourceMap};

/// By default, the model's diagnostics past this many are counted by code
/// instead of shown (errors are always shown, ahead of warnings).
pub const SHOWN_BY_DEFAULT: usize = 20;

/// How much of the model's diagnostic stream a person sees. JSON output
/// always lists every diagnostic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verbosity {
    /// Errors and the final count line; nothing on a clean model.
    Quiet,
    /// Errors, then warnings up to [`SHOWN_BY_DEFAULT`], then the rest
    /// counted by code.
    Normal,
    /// Every diagnostic.
    Verbose,
}

/// Every diagnostic printed so far by code, for the JSON summary record:
/// one command per process, and several printers may serve it.
static PRINTED: Mutex<BTreeMap<Code, (Severity, usize)>> = Mutex::new(BTreeMap::new());

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
    pub verbosity: Verbosity,
}

impl From<&DiagnosticArgs> for Printer {
    fn from(args: &DiagnosticArgs) -> Printer {
        let verbosity = if args.quiet {
            Verbosity::Quiet
        } else if args.verbose {
            Verbosity::Verbose
        } else {
            Verbosity::Normal
        };
        Printer {
            format: args.message_format,
            color: args.color,
            verbosity,
        }
    }
}

impl Printer {
    pub fn is_json(self) -> bool {
        self.format == MessageFormat::Json
    }

    /// Prints diagnostics whose spans point into `sources` (in human
    /// format, `--quiet` leaves warnings out).
    pub fn diagnostics(self, sources: &SourceMap, diagnostics: &[Diagnostic]) {
        count_printed(diagnostics);
        match self.format {
            MessageFormat::Json => {
                let json = ward_diagnostics::render_json(sources, diagnostics);
                write_or_exit(&mut std::io::stdout().lock(), json.as_bytes());
            }
            MessageFormat::Human if self.verbosity == Verbosity::Quiet => {
                let errors: Vec<Diagnostic> = diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .cloned()
                    .collect();
                self.human(sources, &errors);
            }
            MessageFormat::Human => self.human(sources, diagnostics),
        }
    }

    fn human(self, sources: &SourceMap, diagnostics: &[Diagnostic]) {
        let text =
            ward_diagnostics::render_terminal(sources, diagnostics, color_choice(self.color));
        write_or_exit(&mut std::io::stderr().lock(), text.as_bytes());
    }

    /// Prints the model's diagnostics (in source order) as the verbosity
    /// asks: in human format every error, ahead of the warnings, then as
    /// many warnings as fit in [`SHOWN_BY_DEFAULT`] and a line counting the
    /// rest by code. `already_reported`: the same model gave the same
    /// diagnostics last run, so its warnings are one line unless
    /// `--verbose`.
    pub fn model_diagnostics(
        self,
        sources: &SourceMap,
        diagnostics: Vec<Diagnostic>,
        already_reported: bool,
    ) {
        if self.is_json() || self.verbosity == Verbosity::Verbose {
            return self.diagnostics(sources, &diagnostics);
        }
        count_printed(&diagnostics);
        let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
            diagnostics.into_iter().partition(Diagnostic::is_error);
        self.human(sources, &errors);
        if warnings.is_empty() || self.verbosity == Verbosity::Quiet {
            return;
        }
        if already_reported {
            return self.say(format!(
                "{}, as the last run reported; --verbose lists them",
                plural(warnings.len(), "warning")
            ));
        }
        let room = SHOWN_BY_DEFAULT.saturating_sub(errors.len());
        let (shown, hidden) = warnings.split_at(room.min(warnings.len()));
        self.human(sources, shown);
        if !hidden.is_empty() {
            let more = if shown.is_empty() { "" } else { " more" };
            self.say(format!(
                "… and {}{more} {}: {}; --verbose lists them all",
                hidden.len(),
                if hidden.len() == 1 {
                    "warning"
                } else {
                    "warnings"
                },
                counts_by_code(hidden)
            ));
        }
    }

    /// A line for a person that `--quiet` leaves out: progress, what was
    /// written.
    pub fn note(self, line: impl std::fmt::Display) {
        if self.verbosity != Verbosity::Quiet {
            self.say(line);
        }
    }

    /// The last JSON record of `check` and `build`: the counts by code of
    /// every diagnostic printed, the stage and the exit code.
    pub fn summary_record(self, stage: ward_model::Stage, exit_code: i32) {
        if !self.is_json() {
            return;
        }
        let printed = PRINTED.lock().map(|p| p.clone()).unwrap_or_default();
        let count = |severity| {
            (printed.values())
                .filter(|(s, _)| *s == severity)
                .map(|(_, n)| n)
                .sum::<usize>()
        };
        let by_code: serde_json::Map<String, serde_json::Value> = (printed.iter())
            .map(|(code, (_, n))| (code.to_string(), (*n).into()))
            .collect();
        let record = serde_json::json!({
            "type": "summary",
            "errors": count(Severity::Error),
            "warnings": count(Severity::Warning),
            "by_code": by_code,
            "stage": stage.to_string(),
            "exit_code": exit_code,
        });
        write_or_exit(
            &mut std::io::stdout().lock(),
            format!("{record}\n").as_bytes(),
        );
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

fn count_printed(diagnostics: &[Diagnostic]) {
    if let Ok(mut printed) = PRINTED.lock() {
        for d in diagnostics {
            printed.entry(d.code).or_insert((d.severity, 0)).1 += 1;
        }
    }
}

/// `31 × W0402 residual risk `review` and not accepted, 18 × W0411 ...`:
/// most frequent first, each code with its page's one-line summary.
fn counts_by_code(diagnostics: &[Diagnostic]) -> String {
    let mut counts: BTreeMap<Code, usize> = BTreeMap::new();
    for d in diagnostics {
        *counts.entry(d.code).or_default() += 1;
    }
    let mut counts: Vec<(Code, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts
        .iter()
        .map(|(code, n)| format!("{n} × {code} {}", code.summary()))
        .collect::<Vec<_>>()
        .join(", ")
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
