//! VEX files named in `Ward.toml` (`vex = ["vex/pump-fw.cdx.json"]`): read
//! while the model loads through the loader's safe reader (inside the model
//! root, no symlink out, a regular file of at most [`MAX_SUPPLY_FILE_BYTES`]),
//! added to the source map so that a diagnostic points at its line and
//! column, and parsed by `ward-supply` (CSAF 2.0 VEX or CycloneDX VEX).
//! Lowering applies their statements to the model's vulnerabilities
//! (`lower/vex.rs`). Ward never writes them.

use crate::codes;
use crate::sbom::span_at;
use crate::vfs::{ReadError, Vfs};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use ward_diagnostics::{Diagnostic, FileId, Span};
use ward_supply::json::{ErrorKind, SupplyError, MAX_SUPPLY_FILE_BYTES};
use ward_supply::vex::Vex;

/// One VEX file of the model.
#[derive(Clone, Debug)]
pub struct VexFile {
    /// Relative to the model root, `/`-separated.
    pub name: String,
    /// The entry of `Ward.toml`'s `vex` that names it.
    pub at: Span,
    /// Its text in the source map, when it was read.
    pub file: Option<FileId>,
    /// `None` after an error, which was reported.
    pub vex: Option<Arc<Vex>>,
}

fn unreadable(written: &str, at: Span, reason: String, label: &str, help: &str) -> Diagnostic {
    Diagnostic::error(
        codes::VEX_UNREADABLE,
        at,
        format!("cannot read the VEX file `{written}`: {reason}"),
    )
    .with_primary_label(label.to_owned())
    .with_help(help.to_owned())
}

/// The path and text of a VEX file, or the diagnostic (at its `Ward.toml`
/// entry) saying why there is none. (`Diagnostic` is the project's one
/// error type; boxing it here would only complicate the callers.)
#[allow(clippy::result_large_err)]
pub(crate) fn read(
    vfs: &Vfs<'_>,
    root: &Path,
    written: &str,
    at: Span,
) -> Result<(PathBuf, String), Diagnostic> {
    let path = vfs.normalize(&root.join(written));
    if !path.starts_with(root) {
        return Err(unreadable(
            written,
            at,
            "it is outside the model root".into(),
            "outside the model root",
            "keep VEX files in the model's repository, below the folder of `Ward.toml`; a symbolic link out is not followed",
        ));
    }
    vfs.read_capped(&path, MAX_SUPPLY_FILE_BYTES)
        .map(|text| (path, text))
        .map_err(|e| match e {
            ReadError::NotFound => unreadable(
                written,
                at,
                "no such file".into(),
                "no such file",
                "the path is relative to the folder of `Ward.toml`",
            ),
            ReadError::NotRegular => unreadable(
                written,
                at,
                "not a regular file (a FIFO, socket, device or folder)".into(),
                "not a regular file",
                "name the VEX document's JSON file",
            ),
            ReadError::TooLarge => Diagnostic::error(
                codes::VEX_TOO_LARGE,
                at,
                format!("the VEX file `{written}` is over Ward's limit of {MAX_SUPPLY_FILE_BYTES} bytes"),
            )
            .with_primary_label("too large to import")
            .with_help("split the document by product, or keep the statements about this device's software"),
            ReadError::Utf8(offset, _) => unreadable(
                written,
                at,
                format!("it is not UTF-8 text (byte {offset})"),
                "not UTF-8",
                "a VEX document is JSON, which is UTF-8: export it again",
            ),
            ReadError::Io(e) => unreadable(written, at, e.to_string(), "cannot be read", "check the file's permissions"),
        })
}

/// Parses the VEX document in source file `file`, named at `at`.
#[allow(clippy::result_large_err)]
pub(crate) fn parse(file: FileId, text: &str, at: Span) -> Result<Vex, Diagnostic> {
    ward_supply::vex::parse(text).map_err(|e| located(file, text, at, e))
}

fn located(file: FileId, text: &str, at: Span, e: SupplyError) -> Diagnostic {
    let (code, label) = match e.kind {
        ErrorKind::TooLarge => (codes::VEX_TOO_LARGE, "too large"),
        ErrorKind::Syntax => (codes::VEX_SYNTAX, "not valid JSON here"),
        ErrorKind::UnsupportedVersion => (codes::VEX_VERSION, "this version"),
        ErrorKind::DuplicateId => (codes::VEX_DUPLICATE, "second entry with this id"),
        ErrorKind::Shape | ErrorKind::DanglingReference | ErrorKind::DependencyCycle => {
            (codes::VEX_SHAPE, "unexpected here")
        }
    };
    let mut d = match e.location {
        Some(l) => Diagnostic::error(code, span_at(file, text, l), e.message)
            .with_primary_label(label)
            .with_label(at, "imported here"),
        None => Diagnostic::error(code, at, e.message).with_primary_label("imported here"),
    };
    if let Some(first) = e.first {
        d = d.with_label(span_at(file, text, first), "first here");
    }
    d.with_help(e.help)
}
