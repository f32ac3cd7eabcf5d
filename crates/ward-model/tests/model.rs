//! The typed model: defaults of spec §2, resolution results, `when` typing,
//! templates, CVSS levels, symbols, and robustness on half-typed text.

use ward_model::*;

fn clean(text: &str) -> Model {
    let compiled = compile_str("m.ward", text);
    assert!(
        compiled.diagnostics.is_empty(),
        "{}",
        ward_diagnostics::render_terminal(
            &compiled.sources,
            &compiled.diagnostics,
            ward_diagnostics::ColorChoice::Never
        )
    );
    compiled.model
}

const BASE: &str = r#"
system s "S" {}
zone home "Home" { trust: hostile, physical_access: true, controlled_by: patient }
zone inner "Inner" in home {}
zone cloud "Cloud" {}
software app_sw "app" { supplier: "Acme", version: "1.0", purl: "pkg:generic/acme/app@1.0", author: "Acme", timestamp: "2026-11-30", support: supported, end_of_support: "2030-01-01" }
software pg "pg" { supplier: "Acme", version: "15.6", purl: "pkg:generic/acme/pg@15.6", author: "Acme", timestamp: "2026-11-30", support: supported, end_of_support: "2030-01-01" }
component app "App" in inner { software: [app_sw] }
component db "DB" in cloud { kind: datastore, controlled_by: third_party, updatable: false, software: [pg] }
actor user in home { kind: human }
data d "D" {}
flow f: app <-> db { carries: [d] }
"#;

#[test]
fn zone_defaults_inherit_from_the_enclosing_zone() {
    let m = clean(BASE);
    let inner = m.zone(m.find_zone("inner").unwrap());
    assert_eq!(inner.trust, Trust::Hostile);
    assert!(inner.physical_access);
    // `controlled_by` of a zone is not inherited, and unwritten it is not
    // stated (before 0.2 it defaulted to manufacturer).
    assert_eq!(inner.controlled_by, None);
    let cloud = m.zone(m.find_zone("cloud").unwrap());
    assert_eq!(
        (cloud.trust, cloud.physical_access),
        (Trust::Untrusted, false)
    );
    assert_eq!(m.zone_chain(m.find_zone("inner").unwrap()).count(), 2);
}

#[test]
fn element_defaults() {
    let m = clean(BASE);
    let app = m.element(m.find_element("app").unwrap());
    assert_eq!(app.kind, ElementKind::Component(ComponentKind::Process));
    assert!(app.updatable, "a process is updatable by default");
    assert_eq!(app.fleet, Fleet::PerPatient);
    assert_eq!(app.controlled_by, None, "the zone's: not stated");
    let db = m.element(m.find_element("db").unwrap());
    assert!(!db.updatable);
    assert_eq!(db.controlled_by, Some(ControlledBy::ThirdParty));
    let user = m.element(m.find_element("user").unwrap());
    assert!(
        user.is_actor()
            && !user.updatable
            && user.software.is_empty()
            && user.interfaces.is_empty()
    );
    assert_eq!(
        user.controlled_by,
        Some(ControlledBy::Patient),
        "its zone's"
    );
    let m = clean("system s {}\nzone h \"H\" { controlled_by: patient }\ncomponent c in h {}\n");
    let c = m.element(m.find_element("c").unwrap());
    assert_eq!(
        c.controlled_by,
        Some(ControlledBy::Patient),
        "inherited from its zone"
    );
    assert!(c.updatable, "a process is updatable without software");
    assert_eq!(c.meta.title, "c", "title defaults to the id");
}

#[test]
fn updatable_defaults_by_component_kind_whatever_the_software() {
    let m = clean(
        r#"
system s {}
zone z "Z" { controlled_by: manufacturer }
software fw_image "fw" { supplier: "Acme", version: "1.0", purl: "pkg:generic/acme/fw@1.0", author: "Acme", timestamp: "2026-11-30", support: supported, end_of_support: "2030-01-01" }
component dev in z { kind: device, software: [fw_image] }
component fw in z { kind: firmware }
component svc in z { kind: service }
component cloud in z { kind: cloud_service }
component web in z { kind: web_app }
component mob in z { kind: mobile_app }
component gw in z { kind: gateway }
component store in z { kind: datastore }
component proc in z { kind: process }
component pinned in z { kind: service, updatable: false }
component patched in z { kind: device, updatable: true }
"#,
    );
    let updatable = |n: &str| m.element(m.find_element(n).unwrap()).updatable;
    for name in [
        "svc", "cloud", "web", "mob", "gw", "store", "proc", "patched",
    ] {
        assert!(updatable(name), "{name}");
    }
    for name in ["dev", "fw", "pinned"] {
        assert!(!updatable(name), "{name}");
    }
}

