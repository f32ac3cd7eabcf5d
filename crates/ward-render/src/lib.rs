//! Ward outputs (spec §6): the architecture views as DOT (and SVG through
//! Graphviz), the risk tables as Markdown and CSV, `model.json`,
//! `findings.sarif` and the self-contained `report.html`.
//!
//! [`render_into`] hands each artifact to a sink as soon as it is rendered:
//! a [`Staging`] folder that then replaces the output folder as a whole, or
//! a [`DriftCheck`] that compares without writing (`ward build --check`);
//! [`render_all`] keeps them in memory. Output is byte-identical for the
//! same input and options: maps are ordered, nothing depends on time unless
//! [`RenderOptions::timestamp`] is given.
//!
//! Text artifacts come from tera templates embedded in the binary
//! (`templates/`), each replaceable by a file of the same name in
//! [`RenderOptions::templates_dir`]. Every template sees the same context:
//! `meta` (system, version, source hash), `doc` (the whole analysed model,
//! as in `model.json`), `policy`, `tables` and, for the report, `report`.

// `Diagnostic` is the project's one error type; boxing it in every
// `Result` would only complicate the API.
#![allow(clippy::result_large_err)]

mod doc;
pub mod escape;
pub mod index;
mod json;
mod names;
mod otm;
mod output;
mod palette;
mod report;
mod report_data;
mod reqif;
mod sarif;
mod sbom;
mod svg;
mod swap;
mod table_text;
mod tables;
mod template_memory;
mod templates;
pub mod testing;
mod vex;
mod views;
mod xlsx;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;
use ward_analysis::Analysis;
use ward_diagnostics::{Diagnostic, SourceMap};
use ward_model::Model;

pub use doc::{hash_sources, Doc, DOC_MEMBERS, SCHEMA_VERSION};
pub use output::{
    check_artifact_path, check_artifact_paths, check_drift, check_inside_root, check_output_dir,
    protected_paths, write_atomically, Artifact, ArtifactSink, DriftCheck, DriftEntry, DriftKind,
    Staging, MAX_OUTPUT_ENTRIES, OUTPUT_MARKER,
};
pub use palette::{Palette, PALETTE};
pub use report::csp_hash;
pub use reqif::{REQIF_FILE, REQIF_NAMESPACE};
pub use sarif::{sarif_log, ThreatRuleInfo};
pub use sbom::serial_number as sbom_serial_number;
pub use svg::{graphviz_available, NO_GRAPHVIZ_NOTE};
pub use tables::{build as build_tables, Column, Table, Tables, TABLE_KEYS};
pub use template_memory::{TemplateMemory, TemplateMemoryGuard};
pub use templates::{TemplateLimits, Templates, BUILTIN as BUILTIN_TEMPLATES};
pub use views::{View, MAX_EDGES, MAX_NODES, MAX_ZONE_DEPTH};
pub use xlsx::{MAX_CELL_CHARS, MAX_LINKS_PER_SHEET, MAX_SHEET_ROWS, XLSX_FILE};

/// What `ward build` renders from.
pub struct RenderInput<'a> {
    pub model: &'a Model,
    pub analysis: &'a Analysis,
    pub sources: &'a SourceMap,
    /// The model's own diagnostics (compile warnings). The analysis
    /// findings are taken from `analysis.findings`; both go to
    /// `findings.sarif`, `model.json` and the report.
    pub diagnostics: &'a [Diagnostic],
}

#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// A folder whose files replace built-in templates of the same name.
    pub templates_dir: Option<PathBuf>,
    /// Skip SVG even when Graphviz is installed.
    pub no_svg: bool,
    /// Stated in every artifact when given; output is otherwise timeless.
    pub timestamp: Option<String>,
    /// Output and time the templates may take together.
    pub template_limits: TemplateLimits,
    /// The revision stated in the design-history index (`--revision`, else
    /// the git commit); `None` states `unversioned`.
    pub revision: Option<String>,
    /// The opt-in artifacts to write as well (`[outputs]`, `--format`).
    pub exports: ward_model::Exports,
}

/// What every artifact states about its origin.
#[derive(Serialize)]
struct Meta {
    system_id: String,
    system_title: String,
    /// The system's `version`, else `unversioned`.
    version: String,
    source_hash: String,
    file_count: usize,
    tool_version: &'static str,
    timestamp: Option<String>,
    /// The `schema_version` of `model.json`.
    schema_version: u32,
}

