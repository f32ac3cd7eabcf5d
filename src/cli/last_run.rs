//! What the last `check` or `build` of a model reported, so that `build`
//! of an unchanged model does not repeat the warnings `check` just printed.
//!
//! One small file per model under the user's cache folder
//! (`$XDG_CACHE_HOME/ward/` or `~/.cache/ward/`), named by a hash of the
//! model's canonical root, holding the sources' sha256 and a sha256 of the
//! diagnostics. It is written through a temporary file and a rename (the
//! rename replaces a link, never follows it) and read only when it is a
//! plain small file. Failing to read or write it is silent: at worst the
//! warnings are printed again, and the exit code never depends on it.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use ward_diagnostics::{Diagnostic, SourceMap};
use ward_model::sha256_hex;

/// What a run reported: the sources and the diagnostics, each as a sha256.
#[derive(Debug, PartialEq, Eq)]
pub struct Fingerprint(String);

/// A cache file larger than this is not ours.
const MAX_RECORD_BYTES: u64 = 1024;

impl Fingerprint {
    pub fn of(sources: &SourceMap, diagnostics: &[Diagnostic]) -> Fingerprint {
        let sources = ward_render::hash_sources(sources).sha256;
        // Positions, codes and text: what a person would see again.
        let mut seen = String::new();
        for d in diagnostics {
            let _ = write!(seen, "{:?}\0", (d.span, d.code, d.severity, &d.message));
        }
        let diagnostics = sha256_hex(seen.as_bytes());
        Fingerprint(format!(
            "ward last run 1\nsources {sources}\ndiagnostics {diagnostics}\n"
        ))
    }
}

/// True when the last run of the model at `root` reported `now`.
pub fn reported_before(root: &Path, now: &Fingerprint) -> bool {
    read(root).is_some_and(|last| last == now.0)
}

/// Remembers `now` as the last run of the model at `root`.
pub fn remember(root: &Path, now: &Fingerprint) {
    let _ = write(root, now);
}

fn read(root: &Path) -> Option<String> {
    let file = record_path(root)?;
    let meta = std::fs::symlink_metadata(&file).ok()?;
    if !meta.file_type().is_file() || meta.len() > MAX_RECORD_BYTES {
        return None;
    }
    let mut text = String::new();
    std::fs::File::open(&file)
        .ok()?
        .take(MAX_RECORD_BYTES)
        .read_to_string(&mut text)
        .ok()?;
    Some(text)
}

fn write(root: &Path, now: &Fingerprint) -> std::io::Result<()> {
    let Some(file) = record_path(root) else {
        return Ok(());
    };
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(now.0.as_bytes())?;
    temp.persist(&file)?;
    Ok(())
}

/// `CACHE/ward/<sha256 of the canonical root>.last-run`.
fn record_path(root: &Path) -> Option<PathBuf> {
    // A relative XDG_CACHE_HOME is invalid (XDG base directory spec).
    let cache = match std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from) {
        Some(dir) if dir.is_absolute() => dir,
        _ => PathBuf::from(std::env::var_os("HOME")?).join(".cache"),
    };
    if !cache.is_absolute() {
        return None;
    }
    let root = std::fs::canonicalize(root).ok()?;
    let key = sha256_hex(root.as_os_str().as_encoded_bytes());
    Some(cache.join("ward").join(format!("{key}.last-run")))
}
