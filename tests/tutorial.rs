//! docs/tutorial.md is executed: every `sh` block runs in a new folder in
//! order (with the `ward` this test built first on PATH), every `ward`
//! snippet is applied to the file it names, and every output block shown
//! is compared with the real output. A stale tutorial fails here.
//!
//! The page tells the test what each fenced block is with an HTML comment
//! on the line before it:
//! - `<!-- tutorial: run -->` (or `run, exit N`) before a `sh` block: run
//!   it with `sh -c`, expect exit status 0 (or N). A block that is only
//!   `cd DIR` moves the later commands into DIR.
//! - `<!-- tutorial: skip (why) -->` before a `sh` block: not run; only
//!   installation and editor steps may be skipped.
//! - `<!-- tutorial: append FILE -->` / `replace FILE` before a `ward`
//!   block: append it to FILE, or replace the declaration of FILE whose
//!   first line is the snippet's first line (through its closing `}`);
//!   `replace FILE from `TEXT`` replaces the one whose first line starts
//!   with TEXT instead.
//! - `<!-- tutorial: output -->` before a `text` block just after a run:
//!   each of its lines must appear in what the command printed, and the
//!   diagnostics it shows must be all the command reported. The comparison
//!   is by line containment, not exact text, so that the summary lines of
//!   the command line may change without rewriting the page.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug)]
enum Step {
    Run {
        line: usize,
        script: String,
        exit: i32,
        shown: Option<String>,
    },
    Cd(String),
    Append {
        file: String,
        text: String,
    },
    Replace {
        file: String,
        /// The start of the declaration's first line in the file (default:
        /// the snippet's first line, whole).
        from: Option<String>,
        text: String,
    },
}

/// The steps of a tutorial page, or why the page is malformed.
fn steps(page: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    let mut directive: Option<(usize, String)> = None;
    let mut lines = page.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let number = index + 1;
        let trimmed = line.trim();
        if let Some(rest) = trimmed.strip_prefix("<!-- tutorial:") {
            let Some(text) = rest.strip_suffix("-->") else {
                return Err(format!("line {number}: unterminated tutorial comment"));
            };
            if let Some((at, _)) = directive {
                return Err(format!("line {at}: tutorial comment before no block"));
            }
            directive = Some((number, text.trim().to_string()));
            continue;
        }
        let Some(lang) = line.strip_prefix("```") else {
            if !trimmed.is_empty() {
                if let Some((at, _)) = directive.take() {
                    return Err(format!(
                        "line {at}: tutorial comment not followed by a block"
                    ));
                }
            }
            continue;
        };
        let mut body = String::new();
        loop {
            match lines.next() {
                Some((_, l)) if l.starts_with("```") => break,
                Some((_, l)) => {
                    body.push_str(l);
                    body.push('\n');
                }
                None => return Err(format!("line {number}: unclosed block")),
            }
        }
        let what = directive.take().map(|(_, d)| d);
        match (lang.trim(), what.as_deref()) {
            ("sh", Some(d)) if d.starts_with("skip") => {
                let installs = body.trim_start().starts_with("cargo install");
                if !installs && !d.contains("editor") {
                    return Err(format!(
                        "line {number}: only installation and editor steps may be skipped"
                    ));
                }
            }
            ("sh", Some(d)) if d.starts_with("run") => {
                let exit = match d.strip_prefix("run").map(str::trim) {
                    Some("") => 0,
                    Some(rest) => rest
                        .strip_prefix(", exit")
                        .and_then(|n| n.trim().parse().ok())
                        .ok_or_else(|| format!("line {number}: bad directive `{d}`"))?,
                    None => unreachable!(),
                };
                let script = body.trim().to_string();
                match script.strip_prefix("cd ") {
                    Some(dir) if !dir.contains(['&', ';', '|']) => {
                        steps.push(Step::Cd(dir.trim().to_string()))
                    }
                    _ => steps.push(Step::Run {
                        line: number,
                        script,
                        exit,
                        shown: None,
                    }),
                }
            }
            ("ward", Some(d)) => {
                let (how, file) = d
                    .split_once(' ')
                    .ok_or_else(|| format!("line {number}: `{d}` names no file"))?;
                let text = body;
                let (file, from) = match file.split_once(" from ") {
                    Some((file, from)) => (file, Some(from.trim().trim_matches('`').to_string())),
                    None => (file, None),
                };
                let file = file.trim().to_string();
                match how {
                    "append" => steps.push(Step::Append { file, text }),
                    "replace" => steps.push(Step::Replace { file, from, text }),
                    _ => return Err(format!("line {number}: unknown snippet directive `{d}`")),
                }
            }
            ("text", Some("output")) => match steps.last_mut() {
                Some(Step::Run { shown, .. }) if shown.is_none() => *shown = Some(body),
                _ => return Err(format!("line {number}: output shown after no command")),
            },
            (lang @ ("sh" | "ward" | "text"), what) => {
                return Err(format!(
                    "line {number}: a `{lang}` block marked {what:?}: every sh, ward and text block says what it is"
                ))
            }
            _ => {}
        }
    }
    if let Some((at, _)) = directive {
        return Err(format!("line {at}: tutorial comment before no block"));
    }
    Ok(steps)
}

