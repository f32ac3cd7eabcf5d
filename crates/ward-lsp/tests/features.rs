//! The language features over JSON-RPC, on a two-file model
//! (`tests/fixtures/demo`: spec Appendix A split in two, with a control of
//! a rule-generated threat). Responses are snapshotted with the model
//! folder's URI replaced by `file:///ROOT`.

mod common;

use common::Client;
use serde_json::{json, Value};
use std::path::PathBuf;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/demo")
}

fn text(file: &str) -> String {
    std::fs::read_to_string(fixture().join(file)).unwrap()
}

/// The position of the `nth` occurrence of `needle` in a fixture text,
/// plus `shift` characters (the fixtures are ASCII).
fn pos(text: &str, needle: &str, nth: usize, shift: u32) -> (u32, u32) {
    let at = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("`{needle}` #{nth}"))
        .0;
    let line = text[..at].matches('\n').count() as u32;
    let column = (at - text[..at].rfind('\n').map_or(0, |i| i + 1)) as u32;
    (line, column + shift)
}

/// A started client with both files open and analysed.
fn open_demo() -> Client {
    let client = Client::start(&fixture());
    client.open("system.ward");
    client.open("risk.ward");
    client.diagnostics("risk.ward", Some(1));
    client
}

fn at(client: &Client, file: &str, needle: &str, nth: usize, shift: u32) -> Value {
    let (line, character) = pos(&text(file), needle, nth, shift);
    client.at(file, line, character)
}

/// Diagnostics as `line:col code message` lines.
fn summary(diagnostics: &Value) -> String {
    diagnostics
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let start = &d["range"]["start"];
            let message = d["message"].as_str().unwrap().lines().next().unwrap();
            format!(
                "{}:{} {} {}",
                start["line"],
                start["character"],
                d["code"].as_str().unwrap(),
                message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn diagnostics_appear_on_a_syntax_error_and_clear_when_fixed() {
    let client = Client::start(&fixture());
    client.open("system.ward");
    client.open("risk.ward");
    let system = client.diagnostics("system.ward", Some(1));
    let risk = client.diagnostics("risk.ward", Some(1));
    insta::assert_snapshot!("findings_system", summary(&system));
    assert_eq!(risk, json!([]), "risk.ward has no diagnostic");

    let original = text("risk.ward");
    let broken = original.replace(
        "  stride: [denial_of_service]\n",
        "  stride: [denial_of_service\n  oops oops\n",
    );
    client.change_full("risk.ward", &broken, 2);
    let risk = client.diagnostics("risk.ward", Some(2));
    insta::assert_snapshot!("syntax_error", summary(&risk));
    assert!(
        risk.as_array().unwrap().iter().any(|d| d["severity"] == 1),
        "an error"
    );
    assert!(
        !risk
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "E0202"),
        "the broken `stride` is not also reported as missing"
    );

    client.change_full("risk.ward", &original, 3);
    let risk = client.diagnostics("risk.ward", Some(3));
    assert_eq!(risk, json!([]), "fixed: the list is cleared");
    client.shutdown();
}

#[test]
fn semantic_errors_in_one_file_reported_in_that_file() {
    let client = open_demo();
    let broken = text("risk.ward").replace("targets: [f_read]", "targets: [f_red]");
    client.change_full("risk.ward", &broken, 2);
    let risk = client.diagnostics("risk.ward", Some(2));
    insta::assert_snapshot!("unknown_id", summary(&risk));
    let diagnostic = risk
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "E0111")
        .unwrap()
        .clone();
    // The did-you-mean quick fix.
    let (line, _) = pos(&broken, "f_red", 0, 0);
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": client.uri("risk.ward") },
            "range": diagnostic["range"],
            "context": { "diagnostics": [diagnostic] }
        }),
    );
    let fix = &actions[0];
    assert_eq!(fix["title"], "Replace `f_red` with `f_read`");
    let edit = &fix["edit"]["changes"][client.uri("risk.ward")][0];
    assert_eq!(edit["newText"], "f_read");
    assert_eq!(edit["range"]["start"]["line"], line);
    client.shutdown();
}

