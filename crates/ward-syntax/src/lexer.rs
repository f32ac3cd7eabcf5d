//! A fast scan of the whole file before pest runs. It finds what a lexer
//! sees regardless of the grammar: comments (kept for the formatter and doc
//! comments), unterminated strings and block comments (reported at their
//! opening), and nesting deeper than [`MAX_NESTING`]. pest recurses once per
//! level of brackets and nested comments, so too-deep openers (and their
//! closers) are blanked out before pest sees the text: the parse stays on a
//! bounded stack whatever the input. It also reports the characters of
//! Trojan Source ([`crate::trojan`]).

use crate::ast::{Comment, CommentKind};
use crate::codes;
use crate::trojan::{self, may_start_invisible, Place};
use std::ops::Range;
use ward_diagnostics::{Diagnostic, FileId, Span};

/// The deepest nesting of `[ ( {` and of `/* */` that the parser accepts.
pub const MAX_NESTING: usize = 256;

/// The bytes that start something the scan tracks.
static INTERESTING: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    let bytes = b"/\"[](){}";
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    // The lead bytes of the Trojan Source characters.
    table[0xE2] = true;
    table[0xEF] = true;
    table
};

pub(crate) struct Lexed {
    pub comments: Vec<Comment>,
    pub errors: Vec<Diagnostic>,
    /// Warnings (Trojan Source in strings and comments): not errors, so they
    /// do not hide syntax errors as `errors` do.
    pub warnings: Vec<Diagnostic>,
    /// Byte ranges to replace by spaces before parsing (too-deep nesting).
    pub blanks: Vec<Range<usize>>,
    /// Where a token that runs to the end of the file starts (an unterminated
    /// `"""` string or block comment): blocks it swallows are not reported
    /// as unclosed.
    pub runs_to_end: Option<usize>,
}

impl Lexed {
    /// Whether a lexical error starts in `range` (inclusive of its end):
    /// such an error already explains a syntax error there.
    pub fn has_error_in(&self, range: Range<usize>) -> bool {
        // `errors` is sorted by start (see `lex`).
        let first = self
            .errors
            .partition_point(|e| e.span.map_or(0, |s| s.start as usize) < range.start);
        self.errors
            .get(first)
            .is_some_and(|e| e.span.is_some_and(|s| s.start as usize <= range.end))
    }
}

pub(crate) fn lex(text: &str, file: FileId) -> Lexed {
    Lexer {
        bytes: text.as_bytes(),
        text,
        file,
        pos: 0,
        depth: 0,
        too_deep: false,
        out: Lexed::empty(),
    }
    .run()
}

impl Lexed {
    fn empty() -> Lexed {
        Lexed {
            comments: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            blanks: Vec::new(),
            runs_to_end: None,
        }
    }
}

struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    file: FileId,
    pos: usize,
    /// Current depth of `[ ( {`.
    depth: usize,
    /// Whether the too-deep error of the current deep region was given.
    too_deep: bool,
    out: Lexed,
}

