//! The importers on the tools' real demo models and on malformed input:
//! what each maps (asserted on known facts, and the whole summary
//! snapshotted), that the generated model compiles and derives threats with
//! `use std::stride`, and that bad input is an error at its line, never a
//! panic.

use std::path::{Path, PathBuf};
use ward_diagnostics::{Diagnostic, FileId, SourceFile, SourceMap};
use ward_import::{import, Format, Imported, Input, MANIFEST_FILE, MODEL_FILE};
use ward_model::{ActorKind, ComponentKind, ElementKind, Target};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/import")
        .join(name)
}

fn run(format: Format, text: &str) -> Result<Imported, Vec<Diagnostic>> {
    import(
        format,
        &Input {
            file: FileId(0),
            text,
        },
    )
}

fn run_fixture(format: Format, name: &str) -> Imported {
    let text = ward_import::read_input(&fixture(name)).unwrap();
    run(format, &text).unwrap_or_else(|e| panic!("{name}: {e:#?}"))
}

/// The generated model, compiled and analysed as `ward check` does.
fn analyse(imported: &Imported) -> (ward_model::Compiled, ward_analysis::Analysis) {
    let files: Vec<(&str, &str)> = imported
        .files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let compiled = ward_model::compile_memory(&files, MANIFEST_FILE);
    let errors: Vec<&Diagnostic> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(
        errors.is_empty(),
        "the import does not compile: {errors:#?}"
    );
    let analysis = ward_analysis::analyze_compiled(&compiled).unwrap();
    (compiled, analysis)
}

fn model_text(imported: &Imported) -> &str {
    &imported
        .files
        .iter()
        .find(|(n, _)| n == MODEL_FILE)
        .unwrap()
        .1
}

/// (title, reason) of each out-of-scope element, then flow (the reverse
/// of a `<->` flow is not listed again).
fn out_of_scope(compiled: &ward_model::Compiled) -> Vec<(String, String)> {
    let model = &compiled.model;
    let elements = (model.elements.iter()).map(|e| (&e.meta.title, &e.out_of_scope));
    let flows = (model.flows.iter())
        .filter(|f| f.reverse_of.is_none())
        .map(|f| (&f.meta.title, &f.out_of_scope));
    elements
        .chain(flows)
        .filter_map(|(title, reason)| Some((title.clone(), reason.clone()?)))
        .collect()
}

/// The summary lists `what` as out of scope with a reason the importer
/// wrote (the source gave none).
fn assert_reason_defaulted(imported: &Imported, what: &str) {
    let notes = &imported.summary.approximated;
    assert!(
        (notes.iter())
            .any(|n| n.what == what && n.reason.contains("out of scope without a reason")),
        "{what}: {notes:#?}"
    );
}

/// No rule-generated threat targets an out-of-scope element or flow.
fn assert_no_rule_threat_out_of_scope(
    compiled: &ward_model::Compiled,
    analysis: &ward_analysis::Analysis,
) {
    let model = &compiled.model;
    for threat in (analysis.threats.iter()).filter(|t| t.origin == ward_analysis::Origin::Rule) {
        for target in &threat.targets {
            let reason = match *target {
                Target::Element(e) => &model.element(e).out_of_scope,
                Target::Flow(f) => &model.flows[f.index()].out_of_scope,
            };
            assert!(
                reason.is_none(),
                "{} is on an out-of-scope target",
                threat.id
            );
        }
    }
}

/// The line of the error's span (1-based) in `text`.
fn error_line(text: &str, error: &Diagnostic) -> usize {
    let span = error.span.expect("the error has a location");
    let mut sources = SourceMap::new();
    sources.add(SourceFile::new("input", None, text));
    sources.get(FileId(0)).line_col(span.start as usize).line
}

fn only_error(result: Result<Imported, Vec<Diagnostic>>) -> Diagnostic {
    let errors = result.expect_err("the input is refused");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    errors.into_iter().next().unwrap()
}

