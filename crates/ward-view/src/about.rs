//! What a reader needs to act on a threat beyond its score: what it is
//! (its rule's or its own description), the CAPEC attack patterns and CWE
//! weaknesses it stands for, as links to MITRE, and the FDA control
//! categories its rule suggests. Resolved once; the register, the report
//! and hover read it.

use ward_analysis::ThreatAnalysis;
use ward_model::{Meta, Model, ThreatKey};

/// A catalog entry: `CAPEC-94` and its page at MITRE.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Reference {
    pub label: String,
    pub url: String,
}

impl Reference {
    pub fn capec(id: u32) -> Reference {
        Reference {
            label: format!("CAPEC-{id}"),
            url: format!("https://capec.mitre.org/data/definitions/{id}.html"),
        }
    }

    pub fn cwe(id: u32) -> Reference {
        Reference {
            label: format!("CWE-{id}"),
            url: format!("https://cwe.mitre.org/data/definitions/{id}.html"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AboutView {
    /// The rule's description (else its `///` doc) for a generated threat,
    /// the threat's own for a hand-written one, the advisory's for a known
    /// vulnerability; on one line.
    pub description: Option<String>,
    pub capec: Vec<Reference>,
    pub cwe: Vec<Reference>,
    /// The FDA control categories that address it (the rule's `suggest`).
    pub suggest: Vec<String>,
}

impl AboutView {
    pub fn new(model: &Model, t: &ThreatAnalysis) -> AboutView {
        let meta: &Meta = match t.key {
            ThreatKey::Hand { threat } => &model.threat(threat).meta,
            ThreatKey::Generated { rule, .. } => &model.rule(rule).meta,
            ThreatKey::Vulnerability { vulnerability, .. } => {
                &model.vulnerability(vulnerability).meta
            }
        };
        AboutView {
            description: meta
                .description
                .as_deref()
                .or(meta.doc.as_deref())
                .map(one_line)
                .filter(|d| !d.is_empty()),
            capec: t.capec.iter().map(|&n| Reference::capec(n)).collect(),
            cwe: t.cwe.iter().map(|&n| Reference::cwe(n)).collect(),
            suggest: t.suggest.iter().map(|c| c.as_str().to_string()).collect(),
        }
    }

    /// CAPEC then CWE references.
    pub fn references(&self) -> impl Iterator<Item = &Reference> {
        self.capec.iter().chain(&self.cwe)
    }
}

/// A doc comment's lines joined into one line: a register cell or a hover
/// line holds it, and `///` line breaks are the writer's wrapping, not
/// meaning.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_link_to_mitre_definitions() {
        assert_eq!(
            Reference::capec(94),
            Reference {
                label: "CAPEC-94".into(),
                url: "https://capec.mitre.org/data/definitions/94.html".into()
            }
        );
        assert_eq!(
            Reference::cwe(345).url,
            "https://cwe.mitre.org/data/definitions/345.html"
        );
    }

    #[test]
    fn doc_comment_wrapping_is_joined_into_one_line() {
        assert_eq!(
            one_line("Data whose integrity\nmatters  travels in the clear.\n"),
            "Data whose integrity matters travels in the clear."
        );
    }
}
