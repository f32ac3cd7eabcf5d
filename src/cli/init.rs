//! `ward init [DIR] [--template NAME]`: a starter model that compiles clean.
//!
//! The templates are real files under `templates/init/` (tests check each
//! one), embedded in the binary. A starter is written whole or not at all:
//! any file already at a target path (a symbolic link included) stops the
//! command before it writes anything, and each file is created through a
//! temporary file renamed into place without replacing what is there, so
//! a link planted meanwhile is never written through (docs/reliability.md).

use super::args::{InitArgs, InitTemplate};
use super::exit;
use super::output::{shown, Printer, Verbosity};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use ward_diagnostics::{Code, Diagnostic};

/// The files of one template, relative to the starter folder.
macro_rules! template {
    ($name:literal) => {
        [
            (
                "model.ward",
                include_str!(concat!("../../templates/init/", $name, "/model.ward")),
            ),
            (
                "Ward.toml",
                include_str!(concat!("../../templates/init/", $name, "/Ward.toml")),
            ),
            (
                "README.md",
                include_str!(concat!("../../templates/init/", $name, "/README.md")),
            ),
        ]
    };
}

/// Files every starter shares: the output folder kept out of git, and CI.
const COMMON: [(&str, &str); 2] = [
    (
        ".gitignore",
        include_str!("../../templates/init/common/gitignore"),
    ),
    (
        ".github/workflows/ward.yml",
        include_str!("../../templates/init/common/ward.yml"),
    ),
];

/// Every file of `template`: relative path and contents.
fn starter_files(template: InitTemplate) -> Vec<(&'static str, &'static str)> {
    let own = match template {
        InitTemplate::Minimal => template!("minimal"),
        InitTemplate::Wearable => template!("wearable"),
        InitTemplate::InfusionPump => template!("infusion-pump"),
        InitTemplate::HospitalFleet => template!("hospital-fleet"),
    };
    own.into_iter().chain(COMMON).collect()
}

pub fn run(args: &InitArgs) -> i32 {
    let printer = Printer {
        format: args.message_format,
        color: args.color,
        verbosity: Verbosity::Normal,
    };
    let files = starter_files(args.template);
    let in_the_way = paths_in_the_way(&args.dir, &files);
    if !in_the_way.is_empty() {
        let list: Vec<String> = in_the_way
            .iter()
            .map(|p| format!("`{}`", shown(p.display())))
            .collect();
        printer.problem(
            Diagnostic::error_without_location(
                Code::E0606,
                format!(
                    "`ward init` would overwrite {}; nothing was written",
                    list.join(", ")
                ),
            )
            .with_help("choose an empty folder (`ward init NEW_FOLDER`), or move these files away"),
        );
        return exit::ERROR;
    }
    let mut written = Written::default();
    for (relative, text) in &files {
        if let Err(err) = write_new(&args.dir, relative, text, &mut written) {
            written.undo();
            printer.problem(
                Diagnostic::error_without_location(
                    Code::E0607,
                    format!(
                        "cannot write `{}`: {err}; nothing was left behind",
                        shown(args.dir.join(relative).display())
                    ),
                )
                .with_help(
                    "check that the folder is writable and that no one else is writing to it",
                ),
            );
            return exit::ERROR;
        }
    }
    let template = format!("{:?}", args.template);
    printer.say(format!(
        "created a `{}` starter model in {}: {}",
        clap::ValueEnum::to_possible_value(&args.template)
            .map_or(template, |v| v.get_name().to_string()),
        shown(args.dir.display()),
        files.iter().map(|(p, _)| *p).collect::<Vec<_>>().join(", ")
    ));
    printer.say(format!(
        "next: `ward check {}`, then read README.md",
        shown(args.dir.display())
    ));
    exit::OK
}