#[test]
fn threagile_example_imports_compiles_and_derives_threats() {
    let imported = run_fixture(Format::Threagile, "threagile-example.yaml");
    let summary = &imported.summary;
    assert_eq!(summary.count("zone"), 6, "5 boundaries and the Internet");
    assert_eq!(summary.count("data"), 12);
    assert_eq!(
        summary.count("component") + summary.count("actor"),
        15,
        "14 technical assets and the shared runtime"
    );
    assert_eq!(summary.count("threat"), 2, "the two individual risks");
    let (compiled, analysis) = analyse(&imported);
    let model = &compiled.model;
    assert!(model.uses_stride);
    let find = |name: &str| {
        model
            .elements
            .iter()
            .find(|e| e.meta.title == name)
            .unwrap_or_else(|| panic!("no element {name}"))
    };
    let zone_title =
        |id: Option<ward_model::ZoneId>| model.zones[id.unwrap().index()].meta.title.clone();
    // A known asset's kind and a known boundary's zone.
    assert_eq!(
        find("Customer Contract Database").kind,
        ElementKind::Component(ComponentKind::Datastore)
    );
    assert_eq!(
        find("Apache Webserver").kind,
        ElementKind::Component(ComponentKind::WebApp)
    );
    assert_eq!(zone_title(find("Apache Webserver").zone), "Web DMZ");
    assert_eq!(zone_title(find("Customer Web Client").zone), "Internet");
    let web_dmz = model
        .zones
        .iter()
        .find(|z| z.meta.title == "Web DMZ")
        .unwrap();
    assert_eq!(web_dmz.trust.to_string(), "trusted");
    let parent = web_dmz.parent.expect("Web DMZ is nested");
    assert_eq!(zone_title(Some(parent)), "Application Network");
    let internet = model
        .zones
        .iter()
        .find(|z| z.meta.title == "Internet")
        .unwrap();
    assert_eq!(internet.trust.to_string(), "hostile");
    // Data ratings through the documented table (strictly-confidential ->
    // high, mission-critical -> high, operational -> low).
    let contracts = model
        .data
        .iter()
        .find(|d| d.meta.title == "Customer Contracts")
        .unwrap();
    assert_eq!(
        [
            contracts.confidentiality,
            contracts.integrity,
            contracts.availability
        ]
        .map(|l| l.to_string()),
        ["high", "high", "low"]
    );
    // Rules derive threats on the imported architecture.
    assert!(analysis.threats.iter().any(|t| t.id.contains('@')));
    assert!(analysis
        .threat("example_individual_risk_at_database")
        .is_some());
    // An asset out of scope is out of scope with Threagile's justification
    // as its reason, and no rule reports a threat on it.
    assert_eq!(
        out_of_scope(&compiled),
        [
            (
                "Customer Web Client",
                "Owned and managed by end-user customer"
            ),
            (
                "Backoffice Client",
                "Owned and managed by Company XYZ company"
            ),
            ("Backend Admin Client", "Owned and managed by ops provider"),
            (
                "External Development Client",
                "Owned and managed by external developers"
            ),
        ]
        .map(|(n, r)| (n.to_string(), r.to_string()))
    );
    assert_no_rule_threat_out_of_scope(&compiled, &analysis);
    insta::assert_snapshot!("threagile_summary", summary.to_string());
}

