//! Each declaration as the facts a reviewer compares: field -> value as
//! written in source (ids by name, levels by the policy's names), so two
//! versions compare by meaning, not by spans or by the order of declarations.

use crate::identity::Names;
use std::collections::BTreeMap;
use ward_model::{
    Control, Element, Flow, HazardId, Level, Model, NodeRef, PropertyHazards, Target, ThreatKey,
    VerificationItem,
};

/// Field -> value; a field a version leaves unset is absent.
pub type Facts = BTreeMap<&'static str, String>;

/// A declaration's kind and id (in NEW's names).
pub type DeclKey = (&'static str, String);

/// Every declaration of `model` written by the user (the stdlib's rules and
/// policy aside), keyed by kind and id as `names` translates them.
pub fn declarations(model: &Model, names: &Names) -> BTreeMap<DeclKey, Facts> {
    let f = FactsOf { model, names };
    let mut all = BTreeMap::new();
    let mut put = |kind: &'static str, name: &str, facts: Facts| {
        all.insert((kind, names.id(name)), facts);
    };
    if let Some(s) = &model.system {
        let mut x = f.common(&s.meta);
        opt(&mut x, "version", &s.version);
        opt(&mut x, "intended_use", &s.intended_use);
        x.insert("policy", model.policy_by_id(s.policy).path.clone());
        list(&mut x, "out_of_scope", s.out_of_scope.iter().cloned());
        list(&mut x, "lifecycle", s.lifecycle.iter().cloned());
        opt(&mut x, "overall_residual", &s.overall_residual);
        opt(&mut x, "approved_by", &s.approved_by);
        put("system", &s.meta.name, x);
    }
    for z in &model.zones {
        let mut x = f.common(&z.meta);
        if let Some(p) = z.parent {
            x.insert("in", names.id(&model.zone(p).meta.name));
        }
        x.insert("trust", z.trust.to_string());
        x.insert("physical_access", z.physical_access.to_string());
        if let Some(c) = z.controlled_by {
            x.insert("controlled_by", c.to_string());
        }
        put("zone", &z.meta.name, x);
    }
    for d in &model.data {
        let mut x = f.common(&d.meta);
        x.insert("kind", d.kind.to_string());
        x.insert("confidentiality", d.confidentiality.to_string());
        x.insert("integrity", d.integrity.to_string());
        x.insert("availability", d.availability.to_string());
        f.hazards(&mut x, &d.hazards);
        put("data", &d.meta.name, x);
    }
    for e in &model.elements {
        let kind = if e.kind.is_actor() {
            "actor"
        } else {
            "component"
        };
        put(kind, &e.meta.name, f.element(e));
    }
    for fl in &model.flows {
        // The reverse of a `<->` flow is the same declaration.
        if fl.reverse_of.is_none() {
            put("flow", &fl.meta.name, f.flow(fl));
        }
    }
    for h in &model.hazards {
        let mut x = f.common(&h.meta);
        x.insert("severity", f.severity(h.severity));
        opt(&mut x, "harm", &h.harm);
        opt(&mut x, "hazardous_situation", &h.hazardous_situation);
        opt(&mut x, "rmf_ref", &h.rmf_ref);
        opt(&mut x, "rmf_risk", &h.rmf_risk);
        put("hazard", &h.meta.name, x);
    }
    for t in &model.threats {
        let mut x = f.common(&t.meta);
        list(&mut x, "stride", t.stride.iter().map(ToString::to_string));
        list(&mut x, "targets", t.targets.iter().map(|&t| f.target(t)));
        list(&mut x, "hazards", t.hazards.iter().map(|&h| f.hazard(h)));
        x.insert("exploitability", f.exploitability(t.exploitability.level()));
        if let ward_model::Exploitability::Cvss { vector, .. } = &t.exploitability {
            x.insert("cvss", vector.clone());
        }
        put("threat", &t.meta.name, x);
    }
    for r in model.rules.iter().filter(|r| !r.from_stdlib) {
        let mut x = f.common(&r.meta);
        list(&mut x, "stride", r.stride.iter().map(ToString::to_string));
        x.insert("applies_to", r.applies_to.to_string());
        x.insert("exploitability", f.exploitability(r.exploitability));
        x.insert("attack_vector", r.attack_vector.to_string());
        list(&mut x, "suggest", r.suggest.iter().map(ToString::to_string));
        x.insert("detection_gap", r.detection_gap.to_string());
        put("rule", &r.meta.name, x);
    }
    for c in &model.controls {
        put("control", &c.meta.name, f.control(c));
    }
    for v in &model.verifications {
        let mut x = f.common(&v.meta);
        if let Some(k) = v.kind {
            x.insert("type", k.to_string());
        }
        x.insert("method", v.method.to_string());
        opt(&mut x, "report", &v.report);
        if let Some(r) = v.result {
            x.insert("result", r.to_string());
        }
        opt(&mut x, "tested_version", &v.tested_version);
        opt(&mut x, "date", &v.date);
        opt(&mut x, "disposition", &v.disposition);
        x.insert("independent", v.independent.to_string());
        list(&mut x, "scope", v.scope.iter().map(|&t| f.target(t)));
        put("verification", &v.meta.name, x);
    }
    for a in &model.assumptions {
        let mut x = f.common(&a.meta);
        opt(&mut x, "rationale", &a.rationale);
        list(
            &mut x,
            "applies_to",
            a.applies_to.iter().map(|&n| f.node(n)),
        );
        put("assumption", &a.meta.name, x);
    }
    for u in &model.usecases {
        let mut x = f.common(&u.meta);
        opt(&mut x, "state", &u.state);
        list(
            &mut x,
            "steps",
            u.steps.iter().map(|&s| names.id(&model.flow(s).meta.name)),
        );
        put("usecase", &u.meta.name, x);
    }
    for a in &model.anomalies {
        let mut x = f.common(&a.meta);
        list(
            &mut x,
            "software",
            a.software
                .iter()
                .map(|&s| names.id(&model.software(s).meta.name)),
        );
        if let Some(cwe) = a.cwe {
            x.insert("cwe", format!("CWE-{cwe}"));
        }
        x.insert("safety_impact", a.safety_impact.clone());
        x.insert("security_impact", a.security_impact.clone());
        list(&mut x, "hazards", a.hazards.iter().map(|&h| f.hazard(h)));
        opt(&mut x, "rationale", &a.rationale);
        opt(&mut x, "ticket", &a.ticket);
        put("anomaly", &a.meta.name, x);
    }
    if let Some(m) = &model.monitoring {
        let mut x = f.common(&m.meta);
        list(&mut x, "sources", m.sources.iter().cloned());
        x.insert("cvd_contact", m.cvd_contact.clone());
        opt(&mut x, "cvd_policy", &m.cvd_policy);
        for state in ward_model::RiskControlState::ALL {
            if let Some(days) = m.patch_within.days(*state) {
                let key = match state {
                    ward_model::RiskControlState::Uncontrolled => "patch_within.uncontrolled",
                    ward_model::RiskControlState::Controlled => "patch_within.controlled",
                };
                x.insert(key, format!("{days} days"));
            }
        }
        put("monitoring", &m.meta.name, x);
    }
    for p in model.policies.iter().filter(|p| !p.from_stdlib) {
        let mut x = f.common(&p.meta);
        list(&mut x, "severity", p.severity.iter().cloned());
        list(&mut x, "exploitability", p.exploitability.iter().cloned());
        x.insert("matrix", format!("{:?}", p.matrix));
        x.insert("security_matrix", format!("{:?}", p.security_matrix));
        list(
            &mut x,
            "controlled",
            p.controlled.iter().map(ToString::to_string),
        );
        x.insert("require_verified", p.require_verified.to_string());
        put("policy", &p.meta.name, x);
    }
    for a in &model.accepts {
        // An accept has no id: it is known by the threats it accepts.
        let accepted: Vec<String> = a.threats.iter().map(|t| f.threat_key(t.key)).collect();
        let mut x = Facts::new();
        x.insert("level", a.level.to_string());
        x.insert("rationale", a.rationale.clone());
        opt(&mut x, "benefit", &a.benefit);
        opt(&mut x, "benefit_risk", &a.benefit_risk);
        opt(&mut x, "approved_by", &a.approved_by);
        opt(&mut x, "date", &a.date);
        opt(&mut x, "doc", &a.meta.doc);
        all.insert(("accept", accepted.join(", ")), x);
    }
    all
}

