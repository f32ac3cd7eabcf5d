//! Lowers the post-market declarations: `anomaly` (a known defect the device
//! is released with, assessed for safety and security) and `monitoring`
//! (the post-market plan: sources, disclosure contact, patch timelines).

use super::Builder;
use crate::codes;
use crate::language::{
    ANOMALY_CWE, ANOMALY_HAZARDS, ANOMALY_RATIONALE, ANOMALY_SAFETY_IMPACT,
    ANOMALY_SECURITY_IMPACT, ANOMALY_SOFTWARE, ANOMALY_TICKET, MONITORING_CVD_CONTACT,
    MONITORING_CVD_POLICY, MONITORING_PATCH_WITHIN, MONITORING_SOURCES,
};
use crate::model::*;
use crate::props::{repeated, unknown_key};
use std::collections::HashMap;
use ward_diagnostics::{Diagnostic, Span};
use ward_syntax::ast::{Decl, Property};

impl Builder<'_> {
    pub(super) fn anomaly(&mut self, decl: &Decl) -> Anomaly {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let mut text = |spec| props.get(spec).and_then(|p| self.cx.string(p));
        let safety_impact = text(&ANOMALY_SAFETY_IMPACT).unwrap_or_default();
        let security_impact = text(&ANOMALY_SECURITY_IMPACT).unwrap_or_default();
        let rationale = text(&ANOMALY_RATIONALE);
        let ticket = text(&ANOMALY_TICKET);
        let cwe = props.get(&ANOMALY_CWE).and_then(|p| self.cx.uint(p));
        let software = props
            .get(&ANOMALY_SOFTWARE)
            .map(|p| self.software_refs(p))
            .unwrap_or_default();
        let hazards = props
            .get(&ANOMALY_HAZARDS)
            .map(|p| self.hazard_list(p))
            .unwrap_or_default();
        Anomaly {
            meta,
            cwe,
            software,
            safety_impact,
            security_impact,
            hazards,
            rationale,
            ticket,
        }
    }

    /// The model's plan: the first `monitoring`; each later one is E0150
    /// (its properties are still checked).
    pub(super) fn monitoring(&mut self, decls: &[&Decl]) -> Option<Monitoring> {
        let plans: Vec<Monitoring> = decls.iter().map(|d| self.monitoring_plan(d)).collect();
        for extra in plans.iter().skip(1) {
            let first = &plans[0].meta;
            self.cx.push(
                Diagnostic::error(
                    codes::SECOND_MONITORING,
                    extra.meta.name_span,
                    format!(
                        "a second monitoring plan `{}`: a model has one post-market plan",
                        extra.meta.name
                    ),
                )
                .with_primary_label("second `monitoring`")
                .with_label(
                    first.name_span,
                    format!("the plan is `{}`, declared here", first.name),
                )
                .with_help("merge the sources and timelines into the first `monitoring`"),
            );
        }
        plans.into_iter().next()
    }

    fn monitoring_plan(&mut self, decl: &Decl) -> Monitoring {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let sources = props
            .get(&MONITORING_SOURCES)
            .map(|p| self.cx.string_list(p))
            .unwrap_or_default();
        let cvd_contact = props
            .get(&MONITORING_CVD_CONTACT)
            .and_then(|p| self.cx.string(p))
            .unwrap_or_default();
        let cvd_policy = props
            .get(&MONITORING_CVD_POLICY)
            .and_then(|p| self.cx.string(p));
        let patch_within = props
            .get(&MONITORING_PATCH_WITHIN)
            .map(|p| self.patch_timelines(p))
            .unwrap_or_default();
        Monitoring {
            meta,
            sources,
            cvd_contact,
            cvd_policy,
            patch_within,
        }
    }

    /// `patch_within { uncontrolled: 30, controlled: 180 }`: days.
    fn patch_timelines(&mut self, p: &Property) -> PatchTimelines {
        let mut out = PatchTimelines::default();
        let Some(block) = self.cx.block(p) else {
            return out;
        };
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for row in &block.properties {
            let Some(state) = RiskControlState::parse(&row.key.name) else {
                unknown_key(
                    &mut self.cx,
                    &row.key,
                    "a `patch_within` block",
                    RiskControlState::NAMES,
                );
                continue;
            };
            if let Some(first) = seen.get(row.key.name.as_str()) {
                self.cx.push(repeated(&row.key, *first));
                continue;
            }
            seen.insert(&row.key.name, row.key.span);
            let days = self.cx.uint(row);
            match state {
                RiskControlState::Uncontrolled => out.uncontrolled = days,
                RiskControlState::Controlled => out.controlled = days,
            }
        }
        out
    }
}
