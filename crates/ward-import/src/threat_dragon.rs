//! OWASP Threat Dragon v2 JSON onto the importer's model. The mapping
//! tables and the zone-inference rule are in docs/interchange.md,
//! "Importing models"; the geometry is in `geometry.rs`.

use crate::codes;
use crate::geometry::{self, Point, Rect};
use crate::input::Input;
use crate::ir::*;
use crate::locate::Locator;
use crate::Read;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use ward_diagnostics::Diagnostic;

#[derive(Deserialize)]
struct Model {
    summary: Option<Summary>,
    detail: Detail,
}

#[derive(Deserialize)]
struct Summary {
    title: Option<String>,
    owner: Option<String>,
    description: Option<String>,
}

#[derive(Deserialize)]
struct Detail {
    diagrams: Vec<Diagram>,
}

#[derive(Deserialize)]
struct Diagram {
    title: Option<String>,
    cells: Option<Vec<Cell>>,
}

#[derive(Deserialize)]
struct Cell {
    id: String,
    shape: Option<String>,
    position: Option<Point>,
    size: Option<Size>,
    source: Option<End>,
    target: Option<End>,
    vertices: Option<Vec<Point>>,
    data: Option<CellData>,
}

#[derive(Deserialize)]
struct Size {
    width: f64,
    height: f64,
}

