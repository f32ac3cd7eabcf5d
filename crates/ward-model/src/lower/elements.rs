//! Lowers `component` and `actor` declarations (each must be `in` a zone) and
//! lists of element or flow ids (`implemented_in`, `targets`, `scope`).

use super::Builder;
use crate::codes;
use crate::language::{
    PropertySpec, ACTOR_KIND, COMPONENT_ACCESS_CONTROL, COMPONENT_AUTHORIZATION,
    COMPONENT_CONTROLLED_BY, COMPONENT_FLEET, COMPONENT_HAZARDS, COMPONENT_INPUT_VALIDATION,
    COMPONENT_INTERFACES, COMPONENT_KIND, COMPONENT_OUTPUT_ENCODING, COMPONENT_PARSES,
    COMPONENT_PROCESSES, COMPONENT_RUNS_ON, COMPONENT_SOFTWARE, COMPONENT_STORES,
    COMPONENT_UPDATABLE, COMPONENT_VERSION,
};
use crate::model::*;
use crate::policy::ValueSpan;
use crate::props::dedup_in_order;
use ward_diagnostics::{Applicability, Diagnostic, Edit, Fix};
use ward_syntax::ast::{Decl, DeclKind, Property};

impl Builder<'_> {
    pub(super) fn element_list(&mut self, p: &Property) -> Vec<ElementId> {
        let mut out = Vec::new();
        for v in self.cx.list(p) {
            let Some(r) = self.cx.value_ref(&p.key, v, "a component or actor id") else {
                continue;
            };
            if let Some(e) = self.cx.resolve_element(r, false) {
                out.push(e);
            }
        }
        dedup_in_order(out)
    }

    pub(super) fn target_list(&mut self, p: &Property) -> Vec<Target> {
        let mut out = Vec::new();
        for v in self.cx.list(p) {
            let Some(r) = self
                .cx
                .value_ref(&p.key, v, "a flow, component or actor id")
            else {
                continue;
            };
            if let Some(t) = self.cx.resolve_target(r) {
                out.push(t);
            }
        }
        dedup_in_order(out)
    }

    /// Whether a syntax error lies in the declaration's header (before its
    /// block, or anywhere when the block never opened).
    fn header_has_syntax_error(&self, decl: &Decl) -> bool {
        let header_end = if decl.body.open.is_empty() {
            // No block: the header runs to the end of its line.
            let text = &self.loaded.sources.get(decl.span.file).text;
            let from = (decl.span.end as usize).min(text.len());
            (from + text[from..].find('\n').unwrap_or(text.len() - from)) as u32
        } else {
            decl.body.open.start
        };
        self.loaded.diagnostics.iter().any(|d| {
            ward_syntax::codes::is_syntax(d.code)
                && d.span.is_some_and(|span| {
                    span.file == decl.span.file
                        && span.start >= decl.span.start
                        && span.start <= header_end
                })
        })
    }

    pub(super) fn element(
        &mut self,
        decl: &Decl,
        zones: &[Zone],
        software: &[Software],
    ) -> Element {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let actor = decl.kind == DeclKind::Actor;
        let zone = match &decl.parent {
            Some(r) => match self.cx.resolve_header_ref(r, &[DeclKind::Zone]) {
                Some(Symbol::Zone(z)) => Some(z),
                _ => None,
            },
            // A header cut short by a syntax error already has its error.
            None if self.header_has_syntax_error(decl) => None,
            None => {
                // Which zone is the author's call: the fix leaves it blank.
                let header_end = decl.title.as_ref().map_or(decl.name.span, |t| t.span).end;
                self.cx.push(
                    Diagnostic::error(
                        codes::MISSING_PARENT,
                        decl.name.span,
                        format!("{} `{}` is in no zone", decl.kind.keyword(), decl.name.name),
                    )
                    .with_primary_label("missing `in ZONE`")
                    .with_help(format!(
                        "place it in a zone: `{} {} \"...\" in ZONE {{ ... }}`",
                        decl.kind.keyword(),
                        decl.name.name
                    ))
                    .with_fix(Fix::new(
                        "Place it in a zone",
                        Applicability::DisplayOnly,
                        vec![Edit::insert(
                            decl.name.span.file,
                            header_end as usize,
                            " in ",
                        )],
                    )),
                );
                None
            }
        };
        let kind = if actor {
            ElementKind::Actor(
                props
                    .get(&ACTOR_KIND)
                    .and_then(|p| self.cx.enum_value::<ActorKind>(p))
                    .unwrap_or(ActorKind::Human),
            )
        } else {
            ElementKind::Component(
                props
                    .get(&COMPONENT_KIND)
                    .and_then(|p| self.cx.enum_value::<ComponentKind>(p))
                    .unwrap_or(ComponentKind::Process),
            )
        };
        let stores = props
            .get(&COMPONENT_STORES)
            .map(|p| self.data_list(p))
            .unwrap_or_default();
        // An actor takes none of these; `Props::get` would refuse to read them.
        let component_only = |spec: &PropertySpec| if actor { None } else { props.get(spec) };
        let software =
            component_only(&COMPONENT_SOFTWARE).map(|p| self.component_software(p, software));
        let (software, software_refs) =
            software.map_or_else(Default::default, |s| (s.labels, s.refs));
        let version = component_only(&COMPONENT_VERSION).and_then(|p| self.cx.string(p));
        let interfaces = component_only(&COMPONENT_INTERFACES)
            .map(|p| self.cx.ident_list(p))
            .unwrap_or_default();
        let fleet = props
            .get(&COMPONENT_FLEET)
            .and_then(|p| self.cx.enum_value::<Fleet>(p))
            .unwrap_or(Fleet::PerPatient);
        let controlled_by = props
            .get(&COMPONENT_CONTROLLED_BY)
            .and_then(|p| self.cx.enum_value::<ControlledBy>(p))
            .or_else(|| zone.and_then(|z| zones[z.index()].controlled_by));
        let updatable = match kind {
            ElementKind::Actor(_) => false,
            ElementKind::Component(kind) => props
                .get(&COMPONENT_UPDATABLE)
                .and_then(|p| self.cx.boolean(p))
                .unwrap_or(kind.updatable_by_default()),
        };
        let hazards = component_only(&COMPONENT_HAZARDS)
            .map(|p| self.property_hazards(p))
            .unwrap_or_default();
        let flag = |b: &mut Self, spec: &PropertySpec| {
            component_only(spec)
                .and_then(|p| b.cx.boolean(p))
                .unwrap_or(false)
        };
        let mut security = ComponentSecurity {
            input_validation: flag(self, &COMPONENT_INPUT_VALIDATION),
            output_encoding: flag(self, &COMPONENT_OUTPUT_ENCODING),
            access_control: flag(self, &COMPONENT_ACCESS_CONTROL),
            authorization: component_only(&COMPONENT_AUTHORIZATION)
                .and_then(|p| self.cx.enum_value::<Authorization>(p)),
            parses: component_only(&COMPONENT_PARSES)
                .map(|p| self.cx.ident_list(p))
                .unwrap_or_default(),
            processes: Vec::new(),
            runs_on: component_only(&COMPONENT_RUNS_ON).and_then(|p| {
                let v = self.cx.value(p, "a component id")?;
                let r = self.cx.value_ref(&p.key, v, "one `runtime` component id")?;
                self.cx.resolve_element(r, false)
            }),
        };
        if let Some(p) = component_only(&COMPONENT_PROCESSES) {
            let processes = self.data_list(p);
            security.processes = self.drop_stored(p, &stores, processes);
        }
        Element {
            meta,
            kind,
            zone,
            stores,
            software,
            software_refs,
            sbom: None,
            version,
            interfaces,
            fleet,
            controlled_by,
            updatable,
            hazards,
            out_of_scope: self.out_of_scope(&props),
            security,
        }
    }

    /// `processes` without the data the component also `stores` (W0180, with
    /// a fix that removes them from `processes`): stored wins.
    fn drop_stored(
        &mut self,
        p: &Property,
        stores: &[DataId],
        processes: Vec<DataId>,
    ) -> Vec<DataId> {
        let (both, only): (Vec<DataId>, Vec<DataId>) =
            processes.into_iter().partition(|d| stores.contains(d));
        if both.is_empty() {
            return only;
        }
        let source = self.source_text(p.key.span.file);
        let item_text = |v: &ward_syntax::ast::Value| {
            let span = v.span();
            source[span.start as usize..span.end as usize].to_string()
        };
        let items = self.cx.list(p);
        let stored_names: Vec<String> = self
            .cx
            .symbols
            .declarations
            .iter()
            .filter(|d| matches!(d.symbol, Symbol::Data(id) if both.contains(&id)))
            .map(|d| d.name.clone())
            .collect();
        let is_stored = |v: &&ward_syntax::ast::Value| matches!(v, ward_syntax::ast::Value::Ref(r) if stored_names.contains(&r.id.name));
        let kept: Vec<String> = items
            .iter()
            .filter(|v| !is_stored(v))
            .map(|v| item_text(v))
            .collect();
        let value_span = p.value_span();
        for item in items.iter().filter(|v| is_stored(v)) {
            let name = item_text(item);
            self.cx.push(
                Diagnostic::warning(
                    codes::STORED_AND_PROCESSED,
                    item.span(),
                    format!("`{name}` is both stored and processed by this component"),
                )
                .with_primary_label("also in `stores`")
                .with_help("`processes` is data handled but not stored: keep it in `stores` only")
                .with_fix(Fix::new(
                    format!("Remove `{name}` from `processes`"),
                    Applicability::Safe,
                    vec![Edit::replace(value_span, format!("[{}]", kept.join(", ")))],
                )),
            );
        }
        only
    }

    /// Checks `runs_on` once every element is lowered: it must name another
    /// component of kind `runtime` (E0180, E0181); a wrong one is dropped.
    pub(super) fn check_runs_on(&mut self, decls: &[&Decl], elements: &mut [Element]) {
        for (index, decl) in decls.iter().enumerate() {
            let Some(host) = elements[index].security.runs_on else {
                continue;
            };
            let Some(p) = decl.property(COMPONENT_RUNS_ON.key) else {
                continue;
            };
            let name = &elements[host.index()].meta.name;
            let diagnostic = if host.index() == index {
                Diagnostic::error(
                    codes::RUNS_ON_ITSELF,
                    p.value_span(),
                    format!("`{name}` runs on itself"),
                )
                .with_primary_label("the component's own id")
                .with_help("name the `runtime` it runs on, or remove `runs_on`")
            } else if elements[host.index()].kind != ElementKind::Component(ComponentKind::Runtime)
            {
                Diagnostic::error(
                    codes::RUNS_ON_NOT_RUNTIME,
                    p.value_span(),
                    format!(
                        "`{name}` is a {} `{}`, not a `runtime`",
                        if elements[host.index()].is_actor() { "actor of kind" } else { "component of kind" },
                        elements[host.index()].kind.as_str()
                    ),
                )
                .with_primary_label("expected a `runtime` component")
                .with_help(format!(
                    "declare the VM, container host, cluster or serverless platform as `kind: runtime` and name it, or give `{name}` `kind: runtime` if that is what it is"
                ))
            } else {
                continue;
            };
            self.cx.push(diagnostic);
            elements[index].security.runs_on = None;
        }
    }
}
