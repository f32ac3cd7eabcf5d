//! Lowering: from the parsed files of a model to the typed [`Model`],
//! reporting every semantic error of spec §1-§3 on the way.
//!
//! Order: declare every id (so references resolve whatever the file order),
//! lower the policies and pick the one in force (levels need it), then each
//! kind of declaration, then whole-model checks.

use crate::codes;
use crate::load::{Loaded, Origin, UseResolution};
use crate::model::*;
use crate::names::{describe_kinds, Cx, Entry};
use crate::policy::{self, ValueSpan};
use crate::props::{add_property, check_block, dedup_in_order, unknown_key, Props};
use crate::stdlib::{StdModule, STD_POLICY_PATH};
use crate::suggest::suggest;
use crate::when::Checker;
use std::collections::HashMap;
use ward_diagnostics::{Applicability, Diagnostic, Edit, FileId, Fix, Span};
use ward_syntax::ast::{self, Decl, DeclKind, Expr, FlowDirection, Ident, Item, Property, Value};

struct Builder<'a> {
    cx: Cx,
    loaded: &'a Loaded,
    /// The policy in force, for level checks.
    policy: Policy,
    policy_name: String,
    bands_invalid: bool,
    /// The std policy, for mapping stdlib rule levels by rank.
    std_exploitability: Vec<String>,
    /// Declaration kind of each element (component or actor), by `ElementId`.
    element_kinds: Vec<DeclKind>,
}

/// A declaration with where it comes from.
#[derive(Clone, Copy)]
struct Source<'a> {
    decl: &'a Decl,
    stdlib: bool,
}

pub(crate) fn build(loaded: &Loaded) -> (Model, Vec<Diagnostic>) {
    let mut decls: Vec<Source<'_>> = Vec::new();
    let mut std_policy_decl = None;
    for file in &loaded.files {
        let stdlib = match file.origin {
            Origin::User => false,
            Origin::Std(StdModule::Policy) => {
                std_policy_decl = file.ast.items.iter().find_map(|item| match item {
                    Item::Decl(d) if d.kind == DeclKind::Policy => Some(d),
                    _ => None,
                });
                continue;
            }
            Origin::Std(_) => true,
            Origin::Other => continue,
        };
        for item in &file.ast.items {
            if let Item::Decl(decl) = item {
                decls.push(Source { decl, stdlib });
            }
        }
    }

    let mut cx = Cx::new();
    if !loaded.uses_std(StdModule::Stride) {
        cx.unused_std_rules = std_rule_names();
    }
    let element_kinds = declare_all(&mut cx, &decls);
    let mut b = Builder {
        cx,
        loaded,
        policy: placeholder_policy(),
        policy_name: STD_POLICY_PATH.into(),
        bands_invalid: false,
        std_exploitability: Vec::new(),
        element_kinds,
    };

    // Policies: the std one first (PolicyId 0), then the model's.
    let mut policies = Vec::new();
    let mut usable = Vec::new();
    let mut bands_invalid = Vec::new();
    let std_lowered = match std_policy_decl {
        Some(decl) => b.policy_decl(decl, true),
        None => policy::Lowered {
            policy: placeholder_policy(),
            usable: false,
            bands_invalid: false,
        },
    };
    if let Some(decl) = std_policy_decl {
        b.cx.symbols.declarations.push(Declaration {
            name: STD_POLICY_PATH.into(),
            kind: DeclKind::Policy,
            symbol: Symbol::Policy(PolicyId(0)),
            span: decl.span,
            name_span: decl.name.span,
        });
    }
    for lowered in std::iter::once(std_lowered).chain(
        decls
            .iter()
            .filter(|s| s.decl.kind == DeclKind::Policy)
            .map(|s| s.decl)
            .collect::<Vec<_>>()
            .into_iter()
            .map(|decl| b.policy_decl(decl, false)),
    ) {
        usable.push(lowered.usable);
        bands_invalid.push(lowered.bands_invalid);
        policies.push(lowered.policy);
    }
    b.std_exploitability = policies[0].exploitability.clone();

    // The system and the policy in force.
    let systems: Vec<&Decl> = decls
        .iter()
        .filter(|s| s.decl.kind == DeclKind::System)
        .map(|s| s.decl)
        .collect();
    let mut in_force = PolicyId(0);
    if let Some(system) = systems.first() {
        if let Some(p) = system.property("policy") {
            if let Some(id) = b.policy_ref(p) {
                in_force = id;
            }
        }
    }
    if !usable[in_force.index()] {
        in_force = PolicyId(0);
    }
    b.policy = policies[in_force.index()].clone();
    b.policy_name = policies[in_force.index()].path.clone();
    b.bands_invalid = bands_invalid[in_force.index()];

    let of = |kind: DeclKind| decls.iter().filter(move |s| s.decl.kind == kind).copied();

    let zones = b.zones(of(DeclKind::Zone).map(|s| s.decl).collect());
    let data: Vec<Data> = of(DeclKind::Data).map(|s| b.data(s.decl)).collect();
    let hazards: Vec<Hazard> = of(DeclKind::Hazard).map(|s| b.hazard(s.decl)).collect();
    let elements: Vec<Element> = decls
        .iter()
        .filter(|s| matches!(s.decl.kind, DeclKind::Component | DeclKind::Actor))
        .map(|s| b.element(s.decl, &zones))
        .collect();
    let mut flows = Vec::new();
    for s in of(DeclKind::Flow) {
        b.flow(s.decl, &mut flows);
    }
    let rules: Vec<Rule> = of(DeclKind::Rule)
        .map(|s| b.rule(s.decl, s.stdlib))
        .collect();
    let threats: Vec<Threat> = of(DeclKind::Threat).map(|s| b.threat(s.decl)).collect();
    let verifications: Vec<Verification> = of(DeclKind::Verification)
        .map(|s| b.verification(s.decl))
        .collect();
    let controls: Vec<Control> = of(DeclKind::Control).map(|s| b.control(s.decl)).collect();
    let assumptions: Vec<Assumption> = of(DeclKind::Assumption)
        .map(|s| b.assumption(s.decl))
        .collect();
    let usecases: Vec<Usecase> = of(DeclKind::Usecase).map(|s| b.usecase(s.decl)).collect();
    let accepts: Vec<Accept> = of(DeclKind::Accept).map(|s| b.accept(s.decl)).collect();
    b.check_accepts(&accepts);
    let system = systems.first().map(|decl| b.system(decl, in_force));
    for extra in systems.iter().skip(1) {
        let first = systems[0];
        b.cx.push(
            Diagnostic::error(
                codes::SECOND_SYSTEM,
                extra.name.span,
                format!(
                    "a second system `{}`: a model has exactly one `system`",
                    extra.name.name
                ),
            )
            .with_primary_label("second system")
            .with_label(
                first.name.span,
                format!("the system is `{}`, declared here", first.name.name),
            )
            .with_help("split the models into separate folders, or merge the systems"),
        );
        // Its properties are still checked.
        b.system(extra, in_force);
    }
    b.check_model_level(systems.is_empty(), &data);
    b.use_references();

    let uses_stride = loaded.uses_std(StdModule::Stride);
    let fda_coverage = loaded.uses_std(StdModule::Fda);
    let model = Model {
        system,
        zones,
        data,
        elements,
        flows,
        hazards,
        threats,
        rules,
        controls,
        verifications,
        assumptions,
        usecases,
        accepts,
        policies,
        policy_in_force: in_force,
        uses_stride,
        fda_coverage,
        symbols: std::mem::take(&mut b.cx.symbols),
    };
    (model, b.cx.diagnostics)
}

