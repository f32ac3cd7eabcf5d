//! A test client speaking JSON-RPC to the server over an in-memory
//! connection (the server runs on its own thread, as in production).

#![allow(dead_code)]

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{json, Value};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use ward_lsp::{Exit, ServerConfig};

pub const TIMEOUT: Duration = Duration::from_secs(30);

pub struct Client {
    connection: Connection,
    server: Option<JoinHandle<Exit>>,
    next_id: Cell<i32>,
    /// Notifications (and server requests) received while waiting for
    /// something else.
    backlog: RefCell<VecDeque<Message>>,
    /// The latest `publishDiagnostics` list per URI, in arrival order,
    /// whoever consumed the notification.
    shown: RefCell<BTreeMap<String, Value>>,
    /// The folder of the test model, replaced by `ROOT` in snapshots.
    pub root: PathBuf,
}

impl Client {
    /// Starts a server and initialises it, with hierarchical symbols and
    /// Markdown hover as editors have them.
    pub fn start(root: &Path) -> Client {
        Client::start_with(root, ServerConfig::default(), json!({}))
    }

    pub fn start_with(root: &Path, config: ServerConfig, capabilities: Value) -> Client {
        let (server_side, client_side) = Connection::memory();
        let server = std::thread::spawn(move || ward_lsp::run_with(&server_side, config));
        let client = Client {
            connection: client_side,
            server: Some(server),
            next_id: Cell::new(0),
            backlog: RefCell::new(VecDeque::new()),
            shown: RefCell::new(BTreeMap::new()),
            root: root.canonicalize().unwrap(),
        };
        let capabilities = if capabilities == json!({}) {
            json!({
                "textDocument": {
                    "documentSymbol": { "hierarchicalDocumentSymbolSupport": true },
                    "hover": { "contentFormat": ["markdown", "plaintext"] }
                }
            })
        } else {
            capabilities
        };
        let root_uri = uri(&client.root);
        let result = client.request(
            "initialize",
            json!({ "processId": null, "rootUri": root_uri, "capabilities": capabilities }),
        );
        assert!(
            result.get("capabilities").is_some(),
            "initialize result: {result}"
        );
        client.notify("initialized", json!({}));
        client
    }

    pub fn send(&self, message: Message) {
        self.connection.sender.send(message).expect("server alive");
    }

    pub fn notify(&self, method: &str, params: Value) {
        self.send(Message::Notification(Notification::new(
            method.into(),
            params,
        )));
    }

    /// Sends a request and returns its id without waiting.
    pub fn send_request(&self, method: &str, params: Value) -> RequestId {
        self.next_id.set(self.next_id.get() + 1);
        let id = RequestId::from(self.next_id.get());
        self.send(Message::Request(Request::new(
            id.clone(),
            method.into(),
            params,
        )));
        id
    }

