//! The tables of `ward build` (spec §6): rows of plain strings, one column
//! list per table. The `.md` and `.csv` templates and the HTML report all
//! print these same rows, so the formats never disagree.

use serde::Serialize;
use ward_analysis::{Analysis, Origin, ThreatAnalysis};
use ward_model::{ControlCategory, ElementId, FlowId, Model, TestResult, VerificationItem};
use ward_view::{Reference, ThreatView, View};

use crate::names::Names;

#[derive(Clone, Debug, Serialize)]
pub struct Column {
    pub key: &'static str,
    pub title: &'static str,
    /// Its cells list references (`Table::links`), which Markdown and HTML
    /// show as links.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub links: bool,
}

#[derive(Clone, Debug)]
pub struct Table {
    pub columns: Vec<Column>,
    /// Each row's cells, in column order. Templates see a row as a map from
    /// column key to text (`row[c.key]`); keeping plain cells here saves a
    /// key per cell on large models.
    pub rows: Vec<Vec<String>>,
    /// The columns whose cells list catalog references: Markdown and HTML
    /// show each as a link, CSV and the workbook the cell's text.
    pub links: Vec<LinkColumn>,
}

/// Per row, the references a column's cell lists (its text is their labels
/// joined by `, `).
#[derive(Clone, Debug)]
pub struct LinkColumn {
    /// An index into `columns`.
    pub column: usize,
    pub rows: Vec<Vec<Reference>>,
}

impl Table {
    pub(crate) fn new(columns: &[(&'static str, &'static str)]) -> Table {
        Table {
            columns: columns
                .iter()
                .map(|&(key, title)| Column {
                    key,
                    title,
                    links: false,
                })
                .collect(),
            rows: Vec::new(),
            links: Vec::new(),
        }
    }

    /// Makes the column `key` list `rows`' references.
    fn set_links(&mut self, key: &str, rows: Vec<Vec<Reference>>) {
        let column = self
            .columns
            .iter()
            .position(|c| c.key == key)
            .expect("the table has the column");
        self.columns[column].links = true;
        self.links.push(LinkColumn { column, rows });
    }

    /// The references of the cell at `row`, `column`, when its column lists
    /// references.
    pub fn links_at(&self, row: usize, column: usize) -> Option<&[Reference]> {
        self.links
            .iter()
            .find(|l| l.column == column)
            .map(|l| l.rows[row].as_slice())
    }

    /// Adds a row; `cells` are in column order.
    fn push(&mut self, cells: Vec<String>) {
        debug_assert_eq!(cells.len(), self.columns.len());
        self.rows.push(cells);
    }
}

impl Serialize for Table {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut table = serializer.serialize_struct("Table", 3)?;
        table.serialize_field("columns", &self.columns)?;
        // `links[KEY][ROW]`: the references of a link column's cells, for
        // templates that loop over the rows themselves.
        let links: std::collections::BTreeMap<&str, &Vec<Vec<Reference>>> = self
            .links
            .iter()
            .map(|l| (self.columns[l.column].key, &l.rows))
            .collect();
        table.serialize_field("links", &links)?;
        let rows: Vec<Row> = self
            .rows
            .iter()
            .map(|cells| Row {
                columns: &self.columns,
                cells,
            })
            .collect();
        table.serialize_field("rows", &rows)?;
        table.end()
    }
}

/// A row as a map from column key to cell text.
struct Row<'a> {
    columns: &'a [Column],
    cells: &'a [String],
}

impl Serialize for Row<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.cells.len()))?;
        for (column, cell) in self.columns.iter().zip(self.cells) {
            map.serialize_entry(column.key, cell)?;
        }
        map.end()
    }
}

/// The keys of [`Tables`], as templates name them.
pub const TABLE_KEYS: [&str; 6] = [
    "risk_register",
    "safety_transfer",
    "control_requirements",
    "traceability",
    "interfaces",
    "coverage",
];

/// The key of the vulnerability register, a table only a model with
/// vulnerability records has (so a model without any builds as before).
pub const VULNERABILITIES_KEY: &str = "vulnerabilities";

