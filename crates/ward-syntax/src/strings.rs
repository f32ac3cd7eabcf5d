//! Decoding string literals (spec §1): `"..."` with `\" \\ \n \t \u{...}`
//! escapes, and `"""..."""`, which spans lines and is dedented.

use std::ops::Range;

/// A bad escape, as a byte range relative to the start of the literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct EscapeError {
    pub range: Range<usize>,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Decoded {
    pub value: String,
    pub triple: bool,
    pub errors: Vec<EscapeError>,
}

/// Decodes a literal as written, quotes included. An unterminated literal
/// decodes up to where it stops (the lexer reports it); bad escapes are kept
/// as written and reported.
pub(crate) fn decode(raw: &str) -> Decoded {
    if let Some(rest) = raw.strip_prefix("\"\"\"") {
        let body = &rest[..closing_triple(rest)];
        decode_triple(body, 3)
    } else {
        let rest = raw.strip_prefix('"').unwrap_or(raw);
        let end = closing_quote(rest);
        let mut value = String::with_capacity(end);
        let mut errors = Vec::new();
        unescape_into(&rest[..end], 1, &mut value, &mut errors);
        Decoded {
            value,
            triple: false,
            errors,
        }
    }
}

/// The end of a one-line string's body: its unescaped closing quote.
fn closing_quote(body: &str) -> usize {
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' | b'\n' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The end of a triple-quoted body: its unescaped closing `"""`.
fn closing_triple(body: &str) -> usize {
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' if bytes[i..].starts_with(b"\"\"\"") => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Drops the line break after the opening quotes and a final
/// whitespace-only line, removes the common leading whitespace of the
/// non-blank lines, then applies escapes line by line.
fn decode_triple(body: &str, body_offset: usize) -> Decoded {
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut start = 0;
    for (i, b) in body.bytes().enumerate() {
        if b == b'\n' {
            lines.push((start, &body[start..i]));
            start = i + 1;
        }
    }
    lines.push((start, &body[start..]));

    let is_blank = |s: &str| s.bytes().all(|b| b == b' ' || b == b'\t');
    if lines.len() > 1 && is_blank(lines[0].1) {
        lines.remove(0);
    }
    if lines.len() > 1 && is_blank(lines[lines.len() - 1].1) {
        lines.pop();
    }
    if lines.len() == 1 && is_blank(lines[0].1) {
        lines.clear();
    }

    let indent = common_indent(lines.iter().map(|(_, l)| *l).filter(|l| !is_blank(l)));
    let mut value = String::with_capacity(body.len());
    let mut errors = Vec::new();
    for (n, (offset, line)) in lines.iter().enumerate() {
        if n > 0 {
            value.push('\n');
        }
        if is_blank(line) {
            continue;
        }
        let cut = indent.min(line.len());
        unescape_into(
            &line[cut..],
            body_offset + offset + cut,
            &mut value,
            &mut errors,
        );
    }
    Decoded {
        value,
        triple: true,
        errors,
    }
}

/// The length of the longest leading-whitespace prefix shared by all lines.
fn common_indent<'a>(mut lines: impl Iterator<Item = &'a str>) -> usize {
    let Some(first) = lines.next() else { return 0 };
    let lead = |s: &'a str| &s[..s.len() - s.trim_start_matches([' ', '\t']).len()];
    let mut prefix = lead(first);
    for line in lines {
        let other = lead(line);
        let shared = prefix
            .bytes()
            .zip(other.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        prefix = &prefix[..shared];
    }
    prefix.len()
}

/// Appends `text` with escapes applied; `offset` is where `text` starts in
/// the literal, for error ranges.
fn unescape_into(text: &str, offset: usize, out: &mut String, errors: &mut Vec<EscapeError>) {
    let mut i = 0;
    while i < text.len() {
        let Some(slash) = text[i..].find('\\') else {
            out.push_str(&text[i..]);
            return;
        };
        out.push_str(&text[i..i + slash]);
        i += slash;
        let Some(next) = text[i + 1..].chars().next() else {
            errors.push(EscapeError {
                range: offset + i..offset + i + 1,
                message: "a `\\` must be followed by an escape character".into(),
            });
            out.push('\\');
            return;
        };
        let simple = match next {
            '"' => Some('"'),
            '\\' => Some('\\'),
            'n' => Some('\n'),
            't' => Some('\t'),
            _ => None,
        };
        if let Some(ch) = simple {
            out.push(ch);
            i += 2;
            continue;
        }
        let (len, message) = if next == 'u' {
            match unicode_escape(&text[i + 2..]) {
                Ok((ch, len)) => {
                    out.push(ch);
                    i += 2 + len;
                    continue;
                }
                Err((len, message)) => (2 + len, message),
            }
        } else if next == '\n' {
            (
                1,
                "unknown escape: `\\` followed by a line break".to_string(),
            )
        } else {
            (1 + next.len_utf8(), format!("unknown escape `\\{next}`"))
        };
        errors.push(EscapeError {
            range: offset + i..offset + i + len,
            message,
        });
        out.push_str(&text[i..i + len]);
        i += len;
    }
}

/// Reads `{XXXX}` after `\u`: the char and the bytes read, or the bytes to
/// report and why.
fn unicode_escape(rest: &str) -> Result<(char, usize), (usize, String)> {
    if !rest.starts_with('{') {
        return Err((
            0,
            "a unicode escape is written `\\u{...}` with 1 to 6 hex digits".into(),
        ));
    }
    let close = rest.bytes().take(9).position(|b| b == b'}');
    let Some(close) = close else {
        let len = rest
            .bytes()
            .take_while(|b| b.is_ascii_hexdigit() || *b == b'{')
            .count();
        return Err((
            len,
            "unclosed unicode escape: expected `}` after 1 to 6 hex digits".into(),
        ));
    };
    let digits = &rest[1..close];
    if digits.is_empty() || digits.len() > 6 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err((
            close + 1,
            format!("invalid unicode escape `\\u{{{digits}}}`: expected 1 to 6 hex digits"),
        ));
    }
    let code = u32::from_str_radix(digits, 16).unwrap_or(u32::MAX);
    match char::from_u32(code) {
        Some(ch) => Ok((ch, close + 1)),
        None => Err((
            close + 1,
            format!("`\\u{{{digits}}}` is not a unicode scalar value"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(raw: &str) -> String {
        let d = decode(raw);
        assert!(d.errors.is_empty(), "{raw}: {:?}", d.errors);
        d.value
    }

    #[test]
    fn plain_and_escapes() {
        assert_eq!(value(r#""abc""#), "abc");
        assert_eq!(value(r#""""#), "");
        assert_eq!(value(r#""a\"b\\c\nd\te""#), "a\"b\\c\nd\te");
        assert_eq!(value(r#""\u{1F600} \u{41}\u{e9}""#), "\u{1F600} A\u{e9}");
        assert_eq!(value("\"héllo wörld\""), "héllo wörld");
    }

    #[test]
    fn invalid_escapes_are_errors_and_kept_as_written() {
        let d = decode(r#""a\qb""#);
        assert_eq!(d.value, "a\\qb");
        assert_eq!(d.errors.len(), 1);
        assert_eq!(d.errors[0].range, 2..4);
        assert!(
            d.errors[0].message.contains("`\\q`"),
            "{}",
            d.errors[0].message
        );

        for bad in [
            r#""\u{}""#,
            r#""\u{1234567}""#,
            r#""\u{D800}""#,
            r#""\u{110000}""#,
            r#""\u41""#,
            r#""\u{zz}""#,
            r#""\u{41""#,
        ] {
            let d = decode(bad);
            assert_eq!(d.errors.len(), 1, "{bad}: {:?}", d.errors);
            assert_eq!(d.errors[0].range.start, 1, "{bad}");
        }
    }

    #[test]
    fn unterminated_decodes_what_is_there() {
        assert_eq!(decode("\"abc").value, "abc");
        assert_eq!(decode("\"abc\\\"").value, "abc\"");
        assert_eq!(decode("\"\"\"\n  abc\n").value, "abc");
    }

    #[test]
    fn triple_quoted_dedent() {
        let raw = "\"\"\"\n    Patch pump, CGM\n      indented\n\n    and app.\n  \"\"\"";
        assert_eq!(value(raw), "Patch pump, CGM\n  indented\n\nand app.");
        assert_eq!(value("\"\"\"one line\"\"\""), "one line");
        assert_eq!(value("\"\"\"\"\"\""), "");
        assert_eq!(value("\"\"\"\n\"\"\""), "");
        // The final line is kept when it has text.
        assert_eq!(value("\"\"\"\n  a\n  b\"\"\""), "a\nb");
        // Quotes inside, and escapes after dedent.
        assert_eq!(
            value("\"\"\"\n  say \"hi\"\n  \\tx\\u{41}\n\"\"\""),
            "say \"hi\"\n\txA"
        );
        // Tabs count as written; a blank line inside does not limit the indent.
        assert_eq!(value("\"\"\"\n\t\ta\n\n\t\tb\n\t\"\"\""), "a\n\nb");
    }

    #[test]
    fn triple_quoted_escape_errors_point_into_the_source() {
        let raw = "\"\"\"\n    ok\n    bad \\x\n\"\"\"";
        let d = decode(raw);
        assert_eq!(d.errors.len(), 1);
        assert_eq!(&raw[d.errors[0].range.clone()], "\\x");
    }
}
