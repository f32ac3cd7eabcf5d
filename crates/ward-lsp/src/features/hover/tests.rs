//! Hover on cursor-marker fixtures: `$0` marks the cursor; `//- /NAME`
//! lines split a fixture into files (else it is one `main.ward`). The model
//! is loaded from a temporary folder and analysed as the server does, then
//! hovered without the protocol. One `hover_on_KIND` test per kind the
//! hover dispatches on; `every_kind_has_a_fixture_test` keeps it so.

use super::{hover, hovered_at, Hovered};
use crate::documents::DocumentStore;
use crate::workspace::{ModelKey, Snapshot, Workspace};
use expect_test::{expect, Expect};
use lsp_types::HoverContents;
use std::sync::Arc;
use ward_diagnostics::{FileId, Severity};
use ward_model::{language, Symbol};
use ward_syntax::ast::DeclKind;

const MARKER: &str = "$0";

/// The kinds of hover that are not on a declared id; the others are named
/// by their declaration keyword.
const OTHER_KINDS: &[&str] = &[
    "generated_threat",
    "use_file",
    "std_file",
    "property_key",
    "sbom",
];

struct Cursor {
    snapshot: Arc<Snapshot>,
    file: FileId,
    offset: usize,
    /// The model's folder, written `$ROOT` in expectations.
    root: std::path::PathBuf,
    /// Keeps the model's folder until the test ends.
    _dir: tempfile::TempDir,
}

