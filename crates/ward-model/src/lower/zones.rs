//! Lowers `zone` declarations: checks nesting (`in` cycles are reported and
//! cut) and inherits trust and physical access from the enclosing zones. An
//! owner (`controlled_by`) is not inherited and has no default: unwritten,
//! it is "not stated" (the analysis reports it, W0439).

use super::Builder;
use crate::codes;
use crate::language::{ZONE_CONTROLLED_BY, ZONE_PHYSICAL_ACCESS, ZONE_TRUST};
use crate::model::*;
use crate::props::add_property;
use ward_diagnostics::{Diagnostic, Span};
use ward_syntax::ast::{Decl, DeclKind};

impl Builder<'_> {
    pub(super) fn zones(&mut self, decls: Vec<&Decl>) -> Vec<Zone> {
        struct Given {
            trust: Option<Trust>,
            physical_access: Option<bool>,
            parent_span: Option<Span>,
        }
        let mut zones = Vec::new();
        let mut given = Vec::new();
        for decl in &decls {
            let props = self.props(decl);
            let meta = self.meta(decl, &props);
            let parent = decl.parent.as_ref().and_then(|r| {
                match self.cx.resolve_ref(r, &[DeclKind::Zone]) {
                    Some(Symbol::Zone(z)) => Some(z),
                    _ => None,
                }
            });
            let trust = props
                .get(&ZONE_TRUST)
                .and_then(|p| self.cx.enum_value::<Trust>(p));
            let physical_access = props
                .get(&ZONE_PHYSICAL_ACCESS)
                .and_then(|p| self.cx.boolean(p));
            let controlled_by = props
                .get(&ZONE_CONTROLLED_BY)
                .and_then(|p| self.cx.enum_value::<ControlledBy>(p));
            let add_owner = props
                .get(&ZONE_CONTROLLED_BY)
                .is_none()
                .then(|| add_property(&decl.body, ZONE_CONTROLLED_BY.key))
                .flatten();
            given.push(Given {
                trust,
                physical_access,
                parent_span: decl.parent.as_ref().map(|r| r.span),
            });
            zones.push(Zone {
                meta,
                parent,
                trust: Trust::Untrusted,
                physical_access: false,
                controlled_by,
                add_owner,
                trust_span: props.get(&ZONE_TRUST).map(|p| p.span),
            });
        }
        // Cut `in` cycles, reported once, at the cycle's first zone. Each
        // zone is walked once (linear in the zones, whatever the depth).
        const UNSEEN: u8 = 0;
        const ON_PATH: u8 = 1;
        const DONE: u8 = 2;
        let mut state = vec![UNSEEN; zones.len()];
        let mut path = Vec::new();
        for start in 0..zones.len() {
            path.clear();
            let mut cursor = Some(start);
            while let Some(z) = cursor {
                match state[z] {
                    UNSEEN => {
                        state[z] = ON_PATH;
                        path.push(z);
                        cursor = zones[z].parent.map(|p| p.index());
                    }
                    ON_PATH => {
                        let at = path.iter().position(|m| *m == z).unwrap_or(0);
                        let cycle = &path[at..];
                        let first = cycle.iter().copied().min().unwrap_or(z);
                        let from = cycle.iter().position(|m| *m == first).unwrap_or(0);
                        let names: Vec<String> = cycle[from..]
                            .iter()
                            .chain(&cycle[..from])
                            .chain([&first])
                            .map(|m| format!("`{}`", zones[*m].meta.name))
                            .collect();
                        self.cx.push(
                            Diagnostic::error(
                                codes::ZONE_CYCLE,
                                given[first]
                                    .parent_span
                                    .unwrap_or(zones[first].meta.name_span),
                                format!("zone `{}` is nested in itself", zones[first].meta.name),
                            )
                            .with_primary_label("closes a cycle of `in`")
                            .with_note(format!("cycle: {}", names.join(" in "))),
                        );
                        zones[first].parent = None;
                        break;
                    }
                    _ => break,
                }
            }
            for z in &path {
                state[*z] = DONE;
            }
        }
        // Inherit trust and physical access from the enclosing zones,
        // outermost first, without recursion (nesting may be deep).
        let mut settled = vec![false; zones.len()];
        for start in 0..zones.len() {
            path.clear();
            let mut cursor = Some(start);
            while let Some(z) = cursor.filter(|z| !settled[*z]) {
                path.push(z);
                cursor = zones[z].parent.map(|p| p.index());
            }
            for &i in path.iter().rev() {
                let (parent_trust, parent_access) = match zones[i].parent {
                    Some(p) => (zones[p.index()].trust, zones[p.index()].physical_access),
                    None => (Trust::Untrusted, false),
                };
                zones[i].trust = given[i].trust.unwrap_or(parent_trust);
                zones[i].physical_access = given[i].physical_access.unwrap_or(parent_access);
                settled[i] = true;
            }
        }
        zones
    }
}
