//! Lowers `flow` declarations: resolves both ends and adds the reverse flow
//! of a two-way (`<->`) flow.

use super::Builder;
use crate::language::{
    PropertySpec, FLOW_AUTHENTICATED, FLOW_CARRIES, FLOW_ENCRYPTED, FLOW_INTEGRITY_PROTECTED,
    FLOW_PROTOCOL,
};
use crate::model::*;
use ward_syntax::ast::{Decl, FlowDirection};

impl Builder<'_> {
    pub(super) fn flow(&mut self, decl: &Decl, flows: &mut Vec<Flow>) {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let (source, target, both) = match &decl.flow {
            Some(ends) => {
                let source = self.cx.resolve_element(&ends.source, true);
                let target = self.cx.resolve_element(&ends.target, true);
                (source, target, ends.direction == FlowDirection::Both)
            }
            None => (None, None, false),
        };
        let protocol = props
            .get(&FLOW_PROTOCOL)
            .and_then(|p| self.cx.ident(p))
            .map_or_else(|| "unspecified".to_string(), |i| i.name.clone());
        let carries = props
            .get(&FLOW_CARRIES)
            .map(|p| self.data_list(p))
            .unwrap_or_default();
        let out_of_scope = self.out_of_scope(&props);
        let mut flag = |spec: &PropertySpec| {
            props
                .get(spec)
                .and_then(|p| self.cx.boolean(p))
                .unwrap_or(false)
        };
        let authenticated = flag(&FLOW_AUTHENTICATED);
        let encrypted = flag(&FLOW_ENCRYPTED);
        let integrity_protected = flag(&FLOW_INTEGRITY_PROTECTED);
        let id = FlowId(flows.len() as u32);
        let forward = Flow {
            meta,
            source,
            target,
            protocol,
            carries,
            authenticated,
            encrypted,
            integrity_protected,
            reverse_of: None,
            reverse: both.then_some(FlowId(id.0 + 1)),
            out_of_scope,
        };
        let reverse = both.then(|| {
            let mut r = forward.clone();
            r.meta.name = format!("{}.reverse", forward.meta.name);
            r.source = forward.target;
            r.target = forward.source;
            r.reverse = None;
            r.reverse_of = Some(id);
            r
        });
        flows.push(forward);
        flows.extend(reverse);
    }
}
