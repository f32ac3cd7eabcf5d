//! Error recovery (spec §1): one error per skipped region, parsing resumes
//! at the next declaration, and declarations whose header parsed stay in the
//! tree with the properties that parsed.

use ward_diagnostics::{Diagnostic, FileId, SourceFile};
use ward_syntax::ast::{Decl, DeclKind, Item, PropertyValue, Value};
use ward_syntax::{codes, parse, Parse};

fn decls(p: &Parse) -> Vec<&Decl> {
    p.ast
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Decl(d) => Some(d),
            Item::Use(_) => None,
        })
        .collect()
}

fn decl<'a>(p: &'a Parse, name: &str) -> &'a Decl {
    decls(p)
        .into_iter()
        .find(|d| d.name.name == name)
        .unwrap_or_else(|| panic!("no declaration `{name}`"))
}

fn keys(d: &Decl) -> Vec<&str> {
    d.body
        .properties
        .iter()
        .map(|p| p.key.name.as_str())
        .collect()
}

/// (code, 1-based line) of each diagnostic.
fn where_(text: &str, errors: &[Diagnostic]) -> Vec<(ward_diagnostics::Code, usize)> {
    let file = SourceFile::new("t.ward", None, text);
    errors
        .iter()
        .map(|e| (e.code, file.line_col(e.span.unwrap().start as usize).line))
        .collect()
}

#[test]
fn three_broken_declarations_give_three_errors() {
    let text = r#"system demo "Demo" { version: "1.0" }

zone internet "Internet" { trust: hostile }
zone home "Home" {
  trust untrusted
  physical_access: true
}
zone cloud "Cloud" { trust: controlled }
hazard missed_low "Low glucose not alarmed" {
  severity: catastrophic
  harm: "Seizure" "death"
  rmf_ref: "HA-001"
}
data glucose "Glucose" { kind: telemetry }
component app "App" in home + { kind: mobile_app }
actor user "Patient" in home { kind: human }
"#;
    let p = parse(text, FileId(0));
    assert_eq!(
        where_(text, &p.errors),
        vec![(codes::SYNTAX, 5), (codes::SYNTAX, 11), (codes::SYNTAX, 15)],
        "{:#?}",
        p.errors
    );

    let names: Vec<&str> = decls(&p).iter().map(|d| d.name.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "demo",
            "internet",
            "home",
            "cloud",
            "missed_low",
            "glucose",
            "app",
            "user"
        ]
    );
    // The broken ones keep what parsed.
    assert_eq!(keys(decl(&p, "home")), ["physical_access"]);
    assert_eq!(
        keys(decl(&p, "missed_low")),
        ["severity", "harm", "rmf_ref"]
    );
    let app = decl(&p, "app");
    assert_eq!(app.kind, DeclKind::Component);
    assert_eq!(
        app.parent.as_ref().map(|r| r.id.name.as_str()),
        Some("home")
    );
    assert!(app.body.properties.is_empty());
    // And the others are whole.
    assert_eq!(keys(decl(&p, "user")), ["kind"]);
}

#[test]
fn a_declaration_line_ends_an_unclosed_block() {
    let text = "zone home \"Home\" {\n  trust: untrusted\n  physical_access: true\n\nzone cloud \"Cloud\" { trust: controlled }\n";
    let p = parse(text, FileId(0));
    assert_eq!(where_(text, &p.errors), vec![(codes::UNCLOSED_BLOCK, 1)]);
    let home = decl(&p, "home");
    assert_eq!(keys(home), ["trust", "physical_access"]);
    assert!(home.body.close.is_none());
    assert_eq!(p.errors[0].span, Some(home.body.open));
    assert_eq!(
        p.errors[0].labels[0].span.start as usize,
        text.find("zone cloud").unwrap()
    );
    assert_eq!(keys(decl(&p, "cloud")), ["trust"]);
}

#[test]
fn property_keys_that_are_keywords_do_not_end_a_block() {
    let text = "system s {\n  policy: std::policy::iso14971_5x5\n  data: [a]\n  flow { x: 1 }\n}\n";
    let p = parse(text, FileId(0));
    assert!(p.errors.is_empty(), "{:#?}", p.errors);
    assert_eq!(keys(decl(&p, "s")), ["policy", "data", "flow"]);
}

