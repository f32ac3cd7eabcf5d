//! The reserved words of Ward (spec §2.3), declared once. The parser, the
//! model and the language server read these lists; `tests/keywords.rs`
//! checks that the pest grammar, the TextMate grammar, the spec and the
//! fuzzing dictionary spell the same words.

use crate::ast::DeclKind;

/// The declaration keywords, in `DeclKind` order (`DeclKind::keyword`
/// indexes this list).
pub const DECLARATIONS: [&str; DeclKind::ALL.len()] = [
    "system",
    "zone",
    "data",
    "component",
    "actor",
    "flow",
    "hazard",
    "threat",
    "rule",
    "control",
    "verification",
    "assumption",
    "accept",
    "usecase",
    "policy",
    "approval",
    "software",
    "vulnerability",
    "anomaly",
    "monitoring",
    "disposition",
];

// `DeclKind::keyword` indexes `DECLARATIONS` by discriminant.
const _: () = {
    let mut i = 0;
    while i < DeclKind::ALL.len() {
        assert!(
            DeclKind::ALL[i] as usize == i,
            "DeclKind::ALL is out of order"
        );
        i += 1;
    }
};

/// Starts a top-level item without declaring anything.
pub const USE: &str = "use";

/// Reserved for declarations to come; nothing uses them yet.
pub const UNUSED: [&str; 0] = [];

/// The operators of `when`; `in` also introduces a declaration's parent.
pub const OPERATORS: [&str; 4] = ["and", "or", "not", "in"];

pub const BOOLEANS: [&str; 2] = ["true", "false"];

/// The words a `when` expression may use besides attributes.
pub const EXPRESSION_WORDS: [&str; 6] = concat(&[&OPERATORS, &BOOLEANS]);

/// Words that start a top-level item: the declaration keywords and `use`.
pub const ITEM_STARTERS: [&str; DeclKind::ALL.len() + 1] = concat(&[&DECLARATIONS, &[USE]]);

/// Words that cannot be declared or referenced as ids.
pub const RESERVED_WORDS: [&str; 28] = concat(&[&ITEM_STARTERS, &UNUSED, &EXPRESSION_WORDS]);

pub fn is_reserved(word: &str) -> bool {
    RESERVED_WORDS.contains(&word)
}

pub fn is_operator(word: &str) -> bool {
    OPERATORS.contains(&word)
}

/// The parts one after the other; fails to compile unless `N` is their
/// total length.
const fn concat<const N: usize>(parts: &[&[&'static str]]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut n = 0;
    let mut part = 0;
    while part < parts.len() {
        let mut i = 0;
        while i < parts[part].len() {
            out[n] = parts[part][i];
            n += 1;
            i += 1;
        }
        part += 1;
    }
    assert!(n == N, "the length of a keyword list is wrong");
    out
}
