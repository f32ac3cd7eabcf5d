//! docs/editors.md promises that the editor shows what the command line
//! would: the diagnostics the language server publishes equal those of
//! `ward check --message-format json` (code and range), on a model that
//! compiles and on one with errors (where neither shows risk findings).

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// `(file, code, start line, start column, end line, end column)`, 0-based.
type Key = (String, String, u64, u64, u64, u64);

fn demo() -> tempfile::TempDir {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/ward-lsp/tests/fixtures/demo");
    let dir = tempfile::tempdir().unwrap();
    for name in ["Ward.toml", "system.ward", "risk.ward"] {
        std::fs::copy(from.join(name), dir.path().join(name)).unwrap();
    }
    dir
}

/// What `ward check --message-format json` reports, as keys (the fixtures
/// are ASCII, so its 1-based columns are UTF-16 columns plus one).
fn command_line(root: &Path) -> BTreeSet<Key> {
    let output = Command::new(env!("CARGO_BIN_EXE_ward"))
        .args(["check", "--message-format", "json"])
        .arg(root)
        .output()
        .unwrap();
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        // Diagnostics with a file; other records (a summary) aside.
        .filter(|d| d["code"].is_string() && d["file"].is_string())
        .map(|d| {
            let n = |field: &str| d[field].as_u64().unwrap() - 1;
            (
                d["file"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
                n("start_line"),
                n("start_column"),
                n("end_line"),
                n("end_column"),
            )
        })
        .collect()
}

/// What the language server publishes once both files are open.
fn editor(root: &Path) -> BTreeSet<Key> {
    let (server, client) = Connection::memory();
    let thread = std::thread::spawn(move || ward_lsp::run(&server));
    let root_uri = format!("file://{}", root.canonicalize().unwrap().display());
    let request = |id: i32, method: &str, params: Value| {
        Message::Request(Request::new(RequestId::from(id), method.into(), params))
    };
    let notify = |method: &str, params: Value| {
        Message::Notification(Notification::new(method.into(), params))
    };
    client
        .sender
        .send(request(1, "initialize", json!({ "capabilities": {} })))
        .unwrap();
    client
        .sender
        .send(notify("initialized", json!({})))
        .unwrap();
    for name in ["system.ward", "risk.ward"] {
        let text = std::fs::read_to_string(root.join(name)).unwrap();
        let document = json!({ "uri": format!("{root_uri}/{name}"), "languageId": "ward", "version": 1, "text": text });
        let params = json!({ "textDocument": document });
        client
            .sender
            .send(notify("textDocument/didOpen", params))
            .unwrap();
    }
    // A request analyses what is pending first: the last publication per
    // file before its answer is the final one.
    let probe = json!({ "textDocument": { "uri": format!("{root_uri}/system.ward") } });
    client
        .sender
        .send(request(2, "textDocument/documentSymbol", probe))
        .unwrap();
    let mut published = std::collections::BTreeMap::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let message = client
            .receiver
            .recv_deadline(deadline)
            .expect("the server answers (hang guard)");
        match message {
            Message::Notification(n) if n.method == "textDocument/publishDiagnostics" => {
                let uri = n.params["uri"].as_str().unwrap().to_owned();
                published.insert(uri, n.params["diagnostics"].clone());
            }
            Message::Response(r) if r.id == RequestId::from(2) => break,
            _ => {}
        }
    }
    client
        .sender
        .send(request(3, "shutdown", Value::Null))
        .unwrap();
    client.sender.send(notify("exit", Value::Null)).unwrap();
    drop(client);
    thread.join().unwrap();
    let mut keys = BTreeSet::new();
    for (uri, diagnostics) in published {
        let file = uri.rsplit('/').next().unwrap().to_owned();
        for d in diagnostics.as_array().unwrap() {
            let n = |end: &str, field: &str| d["range"][end][field].as_u64().unwrap();
            keys.insert((
                file.clone(),
                d["code"].as_str().unwrap().to_owned(),
                n("start", "line"),
                n("start", "character"),
                n("end", "line"),
                n("end", "character"),
            ));
        }
    }
    keys
}

#[test]
fn the_editor_shows_what_ward_check_shows_on_a_valid_model() {
    let dir = demo();
    let cli = command_line(dir.path());
    assert!(
        cli.iter().any(|k| k.1.starts_with("W04")),
        "the valid model has risk findings: {cli:?}"
    );
    assert_eq!(editor(dir.path()), cli);
}

#[test]
fn the_editor_shows_what_ward_check_shows_on_a_broken_model() {
    let dir = demo();
    let system = dir.path().join("system.ward");
    let text = std::fs::read_to_string(&system).unwrap();
    std::fs::write(
        &system,
        text.replacen("carries: [glucose]", "carries: [glucse]", 1),
    )
    .unwrap();
    let cli = command_line(dir.path());
    assert!(
        cli.iter().any(|k| k.1.starts_with('E')),
        "the typo is an error: {cli:?}"
    );
    assert!(
        !cli.iter().any(|k| k.1.starts_with("W04")),
        "no risk findings on a broken model: {cli:?}"
    );
    assert_eq!(editor(dir.path()), cli);
}
