//! Issue #13 items 8 to 11 on Ward text: zone owners that are not stated
//! (W0439), multi-patient reach downstream to shared elements, proximity
//! threats that start in the target's zone, and per-kind defaults that do
//! not depend on `software`.

mod common;
use common::reach::{BLE_PUMP, UPLOAD};
use common::*;
use ward_analysis::{analyze, Analysis, ProximityStart, ThreatAnalysis};
use ward_diagnostics::{apply_fixes, Applicability, Severity};
use ward_model::{
    owner_text, AttackVector, Compiled, ControlledBy, ElementId, Model, Stage, ZoneId,
};

fn threat<'a>(analysis: &'a Analysis, id: &str) -> &'a ThreatAnalysis {
    analysis
        .threat(id)
        .unwrap_or_else(|| panic!("no threat `{id}`; threats: {:?}", threat_ids(analysis)))
}

fn zone(model: &Model, name: &str) -> ZoneId {
    let i = model
        .zones
        .iter()
        .position(|z| z.meta.name == name)
        .unwrap();
    ZoneId(i as u32)
}

fn element(model: &Model, name: &str) -> ElementId {
    let i = model
        .elements
        .iter()
        .position(|e| e.meta.name == name)
        .unwrap();
    ElementId(i as u32)
}

fn source_of(compiled: &Compiled) -> &str {
    &compiled.sources.get(ward_diagnostics::FileId(0)).text
}

// ---- Item 8: zone owners ----

const OWNERS: &str = r#"
system s "S" { version: "1" }
zone phone "Patient's phone" { trust: untrusted }
zone clinic "Clinic" { trust: untrusted, controlled_by: hcf }
component app "App" in phone { kind: mobile_app, software: ["app 1.0"] }
component ws "Workstation" in clinic { kind: web_app }
component own "Own owner" in phone { kind: service, controlled_by: third_party }
rule not_patient_owned "Not patient-owned {id}" {
  stride: tampering
  applies_to: component
  when: controlled_by != patient
  exploitability: low
}
rule patient_owned "Patient-owned {id}" {
  stride: tampering
  applies_to: component
  when: controlled_by == patient
  exploitability: low
}
"#;

#[test]
fn an_unwritten_zone_owner_is_not_stated_and_is_a_design_warning() {
    let (compiled, analysis) = analysed(OWNERS);
    let model = &compiled.model;
    let phone = model.zone(zone(model, "phone"));
    // Before 0.2 the owner defaulted to `manufacturer`.
    assert_eq!(phone.controlled_by, None);
    assert_eq!(owner_text(phone.controlled_by), "not stated");
    // Its elements inherit "not stated"; a written owner still wins.
    assert_eq!(model.element(element(model, "app")).controlled_by, None);
    assert_eq!(
        model.element(element(model, "own")).controlled_by,
        Some(ControlledBy::ThirdParty)
    );
    assert_eq!(
        model.element(element(model, "ws")).controlled_by,
        Some(ControlledBy::Hcf)
    );

    let w0439: Vec<_> = analysis
        .findings
        .iter()
        .filter(|d| d.code == "W0439")
        .collect();
    assert_eq!(w0439.len(), 1, "only `phone` lacks an owner: {w0439:#?}");
    let finding = w0439[0];
    assert_eq!(finding.severity, Severity::Warning);
    assert_eq!(finding.span, Some(phone.meta.name_span));
    assert!(
        finding.message.contains("zone `phone`"),
        "{}",
        finding.message
    );
    assert!(
        finding
            .help
            .as_deref()
            .is_some_and(|h| h.contains("controlled_by: OWNER")),
        "{:?}",
        finding.help
    );
    // The fix inserts `controlled_by: ` inside the block, for the author to complete.
    assert_eq!(finding.fixes.len(), 1);
    let fix = &finding.fixes[0];
    assert_eq!(fix.applicability, Applicability::DisplayOnly);
    let applied = apply_fixes(source_of(&compiled), [fix]);
    assert_eq!(applied.applied, 1);
    assert!(
        applied
            .text
            .contains("zone phone \"Patient's phone\" { trust: untrusted\n  controlled_by:  }"),
        "{}",
        applied.text
    );
}

