//! The precision test of the threat library (issue #16, Deliver 6).
//!
//! Three realistic models under `tests/precision/` (a hospital infusion-pump
//! fleet, a CGM with AI alerts, a device maker's build and update
//! pipeline), each with `expected-threats.toml`: every threat the standard
//! rules generate on it, reviewed as `keep`, `duplicate` or `noise`. The test
//! fails when a threat appears or disappears without the file being updated,
//! when an entry is malformed or unclassified, and when fewer than 85% of a
//! model's threats are kept.
//!
//! After a rule change: `WARD_PRECISION_UPDATE=1 cargo test --test precision`
//! adds new ids as `unreviewed` and drops vanished ones; classify each new
//! entry by hand (the test rejects `unreviewed`), then regenerate
//! docs/rules.md (`WARD_UPDATE_DOCS=1 cargo test --test rules_doc`).

#[path = "precision/expectations.rs"]
mod expectations;

use expectations::{model_dir, parse, Entry, Expectations, Verdict, MODELS, UPDATE};
use std::collections::BTreeMap;
use ward_model::ThreatKey;

/// The floor of issue #16 ("Done when"): on each precision model at least
/// 85% of the generated threats are worth keeping. Below it, reviewers spend
/// more time triaging the register than the rules save them, and real
/// threats drown in duplicates and noise. The floor is not lowered, and no
/// threat is reclassified, to pass: a model below it points at a rule to fix.
const KEEP_FLOOR: f64 = 0.85;

/// The rule-generated threats of a model, id to title. Hand-written threats
/// and known vulnerabilities are the model author's, not the library's.
fn generated_threats(name: &str) -> BTreeMap<String, String> {
    let dir = model_dir(name);
    let compiled = ward_model::compile_path(&dir);
    let errors: Vec<String> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    assert!(
        errors.is_empty(),
        "precision model {name} does not compile: {errors:#?}"
    );
    let analysis = ward_analysis::analyze_compiled(&compiled).expect("the model compiles");
    let threats: BTreeMap<String, String> = analysis
        .threats
        .iter()
        .filter(|t| matches!(t.key, ThreatKey::Generated { .. }))
        .map(|t| (t.id.clone(), t.title.clone()))
        .collect();
    assert!(
        !threats.is_empty(),
        "precision model {name} generates no threats: does it `use std::stride`?"
    );
    threats
}

fn read(name: &str) -> Expectations {
    Expectations::read(&model_dir(name)).unwrap_or_else(|errors| {
        panic!(
            "the expectations of precision model {name} are malformed:\n  {}",
            errors.join("\n  ")
        )
    })
}

/// `WARD_PRECISION_UPDATE=1`: new ids become `unreviewed` entries (with their
/// title as a hint), vanished ids are dropped; everything reviewed stays.
fn update(name: &str, generated: &BTreeMap<String, String>) {
    let mut expected = Expectations::read_for_update(&model_dir(name)).unwrap_or_else(|errors| {
        panic!(
            "fix the expectations of precision model {name} before updating them:\n  {}",
            errors.join("\n  ")
        )
    });
    expected.threats.retain(|id, _| generated.contains_key(id));
    for (id, title) in generated {
        expected.threats.entry(id.clone()).or_insert_with(|| Entry {
            verdict: Verdict::Unreviewed,
            reason: String::new(),
            title: Some(title.clone()),
        });
    }
    let path = model_dir(name).join(expectations::FILE);
    std::fs::write(&path, expected.render()).expect("the expectations file is writable");
}

