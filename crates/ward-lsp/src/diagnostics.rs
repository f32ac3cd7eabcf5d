//! Publishing diagnostics per file. Each model's files get their current
//! list; a file that had diagnostics and has none now gets an empty list;
//! an unchanged list for a file is sent again only when it is open and its
//! version moved (clients then know the list is current for that version).

use crate::convert;
use crate::documents::DocumentStore;
use crate::workspace::{ModelKey, Snapshot};
use lsp_server::{Message, Notification};
use lsp_types::notification::{Notification as _, PublishDiagnostics};
use lsp_types::{PublishDiagnosticsParams, Uri};
use std::collections::{BTreeMap, HashMap};

#[derive(Default)]
pub struct Publisher {
    /// What each file was last sent, by the model that sent it.
    sent: HashMap<ModelKey, BTreeMap<Uri, Sent>>,
}

#[derive(Default)]
struct Sent {
    version: Option<i32>,
    diagnostics: Vec<lsp_types::Diagnostic>,
}

impl Publisher {
    pub fn publish(
        &mut self,
        key: &ModelKey,
        snapshot: &Snapshot,
        documents: &DocumentStore,
    ) -> Vec<Message> {
        let mut now: BTreeMap<Uri, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
        for file in snapshot.files.iter().filter(|f| f.is_user) {
            if let Some(uri) = &file.uri {
                now.entry(uri.clone()).or_default();
            }
        }
        for diagnostic in &snapshot.diagnostics {
            if let Some(uri) = &snapshot.file(diagnostic.span.file).uri {
                now.entry(uri.clone())
                    .or_default()
                    .push(convert::diagnostic(snapshot, diagnostic));
            }
        }
        let before = self.sent.remove(key).unwrap_or_default();
        let mut messages = Vec::new();
        let mut sent = BTreeMap::new();
        for (uri, diagnostics) in now {
            let version = documents.get(&uri).map(|d| d.version);
            let old = before.get(&uri);
            let changed = match old {
                Some(old) => {
                    old.diagnostics != diagnostics || (version.is_some() && old.version != version)
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
