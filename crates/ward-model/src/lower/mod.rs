//! Lowering: from the parsed files of a model to the typed [`Model`],
//! reporting every semantic error of spec §1-§3 on the way.
//!
//! Order: declare every id (so references resolve whatever the file order),
//! lower the policies and pick the one in force (levels need it), then each
//! kind of declaration, then whole-model checks.
//!
//! Each declaration family is lowered in its own submodule, as methods of
//! the one `Builder` defined here with the helpers they share.

mod acceptance;
pub(crate) mod approvals;
mod assumptions;
mod controls;
mod data;
mod dispositions;
mod elements;
mod feeds;
mod flow_auth;
mod flows;
mod hazards;
mod levels;
mod lifecycle;
mod policies;
mod rules;
mod sbom;
mod scope;
mod software;
mod system;
mod threats;
mod usecases;
mod vex;
mod vulnerabilities;
mod whole_model;
mod zones;

use crate::codes;
use crate::language::{COMMON_DESCRIPTION, COMMON_TAGS};
use crate::load::{Loaded, Origin};
use crate::model::*;
use crate::names::{Cx, Entry};
use crate::policy;
use crate::props::{check_block, Props};
use crate::stdlib::{StdModule, STD_POLICY_PATH};
use std::collections::HashMap;
use ward_diagnostics::{Diagnostic, FileId, Span};
use ward_syntax::ast::{self, Decl, DeclKind, FlowDirection, Item, Value};

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
    /// Every `renamed_from` id with where it is written, checked once all
    /// ids are declared.
    renamed_from: Vec<(String, Span)>,
}

/// A declaration with where it comes from.
#[derive(Clone, Copy)]
struct Source<'a> {
    decl: &'a Decl,
    stdlib: bool,
}

pub(crate) fn build(loaded: &Loaded, digests: crate::Digests) -> (Model, Vec<Diagnostic>) {
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
    cx.syntax_errors = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_syntax_error())
        .filter_map(|d| d.span)
        .collect();
    if !loaded.uses_std(StdModule::Stride) {
        cx.unused_std_rules = std_rule_names();
    }
    let element_kinds = declare_all(&mut cx, &decls);
    let declared_software = decls
        .iter()
        .filter(|s| s.decl.kind == DeclKind::Software)
        .count();
    let mut imports = sbom::declare_imports(&mut cx, &decls, loaded, declared_software);
    let mut b = Builder {
        cx,
        loaded,
        policy: placeholder_policy(),
        policy_name: STD_POLICY_PATH.into(),
        bands_invalid: false,
        std_exploitability: Vec::new(),
        element_kinds,
        renamed_from: Vec::new(),
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
        if let Some(p) = system.property(crate::language::SYSTEM_POLICY.key) {
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
    let mut software: Vec<Software> = of(DeclKind::Software).map(|s| b.software(s.decl)).collect();
    software.append(&mut imports.software);
    b.check_software_cycles(&mut software);
    let element_decls: Vec<&Decl> = decls
        .iter()
        .filter(|s| matches!(s.decl.kind, DeclKind::Component | DeclKind::Actor))
        .map(|s| s.decl)
        .collect();
    let mut elements: Vec<Element> = element_decls
        .iter()
        .map(|decl| b.element(decl, &zones, &software))
        .collect();
    b.check_runs_on(&element_decls, &mut elements);
    sbom::attach(&mut elements, imports.components);
    software::link_users(&mut software, &elements);
    let mut vulnerabilities: Vec<Vulnerability> = of(DeclKind::Vulnerability)
        .map(|s| b.vulnerability(s.decl, &software))
        .collect();
    let mut from_feeds = b.feed_vulnerabilities(&software, &mut vulnerabilities);
    vulnerabilities.append(&mut from_feeds);
    feeds::mark_kev(loaded, &mut vulnerabilities);
    b.check_duplicate_advisories(&vulnerabilities);
    let vex = vex::apply(&mut b.cx, loaded, &software, &mut vulnerabilities);
    let mut flows = Vec::new();
    for s in of(DeclKind::Flow) {
        b.flow(s.decl, &mut flows);
    }
    let rules: Vec<Rule> = of(DeclKind::Rule)
        .map(|s| b.rule(s.decl, s.stdlib))
        .collect();
    let threats: Vec<Threat> = of(DeclKind::Threat).map(|s| b.threat(s.decl)).collect();
    b.check_threats_in_scope(&threats, &elements, &flows);
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
    let dispositions: Vec<Disposition> = of(DeclKind::Disposition)
        .map(|s| b.disposition(s.decl))
        .collect();
    b.check_dispositions(&dispositions);
    let approvals: Vec<Approval> = of(DeclKind::Approval)
        .map(|s| b.approval(s.decl, &accepts))
        .collect();
    let anomalies: Vec<Anomaly> = of(DeclKind::Anomaly).map(|s| b.anomaly(s.decl)).collect();
    let monitoring = b.monitoring(&of(DeclKind::Monitoring).map(|s| s.decl).collect::<Vec<_>>());
    let digest_declarations =
        digests == crate::Digests::All || !approvals.is_empty() || !dispositions.is_empty();
    let content = approvals::content_digests(loaded, &decls, digest_declarations);
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
    b.check_renamed_from();
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
        dispositions,
        approvals,
        software,
        vulnerabilities,
        anomalies,
        monitoring,
        vex,
        content,
        policies,
        policy_in_force: in_force,
        uses_stride,
        fda_coverage,
        stage: loaded.stage,
        as_of: loaded.as_of.clone(),
        supply: loaded.supply_inputs(),
        symbols: std::mem::take(&mut b.cx.symbols),
    };
    (model, b.cx.diagnostics)
}

