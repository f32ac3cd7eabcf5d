//! Diagnostics as data: every stage of Ward reports problems as [`Diagnostic`]
//! values with byte spans into files of a [`SourceMap`]. Renderers (terminal,
//! JSON here; LSP and SARIF in their own crates) turn them into text.

mod catalog;
mod escape;
mod fix;
mod render;
mod snippet;
mod source;

pub use catalog::{explain, Code, CodeInfo, CODES};
pub use escape::{is_invisible_format, is_unsafe_for_terminal, push_terminal_safe, terminal_safe};
pub use fix::{apply_fixes, Applicability, Applied, Edit, Fix};
pub use render::{render_json, render_terminal, ColorChoice, MAX_SHOWN_PER_CODE_AND_FILE};
pub use snippet::SNIPPET_WIDTH;
pub use source::{normalize_text, FileId, LineCol, SourceFile, SourceMap};

use serde::Serialize;

/// A half-open byte range `[start, end)` within one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }
    /// The smallest span covering both (same file assumed).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn is_empty(self) -> bool {
        self.end == self.start
    }
    pub fn contains(self, offset: usize) -> bool {
        (self.start as usize) <= offset && offset <= (self.end as usize)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One problem found in a model. `code` is `E0xxx` (error) or `W0xxx`
/// (warning), a [`Code`] generated from the pages of `docs/diagnostics/`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// Where in the sources; `None` for a problem that is in no source file
    /// (the output folder, a template, the command line), which renderers
    /// print without a snippet, a JSON location or an LSP range.
    pub span: Option<Span>,
    /// Secondary labels, e.g. the first declaration of a duplicate.
    pub labels: Vec<Label>,
    /// Text under the primary span, e.g. "unknown component".
    pub primary_label: Option<String>,
    /// A help line: did-you-mean, the allowed values.
    pub help: Option<String>,
    pub notes: Vec<String>,
    /// Machine-applicable ways to resolve it, most likely first.
    pub fixes: Vec<Fix>,
    /// What the finding is about, set where it is raised, so that tools
    /// read the threat, rule and element instead of parsing the message.
    pub subject: Subject,
}

/// The threat, rule and model element a diagnostic is about; each `None`
/// when it does not apply (a syntax error has none, a rule-generated
/// threat's finding has all three).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Subject {
    /// The threat's id (`RULE@ELEMENT` for a rule-generated one).
    pub threat: Option<String>,
    /// The generating rule's id.
    pub rule: Option<String>,
    /// The element (component, actor, flow, ...) it concerns.
    pub element: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Error, Some(span), message)
    }
    pub fn warning(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Warning, Some(span), message)
    }
    /// An error in no source file: the output folder, a template, the
    /// command line.
    pub fn error_without_location(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Error, None, message)
    }
    /// A warning in no source file (see [`Diagnostic::error_without_location`]).
    pub fn warning_without_location(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Warning, None, message)
    }
    /// A warning code reported at error severity: a gap that the submission
    /// stage denies, as `--deny-warnings` does for every warning. The code
    /// keeps its `W`, so the same gap has one code and one explain page.
    pub fn denied_warning(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        let mut diagnostic = Diagnostic::warning(code, span, message);
        diagnostic.severity = Severity::Error;
        diagnostic
    }
    fn new(
        code: Code,
        severity: Severity,
        span: Option<Span>,
        message: impl Into<String>,
    ) -> Diagnostic {
        debug_assert!(
            severity == code.severity(),
            "code {code} does not match its severity"
        );
        Diagnostic {
            code,
            severity,
            message: message.into(),
            span,
            labels: Vec::new(),
            primary_label: None,
            help: None,
            notes: Vec::new(),
            fixes: Vec::new(),
            subject: Subject::default(),
        }
    }
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }
    pub fn with_primary_label(mut self, message: impl Into<String>) -> Diagnostic {
        self.primary_label = Some(message.into());
        self
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }
    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }
    pub fn with_fix(mut self, fix: Fix) -> Diagnostic {
        self.fixes.push(fix);
        self
    }
    pub fn with_subject(mut self, subject: Subject) -> Diagnostic {
        self.subject = subject;
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
    /// Whether it is an error the parser reported.
    pub fn is_syntax_error(&self) -> bool {
        self.is_error() && self.code.is_syntax()
    }
}

/// Sorts diagnostics by file, position, then code, for stable output; those
/// in no source file come first. In a file with a syntax error the syntax
/// errors come first: the rest may follow from them (docs/language.md
/// §6).
pub fn sort(diagnostics: &mut [Diagnostic]) {
    let broken = files_with_syntax_errors(diagnostics);
    sort_large_by(diagnostics, |a, b| position_order(&broken, a, b));
}

