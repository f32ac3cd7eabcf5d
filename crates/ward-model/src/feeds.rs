//! Vulnerability feeds named in `Ward.toml` (`[vulnerabilities] feeds`):
//! OSV records and the CISA KEV catalog, files in the repository (Ward
//! never goes to the network). Read while the model loads through the
//! loader's safe reader (inside the model root, no symlink out, a regular
//! file of at most [`MAX_SUPPLY_FILE_BYTES`]), added to the source map so
//! that a diagnostic points at its line and column, and parsed by
//! `ward-supply`. Lowering turns the records into `Vulnerability` records
//! (`lower/feeds.rs`).

use crate::codes;
use crate::vfs::{ReadError, Vfs};
use globset::GlobBuilder;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use ward_diagnostics::{Diagnostic, FileId, Span};
use ward_supply::feed::{parse_feed, Feed};
use ward_supply::json::{ErrorKind, SupplyError, MAX_SUPPLY_FILE_BYTES};

/// The most feed files a model reads (over all its patterns).
pub const MAX_FEED_FILES: usize = 1_000;

/// The most entries of one folder a pattern lists.
pub const MAX_FEED_FOLDER_ENTRIES: usize = 10_000;

/// One feed file, read and parsed once.
#[derive(Clone, Debug)]
pub struct FeedFile {
    /// Relative to the model root, `/`-separated.
    pub name: String,
    /// Its text in the source map.
    pub file: FileId,
    /// `None` after an error, which was reported.
    pub feed: Option<Arc<Feed>>,
}

/// The files a pattern names: the pattern itself when it has no glob
/// character, else the regular files of its folder whose names match (a
/// pattern's `*`, `?`, `[...]` and `{...}` may only be in its file name).
/// Paths are relative to the root, sorted.
pub(crate) fn expand(
    vfs: &Vfs<'_>,
    root: &Path,
    pattern: &str,
    at: Span,
) -> Result<Vec<PathBuf>, Box<Diagnostic>> {
    let unreadable = |message: String, label: &str, help: &str| {
        Box::new(
            Diagnostic::error(codes::FEED_UNREADABLE, at, message)
                .with_primary_label(label)
                .with_help(help.to_owned()),
        )
    };
    let (folder, file_name) = match pattern.rsplit_once('/') {
        Some((folder, name)) => (folder, name),
        None => ("", pattern),
    };
    if folder.contains(['*', '?', '[', '{']) {
        return Err(unreadable(
            format!("feed pattern `{pattern}` has a wildcard in a folder name"),
            "wildcard before the file name",
            "name the folder and match only file names: `feeds/osv/*.json`",
        ));
    }
    let dir = vfs.normalize(&root.join(folder));
    if !dir.starts_with(root) {
        return Err(unreadable(
            format!("feed pattern `{pattern}` is outside the model root"),
            "outside the model root",
            "keep feeds in the model's repository, below the folder of `Ward.toml`",
        ));
    }
    if !file_name.contains(['*', '?', '[', '{']) {
        return Ok(vec![dir.join(file_name)]);
    }
    let matcher = GlobBuilder::new(file_name)
        .literal_separator(true)
        .build()
        .map_err(|e| {
            unreadable(
                format!("invalid feed pattern `{pattern}`: {}", e.kind()),
                "invalid pattern",
                "write a file-name pattern such as `*.json`",
            )
        })?
        .compile_matcher();
    let no_folder = || {
        unreadable(
            format!("cannot list the folder of feed pattern `{pattern}`"),
            "no such folder",
            "the path is relative to the model root (the folder of `Ward.toml`)",
        )
    };
    let mut out = Vec::new();
    if !vfs.disk {
        // An in-memory model (an import checked before it is written).
        if !vfs.is_dir(&dir) {
            return Err(no_folder());
        }
        out.extend(vfs.overlay_files_in(&dir).into_iter().filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| matcher.is_match(n))
        }));
        return Ok(out);
    }
    let entries = std::fs::read_dir(&dir).map_err(|_| no_folder())?;
    for (seen, entry) in entries.flatten().enumerate() {
        if seen >= MAX_FEED_FOLDER_ENTRIES {
            return Err(unreadable(
                format!(
                    "the folder of feed pattern `{pattern}` has over {MAX_FEED_FOLDER_ENTRIES} entries"
                ),
                "folder too large",
                "keep the feed files of the device's software in a folder of their own",
            ));
        }
        // Regular files only: a symbolic link is not followed.
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let name = entry.file_name();
        if name.to_str().is_some_and(|n| matcher.is_match(n)) {
            out.push(entry.path());
        }
    }
    out.sort();
    Ok(out)
}