#[test]
fn threat_dragon_demos_import_compile_and_derive_threats() {
    let demo = run_fixture(Format::ThreatDragon, "td-v2-threat-model.json");
    assert_eq!(demo.summary.count("component"), 6);
    assert_eq!(demo.summary.count("actor"), 1);
    assert_eq!(demo.summary.count("threat"), 13);
    let (compiled, analysis) = analyse(&demo);
    let model = &compiled.model;
    let browser = model
        .elements
        .iter()
        .find(|e| e.meta.title == "Browser")
        .unwrap();
    assert_eq!(browser.kind, ElementKind::Actor(ActorKind::Human));
    let database = model
        .elements
        .iter()
        .find(|e| e.meta.title == "Database")
        .unwrap();
    assert_eq!(
        database.kind,
        ElementKind::Component(ComponentKind::Datastore)
    );
    assert_ne!(
        browser.zone, database.zone,
        "a boundary separates the browser from the database"
    );
    assert!(
        analysis.threats.iter().any(|t| t.id.contains('@')),
        "std::stride derives threats"
    );
    // A Mitigated threat's mitigation is an implemented control, an Open
    // one's a proposed control.
    let text = model_text(&demo);
    assert!(text.contains("status: implemented"));
    assert!(text.contains("status: proposed"));
    // Threat Dragon's out-of-scope store and flows are out of scope, with
    // its reason, or one naming Threat Dragon when it gives none.
    assert_eq!(
        out_of_scope(&compiled),
        [
            (
                "Web Application Config",
                "out of scope in Threat Dragon, which gives no reason"
            ),
            (
                "Read web app config",
                "This data flow represents a read from the file system"
            ),
            (
                "Read worker config",
                "This data flow represents a read from the file system"
            ),
        ]
        .map(|(n, r)| (n.to_string(), r.to_string()))
    );
    assert_reason_defaulted(&demo, "element \"Web Application Config\"");
    assert_no_rule_threat_out_of_scope(&compiled, &analysis);
    // The threat Threat Dragon lists on the out-of-scope store is kept, and
    // `ward check` says it contradicts the scope.
    assert!(compiled
        .diagnostics
        .iter()
        .any(|d| d.code.as_str() == "W0160" && d.message.contains("web_application_config")));
    // W0620 lists each element's guessed zone.
    let guesses = &demo.warnings;
    assert_eq!(guesses.len(), 1);
    assert_eq!(guesses[0].code.as_str(), "W0620");
    assert_eq!(guesses[0].notes.len(), 7, "one note per element");
    insta::assert_snapshot!("threat_dragon_demo_summary", demo.summary.to_string());

    let iot = run_fixture(Format::ThreatDragon, "td-iot-device.json");
    assert_eq!(
        iot.summary.count("component") + iot.summary.count("actor"),
        11
    );
    assert_eq!(
        iot.summary.count("zone"),
        2,
        "one boundary curve: two sides"
    );
    let (compiled, analysis) = analyse(&iot);
    let zone_of = |name: &str| {
        compiled
            .model
            .elements
            .iter()
            .find(|e| e.meta.title == name)
            .unwrap()
            .zone
    };
    assert_eq!(zone_of("Web site"), zone_of("Cloud API"));
    assert_ne!(zone_of("Web site"), zone_of("IoT Device"));
    assert!(!analysis.threats.is_empty());
    insta::assert_snapshot!("threat_dragon_iot_summary", iot.summary.to_string());

    let empty = run_fixture(Format::ThreatDragon, "td-v2-new-model.json");
    assert!(empty.summary.mapped.is_empty());
    analyse(&empty);
}

#[test]
fn names_become_unique_valid_ids_and_strings_are_escaped() {
    let yaml = r#"
threagile_version: 1.0.0
title: 'A "quoted" \ title'
data_assets:
  Données:
    id: d1
    confidentiality: public
    integrity: archive
    availability: mission-critical
technical_assets:
  flow:
    id: a1
    type: process
    technology: web-server
    communication_links:
      Link:
        target: a2
        protocol: https
        authentication: token
        data_assets_sent: [d1]
        data_assets_received: [d1]
  Flow:
    id: a2
    type: process
    technology: quantum-thing
  "3 system":
    id: a3
    type: external-entity
    used_as_client_by_human: false
    technology: browser
  Unauthenticated Crossing:
    id: a4
    type: process
    technology: tool
"#;
    let imported = run(Format::Threagile, yaml).unwrap();
    let (compiled, _) = analyse(&imported);
    let ids: Vec<&str> = compiled
        .model
        .elements
        .iter()
        .map(|e| e.meta.name.as_str())
        .collect();
    // `unauthenticated_crossing` is a rule of std::stride: one namespace.
    assert_eq!(
        ids,
        [
            "flow_2",
            "flow_3",
            "id_3_system",
            "unauthenticated_crossing_2"
        ]
    );
    assert_eq!(compiled.model.data[0].meta.name, "donnees");
    assert_eq!(
        compiled.model.system.as_ref().unwrap().meta.title,
        r#"A "quoted" \ title"#
    );
    // The same data both ways: one `<->` flow.
    assert_eq!(
        compiled
            .model
            .flows
            .iter()
            .filter(|f| !f.meta.name.ends_with(".reverse"))
            .count(),
        1
    );
    assert!(model_text(&imported).contains("<->"));
    // An unknown technology is a process, listed as approximated.
    assert!(imported
        .summary
        .approximated
        .iter()
        .any(|n| n.reason.contains("quantum-thing")));
}

