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
//! fails here until its fixtures exist.

use std::path::{Path, PathBuf};
use ward_analysis::{analyze, Analysis};
use ward_diagnostics::{render_terminal, ColorChoice, Diagnostic};
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

/// The element named by a fixture's first line, `// expect: <claim> <id>`.
fn expected_element(text: &str, claim: &str) -> Option<String> {
    let first = text.lines().next()?.trim();
    let id = first.strip_prefix("// expect:")?.trim().strip_prefix(claim)?;
    let id = id.trim();
    (!id.is_empty() && !id.contains(char::is_whitespace)).then(|| id.to_string())
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

/// Compiles and analyses one fixture; `Err` renders its compile errors.
fn analysed_fixture(name: &str, text: &str) -> Result<(Compiled, Analysis), String> {
    let compiled = compile_str(name, text);
    let errors: Vec<Diagnostic> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    if !errors.is_empty() {
        return Err(format!(
            "{name} does not compile:\n{}",
            render_terminal(&compiled.sources, &errors, ColorChoice::Never)
        ));
    }
    let analysis = analyze(&compiled.model);
    Ok((compiled, analysis))
}

/// Reads one fixture and the element its first line names; `Err` says what
/// is wrong with it.
fn read_fixture(rule: &str, file: &str, claim: &str) -> Result<(String, String), String> {
    let path = fixtures_dir().join(rule).join(file);
    let text = std::fs::read_to_string(&path)
        .map_err(|_| format!("`{rule}`: missing fixture tests/rules/{rule}/{file}"))?;
    let element = expected_element(&text, claim).ok_or_else(|| {
        format!("`{rule}`: tests/rules/{rule}/{file} must start with `// expect: {claim} <element id>`")
    })?;
    Ok((text, element))
}

/// Every problem with one rule's fixtures (empty when it has none).
fn check_rule(rule: &str) -> Vec<String> {
    let fires = read_fixture(rule, FIRES, "threat on");
    let hardened = read_fixture(rule, HARDENED, "no threat on");
    let (fires, hardened) = match (fires, hardened) {
        (Ok(f), Ok(h)) => (f, h),
        (f, h) => return [f.err(), h.err()].into_iter().flatten().collect(),
    };
    let mut problems = Vec::new();
    let (fires_text, element) = fires;
    let (hardened_text, hardened_element) = hardened;
    if element != hardened_element {
        problems.push(format!(
            "`{rule}`: fires.ward expects `{element}` but hardened.ward names `{hardened_element}`; \
             the hardened variant fixes the same element"
        ));
    }

    match analysed_fixture(&format!("tests/rules/{rule}/{FIRES}"), &fires_text) {
        Ok((compiled, analysis)) => {
            let on = threatened_by(&compiled, &analysis, rule);
            if on != [element.clone()] {
                problems.push(format!(
                    "`{rule}`: fires.ward should yield exactly `{rule}@{element}`, but the rule fired on {on:?}"
                ));
            }
        }
        Err(error) => problems.push(format!("`{rule}`: {error}")),
    }

    let (compiled, analysis) =
        match analysed_fixture(&format!("tests/rules/{rule}/{HARDENED}"), &hardened_text) {
            Ok(result) => result,
            Err(error) => {
                problems.push(format!("`{rule}`: {error}"));
                return problems;
            }
        };
    if !declares(&compiled, &hardened_element) {
        problems.push(format!(
            "`{rule}`: hardened.ward no longer declares `{hardened_element}`; \
             fix the element, do not delete it"
        ));
    }
    let on = threatened_by(&compiled, &analysis, rule);
    if !on.is_empty() {
        problems.push(format!(
            "`{rule}`: hardened.ward should yield no threat from the rule, but it fired on {on:?}"
        ));
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
        expected_element("// expect: threat on f_cmd\nuse std::stride\n", "threat on"),
        Some("f_cmd".to_string())
    );
    assert_eq!(
        expected_element("// expect: no threat on pump\n", "no threat on"),
        Some("pump".to_string())
    );
    assert_eq!(
        expected_element("// expect: no threat on pump\n", "threat on"),
        None
    );
    assert_eq!(expected_element("use std::stride\n", "threat on"), None);
    assert_eq!(
        expected_element("// expect: threat on a b\n", "threat on"),
        None
    );
}
