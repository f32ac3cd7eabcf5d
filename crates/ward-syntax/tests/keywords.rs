//! `ward_syntax::keywords` is the one declaration of Ward's reserved words.
//! The parser and the language server read it; the files that cannot (the
//! pest grammar, the TextMate grammar, the spec, the docs, the fuzzing
//! dictionary) are checked against it here, so adding or renaming a keyword
//! fails until every copy says the same.

mod common;

use std::collections::BTreeSet;
use ward_diagnostics::FileId;
use ward_syntax::ast::{DeclKind, Item};
use ward_syntax::keywords::{
    BOOLEANS, DECLARATIONS, ITEM_STARTERS, OPERATORS, RESERVED_WORDS, USE,
};
use ward_syntax::{codes, parse};

/// Declarations with a header of their own in the grammar (not `decl_kw`).
const OWN_HEADER: [&str; 3] = ["flow", "accept", "disposition"];

fn set<'a>(words: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    words.into_iter().map(str::to_string).collect()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(common::repo_root().join(path))
        .unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// The text of `text` from just after `start` up to the next `end`.
fn between<'a>(text: &'a str, start: &str, end: &str, what: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{what}: `{start}` not found"))
        + start.len();
    let to = text[from..]
        .find(end)
        .unwrap_or_else(|| panic!("{what}: no `{end}` after `{start}`"));
    &text[from..from + to]
}

