//! The hand-written fast path must build exactly what pest alone builds:
//! same tree, same diagnostics, on valid and broken inputs alike.

mod common;

use ward_diagnostics::FileId;
use ward_syntax::{parse, parse_with_pest_only};

fn assert_same(label: &str, text: &str) {
    let fast = parse(text, FileId(0));
    let reference = parse_with_pest_only(text, FileId(0));
    let fast_ast = format!("{:#?}", fast.ast);
    let reference_ast = format!("{:#?}", reference.ast);
    if fast_ast != reference_ast || fast.errors != reference.errors {
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
        for (j, mutated) in common::mutations(text, 17, 40, 0x5eed + i as u64)
            .into_iter()
            .enumerate()
        {
            assert_same(&format!("{name} mutation {j}"), &mutated);
        }
    }
}
