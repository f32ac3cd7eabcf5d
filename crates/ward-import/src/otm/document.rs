//! An OTM document read and checked: JSON with the position of every
//! value (jsonc-parser, strict JSON, nesting bounded at 512), the fields
//! Ward maps with their types, `otmVersion`, repeated ids and references to
//! ids that are not there. Every problem is reported with its line and
//! column; nothing is mapped from a document with errors.

use std::collections::{BTreeSet, HashMap};

use jsonc_parser::ast::{Array, Object, ObjectProp, Value};
use jsonc_parser::common::Range;
use ward_diagnostics::{Diagnostic, FileId, Span};

use crate::codes;
use crate::relpath::{self, MAX_KEPT_FILES};
use crate::MAX_INPUT_BYTES;

/// The `otmVersion`s read: 0.1.x and 0.2.x (the fields Ward reads are the
/// same in both).
const VERSIONS: &[&str] = &["0.1.", "0.2."];

// ---------------------------------------------------------------------------
// The document, read and checked.

/// A value with where it is in the document.
#[derive(Clone, Debug)]
pub struct Located<T> {
    pub value: T,
    pub span: Span,
}

#[derive(Debug, Default)]
pub struct Document {
    pub project: Project,
    pub zones: Vec<TrustZone>,
    pub components: Vec<Component>,
    pub dataflows: Vec<Dataflow>,
    pub assets: Vec<Asset>,
    pub threats: Vec<Threat>,
    pub mitigations: Vec<Mitigation>,
}

#[derive(Debug, Default)]
pub struct Project {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub tags: Vec<String>,
    /// What a Ward export adds: present only in documents Ward wrote.
    pub ward: Option<WardProject>,
}

#[derive(Debug, Default)]
pub struct WardProject {
    /// `std::stride`, `std::fda`: the standard modules the model used.
    pub uses: Vec<String>,
    /// The declarations OTM has no object for: (keyword, id, source).
    pub declarations: Vec<(String, String, String)>,
    /// The SBOM, feed and VEX files the model read: (checked path, text).
    pub files: Vec<(Located<String>, String)>,
    /// `[vulnerabilities]` of its `Ward.toml`: feed patterns, VEX paths.
    pub vulnerabilities: Option<(Vec<String>, Vec<String>)>,
}

#[derive(Debug)]
pub struct TrustZone {
    pub id: Located<String>,
    pub name: String,
    pub kind: Option<String>,
    pub description: Option<String>,
    pub trust_rating: f64,
    pub parent: Option<Parent>,
    pub ward_source: Option<String>,
}

#[derive(Clone, Debug)]
pub enum Parent {
    Zone(Located<String>),
    Component(Located<String>),
}

#[derive(Debug)]
pub struct Component {
    pub id: Located<String>,
    pub name: String,
    pub kind: String,
    pub description: Option<String>,
    pub parent: Parent,
    pub stored: Vec<Located<String>>,
    pub threats: Vec<ThreatInstance>,
    pub tags: Vec<String>,
    pub representations: usize,
    pub scope: Scope,
    pub security: SecurityAttributes,
    pub ward_source: Option<String>,
}

/// A component's v2 security properties as plain attributes (Ward's names
/// in camelCase, which Ward's export and `tools/pytm2otm.py` write), as
/// written; `map.rs` checks the values.
#[derive(Debug, Default)]
pub struct SecurityAttributes {
    pub input_validation: bool,
    pub output_encoding: bool,
    pub access_control: bool,
    pub authorization: Option<String>,
    pub parses: Vec<String>,
    pub processes: Vec<String>,
    pub runs_on: Option<String>,
}

/// A dataflow's v2 properties: in `attributes.ward` of Ward's export
/// (`auth`, `serverAuthenticated`, `tlsVersion`, `identity`, `returns`) or
/// as plain attributes (`auth`, `authenticatesDestination`: pytm's name for
/// `server_authenticated`, `tlsVersion`, `identity`, `returns`); as
/// written, `map.rs` checks the values.
#[derive(Debug, Default)]
pub struct FlowAttributes {
    pub auth: Option<String>,
    pub server_authenticated: Option<bool>,
    pub tls_version: Option<String>,
    pub identity: Option<String>,
    pub returns: Vec<String>,
}

/// `attributes.outOfScope` and `attributes.reasonOutOfScope` of a component
/// or dataflow (Threat Dragon's names, which Ward's export and
/// `tools/pytm2otm.py` write).
#[derive(Debug, Default)]
pub struct Scope {
    pub out_of_scope: bool,
    pub reason: Option<String>,
}

#[derive(Debug)]
pub struct ThreatInstance {
    pub threat: Located<String>,
    pub state: String,
    pub mitigations: Vec<(Located<String>, Option<String>)>,
}

