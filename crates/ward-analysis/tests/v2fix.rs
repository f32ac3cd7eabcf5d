//! Fixes from the user-level review of issue #16: `group_by: runs_on` keeps
//! one `shared_runtime_breakout` per runtime, a reference to a hosted
//! component's old threat gets W0491 with a fix, `group_by: runs_on` on a
//! flow rule is W0490, and no std::stride title repeats a word when an
//! element is named after its kind ("in portal portal").

mod common;
use common::{analysed, analysed_with_prelude, finding_codes};

use std::path::Path;
use ward_analysis::{codes, Analysis, ThreatAnalysis};
use ward_diagnostics::apply_fixes;

fn threats_of<'a>(analysis: &'a Analysis, rule: &str) -> Vec<&'a ThreatAnalysis> {
    analysis
        .threats
        .iter()
        .filter(|t| t.rule.as_deref() == Some(rule))
        .collect()
}

/// An internet-facing portal and two sensitive back ends on one VM, and a
/// third sensitive back end on a VM of its own that hosts nothing exposed.
const SHARED_VM: &str = "use std::stride
data records { kind: phi, confidentiality: high }
data settings { kind: config, integrity: high }
component vm in cloud { kind: runtime }
component vm_data in cloud { kind: runtime }
component browser in internet { kind: browser }
component portal in cloud { kind: web_app, runs_on: vm }
component records_api in cloud { kind: service, stores: [records], runs_on: vm }
component settings_api in cloud { kind: service, stores: [settings], runs_on: vm }
component archive in cloud { kind: service, stores: [records], runs_on: vm_data }
flow f_use: browser -> portal { protocol: https, authenticated: true, encrypted: true }
flow f_records: portal -> records_api { protocol: https, authenticated: true, encrypted: true }
flow f_settings: portal -> settings_api { protocol: https, authenticated: true, encrypted: true }
flow f_archive: records_api -> archive { protocol: https, authenticated: true, encrypted: true }
";

#[test]
fn shared_runtime_breakout_is_one_threat_per_runtime_listing_what_it_reaches() {
    let (compiled, analysis) = analysed_with_prelude(SHARED_VM);
    let breakout = threats_of(&analysis, "shared_runtime_breakout");
    assert_eq!(breakout.len(), 1, "one weakness, one threat");
    assert_eq!(breakout[0].id, "shared_runtime_breakout@vm");
    let targets: Vec<&str> = breakout[0]
        .targets
        .iter()
        .map(|t| compiled.model.target_name(*t))
        .collect();
    assert_eq!(targets, ["records_api", "settings_api"]);
    assert_eq!(
        breakout[0].title,
        "Breakout from an exposed neighbour on vm reaches records_api, settings_api"
    );
    assert_eq!(breakout[0].capec, [480, 1], "the rule's CAPEC are kept");
    assert!(
        !finding_codes(&analysis).contains(&codes::FLOW_SHAPE_ON_ELEMENT_RULE.as_str()),
        "`group_by: runs_on` is a component rule's shape"
    );
}

#[test]
fn a_reference_to_a_hosted_components_breakout_gets_w0491_naming_the_runtime() {
    let text = format!(
        "{}{SHARED_VM}control isolate \"Isolation\" {{
  category: authorization
  requirement: \"The back ends shall run on a VM without exposed neighbours.\"
  mitigates: [shared_runtime_breakout@records_api]
  verification: [test \"Isolation\"]
}}",
        common::PRELUDE
    );
    let (_, analysis) = analysed(&text);
    let merged: Vec<_> = analysis
        .findings
        .iter()
        .filter(|d| d.code == codes::MERGED_REFERENCE)
        .collect();
    assert_eq!(merged.len(), 1, "{:?}", finding_codes(&analysis));
    assert!(merged[0].message.contains("shared_runtime_breakout@vm"));
    let fixes: Vec<_> = merged.iter().flat_map(|d| d.fixes.iter()).collect();
    let after = apply_fixes(&text, fixes).text;
    assert!(
        after.contains("mitigates: [shared_runtime_breakout@vm]"),
        "{after}"
    );
    let (_, analysis) = analysed(&after);
    let breakout = threats_of(&analysis, "shared_runtime_breakout");
    assert_eq!(
        breakout[0].controls.len(),
        1,
        "the fixed reference mitigates it"
    );
}

#[test]
fn group_by_runs_on_on_a_flow_rule_is_w0490() {
    let (_, analysis) = analysed(
        r#"system s "S" {}
zone z "Z" { trust: untrusted }
component c in z { kind: service }
component d in z { kind: service }
flow f: c -> d { protocol: https }
rule r "R {id}" { stride: tampering, applies_to: flow, group_by: runs_on, exploitability: low }
"#,
    );
    assert!(
        finding_codes(&analysis).contains(&codes::FLOW_SHAPE_ON_ELEMENT_RULE.as_str()),
        "{:?}",
        finding_codes(&analysis)
    );
    assert_eq!(
        threats_of(&analysis, "r").len(),
        1,
        "one threat on the flow"
    );
}

/// Two equal words in a row, ignoring case and punctuation.
fn repeated_word(title: &str) -> Option<String> {
    let words: Vec<String> = title
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '_')
                .to_lowercase()
        })
        .collect();
    words
        .windows(2)
        .find(|pair| !pair[0].is_empty() && pair[0] == pair[1])
        .map(|pair| pair[0].clone())
}

#[test]
fn no_rule_title_repeats_a_word_when_elements_are_named_after_their_kind() {
    // The rule fixtures name their elements `portal`, `app`, `gateway`,
    // `model`, `device`...: every title they produce must read well.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules");
    let mut checked = 0;
    let mut repeats = Vec::new();
    for rule in std::fs::read_dir(&dir).unwrap() {
        for file in std::fs::read_dir(rule.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let Ok((_, analysis)) = common::try_analysed("fixture.ward", &text) else {
                continue;
            };
            for threat in &analysis.threats {
                checked += 1;
                if let Some(word) = repeated_word(&threat.title) {
                    repeats.push(format!("{}: {} ({word})", threat.id, threat.title));
                }
            }
        }
    }
    assert!(checked > 500, "the fixtures yield threats ({checked})");
    assert!(repeats.is_empty(), "{repeats:#?}");
    let (_, analysis) = analysed_with_prelude(
        "use std::stride
data settings { kind: config, integrity: high }
component portal in cloud { kind: web_app }
actor nurse in internet { kind: human, controlled_by: hcf }
flow f: nurse -> portal { protocol: https, carries: [settings], auth: mfa, encrypted: true }",
    );
    let titles: Vec<&str> = analysis.threats.iter().map(|t| t.title.as_str()).collect();
    assert!(
        titles.contains(&"Cross-site request forgery of settings or commands in portal"),
        "{titles:#?}"
    );
    assert!(
        titles.contains(&"Cross-site scripting and session theft in portal"),
        "{titles:#?}"
    );
}