/// A stable sort of large items (diagnostics, threats) that moves each
/// item once. `sort_by` copies them all into scratch memory, and fresh
/// memory costs more than the comparisons: it sorts their positions
/// instead, then follows the permutation's cycles with swaps.
pub fn sort_large_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> std::cmp::Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| compare(&items[a], &items[b]));
    // `order[i]`: where the item for position `i` is now.
    const PLACED: usize = usize::MAX;
    for start in 0..items.len() {
        let mut at = start;
        while order[at] != PLACED {
            let from = std::mem::replace(&mut order[at], PLACED);
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

/// `first` followed by `second`, in the order [`sort`] gives them, when
/// each is sorted already (a model's diagnostics and its findings): a
/// merge, without the copy and scratch space of sorting them together.
pub fn merge_sorted(first: Vec<Diagnostic>, second: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let broken = files_with_syntax_errors(&first);
    if second.is_empty()
        || first.is_empty()
        || !broken.is_empty()
        || second.iter().any(Diagnostic::is_syntax_error)
    {
        // A syntax error changes where the rest of its file sorts.
        let mut all = first;
        all.extend(second);
        sort(&mut all);
        return all;
    }
    debug_assert!(first.is_sorted_by(|a, b| position_order(&broken, a, b).is_le()));
    debug_assert!(second.is_sorted_by(|a, b| position_order(&broken, a, b).is_le()));
    let mut out = Vec::with_capacity(first.len() + second.len());
    let (mut first, mut second) = (first.into_iter().peekable(), second.into_iter().peekable());
    while let (Some(a), Some(b)) = (first.peek(), second.peek()) {
        // Ties keep `first` ahead, as a stable sort of both together does.
        let next = if position_order(&broken, b, a).is_lt() {
            second.next()
        } else {
            first.next()
        };
        out.extend(next);
    }
    out.extend(first);
    out.extend(second);
    out
}

/// By file, follow-on or not, position, code and message.
fn position_order(
    broken: &std::collections::BTreeSet<FileId>,
    a: &Diagnostic,
    b: &Diagnostic,
) -> std::cmp::Ordering {
    let follow_on =
        |d: &Diagnostic| !d.is_syntax_error() && d.span.is_some_and(|s| broken.contains(&s.file));
    (
        a.span.map(|s| s.file),
        follow_on(a),
        a.span,
        a.code,
        &a.message,
    )
        .cmp(&(
            b.span.map(|s| s.file),
            follow_on(b),
            b.span,
            b.code,
            &b.message,
        ))
}

/// The note on a diagnostic in a file whose syntax errors come before it.
pub const FOLLOW_ON_NOTE: &str = "may be caused by the syntax error above";

/// Sorts as [`sort`] does and notes each error that follows a syntax error
/// in its file ([`FOLLOW_ON_NOTE`]), once.
pub fn sort_and_note_follow_ons(diagnostics: &mut [Diagnostic]) {
    sort(diagnostics);
    let broken = files_with_syntax_errors(diagnostics);
    for d in diagnostics.iter_mut() {
        let in_broken_file = d.span.is_some_and(|s| broken.contains(&s.file));
        if in_broken_file
            && d.is_error()
            && !d.is_syntax_error()
            && !d.notes.iter().any(|n| n == FOLLOW_ON_NOTE)
        {
            d.notes.push(FOLLOW_ON_NOTE.to_string());
        }
    }
}

fn files_with_syntax_errors(diagnostics: &[Diagnostic]) -> std::collections::BTreeSet<FileId> {
    diagnostics
        .iter()
        .filter(|d| d.is_syntax_error())
        .filter_map(|d| d.span.map(|s| s.file))
        .collect()
}

#[cfg(test)]
mod merge_tests {
    use super::*;

    fn at(file: u32, start: usize, code: Code, message: &str) -> Diagnostic {
        Diagnostic::warning(code, Span::new(FileId(file), start, start + 1), message)
    }

    #[test]
    fn merging_two_sorted_lists_orders_them_as_sorting_both_together_does() {
        let mut first = vec![
            at(0, 5, Code::W0402, "b"),
            at(1, 0, Code::W0402, "a"),
            at(1, 0, Code::W0402, "a"),
            at(2, 9, Code::W0410, "c"),
        ];
        let mut second = vec![
            at(0, 1, Code::W0402, "z"),
            at(1, 0, Code::W0402, "a"),
            at(1, 0, Code::W0411, "a"),
            at(3, 0, Code::W0402, "d"),
        ];
        second[1].notes.push("from the second list".into());
        sort(&mut first);
        sort(&mut second);
        let mut together = first.clone();
        together.extend(second.clone());
        sort(&mut together);
        assert_eq!(merge_sorted(first, second), together);
    }

    #[test]
    fn sorting_large_items_is_stable_and_matches_sort_by() {
        let keys = [5, 3, 9, 3, 0, 5, 7, 1, 3, 8, 0, 2];
        let mut items: Vec<(u32, usize)> = keys.iter().copied().zip(0..).collect();
        let mut expected = items.clone();
        expected.sort_by_key(|item| item.0);
        sort_large_by(&mut items, |a, b| a.0.cmp(&b.0));
        assert_eq!(items, expected);
        let mut none: Vec<u8> = Vec::new();
        sort_large_by(&mut none, u8::cmp);
        assert!(none.is_empty());
    }
}
