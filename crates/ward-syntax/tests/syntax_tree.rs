//! The tree the parser builds for each construct of spec §1-2.

use ward_diagnostics::{FileId, Span};
use ward_syntax::ast::*;
use ward_syntax::parse;

fn only_decl(text: &str) -> Decl {
    let p = parse(text, FileId(3));
    assert!(p.errors.is_empty(), "{text}: {:#?}", p.errors);
    match p.ast.items.into_iter().next() {
        Some(Item::Decl(d)) => d,
        other => panic!("expected a declaration, got {other:?}"),
    }
}

fn value<'a>(d: &'a Decl, key: &str) -> &'a Value {
    match &d
        .property(key)
        .unwrap_or_else(|| panic!("no `{key}`"))
        .value
    {
        PropertyValue::Value(v) => v,
        PropertyValue::Block(_) => panic!("`{key}` is a block"),
    }
}

fn text_of(text: &str, span: Span) -> &str {
    &text[span.range()]
}

/// A compact rendering of an expression, with explicit grouping.
fn show(e: &Expr) -> String {
    match e {
        Expr::Logical {
            op, left, right, ..
        } => format!("({} {:?} {})", show(left), op, show(right)),
        Expr::Not { operand, .. } => format!("(not {})", show(operand)),
        Expr::Compare {
            op, left, right, ..
        } => format!("({} {} {})", show(left), op.symbol(), show(right)),
        Expr::In { item, list, .. } => format!("({} in {})", show(item), show(list)),
        Expr::Path { segments, .. } => segments
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join("."),
        Expr::Call {
            receiver,
            name,
            args,
            ..
        } => {
            let mut path: Vec<&str> = receiver.iter().map(|s| s.name.as_str()).collect();
            path.push(&name.name);
            format!(
                "{}({})",
                path.join("."),
                args.iter().map(show).collect::<Vec<_>>().join(", ")
            )
        }
        Expr::List { items, .. } => format!(
            "[{}]",
            items.iter().map(show).collect::<Vec<_>>().join(", ")
        ),
        Expr::Str(s) => format!("{:?}", s.value),
        Expr::Number(n) => n.value.to_string(),
        Expr::Bool(b) => b.value.to_string(),
        Expr::Paren { inner, .. } => format!("{{{}}}", show(inner)),
    }
}

fn when(expr: &str) -> String {
    let d = only_decl(&format!("rule r {{ when: {expr} }}"));
    match value(&d, "when") {
        Value::Expr(e) => show(e),
        other => panic!("not an expression: {other:?}"),
    }
}

#[test]
fn declaration_header_parts() {
    let text = "/// The pump.\n/// Second line.\ncomponent pump \"Insulin pump\" in pump_hw { kind: device }";
    let d = only_decl(text);
    assert_eq!(d.kind, DeclKind::Component);
    assert_eq!(text_of(text, d.keyword_span), "component");
    assert_eq!(d.name.name, "pump");
    assert_eq!(d.title.as_ref().unwrap().value, "Insulin pump");
    assert_eq!(d.parent.as_ref().unwrap().id.name, "pump_hw");
    assert_eq!(d.doc.as_deref(), Some("The pump.\nSecond line."));
    assert_eq!(
        text_of(text, d.span),
        &text[text.find("component").unwrap()..]
    );
    assert_eq!(d.span.file, FileId(3));
    assert_eq!(text_of(text, d.body.open), "{");
    assert_eq!(text_of(text, d.body.close.unwrap()), "}");
}

#[test]
fn doc_comments_attach_only_when_adjacent() {
    let p = parse("/// Detached.\n// plain\nzone a {}\n/// Attached.\n\nzone b {}\nzone c {} /// trailing\nzone d {}", FileId(0));
    let docs: Vec<Option<String>> = p
        .ast
        .items
        .iter()
        .map(|i| match i {
            Item::Decl(d) => d.doc.clone(),
            Item::Use(_) => None,
        })
        .collect();
    assert_eq!(
        docs,
        [
            None,
            Some("Attached.".into()),
            None,
            Some("trailing".into())
        ]
    );
    let kinds: Vec<CommentKind> = p.ast.comments.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        [
            CommentKind::Doc,
            CommentKind::Line,
            CommentKind::Doc,
            CommentKind::Doc
        ]
    );
}

