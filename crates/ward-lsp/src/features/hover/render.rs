//! The hover text of each kind of symbol, one function per kind: the
//! declaration's header, doc comment and description, its properties with
//! defaults filled in, and what the analysis concluded about it. Shared
//! pieces (header, property lines, a threat's risk) are the helpers below.

use crate::markdown::{self, fenced, quoted};
use crate::workspace::Snapshot;
use std::fmt::Write;
use ward_analysis::{Analysis, Origin, ThreatAnalysis};
use ward_diagnostics::FileId;
use ward_model::language::PropertySpec;
use ward_model::language::*;
use ward_model::*;
use ward_syntax::ast::{DeclKind, ThreatRef};
use ward_view::{ResidualView, RiskView, View};

/// At most this many generated threats are listed on an element.
const MAX_LISTED: usize = 40;

/// `RULE@ELEMENT`: the generated threat's hover, or why the rule generates
/// none there (a stale reference).
pub(super) fn generated_threat(
    model: &Model,
    analysis: Option<&Analysis>,
    view: Option<&View>,
    id: &str,
    reference: &ThreatRef,
) -> Option<String> {
    if let Some(threat) = analysis.and_then(|a| a.threat(id)) {
        let mut out = String::new();
        out.push_str(&fenced("ward", &format!("threat {id}")));
        writeln!(out, "**{}**\n", markdown::text(&threat.title)).ok();
        threat_body(&mut out, model, analysis?, view?, threat);
        return Some(out);
    }
    // The rule does not generate this threat (a stale reference).
    model.find_rule(&reference.threat.name)?;
    let mut out = fenced("ward", &format!("threat {id}"));
    writeln!(
        out,
        "Rule {} generates no threat for {}: its `when` does not hold there.",
        code(&reference.threat.name),
        code(
            reference
                .element
                .as_ref()
                .map_or("?", |e| e.id.name.as_str())
        )
    )
    .ok();
    Some(out)
}

/// `None` when the model declares no system.
pub(super) fn system(model: &Model) -> Option<String> {
    let mut out = String::new();
    let system = model.system.as_ref()?;
    header(&mut out, "system", &system.meta, None);
    prop(&mut out, &SYSTEM_VERSION, opt(&system.version));
    prop(&mut out, &SYSTEM_INTENDED_USE, opt(&system.intended_use));
    prop(
        &mut out,
        &SYSTEM_POLICY,
        code(&model.policy_by_id(system.policy).path),
    );
    prop(&mut out, &SYSTEM_LIFECYCLE, codes(&system.lifecycle));
    prop(
        &mut out,
        &SYSTEM_OUT_OF_SCOPE,
        quoted_list(&system.out_of_scope),
    );
    prop(
        &mut out,
        &SYSTEM_OVERALL_RESIDUAL,
        opt(&system.overall_residual),
    );
    prop(&mut out, &SYSTEM_APPROVED_BY, opt(&system.approved_by));
    Some(out)
}

pub(super) fn zone(model: &Model, id: ZoneId) -> String {
    let mut out = String::new();
    let zone = model.zone(id);
    header(
        &mut out,
        "zone",
        &zone.meta,
        zone.parent.map(|p| model.zone(p).meta.name.as_str()),
    );
    prop(&mut out, &ZONE_TRUST, code(zone.trust.as_str()));
    prop(
        &mut out,
        &ZONE_PHYSICAL_ACCESS,
        code(&zone.physical_access.to_string()),
    );
    prop(&mut out, &ZONE_CONTROLLED_BY, owner(zone.controlled_by));
    let members: Vec<String> = model
        .elements
        .iter()
        .filter(|e| e.zone == Some(id))
        .map(|e| e.meta.name.clone())
        .collect();
    fact(&mut out, "elements", codes(&members));
    out
}

pub(super) fn data(model: &Model, id: DataId) -> String {
    let mut out = String::new();
    let data = model.datum(id);
    header(&mut out, "data", &data.meta, None);
    prop(&mut out, &DATA_KIND, code(data.kind.as_str()));
    prop(
        &mut out,
        &DATA_CONFIDENTIALITY,
        code(data.confidentiality.as_str()),
    );
    prop(&mut out, &DATA_INTEGRITY, code(data.integrity.as_str()));
    prop(
        &mut out,
        &DATA_AVAILABILITY,
        code(data.availability.as_str()),
    );
    hazards_block(&mut out, model, &DATA_HAZARDS, &data.hazards);
    out
}