/// The lines of a diagnostic's first line (`error[E0111]: ...`).
fn diagnostic_headers(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| l.starts_with("error[") || l.starts_with("warning["))
        .collect()
}

/// Replaces the declaration of `file` whose first line is `snippet`'s, or
/// starts with `from`.
fn replace_declaration(file: &Path, from: Option<&str>, snippet: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let lines: Vec<&str> = text.lines().collect();
    let first = snippet.lines().next().unwrap_or_default();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| match from {
            Some(from) => lines[i].starts_with(from),
            None => lines[i] == first,
        })
        .collect();
    let header = lines
        .get(starts.first().copied().unwrap_or(0))
        .copied()
        .unwrap_or(first);
    let [start] = starts[..] else {
        return Err(format!(
            "`{}` is in {} {} times, not once",
            from.unwrap_or(first),
            file.display(),
            starts.len()
        ));
    };
    let end = if header.trim_end().ends_with('}') {
        start
    } else {
        (start..lines.len())
            .find(|&i| lines[i] == "}")
            .ok_or_else(|| format!("`{header}` has no closing `}}`"))?
    };
    let mut out: Vec<&str> = lines[..start].to_vec();
    out.extend(snippet.trim_end().lines());
    out.extend(&lines[end + 1..]);
    std::fs::write(file, out.join("\n") + "\n").map_err(|e| e.to_string())
}

