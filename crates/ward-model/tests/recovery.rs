//! Error recovery seen from the whole compiler (docs/language.md §6): the
//! first diagnostic names what is actually wrong, a declaration that did not
//! parse whole raises no follow-on errors, and in a file with a syntax error
//! the syntax errors come first.

use ward_diagnostics::{apply_fixes, Applicability, Code, Diagnostic, FOLLOW_ON_NOTE};
use ward_model::{compile_memory, compile_str, Compiled};

/// A diagnostic as a user reads it: code, `line:col-line:col`, message, help.
fn shown(c: &Compiled, d: &Diagnostic) -> (Code, String, String, Option<String>) {
    let span = d.span.expect("a diagnostic with a place");
    let file = c.sources.get(span.file);
    let (from, to) = (
        file.line_col(span.start as usize),
        file.line_col(span.end as usize),
    );
    let at = format!("{}:{}-{}:{}", from.line, from.column, to.line, to.column);
    (d.code, at, d.message.clone(), d.help.clone())
}

fn first(c: &Compiled) -> (Code, String, String, Option<String>) {
    shown(c, c.diagnostics.first().expect("a diagnostic"))
}

fn codes(c: &Compiled) -> Vec<Code> {
    c.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn an_unfinished_accept_reports_its_wildcard_not_missing_properties() {
    let c = compile_str(
        "m.ward",
        include_str!("fixtures/recovery/unfinished_accept.ward"),
    );
    assert_eq!(
        first(&c),
        (
            Code::E0001,
            "10:8-10:11".into(),
            "`accept` names each threat it covers; `x@*` is a wildcard".into(),
            Some(
                "list the threats one by one, e.g. `accept [replay_bolus, spoofing@f_sync] { ... }`: \
                 a pattern would also accept threats added later, which no one has reviewed"
                    .into()
            )
        )
    );
    assert_eq!(
        codes(&c),
        [Code::E0001, Code::E0001],
        "{:#?}",
        c.diagnostics
    );
}

#[test]
fn an_accept_without_its_block_reports_the_block_not_missing_properties() {
    let c = compile_str(
        "m.ward",
        include_str!("fixtures/recovery/accept_without_block.ward"),
    );
    assert_eq!(
        first(&c),
        (
            Code::E0001,
            "11:1-11:1".into(),
            "expected `{`, found the end of the file".into(),
            None
        )
    );
    assert!(
        !codes(&c).contains(&Code::E0202),
        "no missing-property error for a header that failed: {:#?}",
        c.diagnostics
    );
}

#[test]
fn a_flow_without_an_id_says_so_and_declares_nothing() {
    let c = compile_str(
        "m.ward",
        include_str!("fixtures/recovery/flow_without_id.ward"),
    );
    assert_eq!(
        first(&c),
        (
            Code::E0001,
            "10:6-10:12".into(),
            "a flow needs an id before its ends: `flow ID: app -> api`".into(),
            Some("write the flow's id and `:` after `flow`".into())
        )
    );
    // `app` is the flow's source, not a second declaration of it.
    assert_eq!(codes(&c), [Code::E0001], "{:#?}", c.diagnostics);

    // The fix names the flow after its ends; a name is a choice, so `--fix`
    // leaves it to the editor.
    let fix = &c.diagnostics[0].fixes[0];
    assert_eq!(fix.applicability, Applicability::Unsafe);
    let text = include_str!("fixtures/recovery/flow_without_id.ward");
    let fixed = apply_fixes(text, [fix]).text;
    assert!(fixed.ends_with("flow app_to_api: app -> api\n"), "{fixed}");
}

#[test]
fn a_single_quoted_string_is_reported_at_its_quotes_with_a_safe_fix() {
    let text = include_str!("fixtures/recovery/single_quoted.ward");
    let c = compile_str("m.ward", text);
    assert_eq!(
        first(&c),
        (
            Code::E0001,
            "12:9-12:18".into(),
            "found a single-quoted string `'Seizure'`".into(),
            Some("strings use double quotes".into())
        )
    );
    // The hazard's `harm` is there, in the wrong quotes: not "missing".
    assert_eq!(codes(&c), [Code::E0001], "{:#?}", c.diagnostics);

    let fix = &c.diagnostics[0].fixes[0];
    assert_eq!(fix.applicability, Applicability::Safe);
    let fixed = apply_fixes(text, [fix]).text;
    assert!(fixed.contains("  harm: \"Seizure\"\n"), "{fixed}");
    let again = compile_str("m.ward", &fixed);
    assert!(!again.has_errors(), "{:#?}", again.diagnostics);
}

#[test]
fn a_single_quote_that_needs_escaping_gets_no_automatic_fix() {
    let c = compile_str(
        "m.ward",
        "system demo \"Demo\" {\n  version: 'say \"1\"'\n}\n",
    );
    let d = &c.diagnostics[0];
    assert_eq!(d.help.as_deref(), Some("strings use double quotes"));
    assert!(d.fixes.is_empty(), "{:#?}", d.fixes);
}

#[test]
fn syntax_errors_come_first_and_what_follows_in_their_file_is_noted() {
    let c = compile_memory(
        &[
            (
                "follow_ons.ward",
                include_str!("fixtures/recovery/follow_ons.ward"),
            ),
            (
                "other_file.ward",
                include_str!("fixtures/recovery/other_file.ward"),
            ),
        ],
        ".",
    );
    let seen: Vec<(Code, String, String)> = c
        .diagnostics
        .iter()
        .map(|d| {
            let (code, at, _, _) = shown(&c, d);
            let file = c.sources.get(d.span.unwrap().file).name.clone();
            (code, format!("{file}:{at}"), d.notes.join("|"))
        })
        .collect();
    assert_eq!(
        seen,
        [
            // The syntax error on line 10 comes before the line-8 error it
            // may explain...
            (
                Code::E0001,
                "follow_ons.ward:10:8-10:9".into(),
                String::new()
            ),
            (
                Code::E0111,
                "follow_ons.ward:8:21-8:26".into(),
                FOLLOW_ON_NOTE.into()
            ),
            // ...a file without a syntax error is untouched...
            (
                Code::E0111,
                "other_file.ward:1:28-1:35".into(),
                String::new()
            ),
        ],
        "{:#?}",
        c.diagnostics
    );
    // ...and `api`, whose block broke at `kind = service`, is not also
    // reported as missing its `kind`.
    assert!(!codes(&c).contains(&Code::E0202));
}

#[test]
fn synonyms_get_a_safe_did_you_mean_and_the_fixed_model_compiles() {
    let text = include_str!("fixtures/recovery/synonyms.ward");
    let c = compile_str("m.ward", text);
    let suggested: Vec<(&str, Applicability)> = c
        .diagnostics
        .iter()
        .filter_map(|d| d.fixes.first())
        .map(|f| (f.edits[0].replacement.as_str(), f.applicability))
        .collect();
    assert_eq!(
        suggested,
        [
            ("medium", Applicability::Safe), // confidentiality: moderate
            ("denial_of_service", Applicability::Safe), // stride: [dos]
            ("moderate", Applicability::Safe), // exploitability: medium
            ("cryptography", Applicability::Safe), // category: encryption
        ],
        "{:#?}",
        c.diagnostics
    );
    let dos = c
        .diagnostics
        .iter()
        .find(|d| d.message.starts_with("`dos`"))
        .unwrap();
    assert!(
        dos.help
            .as_deref()
            .is_some_and(|h| h.starts_with("did you mean `denial_of_service`?")),
        "{:?}",
        dos.help
    );
    let fixes = c.diagnostics.iter().flat_map(|d| d.fixes.iter());
    let fixed = apply_fixes(text, fixes).text;
    let again = compile_str("m.ward", &fixed);
    assert!(!again.has_errors(), "{:#?}", again.diagnostics);
}

#[test]
fn a_single_quoted_title_is_reported_the_same_way() {
    let text = "system demo 'Demo' {\n  version: \"1.0\"\n}\n";
    let c = compile_str("m.ward", text);
    assert_eq!(
        first(&c),
        (
            Code::E0001,
            "1:13-1:19".into(),
            "found a single-quoted string `'Demo'`".into(),
            Some("strings use double quotes".into())
        )
    );
    let fixed = apply_fixes(text, &c.diagnostics[0].fixes).text;
    assert_eq!(fixed, "system demo \"Demo\" {\n  version: \"1.0\"\n}\n");
}
