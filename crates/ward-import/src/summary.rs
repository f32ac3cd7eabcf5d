//! The summary printed after an import: what was mapped (counts per
//! kind), what was approximated and what was dropped, each with its reason.

use crate::ir::{self, ElementKind, ImportModel, Note};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// `(kind, count)` in declaration-kind order; kinds with none left out.
    pub mapped: Vec<(&'static str, usize)>,
    /// `(property, count)`: how many flows or components got each v2
    /// property (`auth`, `parses`, ...) from the source; none left out.
    pub properties: Vec<(&'static str, usize)>,
    pub approximated: Vec<Note>,
    pub dropped: Vec<Note>,
}

impl Summary {
    pub fn of(model: &ImportModel) -> Summary {
        let components = model
            .elements
            .iter()
            .filter(|e| matches!(e.kind, ElementKind::Component(_)))
            .count();
        let counts = [
            ("zone", model.zones.len()),
            ("data", model.data.len()),
            ("component", components),
            ("actor", model.elements.len() - components),
            ("flow", model.flows.len()),
            ("threat", model.threats.len()),
            ("control", model.controls.len()),
            (
                "accept",
                model.accepts.iter().map(|a| a.threats.len()).sum(),
            ),
        ];
        let mut mapped: Vec<(&'static str, usize)> = counts.to_vec();
        // Declarations written as a Ward export kept them count as mapped.
        for v in &model.verbatim {
            match mapped.iter_mut().find(|(k, _)| *k == v.kind) {
                Some((_, n)) => *n += 1,
                None => mapped.push((v.kind, 1)),
            }
        }
        mapped.push((
            "rule-generated threat (generated again)",
            model.regenerated_threats,
        ));
        let flows = |has: fn(&ir::Flow) -> bool| model.flows.iter().filter(|f| has(f)).count();
        let components =
            |has: fn(&ir::Element) -> bool| model.elements.iter().filter(|e| has(e)).count();
        let properties = [
            (
                "auth",
                flows(|f| f.auth.is_some_and(|a| a != ir::AuthMethod::None)),
            ),
            (
                "server_authenticated",
                flows(|f| f.server_authenticated.is_some()),
            ),
            ("tls_version", flows(|f| f.tls_version.is_some())),
            ("identity", flows(|f| f.identity.is_some())),
            ("returns", flows(|f| !f.returns.is_empty())),
            (
                "input_validation",
                components(|e| e.security.input_validation),
            ),
            (
                "output_encoding",
                components(|e| e.security.output_encoding),
            ),
            ("access_control", components(|e| e.security.access_control)),
            (
                "authorization",
                components(|e| e.security.authorization.is_some()),
            ),
            ("parses", components(|e| !e.security.parses.is_empty())),
            (
                "processes",
                components(|e| !e.security.processes.is_empty()),
            ),
            ("runs_on", components(|e| e.security.runs_on.is_some())),
            ("fleet: shared", components(|e| e.shared)),
        ];
        Summary {
            mapped: mapped.into_iter().filter(|(_, n)| *n > 0).collect(),
            properties: properties.into_iter().filter(|(_, n)| *n > 0).collect(),
            approximated: model.approximated.clone(),
            dropped: model.dropped.clone(),
        }
    }

    /// How many flows or components got `property`.
    pub fn with_property(&self, property: &str) -> usize {
        (self.properties.iter())
            .find(|(p, _)| *p == property)
            .map_or(0, |(_, n)| *n)
    }

    /// The count mapped onto `kind` (`"zone"`, `"component"`, ...).
    pub fn count(&self, kind: &str) -> usize {
        self.mapped
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0, |(_, n)| *n)
    }
}

fn note(f: &mut fmt::Formatter<'_>, note: &Note) -> fmt::Result {
    let at = note
        .location
        .map(|l| format!(" (line {})", l.line))
        .unwrap_or_default();
    writeln!(f, "  - {}{at}: {}", note.what, note.reason)
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mapped: Vec<String> = self
            .mapped
            .iter()
            .map(|(kind, n)| format!("{n} {kind}"))
            .collect();
        let mapped = if mapped.is_empty() {
            "nothing".to_string()
        } else {
            mapped.join(", ")
        };
        writeln!(f, "mapped: {mapped}")?;
        if !self.properties.is_empty() {
            let with: Vec<String> = (self.properties.iter())
                .map(|(p, n)| format!("{p} on {n}"))
                .collect();
            writeln!(f, "properties: {}", with.join(", "))?;
        }
        writeln!(f, "approximated: {}", self.approximated.len())?;
        for n in &self.approximated {
            note(f, n)?;
        }
        writeln!(f, "dropped: {}", self.dropped.len())?;
        for n in &self.dropped {
            note(f, n)?;
        }
        Ok(())
    }
}
