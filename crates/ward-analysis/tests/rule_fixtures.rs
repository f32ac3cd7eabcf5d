//! A test per rule: every `std::stride` rule has a folder
//! `tests/rules/<rule>/` with two complete models,
//!
//! - `fires.ward`, whose first line is `// expect: threat on <element>`: the
//!   rule yields a threat on that element (flow, component or actor) and on
//!   no other;
//! - `hardened.ward`, whose first line is `// expect: no threat on <element>`:
//!   the same element, fixed the way an architect would fix it (the property,
//!   tag or design choice the rule's condition reads), and the rule yields no
//!   threat at all.
//!
//! The rules are read from the compiled standard library, so a new rule
//! fails here until its fixtures exist. Further `.ward` files in a folder
//! are regression cases with the same first-line claim.

mod common;
use common::try_analysed;

use std::path::{Path, PathBuf};
use ward_analysis::Analysis;
use ward_model::{compile_str, Compiled};

const FIRES: &str = "fires.ward";
const HARDENED: &str = "hardened.ward";

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules")
}

/// The names of the rules `use std::stride` brings in, in file order.
fn stdlib_rules() -> Vec<String> {
    let compiled = compile_str("rules.ward", "system s \"Rules\" {}\nuse std::stride\n");
    assert!(
        !compiled.has_errors(),
        "the standard library compiles without errors"
    );
    let rules: Vec<String> = compiled
        .model
        .rules
        .iter()
        .filter(|r| r.from_stdlib)
        .map(|r| r.meta.name.clone())
        .collect();
    assert!(!rules.is_empty(), "std::stride declares rules");
    rules
}

/// What a fixture's first line claims about its rule.
#[derive(Debug, PartialEq)]
enum Expect {
    /// `// expect: threat on ID`: the rule fires on `ID` and nothing else.
    Threat(String),
    /// `// expect: no threat on ID`: `ID` is declared, the rule fires nowhere.
    NoThreat(String),
}

impl Expect {
    fn parse(text: &str) -> Option<Expect> {
        let claim = text
            .lines()
            .next()?
            .trim()
            .strip_prefix("// expect:")?
            .trim();
        let (make, id): (fn(String) -> Expect, &str) =
            if let Some(id) = claim.strip_prefix("no threat on ") {
                (Expect::NoThreat, id)
            } else {
                (Expect::Threat, claim.strip_prefix("threat on ")?)
            };
        let id = id.trim();
        (!id.is_empty() && !id.contains(char::is_whitespace)).then(|| make(id.to_string()))
    }

    fn element(&self) -> &str {
        match self {
            Expect::Threat(id) | Expect::NoThreat(id) => id,
        }
    }
}

/// Whether the model declares a flow, component or actor with this id.
fn declares(compiled: &Compiled, id: &str) -> bool {
    compiled.model.find_flow(id).is_some() || compiled.model.find_element(id).is_some()
}

/// The ids of the elements `rule` yields a threat on.
fn threatened_by(compiled: &Compiled, analysis: &Analysis, rule: &str) -> Vec<String> {
    analysis
        .threats
        .iter()
        .filter(|t| t.rule.as_deref() == Some(rule))
        .flat_map(|t| t.targets.iter())
        .map(|target| compiled.model.target_name(*target).to_string())
        .collect()
}

/// The problems with one fixture of `rule` (empty when its claim holds).
fn check_fixture(rule: &str, file: &str, text: &str, expect: &Expect) -> Vec<String> {
    let path = format!("tests/rules/{rule}/{file}");
    let (compiled, analysis) = match try_analysed(&path, text) {
        Ok(result) => result,
        Err(errors) => return vec![format!("`{rule}`: {path} does not compile:\n{errors}")],
    };
    let on = threatened_by(&compiled, &analysis, rule);
    let mut problems = Vec::new();
    match expect {
        Expect::Threat(element) => {
            if on != [element.clone()] {
                problems.push(format!(
                    "`{rule}`: {path} should yield exactly `{rule}@{element}`, but the rule fired on {on:?}"
                ));
            }
        }
        Expect::NoThreat(element) => {
            if !declares(&compiled, element) {
                problems.push(format!(
                    "`{rule}`: {path} does not declare `{element}`; fix the element, do not delete it"
                ));
            }
            if !on.is_empty() {
                problems.push(format!(
                    "`{rule}`: {path} should yield no threat from the rule, but it fired on {on:?}"
                ));
            }
        }
    }
    problems
}