#[test]
fn flows_both_directions_and_reverse() {
    let text = "flow f_sync: app <-> cloud_api \"Sync\" { protocol: https, carries: [glucose] }";
    let d = only_decl(text);
    let flow = d.flow.as_ref().unwrap();
    assert_eq!(
        (flow.source.id.name.as_str(), flow.target.id.name.as_str()),
        ("app", "cloud_api")
    );
    assert_eq!(flow.direction, FlowDirection::Both);
    assert_eq!(text_of(text, flow.direction_span), "<->");
    assert_eq!(d.title.as_ref().unwrap().value, "Sync");

    let d = only_decl("threat t { targets: [f_sync.reverse, pump], hazards: overdose }");
    let Value::List(list) = value(&d, "targets") else {
        panic!()
    };
    let Value::Ref(r) = &list.items[0] else {
        panic!()
    };
    assert_eq!(r.id.name, "f_sync");
    assert!(r.reverse.is_some());
    assert!(
        matches!(value(&d, "hazards"), Value::Ref(r) if r.id.name == "overdose" && r.reverse.is_none())
    );
}

#[test]
fn accept_names_a_rule_generated_threat() {
    let text = "accept unauthenticated_crossing@f_sync.reverse { level: review }";
    let d = only_decl(text);
    assert_eq!(d.kind, DeclKind::Accept);
    assert_eq!(d.name.name, "unauthenticated_crossing@f_sync.reverse");
    assert!(d.accepted_list.is_none());
    let [a] = d.accepted.as_slice() else {
        panic!("one accepted threat: {:?}", d.accepted)
    };
    assert_eq!(a.threat.name, "unauthenticated_crossing");
    let element = a.element.as_ref().unwrap();
    assert_eq!(element.id.name, "f_sync");
    assert!(element.reverse.is_some());
}

#[test]
fn accept_names_a_list_of_threats() {
    let text = "accept [\n  replay_bolus, // hand-written\n  unauthenticated_crossing@f_sync.reverse,\n] { level: review }";
    let d = only_decl(text);
    assert_eq!(d.kind, DeclKind::Accept);
    let texts: Vec<String> = d.accepted.iter().map(ThreatRef::text).collect();
    assert_eq!(
        texts,
        ["replay_bolus", "unauthenticated_crossing@f_sync.reverse"]
    );
    assert_eq!(text_of(text, d.accepted[0].span), "replay_bolus");
    assert_eq!(
        d.name.name,
        "[replay_bolus, unauthenticated_crossing@f_sync.reverse]"
    );
    let list = d.accepted_list.expect("the list's span");
    assert_eq!(d.name.span, list);
    assert!(text_of(text, list).starts_with('[') && text_of(text, list).ends_with(']'));
    assert_eq!(d.body.properties.len(), 1);
}

#[test]
fn accept_refuses_a_wildcard_and_keeps_the_named_threats() {
    for (text, wildcard) in [
        (
            "accept [replay_bolus, spoofing_*] { level: review }",
            "spoofing_*",
        ),
        ("accept * { level: review }", "*"),
        ("accept tampering@* { level: review }", "tampering@*"),
    ] {
        let parse = parse(text, FileId(0));
        let [error] = parse.errors.as_slice() else {
            panic!("{text}: one error expected: {:#?}", parse.errors)
        };
        assert_eq!(error.code, ward_syntax::codes::SYNTAX, "{text}");
        assert!(
            error.message.contains("wildcard"),
            "{text}: {}",
            error.message
        );
        assert!(
            error.message.contains(wildcard),
            "{text}: {}",
            error.message
        );
        assert_eq!(text_of(text, error.span.unwrap()), wildcard, "{text}");
        assert!(
            error
                .help
                .as_deref()
                .is_some_and(|h| h.contains("one by one")),
            "{text}: {:?}",
            error.help
        );
        let [Item::Decl(d)] = parse.ast.items.as_slice() else {
            panic!("{text}: the accept is kept")
        };
        let named: Vec<String> = d.accepted.iter().map(ThreatRef::text).collect();
        let expected: &[&str] = if text.contains("replay_bolus") {
            &["replay_bolus"]
        } else {
            &[]
        };
        assert_eq!(named, expected, "{text}");
    }
}

