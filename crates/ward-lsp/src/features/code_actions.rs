//! Code actions.
//! - Quick fixes: the structured fixes of the Ward diagnostics the client
//!   asks about (a did-you-mean, a missing comma, a missing property), as
//!   workspace edits; the safe ones are preferred.
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
    CodeAction, CodeActionKind, CodeActionOrCommand, Diagnostic, NumberOrString, Range, TextEdit,
    Uri, WorkspaceEdit,
};
use std::collections::HashMap;
use ward_analysis::{Analysis, ThreatAnalysis};
use ward_diagnostics::{Applicability, FileId, Fix, Span};
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
    let mut actions: Vec<CodeActionOrCommand> = quick_fixes(snapshot, file, diagnostics)
        .into_iter()
        .map(CodeActionOrCommand::CodeAction)
        .collect();
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

/// The fixes of the Ward diagnostics behind `asked` (the client's, matched
/// by code and range in this file), in order.
fn quick_fixes(snapshot: &Snapshot, file: FileId, asked: &[Diagnostic]) -> Vec<CodeAction> {
    let mut actions = Vec::new();
    for diagnostic in asked {
        let Some(NumberOrString::String(code)) = &diagnostic.code else {
            continue;
        };
        let ward = snapshot.diagnostics().filter(|d| {
            d.span
                .is_some_and(|span| span.file == file && snapshot.range(span) == diagnostic.range)
                && d.code.as_str() == code
        });
        for fix in ward.flat_map(|d| &d.fixes) {
            let Some(edit) = workspace_edit(snapshot, fix) else {
                continue;
            };
            actions.push(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(edit),
                command: None,
                is_preferred: Some(fix.applicability == Applicability::Safe),
                disabled: None,
                data: None,
            });
        }
    }
    actions
}

/// A fix's edits by file URI; `None` when one is in a file without one
/// (the standard library).
fn workspace_edit(snapshot: &Snapshot, fix: &Fix) -> Option<WorkspaceEdit> {
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for edit in &fix.edits {
        let uri = snapshot.file(edit.span.file).uri.clone()?;
        changes.entry(uri).or_default().push(TextEdit {
            range: snapshot.range(edit.span),
            new_text: edit.replacement.clone(),
        });
    }
    Some(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
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
        // A `RULE@ELEMENT` under the cursor (in `mitigates`, or among the accepted threats).
        let mut refs = decl.accepted.clone();
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
