//! Lowers `accept` declarations: the threats accepted (one, or an explicit
//! list), the level, which needs `benefit_risk` at `unacceptable`, and the
//! decision record (`approved_by`, `date`); a threat is accepted at most once.

use super::Builder;
use crate::codes;
use crate::language::{
    ACCEPT_APPROVED_BY, ACCEPT_BENEFIT, ACCEPT_BENEFIT_RISK, ACCEPT_DATE, ACCEPT_LEVEL,
    ACCEPT_RATIONALE,
};
use crate::model::*;
use crate::policy::ValueSpan;
use crate::props::add_property;
use std::collections::HashMap;
use ward_diagnostics::{Diagnostic, Span};
use ward_syntax::ast::{self, Decl};

impl Builder<'_> {
    pub(super) fn accept(&mut self, decl: &Decl) -> Accept {
        let props = self.props(decl);
        let meta = super::untitled_meta(decl);
        // Reserved words were reported by the parser.
        let threats = decl
            .accepted
            .iter()
            .filter(|t| !ast::is_reserved(&t.threat.name))
            .filter_map(|t| self.resolve_threat_ref(t))
            .collect();
        let level_prop = props.get(&ACCEPT_LEVEL);
        let level = level_prop
            .and_then(|p| self.cx.enum_value::<RiskLevel>(p))
            .unwrap_or(RiskLevel::Review);
        let rationale = props
            .get(&ACCEPT_RATIONALE)
            .and_then(|p| self.cx.string(p))
            .unwrap_or_default();
        let benefit = props.get(&ACCEPT_BENEFIT).and_then(|p| self.cx.string(p));
        let benefit_risk_prop = props.get(&ACCEPT_BENEFIT_RISK);
        let benefit_risk = benefit_risk_prop.and_then(|p| self.cx.string(p));
        let approved_by = props
            .get(&ACCEPT_APPROVED_BY)
            .and_then(|p| self.cx.string(p));
        let date = props.get(&ACCEPT_DATE).and_then(|p| self.cx.date(p));
        if level == RiskLevel::Unacceptable && level_prop.is_some() && benefit_risk_prop.is_none() {
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
            if let Some(fix) = add_property(&decl.body, ACCEPT_BENEFIT_RISK.key) {
                d = d.with_fix(fix);
            }
            self.cx.push(d);
        }
        Accept {
            meta,
            threats,
            level,
            level_span: level_prop.map(|p| p.value_span()),
            rationale,
            benefit,
            benefit_risk,
            benefit_risk_span: benefit_risk_prop.map(|p| p.value_span()),
            approved_by,
            date,
        }
    }

    /// E0212 for a threat accepted twice: named twice in one list, or by two
    /// `accept`s.
    pub(super) fn check_accepts(&mut self, accepts: &[Accept]) {
        let mut first: HashMap<ThreatKey, Span> = HashMap::new();
        for t in accepts.iter().flat_map(|a| &a.threats) {
            if let Some(span) = first.get(&t.key) {
                self.cx.push(
                    Diagnostic::error(
                        codes::DUPLICATE_ACCEPT,
                        t.span,
                        format!("threat `{}` is accepted twice", self.written(t.span)),
                    )
                    .with_primary_label("accepted again here")
                    .with_label(*span, "first accepted here")
                    .with_help("name each threat in one `accept` only"),
                );
            } else {
                first.insert(t.key, t.span);
            }
        }
    }

    /// The source text at `span`, as written.
    pub(super) fn written(&self, span: Span) -> &str {
        let text = &self.loaded.sources.get(span.file).text;
        text.get(span.range()).unwrap_or_default()
    }
}