/// What is wrong with one model's expectations against its build, if anything.
fn drift(
    name: &str,
    generated: &BTreeMap<String, String>,
    expected: &Expectations,
) -> Option<String> {
    let appeared: Vec<String> = generated
        .iter()
        .filter(|(id, _)| !expected.threats.contains_key(*id))
        .map(|(id, title)| format!("{id} \"{title}\""))
        .collect();
    let vanished: Vec<&String> = expected
        .threats
        .keys()
        .filter(|id| !generated.contains_key(*id))
        .collect();
    let unreviewed: Vec<&String> = expected
        .threats
        .iter()
        .filter(|(_, e)| e.verdict == Verdict::Unreviewed)
        .map(|(id, _)| id)
        .collect();
    let mut problems = Vec::new();
    if !appeared.is_empty() {
        problems.push(format!(
            "new threats not in the expectations:\n    {}",
            appeared.join("\n    ")
        ));
    }
    if !vanished.is_empty() {
        problems.push(format!(
            "listed threats no longer generated:\n    {}",
            vanished
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n    ")
        ));
    }
    if !unreviewed.is_empty() {
        problems.push(format!(
            "threats still `unreviewed` (mark each keep, duplicate with `of`, or noise, with a reason):\n    {}",
            unreviewed
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n    ")
        ));
    }
    (!problems.is_empty()).then(|| {
        format!(
            "precision model {name} (tests/precision/{name}/{}):\n  {}\n  Run `{UPDATE}` to add new ids as `unreviewed` and drop vanished ones, \
             classify each new entry, then `WARD_UPDATE_DOCS=1 cargo test --test rules_doc`.",
            expectations::FILE,
            problems.join("\n  ")
        )
    })
}