/// The paths under `dir` that stop the starter: an existing entry of any
/// kind at a file's path, or a non-folder (a link included) where a
/// folder must be made.
fn paths_in_the_way(dir: &Path, files: &[(&str, &str)]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for (relative, _) in files {
        let path = dir.join(relative);
        for folder in Path::new(relative).ancestors().skip(1) {
            if folder.as_os_str().is_empty() {
                continue;
            }
            let folder = dir.join(folder);
            if let Ok(meta) = std::fs::symlink_metadata(&folder) {
                if !meta.is_dir() && !found.contains(&folder) {
                    found.push(folder);
                }
            }
        }
        if std::fs::symlink_metadata(&path).is_ok() {
            found.push(path);
        }
    }
    found
}

/// What a starter has written so far, to remove if a later file fails.
#[derive(Default)]
struct Written {
    files: Vec<PathBuf>,
    folders: Vec<PathBuf>,
}

impl Written {
    fn undo(&self) {
        for file in self.files.iter().rev() {
            let _ = std::fs::remove_file(file);
        }
        for folder in self.folders.iter().rev() {
            // Only when empty: never removes anything ward did not make.
            let _ = std::fs::remove_dir(folder);
        }
    }
}

/// Writes `text` to `dir/relative`, which must not exist, making its
/// missing folders (never following a link). The text goes to a temporary
/// file created exclusively in the same folder and is linked into place
/// without replacing anything.
fn write_new(dir: &Path, relative: &str, text: &str, written: &mut Written) -> io::Result<()> {
    let path = dir.join(relative);
    if std::fs::symlink_metadata(dir).is_err() {
        // The folder named on the command line (and its parents): made as
        // asked; a link the user chose there is followed.
        std::fs::create_dir_all(dir)?;
        written.folders.push(dir.to_path_buf());
    }
    let mut folders: Vec<PathBuf> = Path::new(relative)
        .ancestors()
        .skip(1)
        .take_while(|f| !f.as_os_str().is_empty())
        .map(|f| dir.join(f))
        .collect();
    folders.reverse();
    for folder in folders {
        match std::fs::symlink_metadata(&folder) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => {
                return Err(io::Error::other(format!(
                    "`{}` is not a folder (a link or a file)",
                    shown(folder.display())
                )))
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                std::fs::create_dir(&folder)?;
                written.folders.push(folder);
            }
            Err(err) => return Err(err),
        }
    }
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".ward-init.")
        .tempfile_in(folder)?;
    temp.write_all(text.as_bytes())?;
    temp.as_file().sync_all()?;
    temp.persist_noclobber(&path).map_err(|err| err.error)?;
    written.files.push(path);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A link planted after the check for files in the way, just before
    /// the write: the file is not written through it.
    #[test]
    fn a_link_planted_after_the_check_is_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("secret");
        std::fs::write(&secret, "secret").unwrap();
        std::os::unix::fs::symlink(&secret, dir.path().join("model.ward")).unwrap();
        let mut written = Written::default();
        let err = write_new(dir.path(), "model.ward", "system s", &mut written).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&secret).unwrap(), "secret");
        assert!(written.files.is_empty());
    }

    /// A later file that cannot be written takes the earlier ones (and the
    /// folders made for them) away: no half-written starter.
    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let starter = dir.path().join("new");
        let mut written = Written::default();
        write_new(&starter, "model.ward", "system s", &mut written).unwrap();
        // `.github` appears as a file after the check.
        std::fs::write(starter.join(".github"), "").unwrap();
        let err =
            write_new(&starter, ".github/workflows/ward.yml", "ci", &mut written).unwrap_err();
        assert!(err.to_string().contains("is not a folder"), "{err}");
        // The intruder goes first: undo never removes what ward did not make.
        std::fs::remove_file(starter.join(".github")).unwrap();
        written.undo();
        assert!(!starter.exists(), "the starter folder is left behind");
    }

    #[test]
    fn every_template_has_its_five_files() {
        for template in [
            InitTemplate::Minimal,
            InitTemplate::Wearable,
            InitTemplate::InfusionPump,
            InitTemplate::HospitalFleet,
        ] {
            let files = starter_files(template);
            assert_eq!(files.len(), 5);
            assert!(files.iter().all(|(_, text)| !text.trim().is_empty()));
        }
    }
}
