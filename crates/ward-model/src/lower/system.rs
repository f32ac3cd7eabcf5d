//! Lowers the `system` declaration: version, intended use, scope, lifecycle
//! and the policy in force.

use super::Builder;
use crate::language::{
    PropertySpec, SYSTEM_APPROVED_BY, SYSTEM_INTENDED_USE, SYSTEM_LIFECYCLE, SYSTEM_OUT_OF_SCOPE,
    SYSTEM_OVERALL_RESIDUAL, SYSTEM_VERSION,
};
use crate::model::*;
use ward_syntax::ast::Decl;

impl Builder<'_> {
    pub(super) fn system(&mut self, decl: &Decl, policy: PolicyId) -> System {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let mut text = |spec: &PropertySpec| props.get(spec).and_then(|p| self.cx.string(p));
        let version = text(&SYSTEM_VERSION);
        let intended_use = text(&SYSTEM_INTENDED_USE);
        let overall_residual = text(&SYSTEM_OVERALL_RESIDUAL);
        let approved_by = text(&SYSTEM_APPROVED_BY);
        System {
            meta,
            version,
            intended_use,
            policy,
            out_of_scope: props
                .get(&SYSTEM_OUT_OF_SCOPE)
                .map(|p| self.cx.string_list(p))
                .unwrap_or_default(),
            lifecycle: props
                .get(&SYSTEM_LIFECYCLE)
                .map(|p| self.cx.ident_list(p))
                .unwrap_or_default(),
            overall_residual,
            approved_by,
        }
    }
}
