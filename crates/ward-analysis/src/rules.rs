//! Threat enumeration (spec §4.1): the hand-written threats plus one threat
//! per rule match. A rule is evaluated on every element of its `applies_to`
//! kind; a match is the threat `RULE@ELEMENT` with its title rendered.
//! Matches grow as rules x elements, so generation stops at a budget that
//! grows with the model's elements and flows (E0420).

use crate::eval::{Evaluator, Object};
use crate::types::{ExploitabilitySource, Origin};
use ward_diagnostics::{Diagnostic, Span};
use ward_model::{
    Affects, AttackVector, ControlCategory, ElementId, Exploitability, FlowId, HazardId, Level,
    Model, Rule, RuleGroupBy, RuleId, RulePer, RuleTarget, Stride, Target, ThreatId, ThreatKey,
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
    /// What it can affect: its rule's `affects`, or its CVSS impact metrics.
    pub affects: Affects,
    /// Its rule declares `detection_gap: true`.
    pub detection_gap: bool,
    pub exploitability: Level,
    pub exploitability_source: ExploitabilitySource,
    /// The rule's, or a hand-written threat's CVSS AV (else `network`).
    pub attack_vector: AttackVector,
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
            let (exploitability_source, affects) = match &threat.exploitability {
                Exploitability::Level { .. } => (ExploitabilitySource::Hand, Affects::default()),
                Exploitability::Cvss {
                    vector,
                    base_score,
                    exploitability_subscore,
                    impacted,
                    ..
                } => (
                    ExploitabilitySource::Cvss {
                        vector: vector.clone(),
                        base_score: *base_score,
                        exploitability_subscore: *exploitability_subscore,
                    },
                    Affects {
                        properties: Some(impacted.clone()),
                        kinds: None,
                    },
                ),
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
                affects,
                detection_gap: false,
                exploitability: threat.exploitability.level(),
                exploitability_source,
                attack_vector: threat.exploitability.attack_vector(),
                capec: threat.capec.clone(),
                cwe: threat.cwe.clone(),
                suggest: Vec::new(),
                span: threat.meta.name_span,
                threat: Some(id),
            }
        })
        .collect()
}

/// The subjects a rule is evaluated on: those in scope ([`Model::in_scope`]).
pub fn subjects(model: &Model, applies_to: RuleTarget) -> Vec<Target> {
    let all: Vec<Target> = match applies_to {
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
    };
    all.into_iter().filter(|&t| model.in_scope(t)).collect()
}

/// The generated threats every model may have, however small.
pub const THREAT_BUDGET_BASE: usize = 50_000;
/// The generated threats each element and flow adds to the budget. The
/// N = 10,000 benchmark model (40,000 elements and flows) generates about
/// 91,000 threats, 2.3 per element and flow; its budget is 450,000.
pub const THREAT_BUDGET_PER_SUBJECT: usize = 10;
/// How many rules an E0420 names.
const TOP_RULES: usize = 5;

/// The most generated threats `model` may have: linear in its size, so
/// that time and memory stay linear however many rules match.
pub fn threat_budget(model: &Model) -> usize {
    THREAT_BUDGET_BASE + THREAT_BUDGET_PER_SUBJECT * (model.elements.len() + model.flows.len())
}

/// The rule evaluations every model may make, however small.
pub const EVALUATION_BUDGET_BASE: usize = 10_000_000;
/// The rule evaluations each element and flow adds to the budget. The
/// N = 10,000 benchmark model makes about 1,200,000 (71 standard rules on
/// 10,000 components, 2,000 actors and 30,000 flows); its budget is over
/// 14,000,000.
pub const EVALUATION_BUDGET_PER_SUBJECT: usize = 100;

/// The most rule evaluations `model` may make (E0421): each rule is
/// evaluated on every element of its kind, rules x elements, so this too
/// is linear in the model's size.
pub fn evaluation_budget(model: &Model) -> usize {
    EVALUATION_BUDGET_BASE
        + EVALUATION_BUDGET_PER_SUBJECT * (model.elements.len() + model.flows.len())
}

