//! The protocol itself: handshake, dispatch errors, cancellation, stale
//! requests, shutdown and exit, the end of input.

mod common;

use common::{model, Client};
use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::{json, Value};
use ward_lsp::Exit;

const ZONE: &str = "zone home \"Home\" { trust: untrusted }\n";

#[test]
fn initialize_announces_capabilities() {
    let dir = model(&[]);
    let (server_side, client_side) = lsp_server::Connection::memory();
    let server = std::thread::spawn(move || ward_lsp::run(&server_side));
    client_side
        .sender
        .send(Message::Request(Request::new(
            1.into(),
            "initialize".into(),
            json!({ "capabilities": {} }),
        )))
        .unwrap();
    let Message::Response(response) = client_side.receiver.recv().unwrap() else {
        panic!("a response")
    };
    let result = response.result.unwrap();
    insta::assert_json_snapshot!("capabilities", result);
    client_side
        .sender
        .send(Message::Notification(Notification::new(
            "exit".into(),
            Value::Null,
        )))
        .unwrap();
    assert_eq!(server.join().unwrap(), Exit::Abrupt);
    drop(dir);
}

#[test]
fn requests_before_initialize_are_refused() {
    let (server_side, client_side) = lsp_server::Connection::memory();
    let server = std::thread::spawn(move || ward_lsp::run(&server_side));
    client_side
        .sender
        .send(Message::Request(Request::new(
            1.into(),
            "textDocument/hover".into(),
            json!({}),
        )))
        .unwrap();
    let Message::Response(response) = client_side.receiver.recv().unwrap() else {
        panic!("a response")
    };
    assert_eq!(response.error.unwrap().code, -32002);
    drop(client_side);
    assert_eq!(server.join().unwrap(), Exit::Abrupt);
}

#[test]
fn unknown_methods_and_malformed_params() {
    let dir = model(&[("a.ward", ZONE)]);
    let client = Client::start(dir.path());
    let (code, message) = client.request_error("ward/noSuchMethod", json!({}));
    assert_eq!(code, -32601);
    assert!(message.contains("ward/noSuchMethod"), "{message}");
    // Unknown notifications are ignored.
    client.notify("ward/noSuchNotification", json!({ "x": 1 }));
    client.notify("$/setTrace", json!({ "value": "off" }));
    // Malformed params: an error for a request, nothing for a notification.
    let (code, _) = client.request_error("textDocument/hover", json!({ "textDocument": 5 }));
    assert_eq!(code, -32602);
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": "nonsense" }),
    );
    // A second initialize is an invalid request.
    let (code, _) = client.request_error("initialize", json!({ "capabilities": {} }));
    assert_eq!(code, -32600);
    // The server still answers.
    client.open("a.ward");
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": client.uri("a.ward") } }),
    );
    assert_eq!(symbols[0]["name"], "home");
    assert_eq!(client.shutdown(), Exit::Clean);
}

#[test]
fn requests_for_closed_or_unknown_files_answer_null() {
    let dir = model(&[("a.ward", ZONE)]);
    let client = Client::start(dir.path());
    let hover = client.request("textDocument/hover", client.at("a.ward", 0, 6));
    assert_eq!(hover, Value::Null);
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": "file:///no/such/file.ward" } }),
    );
    assert_eq!(symbols, Value::Null);
    client.open("a.ward");
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": client.uri("a.ward") } }),
    );
    let format = client.request(
        "textDocument/formatting",
        json!({
            "textDocument": { "uri": client.uri("a.ward") },
            "options": { "tabSize": 2, "insertSpaces": true }
        }),
    );
    assert_eq!(format, Value::Null);
    assert_eq!(client.shutdown(), Exit::Clean);
}

/// Messages queued before the server starts reading, so that it sees them
/// together: the cancellation and the change are in its queue when it
/// reaches the requests they affect.
#[test]
fn cancelled_and_stale_requests() {
    let dir = model(&[("a.ward", ZONE)]);
    let uri = common::uri(&dir.path().canonicalize().unwrap().join("a.ward"));
    let (server_side, client_side) = lsp_server::Connection::memory();
    let send = |m: Message| client_side.sender.send(m).unwrap();
    let request = |id: i32, method: &str, params: Value| {
        Message::Request(Request::new(id.into(), method.into(), params))
    };
    let notification = |method: &str, params: Value| {
        Message::Notification(Notification::new(method.into(), params))
    };
    let symbols = json!({ "textDocument": { "uri": uri } });
    send(request(1, "initialize", json!({ "capabilities": {} })));
    send(notification("initialized", json!({})));
    send(notification(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "ward", "version": 1, "text": ZONE } }),
    ));
    send(request(2, "textDocument/documentSymbol", symbols.clone()));
    send(notification("$/cancelRequest", json!({ "id": 2 })));
    send(notification("$/cancelRequest", json!({ "id": 99 })));
    send(request(3, "textDocument/documentSymbol", symbols.clone()));
    send(notification(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{ "text": "zone other {}\n" }]
        }),
    ));
    send(request(4, "textDocument/documentSymbol", symbols.clone()));
    send(request(5, "shutdown", Value::Null));
    send(notification("exit", Value::Null));
    let exit = ward_lsp::run(&server_side);
    assert_eq!(exit, Exit::Clean);
    let mut responses = std::collections::BTreeMap::new();
    for message in client_side.receiver.try_iter() {
        if let Message::Response(r) = message {
            let key = serde_json::to_value(&r.id).unwrap().as_i64().unwrap();
            assert!(responses.insert(key, r).is_none(), "one answer per request");
        }
    }
    assert_eq!(
        responses.keys().copied().collect::<Vec<_>>(),
        [1, 2, 3, 4, 5]
    );
    assert_eq!(responses[&2].error.as_ref().unwrap().code, -32800);
    assert_eq!(responses[&3].error.as_ref().unwrap().code, -32801);
    let symbols = responses[&4].result.as_ref().unwrap();
    assert_eq!(symbols[0]["name"], "other");
}