#[derive(Deserialize)]
struct End {
    cell: Option<String>,
    x: Option<f64>,
    y: Option<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CellData {
    #[serde(rename = "type")]
    kind: Option<String>,
    name: Option<String>,
    description: Option<String>,
    out_of_scope: Option<bool>,
    reason_out_of_scope: Option<String>,
    is_bidirectional: Option<bool>,
    is_encrypted: Option<bool>,
    is_public_network: Option<bool>,
    protocol: Option<String>,
    is_web_application: Option<bool>,
    #[serde(rename = "isALog")]
    is_a_log: Option<bool>,
    stores_credentials: Option<bool>,
    threats: Option<Vec<TdThreat>>,
}

#[derive(Deserialize)]
struct TdThreat {
    status: Option<String>,
    severity: Option<String>,
    title: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    description: Option<String>,
    mitigation: Option<String>,
}

/// Ward protocol words for Threat Dragon's free-text protocols.
fn protocol(text: &str) -> Option<String> {
    let folded = text.trim().to_ascii_lowercase();
    let word = match folded.as_str() {
        "" => return None,
        "http/s" | "https" | "http(s)" | "tls" => "https".to_string(),
        _ => crate::ident::sanitize(&folded),
    };
    (!word.is_empty()).then_some(word)
}

/// Exploitability from Threat Dragon's severity (it records no
/// likelihood): an approximation, listed in the summary.
fn exploitability(severity: &str) -> Option<Exploitability> {
    Some(match severity.trim().to_ascii_lowercase().as_str() {
        "low" => Exploitability::Low,
        "medium" => Exploitability::Moderate,
        "high" => Exploitability::High,
        "critical" => Exploitability::VeryHigh,
        _ => return None,
    })
}

/// STRIDE of a threat type: STRIDE's own words, and CIA's.
fn stride(kind: &str) -> Option<Stride> {
    Stride::parse(kind).or(match kind.trim().to_ascii_lowercase().as_str() {
        "confidentiality" => Some(Stride::InformationDisclosure),
        "integrity" => Some(Stride::Tampering),
        "availability" => Some(Stride::DenialOfService),
        _ => None,
    })
}

pub fn read(input: &Input) -> Result<Read, Vec<Diagnostic>> {
    let json_error = |err: serde_json::Error, what: &str| {
        let code = match err.classify() {
            serde_json::error::Category::Data => codes::INPUT_SHAPE,
            _ => codes::INPUT_SYNTAX,
        };
        let location = (err.line() > 0).then(|| Location {
            line: err.line(),
            column: err.column(),
        });
        let message = err.to_string();
        let message = message
            .find(" at line ")
            .map_or(message.as_str(), |n| &message[..n]);
        vec![input
            .error(code, location, format!("{what}: {message}"))
            .with_help(
                "export the model again from Threat Dragon, or correct the file at this position",
            )]
    };
    let value: serde_json::Value = serde_json::from_str(input.text)
        .map_err(|err| json_error(err, "the Threat Dragon file is not valid JSON"))?;
    let at = Locator::new(input.text);
    let version = value.get("version").and_then(|v| v.as_str()).unwrap_or("");
    if !version.starts_with("2.") {
        let (shown, location) = if version.is_empty() {
            ("missing (a Threat Dragon v1 model)".to_string(), None)
        } else {
            (format!("\"{version}\""), at.top_key("version"))
        };
        return Err(vec![input
            .error(
                codes::UNKNOWN_VERSION,
                location,
                format!("the Threat Dragon `version` is {shown}; `ward import` reads version 2 models"),
            )
            .with_help("open and save the model in Threat Dragon 2, which converts older models, then import it")]);
    }
    let model: Model = serde_json::from_str(input.text)
        .map_err(|err| json_error(err, "the file does not have Threat Dragon v2's shape"))?;
    Mapper {
        input,
        at,
        out: ImportModel::default(),
        errors: Vec::new(),
        warnings: Vec::new(),
    }
    .map(model, version)
}

struct Mapper<'a> {
    input: &'a Input<'a>,
    at: Locator<'a>,
    out: ImportModel,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

/// A cell's name on one line (Threat Dragon names hold line breaks).
fn name_of(data: &CellData, fallback: &str) -> String {
    let name = data
        .name
        .as_deref()
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if name.is_empty() {
        fallback.to_string()
    } else {
        name
    }
}

impl Mapper<'_> {
    fn map(mut self, model: Model, version: &str) -> Result<Read, Vec<Diagnostic>> {
        let summary = model.summary.unwrap_or(Summary {
            title: None,
            owner: None,
            description: None,
        });
        self.out.title = summary
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| "Imported model".into());
        self.out.description = summary.description.clone().filter(|d| !d.trim().is_empty());
        self.out.header = vec![
            "Imported from an OWASP Threat Dragon model by `ward import threat-dragon`.".into(),
            format!(
                "Threat Dragon version {version}{}",
                summary
                    .owner
                    .as_deref()
                    .map(|o| format!(", owner {o}"))
                    .unwrap_or_default()
            ),
            "Zones were inferred from the diagrams' trust boundaries: review each (docs/interchange.md).".into(),
        ];
        // Every cell id, once in the whole model (flows name cells by id).
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for cell in model
            .detail
            .diagrams
            .iter()
            .flat_map(|d| d.cells.iter().flatten())
        {
            let n = seen.entry(cell.id.as_str()).or_default();
            *n += 1;
            if *n == 2 {
                let first = self.at.value("id", &cell.id, None);
                let second = self.at.value_nth("id", &cell.id, 1);
                let mut error = self
                    .input
                    .error(
                        codes::DUPLICATE_ID,
                        second.or(first),
                        format!("the cell id `{}` is used by two cells", cell.id),
                    )
                    .with_help("give one of the cells a fresh id (Threat Dragon uses UUIDs)");
                if let (Some(first), Some(_)) = (first, second) {
                    error = error.with_label(self.input.line_span(first), "first used here");
                }
                self.errors.push(error);
            }
        }
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        for (index, diagram) in model.detail.diagrams.iter().enumerate() {
            self.diagram(index, diagram);
        }
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        self.whole_model_notes();
        Ok(Read {
            model: self.out,
            warnings: self.warnings,
        })
    }

    /// What holds for every element of a kind: one note each.
    fn whole_model_notes(&mut self) {
        let threats = self.out.threats.len();
        if threats > 0 {
            self.out.approximate(
                format!("{threats} threats"),
                "Threat Dragon records a severity, not a likelihood: severity read as exploitability (Low low, Medium moderate, High high, Critical very_high)",
                None,
            );
        }
        let actors = (self.out.elements.iter())
            .filter(|e| e.kind == ElementKind::Human)
            .count();
        if actors > 0 {
            self.out.approximate(
                format!("{actors} actors"),
                "Threat Dragon does not say whether an actor is a person: each is `kind: human`",
                None,
            );
        }
        if !self.out.flows.is_empty() {
            self.out.approximate(
                format!("{} flows", self.out.flows.len()),
                "Threat Dragon has no data assets: the flows carry no data (declare `data` and `carries`)",
                None,
            );
        }
    }

    fn diagram(&mut self, index: usize, diagram: &Diagram) {
        let cells: Vec<&Cell> = diagram.cells.iter().flatten().collect();
        let title = diagram
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| format!("Diagram {}", index + 1));
        let kind = |cell: &Cell| {
            cell.data
                .as_ref()
                .and_then(|d| d.kind.clone())
                .unwrap_or_default()
        };
        let is_element = |k: &str| matches!(k, "tm.Process" | "tm.Store" | "tm.Actor");
        let elements: Vec<&Cell> = cells
            .iter()
            .copied()
            .filter(|c| is_element(&kind(c)))
            .collect();
        let element_ids: HashSet<String> = elements.iter().map(|c| c.id.clone()).collect();

        // Zones: the regions the boundaries cut the diagram into.
        let boxes: Vec<(&Cell, Rect)> = cells
            .iter()
            .copied()
            .filter(|c| {
                kind(c) == "tm.BoundaryBox" || c.shape.as_deref() == Some("trust-boundary-box")
            })
            .filter_map(|c| Some((c, rect(c)?)))
            .collect();
        let curves: Vec<(&Cell, Vec<Point>)> = cells
            .iter()
            .copied()
            .filter(|c| {
                kind(c) == "tm.Boundary" && c.shape.as_deref() != Some("trust-boundary-box")
            })
            .filter_map(|c| Some((c, polyline(c)?)))
            .collect();
        let mut regions: Vec<(geometry::Region, String)> = Vec::new();
        let mut zone_of: HashMap<String, String> = HashMap::new();
        let mut guesses = Vec::new();
        for cell in &elements {
            let Some(centre) = rect(cell).map(|r| r.centre()) else {
                continue;
            };
            let region = geometry::region_of(
                centre,
                &boxes.iter().map(|(_, r)| *r).collect::<Vec<_>>(),
                &curves.iter().map(|(_, p)| p.as_slice()).collect::<Vec<_>>(),
            );
            let n = match regions.iter().position(|(r, _)| *r == region) {
                Some(n) => n,
                None => {
                    let name = self.region_name(&title, &region, regions.len(), &boxes, &curves);
                    regions.push((region, name));
                    regions.len() - 1
                }
            };
            let key = format!("zone:{index}:{n}");
            let name = cell
                .data
                .as_ref()
                .map_or_else(|| cell.id.clone(), |d| name_of(d, &cell.id));
            guesses.push(format!("{name} -> \"{}\"", regions[n].1));
            zone_of.insert(cell.id.clone(), key);
        }
        let unplaced = elements.iter().any(|c| !zone_of.contains_key(&c.id));
        if unplaced {
            regions.push((
                geometry::Region::default(),
                format!("{title} (no position)"),
            ));
        }
        for (n, (_, name)) in regions.iter().enumerate() {
            self.out.zones.push(Zone {
                key: format!("zone:{index}:{n}"),
                name: name.clone(),
                description: None,
                trust: Trust::Untrusted,
                parent: None,
                comments: if boxes.is_empty() && curves.is_empty() {
                    vec![format!("the diagram \"{title}\" draws no trust boundary: one zone")]
                } else {
                    vec![format!("inferred from the trust boundaries of the diagram \"{title}\"; trust is a guess")]
                },
                origin: Origin::default(),
            });
        }
        if !boxes.is_empty() || !curves.is_empty() {
            let first = boxes
                .first()
                .map(|(c, _)| *c)
                .or(curves.first().map(|(c, _)| *c));
            let location = first.and_then(|c| self.at.value("id", &c.id, None));
            let mut warning = ward_diagnostics::Diagnostic::warning(
                codes::ZONES_GUESSED,
                match location {
                    Some(at) => self.input.line_span(at),
                    None => ward_diagnostics::Span::new(self.input.file, 0, 0),
                },
                format!(
                    "zones of the diagram \"{title}\" were inferred from its {} trust boundar{}: check each element's zone",
                    boxes.len() + curves.len(),
                    if boxes.len() + curves.len() == 1 { "y" } else { "ies" }
                ),
            )
            .with_help("move an element guessed wrongly with `in ZONE`, and give each zone its trust");
            for guess in &guesses {
                warning = warning.with_note(guess.clone());
            }
            self.warnings.push(warning);
            self.out.approximate(
                format!("diagram \"{title}\""),
                format!(
                    "{} zones inferred from the geometry of {} trust boundary drawings (W0620 lists each element's zone)",
                    regions.len(),
                    boxes.len() + curves.len()
                ),
                location,
            );
        }

        for cell in &elements {
            self.element(cell, &zone_of, index);
        }
        let mut flow_keys: HashSet<String> = HashSet::new();
        for cell in cells.iter().copied().filter(|c| kind(c) == "tm.Flow") {
            if self.flow(cell, &element_ids) {
                flow_keys.insert(cell.id.clone());
            }
        }
        for cell in &cells {
            let k = kind(cell);
            if k == "tm.Text" {
                let text = cell
                    .data
                    .as_ref()
                    .and_then(|d| d.name.clone())
                    .unwrap_or_default();
                let location = self.at.value("id", &cell.id, None);
                self.out.drop_item(
                    format!(
                        "text block \"{}\"",
                        text.split_whitespace().collect::<Vec<_>>().join(" ")
                    ),
                    "a note on the diagram: kept as a comment",
                    location,
                    true,
                );
            } else if !is_element(&k)
                && k != "tm.Flow"
                && k != "tm.Boundary"
                && k != "tm.BoundaryBox"
            {
                let location = self.at.value("id", &cell.id, None);
                self.out.drop_item(
                    format!("cell of type `{k}`"),
                    "not a Threat Dragon element, flow or boundary",
                    location,
                    true,
                );
            }
            let targetable = element_ids.contains(&cell.id) || flow_keys.contains(&cell.id);
            self.threats(cell, targetable);
        }
    }

    fn region_name(
        &self,
        title: &str,
        region: &geometry::Region,
        n: usize,
        boxes: &[(&Cell, Rect)],
        curves: &[(&Cell, Vec<Point>)],
    ) -> String {
        if let Some(b) = region.inner_box() {
            if let Some(name) = boxes[b]
                .0
                .data
                .as_ref()
                .map(|d| name_of(d, ""))
                .filter(|n| !n.is_empty())
            {
                return name;
            }
        }
        if boxes.is_empty() && curves.is_empty() {
            return title.to_string();
        }
        format!("{title} region {}", n + 1)
    }

    fn element(&mut self, cell: &Cell, zone_of: &HashMap<String, String>, diagram: usize) {
        let Some(data) = &cell.data else { return };
        let location = self.at.value("id", &cell.id, None);
        let name = name_of(data, "Unnamed element");
        let mut comments = Vec::new();
        let mut tags = Vec::new();
        let kind = match data.kind.as_deref() {
            Some("tm.Actor") => ElementKind::Human,
            Some("tm.Store") => {
                if data.is_encrypted == Some(true) {
                    tags.push("encrypted_at_rest".to_string());
                }
                if data.is_a_log == Some(true) {
                    comments.push("a log store in Threat Dragon".into());
                }
                if data.stores_credentials == Some(true) {
                    comments.push(
                        "stores credentials (declare them as `data` with `kind: credential`)"
                            .into(),
                    );
                }
                ElementKind::Component(ComponentKind::Datastore)
            }
            _ if data.is_web_application == Some(true) => {
                ElementKind::Component(ComponentKind::WebApp)
            }
            _ => ElementKind::Component(ComponentKind::Process),
        };
        let out_of_scope = self.out_of_scope(data, &format!("element \"{name}\""), location);
        let zone = zone_of.get(&cell.id).cloned().unwrap_or_else(|| {
            format!(
                "zone:{diagram}:{}",
                self.out
                    .zones
                    .iter()
                    .filter(|z| z.key.starts_with(&format!("zone:{diagram}:")))
                    .count()
                    - 1
            )
        });
        self.out.elements.push(Element {
            key: format!("cell:{}", cell.id),
            name,
            description: data.description.clone().filter(|d| !d.trim().is_empty()),
            kind,
            zone,
            stores: Vec::new(),
            tags,
            shared: false,
            security: Default::default(),
            out_of_scope,
            comments,
            origin: Origin::new(&cell.id, location),
        });
    }

    /// `out_of_scope` of an element or flow: `reasonOutOfScope` when
    /// `outOfScope` is set.
    fn out_of_scope(
        &mut self,
        data: &CellData,
        what: &str,
        location: Option<Location>,
    ) -> Option<String> {
        (data.out_of_scope == Some(true)).then(|| {
            self.out.out_of_scope_reason(
                what,
                data.reason_out_of_scope.as_deref(),
                "Threat Dragon",
                location,
            )
        })
    }

    /// A flow between two elements; `false` when it is dropped (an end
    /// attached to nothing).
    fn flow(&mut self, cell: &Cell, element_ids: &HashSet<String>) -> bool {
        let Some(data) = &cell.data else { return false };
        let location = self.at.value("id", &cell.id, None);
        let name = name_of(data, "Flow");
        let ends =
            [&cell.source, &cell.target].map(|end| end.as_ref().and_then(|e| e.cell.clone()));
        let [Some(source), Some(target)] = ends else {
            self.out.drop_item(
                format!("flow \"{name}\""),
                "one end is attached to no element in the diagram",
                location,
                true,
            );
            return false;
        };
        for end in [&source, &target] {
            if !element_ids.contains(end) {
                let at = self
                    .at
                    .value("cell", end, location.map(|l| l.line))
                    .or(location);
                let mut candidates: Vec<&str> = element_ids.iter().map(String::as_str).collect();
                candidates.sort_unstable();
                self.errors.push(
                    self.input
                        .error(
                            codes::UNKNOWN_REFERENCE,
                            at,
                            format!("the flow \"{name}\" is attached to the cell `{end}`, which is no process, store or actor of its diagram"),
                        )
                        .with_help("attach the flow to an element in Threat Dragon, or correct the cell id"),
                );
                return false;
            }
        }
        let mut comments = Vec::new();
        if data.is_public_network == Some(true) {
            comments.push("over a public network in Threat Dragon".into());
        }
        if let Some(p) = data.protocol.as_deref().filter(|p| !p.trim().is_empty()) {
            comments.push(format!("Threat Dragon protocol: {p}"));
        }
        let out_of_scope = self.out_of_scope(data, &format!("flow \"{name}\""), location);
        // Threat Dragon has no TLS field; a protocol text often names the
        // version, which holds only for an encrypted flow (W0170 otherwise).
        let tls_version = (data.protocol.as_deref())
            .and_then(tls_version_named)
            .filter(|_| data.is_encrypted == Some(true));
        self.out.flows.push(Flow {
            key: format!("cell:{}", cell.id),
            name,
            description: data.description.clone().filter(|d| !d.trim().is_empty()),
            source: format!("cell:{source}"),
            target: format!("cell:{target}"),
            both_ways: data.is_bidirectional == Some(true),
            protocol: data.protocol.as_deref().and_then(protocol),
            carries: Vec::new(),
            returns: Vec::new(),
            authenticated: false,
            auth: None,
            server_authenticated: None,
            tls_version,
            identity: None,
            encrypted: data.is_encrypted == Some(true),
            integrity_protected: false,
            out_of_scope,
            comments,
            origin: Origin::new(&cell.id, location),
        });
        true
    }

    fn threats(&mut self, cell: &Cell, targetable: bool) {
        let Some(data) = &cell.data else { return };
        let location = self.at.value("id", &cell.id, None);
        for (n, threat) in data.threats.iter().flatten().enumerate() {
            let title = threat
                .title
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .unwrap_or("Untitled threat")
                .to_string();
            let what = format!("threat \"{title}\"");
            let threat_at = self
                .at
                .value(
                    "title",
                    threat.title.as_deref().unwrap_or(""),
                    location.map(|l| l.line),
                )
                .or(location);
            if !targetable {
                self.out.drop_item(
                    what,
                    "its element or flow was not imported",
                    threat_at,
                    true,
                );
                continue;
            }
            let kind = threat.kind.as_deref().unwrap_or("");
            let stride = stride(kind).unwrap_or_else(|| {
                self.out.approximate(
                    what.clone(),
                    format!("type `{kind}` is not a STRIDE or CIA category: written as tampering"),
                    threat_at,
                );
                Stride::Tampering
            });
            let severity = threat.severity.as_deref().unwrap_or("");
            let exploitability = exploitability(severity).unwrap_or_else(|| {
                self.out.approximate(
                    what.clone(),
                    format!("severity `{severity}` unknown: exploitability high"),
                    threat_at,
                );
                Exploitability::High
            });
            let status = threat.status.as_deref().unwrap_or("Open");
            let key = format!("threat:{}:{n}", cell.id);
            let mut comments = vec![format!(
                "Threat Dragon threat: {kind}, status {status}, severity {severity} (read as exploitability {})",
                exploitability.word()
            )];
            if status.eq_ignore_ascii_case("NotApplicable") {
                comments.push("not applicable in Threat Dragon: Ward has no such status; review and remove, or accept".into());
                self.out.approximate(
                    what.clone(),
                    "status NotApplicable has no Ward equivalent: imported with a comment",
                    threat_at,
                );
            }
            self.out.threats.push(Threat {
                key: key.clone(),
                name: title.clone(),
                description: threat.description.clone().filter(|d| !d.trim().is_empty()),
                stride: vec![stride],
                targets: vec![format!("cell:{}", cell.id)],
                exploitability,
                cwe: Vec::new(),
                comments,
                origin: Origin::new(&cell.id, threat_at),
            });
            if let Some(mitigation) = threat
                .mitigation
                .as_deref()
                .map(str::trim)
                .filter(|m| !m.is_empty())
            {
                let mitigated = status.eq_ignore_ascii_case("Mitigated");
                self.out.controls.push(Control {
                    key: format!("control:{}:{n}", cell.id),
                    name: format!("Mitigation: {title}"),
                    category: ControlCategory::for_stride(stride),
                    requirement: mitigation.to_string(),
                    mitigates: vec![key],
                    status: if mitigated { ControlStatus::Implemented } else { ControlStatus::Proposed },
                    comments: vec![if mitigated {
                        "the threat is Mitigated in Threat Dragon: implemented, not verified".to_string()
                    } else {
                        "proposed from the threat's mitigation; the category is a guess from its STRIDE".to_string()
                    }],
                    origin: Origin::new(&cell.id, threat_at),
                });
            }
        }
    }
}

fn rect(cell: &Cell) -> Option<Rect> {
    let p = cell.position?;
    let s = cell.size.as_ref()?;
    Some(Rect {
        x: p.x,
        y: p.y,
        width: s.width,
        height: s.height,
    })
}

/// A boundary curve's points: its ends and the vertices between.
fn polyline(cell: &Cell) -> Option<Vec<Point>> {
    let point = |end: &Option<End>| {
        let end = end.as_ref()?;
        Some(Point {
            x: end.x?,
            y: end.y?,
        })
    };
    let mut points = vec![point(&cell.source)?];
    points.extend(cell.vertices.iter().flatten().copied());
    points.push(point(&cell.target)?);
    Some(points)
}
