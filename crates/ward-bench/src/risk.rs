//! The facts only Ward has: hazards, hand-written threats, controls with
//! their verifications, assumptions and use cases. They refer to the
//! architecture of [`crate::architecture`]; the choices are drawn from the
//! seeded PRNG.

use std::fmt::Write;

use crate::architecture::{component_id, hazard_id};
use crate::out::Files;
use crate::prng::Prng;
use crate::shape::{self, Shape};
use crate::Counts;

const SEVERITY: [&str; 5] = ["negligible", "minor", "serious", "critical", "catastrophic"];
const EXPLOITABILITY: [&str; 5] = ["very_low", "low", "moderate", "high", "very_high"];
const CVSS: [&str; 4] = [
    "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H",
    "CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:U/C:H/I:L/A:N",
    "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:L/I:H/A:L",
    "CVSS:3.0/AV:L/AC:L/PR:H/UI:R/S:C/C:H/I:H/A:H",
];
const CAPEC: [u32; 12] = [60, 94, 151, 148, 158, 125, 601, 186, 184, 268, 49, 115];
const CWE: [u32; 12] = [294, 306, 319, 311, 287, 345, 494, 400, 778, 522, 20, 1191];
/// FDA control categories, with what a requirement of each asks.
const CATEGORIES: [(&str, &str); 8] = [
    (
        "authentication",
        "authenticate every peer before accepting data",
    ),
    ("authorization", "enforce least privilege on every command"),
    ("cryptography", "use AES-GCM with per-device keys"),
    (
        "integrity",
        "verify the signature of every message and image",
    ),
    (
        "confidentiality",
        "encrypt protected data in transit and at rest",
    ),
    (
        "event_detection",
        "log security events and forward them to the SIEM",
    ),
    (
        "resiliency",
        "fall back to a safe state when a link is lost",
    ),
    ("updatability", "accept only signed, newer software updates"),
];
const HAZARDS: [(&str, &str); 5] = [
    ("Insulin over-delivery", "Severe hypoglycaemia"),
    ("Insulin under-delivery", "Hyperglycaemia, ketoacidosis"),
    ("Low glucose not alarmed", "Seizure, death"),
    ("Wrong therapy settings applied", "Glycaemic excursions"),
    ("Loss of monitoring data", "Delayed treatment"),
];

/// What a threat targets, remembered so its controls sit on the same
/// elements.
enum Target {
    Flow(usize),
    Element(usize),
}

pub fn write(files: &mut Files, shape: &Shape, counts: &Counts, rng: &Prng) {
    write_hazards(files, counts, &mut rng.fork(2));
    let targets = write_threats(files, shape, counts, &mut rng.fork(3));
    write_controls(files, shape, counts, &targets, &mut rng.fork(4));
    write_assumptions(files, counts);
    write_usecases(files, counts, &mut rng.fork(5));
}

fn write_hazards(files: &mut Files, counts: &Counts, rng: &mut Prng) {
    for k in 0..counts.hazards {
        let (situation, harm) = HAZARDS[k % HAZARDS.len()];
        let _ = writeln!(
            files.slot(k, counts.hazards),
            "hazard {} \"{situation} ({k})\" {{\n  hazardous_situation: \"{situation}\"\n  harm: \"{harm}\"\n  severity: {}\n  rmf_ref: \"HA-{k:05}\"\n}}\n",
            hazard_id(k),
            rng.pick(&SEVERITY),
        );
    }
}

