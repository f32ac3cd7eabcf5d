//! Publishing diagnostics per file. Each model's files get their current
//! list; a file that had diagnostics and has none now gets an empty list;
//! an unchanged list for a file is sent again only when it is open and its
//! version moved (clients then know the list is current for that version).
//! A file's list is converted to LSP again only when its Ward diagnostics
//! or the text of a file they point into changed: on a large model an edit
//! usually changes one file's list, and re-converting every finding would
//! cost a good part of the edit-to-diagnostics time.

use crate::convert;
use crate::documents::DocumentStore;
use crate::workspace::{ModelKey, Snapshot};
use lsp_server::{Message, Notification};
use lsp_types::notification::{Notification as _, PublishDiagnostics};
use lsp_types::{PublishDiagnosticsParams, Uri};
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};

#[derive(Default)]
pub struct Publisher {
    /// What each file was last sent, by the model that sent it.
    sent: HashMap<ModelKey, BTreeMap<Uri, Sent>>,
}

#[derive(Default)]
struct Sent {
    version: Option<i32>,
    diagnostics: Vec<lsp_types::Diagnostic>,
    /// What they were converted from.
    source: Source,
}

/// A fingerprint of a file's Ward diagnostics and of the texts of the files
/// they point into (the texts give the positions).
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Source(u64);

impl Source {
    fn new(snapshot: &Snapshot, diagnostics: &[&ward_diagnostics::Diagnostic]) -> Source {
        let mut hasher = DefaultHasher::new();
        let mut files = Vec::new();
        for d in diagnostics {
            (
                d.code,
                d.severity,
                &d.message,
                d.span,
                &d.primary_label,
                &d.help,
                &d.notes,
            )
                .hash(&mut hasher);
            for label in &d.labels {
                (label.span, &label.message).hash(&mut hasher);
                files.push(label.span.file);
            }
            files.extend(d.span.map(|span| span.file));
        }
        files.sort();
        files.dedup();
        for file in files {
            snapshot.text(file).hash(&mut hasher);
        }
        Source(hasher.finish())
    }
}

impl Publisher {
    pub fn publish(
        &mut self,
        key: &ModelKey,
        snapshot: &Snapshot,
        documents: &DocumentStore,
    ) -> Vec<Message> {
        // Grouped by file first: ~90,000 findings at N = 10,000, one URI
        // lookup per file rather than per diagnostic.
        let mut by_file: Vec<Vec<&ward_diagnostics::Diagnostic>> =
            vec![Vec::new(); snapshot.files.len()];
        for diagnostic in snapshot.diagnostics() {
            let file = diagnostic.span.map(|span| span.file.0 as usize);
            if let Some(list) = file.and_then(|file| by_file.get_mut(file)) {
                list.push(diagnostic);
            }
        }
        let mut by_uri: BTreeMap<Uri, Vec<&ward_diagnostics::Diagnostic>> = BTreeMap::new();
        for (file, diagnostics) in snapshot.files.iter().zip(by_file) {
            if let Some(uri) = &file.uri {
                if file.is_user || !diagnostics.is_empty() {
                    by_uri.entry(uri.clone()).or_default().extend(diagnostics);
                }
            }
        }
        let mut before = self.sent.remove(key).unwrap_or_default();
        let mut messages = Vec::new();
        let mut sent = BTreeMap::new();
        for (uri, ward) in by_uri {
            let source = Source::new(snapshot, &ward);
            let reuse = before.get(&uri).is_some_and(|old| old.source == source);
            let diagnostics = match before.get_mut(&uri) {
                Some(old) if reuse => std::mem::take(&mut old.diagnostics),
                _ => ward
                    .iter()
                    .filter_map(|d| convert::diagnostic(snapshot, d))
                    .collect(),
            };
            let version = documents.get(&uri).map(|d| d.version);
            let old = before.get(&uri);
            let changed = match old {
                Some(old) => {
                    let moved = version.is_some() && old.version != version;
                    (!reuse && old.diagnostics != diagnostics) || moved
                }
                None => !diagnostics.is_empty() || version.is_some(),
            };
            if changed {
                messages.push(notification(&uri, diagnostics.clone(), documents));
            }
            if changed || old.is_some() {
                let version = if changed {
                    version
                } else {
                    old.and_then(|o| o.version)
                };
                sent.insert(
                    uri,
                    Sent {
                        version,
                        diagnostics,
                        source,
                    },
                );
            }
        }
        for (uri, old) in &before {
            if !sent.contains_key(uri) && !old.diagnostics.is_empty() {
                messages.push(notification(uri, Vec::new(), documents));
            }
        }
        self.sent.insert(key.clone(), sent);
        messages
    }

    /// Clears every file a model had published to (the model was dropped).
    pub fn clear_model(&mut self, key: &ModelKey, documents: &DocumentStore) -> Vec<Message> {
        let before = self.sent.remove(key).unwrap_or_default();
        before
            .iter()
            .filter(|(_, sent)| !sent.diagnostics.is_empty())
            .map(|(uri, _)| notification(uri, Vec::new(), documents))
            .collect()
    }
}

fn notification(
    uri: &Uri,
    diagnostics: Vec<lsp_types::Diagnostic>,
    documents: &DocumentStore,
) -> Message {
    let params = PublishDiagnosticsParams {
        uri: uri.clone(),
        diagnostics,
        version: documents.get(uri).map(|d| d.version),
    };
    Message::Notification(Notification::new(PublishDiagnostics::METHOD.into(), params))
}