/// Every artifact of `ward build`, and what went wrong with outputs short of
/// stopping the build.
#[derive(Debug)]
pub struct Rendered {
    /// Sorted by path.
    pub artifacts: Vec<Artifact>,
    /// Views Graphviz could not draw (E0507: the other artifacts are whole,
    /// the report says the view has no drawing), views simplified (W0520)
    /// or too large to lay out (W0521).
    pub problems: Vec<Diagnostic>,
}

/// What [`render_into`] handed to its sink.
#[derive(Debug)]
pub struct Streamed {
    /// Every artifact's path, sorted.
    pub paths: Vec<String>,
    /// As in [`Rendered::problems`].
    pub problems: Vec<Diagnostic>,
}

/// Renders every artifact of `ward build`, sorted by path, failing on any
/// problem that is an error (see [`render`]).
pub fn render_all(
    input: &RenderInput,
    options: &RenderOptions,
) -> Result<Vec<Artifact>, Vec<Diagnostic>> {
    let rendered = render(input, options)?;
    let errors: Vec<Diagnostic> = rendered
        .problems
        .into_iter()
        .filter(|d| d.severity == ward_diagnostics::Severity::Error)
        .collect();
    if errors.is_empty() {
        Ok(rendered.artifacts)
    } else {
        Err(errors)
    }
}

/// Renders every artifact of `ward build` in memory, sorted by path (see
/// [`render_into`]).
pub fn render(input: &RenderInput, options: &RenderOptions) -> Result<Rendered, Vec<Diagnostic>> {
    let kept = Mutex::new(Vec::new());
    let streamed = render_into(input, options, &kept)?;
    let mut artifacts = kept.into_inner().unwrap_or_else(|e| e.into_inner());
    artifacts.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Rendered {
        artifacts,
        problems: streamed.problems,
    })
}

/// Checks each artifact's path as it goes to the sink, and records it for
/// the design-history index.
struct PathCheck<'s> {
    sink: &'s dyn ArtifactSink,
    paths: Mutex<BTreeSet<String>>,
}

impl PathCheck<'_> {
    fn record(&self, path: &str) -> Result<(), Diagnostic> {
        check_artifact_path(path)?;
        let new = (self.paths.lock().unwrap_or_else(|e| e.into_inner())).insert(path.to_string());
        if !new {
            return Err(output::produced_twice(path));
        }
        Ok(())
    }

    fn put(&self, artifact: Artifact) -> Result<(), Diagnostic> {
        self.record(&artifact.path)?;
        self.sink.put(artifact)
    }

    /// The artifact at `path`, written by `write` straight to the sink.
    fn put_with(
        &self,
        path: &str,
        mut write: impl FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), Diagnostic> {
        self.record(path)?;
        self.sink.put_with(path, &mut write)
    }
}

