//! The rule engine on Ward text: rule matching, `when` semantics, titles,
//! and one triggering and one non-triggering model per std::stride family.

mod common;
use common::*;

/// One std::stride family: `model` with `$` replaced by `trigger` must
/// yield every `expect`ed threat; with `$` replaced by `hardened`, none.
struct Family {
    name: &'static str,
    model: &'static str,
    trigger: &'static str,
    hardened: &'static str,
    expect: &'static [&'static str],
}

const FAMILIES: &[Family] = &[
    Family {
        name: "data flows: tampering and disclosure in transit",
        model: r#"
            data d { kind: telemetry, confidentiality: medium, integrity: high }
            component a in home { kind: mobile_app }
            component b in cloud { kind: service }
            flow f: a -> b { protocol: https, carries: [d], $ }"#,
        trigger: "authenticated: true",
        hardened: "authenticated: true, encrypted: true, integrity_protected: true",
        expect: &["flow_tampering@f", "flow_information_disclosure@f"],
    },
    Family {
        name: "data flows: denial of service",
        model: r#"
            data d { kind: telemetry, availability: $ }
            component a in home { kind: mobile_app }
            component b in hw { kind: device }
            flow f: b -> a { protocol: ble, carries: [d], authenticated: true, encrypted: true }"#,
        trigger: "high",
        hardened: "low",
        expect: &["wireless_jamming@f"],
    },
    Family {
        name: "interactions across trust boundaries",
        model: r#"
            data d { kind: telemetry, integrity: low }
            component a in $ { kind: mobile_app }
            component b in cloud { kind: service }
            flow f: a -> b { protocol: https, carries: [d], encrypted: true }"#,
        trigger: "home",
        hardened: "cloud",
        expect: &["unauthenticated_crossing@f", "server_input_injection@b"],
    },
    Family {
        name: "commands and therapy control",
        model: r#"
            data cmd { kind: command, integrity: high }
            component app in hw { kind: mobile_app }
            component pump in hw { kind: device }
            flow f: app -> pump { protocol: ble, carries: [cmd], encrypted: true, $ }"#,
        trigger: "",
        hardened: "authenticated: true, integrity_protected: true",
        expect: &["unauthenticated_command_path@f"],
    },
    Family {
        name: "commands: replay",
        model: r#"
            data cmd { kind: command, integrity: high }
            component app in hw { kind: mobile_app }
            component pump in hw { kind: device }
            flow f: app -> pump { protocol: ble, carries: [cmd], encrypted: true, authenticated: true, $ }"#,
        trigger: "",
        hardened: "integrity_protected: true",
        expect: &["command_replay@f"],
    },
    Family {
        name: "PHI and credentials in transit",
        model: r#"
            data phi { kind: phi, confidentiality: high }
            data pw { kind: credential, confidentiality: high, integrity: high }
            component app in hw { kind: mobile_app }
            component api in hw { kind: service }
            flow f: app -> api { protocol: https, carries: [phi, pw], authenticated: true, $ }"#,
        trigger: "",
        hardened: "encrypted: true",
        expect: &[
            "cleartext_phi_in_transit@f",
            "cleartext_credentials_in_transit@f",
        ],
    },
    Family {
        name: "PHI, credentials and keys at rest",
        model: r#"
            data phi { kind: phi, confidentiality: high }
            component app in hw { kind: mobile_app, stores: [phi], tags: [$] }"#,
        trigger: "",
        hardened: "encrypted_at_rest",
        expect: &["phi_at_rest_unencrypted@app"],
    },
    Family {
        name: "wireless and wired interfaces",
        model: r#"
            component pump in hw { kind: device, interfaces: [$] }"#,
        trigger: "ble",
        hardened: "ui",
        expect: &[
            "ble_device_tracking@pump",
            "ble_connection_flooding@pump",
            "device_impersonation@pump",
        ],
    },
    Family {
        name: "processes: exposed services",
        model: r#"
            actor user in $ { kind: human }
            component api in cloud { kind: service, stores: [log1] }
            data log1 { kind: log }
            flow f: user -> api { protocol: https, authenticated: true, encrypted: true, integrity_protected: true }"#,
        trigger: "home",
        hardened: "cloud",
        expect: &["rogue_service_endpoint@api", "missing_authorization@api"],
    },
    Family {
        name: "data stores",
        model: r#"
            data phi { kind: phi, confidentiality: high, integrity: high, availability: medium }
            component db in cloud { kind: datastore, stores: [phi], tags: [$] }"#,
        trigger: "",
        hardened: "encrypted_at_rest",
        expect: &["datastore_disclosure@db"],
    },
    Family {
        name: "external entities",
        model: r#"
            actor vendor in $ { kind: external_system }"#,
        trigger: "internet",
        hardened: "cloud",
        expect: &["external_system_spoofing@vendor"],
    },
    Family {
        name: "debug interfaces and physical access",
        model: r#"
            component board in $ { kind: device, interfaces: [jtag, uart] }"#,
        trigger: "hw",
        hardened: "cloud",
        expect: &[
            "debug_port_exposed@board",
            "uart_console_exposed@board",
            "physical_tampering@board",
        ],
    },
    Family {
        name: "configuration",
        model: r#"
            data cfg { kind: config, integrity: high }
            component app in home { kind: mobile_app, stores: [cfg] }
            component pump in hw { kind: device }
            flow f: app -> pump { protocol: usb, carries: [cfg], authenticated: true, $ }"#,
        trigger: "",
        hardened: "encrypted: true",
        expect: &["config_tampering_in_transit@f"],
    },
    Family {
        name: "software updates and boot integrity",
        model: r#"
            data fw { kind: firmware, integrity: high }
            component server in cloud { kind: service, stores: [fw] }
            component pump in hw { kind: device, software: ["fw 1.0"], tags: [secure_boot, anti_rollback] }
            flow f: server -> pump { protocol: https, carries: [fw], encrypted: true, $ }"#,
        trigger: "",
        hardened: "authenticated: true, integrity_protected: true",
        expect: &[
            "unsigned_firmware_in_transit@f",
            "firmware_source_unauthenticated@f",
        ],
    },
    Family {
        name: "software updates: rollback and secure boot",
        model: r#"
            component pump in hw { kind: device, software: ["fw 1.0"], updatable: true, tags: [$] }"#,
        trigger: "",
        hardened: "secure_boot, anti_rollback",
        expect: &["firmware_rollback@pump", "missing_secure_boot@pump"],
    },
    Family {
        name: "third-party software and suppliers",
        model: r#"
            component idp in cloud { kind: cloud_service, controlled_by: $ }"#,
        trigger: "third_party",
        hardened: "manufacturer",
        expect: &["third_party_operated_component@idp"],
    },
    Family {
        name: "shared services and multi-patient harm",
        model: r#"
            data cfg { kind: config, integrity: high }
            component api in cloud { kind: service, fleet: $ }
            component app in home { kind: mobile_app }
            flow f: api -> app { protocol: https, carries: [cfg], authenticated: true, encrypted: true, integrity_protected: true }"#,
        trigger: "shared",
        hardened: "per_patient",
        expect: &["fleet_command_path@f"],
    },
    Family {
        name: "mobile apps, portals, cloud services and gateways",
        model: r#"
            component app in $ { kind: mobile_app }"#,
        trigger: "home",
        hardened: "hw",
        expect: &["mobile_platform_compromise@app"],
    },
    Family {
        name: "logging and repudiation",
        model: r#"
            data audit { kind: log, integrity: medium }
            component api in cloud { kind: service, stores: [$] }"#,
        trigger: "",
        hardened: "audit",
        expect: &["service_without_audit_log@api"],
    },
];

