//! The formatter's contract: canonical output (snapshots, one per construct),
//! idempotence, and the same tree and comments before and after, on every
//! fixture and on every `.ward` file of the repository.

use std::fs;
use std::path::{Path, PathBuf};
use ward_diagnostics::FileId;
use ward_syntax::ast::{CommentKind, Item, SourceFileAst};
use ward_syntax::{format, parse};

/// How many fixtures `format_fixtures/` holds at least: the test must not
/// pass on an empty folder.
const MIN_FIXTURES: usize = 20;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.ward` file below `dir`, sorted; none if `dir` does not exist.
fn ward_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return files;
    };
    for entry in entries {
        let path = entry.expect("readable directory entry").path();
        if path.is_dir() {
            files.extend(ward_files(&path));
        } else if path.extension().is_some_and(|e| e == "ward") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// Formats `text`, checks the contract, and returns the output.
fn format_checked(name: &str, text: &str) -> String {
    let once = format(text, FileId(0)).unwrap_or_else(|d| panic!("{name}: refused: {d:#?}"));
    let twice = format(&once, FileId(0))
        .unwrap_or_else(|d| panic!("{name}: output refused: {d:#?}\n{once}"));
    assert_eq!(once, twice, "{name}: formatting is not idempotent");
    let before = parse(text, FileId(0));
    let after = parse(&once, FileId(0));
    assert_eq!(
        tree_shape(&before.ast),
        tree_shape(&after.ast),
        "{name}: the tree changed\n{once}"
    );
    assert_eq!(
        comment_texts(&before.ast),
        comment_texts(&after.ast),
        "{name}: comments changed\n{once}"
    );
    assert!(
        once.is_empty() || (once.ends_with('\n') && !once.ends_with("\n\n")),
        "{name}: bad file end"
    );
    assert!(!once.contains("\n\n\n"), "{name}: two blank lines in a row");
    once
}

/// The tree without spans, for comparison. Doc texts are compared without
/// trailing whitespace, which the formatter removes from comments.
fn tree_shape(ast: &SourceFileAst) -> String {
    let mut items = ast.items.clone();
    for item in &mut items {
        if let Item::Decl(decl) = item {
            decl.doc = decl.doc.take().map(|doc| {
                doc.lines()
                    .map(str::trim_end)
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    strip_spans(&format!("{items:?}"))
}

fn strip_spans(debug: &str) -> String {
    const SPAN: &str = "Span { file: FileId(";
    let mut out = String::new();
    let mut rest = debug;
    while let Some(start) = rest.find(SPAN) {
        out.push_str(&rest[..start]);
        out.push_str("Span");
        let end = rest[start..].find('}').expect("a span's closing brace") + start + 1;
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The comments as a sorted multiset (line comments without trailing spaces).
fn comment_texts(ast: &SourceFileAst) -> Vec<String> {
    let mut texts: Vec<String> = ast
        .comments
        .iter()
        .map(|c| match c.kind {
            CommentKind::Block => c.text.clone(),
            CommentKind::Line | CommentKind::Doc => c.text.trim_end().to_string(),
        })
        .collect();
    texts.sort();
    texts
}

#[test]
fn fixtures_format_to_their_snapshots() {
    let mut count = 0;
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("format_fixtures/snapshots");
    settings.set_prepend_module_to_snapshot(false);
    let _guard = settings.bind_to_scope();
    insta::glob!("format_fixtures/*.ward", |path| {
        let input = fs::read_to_string(path).expect("fixture is readable");
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let output = format_checked(&name, &input);
        for (number, line) in output.lines().enumerate() {
            assert_eq!(
                line,
                line.trim_end(),
                "{name}: trailing whitespace on output line {}",
                number + 1
            );
        }
        insta::assert_snapshot!(format!("--- input\n{input}--- output\n{output}"));
        count += 1;
    });
    assert!(count >= MIN_FIXTURES, "only {count} fixtures found");
}

#[test]
fn every_ward_file_of_the_repository_formats_stably() {
    let root = crate_dir().join("../..");
    let mut files = ward_files(&crate_dir().join("tests/format_fixtures"));
    let fixtures = files.len();
    assert!(fixtures >= MIN_FIXTURES, "only {fixtures} fixtures found");
    files.extend(ward_files(&root.join("examples")));
    files.extend(ward_files(&root.join("stdlib")));
    for path in &files {
        let text = fs::read_to_string(path).expect("ward file is readable");
        let text = ward_diagnostics::normalize_text(&text);
        format_checked(&path.display().to_string(), &text);
    }
}

#[test]
fn a_file_with_syntax_errors_is_refused_with_the_parse_diagnostics() {
    let text = "zone internet \"Internet\" { trust: hostile\n\nzone home { trust untrusted }\n";
    let errors = format(text, FileId(3)).expect_err("syntax errors refuse formatting");
    assert!(!errors.is_empty());
    assert!(errors.iter().all(|d| d.span.unwrap().file == FileId(3)));
    let parsed = parse(text, FileId(3));
    assert_eq!(errors, parsed.errors);
}

#[test]
fn an_empty_file_stays_empty() {
    assert_eq!(format("", FileId(0)).unwrap(), "");
    assert_eq!(format("\n\n  \n", FileId(0)).unwrap(), "");
}

#[test]
fn triple_quoted_strings_keep_their_value_when_reindented() {
    let text = "system s {\n        description: \"\"\"\n              First line\n                indented more\n\n              last\n            \"\"\"\n}\n";
    let output = format_checked("triple", text);
    assert_eq!(
        output,
        "system s {\n  description: \"\"\"\n    First line\n      indented more\n\n    last\n  \"\"\"\n}\n"
    );
}

/// What an approval's content hash is taken over: the same declaration
/// written with other comments, spacing or layout prints the same text.
#[test]
fn a_declaration_without_comments_prints_the_same_whatever_its_comments_and_layout() {
    let print = |text: &str| {
        let parsed = parse(text, FileId(0));
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let decl = parsed
            .ast
            .items
            .iter()
            .find_map(|item| match item {
                Item::Decl(d) => Some(d),
                Item::Use(_) => None,
            })
            .expect("a declaration");
        ward_syntax::format::format_decl_without_comments(text, decl)
    };
    let plain = print("zone home \"Home\" { trust: untrusted, controlled_by: patient }\n");
    let commented = print(
        "// Where the patient lives.\n/// The home network.\nzone home \"Home\" {\n  \
         trust: untrusted // nobody vets it\n  /* the patient */ controlled_by: patient\n}\n",
    );
    assert_eq!(plain, commented);
    assert!(!commented.contains("//") && !commented.contains("/*"));
    let changed = print("zone home \"Home\" { trust: controlled, controlled_by: patient }\n");
    assert_ne!(plain, changed);
}
