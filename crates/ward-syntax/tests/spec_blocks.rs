//! The spec is a contract: every Ward block of `tests/spec/language.md`
//! (the two grammar blocks of §1 excepted) parses alone with no syntax
//! diagnostic, Appendix A included.

mod common;

use ward_diagnostics::{render_terminal, ColorChoice, FileId, SourceFile, SourceMap};
use ward_syntax::ast::Item;

#[test]
fn every_spec_block_parses_without_errors() {
    let blocks = common::spec_blocks();
    // §2: one block per declaration kind (14) and `use`; then Appendix A.
    assert_eq!(blocks.len(), 16, "is the spec copy complete?");
    for (line, block) in &blocks {
        let parsed = ward_syntax::parse(block, FileId(0));
        if !parsed.errors.is_empty() {
            let mut map = SourceMap::new();
            map.add(SourceFile::new(
                format!("language.md block at line {line}"),
                None,
                block.clone(),
            ));
            panic!(
                "{}",
                render_terminal(&map, &parsed.errors, ColorChoice::Never)
            );
        }
        assert!(
            !parsed.ast.items.is_empty(),
            "block at line {line} parsed to nothing"
        );
    }
}

#[test]
fn appendix_a_parses_whole() {
    let spec = common::spec_text();
    let appendix = spec
        .split("## Appendix A")
        .nth(1)
        .expect("the spec has an Appendix A");
    let block = common::spec_blocks()
        .into_iter()
        .map(|(_, b)| b)
        .find(|b| {
            appendix.contains(b.lines().next().unwrap_or("\u{0}")) && b.contains("accept ble_jam")
        })
        .expect("Appendix A's block");
    let parsed = ward_syntax::parse(&block, FileId(0));
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let decls = parsed
        .ast
        .items
        .iter()
        .filter(|i| matches!(i, Item::Decl(_)))
        .count();
    let uses = parsed
        .ast
        .items
        .iter()
        .filter(|i| matches!(i, Item::Use(_)))
        .count();
    assert_eq!((decls, uses), (22, 2));
}