/// The generation the budget stopped.
#[derive(Clone, Debug)]
pub enum OverBudget {
    /// Generation stopped at the threat budget: how many threats each rule
    /// had generated by then.
    Threats {
        budget: usize,
        per_rule: Vec<(RuleId, usize)>,
    },
    /// The rules would be evaluated more often than the budget allows;
    /// nothing was evaluated.
    Evaluations { budget: usize, evaluations: usize },
}

impl OverBudget {
    pub fn diagnostic(&self, model: &Model) -> Diagnostic {
        match self {
            OverBudget::Threats { budget, per_rule } => {
                threats_over_budget(model, *budget, per_rule)
            }
            OverBudget::Evaluations {
                budget,
                evaluations,
            } => evaluations_over_budget(model, *budget, *evaluations),
        }
    }
}

/// E0420 at the rule that generated the most, naming the top few.
fn threats_over_budget(model: &Model, budget: usize, per_rule: &[(RuleId, usize)]) -> Diagnostic {
    let mut top: Vec<(RuleId, usize)> = per_rule.iter().copied().filter(|(_, n)| *n > 0).collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top.truncate(TOP_RULES);
    let (first, _) = top[0];
    let rule = |id: RuleId| &model.rules[id.0 as usize];
    let mut diagnostic = Diagnostic::error(
        crate::codes::THREAT_BUDGET,
        rule(first).meta.name_span,
        format!("the rules generate more than {budget} threats, the budget of this model"),
    )
    .with_primary_label("generates the most threats")
    .with_help(format!(
        "rules match every element of their kind unless `when` narrows them; the budget is {THREAT_BUDGET_BASE} plus {THREAT_BUDGET_PER_SUBJECT} per element and flow"
    ));
    for (id, count) in &top {
        diagnostic = diagnostic.with_note(format!(
            "rule `{}` generated {count} threats before the analysis stopped",
            rule(*id).meta.name
        ));
    }
    diagnostic
}

/// E0421 at the first rule declared in the model's own files (else the
/// first rule), with the rules and subjects of each kind.
fn evaluations_over_budget(model: &Model, budget: usize, evaluations: usize) -> Diagnostic {
    let first = model
        .rules
        .iter()
        .find(|r| !r.from_stdlib)
        .unwrap_or(&model.rules[0]);
    let mut diagnostic = Diagnostic::error(
        crate::codes::EVALUATION_BUDGET,
        first.meta.name_span,
        format!(
            "the rules would be evaluated {evaluations} times, more than {budget}, the budget of this model"
        ),
    )
    .with_primary_label("one of the rules")
    .with_help(format!(
        "each rule is evaluated on every element of its `applies_to` kind; the budget is {EVALUATION_BUDGET_BASE} plus {EVALUATION_BUDGET_PER_SUBJECT} per element and flow"
    ));
    for kind in [RuleTarget::Component, RuleTarget::Actor, RuleTarget::Flow] {
        let rules = model.rules.iter().filter(|r| r.applies_to == kind).count();
        if rules > 0 {
            diagnostic = diagnostic.with_note(
                format!(
                    "{rules} rules apply to {kind:?}s, of which the model has {}",
                    subjects(model, kind).len()
                )
                .to_lowercase(),
            );
        }
    }
    diagnostic
}

/// How many times the rules are evaluated: each on every subject of its kind.
fn evaluations(model: &Model) -> usize {
    let mut per_kind = [0usize; 3];
    for element in &model.elements {
        match element.kind.rule_target() {
            RuleTarget::Component => per_kind[0] += 1,
            RuleTarget::Actor => per_kind[1] += 1,
            RuleTarget::Flow => per_kind[2] += 1,
        }
    }
    per_kind[2] = model.flows.len();
    model
        .rules
        .iter()
        .map(|rule| match rule.applies_to {
            RuleTarget::Component => per_kind[0],
            RuleTarget::Actor => per_kind[1],
            RuleTarget::Flow => per_kind[2],
        })
        .sum()
}

