//! `ward fmt [PATH...] [--check]`: canonical formatting, in place.

use super::args::FmtArgs;
use super::exit;
use super::output::{color_choice, plural, shown};
use std::path::{Path, PathBuf};
use ward_diagnostics::{normalize_text, FileId, SourceFile, SourceMap};

pub fn run(args: &FmtArgs) -> i32 {
    let mut files = Vec::new();
    for path in &args.paths {
        if path.is_dir() {
            collect_ward_files(path, &mut files);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            eprintln!("error: `{}` does not exist", shown(path.display()));
            return exit::ERROR;
        }
    }
    files.sort();
    files.dedup();

    let mut changed = Vec::new();
    let mut failed = false;
    for path in &files {
        let raw = match std::fs::read(path) {
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
                    if let Err(err) = write_replacing(path, &formatted) {
                        eprintln!("error: cannot write `{}`: {err}", shown(path.display()));
                        failed = true;
                    }
                }
            }
            Err(diagnostics) => {
                let mut sources = SourceMap::new();
                sources.add(SourceFile::new(
                    path.display().to_string(),
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

/// Every `.ward` file below `dir`, skipping hidden folders and build output.
fn collect_ward_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "node_modules" {
                collect_ward_files(&path, out);
            }
        } else if name.ends_with(".ward") {
            out.push(path);
        }
    }
}

/// Writes through a temporary file in the same folder, so an interrupted
/// write never leaves a half-formatted source.
fn write_replacing(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp = path.with_extension("ward.fmt-tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}