/// The quick fixes a diagnostic offers, for the diagnostic of `code`.
fn quick_fixes(client: &Client, file: &str, diagnostics: &Value, code: &str) -> Vec<Value> {
    let diagnostic = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("a {code} in {diagnostics}"))
        .clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": client.uri(file) },
            "range": diagnostic["range"],
            "context": { "diagnostics": [diagnostic] }
        }),
    );
    actions
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["diagnostics"].is_array())
        .cloned()
        .collect()
}

#[test]
fn quick_fixes_are_the_diagnostics_structured_fixes() {
    let client = open_demo();
    // An enum value typo: one closest value, a preferred fix that compiles.
    let typo =
        text("risk.ward").replace("stride: [denial_of_service]", "stride: [denial_of_servise]");
    client.change_full("risk.ward", &typo, 2);
    let risk = client.diagnostics("risk.ward", Some(2));
    let fixes = quick_fixes(&client, "risk.ward", &risk, "E0205");
    assert_eq!(fixes.len(), 1);
    assert_eq!(
        fixes[0]["title"],
        "Replace `denial_of_servise` with `denial_of_service`"
    );
    assert_eq!(fixes[0]["isPreferred"], true);
    let edit = &fixes[0]["edit"]["changes"][client.uri("risk.ward")][0];
    assert_eq!(edit["newText"], "denial_of_service");
    let (line, character) = pos(&typo, "denial_of_servise", 0, 0);
    assert_eq!(
        edit["range"]["start"],
        json!({ "line": line, "character": character })
    );
    assert_eq!(edit["range"]["end"]["character"], character + 17);
    // A missing required property: offered as a template, not preferred.
    let missing = text("risk.ward").replace("  targets: [f_read]\n", "");
    client.change_full("risk.ward", &missing, 3);
    let risk = client.diagnostics("risk.ward", Some(3));
    let fixes = quick_fixes(&client, "risk.ward", &risk, "E0202");
    assert_eq!(fixes[0]["title"], "Add the `targets` property");
    assert_eq!(fixes[0]["isPreferred"], false);
    let edit = &fixes[0]["edit"]["changes"][client.uri("risk.ward")][0];
    assert_eq!(edit["newText"], "\n  targets: ");
    // A diagnostic without a fix offers none.
    let unknown_rule = text("risk.ward").replace("accept ble_jam {", "accept no_such_threat {");
    client.change_full("risk.ward", &unknown_rule, 4);
    let risk = client.diagnostics("risk.ward", Some(4));
    assert!(
        risk[0]["message"]
            .as_str()
            .unwrap()
            .contains("no_such_threat"),
        "{risk}"
    );
    let code = risk[0]["code"].as_str().unwrap().to_owned();
    assert!(
        quick_fixes(&client, "risk.ward", &risk, &code).is_empty(),
        "{risk}"
    );
    client.shutdown();
}

fn hover_text(client: &Client, params: Value) -> String {
    let hover = client.request("textDocument/hover", params);
    assert_eq!(hover["contents"]["kind"], "markdown");
    hover["contents"]["value"].as_str().unwrap().to_owned()
}

