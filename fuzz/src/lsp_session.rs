//! The `lsp` target: the language server (`ward-lsp`) run in process over
//! its real transport (`ward_lsp::transport::streams`), with the fuzz input
//! as everything the client ever sends. Two kinds of input:
//!
//! - **Raw** (the input contains `Content-Length`): the bytes are the
//!   server's stdin as they are: framing, headers, JSON and messages are
//!   all fuzzed. Every `file:` is first turned into `fuzz:` (same length,
//!   so frames stay intact): a fuzzed `file:///x.ward` would make the
//!   server load the folder `/` from disk, which is what it should do for
//!   an editor but not what a fuzzer should time.
//! - **Session** (anything else): a well-formed session built from the
//!   input. Split at 0x1E, the first part is a script of operations (open,
//!   change by full text or by range, stale versions, close, a dozen request
//!   kinds at fuzzed positions, cancellation, shutdown, unknown methods)
//!   and the other parts are the texts the documents take. Without a 0x1E
//!   the whole input is one text and a fixed script ([`DEFAULT_SCRIPT`])
//!   exercises it, so every `.ward` seed is a useful session. Documents live
//!   in `/ward-fuzz-lsp/`, a folder that does not exist: the models come
//!   from the open buffers alone.
//!
//! Checked for both: the server returns when its input ends; it writes
//! only well-framed JSON-RPC 2.0 messages; no request is answered
//! `InternalError` (a handler that panicked: under libFuzzer the panic
//! itself already aborts). For sessions also: every request is answered
//! exactly once, with its id, by a result of the right shape or one of the
//! errors its situation allows (`ContentModified`, `RequestCancelled` if it
//! was cancelled, `InvalidRequest` after `shutdown`, `MethodNotFound` for
//! an unknown method, `RequestFailed` for a refused rename); every range
//! in a result or a diagnostic starts before it ends; diagnostics name an
//! open document; and the exit is clean exactly when `shutdown` came before
//! `exit`.

use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Read, Write};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// `lsp` target: see the module documentation.
pub fn check_lsp(data: &[u8]) {
    if is_raw(data) {
        check_raw(data);
    } else {
        check_session(data);
    }
}

const CONTENT_LENGTH: &[u8] = b"content-length";

fn is_raw(data: &[u8]) -> bool {
    find_ignore_case(data, CONTENT_LENGTH, 0).is_some()
}

fn find_ignore_case(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|at| at + from)
}

// ---------------------------------------------------------------- serving

/// The server's stdout, kept in memory; `arrived` wakes a client waiting
/// for an answer.
#[derive(Default)]
struct OutputState {
    bytes: Mutex<Vec<u8>>,
    arrived: Condvar,
}

#[derive(Clone, Default)]
struct Output(Arc<OutputState>);

impl Write for Output {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0
            .bytes
            .lock()
            .expect("output lock")
            .extend_from_slice(bytes);
        self.0.arrived.notify_all();
        Ok(bytes.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Output {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.bytes.lock().expect("output lock"))
    }

    /// Blocks until the response to request `id` has been written. Only
    /// the output after `scanned` is read (the answer comes after the
    /// request, which came after everything scanned before); `scanned`
    /// advances over the complete frames read.
    fn wait_for_answer(&self, id: i64, scanned: &mut usize) {
        let deadline = Instant::now() + ANSWER_TIMEOUT;
        let mut bytes = self.0.bytes.lock().expect("output lock");
        loop {
            let (messages, consumed) = complete_frames(&bytes[*scanned..]);
            *scanned += consumed;
            if messages
                .iter()
                .any(|m| m["id"] == id && m.get("method").is_none())
            {
                return;
            }
            let now = Instant::now();
            assert!(now < deadline, "request {id} not answered in time");
            bytes = self
                .0
                .arrived
                .wait_timeout(bytes, deadline - now)
                .expect("output lock")
                .0;
        }
    }
}

/// Longer than libFuzzer's per-input timeout: under the fuzzer a hang is
/// reported as a timeout with its input; in a test it fails here.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(60);

