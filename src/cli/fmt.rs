//! `ward fmt [PATH...] [--check]`: canonical formatting, in place.
//!
//! Folders are walked exactly as the loader walks a model (no folder
//! symlinks, regular files only, bounded); files are read with the loader's
//! bounded, regular-file-only read and replaced through
//! [`super::source_files`], which never writes through a link.

use super::args::FmtArgs;
use super::exit;
use super::output::{plural, shown, Printer, Verbosity};
use super::source_files::{replace_source, ReplaceError};
use std::path::{Path, PathBuf};
use ward_diagnostics::{normalize_text, Code, Diagnostic, FileId, SourceFile, SourceMap};

/// E0603: `path` cannot be formatted, and why.
fn cannot_format(path: &Path, why: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error_without_location(
        Code::E0603,
        format!("cannot format `{}`: {why}", path.display()),
    )
}

pub fn run(args: &FmtArgs) -> i32 {
    let printer = Printer {
        format: args.message_format,
        color: args.color,
        verbosity: Verbosity::Normal,
    };
    let Some(files) = files_to_format(&args.paths, printer) else {
        return exit::ERROR;
    };

    let mut changed = Vec::new();
    let mut failed = false;
    for path in &files {
        let raw = match ward_model::read_source_bytes(path) {
            Ok(bytes) => bytes,
            Err(err) => {
                printer.problem(cannot_format(path, format!("cannot read it: {err}")));
                failed = true;
                continue;
            }
        };
        let Ok(raw) = String::from_utf8(raw) else {
            printer.problem(cannot_format(path, "it is not valid UTF-8"));
            failed = true;
            continue;
        };
        let text = normalize_text(&raw);
        match ward_syntax::format(&text, FileId(0)) {
            Ok(formatted) if formatted == raw => {}
            Ok(formatted) => {
                changed.push(path.clone());
                if !args.check {
                    if let Err(err) = replace_source(path, &formatted) {
                        printer.problem(cannot_format(path, format!("cannot write it: {err}")));
                        failed = true;
                    }
                }
            }
            Err(diagnostics) => {
                let mut sources = SourceMap::new();
                sources.add(SourceFile::new(
                    shown(path.display()),
                    Some(path.clone()),
                    text,
                ));
                printer.diagnostics(&sources, &diagnostics);
                printer.say(format!(
                    "error: `{}` does not parse; not formatted",
                    shown(path.display())
                ));
                failed = true;
            }
        }
    }
    if failed {
        return exit::ERROR;
    }
    if args.check {
        for path in &changed {
            if printer.is_json() {
                printer.problem(
                    Diagnostic::error_without_location(
                        Code::E0604,
                        format!("`{}` is not formatted", path.display()),
                    )
                    .with_help("run `ward fmt` on it"),
                );
            } else {
                println!("{}", shown(path.display()));
            }
        }
        if !changed.is_empty() {
            printer.say(format!(
                "{} would be reformatted",
                plural(changed.len(), "file")
            ));
            return exit::FINDINGS;
        }
    }
    exit::OK
}

/// The files the arguments name: a folder's `.ward` files as the loader
/// finds them, or a file named directly. `None` (after saying why) when an
/// argument cannot be formatted.
fn files_to_format(paths: &[PathBuf], printer: Printer) -> Option<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut ok = true;
    for path in paths {
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.is_dir() => match ward_model::ward_files_below(path) {
                Ok(found) => files.extend(found),
                Err(err) => {
                    printer.problem(cannot_format(path, format!("cannot list it: {err}")));
                    ok = false;
                }
            },
            Ok(meta) if meta.is_file() => files.push(path.clone()),
            Ok(meta) => {
                let why = if meta.file_type().is_symlink() {
                    ReplaceError::SymbolicLink
                } else {
                    ReplaceError::NotRegular
                };
                printer.problem(cannot_format(path, why));
                ok = false;
            }
            Err(_) => {
                printer.problem(cannot_format(path, "it does not exist"));
                ok = false;
            }
        }
    }
    files.sort();
    files.dedup();
    ok.then_some(files)
}