struct FactsOf<'a> {
    model: &'a Model,
    names: &'a Names,
}

impl FactsOf<'_> {
    fn common(&self, meta: &ward_model::Meta) -> Facts {
        let mut x = Facts::new();
        x.insert("title", meta.title.clone());
        opt(&mut x, "doc", &meta.doc);
        opt(&mut x, "description", &meta.description);
        list(&mut x, "tags", meta.tags.iter().cloned());
        x
    }

    fn element(&self, e: &Element) -> Facts {
        let m = self.model;
        let mut x = self.common(&e.meta);
        x.insert("kind", e.kind.as_str().to_string());
        if let Some(z) = e.zone {
            x.insert("in", self.names.id(&m.zone(z).meta.name));
        }
        list(
            &mut x,
            "stores",
            e.stores
                .iter()
                .map(|&d| self.names.id(&m.datum(d).meta.name)),
        );
        list(&mut x, "software", e.software.iter().cloned());
        opt(&mut x, "version", &e.version);
        list(&mut x, "interfaces", e.interfaces.iter().cloned());
        x.insert("fleet", e.fleet.to_string());
        if let Some(c) = e.controlled_by {
            x.insert("controlled_by", c.to_string());
        }
        x.insert("updatable", e.updatable.to_string());
        self.hazards(&mut x, &e.hazards);
        opt(&mut x, "out_of_scope", &e.out_of_scope);
        self.component_security(&mut x, &e.security);
        x
    }

    /// The v2 security properties, each left out at its default (like an
    /// unset field) so a model that does not use them has no new facts.
    fn component_security(&self, x: &mut Facts, s: &ward_model::ComponentSecurity) {
        let m = self.model;
        for (key, on) in [
            ("input_validation", s.input_validation),
            ("output_encoding", s.output_encoding),
            ("access_control", s.access_control),
        ] {
            if on {
                x.insert(key, "true".into());
            }
        }
        if let Some(a) = s.authorization {
            x.insert("authorization", a.to_string());
        }
        list(x, "parses", s.parses.iter().cloned());
        list(
            x,
            "processes",
            s.processes
                .iter()
                .map(|&d| self.names.id(&m.datum(d).meta.name)),
        );
        if let Some(h) = s.runs_on {
            x.insert("runs_on", self.names.id(&m.element(h).meta.name));
        }
    }

    fn flow(&self, fl: &Flow) -> Facts {
        let m = self.model;
        let mut x = self.common(&fl.meta);
        let end =
            |e: Option<ward_model::ElementId>| e.map(|e| self.names.id(&m.element(e).meta.name));
        if let Some(s) = end(fl.source) {
            x.insert("source", s);
        }
        if let Some(t) = end(fl.target) {
            x.insert("target", t);
        }
        x.insert("bidirectional", fl.reverse.is_some().to_string());
        x.insert("protocol", fl.protocol.clone());
        list(
            &mut x,
            "carries",
            fl.carries
                .iter()
                .map(|&d| self.names.id(&m.datum(d).meta.name)),
        );
        // A request's `returns` is its response direction's data.
        if let Some(response) = fl.reverse.map(|r| m.flow(r)).filter(|r| r.is_response) {
            list(
                &mut x,
                "returns",
                response
                    .carries
                    .iter()
                    .map(|&d| self.names.id(&m.datum(d).meta.name)),
            );
        }
        x.insert("authenticated", fl.authenticated.to_string());
        x.insert(
            "auth",
            fl.auth
                .map_or(ward_model::UNSPECIFIED, |a| a.as_str())
                .to_string(),
        );
        x.insert("server_authenticated", fl.server_authenticated.to_string());
        if let Some(v) = fl.tls_version {
            x.insert("tls_version", v.to_string());
        }
        if let Some(i) = fl.identity {
            x.insert("identity", i.to_string());
        }
        x.insert("encrypted", fl.encrypted.to_string());
        x.insert("integrity_protected", fl.integrity_protected.to_string());
        opt(&mut x, "out_of_scope", &fl.out_of_scope);
        x
    }

    fn control(&self, c: &Control) -> Facts {
        let mut x = self.common(&c.meta);
        x.insert("id", c.requirement_id.clone());
        x.insert("category", c.category.to_string());
        x.insert("requirement", c.requirement.clone());
        list(
            &mut x,
            "mitigates",
            c.mitigates.iter().map(|t| self.threat_key(t.key)),
        );
        x.insert("reduces", c.reduces.to_string());
        x.insert("independent", c.independent.to_string());
        if let Some(l) = c.residual_exploitability {
            x.insert("residual_exploitability", self.exploitability(l));
        }
        list(
            &mut x,
            "limits",
            c.limits
                .iter()
                .map(|&(h, l)| format!("{}: {}", self.hazard(h), self.severity(l))),
        );
        if let Some(o) = c.option {
            x.insert("option", o.to_string());
        }
        opt(&mut x, "acceptance", &c.acceptance);
        list(
            &mut x,
            "implemented_in",
            c.implemented_in
                .iter()
                .map(|&e| self.names.id(&self.model.element(e).meta.name)),
        );
        list(
            &mut x,
            "verification",
            c.verification.iter().map(|v| match v {
                VerificationItem::Ref { verification, .. } => {
                    self.names
                        .id(&self.model.verification(*verification).meta.name)
                }
                VerificationItem::Inline { method, text, .. } => format!("{method} {text:?}"),
            }),
        );
        x.insert("status", c.status.to_string());
        x
    }

    fn hazards(&self, x: &mut Facts, h: &PropertyHazards) {
        for (key, ids) in [
            ("hazards.confidentiality", &h.confidentiality),
            ("hazards.integrity", &h.integrity),
            ("hazards.availability", &h.availability),
        ] {
            list(x, key, ids.iter().map(|&h| self.hazard(h)));
        }
    }

    fn hazard(&self, h: HazardId) -> String {
        self.names.id(&self.model.hazard(h).meta.name)
    }
    fn target(&self, t: Target) -> String {
        self.names.id(self.model.target_name(t))
    }
    fn node(&self, n: NodeRef) -> String {
        let m = self.model;
        self.names.id(match n {
            NodeRef::Zone(z) => &m.zone(z).meta.name,
            NodeRef::Element(e) => &m.element(e).meta.name,
            NodeRef::Flow(f) => &m.flow(f).meta.name,
        })
    }
    fn threat_key(&self, key: ThreatKey) -> String {
        self.names.id(&self.model.threat_key_name(key))
    }
    fn severity(&self, l: Level) -> String {
        level_name(&self.model.policy().severity, l)
    }
    fn exploitability(&self, l: Level) -> String {
        level_name(&self.model.policy().exploitability, l)
    }
}

/// A level by the scale's name for it.
pub fn level_name(scale: &[String], l: Level) -> String {
    scale
        .get(l.0 as usize)
        .cloned()
        .unwrap_or_else(|| l.0.to_string())
}

fn opt(x: &mut Facts, key: &'static str, value: &Option<String>) {
    if let Some(v) = value {
        x.insert(key, v.clone());
    }
}

/// A list as `[a, b]`; an empty list is left out, like an unset field.
fn list(x: &mut Facts, key: &'static str, values: impl Iterator<Item = String>) {
    let values: Vec<String> = values.collect();
    if !values.is_empty() {
        x.insert(key, format!("[{}]", values.join(", ")));
    }
}