#[test]
fn hover_on_threats_elements_flows_and_generated_threats() {
    let client = open_demo();
    let threat = hover_text(&client, at(&client, "risk.ward", "ble_jam", 0, 2));
    insta::assert_snapshot!("hover_threat", threat);
    let generated = hover_text(
        &client,
        at(&client, "risk.ward", "wireless_jamming@f_read", 0, 18),
    );
    insta::assert_snapshot!("hover_generated_threat", generated);
    // A generated threat's hover says what it is (the rule's description),
    // links its CAPEC and CWE entries and names the categories to add.
    assert!(generated.contains("can be jammed with cheap equipment"));
    assert!(generated.contains("[CAPEC\\-601](https://capec.mitre.org/data/definitions/601.html)"));
    assert!(generated.contains("[CWE\\-754](https://cwe.mitre.org/data/definitions/754.html)"));
    assert!(generated.contains("**suggested control categories**: `resiliency`, `event_detection`"));
    let component = hover_text(&client, at(&client, "system.ward", "component api", 0, 10));
    insta::assert_snapshot!("hover_component", component);
    let flow = hover_text(&client, at(&client, "system.ward", "f_up", 0, 1));
    insta::assert_snapshot!("hover_flow", flow);
    let hazard = hover_text(&client, at(&client, "system.ward", "[missed_low]", 0, 1));
    insta::assert_snapshot!("hover_hazard", hazard);
    let rule = hover_text(&client, at(&client, "risk.ward", "wireless_jamming", 0, 3));
    assert!(rule.contains("wireless_jamming@f_read"), "{rule}");
    let std = hover_text(&client, at(&client, "system.ward", "std::stride", 0, 6));
    assert!(
        std.starts_with("Standard library file `<std>/stride.ward`"),
        "{std}"
    );
    assert!(std.contains("Rules declared here, all in force:"), "{std}");
    // Nothing to say on a keyword or in a comment.
    let none = client.request(
        "textDocument/hover",
        at(&client, "risk.ward", "threat", 0, 1),
    );
    assert_eq!(none, Value::Null);
    client.shutdown();
}

#[test]
fn definition_references_and_highlights_across_files() {
    let client = open_demo();
    let definition = client.request(
        "textDocument/definition",
        at(&client, "risk.ward", "f_read]", 0, 2),
    );
    insta::assert_json_snapshot!("definition_cross_file", client.normalise(&definition));
    // The element part of `RULE@ELEMENT` is a reference too.
    let definition = client.request(
        "textDocument/definition",
        at(&client, "risk.ward", "@f_read", 0, 3),
    );
    assert_eq!(definition["uri"], client.uri("system.ward"));

    let mut params = at(&client, "system.ward", "hazard missed_low", 0, 9);
    params["context"] = json!({ "includeDeclaration": true });
    let references = client.request("textDocument/references", params);
    insta::assert_json_snapshot!("references_cross_file", client.normalise(&references));

    let highlights = client.request(
        "textDocument/documentHighlight",
        at(&client, "system.ward", "data glucose", 0, 6),
    );
    insta::assert_json_snapshot!("highlights", highlights);
    client.shutdown();
}

#[test]
fn rename_across_files_and_refusals() {
    let client = open_demo();
    let prepare = client.request(
        "textDocument/prepareRename",
        at(&client, "risk.ward", "@f_read", 0, 4),
    );
    insta::assert_json_snapshot!("prepare_rename", prepare);
    let mut params = at(&client, "risk.ward", "@f_read", 0, 4);
    params["newName"] = json!("f_sensor");
    let edit = client.request("textDocument/rename", params.clone());
    let mut changes: Vec<(String, Value)> = edit["changes"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    changes.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, edits) in &mut changes {
        let list = edits.as_array_mut().unwrap();
        list.sort_by_key(|e| {
            (
                e["range"]["start"]["line"].as_u64(),
                e["range"]["start"]["character"].as_u64(),
            )
        });
    }
    insta::assert_json_snapshot!("rename_flow", client.normalise(&json!(changes)));

    for (name, expected) in [
        ("flow", "reserved word"),
        ("2x", "not a valid id"),
        ("f_up", "already declared"),
    ] {
        params["newName"] = json!(name);
        let (code, message) = client.request_error("textDocument/rename", params.clone());
        assert_eq!(code, -32803);
        assert!(message.contains(expected), "{name}: {message}");
    }
    // A standard library rule cannot be renamed.
    let (code, message) = client.request_error(
        "textDocument/prepareRename",
        at(&client, "risk.ward", "wireless_jamming", 0, 2),
    );
    assert_eq!(code, -32803);
    assert!(message.contains("standard library"), "{message}");
    client.shutdown();
}

