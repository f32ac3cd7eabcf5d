//! Model text inside the Markdown the server sends (hover, inlay tooltips).
//! A title or doc comment is untrusted: unescaped, a code fence in it
//! closes the hover's fence, a link or image in it makes the editor fetch a
//! remote address, and raw HTML is HTML. Free text is shown as text (every
//! ASCII punctuation character backslash-escaped, as CommonMark allows),
//! and code spans and blocks get fences longer than any backtick run in
//! their content.

/// `text` as literal Markdown text: no emphasis, links, images, HTML,
/// headings or lists. Line breaks are kept.
pub fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `"text"`, escaped as [`text`].
pub fn quoted(value: &str) -> String {
    format!("\"{}\"", text(value))
}

/// An inline code span holding `text` verbatim.
pub fn code(text: &str) -> String {
    let fence = "`".repeat(longest_backtick_run(text) + 1);
    // A span that starts or ends with a backtick needs a space inside.
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A fenced code block in `language` holding `content` verbatim, ending in
/// a new line.
pub fn fenced(language: &str, content: &str) -> String {
    let fence = "`".repeat((longest_backtick_run(content) + 1).max(3));
    format!("{fence}{language}\n{content}\n{fence}\n")
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_is_escaped() {
        assert_eq!(
            text("![x](https://evil.example/p.png) <img src=x> **b**"),
            "\\!\\[x\\]\\(https\\:\\/\\/evil\\.example\\/p\\.png\\) \\<img src\\=x\\> \\*\\*b\\*\\*"
        );
        assert_eq!(text("Insulin pump"), "Insulin pump");
    }

    #[test]
    fn fences_outgrow_the_backticks_inside() {
        assert_eq!(
            fenced("ward", "zone z \"a\n```\nb\""),
            "````ward\nzone z \"a\n```\nb\"\n````\n"
        );
        assert_eq!(fenced("ward", "zone z"), "```ward\nzone z\n```\n");
        assert_eq!(code("a``b"), "```a``b```");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("pump"), "`pump`");
    }
}
