//! Code actions.
//! - Quick fixes for did-you-mean diagnostics: every Ward stage writes the
//!   suggestion in the help line as ``did you mean `x`?``, and the primary
//!   span is the misspelt token; the fix replaces the one by the other.
//! - For a threat that is not controlled (under the cursor: its declaration,
//!   its `RULE@ELEMENT` reference, the element it is generated on, or a
//!   finding about it): "add a control" appends a `control` skeleton that
//!   mitigates it, and "accept the risk" appends an `accept` at its current
//!   judged residual. Both are valid Ward with placeholder strings to fill
//!   in, so the model still compiles (a control without verification is
//!   only a warning).

use crate::features::navigation::is_identifier;
use crate::workspace::Snapshot;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Diagnostic, Range, TextEdit, Uri,
    WorkspaceEdit,
};
use std::collections::HashMap;
use ward_analysis::{Analysis, ThreatAnalysis};
use ward_diagnostics::{FileId, Span};
use ward_model::{ControlCategory, Model, RiskLevel, Stride, ThreatKey};
use ward_syntax::ast::{DeclKind, Item, PropertyValue, Value};

/// Threat actions offered at one place, at most.
const MAX_THREATS: usize = 8;

pub fn code_actions(
    snapshot: &Snapshot,
    file: FileId,
    uri: &Uri,
    range: Range,
    diagnostics: &[Diagnostic],
) -> Vec<CodeActionOrCommand> {
    let text = snapshot.text(file);
    let mut actions = Vec::new();
    for diagnostic in diagnostics {
        if let Some(action) = did_you_mean_fix(snapshot, file, uri, diagnostic) {
            actions.push(CodeActionOrCommand::CodeAction(action));
        }
    }
    let (Some(model), Some(analysis)) = (snapshot.model.as_ref(), snapshot.analysis.as_ref())
    else {
        return actions;
    };
    let offset = snapshot.offset(file, range.start);
    let end = snapshot.file(file).index.end_position(text);
    let separator = if text.is_empty() || text.ends_with("\n\n") {
        ""
    } else if text.ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    };
    for threat in threats_here(snapshot, model, analysis, file, offset, diagnostics) {
        let control = control_skeleton(model, threat);
        actions.push(insert_action(
            format!("Add a control for threat `{}`", threat.id),
            uri,
            end,
            format!("{separator}{control}"),
        ));
        if threat.acceptance.is_none() {
            actions.push(insert_action(
                format!(
                    "Accept the risk of threat `{}` at `{}`",
                    threat.id, threat.judged
                ),
                uri,
                end,
                format!("{separator}{}", accept_skeleton(threat)),
            ));
        }
    }
    actions
}

fn insert_action(
    title: String,
    uri: &Uri,
    at: lsp_types::Position,
    text: String,
) -> CodeActionOrCommand {
    let edit = TextEdit {
        range: Range::new(at, at),
        new_text: text,
    };
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: None,
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
            ..WorkspaceEdit::default()
        }),
        command: None,
        is_preferred: None,
        disabled: None,
        data: None,
    })
}

/// The suggestion of a ``did you mean `x`?`` help line.
pub fn suggestion(help: &str) -> Option<&str> {
    let rest = &help[help.find("did you mean `")? + "did you mean `".len()..];
    let word = &rest[..rest.find('`')?];
    (!word.is_empty()).then_some(word)
}

fn did_you_mean_fix(
    snapshot: &Snapshot,
    file: FileId,
    uri: &Uri,
    diagnostic: &Diagnostic,
) -> Option<CodeAction> {
    let help = diagnostic
        .data
        .as_ref()
        .and_then(|d| d.get("help"))
        .and_then(|h| h.as_str())
        .map(str::to_owned)
        .or_else(|| {
            diagnostic
                .message
                .split("\nhelp: ")
                .nth(1)
                .map(|h| h.lines().next().unwrap_or("").to_owned())
        })?;
    let replacement = suggestion(&help)?;
    let text = snapshot.text(file);
    let bytes = snapshot.file(file).index.byte_range(text, diagnostic.range);
    let current = text.get(bytes)?;
    // Only a single misspelt token is replaced.
    let token_like = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_:@.".contains(c))
    };
    if !token_like(current) || !token_like(replacement) || current == replacement {
        return None;
    }
    let edit = TextEdit {
        range: diagnostic.range,
        new_text: replacement.to_owned(),
    };
    Some(CodeAction {
        title: format!("Replace `{current}` with `{replacement}`"),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
            ..WorkspaceEdit::default()
        }),
        command: None,
        is_preferred: Some(true),
        disabled: None,
        data: None,
    })
}