/// Renders every artifact of `ward build`, handing each to `sink` as soon
/// as it is rendered (in parallel: the sink is shared by threads) and
/// dropping it. Errors are template failures and limits (E05xx) and the
/// sink's own (E0504): the sink may then hold part of the artifacts, which
/// the caller discards. A view that Graphviz cannot draw only loses its SVG
/// (a problem in [`Streamed`]). The model itself is not checked here.
pub fn render_into(
    input: &RenderInput,
    options: &RenderOptions,
    sink: &dyn ArtifactSink,
) -> Result<Streamed, Vec<Diagnostic>> {
    let sink = PathCheck {
        sink,
        paths: Mutex::new(BTreeSet::new()),
    };
    let templates =
        Templates::load(options.templates_dir.as_deref())?.with_limits(options.template_limits);
    let model = input.model;
    let analysis = input.analysis;

    let mut diagnostics: Vec<Diagnostic> = input
        .diagnostics
        .iter()
        .chain(analysis.findings.iter())
        .cloned()
        .collect();
    ward_diagnostics::sort(&mut diagnostics);

    // The three derived documents, then the artifacts, are independent:
    // each is built on its own thread when cores allow.
    // One resolved view of the analysis, read by every presenter below.
    let view = ward_view::View::new(model, analysis, input.sources);
    let (doc, (tables, views)) = rayon::join(
        || {
            doc::build(
                model,
                analysis,
                &view,
                input.sources,
                &diagnostics,
                options.timestamp.as_deref(),
            )
        },
        || {
            rayon::join(
                || tables::build(model, analysis, &view),
                || views::build(model, analysis),
            )
        },
    );

    let mut errors = Vec::new();
    // Graphviz draws when installed; otherwise the built-in layout does.
    let graphviz = !options.no_svg && graphviz_available();
    let svg_note = options.no_svg.then(|| {
        "SVG was not generated (`--no-svg`); the DOT sources are in `diagrams/`.".to_string()
    });
    let system = model.system.as_ref();
    let meta = Meta {
        system_id: system.map_or_else(String::new, |s| s.meta.name.clone()),
        system_title: system.map_or_else(|| "(no system)".to_string(), |s| s.meta.title.clone()),
        version: system
            .and_then(|s| s.version.clone())
            .unwrap_or_else(|| "unversioned".into()),
        source_hash: doc.sources.sha256.clone(),
        file_count: doc.sources.files.len(),
        tool_version: env!("CARGO_PKG_VERSION"),
        timestamp: options.timestamp.clone(),
        schema_version: SCHEMA_VERSION,
    };
    // DOT has no other place for it: the origin goes in a leading comment.
    let dot_header = escape::comment_line(&format!(
        "{} {}, sources sha256 {}, generated by ward {}",
        if meta.system_id.is_empty() {
            "(no system)"
        } else {
            &meta.system_id
        },
        meta.version,
        meta.source_hash,
        meta.tool_version
    ));
    // Graphviz runs once per view: in parallel.
    let mut problems: Vec<Diagnostic> = views.iter().flat_map(View::warnings).collect();
    let drawn: Vec<Option<Result<String, Diagnostic>>> = views
        .par_iter()
        .map(|view| {
            (!options.no_svg && view.fits_layout()).then(|| {
                if graphviz {
                    svg::to_svg(&view.name, &view.dot)
                } else {
                    Ok(view.embedded_svg(svg::BUILT_IN_LAYOUT_NOTE))
                }
            })
        })
        .collect();
    let mut entries = Vec::new();
    for (view, svg) in views.iter().zip(drawn) {
        let dot_file = format!("diagrams/{}.dot", view.name);
        sink.put(Artifact::new(
            dot_file.clone(),
            format!("// {dot_header}\n{}", view.dot),
        ))
        .map_err(|e| vec![e])?;
        let mut entry = report::ViewEntry {
            name: view.name.clone(),
            title: view.title.clone(),
            description: view.description.clone(),
            dot_file,
            svg: None,
            svg_file: None,
        };
        match svg {
            Some(Ok(svg)) => {
                let svg_file = format!("diagrams/{}.svg", view.name);
                entry.svg = Some(svg::inline_svg(&svg).to_string());
                entry.svg_file = Some(svg_file.clone());
                if !graphviz {
                    entry.description.push(' ');
                    entry.description.push_str(svg::BUILT_IN_LAYOUT_NOTE);
                }
                sink.put(Artifact::new(svg_file, svg))
                    .map_err(|e| vec![e])?;
            }
            Some(Err(e)) => problems.push(e),
            None => {}
        }
        entries.push(entry);
    }

    let tables = Arc::new(tables);
    let doc = Arc::new(doc);
    templates.set_function_data(
        tables.clone(),
        Arc::new(report::register_filters(analysis)),
        doc.clone(),
    );
    let mut context = Context::new();
    context.insert("meta", &meta);
    context.insert_value("doc", doc.template_value(templates.doc_fields()));
    context.insert("policy", &doc.policy);
    context.insert("palette", &PALETTE);
    // Converting every row into template values costs more than writing
    // the tables: only for templates that loop over them themselves.
    if templates.reads_tables() {
        context.insert("tables", &*tables);
    }

    let mut jobs = vec![Job::Report, Job::ModelJson, Job::Sarif, Job::Sbom];
    jobs.extend(options.exports.iter().map(|&e| Job::Export(e)));
    for key in tables.keys() {
        // `risk_register` is written to `risk-register.md` and `.csv`.
        let stem = key.replace('_', "-");
        for ext in ["md", "csv"] {
            jobs.push(Job::Table(format!("{stem}.{ext}")));
        }
    }
    if !model.vulnerabilities.is_empty() {
        jobs.push(Job::Vex);
    }
    let rendered: Vec<Result<(), Diagnostic>> = jobs
        .into_par_iter()
        .map(|job| match job {
            Job::Table(name) => templates
                .render(&name, &context)
                .and_then(|text| sink.put(Artifact::new(name, one_final_newline(text)))),
            // A record (threat, flow, diagnostic...) per line, streamed.
            Job::ModelJson => sink.put_with("model.json", |w| json::write_records(w, &*doc)),
            Job::Sbom => {
                let bom = sbom::document(model, &view, &meta.source_hash);
                sink.put_with("sbom.cdx.json", |w| json::write_lines(w, &bom, 3))
            }
            Job::Export(export) => render_export(export, input, &view, &tables, &meta)
                .and_then(|artifact| sink.put(artifact)),
            Job::Vex => match vex::document(model, &meta.source_hash) {
                Some(vex) => sink.put_with(vex::VEX_CDX, |w| json::write_lines(w, &vex, 3)),
                None => Ok(()),
            },
            Job::Sarif => {
                let sarif = sarif_log_of(input, &diagnostics, &meta);
                sink.put_with("findings.sarif", |w| json::write_lines(w, &sarif, 5))
            }
            Job::Report => render_report(
                &templates,
                // Template values share their contents: the clone is cheap.
                context.clone(),
                input,
                ReportFacts {
                    view: &view,
                    diagnostics: &diagnostics,
                    tables: &tables,
                    doc: &doc,
                },
                entries.clone(),
                svg_note.clone(),
            )
            .and_then(|html| sink.put(Artifact::new("report.html", one_final_newline(html)))),
        })
        .collect();
    errors.extend(rendered.into_iter().filter_map(Result::err));
    if !errors.is_empty() {
        return Err(errors);
    }
    let rendered: Vec<String> = sink
        .paths
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .cloned()
        .collect();
    for index in design_history_index(&rendered, &meta, &view.approvals, options)? {
        sink.put(index).map_err(|e| vec![e])?;
    }
    let paths = sink.paths.into_inner().unwrap_or_else(|e| e.into_inner());
    Ok(Streamed {
        paths: paths.into_iter().collect(),
        problems,
    })
}