/// The server's stdin: bytes handed over batch by batch; the end of input
/// when the sender is dropped.
struct Input {
    batches: mpsc::Receiver<Vec<u8>>,
    current: io::Cursor<Vec<u8>>,
}

impl Read for Input {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let n = self.current.read(buf)?;
            if n > 0 || buf.is_empty() {
                return Ok(n);
            }
            match self.batches.recv() {
                Ok(batch) => self.current = io::Cursor::new(batch),
                Err(_) => return Ok(0),
            }
        }
    }
}

/// What the client sends at once, and the request whose answer it then
/// waits for before sending more (`None`: it goes straight on).
struct Batch {
    bytes: Vec<u8>,
    answer: Option<i64>,
}

/// Runs the server on its real transport, as the client feeding it
/// `batches`, until it returns (at `exit` or the end of input); its output
/// as messages. Re-analysis is not debounced, so that every change is
/// analysed whatever the timing.
fn serve(batches: Vec<Batch>) -> (ward_lsp::Exit, Vec<Value>) {
    let output = Output::default();
    let (sender, receiver) = mpsc::channel();
    let input = Input {
        batches: receiver,
        current: io::Cursor::new(Vec::new()),
    };
    let (connection, threads) = ward_lsp::transport::streams(input, output.clone());
    let server = std::thread::spawn(move || {
        let config = ward_lsp::ServerConfig {
            debounce: Duration::ZERO,
            max_delay: Duration::ZERO,
        };
        let exit = ward_lsp::run_with(&connection, config);
        drop(connection);
        threads.join_writer();
        exit
    });
    let mut scanned = 0;
    for batch in batches {
        if sender.send(batch.bytes).is_err() {
            break;
        }
        if let Some(id) = batch.answer {
            output.wait_for_answer(id, &mut scanned);
        }
    }
    drop(sender);
    let exit = match server.join() {
        Ok(exit) => exit,
        Err(panic) => std::panic::resume_unwind(panic),
    };
    (exit, frames(&output.take()))
}

/// The complete frames at the start of `bytes` and the bytes they take
/// (for waiting; `frames` checks them).
fn complete_frames(mut bytes: &[u8]) -> (Vec<Value>, usize) {
    let total = bytes.len();
    let mut messages = Vec::new();
    while let Some(header_end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
        let length = std::str::from_utf8(&bytes[..header_end])
            .ok()
            .and_then(|h| h.strip_prefix("Content-Length: "))
            .and_then(|n| n.parse::<usize>().ok());
        let body = &bytes[header_end + 4..];
        match length {
            Some(length) if body.len() >= length => {
                if let Ok(message) = serde_json::from_slice(&body[..length]) {
                    messages.push(message);
                }
                bytes = &body[length..];
            }
            _ => break,
        }
    }
    (messages, total - bytes.len())
}

/// Splits the server's output into messages; every frame must be exactly
/// `Content-Length: N\r\n\r\n` and N bytes of a JSON-RPC 2.0 message.
fn frames(mut bytes: &[u8]) -> Vec<Value> {
    let mut messages = Vec::new();
    while !bytes.is_empty() {
        let header_end = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("output without a header end: {:?}", lossy(bytes)));
        let header = std::str::from_utf8(&bytes[..header_end]).expect("an ASCII header");
        let length: usize = header
            .strip_prefix("Content-Length: ")
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("a bad header in the output: {header:?}"));
        let body = &bytes[header_end + 4..];
        assert!(body.len() >= length, "a truncated frame in the output");
        let message: Value = serde_json::from_slice(&body[..length])
            .unwrap_or_else(|e| panic!("output that is not JSON ({e}): {:?}", lossy(body)));
        assert_json_rpc(&message);
        messages.push(message);
        bytes = &body[length..];
    }
    messages
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned()
}