#[test]
fn every_std_stride_family_triggers_on_a_weak_model_and_not_on_a_hardened_one() {
    for family in FAMILIES {
        let model = |value: &str| {
            format!(
                "use std::stride\n{PRELUDE}{}",
                family.model.replace('$', value)
            )
        };
        let (_, weak) = analysed(&model(family.trigger));
        let weak = threat_ids(&weak);
        for id in family.expect {
            assert!(
                weak.iter().any(|t| t == id),
                "{}: expected `{id}` among {weak:?}",
                family.name
            );
        }
        let (_, hardened) = analysed(&model(family.hardened));
        let hardened = threat_ids(&hardened);
        for id in family.expect {
            assert!(
                !hardened.iter().any(|t| t == id),
                "{}: `{id}` still in {hardened:?}",
                family.name
            );
        }
    }
}

#[test]
fn model_rules_apply_without_use_and_stdlib_rules_only_with_it() {
    let body = r#"
        component a in home { kind: mobile_app }
        component b in cloud { kind: service }
        flow f: a -> b { protocol: https }
        rule crossing "Crossing {id}" { stride: spoofing, applies_to: flow, when: crosses_boundary, exploitability: high }
    "#;
    let (_, analysis) = analysed_with_prelude(body);
    assert_eq!(threat_ids(&analysis), vec!["crossing@f"]);
    let (_, analysis) = analysed(&format!("use std::stride\n{PRELUDE}{body}"));
    let ids = threat_ids(&analysis);
    assert!(
        ids.contains(&"crossing@f".to_string())
            && ids.contains(&"unauthenticated_crossing@f".to_string())
    );
    // Threats are sorted by id.
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
}