#[test]
fn every_generated_threat_is_reviewed() {
    let updating = std::env::var_os("WARD_PRECISION_UPDATE").is_some_and(|v| v == "1");
    let generated: Vec<BTreeMap<String, String>> =
        MODELS.iter().map(|name| generated_threats(name)).collect();
    if updating {
        for (name, generated) in MODELS.iter().zip(&generated) {
            update(name, generated);
        }
    }
    let mut failures = Vec::new();
    for (name, generated) in MODELS.into_iter().zip(&generated) {
        let expected = read(name);
        let counts = expected.counts();
        println!(
            "{name}: {} threats, {} keep, {} duplicate, {} noise, {} unreviewed: keep ratio {:.1}%",
            generated.len(),
            counts.keep,
            counts.duplicate,
            counts.noise,
            counts.unreviewed,
            100.0 * counts.keep_ratio()
        );
        failures.extend(drift(name, generated, &expected));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn each_model_keeps_at_least_85_percent() {
    let mut below = Vec::new();
    for name in MODELS {
        let counts = read(name).counts();
        assert!(
            counts.total() > 0,
            "precision model {name} has no reviewed threats"
        );
        if counts.keep_ratio() < KEEP_FLOOR {
            below.push(format!(
                "{name}: {} of {} kept ({:.1}%)",
                counts.keep,
                counts.total(),
                100.0 * counts.keep_ratio()
            ));
        }
    }
    assert!(
        below.is_empty(),
        "below the {:.0}% keep floor of issue #16; find the rule that fires where it should not, the missing property or the grouping that should apply:\n  {}",
        100.0 * KEEP_FLOOR,
        below.join("\n  ")
    );
}

#[test]
fn a_model_is_checked_against_its_build() {
    let generated: BTreeMap<String, String> = [("a@x", "A on x"), ("b@x", "B on x")]
        .into_iter()
        .map(|(id, t)| (id.to_string(), t.to_string()))
        .collect();
    let file =
        |lines: &str| parse(&format!("exercises = \"a test\"\n[threats]\n{lines}")).expect("valid");
    let exact = file(
        "\"a@x\" = { verdict = \"keep\", reason = \"real\" }\n\
         \"b@x\" = { verdict = \"duplicate\", of = \"a@x\", reason = \"same\" }\n",
    );
    assert_eq!(drift("m", &generated, &exact), None);

    let missing = file("\"a@x\" = { verdict = \"keep\", reason = \"real\" }\n");
    let message = drift("m", &generated, &missing).expect("b@x is new");
    assert!(
        message.contains("new threats") && message.contains("b@x \"B on x\""),
        "{message}"
    );
    assert!(message.contains(UPDATE), "{message}");

    let stale = file(
        "\"a@x\" = { verdict = \"keep\", reason = \"real\" }\n\
         \"b@x\" = { verdict = \"noise\", reason = \"n\" }\n\
         \"c@x\" = { verdict = \"noise\", reason = \"gone\" }\n",
    );
    let message = drift("m", &generated, &stale).expect("c@x vanished");
    assert!(
        message.contains("no longer generated") && message.contains("c@x"),
        "{message}"
    );

    let unreviewed = file(
        "\"a@x\" = { verdict = \"keep\", reason = \"real\" }\n\
         \"b@x\" = { verdict = \"unreviewed\", reason = \"\", title = \"B on x\" }\n",
    );
    let message = drift("m", &generated, &unreviewed).expect("b@x is unreviewed");
    assert!(
        message.contains("unreviewed") && message.contains("b@x"),
        "{message}"
    );
    assert_eq!(unreviewed.counts().keep_ratio(), 0.5);
}

#[test]
fn malformed_entries_are_rejected_with_the_reason() {
    let errors = |lines: &str| {
        parse(&format!("exercises = \"a test\"\n[threats]\n{lines}"))
            .expect_err("malformed")
            .join("\n")
    };
    for (lines, says) in [
        ("\"a@x\" = { verdict = \"maybe\", reason = \"r\" }", "not one of keep"),
        ("\"a@x\" = { verdict = \"keep\" }", "no `reason`"),
        ("\"a@x\" = { verdict = \"keep\", reason = \"  \" }", "no `reason`"),
        ("\"a@x\" = { reason = \"r\" }", "no `verdict`"),
        ("\"a@x\" = { verdict = \"duplicate\", reason = \"r\" }", "with `of`"),
        ("\"a@x\" = { verdict = \"duplicate\", of = \"z@x\", reason = \"r\" }", "not in the list"),
        ("\"a@x\" = { verdict = \"keep\", of = \"b@x\", reason = \"r\" }", "only a duplicate"),
        ("\"a@x\" = { verdict = \"keep\", reason = \"r\", note = \"n\" }", "unknown field"),
        ("\"a@x\" = { verdict = \"keep\", reason = \"r\", title = \"T\" }", "remove it once classified"),
        ("\"a@x\" = { verdict = \"keep\", reason = \"\"\"two\nlines\"\"\" }", "one line"),
        ("\"ax\" = { verdict = \"keep\", reason = \"r\" }", "RULE@ELEMENT"),
        ("\"a@x\" = \"keep\"", "expected `{"),
        (
            "\"a@x\" = { verdict = \"noise\", reason = \"r\" }\n\"b@x\" = { verdict = \"duplicate\", of = \"a@x\", reason = \"r\" }",
            "not marked keep",
        ),
    ] {
        let message = errors(lines);
        assert!(message.contains(says), "{lines}\n  gave: {message}");
    }
    assert!(parse("[threats]\n")
        .expect_err("no exercises")
        .join("")
        .contains("exercises"));
    assert!(parse("exercises = \"x\"\nextra = 1\n")
        .expect_err("extra")
        .join("")
        .contains("unknown key"));
    assert!(parse("exercises = ")
        .expect_err("not TOML")
        .join("")
        .contains("not TOML"));
}

#[test]
fn the_rendered_file_reads_back_the_same() {
    let text = "exercises = \"a \\\"quoted\\\" test\"\n[threats]\n\
        \"a@x\" = { verdict = \"keep\", reason = \"real\" }\n\
        \"b@x\" = { verdict = \"duplicate\", of = \"a@x\", reason = \"same as a\" }\n\
        \"c@x\" = { verdict = \"noise\", reason = \"n\" }\n\
        \"d@x\" = { verdict = \"unreviewed\", reason = \"\", title = \"D \\\"on\\\" x\" }\n";
    let parsed = parse(text).expect("valid");
    assert_eq!(
        parse(&parsed.render()).expect("its own rendering parses"),
        parsed
    );
    let counts = parsed.counts();
    assert_eq!(
        (
            counts.keep,
            counts.duplicate,
            counts.noise,
            counts.unreviewed
        ),
        (1, 1, 1, 1)
    );
}