/// A component or an actor (the same record; actors have no software,
/// interfaces or updates), with the analysis' facts and generated threats.
pub(super) fn element(model: &Model, analysis: Option<&Analysis>, id: ElementId) -> String {
    let mut out = String::new();
    let element = model.element(id);
    let keyword = if element.is_actor() {
        "actor"
    } else {
        "component"
    };
    header(
        &mut out,
        keyword,
        &element.meta,
        element.zone.map(|z| model.zone(z).meta.name.as_str()),
    );
    prop(&mut out, &COMPONENT_KIND, code(element.kind.as_str()));
    if let Some(zone) = element.zone {
        let zone = model.zone(zone);
        fact(
            &mut out,
            "zone",
            format!("`{}` (trust `{}`)", zone.meta.name, zone.trust),
        );
    }
    prop(
        &mut out,
        &COMPONENT_STORES,
        codes(&names(element.stores.iter().map(|d| &model.datum(*d).meta))),
    );
    if !element.is_actor() {
        prop(
            &mut out,
            &COMPONENT_SOFTWARE,
            quoted_list(&element.software),
        );
        prop(&mut out, &COMPONENT_INTERFACES, codes(&element.interfaces));
        prop(
            &mut out,
            &COMPONENT_UPDATABLE,
            code(&element.updatable.to_string()),
        );
    }
    prop(&mut out, &COMPONENT_FLEET, code(element.fleet.as_str()));
    prop(
        &mut out,
        &COMPONENT_CONTROLLED_BY,
        owner(element.controlled_by),
    );
    hazards_block(&mut out, model, &COMPONENT_HAZARDS, &element.hazards);
    component_security(&mut out, model, &element.security);
    out_of_scope(&mut out, &element.out_of_scope);
    if let Some(analysis) = analysis {
        if let Some(facts) = analysis.elements.get(id.index()) {
            let mut notes = Vec::new();
            if facts.entry {
                notes.push("attack entry point (zone of trust `untrusted` or lower)");
            }
            if facts.exposed {
                notes.push("exposed (reached from an untrusted zone, directly or through proxies)");
            }
            if facts.multi_patient {
                notes.push("**multi-patient**: harm can reach many patients");
            }
            for note in notes {
                writeln!(out, "\n{note}").ok();
            }
        }
        generated_list(&mut out, model, analysis, Target::Element(id));
    }
    out
}