#[test]
fn data_and_flow_defaults_and_the_reverse_direction() {
    let m = clean(BASE);
    let d = m.datum(m.find_data("d").unwrap());
    assert_eq!(d.kind, DataKind::Other);
    assert_eq!(
        (d.confidentiality, d.integrity, d.availability),
        (CiaLevel::None, CiaLevel::None, CiaLevel::None)
    );
    assert_eq!(m.flows.len(), 2);
    let f = m.find_flow("f").unwrap();
    let r = m.find_flow("f.reverse").unwrap();
    assert_eq!(m.flow(f).protocol, "unspecified");
    assert!(!m.flow(f).authenticated && !m.flow(f).encrypted && !m.flow(f).integrity_protected);
    assert_eq!(m.flow(f).reverse, Some(r));
    assert_eq!(m.flow(r).reverse_of, Some(f));
    assert_eq!(
        (m.flow(r).source, m.flow(r).target),
        (m.flow(f).target, m.flow(f).source)
    );
    assert_eq!(m.flow(r).carries, m.flow(f).carries);
}

#[test]
fn policy_and_control_defaults() {
    let m = clean(&format!(
        "{BASE}threat t {{ stride: tampering, targets: [f.reverse], exploitability: low }}\n\
         control k {{ category: integrity, requirement: \"r\", mitigates: [t] }}\n\
         rule r {{ stride: tampering, applies_to: flow, exploitability: high }}\n"
    ));
    assert_eq!(m.policy().path, STD_POLICY_PATH);
    assert_eq!(m.system.as_ref().unwrap().policy, m.policy_in_force);
    assert_eq!(m.policy().controlled, [RiskLevel::Acceptable]);
    assert!(!m.policy().require_verified);
    assert_eq!(m.policy().security_impact, CiaLevel::ALL);
    assert_eq!(
        m.policy().safety_risk(Level(4), Level(2)),
        RiskLevel::Unacceptable
    );
    let k = &m.controls[0];
    assert_eq!(
        (k.status, k.reduces, k.independent),
        (ControlStatus::Proposed, 0, false)
    );
    assert_eq!(k.requirement_id, "k");
    assert_eq!(
        k.mitigates[0].key,
        ThreatKey::Hand {
            threat: ThreatId(0)
        }
    );
    assert_eq!(
        m.threats[0].targets,
        [Target::Flow(m.find_flow("f.reverse").unwrap())]
    );
    assert_eq!(m.rules[0].when, TypedExpr::TRUE);
    assert!(!m.uses_stride && !m.fda_coverage);
}

#[test]
fn when_is_typed_with_literals_resolved() {
    let m = clean(&format!(
        "{BASE}rule r \"{{source.zone.trust}}: {{{{{{id}}}}}} {{carries}}\" {{\n  stride: spoofing\n  applies_to: flow\n  exploitability: high\n  \
         when: source.zone.trust < controlled and (d in carries or not carries_kind(command)) and target.zone == cloud\n}}\n"
    ));
    let rule = &m.rules[0];
    let trust = AttrPath {
        nav: vec![Nav::Source, Nav::Zone],
        attr: Some(Attribute::Trust),
        ty: Type::Trust,
    };
    let TypedExpr::And { left, right } = &rule.when else {
        panic!("{:?}", rule.when)
    };
    let TypedExpr::And {
        left: first,
        right: second,
    } = &**left
    else {
        panic!()
    };
    assert_eq!(
        **first,
        TypedExpr::Compare {
            op: ward_syntax::ast::CompareOp::Lt,
            left: Box::new(TypedExpr::Attr {
                path: trust.clone()
            }),
            right: Box::new(TypedExpr::Literal {
                value: Literal::Trust(Trust::Controlled)
            }),
        }
    );
    let TypedExpr::Or {
        left: member,
        right: negated,
    } = &**second
    else {
        panic!("{second:?}")
    };
    assert!(
        matches!(&**member, TypedExpr::In { item, .. } if **item == TypedExpr::Literal { value: Literal::Data(DataId(0)) })
    );
    assert_eq!(
        **negated,
        TypedExpr::Not {
            operand: Box::new(TypedExpr::Call {
                nav: vec![],
                call: Call::CarriesKind(DataKind::Command)
            })
        }
    );
    assert!(matches!(&**right, TypedExpr::Compare { right, .. }
        if **right == TypedExpr::Literal { value: Literal::Zone(m.find_zone("cloud").unwrap()) }));
    assert_eq!(
        rule.template.parts,
        [
            TemplatePart::Value { path: trust },
            TemplatePart::Text { text: ": {".into() },
            TemplatePart::Value {
                path: AttrPath {
                    nav: vec![],
                    attr: Some(Attribute::Id),
                    ty: Type::Name(NameSet::Id)
                }
            },
            TemplatePart::Text { text: "} ".into() },
            TemplatePart::Value {
                path: AttrPath {
                    nav: vec![],
                    attr: Some(Attribute::Carries),
                    ty: Type::List(Box::new(Type::Data))
                }
            },
        ]
    );
}