/// The meta of a declaration that takes no title, `description` or `tags`
/// (`accept`, `approval`): its name stands for its title.
fn untitled_meta(decl: &Decl) -> Meta {
    Meta {
        name: decl.name.name.clone(),
        title: decl.name.name.clone(),
        doc: decl.doc.clone(),
        description: None,
        tags: Vec::new(),
        renamed_from: Vec::new(),
        span: decl.span,
        name_span: decl.name.span,
    }
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
        meta: Meta::imported("iso14971_5x5", crate::STD_POLICY_TITLE, Span::default()),
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
                // `<->` and a request with `returns` have a second direction.
                if decl
                    .flow
                    .as_ref()
                    .is_some_and(|f| f.direction == FlowDirection::Both)
                    || decl.property(crate::language::FLOW_RETURNS.key).is_some()
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
                    .property(crate::language::RULE_APPLIES_TO.key)
                    .and_then(|p| match &p.value {
                        ast::PropertyValue::Value(Value::Ref(r)) => Some(r.id.name.as_str()),
                        _ => None,
                    })
                    .and_then(RuleTarget::parse)
                    // A `group_by` rule's threats are named on the element
                    // its flows go into: `RULE@ELEMENT` may name either kind.
                    .filter(|_| decl.property(crate::language::RULE_GROUP_BY.key).is_none());
                Symbol::Rule(RuleId(next(DeclKind::Rule)))
            }
            DeclKind::Control => Symbol::Control(ControlId(next(DeclKind::Control))),
            DeclKind::Verification => {
                Symbol::Verification(VerificationId(next(DeclKind::Verification)))
            }
            DeclKind::Assumption => Symbol::Assumption(AssumptionId(next(DeclKind::Assumption))),
            DeclKind::Usecase => Symbol::Usecase(UsecaseId(next(DeclKind::Usecase))),
            DeclKind::Approval => Symbol::Approval(ApprovalId(next(DeclKind::Approval))),
            DeclKind::Software => Symbol::Software(SoftwareId(next(DeclKind::Software))),
            DeclKind::Vulnerability => {
                Symbol::Vulnerability(VulnerabilityId(next(DeclKind::Vulnerability)))
            }
            DeclKind::Anomaly => Symbol::Anomaly(AnomalyId(next(DeclKind::Anomaly))),
            DeclKind::Monitoring => Symbol::Monitoring(MonitoringId(next(DeclKind::Monitoring))),
            DeclKind::Policy => {
                user_policies += 1;
                Symbol::Policy(PolicyId(user_policies))
            }
            DeclKind::Disposition => {
                let id = DispositionId(next(DeclKind::Disposition));
                cx.symbols.declarations.push(Declaration {
                    name: decl.name.name.clone(),
                    kind: DeclKind::Disposition,
                    symbol: Symbol::Disposition(id),
                    span: decl.span,
                    name_span: decl.name.span,
                });
                continue;
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
        let description = props
            .get(&COMMON_DESCRIPTION)
            .and_then(|p| self.cx.string(p));
        let tags = props
            .get(&COMMON_TAGS)
            .map(|p| self.cx.ident_list(p))
            .unwrap_or_default();
        let mut renamed_from = Vec::new();
        if let Some(p) = props.get(&crate::language::COMMON_RENAMED_FROM) {
            for v in self.cx.list(p) {
                if let Some(id) = self.cx.value_ident(&p.key, v) {
                    renamed_from.push(id.name.clone());
                    self.renamed_from.push((id.name.clone(), id.span));
                }
            }
        }
        Meta {
            name: decl.name.name.clone(),
            title: decl
                .title
                .as_ref()
                .map_or_else(|| decl.name.name.clone(), |t| t.value.clone()),
            doc: decl.doc.clone(),
            description,
            tags,
            renamed_from,
            span: decl.span,
            name_span: decl.name.span,
        }
    }
}