#[derive(Serialize)]
pub struct Tables {
    pub risk_register: Table,
    pub safety_transfer: Table,
    pub control_requirements: Table,
    pub traceability: Table,
    pub interfaces: Table,
    pub coverage: Table,
    /// `None` when the model records no vulnerability.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vulnerabilities: Option<Table>,
    /// The unresolved anomalies; `None` when the model declares none, so
    /// other builds stay as they were.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anomalies: Option<Table>,
}

/// The key of [`Tables::anomalies`].
pub const ANOMALIES: &str = "anomalies";

impl Tables {
    /// The table a template names (`risk_register`, ...).
    pub fn get(&self, key: &str) -> Option<&Table> {
        Some(match key {
            "risk_register" => &self.risk_register,
            "safety_transfer" => &self.safety_transfer,
            "control_requirements" => &self.control_requirements,
            "traceability" => &self.traceability,
            "interfaces" => &self.interfaces,
            "coverage" => &self.coverage,
            VULNERABILITIES_KEY => return self.vulnerabilities.as_ref(),
            ANOMALIES => return self.anomalies.as_ref(),
            _ => return None,
        })
    }

    /// The keys of the tables this build has: [`TABLE_KEYS`], then the
    /// vulnerability and anomaly registers when the model records any.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        TABLE_KEYS
            .into_iter()
            .chain(self.vulnerabilities.as_ref().map(|_| VULNERABILITIES_KEY))
            .chain(self.anomalies.as_ref().map(|_| ANOMALIES))
    }
}

pub(crate) const NONE: &str = "none";
pub(crate) const NOT_APPLICABLE: &str = "n/a";
/// A hazard without `rmf_risk`: the risk file's evaluation is not in the model.
pub(crate) const NOT_RECORDED: &str = "not recorded";

fn join(items: impl IntoIterator<Item = String>) -> String {
    items.into_iter().collect::<Vec<_>>().join(", ")
}