/// Every problem with one rule's fixtures (empty when it has none): both
/// required fixtures exist with the right claims on one element, and every
/// `.ward` file in the folder (further ones are regression cases) holds its
/// claim.
fn check_rule(rule: &str) -> Vec<String> {
    let dir = fixtures_dir().join(rule);
    let mut files: Vec<(String, String)> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|entry| {
                let path = entry.ok()?.path();
                let name = path.file_name()?.to_str()?.to_string();
                if !name.ends_with(".ward") {
                    return None;
                }
                Some((name, std::fs::read_to_string(&path).ok()?))
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    let mut problems = Vec::new();
    let mut claims = Vec::new();
    for (file, text) in &files {
        match Expect::parse(text) {
            Some(expect) => {
                problems.extend(check_fixture(rule, file, text, &expect));
                claims.push((file.as_str(), expect));
            }
            None => problems.push(format!(
                "`{rule}`: tests/rules/{rule}/{file} must start with \
                 `// expect: threat on <id>` or `// expect: no threat on <id>`"
            )),
        }
    }
    let claim = |file: &str| claims.iter().find(|(f, _)| *f == file).map(|(_, e)| e);
    for (file, wants_threat, claim_text) in [
        (FIRES, true, "threat on"),
        (HARDENED, false, "no threat on"),
    ] {
        match claim(file) {
            Some(expect) if matches!(expect, Expect::Threat(_)) == wants_threat => {}
            Some(_) => problems.push(format!(
                "`{rule}`: {file} must claim `// expect: {claim_text} <id>`"
            )),
            // A file whose first line is not a claim is reported above.
            None if files.iter().any(|(f, _)| f == file) => {}
            None => problems.push(format!(
                "`{rule}`: missing fixture tests/rules/{rule}/{file}"
            )),
        }
    }
    if let (Some(fires), Some(hardened)) = (claim(FIRES), claim(HARDENED)) {
        if fires.element() != hardened.element() {
            problems.push(format!(
                "`{rule}`: {FIRES} expects `{}` but {HARDENED} names `{}`; \
                 the hardened variant fixes the same element",
                fires.element(),
                hardened.element()
            ));
        }
    }
    problems
}

#[test]
fn every_std_stride_rule_fires_on_its_fixture_and_not_on_its_hardened_variant() {
    let problems: Vec<String> = stdlib_rules()
        .iter()
        .flat_map(|rule| check_rule(rule))
        .collect();
    assert!(
        problems.is_empty(),
        "{} problem(s) with the rule fixtures in tests/rules/:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_fixture_folder_names_a_std_stride_rule() {
    let rules = stdlib_rules();
    let mut strays = Vec::new();
    for entry in std::fs::read_dir(fixtures_dir()).expect("tests/rules/ exists") {
        let name = entry.expect("readable entry").file_name();
        let name = name.to_string_lossy();
        if !rules.iter().any(|r| *r == name) {
            strays.push(name.into_owned());
        }
    }
    assert!(
        strays.is_empty(),
        "folders in tests/rules/ that name no std::stride rule (renamed or removed?): {strays:?}"
    );
}

#[test]
fn the_expect_line_names_one_element() {
    assert_eq!(
        Expect::parse("// expect: threat on f_cmd\nuse std::stride\n"),
        Some(Expect::Threat("f_cmd".to_string()))
    );
    assert_eq!(
        Expect::parse("// expect: no threat on pump\n"),
        Some(Expect::NoThreat("pump".to_string()))
    );
    assert_eq!(Expect::parse("use std::stride\n"), None);
    assert_eq!(Expect::parse("// expect: threat on a b\n"), None);
    assert_eq!(Expect::parse("// expect: threat on\n"), None);
}
