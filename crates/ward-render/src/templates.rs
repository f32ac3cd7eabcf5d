//! The tera templates behind every text artifact. Built-in templates are
//! embedded in the binary; a `--templates DIR` file with the same name
//! replaces one. Each format has its own engine whose autoescape function
//! fits it (HTML, Markdown cell, CSV field), so `{{ value }}` is always safe
//! to write. Undefined variables are errors (tera 2 is strict).
//!
//! A template may come from the repository being built, and tera has no
//! fuel: the templates of one build share [`TemplateLimits`], an output
//! budget (each render writes into a writer that refuses bytes beyond it)
//! and a deadline (each render runs on a worker thread; past the deadline
//! the build reports E0521 and stops waiting, and the process exit ends the
//! worker). Memory a render holds, written or not, is bounded by
//! [`crate::template_memory`] where the binary installs its allocator
//! (E0522).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use tera::{Context, Kwargs, State, Tera, TeraResult, Value};
use ward_diagnostics::{Code, Diagnostic};

use crate::doc::Doc;
use crate::escape;
use crate::report::RegisterFilter;
use crate::table_text::{self, HtmlTable};
use crate::tables::{Table, Tables, TABLE_KEYS};
use crate::template_memory::TemplateMemory;

/// Every built-in template: name and text. Names starting with `_` are
/// partials (included by others); a templates folder may add more of those.
pub const BUILTIN: &[(&str, &str)] = &[
    ("_table.md", include_str!("../templates/_table.md")),
    ("_table.csv", include_str!("../templates/_table.csv")),
    ("_meta.md", include_str!("../templates/_meta.md")),
    (
        "risk-register.md",
        include_str!("../templates/risk-register.md"),
    ),
    (
        "risk-register.csv",
        include_str!("../templates/risk-register.csv"),
    ),
    (
        "safety-transfer.md",
        include_str!("../templates/safety-transfer.md"),
    ),
    (
        "safety-transfer.csv",
        include_str!("../templates/safety-transfer.csv"),
    ),
    (
        "control-requirements.md",
        include_str!("../templates/control-requirements.md"),
    ),
    (
        "control-requirements.csv",
        include_str!("../templates/control-requirements.csv"),
    ),
    (
        "traceability.md",
        include_str!("../templates/traceability.md"),
    ),
    (
        "traceability.csv",
        include_str!("../templates/traceability.csv"),
    ),
    ("interfaces.md", include_str!("../templates/interfaces.md")),
    (
        "interfaces.csv",
        include_str!("../templates/interfaces.csv"),
    ),
    ("coverage.md", include_str!("../templates/coverage.md")),
    ("coverage.csv", include_str!("../templates/coverage.csv")),
    (
        "vulnerabilities.md",
        include_str!("../templates/vulnerabilities.md"),
    ),
    (
        "vulnerabilities.csv",
        include_str!("../templates/vulnerabilities.csv"),
    ),
    ("anomalies.md", include_str!("../templates/anomalies.md")),
    ("anomalies.csv", include_str!("../templates/anomalies.csv")),
    ("_table.html", include_str!("../templates/_table.html")),
    ("report.html", include_str!("../templates/report.html")),
    ("report.css", include_str!("../templates/report.css")),
    ("report.js", include_str!("../templates/report.js")),
];

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Format {
    Markdown,
    Csv,
    /// HTML, and the CSS and script the report inlines (not escaped).
    Html,
}

fn format_of(name: &str) -> Option<Format> {
    match name.rsplit_once('.')?.1 {
        "md" => Some(Format::Markdown),
        "csv" => Some(Format::Csv),
        "html" | "css" | "js" => Some(Format::Html),
        _ => None,
    }
}

/// What the templates of one build may do together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TemplateLimits {
    /// Bytes all templates may write (E0520 beyond). The built-in ones
    /// write under 1 GB for a 10,000-component model.
    pub max_output: usize,
    /// Time from the first template render to the last (E0521 beyond).
    pub time: Duration,
    /// Bytes one render may hold at once (E0522 beyond), where the
    /// binary installs [`crate::TemplateMemoryGuard`]. The built-in
    /// report of a 10,000-component model holds about 0.5 GB.
    pub max_memory: usize,
}

impl Default for TemplateLimits {
    fn default() -> TemplateLimits {
        TemplateLimits {
            max_output: 2 << 30,
            time: Duration::from_secs(120),
            max_memory: 2 << 30,
        }
    }
}