/// Labels offered at the end of `prefix` appended to risk.ward.
fn completions_after(client: &Client, version: i64, prefix: &str) -> Vec<String> {
    let text = format!("{}{prefix}", text("risk.ward"));
    client.change_full("risk.ward", &text, version);
    let line = text.matches('\n').count() as u32;
    let character = text.rsplit('\n').next().unwrap().len() as u32;
    let result = client.request(
        "textDocument/completion",
        client.at("risk.ward", line, character),
    );
    result["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn completion_in_each_context() {
    let client = open_demo();
    let contexts = [
        ("top level", "\n"),
        ("keyword prefix", "\ncomp"),
        ("use", "\nuse "),
        ("std path", "\nuse std::"),
        ("flow source", "\nflow f_new: "),
        ("flow target", "\nflow f_new: app -> "),
        ("zone after in", "\ncomponent c \"C\" in "),
        (
            "property names of a control",
            "\ncontrol c2 {\n  category: resiliency\n  ",
        ),
        ("category values", "\ncontrol c2 {\n  category: "),
        ("mitigates", "\ncontrol c2 {\n  mitigates: [ble_jam, "),
        (
            "rule@ element",
            "\ncontrol c2 {\n  mitigates: [wireless_jamming@",
        ),
        ("hazards of a threat", "\nthreat t2 {\n  hazards: ["),
        (
            "exploitability levels",
            "\nthreat t2 { stride: spoofing, exploitability: ",
        ),
        ("carries", "\nflow f2: app -> api {\n  carries: ["),
        ("protocol", "\nflow f2: app -> api { protocol: "),
        ("verification", "\ncontrol c2 {\n  verification: ["),
        ("usecase steps", "\nusecase u2 {\n  steps: [f_read, "),
        ("hazards block keys", "\ndata d2 {\n  hazards {\n    "),
        (
            "hazards block values",
            "\ndata d2 {\n  hazards { integrity: [",
        ),
        ("limits keys", "\ncontrol c2 {\n  limits { "),
        ("accepted threat", "\naccept "),
        ("inside a string", "\nthreat t2 { description: \"some "),
        ("inside a comment", "\n// a comment "),
    ];
    let mut report = String::new();
    for (version, (name, prefix)) in contexts.iter().enumerate() {
        let labels = completions_after(&client, version as i64 + 2, prefix);
        let shown: Vec<&str> = labels.iter().map(String::as_str).take(30).collect();
        let more = labels.len().saturating_sub(30);
        let more = if more > 0 {
            format!(" (+{more})")
        } else {
            String::new()
        };
        report.push_str(&format!("{name}: {}{more}\n", shown.join(" ")));
    }
    insta::assert_snapshot!("completion_contexts", report);
    client.shutdown();
}

/// A flow offers its security properties and `returns`, each with its
/// values, and hover shows them, with a request's response data.
#[test]
fn flow_security_properties_complete_and_hover() {
    let client = open_demo();
    let names = completions_after(&client, 2, "\nflow f2: app -> api {\n  ");
    for key in [
        "auth",
        "server_authenticated",
        "tls_version",
        "identity",
        "returns",
    ] {
        assert!(names.iter().any(|l| l == key), "{key}: {names:?}");
    }
    let auth = completions_after(&client, 3, "\nflow f2: app -> api {\n  auth: ");
    assert_eq!(
        auth,
        [
            "none",
            "password",
            "token",
            "certificate",
            "mutual_tls",
            "mfa"
        ]
    );
    let tls = completions_after(&client, 4, "\nflow f2: app -> api { tls_version: ");
    assert_eq!(tls, ["tls1_0", "tls1_1", "tls1_2", "tls1_3"]);
    let identity = completions_after(&client, 5, "\nflow f2: app -> api { identity: ");
    assert_eq!(identity, ["end_user", "service"]);
    let returns = completions_after(&client, 6, "\nflow f2: app -> api { returns: [");
    assert!(returns.iter().any(|l| l == "glucose"), "data: {returns:?}");
    assert!(
        !returns.iter().any(|l| l == "app"),
        "data only: {returns:?}"
    );

    let flow = "\nflow f_fetch: app -> api \"Fetch\" { protocol: https, carries: [creds], returns: [glucose], auth: token, server_authenticated: false, encrypted: true, tls_version: tls1_2, identity: end_user }\n";
    let text = format!("{}{flow}", text("risk.ward"));
    client.change_full("risk.ward", &text, 7);
    let (line, character) = pos(&text, "f_fetch", 0, 1);
    let hover = hover_text(&client, client.at("risk.ward", line, character));
    assert!(hover.contains("flow f_fetch: app -> api"), "{hover}");
    for fact in [
        "- **auth**: `token`",
        "- **server_authenticated**: `false`",
        "- **tls_version**: `tls1_2`",
        "- **identity**: `end_user`",
        "- **returns**: `glucose`",
    ] {
        assert!(hover.contains(fact), "{fact}: {hover}");
    }
    client.shutdown();
}

/// A component's `software` list offers the declared software; `support`
/// offers its three levels.
#[test]
fn completion_of_software_references_and_support() {
    let client = open_demo();
    let declared = "\nsoftware zephyr_rtos \"Zephyr RTOS\" {\n  supplier: \"Zephyr Project\"\n  \
                    version: \"3.6.0\"\n  purl: \"pkg:github/zephyrproject-rtos/zephyr@v3.6.0\"\n  \
                    author: \"Acme\"\n  timestamp: \"2026-11-30\"\n  support: supported\n}\n";
    let labels = completions_after(
        &client,
        2,
        &format!("{declared}component c9 \"C\" in home {{\n  software: ["),
    );
    assert!(labels.iter().any(|l| l == "zephyr_rtos"), "{labels:?}");
    assert!(
        !labels.iter().any(|l| l == "home"),
        "only software: {labels:?}"
    );
    let labels = completions_after(&client, 3, "\nsoftware s2 {\n  support: ");
    assert_eq!(labels, ["supported", "limited", "unsupported"]);
    client.shutdown();
}

/// The v2 component vocabulary (issue #16) reaches completion: the kinds,
/// the new properties and their values.
#[test]
fn completion_of_component_kinds_and_security_properties() {
    let client = open_demo();
    let labels = completions_after(&client, 2, "\ncomponent c9 \"C\" in home {\n  kind: ");
    for kind in [
        "proxy",
        "identity_provider",
        "ci_pipeline",
        "runtime",
        "ml_model",
    ] {
        assert!(labels.iter().any(|l| l == kind), "{kind} in {labels:?}");
    }
    let labels = completions_after(&client, 3, "\ncomponent c9 \"C\" in home {\n  ");
    for key in [
        "input_validation",
        "authorization",
        "parses",
        "processes",
        "runs_on",
    ] {
        assert!(labels.iter().any(|l| l == key), "{key} in {labels:?}");
    }
    let labels = completions_after(
        &client,
        4,
        "\ncomponent c9 \"C\" in home {\n  authorization: ",
    );
    assert_eq!(
        labels,
        ["none", "role_based", "attribute_based", "per_patient"]
    );
    let labels = completions_after(&client, 5, "\ncomponent c9 \"C\" in home {\n  parses: [");
    assert!(labels.iter().any(|l| l == "hl7v2"), "{labels:?}");
    client.shutdown();
}

#[test]
fn document_and_workspace_symbols() {
    let client = open_demo();
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": client.uri("risk.ward") } }),
    );
    insta::assert_json_snapshot!("document_symbols", symbols);
    let found = client.request("workspace/symbol", json!({ "query": "fup" }));
    let names: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["f_up"]);
    let found = client.request("workspace/symbol", json!({ "query": "a" }));
    let names: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    insta::assert_snapshot!("workspace_symbols_a", names.join(" "));
    client.shutdown();
}

