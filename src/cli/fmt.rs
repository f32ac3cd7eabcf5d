//! `ward fmt [PATH...] [--check]`: canonical formatting, in place.
//!
//! Folders are walked exactly as the loader walks a model (no folder
//! symlinks, regular files only, bounded); files are read with the loader's
//! bounded, regular-file-only read and replaced through
//! [`super::source_files`], which never writes through a link.

use super::args::FmtArgs;
use super::exit;
use super::output::{color_choice, plural, shown};
use super::source_files::{replace_source, ReplaceError};
use std::path::PathBuf;
use ward_diagnostics::{normalize_text, FileId, SourceFile, SourceMap};

pub fn run(args: &FmtArgs) -> i32 {
    let Some(files) = files_to_format(&args.paths) else {
        return exit::ERROR;
    };

    let mut changed = Vec::new();
    let mut failed = false;
    for path in &files {
        let raw = match ward_model::read_source_bytes(path) {
            Ok(bytes) => bytes,
            Err(err) => {
                eprintln!("error: cannot read `{}`: {err}", shown(path.display()));
                failed = true;
                continue;
            }
        };
        let Ok(raw) = String::from_utf8(raw) else {
            eprintln!("error: `{}` is not valid UTF-8", shown(path.display()));
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
                        eprintln!("error: cannot write `{}`: {err}", shown(path.display()));
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
                eprint!(
                    "{}",
                    ward_diagnostics::render_terminal(
                        &sources,
                        &diagnostics,
                        color_choice(args.color)
                    )
                );
                eprintln!(
                    "error: `{}` does not parse; not formatted",
                    shown(path.display())
                );
                failed = true;
            }
        }
    }
    if failed {
        return exit::ERROR;
    }
    if args.check {
        for path in &changed {
            println!("{}", shown(path.display()));
        }
        if !changed.is_empty() {
            eprintln!("{} would be reformatted", plural(changed.len(), "file"));
            return exit::FINDINGS;
        }
    }
    exit::OK
}

/// The files the arguments name: a folder's `.ward` files as the loader
/// finds them, or a file named directly. `None` (after saying why) when an
/// argument cannot be formatted.
fn files_to_format(paths: &[PathBuf]) -> Option<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut ok = true;
    for path in paths {
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.is_dir() => match ward_model::ward_files_below(path) {
                Ok(found) => files.extend(found),
                Err(err) => {
                    eprintln!("error: cannot list `{}`: {err}", shown(path.display()));
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
                eprintln!("error: cannot format `{}`: {why}", shown(path.display()));
                ok = false;
            }
            Err(_) => {
                eprintln!("error: `{}` does not exist", shown(path.display()));
                ok = false;
            }
        }
    }
    files.sort();
    files.dedup();
    ok.then_some(files)
}