#[derive(Debug)]
pub struct Dataflow {
    pub id: Located<String>,
    pub name: String,
    pub description: Option<String>,
    pub bidirectional: bool,
    pub source: Located<String>,
    pub destination: Located<String>,
    pub assets: Vec<Located<String>>,
    pub threats: Vec<ThreatInstance>,
    pub tags: Vec<String>,
    pub protocol: Option<String>,
    pub encrypted: Option<bool>,
    pub authenticated: Option<bool>,
    pub v2: FlowAttributes,
    pub scope: Scope,
    pub ward_source: Option<String>,
}

#[derive(Debug)]
pub struct Asset {
    pub id: Located<String>,
    pub name: String,
    pub description: Option<String>,
    pub cia: [f64; 3],
    pub ward_source: Option<String>,
}

#[derive(Debug)]
pub struct Threat {
    pub id: Located<String>,
    pub name: String,
    pub description: Option<String>,
    pub categories: Vec<String>,
    pub cwes: Vec<String>,
    pub capec: Vec<String>,
    pub likelihood: Option<f64>,
    pub impact: f64,
    pub impact_comment: Option<String>,
    /// `attributes.ward.rule`: the rule that generated it (Ward exports).
    pub ward_rule: Option<String>,
    /// `attributes.ward.origin`: `written`, `rule` or `vulnerability`.
    pub ward_origin: Option<String>,
    pub ward_source: Option<String>,
}

#[derive(Debug)]
pub struct Mitigation {
    pub id: Located<String>,
    pub name: String,
    pub description: Option<String>,
    pub risk_reduction: f64,
    pub category: Option<String>,
    pub ward_source: Option<String>,
}

/// Reads and checks an OTM document. Every problem found is returned, each
/// with its place in `file`.
pub fn read(file: FileId, text: &str) -> Result<Document, Vec<Diagnostic>> {
    // jsonc-parser stops at 512 levels of nesting (an error, not a stack
    // overflow); OTM nests 6.
    let parsed = jsonc_parser::parse_to_ast(
        text,
        &jsonc_parser::CollectOptions::default(),
        &strict_json(),
    )
    .map_err(|e| {
        let range = e.range();
        vec![Diagnostic::error(
            codes::INPUT_SYNTAX,
            Span::new(file, range.start, range.end.max(range.start)),
            format!("the OTM document is not valid JSON: {}", e.kind()),
        )
        .with_primary_label("here")
        .with_help(
            "OTM is plain JSON (no comments, no trailing commas, at most 512 levels of nesting); a file cut short ends inside a value",
        )]
    })?;
    let Some(root) = parsed.value else {
        return Err(vec![Diagnostic::error(
            codes::INPUT_SYNTAX,
            Span::new(file, 0, 0),
            "the OTM document is empty",
        )
        .with_help(
            "an OTM document is a JSON object with `otmVersion` and `project`",
        )]);
    };
    let mut r = Reader {
        file,
        errors: Vec::new(),
    };
    let doc = r.document(&root);
    if r.errors.is_empty() {
        r.check_references(&doc);
    }
    if r.errors.is_empty() {
        Ok(doc)
    } else {
        Err(r.errors)
    }
}

fn strict_json() -> jsonc_parser::ParseOptions {
    jsonc_parser::ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        ..Default::default()
    }
}

struct Reader {
    file: FileId,
    errors: Vec<Diagnostic>,
}

/// `path.key`, or `key` at the top level.
fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// JSON's name for a value's type, for messages.
fn type_name(v: &Value) -> &'static str {
    match v {
        Value::StringLit(_) => "a string",
        Value::NumberLit(_) => "a number",
        Value::BooleanLit(_) => "a boolean",
        Value::Object(_) => "an object",
        Value::Array(_) => "an array",
        Value::NullKeyword(_) => "null",
    }
}

fn range_of(v: &Value) -> Range {
    match v {
        Value::StringLit(x) => x.range,
        Value::NumberLit(x) => x.range,
        Value::BooleanLit(x) => x.range,
        Value::Object(x) => x.range,
        Value::Array(x) => x.range,
        Value::NullKeyword(x) => x.range,
    }
}

impl Reader {
    fn span(&self, range: Range) -> Span {
        Span::new(self.file, range.start, range.end)
    }

    fn wrong_type(&mut self, path: &str, v: &Value, expected: &str) {
        let d = Diagnostic::error(
            codes::INPUT_SHAPE,
            self.span(range_of(v)),
            format!("`{path}` is {}; OTM wants {expected}", type_name(v)),
        )
        .with_primary_label(format!("expected {expected}"))
        .with_help("see the OTM 0.2.0 schema (docs/interchange.md, \"Importing OTM\")");
        self.errors.push(d);
    }

