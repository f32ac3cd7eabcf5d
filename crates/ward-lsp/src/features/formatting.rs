//! Formatting through `ward_syntax::format`. The result is returned as
//! line hunks (so the client keeps cursors and folds outside them); range
//! formatting returns the hunks that touch the range, unless applying only
//! those would not parse, in which case it falls back to all of them.

use crate::line_index::LineIndex;
use lsp_types::{Range, TextEdit};
use ward_diagnostics::FileId;

/// Why a document could not be formatted.
pub struct Refused(pub String);

pub fn format_document(text: &str, index: &LineIndex) -> Result<Vec<TextEdit>, Refused> {
    let formatted = format(text)?;
    Ok(edits(text, index, &diff_lines(text, &formatted)))
}

pub fn format_range(text: &str, index: &LineIndex, range: Range) -> Result<Vec<TextEdit>, Refused> {
    let formatted = format(text)?;
    let hunks = diff_lines(text, &formatted);
    let (first, last) = (
        range.start.line as usize,
        range.end.line.max(range.start.line) as usize,
    );
    let touching: Vec<Hunk> = hunks
        .iter()
        .filter(|h| {
            if h.old.is_empty() {
                h.old.start >= first && h.old.start <= last + 1
            } else {
                h.old.start <= last && h.old.end > first
            }
        })
        .cloned()
        .collect();
    if touching.len() == hunks.len() || parses(&apply(text, &touching)) {
        Ok(edits(text, index, &touching))
    } else {
        Ok(edits(text, index, &hunks))
    }
}

fn format(text: &str) -> Result<String, Refused> {
    ward_syntax::format(text, FileId(0)).map_err(|errors| {
        let first = errors
            .first()
            .map_or_else(String::new, |e| format!(": {}", e.message));
        Refused(format!("cannot format a file with syntax errors{first}"))
    })
}

fn parses(text: &str) -> bool {
    !ward_syntax::parse(text, FileId(0)).has_errors()
}

/// Old lines `old` (indexes) are replaced by the formatted lines `new`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Hunk {
    old: std::ops::Range<usize>,
    new: std::ops::Range<usize>,
    text: String,
}

/// Lines with their line feeds.
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// Largest middle part (old lines x new lines) diffed line by line; beyond
/// it, the middle is one hunk.
const MAX_CELLS: usize = 4_000_000;

fn diff_lines(old_text: &str, new_text: &str) -> Vec<Hunk> {
    let old = lines(old_text);
    let new = lines(new_text);
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (old_mid, new_mid) = (
        &old[prefix..old.len() - suffix],
        &new[prefix..new.len() - suffix],
    );
    if old_mid.is_empty() && new_mid.is_empty() {
        return Vec::new();
    }
    let pairs = if old_mid.len().saturating_mul(new_mid.len()) <= MAX_CELLS {
        common_lines(old_mid, new_mid)
    } else {
        Vec::new()
    };
    // Walk the matched pairs; the gaps between them are hunks.
    let mut hunks = Vec::new();
    let (mut i, mut j) = (0, 0);
    for (a, b) in pairs
        .into_iter()
        .chain(std::iter::once((old_mid.len(), new_mid.len())))
    {
        if a > i || b > j {
            hunks.push(Hunk {
                old: prefix + i..prefix + a,
                new: prefix + j..prefix + b,
                text: new_mid[j..b].concat(),
            });
        }
        i = a + 1;
        j = b + 1;
    }
    hunks
}

/// A longest common subsequence of lines, as index pairs in order.
fn common_lines(a: &[&str], b: &[&str]) -> Vec<(usize, usize)> {
    let (n, m) = (a.len(), b.len());
    // lengths[i][j]: LCS of a[i..] and b[j..].
    let mut lengths = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lengths[at(i, j)] = if a[i] == b[j] {
                lengths[at(i + 1, j + 1)] + 1
            } else {
                lengths[at(i + 1, j)].max(lengths[at(i, j + 1)])
            };
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            pairs.push((i, j));
            i += 1;
            j += 1;
        } else if lengths[at(i + 1, j)] >= lengths[at(i, j + 1)] {
            i += 1;
        } else {
            j += 1;
        }
    }
    pairs
}

/// Byte offset of the start of each line, plus the text's end.
fn line_offsets(text: &str) -> Vec<usize> {
    let mut offsets = vec![0];
    offsets.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    if *offsets.last().expect("one line at least") != text.len() {
        offsets.push(text.len());
    }
    offsets
}

fn byte_range(offsets: &[usize], hunk: &Hunk) -> std::ops::Range<usize> {
    let end = *offsets.last().expect("one offset at least");
    let at = |line: usize| offsets.get(line).copied().unwrap_or(end);
    at(hunk.old.start)..at(hunk.old.end)
}

fn edits(text: &str, index: &LineIndex, hunks: &[Hunk]) -> Vec<TextEdit> {
    let offsets = line_offsets(text);
    hunks
        .iter()
        .map(|hunk| {
            let bytes = byte_range(&offsets, hunk);
            TextEdit {
                range: index.range(text, bytes.start, bytes.end),
                new_text: hunk.text.clone(),
            }
        })
        .collect()
}

fn apply(text: &str, hunks: &[Hunk]) -> String {
    let offsets = line_offsets(text);
    let mut out = text.to_owned();
    for hunk in hunks.iter().rev() {
        out.replace_range(byte_range(&offsets, hunk), &hunk.text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(old: &str, new: &str) -> Vec<Hunk> {
        let hunks = diff_lines(old, new);
        assert_eq!(apply(old, &hunks), new, "hunks {hunks:?}");
        hunks
    }

    #[test]
    fn diff_round_trips() {
        assert!(check("a\nb\n", "a\nb\n").is_empty());
        assert_eq!(check("a\nx\nc\n", "a\nb\nc\n").len(), 1);
        assert_eq!(check("a\nx\nc\ny\ne\n", "a\nb\nc\nd\ne\n").len(), 2);
        check("", "a\n");
        check("a\n", "");
        check("a", "a\n");
        check("a\nb", "b\n");
        check("x\ny\nz\n", "y\n");
    }

    #[test]
    fn formats_and_refuses_syntax_errors() {
        let text = "zone  a   \"A\" {  trust: hostile }\n";
        let index = LineIndex::new(text);
        let edits = format_document(text, &index).ok().unwrap();
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0].new_text, "zone a \"A\" { trust: hostile }\n");
        let broken = "zone a {\n";
        assert!(format_document(broken, &LineIndex::new(broken)).is_err());
    }

    #[test]
    fn range_formatting_keeps_other_hunks() {
        let text = "zone  a {}\n\nzone b {}\n\nzone  c {}\n";
        let index = LineIndex::new(text);
        let range = Range::new(
            lsp_types::Position::new(4, 0),
            lsp_types::Position::new(4, 3),
        );
        let edits = format_range(text, &index, range).ok().unwrap();
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0].range.start.line, 4);
        assert_eq!(edits[0].new_text, "zone c {}\n");
    }
}