/// Threagile asks for `justification_out_of_scope` but does not require
/// it (its demo leaves it empty on in-scope assets): an out-of-scope asset
/// without one gets a reason naming Threagile, listed as approximated, so
/// the model compiles without E0160. Derived from the demo's "Customer Web
/// Client" and its link to the load balancer.
#[test]
fn an_out_of_scope_asset_without_a_justification_gets_a_reason_naming_threagile() {
    let yaml = r#"
threagile_version: 1.0.0
title: Scope
data_assets:
  Customer Contracts:
    id: customer-contracts
    confidentiality: confidential
    integrity: critical
    availability: operational
technical_assets:
  Customer Web Client:
    id: customer-client
    type: external-entity
    used_as_client_by_human: true
    out_of_scope: true
    justification_out_of_scope:
    technology: browser
    internet: true
    communication_links:
      Customer Traffic:
        target: load-balancer
        protocol: http
        authentication: none
        data_assets_sent: [customer-contracts]
  Load Balancer:
    id: load-balancer
    type: process
    technology: load-balancer
    out_of_scope: false
    justification_out_of_scope: ""
    data_assets_processed: [customer-contracts]
"#;
    let imported = run(Format::Threagile, yaml).unwrap();
    let (compiled, analysis) = analyse(&imported);
    assert_eq!(
        out_of_scope(&compiled),
        [(
            "Customer Web Client".to_string(),
            "out of scope in Threagile, which gives no reason".to_string()
        )]
    );
    assert!(model_text(&imported)
        .contains("out_of_scope: \"out of scope in Threagile, which gives no reason\""));
    assert_reason_defaulted(&imported, "technical asset \"Customer Web Client\"");
    // The link from the client still has threats: the load balancer, in
    // scope, receives it (docs/language.md §3.6).
    assert_no_rule_threat_out_of_scope(&compiled, &analysis);
    let link = compiled
        .model
        .flows
        .iter()
        .position(|f| f.meta.title == "Customer Traffic")
        .unwrap();
    assert!(analysis.threats.iter().any(|t| t
        .targets
        .contains(&Target::Flow(ward_model::FlowId(link as u32)))));
}