    fn missing(&mut self, path: &str, obj: &Object, key: &str) {
        let d = Diagnostic::error(
            codes::INPUT_SHAPE,
            self.span(Range {
                start: obj.range.start,
                end: obj.range.start + 1,
            }),
            format!("`{path}` has no `{key}`, which OTM requires"),
        )
        .with_primary_label("in this object")
        .with_help(format!("add `\"{key}\"` to the object"));
        self.errors.push(d);
    }

    /// A property that is absent or `null` is `None`.
    fn prop<'v, 'a>(obj: &'v Object<'a>, key: &str) -> Option<&'v Value<'a>> {
        obj.get(key)
            .map(|p: &ObjectProp| &p.value)
            .filter(|v| !matches!(v, Value::NullKeyword(_)))
    }

    fn object<'v, 'a>(&mut self, path: &str, v: &'v Value<'a>) -> Option<&'v Object<'a>> {
        match v {
            Value::Object(o) => Some(o),
            other => {
                self.wrong_type(path, other, "an object");
                None
            }
        }
    }

    fn array<'v, 'a>(&mut self, path: &str, v: &'v Value<'a>) -> Option<&'v Array<'a>> {
        match v {
            Value::Array(a) => Some(a),
            other => {
                self.wrong_type(path, other, "an array");
                None
            }
        }
    }

    fn string_value(&mut self, path: &str, v: &Value) -> Option<Located<String>> {
        match v {
            Value::StringLit(s) => Some(Located {
                value: s.value.to_string(),
                span: self.span(s.range),
            }),
            other => {
                self.wrong_type(path, other, "a string");
                None
            }
        }
    }

    fn required_string(&mut self, path: &str, obj: &Object, key: &str) -> Option<Located<String>> {
        match Self::prop(obj, key) {
            Some(v) => self.string_value(&format!("{path}.{key}"), v),
            None => {
                self.missing(path, obj, key);
                None
            }
        }
    }

    fn optional_string(&mut self, path: &str, obj: &Object, key: &str) -> Option<String> {
        Self::prop(obj, key)
            .and_then(|v| self.string_value(&format!("{path}.{key}"), v))
            .map(|s| s.value)
    }

    fn number_value(&mut self, path: &str, v: &Value) -> Option<f64> {
        match v {
            Value::NumberLit(n) => match n.value.parse::<f64>() {
                Ok(x) if x.is_finite() => Some(x),
                _ => {
                    self.wrong_type(path, v, "a finite number");
                    None
                }
            },
            other => {
                self.wrong_type(path, other, "a number");
                None
            }
        }
    }

    fn optional_bool(&mut self, path: &str, obj: &Object, key: &str) -> Option<bool> {
        match Self::prop(obj, key)? {
            Value::BooleanLit(b) => Some(b.value),
            other => {
                self.wrong_type(&format!("{path}.{key}"), other, "a boolean");
                None
            }
        }
    }

    /// An optional array of strings (`null` items are skipped, as the
    /// schema allows them).
    fn strings(&mut self, path: &str, obj: &Object, key: &str) -> Vec<Located<String>> {
        let Some(v) = Self::prop(obj, key) else {
            return Vec::new();
        };
        let path = join(path, key);
        let Some(items) = self.array(&path, v) else {
            return Vec::new();
        };
        items
            .elements
            .iter()
            .enumerate()
            .filter(|(_, v)| !matches!(v, Value::NullKeyword(_)))
            .filter_map(|(i, v)| self.string_value(&format!("{path}[{i}]"), v))
            .collect()
    }