/// A request, notification or response as JSON-RPC 2.0 defines them.
fn assert_json_rpc(message: &Value) {
    assert_eq!(message["jsonrpc"], "2.0", "not JSON-RPC 2.0: {message}");
    if let Some(method) = message.get("method") {
        assert!(method.is_string(), "a method that is no string: {message}");
        if let Some(id) = message.get("id") {
            assert!(id.is_number() || id.is_string(), "a bad id: {message}");
        }
        return;
    }
    let id = message
        .get("id")
        .unwrap_or_else(|| panic!("a response without id: {message}"));
    assert!(
        id.is_number() || id.is_string() || id.is_null(),
        "a bad id: {message}"
    );
    match (message.get("result"), message.get("error")) {
        (Some(_), None) => {}
        (None, Some(error)) => {
            assert!(error["code"].is_i64(), "an error without code: {message}");
            assert!(
                error["message"].is_string(),
                "an error without message: {message}"
            );
            assert_ne!(error["code"], INTERNAL_ERROR, "a handler failed: {message}");
        }
        _ => panic!("a response needs exactly one of result and error: {message}"),
    }
}

const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const INTERNAL_ERROR: i64 = -32603;
const REQUEST_CANCELLED: i64 = -32800;
const CONTENT_MODIFIED: i64 = -32801;
const REQUEST_FAILED: i64 = -32803;

// ---------------------------------------------------------------- raw

fn check_raw(data: &[u8]) {
    let mut input = data.to_vec();
    let mut from = 0;
    while let Some(at) = find_ignore_case(&input, b"file:", from) {
        input[at..at + 5].copy_from_slice(b"fuzz:");
        from = at + 5;
    }
    let (_exit, messages) = serve(vec![Batch {
        bytes: input,
        answer: None,
    }]);
    for message in &messages {
        let Some(code) = message.get("error").map(|e| &e["code"]) else {
            continue;
        };
        // Transport errors have no id to answer; the rest answer a request.
        if message["id"].is_null() {
            assert!(
                *code == PARSE_ERROR || *code == INVALID_REQUEST,
                "an error without id: {message}"
            );
        }
    }
}

// ---------------------------------------------------------------- sessions

/// The script of an input without 0x1E (see `Script::step` for the
/// encoding): open the text, ask everything at a few places, edit it,
/// ask again, close it, ask about the closed file, shut down.
pub const DEFAULT_SCRIPT: &[u8] = &[
    0, // clean exit, default capabilities
    0, 0, 0, // open main.ward with text 0
    5, 0, 0, 8, // hover 0:8
    5, 0, 1, 5, // hover 1:5
    6, 0, 2, 12, // definition 2:12
    7, 0, 3, 2, // completion 3:2
    8, 0, 1, 6, 0, // references 1:6, with the declaration
    10, 0, 2, 12, // prepare rename 2:12
    9, 0, 2, 12, 0, // rename 2:12
    11, 0, // formatting
    12, 0, 0, 0, 0, 9, 9, // document symbols
    12, 1, 0, 0, 0, 9, 9, // semantic tokens
    12, 2, 0, 0, 0, 40, 0, // inlay hints 0:0-40:0
    12, 3, 0, 1, 0, 3, 0, // code actions 1:0-3:0
    12, 4, 0, 2, 12, 0, 0, // highlight 2:12
    12, 5, 0, 0, 0, 30, 0, // range formatting 0:0-30:0
    12, 6, 0, 0, 0, 0, 0, 0, 0, 3, // workspace symbols, a 3-character query
    2, 0, 1, 0, 1, 0, 0, 0, 24, // insert 24 chars of text 0 at 1:0
    5, 0, 1, 5, // hover 1:5
    7, 0, 1, 3, // completion 1:3
    3, 0, 0, 0, // a stale full change (ignored)
    1, 0, 0, // the text again, in full
    0x85, 0, 1, 5, // hover 1:5, pipelined
    13, 0, // and cancelled (if still queued)
    0x87, 0, 2, 2, // completion 2:2, pipelined
    1, 0, 0, // overtaken by a change
    5, 0, 250, 255, // hover far past the end
    4, 0, // close
    5, 0, 0, 8, // hover on the closed document
    15, 0, // an unknown method
];

