//! Lowers `flow` declarations: resolves both ends and adds the reverse flow
//! of a two-way (`<->`) flow or the response direction of a request
//! (`returns`).

use super::Builder;
use crate::language::{FLOW_CARRIES, FLOW_INTEGRITY_PROTECTED, FLOW_PROTOCOL, FLOW_RETURNS};
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
        // Written, even empty, `returns` makes a request/response link
        // (`declare_all` gave its response direction an id).
        let returns = props.get(&FLOW_RETURNS).map(|p| self.data_list(p));
        let out_of_scope = self.out_of_scope(&props);
        let security = self.flow_security(&props);
        let integrity_protected = props
            .get(&FLOW_INTEGRITY_PROTECTED)
            .and_then(|p| self.cx.boolean(p))
            .unwrap_or(false);
        let id = FlowId(flows.len() as u32);
        let two_way = both || returns.is_some();
        let forward = Flow {
            meta,
            source,
            target,
            protocol,
            carries,
            authenticated: security.authenticated,
            auth: security.auth,
            server_authenticated: security.server_authenticated,
            tls_version: security.tls_version,
            identity: security.identity,
            encrypted: security.encrypted,
            integrity_protected,
            reverse_of: None,
            reverse: two_way.then_some(FlowId(id.0 + 1)),
            is_response: false,
            out_of_scope,
        };
        let reverse = two_way.then(|| {
            let mut r = forward.clone();
            r.meta.name = format!("{}.reverse", forward.meta.name);
            r.source = forward.target;
            r.target = forward.source;
            r.reverse = None;
            r.reverse_of = Some(id);
            if let Some(returns) = returns {
                r.carries = returns;
                r.is_response = true;
            }
            r
        });
        flows.push(forward);
        flows.extend(reverse);
    }
}