#[test]
fn every_badly_typed_subexpression_is_reported_once() {
    let compiled = compile_str(
        "m.ward",
        &format!(
            "{BASE}rule r {{ stride: spoofing, applies_to: component, exploitability: high,\n  \
             when: foo and kind == humn and stores_kind(x) and exposed and (nope == nope2) }}\n"
        ),
    );
    let codes: Vec<&str> = compiled
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["E0303", "E0302", "E0302", "E0307"]);
    assert_eq!(compiled.model.rules[0].when, TypedExpr::FALSE);
}

#[test]
fn cvss_is_banded_on_the_policy_scale() {
    let m = clean(&format!(
        "{BASE}threat t {{ stride: tampering, targets: [db], cvss: \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\" }}\n\
         threat p {{ stride: tampering, targets: [db], cvss: \"CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:H/I:H/A:H\" }}\n"
    ));
    match &m.threats[0].exploitability {
        Exploitability::Cvss {
            base_score,
            exploitability_subscore,
            level,
            ..
        } => {
            assert_eq!((*base_score, *exploitability_subscore), (9.8, 3.9));
            assert_eq!(m.policy().exploitability_name(*level), "very_high");
        }
        other => panic!("{other:?}"),
    }
    // 8.22 x 0.2 x 0.44 x 0.27 x 0.62 = 0.12: below the first band.
    assert_eq!(m.threats[1].exploitability.level(), Level(0));
}

#[test]
fn stdlib_rules_map_by_rank_onto_a_five_level_scale() {
    let policy = r#"
policy p "P" {
  severity: [s1, s2]
  exploitability: [e1, e2, e3, e4, e5]
  matrix { s1: [acceptable, acceptable, acceptable, review, review], s2: [acceptable, review, review, unacceptable, unacceptable] }
  security_matrix {
    none: [acceptable, acceptable, acceptable, acceptable, acceptable]
    low: [acceptable, acceptable, acceptable, review, review]
    medium: [acceptable, acceptable, review, review, unacceptable]
    high: [acceptable, review, review, unacceptable, unacceptable]
  }
}"#;
    let m = clean(&format!(
        "use std::stride\nsystem s {{ policy: p }}\n{policy}\n"
    ));
    assert_eq!(m.policy().path, "p");
    assert!(m.uses_stride && m.rules.iter().all(|r| r.from_stdlib));
    let std_scale = &m.policy_by_id(PolicyId(0)).exploitability;
    assert_eq!(std_scale.len(), 5);
    // `moderate` is the third of five std levels: `e3` here.
    let jamming = m
        .rules
        .iter()
        .find(|r| r.meta.name == "wireless_jamming")
        .unwrap();
    assert_eq!(m.policy().exploitability_name(jamming.exploitability), "e3");
}

#[test]
fn generated_threat_references_resolve_to_rule_and_element() {
    let m = clean(&format!(
        "use std::stride\n{BASE}accept wireless_jamming@f.reverse {{ level: review, rationale: \"r\" }}\n"
    ));
    let rule = m.find_rule("wireless_jamming").unwrap();
    let key = m.accepts[0].threats[0].key;
    assert_eq!(
        key,
        ThreatKey::Generated {
            rule,
            element: Target::Flow(m.find_flow("f.reverse").unwrap())
        }
    );
    assert_eq!(m.threat_key_name(key), "wireless_jamming@f.reverse");
}

