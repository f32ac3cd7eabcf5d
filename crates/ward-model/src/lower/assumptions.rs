//! Lowers `assumption` declarations: their rationale and what they apply
//! to, each a declared zone, component, actor or flow.

use super::Builder;
use crate::language::{ASSUMPTION_APPLIES_TO, ASSUMPTION_RATIONALE};
use crate::model::*;
use crate::props::dedup_in_order;
use ward_syntax::ast::{Decl, DeclKind};

impl Builder<'_> {
    pub(super) fn assumption(&mut self, decl: &Decl) -> Assumption {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let rationale = props
            .get(&ASSUMPTION_RATIONALE)
            .and_then(|p| self.cx.string(p));
        let mut applies_to = Vec::new();
        if let Some(p) = props.get(&ASSUMPTION_APPLIES_TO) {
            for v in self.cx.list(p) {
                let Some(r) = self.cx.value_ref(&p.key, v, "a zone or element id") else {
                    continue;
                };
                let node = match self.cx.resolve_ref(
                    r,
                    &[
                        DeclKind::Zone,
                        DeclKind::Component,
                        DeclKind::Actor,
                        DeclKind::Flow,
                    ],
                ) {
                    Some(Symbol::Zone(z)) => NodeRef::Zone(z),
                    Some(Symbol::Element(e)) => NodeRef::Element(e),
                    Some(Symbol::Flow(f)) => NodeRef::Flow(f),
                    _ => continue,
                };
                applies_to.push(node);
            }
        }
        Assumption {
            meta,
            rationale,
            applies_to: dedup_in_order(applies_to),
        }
    }
}