/// Every rule match, as threats, within the model's [`evaluation_budget`]
/// and [`threat_budget`].
pub fn generated_threats(model: &Model, eval: &Evaluator) -> Result<Vec<ThreatSeed>, OverBudget> {
    let (evaluations, budget) = (evaluations(model), evaluation_budget(model));
    if evaluations > budget {
        return Err(OverBudget::Evaluations {
            budget,
            evaluations,
        });
    }
    generated_threats_within(model, eval, threat_budget(model))
}

/// Every rule match, as threats; `Err` at match `budget + 1` (counted).
pub fn generated_threats_within(
    model: &Model,
    eval: &Evaluator,
    budget: usize,
) -> Result<Vec<ThreatSeed>, OverBudget> {
    let mut out = Vec::new();
    let mut matched = 0;
    let mut per_rule = Vec::with_capacity(model.rules.len());
    // Each kind's subjects once, not once per rule.
    let kinds = [RuleTarget::Component, RuleTarget::Actor, RuleTarget::Flow];
    let subjects_of_kind = kinds.map(|kind| subjects(model, kind));
    for (index, rule) in model.rules.iter().enumerate() {
        let rule_id = RuleId(index as u32);
        per_rule.push((rule_id, 0));
        let mut matches = Vec::new();
        let of_kind = kinds.iter().position(|&kind| kind == rule.applies_to);
        for &target in of_kind.map_or(&[][..], |i| &subjects_of_kind[i]) {
            if !eval.holds(&rule.when, Object::from(target)) {
                continue;
            }
            per_rule[index].1 += 1;
            if matched == budget {
                return Err(OverBudget::Threats { budget, per_rule });
            }
            matched += 1;
            matches.push(target);
        }
        for (key, members) in kept_threats(model, rule, &matches) {
            let title = match rule.group_by {
                Some(_) => {
                    let objects: Vec<Object> = members.iter().map(|&m| Object::from(m)).collect();
                    eval.render_title_over(&rule.template, &objects)
                }
                None if members.len() > 1 => {
                    let directions: Vec<Object> =
                        members.iter().map(|&m| Object::from(m)).collect();
                    eval.render_link_title(&rule.template, Object::from(key), &directions)
                }
                None => eval.render_title(&rule.template, Object::from(key)),
            };
            out.push(ThreatSeed {
                key: ThreatKey::Generated {
                    rule: rule_id,
                    element: key,
                },
                id: format!("{}@{}", rule.meta.name, model.target_name(key)),
                title,
                origin: Origin::Rule,
                rule: Some(rule.meta.name.clone()),
                stride: rule.stride.clone(),
                targets: members,
                own_hazards: Vec::new(),
                affects: rule.affects.clone(),
                detection_gap: rule.detection_gap,
                exploitability: rule.exploitability,
                exploitability_source: ExploitabilitySource::Rule {
                    rule: rule_id,
                    from_stdlib: rule.from_stdlib,
                },
                attack_vector: rule.attack_vector,
                capec: rule.capec.clone(),
                cwe: rule.cwe.clone(),
                suggest: rule.suggest.clone(),
                span: target_span(model, key),
                threat: None,
            });
        }
    }
    Ok(out)
}

/// The threats a rule keeps for its matches, each as the subject its id
/// names and the subjects it targets: one per match, except that a
/// `group_by` rule keeps one per element its flows go into (or come from),
/// and a `per: link` rule one for both directions of a `<->` flow, on the
/// forward flow. Members are sorted by name, so that a grouped title lists
/// its flows in the same order whatever the order of files and
/// declarations.
fn kept_threats(model: &Model, rule: &Rule, matches: &[Target]) -> Vec<(Target, Vec<Target>)> {
    let matched: std::collections::HashSet<Target> = matches.iter().copied().collect();
    let mut kept: Vec<(Target, Vec<Target>)> = Vec::new();
    let mut index: std::collections::HashMap<Target, usize> = std::collections::HashMap::new();
    for &target in matches {
        let key = kept_target(model, rule, target)
            .filter(|key| rule.group_by.is_some() || matched.contains(key))
            .unwrap_or(target);
        match index.get(&key) {
            Some(&i) => kept[i].1.push(target),
            None => {
                index.insert(key, kept.len());
                kept.push((key, vec![target]));
            }
        }
    }
    for (_, members) in &mut kept {
        if members.len() > 1 {
            members.sort_by_cached_key(|&m| model.target_name(m));
        }
    }
    kept
}

