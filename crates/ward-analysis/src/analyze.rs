//! `analyze`: enumerate threats, score them, find paths and multi-patient
//! reach, check coverage, and derive the findings.

use crate::coverage::coverage;
use crate::eval::Evaluator;
use crate::findings::findings;
use crate::graph::ModelGraph;
use crate::multi_patient::{multi_patient, MultiPatient};
use crate::paths::{self, attack_paths, PathIndex};
use crate::risk;
use crate::rules::{generated_threats, hand_threats, ThreatSeed};
use crate::types::{Acceptance, Analysis, ElementFacts, FlowFacts, JudgedOn, ThreatAnalysis};
use std::collections::HashMap;
use ward_model::{AcceptId, ControlId, DispositionId, ElementId, FlowId, Model, ThreatKey};

/// Analyses a compiled model only when it compiles without errors, else
/// `None`: risk derived from a broken model would be wrong (spec §3). The
/// one place this is decided; `ward check`, `ward build` and the language
/// server all ask here, so the editor shows what the command line would.
pub fn analyze_compiled(compiled: &ward_model::Compiled) -> Option<Analysis> {
    (!compiled.has_errors()).then(|| analyze(&compiled.model))
}

/// Analyses a model: every threat with its risk before and after controls,
/// attack paths, multi-patient reach, FDA coverage and the findings.
/// When the rules generate more threats than the model's budget, the
/// analysis stops there: no threats or paths, one E0420 finding.
pub fn analyze(model: &Model) -> Analysis {
    let graph = ModelGraph::new(model);
    let eval = Evaluator::new(&graph);
    let generated = generated_threats(model, &eval);
    let reach = multi_patient(&graph);
    let evidence = crate::evidence::evidence(model);
    let (threats, paths, over_budget) = match generated {
        Ok(generated) => {
            // The generated threats are most of them: the others join their
            // vector rather than it being copied. Sorted by id, then origin
            // (hand, rule, vulnerability), as if concatenated in that order.
            let mut seeds = generated;
            seeds.extend(hand_threats(model));
            seeds.extend(crate::vulnerabilities::vulnerability_threats(model));
            ward_diagnostics::sort_large_by(&mut seeds, |a, b| {
                (&a.id, a.origin as u8).cmp(&(&b.id, b.origin as u8))
            });
            let path_index = attack_paths(&graph);
            let links = Links::new(model);
            let threats: Vec<ThreatAnalysis> = seeds
                .into_iter()
                .map(|seed| assess(&graph, &links, &reach, &path_index, &evidence, seed))
                .collect();
            (threats, path_index.paths, None)
        }
        Err(over) => (Vec::new(), Vec::new(), Some(over.diagnostic(model))),
    };

    let elements = (0..model.elements.len())
        .map(|i| {
            let id = ElementId(i as u32);
            let info = graph.element(id);
            ElementFacts {
                element: id,
                crosses_boundary: graph
                    .flows_touching(id)
                    .any(|f| graph.flow(f).crosses_boundary),
                exposed: info.exposed,
                entry: graph.is_entry(id),
                multi_patient: reach.elements[i],
                flows_in: info.flows_in.clone(),
                flows_out: info.flows_out.clone(),
            }
        })
        .collect();
    let flows = (0..model.flows.len())
        .map(|i| {
            let id = FlowId(i as u32);
            let info = graph.flow(id);
            FlowFacts {
                flow: id,
                crosses_boundary: info.crosses_boundary,
                from_lower_trust: info.from_lower_trust,
                multi_patient: reach.flows[i],
            }
        })
        .collect();
    let coverage = coverage(model);
    let mut analysis = Analysis {
        stage: model.stage,
        judged_on: JudgedOn::of(model),
        threats,
        elements,
        flows,
        paths,
        coverage,
        evidence,
        findings: Vec::new(),
        within_budget: over_budget.is_none(),
        approvals: Vec::new(),
        missing_medical_facts: crate::medical_facts::missing_medical_facts(model),
    };
    analysis.approvals = crate::approvals::approval_states(model, &analysis);
    analysis.findings = match over_budget {
        Some(diagnostic) => vec![diagnostic],
        None => findings(model, &analysis),
    };
    analysis
}