#[test]
fn values_of_every_kind() {
    let text = r#"control c {
  id: "SR-012", reduces: 2, ratio: 9.8, independent: false
  mitigates: [replay_bolus, unauthenticated_crossing@f_telemetry,]
  verification: [vt_102, test "Bench check of pairing UI"]
  policy: std::policy::iso14971_5x5
  applies_to: flow
  limits { overdose: serious }
  empty: []
}"#;
    let d = only_decl(text);
    assert!(matches!(value(&d, "id"), Value::Str(s) if s.value == "SR-012" && !s.triple));
    assert!(matches!(value(&d, "reduces"), Value::Number(n) if n.value == 2.0));
    assert!(matches!(value(&d, "ratio"), Value::Number(n) if n.value == 9.8));
    assert!(matches!(value(&d, "independent"), Value::Bool(b) if !b.value));
    let Value::List(m) = value(&d, "mitigates") else {
        panic!()
    };
    assert_eq!(m.items.len(), 2);
    assert!(
        matches!(&m.items[1], Value::ThreatRef(t) if t.threat.name == "unauthenticated_crossing"
        && t.element.as_ref().unwrap().id.name == "f_telemetry")
    );
    let Value::List(v) = value(&d, "verification") else {
        panic!()
    };
    let Value::Tagged(t) = &v.items[1] else {
        panic!("{:?}", v.items[1])
    };
    assert_eq!(
        (t.tag.name.as_str(), t.text.value.as_str()),
        ("test", "Bench check of pairing UI")
    );
    assert_eq!(text_of(text, t.span), "test \"Bench check of pairing UI\"");
    let Value::Path(p) = value(&d, "policy") else {
        panic!()
    };
    assert_eq!(p.text(), "std::policy::iso14971_5x5");
    assert!(matches!(value(&d, "applies_to"), Value::Ref(r) if r.id.name == "flow"));
    let PropertyValue::Block(limits) = &d.property("limits").unwrap().value else {
        panic!()
    };
    assert_eq!(limits.properties[0].key.name, "overdose");
    assert!(matches!(value(&d, "empty"), Value::List(l) if l.items.is_empty()));
    let span = d.property("mitigates").unwrap().span;
    assert_eq!(
        text_of(text, span),
        "mitigates: [replay_bolus, unauthenticated_crossing@f_telemetry,]"
    );
}

