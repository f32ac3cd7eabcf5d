//! One fixture per syntax code (`fixtures/E00xx_*.ward`), with a snapshot of
//! its rendered terminal report; one JSON rendering.

mod common;

use ward_diagnostics::{render_json, render_terminal, ColorChoice, FileId, SourceFile, SourceMap};
use ward_syntax::{codes, parse};

const ALL_CODES: &[&str] = &[
    codes::SYNTAX,
    codes::UNTERMINATED_STRING,
    codes::UNCLOSED_BLOCK,
    codes::RESERVED_ID,
    codes::INVALID_ESCAPE,
    codes::TOO_DEEP,
    codes::UNCLOSED_COMMENT,
    codes::MISSING_COMMA,
    codes::EXPECTED_DECLARATION,
    codes::CHAINED_COMPARISON,
    codes::MULTILINE_WHEN,
    codes::INVISIBLE_IN_CODE,
    codes::INVISIBLE_IN_STRING,
    codes::INVISIBLE_IN_COMMENT,
];

fn render(name: &str, text: &str) -> (String, Vec<&'static str>) {
    let mut map = SourceMap::new();
    let file = map.add(SourceFile::new(format!("fixtures/{name}"), None, text));
    let parsed = parse(text, file);
    let codes = parsed.errors.iter().map(|e| e.code).collect();
    (
        render_terminal(&map, &parsed.errors, ColorChoice::Never),
        codes,
    )
}

#[test]
fn each_fixture_reports_its_code_and_renders_as_snapshotted() {
    let fixtures = common::fixtures();
    for code in ALL_CODES {
        assert!(
            fixtures.iter().any(|(name, _)| name.starts_with(code)),
            "no fixture for {code}"
        );
        let info = ward_diagnostics::explain(code)
            .unwrap_or_else(|| panic!("{code} has no docs/diagnostics page"));
        assert!(
            info.text.contains("```ward"),
            "{code}'s page has no example"
        );
    }
    for (name, text) in fixtures {
        let (rendered, found) = render(&name, &text);
        let code = &name[..5];
        assert_eq!(
            found,
            vec![code],
            "{name} should report exactly one {code}:\n{rendered}"
        );
        insta::assert_snapshot!(name.trim_end_matches(".ward").to_string(), rendered);
    }
}

#[test]
fn json_rendering() {
    let text = "zone home \"Home\" {\n  trust untrusted\n}\nzon cloud {}\n";
    let mut map = SourceMap::new();
    let file = map.add(SourceFile::new("model.ward", None, text));
    let parsed = parse(text, file);
    insta::assert_snapshot!(render_json(&map, &parsed.errors));
}

#[test]
fn diagnostics_are_in_the_given_file() {
    let parsed = parse("zone a { trust x }", FileId(7));
    assert!(parsed.errors.iter().all(|e| e.span.file == FileId(7)));
}