/// Every word of `[a-z_]` letters in `text`.
fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_lowercase() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The `"..."` literals of `text`.
fn quoted(text: &str) -> BTreeSet<String> {
    text.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn declaration_keywords_but(except: &[&str]) -> BTreeSet<String> {
    set(DECLARATIONS.into_iter().filter(|k| !except.contains(k)))
}

#[test]
fn the_pest_grammar_spells_the_same_keywords() {
    let pest = read("grammar/ward.pest");
    let decl_kw = between(&pest, "decl_kw = @{", "~ !ident_char", "decl_kw");
    assert_eq!(quoted(decl_kw), declaration_keywords_but(&OWN_HEADER));
    // `kw_WORD = @{ "WORD" ~ !ident_char }`, one rule per other keyword.
    let mut kw_rules = BTreeSet::new();
    for line in pest.lines().filter(|l| l.starts_with("kw_")) {
        let (name, body) = line.split_once('=').expect("a rule");
        let word = name.trim().trim_start_matches("kw_");
        assert_eq!(quoted(body), set([word]), "{line}");
        kw_rules.insert(word.to_string());
    }
    let mut expected = set(OWN_HEADER.into_iter().chain([USE]));
    expected.extend(set(OPERATORS));
    assert_eq!(kw_rules, expected);
    let boolean = between(&pest, "boolean = @{", "~ !ident_char", "boolean");
    assert_eq!(quoted(boolean), set(BOOLEANS));
    // An attribute of `when` is any identifier but an operator.
    let attr_path = between(&pest, "attr_path  = { !(", ")", "attr_path");
    assert_eq!(words(&attr_path.replace("kw_", "")), set(OPERATORS));
    // Recovery resumes at a line whose first word starts an item.
    let sync_word = between(&pest, "sync_word  = _{ (", ")", "sync_word");
    let mut starters = BTreeSet::new();
    for rule in words(sync_word) {
        match rule.strip_prefix("kw_") {
            Some(word) => starters.insert(word.to_string()),
            None => {
                assert_eq!(rule, "decl_kw");
                starters.extend(quoted(decl_kw));
                true
            }
        };
    }
    assert_eq!(starters, set(ITEM_STARTERS));
}

#[test]
fn the_textmate_grammar_spells_the_same_keywords() {
    let json = read("editors/vscode/syntaxes/ward.tmLanguage.json");
    // Each end of a block, list or group at a line that starts an item.
    let recovery: Vec<&str> = json.split("^\\\\s*(?:").skip(1).collect();
    assert!(recovery.len() >= 4, "recovery patterns not found");
    for rest in recovery {
        let alternation = &rest[..rest.find(')').expect("a closed group")];
        assert_eq!(words(alternation), set(ITEM_STARTERS), "{alternation}");
    }
    // `rule`, `flow` and `accept` have patterns of their own.
    let headers = between(&json, "\"\\\\b(system|", ")", "declaration pattern");
    let mut declarations = words(headers);
    declarations.insert("system".into());
    for own in ["rule", "flow", "accept", "disposition"] {
        assert!(
            json.contains(&format!("\"\\\\b({own})\\\\b")),
            "no `{own}` pattern"
        );
        declarations.insert(own.into());
    }
    assert_eq!(declarations, set(DECLARATIONS));
    assert!(json.contains(&format!("\"match\": \"\\\\b({USE})\\\\b\"")));
    let operators = between(&json, "\"match\": \"\\\\b(?:in|", ")", "operators");
    assert_eq!(words(&format!("in|{operators}")), set(OPERATORS));
    let booleans = between(&json, "\"match\": \"\\\\b(?:true|", ")", "booleans");
    assert_eq!(words(&format!("true|{booleans}")), set(BOOLEANS));
}

#[test]
fn the_editor_tests_and_docs_spell_the_same_keywords() {
    // The TextMate grammar's own test keeps a list apart from its builder.
    let js = read("editors/vscode/test/grammar.test.js");
    let listed = between(
        &js,
        "const DECLARATION_KEYWORDS = [",
        "];",
        "grammar.test.js",
    );
    assert_eq!(words(&listed.replace('\'', " ")), set(DECLARATIONS));
    let readme = read("editors/vscode/README.md");
    let row = between(
        &readme,
        "| `system ",
        "` | `keyword.declaration.ward` |",
        "README",
    );
    assert_eq!(words(&format!("system {row}")), set(DECLARATIONS));
    let row = between(
        &readme,
        "| `in ",
        "` | `keyword.operator.word.ward` |",
        "README",
    );
    assert_eq!(words(&format!("in {row}")), set(OPERATORS));
}

#[test]
fn the_spec_and_the_language_reference_list_the_same_words() {
    let spec = read("tests/spec/language.md");
    let reserved = between(&spec, "Reserved words: `", "`", "spec");
    assert_eq!(words(reserved), set(RESERVED_WORDS));
    let keyword = between(&spec, "`KEYWORD` is one of `", "`", "spec");
    assert_eq!(words(keyword), declaration_keywords_but(&OWN_HEADER));

    let docs = read("docs/language.md");
    let section = between(&docs, "### 2.3 Reserved words", "###", "docs/language.md");
    let block = between(section, "```text", "```", "docs/language.md §2.3");
    assert_eq!(words(block), set(RESERVED_WORDS));
    let keyword = between(&docs, "`KEYWORD` is one of `", "`", "docs/language.md");
    assert_eq!(words(keyword), declaration_keywords_but(&OWN_HEADER));
}

#[test]
fn the_fuzzing_dictionary_holds_every_reserved_word() {
    let dict = read("fuzz/ward.dict");
    let tokens = quoted(&dict);
    let missing: Vec<&str> = RESERVED_WORDS
        .into_iter()
        .filter(|w| !tokens.contains(*w))
        .collect();
    assert!(missing.is_empty(), "fuzz/ward.dict lacks {missing:?}");
}

#[test]
fn every_declaration_keyword_starts_its_declaration() {
    for kind in DeclKind::ALL {
        let keyword = kind.keyword();
        let text = match kind {
            DeclKind::Flow => "flow f: a -> b {}".to_string(),
            DeclKind::Accept => "accept t {}".to_string(),
            DeclKind::Disposition => "disposition t {}".to_string(),
            _ => format!("{keyword} x {{}}"),
        };
        let parsed = parse(&text, FileId(0));
        assert!(parsed.errors.is_empty(), "{text}: {:?}", parsed.errors);
        match parsed.ast.items.as_slice() {
            [Item::Decl(d)] => assert_eq!(d.kind, kind, "{text}"),
            other => panic!("{text}: {other:?}"),
        }
        assert_eq!(DeclKind::from_keyword(keyword), Some(kind));
    }
    assert_eq!(DeclKind::from_keyword(USE), None);
}

#[test]
fn reserved_words_cannot_be_declared_but_longer_words_can() {
    for word in RESERVED_WORDS {
        // `zone in {}` reads `in` as the start of a parent reference.
        let text = format!("component c in z {{}}\nzone {word} {{}}\n");
        let parsed = parse(&text, FileId(0));
        let codes: Vec<&str> = parsed.errors.iter().map(|e| e.code.as_str()).collect();
        let expected = if word == "in" {
            codes::SYNTAX
        } else {
            codes::RESERVED_ID
        };
        assert!(codes.contains(&expected.as_str()), "{text}: {codes:?}");
        let longer = format!("zone {word}s {{}}\nzone {word}_1 {{}}\n");
        let parsed = parse(&longer, FileId(0));
        assert!(parsed.errors.is_empty(), "{longer}: {:?}", parsed.errors);
        assert_eq!(parsed.ast.items.len(), 2, "{longer}");
    }
}