/// Where the documents of a session live: a folder that does not exist.
const ROOT: &str = "file:///ward-fuzz-lsp";

fn document_uri(doc: usize) -> String {
    match doc {
        0 => format!("{ROOT}/main.ward"),
        1 => format!("{ROOT}/sub/other.ward"),
        2 => "untitled:Untitled-1".to_string(),
        _ => format!("{ROOT}/Ward.toml"),
    }
}
const DOCUMENTS: usize = 4;

fn check_session(data: &[u8]) {
    let raw = String::from_utf8_lossy(data);
    let parts: Vec<&str> = raw.split(super::FILE_SEPARATOR).collect();
    let (script, texts): (Vec<u8>, Vec<String>) = if parts.len() == 1 {
        (DEFAULT_SCRIPT.to_vec(), vec![raw.to_string()])
    } else {
        // The script is read from the raw bytes up to the first 0x1E.
        let end = data.iter().position(|&b| b == 0x1e).unwrap_or(data.len());
        (
            data[..end].to_vec(),
            parts[1..].iter().map(|t| t.to_string()).collect(),
        )
    };
    let session = Script::new(&script, texts).run();
    let (exit, messages) = serve(session.batches());
    session.check(exit, &messages);
}

/// What a request may be answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Hover,
    Definition,
    Completion,
    References,
    Rename,
    PrepareRename,
    Formatting,
    Symbols,
    Tokens,
    Inlays,
    Actions,
    Highlight,
    WorkspaceSymbols,
    Initialize,
    Shutdown,
    Unknown,
}

struct Sent {
    kind: Kind,
    after_shutdown: bool,
    cancelled: bool,
}

#[derive(Default)]
struct Session {
    /// Every message, and after which ones the client waits for an answer.
    messages: Vec<Value>,
    waits: BTreeMap<usize, i64>,
    requests: BTreeMap<i64, Sent>,
    uris: BTreeSet<String>,
    shutdown: bool,
    exit: bool,
}

struct Script<'a> {
    bytes: &'a [u8],
    at: usize,
    texts: Vec<String>,
    next_text: usize,
    next_id: i64,
    versions: [i32; DOCUMENTS],
    /// The client does not wait for the answer to this step's request
    /// (so that a change or a cancellation can overtake it).
    pipelined: bool,
    session: Session,
}

