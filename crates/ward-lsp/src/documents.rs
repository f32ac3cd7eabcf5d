//! The open buffers: what the client has sent, by URI, with versions. Their
//! text takes precedence over the files on disk. Text is stored normalised
//! (no BOM, LF line ends) so that Ward spans index it directly; client
//! positions map onto it because lines and columns are unchanged by the
//! normalisation (the BOM is accounted for by the line index).

use crate::line_index::LineIndex;
use crate::uri;
use lsp_types::{TextDocumentContentChangeEvent, Uri};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub struct Document {
    pub uri: Uri,
    pub version: i32,
    /// Normalised text.
    pub text: String,
    pub index: LineIndex,
    /// The canonical path, for `file:` URIs.
    pub path: Option<PathBuf>,
    bom: bool,
}

impl Document {
    fn new(uri: Uri, version: i32, text: &str) -> Document {
        let bom = text.starts_with('\u{feff}');
        let text = ward_diagnostics::normalize_text(text);
        let index = LineIndex::with_bom(&text, bom);
        let path = uri::to_path(&uri).map(|p| canonical(&p));
        Document {
            uri,
            version,
            text,
            index,
            path,
            bom,
        }
    }

    fn set_text(&mut self, text: String) {
        self.index = LineIndex::with_bom(&text, self.bom);
        self.text = text;
    }
}

/// The result of applying a `didChange`.
#[derive(Debug, PartialEq, Eq)]
pub enum ChangeOutcome {
    Applied,
    /// The document is not open: nothing to change.
    NotOpen,
    /// The version is older than the one held: ignored (a full-text change
    /// from the past would roll the buffer back).
    Stale {
        held: i32,
    },
}

#[derive(Default)]
pub struct DocumentStore {
    documents: HashMap<Uri, Document>,
}

impl DocumentStore {
    pub fn open(&mut self, uri: Uri, version: i32, text: &str) -> &Document {
        let document = Document::new(uri.clone(), version, text);
        self.documents.insert(uri.clone(), document);
        &self.documents[&uri]
    }

    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> ChangeOutcome {
        let Some(document) = self.documents.get_mut(uri) else {
            return ChangeOutcome::NotOpen;
        };
        if version < document.version {
            return ChangeOutcome::Stale {
                held: document.version,
            };
        }
        for change in changes {
            let inserted = normalize_inserted(&change.text);
            match change.range {
                Some(range) => {
                    let bytes = document.index.byte_range(&document.text, range);
                    let mut text = std::mem::take(&mut document.text);
                    text.replace_range(bytes, &inserted);
                    document.set_text(text);
                }
                None => {
                    document.bom = change.text.starts_with('\u{feff}');
                    document.set_text(inserted);
                }
            }
        }
        document.version = version;
        ChangeOutcome::Applied
    }

    pub fn close(&mut self, uri: &Uri) -> Option<Document> {
        self.documents.remove(uri)
    }

    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.documents.get(uri)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Document> {
        self.documents.values()
    }

    /// The open document whose canonical path is `path`.
    pub fn by_path(&self, path: &Path) -> Option<&Document> {
        self.documents
            .values()
            .find(|d| d.path.as_deref() == Some(path))
    }
}

fn normalize_inserted(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.replace("\r\n", "\n")
}

/// The canonical form of a path, also for files not yet on disk (a new,
/// unsaved buffer): the canonical parent joined with the file name.
pub fn canonical(path: &Path) -> PathBuf {
    if let Ok(path) = path.canonicalize() {
        return path;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => {
            canonical(parent).join(name)
        }
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};
    use std::str::FromStr;

    fn uri() -> Uri {
        Uri::from_str("file:///nowhere/a.ward").unwrap()
    }

    fn edit(l1: u32, c1: u32, l2: u32, c2: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn incremental_changes_apply_in_order() {
        let mut store = DocumentStore::default();
        store.open(uri(), 1, "zone a {}\r\nzone b {}\r\n");
        assert_eq!(store.get(&uri()).unwrap().text, "zone a {}\nzone b {}\n");
        let outcome = store.change(
            &uri(),
            2,
            vec![edit(0, 5, 0, 6, "inside"), edit(1, 5, 1, 6, "x\r\ny")],
        );
        assert_eq!(outcome, ChangeOutcome::Applied);
        let doc = store.get(&uri()).unwrap();
        assert_eq!(doc.text, "zone inside {}\nzone x\ny {}\n");
        assert_eq!(doc.version, 2);
    }

    #[test]
    fn full_changes_and_stale_versions() {
        let mut store = DocumentStore::default();
        store.open(uri(), 5, "a");
        let full = |t: &str| TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: t.into(),
        };
        assert_eq!(
            store.change(&uri(), 3, vec![full("old")]),
            ChangeOutcome::Stale { held: 5 }
        );
        assert_eq!(store.get(&uri()).unwrap().text, "a");
        assert_eq!(
            store.change(&uri(), 6, vec![full("\u{feff}new")]),
            ChangeOutcome::Applied
        );
        let doc = store.get(&uri()).unwrap();
        assert_eq!(doc.text, "new");
        // The BOM counts as one column on line 0.
        assert_eq!(doc.index.position(&doc.text, 1), Position::new(0, 2));
        let closed = Uri::from_str("file:///nowhere/b.ward").unwrap();
        assert_eq!(
            store.change(&closed, 1, vec![full("x")]),
            ChangeOutcome::NotOpen
        );
    }

    #[test]
    fn edits_past_the_end_are_clamped() {
        let mut store = DocumentStore::default();
        store.open(uri(), 1, "abc");
        store.change(&uri(), 2, vec![edit(7, 0, 9, 9, "!")]);
        assert_eq!(store.get(&uri()).unwrap().text, "abc!");
    }
}