impl Lexer<'_> {
    fn run(mut self) -> Lexed {
        while self.pos < self.bytes.len() {
            match self.bytes[self.pos] {
                b'/' if self.peek(1) == Some(b'/') => self.line_comment(),
                b'/' if self.peek(1) == Some(b'*') => self.block_comment(),
                b'"' if self.bytes[self.pos..].starts_with(b"\"\"\"") => self.triple_string(),
                b'"' => self.line_string(),
                byte if may_start_invisible(byte) => {
                    match trojan::check_code(self.text, self.pos, self.file) {
                        Some((error, len)) => {
                            self.out.errors.push(error);
                            self.pos += len;
                        }
                        None => self.pos += 1,
                    }
                }
                b'[' | b'(' | b'{' => {
                    self.depth += 1;
                    if self.depth > MAX_NESTING {
                        self.report_too_deep(self.pos);
                        self.out.blanks.push(self.pos..self.pos + 1);
                    }
                    self.pos += 1;
                }
                b']' | b')' | b'}' => {
                    if self.depth > MAX_NESTING {
                        self.out.blanks.push(self.pos..self.pos + 1);
                    }
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth <= MAX_NESTING {
                        self.too_deep = false;
                    }
                    self.pos += 1;
                }
                _ => {
                    // Skip to the next byte the scan cares about.
                    self.pos += 1;
                    while self.pos < self.bytes.len() && !INTERESTING[self.bytes[self.pos] as usize]
                    {
                        self.pos += 1;
                    }
                }
            }
        }
        self.out.errors.sort_by_key(|e| e.span.map(|s| s.start));
        self.out
    }

    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    fn report_too_deep(&mut self, at: usize) {
        if self.too_deep {
            return;
        }
        self.too_deep = true;
        self.push_too_deep(at);
    }

    fn push_too_deep(&mut self, at: usize) {
        let token = if self.bytes[at] == b'/' {
            "/*"
        } else {
            &self.text[at..at + 1]
        };
        self.out.errors.push(
            Diagnostic::error(codes::TOO_DEEP, self.span(at, at + token.len()), format!("`{token}` nested too deeply: more than {MAX_NESTING} levels"))
                .with_primary_label(format!("this is level {}", MAX_NESTING + 1))
                .with_help(format!("Ward accepts at most {MAX_NESTING} levels of nesting; flatten this part of the file")),
        );
    }

    fn line_comment(&mut self) {
        let start = self.pos;
        let end = memchr_newline(self.bytes, start);
        let text = &self.text[start..end];
        let kind = if text.starts_with("///") && !text.starts_with("////") {
            CommentKind::Doc
        } else {
            CommentKind::Line
        };
        self.out.comments.push(Comment {
            kind,
            text: text.to_string(),
            span: self.span(start, end),
        });
        self.check_token(start..end, Place::Comment);
        self.pos = end;
    }

    fn block_comment(&mut self) {
        let start = self.pos;
        let mut level = 0usize;
        let mut deep_reported = false;
        while self.pos < self.bytes.len() {
            if self.bytes[self.pos..].starts_with(b"/*") {
                level += 1;
                if level > MAX_NESTING {
                    if !deep_reported {
                        deep_reported = true;
                        self.push_too_deep(self.pos);
                    }
                    self.out.blanks.push(self.pos..self.pos + 2);
                }
                self.pos += 2;
            } else if self.bytes[self.pos..].starts_with(b"*/") {
                if level > MAX_NESTING {
                    self.out.blanks.push(self.pos..self.pos + 2);
                }
                level -= 1;
                self.pos += 2;
                if level == 0 {
                    break;
                }
            } else {
                self.pos += 1;
            }
        }
        if level > 0 {
            self.out.errors.push(
                Diagnostic::error(
                    codes::UNCLOSED_COMMENT,
                    self.span(start, start + 2),
                    format!("unclosed block comment `{}`", preview(&self.text[start..])),
                )
                .with_primary_label("this comment is never closed")
                .with_help(
                    "close it with `*/` (block comments nest: each `/*` needs its own `*/`)",
                ),
            );
            self.out.runs_to_end.get_or_insert(start);
        }
        let end = self.pos.min(self.bytes.len());
        self.out.comments.push(Comment {
            kind: CommentKind::Block,
            text: self.text[start..end].to_string(),
            span: self.span(start, end),
        });
        self.check_token(start..end, Place::Comment);
    }

    fn check_token(&mut self, range: Range<usize>, place: Place) {
        let end = range.end.min(self.bytes.len());
        if let Some(warning) = trojan::check_token(self.text, range.start..end, place, self.file) {
            self.out.warnings.push(warning);
        }
    }

    fn line_string(&mut self) {
        let start = self.pos;
        self.pos += 1;
        while self.pos < self.bytes.len() {
            match self.bytes[self.pos] {
                b'\\' if self.peek(1) != Some(b'\n') => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    self.check_token(start..self.pos, Place::String);
                    return;
                }
                b'\n' => break,
                _ => self.pos += 1,
            }
        }
        self.pos = self.pos.min(self.bytes.len());
        self.out.errors.push(
            Diagnostic::error(
                codes::UNTERMINATED_STRING,
                self.span(start, start + 1),
                format!("unterminated string `{}`", preview(&self.text[start..])),
            )
            .with_primary_label("this string has no closing `\"` on its line")
            .with_help("close it with `\"`; for text over several lines use a `\"\"\"` string"),
        );
    }

    fn triple_string(&mut self) {
        let start = self.pos;
        self.pos += 3;
        while self.pos < self.bytes.len() {
            match self.bytes[self.pos] {
                b'\\' => self.pos += 2,
                b'"' if self.bytes[self.pos..].starts_with(b"\"\"\"") => {
                    self.pos += 3;
                    self.check_token(start..self.pos, Place::String);
                    return;
                }
                _ => self.pos += 1,
            }
        }
        self.pos = self.bytes.len();
        self.out.errors.push(
            Diagnostic::error(
                codes::UNTERMINATED_STRING,
                self.span(start, start + 3),
                format!("unterminated string `{}`", preview(&self.text[start..])),
            )
            .with_primary_label("this `\"\"\"` string is never closed")
            .with_help("close it with `\"\"\"`"),
        );
        self.out.runs_to_end.get_or_insert(start);
    }
}