/// Writes the fixture's files, analyses the model and finds the marker.
fn load(fixture: &str) -> Cursor {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let mut files: Vec<(String, String)> = Vec::new();
    for line in fixture.split_inclusive('\n') {
        match line.trim_end().strip_prefix("//- /") {
            Some(name) => files.push((name.to_owned(), String::new())),
            None if files.is_empty() => files.push(("main.ward".into(), line.to_owned())),
            None => files.last_mut().unwrap().1.push_str(line),
        }
    }
    let mut marked = None;
    for (name, text) in &mut files {
        if let Some(offset) = text.find(MARKER) {
            assert!(marked.is_none(), "more than one {MARKER} in the fixture");
            text.replace_range(offset..offset + MARKER.len(), "");
            marked = Some((root.join(&*name), offset));
        }
        let path = root.join(&*name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let (path, offset) = marked.unwrap_or_else(|| panic!("no {MARKER} in the fixture"));
    let snapshot = Workspace::default()
        .refresh(&ModelKey::Root(root.clone()), &DocumentStore::default())
        .unwrap();
    let file = snapshot
        .sources
        .files()
        .find(|(_, source)| source.path.as_deref() == Some(path.as_path()))
        .map(|(id, _)| id)
        .expect("the marked file is part of the model");
    Cursor {
        snapshot,
        file,
        offset,
        root,
        _dir: dir,
    }
}

/// The hover's Markdown at the marker, `None` when there is no hover.
fn hover_text(cursor: &Cursor) -> Option<String> {
    let hover = hover(&cursor.snapshot, cursor.file, cursor.offset)?;
    match hover.contents {
        HoverContents::Markup(markup) => Some(
            markup
                .value
                .replace(&cursor.root.display().to_string(), "$ROOT"),
        ),
        other => panic!("hover is not Markdown: {other:?}"),
    }
}

/// The kind of what is under the marker, named as in `every_kind_has_a_fixture_test`. The
/// match has no catch-all, so a new `Symbol` variant does not compile here
/// until it has a name (and then `every_kind_has_a_fixture_test` asks for
/// its test).
fn hovered_kind(cursor: &Cursor) -> Option<&'static str> {
    let (hovered, _) = hovered_at(&cursor.snapshot, cursor.file, cursor.offset)?;
    let model = cursor.snapshot.model.as_ref()?;
    let keyword = match hovered {
        Hovered::GeneratedThreat { .. } => return Some("generated_threat"),
        Hovered::PropertyKey { .. } => return Some("property_key"),
        Hovered::Sbom(_) => return Some("sbom"),
        Hovered::Symbol(symbol) => match symbol {
            Symbol::System => DeclKind::System,
            Symbol::Zone(_) => DeclKind::Zone,
            Symbol::Data(_) => DeclKind::Data,
            Symbol::Element(id) if model.element(id).is_actor() => DeclKind::Actor,
            Symbol::Element(_) => DeclKind::Component,
            Symbol::Flow(_) => DeclKind::Flow,
            Symbol::Hazard(_) => DeclKind::Hazard,
            Symbol::Threat(_) => DeclKind::Threat,
            Symbol::Rule(_) => DeclKind::Rule,
            Symbol::Control(_) => DeclKind::Control,
            Symbol::Verification(_) => DeclKind::Verification,
            Symbol::Assumption(_) => DeclKind::Assumption,
            Symbol::Usecase(_) => DeclKind::Usecase,
            Symbol::Accept(_) => DeclKind::Accept,
            Symbol::Disposition(_) => DeclKind::Disposition,
            Symbol::Policy(_) => DeclKind::Policy,
            Symbol::Approval(_) => DeclKind::Approval,
            Symbol::Software(_) => DeclKind::Software,
            Symbol::Vulnerability(_) => DeclKind::Vulnerability,
            Symbol::Anomaly(_) => DeclKind::Anomaly,
            Symbol::Monitoring(_) => DeclKind::Monitoring,
            Symbol::File(id) if cursor.snapshot.source(id).path.is_some() => {
                return Some("use_file")
            }
            Symbol::File(_) => return Some("std_file"),
        },
    };
    Some(keyword.keyword())
}

/// Hovers at the marker: the hover must be about `kind` and read `expect`.
/// The fixture must be a valid model (findings of the analysis aside).
fn check(kind: &str, fixture: &str, expect: Expect) {
    check_with_errors(kind, fixture, &[], expect);
}

/// `check` on a fixture whose model has exactly the errors `codes`.
fn check_with_errors(kind: &str, fixture: &str, codes: &[&str], expect: Expect) {
    let cursor = load(fixture);
    let errors: Vec<&str> = cursor
        .snapshot
        .diagnostics()
        .filter(|d| d.severity == Severity::Error && !d.code.as_str().starts_with("E04"))
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(errors, codes, "the fixture's errors");
    assert_eq!(hovered_kind(&cursor), Some(kind), "kind under the marker");
    let text = hover_text(&cursor).expect("a hover at the marker");
    expect.assert_eq(&text);
}

/// Hovers at the marker and expects nothing.
fn check_none(fixture: &str) {
    let cursor = load(fixture);
    assert_eq!(hover_text(&cursor), None);
}

/// A small model for the kinds that need elements, flows and threats.
const DEVICE: &str = r#"system demo "Demo glucose monitor" { version: "1.0.0" }
use std::stride

zone home "Home" { trust: untrusted, physical_access: true, controlled_by: patient }
zone sensor_hw "Sensor" in home { trust: trusted }
zone cloud "Cloud" { trust: controlled }

/// The one hazard of this device.
hazard missed_low "Low glucose not alarmed" {
  hazardous_situation: "Patient hypoglycaemic without an alarm"
  harm: "Seizure, death"
  severity: catastrophic
  rmf_ref: "HA-001"
  rmf_risk: "S5 x P2: acceptable after RC-04 (RMF-CGM-001)"
}

data glucose "Glucose readings" {
  kind: telemetry
  confidentiality: medium
  integrity: high
  availability: high
  hazards { integrity: [missed_low], availability: [missed_low] }
}

component sensor "CGM sensor" in sensor_hw { kind: device, interfaces: [ble], software: ["cgm-fw 1.0.0"] }
component app "Phone app" in home { kind: mobile_app }
component api "Cloud API" in cloud { kind: service, fleet: shared }
actor user "Patient" in home { kind: human }

flow f_read: sensor -> app "Readings" { protocol: ble, carries: [glucose], authenticated: true, encrypted: true }
flow f_up: app -> api "Upload" { protocol: https, carries: [glucose], authenticated: true, encrypted: true }
flow f_use: user -> app "Uses app" { protocol: ui }

/// Jamming is cheap and needs no access to the device.
threat ble_jam "BLE jamming hides low-glucose readings" {
  stride: [denial_of_service]
  targets: [f_read]
  exploitability: moderate
}

verification vt_1 "Signal-loss alarm test" { type: threat_mitigation, method: test, report: "TR-1", result: pass }

control loss_alarm "Alarm on lost sensor signal" {
  category: resiliency
  mitigates: [ble_jam]
  limits { missed_low: minor }
  requirement: "The app shall alarm within 20 minutes of lost sensor data."
  implemented_in: [app]
  verification: [vt_1]
  status: verified
}
"#;

/// `DEVICE` with `text` appended (the marker is in `text`).
fn device(text: &str) -> String {
    format!("{DEVICE}{text}")
}

/// A rule on BLE flows, for `RULE@ELEMENT` references.
const BLE_RULE: &str = r#"rule ble_jamming "Jamming of {id}" {
  stride: denial_of_service
  applies_to: flow
  when: protocol in [ble]
  exploitability: moderate
}
"#;

/// `DEVICE` with `BLE_RULE` and a control that mitigates `threat`.
fn mitigating(threat: &str) -> String {
    device(&format!(
        "{BLE_RULE}control c {{ category: resiliency, requirement: \"Alarm\", mitigates: [{threat}] }}\n"
    ))
}

