//! `ward build [PATH] [-o DIR]`: compile, analyse, render each artifact into
//! a staging folder swapped in at the end (or, with `--check`, compare each
//! with disk).

use super::args::BuildArgs;
use super::exit;
use super::output::{plural, shown, Printer};
use super::pipeline::{compile_and_analyze, report, Judging, Outcome};
use super::progress::Progress;
use ward_diagnostics::{Code, Diagnostic};
use ward_render::{DriftKind, RenderInput, RenderOptions};

pub fn run(args: &BuildArgs) -> i32 {
    let printer = Printer::from(&args.diagnostics);
    let progress = Progress::start("compiling");
    let outcome = compile_and_analyze(
        &args.path,
        &Judging::from(&args.diagnostics),
        ward_model::Digests::WhenRead,
    );
    progress.finish();
    report(&outcome, printer, true);
    let code = build(args, &outcome, printer);
    printer.summary_record(outcome.compiled.model.stage, code);
    code
}

/// Renders the checked model and writes (or, with `--check`, compares) its
/// artifacts; the exit code.
fn build(args: &BuildArgs, outcome: &Outcome, printer: Printer) -> i32 {
    let Some(analysis) = &outcome.analysis else {
        printer.say("error: nothing written: the model does not compile");
        return exit::ERROR;
    };
    if !analysis.within_budget {
        printer.say("error: nothing written: the analysis stopped at its threat budget");
        return exit::ERROR;
    }
    let compiled = &outcome.compiled;
    let out_dir = match &args.out {
        Some(out) => out.clone(),
        None => {
            let out_dir = (compiled.build.out.clone()).unwrap_or_else(|| compiled.root.join("out"));
            // Only `-o` may name a folder outside the model.
            if let Err(e) = ward_render::check_inside_root(&out_dir, &compiled.root) {
                printer.problem(e);
                printer.say("error: nothing written");
                return exit::ERROR;
            }
            out_dir
        }
    };
    let Some(exports) = exports(args, compiled, printer) else {
        printer.say("error: nothing written");
        return exit::ERROR;
    };
    let options = RenderOptions {
        templates_dir: args
            .templates
            .clone()
            .or_else(|| compiled.build.templates.clone()),
        no_svg: args.no_svg,
        timestamp: args.timestamp.as_deref().map(timestamp),
        revision: args.revision.clone().or_else(|| {
            let recorded = args
                .check
                .then(|| ward_render::index::recorded_revision(&out_dir));
            recorded
                .flatten()
                .or_else(|| ward_diff::revision::head_commit(&compiled.root))
        }),
        exports,
        ..RenderOptions::default()
    };
    let input = RenderInput {
        model: &compiled.model,
        analysis,
        sources: &compiled.sources,
        diagnostics: &compiled.diagnostics,
    };

    // Each artifact goes to disk (or is compared with it) as soon as it is
    // rendered, and is dropped: memory holds the artifacts in flight only.
    if args.check {
        let check = match ward_render::DriftCheck::begin(&out_dir) {
            Ok(check) => check,
            Err(e) => {
                printer.problem(e);
                return exit::ERROR;
            }
        };
        let Some((streamed, output_failed)) = render_into(&input, &options, &check, printer) else {
            return exit::ERROR;
        };
        let exit_code = |code: i32| if output_failed { exit::ERROR } else { code };
        let (drift, kept) = check.finish();
        if drift.is_empty() {
            printer.note(format!(
                "{} in `{}` are up to date",
                plural(streamed.paths.len(), "artifact"),
                shown(out_dir.display())
            ));
            return exit_code(outcome.exit_code(args.diagnostics.deny_warnings));
        }
        for entry in &drift {
            let what = match entry.kind {
                DriftKind::Changed => "differs",
                DriftKind::Missing => "missing",
                DriftKind::Extra => "not generated (stale)",
            };
            if printer.is_json() {
                printer.problem(
                    Diagnostic::error_without_location(
                        Code::E0512,
                        format!("artifact `{}` {what}", entry.path),
                    )
                    .with_help("run `ward build` and commit the result"),
                );
            } else {
                println!("{}: {what}", shown(&entry.path));
            }
        }
        if ward_diff::provenance::only_provenance_drift(&out_dir, &kept, &drift) {
            printer.say(
                "note: provenance only: the sources changed (comments or layout) but no content did; the artifacts differ only in the sources' hashes",
            );
        }
        printer.say(format!(
            "error: {} in `{}` differ from a fresh build; run `ward build` and commit the result",
            plural(drift.len(), "artifact"),
            shown(out_dir.display())
        ));
        return exit::FINDINGS;
    }

    let protected = ward_render::protected_paths(&compiled.root, &compiled.sources);
    let nothing_written = |e: Diagnostic| {
        printer.problem(e);
        printer.say(format!(
            "error: nothing written; `{}` is as it was",
            shown(out_dir.display())
        ));
        exit::ERROR
    };
    let staging = match ward_render::Staging::begin(&out_dir, &protected) {
        Ok(staging) => staging,
        Err(e) => return nothing_written(e),
    };
    let Some((streamed, output_failed)) = render_into(&input, &options, &staging, printer) else {
        return exit::ERROR;
    };
    let exit_code = |code: i32| if output_failed { exit::ERROR } else { code };
    let progress = Progress::start("writing artifacts");
    let written = staging.finish();
    progress.finish();
    let notes = match written {
        Ok(notes) => notes,
        Err(e) => return nothing_written(e),
    };
    for note in &notes {
        printer.note(format!("note: {}", shown(note)));
    }
    if !options.no_svg && !ward_render::graphviz_available() {
        printer.note(format!("note: {}", ward_render::NO_GRAPHVIZ_NOTE));
    }
    printer.note(format!(
        "wrote {} to `{}`",
        plural(streamed.paths.len(), "artifact"),
        shown(out_dir.display())
    ));
    if output_failed {
        printer.say("error: a view has no drawing (see above); every other artifact is written");
    }
    exit_code(outcome.exit_code(args.diagnostics.deny_warnings))
}

