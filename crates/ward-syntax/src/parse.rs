//! The entry point: `parse(text, file)` never fails. It scans the text
//! (comments, lexical errors, nesting depth), runs the tolerant pest grammar
//! over it, and builds the tree, reporting each swallowed region once.

use crate::ast::{Item, SourceFileAst};
use crate::build::Builder;
use crate::grammar::{Rule, WardParser};
use crate::{codes, fast, lexer};
use pest::Parser;
use std::borrow::Cow;
use ward_diagnostics::{Diagnostic, FileId, Span};

/// The result of parsing one file: a tree (partial where the text had
/// errors) and the syntax diagnostics, sorted by position.
#[derive(Clone, Debug)]
pub struct Parse {
    pub ast: SourceFileAst,
    pub errors: Vec<Diagnostic>,
}

impl Parse {
    pub fn has_errors(&self) -> bool {
        self.errors.iter().any(Diagnostic::is_error)
    }
}

/// Parses one `.ward` file (already BOM-stripped and LF-normalised). Never
/// panics, whatever the input; every node's span is in `file`.
pub fn parse(text: &str, file: FileId) -> Parse {
    run(text, file, Route::FastThenPest).0
}

/// The same parse through pest alone, without the hand-written fast path:
/// the reference the fast path is tested against.
#[doc(hidden)]
pub fn parse_with_pest_only(text: &str, file: FileId) -> Parse {
    run(text, file, Route::PestOnly).0
}

/// How many top-level entries `parse` hands to pest: none for a valid
/// file, unless the fast path falls short of the grammar.
#[doc(hidden)]
pub fn pest_handoffs(text: &str) -> usize {
    run(text, FileId(0), Route::FastThenPest).1
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Route {
    FastThenPest,
    PestOnly,
}

/// The parse and how many entries went to pest after the fast path.
fn run(text: &str, file: FileId, route: Route) -> (Parse, usize) {
    let lexed = lexer::lex(text, file);
    let source = blank_out(text, &lexed.blanks);
    let mut builder = Builder::new(&source, file, &lexed);
    let (items, handoffs) = match route {
        Route::FastThenPest => items_fast(&mut builder, &source),
        Route::PestOnly => (items_pest(&mut builder, &source), 0),
    };
    let mut builder_errors = std::mem::take(&mut builder.errors);
    drop(builder);
    let mut errors = lexed.errors;
    errors.append(&mut builder_errors);
    errors.extend(lexed.warnings);
    ward_diagnostics::sort(&mut errors);
    let parse = Parse {
        ast: SourceFileAst {
            items,
            comments: lexed.comments,
        },
        errors,
    };
    (parse, handoffs)
}

/// Item by item: the fast path where it can, pest for one entry where it
/// cannot, then the fast path again. Both start where pest's `file` rule
/// would start its next entry, so the result is the same as `items_pest`.
/// Also returns how many entries pest parsed.
fn items_fast(builder: &mut Builder, source: &str) -> (Vec<Item>, usize) {
    let mut items = Vec::new();
    let mut handoffs = 0;
    let mut pos = 0;
    loop {
        pos = fast::skip_wsn(source, pos);
        if pos >= source.len() {
            return (items, handoffs);
        }
        if let Some((item, end)) = builder.fast_item(pos) {
            items.push(item);
            pos = end;
            continue;
        }
        handoffs += 1;
        builder.base = pos;
        let end = match WardParser::parse(Rule::one_entry, &source[pos..]) {
            Ok(pairs) => {
                let mut end = pos;
                for pair in pairs {
                    end = end.max(pos + pair.as_span().end());
                    builder.entry(pair, &mut items);
                }
                end
            }
            Err(error) => {
                // `bad_item` matches any non-empty text, so only pest's own
                // stack or call limits get here: skip to the next line.
                builder
                    .errors
                    .push(unparsable(error, file_of(builder), pos));
                source[pos..]
                    .find('\n')
                    .map_or(source.len(), |i| pos + i + 1)
            }
        };
        builder.base = 0;
        // Always make progress, whatever happened.
        pos = if end > pos {
            end
        } else {
            next_char(source, pos)
        };
    }
}

fn items_pest(builder: &mut Builder, source: &str) -> Vec<Item> {
    match WardParser::parse(Rule::file, source) {
        Ok(mut pairs) => match pairs.next() {
            Some(file_pair) => builder.file(file_pair).items,
            None => Vec::new(),
        },
        // The grammar accepts every input; this is a guard, not a path.
        Err(error) => {
            builder.errors.push(unparsable(error, file_of(builder), 0));
            Vec::new()
        }
    }
}

fn file_of(builder: &Builder) -> FileId {
    builder.file
}

fn unparsable(error: pest::error::Error<Rule>, file: FileId, base: usize) -> Diagnostic {
    let at = base
        + match error.location {
            pest::error::InputLocation::Pos(p) => p,
            pest::error::InputLocation::Span((p, _)) => p,
        };
    Diagnostic::error(
        codes::SYNTAX,
        Span::new(file, at, at),
        "this text could not be parsed",
    )
}

fn next_char(text: &str, pos: usize) -> usize {
    text[pos..]
        .chars()
        .next()
        .map_or(text.len(), |c| pos + c.len_utf8())
}

/// The text with too-deep nesting replaced by spaces (same byte offsets).
fn blank_out<'a>(text: &'a str, blanks: &[std::ops::Range<usize>]) -> Cow<'a, str> {
    if blanks.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for range in blanks {
        // Only ASCII bracket and comment markers are ever blanked.
        bytes[range.clone()].fill(b' ');
    }
    Cow::Owned(
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    )
}