/// The subject whose threat a match is part of, when the rule keeps it
/// under another id: the flow's target (or source) element for a flow
/// rule's `group_by`, the runtime a component runs on for `group_by:
/// runs_on`, the forward flow of a `.reverse` for a `per: link` rule.
pub fn kept_target(model: &Model, rule: &Rule, target: Target) -> Option<Target> {
    let flow = match target {
        Target::Flow(flow) => model.flow(flow),
        Target::Element(element) => {
            return match rule.group_by {
                Some(RuleGroupBy::RunsOn) => {
                    model.element(element).security.runs_on.map(Target::Element)
                }
                _ => None,
            }
        }
    };
    match rule.group_by {
        Some(RuleGroupBy::Target) => flow.target.map(Target::Element),
        Some(RuleGroupBy::Source) => flow.source.map(Target::Element),
        Some(RuleGroupBy::RunsOn) => None,
        None if rule.per == RulePer::Link => flow.reverse_of.map(Target::Flow),
        None => None,
    }
}

/// The id span of an element's or flow's declaration.
pub fn target_span(model: &Model, target: Target) -> Span {
    match target {
        Target::Element(e) => model.element(e).meta.name_span,
        Target::Flow(f) => model.flow(f).meta.name_span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::ModelGraph;
    use std::fmt::Write as _;

    /// `rules` rules on components (each matching all) and `components`
    /// components, compiled.
    fn model(rules: usize, components: usize) -> Model {
        let mut text = String::from("system s \"S\" {}\nzone z \"Z\" { trust: untrusted }\n");
        for i in 0..components {
            writeln!(text, "component c{i} \"C\" in z {{ kind: service }}").unwrap();
        }
        for i in 0..rules {
            writeln!(text, "rule r{i} \"R {{id}}\" {{ stride: spoofing, applies_to: component, exploitability: low }}").unwrap();
        }
        let compiled = ward_model::compile_str("main.ward", &text);
        assert!(!compiled.has_errors(), "{:?}", compiled.diagnostics);
        compiled.model
    }

    #[test]
    fn generation_stops_at_the_match_past_the_budget_counting_each_rule() {
        let model = model(10, 10);
        let graph = ModelGraph::new(&model);
        let eval = Evaluator::new(&graph);
        assert_eq!(
            generated_threats_within(&model, &eval, 100).unwrap().len(),
            100
        );
        let Err(OverBudget::Threats { budget, per_rule }) =
            generated_threats_within(&model, &eval, 25)
        else {
            panic!("over the budget");
        };
        assert_eq!(budget, 25);
        let counts: Vec<usize> = per_rule.iter().map(|(_, n)| *n).collect();
        assert_eq!(counts, [10, 10, 6]);
        let diagnostic = OverBudget::Threats { budget, per_rule }.diagnostic(&model);
        assert_eq!(diagnostic.code, crate::codes::THREAT_BUDGET);
        assert_eq!(diagnostic.notes.len(), 3);
        assert!(diagnostic.notes[2].contains("rule `r2` generated 6 threats"));
    }

    #[test]
    fn the_budgets_grow_with_elements_and_flows_and_evaluations_are_rules_times_kind() {
        let model = model(7, 3);
        assert_eq!(
            threat_budget(&model),
            THREAT_BUDGET_BASE + 3 * THREAT_BUDGET_PER_SUBJECT
        );
        assert_eq!(
            evaluation_budget(&model),
            EVALUATION_BUDGET_BASE + 3 * EVALUATION_BUDGET_PER_SUBJECT
        );
        assert_eq!(evaluations(&model), 7 * 3);
    }
}