#[test]
fn policy_matrices_are_nested_blocks_of_lists() {
    let text = "policy p {\n  matrix {\n    //      low  high\n    minor:  [acceptable, review]\n    major:  [review,\n             unacceptable]\n  }\n}";
    let d = only_decl(text);
    let PropertyValue::Block(m) = &d.property("matrix").unwrap().value else {
        panic!()
    };
    let rows: Vec<(&str, usize)> = m
        .properties
        .iter()
        .map(|p| match &p.value {
            PropertyValue::Value(Value::List(l)) => (p.key.name.as_str(), l.items.len()),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(rows, [("minor", 2), ("major", 2)]);
}

#[test]
fn strings_are_decoded() {
    let text = "system s {\n  a: \"tab\\there \\\"q\\\" \\u{1F600}\"\n  description: \"\"\"\n    Patch pump.\n      Indented.\n  \"\"\"\n}";
    let d = only_decl(text);
    assert!(matches!(value(&d, "a"), Value::Str(s) if s.value == "tab\there \"q\" \u{1F600}"));
    assert!(
        matches!(value(&d, "description"), Value::Str(s) if s.triple && s.value == "Patch pump.\n  Indented.")
    );
}

#[test]
fn when_precedence() {
    assert_eq!(when("a or b and c"), "(a Or (b And c))");
    assert_eq!(when("a and b or c and d"), "((a And b) Or (c And d))");
    assert_eq!(when("a and b and c"), "((a And b) And c)");
    assert_eq!(when("not a and b"), "((not a) And b)");
    assert_eq!(when("not not a"), "(not (not a))");
    assert_eq!(when("not a == b"), "(not (a == b))");
    assert_eq!(
        when("crosses_boundary and not authenticated"),
        "(crosses_boundary And (not authenticated))"
    );
    assert_eq!(
        when("source.zone.trust < trusted"),
        "(source.zone.trust < trusted)"
    );
    assert_eq!(when("x in [a, b,]"), "(x in [a, b])");
    assert_eq!(
        when("kind in source.interfaces"),
        "(kind in source.interfaces)"
    );
    assert_eq!(
        when("source.has_interface(jtag) or carries_kind(command)"),
        "(source.has_interface(jtag) Or carries_kind(command))"
    );
    assert_eq!(when("(a or b) and c"), "({(a Or b)} And c)");
    assert_eq!(
        when("(a or\n   b) and max_integrity >= 2"),
        "({(a Or b)} And (max_integrity >= 2))"
    );
    assert_eq!(when("protocol != \"ble\""), "(protocol != \"ble\")");
    assert_eq!(when("true"), "true");
    assert_eq!(
        when("android and order and notes and index"),
        "(((android And order) And notes) And index)"
    );
}

#[test]
fn when_spans() {
    let text = "rule r { when: not a.b(c) and (d) }";
    let d = only_decl(text);
    let Value::Expr(e) = value(&d, "when") else {
        panic!()
    };
    assert_eq!(text_of(text, e.span()), "not a.b(c) and (d)");
    let Expr::Logical { left, right, .. } = e else {
        panic!()
    };
    assert_eq!(text_of(text, left.span()), "not a.b(c)");
    assert_eq!(text_of(text, right.span()), "(d)");
    let Expr::Not { operand, .. } = &**left else {
        panic!()
    };
    assert_eq!(text_of(text, operand.span()), "a.b(c)");
}

#[test]
fn uses() {
    let p = parse(
        "use std::stride // rules\nuse \"shared/cloud.ward\"\n",
        FileId(0),
    );
    assert!(p.errors.is_empty(), "{:#?}", p.errors);
    let targets: Vec<String> = p
        .ast
        .items
        .iter()
        .map(|i| match i {
            Item::Use(Use {
                target: UseTarget::Path(p),
                ..
            }) => p.text(),
            Item::Use(Use {
                target: UseTarget::File(f),
                ..
            }) => format!("file {}", f.value),
            Item::Decl(_) => panic!(),
        })
        .collect();
    assert_eq!(targets, ["std::stride", "file shared/cloud.ward"]);
}

#[test]
fn separators_comments_and_layout() {
    let text = "zone z { trust: hostile, /* c /* nested */ */ physical_access: true,\n  controlled_by: patient // end\n  , tags: [a,\n b] }";
    let d = only_decl(text);
    let keys: Vec<&str> = d
        .body
        .properties
        .iter()
        .map(|p| p.key.name.as_str())
        .collect();
    assert_eq!(keys, ["trust", "physical_access", "controlled_by", "tags"]);
    assert!(only_decl("zone z {}").body.properties.is_empty());
    assert!(only_decl("zone z\n{\n}\n").body.close.is_some());
}

#[test]
fn keywords_need_word_boundaries() {
    let p = parse("zones a {}", FileId(0));
    assert_eq!(p.errors.len(), 1);
    assert_eq!(p.errors[0].code, ward_syntax::codes::EXPECTED_DECLARATION);
    let d = only_decl("zone zone_a { trust: hostile }");
    assert_eq!(d.name.name, "zone_a");
    let d = only_decl("component c in inner { kind: device }");
    assert_eq!(d.parent.unwrap().id.name, "inner");
}