#[test]
fn accepted_individual_risks_become_accepts_at_their_judged_level() {
    let yaml = r#"
threagile_version: 1.0.0
title: Tracking
technical_assets:
  DB:
    id: db
    type: datastore
    technology: database
individual_risk_categories:
  Odd:
    id: odd
    stride: tampering
    cwe: 20
    mitigation: Validate everything.
    risks_identified:
      Odd at DB:
        exploitation_likelihood: frequent
        most_relevant_technical_asset: db
  Other:
    id: other
    stride: denial-of-service
    mitigation: Add a replica.
    risks_identified:
      Other at DB:
        exploitation_likelihood: unlikely
        most_relevant_technical_asset: db
risk_tracking:
  odd@db:
    status: accepted
    justification: Only reachable by admins
    checked_by: Jane Doe
    date: 2026-01-04
  other@*:
    status: mitigated
    justification: Replica in place
"#;
    let imported = run(Format::Threagile, yaml).unwrap();
    let (compiled, analysis) = analyse(&imported);
    assert_eq!(compiled.model.accepts.len(), 1);
    let stale: Vec<_> = analysis
        .findings
        .iter()
        .filter(|d| d.code.as_str() == "E0404")
        .collect();
    assert!(
        stale.is_empty(),
        "an imported acceptance is stale: {stale:#?}"
    );
    let text = model_text(&imported);
    assert!(text.contains("accept odd_at_db {"), "{text}");
    assert!(text.contains("approved_by: \"Jane Doe\""));
    assert!(text.contains("date: \"2026-01-04\""));
    // `mitigated` marks the proposed control implemented.
    let control = compiled
        .model
        .controls
        .iter()
        .find(|c| c.meta.title == "Mitigation: Other at DB")
        .unwrap();
    assert_eq!(control.status.to_string(), "implemented");
    assert_eq!(imported.summary.count("accept"), 1);
}

#[test]
fn malformed_threagile_is_an_error_at_its_line() {
    let good = std::fs::read_to_string(fixture("threagile-example.yaml")).unwrap();
    // Truncated in the middle of a flow sequence.
    let truncated = "threagile_version: 1.0.0\ntechnical_assets:\n  A:\n    id: a\n    data_assets_processed: [x, y";
    let error = only_error(run(Format::Threagile, truncated));
    assert_eq!(error.code.as_str(), "E0621");
    assert!(error_line(truncated, &error) >= 5);
    // A wrong type.
    let wrong = "threagile_version: 1.0.0\ntechnical_assets:\n  A:\n    id: a\n    communication_links: none\n";
    let error = only_error(run(Format::Threagile, wrong));
    assert_eq!(error.code.as_str(), "E0622");
    assert_eq!(error_line(wrong, &error), 5);
    assert!(
        error.message.contains("communication_links"),
        "{}",
        error.message
    );
    // An unknown version.
    let old = good.replacen("threagile_version: 1.0.0", "threagile_version: 0.9.0", 1);
    let error = only_error(run(Format::Threagile, &old));
    assert_eq!(error.code.as_str(), "E0623");
    assert_eq!(error_line(&old, &error), 1);
    // A duplicate id.
    let twice = "threagile_version: 1.0.0\ntechnical_assets:\n  A:\n    id: a\n  B:\n    id: a\n";
    let error = only_error(run(Format::Threagile, twice));
    assert_eq!(error.code.as_str(), "E0624");
    assert_eq!(error_line(twice, &error), 6);
    // References to ids that do not exist, each with its line.
    let missing = good.replacen("target: sql-database", "target: sql-databse", 1);
    let errors = run(Format::Threagile, &missing).err().unwrap();
    assert!(errors.iter().all(|e| e.code.as_str() == "E0625"));
    let line = error_line(&missing, &errors[0]);
    assert!(missing
        .lines()
        .nth(line - 1)
        .unwrap()
        .contains("sql-databse"));
    assert!(errors[0]
        .help
        .as_deref()
        .unwrap_or("")
        .contains("sql-database"));
    // Not YAML at all, binary junk, an empty file: errors, no panic.
    for junk in [
        "",
        "[",
        "\u{0}\u{1}\u{2}",
        "threagile_version: [1]",
        "- a\n- b",
    ] {
        assert!(run(Format::Threagile, junk).is_err(), "{junk:?}");
    }
}

