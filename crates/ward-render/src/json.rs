//! JSON laid out a record per line: objects and arrays are broken over
//! lines, indented by two spaces, down to a given depth, and written
//! compactly below it. `model.json` ([`write_records`]) puts each top-level
//! member, and each threat, flow or diagnostic, on one line, so it can be
//! read a line at a time; `findings.sarif` puts each result on one: less than half the size of
//! fully indented JSON on large models, and a change to one record is still
//! a one-line diff.

use serde::Serialize;
use serde_json::ser::Formatter;
use std::io::{self, Write};

/// `value` as JSON, containers nested `pretty_depth` deep or less broken
/// over lines (1: the top-level container only), with a final newline.
pub fn to_string_lines<T: Serialize + ?Sized>(value: &T, pretty_depth: usize) -> String {
    let mut out = Vec::with_capacity(1 << 16);
    write_lines(&mut out, value, pretty_depth).expect("serialising to memory never fails");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// [`to_string_lines`] written straight to `writer`, never whole in memory.
pub fn write_lines<W: Write + ?Sized, T: Serialize + ?Sized>(
    writer: &mut W,
    value: &T,
    pretty_depth: usize,
) -> io::Result<()> {
    write_with(writer, value, pretty_depth, pretty_depth)
}

/// A document of records, streamable line by line: each member of the
/// top-level object on its own line, written compactly, except arrays,
/// whose elements (the records) are each on a line of their own.
pub fn write_records<W: Write + ?Sized, T: Serialize + ?Sized>(
    writer: &mut W,
    value: &T,
) -> io::Result<()> {
    write_with(writer, value, 1, 2)
}

fn write_with<W: Write + ?Sized, T: Serialize + ?Sized>(
    writer: &mut W,
    value: &T,
    object_depth: usize,
    array_depth: usize,
) -> io::Result<()> {
    let formatter = LineFormatter {
        open: Vec::new(),
        object_depth,
        array_depth,
        has_value: false,
    };
    let mut serializer = serde_json::Serializer::with_formatter(&mut *writer, formatter);
    value.serialize(&mut serializer).map_err(io::Error::from)?;
    writer.write_all(b"\n")
}

struct LineFormatter {
    /// Containers open around the value being written, innermost last:
    /// `true` for an array.
    open: Vec<bool>,
    /// Objects nested this deep or less are broken over lines.
    object_depth: usize,
    /// Arrays nested this deep or less are broken over lines.
    array_depth: usize,
    /// The innermost open container has a value (as serde_json's
    /// `PrettyFormatter` tracks it).
    has_value: bool,
}

impl LineFormatter {
    /// Whether the innermost open container is broken over lines: only
    /// when every container around it is too.
    fn pretty(&self) -> bool {
        self.open.iter().enumerate().all(|(i, &array)| {
            i < if array {
                self.array_depth
            } else {
                self.object_depth
            }
        })
    }

    fn indent<W: ?Sized + Write>(&self, writer: &mut W) -> io::Result<()> {
        for _ in 0..self.open.len() {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }

    fn begin<W: ?Sized + Write>(&mut self, writer: &mut W, array: bool) -> io::Result<()> {
        self.open.push(array);
        self.has_value = false;
        writer.write_all(if array { b"[" } else { b"{" })
    }

    fn end<W: ?Sized + Write>(&mut self, writer: &mut W, close: &[u8]) -> io::Result<()> {
        let pretty = self.pretty();
        self.open.pop();
        if pretty && self.has_value {
            writer.write_all(b"\n")?;
            self.indent(writer)?;
        }
        writer.write_all(close)
    }

    fn item<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        if self.pretty() {
            writer.write_all(if first { b"\n" } else { b",\n" })?;
            self.indent(writer)
        } else if first {
            Ok(())
        } else {
            writer.write_all(b",")
        }
    }
}

impl Formatter for LineFormatter {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.begin(writer, true)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.end(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.begin(writer, false)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.end(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(if self.pretty() { b": " } else { b":" })
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    /// Strings keep their exact value, but bidi overrides, zero-width and
    /// C1 control characters are written as `\uXXXX` escapes (serde_json
    /// writes them raw), so the file cannot mislead whoever reads it.
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        if !crate::escape::has_hidden(fragment) {
            return writer.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (at, c) in fragment.char_indices() {
            if crate::escape::is_hidden(c) {
                writer.write_all(&fragment.as_bytes()[start..at])?;
                write!(writer, "\\u{:04x}", c as u32)?;
                start = at + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn containers_break_down_to_the_depth_and_records_stay_on_one_line() {
        let value = json!({
            "version": 2,
            "empty": [],
            "threats": [
                {"id": "a", "paths": [1, 2], "risk": {"overall": "review"}},
                {"id": "b \"quoted\"", "paths": []}
            ],
            "none": {}
        });
        let text = to_string_lines(&value, 2);
        assert_eq!(
            text,
            r#"{
  "version": 2,
  "empty": [],
  "threats": [
    {"id":"a","paths":[1,2],"risk":{"overall":"review"}},
    {"id":"b \"quoted\"","paths":[]}
  ],
  "none": {}
}
"#
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn invisible_characters_are_written_as_escapes_and_read_back_exactly() {
        let value = json!({"name": "a\u{202E}b\u{200B}c\u{85}d\u{1b}e\u{FEFF}"});
        let text = to_string_lines(&value, 1);
        assert_eq!(
            text,
            "{\n  \"name\": \"a\\u202eb\\u200bc\\u0085d\\u001be\\ufeff\"\n}\n"
        );
        assert!(!text.chars().any(crate::escape::is_hidden), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn records_are_each_on_a_line_and_other_members_on_one() {
        let value = json!({
            "version": 3,
            "policy": {"levels": ["low", "high"], "matrix": [[1, 2]]},
            "threats": [{"id": "a", "paths": [1]}, {"id": "b"}],
            "empty": []
        });
        let mut out = Vec::new();
        write_records(&mut out, &value).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            r#"{
  "version": 3,
  "policy": {"levels":["low","high"],"matrix":[[1,2]]},
  "threats": [
    {"id":"a","paths":[1]},
    {"id":"b"}
  ],
  "empty": []
}
"#
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn depth_one_puts_each_member_on_a_line() {
        let text = to_string_lines(&json!({"a": [1, {"b": 2}], "c": "d"}), 1);
        assert_eq!(text, "{\n  \"a\": [1,{\"b\":2}],\n  \"c\": \"d\"\n}\n");
        assert_eq!(to_string_lines(&json!([]), 1), "[]\n");
        assert_eq!(to_string_lines(&json!("x"), 1), "\"x\"\n");
    }
}
