//! Where an entry is in the input text, for diagnostics and origin
//! comments. serde_yaml_ng and serde_json report positions of syntax and
//! type errors but keep none for values that parsed, so the position of an
//! entry is found by its line: `key: value` (YAML), `"key": "value"`
//! (JSON) or a list item `- value`, at or after a given line. A miss gives
//! `None` (the diagnostic then points at the file), never a wrong guess
//! of another kind: the key is part of the match.

use crate::ir::Location;

pub struct Locator<'a> {
    lines: Vec<&'a str>,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Locator<'a> {
        Locator {
            lines: text.lines().collect(),
        }
    }

    /// The n-th line (0-based `nth`) from `after` on that matches.
    fn find(
        &self,
        after: Option<usize>,
        nth: usize,
        matches: impl Fn(&str) -> Option<usize>,
    ) -> Option<Location> {
        let start = after.unwrap_or(1).max(1) - 1;
        self.lines
            .iter()
            .enumerate()
            .skip(start)
            .filter_map(|(i, line)| {
                matches(line).map(|byte| Location {
                    line: i + 1,
                    column: line[..byte].chars().count() + 1,
                })
            })
            .nth(nth)
    }

    /// A line whose key is `key` (`key:` or `"key":`), value or not.
    pub fn key(&self, key: &str, after: Option<usize>) -> Option<Location> {
        self.find(after, 0, |line| key_at(line, key).map(|(at, _)| at))
    }

    /// The least indented line whose key is `key`: the top-level entry
    /// of an indented file (the first of equals).
    pub fn top_key(&self, key: &str) -> Option<Location> {
        let mut best: Option<(usize, Location)> = None;
        for (i, line) in self.lines.iter().enumerate() {
            if let Some((at, _)) = key_at(line, key) {
                if best.is_none_or(|(indent, _)| at < indent) {
                    let column = line[..at].chars().count() + 1;
                    best = Some((
                        at,
                        Location {
                            line: i + 1,
                            column,
                        },
                    ));
                }
            }
        }
        best.map(|(_, location)| location)
    }

    /// A line `key: value` (quotes allowed around either).
    pub fn value(&self, key: &str, value: &str, after: Option<usize>) -> Option<Location> {
        self.value_nth(key, value, 0)
            .filter(|_| after.is_none())
            .or_else(|| self.find(after, 0, |line| value_at(line, key, value)))
    }

    /// The n-th line `key: value` in the whole text.
    pub fn value_nth(&self, key: &str, value: &str, nth: usize) -> Option<Location> {
        self.find(None, nth, |line| value_at(line, key, value))
    }

    /// A YAML list item `- value` (or an item of a `[a, b]` flow list, or
    /// a JSON string `"value"`) at or after `after`.
    pub fn list_item(&self, value: &str, after: Option<usize>) -> Option<Location> {
        self.find(after, 0, |line| {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            if let Some(rest) = trimmed.strip_prefix("- ") {
                if unquote(rest.trim()) == value {
                    return Some(indent + 2);
                }
            }
            for quoted in [format!("\"{value}\""), format!("'{value}'")] {
                if let Some(at) = line.find(&quoted) {
                    return Some(at);
                }
            }
            None
        })
    }
}

/// The key's position and the text after its colon, when `line` is
/// `key: ...` or `"key": ...` (with list-item dashes and spaces before).
fn key_at<'l>(line: &'l str, key: &str) -> Option<(usize, &'l str)> {
    let trimmed = line.trim_start_matches([' ', '\t', '-']);
    let start = line.len() - trimmed.len();
    for spelled in [key.to_string(), format!("\"{key}\""), format!("'{key}'")] {
        if let Some(rest) = trimmed.strip_prefix(spelled.as_str()) {
            if let Some(value) = rest.trim_start().strip_prefix(':') {
                return Some((start, value));
            }
        }
    }
    None
}

fn value_at(line: &str, key: &str, value: &str) -> Option<usize> {
    let (at, rest) = key_at(line, key)?;
    let rest = rest.trim().trim_end_matches(',');
    let rest = rest.split(" #").next().unwrap_or(rest).trim();
    (unquote(rest) == value).then_some(at)
}

fn unquote(text: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = text.strip_prefix(quote).and_then(|t| t.strip_suffix(quote)) {
            return inner;
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_values_and_items() {
        let text = "a:\n  id: x\n  list:\n    - y\n  id: 'x'\n\"id\": \"z\",\n";
        let at = Locator::new(text);
        assert_eq!(
            at.value("id", "x", None),
            Some(Location { line: 2, column: 3 })
        );
        assert_eq!(
            at.value_nth("id", "x", 1),
            Some(Location { line: 5, column: 3 })
        );
        assert_eq!(
            at.value("id", "z", None),
            Some(Location { line: 6, column: 1 })
        );
        assert_eq!(
            at.list_item("y", Some(2)),
            Some(Location { line: 4, column: 7 })
        );
        assert_eq!(at.key("list", None), Some(Location { line: 3, column: 3 }));
        assert_eq!(at.top_key("id"), Some(Location { line: 6, column: 1 }));
        assert_eq!(at.value("id", "w", None), None);
    }
}
