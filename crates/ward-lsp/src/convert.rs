//! Ward values -> LSP values.

use crate::workspace::Snapshot;
use lsp_types::{DiagnosticRelatedInformation, DiagnosticSeverity, NumberOrString};
use ward_diagnostics::{Diagnostic, Severity};

/// An LSP diagnostic for a Ward one. The help line and notes follow the
/// message (editors show one text; the primary label, which repeats the
/// message for the terminal's underline, is left out); labels in files with
/// a URI become related information. Quick fixes come from the Ward
/// diagnostic's structured fixes (see `features::code_actions`).
/// `None` for a diagnostic in no source file: it has no document to show in.
pub fn diagnostic(snapshot: &Snapshot, diagnostic: &Diagnostic) -> Option<lsp_types::Diagnostic> {
    let span = diagnostic.span?;
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
    Some(lsp_types::Diagnostic {
        range: snapshot.range(span),
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
    })
}