#[test]
fn malformed_threat_dragon_is_an_error_at_its_line() {
    let good = std::fs::read_to_string(fixture("td-v2-threat-model.json")).unwrap();
    let truncated = &good[..good.len() / 2];
    let error = only_error(run(Format::ThreatDragon, truncated));
    assert_eq!(error.code.as_str(), "E0621");
    assert_eq!(error_line(truncated, &error), truncated.lines().count());
    let wrong = good.replacen(
        "\"isBidirectional\": false",
        "\"isBidirectional\": \"no\"",
        1,
    );
    let error = only_error(run(Format::ThreatDragon, &wrong));
    assert_eq!(error.code.as_str(), "E0622");
    assert!(wrong
        .lines()
        .nth(error_line(&wrong, &error) - 1)
        .unwrap()
        .contains("\"no\""));
    // The model's own version is its last line but one (the diagram has one too).
    let version = "\"version\": \"2.3.0\"";
    let at = good.rfind(version).unwrap();
    let v1 = format!(
        "{}\"version\": \"1.6.1\"{}",
        &good[..at],
        &good[at + version.len()..]
    );
    let error = only_error(run(Format::ThreatDragon, &v1));
    assert_eq!(error.code.as_str(), "E0623");
    assert!(v1
        .lines()
        .nth(error_line(&v1, &error) - 1)
        .unwrap()
        .contains("1.6.1"));
    // A duplicate cell id: the Database takes the Worker Config's id.
    let twice = good.replace(
        "936557f9-22e2-4bac-bb70-0089c5c2fbe1",
        "a25bbb4e-093f-4238-a620-31efdee452dc",
    );
    let error = run(Format::ThreatDragon, &twice).err().unwrap().remove(0);
    assert_eq!(error.code.as_str(), "E0624");
    // A flow attached to a cell that does not exist.
    let dangling = good.replacen(
        "\"cell\": \"ec574fb4-87e7-494b-88dc-2a3c99172067\"",
        "\"cell\": \"00000000-0000-0000-0000-000000000000\"",
        1,
    );
    let error = only_error(run(Format::ThreatDragon, &dangling));
    assert_eq!(error.code.as_str(), "E0625");
    assert!(dangling
        .lines()
        .nth(error_line(&dangling, &error) - 1)
        .unwrap()
        .contains("00000000-0000"));
    for junk in [
        "",
        "{",
        "null",
        "[]",
        "{\"version\": \"2.0.0\"}",
        "{\"version\": 2}",
    ] {
        assert!(run(Format::ThreatDragon, junk).is_err(), "{junk:?}");
    }
}

#[test]
fn an_input_over_the_cap_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.yaml");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(100 * 1024 * 1024).unwrap();
    let error = ward_import::read_input(&path).unwrap_err();
    assert_eq!(error.code.as_str(), "E0620");
    assert!(
        error.message.contains("larger than 16 MiB"),
        "{}",
        error.message
    );
}

#[test]
fn a_risk_on_a_communication_link_targets_its_flows() {
    let yaml = r#"
threagile_version: 1.0.0
title: Links
data_assets:
  Orders:
    id: orders
  Receipts:
    id: receipts
technical_assets:
  Shop:
    id: shop
    type: process
    technology: web-application
    communication_links:
      "Order Traffic (v2)":
        target: db
        protocol: jdbc-encrypted
        authentication: credentials
        data_assets_sent: [orders]
        data_assets_received: [receipts]
  DB:
    id: db
    type: datastore
    technology: database
individual_risk_categories:
  Sniffing:
    id: sniff
    stride: information-disclosure
    risks_identified:
      Sniffing of orders:
        exploitation_likelihood: likely
        most_relevant_communication_link: shop>order-traffic-v2
"#;
    let imported = run(Format::Threagile, yaml).unwrap();
    let (compiled, _) = analyse(&imported);
    let model = &compiled.model;
    // Different data each way: one request/response flow (`returns`),
    // both directions encrypted; the response carries what was received.
    let flows: Vec<(&str, bool)> = (model.flows.iter())
        .map(|f| (f.meta.name.as_str(), f.is_response))
        .collect();
    let forward = model.flows[0].meta.name.clone();
    assert_eq!(
        flows,
        [
            (forward.as_str(), false),
            (&*format!("{forward}.reverse"), true)
        ]
    );
    assert_eq!(
        model.datum(model.flows[1].carries[0]).meta.title,
        "Receipts",
        "the response carries the data received"
    );
    assert!(model.flows.iter().all(|f| f.encrypted && f.authenticated));
    assert_eq!(model.flows[0].protocol, "jdbc");
    let threat = &model.threats[0];
    assert_eq!(threat.targets.len(), 2, "both flows of the link");
    assert!(model_text(&imported).contains("// from `sniff@shop>order-traffic-v2`"));
}