#[test]
fn unclosed_block_at_end_of_file() {
    let text = "zone a \"A\" {\n  trust: hostile\n";
    let p = parse(text, FileId(0));
    assert_eq!(where_(text, &p.errors), vec![(codes::UNCLOSED_BLOCK, 1)]);
    assert_eq!(keys(decl(&p, "a")), ["trust"]);
}

#[test]
fn a_skipped_region_over_several_lines_is_one_error() {
    // A list broken over three lines, then a good property.
    let text = "component c in z {\n  interfaces: [ble,\n    usb\n    jtag]\n  kind: device\n}\n";
    let p = parse(text, FileId(0));
    assert_eq!(
        where_(text, &p.errors),
        vec![(codes::SYNTAX, 4)],
        "{:#?}",
        p.errors
    );
    assert_eq!(keys(decl(&p, "c")), ["kind"]);

    // Top-level junk runs to the next declaration line.
    let text = "zone a {}\n}}} garbage\nmore garbage\nzone b {}\n";
    let p = parse(text, FileId(0));
    assert_eq!(
        where_(text, &p.errors),
        vec![(codes::EXPECTED_DECLARATION, 2)]
    );
    assert_eq!(decls(&p).len(), 2);
}

#[test]
fn each_bad_line_in_a_block_is_its_own_error_and_good_lines_survive() {
    let text = "data d {\n  kind: = command\n  integrity: high\n  confidentiality low\n  availability: none\n}\n";
    let p = parse(text, FileId(0));
    assert_eq!(
        where_(text, &p.errors),
        vec![(codes::SYNTAX, 2), (codes::SYNTAX, 4)]
    );
    assert_eq!(keys(decl(&p, "d")), ["integrity", "availability"]);
}

#[test]
fn a_broken_header_keeps_the_declared_id() {
    let text =
        "zone a \"A\" inside b { trust: hostile }\nflow f: a => b {}\naccept r@ {}\nzone c {}\n";
    let p = parse(text, FileId(0));
    assert_eq!(
        where_(text, &p.errors),
        vec![(codes::SYNTAX, 1), (codes::SYNTAX, 2), (codes::SYNTAX, 3)]
    );
    let names: Vec<(DeclKind, &str)> = decls(&p)
        .iter()
        .map(|d| (d.kind, d.name.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            (DeclKind::Zone, "a"),
            (DeclKind::Flow, "f"),
            (DeclKind::Accept, "r"),
            (DeclKind::Zone, "c")
        ]
    );
    let a = decl(&p, "a");
    assert_eq!(a.title.as_ref().map(|t| t.value.as_str()), Some("A"));
    assert!(a.body.properties.is_empty());
    assert!(
        a.span.end <= a.title.as_ref().unwrap().span.end,
        "the span ends with the header that parsed"
    );
}

#[test]
fn missing_comma_keeps_both_properties() {
    let text = "zone home \"Home\" { trust: untrusted physical_access: true }\n";
    let p = parse(text, FileId(0));
    assert_eq!(p.errors.len(), 1);
    assert_eq!(p.errors[0].code, codes::MISSING_COMMA);
    assert_eq!(
        p.errors[0].help.as_deref(),
        Some("two properties on one line need a comma between them")
    );
    assert_eq!(keys(decl(&p, "home")), ["trust", "physical_access"]);
}

#[test]
fn reserved_words_as_ids() {
    let text = "zone flow \"F\" { trust: hostile }\ncomponent c in data { kind: device }\nzone in {}\nzone ok { in: 1, flow: [flow] }\n";
    let p = parse(text, FileId(0));
    let got: Vec<_> = where_(text, &p.errors);
    assert_eq!(
        got,
        vec![
            (codes::RESERVED_ID, 1),
            (codes::RESERVED_ID, 2),
            (codes::SYNTAX, 3)
        ]
    );
    assert!(p.errors.iter().all(|e| e.help.is_some()));
    // Declared anyway, so its body is still there.
    assert_eq!(keys(decl(&p, "flow")), ["trust"]);
    assert_eq!(keys(decl(&p, "c")), ["kind"]);
    // Keys, values and path segments may spell reserved words.
    assert_eq!(keys(decl(&p, "ok")), ["in", "flow"]);
}