/// The uncontrolled threats the cursor is on, in a stable order.
fn threats_here<'a>(
    snapshot: &Snapshot,
    model: &Model,
    analysis: &'a Analysis,
    file: FileId,
    offset: usize,
    diagnostics: &[Diagnostic],
) -> Vec<&'a ThreatAnalysis> {
    let within = |span: Span| {
        span.file == file && span.start as usize <= offset && offset <= span.end as usize
    };
    let mut found: Vec<&ThreatAnalysis> = Vec::new();
    for item in &snapshot.file(file).ast.items {
        let Item::Decl(decl) = item else { continue };
        if !within(decl.span) {
            continue;
        }
        match decl.kind {
            DeclKind::Threat => {
                if let Some(id) = model.find_threat(&decl.name.name) {
                    found.extend(analysis.threat_by_key(ThreatKey::Hand { threat: id }));
                }
            }
            DeclKind::Component | DeclKind::Actor | DeclKind::Flow => {
                let on_this = |t: &&ThreatAnalysis| {
                    t.rule.is_some()
                        && t.targets.iter().any(|x| {
                            model.target_name(*x).split('.').next() == Some(&decl.name.name)
                        })
                };
                found.extend(analysis.threats.iter().filter(on_this));
            }
            _ => {}
        }
        // A `RULE@ELEMENT` under the cursor (in `mitigates`, or the accepted threat).
        let mut refs = Vec::new();
        if let Some(accepted) = &decl.accepted {
            refs.push(accepted.clone());
        }
        for property in &decl.body.properties {
            if let PropertyValue::Value(value) = &property.value {
                collect_threat_refs(value, &mut refs);
            }
        }
        for reference in refs.iter().filter(|r| within(r.span)) {
            if let Some(id) = snapshot.text(file).get(reference.span.range()) {
                found.extend(analysis.threat(id));
            }
        }
    }
    // Findings about threats, reported at the threat (or its element).
    for diagnostic in diagnostics {
        for t in &analysis.threats {
            if t.span.file == file
                && snapshot.range(t.span) == diagnostic.range
                && diagnostic.message.contains(&format!("`{}`", t.id))
            {
                found.push(t);
            }
        }
    }
    found.retain(|t| !t.controlled);
    found.sort_by(|a, b| a.id.cmp(&b.id));
    found.dedup_by(|a, b| a.id == b.id);
    found.truncate(MAX_THREATS);
    found
}

fn collect_threat_refs(value: &Value, out: &mut Vec<ward_syntax::ast::ThreatRef>) {
    match value {
        Value::ThreatRef(t) => out.push(t.clone()),
        Value::Ref(r) => out.push(ward_syntax::ast::ThreatRef {
            threat: r.id.clone(),
            element: None,
            span: r.span,
        }),
        Value::List(list) => list
            .items
            .iter()
            .for_each(|item| collect_threat_refs(item, out)),
        _ => {}
    }
}

/// The FDA category a control for the threat most likely belongs to: the
/// rule's first suggestion, else one by the threat's first STRIDE category.
fn category(threat: &ThreatAnalysis) -> ControlCategory {
    if let Some(first) = threat.suggest.first() {
        return *first;
    }
    match threat.stride.first() {
        Some(Stride::Spoofing) | None => ControlCategory::Authentication,
        Some(Stride::Tampering) => ControlCategory::Integrity,
        Some(Stride::Repudiation) => ControlCategory::EventDetection,
        Some(Stride::InformationDisclosure) => ControlCategory::Confidentiality,
        Some(Stride::DenialOfService) => ControlCategory::Resiliency,
        Some(Stride::ElevationOfPrivilege) => ControlCategory::Authorization,
    }
}

/// An id not yet declared, from `base` (made an identifier).
fn fresh_id(model: &Model, base: &str) -> String {
    let base: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let taken = |name: &str| model.symbols.declarations.iter().any(|d| d.name == name);
    let mut candidate = base.clone();
    let mut n = 2;
    while taken(&candidate)
        || !is_identifier(&candidate)
        || ward_syntax::ast::is_reserved(&candidate)
    {
        candidate = format!("{base}_{n}");
        n += 1;
    }
    candidate
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

pub fn control_skeleton(model: &Model, threat: &ThreatAnalysis) -> String {
    let id = fresh_id(model, &format!("ctl_{}", threat.id));
    format!(
        "control {id} \"Control for: {title}\" {{\n  category: {category}\n  mitigates: [{threat}]\n  reduces: 1\n  requirement: \"TODO: the requirement that addresses {threat}\"\n  acceptance: \"TODO: the criteria by which its verification passes\"\n}}\n",
        title = escape(&threat.title),
        category = category(threat),
        threat = threat.id,
    )
}

pub fn accept_skeleton(threat: &ThreatAnalysis) -> String {
    let benefit_risk = if threat.judged == RiskLevel::Unacceptable {
        "  benefit_risk: \"TODO: the benefit-risk analysis that justifies it\"\n"
    } else {
        ""
    };
    format!(
        "accept {threat} {{\n  level: {level}\n  rationale: \"TODO: why this residual risk is acceptable\"\n{benefit_risk}}}\n",
        threat = threat.id,
        level = threat.judged,
    )
}

#[cfg(test)]
mod tests {
    use super::suggestion;

    #[test]
    fn reads_the_suggestion_of_a_help_line() {
        assert_eq!(suggestion("did you mean `pump`?"), Some("pump"));
        assert_eq!(
            suggestion("did you mean `high`? allowed: `low`, `high`"),
            Some("high")
        );
        assert_eq!(suggestion("allowed: `a`, `b`"), None);
        assert_eq!(suggestion("did you mean ``?"), None);
    }
}