#[test]
fn formatting_whole_document_and_range() {
    let client = open_demo();
    let messy = "zone   a \"A\"{trust:hostile}\n\n\nzone b {   }\nzone c   { trust: trusted }\n";
    client.change_full("risk.ward", messy, 2);
    let options = json!({ "tabSize": 2, "insertSpaces": true });
    let edits = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": client.uri("risk.ward") }, "options": options }),
    );
    insta::assert_json_snapshot!("formatting", edits);
    let edits = client.request(
        "textDocument/rangeFormatting",
        json!({
            "textDocument": { "uri": client.uri("risk.ward") },
            "range": common::range((4, 0), (4, 5)),
            "options": options
        }),
    );
    insta::assert_json_snapshot!("range_formatting", edits);
    // A file with syntax errors is refused with a message.
    client.change_full("risk.ward", "zone a {\n", 3);
    let (code, message) = client.request_error(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": client.uri("risk.ward") }, "options": options }),
    );
    assert_eq!(code, -32803);
    assert!(message.contains("syntax errors"), "{message}");
    client.shutdown();
}

/// One decoded semantic token.
struct Token {
    line: u64,
    start: u64,
    text: String,
    kind: u64,
    modifiers: u64,
}

/// The semantic tokens of `file`, whose text is `source`, decoded.
fn semantic_tokens(client: &Client, file: &str, source: &str) -> Vec<Token> {
    let lines: Vec<&str> = source.lines().collect();
    let tokens = client.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": client.uri(file) } }),
    );
    let data: Vec<u64> = tokens["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let (mut line, mut start) = (0u64, 0u64);
    let mut decoded = Vec::new();
    for chunk in data.chunks(5) {
        if chunk[0] > 0 {
            line += chunk[0];
            start = chunk[1];
        } else {
            start += chunk[1];
        }
        decoded.push(Token {
            line,
            start,
            text: lines[line as usize][start as usize..(start + chunk[2]) as usize].to_owned(),
            kind: chunk[3],
            modifiers: chunk[4],
        });
    }
    decoded
}

