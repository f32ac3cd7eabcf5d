//! Known vulnerabilities as threats (docs/language.md §3.18, docs/risk.md
//! §5.1): an `affected` or `under_investigation` vulnerability is a threat
//! `VULNERABILITY@COMPONENT` on every component that runs software it
//! affects, directly or through `depends_on` (the software's `run_by`).
//! From there it is scored, controlled, accepted and judged as any threat.

use crate::rules::ThreatSeed;
use crate::types::{CvssScores, ExploitabilitySource, Origin};
use ward_model::{
    Affects, AttackVector, ControlCategory, ElementId, Exploitability, Level, Model, Policy,
    SecurityProperty, Stride, Target, ThreatKey, Vulnerability, VulnerabilityId,
};

/// The exploitability level a KEV listing raises a vulnerability to, and
/// the default without a CVSS vector: the policy's level named `high`, else
/// its second-highest level.
pub fn kev_floor(policy: &Policy) -> Level {
    policy
        .exploitability_level("high")
        .unwrap_or_else(|| Level(policy.highest_exploitability().0.saturating_sub(1)))
}

/// The components a vulnerability is a threat on, in element order: those
/// that run software it affects. Empty unless its status is open.
pub fn threatened_components(model: &Model, v: &Vulnerability) -> Vec<ElementId> {
    if !v.is_open() {
        return Vec::new();
    }
    let mut out: Vec<ElementId> = v
        .affects
        .iter()
        .flat_map(|s| model.software(*s).run_by.iter().copied())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The STRIDE categories a vulnerability's threat stands for: those of
/// the properties its CVSS impact metrics break (all three without a
/// vector).
fn stride_of(impacted: Option<&[SecurityProperty]>) -> Vec<Stride> {
    let breaks = |p| impacted.is_none_or(|i| i.contains(&p));
    [
        (SecurityProperty::Integrity, Stride::Tampering),
        (
            SecurityProperty::Confidentiality,
            Stride::InformationDisclosure,
        ),
        (SecurityProperty::Availability, Stride::DenialOfService),
    ]
    .into_iter()
    .filter(|(p, _)| breaks(*p))
    .map(|(_, s)| s)
    .collect()
}

/// One threat seed per open vulnerability and component that runs software
/// it affects.
pub fn vulnerability_threats(model: &Model) -> Vec<ThreatSeed> {
    let floor = kev_floor(model.policy());
    let mut out = Vec::new();
    for (index, v) in model.vulnerabilities.iter().enumerate() {
        let components = threatened_components(model, v);
        if components.is_empty() {
            continue;
        }
        let id = VulnerabilityId(index as u32);
        let (banded, cvss, impacted, attack_vector) = match &v.cvss {
            Some(Exploitability::Cvss {
                vector,
                base_score,
                exploitability_subscore,
                level,
                impacted,
                attack_vector,
            }) => (
                *level,
                Some(CvssScores {
                    vector: vector.clone(),
                    base_score: *base_score,
                    exploitability_subscore: *exploitability_subscore,
                }),
                Some(impacted.as_slice()),
                *attack_vector,
            ),
            _ => (floor, None, None, AttackVector::Network),
        };
        let kev = v.kev.is_some();
        let exploitability = if kev { banded.max(floor) } else { banded };
        let software: Vec<String> = v
            .affects
            .iter()
            .map(|s| model.software(*s).label())
            .collect();
        for element in components {
            let name = &model.element(element).meta.name;
            out.push(ThreatSeed {
                key: ThreatKey::Vulnerability {
                    vulnerability: id,
                    element,
                },
                id: format!("{}@{name}", v.meta.name),
                title: format!(
                    "{} in {} of {name}: {}",
                    v.advisory,
                    software.join(", "),
                    v.meta.title
                ),
                origin: Origin::Vulnerability,
                rule: None,
                stride: stride_of(impacted),
                targets: vec![Target::Element(element)],
                own_hazards: Vec::new(),
                affects: Affects::default(),
                detection_gap: false,
                exploitability,
                exploitability_source: ExploitabilitySource::Vulnerability {
                    vulnerability: id,
                    cvss: cvss.clone(),
                    kev,
                    raised_by_kev: exploitability > banded,
                },
                attack_vector,
                capec: Vec::new(),
                cwe: Vec::new(),
                suggest: vec![
                    ControlCategory::Updatability,
                    ControlCategory::EventDetection,
                ],
                span: v.meta.name_span,
                threat: None,
            });
        }
    }
    out
}
