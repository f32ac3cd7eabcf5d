//! Loading models from disk: folders, `Ward.toml`, `use`, the model root,
//! overlays and the parse cache.

use std::fs;
use std::path::Path;
use ward_model::{compile, compile_path, Compiled, Overlay, ParseCache, Workspace};

const SYSTEM: &str = "system demo \"Demo\" { version: \"1.0.0\" }\n";

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn names(compiled: &Compiled) -> Vec<String> {
    compiled
        .sources
        .files()
        .map(|(_, f)| f.name.clone())
        .collect()
}

fn codes(compiled: &Compiled) -> Vec<&'static str> {
    compiled
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

#[test]
fn a_folder_is_every_ward_file_below_it_in_byte_order() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "b.ward", "zone b \"B\" {}\n");
    write(root, "a/z.ward", "zone az \"AZ\" {}\n");
    write(root, "a.ward", SYSTEM);
    write(root, "B.ward", "zone upper_b \"B\" {}\n");
    write(root, "a-b/x.ward", "zone abx \"X\" {}\n");
    write(root, ".hidden/h.ward", "zone hidden \"H\" {}\n");
    write(root, "target/t.ward", "zone built \"T\" {}\n");
    write(root, "notes.txt", "not ward");
    let compiled = compile_path(root);
    assert!(
        compiled.diagnostics.is_empty(),
        "{:?}",
        compiled.diagnostics
    );
    // Byte order of `/`-separated paths: `-` (0x2d) < `.` (0x2e) < `/` (0x2f).
    assert_eq!(
        names(&compiled)[..5],
        ["B.ward", "a-b/x.ward", "a.ward", "a/z.ward", "b.ward"]
    );
    let zones: Vec<&str> = compiled
        .model
        .zones
        .iter()
        .map(|z| z.meta.name.as_str())
        .collect();
    assert_eq!(zones, ["upper_b", "abx", "az", "b"]);
}

#[test]
fn ward_toml_names_the_files_by_glob_and_passes_build_settings() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "Ward.toml",
        "files = [\"main.ward\", \"parts/**/*.ward\"]\n[build]\nout = \"artifacts\"\ntemplates = \"tpl\"\n",
    );
    write(root, "main.ward", SYSTEM);
    write(root, "parts/zones.ward", "zone home \"Home\" {}\n");
    write(root, "parts/deep/more.ward", "zone cloud \"Cloud\" {}\n");
    write(root, "other/skipped.ward", "zone skipped \"S\" {}\n");
    let compiled = compile_path(&root.join("Ward.toml"));
    assert!(
        compiled.diagnostics.is_empty(),
        "{:?}",
        compiled.diagnostics
    );
    assert_eq!(
        names(&compiled)[..4],
        [
            "Ward.toml",
            "main.ward",
            "parts/deep/more.ward",
            "parts/zones.ward"
        ]
    );
    let canonical = root.canonicalize().unwrap();
    assert_eq!(compiled.build.out, Some(canonical.join("artifacts")));
    assert_eq!(compiled.build.templates, Some(canonical.join("tpl")));
    assert_eq!(compiled.manifest, Some(canonical.join("Ward.toml")));

    // A file or folder below a `Ward.toml` means the model it names.
    for input in [
        root.join("parts/zones.ward"),
        root.join("other/skipped.ward"),
        root.join("parts"),
    ] {
        let again = compile_path(&input);
        assert_eq!(names(&again), names(&compiled), "from {}", input.display());
        assert_eq!(again.root, canonical);
    }
}

#[test]
fn ward_toml_without_files_means_every_ward_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Ward.toml", "");
    write(dir.path(), "x/main.ward", SYSTEM);
    let compiled = compile_path(dir.path());
    assert!(
        compiled.diagnostics.is_empty(),
        "{:?}",
        compiled.diagnostics
    );
    assert!(names(&compiled).contains(&"x/main.ward".to_string()));
}

#[test]
fn ward_toml_literal_path_to_a_missing_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Ward.toml",
        "files = [\"main.ward\", \"gone.ward\"]\n",
    );
    write(dir.path(), "main.ward", SYSTEM);
    assert_eq!(codes(&compile_path(dir.path())), ["E0104"]);
}

#[test]
fn use_is_relative_to_the_using_file_and_loads_each_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "main.ward",
        &format!("{SYSTEM}use \"sub/a.ward\"\nuse \"sub/b.ward\"\n"),
    );
    write(
        root,
        "sub/a.ward",
        "use \"b.ward\"\nuse \"../sub/./b.ward\"\nzone a \"A\" {}\n",
    );
    write(root, "sub/b.ward", "zone b \"B\" {}\n");
    write(root, "unused.ward", "zone unused \"U\" {}\n");
    let compiled = compile_path(&root.join("main.ward"));
    assert!(
        compiled.diagnostics.is_empty(),
        "{:?}",
        compiled.diagnostics
    );
    let user: Vec<String> = names(&compiled)
        .into_iter()
        .filter(|n| !n.starts_with("<std>"))
        .collect();
    assert_eq!(user, ["main.ward", "sub/a.ward", "sub/b.ward"]);
}

