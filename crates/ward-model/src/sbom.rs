//! SBOM files named by components' `sbom:`: read while the model loads,
//! through the loader's safe reader (inside the model root, no symlink out,
//! a regular file of at most [`MAX_SUPPLY_FILE_BYTES`]), added to the source
//! map so that a diagnostic points at its line and column, and parsed by
//! `ward-supply`. Ward never writes them.

use crate::codes;
use crate::load::{LoadedFile, Origin};
use crate::vfs::{ReadError, Vfs};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use ward_diagnostics::{Diagnostic, FileId, Span};
use ward_supply::json::{ErrorKind, Location, SupplyError, MAX_SUPPLY_FILE_BYTES};
use ward_supply::sbom::{parse_sbom, Sbom};
use ward_syntax::ast::{DeclKind, Item, PropertyValue, Value};

/// One SBOM file of the model, read once however many components name it.
#[derive(Clone, Debug)]
pub struct SbomFile {
    /// The path as written in `sbom:` (how lowering finds it).
    pub written: String,
    /// Relative to the model root, `/`-separated.
    pub name: String,
    /// Its text in the source map, when it was read.
    pub file: Option<FileId>,
    /// `None` after an error, which was reported.
    pub sbom: Option<Arc<Sbom>>,
}

/// Every `sbom: "PATH"` of a component in the model's own files, in
/// declaration order, with the span of its string.
pub(crate) fn sbom_properties(files: &[LoadedFile]) -> Vec<(String, Span)> {
    let key = crate::language::COMPONENT_SBOM.key;
    files
        .iter()
        .filter(|f| f.origin == Origin::User)
        .flat_map(|f| &f.ast.items)
        .filter_map(|item| match item {
            Item::Decl(d) if d.kind == DeclKind::Component => d.property(key),
            _ => None,
        })
        .filter_map(|p| match &p.value {
            PropertyValue::Value(Value::Str(s)) => Some((s.value.clone(), s.span)),
            _ => None,
        })
        .collect()
}

/// The text of an SBOM file, or the diagnostic (at the `sbom:` value)
/// saying why there is none.
pub(crate) enum SbomText {
    Read {
        path: PathBuf,
        name: String,
        text: String,
    },
    Failed(Diagnostic),
}

pub(crate) fn read(
    vfs: &Vfs<'_>,
    root: &Path,
    written: &str,
    at: Span,
    relative: impl Fn(&Path) -> String,
) -> SbomText {
    let path = vfs.normalize(&root.join(written));
    let unreadable = |reason: String, label: &str, help: &str| {
        SbomText::Failed(
            Diagnostic::error(
                codes::SBOM_UNREADABLE,
                at,
                format!("cannot read the SBOM `{written}`: {reason}"),
            )
            .with_primary_label(label)
            .with_help(help.to_owned()),
        )
    };
    if !path.starts_with(root) {
        return unreadable(
            format!(
                "it resolves to `{}`, outside the model root",
                relative(&path)
            ),
            "outside the model root",
            "keep the SBOM in the model's repository, below the folder of `Ward.toml`, and give its path relative to that folder; a symbolic link out is not followed",
        );
    }
    let name = relative(&path);
    match vfs.read_capped(&path, MAX_SUPPLY_FILE_BYTES) {
        Ok(text) => SbomText::Read { path, name, text },
        Err(ReadError::NotFound) => unreadable(
            "no such file".into(),
            "no such file",
            "the path is relative to the model root (the folder of `Ward.toml`): check it, or add the SBOM there",
        ),
        Err(ReadError::NotRegular) => unreadable(
            "not a regular file (a FIFO, socket, device or folder)".into(),
            "not a regular file",
            "name the SBOM's JSON file",
        ),
        Err(ReadError::TooLarge) => SbomText::Failed(
            Diagnostic::error(
                codes::SBOM_TOO_LARGE,
                at,
                format!("the SBOM `{written}` is over Ward's limit of {MAX_SUPPLY_FILE_BYTES} bytes"),
            )
            .with_primary_label("too large to import")
            .with_help("split the SBOM, and import from each component the part it runs"),
        ),
        Err(ReadError::Utf8(offset, _)) => unreadable(
            format!("it is not UTF-8 text (byte {offset})"),
            "not UTF-8",
            "an SBOM is JSON, which is UTF-8: export it again",
        ),
        Err(ReadError::Io(e)) => unreadable(e.to_string(), "cannot be read", "check the file's permissions"),
    }
}