#[test]
fn semantic_tokens_decoded() {
    let client = open_demo();
    let legend = [
        "keyword",
        "string",
        "number",
        "comment",
        "operator",
        "property",
        "enumMember",
        "namespace",
        "struct",
        "class",
        "interface",
        "event",
        "type",
        "function",
        "macro",
        "method",
        "parameter",
        "variable",
    ];
    let modifiers = ["declaration", "documentation", "defaultLibrary"];
    for file in ["risk.ward", "system.ward"] {
        let mut report = String::new();
        for token in semantic_tokens(&client, file, &text(file)) {
            let mods: Vec<&str> = (0..3)
                .filter(|b| token.modifiers & (1 << b) != 0)
                .map(|b| modifiers[b])
                .collect();
            report.push_str(&format!(
                "{}:{} {:?} {} {}\n",
                token.line,
                token.start,
                token.text,
                legend[token.kind as usize],
                mods.join(",")
            ));
        }
        insta::assert_snapshot!(
            format!("semantic_tokens_{}", file.trim_end_matches(".ward")),
            report
        );
    }
    client.shutdown();
}

#[test]
fn inlay_hints_show_initial_and_residual_risk() {
    let client = open_demo();
    let mut report = String::new();
    for file in ["system.ward", "risk.ward"] {
        let hints = client.request(
            "textDocument/inlayHint",
            json!({ "textDocument": { "uri": client.uri(file) }, "range": common::range((0, 0), (999, 0)) }),
        );
        for hint in hints.as_array().unwrap() {
            let p = &hint["position"];
            report.push_str(&format!(
                "{file} {}:{} {}\n",
                p["line"],
                p["character"],
                hint["label"].as_str().unwrap()
            ));
        }
    }
    insta::assert_snapshot!("inlay_hints", report);
    client.shutdown();
}

