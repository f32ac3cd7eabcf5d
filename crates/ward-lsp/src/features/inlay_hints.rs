//! Inlay hints: the risk before and after controls. After a hand-written
//! threat's id, `initial -> residual`; after the id of a component, actor
//! or flow, the same for the threats the rules generate on it (counted,
//! worst levels shown; the tooltip lists each).

use crate::features::hover::risk_change;
use crate::workspace::Snapshot;
use lsp_types::{
    InlayHint, InlayHintKind, InlayHintLabel, InlayHintTooltip, MarkupContent, MarkupKind, Range,
};
use ward_analysis::{Origin, ThreatAnalysis};
use ward_diagnostics::FileId;
use ward_model::{Target, ThreatKey};
use ward_syntax::ast::{DeclKind, Item};
use ward_view::{ThreatView, View};

pub fn inlay_hints(snapshot: &Snapshot, file: FileId, range: Range) -> Vec<InlayHint> {
    let (Some(model), Some(analysis), Some(view)) = (
        snapshot.model.as_ref(),
        snapshot.analysis.as_ref(),
        snapshot.view(),
    ) else {
        return Vec::new();
    };
    let mut hints = Vec::new();
    for item in &snapshot.file(file).ast.items {
        let Item::Decl(decl) = item else { continue };
        let position = snapshot.range(decl.name.span).end;
        if position < range.start || position > range.end {
            continue;
        }
        let threats: Vec<(&ThreatAnalysis, &ThreatView)> = match decl.kind {
            DeclKind::Threat => analysis
                .threats
                .iter()
                .zip(&view.threats)
                .filter(|(t, _)| t.origin == Origin::Hand && t.id == decl.name.name)
                .take(1)
                .collect(),
            DeclKind::Component | DeclKind::Actor => match model.find_element(&decl.name.name) {
                Some(e) => generated_on(analysis, view, &[Target::Element(e)]),
                None => continue,
            },
            DeclKind::Flow => match model.find_flow(&decl.name.name) {
                Some(f) => {
                    let mut targets = vec![Target::Flow(f)];
                    targets.extend(model.flow(f).reverse.map(Target::Flow));
                    generated_on(analysis, view, &targets)
                }
                None => continue,
            },
            _ => continue,
        };
        if threats.is_empty() {
            continue;
        }
        let label = if decl.kind == DeclKind::Threat {
            format!(
                "{} -> {}",
                threats[0].0.initial.overall, threats[0].0.judged
            )
        } else {
            let initial = threats
                .iter()
                .map(|(t, _)| t.initial.overall)
                .max()
                .expect("not empty");
            let judged = threats
                .iter()
                .map(|(t, _)| t.judged)
                .max()
                .expect("not empty");
            let count = threats.len();
            let noun = if count == 1 { "threat" } else { "threats" };
            format!("{count} {noun}: {initial} -> {judged}")
        };
        let tooltip = threats
            .iter()
            .map(|(t, tv)| {
                format!(
                    "- {}: {} (planned {}, verified {})",
                    crate::markdown::code(&t.id),
                    risk_change(t),
                    tv.planned.risk.overall,
                    tv.verified.risk.overall
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        hints.push(InlayHint {
            position,
            label: InlayHintLabel::String(label),
            kind: Some(InlayHintKind::TYPE),
            text_edits: None,
            tooltip: Some(InlayHintTooltip::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: format!("Risk: initial -> judged residual\n\n{tooltip}"),
            })),
            padding_left: Some(true),
            padding_right: None,
            data: None,
        });
    }
    hints
}

fn generated_on<'a>(
    analysis: &'a ward_analysis::Analysis,
    view: &'a View,
    targets: &[Target],
) -> Vec<(&'a ThreatAnalysis, &'a ThreatView)> {
    analysis
        .threats
        .iter()
        .zip(&view.threats)
        .filter(|(t, _)| {
            matches!(t.key, ThreatKey::Generated { element, .. } if targets.contains(&element))
        })
        .collect()
}