/// The limits in force for one build: bytes left, and the deadline (set by
/// the first render).
struct Budget {
    limits: TemplateLimits,
    output_left: Arc<AtomicUsize>,
    deadline: OnceLock<Instant>,
}

impl Budget {
    fn new(limits: TemplateLimits) -> Budget {
        Budget {
            limits,
            output_left: Arc::new(AtomicUsize::new(limits.max_output)),
            deadline: OnceLock::new(),
        }
    }
}

/// Template output, refusing bytes once the build's budget is spent.
struct BoundedWriter {
    out: Vec<u8>,
    left: Arc<AtomicUsize>,
    exceeded: bool,
}

impl Write for BoundedWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let taken = self
            .left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(buf.len())
            });
        if taken.is_err() {
            self.exceeded = true;
            return Err(io::Error::other("the template output limit is reached"));
        }
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// How a render on the worker thread ended.
enum Outcome {
    Done(Vec<u8>),
    OverBudget,
    Failed(tera::Error),
}

pub struct Templates {
    engines: BTreeMap<Format, Arc<Tera>>,
    budget: Budget,
    doc_fields: FieldsUsed,
    /// Some template reads the `tables` variable (the built-in ones call
    /// the table functions instead).
    reads_tables: bool,
    /// What the table functions write, set once the tables are built
    /// (templates are checked, functions included, when they load).
    function_data: Arc<OnceLock<FunctionData>>,
}

struct FunctionData {
    tables: Arc<Tables>,
    filters: Arc<Vec<RegisterFilter>>,
    doc: Arc<Doc>,
}

/// The template functions that write a table whole: `table_md(name=)`,
/// `table_csv(name=)`, `table_html(name=)` (names as in `tables`),
/// `risk_register_html()` (with the report's row filters) and
/// `findings_html()` (the diagnostics of `doc`).
fn register_table_functions(tera: &mut Tera, data: &Arc<OnceLock<FunctionData>>) {
    fn tables(data: &OnceLock<FunctionData>) -> TeraResult<&FunctionData> {
        data.get()
            .ok_or_else(|| tera::Error::message("the tables are not built yet"))
    }
    fn named<'a>(data: &'a OnceLock<FunctionData>, kwargs: &Kwargs) -> TeraResult<&'a Table> {
        let name: &str = kwargs.must_get("name")?;
        tables(data)?.tables.get(name).ok_or_else(|| {
            tera::Error::message(format!(
                "there is no table `{name}` (tables: {})",
                TABLE_KEYS.join(", ")
            ))
        })
    }
    let d = data.clone();
    tera.register_function("table_md", move |kwargs: Kwargs, _: &State| {
        named(&d, &kwargs).map(|table| Value::safe_string(&table_text::markdown(table)))
    });
    let d = data.clone();
    tera.register_function("table_csv", move |kwargs: Kwargs, _: &State| {
        named(&d, &kwargs).map(|table| Value::safe_string(&table_text::csv(table)))
    });
    let d = data.clone();
    tera.register_function("table_html", move |kwargs: Kwargs, _: &State| {
        named(&d, &kwargs).map(|table| {
            let how = HtmlTable {
                id: None,
                mark_gaps: true,
                filters: None,
                empty_note: "No rows.",
            };
            Value::safe_string(&table_text::html_table(table, &how))
        })
    });
    let d = data.clone();
    tera.register_function("risk_register_html", move |_: Kwargs, _: &State| {
        let data = tables(&d)?;
        let how = HtmlTable {
            id: Some("risk-register"),
            mark_gaps: false,
            filters: Some(&data.filters),
            empty_note: "The model has no threats.",
        };
        let text = table_text::html_table(&data.tables.risk_register, &how);
        TeraResult::Ok(Value::safe_string(text.trim_end_matches('\n')))
    });
    let d = data.clone();
    tera.register_function("findings_html", move |_: Kwargs, _: &State| {
        let data = tables(&d)?;
        TeraResult::Ok(Value::safe_string(&table_text::findings_html(
            &data.doc.diagnostics,
        )))
    });
}

/// The members of a context variable that templates read. Converting the
/// whole `doc` (every threat, flow and diagnostic) into template values
/// costs more than rendering the tables on large models, and the built-in
/// templates read a few small members of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldsUsed {
    /// The variable is used other than as `var.member` (or as
    /// `var[...]`): convert all of it.
    All,
    /// Only `var.member` for these members (none: the variable is unused).
    Some(BTreeSet<String>),
}