/// The flow's ends, data, protection, trust crossing and generated threats.
pub(super) fn flow(model: &Model, analysis: Option<&Analysis>, id: FlowId) -> String {
    let mut out = String::new();
    let flow = model.flow(id);
    let end =
        |e: Option<ElementId>| e.map_or("?".to_owned(), |e| model.element(e).meta.name.clone());
    let title = if flow.meta.title != flow.meta.name {
        format!(" \"{}\"", flow.meta.title)
    } else {
        String::new()
    };
    // A request with `returns` reads as its request direction.
    let response = flow.reverse.filter(|&r| model.flow(r).is_response);
    let arrow = if flow.reverse.is_some() && response.is_none() {
        "<->"
    } else {
        "->"
    };
    out.push_str(&fenced(
        "ward",
        &format!(
            "flow {}: {} {arrow} {}{title}",
            flow.meta.name,
            end(flow.source),
            end(flow.target)
        ),
    ));
    meta_text(&mut out, &flow.meta);
    prop(&mut out, &FLOW_PROTOCOL, code(&flow.protocol));
    let data_list = |data: &[DataId]| -> String {
        if data.is_empty() {
            return "none".into();
        }
        data.iter()
            .map(|d| {
                let d = model.datum(*d);
                format!(
                    "`{}` ({}; C {}, I {}, A {})",
                    d.meta.name, d.kind, d.confidentiality, d.integrity, d.availability
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    prop(&mut out, &FLOW_CARRIES, data_list(&flow.carries));
    if let Some(response) = response {
        prop(
            &mut out,
            &FLOW_RETURNS,
            format!(
                "{} (in `{}`)",
                data_list(&model.flow(response).carries),
                model.flow(response).meta.name
            ),
        );
    }
    if flow.is_response {
        if let Some(request) = flow.reverse_of {
            fact(
                &mut out,
                "response",
                format!(
                    "to `{}`: carries its `returns`",
                    model.flow(request).meta.name
                ),
            );
        }
    }
    prop(
        &mut out,
        &FLOW_AUTHENTICATED,
        code(&flow.authenticated.to_string()),
    );
    prop(
        &mut out,
        &FLOW_AUTH,
        code(flow.auth.map_or(UNSPECIFIED, AuthMethod::as_str)),
    );
    prop(
        &mut out,
        &FLOW_SERVER_AUTHENTICATED,
        code(&flow.server_authenticated.to_string()),
    );
    if let Some(version) = flow.tls_version {
        prop(&mut out, &FLOW_TLS_VERSION, code(version.as_str()));
    }
    if let Some(identity) = flow.identity {
        prop(&mut out, &FLOW_IDENTITY, code(identity.as_str()));
    }
    prop(&mut out, &FLOW_ENCRYPTED, code(&flow.encrypted.to_string()));
    prop(
        &mut out,
        &FLOW_INTEGRITY_PROTECTED,
        code(&flow.integrity_protected.to_string()),
    );
    out_of_scope(&mut out, &flow.out_of_scope);
    let zone_of = |e: Option<ElementId>| {
        e.and_then(|e| model.element(e).zone).map(|z| {
            let zone = model.zone(z);
            format!("`{}` ({})", zone.meta.name, zone.trust)
        })
    };
    let crossing = analysis.and_then(|a| a.flows.get(id.index()));
    match (zone_of(flow.source), zone_of(flow.target), crossing) {
        (Some(from), Some(to), Some(facts)) if facts.crosses_boundary => {
            let direction = if facts.from_lower_trust {
                ", into higher trust"
            } else {
                ""
            };
            writeln!(
                &mut out,
                "\n**Crosses a trust boundary**: {from} \u{2192} {to}{direction}"
            )
            .ok();
        }
        (Some(from), Some(_), Some(_)) => {
            writeln!(out, "\nStays within zone {from}").ok();
        }
        _ => {}
    }
    if let Some(analysis) = analysis {
        if analysis
            .flows
            .get(id.index())
            .is_some_and(|f| f.multi_patient)
        {
            writeln!(out, "\n**multi-patient**: harm can reach many patients").ok();
        }
        generated_list(&mut out, model, analysis, Target::Flow(id));
    }
    out
}

pub(super) fn hazard(model: &Model, id: HazardId) -> String {
    let mut out = String::new();
    let policy = model.policy();
    let hazard = model.hazard(id);
    header(&mut out, "hazard", &hazard.meta, None);
    prop(
        &mut out,
        &HAZARD_SEVERITY,
        code(policy.severity_name(hazard.severity)),
    );
    prop(
        &mut out,
        &HAZARD_HAZARDOUS_SITUATION,
        opt(&hazard.hazardous_situation),
    );
    prop(&mut out, &HAZARD_HARM, opt(&hazard.harm));
    prop(&mut out, &HAZARD_RMF_REF, opt(&hazard.rmf_ref));
    // The report's word for a blank risk-file evaluation.
    let rmf_risk = hazard
        .rmf_risk
        .as_ref()
        .map_or("not recorded".into(), |v| quoted(v));
    prop(&mut out, &HAZARD_RMF_RISK, rmf_risk);
    out
}

/// A hand-written threat: its risk once analysed, else its declared STRIDE
/// and exploitability.
pub(super) fn threat(
    model: &Model,
    analysis: Option<&Analysis>,
    view: Option<&View>,
    id: ThreatId,
) -> String {
    let mut out = String::new();
    let policy = model.policy();
    let threat = model.threat(id);
    header(&mut out, "threat", &threat.meta, None);
    match analysis.zip(view).and_then(|(a, v)| {
        a.threat_by_key(ThreatKey::Hand { threat: id })
            .map(|t| (a, v, t))
    }) {
        Some((analysis, view, t)) => threat_body(&mut out, model, analysis, view, t),
        None => {
            prop(
                &mut out,
                &THREAT_STRIDE,
                codes(
                    &threat
                        .stride
                        .iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>(),
                ),
            );
            prop(
                &mut out,
                &THREAT_EXPLOITABILITY,
                code(policy.exploitability_name(threat.exploitability.level())),
            );
        }
    }
    out
}

/// A rule and the threats it generates.
pub(super) fn rule(model: &Model, analysis: Option<&Analysis>, id: RuleId) -> String {
    let mut out = String::new();
    let policy = model.policy();
    let rule = model.rule(id);
    header(&mut out, "rule", &rule.meta, None);
    if rule.from_stdlib {
        writeln!(out, "*From the standard library (`std::stride`).*\n").ok();
    }
    prop(
        &mut out,
        &RULE_STRIDE,
        codes(
            &rule
                .stride
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>(),
        ),
    );
    let affects: Vec<String> = (rule.affects.properties.iter().flatten())
        .map(|p| p.to_string())
        .chain(rule.affects.kinds.iter().flatten().map(|k| k.to_string()))
        .collect();
    if !affects.is_empty() {
        prop(&mut out, &RULE_AFFECTS, codes(&affects));
    }
    if rule.detection_gap {
        prop(&mut out, &RULE_DETECTION_GAP, code("true"));
    }
    prop(&mut out, &RULE_APPLIES_TO, code(rule.applies_to.as_str()));
    prop(
        &mut out,
        &RULE_EXPLOITABILITY,
        code(policy.exploitability_name(rule.exploitability)),
    );
    prop(
        &mut out,
        &RULE_SUGGEST,
        codes(
            &rule
                .suggest
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>(),
        ),
    );
    prop(&mut out, &RULE_CAPEC, numbers(&rule.capec));
    prop(&mut out, &RULE_CWE, numbers(&rule.cwe));
    if let Some(analysis) = analysis {
        let matches: Vec<&ThreatAnalysis> = analysis
            .threats
            .iter()
            .filter(|t| matches!(t.key, ThreatKey::Generated { rule, .. } if rule == id))
            .collect();
        writeln!(
            &mut out,
            "\n**Generates {} threat{}**",
            matches.len(),
            plural(matches.len())
        )
        .ok();
        for t in matches.iter().take(MAX_LISTED) {
            writeln!(out, "- `{}`: {}", t.id, risk_change(t)).ok();
        }
    }
    out
}

pub(super) fn control(model: &Model, id: ControlId) -> String {
    let mut out = String::new();
    let policy = model.policy();
    let control = model.control(id);
    header(&mut out, "control", &control.meta, None);
    prop(&mut out, &CONTROL_ID, code(&control.requirement_id));
    prop(&mut out, &CONTROL_CATEGORY, code(control.category.as_str()));
    prop(&mut out, &CONTROL_REQUIREMENT, quoted(&control.requirement));
    prop(&mut out, &CONTROL_ACCEPTANCE, opt(&control.acceptance));
    let mitigated: Vec<String> = control
        .mitigates
        .iter()
        .map(|m| model.threat_key_name(m.key))
        .collect();
    prop(&mut out, &CONTROL_MITIGATES, codes(&mitigated));
    prop(&mut out, &CONTROL_REDUCES, control.reduces.to_string());
    prop(
        &mut out,
        &CONTROL_INDEPENDENT,
        code(&control.independent.to_string()),
    );
    if let Some(level) = control.residual_exploitability {
        prop(
            &mut out,
            &CONTROL_RESIDUAL_EXPLOITABILITY,
            code(policy.exploitability_name(level)),
        );
    }
    if !control.limits.is_empty() {
        let limits: Vec<String> = control
            .limits
            .iter()
            .map(|(h, l)| {
                format!(
                    "`{}` \u{2264} `{}`",
                    model.hazard(*h).meta.name,
                    policy.severity_name(*l)
                )
            })
            .collect();
        prop(&mut out, &CONTROL_LIMITS, limits.join(", "));
    }
    if let Some(option) = control.option {
        prop(&mut out, &CONTROL_OPTION, code(option.as_str()));
    }
    prop(
        &mut out,
        &CONTROL_IMPLEMENTED_IN,
        codes(&names(
            control
                .implemented_in
                .iter()
                .map(|e| &model.element(*e).meta),
        )),
    );
    let verifications: Vec<String> = control
        .verification
        .iter()
        .map(|v| match v {
            VerificationItem::Ref { verification, .. } => {
                let v = model.verification(*verification);
                let result = v.result.map_or("no result".to_owned(), |r| r.to_string());
                format!("`{}` ({result})", v.meta.name)
            }
            VerificationItem::Inline { method, text, .. } => {
                format!("{method} {}", quoted(text))
            }
        })
        .collect();
    prop(
        &mut out,
        &CONTROL_VERIFICATION,
        if verifications.is_empty() {
            "none".into()
        } else {
            verifications.join(", ")
        },
    );
    prop(&mut out, &CONTROL_STATUS, code(control.status.as_str()));
    out
}

pub(super) fn verification(model: &Model, id: VerificationId) -> String {
    let mut out = String::new();
    let v = model.verification(id);
    header(&mut out, "verification", &v.meta, None);
    prop(
        &mut out,
        &VERIFICATION_TYPE,
        v.kind.map_or("not given".into(), |k| code(k.as_str())),
    );
    prop(&mut out, &VERIFICATION_METHOD, code(v.method.as_str()));
    prop(&mut out, &VERIFICATION_REPORT, opt(&v.report));
    prop(
        &mut out,
        &VERIFICATION_RESULT,
        v.result.map_or("not given".into(), |r| code(r.as_str())),
    );
    prop(
        &mut out,
        &VERIFICATION_INDEPENDENT,
        code(&v.independent.to_string()),
    );
    let scope: Vec<String> = v
        .scope
        .iter()
        .map(|t| model.target_name(*t).to_owned())
        .collect();
    prop(&mut out, &VERIFICATION_SCOPE, codes(&scope));
    out
}

pub(super) fn assumption(model: &Model, id: AssumptionId) -> String {
    let mut out = String::new();
    let a = model.assumption(id);
    header(&mut out, "assumption", &a.meta, None);
    prop(&mut out, &ASSUMPTION_RATIONALE, opt(&a.rationale));
    let applies: Vec<String> = a
        .applies_to
        .iter()
        .map(|n| match n {
            NodeRef::Zone(z) => model.zone(*z).meta.name.clone(),
            NodeRef::Element(e) => model.element(*e).meta.name.clone(),
            NodeRef::Flow(f) => model.flow(*f).meta.name.clone(),
        })
        .collect();
    prop(&mut out, &ASSUMPTION_APPLIES_TO, codes(&applies));
    out
}

pub(super) fn usecase(model: &Model, id: UsecaseId) -> String {
    let mut out = String::new();
    let u = model.usecase(id);
    header(&mut out, "usecase", &u.meta, None);
    prop(&mut out, &USECASE_STATE, opt(&u.state));
    let steps: Vec<String> = u
        .steps
        .iter()
        .enumerate()
        .map(|(i, f)| format!("{}. `{}`", i + 1, model.flow(*f).meta.name))
        .collect();
    prop(&mut out, &USECASE_STEPS, steps.join(" "));
    out
}

/// An `accept` outside its threat references (a resolved reference hovers
/// as the threat): the decision record.
pub(super) fn accept(model: &Model, id: AcceptId) -> String {
    let mut out = String::new();
    let a = model.accept(id);
    writeln!(out, "```ward\naccept {}\n```", a.meta.name).ok();
    if a.threats.len() > 1 {
        let names: Vec<String> = a
            .threats
            .iter()
            .map(|t| model.threat_key_name(t.key))
            .collect();
        fact(&mut out, "threats", codes(&names));
    }
    prop(&mut out, &ACCEPT_LEVEL, code(a.level.as_str()));
    prop(&mut out, &ACCEPT_RATIONALE, quoted(&a.rationale));
    prop(&mut out, &ACCEPT_BENEFIT, opt(&a.benefit));
    prop(&mut out, &ACCEPT_BENEFIT_RISK, opt(&a.benefit_risk));
    prop(&mut out, &ACCEPT_APPROVED_BY, opt(&a.approved_by));
    prop(&mut out, &ACCEPT_DATE, opt(&a.date));
    out
}

/// An `approval`: who approved what, and when.
pub(super) fn approval(model: &Model, id: ApprovalId) -> String {
    let mut out = String::new();
    let a = model.approval(id);
    header(&mut out, "approval", &a.meta, None);
    prop(&mut out, &APPROVAL_ROLE, quoted(&a.role));
    prop(&mut out, &APPROVAL_NAME, quoted(&a.name));
    prop(&mut out, &APPROVAL_DATE, code(&a.date));
    let scope = match &a.scope {
        Some(ApprovalScope::Model) => code("model"),
        Some(ApprovalScope::Release) => code("release"),
        Some(ApprovalScope::Accepts(threats)) => {
            let names: Vec<String> = threats
                .iter()
                .map(|t| model.threat_key_name(t.key))
                .collect();
            codes(&names)
        }
        None => "not given".into(),
    };
    prop(&mut out, &APPROVAL_SCOPE, scope);
    prop(&mut out, &APPROVAL_APPROVED_HASH, code(&a.approved_hash));
    prop(&mut out, &APPROVAL_NOTE, opt(&a.note));
    out
}

/// A `software` item: its SBOM fields, its support status and who runs it.
pub(super) fn software(model: &Model, id: SoftwareId) -> String {
    let mut out = String::new();
    let s = model.software(id);
    header(&mut out, "software", &s.meta, None);
    prop(&mut out, &SOFTWARE_VERSION, quoted(&s.version));
    prop(&mut out, &SOFTWARE_SUPPLIER, quoted(&s.supplier));
    prop(
        &mut out,
        &SOFTWARE_SUPPORT,
        s.support.map_or("not given".into(), |l| code(l.as_str())),
    );
    prop(
        &mut out,
        &SOFTWARE_END_OF_SUPPORT,
        s.end_of_support.as_deref().map_or("not given".into(), code),
    );
    prop(&mut out, &SOFTWARE_PURL, opt(&s.purl));
    prop(&mut out, &SOFTWARE_CPE, opt(&s.cpe));
    prop(
        &mut out,
        &SOFTWARE_DEPENDS_ON,
        codes(&names(
            s.depends_on.iter().map(|d| &model.software(*d).meta),
        )),
    );
    fact(
        &mut out,
        "run by",
        codes(&names(s.run_by.iter().map(|e| &model.element(*e).meta))),
    );
    if let Some(from) = &s.imported_from {
        fact(&mut out, "imported from", imported_from(from));
    }
    let known: Vec<String> = model
        .vulnerabilities
        .iter()
        .filter(|v| v.software.contains(&id))
        .map(|v| vulnerability_line(v, v.affects.contains(&id)))
        .collect();
    if !known.is_empty() {
        fact(&mut out, "vulnerabilities", known.join("; "));
    }
    out
}

/// One vulnerability as a software hover lists it: advisory, status, KEV,
/// and whether the declared version is in its range.
fn vulnerability_line(v: &Vulnerability, in_range: bool) -> String {
    let status = v.status.map_or("no status", |s| s.as_str());
    let mut line = format!("`{}` {status}", v.advisory);
    if let Some(j) = v.justification {
        let _ = write!(line, " ({j})");
    }
    if v.kev.is_some() {
        line.push_str(", KEV-listed");
    }
    if !in_range {
        line.push_str(", this version not in its range");
    }
    line
}

/// A `vulnerability`: the advisory, what it affects, its CVSS, KEV listing
/// and disposition.
pub(super) fn vulnerability(model: &Model, id: VulnerabilityId) -> String {
    let mut out = String::new();
    let v = model.vulnerability(id);
    header(&mut out, "vulnerability", &v.meta, None);
    prop(&mut out, &VULNERABILITY_ADVISORY, code(&v.advisory));
    if !v.aliases.is_empty() {
        prop(&mut out, &VULNERABILITY_ALIASES, codes(&v.aliases));
    }
    let stated: Vec<String> = v
        .software
        .iter()
        .map(|s| {
            let sw = model.software(*s);
            let verdict = if v.affects.contains(s) {
                "in range"
            } else {
                "not in range"
            };
            format!("`{}` {} ({verdict})", sw.meta.name, sw.version)
        })
        .collect();
    prop(&mut out, &VULNERABILITY_SOFTWARE, stated.join(", "));
    let mut range = Vec::new();
    if let Some(i) = &v.range.introduced {
        range.push(format!("introduced {i}"));
    }
    if let Some(f) = &v.range.fixed {
        range.push(format!("fixed {f}"));
    }
    if !v.range.versions.is_empty() {
        range.push(format!("versions {}", v.range.versions.join(", ")));
    }
    if range.is_empty() {
        range.push("every version".into());
    }
    fact(&mut out, "range", range.join("; "));
    let cvss = match &v.cvss {
        Some(Exploitability::Cvss {
            vector,
            base_score,
            exploitability_subscore,
            ..
        }) => format!(
            "`{vector}` (base {base_score:.1}, exploitability {exploitability_subscore:.1})"
        ),
        _ => "not given".into(),
    };
    prop(&mut out, &VULNERABILITY_CVSS, cvss);
    let kev = match &v.kev {
        Some(KevListing {
            date_added: Some(d),
        }) => format!("listed, added {d}"),
        Some(_) => "listed".into(),
        None => "not listed".into(),
    };
    prop(&mut out, &VULNERABILITY_KEV, kev);
    prop(
        &mut out,
        &VULNERABILITY_STATUS,
        v.status.map_or("not given".into(), |s| code(s.as_str())),
    );
    if let Some(j) = v.justification {
        prop(&mut out, &VULNERABILITY_JUSTIFICATION, code(j.as_str()));
    }
    out
}

fn imported_from(from: &ward_model::SbomPackage) -> String {
    if from.reference.is_empty() {
        code(&from.sbom)
    } else {
        format!("{} ({})", code(&from.sbom), code(&from.reference))
    }
}

/// The most imported packages a hover on `sbom:` lists by name.
const SBOM_HOVER_PACKAGES: usize = 10;

/// A component's `sbom:` value: the file, its format and what came from it.
pub(super) fn sbom(model: &Model, id: ElementId) -> String {
    let mut out = String::new();
    let element = model.element(id);
    let Some(sbom) = &element.sbom else {
        return out;
    };
    writeln!(
        out,
        "**SBOM** {} of {}\n",
        code(&sbom.path),
        code(&element.meta.name)
    )
    .ok();
    if sbom.format.is_empty() {
        out.push_str("Not imported: the file could not be read (see its diagnostic).\n");
        return out;
    }
    let n = sbom.software.len();
    writeln!(
        out,
        "{} {}: {n} package{} imported as software{}\n",
        sbom.format,
        markdown::text(&sbom.spec_version),
        if n == 1 { "" } else { "s" },
        if n == 0 { "." } else { ":" }
    )
    .ok();
    for s in sbom.software.iter().take(SBOM_HOVER_PACKAGES) {
        let s = model.software(*s);
        writeln!(
            out,
            "- {}: {}",
            code(&s.meta.name),
            markdown::text(&s.label())
        )
        .ok();
    }
    if n > SBOM_HOVER_PACKAGES {
        writeln!(out, "- ... and {} more", n - SBOM_HOVER_PACKAGES).ok();
    }
    out
}

/// An unresolved anomaly: its software, CWE and both impact assessments,
/// then the rationale for release.
pub(super) fn anomaly(model: &Model, id: AnomalyId) -> String {
    let mut out = String::new();
    let a = model.anomaly(id);
    header(&mut out, "anomaly", &a.meta, None);
    prop(
        &mut out,
        &ANOMALY_SOFTWARE,
        codes(&names(a.software.iter().map(|s| &model.software(*s).meta))),
    );
    prop(
        &mut out,
        &ANOMALY_CWE,
        a.cwe.map_or("not given".into(), |n| format!("CWE-{n}")),
    );
    prop(&mut out, &ANOMALY_SAFETY_IMPACT, quoted(&a.safety_impact));
    prop(
        &mut out,
        &ANOMALY_SECURITY_IMPACT,
        quoted(&a.security_impact),
    );
    prop(
        &mut out,
        &ANOMALY_HAZARDS,
        codes(&names(a.hazards.iter().map(|h| &model.hazard(*h).meta))),
    );
    prop(&mut out, &ANOMALY_RATIONALE, opt(&a.rationale));
    prop(&mut out, &ANOMALY_TICKET, opt(&a.ticket));
    out
}

/// The post-market plan (only the model's own, the first `monitoring`).
pub(super) fn monitoring(model: &Model, id: MonitoringId) -> Option<String> {
    let m = model.monitoring.as_ref().filter(|_| id.index() == 0)?;
    let mut out = String::new();
    header(&mut out, "monitoring", &m.meta, None);
    prop(&mut out, &MONITORING_SOURCES, quoted_list(&m.sources));
    prop(&mut out, &MONITORING_CVD_CONTACT, quoted(&m.cvd_contact));
    prop(&mut out, &MONITORING_CVD_POLICY, opt(&m.cvd_policy));
    let days = |d: Option<u32>| d.map_or("not given".into(), |d| format!("{d} days"));
    let timelines: Vec<String> = RiskControlState::ALL
        .iter()
        .map(|s| format!("{} {}", s.as_str(), days(m.patch_within.days(*s))))
        .collect();
    prop(&mut out, &MONITORING_PATCH_WITHIN, timelines.join(", "));
    Some(out)
}

pub(super) fn policy(model: &Model, id: PolicyId) -> String {
    let mut out = String::new();
    let p = model.policy_by_id(id);
    header(&mut out, "policy", &p.meta, None);
    if p.from_stdlib {
        writeln!(out, "*From the standard library (`{}`).*\n", p.path).ok();
    }
    prop(&mut out, &POLICY_SEVERITY, codes(&p.severity));
    prop(&mut out, &POLICY_EXPLOITABILITY, codes(&p.exploitability));
    prop(
        &mut out,
        &POLICY_CONTROLLED,
        codes(
            &p.controlled
                .iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>(),
        ),
    );
    prop(
        &mut out,
        &POLICY_REQUIRE_VERIFIED,
        code(&p.require_verified.to_string()),
    );
    if let Some(bands) = &p.cvss_exploitability_bands {
        prop(
            &mut out,
            &POLICY_CVSS_EXPLOITABILITY_BANDS,
            format!("{bands:?}"),
        );
    }
    prop(&mut out, &POLICY_TRANSFER_BASIS, opt(&p.transfer_basis));
    writeln!(
        out,
        "\n`matrix`: safety-related security risk (severity \u{d7} exploitability). \
         `security_matrix`: security risk (security impact \u{d7} exploitability). \
         Exploitability rates how feasible an exploit is, not how often it happens."
    )
    .ok();
    if id == model.policy_in_force {
        writeln!(out, "\n*The policy in force.*").ok();
    }
    out
}

/// A property key: its declaration and key, then the vocabulary table's
/// doc, value type and default.
pub(super) fn property_key(kind: DeclKind, spec: &PropertySpec) -> String {
    let mut out = fenced("ward", &format!("{}.{}", kind.keyword(), spec.key));
    writeln!(out, "{}\n", spec.doc).ok();
    fact(&mut out, "type", spec.value.describe());
    if spec.required {
        fact(&mut out, "required", "yes".into());
    } else {
        fact(&mut out, "default", spec.default.into());
    }
    out
}

/// `use "FILE"` shows the file's path; a `std::` module its rule count.
pub(super) fn file(snapshot: &Snapshot, model: &Model, id: FileId) -> String {
    let mut out = String::new();
    let source = snapshot.source(id);
    match &source.path {
        Some(path) => {
            out.push_str(&fenced("ward", &format!("use \"{}\"", source.name)));
            writeln!(out, "{}", code(&path.display().to_string())).ok();
        }
        None => {
            let rules = model
                .rules
                .iter()
                .filter(|r| r.meta.span.file == id)
                .count();
            writeln!(out, "Standard library file `{}`", source.name).ok();
            if rules > 0 {
                writeln!(out, "\nRules declared here, all in force: {rules}.").ok();
            }
        }
    }
    out
}

fn header(out: &mut String, keyword: &str, meta: &Meta, parent: Option<&str>) {
    let title = if meta.title != meta.name {
        format!(" \"{}\"", meta.title)
    } else {
        String::new()
    };
    let parent = parent.map_or(String::new(), |p| format!(" in {p}"));
    out.push_str(&fenced(
        "ward",
        &format!("{keyword} {}{title}{parent}", meta.name),
    ));
    meta_text(out, meta);
}

fn meta_text(out: &mut String, meta: &Meta) {
    if let Some(doc) = &meta.doc {
        writeln!(out, "{}\n", markdown::text(doc)).ok();
    }
    if let Some(description) = &meta.description {
        writeln!(out, "{}\n", markdown::text(description.trim_end())).ok();
    }
    if !meta.tags.is_empty() {
        writeln!(out, "tags: {}\n", codes(&meta.tags)).ok();
    }
}

/// A declared property's line, named by its key in the vocabulary table.
fn prop(out: &mut String, spec: &PropertySpec, value: String) {
    fact(out, spec.key, value);
}

/// A component's security properties, those it states (defaults would
/// only lengthen every component's hover).
fn component_security(out: &mut String, model: &Model, security: &ComponentSecurity) {
    for (spec, on) in [
        (&COMPONENT_INPUT_VALIDATION, security.input_validation),
        (&COMPONENT_OUTPUT_ENCODING, security.output_encoding),
        (&COMPONENT_ACCESS_CONTROL, security.access_control),
    ] {
        if on {
            prop(out, spec, code("true"));
        }
    }
    if let Some(authorization) = security.authorization {
        prop(out, &COMPONENT_AUTHORIZATION, code(authorization.as_str()));
    }
    if !security.parses.is_empty() {
        prop(out, &COMPONENT_PARSES, codes(&security.parses));
    }
    if !security.processes.is_empty() {
        let processed = names(security.processes.iter().map(|d| &model.datum(*d).meta));
        prop(out, &COMPONENT_PROCESSES, codes(&processed));
    }
    if let Some(host) = security.runs_on {
        prop(
            out,
            &COMPONENT_RUNS_ON,
            code(&model.element(host).meta.name),
        );
    }
}

/// The `out_of_scope` reason, when there is one (rules generate nothing there).
fn out_of_scope(out: &mut String, reason: &Option<String>) {
    if let Some(reason) = reason {
        prop(
            out,
            &OUT_OF_SCOPE,
            format!("{} (no rule threats)", quoted(reason)),
        );
    }
}

/// A line of what the model or the analysis derived (not a property).
fn fact(out: &mut String, label: &str, value: String) {
    writeln!(out, "- **{label}**: {value}").ok();
}

fn code(text: &str) -> String {
    markdown::code(text)
}

/// An owner as code, or "not stated" as plain words (it is no value).
fn owner(owner: Option<ControlledBy>) -> String {
    owner.map_or(OWNER_NOT_STATED.into(), |o| code(o.as_str()))
}

fn opt(value: &Option<String>) -> String {
    value.as_ref().map_or("not given".into(), |v| quoted(v))
}

fn codes(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.iter().map(|i| code(i)).collect::<Vec<_>>().join(", ")
    }
}

fn quoted_list(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items
            .iter()
            .map(|i| quoted(i))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn numbers(items: &[u32]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn names<'a>(metas: impl Iterator<Item = &'a Meta>) -> Vec<String> {
    metas.map(|m| m.name.clone()).collect()
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn hazards_block(out: &mut String, model: &Model, spec: &PropertySpec, hazards: &PropertyHazards) {
    for property in SecurityProperty::ALL {
        let list = hazards.get(*property);
        if !list.is_empty() {
            let names: Vec<String> = list
                .iter()
                .map(|h| model.hazard(*h).meta.name.clone())
                .collect();
            fact(out, &format!("{}.{property}", spec.key), codes(&names));
        }
    }
}

/// `initial -> residual`, the residual being the one acceptability is
/// judged on.
pub fn risk_change(t: &ThreatAnalysis) -> String {
    format!("{} \u{2192} {}", t.initial.overall, t.judged)
}

fn generated_list(out: &mut String, model: &Model, analysis: &Analysis, target: Target) {
    let generated: Vec<&ThreatAnalysis> = analysis
        .threats
        .iter()
        .filter(|t| {
            t.origin == Origin::Rule
                && (matches!(t.key, ThreatKey::Generated { element, .. } if element == target)
                    // A grouped or link threat named elsewhere that covers it.
                    || t.targets.contains(&target))
        })
        .collect();
    if generated.is_empty() {
        writeln!(
            out,
            "\nNo rule generates a threat on `{}`.",
            model.target_name(target)
        )
        .ok();
        return;
    }
    writeln!(out, "\n**Generated threats** ({})", generated.len()).ok();
    for t in generated.iter().take(MAX_LISTED) {
        writeln!(
            out,
            "- {}: {} \u{2014} {}",
            code(&t.id),
            risk_change(t),
            markdown::text(&t.title)
        )
        .ok();
    }
    if generated.len() > MAX_LISTED {
        writeln!(out, "- \u{2026} and {} more", generated.len() - MAX_LISTED).ok();
    }
}

fn score(s: &RiskView) -> String {
    match &s.safety {
        Some(safety) => format!(
            "`{}` (security risk `{}`, safety-related security risk `{safety}`)",
            s.overall, s.security
        ),
        None => format!("`{}` (security risk; no hazard)", s.overall),
    }
}

fn residual(out: &mut String, name: &str, r: &ResidualView) {
    let severity = r
        .severity
        .as_ref()
        .map_or(String::new(), |s| format!(", severity `{s}`"));
    fact(
        out,
        name,
        format!(
            "{}: exploitability `{}`{severity}",
            score(&r.risk),
            r.exploitability
        ),
    );
}

/// A threat's description (a generated threat's rule's; a hand-written
/// one's own is in its header already), its CAPEC and CWE links and the
/// categories its rule suggests.
fn about(out: &mut String, t: &ThreatAnalysis, about: &ward_view::AboutView) {
    if t.origin != Origin::Hand {
        if let Some(description) = &about.description {
            writeln!(out, "\n{}", markdown::text(description)).ok();
        }
    }
    let links: Vec<String> = about
        .references()
        .map(|r| format!("[{}]({})", markdown::text(&r.label), r.url))
        .collect();
    if !links.is_empty() {
        fact(out, "references", links.join(", "));
    }
    if !about.suggest.is_empty() {
        fact(out, "suggested control categories", codes(&about.suggest));
    }
}

/// The risk part of a threat's hover.
pub(super) fn threat_body(
    out: &mut String,
    model: &Model,
    analysis: &Analysis,
    view: &View,
    t: &ThreatAnalysis,
) {
    let policy = model.policy();
    prop(
        out,
        &THREAT_STRIDE,
        codes(&t.stride.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
    );
    let tv = view.of(analysis, t);
    prop(out, &THREAT_TARGETS, codes(&tv.targets));
    prop(out, &THREAT_HAZARDS, codes(&tv.hazards));
    about(out, t, &tv.about);
    writeln!(
        out,
        "\n**Risk** (policy {})",
        markdown::text(&policy.meta.title)
    )
    .ok();
    if let Some(severity) = t.severity {
        fact(out, "severity", code(policy.severity_name(severity)));
    }
    let source = tv.exploitability_source.hover_text();
    fact(
        out,
        "exploitability",
        format!(
            "`{}` ({source})",
            policy.exploitability_name(t.exploitability)
        ),
    );
    fact(out, "security impact", code(t.impact.as_str()));
    fact(out, "initial risk", score(&tv.initial));
    residual(out, "residual (planned)", &tv.planned);
    residual(out, "residual (verified)", &tv.verified);
    let basis = view.judged_on_word();
    let controlled = if t.controlled {
        "controlled"
    } else {
        "**not controlled**"
    };
    fact(
        out,
        "judged residual",
        format!("`{}` ({basis}; {controlled})", t.judged),
    );
    if let Some(acceptance) = &t.acceptance {
        let stale = if acceptance.stale {
            " \u{2014} **stale**: the judged residual differs"
        } else {
            ""
        };
        fact(out, "accepted", format!("at `{}`{stale}", acceptance.level));
    }
    if t.transferred {
        writeln!(
            out,
            "\nResidual risk transferred to the user (information for safety)."
        )
        .ok();
    }
    if t.multi_patient {
        writeln!(out, "\n**multi-patient**: harm can reach many patients").ok();
    }
    if t.controls.is_empty() {
        writeln!(out, "\n**Controls**: none").ok();
    } else {
        writeln!(out, "\n**Controls**").ok();
        for id in &t.controls {
            let c = model.control(*id);
            writeln!(
                out,
                "- `{}` ({}, {}, reduces {})",
                c.meta.name, c.category, c.status, c.reduces
            )
            .ok();
        }
    }
    if let Some(start) = t.proximity {
        writeln!(
            out,
            "\n**Sequence of events**: starts with {} `{}` in zone `{}` (attack vector `{}`)",
            ward_analysis::paths::proximity_words(t.attack_vector),
            model.element(start.element).meta.name,
            model.zone(start.zone).meta.name,
            t.attack_vector
        )
        .ok();
    }
    if !t.paths.is_empty() {
        writeln!(out, "\n**Shortest modelled paths from an entry point**").ok();
        for index in t.paths.iter().take(5) {
            if let Some(path) = view.paths.get(*index) {
                let target = &path.target;
                let reach = path.reach("it");
                if path.hops.is_empty() {
                    writeln!(out, "- `{target}` is itself an entry point ({reach})")
                } else {
                    let flows: Vec<String> = path.flows().map(str::to_owned).collect();
                    writeln!(
                        out,
                        "- `{}` \u{2192} `{target}` via {} ({reach})",
                        path.entry,
                        codes(&flows),
                    )
                }
                .ok();
            }
        }
    }
}