#[test]
fn a_threat_dragon_boundary_box_holds_the_elements_inside_it() {
    let json = r#"{
  "version": "2.3.0",
  "summary": { "title": "Boxes" },
  "detail": { "diagrams": [ { "title": "D", "cells": [
    { "id": "box", "shape": "trust-boundary-box", "position": { "x": 0, "y": 0 },
      "size": { "width": 300, "height": 300 },
      "data": { "type": "tm.BoundaryBox", "name": "Hospital LAN" } },
    { "id": "pump", "shape": "process", "position": { "x": 50, "y": 50 },
      "size": { "width": 60, "height": 60 },
      "data": { "type": "tm.Process", "name": "Pump \"X\"", "threats": [
        { "title": "Forged dose", "type": "Tampering", "severity": "Critical",
          "status": "Open", "mitigation": "Sign doses." } ] } },
    { "id": "cloud", "shape": "process", "position": { "x": 500, "y": 50 },
      "size": { "width": 60, "height": 60 },
      "data": { "type": "tm.Process", "name": "Cloud" } },
    { "id": "f", "shape": "flow", "source": { "cell": "pump" }, "target": { "cell": "cloud" },
      "data": { "type": "tm.Flow", "name": "Upload", "protocol": "HTTPS",
        "isEncrypted": true, "isBidirectional": true } }
  ] } ] }
}"#;
    let imported = run(Format::ThreatDragon, json).unwrap();
    let (compiled, analysis) = analyse(&imported);
    let model = &compiled.model;
    let zone = |name: &str| {
        let element = model
            .elements
            .iter()
            .find(|e| e.meta.title == name)
            .unwrap();
        model.zones[element.zone.unwrap().index()]
            .meta
            .title
            .clone()
    };
    assert_eq!(zone("Pump \"X\""), "Hospital LAN");
    assert_eq!(zone("Cloud"), "D region 2");
    let flow = &model.flows[0];
    assert!(flow.encrypted);
    assert_eq!(flow.protocol, "https");
    assert!(model_text(&imported).contains("<->"));
    assert!(analysis.threat("forged_dose").is_some());
    // Severity Critical read as the top exploitability.
    let text = model_text(&imported);
    let forged = &text[text.find("threat forged_dose").unwrap()..];
    assert!(forged.contains("exploitability: very_high"), "{forged}");
    assert_eq!(imported.warnings[0].code.as_str(), "W0620");
    assert_eq!(
        imported.warnings[0].notes,
        ["Pump \"X\" -> \"Hospital LAN\"", "Cloud -> \"D region 2\""]
    );
}

/// Hostile structure within the size cap: an alias bomb ("billion
/// laughs") and deep nesting are refused by the parsers' own limits.
#[test]
fn alias_bombs_and_deep_nesting_are_errors() {
    let mut bomb =
        String::from("threagile_version: 1.0.0\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    bomb.push_str("title: *a9\n");
    let error = only_error(run(Format::Threagile, &bomb));
    assert_eq!(error.code.as_str(), "E0621");
    assert!(
        error.message.contains("repetition limit"),
        "{}",
        error.message
    );

    let deep = format!(
        "threagile_version: 1.0.0\ndeep: {}{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    assert_eq!(
        only_error(run(Format::Threagile, &deep)).code.as_str(),
        "E0621"
    );
    let deep = format!(
        "{{\"version\": \"2.3.0\", \"detail\": {}{}}}",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    assert_eq!(
        only_error(run(Format::ThreatDragon, &deep)).code.as_str(),
        "E0621"
    );
}