#[test]
fn an_unwritten_zone_owner_is_an_error_at_the_submission_stage() {
    let (mut compiled, _) = analysed(OWNERS);
    compiled.model.stage = Stage::Submission;
    let analysis = analyze(&compiled.model);
    let w0439: Vec<_> = analysis
        .findings
        .iter()
        .filter(|d| d.code == "W0439")
        .collect();
    assert_eq!(w0439.len(), 1);
    assert_eq!(w0439[0].severity, Severity::Error);
}

#[test]
fn a_when_condition_on_an_owner_that_is_not_stated_is_false_either_way() {
    let (_, analysis) = analysed(OWNERS);
    let ids = threat_ids(&analysis);
    // `app` (not stated) matches neither `== patient` nor `!= patient`.
    assert!(
        !ids.contains(&"not_patient_owned@app".to_string()),
        "{ids:?}"
    );
    assert!(!ids.contains(&"patient_owned@app".to_string()), "{ids:?}");
    // Stated owners compare as before.
    assert!(ids.contains(&"not_patient_owned@ws".to_string()), "{ids:?}");
    assert!(
        ids.contains(&"not_patient_owned@own".to_string()),
        "{ids:?}"
    );
}

// ---- Item 9: multi-patient reach ----

#[test]
fn an_injection_on_an_upload_flow_is_multi_patient_when_it_reaches_a_shared_database() {
    let (compiled, analysis) = analysed_with_prelude(UPLOAD);
    let model = &compiled.model;
    let db = element(model, "db");
    // Before 0.2: "no", since the flow's source `app` is not shared.
    let upload = threat(&analysis, "upload_injection");
    assert!(upload.multi_patient);
    assert_eq!(upload.shared_reached, Some(db));
    // An element whose data flows on to the shared database, and a flow
    // straight into it, reach it too.
    let app = threat(&analysis, "app_tampering");
    assert!(app.multi_patient);
    assert_eq!(app.shared_reached, Some(db));
    assert_eq!(
        threat(&analysis, "store_injection").shared_reached,
        Some(db)
    );
    // Reading the upload alters nothing downstream: not multi-patient.
    let sniffing = threat(&analysis, "upload_sniffing");
    assert!(!sniffing.multi_patient);
    assert_eq!(sniffing.shared_reached, None);
    // The elements and flows themselves keep today's rule.
    assert!(!analysis.flows[0].multi_patient);
}

#[test]
fn the_nearest_shared_element_is_named_and_unreachable_ones_are_not() {
    let (compiled, analysis) = analysed_with_prelude(
        r#"
component app "App" in home { kind: mobile_app }
component api "API" in cloud { kind: service }
component near "Near store" in cloud { kind: datastore, fleet: shared }
component far "Far store" in cloud { kind: datastore, fleet: shared }
component island "Island" in cloud { kind: service }
flow f_up: app -> api { protocol: https }
flow f_near: api -> near { protocol: tls }
flow f_hop: near -> far { protocol: tls }
flow f_back: far -> island { protocol: tls }
threat t_up "T" { stride: [tampering], targets: [f_up], exploitability: low }
threat t_island "T" { stride: [tampering], targets: [island], exploitability: low }
threat t_near "T" { stride: [tampering], targets: [near], exploitability: low }
"#,
    );
    let model = &compiled.model;
    assert_eq!(
        threat(&analysis, "t_up").shared_reached,
        Some(element(model, "near"))
    );
    // A threat on a shared element is multi-patient by its target; the
    // downstream reach is not why, so it is not recorded.
    let near = threat(&analysis, "t_near");
    assert!(near.multi_patient);
    assert_eq!(near.shared_reached, None);
    // `island` receives from a shared element but sends nothing on.
    let island = threat(&analysis, "t_island");
    assert_eq!(island.shared_reached, None);
    assert!(!island.multi_patient);
}

// ---- Item 10: attack paths and proximity ----

#[test]
fn a_ble_threat_starts_within_radio_range_in_the_pumps_zone_not_at_the_app() {
    let (compiled, analysis) = analysed_with_prelude(BLE_PUMP);
    let model = &compiled.model;
    let pump = element(model, "pump");
    let hw = zone(model, "hw");
    let tracking = threat(&analysis, "ble_device_tracking@pump");
    assert_eq!(tracking.attack_vector, AttackVector::Adjacent);
    assert_eq!(
        tracking.proximity,
        Some(ProximityStart {
            element: pump,
            zone: hw
        })
    );
    // Before 0.2 its sequence of events was the path `app -[f_dose]-> pump`.
    assert!(tracking.paths.is_empty());

    // A network threat on the same pump keeps the shortest modelled path
    // from an entry point.
    let forgery = threat(&analysis, "dose_forgery");
    assert_eq!(forgery.attack_vector, AttackVector::Network);
    assert_eq!(forgery.proximity, None);
    assert_eq!(forgery.paths.len(), 1);
    let path = &analysis.paths[forgery.paths[0]];
    assert_eq!(path.entry, element(model, "app"));
}

