//! Lowers `usecase` declarations: their state and their steps, each a
//! reference to a declared flow.

use super::Builder;
use crate::language::{USECASE_STATE, USECASE_STEPS};
use crate::model::*;
use ward_syntax::ast::Decl;

impl Builder<'_> {
    pub(super) fn usecase(&mut self, decl: &Decl) -> Usecase {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let state = props
            .get(&USECASE_STATE)
            .and_then(|p| self.cx.ident(p))
            .map(|i| i.name.clone());
        let mut steps = Vec::new();
        if let Some(p) = props.get(&USECASE_STEPS) {
            for v in self.cx.list(p) {
                let Some(r) = self.cx.value_ref(&p.key, v, "a flow id") else {
                    continue;
                };
                if let Some(f) = self.cx.resolve_flow(r) {
                    steps.push(f);
                }
            }
        }
        Usecase { meta, state, steps }
    }
}
