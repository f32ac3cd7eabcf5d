//! Risk semantics (spec §4.2-4.7): broken properties, affected data, hazards,
//! security impact, initial security and safety risk, and the residual risk
//! over a set of controls. Each step is a small function of plain inputs.

use crate::graph::ModelGraph;
use crate::types::{BrokenProperty, HazardSeverity, Residual, RiskScore};
use ward_model::{
    Affects, CiaLevel, Control, ControlId, DataId, DataKind, HazardId, Level, Model, Policy,
    SecurityProperty, Stride, Target,
};

/// The properties a set of STRIDE categories breaks (spec §4.2), in C, I, A
/// order. Repudiation alone breaks the integrity of `log` data only.
pub fn broken_properties(stride: &[Stride]) -> Vec<BrokenProperty> {
    let has = |s: Stride| stride.contains(&s);
    let all = has(Stride::ElevationOfPrivilege);
    let mut out = Vec::new();
    if all || has(Stride::InformationDisclosure) {
        out.push(BrokenProperty {
            property: SecurityProperty::Confidentiality,
            log_data_only: false,
        });
    }
    if all || has(Stride::Spoofing) || has(Stride::Tampering) {
        out.push(BrokenProperty {
            property: SecurityProperty::Integrity,
            log_data_only: false,
        });
    } else if has(Stride::Repudiation) {
        out.push(BrokenProperty {
            property: SecurityProperty::Integrity,
            log_data_only: true,
        });
    }
    if all || has(Stride::DenialOfService) {
        out.push(BrokenProperty {
            property: SecurityProperty::Availability,
            log_data_only: false,
        });
    }
    out
}

/// The properties a threat breaks (docs/risk.md §2): the STRIDE-derived
/// ones that `affects` allows. A detection gap (a missing log) breaks the
/// integrity of the unrecorded actions' data, not of logs that do not exist.
pub fn broken_within(
    stride: &[Stride],
    affects: &Affects,
    detection_gap: bool,
) -> Vec<BrokenProperty> {
    broken_properties(stride)
        .into_iter()
        .filter(|b| affects.covers_property(b.property))
        .map(|b| BrokenProperty {
            property: b.property,
            log_data_only: b.log_data_only && !detection_gap,
        })
        .collect()
}

/// The data a threat affects (docs/risk.md §3): [`affected_data`] of the
/// kinds `affects` allows.
pub fn affected_data_within(
    graph: &ModelGraph,
    targets: &[Target],
    affects: &Affects,
) -> Vec<DataId> {
    let mut data = affected_data(graph, targets);
    data.retain(|&d| affects.covers_kind(graph.model.datum(d).kind));
    data
}