fn write_threats(
    files: &mut Files,
    shape: &Shape,
    counts: &Counts,
    rng: &mut Prng,
) -> Vec<Vec<Target>> {
    let mut all = Vec::with_capacity(counts.threats);
    for t in 0..counts.threats {
        let targets: Vec<Target> = (0..if rng.chance(20) { 2 } else { 1 })
            .map(|_| {
                if rng.chance(60) {
                    Target::Flow(rng.below(counts.flows))
                } else {
                    Target::Element(rng.below(counts.components))
                }
            })
            .collect();
        let stride_choices: &[&str] = match &targets[0] {
            Target::Flow(_) => &["tampering", "information_disclosure", "denial_of_service"],
            Target::Element(i) if shape.kind(*i).keyword == "actor" => &["spoofing", "repudiation"],
            Target::Element(i) if shape.kind(*i).ward_kind == "datastore" => {
                &["tampering", "information_disclosure", "denial_of_service"]
            }
            Target::Element(_) => &[
                "spoofing",
                "tampering",
                "repudiation",
                "information_disclosure",
                "denial_of_service",
                "elevation_of_privilege",
            ],
        };
        let stride = rng.pick(stride_choices);
        let names: Vec<String> = targets.iter().map(|x| target_id(shape, x)).collect();
        let text = files.slot(t, counts.threats);
        let _ = writeln!(text, "/// Found in design review DR-{:04}.", t / 10);
        let _ = writeln!(
            text,
            "threat thr_{t} \"{} of {}\" {{",
            title_case(stride),
            names[0]
        );
        let _ = writeln!(text, "  stride: [{stride}]");
        let _ = writeln!(text, "  targets: [{}]", names.join(", "));
        if counts.hazards > 0 && rng.chance(30) {
            let _ = writeln!(
                text,
                "  hazards: [{}]",
                hazard_id(rng.below(counts.hazards))
            );
        }
        if rng.chance(15) {
            let _ = writeln!(text, "  cvss: \"{}\"", rng.pick(&CVSS));
        } else {
            let _ = writeln!(text, "  exploitability: {}", rng.pick(&EXPLOITABILITY));
        }
        let _ = writeln!(text, "  capec: [{}]", rng.pick(&CAPEC));
        let _ = writeln!(text, "  cwe: [{}]", rng.pick(&CWE));
        if t % 3 == 0 {
            let _ = writeln!(
                text,
                "  description: \"An attacker with access to {} can cause {}.\"",
                names[0],
                stride.replace('_', " ")
            );
        }
        text.push_str("}\n\n");
        all.push(targets);
    }
    all
}

fn write_controls(
    files: &mut Files,
    shape: &Shape,
    counts: &Counts,
    targets: &[Vec<Target>],
    rng: &mut Prng,
) {
    for c in 0..counts.controls {
        let (category, requirement) = CATEGORIES[c % CATEGORIES.len()];
        let site = implementation_site(shape, &targets[c]);
        let site_id = component_id(shape, site);
        let site_title = format!("{} {site}", shape.kind(site).prefix);
        let status = match rng.below(10) {
            0..=4 => "verified",
            5..=7 => "implemented",
            _ => "proposed",
        };
        let result = match status {
            "verified" => "pass",
            "implemented" if rng.chance(50) => "pass",
            _ => "pending",
        };

        let text = files.slot(c, counts.controls);
        let _ = writeln!(
            text,
            "verification vt_{c} \"Verification of SR-{c:05}\" {{ type: {}, method: {}, report: \"TR-{c:05}\", result: {result}, independent: {}, scope: [{site_id}] }}\n",
            rng.pick(&["threat_mitigation", "security_requirements", "vulnerability", "penetration"]),
            rng.pick(&["test", "analysis", "inspection"]),
            rng.chance(50),
        );

        let mut mitigates = vec![format!("thr_{c}")];
        if rng.chance(25) {
            mitigates.push(format!("thr_{}", rng.below(counts.threats)));
        }
        if rng.chance(40) {
            if let Some(reference) = rule_threat_near(shape, rng.below(counts.flows)) {
                mitigates.push(reference);
            }
        }
        let option = match rng.below(12) {
            0 => "information_for_safety",
            1 | 2 => "inherent_safety",
            _ => "protective_measure",
        };

        let _ = writeln!(text, "/// Design input for {site_title}.");
        let _ = writeln!(
            text,
            "control ctl_{c} \"{} for {site_title}\" {{",
            title_case(category)
        );
        let _ = writeln!(text, "  id: \"SR-{c:05}\"");
        let _ = writeln!(text, "  category: {category}");
        let _ = writeln!(text, "  mitigates: [{}]", mitigates.join(", "));
        if option != "information_for_safety" {
            let _ = writeln!(text, "  reduces: {}", 1 + rng.below(2));
            if c % 5 == 0 {
                let _ = writeln!(text, "  independent: true");
            }
            if rng.chance(20) {
                let _ = writeln!(text, "  residual_exploitability: low");
            }
            if counts.hazards > 0 && rng.chance(15) {
                let _ = writeln!(
                    text,
                    "  limits {{ {}: {} }}",
                    hazard_id(rng.below(counts.hazards)),
                    rng.pick(&["minor", "serious"])
                );
            }
        }
        let _ = writeln!(text, "  option: {option}");
        let _ = writeln!(text, "  requirement: \"{site_title} shall {requirement}.\"");
        let _ = writeln!(
            text,
            "  acceptance: \"No failure in 20 of 20 trials of TR-{c:05}\""
        );
        let _ = writeln!(text, "  implemented_in: [{site_id}]");
        if c % 7 == 0 {
            let _ = writeln!(
                text,
                "  verification: [vt_{c}, inspection \"Code review of SR-{c:05}\"]"
            );
        } else {
            let _ = writeln!(text, "  verification: [vt_{c}]");
        }
        let _ = writeln!(text, "  status: {status}");
        text.push_str("}\n\n");
    }
}

