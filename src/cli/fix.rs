//! `ward check --fix`: applies the safe fixes of a model's diagnostics to
//! its files, re-checking between passes, and writes each changed file
//! whole or not at all.

use super::output::{plural, Printer};
use super::pipeline::{compile_and_analyze, Judging, Outcome};
use std::collections::BTreeMap;

use std::path::{Path, PathBuf};
use ward_diagnostics::{apply_fixes, normalize_text, Applicability, Code, Diagnostic, FileId, Fix};
use ward_model::Digests;

/// Passes of fix, re-check: fixes skipped for overlapping others are
/// applied on a later pass; the bound stops fixes that never settle.
pub const MAX_FIX_PASSES: usize = 4;

/// Applies every safe fix of the model at `input`, prints which files were
/// fixed (and which were refused) on stderr, and returns the re-checked
/// model.
pub fn fix_model(input: &Path, judging: &Judging, digests: Digests, printer: Printer) -> Outcome {
    let mut outcome = compile_and_analyze(input, judging, digests);
    let symlinked = symlinked_input(input);
    let mut fixed: BTreeMap<String, usize> = BTreeMap::new();
    let mut refused: BTreeMap<String, String> = BTreeMap::new();
    for _ in 0..MAX_FIX_PASSES {
        let mut wrote = false;
        for (path, file) in safe_fixes_by_file(&outcome) {
            let source = outcome.compiled.sources.get(file.id);
            if refused.contains_key(&source.name) {
                continue;
            }
            let result = if symlinked.as_deref() == Some(path.as_path()) {
                Err("it is a symbolic link".to_string())
            } else if !path.starts_with(&outcome.compiled.root) {
                Err("it is outside the model root".to_string())
            } else {
                fix_file(&path, &source.text, &file.fixes)
            };
            match result {
                Ok(0) => {}
                Ok(applied) => {
                    *fixed.entry(source.name.clone()).or_default() += applied;
                    wrote = true;
                }
                Err(reason) => {
                    refused.insert(source.name.clone(), reason);
                }
            }
        }
        if !wrote {
            break;
        }
        outcome = compile_and_analyze(input, judging, digests);
    }
    for (name, count) in &fixed {
        printer.say(format!("fixed {} in {name}", plural(*count, "issue")));
    }
    for (name, reason) in refused {
        printer.problem(Diagnostic::warning_without_location(
            Code::W0601,
            format!("`{name}` not fixed: {reason}"),
        ));
    }
    outcome
}

/// The safe fixes of one file.
struct FileFixes {
    id: FileId,
    fixes: Vec<Fix>,
}

/// The safe fixes that stay within one file, by the file's path on disk.
/// While any file has a syntax error only syntax fixes are taken: a
/// declaration the parser could not read is missing from the model, and a
/// did-you-mean would point its references at another one.
fn safe_fixes_by_file(outcome: &Outcome) -> BTreeMap<PathBuf, FileFixes> {
    let diagnostics = outcome.diagnostics();
    let syntax_only = diagnostics
        .iter()
        .any(|d| ward_syntax::codes::is_syntax(d.code));
    let mut by_file: BTreeMap<PathBuf, FileFixes> = BTreeMap::new();
    for diagnostic in diagnostics {
        if syntax_only && !ward_syntax::codes::is_syntax(diagnostic.code) {
            continue;
        }
        for fix in diagnostic.fixes {
            if fix.applicability != Applicability::Safe {
                continue;
            }
            let Some(id) = fix.file() else { continue };
            let Some(path) = outcome.compiled.sources.get(id).path.clone() else {
                continue;
            };
            by_file
                .entry(path)
                .or_insert(FileFixes {
                    id,
                    fixes: Vec::new(),
                })
                .fixes
                .push(fix);
        }
    }
    by_file
}

/// Applies `fixes` to the file at `path`, whose text Ward read as `read`;
/// the number applied, or why the file was left alone.
fn fix_file(path: &Path, read: &str, fixes: &[Fix]) -> Result<usize, String> {
    let raw = ward_model::read_source_bytes(path).map_err(|e| format!("cannot read it: {e}"))?;
    let raw = String::from_utf8(raw).map_err(|_| "it is not valid UTF-8".to_string())?;
    if normalize_text(&raw) != read {
        return Err("it changed while it was being checked".into());
    }
    let applied = apply_fixes(&raw, fixes);
    if applied.applied == 0 || applied.text == raw {
        return Ok(0);
    }
    super::source_files::replace_source(path, &applied.text)
        .map_err(|e| format!("cannot write it: {e}"))?;
    Ok(applied.applied)
}

/// The file `input` names when it is a symbolic link (by its real path):
/// fixing it would write somewhere else than the path given.
fn symlinked_input(input: &Path) -> Option<PathBuf> {
    let meta = std::fs::symlink_metadata(input).ok()?;
    if !meta.file_type().is_symlink() {
        return None;
    }
    input.canonicalize().ok()
}