#[test]
fn import_cycles_are_reported_once_at_the_closing_use() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "main.ward", &format!("{SYSTEM}use \"a.ward\"\n"));
    write(root, "a.ward", "use \"b.ward\"\n");
    write(root, "b.ward", "use \"a.ward\"\n");
    write(root, "self.ward", "use \"self.ward\"\n");
    let compiled = compile_path(&root.join("main.ward"));
    assert_eq!(codes(&compiled), ["E0107"]);
    assert_eq!(
        compiled
            .sources
            .get(compiled.diagnostics[0].span.unwrap().file)
            .name,
        "b.ward"
    );
    // In folder mode too, and a file using itself is a cycle.
    let compiled = compile_path(root);
    assert_eq!(codes(&compiled), ["E0107", "E0107"]);
}

#[test]
fn use_may_not_leave_the_model_root() {
    let dir = tempfile::tempdir().unwrap();
    let outer = dir.path();
    write(outer, "shared.ward", "zone shared \"S\" {}\n");
    write(
        outer,
        "model/main.ward",
        &format!("{SYSTEM}use \"../shared.ward\"\n"),
    );
    let compiled = compile_path(&outer.join("model/main.ward"));
    assert_eq!(codes(&compiled), ["E0105"]);

    // With a Ward.toml above both, the same `use` is inside the root.
    write(outer, "Ward.toml", "files = [\"model/main.ward\"]\n");
    let compiled = compile_path(&outer.join("model/main.ward"));
    assert!(
        compiled.diagnostics.is_empty(),
        "{:?}",
        compiled.diagnostics
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_root_is_outside() {
    let dir = tempfile::tempdir().unwrap();
    let outer = dir.path();
    write(outer, "elsewhere/secret.ward", "zone secret \"S\" {}\n");
    write(
        outer,
        "model/main.ward",
        &format!("{SYSTEM}use \"link.ward\"\n"),
    );
    std::os::unix::fs::symlink(
        outer.join("elsewhere/secret.ward"),
        outer.join("model/link.ward"),
    )
    .unwrap();
    let compiled = compile_path(&outer.join("model/main.ward"));
    assert_eq!(codes(&compiled), ["E0105"]);
    // In folder mode the link is not followed out of the root either.
    let compiled = compile_path(&outer.join("model"));
    assert_eq!(codes(&compiled), ["E0105"]);
    assert!(compiled.model.zones.is_empty());
}

#[test]
fn missing_and_non_ward_files_are_errors_at_the_use() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.ward",
        &format!("{SYSTEM}use \"nope.ward\"\nuse \"notes.md\"\nuse std::fda\n"),
    );
    write(dir.path(), "notes.md", "# notes");
    let compiled = compile_path(&dir.path().join("main.ward"));
    assert_eq!(codes(&compiled), ["E0104", "E0106"]);
    assert!(compiled.model.fda_coverage);
}

#[test]
fn a_missing_input_and_an_empty_folder_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        codes(&compile_path(&dir.path().join("none.ward"))),
        ["E0101"]
    );
    let empty = compile_path(dir.path());
    assert_eq!(codes(&empty), ["E0115"]);
    // No bogus location in a placeholder file: the folder, and `ward init`.
    let no_files = &empty.diagnostics[0];
    assert!(no_files.span.is_none());
    assert!(no_files.message.starts_with("no .ward files in "));
    assert!(no_files.help.as_deref().unwrap().contains("ward init"));
}

#[test]
fn invalid_utf8_is_a_diagnostic_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("main.ward"), b"system s \"\xff\" {}\n").unwrap();
    let compiled = compile_path(&dir.path().join("main.ward"));
    assert_eq!(codes(&compiled), ["E0101"]);
    assert!(compiled.diagnostics[0].message.contains("UTF-8"));
}

#[test]
fn bom_and_crlf_are_normalised() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("main.ward"),
        "\u{feff}system s \"S\" {\r\n  version: \"1\"\r\n}\r\n",
    )
    .unwrap();
    let compiled = compile_path(&dir.path().join("main.ward"));
    assert!(
        compiled.diagnostics.is_empty(),
        "{:?}",
        compiled.diagnostics
    );
    assert!(!compiled
        .sources
        .get(ward_diagnostics::FileId(0))
        .text
        .contains('\r'));
}