/// One text artifact rendered after the derived documents.
enum Job {
    Table(String),
    ModelJson,
    Sarif,
    Sbom,
    /// `vex.cdx.json`, when the model has vulnerabilities.
    Vex,
    Report,
    /// An opt-in artifact (`[outputs]`).
    Export(ward_model::Export),
}

/// `ward.xlsx` or `design-inputs.reqif`, from the same tables as the CSVs.
fn render_export(
    export: ward_model::Export,
    input: &RenderInput,
    view: &ward_view::View,
    tables: &Tables,
    meta: &Meta,
) -> Result<Artifact, Diagnostic> {
    let model = input.model;
    let as_of = model.as_of.as_deref();
    match export {
        ward_model::Export::Xlsx => {
            let controls: Vec<String> =
                model.controls.iter().map(|c| c.meta.name.clone()).collect();
            let about = xlsx::About {
                system_id: &meta.system_id,
                system_title: &meta.system_title,
                version: &meta.version,
                stage: view.verdict.stage,
                judged_on: view.verdict.judged_on,
                verdict: &view.verdict.summary,
                source_hash: &meta.source_hash,
                as_of,
                tool_version: meta.tool_version,
            };
            let out_of_scope = view.declarations.out_of_scope();
            let bytes = xlsx::workbook(tables, &controls, &out_of_scope, &about)?;
            Ok(Artifact::new(XLSX_FILE, bytes))
        }
        ward_model::Export::Otm => {
            let otm = otm::document(model, input.analysis, view, input.sources);
            Ok(Artifact::new(otm::OTM_FILE, json::to_string_lines(&otm, 3)))
        }
        ward_model::Export::Reqif => {
            let header = reqif::Header {
                system_id: &meta.system_id,
                system_title: &meta.system_title,
                version: &meta.version,
                source_hash: &meta.source_hash,
                tool_version: meta.tool_version,
                as_of,
            };
            let bytes = reqif::document(model, input.analysis, tables, &header)?;
            Ok(Artifact::new(REQIF_FILE, bytes))
        }
    }
}