/// Renders every artifact into `sink` and reports the output problems short
/// of a failed build (a view without SVG, a simplified view): what was
/// rendered and whether a problem is an error, or `None` when rendering
/// failed (reported; the sink's partial output is to be discarded).
fn render_into(
    input: &RenderInput,
    options: &RenderOptions,
    sink: &dyn ward_render::ArtifactSink,
    printer: Printer,
) -> Option<(ward_render::Streamed, bool)> {
    let progress = Progress::start("rendering artifacts");
    let rendered = ward_render::render_into(input, options, sink);
    progress.finish();
    let streamed = match rendered {
        Ok(streamed) => streamed,
        Err(errors) => {
            for e in errors {
                printer.problem(e);
            }
            printer.say("error: nothing written");
            return None;
        }
    };
    for p in &streamed.problems {
        printer.problem(p.clone());
    }
    let output_failed = streamed
        .problems
        .iter()
        .any(|p| p.severity == ward_diagnostics::Severity::Error);
    Some((streamed, output_failed))
}

/// `--timestamp` with no value means now (or `SOURCE_DATE_EPOCH`), in UTC.
fn timestamp(given: &str) -> String {
    if given != "now" {
        return given.to_string();
    }
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    rfc3339_utc(seconds)
}

/// Formats Unix seconds as `YYYY-MM-DDTHH:MM:SSZ` (days-to-civil conversion
/// after Howard Hinnant's algorithm).
fn rfc3339_utc(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// The opt-in artifacts: `[outputs]` of Ward.toml and `--format`; `None`
/// (after printing E0610) when `--format` names an unknown one.
fn exports(
    args: &BuildArgs,
    compiled: &ward_model::Compiled,
    printer: Printer,
) -> Option<ward_model::Exports> {
    let mut exports = compiled.build.outputs.clone();
    let mut known = true;
    for name in args.format.iter().map(|f| f.trim()) {
        match ward_model::Export::from_key(name) {
            Some(export) => {
                exports.insert(export);
            }
            None => {
                known = false;
                let (message, help) = ward_model::outputs::unknown_export(name);
                printer.problem(
                    Diagnostic::error_without_location(
                        ward_model::outputs::UNKNOWN_OUTPUT,
                        message,
                    )
                    .with_help(help),
                );
            }
        }
    }
    known.then_some(exports)
}

#[cfg(test)]
mod tests {
    use super::rfc3339_utc;

    #[test]
    fn formats_unix_seconds_as_rfc3339() {
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339_utc(1_795_824_000 + 3_723), "2026-11-28T01:02:03Z");
    }
}
