//! `ward import FORMAT INPUT -o DIR`: another tool's threat model as a
//! Ward model. The mapping is `ward-import`'s; this reads the input (the
//! loader's bounded reader), prints the diagnostics against it, and writes
//! the files without replacing anything (`write.rs`).

mod write;

use super::args::{ImportArgs, ImportFormat};
use super::exit;
use super::output::{shown, Printer, Verbosity};
use ward_diagnostics::{Diagnostic, SourceFile, SourceMap};
use ward_import::{Format, Input};

impl From<ImportFormat> for Format {
    fn from(format: ImportFormat) -> Format {
        match format {
            ImportFormat::Threagile => Format::Threagile,
            ImportFormat::ThreatDragon => Format::ThreatDragon,
            ImportFormat::Otm => Format::Otm,
        }
    }
}

pub fn run(args: &ImportArgs) -> i32 {
    let printer = Printer {
        format: args.message_format,
        color: args.color,
        verbosity: Verbosity::Normal,
    };
    let text = match ward_import::read_input(&args.input) {
        Ok(text) => text,
        Err(error) => {
            printer.problem(error);
            return exit::ERROR;
        }
    };
    let mut sources = SourceMap::new();
    let file = sources.add(SourceFile::new(
        shown(args.input.display()),
        Some(args.input.clone()),
        text,
    ));
    let input = Input {
        file,
        text: &sources.get(file).text,
    };
    let imported = match ward_import::import(args.format.into(), &input) {
        Ok(imported) => imported,
        Err(errors) => {
            printer.diagnostics(&sources, &errors);
            return exit::ERROR;
        }
    };
    let in_the_way = write::paths_in_the_way(&args.out, &imported.files);
    if !in_the_way.is_empty() {
        let list: Vec<String> = in_the_way
            .iter()
            .map(|p| format!("`{}`", shown(p.display())))
            .collect();
        printer.problem(
            Diagnostic::error_without_location(
                ward_import::codes::WOULD_OVERWRITE,
                format!(
                    "`ward import` would overwrite {}; nothing was written",
                    list.join(", ")
                ),
            )
            .with_help(
                "import into a new or empty folder (`-o NEW_FOLDER`), or move these files away",
            ),
        );
        return exit::ERROR;
    }
    if let Err(err) = write::write_all(&args.out, &imported.files) {
        printer.problem(
            Diagnostic::error_without_location(
                ward_import::codes::CANNOT_WRITE,
                format!(
                    "cannot write the imported model to `{}`: {err}; nothing was left behind",
                    shown(args.out.display())
                ),
            )
            .with_help("check that the folder is writable and that no one else is writing to it"),
        );
        return exit::ERROR;
    }
    printer.diagnostics(&sources, &imported.warnings);
    let format: Format = args.format.into();
    printer.say(format!(
        "imported {} into {}: {}",
        format.tool(),
        shown(args.out.display()),
        imported
            .files
            .iter()
            .map(|(p, _)| p.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    printer.say(imported.summary.to_string().trim_end());
    printer.say(format!(
        "next: `ward check {}`, then review the comments in {}",
        shown(args.out.display()),
        ward_import::MODEL_FILE
    ));
    exit::OK
}