#[test]
fn the_overlay_wins_over_disk_and_unchanged_files_are_not_reparsed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "main.ward", SYSTEM);
    write(root, "zones.ward", "zone home \"Home\" {}\n");
    let mut ws = Workspace::new();
    let first = ws.compile(root);
    assert!(first.diagnostics.is_empty());
    let parsed = ws.cache.parse_count();

    // An unsaved edit of one file: only that file is parsed again.
    ws.set_text(
        &root.join("zones.ward"),
        "zone home \"Home\" { trust: hostle }\n",
    );
    let second = ws.compile(root);
    assert_eq!(codes(&second), ["E0205"]);
    assert_eq!(ws.cache.parse_count(), parsed + 1);

    // An unsaved file that is not on disk yet belongs to the folder's model.
    ws.set_text(&root.join("new.ward"), "zone cloud \"Cloud\" {}\n");
    let third = ws.compile(&root.join("main.ward"));
    assert!(
        third.model.find_zone("cloud").is_none(),
        "a single file's model holds only its uses"
    );
    let third = ws.compile(root);
    assert!(third.model.find_zone("cloud").is_some());

    ws.close(&root.join("zones.ward"));
    ws.close(&root.join("new.ward"));
    let fourth = ws.compile(root);
    assert!(fourth.diagnostics.is_empty());

    // The same through the plain API.
    let mut overlay = Overlay::new();
    overlay.insert(&root.join("main.ward"), "system other \"Other\" {}\n");
    let compiled = compile(root, &overlay, &mut ParseCache::new());
    assert_eq!(compiled.model.system.as_ref().unwrap().meta.name, "other");
}

#[test]
fn declarations_are_visible_across_files_whatever_the_order() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.ward",
        "component app \"App\" in home { kind: mobile_app }\n",
    );
    write(
        dir.path(),
        "b.ward",
        &format!("{SYSTEM}zone home \"Home\" {{}}\n"),
    );
    let compiled = compile_path(dir.path());
    assert!(
        compiled.diagnostics.is_empty(),
        "{:?}",
        compiled.diagnostics
    );
    let app = compiled.model.find_element("app").unwrap();
    assert_eq!(
        compiled.model.element(app).zone,
        compiled.model.find_zone("home")
    );
}

#[test]
fn duplicates_across_files_point_at_both() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.ward",
        &format!("{SYSTEM}zone home \"Home\" {{}}\n"),
    );
    write(dir.path(), "b.ward", "zone home \"Home again\" {}\n");
    let compiled = compile_path(dir.path());
    assert_eq!(codes(&compiled), ["E0110"]);
    let d = &compiled.diagnostics[0];
    assert_eq!(compiled.sources.get(d.span.unwrap().file).name, "b.ward");
    assert_eq!(compiled.sources.get(d.labels[0].span.file).name, "a.ward");
}

#[test]
fn a_folder_too_large_to_list_is_an_error_not_a_walk_of_the_disk() {
    // A `.ward` file opened in a home folder (or `/`) makes that folder the
    // model root: the walk must stop, with a diagnostic.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "model.ward", SYSTEM);
    let junk = root.join("junk");
    fs::create_dir(&junk).unwrap();
    for i in 0..=ward_model::MAX_WALK_ENTRIES {
        fs::File::create(junk.join(i.to_string())).unwrap();
    }
    let compiled = compile_path(root);
    let e0108: Vec<_> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.code == "E0108")
        .collect();
    assert_eq!(e0108.len(), 1, "{:?}", compiled.diagnostics);
    assert!(e0108[0]
        .message
        .contains(&format!("over {} entries", ward_model::MAX_WALK_ENTRIES)));
    assert!(compiled.has_errors());

    // Below the bound, the same folder is a model.
    fs::remove_dir_all(&junk).unwrap();
    assert_eq!(codes(&compile_path(root)), Vec::<&str>::new());
}

/// `[diff] base` names the revision the language server shows changes
/// since; a value that is not a non-empty string is an error on its span.
#[test]
fn ward_toml_diff_base_is_a_revision_or_a_spanned_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.ward", SYSTEM);
    write(dir.path(), "Ward.toml", "[diff]\nbase = \"main\"\n");
    let compiled = compile_path(dir.path());
    assert_eq!(compiled.diff_base.as_deref(), Some("main"));
    assert!(codes(&compiled).is_empty(), "{:?}", compiled.diagnostics);

    write(dir.path(), "Ward.toml", "");
    assert_eq!(compile_path(dir.path()).diff_base, None);

    for (toml, value) in [
        ("[diff]\nbase = 3\n", "3"),
        ("[diff]\nbase = \"\"\n", "\"\""),
        ("[diff]\nbsae = \"main\"\n", "bsae"),
    ] {
        write(dir.path(), "Ward.toml", toml);
        let compiled = compile_path(dir.path());
        assert_eq!(compiled.diff_base, None, "{toml}");
        let error = compiled
            .diagnostics
            .iter()
            .find(|d| d.code.as_str() == "E0102")
            .unwrap_or_else(|| panic!("{toml}: {:?}", compiled.diagnostics));
        let span = error.span.unwrap();
        let file = compiled.sources.get(span.file);
        assert_eq!(file.name, "Ward.toml");
        assert_eq!(&file.text[span.range()], value, "{toml}");
    }
}