/// The component a control of a threat is built into: the first target
/// that is a component, or the component a targeted flow enters.
fn implementation_site(shape: &Shape, targets: &[Target]) -> usize {
    let is_component = |i: usize| shape.kind(i).keyword == "component";
    for target in targets {
        let candidates = match target {
            Target::Element(i) => [*i, *i],
            Target::Flow(j) => {
                let (src, dst) = shape.flow_ends(*j);
                [dst, src]
            }
        };
        if let Some(&i) = candidates.iter().find(|&&i| is_component(i)) {
            return i;
        }
    }
    // Every target was an actor: the next component in numbering.
    let first = match targets.first() {
        Some(Target::Element(i)) => *i,
        Some(Target::Flow(j)) => shape.flow_ends(*j).0,
        None => 0,
    };
    (first..first + shape::KINDS.len())
        .map(|i| i % shape.n)
        .find(|&i| is_component(i))
        .unwrap_or(first)
}

/// A rule-generated threat `RULE@f_J` on a flow at or after `start` that the
/// std::stride rule certainly matches (the conditions are those of the
/// stdlib rules, on facts the architecture fixes).
fn rule_threat_near(shape: &Shape, start: usize) -> Option<String> {
    let flows = shape.flows();
    (0..flows.min(64)).find_map(|k| {
        let j = (start + k) % flows;
        let kind = shape::data_kind(j);
        let rule = if kind == "phi" && !shape.flow_encrypted(j) {
            "cleartext_phi_in_transit"
        } else if kind == "credential" && !shape.flow_encrypted(j) {
            "cleartext_credentials_in_transit"
        } else if kind == "command" && !shape.flow_authenticated(j) {
            "unauthenticated_command_path"
        } else {
            return None;
        };
        Some(format!("{rule}@f_{j}"))
    })
}

fn write_assumptions(files: &mut Files, counts: &Counts) {
    for a in 0..counts.assumptions {
        // Zones 0, 5, 10, ... are the hostile ones.
        let zone = (a * 5) % counts.zones;
        let _ = writeln!(
            files.slot(a, counts.assumptions),
            "assumption asm_{a} \"Zone {zone} is hostile\" {{\n  rationale: \"FDA premarket guidance: assume an adversary can alter, drop and replay packets\"\n  applies_to: [zone_{zone}]\n}}\n"
        );
    }
}

fn write_usecases(files: &mut Files, counts: &Counts, rng: &mut Prng) {
    for u in 0..counts.usecases {
        // Three command flows from a random start, in flow order.
        let start = rng.below(counts.flows);
        let steps: Vec<String> = (0..counts.flows)
            .map(|k| (start + k) % counts.flows)
            .filter(|&j| shape::data_kind(j) == "command")
            .take(3)
            .map(|j| format!("f_{j}"))
            .collect();
        if steps.is_empty() {
            continue;
        }
        let _ = writeln!(
            files.slot(u, counts.usecases),
            "usecase uc_{u} \"Use case {u}\" {{ state: {}, steps: [{}] }}\n",
            rng.pick(&["therapy", "monitoring", "programming", "standby"]),
            steps.join(", ")
        );
    }
}

fn target_id(shape: &Shape, target: &Target) -> String {
    match target {
        Target::Flow(j) => format!("f_{j}"),
        Target::Element(i) => component_id(shape, *i),
    }
}

/// `information_disclosure` -> `Information disclosure`.
fn title_case(word: &str) -> String {
    let text = word.replace('_', " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}
