//! Bad input over real stdio (the server binary), and abuse over an
//! in-memory connection: the server keeps answering.

mod common;

use common::{model, Client};
use serde_json::{json, Value};
use std::io::Write;
use std::process::{Child, ChildStdin};
use std::sync::mpsc;
use std::time::Duration;

const MODEL: &str = "system s \"S\" {}\nzone home \"Home\" { trust: untrusted }\ncomponent pump \"Pump\" in home { kind: device }\n";

/// The server binary on pipes, with a reader thread for its output.
struct Process {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: mpsc::Receiver<Value>,
}

impl Process {
    fn start() -> Process {
        let (child, stdin, messages) = common::spawn_server();
        Process {
            child,
            stdin,
            messages,
        }
    }

    fn raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("input open");
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, value: Value) {
        let text = value.to_string();
        self.raw(format!("Content-Length: {}\r\n\r\n{text}", text.len()).as_bytes());
    }

    /// The next message that satisfies `accept`.
    fn next(&self, accept: impl Fn(&Value) -> bool) -> Value {
        loop {
            let message = self
                .messages
                .recv_timeout(Duration::from_secs(30))
                .expect("a message in time");
            if accept(&message) {
                return message;
            }
        }
    }

    fn response(&self, id: i64) -> Value {
        self.next(|m| m["id"] == id && m.get("method").is_none())
    }

    fn wait(mut self) -> i32 {
        for _ in 0..300 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        panic!("the server did not exit");
    }
}

fn initialize(process: &mut Process, root: &std::path::Path) {
    process.send(json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {}, "rootUri": common::uri(root) } }));
    let response = process.response(1);
    assert!(response["result"]["capabilities"].is_object());
    process.send(json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
}

#[test]
fn garbage_bytes_headers_and_malformed_json_over_stdio() {
    let dir = model(&[("a.ward", MODEL)]);
    let root = dir.path().canonicalize().unwrap();
    let uri = common::uri(&root.join("a.ward"));
    let mut process = Process::start();
    // Garbage before anything.
    process.raw(b"\x00\xff\xfe garbage\r\nmore garbage without a header\n");
    initialize(&mut process, &root);
    // A bad header, a header with no body separator, binary noise.
    process.raw(b"Content-Length: twelve\r\n\r\n{\"x\":1}\r\n");
    process.raw(b"X-Unknown: 1\r\n\r\n");
    process.raw(&[0xde, 0xad, 0xbe, 0xef, b'\n']);
    // Malformed JSON: a parse error response with a null id.
    let bad = "{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": ";
    process.raw(format!("Content-Length: {}\r\n\r\n{bad}", bad.len()).as_bytes());
    let error = process.next(|m| m.get("error").is_some());
    assert_eq!(error["error"]["code"], -32700);
    assert_eq!(error["id"], Value::Null);
    // Valid JSON that is not a message: an invalid request.
    process.send(json!([1, 2, 3]));
    let error = process.next(|m| m.get("error").is_some());
    assert_eq!(error["error"]["code"], -32600);
    // Unknown method, then real work.
    process.send(json!({ "jsonrpc": "2.0", "id": 3, "method": "ward/unknown", "params": {} }));
    assert_eq!(process.response(3)["error"]["code"], -32601);
    process.send(
        json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": { "uri": uri, "languageId": "ward", "version": 1, "text": MODEL } } }),
    );
    process.send(
        json!({ "jsonrpc": "2.0", "id": 4, "method": "textDocument/hover", "params": {
        "textDocument": { "uri": uri }, "position": { "line": 2, "character": 12 } } }),
    );
    let hover = process.response(4);
    assert!(
        hover["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("component pump"),
        "{hover}"
    );
    process.send(json!({ "jsonrpc": "2.0", "id": 5, "method": "shutdown" }));
    assert_eq!(process.response(5)["result"], Value::Null);
    process.send(json!({ "jsonrpc": "2.0", "method": "exit" }));
    assert_eq!(process.wait(), 0, "exit after shutdown is a clean exit");
}

#[test]
fn the_server_exits_when_its_input_closes() {
    let dir = model(&[]);
    let mut process = Process::start();
    initialize(&mut process, dir.path());
    process.stdin = None;
    assert_eq!(process.wait(), 1, "no shutdown: exit code 1");
}

#[test]
fn positions_past_the_end_and_out_of_order_versions() {
    let dir = model(&[("a.ward", MODEL)]);
    let client = Client::start(dir.path());
    client.open("a.ward");
    for (line, character) in [(2, 9999), (9999, 0), (9999, 9999)] {
        let hover = client.request("textDocument/hover", client.at("a.ward", line, character));
        assert!(hover.is_null() || hover["contents"].is_object());
        let completion = client.request(
            "textDocument/completion",
            client.at("a.ward", line, character),
        );
        assert!(completion["items"].is_array());
        let definition = client.request(
            "textDocument/definition",
            client.at("a.ward", line, character),
        );
        assert!(definition.is_null() || definition.is_object());
    }
    // An edit range past the end is clamped (appends).
    client.change_range(
        "a.ward",
        2,
        (99, 0),
        (99, 5),
        "actor nurse \"Nurse\" in home { kind: human }\n",
    );
    // An older version is ignored.
    client.change_full("a.ward", "garbage that must not be applied", 1);
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": client.uri("a.ward") } }),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["s", "home", "pump", "nurse"]);
    // Changes to a document that is not open, closing twice: ignored.
    client.change_full("b.ward", "zone z {}", 5);
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": client.uri("b.ward") } }),
    );
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": client.uri("a.ward") } }),
    );
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": client.uri("a.ward") } }),
    );
    client.open("a.ward");
    let hover = client.request("textDocument/hover", client.at("a.ward", 2, 12));
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("component pump"));
    client.shutdown();
}