/// `findings.sarif`: every diagnostic, linked to its threat; written down
/// to each result's members a line.
fn sarif_log_of<'a>(
    input: &RenderInput<'a>,
    diagnostics: &'a [Diagnostic],
    meta: &Meta,
) -> sarif::SarifLog<'a> {
    let model = input.model;
    let rules: Vec<ThreatRuleInfo> = model
        .rules
        .iter()
        .map(|r| ThreatRuleInfo {
            id: r.meta.name.clone(),
            title: r.meta.title.clone(),
            description: r.meta.description.clone().or_else(|| r.meta.doc.clone()),
            stride: r.stride.iter().map(|s| s.as_str().to_string()).collect(),
            capec: r.capec.clone(),
            cwe: r.cwe.clone(),
            suggest: r.suggest.iter().map(|c| c.as_str().to_string()).collect(),
            from_stdlib: r.from_stdlib,
        })
        .collect();
    let mut sarif = sarif_log(
        input.sources,
        diagnostics,
        &rules,
        env!("CARGO_PKG_VERSION"),
    );
    sarif.link_threats(model, input.analysis);
    sarif.set_properties(serde_json::json!({
        "system": meta.system_id,
        "modelVersion": meta.version,
        "sourcesSha256": meta.source_hash,
    }));
    sarif
}

/// `index.md` and `index.json` over every other artifact.
fn design_history_index(
    artifacts: &[String],
    meta: &Meta,
    approvals: &[ward_view::ApprovalRecord],
    options: &RenderOptions,
) -> Result<Vec<Artifact>, Vec<Diagnostic>> {
    let index_meta = index::IndexMeta {
        system: &meta.system_id,
        system_title: &meta.system_title,
        version: &meta.version,
        source_hash: &meta.source_hash,
        revision: options.revision.as_deref().unwrap_or(index::UNVERSIONED),
        tool_version: meta.tool_version,
        approvals,
    };
    let files =
        index::artifacts(artifacts.iter().map(String::as_str), &index_meta).map_err(|path| {
            vec![Diagnostic::error_without_location(
                ward_diagnostics::Code::E0502,
                format!("the artifact `{path}` has no row in the design-history index's table"),
            )]
        })?;
    Ok(files
        .into_iter()
        .map(|(path, text)| Artifact::new(path, text))
        .collect())
}

/// Template output ends with exactly one newline, however the template ends.
fn one_final_newline(mut text: String) -> String {
    text.truncate(text.trim_end_matches('\n').len());
    text.push('\n');
    text
}

/// What the report reads besides the model and the analysis.
struct ReportFacts<'a> {
    view: &'a ward_view::View,
    diagnostics: &'a [Diagnostic],
    tables: &'a Tables,
    doc: &'a doc::Doc,
}

fn render_report(
    templates: &Templates,
    mut context: Context,
    input: &RenderInput,
    facts: ReportFacts,
    views: Vec<report::ViewEntry>,
    svg_note: Option<String>,
) -> Result<String, Diagnostic> {
    let ReportFacts {
        view,
        diagnostics,
        tables,
        doc,
    } = facts;
    let islands = report_data::islands(
        input.model,
        input.analysis,
        view,
        tables,
        &doc.diagnostics,
        &views,
    );
    let script = templates.render("report.js", &context)?;
    let css = templates.render("report.css", &context)?;
    if script.contains("</script") || css.contains("</style") {
        return Err(Diagnostic::error_without_location(
            ward_diagnostics::Code::E0505,
            "template `report.js` or `report.css` contains a closing `</script` or `</style` tag",
        ));
    }
    let report = report::build(
        input.model,
        input.analysis,
        view,
        diagnostics,
        views,
        svg_note,
        &script,
    );
    context.insert("report", &report);
    context.insert_value("report_data", tera::Value::safe_string(&islands.data));
    context.insert_value(
        "report_findings",
        tera::Value::safe_string(&islands.findings),
    );
    context.insert_value("script", tera::Value::safe_string(&script));
    context.insert_value("css", tera::Value::safe_string(&css));
    templates.render("report.html", &context)
}