/// Which controls name each threat, and which `accept` accepts it.
pub(crate) struct Links {
    pub mitigated_by: HashMap<ThreatKey, Vec<ControlId>>,
    pub accepted_by: HashMap<ThreatKey, AcceptId>,
    pub disposed_by: HashMap<ThreatKey, DispositionId>,
}

impl Links {
    pub fn new(model: &Model) -> Links {
        let mut mitigated_by: HashMap<ThreatKey, Vec<ControlId>> = HashMap::new();
        for (i, control) in model.controls.iter().enumerate() {
            for reference in &control.mitigates {
                let list = mitigated_by.entry(reference.key).or_default();
                let id = ControlId(i as u32);
                if !list.contains(&id) {
                    list.push(id);
                }
            }
        }
        let mut accepted_by = HashMap::new();
        for (i, accept) in model.accepts.iter().enumerate() {
            for reference in &accept.threats {
                // Accepting a threat twice is a compile error; the first counts.
                accepted_by
                    .entry(reference.key)
                    .or_insert(AcceptId(i as u32));
            }
        }
        let mut disposed_by = HashMap::new();
        for (i, disposition) in model.dispositions.iter().enumerate() {
            if let Some(reference) = &disposition.threat {
                // Two dispositions of a threat are a compile error; the first counts.
                disposed_by
                    .entry(reference.key)
                    .or_insert(DispositionId(i as u32));
            }
        }
        Links {
            mitigated_by,
            accepted_by,
            disposed_by,
        }
    }
}