#[test]
fn hover_on_system() {
    check(
        "system",
        r#"system de$0mo "Demo" {
  version: "1.0.0"
  intended_use: "Glucose monitoring"
  lifecycle: [design, maintenance]
}
"#,
        expect![[r#"
            ```ward
            system demo "Demo"
            ```
            - **version**: "1\.0\.0"
            - **intended_use**: "Glucose monitoring"
            - **policy**: `std::policy::iso14971_5x5`
            - **lifecycle**: `design`, `maintenance`
            - **out_of_scope**: none
            - **overall_residual**: not given
            - **approved_by**: not given
        "#]],
    );
}

#[test]
fn hover_on_zone() {
    check(
        "zone",
        &device("assumption a { applies_to: [sensor$0_hw] }\n"),
        expect![[r#"
            ```ward
            zone sensor_hw "Sensor" in home
            ```
            - **trust**: `trusted`
            - **physical_access**: `true`
            - **controlled_by**: not stated
            - **elements**: `sensor`
        "#]],
    );
}

#[test]
fn hover_on_data() {
    check(
        "data",
        &device("component store in cloud { kind: service, stores: [gluc$0ose] }\n"),
        expect![[r#"
        ```ward
        data glucose "Glucose readings"
        ```
        - **kind**: `telemetry`
        - **confidentiality**: `medium`
        - **integrity**: `high`
        - **availability**: `high`
        - **hazards.integrity**: `missed_low`
        - **hazards.availability**: `missed_low`
    "#]],
    );
}

#[test]
fn hover_on_component() {
    check(
        "component",
        &device("verification v { method: test, scope: [a$0pp] }\n"),
        expect![[r#"
            ```ward
            component app "Phone app" in home
            ```
            - **kind**: `mobile_app`
            - **zone**: `home` (trust `untrusted`)
            - **stores**: none
            - **software**: none
            - **interfaces**: none
            - **updatable**: `true`
            - **fleet**: `per_patient`
            - **controlled_by**: `patient`

            attack entry point (zone of trust `untrusted` or lower)

            exposed (reached from an untrusted zone, directly or through proxies)

            **Generated threats** (1)
            - `mobile_platform_compromise@app`: unacceptable → unacceptable — Malware or rooted OS on the phone running app
        "#]],
    );
}

#[test]
fn hover_on_an_out_of_scope_component_gives_the_reason_and_no_generated_threats() {
    let fixture = device("verification v { method: test, scope: [a$0pp] }\n").replace(
        r#"component app "Phone app" in home { kind: mobile_app }"#,
        r#"component app "Phone app" in home { kind: mobile_app, out_of_scope: "the patient's own phone" }"#,
    );
    check(
        "component",
        &fixture,
        expect![[r#"
            ```ward
            component app "Phone app" in home
            ```
            - **kind**: `mobile_app`
            - **zone**: `home` (trust `untrusted`)
            - **stores**: none
            - **software**: none
            - **interfaces**: none
            - **updatable**: `true`
            - **fleet**: `per_patient`
            - **controlled_by**: `patient`
            - **out_of_scope**: "the patient\'s own phone" (no rule threats)

            attack entry point (zone of trust `untrusted` or lower)

            exposed (reached from an untrusted zone, directly or through proxies)

            No rule generates a threat on `app`.
        "#]],
    );
}

#[test]
fn hover_on_a_component_shows_its_stated_security_properties() {
    let fixture = device("verification v { method: test, scope: [a$0pp] }\n").replace(
        r#"component app "Phone app" in home { kind: mobile_app }"#,
        r#"component app "Phone app" in home { kind: mobile_app, input_validation: true, authorization: per_patient, parses: [json], runs_on: host }
component host "Phone OS" in home { kind: runtime }"#,
    );
    let text = hover_text(&load(&fixture)).expect("a hover at the marker");
    for line in [
        "- **input_validation**: `true`",
        "- **authorization**: `per_patient`",
        "- **parses**: `json`",
        "- **runs_on**: `host`",
    ] {
        assert!(text.contains(line), "{line} in\n{text}");
    }
    // Unstated ones stay out of the hover.
    assert!(
        !text.contains("output_encoding") && !text.contains("processes"),
        "{text}"
    );
}

#[test]
fn hover_on_actor() {
    check(
        "actor",
        &device("verification v { method: test, scope: [us$0er] }\n"),
        expect![[r#"
            ```ward
            actor user "Patient" in home
            ```
            - **kind**: `human`
            - **zone**: `home` (trust `untrusted`)
            - **stores**: none
            - **fleet**: `per_patient`
            - **controlled_by**: `patient`

            attack entry point (zone of trust `untrusted` or lower)

            **Generated threats** (2)
            - `patient_account_impersonation@user`: acceptable → acceptable — Impersonation of user by someone with their phone or password
            - `user_action_repudiation@user`: acceptable → acceptable — user denies an action taken through the system
        "#]],
    );
}

#[test]
fn hover_on_flow() {
    check(
        "flow",
        &device("usecase daily { steps: [f_read, f$0_up] }\n"),
        expect![[r#"
            ```ward
            flow f_up: app -> api "Upload"
            ```
            - **protocol**: `https`
            - **carries**: `glucose` (telemetry; C medium, I high, A high)
            - **authenticated**: `true`
            - **auth**: `unspecified`
            - **server_authenticated**: `true`
            - **encrypted**: `true`
            - **integrity_protected**: `false`

            **Crosses a trust boundary**: `home` (untrusted) → `cloud` (controlled), into higher trust

            **Generated threats** (2)
            - `network_flow_disruption@f_up`: unacceptable → unacceptable — Disruption of https flow f\_up delays glucose
            - `server_input_injection@api`: unacceptable → unacceptable — Injection through input from app \(home\) into api
        "#]],
    );
}

#[test]
fn hover_on_hazard() {
    check(
        "hazard",
        &device("data log { kind: log, hazards { integrity: [missed$0_low] } }\n"),
        expect![[r#"
            ```ward
            hazard missed_low "Low glucose not alarmed"
            ```
            The one hazard of this device\.

            - **severity**: `catastrophic`
            - **hazardous_situation**: "Patient hypoglycaemic without an alarm"
            - **harm**: "Seizure\, death"
            - **rmf_ref**: "HA\-001"
            - **rmf_risk**: "S5 x P2\: acceptable after RC\-04 \(RMF\-CGM\-001\)"
        "#]],
    );
}

#[test]
fn hover_on_threat() {
    check(
        "threat",
        &device("accept ble$0_jam { level: review, rationale: \"The loss alarm limits harm\" }\n"),
        expect![[r#"
            ```ward
            threat ble_jam "BLE jamming hides low-glucose readings"
            ```
            Jamming is cheap and needs no access to the device\.

            - **stride**: `denial_of_service`
            - **targets**: `f_read`
            - **hazards**: `missed_low`

            **Risk** (policy Exploitability\-based 5x5 \(FDA premarket guidance\, AAMI TIR57\))
            - **severity**: `catastrophic`
            - **exploitability**: `moderate` (given)
            - **security impact**: `high`
            - **initial risk**: `unacceptable` (security risk `review`, safety-related security risk `unacceptable`)
            - **residual (planned)**: `review` (security risk `review`, safety-related security risk `acceptable`): exploitability `moderate`, severity `minor`
            - **residual (verified)**: `review` (security risk `review`, safety-related security risk `acceptable`): exploitability `moderate`, severity `minor`
            - **judged residual**: `review` (planned; **not controlled**)
            - **accepted**: at `review`

            **Controls**
            - `loss_alarm` (resiliency, verified, reduces 0)
        "#]],
    );
}

#[test]
fn hover_on_rule() {
    check(
        "rule",
        &device(
            r#"rule ble_jamming$0 "Jamming of {id}" {
  stride: denial_of_service
  affects: [availability, telemetry]
  applies_to: flow
  when: protocol in [ble]
  exploitability: moderate
  capec: [603]
}
"#,
        ),
        expect![[r#"
            ```ward
            rule ble_jamming "Jamming of {id}"
            ```
            - **stride**: `denial_of_service`
            - **affects**: `availability`, `telemetry`
            - **applies_to**: `flow`
            - **exploitability**: `moderate`
            - **suggest**: none
            - **capec**: 603
            - **cwe**: none

            **Generates 1 threat**
            - `ble_jamming@f_read`: unacceptable → unacceptable
        "#]],
    );
}

#[test]
fn hover_on_control() {
    check(
        "control",
        &device(
            r#"control watchdog$0 "Sensor watchdog" {
  category: resiliency
  mitigates: [ble_jam]
  requirement: "Restart the radio"
  status: implemented
}
"#,
        ),
        expect![[r#"
        ```ward
        control watchdog "Sensor watchdog"
        ```
        - **id**: `watchdog`
        - **category**: `resiliency`
        - **requirement**: "Restart the radio"
        - **acceptance**: not given
        - **mitigates**: `ble_jam`
        - **reduces**: 0
        - **independent**: `false`
        - **implemented_in**: none
        - **verification**: none
        - **status**: `implemented`
    "#]],
    );
}

#[test]
fn hover_on_verification() {
    check(
        "verification",
        &device(
            "control c { category: resiliency, requirement: \"Log\", verification: [v$0t_1] }\n",
        ),
        expect![[r#"
            ```ward
            verification vt_1 "Signal-loss alarm test"
            ```
            - **type**: `threat_mitigation`
            - **method**: `test`
            - **report**: "TR\-1"
            - **result**: `pass`
            - **independent**: `false`
            - **scope**: none
        "#]],
    );
}

#[test]
fn hover_on_assumption() {
    check(
        "assumption",
        &device(
            r#"assumption home_$0hostile "The home network is hostile" {
  rationale: "Consumer routers"
  applies_to: [home, f_up]
}
"#,
        ),
        expect![[r#"
            ```ward
            assumption home_hostile "The home network is hostile"
            ```
            - **rationale**: "Consumer routers"
            - **applies_to**: `home`, `f_up`
        "#]],
    );
}

#[test]
fn hover_on_accept() {
    // An accepted threat that resolves hovers as the threat; the accept
    // itself is what is left to show when it does not.
    check_with_errors(
        "accept",
        &device(
            r#"accept ble_ja$0m_v2 {
  level: review
  rationale: "The loss alarm limits harm"
  approved_by: "Board"
}
"#,
        ),
        &["E0111"],
        expect![[r#"
            ```ward
            accept ble_jam_v2
            ```
            - **level**: `review`
            - **rationale**: "The loss alarm limits harm"
            - **benefit**: not given
            - **benefit_risk**: not given
            - **approved_by**: "Board"
            - **date**: not given
        "#]],
    );
}

#[test]
fn hover_on_disposition() {
    // A dispositioned threat that resolves hovers as the threat (with its
    // disposition); the disposition itself is what is left when it does not.
    check_with_errors(
        "disposition",
        &device(
            r#"disposition ble_ja$0m_v2 {
  status: in_progress
  ticket: "SEC-12"
}
"#,
        ),
        &["E0111"],
        expect![[r#"
            ```ward
            disposition ble_jam_v2
            ```
            - **status**: `in_progress`
            - **rationale**: not given
            - **approver**: not given
            - **date**: not given
            - **ticket**: "SEC\-12"
            - **target_hash**: not given
        "#]],
    );
}

#[test]
fn hover_on_a_dispositioned_threat_shows_its_status_and_ticket() {
    check(
        "threat",
        &device("disposition ble$0_jam { status: in_progress, ticket: \"SEC-12\" }\n"),
        expect![[r#"
            ```ward
            threat ble_jam "BLE jamming hides low-glucose readings"
            ```
            Jamming is cheap and needs no access to the device\.

            - **stride**: `denial_of_service`
            - **targets**: `f_read`
            - **hazards**: `missed_low`

            **Risk** (policy Exploitability\-based 5x5 \(FDA premarket guidance\, AAMI TIR57\))
            - **severity**: `catastrophic`
            - **exploitability**: `moderate` (given)
            - **security impact**: `high`
            - **initial risk**: `unacceptable` (security risk `review`, safety-related security risk `unacceptable`)
            - **residual (planned)**: `review` (security risk `review`, safety-related security risk `acceptable`): exploitability `moderate`, severity `minor`
            - **residual (verified)**: `review` (security risk `review`, safety-related security risk `acceptable`): exploitability `moderate`, severity `minor`
            - **judged residual**: `review` (planned; **not controlled**)
            - **disposition**: `in_progress`, ticket "SEC\-12"

            **Controls**
            - `loss_alarm` (resiliency, verified, reduces 0)
        "#]],
    );
}

#[test]
fn hover_on_an_accept_list_shows_the_record_and_its_threats() {
    // Off the references (on the `[`), the accept itself: every threat it
    // covers and the decision record.
    check(
        "accept",
        &device(&format!(
            "{BLE_RULE}accept $0[ble_jam, ble_jamming@f_read] {{\n  level: review\n  rationale: \"The loss alarm limits harm\"\n  approved_by: \"Board, RR-1\"\n  date: \"2026-03-14\"\n}}\n"
        )),
        expect![[r#"
            ```ward
            accept [ble_jam, ble_jamming@f_read]
            ```
            - **threats**: `ble_jam`, `ble_jamming@f_read`
            - **level**: `review`
            - **rationale**: "The loss alarm limits harm"
            - **benefit**: not given
            - **benefit_risk**: not given
            - **approved_by**: "Board\, RR\-1"
            - **date**: "2026\-03\-14"
        "#]],
    );
}

#[test]
fn hover_on_usecase() {
    check(
        "usecase",
        &device(
            "usecase dai$0ly \"Daily monitoring\" { state: monitoring, steps: [f_read, f_up] }\n",
        ),
        expect![[r#"
            ```ward
            usecase daily "Daily monitoring"
            ```
            - **state**: "monitoring"
            - **steps**: 1. `f_read` 2. `f_up`
        "#]],
    );
}

#[test]
fn hover_on_approval() {
    check(
        "approval",
        &device(
            "approval dr$03 {\n  role: \"Design review chair\"\n  name: \"A. Example\"\n  \
             date: \"2026-11-30\"\n  scope: model\n  approved_hash: \"sha256:00\"\n}\n",
        ),
        expect![[r#"
            ```ward
            approval dr3
            ```
            - **role**: "Design review chair"
            - **name**: "A\. Example"
            - **date**: `2026-11-30`
            - **scope**: `model`
            - **approved_hash**: `sha256:00`
            - **note**: not given
        "#]],
    );
}

/// On a component's reference to it: version, supplier, support status and
/// end of support first, then the identifiers and who runs it.
#[test]
fn hover_on_software() {
    check(
        "software",
        &device(
            "software zephyr_rtos \"Zephyr RTOS\" {\n  supplier: \"Zephyr Project\"\n  \
             version: \"3.6.0\"\n  purl: \"pkg:github/zephyrproject-rtos/zephyr@v3.6.0\"\n  \
             author: \"Acme SBOM tooling\"\n  timestamp: \"2026-11-30\"\n  support: limited\n  \
             end_of_support: \"2029-12-31\"\n}\n\
             component fw \"Firmware\" in sensor_hw { kind: firmware, software: [zephyr$0_rtos] }\n",
        ),
        expect![[r#"
            ```ward
            software zephyr_rtos "Zephyr RTOS"
            ```
            - **version**: "3\.6\.0"
            - **supplier**: "Zephyr Project"
            - **support**: `limited`
            - **end_of_support**: `2029-12-31`
            - **purl**: "pkg\:github\/zephyrproject\-rtos\/zephyr\@v3\.6\.0"
            - **cpe**: not given
            - **depends_on**: none
            - **run by**: `fw`
        "#]],
    );
}

/// On an anomaly's name: its software, CWE, both assessments, the hazards
/// considered and the rationale for release.
#[test]
fn hover_on_anomaly() {
    check(
        "anomaly",
        &device(
            "software zephyr_rtos \"Zephyr RTOS\" {\n  supplier: \"Zephyr Project\"\n  \
             version: \"3.6.0\"\n  purl: \"pkg:github/zephyrproject-rtos/zephyr@v3.6.0\"\n  \
             author: \"Acme SBOM tooling\"\n  timestamp: \"2026-11-30\"\n  support: limited\n  \
             end_of_support: \"2029-12-31\"\n}\n\
             anomaly an$0_12 \"Trend arrow lags\" {\n  software: [zephyr_rtos]\n  cwe: 682\n  \
             safety_impact: \"None: alarms use raw values.\"\n  security_impact: \"None.\"\n  \
             rationale: \"Cosmetic; fixed in 1.1.\"\n}\n",
        ),
        expect![[r#"
            ```ward
            anomaly an_12 "Trend arrow lags"
            ```
            - **software**: `zephyr_rtos`
            - **cwe**: CWE-682
            - **safety_impact**: "None\: alarms use raw values\."
            - **security_impact**: "None\."
            - **hazards**: none
            - **rationale**: "Cosmetic\; fixed in 1\.1\."
            - **ticket**: not given
        "#]],
    );
}

/// On the monitoring plan's name: sources, disclosure contact and policy,
/// and the patch timelines.
#[test]
fn hover_on_monitoring() {
    check(
        "monitoring",
        &device(
            "monitoring post$0market \"Plan\" {\n  sources: [\"NVD\", \"CISA KEV\"]\n  \
             cvd_contact: \"security@acme.example\"\n  patch_within { uncontrolled: 30 }\n}\n",
        ),
        expect![[r#"
            ```ward
            monitoring postmarket "Plan"
            ```
            - **sources**: "NVD", "CISA KEV"
            - **cvd_contact**: "security\@acme\.example"
            - **cvd_policy**: not given
            - **patch_within**: uncontrolled 30 days, controlled not given
        "#]],
    );
}

#[test]
fn hover_on_policy() {
    check(
        "policy",
        r#"system demo { policy: clinic$0_sop }
policy clinic_sop "Clinic risk matrix" {
  severity: [minor, serious]
  exploitability: [low, high]
  matrix {
    minor: [acceptable, review]
    serious: [review, unacceptable]
  }
  security_matrix {
    none: [acceptable, acceptable]
    low: [acceptable, review]
    medium: [review, review]
    high: [review, unacceptable]
  }
  require_verified: true
}
"#,
        expect![[r#"
            ```ward
            policy clinic_sop "Clinic risk matrix"
            ```
            - **severity**: `minor`, `serious`
            - **exploitability**: `low`, `high`
            - **controlled**: `acceptable`
            - **require_verified**: `true`
            - **transfer_basis**: not given

            `matrix`: safety-related security risk (severity × exploitability). `security_matrix`: security risk (security impact × exploitability). Exploitability rates how feasible an exploit is, not how often it happens.

            *The policy in force.*
        "#]],
    );
}

#[test]
fn hover_on_generated_threat() {
    check(
        "generated_threat",
        &mitigating("ble_jamming@f_r$0ead"),
        expect![[r#"
            ```ward
            threat ble_jamming@f_read
            ```
            **Jamming of f\_read**

            - **stride**: `denial_of_service`
            - **targets**: `f_read`
            - **hazards**: `missed_low`

            **Risk** (policy Exploitability\-based 5x5 \(FDA premarket guidance\, AAMI TIR57\))
            - **severity**: `catastrophic`
            - **exploitability**: `moderate` (from rule `ble_jamming`)
            - **security impact**: `high`
            - **initial risk**: `unacceptable` (security risk `review`, safety-related security risk `unacceptable`)
            - **residual (planned)**: `unacceptable` (security risk `review`, safety-related security risk `unacceptable`): exploitability `moderate`, severity `catastrophic`
            - **residual (verified)**: `unacceptable` (security risk `review`, safety-related security risk `unacceptable`): exploitability `moderate`, severity `catastrophic`
            - **judged residual**: `unacceptable` (planned; **not controlled**)

            **Controls**
            - `c` (resiliency, proposed, reduces 0)
        "#]],
    );
}

#[test]
fn hover_on_stale_generated_threat() {
    check(
        "generated_threat",
        &mitigating("ble_jamming@f_u$0p"),
        expect![[r#"
        ```ward
        threat ble_jamming@f_up
        ```
        Rule `ble_jamming` generates no threat for `f_up`: its `when` does not hold there.
    "#]],
    );
}

#[test]
fn hover_on_use_file() {
    check(
        "use_file",
        r#"//- /main.ward
system demo {}
use "zo$0nes.ward"
//- /zones.ward
zone home { trust: untrusted }
"#,
        expect![[r#"
            ```ward
            use "zones.ward"
            ```
            `$ROOT/zones.ward`
        "#]],
    );
}

#[test]
fn hover_on_std_file() {
    let cursor = load("system demo {}\nuse std::str$0ide\n");
    assert_eq!(hovered_kind(&cursor), Some("std_file"));
    let text = hover_text(&cursor).unwrap();
    // The rule count follows the standard library; the form does not.
    let count = text
        .strip_prefix(
            "Standard library file `<std>/stride.ward`\n\nRules declared here, all in force: ",
        )
        .and_then(|rest| rest.strip_suffix(".\n"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(count.parse::<usize>().unwrap() > 0, "{text}");
}

/// The standard policy says what its two matrices are and never calls
/// exploitability a probability (issue #13).
#[test]
fn hover_on_the_standard_policy_names_both_risks() {
    let cursor = load("system demo { policy: std::policy::iso14971$0_5x5 }\n");
    assert_eq!(hovered_kind(&cursor), Some("policy"));
    let text = hover_text(&cursor).unwrap();
    assert!(
        text.contains(
            "policy iso14971_5x5 \"Exploitability-based 5x5 (FDA premarket guidance, AAMI TIR57)\""
        ),
        "{text}"
    );
    assert!(
        text.contains("`matrix`: safety-related security risk (severity × exploitability)"),
        "{text}"
    );
    assert!(
        text.contains("`security_matrix`: security risk (security impact × exploitability)"),
        "{text}"
    );
    // The transfer basis is the one sentence allowed to speak of probability:
    // the risk management file's estimate of the probability of harm.
    let basis = "the risk management file estimates the probability of harm";
    assert!(text.contains(basis), "{text}");
    let rest = text.replace(basis, "");
    assert!(!rest.to_lowercase().contains("probab"), "{text}");
    assert!(!text.contains("P1"), "{text}");
}

#[test]
fn hover_on_a_reference_is_the_declarations() {
    let on_reference = hover_text(&load(&device("usecase u { steps: [f$0_up] }\n"))).unwrap();
    let declaration = DEVICE.replace("flow f_up:", "flow f$0_up:");
    let on_declaration = hover_text(&load(&format!(
        "{declaration}usecase u {{ steps: [f_up] }}\n"
    )))
    .unwrap();
    assert_eq!(on_reference, on_declaration);
    assert!(
        on_reference.starts_with("```ward\nflow f_up: app -> api \"Upload\"\n```"),
        "{on_reference}"
    );
}

#[test]
fn no_hover_on_whitespace_comments_or_keywords() {
    check_none(&device("\n  $0  \n"));
    check_none(&device("// a comment on f_$0read\n"));
    check_none(&device(
        "/// a doc comment on f_$0read\nusecase u { steps: [f_read] }\n",
    ));
    check_none(&device("usec$0ase u { steps: [f_read] }\n"));
}

#[test]
fn no_hover_on_an_unknown_id() {
    let cursor = load(&device("usecase u { steps: [f_read, f_nowh$0ere] }\n"));
    assert!(
        cursor.snapshot.diagnostics().any(|d| d.code == "E0111"),
        "the fixture names an unknown id"
    );
    assert_eq!(hover_text(&cursor), None);
}

/// Every kind the hover dispatches on has its `hover_on_KIND` test, which
/// checks that the marker is on that kind.
#[test]
fn every_kind_has_a_fixture_test() {
    let source = include_str!("tests.rs");
    let kinds = DeclKind::ALL
        .iter()
        .map(|k| k.keyword())
        .chain(OTHER_KINDS.iter().copied());
    for kind in kinds {
        let start = source
            .find(&format!("fn hover_on_{kind}()"))
            .unwrap_or_else(|| panic!("hover kind `{kind}` has no fixture test `hover_on_{kind}`"));
        let body = &source[start..];
        let body = &body[..body.find("\n}\n").unwrap_or(body.len())];
        assert!(
            body.contains(&format!("\"{kind}\"")),
            "`hover_on_{kind}` does not check that the hover is about a {kind}"
        );
    }
}

/// The `sbom:` value of a component: the file, format, spec version and
/// the packages imported; an imported package's hover names its SBOM.
#[test]
fn hover_on_sbom() {
    const SBOM: &str = "//- /sbom/fw.cdx.json\n{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\",\n\
        \"metadata\": {\"timestamp\": \"2026-11-30T00:00:00Z\"},\n\
        \"components\": [\n\
        {\"bom-ref\": \"z\", \"type\": \"operating-system\", \"name\": \"Zephyr RTOS\", \"version\": \"3.7.0\", \"purl\": \"pkg:github/zephyrproject-rtos/zephyr@v3.7.0\"},\n\
        {\"bom-ref\": \"m\", \"type\": \"library\", \"name\": \"mbedtls\", \"version\": \"3.6.2\", \"purl\": \"pkg:github/Mbed-TLS/mbedtls@v3.6.2\"}],\n\
        \"dependencies\": [{\"ref\": \"z\", \"dependsOn\": [\"m\"]}]}\n";
    check(
        "sbom",
        &format!(
            "{}{SBOM}",
            device("component fw \"Firmware\" in sensor_hw { kind: firmware, sbom: \"sbom/f$0w.cdx.json\" }\n")
        ),
        expect![[r#"
            **SBOM** `sbom/fw.cdx.json` of `fw`

            CycloneDX 1\.6: 2 packages imported as software:

            - `zephyr_v3_7_0`: Zephyr RTOS 3\.7\.0
            - `mbedtls_v3_6_2`: mbedtls 3\.6\.2
        "#]],
    );
    check(
        "software",
        &format!(
            "{}{SBOM}",
            device("component fw \"Firmware\" in sensor_hw { kind: firmware, sbom: \"sbom/fw.cdx.json\" }\n\
                    software fw_image \"fw-image\" {\n  supplier: \"Acme\"\n  version: \"1.0\"\n  purl: \"pkg:generic/fw-image@1.0\"\n  \
                    author: \"Acme\"\n  timestamp: \"2026-11-30\"\n  depends_on: [zephyr$0_v3_7_0]\n  support: supported\n  \
                    end_of_support: \"2030-12-31\"\n}\n")
        ),
        expect![[r#"
            ```ward
            software zephyr_v3_7_0 "Zephyr RTOS"
            ```
            - **version**: "3\.7\.0"
            - **supplier**: ""
            - **support**: not given
            - **end_of_support**: not given
            - **purl**: "pkg\:github\/zephyrproject\-rtos\/zephyr\@v3\.7\.0"
            - **cpe**: not given
            - **depends_on**: `mbedtls_v3_6_2`
            - **run by**: `fw`
            - **imported from**: `sbom/fw.cdx.json` (`z`)
        "#]],
    );
}

/// A property key shows the vocabulary table's doc, type and default.
#[test]
fn hover_on_property_key() {
    check(
        "property_key",
        &device("zone lab { tru$0st: controlled }\n"),
        expect![[r#"
            ```ward
            zone.trust
            ```
            how far what is inside the zone is trusted: `hostile < untrusted < controlled < trusted`

            - **type**: one of `hostile`, `untrusted`, `controlled`, `trusted`
            - **default**: the enclosing zone's, else `untrusted`
        "#]],
    );
}

#[test]
fn property_keys_of_each_declaration_family_hover_from_the_table() {
    let cases = [
        (
            "zone",
            "zone home { trust: untrusted, physical_$0access: true }\n".to_owned(),
            language::ZONE_PHYSICAL_ACCESS,
        ),
        (
            "data",
            device("data d { kind: telemetry, confidenti$0ality: low }\n"),
            language::DATA_CONFIDENTIALITY,
        ),
        (
            "component",
            device("component c in home { kind: service, up$0datable: true }\n"),
            language::COMPONENT_UPDATABLE,
        ),
        (
            "control",
            device("control c2 { category: resiliency, requirement: \"R\", sta$0tus: planned }\n"),
            language::CONTROL_STATUS,
        ),
        (
            "verification",
            device("verification v2 { type: threat_mitigation, met$0hod: test }\n"),
            language::VERIFICATION_METHOD,
        ),
        (
            "accept",
            device("accept ble_jam { level: review, ratio$0nale: \"Rare\" }\n"),
            language::ACCEPT_RATIONALE,
        ),
    ];
    for (family, fixture, spec) in cases {
        let cursor = load(&fixture);
        assert_eq!(hovered_kind(&cursor), Some("property_key"), "{family}");
        let text = hover_text(&cursor).expect("a hover on the key");
        assert!(
            text.starts_with(&format!("```ward\n{family}.{}\n```\n", spec.key)),
            "{family}: {text}"
        );
        assert!(text.contains(spec.doc), "{family}: no doc in {text}");
        assert!(
            text.contains(&spec.value.describe()),
            "{family}: no type in {text}"
        );
        if spec.required {
            assert!(text.contains("- **required**: yes"), "{family}: {text}");
        } else {
            assert!(
                text.contains(&format!("- **default**: {}", spec.default)),
                "{family}: {text}"
            );
        }
    }
}

#[test]
fn a_value_is_not_a_property_key_and_an_unknown_key_has_no_hover() {
    let cursor = load("zone home { trust: untr$0usted }\n");
    assert_ne!(hovered_kind(&cursor), Some("property_key"));
    check_none("zone home { trust: untrusted, col$0our: red }\n");
}

const VULNERABLE_SOFTWARE: &str =
    "software mbedtls \"Mbed TLS\" {\n  supplier: \"Trusted Firmware\"\n  \
     version: \"3.6.0\"\n  purl: \"pkg:github/Mbed-TLS/mbedtls@v3.6.0\"\n  \
     author: \"Acme SBOM tooling\"\n  timestamp: \"2026-11-30\"\n  support: supported\n  \
     end_of_support: \"2027-03-31\"\n}\n";

const VULNERABILITY: &str = "vulnerability psa_overflow \"Mbed TLS PSA key export overflow\" {\n  \
     advisory: \"CVE-2024-45158\"\n  software: [mbedtls]\n  introduced: \"3.0.0\"\n  \
     fixed: \"3.6.1\"\n  cvss: \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"\n  \
     kev_added: \"2024-10-01\"\n  status: affected\n}\n";

/// On a `vulnerability`: the advisory, the software it is stated for and
/// whether the version in use is in its range, the range, CVSS, KEV, status.
#[test]
fn hover_on_vulnerability() {
    check(
        "vulnerability",
        &device(&format!(
            "{VULNERABLE_SOFTWARE}{}component fw \"Firmware\" in sensor_hw {{ kind: firmware, software: [mbedtls] }}\n",
            VULNERABILITY.replace("psa_overflow", "psa_$0overflow")
        )),
        expect![[r#"
            ```ward
            vulnerability psa_overflow "Mbed TLS PSA key export overflow"
            ```
            - **advisory**: `CVE-2024-45158`
            - **software**: `mbedtls` 3.6.0 (in range)
            - **range**: introduced 3.0.0; fixed 3.6.1
            - **cvss**: `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H` (base 9.8, exploitability 3.9)
            - **kev**: listed, added 2024-10-01
            - **status**: `affected`
        "#]],
    );
}

/// On a component's reference to software: its vulnerabilities, with
/// status and KEV listing, after who runs it.
#[test]
fn hover_on_software_lists_its_vulnerabilities() {
    let text = hover_text(&load(&device(&format!(
        "{VULNERABLE_SOFTWARE}{VULNERABILITY}component fw \"Firmware\" in sensor_hw {{ kind: firmware, software: [mbed$0tls] }}\n"
    ))))
    .expect("a hover at the marker");
    assert!(
        text.contains("**vulnerabilities**: `CVE-2024-45158` affected, KEV-listed"),
        "{text}"
    );
}