impl FieldsUsed {
    pub fn includes(&self, member: &str) -> bool {
        match self {
            FieldsUsed::All => true,
            FieldsUsed::Some(members) => members.contains(member),
        }
    }
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Which members of `var` the texts read: every whole-word `var` not
/// preceded by `.` (a member of something else) is followed by `.member`,
/// or else all of it is used. Prose that says `var` only costs time.
pub fn fields_used<'a>(var: &str, texts: impl IntoIterator<Item = &'a str>) -> FieldsUsed {
    let mut members = BTreeSet::new();
    for text in texts {
        for (at, _) in text.match_indices(var) {
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| is_ident(c) || c == '.') {
                continue;
            }
            let rest = &text[at + var.len()..];
            match rest.chars().next() {
                Some(c) if is_ident(c) => continue,
                Some('.') => {
                    let member: String = rest[1..].chars().take_while(|&c| is_ident(c)).collect();
                    if member.is_empty() {
                        return FieldsUsed::All;
                    }
                    members.insert(member);
                }
                _ => return FieldsUsed::All,
            }
        }
    }
    FieldsUsed::Some(members)
}

fn template_error(code: Code, message: String) -> Diagnostic {
    Diagnostic::error_without_location(code, message)
        .with_note("this concerns a template, not a model file")
}

/// tera's message plus its causes, one line each.
fn tera_message(err: &tera::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        text.push_str(&format!("\n{s}"));
        source = s.source();
    }
    text
}