#[test]
fn requests_after_shutdown_are_invalid_and_exit_without_shutdown_is_abrupt() {
    let dir = model(&[]);
    let client = Client::start(dir.path());
    client.request("shutdown", Value::Null);
    let (code, _) = client.request_error("textDocument/hover", client.at("a.ward", 0, 0));
    assert_eq!(code, -32600);
    client.notify("exit", Value::Null);
    assert_eq!(client.join(), Exit::Clean);

    let client = Client::start(dir.path());
    client.notify("exit", Value::Null);
    assert_eq!(client.join(), Exit::Abrupt);
}

#[test]
fn the_server_ends_when_the_client_goes_away() {
    let (server_side, client_side) = lsp_server::Connection::memory();
    let server = std::thread::spawn(move || ward_lsp::run(&server_side));
    client_side
        .sender
        .send(Message::Request(Request::new(
            RequestId::from(1),
            "initialize".into(),
            json!({ "capabilities": {} }),
        )))
        .unwrap();
    let _ = client_side.receiver.recv().unwrap();
    drop(client_side);
    assert_eq!(server.join().unwrap(), Exit::Abrupt);
}

/// A model is the folder of the nearest `Ward.toml`, else the file's folder;
/// a `Ward.toml` created later (reported by the client's file watcher)
/// moves the file into the larger model.
#[test]
fn models_follow_ward_toml() {
    let dir = model(&[
        (
            "system.ward",
            "system s \"S\" {}\nzone home { trust: untrusted }\n",
        ),
        (
            "sub/pump.ward",
            "component pump \"Pump\" in home { kind: device }\n",
        ),
    ]);
    let client = Client::start(dir.path());
    client.open("sub/pump.ward");
    let alone = client.diagnostics("sub/pump.ward", Some(1));
    let codes: Vec<&str> = alone
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"E0111"),
        "`home` is unknown in the folder alone: {codes:?}"
    );
    std::fs::write(dir.path().join("Ward.toml"), "files = [\"**/*.ward\"]\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": client.uri("Ward.toml"), "type": 1 }] }),
    );
    let together = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == client.uri("sub/pump.ward")
            && p["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .all(|d| d["code"] != "E0111")
    });
    assert_eq!(together["version"], 1);
    assert_eq!(client.shutdown(), Exit::Clean);
}

/// A buffer that is not a file (`untitled:`) is a model of its own.
#[test]
fn untitled_buffers_get_diagnostics_and_features() {
    let dir = model(&[]);
    let client = Client::start(dir.path());
    let uri = "untitled:Untitled-1";
    let text = "system s \"S\" {}\nzone home { trust: untrusted }\ncomponent pump in hom { kind: device }\n";
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "ward", "version": 1, "text": text } }),
    );
    let published = client.wait_for("textDocument/publishDiagnostics", |p| p["uri"] == uri);
    let codes: Vec<&str> = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"E0111"), "unknown zone `hom`: {codes:?}");
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 1, "character": 6 } }),
    );
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap()
        .starts_with("```ward\nzone home"));
    assert_eq!(client.shutdown(), Exit::Clean);
}

/// The editor lists a file's syntax errors first, and notes on the errors
/// after them that they may follow from it, as `ward check` does
/// (docs/language.md §6).
#[test]
fn syntax_errors_come_first_in_the_editor_too() {
    let dir = model(&[]);
    let client = Client::start(dir.path());
    let uri = "untitled:Untitled-2";
    let text = "system s \"S\" { version: \"1\" }\nzone home \"Home\" { trust: untrusted }\n\
                component app \"App\" in home { kind: mobile_app }\n\
                flow f_sync: app -> cloud \"Sync\" { protocol: https }\n\
                component api \"API\" in home {\n  kind = service\n}\n";
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "ward", "version": 1, "text": text } }),
    );
    let published = client.wait_for("textDocument/publishDiagnostics", |p| p["uri"] == uri);
    let seen: Vec<(&str, u64, bool)> = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap(),
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["message"]
                    .as_str()
                    .unwrap()
                    .ends_with("note: may be caused by the syntax error above"),
            )
        })
        .collect();
    assert_eq!(seen, [("E0001", 5, false), ("E0111", 3, true)]);
    assert_eq!(client.shutdown(), Exit::Clean);
}