/// The data a threat's targets touch (spec §4.3): over its targets, a flow's
/// `carries`; a component's or actor's `stores` plus the data carried by
/// every flow into or out of it; a component's `processes` too (handled,
/// not stored). In data declaration order, each once.
pub fn affected_data(graph: &ModelGraph, targets: &[Target]) -> Vec<DataId> {
    let model = graph.model;
    let mut out = Vec::new();
    for &target in targets {
        match target {
            Target::Flow(f) => out.extend_from_slice(&model.flow(f).carries),
            Target::Element(e) => {
                out.extend(model.element(e).handled_data());
                for f in graph.flows_touching(e) {
                    out.extend_from_slice(&model.flow(f).carries);
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Whether a broken property reaches a data item (repudiation: logs only).
fn reaches(broken: BrokenProperty, kind: DataKind) -> bool {
    !broken.log_data_only || kind == DataKind::Log
}

/// The hazards of a threat (spec §4.4): its own, plus for each broken
/// property the hazards listed under it by the affected data and by each
/// target component's `hazards` block. Integrity broken by repudiation alone
/// reaches `log` data only, so it takes no hazards from components. In
/// hazard declaration order, each once.
pub fn hazards(
    model: &Model,
    own: &[HazardId],
    broken: &[BrokenProperty],
    affected: &[DataId],
    targets: &[Target],
) -> Vec<HazardId> {
    let mut out = own.to_vec();
    for &b in broken {
        for &d in affected {
            let datum = model.datum(d);
            if reaches(b, datum.kind) {
                out.extend_from_slice(datum.hazards.get(b.property));
            }
        }
        if b.log_data_only {
            continue;
        }
        for &target in targets {
            if let Target::Element(e) = target {
                out.extend_from_slice(model.element(e).hazards.get(b.property));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The security impact (spec §4.6): the highest level, among the affected
/// data, of the broken properties; `none` if nothing is affected.
pub fn impact(model: &Model, broken: &[BrokenProperty], affected: &[DataId]) -> CiaLevel {
    let mut impact = CiaLevel::None;
    for &b in broken {
        for &d in affected {
            let datum = model.datum(d);
            if reaches(b, datum.kind) {
                impact = impact.max(datum.level(b.property));
            }
        }
    }
    impact
}

/// The highest severity among hazards.
pub fn highest_severity(model: &Model, hazards: &[HazardId]) -> Option<Level> {
    hazards.iter().map(|h| model.hazard(*h).severity).max()
}

/// Security risk, safety risk (when there is a severity) and the worse of
/// the two (spec §4.6).
pub fn score(
    policy: &Policy,
    impact: CiaLevel,
    severity: Option<Level>,
    exploitability: Level,
) -> RiskScore {
    let security = policy.security_risk(impact, exploitability);
    let safety = severity.map(|s| policy.safety_risk(s, exploitability));
    RiskScore {
        security,
        safety,
        overall: safety.map_or(security, |s| s.max(security)),
    }
}

/// The exploitability levels a set of controls removes (spec §4.7): the
/// largest `reduces` among controls not marked `independent`, plus the
/// `reduces` of each independent one. Items are `(reduces, independent)`.
pub fn reduction(controls: impl IntoIterator<Item = (u32, bool)>) -> u32 {
    let mut largest_dependent = 0u32;
    let mut independent_sum = 0u32;
    for (reduces, independent) in controls {
        if independent {
            independent_sum = independent_sum.saturating_add(reduces);
        } else {
            largest_dependent = largest_dependent.max(reduces);
        }
    }
    largest_dependent.saturating_add(independent_sum)
}

/// The initial level lowered by a reduction, never below the lowest level.
pub fn lowered(initial: Level, reduction: u32) -> Level {
    Level(initial.0.saturating_sub(reduction))
}

/// Residual exploitability (spec §4.7): `lowered`, then the lowest of that
/// and every cap, never above the initial level. Returns the level and the
/// index of the cap that set it (when a cap was below the lowered level).
pub fn residual_exploitability(
    initial: Level,
    reduction: u32,
    caps: impl IntoIterator<Item = Level>,
) -> (Level, Option<usize>) {
    let mut level = lowered(initial, reduction).min(initial);
    let mut capped_by = None;
    for (i, cap) in caps.into_iter().enumerate() {
        if cap < level {
            level = cap;
            capped_by = Some(i);
        }
    }
    (level, capped_by)
}

/// The residual risk of a threat over the given controls (spec §4.7). The
/// caller passes the mitigating controls to count; `information_for_safety`
/// ones are dropped here, as they lower nothing.
pub fn residual(
    model: &Model,
    controls: &[ControlId],
    initial_exploitability: Level,
    impact: CiaLevel,
    hazards: &[HazardId],
) -> Residual {
    let policy = model.policy();
    let counted: Vec<ControlId> = controls
        .iter()
        .copied()
        .filter(|c| !model.control(*c).is_information_for_safety())
        .collect();
    let control = |c: &ControlId| -> &Control { model.control(*c) };
    let reduction = reduction(
        counted
            .iter()
            .map(|c| (control(c).reduces, control(c).independent)),
    );
    // In id order, so that of two equal caps (or limits) the same control
    // is named whatever the declaration order or file split.
    let mut by_id = counted.clone();
    by_id.sort_by(|a, b| control(a).meta.name.cmp(&control(b).meta.name));
    let capping: Vec<(ControlId, Level)> = by_id
        .iter()
        .filter_map(|c| control(c).residual_exploitability.map(|l| (*c, l)))
        .collect();
    let (exploitability, cap_index) = residual_exploitability(
        initial_exploitability,
        reduction,
        capping.iter().map(|(_, l)| *l),
    );
    let capped_by = cap_index.map(|i| capping[i].0);
    let severities: Vec<HazardSeverity> = hazards
        .iter()
        .map(|&hazard| {
            let mut severity = model.hazard(hazard).severity;
            let mut limited_by = None;
            for c in &by_id {
                for &(limited, cap) in &control(c).limits {
                    if limited == hazard && cap < severity {
                        severity = cap;
                        limited_by = Some(*c);
                    }
                }
            }
            HazardSeverity {
                hazard,
                severity,
                limited_by,
                safety_risk: policy.safety_risk(severity, exploitability),
            }
        })
        .collect();
    let severity = severities.iter().map(|h| h.severity).max();
    Residual {
        controls: counted,
        reduction,
        lowered: lowered(initial_exploitability, reduction),
        exploitability,
        capped_by,
        severities,
        severity,
        risk: score(policy, impact, severity, exploitability),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use crate::types::BrokenProperty;
    use ward_model::{CiaLevel::*, ComponentKind, RiskLevel, SecurityProperty as P, Trust};

    fn b(property: P, log_data_only: bool) -> BrokenProperty {
        BrokenProperty {
            property,
            log_data_only,
        }
    }

    #[test]
    fn matrices_are_looked_up_by_impact_severity_and_exploitability() {
        let policy = std_policy();
        let s = score(&policy, High, Some(CATASTROPHIC), MODERATE);
        assert_eq!(s.security, RiskLevel::Review);
        assert_eq!(s.safety, Some(RiskLevel::Unacceptable));
        assert_eq!(s.overall, RiskLevel::Unacceptable);
        let s = score(&policy, Medium, Option::None, VERY_HIGH);
        assert_eq!(
            (s.security, s.safety, s.overall),
            (
                RiskLevel::Unacceptable,
                Option::None,
                RiskLevel::Unacceptable
            )
        );
        let s = score(&policy, High, Some(NEGLIGIBLE), VERY_LOW);
        assert_eq!(
            (s.security, s.safety, s.overall),
            (
                RiskLevel::Acceptable,
                Some(RiskLevel::Acceptable),
                RiskLevel::Acceptable
            )
        );
        // The worse of the two, whichever it is.
        let s = score(&policy, High, Some(MINOR), HIGH);
        assert_eq!(
            (s.security, s.safety, s.overall),
            (
                RiskLevel::Unacceptable,
                Some(RiskLevel::Review),
                RiskLevel::Unacceptable
            )
        );
    }

    #[test]
    fn stride_breaks_properties() {
        use Stride::*;
        assert_eq!(broken_properties(&[Spoofing]), vec![b(P::Integrity, false)]);
        assert_eq!(
            broken_properties(&[Tampering]),
            vec![b(P::Integrity, false)]
        );
        assert_eq!(
            broken_properties(&[InformationDisclosure]),
            vec![b(P::Confidentiality, false)]
        );
        assert_eq!(
            broken_properties(&[DenialOfService]),
            vec![b(P::Availability, false)]
        );
        assert_eq!(
            broken_properties(&[ElevationOfPrivilege]),
            vec![
                b(P::Confidentiality, false),
                b(P::Integrity, false),
                b(P::Availability, false)
            ]
        );
        assert_eq!(
            broken_properties(&[Repudiation]),
            vec![b(P::Integrity, true)]
        );
        // Tampering widens repudiation's integrity to all data.
        assert_eq!(
            broken_properties(&[Repudiation, Tampering]),
            vec![b(P::Integrity, false)]
        );
        assert_eq!(broken_properties(&[]), vec![]);
    }

    #[test]
    fn affects_narrows_stride_and_a_detection_gap_lifts_the_log_only_rule() {
        use Stride::*;
        let affects = |properties: Option<Vec<P>>| Affects {
            properties,
            kinds: Option::None,
        };
        // Elevation of privilege narrowed to availability.
        assert_eq!(
            broken_within(
                &[ElevationOfPrivilege],
                &affects(Some(vec![P::Availability])),
                false
            ),
            vec![b(P::Availability, false)]
        );
        // An intersection: a property STRIDE does not break is not added.
        assert_eq!(
            broken_within(&[Spoofing], &affects(Some(vec![P::Availability])), false),
            vec![]
        );
        // Kinds only, or nothing: every STRIDE-derived property.
        assert_eq!(
            broken_within(&[Tampering], &Affects::default(), false),
            vec![b(P::Integrity, false)]
        );
        // Repudiation: logs only, unless the log is what is missing.
        assert_eq!(
            broken_within(&[Repudiation], &Affects::default(), false),
            vec![b(P::Integrity, true)]
        );
        assert_eq!(
            broken_within(&[Repudiation], &affects(Some(vec![P::Integrity])), true),
            vec![b(P::Integrity, false)]
        );
    }

    #[test]
    fn affects_kinds_keep_only_the_data_of_those_kinds() {
        let mut m = TestModel::new();
        let z = m.zone("z", Trust::Trusted);
        let cmd = m.data("cmd", DataKind::Command, [None, High, High]);
        let fw = m.data("fw", DataKind::Firmware, [None, High, None]);
        let key = m.data("key", DataKind::Credential, [High, High, None]);
        let a = m.component("a", ComponentKind::Service, z);
        let pump = m.component_with("pump", ComponentKind::Device, z, |e| e.stores = vec![key]);
        let f = m.flow("f", a, pump, &[cmd, fw]);
        let graph = ModelGraph::new(&m.model);
        let kinds = |kinds: Vec<DataKind>| Affects {
            properties: Option::None,
            kinds: Some(kinds),
        };
        assert_eq!(
            affected_data_within(&graph, &[Target::Flow(f)], &kinds(vec![DataKind::Firmware])),
            vec![fw]
        );
        assert_eq!(
            affected_data_within(
                &graph,
                &[Target::Element(pump)],
                &kinds(vec![DataKind::Credential, DataKind::Command])
            ),
            vec![cmd, key]
        );
        assert_eq!(
            affected_data_within(&graph, &[Target::Element(pump)], &Affects::default()),
            vec![cmd, fw, key]
        );
    }

    #[test]
    fn affected_data_of_flows_and_of_elements_with_their_flows() {
        let mut m = TestModel::new();
        let z = m.zone("z", Trust::Trusted);
        let (d1, d2, d3, d4) = (
            m.data("d1", DataKind::Command, [None, High, High]),
            m.data("d2", DataKind::Phi, [High, Low, None]),
            m.data("d3", DataKind::Log, [None, Low, None]),
            m.data("d4", DataKind::Other, [None, None, None]),
        );
        let a = m.component("a", ComponentKind::Service, z);
        let b = m.component_with("b", ComponentKind::Device, z, |e| e.stores = vec![d3]);
        let c = m.component("c", ComponentKind::Service, z);
        let f1 = m.flow("f1", a, b, &[d2, d1]);
        m.flow("f2", b, c, &[d1]);
        m.flow("f3", a, c, &[d4]);
        let graph = ModelGraph::new(&m.model);
        assert_eq!(affected_data(&graph, &[Target::Flow(f1)]), vec![d1, d2]);
        assert_eq!(
            affected_data(&graph, &[Target::Element(b)]),
            vec![d1, d2, d3]
        );
        assert_eq!(
            affected_data(&graph, &[Target::Element(c), Target::Flow(f1)]),
            vec![d1, d2, d4]
        );
    }

    #[test]
    fn hazards_come_from_own_list_data_and_target_components_per_broken_property() {
        let mut m = TestModel::new();
        let z = m.zone("z", Trust::Trusted);
        let (overdose, leak, missed, lost_log, pump_fail) = (
            m.hazard("overdose", CATASTROPHIC),
            m.hazard("leak", MINOR),
            m.hazard("missed", CRITICAL),
            m.hazard("lost_log", SERIOUS),
            m.hazard("pump_fail", CRITICAL),
        );
        let dose = m.data_with("dose", DataKind::Command, [Low, High, High], |d| {
            d.hazards.integrity = vec![overdose];
            d.hazards.confidentiality = vec![leak];
            d.hazards.availability = vec![missed];
        });
        let log = m.data_with("log", DataKind::Log, [None, Medium, None], |d| {
            d.hazards.integrity = vec![lost_log]
        });
        let pump = m.component_with("pump", ComponentKind::Device, z, |e| {
            e.stores = vec![log];
            e.hazards.integrity = vec![pump_fail];
        });
        let affected = vec![dose, log];
        let targets = [Target::Element(pump)];
        let tampering = broken_properties(&[Stride::Tampering]);
        assert_eq!(
            hazards(&m.model, &[], &tampering, &affected, &targets),
            vec![overdose, lost_log, pump_fail]
        );
        let disclosure = broken_properties(&[Stride::InformationDisclosure]);
        assert_eq!(
            hazards(&m.model, &[missed], &disclosure, &affected, &targets),
            vec![leak, missed]
        );
        // Repudiation: integrity of log data only, no component hazards.
        let repudiation = broken_properties(&[Stride::Repudiation]);
        assert_eq!(
            hazards(&m.model, &[], &repudiation, &affected, &targets),
            vec![lost_log]
        );
        assert_eq!(impact(&m.model, &repudiation, &affected), Medium);
        assert_eq!(impact(&m.model, &tampering, &affected), High);
        assert_eq!(impact(&m.model, &disclosure, &affected), Low);
        assert_eq!(impact(&m.model, &tampering, &[]), None);
        assert_eq!(highest_severity(&m.model, &[leak, missed]), Some(CRITICAL));
        assert_eq!(highest_severity(&m.model, &[]), Option::None);
    }

    #[test]
    fn reduction_takes_the_largest_dependent_plus_every_independent() {
        assert_eq!(reduction([]), 0);
        assert_eq!(reduction([(1, false), (2, false)]), 2);
        assert_eq!(reduction([(1, false), (2, false), (1, true), (1, true)]), 4);
        assert_eq!(reduction([(3, true)]), 3);
    }

    #[test]
    fn residual_exploitability_floors_at_the_lowest_and_never_rises() {
        assert_eq!(residual_exploitability(HIGH, 2, []), (LOW, Option::None));
        assert_eq!(
            residual_exploitability(MODERATE, 9, []),
            (VERY_LOW, Option::None)
        );
        // A cap below the reduced level sets it.
        assert_eq!(
            residual_exploitability(VERY_HIGH, 1, [MODERATE, LOW]),
            (LOW, Some(1))
        );
        // A cap above the initial level never raises it.
        assert_eq!(
            residual_exploitability(LOW, 0, [VERY_HIGH]),
            (LOW, Option::None)
        );
        assert_eq!(residual_exploitability(LOW, 0, [LOW]), (LOW, Option::None));
    }

    /// A pump with two hazards (catastrophic, serious) and a very-high
    /// tampering threat on it.
    fn tampering_with_a_pump() -> (TestModel, HazardId, HazardId, ward_model::ThreatId) {
        let mut m = TestModel::new();
        let z = m.zone("z", Trust::Trusted);
        let overdose = m.hazard("overdose", CATASTROPHIC);
        let missed = m.hazard("missed", SERIOUS);
        let pump = m.component("pump", ComponentKind::Device, z);
        let t = m.threat(
            "t",
            &[Stride::Tampering],
            &[Target::Element(pump)],
            VERY_HIGH,
        );
        (m, overdose, missed, t)
    }

    #[test]
    fn residual_applies_reduction_caps_and_limits_and_skips_information_for_safety() {
        let (mut m, overdose, missed, t) = tampering_with_a_pump();
        let c1 = m.control("c1", &[hand(t)], |c| {
            c.reduces = 1;
            c.limits = vec![(overdose, CRITICAL)];
        });
        let c2 = m.control("c2", &[hand(t)], |c| {
            c.reduces = 1;
            c.independent = true;
            c.limits = vec![(overdose, SERIOUS)];
        });
        let label = m.control("label", &[hand(t)], |c| {
            c.option = Some(ward_model::ControlOption::InformationForSafety);
            c.reduces = 3;
        });
        let r = residual(
            &m.model,
            &[c1, c2, label],
            VERY_HIGH,
            High,
            &[overdose, missed],
        );
        assert_eq!(r.controls, vec![c1, c2]);
        assert_eq!(r.reduction, 2);
        assert_eq!(r.exploitability, MODERATE);
        assert_eq!(r.severities[0].severity, SERIOUS);
        assert_eq!(r.severities[0].limited_by, Some(c2));
        assert_eq!(r.severities[1].severity, SERIOUS);
        assert_eq!(r.severities[1].limited_by, Option::None);
        assert_eq!(r.severity, Some(SERIOUS));
        assert_eq!(r.risk.security, RiskLevel::Review);
        assert_eq!(r.risk.safety, Some(RiskLevel::Review));
        // A severity limit never raises a severity.
        let c3 = m.control("c3", &[hand(t)], |c| {
            c.limits = vec![(missed, CATASTROPHIC)]
        });
        let r = residual(&m.model, &[c3], VERY_HIGH, High, &[missed]);
        assert_eq!(r.severity, Some(SERIOUS));
        assert_eq!(r.exploitability, VERY_HIGH);
    }

    #[test]
    fn residual_keeps_the_level_before_caps_and_each_hazards_own_safety_risk() {
        let (mut m, overdose, missed, t) = tampering_with_a_pump();
        let c = m.control("c", &[hand(t)], |c| {
            c.reduces = 1;
            c.residual_exploitability = Some(LOW);
        });
        let r = residual(&m.model, &[c], VERY_HIGH, High, &[overdose, missed]);
        // --explain-risk shows the reduction (very_high -> high), then the cap.
        assert_eq!(r.lowered, HIGH);
        assert_eq!(r.exploitability, LOW);
        assert_eq!(r.capped_by, Some(c));
        // Each hazard is scored at its own severity: catastrophic x low is
        // review, serious x low acceptable (not the threat's highest).
        assert_eq!(r.severities[0].safety_risk, RiskLevel::Review);
        assert_eq!(r.severities[1].safety_risk, RiskLevel::Acceptable);
        assert_eq!(r.risk.safety, Some(RiskLevel::Review));
        // Without controls nothing is lowered.
        let none = residual(&m.model, &[], VERY_HIGH, High, &[overdose]);
        assert_eq!(none.lowered, VERY_HIGH);
        assert_eq!(none.severities[0].safety_risk, RiskLevel::Unacceptable);
    }
}