/// Parses the SBOM in source file `file` (its normalised text), named by
/// the `sbom:` value at `at`. Errors stop the import; warnings do not.
pub(crate) fn parse(file: FileId, text: &str, at: Span) -> (Option<Sbom>, Vec<Diagnostic>) {
    match parse_sbom(text) {
        Ok(mut sbom) => {
            let warnings = std::mem::take(&mut sbom.warnings)
                .into_iter()
                .map(|w| located(file, text, at, w))
                .collect();
            (Some(sbom), warnings)
        }
        Err(e) => (None, vec![located(file, text, at, e)]),
    }
}

/// A `ward-supply` problem as a diagnostic: at its place in the SBOM when
/// it has one (with a label at the `sbom:` that imports it), else at the
/// `sbom:` value.
fn located(file: FileId, text: &str, at: Span, e: SupplyError) -> Diagnostic {
    let code = match e.kind {
        ErrorKind::TooLarge => codes::SBOM_TOO_LARGE,
        ErrorKind::Syntax => codes::SBOM_SYNTAX,
        ErrorKind::Shape => codes::SBOM_SHAPE,
        ErrorKind::UnsupportedVersion => codes::SBOM_VERSION,
        ErrorKind::DuplicateId => codes::SBOM_DUPLICATE_REF,
        ErrorKind::DanglingReference => codes::SBOM_DANGLING_REF,
        ErrorKind::DependencyCycle => codes::SBOM_DEPENDENCY_CYCLE,
    };
    let warning = matches!(
        e.kind,
        ErrorKind::DanglingReference | ErrorKind::DependencyCycle
    );
    let make = |span: Span, message: String| {
        if warning {
            Diagnostic::warning(code, span, message)
        } else {
            Diagnostic::error(code, span, message)
        }
    };
    let mut d = match e.location {
        Some(l) => make(span_at(file, text, l), e.message)
            .with_primary_label(primary_label(e.kind))
            .with_label(at, "imported here"),
        None => make(at, e.message).with_primary_label("imported here"),
    };
    if let Some(first) = e.first {
        d = d.with_label(span_at(file, text, first), "first here");
    }
    d.with_help(e.help)
}

fn primary_label(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::TooLarge => "too large",
        ErrorKind::Syntax => "not valid JSON here",
        ErrorKind::Shape => "unexpected here",
        ErrorKind::UnsupportedVersion => "this version",
        ErrorKind::DuplicateId => "second entry with this reference",
        ErrorKind::DanglingReference => "names no entry",
        ErrorKind::DependencyCycle => "this dependency closes a cycle",
    }
}

/// A span of one JSON token (a string with its quotes, else one
/// character) at `location` of `text`.
pub(crate) fn span_at(file: FileId, text: &str, location: Location) -> Span {
    let start = location.offset_in(text);
    let rest = &text[start..];
    let len = if rest.starts_with('"') {
        // To the closing quote, escapes skipped; the rest of the text if
        // it never closes.
        let bytes = rest.as_bytes();
        let mut i = 1;
        while i < bytes.len() && bytes[i] != b'"' {
            i += if bytes[i] == b'\\' { 2 } else { 1 };
        }
        (i + 1).min(rest.len())
    } else {
        rest.chars().next().map_or(0, char::len_utf8)
    };
    Span::new(file, start, start + len)
}
