//! What codespan-reporting is shown of a file for one diagnostic: only the
//! lines the diagnostic's labels need, each escaped for the terminal
//! ([`crate::terminal_safe`]) and, when longer than [`SNIPPET_WIDTH`],
//! cut to a window around the label with `…` at the cut ends. Work and
//! output per diagnostic are thus bounded by the labels, not by the length
//! of the lines they sit on. Line and column numbers stay the file's own.

use crate::escape::push_terminal_safe;
use crate::{Diagnostic, FileId, SourceMap};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::Config;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// Source lines longer than this many bytes are shown as a window of this
/// many bytes.
pub const SNIPPET_WIDTH: usize = 160;
/// How much of the line before the first label a window shows, in bytes.
const WINDOW_LEAD: usize = 40;
const ELLIPSIS: &str = "…";

/// The shown part of each file a diagnostic's labels point into.
pub(crate) struct Snippet<'a> {
    sources: &'a SourceMap,
    files: Vec<(FileId, FileView)>,
}

struct FileView {
    name: String,
    /// The shown lines, each ending in `\n`.
    text: String,
    /// Real line index -> its range in `text`.
    lines: BTreeMap<usize, Range<usize>>,
    /// Start in `text` of each shown line, with its real line index, sorted.
    starts: Vec<(usize, usize)>,
    /// Positions in `text` of label starts -> their real byte offsets, for
    /// the column numbers codespan prints.
    anchors: Vec<(usize, usize)>,
}

impl<'a> Snippet<'a> {
    /// The view of `d`'s files, and the labels' ranges in it, in the order
    /// primary label (at `primary`, `d`'s span) then `d.labels`.
    pub fn new(
        sources: &'a SourceMap,
        primary: crate::Span,
        d: &Diagnostic,
        config: &Config,
    ) -> (Snippet<'a>, Vec<Range<usize>>) {
        let spans: Vec<crate::Span> = std::iter::once(primary)
            .chain(d.labels.iter().map(|l| l.span))
            .collect();
        let mut files: Vec<(FileId, FileView)> = Vec::new();
        let mut ranges = vec![0..0; spans.len()];
        let mut ids: Vec<FileId> = spans.iter().map(|s| s.file).collect();
        ids.dedup();
        ids.sort();
        ids.dedup();
        for id in ids {
            let file = sources.get(id);
            let in_file: Vec<(usize, Range<usize>)> = spans
                .iter()
                .enumerate()
                .filter(|(_, s)| s.file == id)
                .map(|(i, s)| (i, clamp(&file.text, s.range())))
                .collect();
            let (view, mapped) = FileView::new(file, &in_file, config);
            for ((i, _), range) in in_file.iter().zip(mapped) {
                ranges[*i] = range;
            }
            files.push((id, view));
        }
        (Snippet { sources, files }, ranges)
    }

    fn view(&self, id: FileId) -> Result<&FileView, FilesError> {
        self.files
            .iter()
            .find(|(f, _)| *f == id)
            .map(|(_, v)| v)
            .ok_or(FilesError::FileMissing)
    }
}

