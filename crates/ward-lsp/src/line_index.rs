//! Byte offsets <-> LSP positions. LSP counts columns in UTF-16 code units;
//! Ward spans are byte offsets into the normalised text (LF line ends, no
//! BOM). The index works on that text; positions out of range are clamped
//! (past the last line: end of text; past a line's end: that line's end; in
//! the middle of a character: its start), never rejected.

use lsp_types::{Position, Range};

#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of the start of each line.
    line_starts: Vec<u32>,
    len: u32,
    /// Whether the text as the client sees it starts with a BOM: one UTF-16
    /// unit on line 0 that the normalised text lacks.
    bom: bool,
    /// Lines that hold non-ASCII characters; for the rest, byte column ==
    /// UTF-16 column, which keeps conversion O(1) on typical source.
    non_ascii: Vec<bool>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        LineIndex::with_bom(text, false)
    }

    pub fn with_bom(text: &str, bom: bool) -> LineIndex {
        let mut line_starts = vec![0u32];
        let mut non_ascii = vec![false];
        for (i, byte) in text.bytes().enumerate() {
            if byte == b'\n' {
                line_starts.push(i as u32 + 1);
                non_ascii.push(false);
            } else if byte >= 0x80 {
                *non_ascii.last_mut().expect("one line at least") = true;
            }
        }
        LineIndex {
            line_starts,
            len: text.len() as u32,
            bom,
            non_ascii,
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The byte range of a line, without its line feed.
    fn line_bounds(&self, text: &str, line: usize) -> (usize, usize) {
        let start = self.line_starts[line] as usize;
        let mut end = self
            .line_starts
            .get(line + 1)
            .map_or(self.len as usize, |n| *n as usize - 1);
        // A CR before the LF (text not normalised) is not part of the line.
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        (start, end)
    }

    /// The byte offset of a position, clamped into the text.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let line = position.line as usize;
        if line >= self.line_starts.len() {
            return self.len as usize;
        }
        let (start, end) = self.line_bounds(text, line);
        let mut column = position.character as usize;
        if self.bom && line == 0 {
            column = column.saturating_sub(1);
        }
        let line_text = &text[start..end];
        if !self.non_ascii[line] {
            return start + column.min(line_text.len());
        }
        let mut units = 0usize;
        for (byte, ch) in line_text.char_indices() {
            let width = ch.len_utf16();
            if units + width > column {
                return start + byte;
            }
            units += width;
        }
        end
    }

    /// The position of a byte offset (clamped; an offset inside a character
    /// maps to that character's start).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(self.len as usize);
        while offset > 0 && !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.line_starts.binary_search(&(offset as u32)) {
            Ok(line) => line,
            Err(next) => next - 1,
        };
        let start = self.line_starts[line] as usize;
        let mut column = if self.non_ascii[line] {
            text[start..offset].encode_utf16().count()
        } else {
            offset - start
        };
        if self.bom && line == 0 {
            column += 1;
        }
        Position {
            line: line as u32,
            character: column as u32,
        }
    }

    pub fn range(&self, text: &str, start: usize, end: usize) -> Range {
        Range {
            start: self.position(text, start),
            end: self.position(text, end),
        }
    }

    /// The byte range of an LSP range; a reversed range is ordered.
    pub fn byte_range(&self, text: &str, range: Range) -> std::ops::Range<usize> {
        let a = self.offset(text, range.start);
        let b = self.offset(text, range.end);
        a.min(b)..a.max(b)
    }

    /// The position just past the end of the text.
    pub fn end_position(&self, text: &str) -> Position {
        self.position(text, self.len as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn ascii_round_trip() {
        let text = "zone a {}\nzone b {}\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        assert_eq!(index.position(text, 0), pos(0, 0));
        assert_eq!(index.position(text, 10), pos(1, 0));
        assert_eq!(index.position(text, 15), pos(1, 5));
        assert_eq!(index.offset(text, pos(1, 5)), 15);
        assert_eq!(index.position(text, text.len()), pos(2, 0));
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs_as_two() {
        // "é" is 2 bytes / 1 unit, "😀" 4 bytes / 2 units.
        let text = "a é😀 b\nx";
        let index = LineIndex::new(text);
        let b = text.find('b').unwrap();
        assert_eq!(index.position(text, b), pos(0, 6));
        assert_eq!(index.offset(text, pos(0, 6)), b);
        // Inside the surrogate pair: the character's start.
        let emoji = text.find('😀').unwrap();
        assert_eq!(index.offset(text, pos(0, 4)), emoji);
        // A byte offset inside a character maps to its start.
        assert_eq!(index.position(text, emoji + 1), pos(0, 3));
    }

    #[test]
    fn out_of_range_positions_are_clamped() {
        let text = "abc\ndef";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, pos(0, 99)), 3);
        assert_eq!(index.offset(text, pos(1, 99)), 7);
        assert_eq!(index.offset(text, pos(42, 0)), 7);
        assert_eq!(index.position(text, 1000), pos(1, 3));
        let reversed = Range {
            start: pos(1, 1),
            end: pos(0, 1),
        };
        assert_eq!(index.byte_range(text, reversed), 1..5);
    }

    #[test]
    fn crlf_is_not_part_of_the_line() {
        let text = "ab\r\ncd";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, pos(0, 10)), 2);
        assert_eq!(index.offset(text, pos(1, 1)), 5);
    }

    #[test]
    fn bom_shifts_the_first_line_only() {
        let text = "ab\ncd";
        let index = LineIndex::with_bom(text, true);
        assert_eq!(index.position(text, 1), pos(0, 2));
        assert_eq!(index.offset(text, pos(0, 2)), 1);
        assert_eq!(index.offset(text, pos(0, 0)), 0);
        assert_eq!(index.position(text, 4), pos(1, 1));
    }

    #[test]
    fn empty_text() {
        let index = LineIndex::new("");
        assert_eq!(index.position("", 0), pos(0, 0));
        assert_eq!(index.offset("", pos(3, 3)), 0);
        assert_eq!(index.end_position(""), pos(0, 0));
    }
}