    /// The response to a request (result or error).
    pub fn response(&self, id: &RequestId) -> Response {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self
                .connection
                .receiver
                .recv_deadline(deadline)
                .expect("a response in time");
            self.note(&message);
            match message {
                Message::Response(r) if &r.id == id => return r,
                other => self.backlog.borrow_mut().push_back(other),
            }
        }
    }

    /// Sends a request and returns its result; panics on an error response.
    pub fn request(&self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        let response = self.response(&id);
        if let Some(error) = response.error {
            panic!("`{method}` failed: {} ({})", error.message, error.code);
        }
        response.result.unwrap_or(Value::Null)
    }

    /// Sends a request and returns its error (code, message); panics on success.
    pub fn request_error(&self, method: &str, params: Value) -> (i32, String) {
        let id = self.send_request(method, params);
        let response = self.response(&id);
        let error = response
            .error
            .unwrap_or_else(|| panic!("`{method}` succeeded: {:?}", response.result));
        (error.code, error.message)
    }

    /// The next notification with this method that satisfies `accept`,
    /// skipping (and keeping) others.
    pub fn wait_for(&self, method: &str, accept: impl Fn(&Value) -> bool) -> Value {
        let queued = self.backlog.borrow().iter().position(
            |m| matches!(m, Message::Notification(n) if n.method == method && accept(&n.params)),
        );
        if let Some(at) = queued {
            let Some(Message::Notification(n)) = self.backlog.borrow_mut().remove(at) else {
                unreachable!()
            };
            return n.params;
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self
                .connection
                .receiver
                .recv_deadline(deadline)
                .unwrap_or_else(|_| {
                    panic!(
                        "no `{method}` notification in time; backlog: {:?}",
                        self.backlog
                    )
                });
            self.note(&message);
            match message {
                Message::Notification(n) if n.method == method && accept(&n.params) => {
                    return n.params
                }
                other => self.backlog.borrow_mut().push_back(other),
            }
        }
    }

    /// The next request from the server with this method (answered with
    /// `null`), skipping (and keeping) other messages.
    pub fn wait_for_server_request(&self, method: &str) -> Value {
        let queued = self
            .backlog
            .borrow()
            .iter()
            .position(|m| matches!(m, Message::Request(r) if r.method == method));
        let request = match queued {
            Some(at) => self.backlog.borrow_mut().remove(at),
            None => {
                let deadline = Instant::now() + TIMEOUT;
                loop {
                    let message = self
                        .connection
                        .receiver
                        .recv_deadline(deadline)
                        .unwrap_or_else(|_| panic!("no `{method}` request in time"));
                    self.note(&message);
                    match message {
                        Message::Request(r) if r.method == method => {
                            break Some(Message::Request(r))
                        }
                        other => self.backlog.borrow_mut().push_back(other),
                    }
                }
            }
        };
        let Some(Message::Request(request)) = request else {
            unreachable!()
        };
        self.send(Message::Response(Response::new_ok(request.id, Value::Null)));
        request.params
    }

    /// The diagnostics published for a file at a version (or any version).
    pub fn diagnostics(&self, file: &str, version: Option<i64>) -> Value {
        let uri = self.uri(file);
        let params = self.wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && version.is_none_or(|v| p["version"] == v)
        });
        params["diagnostics"].clone()
    }

    /// How many notifications with this method were received so far
    /// (counted, not consumed).
    pub fn count(&self, method: &str) -> usize {
        while let Ok(m) = self.connection.receiver.try_recv() {
            self.note(&m);
            self.backlog.borrow_mut().push_back(m);
        }
        self.backlog
            .borrow()
            .iter()
            .filter(|m| matches!(m, Message::Notification(n) if n.method == method))
            .count()
    }

    /// Records a `publishDiagnostics` as what its file shows now.
    fn note(&self, message: &Message) {
        if let Message::Notification(n) = message {
            if n.method == "textDocument/publishDiagnostics" {
                let uri = n.params["uri"].as_str().unwrap_or_default().to_string();
                self.shown
                    .borrow_mut()
                    .insert(uri, n.params["diagnostics"].clone());
            }
        }
    }

    /// The diagnostics each file shows now: the latest `publishDiagnostics`
    /// per URI received so far, whether or not a wait consumed it. Files
    /// showing none are left out. A request first makes sure everything
    /// the server sent before it is in.
    pub fn shown_diagnostics(&self) -> BTreeMap<String, Value> {
        self.request("workspace/symbol", json!({ "query": "" }));
        self.shown
            .borrow()
            .iter()
            .filter(|(_, d)| d.as_array().is_some_and(|d| !d.is_empty()))
            .map(|(uri, d)| (uri.clone(), d.clone()))
            .collect()
    }

    /// Drops every notification received so far.
    pub fn clear_backlog(&self) {
        while let Ok(m) = self.connection.receiver.try_recv() {
            self.note(&m);
        }
        self.backlog.borrow_mut().clear();
    }

    pub fn uri(&self, file: &str) -> String {
        uri(&self.root.join(file))
    }

    pub fn open(&self, file: &str) {
        let text = std::fs::read_to_string(self.root.join(file)).unwrap();
        self.open_text(file, &text, 1);
    }

    pub fn open_text(&self, file: &str, text: &str, version: i64) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": self.uri(file), "languageId": "ward", "version": version, "text": text } }),
        );
    }

    pub fn change_full(&self, file: &str, text: &str, version: i64) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": self.uri(file), "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    pub fn change_range(
        &self,
        file: &str,
        version: i64,
        start: (u32, u32),
        end: (u32, u32),
        text: &str,
    ) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": self.uri(file), "version": version },
                "contentChanges": [{ "range": range(start, end), "text": text }]
            }),
        );
    }

    /// `{textDocument, position}` params.
    pub fn at(&self, file: &str, line: u32, character: u32) -> Value {
        json!({ "textDocument": { "uri": self.uri(file) }, "position": { "line": line, "character": character } })
    }

    /// Replaces the model folder's URI by `file:///ROOT` in a JSON value,
    /// for snapshots.
    pub fn normalise(&self, value: &Value) -> Value {
        let text = value.to_string().replace(&uri(&self.root), "file:///ROOT");
        serde_json::from_str(&text).unwrap()
    }

    /// `shutdown` then `exit`; returns how the server loop ended.
    pub fn shutdown(mut self) -> Exit {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        self.server.take().unwrap().join().expect("server thread")
    }

    /// Waits for the server thread to end by itself.
    pub fn join(mut self) -> Exit {
        self.server.take().unwrap().join().expect("server thread")
    }
}

pub fn range(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({ "start": { "line": start.0, "character": start.1 }, "end": { "line": end.0, "character": end.1 } })
}

/// The `file://` URI of an absolute path (the same encoding as the server's).
pub fn uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A temporary model folder with the given files.
pub fn model(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Starts the `ward-lsp-server` binary on pipes (stderr discarded), with a
/// thread that reads its messages onto a channel.
pub fn spawn_server() -> (
    std::process::Child,
    Option<std::process::ChildStdin>,
    std::sync::mpsc::Receiver<Value>,
) {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_ward-lsp-server"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server binary");
    let stdin = child.stdin.take();
    let stdout = child.stdout.take().expect("stdout piped");
    let (tx, messages) = std::sync::mpsc::channel();
    std::thread::spawn(move || read_messages(stdout, tx));
    (child, stdin, messages)
}

/// Reads `Content-Length`-framed JSON messages from a server process's
/// output and sends each on `tx`, until the output or the receiver closes.
pub fn read_messages(stdout: impl std::io::Read, tx: std::sync::mpsc::Sender<Value>) {
    use std::io::{BufRead, BufReader, Read};
    let mut reader = BufReader::new(stdout);
    loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length: ") {
                length = value.parse::<usize>().ok();
            }
        }
        let mut body = vec![0; length.expect("a Content-Length header from the server")];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let message = serde_json::from_slice(&body).expect("the server writes JSON");
        if tx.send(message).is_err() {
            return;
        }
    }
}