#[test]
fn std_rules_without_use_get_a_hint() {
    let compiled = compile_str(
        "m.ward",
        &format!("{BASE}accept wireless_jamming@f {{ level: review, rationale: \"r\" }}\n"),
    );
    assert_eq!(compiled.diagnostics[0].code, "E0111");
    assert!(compiled.diagnostics[0]
        .help
        .as_deref()
        .unwrap()
        .contains("use std::stride"));
}

#[test]
fn the_symbol_index_records_declarations_and_references() {
    let text = format!(
        "use std::stride\n{BASE}hazard h {{ severity: minor }}\n\
         control k {{ category: integrity, requirement: \"r\", mitigates: [wireless_jamming@f.reverse], limits {{ h: negligible }} }}\n"
    );
    let compiled = compile_str("m.ward", &text);
    assert!(compiled.diagnostics.is_empty());
    let symbols = &compiled.model.symbols;
    let at = |needle: &str, nth: usize| {
        let offset = text.match_indices(needle).nth(nth).unwrap().0;
        symbols.at(ward_diagnostics::FileId(0), offset)
    };
    let m = &compiled.model;
    assert_eq!(
        at("inner", 1),
        Some(Symbol::Zone(m.find_zone("inner").unwrap())),
        "an `in` parent"
    );
    assert_eq!(
        at("app <->", 0),
        Some(Symbol::Element(m.find_element("app").unwrap())),
        "a flow end"
    );
    assert_eq!(
        at("wireless_jamming", 0),
        Some(Symbol::Rule(m.find_rule("wireless_jamming").unwrap()))
    );
    assert_eq!(
        at("f.reverse", 0),
        Some(Symbol::Flow(m.find_flow("f.reverse").unwrap()))
    );
    assert_eq!(
        at("h: negligible", 0),
        Some(Symbol::Hazard(HazardId(0))),
        "a limits key"
    );
    assert!(matches!(at("std::stride", 0), Some(Symbol::File(_))));
    let decl = symbols
        .declaration(Symbol::Zone(m.find_zone("home").unwrap()))
        .unwrap();
    assert_eq!(decl.name, "home");
    assert_eq!(
        symbols
            .references_to(Symbol::Zone(m.find_zone("home").unwrap()))
            .count(),
        2
    );
}

/// Every prefix of a complete model (as typed in an editor) compiles
/// without panicking and keeps the declarations already typed.
#[test]
fn half_typed_text_never_panics() {
    let spec = include_str!("../../../tests/spec/language.md");
    let start = spec.find("## Appendix A").unwrap();
    let model = &spec[start..];
    let model = &model[model.find("```\n").unwrap() + 4..];
    let model = &model[..model.find("```").unwrap()];
    let mut cache = ParseCache::new();
    let mut overlay = Overlay::new();
    for end in (0..=model.len())
        .filter(|i| model.is_char_boundary(*i))
        .step_by(7)
    {
        overlay.insert(
            std::path::Path::new("/nonexistent-ward-test/m.ward"),
            &model[..end],
        );
        let compiled = compile(
            std::path::Path::new("/nonexistent-ward-test/m.ward"),
            &overlay,
            &mut cache,
        );
        if end == model.len() {
            assert!(compiled.diagnostics.is_empty());
        }
    }
}

// Regressions found by tests/adversarial.rs (docs/reliability.md).

#[test]
fn zones_nested_100000_deep_settle_without_recursion() {
    // Used to recurse once per level (a stack overflow on a test thread)
    // after a cycle check quadratic in the depth.
    let mut text = String::from("system s {}\nzone z0 { trust: hostile, physical_access: true }\n");
    for i in 1..100_000 {
        text.push_str(&format!("zone z{i} in z{} {{}}\n", i - 1));
    }
    let m = clean(&text);
    let deepest = m.zone(m.find_zone("z99999").unwrap());
    assert_eq!(
        (deepest.trust, deepest.physical_access),
        (Trust::Hostile, true)
    );
}

