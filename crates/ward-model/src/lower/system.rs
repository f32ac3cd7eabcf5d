//! Lowers the `system` declaration: version, intended use, scope, lifecycle
//! and the policy in force.

use super::Builder;
use crate::model::*;
use ward_syntax::ast::Decl;

impl Builder<'_> {
    pub(super) fn system(&mut self, decl: &Decl, policy: PolicyId) -> System {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let mut text = |key: &str| props.get(key).and_then(|p| self.cx.string(p));
        let version = text("version");
        let intended_use = text("intended_use");
        let overall_residual = text("overall_residual");
        let approved_by = text("approved_by");
        System {
            meta,
            version,
            intended_use,
            policy,
            out_of_scope: props
                .get("out_of_scope")
                .map(|p| self.cx.string_list(p))
                .unwrap_or_default(),
            lifecycle: props
                .get("lifecycle")
                .map(|p| self.cx.ident_list(p))
                .unwrap_or_default(),
            overall_residual,
            approved_by,
        }
    }
}