impl<'a> Script<'a> {
    fn new(bytes: &'a [u8], texts: Vec<String>) -> Script<'a> {
        Script {
            bytes,
            at: 0,
            texts,
            next_text: 0,
            next_id: 0,
            versions: [0; DOCUMENTS],
            pipelined: false,
            session: Session::default(),
        }
    }

    fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    /// Mostly small numbers, sometimes far past any text.
    fn number(&mut self) -> u32 {
        match self.byte() {
            b @ 0..=239 => u32::from(b),
            b @ 240..=247 => 1000 * u32::from(b - 239),
            b @ 248..=254 => 65_535 * u32::from(b - 247),
            255 => u32::MAX,
        }
    }

    fn position(&mut self) -> Value {
        let line = self.number();
        let character = self.number();
        json!({ "line": line, "character": character })
    }

    fn range(&mut self) -> Value {
        json!({ "start": self.position(), "end": self.position() })
    }

    fn document(&mut self) -> usize {
        usize::from(self.byte()) % DOCUMENTS
    }

    fn text(&mut self) -> String {
        if self.texts.is_empty() {
            return String::new();
        }
        let pick = usize::from(self.byte());
        let text = self.texts[(self.next_text + pick) % self.texts.len()].clone();
        self.next_text += 1;
        text
    }

    /// A piece of a text: `skip` and `take` characters.
    fn snippet(&mut self) -> String {
        let text = self.text();
        let skip = usize::from(self.byte()) * 16;
        let take = usize::from(self.byte());
        text.chars().skip(skip).take(take).collect()
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.session
            .messages
            .push(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request; unless the current step is pipelined, the client
    /// waits for its answer before sending more.
    fn request(&mut self, kind: Kind, method: &str, params: Value) {
        let id = self.next_id;
        self.next_id += 1;
        self.session
            .messages
            .push(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        if !self.pipelined {
            self.session
                .waits
                .insert(self.session.messages.len() - 1, id);
        }
        let after_shutdown = self.session.shutdown;
        self.session.requests.insert(
            id,
            Sent {
                kind,
                after_shutdown,
                cancelled: false,
            },
        );
    }

    fn at_position(&mut self, kind: Kind, method: &str) {
        let doc = self.document();
        let uri = document_uri(doc);
        let position = self.position();
        let mut params = json!({ "textDocument": { "uri": uri }, "position": position });
        match kind {
            Kind::Rename => {
                params["newName"] =
                    json!(["renamed", "x y", "", "zone", "a.b"][usize::from(self.byte()) % 5])
            }
            Kind::References => {
                params["context"] = json!({ "includeDeclaration": self.byte() & 1 == 0 })
            }
            _ => {}
        }
        self.request(kind, method, params);
    }

    fn next_version(&mut self, doc: usize) -> i32 {
        self.versions[doc] += 1;
        self.versions[doc]
    }

    fn run(mut self) -> Session {
        let flags = self.byte();
        let capabilities = if flags & 4 == 0 {
            json!({
                "textDocument": {
                    "documentSymbol": { "hierarchicalDocumentSymbolSupport": true },
                    "hover": { "contentFormat": ["markdown", "plaintext"] }
                },
                "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } }
            })
        } else {
            json!({})
        };
        self.request(
            Kind::Initialize,
            "initialize",
            json!({ "processId": null, "rootUri": ROOT, "capabilities": capabilities }),
        );
        self.notify("initialized", json!({}));
        // A script of a few hundred steps is plenty; longer inputs are slow.
        let mut steps = 0;
        while !self.done() && steps < 256 {
            self.step();
            steps += 1;
        }
        match flags % 3 {
            0 => {
                if !self.session.shutdown {
                    self.shutdown();
                }
                self.exit();
            }
            1 => self.exit(),
            _ => {}
        }
        self.session
    }

    fn shutdown(&mut self) {
        self.pipelined = false;
        self.request(Kind::Shutdown, "shutdown", Value::Null);
        self.session.shutdown = true;
    }

    fn exit(&mut self) {
        self.notify("exit", Value::Null);
        self.session.exit = true;
    }

    /// One operation: `op doc ...`, op taken modulo 16; with the high bit
    /// set, its request is pipelined.
    fn step(&mut self) {
        let op = self.byte();
        self.pipelined = op >= 128;
        match op % 16 {
            0 => {
                let doc = self.document();
                let text = self.text();
                let version = self.next_version(doc);
                let uri = document_uri(doc);
                self.session.uris.insert(uri.clone());
                self.notify(
                    "textDocument/didOpen",
                    json!({ "textDocument": { "uri": uri, "languageId": "ward", "version": version, "text": text } }),
                );
            }
            1 => {
                let doc = self.document();
                let text = self.text();
                let version = self.next_version(doc);
                self.change(doc, version, json!([{ "text": text }]));
            }
            2 => {
                let doc = self.document();
                let range = self.range();
                let text = self.snippet();
                let version = self.next_version(doc);
                self.change(doc, version, json!([{ "range": range, "text": text }]));
            }
            3 => {
                // An out-of-order version: must be ignored.
                let doc = self.document();
                let text = self.text();
                let version = i32::from(self.byte()) - 128;
                self.change(doc, version, json!([{ "text": text }]));
            }
            4 => {
                let uri = document_uri(self.document());
                self.notify(
                    "textDocument/didClose",
                    json!({ "textDocument": { "uri": uri } }),
                );
            }
            5 => self.at_position(Kind::Hover, "textDocument/hover"),
            6 => self.at_position(Kind::Definition, "textDocument/definition"),
            7 => self.at_position(Kind::Completion, "textDocument/completion"),
            8 => self.at_position(Kind::References, "textDocument/references"),
            9 => self.at_position(Kind::Rename, "textDocument/rename"),
            10 => self.at_position(Kind::PrepareRename, "textDocument/prepareRename"),
            11 => {
                let uri = document_uri(self.document());
                let options = json!({ "tabSize": 4, "insertSpaces": true });
                self.request(
                    Kind::Formatting,
                    "textDocument/formatting",
                    json!({ "textDocument": { "uri": uri }, "options": options }),
                );
            }
            12 => self.document_request(),
            13 => {
                // Cancels an earlier request (never `shutdown` or
                // `initialize`, whose effects the checks rely on).
                let back = i64::from(self.byte());
                let id = self.next_id - 1 - back;
                if let Some(sent) = self.session.requests.get_mut(&id) {
                    if !matches!(sent.kind, Kind::Shutdown | Kind::Initialize) {
                        sent.cancelled = true;
                        self.notify("$/cancelRequest", json!({ "id": id }));
                    }
                }
            }
            14 => {
                if !self.session.shutdown && self.byte() & 3 == 0 {
                    self.shutdown();
                }
            }
            _ => match self.byte() % 4 {
                0 => self.request(Kind::Unknown, "ward/unknown", json!({ "x": 1 })),
                1 => self.notify("ward/unknown", json!([1, 2])),
                2 => {
                    let uri = document_uri(self.document());
                    self.notify(
                        "textDocument/didSave",
                        json!({ "textDocument": { "uri": uri } }),
                    );
                }
                _ => {
                    let uri = document_uri(self.document());
                    let kind = 1 + self.byte() % 3;
                    self.notify(
                        "workspace/didChangeWatchedFiles",
                        json!({ "changes": [{ "uri": uri, "type": kind }] }),
                    );
                }
            },
        }
    }

    fn change(&mut self, doc: usize, version: i32, changes: Value) {
        let uri = document_uri(doc);
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes }),
        );
    }

    /// Requests about a whole document or a range of it.
    fn document_request(&mut self) {
        let which = self.byte() % 7;
        let uri = document_uri(self.document());
        let document = json!({ "uri": uri });
        let range = self.range();
        let (kind, method, params) = match which {
            0 => (
                Kind::Symbols,
                "textDocument/documentSymbol",
                json!({ "textDocument": document }),
            ),
            1 => (
                Kind::Tokens,
                "textDocument/semanticTokens/full",
                json!({ "textDocument": document }),
            ),
            2 => (
                Kind::Inlays,
                "textDocument/inlayHint",
                json!({ "textDocument": document, "range": range }),
            ),
            3 => (
                Kind::Actions,
                "textDocument/codeAction",
                json!({ "textDocument": document, "range": range, "context": { "diagnostics": [] } }),
            ),
            4 => (
                Kind::Highlight,
                "textDocument/documentHighlight",
                json!({ "textDocument": document, "position": range["start"] }),
            ),
            5 => (
                Kind::Formatting,
                "textDocument/rangeFormatting",
                json!({ "textDocument": document, "range": range, "options": { "tabSize": 2, "insertSpaces": true } }),
            ),
            _ => {
                let query = self.snippet();
                (
                    Kind::WorkspaceSymbols,
                    "workspace/symbol",
                    json!({ "query": query }),
                )
            }
        };
        self.request(kind, method, params);
    }
}

impl Session {
    fn batches(&self) -> Vec<Batch> {
        let mut batches = Vec::new();
        let mut bytes = Vec::new();
        for (at, message) in self.messages.iter().enumerate() {
            let text = message.to_string();
            bytes.extend_from_slice(
                format!("Content-Length: {}\r\n\r\n{text}", text.len()).as_bytes(),
            );
            if let Some(&id) = self.waits.get(&at) {
                batches.push(Batch {
                    bytes: std::mem::take(&mut bytes),
                    answer: Some(id),
                });
            }
        }
        batches.push(Batch {
            bytes,
            answer: None,
        });
        batches
    }