/// A span's range inside the text, on character boundaries.
fn clamp(text: &str, range: Range<usize>) -> Range<usize> {
    let floor = |mut at: usize| {
        at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let start = floor(range.start);
    start..floor(range.end).max(start)
}

impl FileView {
    fn new(
        file: &crate::SourceFile,
        spans: &[(usize, Range<usize>)],
        config: &Config,
    ) -> (FileView, Vec<Range<usize>>) {
        let text = &file.text;
        let starts = file.line_starts();
        let line_end = |line: usize| starts.get(line + 1).map_or(text.len(), |next| next - 1);
        // The lines codespan renders: each label's first and last line, and
        // the context lines of a multi-line label.
        let mut shown = BTreeSet::new();
        for (_, range) in spans {
            let first = file.line_index(range.start);
            let last = file.line_index(range.end);
            shown.insert(first);
            shown.insert(last);
            if last > first {
                shown.extend((first + 1..last).take(config.start_context_lines));
                shown.extend((first + 1..last).rev().take(config.end_context_lines));
            }
        }
        // codespan also renders a single unlabelled line between two shown.
        let gaps: Vec<usize> = shown
            .iter()
            .zip(shown.iter().skip(1))
            .filter(|(a, b)| **b == **a + 2)
            .map(|(a, _)| a + 1)
            .collect();
        shown.extend(gaps);

        let mut view = FileView {
            name: crate::terminal_safe(&file.name).into_owned(),
            text: String::new(),
            lines: BTreeMap::new(),
            starts: Vec::new(),
            anchors: Vec::new(),
        };
        let mut mapped = vec![0..0; spans.len()];
        for line in shown {
            let real = starts[line]..line_end(line);
            let points: Vec<usize> = spans
                .iter()
                .flat_map(|(_, r)| [r.start, r.end])
                .filter(|p| real.contains(p) || *p == real.end)
                .collect();
            let shown_line = ShownLine::new(text, real.clone(), &points, view.text.len());
            for (k, (_, range)) in spans.iter().enumerate() {
                if real.contains(&range.start) || range.start == real.end {
                    let at = shown_line.position(text, range.start);
                    mapped[k].start = at;
                    view.anchors.push((at, range.start));
                }
                if real.contains(&range.end) || range.end == real.end {
                    mapped[k].end = shown_line.position(text, range.end);
                }
            }
            let start = view.text.len();
            view.text.push_str(&shown_line.text);
            view.text.push('\n');
            view.lines.insert(line, start..view.text.len());
            view.starts.push((start, line));
        }
        for range in &mut mapped {
            range.end = range.end.max(range.start);
        }
        (view, mapped)
    }
}

/// One line as shown: the window `shown` of the real line, escaped.
struct ShownLine {
    text: String,
    /// Where the line starts in the view's text.
    offset: usize,
    window: Range<usize>,
    lead: usize,
}

impl ShownLine {
    fn new(text: &str, real: Range<usize>, points: &[usize], offset: usize) -> ShownLine {
        let window = if real.len() <= SNIPPET_WIDTH {
            real.clone()
        } else {
            let anchor = points.iter().copied().min().unwrap_or(real.start);
            let mut start = anchor.saturating_sub(WINDOW_LEAD).max(real.start);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + SNIPPET_WIDTH).min(real.end);
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            start..end
        };
        let mut shown = String::new();
        if window.start > real.start {
            shown.push_str(ELLIPSIS);
        }
        let lead = shown.len();
        for c in text[window.clone()].chars() {
            push_terminal_safe(&mut shown, c);
        }
        if window.end < real.end {
            shown.push_str(ELLIPSIS);
        }
        ShownLine {
            text: shown,
            offset,
            window,
            lead,
        }
    }

    /// Where a real byte offset of this line is in the view's text; offsets
    /// outside the window go to the window's edge.
    fn position(&self, text: &str, real: usize) -> usize {
        let at = real.clamp(self.window.start, self.window.end);
        let mut escaped = String::new();
        for c in text[self.window.start..at].chars() {
            push_terminal_safe(&mut escaped, c);
        }
        self.offset + self.lead + escaped.len()
    }
}

impl<'a> Files<'a> for Snippet<'a> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.view(id)?.name)
    }
    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.view(id)?.text)
    }
    /// The real line index of a position in the view.
    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        let view = self.view(id)?;
        let at = view
            .starts
            .partition_point(|(start, _)| *start <= byte_index);
        Ok(view.starts[at.saturating_sub(1)].1)
    }
    fn line_number(&'a self, _: FileId, line_index: usize) -> Result<usize, FilesError> {
        Ok(line_index + 1)
    }
    /// The column in the real file, counted in characters.
    fn column_number(
        &'a self,
        id: FileId,
        _: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let view = self.view(id)?;
        let real = view
            .anchors
            .iter()
            .find(|(at, _)| *at == byte_index)
            .map_or(0, |(_, real)| *real);
        Ok(self.sources.get(id).line_col(real).column)
    }
    /// A shown line's range in the view; a line not shown is empty (codespan
    /// walks every line of a multi-line label but renders only the shown).
    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let view = self.view(id)?;
        Ok(view.lines.get(&line_index).cloned().unwrap_or(0..0))
    }
}
