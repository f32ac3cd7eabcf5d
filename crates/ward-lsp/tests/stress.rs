//! The server binary under an editing flood: 1,000 changes a second for 10
//! seconds on a real model (the insulin pump), with hovers, completions and
//! cancellations in between. Every request gets its answer, the last
//! version gets its diagnostics, memory stays bounded, and the server exits
//! cleanly on `shutdown`/`exit`, and when its client dies mid-flood.
//!
//! Run with `--nocapture` to see the figures (docs/reliability.md cites them).

mod common;

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Changes sent, and how fast.
const EDITS: usize = 10_000;
const EDITS_PER_SECOND: usize = 1_000;
/// Changes go out in small bursts, as an editor's do (a burst every 10 ms).
const BURST: usize = 10;
/// A hover or completion after every this many changes; every fourth is
/// cancelled right away.
const REQUEST_EVERY: usize = 50;
/// The peak resident memory the server may reach. It holds one model (the
/// insulin pump, 2,600 lines in 13 files), its analysis, a parse cache and
/// the open buffer: 15 MB at the end of the flood in the debug build. The
/// buffer grows from 6 to 16 KB during the flood, so a server that kept
/// every version's text (about 110 MB), let alone every stale snapshot or
/// every queued message, would fail; a factor 4 leaves room for allocator
/// and platform differences.
const PEAK_RSS_LIMIT_MB: u64 = 64;

const CONTENT_MODIFIED: i64 = -32801;
const REQUEST_CANCELLED: i64 = -32800;

/// The server binary on pipes; its messages arrive on a channel.
struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: mpsc::Receiver<Value>,
}

impl Server {
    fn start() -> Server {
        let (child, stdin, messages) = common::spawn_server();
        Server {
            child,
            stdin,
            messages,
        }
    }

    fn send(&mut self, message: Value) {
        let text = message.to_string();
        let stdin = self.stdin.as_mut().expect("input open");
        write!(stdin, "Content-Length: {}\r\n\r\n{text}", text.len()).expect("the server reads");
    }

    fn flush(&mut self) {
        self.stdin.as_mut().expect("input open").flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn request(&mut self, id: i64, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
    }

    /// The next message, waiting at most `timeout`.
    fn next(&self, timeout: Duration) -> Option<Value> {
        self.messages.recv_timeout(timeout).ok()
    }

    /// Peak resident memory so far, from `/proc` (`VmHWM`), in KB.
    fn peak_rss_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the server's /proc status");
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("a VmHWM line")
    }

    /// The exit code, waiting at most 10 s.
    fn wait(&mut self) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("the server did not exit within 10 s");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The insulin pump, copied so that the test owns its folder.
fn pump_model() -> (tempfile::TempDir, PathBuf) {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/insulin-pump");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap().join("insulin-pump");
    std::fs::create_dir_all(&root).unwrap();
    for entry in std::fs::read_dir(&source).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.ends_with(".ward") || name == "Ward.toml" {
            std::fs::copy(entry.path(), root.join(&*name)).unwrap();
        }
    }
    (dir, root)
}

fn initialize(server: &mut Server, root: &Path) {
    server.request(
        0,
        "initialize",
        json!({ "processId": null, "rootUri": common::uri(root), "capabilities": {} }),
    );
    server.flush();
    let answer = server
        .next(Duration::from_secs(30))
        .expect("initialize answered");
    assert!(answer["result"]["capabilities"].is_object(), "{answer}");
    server.notify("initialized", json!({}));
}

/// What the flood types: zone declarations, one character per change, at
/// the end of the file (so most intermediate versions have a syntax error,
/// as while typing).
fn typed_text() -> String {
    let mut text = String::new();
    let mut k = 0;
    while text.len() < EDITS {
        text.push_str(&format!(
            "zone stress_{k} \"Stress zone {k}\" {{ trust: untrusted }}\n"
        ));
        k += 1;
    }
    text.chars().take(EDITS).collect()
}