/// The start of a token for a message: its first line, at most 24 chars.
fn preview(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    let mut shown: String = line.chars().take(24).collect();
    if shown.len() < line.len() {
        shown.push('…');
    }
    shown
}

fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| from + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexed(text: &str) -> Lexed {
        lex(text, FileId(0))
    }

    #[test]
    fn comments_are_collected_with_kinds() {
        let l = lexed("/// doc\n// line\n//// rule\n/* a /* nested */ b */ x \"// not\"");
        let kinds: Vec<_> = l
            .comments
            .iter()
            .map(|c| (c.kind, c.text.as_str()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (CommentKind::Doc, "/// doc"),
                (CommentKind::Line, "// line"),
                (CommentKind::Line, "//// rule"),
                (CommentKind::Block, "/* a /* nested */ b */"),
            ]
        );
        assert!(l.errors.is_empty());
    }

    #[test]
    fn unterminated_tokens_are_reported_at_their_start() {
        let l = lexed("a: \"abc\nb: \"ok\" /* open");
        let codes: Vec<_> = l
            .errors
            .iter()
            .map(|e| (e.code, e.span.unwrap().start))
            .collect();
        assert_eq!(
            codes,
            vec![
                (codes::UNTERMINATED_STRING, 3),
                (codes::UNCLOSED_COMMENT, 16)
            ]
        );
        assert_eq!(l.runs_to_end, Some(16));
        let l = lexed("x \"\"\" never closed");
        assert_eq!(l.errors[0].span.unwrap().start, 2);
        assert_eq!(l.runs_to_end, Some(2));
    }

    #[test]
    fn deep_nesting_is_reported_once_and_blanked() {
        let text = "[".repeat(300) + &"]".repeat(300);
        let l = lexed(&text);
        assert_eq!(l.errors.len(), 1);
        assert_eq!(l.errors[0].code, codes::TOO_DEEP);
        assert_eq!(l.errors[0].span.unwrap().start as usize, MAX_NESTING);
        assert_eq!(l.blanks.len(), 2 * (300 - MAX_NESTING));
        let l = lexed(&"/*".repeat(300));
        assert_eq!(
            l.errors
                .iter()
                .filter(|e| e.code == codes::TOO_DEEP)
                .count(),
            1
        );
        assert_eq!(
            l.errors
                .iter()
                .filter(|e| e.code == codes::UNCLOSED_COMMENT)
                .count(),
            1
        );
    }
}