#[test]
fn a_zone_cycle_is_reported_once_at_its_first_zone() {
    let compiled = compile_str(
        "m.ward",
        "system s {}\nzone a in c {}\nzone b in a {}\nzone c in b {}\nzone d in b {}\n",
    );
    let cycles: Vec<_> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.code == codes::ZONE_CYCLE)
        .collect();
    assert_eq!(cycles.len(), 1, "{cycles:#?}");
    assert_eq!(cycles[0].message, "zone `a` is nested in itself");
    assert_eq!(cycles[0].notes, ["cycle: `a` in `c` in `b` in `a`"]);
    // A cycle through 30,000 zones: one error, found in linear time (the
    // old check walked the whole cycle from each zone).
    let mut text = String::from("system s {}\n");
    for i in 0..30_000 {
        text.push_str(&format!("zone z{i} in z{} {{}}\n", (i + 1) % 30_000));
    }
    let compiled = compile_str("m.ward", &text);
    let codes: Vec<&str> = compiled
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, [codes::ZONE_CYCLE]);
}

#[test]
fn scales_longer_than_256_levels_keep_their_levels() {
    // Levels were a `u8`: level 299 wrapped to 43 and scored on that row.
    let levels: Vec<String> = (0..300).map(|i| format!("s{i}")).collect();
    let rows: Vec<String> = levels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let cell = if i >= 256 {
                "unacceptable"
            } else {
                "acceptable"
            };
            format!("{l}: [{cell}, {cell}]")
        })
        .collect();
    let text = format!(
        "system s {{ policy: p }}\npolicy p {{\n  severity: [{}]\n  exploitability: [lo, hi]\n  matrix {{\n{}\n  }}\n  security_matrix {{ none: [acceptable, acceptable], low: [acceptable, acceptable], medium: [acceptable, acceptable], high: [acceptable, acceptable] }}\n}}\nhazard h {{ severity: s299 }}\n",
        levels.join(", "),
        rows.join("\n")
    );
    let m = clean(&text);
    let h = &m.hazards[0];
    assert_eq!(h.severity, Level(299));
    assert_eq!(m.policy().highest_severity(), Level(299));
    assert_eq!(
        m.policy().safety_risk(h.severity, Level(0)),
        RiskLevel::Unacceptable
    );
}

#[test]
fn long_lists_are_deduplicated_in_linear_time() {
    // Each list item was checked against the items before it: minutes for
    // 100,000 tags, or a control mitigating 100,000 threats (tests/adversarial.rs).
    let n = 50_000;
    let tags: Vec<String> = (0..n).map(|i| format!("t{}", i % (n / 2))).collect();
    let mut text = format!(
        "system s {{}}\nzone z {{ tags: [{}] }}\ncomponent c in z {{}}\n",
        tags.join(", ")
    );
    let threats = 10_000;
    for i in 0..threats {
        text.push_str(&format!(
            "threat t{i} {{ stride: [tampering], targets: [c], exploitability: low }}\n"
        ));
    }
    let mitigates: Vec<String> = (0..2 * threats)
        .map(|i| format!("t{}", i % threats))
        .collect();
    text.push_str(&format!(
        "control k {{ category: integrity, requirement: \"R\", mitigates: [{}] }}\n",
        mitigates.join(", ")
    ));
    let m = clean(&text);
    let zone = m.zone(m.find_zone("z").unwrap());
    assert_eq!(zone.meta.tags.len(), n / 2);
    assert_eq!(zone.meta.tags[..3], ["t0", "t1", "t2"]);
    assert_eq!(m.controls[0].mitigates.len(), threats);
}

/// Missing properties and a missing zone: fixes that show where and what to
/// write and leave the value to the author (no value is right for every
/// device), never applied by `ward check --fix`.
#[test]
fn missing_pieces_get_display_only_fixes_without_a_value() {
    use ward_diagnostics::{apply_fixes, Applicability};
    let text = "system s \"S\" {}\n\
                zone z \"Z\" {}\n\
                component pump \"Pump\" { kind: device }\n\
                hazard h \"H\" {}\n";
    let compiled = compile_str("m.ward", text);
    let fixed_by = |code: ward_diagnostics::Code| {
        let d = compiled
            .diagnostics
            .iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("a {code}"));
        assert_eq!(d.fixes.len(), 1, "{code}");
        assert_eq!(d.fixes[0].applicability, Applicability::DisplayOnly);
        apply_fixes(text, &d.fixes).text
    };
    assert!(
        fixed_by(codes::MISSING_PARENT).contains("component pump \"Pump\" in  { kind: device }")
    );
    assert!(fixed_by(codes::MISSING_PROPERTY).contains("hazard h \"H\" {\n  severity: }"));

    let accept = "system s \"S\" {}\n\
                  zone z \"Z\" {}\n\
                  component c \"C\" in z {}\n\
                  threat t \"T\" { stride: [spoofing], targets: [c], exploitability: high }\n\
                  accept t {\n  level: unacceptable\n  rationale: \"r\"\n}\n";
    let compiled = compile_str("m.ward", accept);
    let d = compiled
        .diagnostics
        .iter()
        .find(|d| d.code == codes::MISSING_BENEFIT_RISK)
        .expect("benefit_risk is missing");
    assert_eq!(d.fixes[0].applicability, Applicability::DisplayOnly);
    assert!(apply_fixes(accept, &d.fixes)
        .text
        .ends_with("  rationale: \"r\"\n  benefit_risk: \n}\n"));
}