impl Templates {
    /// The built-in templates, with those of `dir` (if given) in their place.
    pub fn load(dir: Option<&Path>) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources: BTreeMap<String, String> = BUILTIN
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        if let Some(dir) = dir {
            read_overrides(dir, &mut sources)?;
        }
        let doc_fields = fields_used("doc", sources.values().map(String::as_str));
        let reads_tables = fields_used("tables", sources.values().map(String::as_str))
            != FieldsUsed::Some(BTreeSet::new());
        let mut by_format: BTreeMap<Format, Vec<(String, String)>> = BTreeMap::new();
        for (name, text) in sources {
            let format = format_of(&name).expect("checked when read");
            by_format.entry(format).or_default().push((name, text));
        }
        let mut engines = BTreeMap::new();
        let mut errors = Vec::new();
        let function_data = Arc::new(OnceLock::new());
        for (format, templates) in by_format {
            let mut tera = Tera::new();
            register_table_functions(&mut tera, &function_data);
            match format {
                Format::Markdown => {
                    tera.autoescape_on([".md"]);
                    tera.set_escape_fn(escape::tera_markdown);
                }
                Format::Csv => {
                    tera.autoescape_on([".csv"]);
                    tera.set_escape_fn(escape::tera_csv);
                }
                Format::Html => {
                    tera.autoescape_on([".html"]);
                    tera.set_escape_fn(escape::tera_html);
                    tera.register_filter(
                        "code_spans",
                        |text: &str, _: tera::Kwargs, _: &tera::State| {
                            tera::Value::safe_string(&escape::html_code_spans(text))
                        },
                    );
                }
            }
            // Parsed one at a time first, so a syntax error names its template.
            let mut syntax_ok = true;
            for (name, text) in &templates {
                if let Err(e) = Tera::new().add_raw_template(name, text) {
                    if matches!(e.kind(), tera::ErrorKind::SyntaxError(_)) {
                        syntax_ok = false;
                        errors.push(template_error(
                            Code::E0505,
                            format!("template `{name}` does not parse: {}", tera_message(&e)),
                        ));
                    }
                }
            }
            if syntax_ok {
                if let Err(e) =
                    tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
                {
                    errors.push(template_error(
                        Code::E0505,
                        format!("templates do not load: {}", tera_message(&e)),
                    ));
                }
            }
            engines.insert(format, Arc::new(tera));
        }
        if errors.is_empty() {
            Ok(Templates {
                engines,
                budget: Budget::new(TemplateLimits::default()),
                doc_fields,
                reads_tables,
                function_data,
            })
        } else {
            Err(errors)
        }
    }

    /// Some template reads the `tables` variable.
    pub fn reads_tables(&self) -> bool {
        self.reads_tables
    }

    /// Gives the table functions (see [`register_table_functions`]) this
    /// build's tables, register filters and document; called once, before
    /// rendering.
    pub fn set_function_data(
        &self,
        tables: Arc<Tables>,
        filters: Arc<Vec<RegisterFilter>>,
        doc: Arc<Doc>,
    ) {
        let _ = self.function_data.set(FunctionData {
            tables,
            filters,
            doc,
        });
    }

    /// The members of `doc` that some template reads.
    pub fn doc_fields(&self) -> &FieldsUsed {
        &self.doc_fields
    }

    /// The same templates under other limits (a fresh budget).
    pub fn with_limits(mut self, limits: TemplateLimits) -> Templates {
        self.budget = Budget::new(limits);
        self
    }

    /// Renders one template with the given context, within the build's
    /// output budget and deadline.
    pub fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        let engine = format_of(name).and_then(|f| self.engines.get(&f));
        let Some(engine) = engine.filter(|e| e.contains_template(name)) else {
            return Err(template_error(
                Code::E0505,
                format!("there is no template `{name}`"),
            ));
        };
        let limits = self.budget.limits;
        let deadline = *self
            .budget
            .deadline
            .get_or_init(|| Instant::now() + limits.time);
        let (sender, receiver) = mpsc::channel();
        let (engine, context, template) = (engine.clone(), context.clone(), name.to_string());
        let left = self.budget.output_left.clone();
        // A worker, not a scoped thread: a scope would wait for a template that never ends.
        let worker = std::thread::Builder::new()
            .name(format!("template {name}"))
            .spawn(move || {
                let mut writer = BoundedWriter {
                    out: Vec::new(),
                    left,
                    exceeded: false,
                };
                TemplateMemory::begin(limits.max_memory);
                let rendered = engine.render_to(&template, &context, &mut writer);
                TemplateMemory::end();
                let outcome = match rendered {
                    Ok(()) => Outcome::Done(writer.out),
                    Err(_) if writer.exceeded => Outcome::OverBudget,
                    Err(e) => Outcome::Failed(e),
                };
                let _ = sender.send(outcome);
            });
        if let Err(e) = worker {
            return Err(template_error(
                Code::E0505,
                format!("template `{name}` could not start: {e}"),
            ));
        }
        match wait_for_render(&receiver, deadline) {
            Ok(Outcome::Done(bytes)) => String::from_utf8(bytes).map_err(|_| {
                template_error(Code::E0505, format!("template `{name}` wrote invalid UTF-8"))
            }),
            Ok(Outcome::OverBudget) => Err(template_error(
                Code::E0520,
                format!(
                    "template `{name}` stopped: the templates wrote more than the limit of {} MiB",
                    limits.max_output >> 20
                ),
            )
            .with_help("a template that writes this much is broken or hostile; check the templates folder")),
            Ok(Outcome::Failed(e)) => Err(template_error(
                Code::E0505,
                format!("template `{name}` failed: {}", tera_message(&e)),
            )),
            Err(Stopped::OverMemory) => Err(template_error(
                Code::E0522,
                format!(
                    "template `{name}` stopped: it held more than the limit of {} MiB of memory",
                    limits.max_memory >> 20
                ),
            )
            .with_help("a template that builds values this large is broken or hostile (a string doubled in a loop?); check the templates folder")),
            Err(Stopped::Timeout) => Err(template_error(
                Code::E0521,
                format!(
                    "template `{name}` stopped: the templates took longer than the limit of {} s",
                    limits.time.as_secs()
                ),
            )
            .with_help("a template that runs this long is broken or hostile (a loop in a loop?); check the templates folder")),
            Err(Stopped::Disconnected) => Err(template_error(
                Code::E0505,
                format!("template `{name}` failed: the renderer stopped"),
            )),
        }
    }
}

/// Why a render gave no outcome.
enum Stopped {
    Timeout,
    OverMemory,
    Disconnected,
}

/// The worker's outcome, or why there is none: the deadline passed, or a
/// render was parked at its memory limit.
fn wait_for_render(
    receiver: &mpsc::Receiver<Outcome>,
    deadline: Instant,
) -> Result<Outcome, Stopped> {
    const POLL: Duration = Duration::from_millis(20);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Stopped::Timeout);
        }
        match receiver.recv_timeout(left.min(POLL)) {
            Ok(outcome) => return Ok(outcome),
            Err(mpsc::RecvTimeoutError::Disconnected) => return Err(Stopped::Disconnected),
            Err(mpsc::RecvTimeoutError::Timeout) if TemplateMemory::exceeded() => {
                return Err(Stopped::OverMemory)
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
    }
}