#[test]
fn a_hand_written_threat_takes_the_attack_vector_of_its_cvss_vector() {
    let (compiled, analysis) = analysed_with_prelude(BLE_PUMP);
    let model = &compiled.model;
    let usb = threat(&analysis, "usb_attack");
    assert_eq!(usb.attack_vector, AttackVector::Physical);
    assert_eq!(usb.proximity.map(|p| p.zone), Some(zone(model, "hw")));
    assert!(usb.paths.is_empty());
}

#[test]
fn a_rules_attack_vector_is_read_and_defaults_to_network() {
    let (compiled, analysis) = analysed_with_prelude(
        r#"
component pump "Pump" in hw { kind: device }
rule near "Near {id}" {
  stride: tampering
  applies_to: component
  exploitability: low
  attack_vector: physical
}
rule far "Far {id}" {
  stride: tampering
  applies_to: component
  exploitability: low
}
"#,
    );
    let rules = &compiled.model.rules;
    let by_name = |n: &str| rules.iter().find(|r| r.meta.name == n).unwrap();
    assert_eq!(by_name("near").attack_vector, AttackVector::Physical);
    assert_eq!(by_name("far").attack_vector, AttackVector::Network);
    assert_eq!(
        threat(&analysis, "near@pump").attack_vector,
        AttackVector::Physical
    );
    assert_eq!(
        threat(&analysis, "far@pump").attack_vector,
        AttackVector::Network
    );
}

// ---- Item 11: checks that do not depend on `software` ----

const FLEET: &str = r#"
use std::stride
use std::fda
component user_app "App" in home { kind: mobile_app }
component fleet_gateway "Fleet gateway" in cloud { kind: gateway }
component api "Cloud API" in cloud { kind: cloud_service }
component relay "Home bridge" in home { kind: gateway }
component pump "Pump" in hw { kind: device }
actor attacker "Attacker" in internet { kind: human }
flow f_in: attacker -> fleet_gateway { protocol: https }
flow f_api: attacker -> api { protocol: https }
flow f_relay: attacker -> relay { protocol: https }
"#;

#[test]
fn a_gateway_without_software_is_checked_for_the_eight_fda_categories() {
    let (compiled, analysis) = analysed_with_prelude(FLEET);
    let model = &compiled.model;
    let gateway = element(model, "fleet_gateway");
    let coverage = analysis
        .coverage
        .iter()
        .find(|c| c.element == gateway)
        .unwrap();
    // Before 0.2: not checked, since it declares neither software nor interfaces.
    assert!(coverage.checked);
    assert_eq!(coverage.missing.len(), 8);
    assert!(analysis
        .findings
        .iter()
        .any(|d| d.code == "W0411" && d.span == Some(model.element(gateway).meta.name_span)));
}

#[test]
fn updatable_follows_the_kind_not_software() {
    let (compiled, analysis) = analysed_with_prelude(FLEET);
    let model = &compiled.model;
    let updatable = |n: &str| model.element(element(model, n)).updatable;
    // Before 0.2 each of these was `false` for want of `software`.
    assert!(updatable("api"));
    assert!(updatable("fleet_gateway"));
    assert!(updatable("user_app"));
    assert!(updatable("relay"));
    // A device is patchable only when the model says so.
    assert!(!updatable("pump"));

    let ids = threat_ids(&analysis);
    // No "cannot be patched" and no embedded rule on the cloud gateway or
    // the cloud service.
    for rule in [
        "device_not_updatable",
        "embedded_parser_corruption",
        "firmware_rollback",
        "missing_secure_boot",
    ] {
        for target in ["fleet_gateway", "api"] {
            let id = format!("{rule}@{target}");
            assert!(!ids.contains(&id), "{id} in {ids:?}");
        }
    }
    // A gateway in the field (physical access) is still an embedded device.
    assert!(
        ids.contains(&"embedded_parser_corruption@relay".to_string()),
        "{ids:?}"
    );
    assert!(
        ids.contains(&"device_not_updatable@pump".to_string()),
        "{ids:?}"
    );
}
