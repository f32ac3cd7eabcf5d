//! Lowers `disposition` declarations: the threat (resolved as `accept`
//! resolves it), its status, the decision record that `not_applicable` and
//! `false_positive` need, the ticket and the pinned target hash; a threat
//! has at most one disposition. Whether the hash still holds is the
//! analysis's (ward-analysis `dispositions.rs`).

use super::Builder;
use crate::codes;
use crate::language::{
    DISPOSITION_APPROVER, DISPOSITION_DATE, DISPOSITION_RATIONALE, DISPOSITION_STATUS,
    DISPOSITION_TARGET_HASH, DISPOSITION_TICKET,
};
use crate::model::*;
use crate::policy::ValueSpan;
use crate::props::add_property;
use std::collections::HashMap;
use ward_diagnostics::{Diagnostic, Span};
use ward_syntax::ast::{self, Decl};

impl Builder<'_> {
    pub(super) fn disposition(&mut self, decl: &Decl) -> Disposition {
        let props = self.props(decl);
        let meta = super::untitled_meta(decl);
        // Reserved words were reported by the parser.
        let threat = decl
            .accepted
            .first()
            .filter(|t| !ast::is_reserved(&t.threat.name))
            .and_then(|t| self.resolve_threat_ref(t))
            .filter(|t| self.not_a_vulnerability(t));
        let status_prop = props.get(&DISPOSITION_STATUS);
        let status = status_prop
            .and_then(|p| self.cx.enum_value::<DispositionStatus>(p))
            .unwrap_or(DispositionStatus::Open);
        let mut text = |spec| props.get(spec).and_then(|p| self.cx.string(p));
        let rationale = text(&DISPOSITION_RATIONALE).filter(|r| !r.trim().is_empty());
        let approver = text(&DISPOSITION_APPROVER).filter(|a| !a.trim().is_empty());
        let ticket = text(&DISPOSITION_TICKET);
        let target_hash = text(&DISPOSITION_TARGET_HASH);
        let date = props.get(&DISPOSITION_DATE).and_then(|p| self.cx.date(p));
        let mut disposition = Disposition {
            meta,
            threat,
            status,
            status_span: status_prop.map(|p| p.value_span()),
            rationale,
            approver,
            date,
            ticket,
            target_hash,
            target_hash_span: props.get(&DISPOSITION_TARGET_HASH).map(|p| p.value_span()),
            new_property_at: decl.body.close.map(|close| {
                let at = decl
                    .body
                    .properties
                    .last()
                    .map_or(decl.body.open.end, |last| last.span.end);
                Span::new(close.file, at as usize, at as usize)
            }),
        };
        if status.is_dispositioned() {
            self.check_decision_record(decl, &mut disposition);
        }
        disposition
    }

    /// E0161: `not_applicable` or `false_positive` without rationale,
    /// approver or date. The status then falls back to `open`, so the
    /// threat stays open risk.
    fn check_decision_record(&mut self, decl: &Decl, disposition: &mut Disposition) {
        let missing: Vec<&str> = [
            (DISPOSITION_RATIONALE.key, disposition.rationale.is_none()),
            (DISPOSITION_APPROVER.key, disposition.approver.is_none()),
            (DISPOSITION_DATE.key, disposition.date.is_none()),
        ]
        .into_iter()
        .filter_map(|(key, missing)| missing.then_some(key))
        .collect();
        let Some(first) = missing.first() else {
            return;
        };
        let list = missing
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut d = Diagnostic::error(
            codes::DISPOSITION_WITHOUT_RECORD,
            disposition.status_span.unwrap_or(decl.name.span),
            format!(
                "`disposition {}` is `{}` without {list}",
                decl.name.name, disposition.status
            ),
        )
        .with_primary_label(format!("`{}` needs a decision record", disposition.status))
        .with_help(
            "add `rationale: \"...\"`, `approver: \"...\"` and `date: \"YYYY-MM-DD\"`: the threat \
             leaves open risk only on a recorded, attributable decision",
        );
        if let Some(fix) = add_property(&decl.body, first) {
            d = d.with_fix(fix);
        }
        self.cx.push(d);
        disposition.status = DispositionStatus::Open;
    }

    /// E0163 for `VULNERABILITY@COMPONENT`: the vulnerability's own
    /// `status` is its disposition.
    fn not_a_vulnerability(&mut self, t: &ThreatRefResolved) -> bool {
        let ThreatKey::Vulnerability { vulnerability, .. } = t.key else {
            return true;
        };
        let name = self
            .cx
            .symbols
            .declarations
            .iter()
            .find(|d| d.symbol == Symbol::Vulnerability(vulnerability))
            .map(|d| (d.name.clone(), d.name_span));
        let mut d = Diagnostic::error(
            codes::DISPOSITION_OF_VULNERABILITY,
            t.span,
            format!(
                "`{}` is a known vulnerability: its disposition is the vulnerability's `status`",
                self.written(t.span)
            ),
        )
        .with_primary_label("a vulnerability threat")
        .with_help(
            "set `status` (`affected`, `not_affected` with a `justification`, `fixed`, \
             `under_investigation`) on the `vulnerability` declaration or in the VEX file",
        );
        if let Some((name, span)) = name {
            d = d.with_label(span, format!("`{name}` is declared here"));
        }
        self.cx.push(d);
        false
    }

    /// E0162 for a threat named by two dispositions.
    pub(super) fn check_dispositions(&mut self, dispositions: &[Disposition]) {
        let mut first: HashMap<ThreatKey, Span> = HashMap::new();
        for t in dispositions.iter().filter_map(|d| d.threat.as_ref()) {
            if let Some(span) = first.get(&t.key) {
                self.cx.push(
                    Diagnostic::error(
                        codes::DUPLICATE_DISPOSITION,
                        t.span,
                        format!("threat `{}` has two dispositions", self.written(t.span)),
                    )
                    .with_primary_label("dispositioned again here")
                    .with_label(*span, "first dispositioned here")
                    .with_help("keep one `disposition` per threat, with its current status"),
                );
            } else {
                first.insert(t.key, t.span);
            }
        }
    }
}