/// Reads one feed file; the diagnostic (at the pattern in `Ward.toml`)
/// says why not.
pub(crate) fn read(
    vfs: &Vfs<'_>,
    root: &Path,
    path: &Path,
    name: &str,
    at: Span,
) -> Result<String, Box<Diagnostic>> {
    let unreadable = |reason: &str, label: &str, help: &str| {
        Box::new(
            Diagnostic::error(
                codes::FEED_UNREADABLE,
                at,
                format!("cannot read the vulnerability feed `{name}`: {reason}"),
            )
            .with_primary_label(label)
            .with_help(help.to_owned()),
        )
    };
    let path = vfs.normalize(path);
    if !path.starts_with(root) {
        return Err(unreadable(
            "it resolves outside the model root",
            "outside the model root",
            "keep feeds in the model's repository; a symbolic link out is not followed",
        ));
    }
    match vfs.read_capped(&path, MAX_SUPPLY_FILE_BYTES) {
        Ok(text) => Ok(text),
        Err(ReadError::NotFound) => Err(unreadable(
            "no such file",
            "no such file",
            "the path is relative to the model root (the folder of `Ward.toml`)",
        )),
        Err(ReadError::NotRegular) => Err(unreadable(
            "not a regular file",
            "not a regular file",
            "name the feed's JSON file",
        )),
        Err(ReadError::TooLarge) => Err(unreadable(
            &format!("it is over Ward's limit of {MAX_SUPPLY_FILE_BYTES} bytes"),
            "too large",
            "keep in the repository the records of the software the device runs, and a slice of the KEV catalog",
        )),
        Err(ReadError::Utf8(offset, _)) => Err(unreadable(
            &format!("it is not UTF-8 text (byte {offset})"),
            "not UTF-8",
            "a feed is JSON, which is UTF-8: download it again",
        )),
        Err(ReadError::Io(e)) => Err(unreadable(&e.to_string(), "cannot be read", "check the file's permissions")),
    }
}

/// Parses a feed in source file `file`; the diagnostic is at its place in
/// the feed, with a label at the pattern of `Ward.toml` that names it.
pub(crate) fn parse(file: FileId, text: &str, at: Span) -> Result<Feed, Box<Diagnostic>> {
    parse_feed(text).map_err(|e| Box::new(located(file, text, at, e)))
}

fn located(file: FileId, text: &str, at: Span, e: SupplyError) -> Diagnostic {
    let (code, label) = match e.kind {
        ErrorKind::TooLarge => (codes::FEED_UNREADABLE, "too large"),
        ErrorKind::Syntax => (codes::FEED_SYNTAX, "not valid JSON here"),
        ErrorKind::Shape => (codes::FEED_SHAPE, "unexpected here"),
        ErrorKind::UnsupportedVersion => (codes::FEED_SHAPE, "this version"),
        ErrorKind::DuplicateId => (codes::FEED_DUPLICATE_ID, "listed again here"),
        // Not raised by feeds.
        ErrorKind::DanglingReference | ErrorKind::DependencyCycle => {
            (codes::FEED_SHAPE, "unexpected here")
        }
    };
    let mut d = match e.location {
        Some(l) => Diagnostic::error(code, crate::sbom::span_at(file, text, l), e.message)
            .with_primary_label(label)
            .with_label(at, "named here"),
        None => Diagnostic::error(code, at, e.message).with_primary_label(label),
    };
    if let Some(first) = e.first {
        d = d.with_label(crate::sbom::span_at(file, text, first), "first here");
    }
    d.with_help(e.help)
}
