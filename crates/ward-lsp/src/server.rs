//! The main loop: one thread owns the state and handles messages in order.
//! Messages are drained from the connection into a queue before each step,
//! which gives three things cheaply: `$/cancelRequest` removes a request
//! still in the queue (answered `RequestCancelled`); a request about a
//! document with a later change in the queue is answered `ContentModified`
//! (its positions refer to text that no longer exists); and a burst of
//! changes is applied in one go before re-analysis. Re-analysis is debounced
//! (see `schedule`) and runs on the loop thread; a request on a model with unanalysed changes
//! analyses it first, so answers always reflect the latest text.

use crate::base::{BaseRead, BaseSide, Bases};
use crate::diagnostics::Publisher;
use crate::documents::{ChangeOutcome, DocumentStore};
use crate::features::since_base;
use crate::handlers;
use crate::workspace::{ModelKey, Workspace};
use lsp_server::{
    Connection, ErrorCode, Message, Notification, Request, RequestId, Response, ResponseError,
};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request::{self as req, Request as _};
use serde_json::Value;
use std::collections::{HashMap, HashSet, VecDeque};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Tuning of the server.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Quiet time after the last change before the model is re-analysed.
    pub debounce: Duration,
    /// The longest a continuous burst of changes may postpone re-analysis.
    pub max_delay: Duration,
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig {
            debounce: Duration::from_millis(30),
            max_delay: Duration::from_millis(250),
        }
    }
}

/// How the loop ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// `exit` after `shutdown`.
    Clean,
    /// `exit` without `shutdown`, or the client went away.
    Abrupt,
}

pub(crate) struct Server<'c> {
    connection: &'c Connection,
    config: ServerConfig,
    pub(crate) documents: DocumentStore,
    pub(crate) workspace: Workspace,
    publisher: Publisher,
    view_resolver: crate::view_resolver::ViewResolver,
    queue: VecDeque<Message>,
    disconnected: bool,
    shutdown: bool,
    /// When the pending re-analysis is due, and when its burst started.
    due: Option<(Instant, Instant)>,
    /// When the last re-analysis ended.
    last_analysis: Option<Instant>,
    pub(crate) client: ClientSupport,
    next_request_id: i32,
    /// The `[diff] base` sides, read off the loop.
    bases: Bases,
    /// Per model: the base it asked for and, once read, its side.
    base_of: HashMap<ModelKey, (String, Option<Arc<BaseSide>>)>,
    /// The bases a warning was shown for: once per model root and base.
    warned: HashSet<(PathBuf, String)>,
}

/// What the client said it supports, where the server's answers differ.
#[derive(Clone, Debug, Default)]
pub(crate) struct ClientSupport {
    pub hierarchical_symbols: bool,
    pub watched_files_registration: bool,
    pub markdown_hover: bool,
    /// `workspace/codeLens/refresh`, sent when a base was read.
    pub code_lens_refresh: bool,
}

