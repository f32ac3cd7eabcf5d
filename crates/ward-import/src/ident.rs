//! Ward identifiers from other tools' names: `[A-Za-z_][A-Za-z0-9_]*`
//! (docs/language.md §2.2), never a reserved word, unique in the model's
//! one namespace (and apart from the standard library's ids).

use std::collections::HashSet;

/// The longest identifier made from a name (longer names are cut).
const MAX_IDENT_CHARS: usize = 48;

/// Hands out identifiers, each once.
#[derive(Debug, Default)]
pub struct Idents {
    taken: HashSet<String>,
}

impl Idents {
    /// An allocator that never returns one of `reserved` (the standard
    /// library's declarations, which share the model's namespace).
    pub fn new<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Idents {
        Idents {
            taken: reserved.into_iter().map(str::to_owned).collect(),
        }
    }

    /// Takes `id` as it is (a declaration written verbatim): no fresh
    /// identifier is ever `id`.
    pub fn take(&mut self, id: &str) {
        self.taken.insert(id.to_owned());
    }

    /// A fresh identifier for `name`: lower-case ASCII letters, digits and
    /// `_` (accents dropped, anything else a word break), `unnamed_KIND`
    /// when nothing is left, prefixed `id_` when it starts with a digit,
    /// suffixed
    /// `_2`, `_3` ... when taken or a reserved word.
    pub fn fresh(&mut self, name: &str, kind: &str) -> String {
        let mut base = sanitize(name);
        if base.is_empty() {
            base = format!("unnamed_{kind}");
        } else if base.starts_with(|c: char| c.is_ascii_digit()) {
            base = format!("id_{base}");
        }
        let mut candidate = base.clone();
        let mut n = 2;
        while self.taken.contains(&candidate) || ward_syntax::keywords::is_reserved(&candidate) {
            candidate = format!("{base}_{n}");
            n += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }
}

/// `name` as lower-case `snake_case` ASCII, at most [`MAX_IDENT_CHARS`].
pub fn sanitize(name: &str) -> String {
    let mut out = String::new();
    let mut pending_break = false;
    for c in name.chars() {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            if pending_break && !out.is_empty() {
                out.push('_');
            }
            pending_break = false;
            out.push(c.to_ascii_lowercase());
        } else if c == '\'' || c == '\u{2019}' {
            // "Customer's" reads as one word.
        } else {
            pending_break = true;
        }
        if out.len() >= MAX_IDENT_CHARS {
            break;
        }
    }
    out.truncate(MAX_IDENT_CHARS);
    out.trim_end_matches('_').to_string()
}

/// The base letter of a Latin letter with a diacritic; other characters as
/// they are.
fn fold_accent(c: char) -> char {
    const TABLE: [(&str, char); 12] = [
        ("àáâãäåā", 'a'),
        ("çćč", 'c'),
        ("ď", 'd'),
        ("èéêëēěę", 'e'),
        ("ìíîïī", 'i'),
        ("ñńň", 'n'),
        ("òóôõöøō", 'o'),
        ("ř", 'r'),
        ("śšß", 's'),
        ("ť", 't'),
        ("ùúûüūů", 'u'),
        ("ýÿžźż", 'y'),
    ];
    let lower: char = c.to_lowercase().next().unwrap_or(c);
    for (letters, base) in TABLE {
        if letters.contains(lower) {
            // ž, ź, ż read as z.
            return if "žźż".contains(lower) { 'z' } else { base };
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_valid_unique_identifiers() {
        let mut ids = Idents::new(["spoofing_rule"]);
        assert_eq!(ids.fresh("Customer Web Client", "e"), "customer_web_client");
        assert_eq!(
            ids.fresh("customer-web-client", "e"),
            "customer_web_client_2"
        );
        assert_eq!(ids.fresh("Müller's Zürich DB", "e"), "mullers_zurich_db");
        assert_eq!(ids.fresh("3rd party", "actor"), "id_3rd_party");
        assert_eq!(ids.fresh("数据库", "data"), "unnamed_data");
        assert_eq!(ids.fresh("☃", "data"), "unnamed_data_2");
        assert_eq!(ids.fresh("flow", "f"), "flow_2");
        assert_eq!(ids.fresh("In", "z"), "in_2");
        assert_eq!(ids.fresh("spoofing rule", "r"), "spoofing_rule_2");
        assert_eq!(ids.fresh("  __a  b__ ", "x"), "a_b");
        let long = "x".repeat(200);
        assert_eq!(ids.fresh(&long, "x").len(), MAX_IDENT_CHARS);
    }

    #[test]
    fn every_identifier_matches_the_grammar() {
        let mut ids = Idents::new([]);
        for name in [
            "", "1", "_", "a\"b", "über", "\u{0}", "system", "true", "a/b\\c", "Ä",
        ] {
            let id = ids.fresh(name, "item");
            assert!(
                id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && !ward_syntax::keywords::is_reserved(&id),
                "{name:?} -> {id:?}"
            );
        }
    }
}
