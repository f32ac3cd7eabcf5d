//! Risk semantics (spec §4.2-4.7): broken properties, affected data, hazards,
//! security impact, initial security and safety risk, and the residual risk
//! over a set of controls. Each step is a small function of plain inputs.

use crate::graph::ModelGraph;
use crate::types::{BrokenProperty, HazardSeverity, Residual, RiskScore};
use ward_model::{
    CiaLevel, Control, ControlId, DataId, DataKind, HazardId, Level, Model, Policy,
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

/// The data a threat affects (spec §4.3): over its targets, a flow's
/// `carries`; a component's or actor's `stores` plus the data carried by
/// every flow into or out of it. In data declaration order, each once.
pub fn affected_data(graph: &ModelGraph, targets: &[Target]) -> Vec<DataId> {
    let model = graph.model;
    let mut out = Vec::new();
    for &target in targets {
        match target {
            Target::Flow(f) => out.extend_from_slice(&model.flow(f).carries),
            Target::Element(e) => {
                out.extend_from_slice(&model.element(e).stores);
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
    Level(u32::from(initial.0).saturating_sub(reduction) as u8)
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
    let capping: Vec<(ControlId, Level)> = counted
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
            for c in &counted {
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
            }
        })
        .collect();
    let severity = severities.iter().map(|h| h.severity).max();
    Residual {
        controls: counted,
        reduction,
        exploitability,
        capped_by,
        severities,
        severity,
        risk: score(policy, impact, severity, exploitability),
    }
}
