//! JSON-RPC framing over byte streams, tolerant of bad input. lsp-server's
//! own stdio transport stops at the first malformed header or payload; an
//! editor's server must not die of one bad message. Here garbage between
//! messages is skipped (a header is recognised anywhere in a line), a
//! payload that is not JSON gets a `ParseError` response, one that is JSON
//! but no message an `InvalidRequest` response, and reading goes on. The
//! connection closes when the input ends (the client died) or after `exit`.

use crossbeam_channel::{select, unbounded, Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message};
use serde_json::{json, Value};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::thread::{self, JoinHandle};

/// Payloads larger than this are treated as a corrupt header.
const MAX_PAYLOAD: usize = 256 << 20;
/// A header line longer than this is garbage: the rest of it is skipped
/// unread, so a stream with no newline cannot grow the server's memory.
pub const MAX_HEADER_LINE: usize = 8 << 10;
/// A body buffer starts at most this large and grows with the bytes that
/// actually arrive: an absurd `Content-Length` allocates nothing.
const BODY_CHUNK: usize = 64 << 10;

pub struct IoThreads {
    reader: JoinHandle<()>,
    writer: JoinHandle<()>,
}

impl IoThreads {
    /// Waits for the writer to flush everything sent. The reader is not
    /// waited for: it may be blocked on input that never comes.
    pub fn join_writer(self) {
        let _ = self.writer.join();
        drop(self.reader);
    }
}

/// A connection over stdin/stdout.
pub fn stdio() -> (Connection, IoThreads) {
    streams(io::stdin(), io::stdout())
}

/// A connection over any pair of streams.
pub fn streams<R, W>(input: R, output: W) -> (Connection, IoThreads)
where
    R: Read + Send + 'static,
    W: Write + Send + 'static,
{
    let (incoming_tx, incoming_rx) = unbounded::<Message>();
    let (outgoing_tx, outgoing_rx) = unbounded::<Message>();
    let (raw_tx, raw_rx) = unbounded::<Value>();
    let reader = thread::Builder::new()
        .name("ward-lsp-reader".into())
        .spawn(move || read_loop(BufReader::new(input), incoming_tx, raw_tx))
        .expect("spawn the reader thread");
    let writer = thread::Builder::new()
        .name("ward-lsp-writer".into())
        .spawn(move || write_loop(output, outgoing_rx, raw_rx))
        .expect("spawn the writer thread");
    (
        Connection {
            sender: outgoing_tx,
            receiver: incoming_rx,
        },
        IoThreads { reader, writer },
    )
}

fn read_loop(mut input: impl BufRead, messages: Sender<Message>, raw: Sender<Value>) {
    loop {
        let payload = match read_payload(&mut input) {
            Ok(Some(payload)) => payload,
            Ok(None) => return,
            Err(error) => {
                eprintln!("ward-lsp: reading input failed: {error}");
                return;
            }
        };
        let value: Value = match serde_json::from_slice(&payload) {
            Ok(value) => value,
            Err(error) => {
                eprintln!("ward-lsp: malformed JSON payload: {error}");
                let _ = raw.send(error_response(
                    Value::Null,
                    ErrorCode::ParseError,
                    format!("parse error: {error}"),
                ));
                continue;
            }
        };
        let id = value
            .get("id")
            .filter(|id| id.is_number() || id.is_string())
            .cloned();
        match to_message(value) {
            Ok(message) => {
                let is_exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if messages.send(message).is_err() || is_exit {
                    return;
                }
            }
            Err(error) => {
                eprintln!("ward-lsp: not a JSON-RPC message: {error}");
                let id = id.unwrap_or(Value::Null);
                let _ = raw.send(error_response(
                    id,
                    ErrorCode::InvalidRequest,
                    format!("invalid request: {error}"),
                ));
            }
        }
    }
}

/// A request, notification or response. Decided by the keys present, as
/// JSON-RPC does: a value with `method` must be a well-formed request or
/// notification (untagged decoding would take a bad request for a response).
fn to_message(value: Value) -> Result<Message, serde_json::Error> {
    if !value.is_object() {
        return Err(serde::de::Error::custom("a message must be a JSON object"));
    }
    let is_call = value.get("method").is_some();
    let has_id = value.get("id").is_some();
    match (is_call, has_id) {
        (true, true) => serde_json::from_value(value).map(Message::Request),
        (true, false) => serde_json::from_value(value).map(Message::Notification),
        (false, _) => serde_json::from_value(value).map(Message::Response),
    }
}

fn error_response(id: Value, code: ErrorCode, message: String) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code as i32, "message": message } })
}

/// The next payload, skipping anything that is not a well-formed header
/// block. `None` at the end of input.
fn read_payload(input: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut length: Option<usize> = None;
    let mut line = Vec::new();
    loop {
        line.clear();
        if read_header_line(input, &mut line)? == 0 {
            return Ok(None);
        }
        while matches!(line.last(), Some(b'\n' | b'\r')) {
            line.pop();
        }
        if line.is_empty() {
            match length {
                Some(n) => break read_body(input, n),
                None => continue,
            }
        }
        match content_length(&line) {
            Some(Ok(n)) if n <= MAX_PAYLOAD => length = Some(n),
            Some(_) => {
                eprintln!(
                    "ward-lsp: bad Content-Length header: {}",
                    String::from_utf8_lossy(&line)
                );
                length = None;
            }
            // Other headers (Content-Type) and garbage: skipped.
            None => {}
        }
    }
}

