//! From a `didChange` to the `publishDiagnostics` for the new version, on a
//! generated model of about 5,000 lines in 10 files (`use std::stride`, 100
//! units of zone, data, hazard, two components, a flow, a threat, a control
//! and a verification). The server runs with its default configuration on
//! its own thread over an in-memory connection, as in production; the edit
//! alternates a title in one file, so every change is real work: re-parse
//! of that file (the others come from the parse cache), check, analysis and
//! publication. Two figures: edits after a pause (typing) and edits back
//! to back (a burst, which the debounce holds for 30 ms).
//!
//! Run: `cargo bench --bench edit_to_diagnostics`.

use criterion::{criterion_group, criterion_main, Criterion};
use lsp_server::{Connection, Message, Notification, Request};
use serde_json::{json, Value};
use std::path::Path;
use std::time::{Duration, Instant};

const FILES: usize = 10;
const UNITS_PER_FILE: usize = 10;
/// Longer than the server's default debounce.
const PAUSE: Duration = Duration::from_millis(40);

fn unit(i: usize) -> String {
    let trust = ["hostile", "untrusted", "controlled", "trusted"][i % 4];
    format!(
        r#"zone z{i} "Zone {i}" in site {{ trust: {trust} }}

/// Commands of unit {i}.
data d{i} "Data {i}" {{
  kind: command
  confidentiality: low
  integrity: high
  availability: high
  hazards {{ integrity: [h{i}], availability: [h{i}] }}
}}

hazard h{i} "Hazard {i}" {{
  hazardous_situation: "Unit {i} acts on a forged command"
  harm: "Injury"
  severity: serious
  rmf_ref: "HA-{i}"
}}

component c{i} "Device {i}" in z{i} {{
  kind: device
  interfaces: [ble, usb]
  software: ["fw-{i} 1.0.0"]
  stores: [d{i}]
}}

component s{i} "Service {i}" in cloud {{ kind: service, fleet: shared }}

flow f{i}: s{i} -> c{i} "Command {i}" {{
  protocol: https
  carries: [d{i}]
  authenticated: true
  encrypted: true
}}

threat t{i} "Forged command to unit {i}" {{
  stride: [tampering, spoofing]
  targets: [f{i}]
  exploitability: moderate
}}

verification v{i} "Test of unit {i}" {{ type: threat_mitigation, method: test, report: "TR-{i}", result: pass }}

control k{i} "Signed commands for unit {i}" {{
  category: integrity
  mitigates: [t{i}]
  reduces: 2
  requirement: "Unit {i} shall reject unsigned commands."
  acceptance: "Unsigned commands rejected in 10 of 10 trials"
  implemented_in: [c{i}]
  verification: [v{i}]
  status: verified
}}

"#
    )
}

fn generate(root: &Path) -> usize {
    std::fs::write(root.join("Ward.toml"), "files = [\"**/*.ward\"]\n").unwrap();
    let header = "system big \"Generated model\" { version: \"1.0.0\" }\nuse std::stride\n\nzone site \"Site\" { trust: untrusted }\nzone cloud \"Cloud\" { trust: controlled }\n";
    std::fs::write(root.join("system.ward"), header).unwrap();
    let mut lines = header.lines().count();
    for file in 0..FILES {
        let text: String = (0..UNITS_PER_FILE)
            .map(|u| unit(file * UNITS_PER_FILE + u))
            .collect();
        lines += text.lines().count();
        std::fs::write(root.join(format!("part{file}.ward")), text).unwrap();
    }
    lines
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

struct Bench {
    client: Connection,
    uri: String,
    texts: [String; 2],
    version: i64,
}

impl Bench {
    /// Sends one change and waits for the diagnostics of its version.
    fn edit(&mut self) -> Duration {
        self.version += 1;
        let text = &self.texts[(self.version % 2) as usize];
        let start = Instant::now();
        self.client
            .sender
            .send(Message::Notification(Notification::new(
                "textDocument/didChange".into(),
                json!({
                    "textDocument": { "uri": self.uri, "version": self.version },
                    "contentChanges": [{ "text": text }]
                }),
            )))
            .unwrap();
        loop {
            let message = self
                .client
                .receiver
                .recv_timeout(Duration::from_secs(60))
                .expect("diagnostics");
            if let Message::Notification(n) = message {
                if n.method == "textDocument/publishDiagnostics"
                    && n.params["uri"] == self.uri
                    && n.params["version"] == self.version
                {
                    return start.elapsed();
                }
            }
        }
    }
}

fn edit_to_diagnostics(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let lines = generate(&root);
    eprintln!("generated model: {lines} lines in {} files", FILES + 1);
    let (server, client) = Connection::memory();
    let thread = std::thread::spawn(move || ward_lsp::run(&server));
    let send = |m: Message| client.sender.send(m).unwrap();
    send(Message::Request(Request::new(
        1.into(),
        "initialize".into(),
        json!({ "capabilities": {} }),
    )));
    send(Message::Notification(Notification::new(
        "initialized".into(),
        json!({}),
    )));
    let path = root.join("part5.ward");
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replace("\"Device 55\"", "\"Device fifty-five\"");
    assert_ne!(text, edited);
    let uri = uri(&path);
    send(Message::Notification(Notification::new(
        "textDocument/didOpen".into(),
        json!({ "textDocument": { "uri": uri, "languageId": "ward", "version": 0, "text": text } }),
    )));
    let mut bench = Bench {
        client,
        uri,
        texts: [text, edited],
        version: 0,
    };
    // Warm up: the first analysis parses every file.
    for _ in 0..3 {
        bench.edit();
    }
    let mut group = c.benchmark_group("lsp");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(20));
    // Typing: each edit comes after a pause longer than the debounce (not
    // timed), as keystrokes of a person do; the server analyses at once.
    group.bench_function("edit_to_diagnostics_5k_lines", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| {
                    std::thread::sleep(PAUSE);
                    bench.edit()
                })
                .sum()
        })
    });
    // Back to back: each edit right after the previous diagnostics, so the
    // server waits out the debounce (30 ms) to coalesce a burst.
    group.bench_function("burst_edit_to_diagnostics_5k_lines", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| bench.edit()).sum())
    });
    group.finish();
    let shutdown = Message::Request(Request::new(2.into(), "shutdown".into(), Value::Null));
    bench.client.sender.send(shutdown).unwrap();
    bench
        .client
        .sender
        .send(Message::Notification(Notification::new(
            "exit".into(),
            Value::Null,
        )))
        .unwrap();
    thread.join().unwrap();
}

criterion_group!(benches, edit_to_diagnostics);
criterion_main!(benches);