#[test]
fn code_actions_add_a_control_or_accept_a_risk_and_the_model_still_compiles() {
    let client = open_demo();
    let system = text("system.ward");
    let (line, character) = pos(&system, "component api", 0, 11);
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": client.uri("system.ward") },
            "range": common::range((line, character), (line, character)),
            "context": { "diagnostics": [] }
        }),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    insta::assert_snapshot!("code_action_titles", titles.join("\n"));
    let add = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Add a control"))
        .unwrap();
    let accept = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Accept"))
        .unwrap();
    for (version, (name, action)) in (2..).zip([("added_control", add), ("added_accept", accept)]) {
        let edit = &action["edit"]["changes"][client.uri("system.ward")][0];
        let inserted = edit["newText"].as_str().unwrap();
        insta::assert_snapshot!(name, inserted);
        // Appended at the end: the file then compiles with no error.
        assert_eq!(edit["range"]["start"]["line"], system.lines().count());
        let updated = format!("{system}{inserted}");
        client.change_full("system.ward", &updated, version);
        let diagnostics = client.diagnostics("system.ward", Some(version));
        let errors: Vec<&Value> = diagnostics
            .as_array()
            .unwrap()
            .iter()
            // Compile errors (E0001-E0399), not findings (E04xx).
            .filter(|d| {
                d["code"].as_str().unwrap()[1..].parse::<u32>().unwrap() < 400 && d["severity"] == 1
            })
            .collect();
        assert!(
            errors.is_empty(),
            "compile errors after the action: {errors:?}"
        );
    }
    client.shutdown();
}

/// `accept [ ... ]`: each threat in the list navigates, renames and
/// completes like any threat reference.
#[test]
fn threats_in_an_accept_list_navigate_rename_and_complete() {
    let client = open_demo();
    let listed = text("risk.ward").replace(
        "accept ble_jam {",
        "accept [\n  ble_jam,\n  wireless_jamming@f_read,\n] {",
    );
    client.change_full("risk.ward", &listed, 2);
    let diagnostics = client.diagnostics("risk.ward", Some(2));
    assert!(
        !summary(&diagnostics).contains(" E0"),
        "{}",
        summary(&diagnostics)
    );
    let in_list = |needle: &str, shift: u32| {
        let (line, character) = pos(&listed, needle, 0, shift);
        client.at("risk.ward", line, character)
    };
    let declaration = pos(&listed, "threat ble_jam", 0, 7);

    // Definition of a hand-written threat in the list: its declaration.
    let definition = client.request("textDocument/definition", in_list("  ble_jam,", 4));
    assert_eq!(definition["uri"], client.uri("risk.ward"));
    assert_eq!(
        definition["range"]["start"],
        json!({ "line": declaration.0, "character": declaration.1 })
    );
    // The element of a `RULE@ELEMENT` in the list: the flow, in the other file.
    let definition = client.request(
        "textDocument/definition",
        in_list("wireless_jamming@f_read,", 19),
    );
    assert_eq!(definition["uri"], client.uri("system.ward"));

    // References of the threat include its entry in the list.
    let mut params = in_list("  ble_jam,", 4);
    params["context"] = json!({ "includeDeclaration": false });
    let references = client.request("textDocument/references", params);
    let entry = pos(&listed, "  ble_jam,", 0, 2);
    assert!(
        references
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["range"]["start"] == json!({ "line": entry.0, "character": entry.1 })),
        "{references:#}"
    );

    // Each reference in the list is highlighted as it is elsewhere.
    let tokens = semantic_tokens(&client, "risk.ward", &listed);
    let kind_at = |line: u32, text: &str| {
        tokens
            .iter()
            .find(|t| t.line == line as u64 && t.text == text)
            .map(|t| t.kind)
    };
    let usage = pos(&listed, "mitigates: [ble_jam", 0, 0).0;
    assert!(kind_at(entry.0, "ble_jam").is_some());
    assert_eq!(kind_at(entry.0, "ble_jam"), kind_at(usage, "ble_jam"));
    for part in ["wireless_jamming", "@", "f_read"] {
        assert!(kind_at(usage, part).is_some(), "{part}");
        assert_eq!(kind_at(entry.0 + 1, part), kind_at(usage, part), "{part}");
    }

    // Renaming the threat rewrites the list entry too.
    let mut params = in_list("  ble_jam,", 4);
    params["newName"] = json!("ble_jamming");
    let edit = client.request("textDocument/rename", params);
    let edits = edit["changes"][client.uri("risk.ward")].as_array().unwrap();
    assert!(
        edits.iter().any(|e| e["range"]["start"]
            == json!({ "line": entry.0, "character": entry.1 })
            && e["newText"] == "ble_jamming"),
        "{edits:#?}"
    );
    client.shutdown();
}

