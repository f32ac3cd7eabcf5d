//! The hand-written fast path must build exactly what pest alone builds:
//! same tree (every node and span, the comments included), same
//! diagnostics (code, span, message, labels, help), on valid and broken
//! inputs alike. The inputs are every `.ward` file and every fenced block of
//! Markdown in the repository, every saved fuzz regression, generated models
//! of several sizes and seeds, and mutations of all of them.

mod common;

use ward_diagnostics::{normalize_text, FileId};
use ward_syntax::{parse, parse_with_pest_only, pest_handoffs};

fn assert_same(label: &str, text: &str) {
    let fast = parse(text, FileId(0));
    let reference = parse_with_pest_only(text, FileId(0));
    // Plain `{:?}`: pretty-printing deep trees is quadratic.
    if format!("{:?}", fast.ast) != format!("{:?}", reference.ast)
        || fast.errors != reference.errors
    {
        let fast_ast = format!("{:#?}", fast.ast);
        let reference_ast = format!("{:#?}", reference.ast);
        let first_diff = fast_ast
            .lines()
            .zip(reference_ast.lines())
            .position(|(a, b)| a != b);
        panic!(
            "{label}: fast path and pest differ (first differing AST line {first_diff:?})\n--- text\n{text}\n--- fast errors\n{:#?}\n--- pest errors\n{:#?}\n--- fast ast\n{fast_ast}\n--- pest ast\n{reference_ast}",
            fast.errors, reference.errors
        );
    }
    // Otherwise both routes could be pest, and prove nothing.
    if fast.errors.is_empty() {
        assert_eq!(
            pest_handoffs(text),
            0,
            "{label}: valid, yet not all on the fast path\n{text}"
        );
    }
}

/// The text a file with these bytes reads as: what the loaders and the
/// fuzz targets give the parser.
fn text_of(bytes: &[u8]) -> String {
    normalize_text(&String::from_utf8_lossy(bytes))
}

/// The whole text, truncations every `step` bytes and `flips` corrupted
/// copies.
fn assert_same_mutated(label: &str, text: &str, step: usize, flips: usize, seed: u64) {
    assert_same(label, text);
    for (j, mutated) in common::mutations(text, step, flips, seed)
        .into_iter()
        .enumerate()
    {
        assert_same(&format!("{label} mutation {j}"), &mutated);
    }
}

#[test]
fn every_ward_file_in_the_repository_agrees() {
    let files = common::repo_files("", ".ward");
    let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    // The walk must reach every place that holds Ward sources.
    for expected in [
        "examples/insulin-pump/flows.ward",
        "examples/glucose-monitor/model.ward",
        "stdlib/std/stride.ward",
        "crates/ward-syntax/tests/fixtures/E0001_syntax.ward",
        "crates/ward-syntax/tests/format_fixtures/",
        "crates/ward-model/tests/fixtures/",
        "crates/ward-lsp/tests/fixtures/",
        "crates/ward-render/tests/fixtures/",
        "tests/fixtures/cli/",
        "editors/vscode/test/fixtures/",
    ] {
        assert!(
            paths.iter().any(|p| p.starts_with(expected)),
            "no `{expected}` among the {} files found: {paths:?}",
            paths.len()
        );
    }
    for (i, (path, bytes)) in files.iter().enumerate() {
        let text = text_of(bytes);
        // Coarser cuts for long files keep the test quick.
        let step = (text.len() / 24).max(7);
        assert_same_mutated(path, &text, step, 10, 0xf11e + i as u64);
    }
    // The fuzz seed corpus also joins the pump's files into one
    // (`scripts/fuzz seeds`): declarations of many kinds in one file.
    let pump: String = files
        .iter()
        .filter(|(p, _)| p.starts_with("examples/insulin-pump/"))
        .map(|(_, bytes)| text_of(bytes))
        .collect();
    assert_same("insulin-pump joined", &pump);
}

#[test]
fn every_markdown_code_block_agrees() {
    let pages = common::repo_files("", ".md");
    let mut blocks = 0;
    for (path, bytes) in &pages {
        for (line, block) in common::fenced_blocks(&text_of(bytes)) {
            assert_same(&format!("{path}:{line}"), &block);
            blocks += 1;
        }
    }
    // docs/language.md, the spec and one page per diagnostic code.
    assert!(blocks >= 150, "only {blocks} fenced blocks found");
}

/// Each saved fuzz input, whole and, for the `pipeline` and `lsp` targets'
/// encodings, split into the files or document texts it holds.
#[test]
fn fuzz_regressions_agree() {
    let saved = common::repo_files("fuzz/regressions", "");
    assert!(!saved.is_empty(), "fuzz/regressions holds no input");
    for (path, bytes) in saved.iter().filter(|(p, _)| !p.ends_with(".md")) {
        let text = text_of(bytes);
        assert_same(path, &text);
        for (k, part) in text.split('\u{1e}').enumerate() {
            assert_same(&format!("{path} part {k}"), part);
        }
    }
}

