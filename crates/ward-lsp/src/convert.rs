//! Ward values -> LSP values.

use crate::workspace::Snapshot;
use lsp_types::{DiagnosticRelatedInformation, DiagnosticSeverity, NumberOrString};
use ward_diagnostics::{Diagnostic, Severity};

/// An LSP diagnostic for a Ward one. The help line and notes follow the
/// message (editors show one text; the primary label, which repeats the
/// message for the terminal's underline, is left out); labels in files with
/// a URI become related information. Quick fixes come from the Ward
/// diagnostic's structured fixes (see `features::code_actions`).
pub fn diagnostic(snapshot: &Snapshot, diagnostic: &Diagnostic) -> lsp_types::Diagnostic {
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    for note in &diagnostic.notes {
        message.push_str(&format!("\nnote: {note}"));
    }
    let related: Vec<_> = diagnostic
        .labels
        .iter()
        .filter_map(|label| {
            Some(DiagnosticRelatedInformation {
                location: snapshot.location(label.span)?,
                message: label.message.clone(),
            })
        })
        .collect();
    lsp_types::Diagnostic {
        range: snapshot.range(diagnostic.span),
        severity: Some(match diagnostic.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(diagnostic.code.to_string())),
        code_description: None,
        source: Some("ward".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}
