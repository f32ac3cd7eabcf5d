//! Lowers `software` declarations (SBOM entries: the NTIA minimum elements
//! and the FDA's support fields) and components' `software` lists, which
//! reference them or, in the older form, name them in free text (W0204).

use super::Builder;
use crate::codes;
use crate::language::{
    SOFTWARE_AUTHOR, SOFTWARE_CPE, SOFTWARE_DEPENDS_ON, SOFTWARE_END_OF_SUPPORT, SOFTWARE_HASHES,
    SOFTWARE_PURL, SOFTWARE_SUPPLIER, SOFTWARE_SUPPORT, SOFTWARE_TIMESTAMP, SOFTWARE_VERSION,
};
use crate::model::*;
use crate::props::dedup_in_order;
use petgraph::algo::tarjan_scc;
use petgraph::graph::DiGraph;
use ward_diagnostics::Diagnostic;
use ward_syntax::ast::{Decl, DeclKind, Property, Value};

/// A component's `software`: the labels rules and presenters show, and the
/// declarations referenced.
pub(super) struct SoftwareList {
    pub labels: Vec<String>,
    pub refs: Vec<SoftwareId>,
}

impl Builder<'_> {
    pub(super) fn software(&mut self, decl: &Decl) -> Software {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let mut text = |spec| props.get(spec).and_then(|p| self.cx.string(p));
        let supplier = text(&SOFTWARE_SUPPLIER).unwrap_or_default();
        let version = text(&SOFTWARE_VERSION).unwrap_or_default();
        let author = text(&SOFTWARE_AUTHOR).unwrap_or_default();
        let purl = text(&SOFTWARE_PURL);
        let cpe = text(&SOFTWARE_CPE);
        if props.get(&SOFTWARE_PURL).is_none()
            && props.get(&SOFTWARE_CPE).is_none()
            && !self.cx.is_damaged(decl)
        {
            let mut d = Diagnostic::error(
                codes::MISSING_PROPERTY,
                decl.name.span,
                format!(
                    "software `{}` has no unique identifier: it needs `purl` or `cpe`",
                    decl.name.name
                ),
            )
            .with_primary_label("`purl` or `cpe` is required")
            .with_help(
                "add `purl: \"pkg:TYPE/NAMESPACE/NAME@VERSION\"` or `cpe: \"cpe:2.3:...\"`, so the SBOM and vulnerability feeds can match it",
            );
            if let Some(fix) = crate::props::add_property(&decl.body, "purl") {
                d = d.with_fix(fix);
            }
            self.cx.push(d);
        }
        let timestamp = props
            .get(&SOFTWARE_TIMESTAMP)
            .and_then(|p| self.cx.date(p))
            .unwrap_or_default();
        let end_of_support = props
            .get(&SOFTWARE_END_OF_SUPPORT)
            .and_then(|p| self.cx.date(p));
        let support = props
            .get(&SOFTWARE_SUPPORT)
            .and_then(|p| self.cx.enum_value::<SupportLevel>(p));
        let depends_on = props
            .get(&SOFTWARE_DEPENDS_ON)
            .map(|p| self.software_refs(p))
            .unwrap_or_default();
        let hashes = props
            .get(&SOFTWARE_HASHES)
            .map(|p| self.cx.string_list(p))
            .unwrap_or_default();
        Software {
            meta,
            supplier,
            version,
            purl,
            cpe,
            author,
            timestamp,
            depends_on,
            support,
            end_of_support,
            hashes,
            run_by: Vec::new(),
            imported_from: None,
        }
    }

    /// References to `software` declarations (unknown ones are E0111).
    pub(super) fn software_refs(&mut self, p: &Property) -> Vec<SoftwareId> {
        let mut out = Vec::new();
        for v in self.cx.list(p) {
            let Some(r) = self.cx.value_ref(&p.key, v, "a software id") else {
                continue;
            };
            if let Some(Symbol::Software(s)) = self.cx.resolve_ref(r, &[DeclKind::Software]) {
                out.push(s);
            }
        }
        dedup_in_order(out)
    }

    /// A component's `software`: ids of `software` declarations, or, the
    /// older form, strings, each of which is W0204.
    pub(super) fn component_software(
        &mut self,
        p: &Property,
        software: &[Software],
    ) -> SoftwareList {
        let mut labels = Vec::new();
        let mut refs = Vec::new();
        for v in self.cx.list(p) {
            match v {
                Value::Str(s) => {
                    self.cx.push(
                        Diagnostic::warning(
                            codes::FREE_TEXT_SOFTWARE,
                            s.span,
                            format!(
                                "free-text software `{}` cannot be traced to an SBOM or vulnerabilities",
                                s.value
                            ),
                        )
                        .with_primary_label("free text")
                        .with_help(
                            "declare `software NAME { ... }` and reference it: `software: [NAME]`",
                        ),
                    );
                    labels.push(s.value.clone());
                }
                other => {
                    let Some(r) = self
                        .cx
                        .value_ref(&p.key, other, "a software id or a string")
                    else {
                        continue;
                    };
                    if let Some(Symbol::Software(id)) =
                        self.cx.resolve_ref(r, &[DeclKind::Software])
                    {
                        if !refs.contains(&id) {
                            refs.push(id);
                            labels.push(software[id.index()].label());
                        }
                    }
                }
            }
        }
        SoftwareList { labels, refs }
    }

    /// Reports each cycle of `depends_on` once (E0123), at its first
    /// software in declaration order, and cuts it there.
    pub(super) fn check_software_cycles(&mut self, software: &mut [Software]) {
        let mut graph = DiGraph::<usize, ()>::with_capacity(software.len(), 0);
        let nodes: Vec<_> = (0..software.len()).map(|i| graph.add_node(i)).collect();
        for (i, s) in software.iter().enumerate() {
            for dep in &s.depends_on {
                graph.add_edge(nodes[i], nodes[dep.index()], ());
            }
        }
        for scc in tarjan_scc(&graph) {
            let mut members: Vec<usize> = scc.iter().map(|n| graph[*n]).collect();
            members.sort_unstable();
            let first = members[0];
            let self_loop = software[first]
                .depends_on
                .contains(&SoftwareId(first as u32));
            if members.len() < 2 && !self_loop {
                continue;
            }
            let names: Vec<String> = members
                .iter()
                .map(|m| format!("`{}`", software[*m].meta.name))
                .collect();
            self.cx.push(
                Diagnostic::error(
                    codes::SOFTWARE_CYCLE,
                    software[first].meta.name_span,
                    format!(
                        "software `{}` depends on itself through `depends_on`",
                        software[first].meta.name
                    ),
                )
                .with_primary_label("in a dependency cycle")
                .with_note(format!("the cycle holds {}", names.join(", ")))
                .with_help("remove the `depends_on` entry that points back; a dependency tree has no cycles"),
            );
            // Cut the cycle: the first one's dependencies inside it go.
            software[first]
                .depends_on
                .retain(|d| !members.contains(&d.index()));
        }
    }
}

/// Fills each software's `run_by`: the components whose `software` reaches
/// it, directly or through `depends_on` (cycles are cut before this runs;
/// the walk also stops at software already seen).
pub(super) fn link_users(software: &mut [Software], elements: &[Element]) {
    let mut seen = vec![usize::MAX; software.len()];
    for (e, element) in elements.iter().enumerate() {
        let mut stack: Vec<SoftwareId> = element.software_refs.clone();
        while let Some(id) = stack.pop() {
            if std::mem::replace(&mut seen[id.index()], e) == e {
                continue;
            }
            software[id.index()].run_by.push(ElementId(e as u32));
            stack.extend(&software[id.index()].depends_on);
        }
    }
}
