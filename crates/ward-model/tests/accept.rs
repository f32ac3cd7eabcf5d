//! Lowering `accept`: one threat or an explicit list of them (never a
//! wildcard), each resolved, each accepted at most once, and the decision
//! record (`approved_by`, `date`).

use ward_diagnostics::Diagnostic;
use ward_model::*;

const BASE: &str = r#"
use std::stride
system s "S" { version: "1" }
zone home "Home" { trust: hostile, physical_access: true, controlled_by: patient }
zone cloud "Cloud" { trust: controlled }
component app "App" in home { kind: mobile_app, software: ["app 1.0"] }
component db "DB" in cloud { kind: datastore, software: ["pg"] }
data d "D" { kind: telemetry, confidentiality: low }
flow f: app -> db { protocol: https, carries: [d] }
threat replay "Replay" { stride: [tampering], targets: [f], exploitability: low }
threat sniff "Sniff" { stride: [information_disclosure], targets: [f], exploitability: low }
"#;

fn compiled(accepts: &str) -> Compiled {
    compile_str("m.ward", &format!("{BASE}{accepts}"))
}

fn errors(compiled: &Compiled) -> Vec<&Diagnostic> {
    compiled
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect()
}

/// The source text a span covers.
fn text(compiled: &Compiled, span: ward_diagnostics::Span) -> String {
    compiled.sources.get(span.file).text[span.range()].to_string()
}

#[test]
fn a_list_resolves_each_threat_in_written_order() {
    let c = compiled(
        "accept [sniff, replay, wireless_jamming@f] {\n  level: acceptable\n  rationale: \"One reason\"\n  approved_by: \"Risk board, RR-7\"\n  date: \"2026-03-14\"\n}\n",
    );
    assert!(errors(&c).is_empty(), "{:#?}", c.diagnostics);
    let m = &c.model;
    let [accept] = m.accepts.as_slice() else {
        panic!("one accept")
    };
    let names: Vec<String> = accept
        .threats
        .iter()
        .map(|t| m.threat_key_name(t.key))
        .collect();
    assert_eq!(names, ["sniff", "replay", "wireless_jamming@f"]);
    let written: Vec<String> = accept.threats.iter().map(|t| text(&c, t.span)).collect();
    assert_eq!(written, ["sniff", "replay", "wireless_jamming@f"]);
    assert_eq!(accept.meta.name, "[sniff, replay, wireless_jamming@f]");
    assert_eq!(accept.level, RiskLevel::Acceptable);
    assert_eq!(accept.rationale, "One reason");
    assert_eq!(accept.approved_by.as_deref(), Some("Risk board, RR-7"));
    assert_eq!(accept.date.as_deref(), Some("2026-03-14"));
}

#[test]
fn the_single_form_still_names_one_threat() {
    let c = compiled("accept replay { level: acceptable, rationale: \"r\" }\n");
    assert!(errors(&c).is_empty(), "{:#?}", c.diagnostics);
    let accept = &c.model.accepts[0];
    assert_eq!(accept.meta.name, "replay");
    assert_eq!(accept.threats.len(), 1);
    assert_eq!(c.model.threat_key_name(accept.threats[0].key), "replay");
    assert_eq!(
        (accept.approved_by.as_ref(), accept.date.as_ref()),
        (None, None)
    );
}

#[test]
fn a_wildcard_is_refused_with_a_help_and_the_named_threats_still_resolve() {
    let c = compiled("accept [replay, s*] { level: acceptable, rationale: \"r\" }\n");
    let errors = errors(&c);
    let [error] = errors.as_slice() else {
        panic!("one error: {errors:#?}")
    };
    assert_eq!(error.code, "E0001");
    assert_eq!(text(&c, error.span.unwrap()), "s*");
    assert!(error.message.contains("wildcard"), "{}", error.message);
    assert!(error
        .help
        .as_deref()
        .unwrap()
        .contains("list the threats one by one"));
    let accept = &c.model.accepts[0];
    let names: Vec<String> = accept
        .threats
        .iter()
        .map(|t| c.model.threat_key_name(t.key))
        .collect();
    assert_eq!(names, ["replay"]);
}

#[test]
fn an_unknown_id_in_a_list_gets_did_you_mean() {
    let c = compiled("accept [replay, snif] { level: acceptable, rationale: \"r\" }\n");
    let errors = errors(&c);
    let [error] = errors.as_slice() else {
        panic!("one error: {errors:#?}")
    };
    assert_eq!(error.code, "E0111");
    assert_eq!(text(&c, error.span.unwrap()), "snif");
    assert!(
        error.help.as_deref().is_some_and(|h| h.contains("`sniff`")),
        "{error:#?}"
    );
    assert_eq!(c.model.accepts[0].threats.len(), 1);
}

#[test]
fn a_threat_accepted_twice_in_a_list_or_by_two_accepts_is_e0212_at_the_second() {
    let c = compiled(
        "accept [replay, sniff, replay] { level: acceptable, rationale: \"r\" }\n\
         accept sniff { level: acceptable, rationale: \"again\" }\n",
    );
    let duplicates: Vec<(String, String, Vec<String>)> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "E0212")
        .map(|d| {
            (
                d.message.clone(),
                format!("{}..{}", d.span.unwrap().start, d.span.unwrap().end),
                d.labels.iter().map(|l| text(&c, l.span)).collect(),
            )
        })
        .collect();
    let source = &c.sources.get(c.model.accepts[0].meta.span.file).text;
    let second_replay = source.rfind("replay]").unwrap();
    let second_sniff = source.rfind("accept sniff").unwrap() + "accept ".len();
    assert_eq!(
        duplicates,
        [
            (
                "threat `replay` is accepted twice".to_string(),
                format!("{}..{}", second_replay, second_replay + "replay".len()),
                vec!["replay".to_string()],
            ),
            (
                "threat `sniff` is accepted twice".to_string(),
                format!("{}..{}", second_sniff, second_sniff + "sniff".len()),
                vec!["sniff".to_string()],
            ),
        ]
    );
    assert_eq!(errors(&c).len(), 2, "{:#?}", c.diagnostics);
}

#[test]
fn a_date_must_be_a_calendar_day_written_yyyy_mm_dd() {
    for (date, ok) in [
        ("2026-03-14", true),
        ("2024-02-29", true),
        ("14/03/2026", false),
        ("2026-02-30", false),
        ("2026-3-14", false),
        ("", false),
    ] {
        let c = compiled(&format!(
            "accept replay {{ level: acceptable, rationale: \"r\", date: \"{date}\" }}\n"
        ));
        let errors = errors(&c);
        if ok {
            assert!(errors.is_empty(), "{date}: {errors:#?}");
            assert_eq!(c.model.accepts[0].date.as_deref(), Some(date));
            continue;
        }
        let [error] = errors.as_slice() else {
            panic!("{date}: one error: {errors:#?}")
        };
        assert_eq!(error.code, "E0216", "{date}");
        assert_eq!(error.message, format!("`{date}` is not a calendar date"));
        assert_eq!(text(&c, error.span.unwrap()), format!("\"{date}\""));
        assert_eq!(c.model.accepts[0].date, None, "{date}");
    }
}