fn join_or(items: impl IntoIterator<Item = String>, empty: &str) -> String {
    let text = join(items);
    if text.is_empty() {
        empty.to_string()
    } else {
        text
    }
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

pub fn build(model: &Model, analysis: &Analysis, view: &View) -> Tables {
    let names = Names::new(model);
    Tables {
        risk_register: risk_register(&names, analysis, view),
        safety_transfer: safety_transfer(&names, analysis, view),
        control_requirements: control_requirements(&names, view),
        traceability: traceability(&names, analysis, view),
        interfaces: interfaces(&names, analysis),
        coverage: coverage(&names, analysis, view),
        vulnerabilities: (!model.vulnerabilities.is_empty())
            .then(|| vulnerabilities(&names, analysis, view)),
        anomalies: (!model.anomalies.is_empty()).then(|| anomalies(&names)),
    }
}

fn origin(t: &ThreatAnalysis) -> String {
    match (t.origin, &t.rule) {
        (Origin::Rule, Some(rule)) => format!("rule {rule}"),
        (Origin::Rule, None) => "rule".into(),
        (Origin::Hand, _) => "hand".into(),
        (Origin::Vulnerability, _) => "vulnerability".into(),
    }
}

fn acceptance(t: &ThreatAnalysis, tv: &ThreatView) -> String {
    match tv.acceptance.as_deref() {
        None => NONE.into(),
        Some(accept) => {
            let mut text = format!("{}: {}", accept.level, accept.rationale);
            if accept.stale {
                text = format!(
                    "STALE: accepted at {} but judged {}; {}",
                    accept.level, t.judged, accept.rationale
                );
            }
            match (&accept.approved_by, &accept.date) {
                (Some(by), Some(date)) => text.push_str(&format!(" (approved by {by} on {date})")),
                (Some(by), None) => text.push_str(&format!(" (approved by {by})")),
                (None, Some(date)) => text.push_str(&format!(" (accepted on {date})")),
                (None, None) => {}
            }
            text
        }
    }
}

fn risk_register(names: &Names, analysis: &Analysis, view: &View) -> Table {
    let mut table = Table::new(&[
        ("id", "ID"),
        ("title", "Title"),
        ("origin", "Origin"),
        ("stride", "STRIDE"),
        ("targets", "Targets"),
        ("affected_data", "Affected data"),
        ("hazards", "Hazards"),
        ("severity", "Severity"),
        ("exploitability", "Exploitability"),
        ("exploitability_source", "Exploitability source"),
        ("security_impact", "Security impact"),
        ("initial_security_risk", "Initial security risk"),
        (
            "initial_safety_risk",
            "Initial safety-related security risk",
        ),
        ("initial_risk", "Initial risk"),
        ("controls", "Controls"),
        ("residual_exploitability", "Residual exploitability"),
        ("residual_severity", "Residual severity"),
        ("residual_risk_planned", "Residual risk (planned)"),
        ("residual_risk_verified", "Residual risk (verified)"),
        ("rests_on_unverified", "Rests on unverified controls"),
        ("controlled", "Controlled"),
        ("transferred_to_user", "Transferred to user"),
        ("acceptance", "Acceptance"),
        ("status", "Status"),
        ("disposition", "Disposition"),
        ("ticket", "Ticket"),
        ("multi_patient", "Multi-patient"),
        ("capec", "CAPEC"),
        ("cwe", "CWE"),
        ("suggest", "Suggested control categories"),
        ("description", "Description"),
    ]);
    let mut capec_links = Vec::with_capacity(analysis.threats.len());
    let mut cwe_links = Vec::with_capacity(analysis.threats.len());
    for (t, tv) in analysis.threats.iter().zip(&view.threats) {
        let residual = tv.judged(view.judged_on);
        table.push(vec![
            t.id.clone(),
            t.title.clone(),
            origin(t),
            join(t.stride.iter().map(|s| s.as_str().to_string())),
            join(tv.targets.iter().cloned()),
            join(tv.affected_data.iter().cloned()),
            join(tv.hazards.iter().cloned()),
            t.severity
                .map_or_else(|| NOT_APPLICABLE.into(), |s| names.severity(s)),
            names.exploitability(t.exploitability),
            tv.exploitability_source.register_text(),
            t.impact.as_str().into(),
            tv.initial.security.clone(),
            tv.initial
                .safety
                .clone()
                .unwrap_or_else(|| NOT_APPLICABLE.into()),
            tv.initial.overall.clone(),
            join_or(tv.controls.iter().cloned(), NONE),
            residual.exploitability.clone(),
            residual
                .severity
                .clone()
                .unwrap_or_else(|| NOT_APPLICABLE.into()),
            tv.planned.risk.overall.clone(),
            tv.verified.risk.overall.clone(),
            rests_on_unverified(names, t),
            yes_no(t.controlled),
            yes_no(t.transferred),
            acceptance(t, tv),
            tv.disposition
                .as_ref()
                .map_or_else(|| NONE.into(), |d| d.status.to_string()),
            tv.disposition
                .as_ref()
                .map(|d| d.record())
                .filter(|r| !r.is_empty())
                .unwrap_or_else(|| NONE.into()),
            tv.disposition
                .as_ref()
                .and_then(|d| d.ticket.clone())
                .unwrap_or_else(|| NONE.into()),
            tv.multi_patient.cell(),
            labels(&tv.about.capec),
            labels(&tv.about.cwe),
            join(tv.about.suggest.iter().cloned()),
            tv.about.description.clone().unwrap_or_default(),
        ]);
        capec_links.push(tv.about.capec.clone());
        cwe_links.push(tv.about.cwe.clone());
    }
    table.set_links("capec", capec_links);
    table.set_links("cwe", cwe_links);
    table
}

fn labels(references: &[Reference]) -> String {
    join(references.iter().map(|r| r.label.clone()))
}

/// The controls the planned residual counts without evidence, when the
/// verified residual is worse; `no` otherwise.
fn rests_on_unverified(names: &Names, t: &ThreatAnalysis) -> String {
    if t.rests_on_unverified() {
        join(
            t.unverified_controls()
                .into_iter()
                .map(|c| names.control(c)),
        )
    } else {
        "no".into()
    }
}

fn sequence_of_events(names: &Names, view: &View, t: &ThreatAnalysis, tv: &ThreatView) -> String {
    // One shortest path (fewest flows, then path order) stands for the
    // sequence; listing every path made this table grow with paths x hazards
    // (gigabytes on large models). model.json keeps them all.
    let paths: Vec<_> = t.paths.iter().filter_map(|&i| view.paths.get(i)).collect();
    let shortest = paths.iter().min_by_key(|p| p.hops.len());
    let broken = join(t.broken.iter().map(|b| b.property.as_str().to_string()));
    let data = join(tv.affected_data.iter().cloned());
    let mut text = String::new();
    if let Some(start) = t.proximity {
        text.push_str(&format!(
            "Starts with {} {} in zone {} (attack vector {}; no modelled path). ",
            ward_analysis::paths::proximity_words(t.attack_vector),
            names.element(start.element),
            names.zone(start.zone),
            t.attack_vector
        ));
    }
    if let Some(path) = shortest {
        let target = &path.target;
        if path.hops.is_empty() {
            text.push_str(&format!(
                "Shortest modelled path from an entry point: {target} is itself an entry point"
            ));
        } else {
            text.push_str(&format!(
                "Shortest modelled path from an entry point: {}",
                path.chain("-(", ")->")
            ));
        }
        text.push_str(&format!(" ({})", path.reach(target)));
        match paths.len() - 1 {
            0 => text.push_str(". "),
            1 => text.push_str("; 1 more modelled path in model.json. "),
            more => text.push_str(&format!("; {more} more modelled paths in model.json. ")),
        }
    }
    text.push_str(&format!(
        "Threat {} ({}): {}",
        t.id,
        join(t.stride.iter().map(|s| s.as_str().to_string())),
        t.title
    ));
    if !broken.is_empty() && !data.is_empty() {
        text.push_str(&format!("; breaks {broken} of {data}"));
    }
    text
}

fn safety_transfer(names: &Names, analysis: &Analysis, view: &View) -> Table {
    let mut table = Table::new(&[
        ("threat", "Threat"),
        ("hazard", "Hazard"),
        (
            "sequence_of_events",
            "Sequence of events (shortest modelled path from an entry point)",
        ),
        ("hazardous_situation", "Hazardous situation"),
        ("harm", "Harm"),
        ("severity", "Severity"),
        ("exploitability_before", "Exploitability before controls"),
        (
            "safety_related_risk_before",
            "Safety-related security risk before controls",
        ),
        ("controls", "Controls"),
        ("verified_controls", "Verified controls"),
        ("exploitability_after", "Exploitability after controls"),
        (
            "safety_related_risk_after",
            "Safety-related security risk after controls",
        ),
        ("multi_patient", "Multi-patient"),
        ("transfer_basis", "Transfer basis"),
        // The risk management file's side of the same hazard.
        ("rmf_ref", "RMF ref"),
        ("rmf_risk", "RMF risk evaluation"),
    ]);
    let policy = names.policy;
    let basis = policy
        .transfer_basis
        .clone()
        .unwrap_or_else(|| "not stated in the policy".into());
    for (t, tv) in analysis.threats.iter().zip(&view.threats) {
        let residual = view.judged_residual(t);
        // One row per hazard of the threat (the residual keeps their order),
        // with that hazard's own residual risk, not the threat's highest.
        for after in &residual.severities {
            let hazard = names.model.hazard(after.hazard);
            table.push(vec![
                t.id.clone(),
                hazard.meta.name.clone(),
                sequence_of_events(names, view, t, tv),
                hazard.hazardous_situation.clone().unwrap_or_default(),
                hazard.harm.clone().unwrap_or_default(),
                names.severity(hazard.severity),
                names.exploitability(t.exploitability),
                policy
                    .safety_risk(hazard.severity, t.exploitability)
                    .as_str()
                    .into(),
                join_or(tv.controls.iter().cloned(), NONE),
                join_or(tv.verified.controls.iter().cloned(), NONE),
                tv.judged(view.judged_on).exploitability.clone(),
                after.safety_risk.as_str().into(),
                tv.multi_patient.cell(),
                basis.clone(),
                hazard
                    .rmf_ref
                    .clone()
                    .unwrap_or_else(|| NOT_RECORDED.into()),
                hazard
                    .rmf_risk
                    .clone()
                    .unwrap_or_else(|| NOT_RECORDED.into()),
            ]);
        }
    }
    table
}

/// `vt_102 (threat_mitigation, pass)` or `test: Bench check (inline)`.
pub(crate) fn verification_text(names: &Names, item: &VerificationItem) -> String {
    match item {
        VerificationItem::Ref { verification, .. } => {
            let v = names.model.verification(*verification);
            let kind = v.kind.map_or("no type", |k| k.as_str());
            let result = v.result.map_or("no result", |r| r.as_str());
            format!("{} ({kind}, {result})", v.meta.name)
        }
        VerificationItem::Inline { method, text, .. } => {
            format!("{method}: {text} (inline, no result)")
        }
    }
}

fn control_requirements(names: &Names, view: &View) -> Table {
    let mut table = Table::new(&[
        ("requirement_id", "Requirement ID"),
        ("requirement", "Requirement"),
        ("acceptance", "Acceptance criteria"),
        ("category", "Category"),
        ("option", "Option"),
        ("implemented_in", "Implemented in"),
        ("mitigates", "Mitigates"),
        ("verifications", "Verifications"),
        ("status", "Status"),
        ("verified", "Verified"),
    ]);
    for (c, cv) in names.model.controls.iter().zip(&view.controls) {
        table.push(vec![
            c.requirement_id.clone(),
            c.requirement.clone(),
            c.acceptance.clone().unwrap_or_default(),
            c.category.as_str().into(),
            c.option.map_or_else(String::new, |o| o.as_str().into()),
            join(c.implemented_in.iter().map(|&e| names.element(e))),
            join_or(
                c.mitigates
                    .iter()
                    .map(|m| names.model.threat_key_name(m.key)),
                NONE,
            ),
            join_or(
                c.verification.iter().map(|v| verification_text(names, v)),
                NONE,
            ),
            c.status.as_str().into(),
            match &cv.shortfall {
                None => "yes".to_string(),
                Some(why) => format!("no: {why}"),
            },
        ]);
    }
    table
}

fn traceability(names: &Names, analysis: &Analysis, view: &View) -> Table {
    let mut table = Table::new(&[
        ("threat", "Threat"),
        ("element", "Element"),
        ("hazard", "Hazard"),
        ("risk_before", "Risk before"),
        ("risk_after", "Risk after"),
        ("control", "Control"),
        ("requirement", "Requirement"),
        ("verification", "Verification"),
        ("test_type", "Test type"),
        ("result", "Result"),
        ("control_verified", "Control verified"),
    ]);
    for (t, tv) in analysis.threats.iter().zip(&view.threats) {
        let base = [
            t.id.clone(),
            join(tv.targets.iter().cloned()),
            join_or(tv.hazards.iter().cloned(), NONE),
            tv.initial.overall.clone(),
            tv.judged(view.judged_on).risk.overall.clone(),
        ];
        let row = |rest: [String; 6]| base.iter().cloned().chain(rest).collect::<Vec<_>>();
        if t.controls.is_empty() {
            let control = if t.initial.overall == ward_model::RiskLevel::Acceptable {
                "none (initial risk acceptable)".to_string()
            } else {
                "GAP: no control".to_string()
            };
            table.push(row([
                control,
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]));
            continue;
        }
        for &c in &t.controls {
            let control = names.model.control(c);
            let evidence = &analysis.evidence[c.index()];
            let verified = match &view.controls[c.index()].shortfall {
                None => "yes".to_string(),
                Some(why) => format!("GAP: no, {why}"),
            };
            let requirement = format!("{}: {}", control.requirement_id, control.requirement);
            if control.verification.is_empty() {
                table.push(row([
                    control.meta.name.clone(),
                    requirement,
                    "GAP: no verification".into(),
                    String::new(),
                    String::new(),
                    verified,
                ]));
                continue;
            }
            for item in &control.verification {
                let (verification, kind, result) = match item {
                    VerificationItem::Ref { verification, .. } => {
                        let v = names.model.verification(*verification);
                        let stale: Vec<String> = evidence
                            .stale
                            .iter()
                            .filter(|x| x.verification == *verification)
                            .map(|x| format!("{} at {}", names.element(x.component), x.current))
                            .collect();
                        let result = match (v.result, &v.disposition) {
                            (Some(TestResult::Pass), _) if !stale.is_empty() => format!(
                                "GAP: pass on version {}, but {}",
                                v.tested_version.as_deref().unwrap_or("not stated"),
                                stale.join(", ")
                            ),
                            (Some(TestResult::Pass), _) => "pass".to_string(),
                            (Some(TestResult::Fail), Some(disposition)) => {
                                format!("fail, dispositioned: {disposition}")
                            }
                            (Some(TestResult::Fail), None) => {
                                "GAP: fail, not dispositioned".to_string()
                            }
                            (Some(TestResult::Pending), _) => "GAP: pending".to_string(),
                            (Some(TestResult::NotRun), _) => "GAP: not run".to_string(),
                            (None, _) => "GAP: no result".to_string(),
                        };
                        let kind = v
                            .kind
                            .map_or_else(|| "GAP: no test type".to_string(), |k| k.as_str().into());
                        let mut name = v.meta.name.clone();
                        if let Some(report) = &v.report {
                            name.push_str(&format!(" ({report})"));
                        }
                        (name, kind, result)
                    }
                    VerificationItem::Inline { method, text, .. } => (
                        format!("{method}: {text}"),
                        "inline".to_string(),
                        "GAP: no result".to_string(),
                    ),
                };
                table.push(row([
                    control.meta.name.clone(),
                    requirement.clone(),
                    verification,
                    kind,
                    result,
                    verified.clone(),
                ]));
            }
        }
    }
    table
}

fn trust_crossing(names: &Names, analysis: &Analysis, flow: FlowId) -> String {
    let crosses = analysis
        .flows
        .get(flow.index())
        .is_some_and(|f| f.crosses_boundary);
    if !crosses {
        return "no".into();
    }
    let model = names.model;
    let f = model.flow(flow);
    let zone = |e: Option<ElementId>| {
        e.and_then(|e| model.element(e).zone)
            .map(|z| {
                let zone = model.zone(z);
                format!("{} ({})", zone.meta.name, zone.trust)
            })
            .unwrap_or_else(|| "?".into())
    };
    format!("yes: {} to {}", zone(f.source), zone(f.target))
}

fn interfaces(names: &Names, analysis: &Analysis) -> Table {
    let mut table = Table::new(&[
        ("component", "Component"),
        ("interface", "Interface"),
        ("direction", "Direction"),
        ("flow", "Flow"),
        ("protocol", "Protocol"),
        ("peer", "Peer"),
        ("trust_crossing", "Crosses trust boundary"),
    ]);
    let model = names.model;
    for (i, element) in model.elements.iter().enumerate() {
        if element.is_actor() {
            continue;
        }
        let facts = analysis.elements.get(i);
        let mut flows: Vec<(FlowId, &str)> = Vec::new();
        if let Some(facts) = facts {
            flows.extend(facts.flows_in.iter().map(|&f| (f, "in")));
            flows.extend(facts.flows_out.iter().map(|&f| (f, "out")));
        }
        flows.sort_by_key(|&(f, dir)| (f, dir));
        let row = |interface: String, (f, dir): (FlowId, &str)| {
            let flow = model.flow(f);
            let peer = if dir == "in" {
                flow.source
            } else {
                flow.target
            };
            vec![
                element.meta.name.clone(),
                interface,
                dir.to_string(),
                flow.meta.name.clone(),
                flow.protocol.clone(),
                names.end(peer),
                trust_crossing(names, analysis, f),
            ]
        };
        for interface in &element.interfaces {
            let using: Vec<_> = flows
                .iter()
                .filter(|(f, _)| &model.flow(*f).protocol == interface)
                .collect();
            if using.is_empty() {
                table.push(vec![
                    element.meta.name.clone(),
                    interface.clone(),
                    String::new(),
                    "none (unused)".into(),
                    interface.clone(),
                    String::new(),
                    String::new(),
                ]);
            }
            for &&flow in &using {
                table.push(row(interface.clone(), flow));
            }
        }
        for &flow in flows
            .iter()
            .filter(|(f, _)| !element.interfaces.contains(&model.flow(*f).protocol))
        {
            table.push(row("not declared".into(), flow));
        }
    }
    table
}

fn coverage(names: &Names, analysis: &Analysis, view: &View) -> Table {
    let mut table = Table::new(&[
        ("component", "Component"),
        ("kind", "Kind"),
        ("authentication", "Authentication"),
        ("authorization", "Authorization"),
        ("cryptography", "Cryptography"),
        ("integrity", "Integrity"),
        ("confidentiality", "Confidentiality"),
        ("event_detection", "Event detection"),
        ("resiliency", "Resiliency"),
        ("updatability", "Updatability"),
        ("missing", "Missing categories"),
    ]);
    for (c, cv) in analysis.coverage.iter().zip(view.coverage.iter()) {
        let kind = names.model.element(c.element).kind.as_str().to_string();
        let mut cells = vec![cv.component.clone(), kind];
        for &category in ControlCategory::ALL {
            cells.push(join_or(cv.controls(category).iter().cloned(), NONE));
        }
        cells.push(if cv.checked {
            join_or(cv.missing.iter().cloned(), NONE)
        } else {
            "not checked (no software or interfaces)".into()
        });
        table.push(cells);
    }
    table
}

/// The unresolved-anomalies register (FDA premarket cybersecurity
/// guidance): each anomaly with its software, weakness, both impact
/// assessments and the rationale for release.
fn anomalies(names: &Names) -> Table {
    let mut table = Table::new(&[
        ("id", "ID"),
        ("title", "Anomaly"),
        ("description", "Description"),
        ("software", "Software"),
        ("cwe", "CWE"),
        ("safety_impact", "Safety impact assessment"),
        ("hazards", "Hazards considered"),
        ("security_impact", "Security impact assessment"),
        ("rationale", "Rationale for release"),
        ("ticket", "Ticket"),
    ]);
    let model = names.model;
    for a in &model.anomalies {
        table.push(vec![
            a.meta.name.clone(),
            a.meta.title.clone(),
            a.meta.description.clone().unwrap_or_default(),
            join(a.software.iter().map(|&s| model.software(s).label())),
            a.cwe.map_or_else(|| NONE.into(), |n| format!("CWE-{n}")),
            a.safety_impact.clone(),
            join_or(
                a.hazards.iter().map(|&h| model.hazard(h).meta.name.clone()),
                NONE,
            ),
            a.security_impact.clone(),
            a.rationale
                .clone()
                .unwrap_or_else(|| "GAP: not stated".into()),
            a.ticket.clone().unwrap_or_default(),
        ]);
    }
    table
}

/// The vulnerability register (docs/lifecycle.md): one row per open
/// vulnerability and component it is a threat on, with that threat's
/// scores; one row per record that is not scored (`not_affected`, `fixed`,
/// or open on no component), its risk columns `n/a`.
fn vulnerabilities(names: &Names, analysis: &Analysis, view: &View) -> Table {
    use ward_model::{Exploitability, ThreatKey, VulnerabilityId};
    let model = names.model;
    let mut table = Table::new(&[
        ("vulnerability", "Vulnerability"),
        ("component", "Component"),
        ("software", "Software"),
        ("status", "Status"),
        ("cvss", "CVSS"),
        ("kev", "KEV"),
        ("exploitability", "Exploitability"),
        ("severity", "Severity"),
        ("initial_risk", "Initial risk"),
        ("residual_risk", "Residual risk"),
        ("controls", "Controls"),
        ("verification", "Verification"),
        ("threat", "Threat"),
        ("source", "Source"),
    ]);
    let mut threats: Vec<Vec<usize>> = vec![Vec::new(); model.vulnerabilities.len()];
    for (i, t) in analysis.threats.iter().enumerate() {
        if let ThreatKey::Vulnerability { vulnerability, .. } = t.key {
            threats[vulnerability.index()].push(i);
        }
    }
    for (index, v) in model.vulnerabilities.iter().enumerate() {
        let id = VulnerabilityId(index as u32);
        let software = join_or(v.software.iter().map(|s| model.software(*s).label()), NONE);
        let status = match (v.status, v.justification) {
            (Some(s), Some(j)) => format!("{s} ({j})"),
            (Some(s), None) => s.to_string(),
            (None, _) => NOT_APPLICABLE.into(),
        };
        let cvss = match &v.cvss {
            Some(Exploitability::Cvss {
                vector, base_score, ..
            }) => format!("{vector} (base score {base_score:.1})"),
            _ => NONE.into(),
        };
        let kev = match &v.kev {
            Some(k) => k
                .date_added
                .as_ref()
                .map_or_else(|| "yes".to_string(), |d| format!("yes, added {d}")),
            None => "no".into(),
        };
        let source = match &v.origin {
            ward_model::VulnerabilityOrigin::Declared => "declared".to_string(),
            ward_model::VulnerabilityOrigin::Feed { path, line } => format!("{path}:{line}"),
        };
        let head = [v.advisory.clone()];
        let rows = &threats[id.index()];
        if rows.is_empty() {
            let users = v
                .software
                .iter()
                .flat_map(|s| model.software(*s).run_by.iter().copied())
                .map(|e| model.element(e).meta.name.clone())
                .collect::<std::collections::BTreeSet<_>>();
            table.push(
                head.iter()
                    .cloned()
                    .chain([
                        join_or(users, NONE),
                        software.clone(),
                        status.clone(),
                        cvss.clone(),
                        kev.clone(),
                        NOT_APPLICABLE.into(),
                        NOT_APPLICABLE.into(),
                        NOT_APPLICABLE.into(),
                        NOT_APPLICABLE.into(),
                        NONE.into(),
                        NONE.into(),
                        NONE.into(),
                        source.clone(),
                    ])
                    .collect(),
            );
            continue;
        }
        for &i in rows {
            let (t, tv) = (&analysis.threats[i], &view.threats[i]);
            let verification = join_or(
                t.controls.iter().flat_map(|c| {
                    model
                        .control(*c)
                        .verification
                        .iter()
                        .filter_map(|item| match item {
                            VerificationItem::Ref { verification, .. } => {
                                let v = model.verification(*verification);
                                Some(format!(
                                    "{} ({})",
                                    v.meta.name,
                                    v.result.map_or("no result", TestResult::as_str)
                                ))
                            }
                            VerificationItem::Inline { .. } => None,
                        })
                }),
                NONE,
            );
            table.push(
                head.iter()
                    .cloned()
                    .chain([
                        join(tv.targets.iter().cloned()),
                        software.clone(),
                        status.clone(),
                        cvss.clone(),
                        kev.clone(),
                        names.exploitability(t.exploitability),
                        t.severity
                            .map_or_else(|| NOT_APPLICABLE.into(), |s| names.severity(s)),
                        tv.initial.overall.clone(),
                        tv.judged(view.judged_on).risk.overall.clone(),
                        join_or(tv.controls.iter().cloned(), NONE),
                        verification,
                        t.id.clone(),
                        source.clone(),
                    ])
                    .collect(),
            );
        }
    }
    table
}
