//! The Ward language server: `ward lsp`. The only crate that knows LSP; it
//! holds no Ward logic of its own. Diagnostics, navigation, risk figures and
//! formatting come from `ward-syntax`, `ward-model` and `ward-analysis`; this
//! crate maps them onto the protocol (UTF-16 positions via a line index).
//!
//! Entry points: [`run_stdio`] for the CLI, [`run`] / [`run_with`] over any
//! [`lsp_server::Connection`] (tests use `Connection::memory()`). The
//! `ward-lsp-server` binary runs [`run_stdio`] alone.
//!
//! How it is put together:
//! - `transport`: JSON-RPC framing over stdio that survives garbage input.
//! - `server`: the single-threaded main loop (queue, cancellation, stale
//!   requests, debounced re-analysis, `catch_unwind` around every handler).
//! - `documents`, `line_index`, `uri`: open buffers, UTF-16 positions, paths.
//! - `workspace`: which model a file belongs to (nearest `Ward.toml`, else
//!   the file's folder) and its analysed `Snapshot`, built with
//!   `ward_model::load` over an overlay of the open buffers and a per-model
//!   parse cache, then `check` and, when the model compiles,
//!   `ward_analysis::analyze_compiled` (the decision `ward check` makes).
//! - `diagnostics`, `convert`: publication per file.
//! - `view_resolver`: each snapshot's resolved view (hover, inlay hints),
//!   built on a worker thread after its diagnostics are out.
//! - `base`: the `[diff] base` revision's model, read from git on a worker
//!   thread and analysed once per commit, for the diff lens.
//! - `handlers` and `features/*`: one module per feature, each a function of
//!   a snapshot (hover, navigation and rename, completion, symbols,
//!   formatting, semantic tokens, inlay hints, code actions, the diff lens).
//!
//! Set `WARD_LSP_TRACE=1` to get the time of each analysis stage on stderr.

// `lsp_types::Uri` is a map key throughout; clippy takes its lazily
// computed parts for interior mutability, but its hash and order use only
// the string.
#![allow(clippy::mutable_key_type)]

mod base;
mod capabilities;
mod convert;
mod diagnostics;
mod documents;
mod features;
mod handlers;
mod line_index;
mod markdown;
mod server;
mod trace;
pub mod transport;
mod uri;
mod view_resolver;
mod workspace;

pub use line_index::LineIndex;
pub use server::{Exit, ServerConfig};

use lsp_server::{Connection, Message, Response};
use server::{ClientSupport, Server};

/// Serves LSP over stdin/stdout until `exit` or the end of input. Returns
/// the process exit code: 0 after `shutdown` then `exit`, else 1.
pub fn run_stdio() -> i32 {
    let (connection, threads) = transport::stdio();
    let exit = run(&connection);
    drop(connection);
    threads.join_writer();
    match exit {
        Exit::Clean => 0,
        Exit::Abrupt => 1,
    }
}

/// Serves LSP over a connection with the default configuration.
pub fn run(connection: &Connection) -> Exit {
    run_with(connection, ServerConfig::default())
}

/// Serves LSP over a connection: the `initialize` handshake, then the main
/// loop until `exit` or disconnection.
pub fn run_with(connection: &Connection, config: ServerConfig) -> Exit {
    let (id, params) = match connection.initialize_start() {
        Ok(start) => start,
        Err(error) => {
            eprintln!("ward-lsp: no initialize request: {error}");
            return Exit::Abrupt;
        }
    };
    let params: lsp_types::InitializeParams = match serde_json::from_value(params) {
        Ok(params) => params,
        Err(error) => {
            // Tolerate what we cannot read: default client capabilities.
            eprintln!("ward-lsp: unreadable initialize params ({error}); assuming defaults");
            lsp_types::InitializeParams::default()
        }
    };
    let client = ClientSupport::from_params(&params);
    let result = lsp_types::InitializeResult {
        capabilities: capabilities::server_capabilities(),
        server_info: Some(lsp_types::ServerInfo {
            name: "ward".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    let result = serde_json::to_value(result).expect("capabilities serialise");
    if connection
        .sender
        .send(Message::Response(Response::new_ok(id, result)))
        .is_err()
    {
        return Exit::Abrupt;
    }
    // `initialized` is handled by the main loop, which also copes with
    // clients that send other notifications first.
    Server::new(connection, config, client).run()
}