/// Reads up to and including the next `\n`, keeping at most
/// [`MAX_HEADER_LINE`] bytes of it (the rest is consumed and dropped).
/// Returns the number of bytes consumed; 0 at the end of input.
fn read_header_line(input: &mut impl BufRead, line: &mut Vec<u8>) -> io::Result<usize> {
    let mut consumed = 0;
    loop {
        let available = match input.fill_buf() {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if available.is_empty() {
            return Ok(consumed);
        }
        let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
            Some(at) => (&available[..=at], true),
            None => (available, false),
        };
        let room = MAX_HEADER_LINE.saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = chunk.len();
        input.consume(used);
        consumed += used;
        if done {
            return Ok(consumed);
        }
    }
}

fn read_body(input: &mut impl BufRead, length: usize) -> io::Result<Option<Vec<u8>>> {
    let mut body = Vec::with_capacity(length.min(BODY_CHUNK));
    input.take(length as u64).read_to_end(&mut body)?;
    // A body cut short means the client is gone.
    Ok((body.len() == length).then_some(body))
}

/// `Some(value)` when the line holds a `Content-Length` header (anywhere, so
/// that garbage before it on the same line is tolerated).
fn content_length(line: &[u8]) -> Option<Result<usize, ()>> {
    const NAME: &[u8] = b"content-length:";
    let lower = line.to_ascii_lowercase();
    let at = lower.windows(NAME.len()).rposition(|w| w == NAME)?;
    let value = std::str::from_utf8(&line[at + NAME.len()..]).map_err(|_| ());
    Some(value.and_then(|v| v.trim().parse::<usize>().map_err(|_| ())))
}

fn write_loop(mut output: impl Write, messages: Receiver<Message>, raw: Receiver<Value>) {
    loop {
        let result = select! {
            recv(messages) -> message => match message {
                Ok(message) => message.write(&mut output),
                Err(_) => return,
            },
            recv(raw) -> value => match value {
                Ok(value) => write_raw(&mut output, &value),
                // The reader is gone; keep serving the server's messages.
                Err(_) => match messages.recv() {
                    Ok(message) => message.write(&mut output),
                    Err(_) => return,
                },
            },
        };
        if let Err(error) = result {
            eprintln!("ward-lsp: writing output failed: {error}");
            return;
        }
    }
}

fn write_raw(output: &mut impl Write, value: &Value) -> io::Result<()> {
    let text = value.to_string();
    write!(output, "Content-Length: {}\r\n\r\n{text}", text.len())?;
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn payloads(input: &str) -> Vec<String> {
        let mut cursor = Cursor::new(input.as_bytes().to_vec());
        let mut out = Vec::new();
        while let Some(p) = read_payload(&mut cursor).unwrap() {
            out.push(String::from_utf8(p).unwrap());
        }
        out
    }

    #[test]
    fn reads_consecutive_frames_with_other_headers() {
        let input = format!(
            "{}Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n{}",
            frame("{\"a\":1}"),
            frame("{\"b\":2}")
        );
        assert_eq!(payloads(&input), ["{\"a\":1}", "{\"b\":2}"]);
    }

    #[test]
    fn skips_garbage_and_bad_headers() {
        let input = format!(
            "\u{1}\u{2}garbage\nContent-Length: abc\r\n\r\nnoise\r\nxx{}{}",
            frame("{\"a\":1}"),
            frame("{\"b\":2}")
        );
        assert_eq!(payloads(&input), ["{\"a\":1}", "{\"b\":2}"]);
    }

    #[test]
    fn an_over_long_header_line_is_skipped_and_reading_goes_on() {
        let noise = "x".repeat(10 * MAX_HEADER_LINE);
        let input = format!(
            "{noise}Content-Length: 7\r\n\r\n{{\"a\":1}}{}",
            frame("{\"b\":2}")
        );
        // The long line's header is past the kept prefix: it is not seen, so
        // the first frame's body is skipped as garbage.
        assert_eq!(payloads(&input), ["{\"b\":2}"]);
        let mut line = Vec::new();
        let mut cursor = Cursor::new(format!("{noise}\nrest").into_bytes());
        assert_eq!(
            read_header_line(&mut cursor, &mut line).unwrap(),
            noise.len() + 1
        );
        assert_eq!(line.len(), MAX_HEADER_LINE);
    }

    #[test]
    fn an_absurd_content_length_allocates_only_what_arrives() {
        let mut cursor = Cursor::new(b"{}".to_vec());
        assert_eq!(read_body(&mut cursor, MAX_PAYLOAD).unwrap(), None);
    }

    #[test]
    fn truncated_body_ends_input() {
        assert!(payloads("Content-Length: 10\r\n\r\n{}").is_empty());
    }

    #[test]
    fn malformed_payloads_get_error_responses_and_reading_goes_on() {
        let input = format!(
            "{}{}{}{}",
            frame("{not json"),
            frame("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":5}"),
            frame("[1, 2]"),
            frame("{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}")
        );
        let (messages_tx, messages_rx) = unbounded();
        let (raw_tx, raw_rx) = unbounded();
        read_loop(Cursor::new(input.into_bytes()), messages_tx, raw_tx);
        let errors: Vec<Value> = raw_rx.try_iter().collect();
        assert_eq!(errors.len(), 3);
        assert_eq!(errors[0]["error"]["code"], -32700);
        assert_eq!(errors[0]["id"], Value::Null);
        assert_eq!(errors[1]["error"]["code"], -32600);
        assert_eq!(errors[1]["id"], 7);
        assert_eq!(errors[2]["error"]["code"], -32600);
        assert_eq!(errors[2]["id"], Value::Null);
        let messages: Vec<Message> = messages_rx.try_iter().collect();
        assert!(matches!(&messages[..], [Message::Notification(n)] if n.method == "exit"));
    }
}