#[test]
fn a_thousand_rapid_changes_then_a_hover() {
    let dir = model(&[("a.ward", MODEL)]);
    let client = Client::start(dir.path());
    client.open("a.ward");
    // Typing a comment at the end of the file, one character per change.
    let end_line = MODEL.lines().count() as u32;
    client.change_range("a.ward", 2, (end_line, 0), (end_line, 0), "// ");
    for i in 0..1000u32 {
        let c = char::from(b'a' + (i % 26) as u8);
        client.change_range(
            "a.ward",
            i as i64 + 3,
            (end_line, 3 + i),
            (end_line, 3 + i),
            &c.to_string(),
        );
    }
    let hover = client.request("textDocument/hover", client.at("a.ward", 2, 12));
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("component pump"),
        "{hover}"
    );
    // Diagnostics for the last version arrive, and the burst was coalesced:
    // far fewer publications than changes.
    client.diagnostics("a.ward", Some(1002));
    let published = client.count("textDocument/publishDiagnostics");
    assert!(published < 50, "{published} publications for 1000 changes");
    client.shutdown();
}

#[test]
fn half_typed_text_never_breaks_a_handler() {
    // Every feature on text as it is while being typed: no internal error.
    let dir = model(&[("a.ward", MODEL)]);
    let client = Client::start(dir.path());
    let half_typed = [
        "flow f: a -> ",
        "control c { mitigates: [x@",
        "threat t { stride: [spoofing, ",
        "zone z in ",
        "policy p { matrix { ",
        "rule r \"{bad\" { when: (a and ",
        "accept x@y.reverse { level: ",
        "\u{feff}zone \u{1F600} {}",
        "\"\"\"",
        "/* /* */",
    ];
    for (i, text) in half_typed.iter().enumerate() {
        let version = i as i64 + 1;
        if i == 0 {
            client.open_text("a.ward", text, version);
        } else {
            client.change_full("a.ward", text, version);
        }
        let len = text.chars().map(char::len_utf16).sum::<usize>() as u32;
        for method in [
            "textDocument/hover",
            "textDocument/completion",
            "textDocument/definition",
            "textDocument/documentHighlight",
        ] {
            let id = client.send_request(method, client.at("a.ward", 0, len));
            let response = client.response(&id);
            assert!(
                response.error.is_none() || response.error.unwrap().code != -32603,
                "{method} on {text:?}"
            );
        }
        for method in [
            "textDocument/semanticTokens/full",
            "textDocument/documentSymbol",
        ] {
            client.request(
                method,
                json!({ "textDocument": { "uri": client.uri("a.ward") } }),
            );
        }
    }
    client.shutdown();
}

/// A buffer with a byte-order mark and CRLF line ends: positions are the
/// client's (the BOM is one UTF-16 unit of line 0; CR is not a column).
#[test]
fn bom_crlf_and_non_ascii_positions() {
    let dir = model(&[]);
    let client = Client::start(dir.path());
    let text = "\u{feff}system s \"Syst\u{e8}me \u{1F600}\" {}\r\nzone home \"H\u{f4}me\" { trust: untrusted }\r\ncomponent pump \"\u{1F600}\" in home { kind: device }\r\n";
    client.open_text("a.ward", text, 1);
    // `home` after `in` on line 2: after the emoji (2 UTF-16 units).
    let line2 = "component pump \"\u{1F600}\" in home";
    let character = line2.encode_utf16().count() as u32 - 2;
    let definition = client.request("textDocument/definition", client.at("a.ward", 2, character));
    assert_eq!(definition["range"], common::range((1, 5), (1, 9)));
    // On line 0, after the BOM: `s` is at UTF-16 column 8.
    let hover = client.request("textDocument/hover", client.at("a.ward", 0, 8));
    assert_eq!(hover["range"], common::range((0, 8), (0, 9)));
    client.shutdown();
}

#[cfg(unix)]
#[test]
fn a_fifo_named_ward_in_the_model_folder_never_blocks_the_server() {
    // Opened for reading, a FIFO blocks until a writer comes: the server
    // would answer nothing more, not even `shutdown`.
    let dir = model(&[("a.ward", MODEL)]);
    let root = dir.path().canonicalize().unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(root.join("pipe.ward"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let uri = common::uri(&root.join("a.ward"));
    let mut process = Process::start();
    initialize(&mut process, &root);
    process.send(
        json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": { "uri": uri, "languageId": "ward", "version": 1, "text": MODEL } } }),
    );
    process.send(
        json!({ "jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {
        "textDocument": { "uri": uri }, "position": { "line": 2, "character": 12 } } }),
    );
    let hover = process.response(2);
    assert!(
        hover["result"]["contents"]["value"]
            .as_str()
            .is_some_and(|v| v.contains("component pump")),
        "{hover}"
    );
    process.send(json!({ "jsonrpc": "2.0", "id": 3, "method": "shutdown" }));
    assert_eq!(process.response(3)["result"], Value::Null);
    process.send(json!({ "jsonrpc": "2.0", "method": "exit" }));
    assert_eq!(process.wait(), 0);
}