/// Models from `ward-bench`'s generator, the one the performance figures
/// use: every file of several sizes and seeds, and corrupted copies.
#[test]
fn generated_models_agree() {
    for (n, seed) in [(1, 1), (4, 2), (20, 3), (60, 1), (60, 11), (150, 5)] {
        let files = ward_bench::generate(n, seed);
        for (k, (name, text)) in files.iter().enumerate() {
            let label = format!("generated n={n} seed={seed} {name}");
            assert_same(&label, text);
            // A step of the whole length: the only truncation is the empty
            // text, which is skipped.
            for (j, mutated) in common::mutations(text, text.len(), 3, seed * 31 + k as u64)
                .into_iter()
                .skip(1)
                .enumerate()
            {
                assert_same(&format!("{label} mutation {j}"), &mutated);
            }
        }
    }
}

#[test]
fn fixtures_and_spec_blocks_agree() {
    for (name, text) in common::fixtures() {
        assert_same(&name, &text);
    }
    for (line, block) in common::spec_blocks() {
        assert_same(&format!("spec block at line {line}"), &block);
    }
}

#[test]
fn mutated_inputs_agree() {
    let mut inputs: Vec<(String, String)> = common::fixtures();
    inputs.extend(
        common::spec_blocks()
            .into_iter()
            .map(|(l, b)| (format!("spec:{l}"), b)),
    );
    for (i, (name, text)) in inputs.iter().enumerate() {
        for (j, mutated) in common::mutations(text, 7, 80, 0x5eed + i as u64)
            .into_iter()
            .enumerate()
        {
            assert_same(&format!("{name} mutation {j}"), &mutated);
        }
    }
}

#[test]
fn tricky_snippets_agree() {
    let snippets = [
        "zone z\r\n{\r\n  trust: hostile\r\n}\r\n",
        "zone z {\ttrust:\thostile\t,\tphysical_access: true}",
        "zone z { a: \"é ü \\u{1F600}\" } // commentaire é\n/* é */",
        "system s { d: \"\"\"\n  a \"quoted\" \\t\n    b\n  \"\"\" }",
        "system s { d: \"\"\"x\"\"\", e: \"\"\"\"\"\" }",
        "system s { a: 1., b: 1.5.2 }",
        "system s { a: 007, b: 0.50, c: 12abc }",
        "system s { a: true_ish, b: falsey, c: true }",
        "system s { a: x.reversed, b: x.reverse.reverse, c: a@b.reverse, d: a::b::c::, e: a@ }",
        "system s { a: test \"t\", b: [test\t\"t\", x /* c */ \"y\"] }",
        "system s { a: [\n  1,\n  2,\n], b: [,], c: [1,,2] }",
        "system s {\n  a: 1\n  ,\n  b: 2\n}",
        "system s { a: 1\n, , b: 2 }",
        "rule r { when: a.reverse and b.c.d(e, [f, 1, \"g\"],) or not (x in [y]) }",
        "rule r { when: has_interface (x) }",
        "rule r { when: a <= b, x: 1 }",
        "rule r { when: a <> b }",
        "rule r { when: a ==b and c!=d and e>=f and g>h and i<j }",
        "rule r { when: not(a) and not\tb }",
        "rule r { when: (\n  a\n  or\n  b\n) }",
        "rule r { when: a in in }",
        "rule r { when: android or order or notable or index }",
        "rule r { when: x.and.or }",
        "flow f:a->b{}",
        "flow f : a <-> b \"t\" {}",
        "flow f: a -> b \"t\" in z {}",
        "flow in: a -> b {}",
        "accept a@b.reverse {}\naccept a {}\naccept a @b {}",
        "use std::a::b\nuse \"x.ward\" use std::c\nuse std",
        "zone a in b.reverse {}\nzone c \"T\" in d {}\nzone e in {}",
        "zone z { when: a }\nzone y { when { } }",
        "zone z { data: 1, zone: 2, flow {}, use: 3 }",
        "zone z {\n  a: 1\nzone y {}",
        "zone z {\n  a: 1\n  zone: 2\n  zone\n}",
        "zone z { a: 1 } zone y { b: 2 }",
        "zone z { a { b { c: [1] } } }",
        "/// doc\n///doc2\n//// not\nzone z {}",
        "zone z {}\n/// a\n/* x */\n/// b\nzone y {}",
    ];
    for (i, text) in snippets.iter().enumerate() {
        assert_same(&format!("snippet {i}"), text);
        for (j, mutated) in common::mutations(text, 1, 30, i as u64 + 7)
            .into_iter()
            .enumerate()
        {
            assert_same(&format!("snippet {i} mutation {j}"), &mutated);
        }
    }
}
