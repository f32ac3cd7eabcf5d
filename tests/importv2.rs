//! The v2 vocabulary (issue #16) through `ward import threagile`, on
//! Threagile's own example model: link authentication and authorization
//! become `auth` and `identity`, accepted data formats `parses`, processed
//! data that is not stored `processes`, links with different data each way
//! request/response flows (`returns`), shared runtimes `runtime` components
//! with `runs_on`, multi-tenant assets `fleet: shared`; the summary counts
//! each property; and a Threat Dragon protocol text naming a TLS version.

mod support;

use serde_json::Value;
use std::path::Path;
use support::{run_ward, stderr};

/// Threagile's example with the "User Management Access" link (credentials,
/// technical user) changed to two-factor authentication, imported into
/// `dir/model` and built into `dir/out`; returns the summary, the model
/// text and model.json.
fn import_example(dir: &Path) -> (String, String, Value) {
    let example = std::fs::read_to_string(
        support::repo_root().join("tests/fixtures/import/threagile-example.yaml"),
    )
    .unwrap();
    let link = "      User Management Access:\n        target: ldap-auth-server\n        description: Link to the LDAP auth server for managing users\n        protocol: ldaps # values: see help\n        authentication: credentials";
    assert!(example.contains(link), "the fixture has changed");
    let input = dir.join("threagile.yaml");
    support::write(
        &input,
        &example.replace(link, &link.replace("credentials", "two-factor")),
    );
    let o = run_ward(
        dir,
        &[
            "import",
            "threagile",
            input.to_str().unwrap(),
            "-o",
            "model",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary = stderr(&o);
    let o = run_ward(dir, &["build", "model", "--no-svg", "-o", "out"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    let text = std::fs::read_to_string(dir.join("model/model.ward")).unwrap();
    let model: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out/model.json")).unwrap())
            .unwrap();
    (summary, text, model)
}

fn by_title<'a>(model: &'a Value, collection: &str, title: &str) -> Vec<&'a Value> {
    (model[collection].as_array().unwrap().iter())
        .filter(|x| x["title"] == title)
        .collect()
}

#[test]
fn threagile_links_assets_and_runtimes_map_onto_the_v2_vocabulary() {
    let dir = tempfile::tempdir().unwrap();
    let (summary, text, model) = import_example(dir.path());

    // two-factor + technical-user: `auth: mfa`, `identity: service`; the
    // same data both ways stays one `<->` flow.
    let access = by_title(&model, "flows", "User Management Access");
    assert_eq!(access.len(), 2, "both directions of `<->`");
    for f in &access {
        assert_eq!(f["auth"], "mfa");
        assert_eq!(f["authenticated"], true);
        assert_eq!(f["identity"], "service");
    }
    // session-id is approximated as a token, and the summary says so.
    let customer = by_title(&model, "flows", "Customer Traffic");
    assert_eq!(customer[0]["auth"], "token");
    assert_eq!(customer[0]["identity"], "end_user");
    assert!(
        summary.contains("authentication `session-id` written as `auth: token`"),
        "{summary}"
    );

    // Different data sent and received: one request/response flow whose
    // response direction carries what was received.
    let erp = by_title(&model, "flows", "ERP Internal Access");
    assert_eq!(erp.len(), 2, "the request and its response");
    let response = erp.iter().find(|f| f["is_response"] == true).unwrap();
    assert_eq!(
        response["carries"],
        serde_json::json!(["customer_contracts", "some_internal_business_data"])
    );
    assert!(!text.contains("(response)"), "no separate response flow");

    // The ERP system stores its logs and only processes the rest: no
    // data-store facts for processed data; its formats are `parses`.
    let system = by_title(&model, "elements", "Backoffice ERP System")[0];
    assert_eq!(system["stores"], serde_json::json!(["erp_logs"]));
    assert_eq!(
        system["processes"],
        serde_json::json!([
            "customer_accounts",
            "customer_operational_data",
            "customer_contracts",
            "some_internal_business_data",
            "erp_customizing_data"
        ])
    );
    assert_eq!(
        system["parses"],
        serde_json::json!(["xml", "files", "serialized_objects"])
    );
    assert!(
        summary.contains("`redundant: true` of technical asset \"Backoffice ERP System\""),
        "{summary}"
    );

    // The shared runtime is a `runtime` component the assets run on.
    let runtime = by_title(&model, "elements", "WebApp and Backoffice Virtualization")[0];
    assert_eq!(runtime["kind"], "runtime");
    assert_eq!(system["runs_on"], runtime["id"]);
    let on_it = (model["elements"].as_array().unwrap().iter())
        .filter(|e| e["runs_on"] == runtime["id"])
        .count();
    assert_eq!(on_it, 5, "apache, cms, erp, file server, database");

    // Multi-tenant assets serve many: `fleet: shared`.
    let shared = (model["elements"].as_array().unwrap().iter())
        .filter(|e| e["fleet"] == "shared")
        .count();
    assert_eq!(shared, 3);

    let properties = summary
        .lines()
        .find(|l| l.starts_with("properties: "))
        .unwrap_or_else(|| panic!("no properties line: {summary}"));
    for counted in [
        "auth on 18",
        "identity on 18",
        "returns on 8",
        "parses on 5",
        "runs_on on 5",
        "fleet: shared on 3",
    ] {
        assert!(properties.contains(counted), "{counted}: {properties}");
    }
}

/// Threat Dragon has no TLS field; a flow's protocol text that names a
/// version gives `tls_version` when the flow is encrypted (on a flow that
/// is not, it would only be W0170).
#[test]
fn threat_dragon_protocol_text_gives_the_tls_version_of_an_encrypted_flow() {
    let dir = tempfile::tempdir().unwrap();
    let demo = std::fs::read_to_string(
        support::repo_root().join("tests/fixtures/import/td-iot-device.json"),
    )
    .unwrap();
    let https = "\"isEncrypted\": false,\n              \"isPublicNetwork\": false,\n              \"protocol\": \"HTTPS\",";
    assert_eq!(demo.matches(https).count(), 2, "the fixture has changed");
    let derived = demo
        .replacen(
            https,
            &https
                .replace(
                    "false,\n              \"isPublic",
                    "true,\n              \"isPublic",
                )
                .replace("\"HTTPS\"", "\"TLS 1.3\""),
            1,
        )
        .replacen(https, &https.replace("\"HTTPS\"", "\"TLS 1.2\""), 1);
    let input = dir.path().join("td.json");
    support::write(&input, &derived);
    let o = run_ward(
        dir.path(),
        &["import", "threat-dragon", "td.json", "-o", "model"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("tls_version on 1"), "{}", stderr(&o));
    let o = run_ward(dir.path(), &["build", "model", "--no-svg", "-o", "out"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    let model: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/model.json")).unwrap())
            .unwrap();
    let versions: Vec<(&Value, &Value)> = (model["flows"].as_array().unwrap().iter())
        .filter(|f| !f["tls_version"].is_null())
        .map(|f| (&f["tls_version"], &f["encrypted"]))
        .collect();
    assert_eq!(versions, [(&Value::from("tls1_3"), &Value::Bool(true))]);
}