/// Runs the page in a new folder; the first step that fails, and why.
fn run_tutorial(page: &str) -> Result<(), String> {
    let steps = steps(page)?;
    let root = tempfile::tempdir().unwrap();
    let ward = PathBuf::from(env!("CARGO_BIN_EXE_ward"));
    let bin = ward.parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cwd = root.path().to_path_buf();
    for step in &steps {
        match step {
            Step::Cd(dir) => {
                cwd = cwd.join(dir);
                if !cwd.is_dir() {
                    return Err(format!("`cd {dir}`: no such folder"));
                }
            }
            Step::Append { file, text } => {
                let path = cwd.join(file);
                let mut old = std::fs::read_to_string(&path).map_err(|e| format!("{file}: {e}"))?;
                old.push('\n');
                old.push_str(text);
                std::fs::write(&path, old).unwrap();
            }
            Step::Replace { file, from, text } => {
                replace_declaration(&cwd.join(file), from.as_deref(), text)?
            }
            Step::Run {
                line,
                script,
                exit,
                shown,
            } => {
                let output = Command::new("sh")
                    .arg("-c")
                    .arg(script)
                    .current_dir(&cwd)
                    .env("PATH", &path)
                    .env("NO_COLOR", "1")
                    .env_remove("WARD_LOG")
                    // git, for the change-control step, without the
                    // machine's own configuration.
                    .env("HOME", root.path())
                    .env("GIT_CONFIG_NOSYSTEM", "1")
                    .env("GIT_AUTHOR_NAME", "Tutorial")
                    .env("GIT_AUTHOR_EMAIL", "tutorial@example.com")
                    .env("GIT_COMMITTER_NAME", "Tutorial")
                    .env("GIT_COMMITTER_EMAIL", "tutorial@example.com")
                    .output()
                    .map_err(|e| format!("line {line}: sh: {e}"))?;
                let printed = format!(
                    "{}{}",
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                );
                let context = || format!("line {line}: `{script}` printed:\n{printed}");
                if output.status.code() != Some(*exit) {
                    return Err(format!(
                        "exit status {:?}, the page says {exit}; {}",
                        output.status.code(),
                        context()
                    ));
                }
                let shown = shown.as_deref().unwrap_or_default();
                for expected in shown.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    if !printed.contains(expected) {
                        return Err(format!("the page shows `{expected}`; {}", context()));
                    }
                }
                let mut real = diagnostic_headers(&printed);
                let mut claimed = diagnostic_headers(shown);
                real.sort_unstable();
                claimed.sort_unstable();
                if real != claimed {
                    return Err(format!(
                        "the page shows the diagnostics {claimed:?}, not {real:?}; {}",
                        context()
                    ));
                }
            }
        }
    }
    Ok(())
}

fn tutorial() -> String {
    std::fs::read_to_string(support::repo_root().join("docs/tutorial.md")).unwrap()
}

#[test]
fn the_tutorial_runs_as_written() {
    let page = tutorial();
    let steps = steps(&page).unwrap();
    // The page is read: the commands it teaches are among the steps.
    let scripts: Vec<&str> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Run { script, .. } => Some(script.as_str()),
            _ => None,
        })
        .collect();
    for taught in [
        "ward init --template wearable",
        "ward check --explain-risk",
        "ward build",
        "ward diff",
        "ward check --deny-warnings",
    ] {
        assert!(
            scripts.iter().any(|s| s.contains(taught)),
            "`{taught}` is not run"
        );
    }
    if let Err(why) = run_tutorial(&page) {
        panic!("docs/tutorial.md is stale: {why}");
    }
}

/// The comparison can fail: a page whose output no longer matches, whose
/// exit status is wrong, or whose snippet names a missing declaration.
#[test]
fn a_stale_tutorial_fails() {
    let page = tutorial();
    let wrong_fix = page.replace("did you mean `glucose`?", "did you mean `glucagon`?");
    assert!(run_tutorial(&wrong_fix)
        .unwrap_err()
        .contains("did you mean `glucagon`?"));

    let hidden_warning = page.replacen(
        "warning[W0402]: threat `mobile_platform_compromise@follower_app` has residual risk `review` and is not accepted\n",
        "",
        1,
    );
    assert_ne!(hidden_warning, page);
    assert!(run_tutorial(&hidden_warning).unwrap_err().contains("W0402"));

    let wrong_exit = page.replacen(
        "<!-- tutorial: run, exit 2 -->",
        "<!-- tutorial: run -->",
        1,
    );
    assert!(run_tutorial(&wrong_exit)
        .unwrap_err()
        .contains("exit status Some(2)"));
}

#[test]
fn every_block_must_say_what_it_is() {
    let unmarked = "# T\n\n```sh\nward check\n```\n";
    assert!(steps(unmarked)
        .unwrap_err()
        .contains("every sh, ward and text block"));
    let skipped_check = "<!-- tutorial: skip (slow) -->\n```sh\nward check\n```\n";
    assert!(steps(skipped_check)
        .unwrap_err()
        .contains("only installation and editor steps"));
    let orphan = "<!-- tutorial: output -->\n```text\nE0111\n```\n";
    assert!(steps(orphan).unwrap_err().contains("after no command"));
}
