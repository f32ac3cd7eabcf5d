//! `parse` returns on every input: no panic on truncated or corrupted text,
//! no stack overflow on deep nesting, a diagnostic instead.

mod common;

use ward_diagnostics::FileId;
use ward_syntax::{codes, parse, parse_with_pest_only, MAX_NESTING};

/// Runs `f` on a thread with an ordinary 2 MiB stack (what test and editor
/// worker threads get), so a recursion problem shows as a failure here.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .expect("spawn a test thread")
        .join()
        .expect("the parse must not panic or overflow its stack")
}

#[test]
fn truncated_and_corrupted_inputs_never_panic() {
    let mut inputs: Vec<String> = common::fixtures().into_iter().map(|(_, t)| t).collect();
    inputs.extend(common::spec_blocks().into_iter().map(|(_, b)| b));
    let mut parsed = 0;
    for (i, text) in inputs.iter().enumerate() {
        for mutated in common::mutations(text, 5, 80, 0xC0FFEE + i as u64) {
            let p = parse(&mutated, FileId(1));
            // Every span stays inside the text.
            for e in &p.errors {
                assert!(
                    e.span.unwrap().end as usize <= mutated.len()
                        && e.span.unwrap().start <= e.span.unwrap().end,
                    "{e:?} in {mutated:?}"
                );
            }
            parsed += 1;
        }
    }
    assert!(parsed > 1000, "only {parsed} inputs");
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut rng = common::Rng::new(42);
    const ALPHABET: &[u8] = b"zone flow accept use when not and in { } [ ] ( ) \" \"\"\" \\ / * : , . @ :: -> <-> == < 1 2.5 a_b \n\t";
    for _ in 0..400 {
        let len = rng.below(200);
        let bytes: Vec<u8> = (0..len)
            .map(|_| ALPHABET[rng.below(ALPHABET.len())])
            .collect();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let fast = parse(&text, FileId(0));
        let reference = parse_with_pest_only(&text, FileId(0));
        assert_eq!(fast.errors, reference.errors, "{text:?}");
        assert_eq!(
            format!("{:?}", fast.ast),
            format!("{:?}", reference.ast),
            "{text:?}"
        );
    }
}

fn deep(text: String) -> Vec<&'static str> {
    on_small_stack(move || {
        let p = parse(&text, FileId(0));
        p.errors.iter().map(|e| e.code.as_str()).collect()
    })
}

#[test]
fn deep_nesting_gives_a_diagnostic_not_a_stack_overflow() {
    const N: usize = 100_000;
    for (what, text) in [
        ("brackets", format!("system s {{ a: {} }}", "[".repeat(N))),
        (
            "closed brackets",
            format!("system s {{ a: {}{} }}", "[".repeat(N), "]".repeat(N)),
        ),
        (
            "parentheses",
            format!("rule r {{ when: {}a }}", "(".repeat(N)),
        ),
        ("braces", format!("system s {{ {} }}", "a {".repeat(N))),
        ("block comments", "/*".repeat(N)),
        (
            "closed block comments",
            format!("{}{}zone z {{}}", "/*".repeat(N), "*/".repeat(N)),
        ),
        ("mixed", "[(/*{".repeat(N)),
    ] {
        let codes = deep(text);
        assert!(
            codes.contains(&codes::TOO_DEEP.as_str()),
            "{what}: {codes:?}"
        );
    }
}

#[test]
fn long_operator_chains_give_a_diagnostic() {
    const N: usize = 100_000;
    for (what, text) in [
        ("not", format!("rule r {{ when: {}a }}", "not ".repeat(N))),
        ("and", format!("rule r {{ when: a{} }}", " and a".repeat(N))),
        (
            "or in parentheses",
            format!("rule r {{ when: (a{}) }}", "\n or a".repeat(N)),
        ),
    ] {
        let codes = deep(text);
        assert_eq!(codes, vec![codes::TOO_DEEP], "{what}");
    }
}

#[test]
fn nesting_up_to_the_limit_is_fine() {
    let depth = MAX_NESTING - 2;
    let text = format!(
        "system s {{ a: {}x{} }}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    assert!(deep(text).is_empty());
    let text = format!(
        "rule r {{ when: {}a{} }}",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    assert!(deep(text).is_empty());
    let text = format!(
        "{}{}zone z {{}}",
        "/*".repeat(MAX_NESTING),
        "*/".repeat(MAX_NESTING)
    );
    assert!(deep(text).is_empty());
}

#[test]
fn huge_flat_files_parse() {
    let text = "zone z_N \"Z\" { trust: hostile, tags: [a, b] }\n".repeat(20_000);
    let p = parse(&text, FileId(0));
    assert!(p.errors.is_empty());
    assert_eq!(p.ast.items.len(), 20_000);
}
