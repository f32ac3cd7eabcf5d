//! The summary printed after an import: what was mapped (counts per
//! kind), what was approximated and what was dropped, each with its reason.

use crate::ir::{ElementKind, ImportModel, Note};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// `(kind, count)` in declaration-kind order; kinds with none left out.
    pub mapped: Vec<(&'static str, usize)>,
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
        Summary {
            mapped: mapped.into_iter().filter(|(_, n)| *n > 0).collect(),
            approximated: model.approximated.clone(),
            dropped: model.dropped.clone(),
        }
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