#[test]
fn rules_apply_to_elements_of_their_kind_and_to_each_flow_direction() {
    let (_, analysis) = analysed_with_prelude(
        r#"
        actor patient in home { kind: human }
        component app in home { kind: mobile_app }
        component api in cloud { kind: service }
        flow f: app <-> api { protocol: https }
        rule any_flow "{id}" { stride: tampering, applies_to: flow, exploitability: low }
        rule any_component "{id}" { stride: tampering, applies_to: component, exploitability: low }
        rule any_actor "{id}" { stride: spoofing, applies_to: actor, exploitability: low }
        "#,
    );
    assert_eq!(
        threat_ids(&analysis),
        vec![
            "any_actor@patient",
            "any_component@api",
            "any_component@app",
            "any_flow@f",
            "any_flow@f.reverse",
        ]
    );
    let reverse = analysis.threat("any_flow@f.reverse").unwrap();
    assert_eq!(reverse.title, "f.reverse");
}

#[test]
fn when_expressions_follow_the_attribute_semantics() {
    let (_, analysis) = analysed_with_prelude(
        r#"
        data cmd { kind: command, confidentiality: low, integrity: high }
        data tel { kind: telemetry, confidentiality: medium }
        component app in home { kind: mobile_app, stores: [tel], interfaces: [ble], tags: [x] }
        component pump in hw { kind: device, fleet: shared }
        component api in cloud { kind: service }
        flow f_cmd: app -> pump { protocol: ble, carries: [cmd, tel], authenticated: true }
        flow f_up: app -> api { protocol: https, carries: [tel] }
        flow f_down: api -> app { protocol: https }

        rule lower_trust "" { stride: tampering, applies_to: flow, when: from_lower_trust, exploitability: low }
        rule set_equality "" { stride: tampering, applies_to: flow, when: carries == [tel, cmd], exploitability: low }
        rule membership "" { stride: tampering, applies_to: flow, when: tel in carries and protocol in [ble, usb], exploitability: low }
        rule levels "" { stride: tampering, applies_to: flow, when: max_integrity > max_confidentiality, exploitability: low }
        rule ends "" { stride: tampering, applies_to: flow, when: source == app and target.fleet == shared, exploitability: low }
        rule zone_trust "" { stride: tampering, applies_to: flow, when: source.zone.trust < target.zone.trust and target.zone != hw, exploitability: low }
        rule calls "" { stride: tampering, applies_to: component, when: has_interface(ble) and stores_kind(telemetry) and x in tags, exploitability: low }
        rule exposed_elements "" { stride: tampering, applies_to: component, when: exposed, exploitability: low }
        rule no_data "" { stride: tampering, applies_to: flow, when: max_availability == none and carries == [], exploitability: low }
        rule negation "" { stride: tampering, applies_to: flow, when: not (authenticated or crosses_boundary), exploitability: low }
        "#,
    );
    let ids = threat_ids(&analysis);
    let expected = [
        "calls@app",
        "ends@f_cmd",
        "exposed_elements@api",
        "exposed_elements@pump",
        "levels@f_cmd",
        "lower_trust@f_cmd",
        "lower_trust@f_up",
        "membership@f_cmd",
        "no_data@f_down",
        "set_equality@f_cmd",
        "zone_trust@f_up",
    ];
    assert_eq!(ids, expected);
}

#[test]
fn titles_render_attribute_paths_lists_and_literal_braces() {
    let (_, analysis) = analysed_with_prelude(
        r#"
        data a1 { kind: command }
        data b1 { kind: telemetry }
        component app in home { kind: mobile_app }
        component pump in hw { kind: device }
        flow f: app -> pump { protocol: ble, carries: [a1, b1] }
        rule r "Spoofing of {source} on {protocol} flow {id} ({carries}) from {source.zone} ({source.zone.trust}) to {target.kind} {{literal}}" {
          stride: spoofing
          applies_to: flow
          exploitability: high
        }
        "#,
    );
    let threat = analysis.threat("r@f").unwrap();
    assert_eq!(
        threat.title,
        "Spoofing of app on ble flow f (a1, b1) from home (untrusted) to device {literal}"
    );
}

#[test]
fn generated_threats_carry_the_rule_facts() {
    let (compiled, analysis) = analysed(&format!(
        "use std::stride\n{PRELUDE}{}",
        r#"
        data cmd { kind: command, integrity: high }
        component app in home { kind: mobile_app }
        component pump in hw { kind: device }
        flow f: app -> pump { protocol: ble, carries: [cmd] }
        "#
    ));
    let threat = analysis.threat("unauthenticated_command_path@f").unwrap();
    let model = &compiled.model;
    assert_eq!(threat.origin, ward_analysis::Origin::Rule);
    assert_eq!(threat.rule.as_deref(), Some("unauthenticated_command_path"));
    assert_eq!(threat.capec, vec![151, 148]);
    assert_eq!(threat.cwe, vec![306]);
    assert_eq!(
        model.policy().exploitability_name(threat.exploitability),
        "high"
    );
    assert!(matches!(
        threat.exploitability_source,
        ward_analysis::ExploitabilitySource::Rule {
            from_stdlib: true,
            ..
        }
    ));
    // Reported at the flow's declaration.
    let flow = model.find_flow("f").unwrap();
    assert_eq!(threat.span, model.flow(flow).meta.name_span);
}