#[test]
fn completion_inside_an_accept_list_offers_threats() {
    let client = open_demo();
    for (version, prefix) in [
        (2, "\naccept ["),
        (3, "\naccept [ble_jam, "),
        (4, "\naccept [\n  ble_jam,\n  "),
    ] {
        let labels = completions_after(&client, version, prefix);
        assert!(
            labels.iter().any(|l| l == "ble_jam"),
            "{prefix:?}: {labels:?}"
        );
        assert!(
            labels.iter().any(|l| l.starts_with("wireless_jamming@")),
            "{prefix:?}: {labels:?}"
        );
        // Threats only: no declaration keywords, no elements.
        assert!(
            !labels.iter().any(|l| l == "component" || l == "app"),
            "{prefix:?}: {labels:?}"
        );
    }
    client.shutdown();
}

/// A property's completion documents it from the vocabulary table
/// (`ward_model::language`): its meaning and its default.
#[test]
fn property_completions_are_documented_from_the_vocabulary() {
    let client = open_demo();
    let text = format!("{}\nzone z2 \"Z\" {{\n  ", text("risk.ward"));
    client.change_full("risk.ward", &text, 2);
    let line = text.matches('\n').count() as u32;
    let result = client.request("textDocument/completion", client.at("risk.ward", line, 2));
    let items = result["items"].as_array().unwrap();
    let trust = items
        .iter()
        .find(|i| i["label"] == "trust")
        .expect("`trust` is offered in a zone");
    let spec = ward_model::language::ZONE_TRUST;
    assert_eq!(
        trust["documentation"]["value"],
        format!("{}\n\nDefault: {}", spec.doc, spec.default)
    );
    assert!(spec.doc.contains("trusted") && spec.default.contains("untrusted"));
    client.shutdown();
}

/// One truth in the editor: a model with errors gets no risk findings, and
/// hover and inlay hints say nothing about threats until it compiles.
#[test]
fn a_model_with_errors_waits_for_analysis_like_ward_check() {
    let client = open_demo();
    let system = client.diagnostics("system.ward", None);
    assert!(
        system
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"].as_str().unwrap().starts_with("W04")),
        "the valid model has risk findings"
    );
    let broken = text("system.ward").replacen("carries: [glucose]", "carries: [glucse]", 1);
    client.change_full("system.ward", &broken, 2);
    let system = client.diagnostics("system.ward", Some(2));
    let codes: Vec<&str> = system
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.iter().any(|c| c.starts_with('E')), "{codes:?}");
    assert!(
        !codes.iter().any(|c| c.starts_with("W04")),
        "no risk findings on a broken model: {codes:?}"
    );
    let (line, character) = pos(&broken, "flow f_read", 0, 6);
    let hover = client.request(
        "textDocument/hover",
        client.at("system.ward", line, character),
    );
    let value = hover["contents"]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("{hover} {system}"));
    let (error_line, error_column) = pos(&broken, "glucse", 0, 0);
    assert!(
        value.contains(&format!(
            "analysis waits until the error is fixed (first at `system.ward:{}:{}`)",
            error_line + 1,
            error_column + 1
        )),
        "{value}"
    );
    assert!(!value.contains("No rule generates"), "{value}");
    let hints = client.request(
        "textDocument/inlayHint",
        json!({
            "textDocument": { "uri": client.uri("system.ward") },
            "range": common::range((0, 0), (200, 0)),
        }),
    );
    assert!(
        hints.is_null() || hints == json!([]),
        "no risk hints: {hints}"
    );
    client.shutdown();
}