#[test]
fn a_thousand_changes_a_second_for_ten_seconds() {
    let (_dir, root) = pump_model();
    let file = root.join("components.ward");
    let file_uri = common::uri(&file);
    let original = std::fs::read_to_string(&file).unwrap();
    let mut server = Server::start();
    let started = Instant::now();
    initialize(&mut server, &root);
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": file_uri, "languageId": "ward", "version": 1, "text": original } }),
    );
    server.flush();

    // Where to hover: `pump` in `component pump`, which the edits never move.
    let (hover_line, hover_column) = original
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.find("component pump ").map(|c| (i, c + 10)))
        .expect("the pump component");
    let typed = typed_text();
    let mut line = original.matches('\n').count();
    let mut column = 0;
    let mut sent: BTreeMap<i64, bool> = BTreeMap::new(); // id -> cancelled
    let mut answers: BTreeMap<i64, Value> = BTreeMap::new();
    let mut others = Vec::new();
    let drain = |server: &Server, answers: &mut BTreeMap<i64, Value>, others: &mut Vec<Value>| {
        while let Some(message) = server.next(Duration::ZERO) {
            file_message(message, answers, others);
        }
    };

    let flood_start = Instant::now();
    let mut next_id = 1;
    for (i, c) in typed.chars().enumerate() {
        let version = i as i64 + 2;
        let at = json!({ "line": line, "character": column });
        server.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": file_uri, "version": version },
                    "contentChanges": [{ "range": { "start": at, "end": at }, "text": c.to_string() }] }),
        );
        if c == '\n' {
            line += 1;
            column = 0;
        } else {
            column += c.len_utf16();
        }
        if (i + 1) % REQUEST_EVERY == 0 {
            let id = next_id;
            next_id += 1;
            let (method, position) = if id % 2 == 0 {
                (
                    "textDocument/hover",
                    json!({ "line": hover_line, "character": hover_column }),
                )
            } else {
                (
                    "textDocument/completion",
                    json!({ "line": line, "character": column }),
                )
            };
            server.request(
                id,
                method,
                json!({ "textDocument": { "uri": file_uri }, "position": position }),
            );
            let cancel = id % 4 == 0;
            if cancel {
                server.notify("$/cancelRequest", json!({ "id": id }));
            }
            sent.insert(id, cancel);
        }
        if (i + 1) % BURST == 0 {
            server.flush();
            drain(&server, &mut answers, &mut others);
            // Paced: change i goes out at i ms.
            let due =
                flood_start + Duration::from_millis(((i + 1) * 1000 / EDITS_PER_SECOND) as u64);
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
        }
    }
    server.flush();
    let flood = flood_start.elapsed();
    let last_version = EDITS as i64 + 1;

    // A last request after the flood sees the final text.
    let symbols_id = next_id;
    server.request(
        symbols_id,
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": file_uri } }),
    );
    server.flush();
    let deadline = Instant::now() + Duration::from_secs(60);
    let final_diagnostics = loop {
        let found = others.iter().find(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == file_uri
                && m["params"]["version"] == last_version
        });
        if let (Some(found), true) = (found, answers.contains_key(&symbols_id)) {
            break found.clone();
        }
        assert!(
            Instant::now() < deadline,
            "no diagnostics for version {last_version} within 60 s"
        );
        if let Some(message) = server.next(Duration::from_millis(100)) {
            file_message(message, &mut answers, &mut others);
        }
    };
    let settled = flood_start.elapsed();
    let peak_kb = server.peak_rss_kb();

    // Every request answered once, with its result or a proper refusal.
    let mut results = 0;
    let mut modified = 0;
    let mut cancelled = 0;
    for (id, was_cancelled) in &sent {
        let answer = answers
            .get(id)
            .unwrap_or_else(|| panic!("request {id} not answered"));
        match answer.get("error") {
            None => {
                assert!(answer.get("result").is_some(), "{answer}");
                results += 1;
            }
            Some(error) => match error["code"].as_i64() {
                Some(CONTENT_MODIFIED) => modified += 1,
                Some(REQUEST_CANCELLED) if *was_cancelled => cancelled += 1,
                _ => panic!("request {id}: unexpected error {answer}"),
            },
        }
    }
    // The final text is the server's: the completed zones are all there.
    let symbols = answers[&symbols_id]["result"]
        .as_array()
        .expect("symbols")
        .clone();
    let typed_zones = typed.matches("}\n").count();
    let stress_zones = symbols
        .iter()
        .filter(|s| s["name"].as_str().is_some_and(|n| n.starts_with("stress_")))
        .count();
    assert!(
        stress_zones == typed_zones || stress_zones == typed_zones + 1,
        "{stress_zones} stress zones in the outline, {typed_zones} typed"
    );
    let publications = others
        .iter()
        .filter(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == file_uri
        })
        .count();

    server.request(symbols_id + 1, "shutdown", Value::Null);
    server.flush();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !answers.contains_key(&(symbols_id + 1)) {
        assert!(Instant::now() < deadline, "shutdown not answered");
        if let Some(message) = server.next(Duration::from_millis(100)) {
            file_message(message, &mut answers, &mut others);
        }
    }
    server.notify("exit", Value::Null);
    server.flush();
    let code = server.wait();

    eprintln!(
        "stress: {EDITS} changes sent in {:.2} s ({:.0}/s), {} requests: {results} results, \
         {modified} ContentModified, {cancelled} RequestCancelled; final diagnostics \
         ({} items) {:.2} s after the first change; {publications} publications; \
         peak RSS {:.1} MB; total {:.2} s",
        flood.as_secs_f64(),
        EDITS as f64 / flood.as_secs_f64(),
        sent.len(),
        final_diagnostics["params"]["diagnostics"]
            .as_array()
            .map_or(0, Vec::len),
        settled.as_secs_f64(),
        peak_kb as f64 / 1024.0,
        started.elapsed().as_secs_f64(),
    );
    assert_eq!(code, 0, "exit after shutdown is a clean exit");
    assert!(
        peak_kb < PEAK_RSS_LIMIT_MB * 1024,
        "peak RSS {peak_kb} KB over {PEAK_RSS_LIMIT_MB} MB"
    );
    // The flood was not slowed down much by the server (pipes full).
    assert!(flood < Duration::from_secs(20), "the flood took {flood:?}");
}

