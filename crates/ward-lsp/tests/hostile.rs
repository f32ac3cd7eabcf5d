//! Hostile input over real stdio (the server binary): a header that never
//! ends must not grow the server's memory, a model whose rules match
//! rules x elements times is answered with its budget diagnostic, and the
//! server keeps answering.

mod common;

use serde_json::{json, Value};
use std::fmt::Write as _;
use std::io::Write;
use std::time::Duration;

/// The server's peak resident memory in KiB (`VmHWM`, Linux only).
fn peak_memory_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("a VmHWM line");
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn frame(value: &Value) -> Vec<u8> {
    let text = value.to_string();
    format!("Content-Length: {}\r\n\r\n{text}", text.len()).into_bytes()
}

fn response(messages: &std::sync::mpsc::Receiver<Value>, id: i64) -> Value {
    loop {
        // A hang guard, not a measurement.
        let message = messages
            .recv_timeout(Duration::from_secs(60))
            .expect("a response in time");
        if message["id"] == id && message.get("method").is_none() {
            return message;
        }
    }
}

#[test]
fn a_header_line_without_end_keeps_memory_bounded_and_the_server_answers() {
    let (mut child, stdin, messages) = common::spawn_server();
    let mut stdin = stdin.unwrap();
    stdin
        .write_all(&frame(&json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {} } })))
        .unwrap();
    assert!(response(&messages, 1)["result"]["capabilities"].is_object());
    let before = peak_memory_kib(child.id());

    // 256 MiB of header with no newline, written in 1 MiB pieces.
    let piece = vec![b'X'; 1 << 20];
    for _ in 0..256 {
        stdin.write_all(&piece).unwrap();
    }
    // The line ends; the server skips it as garbage and reads on.
    stdin.write_all(b"\r\n\r\n").unwrap();
    stdin
        .write_all(&frame(
            &json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown" }),
        ))
        .unwrap();
    assert_eq!(response(&messages, 2)["result"], Value::Null);
    let after = peak_memory_kib(child.id());
    // The line is 256 MiB; what is kept of it is 8 KiB. Allow generous
    // slack for the allocator and the server's own work.
    assert!(
        after < before + 32 * 1024,
        "peak memory grew from {before} KiB to {after} KiB"
    );

    stdin
        .write_all(&frame(&json!({ "jsonrpc": "2.0", "method": "exit" })))
        .unwrap();
    drop(stdin);
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(0),
        "exit after shutdown is a clean exit"
    );
}

#[test]
fn a_model_over_the_threat_budget_shows_its_diagnostic_and_the_server_answers() {
    // 1,500 rules matching each of 1,500 components (190 KB): 2,250,000
    // threats without the budget.
    let mut text = String::from("system s \"S\" {}\nzone z \"Z\" { trust: untrusted }\n");
    for i in 0..1500 {
        writeln!(text, "component c{i} \"C\" in z {{ kind: service }}").unwrap();
    }
    for i in 0..1500 {
        writeln!(
            text,
            "rule r{i} \"R {{id}}\" {{ stride: spoofing, applies_to: component, exploitability: low }}"
        )
        .unwrap();
    }
    let dir = common::model(&[("main.ward", &text)]);
    let root = dir.path().canonicalize().unwrap();
    let uri = common::uri(&root.join("main.ward"));
    let (mut child, stdin, messages) = common::spawn_server();
    let mut stdin = stdin.unwrap();
    stdin
        .write_all(&frame(&json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {}, "rootUri": common::uri(&root) } })))
        .unwrap();
    assert!(response(&messages, 1)["result"]["capabilities"].is_object());
    stdin
        .write_all(&frame(
            &json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
        ))
        .unwrap();
    stdin
        .write_all(&frame(
            &json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": { "uri": uri, "languageId": "ward", "version": 1, "text": text } } }),
        ))
        .unwrap();
    let published = loop {
        let message = messages
            .recv_timeout(Duration::from_secs(120))
            .expect("diagnostics in time (the server is alive)");
        if message["method"] == "textDocument/publishDiagnostics" && message["params"]["uri"] == uri
        {
            break message;
        }
    };
    let codes: Vec<&Value> = published["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["code"])
        .collect();
    assert_eq!(codes, [&json!("E0420")], "{published}");
    stdin
        .write_all(&frame(
            &json!({ "jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {
            "textDocument": { "uri": uri }, "position": { "line": 2, "character": 11 } } }),
        ))
        .unwrap();
    let hover = response(&messages, 2);
    assert!(
        hover["result"]["contents"]["value"]
            .as_str()
            .is_some_and(|v| v.contains("c0")),
        "{hover}"
    );
    stdin
        .write_all(&frame(
            &json!({ "jsonrpc": "2.0", "id": 3, "method": "shutdown" }),
        ))
        .unwrap();
    assert_eq!(response(&messages, 3)["result"], Value::Null);
    stdin
        .write_all(&frame(&json!({ "jsonrpc": "2.0", "method": "exit" })))
        .unwrap();
    drop(stdin);
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn model_text_in_hover_markdown_cannot_break_out_or_fetch_images() {
    let text = concat!(
        "system s \"S\" {}\n",
        "zone z \"Z\" { trust: untrusted }\n",
        "/// ![doc](https://evil.example/doc.png) <img src=\"https://evil.example/h.png\">\n",
        "component pump \"Pump\\n```\\n![t](https://evil.example/t.png)\\n```\" in z {\n",
        "  kind: device\n",
        "  description: \"[link](https://evil.example) **bold**\"\n",
        "}\n",
    );
    let dir = common::model(&[("main.ward", text)]);
    let client = common::Client::start(dir.path());
    client.open("main.ward");
    let hover = client.request("textDocument/hover", client.at("main.ward", 3, 12));
    let value = hover["contents"]["value"].as_str().unwrap();
    // The title's fence is inside a longer fence: the header block holds
    // the whole title and closes after it.
    assert!(value.starts_with("````ward\n"), "{value}");
    let block_end = value.find("\n````\n").expect("the header block closes");
    assert!(value[..block_end].contains("![t](https://evil.example/t.png)"));
    // Outside the block, no image, link or HTML survives unescaped.
    let rest = value[block_end..].replace("\\<", "");
    for markup in ["![", "](", "<img", "**bold"] {
        assert!(!rest.contains(markup), "`{markup}` in:\n{rest}");
    }
    assert!(rest.contains("\\!\\[doc\\]"), "{rest}");
    client.shutdown();
}