fn assess(
    graph: &ModelGraph,
    links: &Links,
    reach: &MultiPatient,
    path_index: &PathIndex,
    evidence: &[crate::evidence::ControlEvidence],
    seed: ThreatSeed,
) -> ThreatAnalysis {
    let model = graph.model;
    let policy = model.policy();
    let broken = risk::broken_within(&seed.stride, &seed.affects, seed.detection_gap);
    let affected_data = risk::affected_data_within(graph, &seed.targets, &seed.affects);
    let hazards = if seed.detection_gap {
        seed.own_hazards.clone()
    } else {
        risk::hazards(
            model,
            &seed.own_hazards,
            &broken,
            &affected_data,
            &seed.targets,
        )
    };
    let severity = risk::highest_severity(model, &hazards);
    let stated_impact = seed.threat.and_then(|t| model.threat(t).impact);
    let impact = stated_impact.unwrap_or_else(|| risk::impact(model, &broken, &affected_data));
    let initial = risk::score(policy, impact, severity, seed.exploitability);

    let controls = links
        .mitigated_by
        .get(&seed.key)
        .cloned()
        .unwrap_or_default();
    let verified_controls: Vec<ControlId> = controls
        .iter()
        .copied()
        .filter(|c| evidence[c.index()].verified)
        .collect();
    let planned = risk::residual(model, &controls, seed.exploitability, impact, &hazards);
    let verified = risk::residual(
        model,
        &verified_controls,
        seed.exploitability,
        impact,
        &hazards,
    );
    let judged = match JudgedOn::of(model) {
        JudgedOn::Planned => planned.risk.overall,
        JudgedOn::Verified => verified.risk.overall,
    };
    let transferred = controls
        .iter()
        .any(|c| model.control(*c).is_information_for_safety());
    let acceptance = links.accepted_by.get(&seed.key).map(|&accept| {
        let level = model.accept(accept).level;
        Acceptance {
            accept,
            level,
            stale: level != judged,
        }
    });
    let disposition = links
        .disposed_by
        .get(&seed.key)
        .map(|&id| crate::dispositions::judge(model, id, &seed.targets));

    // The downstream reach is recorded only when it is why the threat is
    // multi-patient (its targets are not already).
    let by_target = seed.targets.iter().any(|t| reach.target(*t));
    let shared_reached = match by_target {
        true => None,
        false => reach.shared_reached(model, &broken, &seed.targets),
    };
    let proximity = paths::proximity_start(model, seed.attack_vector, &seed.targets);
    // A proximity attacker starts in the target's zone, on no modelled path.
    let paths = match proximity {
        Some(_) => Vec::new(),
        None => path_index.containing(&seed.targets),
    };
    ThreatAnalysis {
        multi_patient: by_target || shared_reached.is_some(),
        shared_reached,
        attack_vector: seed.attack_vector,
        proximity,
        paths,
        id: seed.id,
        title: seed.title,
        key: seed.key,
        origin: seed.origin,
        rule: seed.rule,
        stride: seed.stride,
        targets: seed.targets,
        affected_data,
        broken,
        detection_gap: seed.detection_gap,
        hazards,
        severity,
        exploitability: seed.exploitability,
        exploitability_source: seed.exploitability_source,
        impact,
        impact_by_hand: stated_impact.is_some(),
        initial,
        controls,
        planned,
        verified,
        judged,
        controlled: policy.is_controlled(judged),
        transferred,
        acceptance,
        disposition,
        capec: seed.capec,
        cwe: seed.cwe,
        suggest: seed.suggest,
        span: seed.span,
        threat: seed.threat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use crate::types::AttackPath;
    use ward_model::{ActorKind, CiaLevel::*, ComponentKind, DataKind, Stride, Target, Trust};

    /// A model of `sites` sites, each a patient's home (phone, app, pump) and
    /// a clinic gateway, all talking to a few shared cloud services.
    fn large_model(sites: usize, fleet_commands: bool) -> TestModel {
        let mut m = TestModel::new();
        let home = m.zone("home", Trust::Untrusted);
        let hw = m.zone("hw", Trust::Trusted);
        let cloud = m.zone("cloud", Trust::Controlled);
        let overdose = m.hazard("overdose", CATASTROPHIC);
        let cmd = m.data_with("cmd", DataKind::Command, [Low, High, High], |d| {
            d.hazards.integrity = vec![overdose]
        });
        let tel = m.data("tel", DataKind::Telemetry, [Medium, Medium, Medium]);
        let api = m.component_with("api", ComponentKind::Service, cloud, |e| {
            e.fleet = ward_model::Fleet::Shared
        });
        let db = m.component("db", ComponentKind::Datastore, cloud);
        m.flow("f_db", api, db, &[tel]);
        for i in 0..sites {
            let patient = m.actor(&format!("patient{i}"), ActorKind::Human, home);
            let app = m.component(&format!("app{i}"), ComponentKind::MobileApp, home);
            let pump = m.component(&format!("pump{i}"), ComponentKind::Device, hw);
            m.flow(&format!("f_use{i}"), patient, app, &[]);
            let f = m.flow(&format!("f_dose{i}"), app, pump, &[cmd]);
            m.flow(&format!("f_up{i}"), app, api, &[tel]);
            m.flow(&format!("f_status{i}"), pump, app, &[tel]);
            if fleet_commands {
                m.flow(&format!("f_remote{i}"), api, pump, &[cmd]);
            }
            m.threat(
                &format!("t{i}"),
                &[Stride::Tampering],
                &[Target::Flow(f)],
                HIGH,
            );
        }
        m
    }

    #[test]
    fn large_models_stay_linear() {
        // 3,400 sites: 10,202 elements, 13,601 flows.
        let m = large_model(3400, false);
        let start = std::time::Instant::now();
        let analysis = analyze(&m.model);
        let elapsed = start.elapsed();
        assert_eq!(analysis.threats.len(), 3400);
        // Each app (an entry, which carries commands) and each pump are
        // reached from the patient and the app; the api has no hazard data.
        assert_eq!(analysis.paths.len(), 2 * 3400);
        for path in &analysis.paths {
            assert_eq!(path.entries, 2);
            let is_app = path.target == path.entry;
            assert_eq!(path.flows.len(), if is_app { 0 } else { 1 });
        }
        assert!(elapsed.as_secs() < 30, "analysis took {elapsed:?}");
    }

    #[test]
    fn a_fleet_reaching_every_pump_keeps_one_path_per_pump() {
        // A shared service commands every pump: every entry reaches every
        // pump, 800 entries x 400 pumps, yet each pump keeps one path (from
        // its own app) and counts all 800 entries.
        let m = large_model(400, true);
        let analysis = analyze(&m.model);
        let pump = |p: &&AttackPath| m.model.element(p.target).meta.name.starts_with("pump");
        let to_pumps: Vec<_> = analysis.paths.iter().filter(pump).collect();
        assert_eq!(to_pumps.len(), 400);
        for path in to_pumps {
            assert_eq!(path.entries, 800);
            assert_eq!(path.flows.len(), 1);
        }
    }
}