/// The rule ids declared in `std::stride`, read from its text.
fn std_rule_names() -> Vec<String> {
    StdModule::Stride
        .text()
        .lines()
        .filter_map(|line| line.strip_prefix("rule "))
        .filter_map(|rest| {
            rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .next()
        })
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A stand-in policy for the impossible case of a broken embedded stdlib:
/// one level per scale, everything `unacceptable`.
fn placeholder_policy() -> Policy {
    Policy {
        meta: Meta {
            name: "iso14971_5x5".into(),
            title: "ISO 14971 5x5".into(),
            doc: None,
            description: None,
            tags: Vec::new(),
            span: Span::default(),
            name_span: Span::default(),
        },
        from_stdlib: true,
        path: STD_POLICY_PATH.into(),
        severity: vec!["severe".into()],
        exploitability: vec!["exploitable".into()],
        exploitability_criteria: vec![None],
        matrix: vec![vec![RiskLevel::Unacceptable]],
        security_impact: CiaLevel::ALL.to_vec(),
        security_matrix: vec![vec![RiskLevel::Unacceptable]; 4],
        cvss_exploitability_bands: None,
        controlled: vec![RiskLevel::Acceptable],
        require_verified: false,
        transfer_basis: None,
    }
}

/// Gives every declaration its id and declares it in the namespace.
/// Returns the declaration kind of each element.
fn declare_all(cx: &mut Cx, decls: &[Source<'_>]) -> Vec<DeclKind> {
    let mut counts: HashMap<DeclKind, u32> = HashMap::new();
    let mut next = |kind: DeclKind| {
        let counter = counts.entry(kind).or_insert(0);
        *counter += 1;
        *counter - 1
    };
    let mut element_kinds = Vec::new();
    let mut flows = 0u32;
    let mut user_policies = 0u32;
    for s in decls {
        let decl = s.decl;
        let mut reverse = None;
        let mut applies_to = None;
        let symbol = match decl.kind {
            DeclKind::System => Symbol::System,
            DeclKind::Zone => Symbol::Zone(ZoneId(next(DeclKind::Zone))),
            DeclKind::Data => Symbol::Data(DataId(next(DeclKind::Data))),
            DeclKind::Component | DeclKind::Actor => {
                element_kinds.push(decl.kind);
                Symbol::Element(ElementId(element_kinds.len() as u32 - 1))
            }
            DeclKind::Flow => {
                let id = FlowId(flows);
                flows += 1;
                if decl
                    .flow
                    .as_ref()
                    .is_some_and(|f| f.direction == FlowDirection::Both)
                {
                    reverse = Some(FlowId(flows));
                    flows += 1;
                }
                Symbol::Flow(id)
            }
            DeclKind::Hazard => Symbol::Hazard(HazardId(next(DeclKind::Hazard))),
            DeclKind::Threat => Symbol::Threat(ThreatId(next(DeclKind::Threat))),
            DeclKind::Rule => {
                applies_to = decl
                    .property("applies_to")
                    .and_then(|p| match &p.value {
                        ast::PropertyValue::Value(Value::Ref(r)) => Some(r.id.name.as_str()),
                        _ => None,
                    })
                    .and_then(RuleTarget::parse);
                Symbol::Rule(RuleId(next(DeclKind::Rule)))
            }
            DeclKind::Control => Symbol::Control(ControlId(next(DeclKind::Control))),
            DeclKind::Verification => {
                Symbol::Verification(VerificationId(next(DeclKind::Verification)))
            }
            DeclKind::Assumption => Symbol::Assumption(AssumptionId(next(DeclKind::Assumption))),
            DeclKind::Usecase => Symbol::Usecase(UsecaseId(next(DeclKind::Usecase))),
            DeclKind::Policy => {
                user_policies += 1;
                Symbol::Policy(PolicyId(user_policies))
            }
            DeclKind::Accept => {
                let id = AcceptId(next(DeclKind::Accept));
                cx.symbols.declarations.push(Declaration {
                    name: decl.name.name.clone(),
                    kind: DeclKind::Accept,
                    symbol: Symbol::Accept(id),
                    span: decl.span,
                    name_span: decl.name.span,
                });
                continue;
            }
        };
        if ast::is_reserved(&decl.name.name) {
            // The parser reports a reserved word declared as an id.
            continue;
        }
        let entry = Entry {
            kind: decl.kind,
            symbol,
            name_span: decl.name.span,
            reverse,
            applies_to,
        };
        cx.declare(&decl.name, entry, decl.span);
    }
    element_kinds
}

impl<'a> Builder<'a> {
    fn source_text(&self, file: FileId) -> &'a str {
        &self.loaded.sources.get(file).text
    }

    /// Checks the block and the header parts that the kind does not take.
    fn props<'d>(&mut self, decl: &'d Decl) -> Props<'d> {
        if let Some(parent) = &decl.parent {
            if !matches!(
                decl.kind,
                DeclKind::Zone | DeclKind::Component | DeclKind::Actor
            ) {
                self.cx.push(
                    Diagnostic::error(
                        codes::PARENT_NOT_ALLOWED,
                        parent.span,
                        format!("a {} is not placed `in` a zone", decl.kind.keyword()),
                    )
                    .with_primary_label("`in` is not allowed here")
                    .with_help("only zones, components and actors take `in`"),
                );
            }
        }
        check_block(&mut self.cx, decl)
    }

    fn meta(&mut self, decl: &Decl, props: &Props<'_>) -> Meta {
        let description = props.get("description").and_then(|p| self.cx.string(p));
        let tags = props
            .get("tags")
            .map(|p| self.cx.ident_list(p))
            .unwrap_or_default();
        Meta {
            name: decl.name.name.clone(),
            title: decl
                .title
                .as_ref()
                .map_or_else(|| decl.name.name.clone(), |t| t.value.clone()),
            doc: decl.doc.clone(),
            description,
            tags,
            span: decl.span,
            name_span: decl.name.span,
        }
    }

    // ----------------------------------------------------------- levels

    fn level(&mut self, p: &Property, severity: bool) -> Option<Level> {
        let v = self.cx.value(p, "a level")?;
        let id = self.cx.value_ident(&p.key, v)?;
        self.level_of(id, severity)
    }

    fn level_of(&mut self, id: &Ident, severity: bool) -> Option<Level> {
        let (scale, what, article) = if severity {
            (&self.policy.severity, "severity", "a")
        } else {
            (&self.policy.exploitability, "exploitability", "an")
        };
        if let Some(i) = scale.iter().position(|l| *l == id.name) {
            return Some(Level(i as u32));
        }
        let names: Vec<&str> = scale.iter().map(String::as_str).collect();
        let mut d = Diagnostic::error(
            codes::UNKNOWN_LEVEL,
            id.span,
            format!(
                "`{}` is not {article} {what} level of the policy `{}`",
                id.name, self.policy_name
            ),
        )
        .with_primary_label(format!("not on the {what} scale"));
        d = match suggest(&id.name, names.iter().copied()) {
            Some(best) => d
                .with_help(format!(
                    "did you mean `{}`? levels: {}",
                    best.name,
                    crate::load::backticked(&names)
                ))
                .with_fix(best.fix(&id.name, id.span)),
            None => d.with_help(format!(
                "the {what} levels are {}",
                crate::load::backticked(&names)
            )),
        };
        self.cx.push(d);
        None
    }

    // ----------------------------------------------------------- policies

    fn policy_decl(&mut self, decl: &Decl, stdlib: bool) -> policy::Lowered {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let path = if stdlib {
            STD_POLICY_PATH.to_string()
        } else {
            decl.name.name.clone()
        };
        policy::lower(&mut self.cx, meta, &props, stdlib, path)
    }

    /// The system's `policy`: `std::policy::iso14971_5x5` or a declared policy.
    fn policy_ref(&mut self, p: &Property) -> Option<PolicyId> {
        match self.cx.value(p, "a policy")? {
            Value::Path(path) => {
                let text = path.text();
                if text == STD_POLICY_PATH {
                    self.cx.reference(path.span, Symbol::Policy(PolicyId(0)));
                    return Some(PolicyId(0));
                }
                let mut d = Diagnostic::error(
                    codes::UNKNOWN_ID,
                    path.span,
                    format!("unknown policy `{text}`"),
                )
                .with_primary_label("no such policy");
                d = match suggest(&text, [STD_POLICY_PATH]) {
                    Some(best) => d
                        .with_help(format!("did you mean `{}`?", best.name))
                        .with_fix(best.fix(&text, path.span)),
                    None => d.with_help(format!("the standard policy is `{STD_POLICY_PATH}`")),
                };
                self.cx.push(d);
                None
            }
            Value::Ref(r) => match self.cx.resolve_ref(r, &[DeclKind::Policy])? {
                Symbol::Policy(id) => Some(id),
                _ => None,
            },
            other => {
                let found = crate::props::shape(other);
                self.cx.push(
                    Diagnostic::error(
                        codes::WRONG_SHAPE,
                        other.span(),
                        format!(
                            "`policy` expects a policy id or `{STD_POLICY_PATH}`, found {found}"
                        ),
                    )
                    .with_primary_label("expected a policy"),
                );
                None
            }
        }
    }

    // ----------------------------------------------------------- zones

    fn zones(&mut self, decls: Vec<&Decl>) -> Vec<Zone> {
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
                .get("trust")
                .and_then(|p| self.cx.enum_value::<Trust>(p));
            let physical_access = props
                .get("physical_access")
                .and_then(|p| self.cx.boolean(p));
            let controlled_by = props
                .get("controlled_by")
                .and_then(|p| self.cx.enum_value::<ControlledBy>(p))
                .unwrap_or(ControlledBy::Manufacturer);
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
                trust_span: props.get("trust").map(|p| p.span),
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

    // ----------------------------------------------------------- data and hazards

    fn data(&mut self, decl: &Decl) -> Data {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let kind = props
            .get("kind")
            .and_then(|p| self.cx.enum_value::<DataKind>(p))
            .unwrap_or(DataKind::Other);
        let mut cia = |key: &str| {
            props
                .get(key)
                .and_then(|p| self.cx.enum_value::<CiaLevel>(p))
                .unwrap_or(CiaLevel::None)
        };
        let confidentiality = cia("confidentiality");
        let integrity = cia("integrity");
        let availability = cia("availability");
        let hazards = props
            .get("hazards")
            .map(|p| self.property_hazards(p))
            .unwrap_or_default();
        if integrity == CiaLevel::None
            && matches!(
                kind,
                DataKind::Command | DataKind::Firmware | DataKind::Config | DataKind::Credential
            )
        {
            let at = props
                .get("integrity")
                .map_or(decl.name.span, |p| p.value_span());
            let mut d = Diagnostic::warning(
                codes::WEAK_INTEGRITY,
                at,
                format!(
                    "{} data `{}` has `integrity: none`",
                    kind.as_str(),
                    decl.name.name
                ),
            )
            .with_primary_label("integrity is `none`")
            .with_help(format!(
                "tampering with {} data matters: set `integrity: high` (or the level it deserves)",
                kind.as_str()
            ));
            if let Some(k) = props.get("kind") {
                d = d.with_label(k.value_span(), "its kind");
            }
            self.cx.push(d);
        }
        Data {
            meta,
            kind,
            confidentiality,
            integrity,
            availability,
            hazards,
        }
    }

    /// `hazards { confidentiality: [...], integrity: [...], availability: [...] }`
    fn property_hazards(&mut self, p: &Property) -> PropertyHazards {
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

    fn hazard_list(&mut self, p: &Property) -> Vec<HazardId> {
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

    fn hazard(&mut self, decl: &Decl) -> Hazard {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let severity = props
            .get("severity")
            .and_then(|p| self.level(p, true))
            .unwrap_or_else(|| self.policy.highest_severity());
        let mut text = |key: &str| props.get(key).and_then(|p| self.cx.string(p));
        Hazard {
            meta,
            severity,
            harm: text("harm"),
            hazardous_situation: text("hazardous_situation"),
            rmf_ref: text("rmf_ref"),
        }
    }

    // ----------------------------------------------------------- elements and flows

    fn data_list(&mut self, p: &Property) -> Vec<DataId> {
        let mut out = Vec::new();
        for v in self.cx.list(p) {
            let Some(r) = self.cx.value_ref(&p.key, v, "a data id") else {
                continue;
            };
            if let Some(Symbol::Data(d)) = self.cx.resolve_ref(r, &[DeclKind::Data]) {
                out.push(d);
            }
        }
        dedup_in_order(out)
    }

    fn element_list(&mut self, p: &Property) -> Vec<ElementId> {
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

    fn target_list(&mut self, p: &Property) -> Vec<Target> {
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
            d.code.starts_with("E00")
                && d.span.file == decl.span.file
                && d.span.start >= decl.span.start
                && d.span.start <= header_end
        })
    }

    fn element(&mut self, decl: &Decl, zones: &[Zone]) -> Element {
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
                    .get("kind")
                    .and_then(|p| self.cx.enum_value::<ActorKind>(p))
                    .unwrap_or(ActorKind::Human),
            )
        } else {
            ElementKind::Component(
                props
                    .get("kind")
                    .and_then(|p| self.cx.enum_value::<ComponentKind>(p))
                    .unwrap_or(ComponentKind::Process),
            )
        };
        let stores = props
            .get("stores")
            .map(|p| self.data_list(p))
            .unwrap_or_default();
        let software = props
            .get("software")
            .map(|p| self.cx.string_list(p))
            .unwrap_or_default();
        let interfaces = props
            .get("interfaces")
            .map(|p| self.cx.ident_list(p))
            .unwrap_or_default();
        let fleet = props
            .get("fleet")
            .and_then(|p| self.cx.enum_value::<Fleet>(p))
            .unwrap_or(Fleet::PerPatient);
        let controlled_by = props
            .get("controlled_by")
            .and_then(|p| self.cx.enum_value::<ControlledBy>(p))
            .or_else(|| zone.map(|z| zones[z.index()].controlled_by))
            .unwrap_or(ControlledBy::Manufacturer);
        let updatable = !actor
            && props
                .get("updatable")
                .and_then(|p| self.cx.boolean(p))
                .unwrap_or(!software.is_empty());
        let hazards = props
            .get("hazards")
            .map(|p| self.property_hazards(p))
            .unwrap_or_default();
        Element {
            meta,
            kind,
            zone,
            stores,
            software,
            interfaces,
            fleet,
            controlled_by,
            updatable,
            hazards,
        }
    }

    fn flow(&mut self, decl: &Decl, flows: &mut Vec<Flow>) {
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
            .get("protocol")
            .and_then(|p| self.cx.ident(p))
            .map_or_else(|| "unspecified".to_string(), |i| i.name.clone());
        let carries = props
            .get("carries")
            .map(|p| self.data_list(p))
            .unwrap_or_default();
        let mut flag = |key: &str| {
            props
                .get(key)
                .and_then(|p| self.cx.boolean(p))
                .unwrap_or(false)
        };
        let authenticated = flag("authenticated");
        let encrypted = flag("encrypted");
        let integrity_protected = flag("integrity_protected");
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

    // ----------------------------------------------------------- threats and rules

    fn threat(&mut self, decl: &Decl) -> Threat {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let stride = props
            .get("stride")
            .map(|p| self.cx.enum_list::<Stride>(p))
            .unwrap_or_default();
        let targets = props
            .get("targets")
            .map(|p| self.target_list(p))
            .unwrap_or_default();
        let hazards = props
            .get("hazards")
            .map(|p| self.hazard_list(p))
            .unwrap_or_default();
        let capec = props
            .get("capec")
            .map(|p| self.cx.uint_list(p))
            .unwrap_or_default();
        let cwe = props
            .get("cwe")
            .map(|p| self.cx.uint_list(p))
            .unwrap_or_default();
        let fallback = Exploitability::Level {
            level: self.policy.highest_exploitability(),
        };
        let exploitability = match (props.get("exploitability"), props.get("cvss")) {
            (Some(e), Some(c)) => {
                self.cx.push(
                    Diagnostic::error(
                        codes::BOTH_EXPLOITABILITY_AND_CVSS,
                        c.key.span,
                        format!("threat `{}` gives both `exploitability` and `cvss`", decl.name.name),
                    )
                    .with_primary_label("`cvss` given too")
                    .with_label(e.key.span, "`exploitability` given here")
                    .with_help("give exactly one: a level, or a CVSS vector from which the level is computed"),
                );
                self.level(e, false).map(|level| Exploitability::Level { level })
            }
            (Some(e), None) => self.level(e, false).map(|level| Exploitability::Level { level }),
            (None, Some(c)) => self.cvss(c),
            (None, None) => {
                self.cx.push(
                    Diagnostic::error(
                        codes::NO_EXPLOITABILITY,
                        decl.name.span,
                        format!("threat `{}` has neither `exploitability` nor `cvss`", decl.name.name),
                    )
                    .with_primary_label("no exploitability")
                    .with_help(format!(
                        "add `exploitability: LEVEL` (one of {}) or `cvss: \"CVSS:3.1/...\"`",
                        crate::load::backticked(&self.policy.exploitability.iter().map(String::as_str).collect::<Vec<_>>())
                    )),
                );
                None
            }
        }
        .unwrap_or(fallback);
        Threat {
            meta,
            stride,
            targets,
            hazards,
            exploitability,
            capec,
            cwe,
        }
    }

    fn cvss(&mut self, p: &Property) -> Option<Exploitability> {
        let v = self.cx.value(p, "a CVSS vector string")?;
        let Value::Str(s) = v else {
            self.cx.value_string(&p.key, v);
            return None;
        };
        let vector = match ward_cvss::parse(&s.value) {
            Ok(vector) => vector,
            Err(e) => {
                let offsets = crate::when::decoded_offsets(s, self.source_text(s.span.file));
                let range = e.span();
                let span = match (offsets.get(range.start), offsets.get(range.end)) {
                    (Some(a), Some(b)) if !offsets.is_empty() => {
                        Span::new(s.span.file, *a, (*b).max(*a))
                    }
                    _ => s.span,
                };
                self.cx.push(
                    Diagnostic::error(codes::BAD_CVSS, span, format!("invalid CVSS vector: {e}"))
                        .with_primary_label("invalid CVSS")
                        .with_help(e.help()),
                );
                return None;
            }
        };
        let subscore = vector.exploitability_rounded();
        let level = match self.policy.cvss_band(subscore) {
            Some(level) => level,
            None if self.bands_invalid => return None,
            None => {
                self.cx.push(
                    Diagnostic::error(
                        codes::CVSS_WITHOUT_BANDS,
                        p.key.span,
                        format!("policy `{}` has no `cvss_exploitability_bands`, so `cvss` cannot be scored", self.policy_name),
                    )
                    .with_primary_label("cannot map CVSS onto the exploitability scale")
                    .with_help("add `cvss_exploitability_bands` to the policy, or give `exploitability: LEVEL` instead"),
                );
                return None;
            }
        };
        Some(Exploitability::Cvss {
            vector: vector.to_string(),
            base_score: vector.base_score(),
            exploitability_subscore: subscore,
            level,
        })
    }

    fn rule(&mut self, decl: &Decl, stdlib: bool) -> Rule {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let stride = props
            .get("stride")
            .map(|p| self.cx.enum_list::<Stride>(p))
            .unwrap_or_default();
        let applies_to = props
            .get("applies_to")
            .and_then(|p| self.cx.enum_value::<RuleTarget>(p));
        let exploitability = props
            .get("exploitability")
            .and_then(|p| {
                if stdlib {
                    self.stdlib_level(p)
                } else {
                    self.level(p, false)
                }
            })
            .unwrap_or_else(|| self.policy.highest_exploitability());
        let capec = props
            .get("capec")
            .map(|p| self.cx.uint_list(p))
            .unwrap_or_default();
        let cwe = props
            .get("cwe")
            .map(|p| self.cx.uint_list(p))
            .unwrap_or_default();
        let suggest = props
            .get("suggest")
            .map(|p| self.cx.enum_list::<ControlCategory>(p))
            .unwrap_or_default();
        let source = self.source_text(decl.span.file);
        let (when, template) = match applies_to {
            Some(target) => {
                let when = match props.get("when") {
                    None => TypedExpr::TRUE,
                    Some(p) => self.when(p, target).unwrap_or(TypedExpr::FALSE),
                };
                let template = match &decl.title {
                    Some(title) => Checker::new(&mut self.cx, target).template(title, source),
                    None => Template {
                        parts: vec![TemplatePart::Text {
                            text: decl.name.name.clone(),
                        }],
                    },
                };
                (when, template)
            }
            // Without a valid `applies_to`, `when` and the title cannot be typed.
            None => (
                TypedExpr::FALSE,
                Template {
                    parts: vec![TemplatePart::Text {
                        text: meta.title.clone(),
                    }],
                },
            ),
        };
        Rule {
            meta,
            template,
            stride,
            applies_to: applies_to.unwrap_or(RuleTarget::Flow),
            when,
            exploitability,
            capec,
            cwe,
            suggest,
            from_stdlib: stdlib,
        }
    }

    /// A stdlib rule's level: its rank on the std scale, on the model's scale.
    fn stdlib_level(&mut self, p: &Property) -> Option<Level> {
        let v = self.cx.value(p, "a level")?;
        let id = self.cx.value_ident(&p.key, v)?;
        let rank = self.std_exploitability.iter().position(|l| *l == id.name)?;
        Some(Level(
            rank.min(self.policy.exploitability.len().saturating_sub(1)) as u32,
        ))
    }

    fn when(&mut self, p: &Property, target: RuleTarget) -> Option<TypedExpr> {
        let v = self.cx.value(p, "a condition")?;
        let owned;
        let expr: &Expr = match v {
            Value::Expr(e) => e,
            Value::Bool(b) => {
                owned = Expr::Bool(b.clone());
                &owned
            }
            Value::Ref(r) if r.reverse.is_none() => {
                owned = Expr::Path {
                    segments: vec![r.id.clone()],
                    span: r.span,
                };
                &owned
            }
            other => {
                let found = crate::props::shape(other);
                self.cx.push(
                    Diagnostic::error(
                        codes::NOT_BOOLEAN,
                        other.span(),
                        format!("`when` expects a condition, found {found}"),
                    )
                    .with_primary_label("expected a boolean condition"),
                );
                return None;
            }
        };
        Checker::new(&mut self.cx, target).check_when(expr)
    }

    // ----------------------------------------------------------- controls and evidence

    /// A threat reference: a hand-written threat's id, or `RULE@ELEMENT`.
    fn threat_ref(&mut self, key: &Ident, v: &Value) -> Option<ThreatRefResolved> {
        match v {
            Value::Ref(r) if r.reverse.is_none() => self.hand_threat(&r.id, r.span),
            Value::ThreatRef(t) => self.resolve_threat_ref(t),
            other => {
                let found = crate::props::shape(other);
                self.cx.push(
                    Diagnostic::error(
                        codes::WRONG_SHAPE,
                        other.span(),
                        format!(
                            "`{}` expects a threat id or `RULE@ELEMENT`, found {found}",
                            key.name
                        ),
                    )
                    .with_primary_label("expected a threat"),
                );
                None
            }
        }
    }

    fn hand_threat(&mut self, id: &Ident, span: Span) -> Option<ThreatRefResolved> {
        if let Some(entry) = self.cx.names.get(&id.name) {
            if entry.kind == DeclKind::Rule {
                self.cx.push(
                    Diagnostic::error(
                        codes::WRONG_KIND,
                        id.span,
                        format!(
                            "`{}` is a rule; name one of its threats as `{}@ELEMENT`",
                            id.name, id.name
                        ),
                    )
                    .with_primary_label("a rule, not a threat")
                    .with_label(entry.name_span, "the rule is declared here"),
                );
                return None;
            }
        }
        match self.cx.resolve(id, &[DeclKind::Threat])?.symbol {
            Symbol::Threat(threat) => Some(ThreatRefResolved {
                key: ThreatKey::Hand { threat },
                span,
            }),
            _ => None,
        }
    }

    fn resolve_threat_ref(&mut self, t: &ast::ThreatRef) -> Option<ThreatRefResolved> {
        let Some(element_ref) = &t.element else {
            return self.hand_threat(&t.threat, t.span);
        };
        let rule_entry = self.cx.resolve(&t.threat, &[DeclKind::Rule]);
        let element = self.cx.resolve_target(element_ref);
        let (rule_entry, element) = (rule_entry?, element?);
        let Symbol::Rule(rule) = rule_entry.symbol else {
            return None;
        };
        if let Some(applies_to) = rule_entry.applies_to {
            let kind = match element {
                Target::Flow(_) => RuleTarget::Flow,
                Target::Element(e) => match self.element_kinds.get(e.index()) {
                    Some(DeclKind::Actor) => RuleTarget::Actor,
                    _ => RuleTarget::Component,
                },
            };
            if kind != applies_to {
                self.cx.push(
                    Diagnostic::error(
                        codes::RULE_TARGET_KIND,
                        element_ref.span,
                        format!(
                            "rule `{}` applies to {}s, but `{}` is {}",
                            t.threat.name,
                            applies_to.as_str(),
                            element_ref.id.name,
                            describe_kinds(&[match kind {
                                RuleTarget::Flow => DeclKind::Flow,
                                RuleTarget::Component => DeclKind::Component,
                                RuleTarget::Actor => DeclKind::Actor,
                            }])
                        ),
                    )
                    .with_primary_label(format!(
                        "not {}",
                        describe_kinds(&[match applies_to {
                            RuleTarget::Flow => DeclKind::Flow,
                            RuleTarget::Component => DeclKind::Component,
                            RuleTarget::Actor => DeclKind::Actor,
                        }])
                    ))
                    .with_label(
                        rule_entry.name_span,
                        format!("`{}` is declared here", t.threat.name),
                    )
                    .with_help("a rule only yields threats for elements of its `applies_to` kind"),
                );
                return None;
            }
        }
        Some(ThreatRefResolved {
            key: ThreatKey::Generated { rule, element },
            span: t.span,
        })
    }

    fn verification(&mut self, decl: &Decl) -> Verification {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        Verification {
            meta,
            kind: props
                .get("type")
                .and_then(|p| self.cx.enum_value::<VerificationType>(p)),
            method: props
                .get("method")
                .and_then(|p| self.cx.enum_value::<Method>(p))
                .unwrap_or(Method::Test),
            report: props.get("report").and_then(|p| self.cx.string(p)),
            result: props
                .get("result")
                .and_then(|p| self.cx.enum_value::<TestResult>(p)),
            independent: props
                .get("independent")
                .and_then(|p| self.cx.boolean(p))
                .unwrap_or(false),
            scope: props
                .get("scope")
                .map(|p| self.target_list(p))
                .unwrap_or_default(),
        }
    }

    fn control(&mut self, decl: &Decl) -> Control {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let requirement_id = props
            .get("id")
            .and_then(|p| self.cx.string(p))
            .unwrap_or_else(|| decl.name.name.clone());
        let category = props
            .get("category")
            .and_then(|p| self.cx.enum_value::<ControlCategory>(p))
            .unwrap_or(ControlCategory::Authentication);
        let requirement = props
            .get("requirement")
            .and_then(|p| self.cx.string(p))
            .unwrap_or_default();
        let mut mitigates: Vec<ThreatRefResolved> = Vec::new();
        if let Some(p) = props.get("mitigates") {
            let mut seen = std::collections::HashSet::new();
            for v in self.cx.list(p) {
                if let Some(r) = self.threat_ref(&p.key, v) {
                    if seen.insert(r.key) {
                        mitigates.push(r);
                    }
                }
            }
        }
        let reduces = props
            .get("reduces")
            .and_then(|p| self.cx.uint(p))
            .unwrap_or(0);
        let independent = props
            .get("independent")
            .and_then(|p| self.cx.boolean(p))
            .unwrap_or(false);
        let residual_exploitability = props
            .get("residual_exploitability")
            .and_then(|p| self.level(p, false));
        let mut limits: Vec<(HazardId, Level)> = Vec::new();
        if let Some(p) = props.get("limits") {
            if let Some(block) = self.cx.block(p) {
                let mut seen: HashMap<&str, Span> = HashMap::new();
                for row in &block.properties {
                    if let Some(first) = seen.get(row.key.name.as_str()) {
                        self.cx.push(crate::props::repeated(&row.key, *first));
                        continue;
                    }
                    seen.insert(&row.key.name, row.key.span);
                    let hazard = match self.cx.resolve(&row.key, &[DeclKind::Hazard]) {
                        Some(Entry {
                            symbol: Symbol::Hazard(h),
                            ..
                        }) => Some(h),
                        _ => None,
                    };
                    let level = self.level(row, true);
                    if let (Some(h), Some(l)) = (hazard, level) {
                        limits.push((h, l));
                    }
                }
            }
        }
        let option = props
            .get("option")
            .and_then(|p| self.cx.enum_value::<ControlOption>(p));
        if option == Some(ControlOption::InformationForSafety) {
            let option_span = props
                .get("option")
                .map(|p| p.value_span())
                .unwrap_or(decl.name.span);
            for key in ["reduces", "residual_exploitability", "limits"] {
                if let Some(p) = props.get(key) {
                    self.cx.push(
                        Diagnostic::error(
                            codes::INFORMATION_REDUCES,
                            p.key.span,
                            format!("an `information_for_safety` control cannot set `{key}`"),
                        )
                        .with_primary_label("lowers risk")
                        .with_label(option_span, "the control is information for safety")
                        .with_help("information for safety discloses residual risk, it does not lower it; remove this property or choose another `option`"),
                    );
                }
            }
        }
        let acceptance = props.get("acceptance").and_then(|p| self.cx.string(p));
        let implemented_in = props
            .get("implemented_in")
            .map(|p| self.element_list(p))
            .unwrap_or_default();
        let mut verification = Vec::new();
        if let Some(p) = props.get("verification") {
            let written = self.cx.list(p);
            let all_inline =
                !written.is_empty() && written.iter().all(|v| matches!(v, Value::Tagged(_)));
            for v in written {
                match v {
                    Value::Tagged(t) => {
                        if let Some(method) = self.cx.ident_enum::<Method>(&p.key, &t.tag) {
                            verification.push(VerificationItem::Inline {
                                method,
                                text: t.text.value.clone(),
                                span: t.span,
                            });
                        }
                    }
                    Value::Ref(r) => {
                        if let Some(Symbol::Verification(id)) =
                            self.cx.resolve_ref(r, &[DeclKind::Verification])
                        {
                            verification.push(VerificationItem::Ref {
                                verification: id,
                                span: r.span,
                            });
                        }
                    }
                    other => {
                        let found = crate::props::shape(other);
                        self.cx.push(
                            Diagnostic::error(
                                codes::WRONG_SHAPE,
                                other.span(),
                                format!("`verification` expects a verification id or `METHOD \"text\"`, found {found}"),
                            )
                            .with_primary_label("expected a verification"),
                        );
                    }
                }
            }
            if all_inline {
                self.cx.push(
                    Diagnostic::warning(
                        codes::INLINE_VERIFICATION_ONLY,
                        p.value_span(),
                        format!("control `{}` is verified only by inline items", decl.name.name),
                    )
                    .with_primary_label("no `verification` declaration here")
                    .with_help("inline items have no test type or result; declare a `verification` with its report and result and name it here"),
                );
            }
        }
        let status = props
            .get("status")
            .and_then(|p| self.cx.enum_value::<ControlStatus>(p))
            .unwrap_or(ControlStatus::Proposed);
        Control {
            meta,
            requirement_id,
            category,
            requirement,
            mitigates,
            reduces,
            independent,
            residual_exploitability,
            limits,
            option,
            acceptance,
            implemented_in,
            verification,
            status,
            mitigates_span: props.get("mitigates").map(|p| p.span),
            status_span: props.get("status").map(|p| p.span),
            verification_span: props.get("verification").map(|p| p.span),
        }
    }

    fn assumption(&mut self, decl: &Decl) -> Assumption {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let rationale = props.get("rationale").and_then(|p| self.cx.string(p));
        let mut applies_to = Vec::new();
        if let Some(p) = props.get("applies_to") {
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

    fn usecase(&mut self, decl: &Decl) -> Usecase {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let state = props
            .get("state")
            .and_then(|p| self.cx.ident(p))
            .map(|i| i.name.clone());
        let mut steps = Vec::new();
        if let Some(p) = props.get("steps") {
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

    fn accept(&mut self, decl: &Decl) -> Accept {
        let props = self.props(decl);
        let meta = Meta {
            name: decl.name.name.clone(),
            title: decl.name.name.clone(),
            doc: decl.doc.clone(),
            description: None,
            tags: Vec::new(),
            span: decl.span,
            name_span: decl.name.span,
        };
        let threat = match &decl.accepted {
            Some(t) if ast::is_reserved(&t.threat.name) => None,
            Some(t) => self.resolve_threat_ref(t),
            None => None,
        };
        let level_prop = props.get("level");
        let level = level_prop
            .and_then(|p| self.cx.enum_value::<RiskLevel>(p))
            .unwrap_or(RiskLevel::Review);
        let rationale = props
            .get("rationale")
            .and_then(|p| self.cx.string(p))
            .unwrap_or_default();
        let benefit = props.get("benefit").and_then(|p| self.cx.string(p));
        let benefit_risk = props.get("benefit_risk").and_then(|p| self.cx.string(p));
        let approved_by = props.get("approved_by").and_then(|p| self.cx.string(p));
        if level == RiskLevel::Unacceptable
            && level_prop.is_some()
            && props.get("benefit_risk").is_none()
        {
            let mut d = Diagnostic::error(
                codes::MISSING_BENEFIT_RISK,
                level_prop.map_or(decl.name.span, |p| p.value_span()),
                format!(
                    "accepting `{}` at level `unacceptable` needs `benefit_risk`",
                    decl.name.name
                ),
            )
            .with_primary_label("unacceptable residual risk")
            .with_help(
                "add `benefit_risk: \"...\"` naming the benefit-risk analysis (ISO 14971 §7.4)",
            );
            if let Some(fix) = add_property(&decl.body, "benefit_risk") {
                d = d.with_fix(fix);
            }
            self.cx.push(d);
        }
        Accept {
            meta,
            threat,
            level,
            level_span: level_prop.map(|p| p.value_span()),
            rationale,
            benefit,
            benefit_risk,
            approved_by,
        }
    }

    fn check_accepts(&mut self, accepts: &[Accept]) {
        let mut first: HashMap<ThreatKey, Span> = HashMap::new();
        for accept in accepts {
            let Some(t) = accept.threat else { continue };
            if let Some(span) = first.get(&t.key) {
                self.cx.push(
                    Diagnostic::error(
                        codes::DUPLICATE_ACCEPT,
                        accept.meta.name_span,
                        format!("threat `{}` is accepted twice", accept.meta.name),
                    )
                    .with_primary_label("accepted again here")
                    .with_label(*span, "first accepted here")
                    .with_help("keep one `accept` per threat"),
                );
            } else {
                first.insert(t.key, accept.meta.name_span);
            }
        }
    }

    fn system(&mut self, decl: &Decl, policy: PolicyId) -> System {
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

    // ----------------------------------------------------------- whole model

    fn check_model_level(&mut self, no_system: bool, _data: &[Data]) {
        let user_files: Vec<FileId> = self
            .loaded
            .files
            .iter()
            .filter(|f| f.origin == Origin::User)
            .map(|f| f.id)
            .collect();
        if no_system {
            let load_failed = self.loaded.diagnostics.iter().any(|d| d.is_error());
            match user_files.first() {
                Some(first) => {
                    self.cx.push(
                        Diagnostic::error(codes::NO_SYSTEM, Span::new(*first, 0, 0), "the model has no `system`")
                            .with_primary_label("no `system` in the model")
                            .with_help("declare exactly one: `system my_device \"My device\" { version: \"1.0.0\" }`"),
                    );
                }
                None if !load_failed => {
                    let at = self
                        .loaded
                        .files
                        .iter()
                        .find(|f| f.origin == Origin::Other)
                        .map_or(FileId(0), |f| f.id);
                    self.cx.push(
                        Diagnostic::error(
                            codes::NO_SYSTEM,
                            Span::new(at, 0, 0),
                            "the model has no `system`",
                        )
                        .with_primary_label("no `.ward` file in the model")
                        .with_note("no `.ward` file was found"),
                    );
                }
                None => {}
            }
        }
        if self.loaded.uses_std(StdModule::Stride) && self.policy.exploitability.len() != 5 {
            if let Some(u) = self
                .loaded
                .uses
                .iter()
                .find(|u| u.resolution == UseResolution::Std(StdModule::Stride))
            {
                self.cx.push(
                    Diagnostic::error(
                        codes::STDLIB_SCALE,
                        u.span,
                        format!(
                            "`std::stride` needs an exploitability scale of five levels; policy `{}` has {}",
                            self.policy_name,
                            self.policy.exploitability.len()
                        ),
                    )
                    .with_primary_label("the stdlib rules cannot be scored on this scale")
                    .with_help("stdlib rule levels map by rank onto the model's exploitability scale: give the policy five exploitability levels"),
                );
            }
        }
    }

    /// `use` items as references to the files they name.
    fn use_references(&mut self) {
        for u in &self.loaded.uses {
            let file = match u.resolution {
                UseResolution::File(f) => f,
                UseResolution::Std(module) => {
                    match self
                        .loaded
                        .files
                        .iter()
                        .find(|f| f.origin == Origin::Std(module))
                    {
                        Some(f) => f.id,
                        None => continue,
                    }
                }
                UseResolution::Failed => continue,
            };
            self.cx.reference(u.target_span, Symbol::File(file));
        }
    }
}
