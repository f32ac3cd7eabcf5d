//! One fixture per syntax code (`fixtures/E00xx_*.ward`), with a snapshot of
//! its rendered terminal report; one JSON rendering.

mod common;

use ward_diagnostics::{render_json, render_terminal, ColorChoice, FileId, SourceFile, SourceMap};
use ward_syntax::{codes, parse};

const ALL_CODES: &[ward_diagnostics::Code] = &[
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
    let codes = parsed.errors.iter().map(|e| e.code.as_str()).collect();
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
            fixtures
                .iter()
                .any(|(name, _)| name.starts_with(code.as_str())),
            "no fixture for {code}"
        );
        let info = code.info();
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
    assert!(parsed
        .errors
        .iter()
        .all(|e| e.span.unwrap().file == FileId(7)));
}

#[test]
fn safe_syntax_fixes_make_the_file_parse() {
    let text = "zone a \"A\" { trust: untrusted physical_access: true }\nzon b \"B\" {}\n";
    let parsed = parse(text, FileId(0));
    let codes: Vec<&str> = parsed.errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, [codes::MISSING_COMMA, codes::EXPECTED_DECLARATION]);
    let fixes: Vec<&ward_diagnostics::Fix> = parsed.errors.iter().flat_map(|e| &e.fixes).collect();
    assert!(fixes
        .iter()
        .all(|f| f.applicability == ward_diagnostics::Applicability::Safe));
    let fixed = ward_diagnostics::apply_fixes(text, fixes);
    assert_eq!(
        fixed.text,
        "zone a \"A\" { trust: untrusted, physical_access: true }\nzone b \"B\" {}\n"
    );
    assert!(parse(&fixed.text, FileId(0)).errors.is_empty());
}

#[test]
fn a_missing_or_mistyped_colon_is_a_safe_fix_and_a_missing_brace_is_not() {
    for (text, fixed) in [
        (
            "zone a \"A\" {\n  trust untrusted\n}\n",
            "zone a \"A\" {\n  trust: untrusted\n}\n",
        ),
        (
            "zone a \"A\" {\n  trust = untrusted\n}\n",
            "zone a \"A\" {\n  trust : untrusted\n}\n",
        ),
        (
            "system s \"S\" {\n  version \"1.0\"\n}\n",
            "system s \"S\" {\n  version: \"1.0\"\n}\n",
        ),
    ] {
        let parsed = parse(text, FileId(0));
        let fixes: Vec<&ward_diagnostics::Fix> =
            parsed.errors.iter().flat_map(|e| &e.fixes).collect();
        assert_eq!(fixes.len(), 1, "{text}");
        let applied = ward_diagnostics::apply_fixes(text, fixes);
        assert_eq!(applied.text, fixed);
        assert!(parse(&applied.text, FileId(0)).errors.is_empty(), "{fixed}");
    }
    // `limits missed_low: minor` lacks its braces, not a colon.
    let text = "control c \"C\" {\n  limits missed_low: minor\n}\n";
    let parsed = parse(text, FileId(0));
    assert!(!parsed.errors.is_empty());
    assert!(parsed.errors.iter().all(|e| e.fixes.is_empty()));
}
