//! Text from a model on its way to a terminal: control characters could
//! move the cursor, recolour, retitle the window or hide text (escape
//! sequences), and bidirectional overrides and zero-width characters could
//! reorder or hide what is shown (Trojan Source). Every such character is
//! shown as a Rust-style `\u{..}` escape instead.

use std::borrow::Cow;

/// True for a character that must not reach a terminal as itself: C0 and C1
/// controls (except newline and tab), DEL, bidirectional controls and
/// zero-width characters.
pub fn is_unsafe_for_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_invisible_format(c)
}

/// Bidirectional embeddings, overrides, isolates and marks, and zero-width
/// characters (and the BOM).
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// `text` with every [`is_unsafe_for_terminal`] character written as
/// `\u{..}`; borrowed when there is none.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_for_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_terminal_safe(&mut out, c);
    }
    Cow::Owned(out)
}

/// Pushes `c`, escaped when it is unsafe for a terminal.
pub fn push_terminal_safe(out: &mut String, c: char) {
    if is_unsafe_for_terminal(c) {
        out.push_str(&format!("\\u{{{:x}}}", c as u32));
    } else {
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_bidi_controls_are_shown_escaped() {
        assert_eq!(
            terminal_safe("a\u{1b}]0;pwned\u{7}b\u{202e}c\u{200b}\r\u{9b}"),
            "a\\u{1b}]0;pwned\\u{7}b\\u{202e}c\\u{200b}\\u{d}\\u{9b}"
        );
    }

    #[test]
    fn plain_text_newlines_and_tabs_are_kept_as_they_are() {
        let text = "line one\n\tline two: é ✓";
        assert!(matches!(terminal_safe(text), Cow::Borrowed(t) if t == text));
    }
}
