//! Stable identity across versions: declarations match by id, and
//! `renamed_from` carries an id across a rename. OLD's ids are translated to
//! NEW's before anything is compared, so a rename changes nothing else: the
//! references to the renamed declaration, and the generated threats
//! `RULE@ELEMENT` of a renamed rule or element, follow it.

use crate::types::Rename;
use std::collections::{BTreeMap, BTreeSet};
use ward_model::{Meta, Model};

/// Translates ids of one version into NEW's.
#[derive(Clone, Debug, Default)]
pub struct Names {
    renamed: BTreeMap<String, String>,
}

impl Names {
    /// NEW's ids: nothing to translate.
    pub fn identity() -> Names {
        Names::default()
    }

    /// An id, `FLOW.reverse` or `RULE@ELEMENT`, in NEW's names.
    pub fn id(&self, name: &str) -> String {
        if let Some((rule, element)) = name.split_once('@') {
            return format!("{}@{}", self.id(rule), self.id(element));
        }
        if let Some(flow) = name.strip_suffix(".reverse") {
            return format!("{}.reverse", self.one(flow));
        }
        self.one(name).to_string()
    }

    fn one<'a>(&'a self, name: &'a str) -> &'a str {
        self.renamed.get(name).map_or(name, String::as_str)
    }

    /// OLD's text (a message, a generated title) with every renamed id
    /// that stands as a whole word replaced.
    pub fn text(&self, text: &str) -> String {
        if self.renamed.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut word = String::new();
        for c in text.chars() {
            if c.is_alphanumeric() || c == '_' {
                word.push(c);
                continue;
            }
            out.push_str(self.one(&word));
            word.clear();
            out.push(c);
        }
        out.push_str(self.one(&word));
        out
    }
}

/// OLD's names translated through NEW's `renamed_from`, and the renames. A
/// `renamed_from` id is followed only when OLD declares it and NEW does not
/// (W0203 otherwise), and each old id goes to one declaration.
pub fn renames(old: &Model, new: &Model) -> (Names, Vec<Rename>) {
    let old_ids: BTreeMap<&str, &'static str> =
        declared(old).map(|(k, m)| (m.name.as_str(), k)).collect();
    let new_ids: BTreeSet<&str> = declared(new).map(|(_, m)| m.name.as_str()).collect();
    let mut names = Names::default();
    let mut list = Vec::new();
    for (kind, meta) in declared(new) {
        if old_ids.contains_key(meta.name.as_str()) {
            continue;
        }
        let from = meta.renamed_from.iter().find(|from| {
            old_ids.get(from.as_str()) == Some(&kind)
                && !new_ids.contains(from.as_str())
                && !names.renamed.contains_key(from.as_str())
        });
        if let Some(from) = from {
            names.renamed.insert(from.clone(), meta.name.clone());
            list.push(Rename {
                kind: kind.to_string(),
                from: from.clone(),
                to: meta.name.clone(),
            });
        }
    }
    (names, list)
}

/// Every declaration with an id that the user wrote, with its keyword.
fn declared(model: &Model) -> impl Iterator<Item = (&'static str, &Meta)> {
    let element = |e: &ward_model::Element| {
        if e.kind.is_actor() {
            "actor"
        } else {
            "component"
        }
    };
    model
        .system
        .iter()
        .map(|s| ("system", &s.meta))
        .chain(model.zones.iter().map(|z| ("zone", &z.meta)))
        .chain(model.data.iter().map(|d| ("data", &d.meta)))
        .chain(model.elements.iter().map(move |e| (element(e), &e.meta)))
        .chain(
            model
                .flows
                .iter()
                .filter(|f| f.reverse_of.is_none())
                .map(|f| ("flow", &f.meta)),
        )
        .chain(model.hazards.iter().map(|h| ("hazard", &h.meta)))
        .chain(model.threats.iter().map(|t| ("threat", &t.meta)))
        .chain(
            model
                .rules
                .iter()
                .filter(|r| !r.from_stdlib)
                .map(|r| ("rule", &r.meta)),
        )
        .chain(model.controls.iter().map(|c| ("control", &c.meta)))
        .chain(
            model
                .verifications
                .iter()
                .map(|v| ("verification", &v.meta)),
        )
        .chain(model.assumptions.iter().map(|a| ("assumption", &a.meta)))
        .chain(model.usecases.iter().map(|u| ("usecase", &u.meta)))
        .chain(model.anomalies.iter().map(|a| ("anomaly", &a.meta)))
        .chain(model.monitoring.iter().map(|m| ("monitoring", &m.meta)))
        .chain(
            model
                .policies
                .iter()
                .filter(|p| !p.from_stdlib)
                .map(|p| ("policy", &p.meta)),
        )
}
