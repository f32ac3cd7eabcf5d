//! Lowers `accept` declarations: the threat accepted and its level, which needs
//! `benefit_risk` at `unacceptable`; a threat is accepted at most once.

use super::Builder;
use crate::codes;
use crate::model::*;
use crate::policy::ValueSpan;
use crate::props::add_property;
use std::collections::HashMap;
use ward_diagnostics::{Diagnostic, Span};
use ward_syntax::ast::{self, Decl};

impl Builder<'_> {
    pub(super) fn accept(&mut self, decl: &Decl) -> Accept {
        let props = self.props(decl);
        let meta = Meta {
            name: decl.name.name.clone(),
            title: decl.name.name.clone(),
            doc: decl.doc.clone(),
            description: None,
            tags: Vec::new(),
            span: decl.span,
            name_span: decl.name.span,
        };
        let threat = match &decl.accepted {
            Some(t) if ast::is_reserved(&t.threat.name) => None,
            Some(t) => self.resolve_threat_ref(t),
            None => None,
        };
        let level_prop = props.get("level");
        let level = level_prop
            .and_then(|p| self.cx.enum_value::<RiskLevel>(p))
            .unwrap_or(RiskLevel::Review);
        let rationale = props
            .get("rationale")
            .and_then(|p| self.cx.string(p))
            .unwrap_or_default();
        let benefit = props.get("benefit").and_then(|p| self.cx.string(p));
        let benefit_risk = props.get("benefit_risk").and_then(|p| self.cx.string(p));
        let approved_by = props.get("approved_by").and_then(|p| self.cx.string(p));
        if level == RiskLevel::Unacceptable
            && level_prop.is_some()
            && props.get("benefit_risk").is_none()
        {
            let mut d = Diagnostic::error(
                codes::MISSING_BENEFIT_RISK,
                level_prop.map_or(decl.name.span, |p| p.value_span()),
                format!(
                    "accepting `{}` at level `unacceptable` needs `benefit_risk`",
                    decl.name.name
                ),
            )
            .with_primary_label("unacceptable residual risk")
            .with_help(
                "add `benefit_risk: \"...\"` naming the benefit-risk analysis (ISO 14971 §7.4)",
            );
            if let Some(fix) = add_property(&decl.body, "benefit_risk") {
                d = d.with_fix(fix);
            }
            self.cx.push(d);
        }
        Accept {
            meta,
            threat,
            level,
            level_span: level_prop.map(|p| p.value_span()),
            rationale,
            benefit,
            benefit_risk,
            approved_by,
        }
    }

    pub(super) fn check_accepts(&mut self, accepts: &[Accept]) {
        let mut first: HashMap<ThreatKey, Span> = HashMap::new();
        for accept in accepts {
            let Some(t) = accept.threat else { continue };
            if let Some(span) = first.get(&t.key) {
                self.cx.push(
                    Diagnostic::error(
                        codes::DUPLICATE_ACCEPT,
                        accept.meta.name_span,
                        format!("threat `{}` is accepted twice", accept.meta.name),
                    )
                    .with_primary_label("accepted again here")
                    .with_label(*span, "first accepted here")
                    .with_help("keep one `accept` per threat"),
                );
            } else {
                first.insert(t.key, accept.meta.name_span);
            }
        }
    }
}