    /// The objects of an optional array, each with its path.
    fn objects<'v, 'a>(
        &mut self,
        path: &str,
        obj: &'v Object<'a>,
        key: &str,
    ) -> Vec<(String, &'v Object<'a>)> {
        let Some(v) = Self::prop(obj, key) else {
            return Vec::new();
        };
        let path = join(path, key);
        let Some(items) = self.array(&path, v) else {
            return Vec::new();
        };
        items
            .elements
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                let p = format!("{path}[{i}]");
                self.object(&p, v).map(|o| (p, o))
            })
            .collect()
    }

    /// `attributes.ward` of a Ward export, if any.
    fn ward_attributes<'v, 'a>(
        &mut self,
        path: &str,
        obj: &'v Object<'a>,
    ) -> Option<&'v Object<'a>> {
        let attributes = Self::prop(obj, "attributes")?;
        let attributes = self.object(&format!("{path}.attributes"), attributes)?;
        let ward = Self::prop(attributes, "ward")?;
        self.object(&format!("{path}.attributes.ward"), ward)
    }

    fn ward_source(&mut self, path: &str, obj: &Object) -> Option<String> {
        let ward = self.ward_attributes(path, obj)?;
        self.optional_string(&format!("{path}.attributes.ward"), ward, "source")
    }

    /// A plain (non-`ward`) attribute as text: strings as they are, numbers
    /// and booleans spelt as JSON.
    fn attribute(obj: &Object, key: &str) -> Option<String> {
        let attributes = match Self::prop(obj, "attributes")? {
            Value::Object(o) => o,
            _ => return None,
        };
        match Self::prop(attributes, key)? {
            Value::StringLit(s) => Some(s.value.to_string()),
            Value::NumberLit(n) => Some(n.value.to_string()),
            Value::BooleanLit(b) => Some(b.value.to_string()),
            _ => None,
        }
    }

    fn flag(obj: &Object, key: &str) -> Option<bool> {
        Self::attribute(obj, key).map(|a| a.eq_ignore_ascii_case("true"))
    }

    fn security(obj: &Object) -> SecurityAttributes {
        SecurityAttributes {
            input_validation: Self::flag(obj, "inputValidation") == Some(true),
            output_encoding: Self::flag(obj, "outputEncoding") == Some(true),
            access_control: Self::flag(obj, "accessControl") == Some(true),
            authorization: Self::attribute(obj, "authorization"),
            parses: Self::attribute_list(obj, "parses"),
            processes: Self::attribute_list(obj, "processes"),
            runs_on: Self::attribute(obj, "runsOn"),
        }
    }

    /// A dataflow's v2 properties: from `attributes.ward` (Ward's export)
    /// where it has them, else from the plain attributes (other tools).
    fn flow_attributes(&mut self, path: &str, obj: &Object) -> FlowAttributes {
        let plain = FlowAttributes {
            auth: Self::attribute(obj, "auth"),
            server_authenticated: Self::flag(obj, "authenticatesDestination"),
            tls_version: Self::attribute(obj, "tlsVersion"),
            identity: Self::attribute(obj, "identity"),
            returns: Self::attribute_list(obj, "returns"),
        };
        let Some(ward) = self.ward_attributes(path, obj) else {
            return plain;
        };
        let at = format!("{path}.attributes.ward");
        let returns: Vec<String> = (self.strings(&at, ward, "returns").into_iter())
            .map(|r| r.value)
            .collect();
        FlowAttributes {
            auth: self.optional_string(&at, ward, "auth").or(plain.auth),
            server_authenticated: (self.optional_bool(&at, ward, "serverAuthenticated"))
                .or(plain.server_authenticated),
            tls_version: self
                .optional_string(&at, ward, "tlsVersion")
                .or(plain.tls_version),
            identity: self
                .optional_string(&at, ward, "identity")
                .or(plain.identity),
            returns: if returns.is_empty() {
                plain.returns
            } else {
                returns
            },
        }
    }

    fn scope(obj: &Object) -> Scope {
        Scope {
            out_of_scope: Self::attribute(obj, "outOfScope").is_some_and(|a| a == "true"),
            reason: Self::attribute(obj, "reasonOutOfScope"),
        }
    }

    fn document(&mut self, root: &Value) -> Document {
        let mut doc = Document::default();
        let Some(root) = self.object("(document)", root) else {
            return doc;
        };
        match Self::prop(root, "otmVersion") {
            None => self.missing("(document)", root, "otmVersion"),
            Some(v) => {
                if let Some(version) = self.string_value("otmVersion", v) {
                    if !VERSIONS.iter().any(|p| version.value.starts_with(p)) {
                        self.errors.push(
                            Diagnostic::error(
                                codes::UNKNOWN_VERSION,
                                version.span,
                                format!("OTM version `{}` is not one Ward reads", version.value),
                            )
                            .with_primary_label("unknown version")
                            .with_help("Ward reads OTM 0.2.x (and 0.1.x, whose fields it reads are the same); export the model as OTM 0.2.0"),
                        );
                    }
                }
            }
        }
        match Self::prop(root, "project") {
            None => self.missing("(document)", root, "project"),
            Some(v) => {
                if let Some(p) = self.object("project", v) {
                    doc.project = self.project(p);
                }
            }
        }
        doc.zones = self.each(root, "trustZones", Self::trust_zone);
        doc.components = self.each(root, "components", Self::component);
        doc.dataflows = self.each(root, "dataflows", Self::dataflow);
        doc.assets = self.each(root, "assets", Self::asset);
        doc.threats = self.each(root, "threats", Self::threat);
        doc.mitigations = self.each(root, "mitigations", Self::mitigation);
        doc
    }

    /// Each object of the top-level array `key`, read by `read` (which
    /// reports what is wrong with one and skips it).
    fn each<T>(
        &mut self,
        root: &Object,
        key: &str,
        read: impl Fn(&mut Self, &str, &Object) -> Option<T>,
    ) -> Vec<T> {
        self.objects("", root, key)
            .into_iter()
            .filter_map(|(path, o)| read(self, &path, o))
            .collect()
    }

    fn project(&mut self, p: &Object) -> Project {
        let path = "project";
        let id = self.required_string(path, p, "id").map(|s| s.value);
        let name = self.required_string(path, p, "name").map(|s| s.value);
        let mut project = Project {
            id: id.unwrap_or_default(),
            name: name.unwrap_or_default(),
            description: self.optional_string(path, p, "description"),
            tags: self
                .strings(path, p, "tags")
                .into_iter()
                .map(|s| s.value)
                .collect(),
            ward: None,
        };
        if let Some(ward) = self.ward_attributes(path, p) {
            let mut w = WardProject {
                uses: self
                    .strings("project.attributes.ward", ward, "uses")
                    .into_iter()
                    .map(|s| s.value)
                    .collect(),
                declarations: Vec::new(),
                files: Vec::new(),
                vulnerabilities: None,
            };
            for (dpath, d) in self.objects("project.attributes.ward", ward, "declarations") {
                let kind = self.required_string(&dpath, d, "kind");
                let id = self.required_string(&dpath, d, "id");
                let source = self.required_string(&dpath, d, "source");
                if let (Some(k), Some(i), Some(s)) = (kind, id, source) {
                    w.declarations.push((k.value, i.value, s.value));
                }
            }
            w.files = self.kept_files(ward);
            if let Some(v) = Self::prop(ward, "vulnerabilities") {
                let vpath = "project.attributes.ward.vulnerabilities";
                if let Some(v) = self.object(vpath, v) {
                    let feeds = self.paths(vpath, v, "feeds");
                    let vex = self.paths(vpath, v, "vex");
                    w.vulnerabilities = Some((feeds, vex));
                }
            }
            project.ward = Some(w);
        }
        project
    }

    /// `project.attributes.ward.files`: each `{path, text}` with its path
    /// checked (relative, inside the output folder, not a model file),
    /// at most [`MAX_KEPT_FILES`] of at most [`MAX_INPUT_BYTES`] in all.
    fn kept_files(&mut self, ward: &Object) -> Vec<(Located<String>, String)> {
        let path = "project.attributes.ward";
        let entries = self.objects(path, ward, "files");
        if let (Some(first), true) = (entries.first(), entries.len() > MAX_KEPT_FILES) {
            let d = Diagnostic::error(
                codes::INPUT_SHAPE,
                self.span(first.1.range),
                format!(
                    "`{path}.files` lists {} files; `ward import` writes at most {MAX_KEPT_FILES}",
                    entries.len()
                ),
            )
            .with_primary_label("the first of them")
            .with_help("keep the SBOM, feed and VEX files the model reads, and nothing else");
            self.errors.push(d);
            return Vec::new();
        }
        let mut files: Vec<(Located<String>, String)> = Vec::new();
        let mut total: u64 = 0;
        for (fpath, f) in entries {
            let name = self.required_string(&fpath, f, "path");
            let text = self.required_string(&fpath, f, "text");
            let (Some(name), Some(text)) = (name, text) else {
                continue;
            };
            total += text.value.len() as u64;
            if total > MAX_INPUT_BYTES {
                let d = Diagnostic::error(
                    codes::INPUT_UNREADABLE,
                    text.span,
                    format!(
                        "the files of `{path}.files` are over {} MiB in all, the most `ward import` writes",
                        MAX_INPUT_BYTES / (1024 * 1024)
                    ),
                )
                .with_primary_label("the limit is passed here")
                .with_help("keep the SBOM, feed and VEX files the model reads, and nothing else");
                self.errors.push(d);
                return Vec::new();
            }
            if let Some(checked) = self.checked_path(&format!("{fpath}.path"), name) {
                files.push((checked, text.value));
            }
        }
        self.no_file_in_a_file(&files);
        files
    }

    /// A path of the input checked by [`relpath::file_path`]: E0622 at
    /// it when it cannot be written.
    fn checked_path(&mut self, path: &str, name: Located<String>) -> Option<Located<String>> {
        match relpath::file_path(&name.value) {
            Ok(value) => Some(Located {
                value,
                span: name.span,
            }),
            Err(why) => {
                let d = Diagnostic::error(
                    codes::INPUT_SHAPE,
                    name.span,
                    format!("`{path}` `{}` is not a path `ward import` writes: {why}", name.value),
                )
                .with_primary_label("not a plain relative path")
                .with_help("a kept file's path is relative to the model's folder and `/`-separated, without `..`, a leading `/`, a drive, hidden names or `.ward` files");
                self.errors.push(d);
                None
            }
        }
    }

    /// `feeds` or `vex` of `project.attributes.ward.vulnerabilities`: paths
    /// (feed patterns may have wildcards in their file name), each checked.
    fn paths(&mut self, path: &str, obj: &Object, key: &str) -> Vec<String> {
        self.strings(path, obj, key)
            .into_iter()
            .enumerate()
            .filter_map(|(i, s)| self.checked_path(&format!("{path}.{key}[{i}]"), s))
            .map(|s| s.value)
            .collect()
    }

    /// Two kept files at one path, or one whose path is a folder of
    /// another's: E0624 at the second.
    fn no_file_in_a_file(&mut self, files: &[(Located<String>, String)]) {
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for (name, _) in files {
            seen.entry(name.value.as_str()).or_insert(name.span);
        }
        for (name, _) in files {
            let first = seen[name.value.as_str()];
            let folder = name
                .value
                .match_indices('/')
                .find_map(|(i, _)| seen.get(&name.value[..i]).map(|s| (&name.value[..i], *s)));
            let clash = if first != name.span {
                Some((
                    format!("two kept files have the path `{}`", name.value),
                    first,
                ))
            } else {
                folder.map(|(f, at)| {
                    (
                        format!("the kept file `{f}` is also the folder of `{}`", name.value),
                        at,
                    )
                })
            };
            if let Some((message, at)) = clash {
                self.errors.push(
                    Diagnostic::error(codes::DUPLICATE_ID, name.span, message)
                        .with_primary_label("this path")
                        .with_label(at, "clashes with this one")
                        .with_help("give each kept file a path of its own"),
                );
            }
        }
    }

    fn parent(&mut self, path: &str, obj: &Object, required: bool) -> Option<Parent> {
        let Some(v) = Self::prop(obj, "parent") else {
            if required {
                self.missing(path, obj, "parent");
            }
            return None;
        };
        let path = format!("{path}.parent");
        let p = self.object(&path, v)?;
        if let Some(z) = Self::prop(p, "trustZone") {
            return self
                .string_value(&format!("{path}.trustZone"), z)
                .map(Parent::Zone);
        }
        if let Some(c) = Self::prop(p, "component") {
            return self
                .string_value(&format!("{path}.component"), c)
                .map(Parent::Component);
        }
        self.missing(&path, p, "trustZone");
        None
    }

    fn instances(&mut self, path: &str, obj: &Object) -> Vec<ThreatInstance> {
        let mut out = Vec::new();
        for (ipath, i) in self.objects(path, obj, "threats") {
            let threat = self.required_string(&ipath, i, "threat");
            let state = self.optional_string(&ipath, i, "state").unwrap_or_default();
            let mut mitigations = Vec::new();
            for (mpath, m) in self.objects(&ipath, i, "mitigations") {
                if let Some(id) = self.required_string(&mpath, m, "mitigation") {
                    mitigations.push((id, self.optional_string(&mpath, m, "state")));
                }
            }
            if let Some(threat) = threat {
                out.push(ThreatInstance {
                    threat,
                    state,
                    mitigations,
                });
            }
        }
        out
    }

    fn trust_zone(&mut self, path: &str, o: &Object) -> Option<TrustZone> {
        let id = self.required_string(path, o, "id");
        let name = self.required_string(path, o, "name");
        let rating = match Self::prop(o, "risk") {
            None => {
                self.missing(path, o, "risk");
                None
            }
            Some(v) => {
                let rpath = format!("{path}.risk");
                self.object(&rpath, v)
                    .and_then(|r| match Self::prop(r, "trustRating") {
                        None => {
                            self.missing(&rpath, r, "trustRating");
                            None
                        }
                        Some(t) => self.number_value(&format!("{rpath}.trustRating"), t),
                    })
            }
        };
        let parent = self.parent(path, o, false);
        let zone = TrustZone {
            id: id?,
            name: name?.value,
            kind: self.optional_string(path, o, "type"),
            description: self.optional_string(path, o, "description"),
            trust_rating: rating?,
            parent,
            ward_source: self.ward_source(path, o),
        };
        Some(zone)
    }

    fn component(&mut self, path: &str, o: &Object) -> Option<Component> {
        let id = self.required_string(path, o, "id");
        let name = self.required_string(path, o, "name");
        let kind = self.required_string(path, o, "type");
        let parent = self.parent(path, o, true);
        let stored = match Self::prop(o, "assets") {
            Some(v) => match self.object(&format!("{path}.assets"), v) {
                Some(a) => self.strings(&format!("{path}.assets"), a, "stored"),
                None => Vec::new(),
            },
            None => Vec::new(),
        };
        let representations = match Self::prop(o, "representations") {
            Some(Value::Array(a)) => a.elements.len(),
            _ => 0,
        };
        Some(Component {
            threats: self.instances(path, o),
            tags: self
                .strings(path, o, "tags")
                .into_iter()
                .map(|s| s.value)
                .collect(),
            description: self.optional_string(path, o, "description"),
            scope: Self::scope(o),
            security: Self::security(o),
            ward_source: self.ward_source(path, o),
            id: id?,
            name: name?.value,
            kind: kind?.value,
            parent: parent?,
            stored,
            representations,
        })
    }

    fn dataflow(&mut self, path: &str, o: &Object) -> Option<Dataflow> {
        let id = self.required_string(path, o, "id");
        let name = self.required_string(path, o, "name");
        let source = self.required_string(path, o, "source");
        let destination = self.required_string(path, o, "destination");
        let encryption =
            Self::attribute(o, "encryption").or_else(|| Self::attribute(o, "isEncrypted"));
        Some(Dataflow {
            description: self.optional_string(path, o, "description"),
            bidirectional: self
                .optional_bool(path, o, "bidirectional")
                .unwrap_or(false),
            assets: self.strings(path, o, "assets"),
            threats: self.instances(path, o),
            tags: self
                .strings(path, o, "tags")
                .into_iter()
                .map(|s| s.value)
                .collect(),
            protocol: Self::attribute(o, "protocol"),
            encrypted: encryption.map(|e| {
                let e = e.trim().to_ascii_lowercase();
                !(e.is_empty() || e == "none" || e == "false" || e == "no" || e == "unencrypted")
            }),
            authenticated: Self::flag(o, "authenticatesSource"),
            v2: self.flow_attributes(path, o),
            scope: Self::scope(o),
            ward_source: self.ward_source(path, o),
            id: id?,
            name: name?.value,
            source: source?,
            destination: destination?,
        })
    }

    fn asset(&mut self, path: &str, o: &Object) -> Option<Asset> {
        let id = self.required_string(path, o, "id");
        let name = self.required_string(path, o, "name");
        let mut cia = [0.0; 3];
        let mut complete = true;
        match Self::prop(o, "risk") {
            None => {
                self.missing(path, o, "risk");
                complete = false;
            }
            Some(v) => {
                let rpath = format!("{path}.risk");
                if let Some(r) = self.object(&rpath, v) {
                    for (slot, key) in
                        cia.iter_mut()
                            .zip(["confidentiality", "integrity", "availability"])
                    {
                        match Self::prop(r, key) {
                            None => {
                                self.missing(&rpath, r, key);
                                complete = false;
                            }
                            Some(n) => match self.number_value(&format!("{rpath}.{key}"), n) {
                                Some(x) => *slot = x,
                                None => complete = false,
                            },
                        }
                    }
                } else {
                    complete = false;
                }
            }
        }
        let asset = Asset {
            description: self.optional_string(path, o, "description"),
            ward_source: self.ward_source(path, o),
            id: id?,
            name: name?.value,
            cia,
        };
        complete.then_some(asset)
    }

    fn threat(&mut self, path: &str, o: &Object) -> Option<Threat> {
        let id = self.required_string(path, o, "id");
        let name = self.required_string(path, o, "name");
        let mut likelihood = None;
        let mut impact = None;
        let mut impact_comment = None;
        match Self::prop(o, "risk") {
            None => self.missing(path, o, "risk"),
            Some(v) => {
                let rpath = format!("{path}.risk");
                if let Some(r) = self.object(&rpath, v) {
                    likelihood = Self::prop(r, "likelihood")
                        .and_then(|l| self.number_value(&format!("{rpath}.likelihood"), l));
                    impact = match Self::prop(r, "impact") {
                        None => {
                            self.missing(&rpath, r, "impact");
                            None
                        }
                        Some(i) => self.number_value(&format!("{rpath}.impact"), i),
                    };
                    impact_comment = self.optional_string(&rpath, r, "impactComment");
                }
            }
        }
        let ward = self.ward_attributes(path, o);
        let ward_origin = ward
            .and_then(|w| self.optional_string(&format!("{path}.attributes.ward"), w, "origin"));
        let (ward_rule, capec, ward_source) = match ward {
            Some(w) => (
                self.optional_string(&format!("{path}.attributes.ward"), w, "rule"),
                self.strings(&format!("{path}.attributes.ward"), w, "capec")
                    .into_iter()
                    .map(|s| s.value)
                    .collect(),
                self.optional_string(&format!("{path}.attributes.ward"), w, "source"),
            ),
            None => (None, Vec::new(), None),
        };
        let capec = if capec.is_empty() {
            Self::attribute_list(o, "capec")
        } else {
            capec
        };
        Some(Threat {
            description: self.optional_string(path, o, "description"),
            categories: self
                .strings(path, o, "categories")
                .into_iter()
                .map(|s| s.value)
                .collect(),
            cwes: self
                .strings(path, o, "cwes")
                .into_iter()
                .map(|s| s.value)
                .collect(),
            capec,
            likelihood,
            impact: impact?,
            impact_comment,
            ward_rule,
            ward_origin,
            ward_source,
            id: id?,
            name: name?.value,
        })
    }

    /// A list attribute of strings (`attributes.capec` of the pytm helper).
    fn attribute_list(obj: &Object, key: &str) -> Vec<String> {
        let Some(Value::Object(attributes)) = Self::prop(obj, "attributes") else {
            return Vec::new();
        };
        match Self::prop(attributes, key) {
            Some(Value::Array(a)) => a
                .elements
                .iter()
                .filter_map(|v| match v {
                    Value::StringLit(s) => Some(s.value.to_string()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    fn mitigation(&mut self, path: &str, o: &Object) -> Option<Mitigation> {
        let id = self.required_string(path, o, "id");
        let name = self.required_string(path, o, "name");
        let reduction = match Self::prop(o, "riskReduction") {
            None => {
                self.missing(path, o, "riskReduction");
                None
            }
            Some(v) => self.number_value(&format!("{path}.riskReduction"), v),
        };
        let ward = self.ward_attributes(path, o);
        let category = ward
            .and_then(|w| self.optional_string(&format!("{path}.attributes.ward"), w, "category"));
        Some(Mitigation {
            description: self.optional_string(path, o, "description"),
            ward_source: self.ward_source(path, o),
            category,
            id: id?,
            name: name?.value,
            risk_reduction: reduction?,
        })
    }

    /// Repeated ids (per collection) and references to ids that are not
    /// there.
    fn check_references(&mut self, doc: &Document) {
        let zones = self.unique("trust zone", doc.zones.iter().map(|z| &z.id));
        let components = self.unique("component", doc.components.iter().map(|c| &c.id));
        self.unique("dataflow", doc.dataflows.iter().map(|f| &f.id));
        let assets = self.unique("asset", doc.assets.iter().map(|a| &a.id));
        let threats = self.unique("threat", doc.threats.iter().map(|t| &t.id));
        let mitigations = self.unique("mitigation", doc.mitigations.iter().map(|m| &m.id));
        let mut dangling = |what: &str, r: &Located<String>, known: &BTreeSet<String>| {
            if !known.contains(&r.value) {
                let close = ward_model_suggest(&r.value, known);
                let mut d = Diagnostic::error(
                    codes::UNKNOWN_REFERENCE,
                    r.span,
                    format!("no {what} has the id `{}`", r.value),
                )
                .with_primary_label(format!("not a {what} of this document"));
                d = match close {
                    Some(c) => d.with_help(format!("did you mean `{c}`?")),
                    None => d.with_help(format!(
                        "refer to the `id` of one of the document's {what}s"
                    )),
                };
                self.errors.push(d);
            }
        };
        for z in &doc.zones {
            match &z.parent {
                Some(Parent::Zone(p)) => dangling("trust zone", p, &zones),
                Some(Parent::Component(p)) => dangling("component", p, &components),
                None => {}
            }
        }
        for c in &doc.components {
            match &c.parent {
                Parent::Zone(p) => dangling("trust zone", p, &zones),
                Parent::Component(p) => dangling("component", p, &components),
            }
            for a in &c.stored {
                dangling("asset", a, &assets);
            }
        }
        for f in &doc.dataflows {
            dangling("component", &f.source, &components);
            dangling("component", &f.destination, &components);
            for a in &f.assets {
                dangling("asset", a, &assets);
            }
        }
        let instances = doc
            .components
            .iter()
            .flat_map(|c| &c.threats)
            .chain(doc.dataflows.iter().flat_map(|f| &f.threats));
        for i in instances {
            dangling("threat", &i.threat, &threats);
            for (m, _) in &i.mitigations {
                dangling("mitigation", m, &mitigations);
            }
        }
    }

    /// The ids of one collection; a repeated one is an error at its second
    /// occurrence.
    fn unique<'a>(
        &mut self,
        what: &str,
        ids: impl Iterator<Item = &'a Located<String>>,
    ) -> BTreeSet<String> {
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for id in ids {
            if let Some(first) = seen.get(id.value.as_str()) {
                self.errors.push(
                    Diagnostic::error(
                        codes::DUPLICATE_ID,
                        id.span,
                        format!("two {what}s have the id `{}`", id.value),
                    )
                    .with_primary_label("repeated here")
                    .with_label(*first, "first here")
                    .with_help(format!("give each {what} an id of its own")),
                );
            } else {
                seen.insert(&id.value, id.span);
            }
        }
        seen.into_keys().map(str::to_string).collect()
    }
}

fn ward_model_suggest(name: &str, known: &BTreeSet<String>) -> Option<String> {
    ward_model::did_you_mean(name, known.iter().map(String::as_str)).map(str::to_string)
}
