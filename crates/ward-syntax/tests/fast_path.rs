//! The hand-written fast path must build exactly what pest alone builds:
//! same tree, same diagnostics, on valid and broken inputs alike.

mod common;

use ward_diagnostics::FileId;
use ward_syntax::{parse, parse_with_pest_only};

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