fn file_message(message: Value, answers: &mut BTreeMap<i64, Value>, others: &mut Vec<Value>) {
    if message.get("method").is_none() {
        let id = message["id"].as_i64().expect("a numeric id");
        assert!(
            answers.insert(id, message).is_none(),
            "request {id} answered twice"
        );
    } else {
        others.push(message);
    }
}

/// The client dies in the middle of a flood (its end of stdin closes): the
/// server notices and exits with 1, however much input was queued.
#[test]
fn the_server_exits_when_its_client_dies_mid_flood() {
    let (_dir, root) = pump_model();
    let file = root.join("controls.ward");
    let file_uri = common::uri(&file);
    let original = std::fs::read_to_string(&file).unwrap();
    let mut server = Server::start();
    initialize(&mut server, &root);
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": file_uri, "languageId": "ward", "version": 1, "text": original } }),
    );
    let at = json!({ "line": 0, "character": 0 });
    for version in 2..2002 {
        server.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": file_uri, "version": version },
                    "contentChanges": [{ "range": { "start": at, "end": at }, "text": "x" }] }),
        );
        if version % 100 == 0 {
            server.request(
                version,
                "textDocument/hover",
                json!({ "textDocument": { "uri": file_uri }, "position": at }),
            );
        }
    }
    server.flush();
    let closed = Instant::now();
    server.stdin = None;
    assert_eq!(server.wait(), 1, "no shutdown: exit code 1");
    eprintln!(
        "client died mid-flood: the server exited {:.2} s later",
        closed.elapsed().as_secs_f64()
    );
}