impl<'c> Server<'c> {
    pub(crate) fn new(
        connection: &'c Connection,
        config: ServerConfig,
        client: ClientSupport,
    ) -> Server<'c> {
        Server {
            connection,
            config,
            documents: DocumentStore::default(),
            workspace: Workspace::default(),
            publisher: Publisher::default(),
            view_resolver: Default::default(),
            queue: VecDeque::new(),
            disconnected: false,
            shutdown: false,
            due: None,
            last_analysis: None,
            client,
            next_request_id: 0,
            bases: Bases::default(),
            base_of: HashMap::new(),
            warned: HashSet::new(),
        }
    }

    pub(crate) fn run(&mut self) -> Exit {
        loop {
            if self.queue.is_empty() && !self.wait_for_input() {
                return Exit::Abrupt;
            }
            self.drain();
            if let Some(message) = self.queue.pop_front() {
                if let Some(exit) = self.handle(message) {
                    return exit;
                }
            } else if self.disconnected {
                return Exit::Abrupt;
            }
            // Due, and what was queued with the change is handled (a burst
            // that arrived together is analysed once); a flood that never
            // leaves the queue empty still gets analysed after `max_delay`.
            let now = Instant::now();
            let due = self.due.is_some_and(|(at, burst)| {
                now >= at && (self.queue.is_empty() || now >= burst + self.config.max_delay)
            });
            if due {
                self.due = None;
                self.analyse_dirty();
            }
        }
    }

    /// Blocks until a message arrives or re-analysis is due; `false` when
    /// the client is gone.
    fn wait_for_input(&mut self) -> bool {
        // Far enough to mean "no deadline"; the loop wakes on input anyway.
        let timeout = self.due.map_or(Duration::from_secs(3600), |(at, _)| {
            at.saturating_duration_since(Instant::now())
        });
        crossbeam_channel::select! {
            recv(self.connection.receiver) -> message => match message {
                Ok(message) => self.queue.push_back(message),
                Err(_) => return false,
            },
            recv(self.bases.receiver()) -> read => {
                if let Ok(read) = read {
                    self.base_read(read);
                }
            }
            default(timeout) => {}
        }
        true
    }

    /// Moves every waiting message into the queue; applies cancellations.
    fn drain(&mut self) {
        loop {
            match self.connection.receiver.try_recv() {
                Ok(Message::Notification(n)) if n.method == notif::Cancel::METHOD => self.cancel(n),
                Ok(message) => self.queue.push_back(message),
                Err(crossbeam_channel::TryRecvError::Empty) => return,
                Err(crossbeam_channel::TryRecvError::Disconnected) => {
                    self.disconnected = true;
                    return;
                }
            }
        }
    }

    fn cancel(&mut self, notification: Notification) {
        let Ok(params) = serde_json::from_value::<lsp_types::CancelParams>(notification.params)
        else {
            return;
        };
        let id = match params.id {
            lsp_types::NumberOrString::Number(n) => RequestId::from(n),
            lsp_types::NumberOrString::String(s) => RequestId::from(s),
        };
        // A request already answered is not in the queue: nothing to do.
        if let Some(at) = self
            .queue
            .iter()
            .position(|m| matches!(m, Message::Request(r) if r.id == id))
        {
            self.queue.remove(at);
            self.respond_error(id, ErrorCode::RequestCanceled, "request cancelled".into());
        }
    }

    fn handle(&mut self, message: Message) -> Option<Exit> {
        match message {
            Message::Request(request) => self.on_request(request),
            Message::Notification(notification) => return self.on_notification(notification),
            // Answers to our registration requests; nothing to do.
            Message::Response(_) => {}
        }
        None
    }

    fn on_request(&mut self, request: Request) {
        let Request { id, method, params } = request;
        if self.shutdown {
            return self.respond_error(
                id,
                ErrorCode::InvalidRequest,
                "the server is shutting down".into(),
            );
        }
        if let Some(uri) = document_uri(&params) {
            if self.has_queued_change(&uri) {
                return self.respond_error(
                    id,
                    ErrorCode::ContentModified,
                    "the document changed".into(),
                );
            }
        }
        let response = match method.as_str() {
            req::Shutdown::METHOD => {
                self.shutdown = true;
                Ok(Value::Null)
            }
            req::Initialize::METHOD => Err(error(ErrorCode::InvalidRequest, "already initialized")),
            _ => match catch_unwind(AssertUnwindSafe(|| {
                handlers::dispatch(self, &method, params)
            })) {
                Ok(Some(result)) => result,
                Ok(None) => Err(error(
                    ErrorCode::MethodNotFound,
                    &format!("unknown method `{method}`"),
                )),
                Err(panic) => {
                    eprintln!(
                        "ward-lsp: handler for `{method}` panicked: {}",
                        panic_message(&panic)
                    );
                    Err(error(
                        ErrorCode::InternalError,
                        &format!("internal error in `{method}`"),
                    ))
                }
            },
        };
        let response = match response {
            Ok(result) => Response {
                id,
                result: Some(result),
                error: None,
            },
            Err(error) => Response {
                id,
                result: None,
                error: Some(error),
            },
        };
        self.send(Message::Response(response));
    }

    fn on_notification(&mut self, notification: Notification) -> Option<Exit> {
        let method = notification.method.clone();
        let outcome = catch_unwind(AssertUnwindSafe(|| self.notification(notification)));
        match outcome {
            Ok(exit) => exit,
            Err(panic) => {
                eprintln!(
                    "ward-lsp: handler for `{method}` panicked: {}",
                    panic_message(&panic)
                );
                None
            }
        }
    }

    fn notification(&mut self, notification: Notification) -> Option<Exit> {
        let Notification { method, params } = notification;
        match method.as_str() {
            notif::Exit::METHOD => {
                return Some(if self.shutdown {
                    Exit::Clean
                } else {
                    Exit::Abrupt
                })
            }
            notif::Initialized::METHOD => self.register_file_watchers(),
            notif::DidOpenTextDocument::METHOD => {
                if let Some(p) = decode::<lsp_types::DidOpenTextDocumentParams>(&method, params) {
                    let item = p.text_document;
                    self.documents
                        .open(item.uri.clone(), item.version, &item.text);
                    self.changed(&item.uri);
                }
            }
            notif::DidChangeTextDocument::METHOD => {
                if let Some(p) = decode::<lsp_types::DidChangeTextDocumentParams>(&method, params) {
                    let uri = p.text_document.uri;
                    match self
                        .documents
                        .change(&uri, p.text_document.version, p.content_changes)
                    {
                        ChangeOutcome::Applied => self.changed(&uri),
                        ChangeOutcome::NotOpen => {
                            eprintln!("ward-lsp: change to a document not open: {}", uri.as_str())
                        }
                        ChangeOutcome::Stale { held } => eprintln!(
                            "ward-lsp: ignored change to {} at version {} (holding {held})",
                            uri.as_str(),
                            p.text_document.version
                        ),
                    }
                }
            }
            notif::DidCloseTextDocument::METHOD => {
                if let Some(p) = decode::<lsp_types::DidCloseTextDocumentParams>(&method, params) {
                    let uri = p.text_document.uri;
                    if self.documents.close(&uri).is_some() {
                        self.closed(&uri);
                    }
                }
            }
            // A save often follows a commit or a checkout: the base revision
            // is resolved again (its analysis is reused if the commit is the same).
            notif::DidSaveTextDocument::METHOD => {
                if let Some(p) = decode::<lsp_types::DidSaveTextDocumentParams>(&method, params) {
                    let key = self
                        .workspace
                        .key_for(&p.text_document.uri, &self.documents);
                    if let (ModelKey::Root(root), Some((base, _))) = (&key, self.base_of.get(&key))
                    {
                        self.bases.request(root.clone(), base.clone());
                    }
                }
            }
            notif::DidChangeWatchedFiles::METHOD => {
                if let Some(p) = decode::<lsp_types::DidChangeWatchedFilesParams>(&method, params) {
                    self.files_changed_on_disk(&p.changes);
                }
            }
            // `$/setTrace`, `$/progress`, configuration changes, ...: ignored.
            _ => {}
        }
        None
    }

    /// Files changed on disk: any model may read them. A `Ward.toml` that
    /// appeared, changed or went away may move files to another model:
    /// models are then found afresh.
    fn files_changed_on_disk(&mut self, changes: &[lsp_types::FileEvent]) {
        let manifests = changes
            .iter()
            .any(|c| c.uri.as_str().ends_with("/Ward.toml"));
        if manifests {
            for key in self.workspace.keys() {
                self.workspace.remove(&key);
                self.base_of.remove(&key);
                let messages = self.publisher.clear_model(&key, &self.documents);
                self.send_all(messages);
            }
            self.workspace.forget_all_files();
            let uris: Vec<lsp_types::Uri> = self.documents.iter().map(|d| d.uri.clone()).collect();
            for uri in &uris {
                self.changed(uri);
            }
        } else {
            for key in self.workspace.keys() {
                self.workspace.mark_dirty(&key);
            }
            self.schedule();
        }
    }

    /// A document was opened or edited: its model is out of date.
    fn changed(&mut self, uri: &lsp_types::Uri) {
        let key = self.workspace.key_for(uri, &self.documents);
        self.workspace.mark_dirty(&key);
        self.schedule();
    }

    /// A document was closed: its model reads the file from disk again, or is
    /// dropped (with its diagnostics) when none of its files is open.
    fn closed(&mut self, uri: &lsp_types::Uri) {
        let key = self.workspace.key_for(uri, &self.documents);
        self.workspace.forget_file(uri);
        let still_open = self
            .documents
            .iter()
            .any(|d| self.workspace.key_for(&d.uri, &self.documents) == key);
        if still_open {
            self.workspace.mark_dirty(&key);
            self.schedule();
        } else {
            self.workspace.remove(&key);
            self.base_of.remove(&key);
            let messages = self.publisher.clear_model(&key, &self.documents);
            self.send_all(messages);
        }
    }

    /// Debouncing with a leading edge: the first change after a quiet spell
    /// is analysed as soon as the messages queued with it are handled (a
    /// keystroke gets diagnostics at once); changes that follow within
    /// `debounce` of each other wait for a quiet spell, at most `max_delay`.
    fn schedule(&mut self) {
        let now = Instant::now();
        let (at, burst_start) = match self.due {
            Some((_, start)) => (
                (now + self.config.debounce).min(start + self.config.max_delay),
                start,
            ),
            None => {
                let quiet = self
                    .last_analysis
                    .is_none_or(|t| now.duration_since(t) >= self.config.debounce);
                (
                    if quiet {
                        now
                    } else {
                        now + self.config.debounce
                    },
                    now,
                )
            }
        };
        self.due = Some((at, burst_start));
    }

    fn analyse_dirty(&mut self) {
        for key in self.workspace.dirty_keys() {
            self.analyse(&key);
        }
    }

    /// Re-analyses one model now and publishes its diagnostics.
    pub(crate) fn analyse(&mut self, key: &ModelKey) {
        let documents = &self.documents;
        let workspace = &mut self.workspace;
        let outcome = catch_unwind(AssertUnwindSafe(|| workspace.refresh(key, documents)));
        match outcome {
            Ok(Some(snapshot)) => {
                let mut clock = Instant::now();
                let messages = self.publisher.publish(key, &snapshot, &self.documents);
                self.send_all(messages);
                crate::trace::stage("publish", &mut clock);
                self.view_resolver.resolve(&snapshot);
                self.ask_for_base(key, snapshot.diff_base.as_deref());
                self.update_since_base(key);
                crate::trace::stage("diff lens", &mut clock);
            }
            Ok(None) => {}
            Err(panic) => {
                self.workspace.mark_clean(key);
                eprintln!(
                    "ward-lsp: analysing {key:?} panicked: {}",
                    panic_message(&panic)
                );
            }
        }
        self.last_analysis = Some(Instant::now());
    }

    /// Starts reading the model's `[diff] base` when it is new or changed;
    /// forgets it when `Ward.toml` no longer sets one.
    fn ask_for_base(&mut self, key: &ModelKey, base: Option<&str>) {
        let (ModelKey::Root(root), Some(base)) = (key, base) else {
            self.base_of.remove(key);
            return;
        };
        if self
            .base_of
            .get(key)
            .is_some_and(|(asked, _)| asked == base)
        {
            return;
        }
        self.base_of.insert(key.clone(), (base.to_owned(), None));
        self.bases.request(root.clone(), base.to_owned());
    }

    /// The diff lens of the model's current snapshot: `ward diff` from its
    /// base to the working copy, only when both are analysed (a model with
    /// errors shows no lens, as it shows no risk).
    fn update_since_base(&mut self, key: &ModelKey) {
        let since = (|| {
            let (base, side) = self.base_of.get(key)?;
            let side = side.as_ref()?;
            let snapshot = self.workspace.snapshot(key)?;
            let new = ward_diff::Side {
                label: "working copy".into(),
                commit: None,
                model: snapshot.model.as_ref()?,
                analysis: snapshot.analysis.as_ref()?,
                sources: &snapshot.sources,
            };
            let diff = ward_diff::diff(&side.side(), &new);
            Some(Arc::new(since_base::since_base(&snapshot, &diff, base)))
        })();
        self.workspace.set_since_base(key, since);
    }

    /// A base was read (or could not be): the lenses of its models follow;
    /// a failure is shown once, as a warning, and leaves no lens.
    fn base_read(&mut self, read: BaseRead) {
        let key = ModelKey::Root(read.root.clone());
        if self
            .base_of
            .get(&key)
            .is_none_or(|(asked, _)| *asked != read.base)
        {
            return; // No longer asked for.
        }
        let side = match read.result {
            Ok(side) => Some(side),
            Err(why) => {
                if self.warned.insert((read.root.clone(), read.base.clone())) {
                    let params = lsp_types::ShowMessageParams {
                        typ: lsp_types::MessageType::WARNING,
                        message: format!(
                            "Ward: no diff lens for `[diff] base = \"{}\"` in {}: {why}",
                            read.base,
                            read.root.join("Ward.toml").display()
                        ),
                    };
                    self.send(Message::Notification(Notification::new(
                        notif::ShowMessage::METHOD.into(),
                        params,
                    )));
                }
                None
            }
        };
        self.base_of.insert(key.clone(), (read.base, side));
        self.update_since_base(&key);
        if self.client.code_lens_refresh {
            self.next_request_id += 1;
            let id = RequestId::from(format!("ward-{}", self.next_request_id));
            self.send(Message::Request(Request::new(
                id,
                req::CodeLensRefresh::METHOD.into(),
                Value::Null,
            )));
        }
    }

    /// Makes sure the model of a document reflects its latest text.
    pub(crate) fn ensure_fresh(&mut self, key: &ModelKey) {
        if self.workspace.is_dirty(key) || self.workspace.snapshot(key).is_none() {
            self.analyse(key);
        }
    }

    fn has_queued_change(&self, uri: &lsp_types::Uri) -> bool {
        self.queue.iter().any(|m| match m {
            Message::Notification(n) => {
                (n.method == notif::DidChangeTextDocument::METHOD
                    || n.method == notif::DidCloseTextDocument::METHOD)
                    && document_uri(&n.params).as_ref() == Some(uri)
            }
            _ => false,
        })
    }

    fn register_file_watchers(&mut self) {
        if !self.client.watched_files_registration {
            return;
        }
        let watchers = ["**/*.ward", "**/Ward.toml"]
            .into_iter()
            .map(|glob| lsp_types::FileSystemWatcher {
                glob_pattern: lsp_types::GlobPattern::String(glob.into()),
                kind: None,
            })
            .collect();
        let options = lsp_types::DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = lsp_types::RegistrationParams {
            registrations: vec![lsp_types::Registration {
                id: "ward-watched-files".into(),
                method: notif::DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.next_request_id += 1;
        let id = RequestId::from(format!("ward-{}", self.next_request_id));
        self.send(Message::Request(Request::new(
            id,
            req::RegisterCapability::METHOD.into(),
            params,
        )));
    }

    fn respond_error(&self, id: RequestId, code: ErrorCode, message: String) {
        self.send(Message::Response(Response::new_err(
            id,
            code as i32,
            message,
        )));
    }

    fn send(&self, message: Message) {
        // The client may be gone; the loop notices on its next receive.
        let _ = self.connection.sender.send(message);
    }

    fn send_all(&self, messages: Vec<Message>) {
        for message in messages {
            self.send(message);
        }
    }
}

pub(crate) fn error(code: ErrorCode, message: &str) -> ResponseError {
    ResponseError {
        code: code as i32,
        message: message.into(),
        data: None,
    }
}

fn decode<P: serde::de::DeserializeOwned>(method: &str, params: Value) -> Option<P> {
    match serde_json::from_value(params) {
        Ok(params) => Some(params),
        Err(e) => {
            eprintln!("ward-lsp: ignored `{method}` with malformed params: {e}");
            None
        }
    }
}

/// `params.textDocument.uri`, when present and well formed.
fn document_uri(params: &Value) -> Option<lsp_types::Uri> {
    let text = params.get("textDocument")?.get("uri")?.as_str()?;
    text.parse().ok()
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".into()
    }
}