#[test]
fn a_reference_of_the_wrong_shape_says_what_was_expected() {
    let compiled = compile_str(
        "m.ward",
        "system s \"S\" { version: \"1\", policy: 42 }\n\
         hazard h \"H\" { severity: serious }\n\
         control c \"C\" { category: integrity, mitigates: [\"t\"], verification: [7] }\n",
    );
    let wrong: Vec<(&str, &str)> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.code == "E0204")
        .map(|d| {
            (
                d.message.as_str(),
                d.primary_label.as_deref().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        wrong,
        [
            (
                "`policy` expects a policy id or `std::policy::iso14971_5x5`, found the number `42`",
                "expected a policy"
            ),
            (
                "`mitigates` expects a threat id or `RULE@ELEMENT`, found a string",
                "expected a threat"
            ),
            (
                "`verification` expects a verification id or `METHOD \"text\"`, found the number `7`",
                "expected a verification"
            ),
        ]
    );
}

#[test]
fn a_vulnerability_affects_the_listed_software_whose_version_is_in_its_range() {
    let text = format!(
        "{BASE}{}",
        r#"
software pg14 "pg" { supplier: "Acme", version: "14.2", purl: "pkg:generic/acme/pg@14.2", author: "Acme", timestamp: "2026-11-30", support: supported, end_of_support: "2030-01-01" }
vulnerability pg_sqli "PostgreSQL SQL injection" {
  advisory: "CVE-2025-1094"
  software: [pg, pg14, app_sw]
  introduced: "15.0"
  fixed: "15.11"
  versions: ["1.0"]
  cvss: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"
  kev_added: "2025-02-18"
  status: affected
  published: "2025-02-13"
}
vulnerability pg_fixed "Fixed one" {
  advisory: "CVE-2024-0985"
  software: [pg]
  status: not_affected
  justification: vulnerable_code_not_in_execute_path
}
"#
    );
    let model = clean(&text);
    let names = |ids: &[SoftwareId]| -> Vec<String> {
        ids.iter()
            .map(|s| model.software(*s).meta.name.clone())
            .collect()
    };
    let v = &model.vulnerabilities[0];
    assert_eq!(v.advisory, "CVE-2025-1094");
    // pg 15.6 is in [15.0, 15.11); pg14 14.2 is before `introduced`;
    // app_sw 1.0 is listed in `versions`.
    assert_eq!(names(&v.affects), ["pg", "app_sw"]);
    assert_eq!(names(&v.software), ["pg", "pg14", "app_sw"]);
    assert_eq!(
        v.kev.as_ref().and_then(|k| k.date_added.as_deref()),
        Some("2025-02-18")
    );
    assert_eq!(v.status, Some(VulnerabilityStatus::Affected));
    assert!(v.is_open());
    // AV:N/AC:H/PR:N/UI:N: sub-score 2.2, band `moderate` of the std policy.
    let Some(Exploitability::Cvss {
        exploitability_subscore,
        level,
        ..
    }) = &v.cvss
    else {
        panic!("no CVSS on {v:?}");
    };
    assert_eq!(*exploitability_subscore, 2.2);
    assert_eq!(model.policy().exploitability_name(*level), "moderate");
    let w = &model.vulnerabilities[1];
    // No range: every version.
    assert_eq!(names(&w.affects), ["pg"]);
    assert_eq!(
        w.justification,
        Some(VexJustification::VulnerableCodeNotInExecutePath)
    );
    assert!(!w.is_open());
    assert_eq!(w.origin, VulnerabilityOrigin::Declared);
}