    fn check(&self, exit: ward_lsp::Exit, messages: &[Value]) {
        let mut answered = BTreeSet::new();
        for message in messages {
            if message.get("method").is_some() {
                self.check_server_message(message);
                continue;
            }
            let id = message["id"]
                .as_i64()
                .unwrap_or_else(|| panic!("a response to no request of ours: {message}"));
            let sent = self
                .requests
                .get(&id)
                .unwrap_or_else(|| panic!("a response to no request of ours: {message}"));
            assert!(answered.insert(id), "request {id} answered twice");
            match message.get("error") {
                Some(error) => check_error(sent, &error["code"], message),
                None => check_result(sent.kind, &message["result"]),
            }
        }
        let unanswered: Vec<&i64> = self
            .requests
            .keys()
            .filter(|id| !answered.contains(id))
            .collect();
        assert!(
            unanswered.is_empty(),
            "requests never answered: {unanswered:?}"
        );
        let clean = self.shutdown && self.exit;
        assert_eq!(
            exit == ward_lsp::Exit::Clean,
            clean,
            "exit {exit:?} after shutdown: {}, exit: {}",
            self.shutdown,
            self.exit
        );
    }

    fn check_server_message(&self, message: &Value) {
        if message["method"] != "textDocument/publishDiagnostics" {
            return;
        }
        let params = &message["params"];
        let uri = params["uri"].as_str().expect("diagnostics name a document");
        assert!(
            self.uris.contains(uri),
            "diagnostics for {uri}, which was never opened"
        );
        let diagnostics = params["diagnostics"].as_array().expect("a diagnostic list");
        for d in diagnostics {
            assert!(
                d["message"].is_string(),
                "a diagnostic without message: {d}"
            );
            assert_ranges_ordered(d);
        }
    }
}

fn check_error(sent: &Sent, code: &Value, message: &Value) {
    let code = code.as_i64().expect("an integer code");
    let allowed = match code {
        CONTENT_MODIFIED => !sent.after_shutdown,
        REQUEST_CANCELLED => sent.cancelled,
        INVALID_REQUEST => sent.after_shutdown,
        METHOD_NOT_FOUND => sent.kind == Kind::Unknown,
        // A refused rename; formatting a file with syntax errors.
        REQUEST_FAILED => matches!(
            sent.kind,
            Kind::Rename | Kind::PrepareRename | Kind::Formatting
        ),
        _ => false,
    };
    assert!(
        allowed,
        "error {code} is no answer to a {:?} request (after shutdown: {}, cancelled: {}): {message}",
        sent.kind, sent.after_shutdown, sent.cancelled
    );
}

/// The result has the shape its request's LSP type allows.
fn check_result(kind: Kind, result: &Value) {
    let object = result.is_object();
    let array = result.is_array();
    let null = result.is_null();
    let fits = match kind {
        Kind::Hover => null || result.get("contents").is_some(),
        Kind::Definition => null || object || array,
        Kind::Completion => null || array || result["items"].is_array(),
        Kind::References
        | Kind::Formatting
        | Kind::Symbols
        | Kind::Inlays
        | Kind::Actions
        | Kind::Highlight
        | Kind::WorkspaceSymbols => null || array,
        Kind::Rename | Kind::PrepareRename => null || object,
        Kind::Tokens => {
            null || result["data"]
                .as_array()
                .is_some_and(|data| data.len() % 5 == 0)
        }
        Kind::Initialize => result["capabilities"].is_object(),
        Kind::Shutdown => null,
        Kind::Unknown => false,
    };
    assert!(fits, "a {kind:?} result of the wrong shape: {result}");
    assert_ranges_ordered(result);
}

/// Every `{start, end}` position pair in a value starts before it ends.
fn assert_ranges_ordered(value: &Value) {
    match value {
        Value::Object(map) => {
            if let (Some(start), Some(end)) = (map.get("start"), map.get("end")) {
                if let (Some(s), Some(e)) = (position(start), position(end)) {
                    assert!(s <= e, "a range that ends before it starts: {value}");
                }
            }
            map.values().for_each(assert_ranges_ordered);
        }
        Value::Array(items) => items.iter().for_each(assert_ranges_ordered),
        _ => {}
    }
}

fn position(value: &Value) -> Option<(u64, u64)> {
    Some((value["line"].as_u64()?, value["character"].as_u64()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: &str = "system s \"S\" {}\nzone home \"Home\" { trust: untrusted }\ncomponent pump \"Pump\" in home { kind: device }\nactor nurse \"Nurse\" in home { kind: human }\nflow f: nurse -> pump \"F\" { protocol: ble }\n";

    #[test]
    fn the_default_script_runs_on_a_plain_model() {
        check_lsp(MODEL.as_bytes());
    }

    /// Each operation with its operands (see `Script::step`), on the two
    /// documents of a folder model and an untitled buffer.
    #[test]
    fn every_operation_of_a_script_runs() {
        let ops: &[&[u8]] = &[
            &[0, 0, 0],                       // open main.ward, text 0
            &[0, 1, 1],                       // open sub/other.ward, text 1
            &[0, 2, 0],                       // open the untitled buffer, text 0
            &[5, 0, 2, 12],                   // hover
            &[6, 0, 3, 24],                   // definition
            &[7, 0, 3, 2],                    // completion
            &[8, 0, 1, 6, 1],                 // references
            &[10, 0, 1, 6],                   // prepare rename
            &[9, 0, 1, 6, 0],                 // rename
            &[11, 0],                         // formatting
            &[12, 0, 0, 0, 0, 9, 9],          // symbols
            &[12, 1, 1, 0, 0, 9, 9],          // tokens
            &[12, 2, 2, 0, 0, 9, 9],          // inlay hints
            &[12, 3, 0, 0, 0, 9, 9],          // code actions
            &[12, 4, 0, 2, 12, 0, 0],         // highlight
            &[12, 5, 0, 0, 0, 9, 9],          // range formatting
            &[12, 6, 0, 0, 0, 0, 0, 0, 0, 2], // workspace symbols
            &[2, 0, 1, 0, 1, 4, 1, 0, 40],    // a range change
            &[3, 0, 0, 7],                    // a stale change
            &[1, 1, 0],                       // a full change
            &[0x85, 0, 2, 12],                // a pipelined hover
            &[13, 0],                         // cancelled
            &[0x87, 2, 2, 2],                 // a pipelined completion
            &[1, 2, 1],                       // overtaken by a change
            &[4, 1],                          // close
            &[5, 1, 0, 0],                    // hover on a closed file
            &[15, 0],                         // an unknown request
            &[15, 1],                         // an unknown notification
            &[15, 2, 0],                      // save
            &[15, 3, 3, 0],                   // a watched file changed
            &[14, 0],                         // shutdown
            &[5, 0, 2, 12],                   // hover after shutdown
        ];
        for flags in 0..3u8 {
            let mut input = vec![flags];
            input.extend(ops.iter().flat_map(|op| op.iter().copied()));
            input.push(0x1e);
            input.extend_from_slice(MODEL.as_bytes());
            input.push(0x1e);
            input.extend_from_slice(b"use \"../main.ward\"\nzone z { trust: \"");
            check_lsp(&input);
        }
    }

    #[test]
    fn raw_input_with_garbage_and_file_uris() {
        let frame = |body: &str| format!("Content-Length: {}\r\n\r\n{body}", body.len());
        let input = [
            "\u{0}garbage\r\n".to_string(),
            frame(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#),
            frame(r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///a.ward","languageId":"ward","version":1,"text":"zone z {}"}}}"#),
            frame(r#"{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///a.ward"},"position":{"line":0,"character":5}}}"#),
            frame("{not json"),
            frame("[1]"),
        ]
        .concat();
        check_lsp(input.as_bytes());
    }
}