fn read_overrides(
    dir: &Path,
    sources: &mut BTreeMap<String, String>,
) -> Result<(), Vec<Diagnostic>> {
    let read_error = |e: std::io::Error| {
        vec![template_error(
            Code::E0505,
            format!(
                "could not read the templates folder `{}`: {e}",
                dir.display()
            ),
        )]
    };
    let mut names = Vec::new();
    for entry in fs::read_dir(dir).map_err(read_error)? {
        let entry = entry.map_err(read_error)?;
        if entry.file_type().map_err(read_error)?.is_file() {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    let mut errors = Vec::new();
    for name in names {
        let known = sources.contains_key(&name);
        let partial = name.starts_with('_') && format_of(&name).is_some();
        if !known && !partial {
            let builtin: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
            let mut diag = template_error(
                Code::E0506,
                format!("`{name}` in the templates folder replaces no built-in template"),
            )
            .with_help(format!("templates are named {}", builtin.join(", ")));
            if let Some(close) = builtin.iter().find(|b| close_name(b, &name)) {
                diag = diag.with_note(format!("did you mean `{close}`?"));
            }
            errors.push(diag);
            continue;
        }
        let path = dir.join(&name);
        // Bounded, and never a FIFO swapped in after the listing.
        let text = ward_model::read_source_bytes(&path)
            .map_err(|e| e.to_string())
            .and_then(|bytes| String::from_utf8(bytes).map_err(|_| "not UTF-8".to_string()));
        match text {
            Ok(text) => {
                sources.insert(name, ward_diagnostics::normalize_text(&text));
            }
            Err(e) => errors.push(template_error(
                Code::E0505,
                format!("could not read `{}`: {e}", path.display()),
            )),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Same name up to case and `_`/`-`, or one edit apart.
fn close_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.to_ascii_lowercase().replace('_', "-");
    if norm(a) == norm(b) {
        return true;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j] + usize::from(ca != cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()] <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine(name: &str, text: &str) -> Arc<Tera> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), text).unwrap();
        let t = Templates::load(Some(dir.path())).unwrap();
        t.engines[&format_of(name).unwrap()].clone()
    }

    #[test]
    fn the_members_of_doc_that_templates_read() {
        let some = |names: &[&str]| FieldsUsed::Some(names.iter().map(|n| n.to_string()).collect());
        let used = |texts: &[&str]| fields_used("doc", texts.iter().copied());
        assert_eq!(
            used(&[
                "{{ doc.system.title }}",
                "{% for t in doc.threats %}{{ t.doc }}{% endfor %}"
            ]),
            some(&["system", "threats"])
        );
        // Other names that contain `doc`, and members called `doc`.
        assert_eq!(used(&["{{ docs }} {{ my_doc }} {{ s.doc }}"]), some(&[]));
        // Any other use of `doc` itself needs all of it.
        assert_eq!(used(&["{{ doc | json_encode }}"]), FieldsUsed::All);
        assert_eq!(used(&["{{ doc[\"threats\"] }}"]), FieldsUsed::All);
        assert_eq!(
            used(&["{% for k, v in doc %}{% endfor %}"]),
            FieldsUsed::All
        );
        assert_eq!(used(&["the doc"]), FieldsUsed::All);
        // The built-in templates read a few small members.
        let builtin = fields_used("doc", BUILTIN.iter().map(|(_, t)| *t));
        assert_eq!(
            builtin,
            some(&[
                "anomalies",
                "approvals",
                "assumptions",
                "judged_on",
                "monitoring",
                "sources",
                "stage",
                "system",
                "uses",
                "verdict",
                "vulnerabilities"
            ])
        );
        // ... and write tables with the table functions, not `tables`.
        assert_eq!(
            fields_used("tables", BUILTIN.iter().map(|(_, t)| *t)),
            some(&[])
        );
        assert!(!Templates::load(None).unwrap().reads_tables());
    }

    #[test]
    fn each_format_escapes_its_own_way() {
        let mut ctx = Context::new();
        ctx.insert("v", "<b>|\"=x\"");
        let md = engine("_probe.md", "{{ v }}");
        assert_eq!(md.render("_probe.md", &ctx).unwrap(), "&lt;b>\\|\"=x\"");
        let csv = engine("_probe.csv", "{{ v }},{{ v | safe }}");
        assert_eq!(
            csv.render("_probe.csv", &ctx).unwrap(),
            "\"<b>|\"\"=x\"\"\",<b>|\"=x\""
        );
        let html = engine("_probe.html", "<p title=\"{{ v }}\">{{ v }}</p>");
        assert_eq!(
            html.render("_probe.html", &ctx).unwrap(),
            "<p title=\"&lt;b&gt;|&quot;=x&quot;\">&lt;b&gt;|&quot;=x&quot;</p>"
        );
    }

    #[test]
    fn code_spans_are_escaped_then_wrapped() {
        let mut ctx = Context::new();
        ctx.insert("v", "threat `<x>` has `a&b`");
        let html = engine("_probe.html", "{{ v | code_spans }}");
        assert_eq!(
            html.render("_probe.html", &ctx).unwrap(),
            "threat <code>&lt;x&gt;</code> has <code>a&amp;b</code>"
        );
    }

    #[test]
    fn undefined_variables_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("_probe.md"), "{{ nothing_here }}").unwrap();
        let t = Templates::load(Some(dir.path())).unwrap();
        let err = t.render("_probe.md", &Context::new()).unwrap_err();
        assert_eq!(err.code, "E0505");
        assert!(err.message.contains("_probe.md"), "{}", err.message);
    }

    fn limited(template: &str, limits: TemplateLimits) -> Result<String, Diagnostic> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("coverage.md"), template).unwrap();
        Templates::load(Some(dir.path()))
            .unwrap()
            .with_limits(limits)
            .render("coverage.md", &Context::new())
    }

    #[test]
    fn a_template_that_doubles_its_output_stops_at_the_output_limit() {
        let doubling = "{% set_global s = \"xxxxxxxx\" %}{% for i in range(end=64) %}{% set_global s = s ~ s %}{{ s }}{% endfor %}";
        let limits = TemplateLimits {
            max_output: 1 << 20,
            time: Duration::from_secs(600),
            ..TemplateLimits::default()
        };
        let err = limited(doubling, limits).unwrap_err();
        assert_eq!(err.code, "E0520", "{err:?}");
        assert_eq!(
            err.message,
            "template `coverage.md` stopped: the templates wrote more than the limit of 1 MiB"
        );
        // The budget is for all templates of a build together.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("coverage.md"), "{{ \"x\" ~ \"y\" }}").unwrap();
        let t = Templates::load(Some(dir.path()))
            .unwrap()
            .with_limits(TemplateLimits {
                max_output: 5,
                time: Duration::from_secs(600),
                ..TemplateLimits::default()
            });
        assert_eq!(t.render("coverage.md", &Context::new()).unwrap(), "xy");
        assert_eq!(t.render("coverage.md", &Context::new()).unwrap(), "xy");
        assert_eq!(
            t.render("coverage.md", &Context::new()).unwrap_err().code,
            "E0520"
        );
    }

    #[test]
    fn a_template_that_loops_too_long_stops_at_the_deadline() {
        // 10^10 iterations: far beyond the limit on any machine (the worker
        // is left running; the test process ends it).
        let nested = "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}";
        let limits = TemplateLimits {
            max_output: 1 << 20,
            time: Duration::from_millis(200),
            ..TemplateLimits::default()
        };
        let err = limited(nested, limits).unwrap_err();
        assert_eq!(err.code, "E0521", "{err:?}");
        assert!(
            err.message.contains("took longer than the limit"),
            "{}",
            err.message
        );
    }

    #[test]
    fn an_override_replaces_the_builtin() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("coverage.md"), "custom {{ 1 + 1 }}\n").unwrap();
        let t = Templates::load(Some(dir.path())).unwrap();
        assert_eq!(
            t.render("coverage.md", &Context::new()).unwrap(),
            "custom 2\n"
        );
    }

    #[test]
    fn unknown_or_broken_overrides_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("risk_register.md"), "x").unwrap();
        std::fs::write(dir.path().join("coverage.md"), "{% if %}").unwrap();
        let errors = Templates::load(Some(dir.path())).err().unwrap();
        let codes: Vec<&str> = errors.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, vec!["E0506"]);
        assert!(errors[0]
            .notes
            .iter()
            .any(|n| n.contains("risk-register.md")));
        std::fs::remove_file(dir.path().join("risk_register.md")).unwrap();
        let errors = Templates::load(Some(dir.path())).err().unwrap();
        assert!(errors.iter().all(|d| d.code == "E0505"));
        assert!(
            errors[0].message.contains("coverage.md"),
            "{}",
            errors[0].message
        );
    }
}