#[test]
fn unterminated_string_is_reported_once_at_its_quote() {
    let text =
        "hazard h \"Over-delivery {\n  severity: catastrophic\n}\nzone z { trust: hostile }\n";
    let p = parse(text, FileId(0));
    assert_eq!(
        where_(text, &p.errors),
        vec![(codes::UNTERMINATED_STRING, 1)]
    );
    assert_eq!(
        p.errors[0].span.unwrap().start as usize,
        text.find('"').unwrap()
    );
    assert_eq!(keys(decl(&p, "z")), ["trust"]);

    // In a value: the property is kept.
    let text = "hazard h {\n  harm: \"Seizure\n  severity: catastrophic\n}\n";
    let p = parse(text, FileId(0));
    assert_eq!(
        where_(text, &p.errors),
        vec![(codes::UNTERMINATED_STRING, 2)]
    );
    assert_eq!(keys(decl(&p, "h")), ["harm", "severity"]);
}

#[test]
fn unterminated_triple_string_does_not_also_report_unclosed_blocks() {
    let text = "system s {\n  description: \"\"\"\n    never closed\n}\nzone z {}\n";
    let p = parse(text, FileId(0));
    assert_eq!(
        where_(text, &p.errors),
        vec![(codes::UNTERMINATED_STRING, 2)]
    );
}

#[test]
fn when_expressions_over_lines_need_parentheses() {
    let text =
        "rule r {\n  when: crosses_boundary and\n    not authenticated\n  stride: spoofing\n}\n";
    let p = parse(text, FileId(0));
    assert_eq!(where_(text, &p.errors), vec![(codes::MULTILINE_WHEN, 2)]);
    assert_eq!(keys(decl(&p, "r")), ["when", "stride"]);

    let text =
        "rule r {\n  when: crosses_boundary\n    and not authenticated\n  stride: spoofing\n}\n";
    let p = parse(text, FileId(0));
    assert_eq!(where_(text, &p.errors), vec![(codes::MULTILINE_WHEN, 3)]);

    let text =
        "rule r {\n  when: (crosses_boundary and\n    not authenticated)\n  stride: spoofing\n}\n";
    let p = parse(text, FileId(0));
    assert!(p.errors.is_empty(), "{:#?}", p.errors);
}

#[test]
fn comparisons_do_not_chain() {
    let text = "rule r { when: low < max_integrity < high }\n";
    let p = parse(text, FileId(0));
    assert_eq!(
        where_(text, &p.errors),
        vec![(codes::CHAINED_COMPARISON, 1)]
    );
    assert_eq!(
        p.errors[0].span.unwrap().start as usize,
        text.rfind('<').unwrap()
    );
    // The first comparison is kept.
    let when = decl(&p, "r").property("when").map(|p| &p.value);
    assert!(matches!(when, Some(PropertyValue::Value(Value::Expr(_)))));
}

#[test]
fn messages_name_the_token_and_what_was_expected() {
    let cases: &[(&str, &str)] = &[
        (
            "zone home { trust untrusted }",
            "expected `:` or `{` after property name `trust`, found `untrusted`",
        ),
        (
            "zone home { trust: }",
            "expected a value after `trust:`, found `}`",
        ),
        (
            "zone home { trust:\n hostile }",
            "expected a value after `trust:`, found the end of the line",
        ),
        (
            "zone home \"Home\" trust: x }",
            "expected `{` or `in` after the title, found `trust`",
        ),
        (
            "component c { stores: [a b] }",
            "expected `,` or `]` after `a`, found `b`",
        ),
        (
            "flow f: a => b {}",
            "expected `->` or `<->` after `a`, found `=`",
        ),
        (
            "zone home { tags: [a] extra }",
            "expected `,`, a new line or `}` after property `tags`, found `extra`",
        ),
        (
            "rule r { when:\n  (a and b) }",
            "expected an operand after `when:`, found the end of the line",
        ),
        (
            "system s { a: 1. }",
            "expected `,`, a new line or `}` after property `a`, found `.`",
        ),
        (
            "use std",
            "expected `::` after `std`, found the end of the file",
        ),
    ];
    for (text, message) in cases {
        let p = parse(text, FileId(0));
        assert_eq!(p.errors.len(), 1, "{text}: {:#?}", p.errors);
        assert_eq!(p.errors[0].message, *message, "{text}");
    }
}
