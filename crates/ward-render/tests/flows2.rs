//! Request/response links in the artifacts: the system view draws the link
//! once and names the data it returns, the data flow view draws the
//! response direction with its own data, and model.json marks it.

use ward_render::RenderOptions;

const MODEL: &str = r#"
system s "S" { version: "1.0.0" }
zone home "Home" { trust: untrusted, controlled_by: patient }
zone cloud "Cloud" { trust: controlled, controlled_by: manufacturer }
data readings "Readings" { kind: telemetry }
data history "History" { kind: phi }
component app in home { kind: mobile_app }
component api in cloud { kind: service }
flow f_sync: app -> api "Sync" { protocol: https, carries: [readings], returns: [history], auth: token, encrypted: true, tls_version: tls1_2 }
"#;

fn artifact(path: &str) -> String {
    let options = RenderOptions {
        no_svg: true,
        ..RenderOptions::default()
    };
    let rendered = ward_render::testing::render_text(MODEL, &options).expect("renders");
    rendered
        .artifacts
        .iter()
        .find(|a| a.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
        .text()
        .to_string()
}

#[test]
fn the_system_view_names_the_request_and_the_response_data() {
    let dot = artifact("diagrams/system.dot");
    let label = dot
        .lines()
        .find(|l| l.contains("label=\"f_sync:"))
        .expect("the link's label");
    assert!(
        label.contains("f_sync: https\\nreadings\\nreturns: history"),
        "{label}"
    );
    assert!(!dot.contains("f_sync.reverse"), "one edge for the link");
}

#[test]
fn model_json_marks_the_response_direction_and_states_only_what_was_written() {
    let json: serde_json::Value = serde_json::from_str(&artifact("model.json")).unwrap();
    let flows = json["flows"].as_array().unwrap();
    let request = flows.iter().find(|f| f["id"] == "f_sync").unwrap();
    let response = flows.iter().find(|f| f["id"] == "f_sync.reverse").unwrap();
    assert_eq!(request["carries"], serde_json::json!(["readings"]));
    assert_eq!(request["reverse"], "f_sync.reverse");
    assert_eq!(request["auth"], "token");
    assert_eq!(request["tls_version"], "tls1_2");
    assert!(request.get("is_response").is_none(), "absent when false");
    assert!(request.get("identity").is_none(), "absent when not stated");
    assert!(
        request.get("server_authenticated").is_none(),
        "absent when it follows authenticated"
    );
    assert_eq!(response["carries"], serde_json::json!(["history"]));
    assert_eq!(response["is_response"], true);
    assert_eq!(response["reverse_of"], "f_sync");
    assert_eq!(
        (&response["source"], &response["target"]),
        (&request["target"], &request["source"])
    );
}
