//! The entry point: `parse(text, file)` never fails. It scans the text
//! (comments, lexical errors, nesting depth), runs the tolerant pest grammar
//! over it, and builds the tree, reporting each swallowed region once.

use crate::ast::SourceFileAst;
use crate::build::Builder;
use crate::grammar::{Rule, WardParser};
use crate::{codes, lexer};
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
    let lexed = lexer::lex(text, file);
    let source = blank_out(text, &lexed.blanks);
    let mut builder = Builder::new(&source, file, &lexed);
    let ast = match WardParser::parse(Rule::file, &source) {
        Ok(mut pairs) => match pairs.next() {
            Some(file_pair) => builder.file(file_pair),
            None => SourceFileAst::default(),
        },
        // The grammar accepts every input; this is a guard, not a path.
        Err(error) => {
            let at = match error.location {
                pest::error::InputLocation::Pos(p) => p,
                pest::error::InputLocation::Span((p, _)) => p,
            };
            builder.errors.push(Diagnostic::error(
                codes::SYNTAX,
                Span::new(file, at, at),
                "this file could not be parsed",
            ));
            SourceFileAst::default()
        }
    };
    let mut builder_errors = std::mem::take(&mut builder.errors);
    drop(builder);
    let mut errors = lexed.errors;
    errors.append(&mut builder_errors);
    ward_diagnostics::sort(&mut errors);
    Parse {
        ast: SourceFileAst {
            items: ast.items,
            comments: lexed.comments,
        },
        errors,
    }
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
