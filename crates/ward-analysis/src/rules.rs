//! Threat enumeration (spec §4.1): the hand-written threats plus one threat
//! per rule match. A rule is evaluated on every element of its `applies_to`
//! kind; a match is the threat `RULE@ELEMENT` with its title rendered.

use crate::eval::{Evaluator, Object};
use crate::types::{ExploitabilitySource, Origin};
use ward_diagnostics::Span;
use ward_model::{
    ControlCategory, ElementId, Exploitability, FlowId, HazardId, Level, Model, RuleId, RuleTarget,
    Stride, Target, ThreatId, ThreatKey,
};

/// A threat before scoring: what it is and what it targets.
#[derive(Clone, Debug)]
pub struct ThreatSeed {
    pub key: ThreatKey,
    pub id: String,
    pub title: String,
    pub origin: Origin,
    pub rule: Option<String>,
    pub stride: Vec<Stride>,
    pub targets: Vec<Target>,
    /// A hand-written threat's own `hazards`.
    pub own_hazards: Vec<HazardId>,
    pub exploitability: Level,
    pub exploitability_source: ExploitabilitySource,
    pub capec: Vec<u32>,
    pub cwe: Vec<u32>,
    pub suggest: Vec<ControlCategory>,
    pub span: Span,
    pub threat: Option<ThreatId>,
}

/// The hand-written threats.
pub fn hand_threats(model: &Model) -> Vec<ThreatSeed> {
    model
        .threats
        .iter()
        .enumerate()
        .map(|(index, threat)| {
            let id = ThreatId(index as u32);
            let exploitability_source = match &threat.exploitability {
                Exploitability::Level { .. } => ExploitabilitySource::Hand,
                Exploitability::Cvss {
                    vector,
                    base_score,
                    exploitability_subscore,
                    ..
                } => ExploitabilitySource::Cvss {
                    vector: vector.clone(),
                    base_score: *base_score,
                    exploitability_subscore: *exploitability_subscore,
                },
            };
            ThreatSeed {
                key: ThreatKey::Hand { threat: id },
                id: threat.meta.name.clone(),
                title: threat.meta.title.clone(),
                origin: Origin::Hand,
                rule: None,
                stride: threat.stride.clone(),
                targets: threat.targets.clone(),
                own_hazards: threat.hazards.clone(),
                exploitability: threat.exploitability.level(),
                exploitability_source,
                capec: threat.capec.clone(),
                cwe: threat.cwe.clone(),
                suggest: Vec::new(),
                span: threat.meta.name_span,
                threat: Some(id),
            }
        })
        .collect()
}

/// The subjects a rule is evaluated on.
pub fn subjects(model: &Model, applies_to: RuleTarget) -> Vec<Target> {
    match applies_to {
        RuleTarget::Flow => (0..model.flows.len())
            .map(|i| Target::Flow(FlowId(i as u32)))
            .collect(),
        RuleTarget::Component | RuleTarget::Actor => model
            .elements
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind.rule_target() == applies_to)
            .map(|(i, _)| Target::Element(ElementId(i as u32)))
            .collect(),
    }
}

/// Every rule match, as threats.
pub fn generated_threats(model: &Model, eval: &Evaluator) -> Vec<ThreatSeed> {
    let mut out = Vec::new();
    for (index, rule) in model.rules.iter().enumerate() {
        let rule_id = RuleId(index as u32);
        for target in subjects(model, rule.applies_to) {
            let subject = Object::from(target);
            if !eval.holds(&rule.when, subject) {
                continue;
            }
            out.push(ThreatSeed {
                key: ThreatKey::Generated {
                    rule: rule_id,
                    element: target,
                },
                id: format!("{}@{}", rule.meta.name, model.target_name(target)),
                title: eval.render_title(&rule.template, subject),
                origin: Origin::Rule,
                rule: Some(rule.meta.name.clone()),
                stride: rule.stride.clone(),
                targets: vec![target],
                own_hazards: Vec::new(),
                exploitability: rule.exploitability,
                exploitability_source: ExploitabilitySource::Rule {
                    rule: rule_id,
                    from_stdlib: rule.from_stdlib,
                },
                capec: rule.capec.clone(),
                cwe: rule.cwe.clone(),
                suggest: rule.suggest.clone(),
                span: target_span(model, target),
                threat: None,
            });
        }
    }
    out
}

/// The id span of an element's or flow's declaration.
pub fn target_span(model: &Model, target: Target) -> Span {
    match target {
        Target::Element(e) => model.element(e).meta.name_span,
        Target::Flow(f) => model.flow(f).meta.name_span,
    }
}
