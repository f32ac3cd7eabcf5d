//! Lowers `hazard` declarations (severity on the policy's scale) and the
//! hazard references of `hazards` lists and per-property `hazards` blocks.

use super::Builder;
use crate::language::{
    PropertySpec, HAZARD_HARM, HAZARD_HAZARDOUS_SITUATION, HAZARD_RMF_REF, HAZARD_RMF_RISK,
    HAZARD_SEVERITY,
};
use crate::model::*;
use crate::props::{dedup_in_order, unknown_key};
use std::collections::HashMap;
use ward_diagnostics::Span;
use ward_syntax::ast::{Decl, DeclKind, Property};

impl Builder<'_> {
    /// `hazards { confidentiality: [...], integrity: [...], availability: [...] }`
    pub(super) fn property_hazards(&mut self, p: &Property) -> PropertyHazards {
        let mut out = PropertyHazards::default();
        let Some(block) = self.cx.block(p) else {
            return out;
        };
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for row in &block.properties {
            let Some(property) = SecurityProperty::parse(&row.key.name) else {
                unknown_key(
                    &mut self.cx,
                    &row.key,
                    "a `hazards` block",
                    &SecurityProperty::names(),
                );
                continue;
            };
            if let Some(first) = seen.get(row.key.name.as_str()) {
                self.cx.push(crate::props::repeated(&row.key, *first));
                continue;
            }
            seen.insert(&row.key.name, row.key.span);
            let list = self.hazard_list(row);
            *out.get_mut(property) = list;
        }
        out
    }

    pub(super) fn hazard_list(&mut self, p: &Property) -> Vec<HazardId> {
        let mut out = Vec::new();
        for v in self.cx.list(p) {
            let Some(r) = self.cx.value_ref(&p.key, v, "a hazard id") else {
                continue;
            };
            if let Some(Symbol::Hazard(h)) = self.cx.resolve_ref(r, &[DeclKind::Hazard]) {
                out.push(h);
            }
        }
        dedup_in_order(out)
    }

    pub(super) fn hazard(&mut self, decl: &Decl) -> Hazard {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let severity = props
            .get(&HAZARD_SEVERITY)
            .and_then(|p| self.level(p, true))
            .unwrap_or_else(|| self.policy.highest_severity());
        let mut text = |spec: &PropertySpec| props.get(spec).and_then(|p| self.cx.string(p));
        Hazard {
            meta,
            severity,
            harm: text(&HAZARD_HARM),
            hazardous_situation: text(&HAZARD_HAZARDOUS_SITUATION),
            rmf_ref: text(&HAZARD_RMF_REF),
            rmf_risk: text(&HAZARD_RMF_RISK),
        }
    }
}
