//! `diff(old, new)`: the one comparison the four formats render. It compares
//! resolved facts (declarations as written, and what the analysis derived
//! from them), never text, with OLD's ids translated to NEW's first.

use crate::facts::{self, level_name, DeclKey, Facts};
use crate::identity::{self, Names};
use crate::types::*;
use std::collections::{BTreeMap, BTreeSet};
use ward_analysis::{Analysis, ThreatAnalysis};
use ward_diagnostics::SourceMap;
use ward_model::{Model, RiskLevel, Target};

/// One analysed version of a model.
pub struct Side<'a> {
    /// What was named on the command line.
    pub label: String,
    /// The commit a git revision resolved to.
    pub commit: Option<String>,
    pub model: &'a Model,
    pub analysis: &'a Analysis,
    pub sources: &'a SourceMap,
}

/// What changed from `old` to `new`.
pub fn diff(old: &Side, new: &Side) -> ModelDiff {
    let (names, renames) = identity::renames(old.model, new.model);
    let same = Names::identity();
    let old_decls = facts::declarations(old.model, &names);
    let new_decls = facts::declarations(new.model, &same);
    let previous: BTreeMap<&str, &str> = renames
        .iter()
        .map(|r| (r.to.as_str(), r.from.as_str()))
        .collect();
    let previous_id = |id: &str| previous.get(id).map(|s| s.to_string());

    let mut changed_decls: BTreeMap<DeclKey, (Change, Vec<FieldChange>)> = BTreeMap::new();
    for key in old_decls
        .keys()
        .chain(new_decls.keys())
        .collect::<BTreeSet<_>>()
    {
        let (change, fields) = match (old_decls.get(key), new_decls.get(key)) {
            (Some(a), Some(b)) => {
                let fields = field_changes(a, b);
                if previous.contains_key(key.1.as_str()) {
                    (Change::Renamed, fields)
                } else if fields.is_empty() {
                    continue;
                } else {
                    (Change::Changed, fields)
                }
            }
            (Some(_), None) => (Change::Removed, Vec::new()),
            (None, _) => (Change::Added, Vec::new()),
        };
        changed_decls.insert(key.clone(), (change, fields));
    }

    let old_evidence = evidence_facts(old.model, old.analysis, &names);
    let new_evidence = evidence_facts(new.model, new.analysis, &same);
    let mut controls = Vec::new();
    let control_ids: BTreeSet<&String> = old_evidence.keys().chain(new_evidence.keys()).collect();
    for id in control_ids {
        let key = ("control", id.clone());
        let mut fields = changed_decls
            .get(&key)
            .map(|(_, f)| f.clone())
            .unwrap_or_default();
        let (change, evidence) = match (old_evidence.get(id), new_evidence.get(id)) {
            (Some(a), Some(b)) => (
                changed_decls.get(&key).map(|(c, _)| *c),
                field_changes(a, b),
            ),
            (None, _) => (Some(Change::Added), Vec::new()),
            (_, None) => (Some(Change::Removed), Vec::new()),
        };
        fields.extend(evidence);
        let change = match change {
            Some(c) => c,
            None if fields.is_empty() => continue,
            None => Change::Changed,
        };
        controls.push(ControlChange {
            id: id.clone(),
            change,
            previous_id: previous_id(id),
            fields,
        });
    }

    let declarations: Vec<DeclarationChange> = changed_decls
        .iter()
        .filter(|((kind, _), _)| *kind != "control")
        .map(|((kind, id), (change, fields))| DeclarationChange {
            kind: kind.to_string(),
            id: id.clone(),
            change: *change,
            previous_id: previous_id(id),
            fields: fields.clone(),
        })
        .collect();

    let reasons = Reasons {
        decls: &changed_decls,
        controls: &controls,
    };
    let threats = threat_changes(old, new, &names, &reasons, &previous_id);
    let verifications_invalidated = invalidated(old, new, &names);
    let acceptances_made_stale = stale_acceptances(old, new, &names);
    let hazards = hazard_reach(old, new, &names);
    let findings = finding_changes(old, new, &names);

    let summary = Summary {
        risk_increases: threats
            .iter()
            .filter(|t| t.change == Change::Added || rose(&t.fields))
            .map(|t| t.id.clone())
            .collect(),
        new_uncontrolled: threats
            .iter()
            .filter(|t| t.uncontrolled)
            .filter(|t| t.change == Change::Added || field(&t.fields, "controlled").is_some())
            .map(|t| t.id.clone())
            .collect(),
        stale_acceptances: acceptances_made_stale.len(),
        changes: renames.len()
            + declarations.len()
            + threats.len()
            + controls.len()
            + verifications_invalidated.len()
            + acceptances_made_stale.len()
            + hazards.newly_reached.len()
            + hazards.no_longer_reached.len()
            + hazards.newly_multi_patient.len()
            + hazards.no_longer_multi_patient.len()
            + findings.introduced.len()
            + findings.resolved.len(),
    };
    let old_summary = side_summary(old);
    let new_summary = side_summary(new);
    let verdict = if summary.changes > 0 {
        Verdict::Changed
    } else if old_summary.sources_sha256 != new_summary.sources_sha256 {
        Verdict::ProvenanceOnly
    } else {
        Verdict::Identical
    };
    ModelDiff {
        schema_version: SCHEMA_VERSION,
        old: old_summary,
        new: new_summary,
        verdict,
        renames,
        declarations,
        threats,
        controls,
        verifications_invalidated,
        acceptances_made_stale,
        hazards,
        findings,
        summary,
    }
}

fn side_summary(side: &Side) -> SideSummary {
    SideSummary {
        label: side.label.clone(),
        commit: side.commit.clone(),
        sources_sha256: ward_render::hash_sources(side.sources).sha256,
        stage: side.analysis.stage.to_string(),
        judged_on: match side.analysis.judged_on {
            ward_analysis::JudgedOn::Planned => "planned",
            ward_analysis::JudgedOn::Verified => "verified",
        }
        .to_string(),
        threats: side.analysis.threats.len(),
    }
}

/// The fields of `a` and `b` that differ, in field order.
fn field_changes(a: &Facts, b: &Facts) -> Vec<FieldChange> {
    let keys: BTreeSet<&&str> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter(|k| a.get(**k) != b.get(**k))
        .map(|k| FieldChange {
            field: k.to_string(),
            old: a.get(*k).cloned(),
            new: b.get(*k).cloned(),
        })
        .collect()
}

fn field<'a>(fields: &'a [FieldChange], name: &str) -> Option<&'a FieldChange> {
    fields.iter().find(|f| f.field == name)
}

/// The risk fields whose level rose.
const RISK_FIELDS: &[&str] = &[
    "initial_risk",
    "planned_residual",
    "verified_residual",
    "judged_risk",
];

fn rose(fields: &[FieldChange]) -> bool {
    RISK_FIELDS.iter().any(|name| {
        field(fields, name).is_some_and(|f| {
            let level = |v: &Option<String>| v.as_deref().and_then(RiskLevel::parse);
            level(&f.new) > level(&f.old)
        })
    })
}

/// A threat's analysed facts, as a reviewer reads them.
fn threat_facts(model: &Model, t: &ThreatAnalysis, names: &Names) -> Facts {
    let policy = model.policy();
    let mut x = Facts::new();
    x.insert("title", names.text(&t.title));
    x.insert("initial_risk", t.initial.overall.to_string());
    x.insert("planned_residual", t.planned.risk.overall.to_string());
    x.insert("verified_residual", t.verified.risk.overall.to_string());
    x.insert("judged_risk", t.judged.to_string());
    if let Some(s) = t.severity {
        x.insert("severity", level_name(&policy.severity, s));
    }
    x.insert(
        "exploitability",
        level_name(&policy.exploitability, t.exploitability),
    );
    x.insert(
        "planned_exploitability",
        level_name(&policy.exploitability, t.planned.exploitability),
    );
    x.insert(
        "verified_exploitability",
        level_name(&policy.exploitability, t.verified.exploitability),
    );
    x.insert("controlled", t.controlled.to_string());
    x.insert("multi_patient", t.multi_patient.to_string());
    x.insert("transferred", t.transferred.to_string());
    x.insert("attack_vector", t.attack_vector.to_string());
    let list = |items: Vec<String>| format!("[{}]", items.join(", "));
    x.insert(
        "hazards",
        list(
            t.hazards
                .iter()
                .map(|&h| names.id(&model.hazard(h).meta.name))
                .collect(),
        ),
    );
    x.insert(
        "controls",
        list(
            t.controls
                .iter()
                .map(|&c| names.id(&model.control(c).meta.name))
                .collect(),
        ),
    );
    if let Some(a) = &t.acceptance {
        let stale = if a.stale { " (stale)" } else { "" };
        x.insert("acceptance", format!("{}{stale}", a.level));
    }
    if let Some(d) = &t.disposition {
        let stale = if d.stale { " (stale)" } else { "" };
        x.insert("disposition", format!("{}{stale}", d.status));
    }
    x
}

/// The declarations and controls that changed, for the reasons of a threat.
struct Reasons<'a> {
    decls: &'a BTreeMap<DeclKey, (Change, Vec<FieldChange>)>,
    controls: &'a [ControlChange],
}

impl Reasons<'_> {
    /// Why a threat changed: the inputs it reads that changed, each once.
    fn of(&self, inputs: &BTreeSet<(&'static str, String)>) -> Vec<String> {
        let mut out = Vec::new();
        for (kind, id) in inputs {
            if *kind == "control" {
                if let Some(c) = self.controls.iter().find(|c| &c.id == id) {
                    out.push(describe(kind, id, c.change, &c.previous_id, &c.fields));
                }
                continue;
            }
            let kinds: &[&'static str] = if *kind == "element" {
                &["component", "actor"]
            } else {
                std::slice::from_ref(kind)
            };
            for k in kinds {
                if let Some((change, fields)) = self.decls.get(&(*k, id.clone())) {
                    let previous = None;
                    out.push(describe(k, id, *change, &previous, fields));
                }
            }
        }
        out
    }
}

/// `control `auth` changed: status verified -> proposed; reduces 2 -> 1`.
pub fn describe(
    kind: &str,
    id: &str,
    change: Change,
    previous: &Option<String>,
    fields: &[FieldChange],
) -> String {
    let what = match change {
        Change::Added => "added".to_string(),
        Change::Removed => "removed".to_string(),
        Change::Changed => "changed".to_string(),
        Change::Renamed => match previous {
            Some(p) => format!("renamed from `{p}`"),
            None => "renamed".to_string(),
        },
    };
    let details: Vec<String> = fields.iter().map(field_text).collect();
    if details.is_empty() {
        format!("{kind} `{id}` {what}")
    } else {
        format!("{kind} `{id}` {what}: {}", details.join("; "))
    }
}

/// `status verified -> proposed`, with `(none)` for an unset value; a list
/// as what it gained and lost: `mitigates +a, -b`.
pub fn field_text(f: &FieldChange) -> String {
    field_words(f, "", "")
}

/// [`field_text`] with each value between `open` and `close` (`` ` ``).
pub fn field_words(f: &FieldChange, open: &str, close: &str) -> String {
    let items = |v: &Option<String>| -> Option<Vec<String>> {
        match v.as_deref() {
            None => Some(Vec::new()),
            Some(v) => v
                .strip_prefix('[')
                .and_then(|v| v.strip_suffix(']'))
                .map(|v| {
                    v.split(", ")
                        .filter(|i| !i.is_empty())
                        .map(str::to_string)
                        .collect()
                }),
        }
    };
    if let (Some(old), Some(new)) = (items(&f.old), items(&f.new)) {
        let both_lists = f.old.is_some() || f.new.is_some();
        if both_lists {
            let gained = new
                .iter()
                .filter(|i| !old.contains(i))
                .map(|i| format!("+{open}{i}{close}"));
            let lost = old
                .iter()
                .filter(|i| !new.contains(i))
                .map(|i| format!("-{open}{i}{close}"));
            let delta: Vec<String> = gained.chain(lost).collect();
            if !delta.is_empty() {
                return format!("{} {}", f.field, delta.join(", "));
            }
        }
    }
    let v = |v: &Option<String>| {
        v.as_deref()
            .map_or("(none)".to_string(), |v| format!("{open}{v}{close}"))
    };
    format!("{} {} -> {}", f.field, v(&f.old), v(&f.new))
}

/// What a threat's analysis reads from the model, by kind and NEW id.
fn inputs(model: &Model, t: &ThreatAnalysis, names: &Names) -> BTreeSet<(&'static str, String)> {
    let mut set = BTreeSet::new();
    let element = |set: &mut BTreeSet<_>, e: ward_model::ElementId| {
        let el = model.element(e);
        set.insert(("element", names.id(&el.meta.name)));
        if let Some(z) = el.zone {
            set.insert(("zone", names.id(&model.zone(z).meta.name)));
        }
    };
    let target = |set: &mut BTreeSet<_>, target: Target| match target {
        Target::Element(e) => element(set, e),
        Target::Flow(f) => {
            let flow = model.flow(f);
            let declared = flow.reverse_of.map_or(flow, |r| model.flow(r));
            set.insert(("flow", names.id(&declared.meta.name)));
            for end in [flow.source, flow.target].into_iter().flatten() {
                element(set, end);
            }
        }
    };
    for &t in &t.targets {
        target(&mut set, t);
    }
    for &d in &t.affected_data {
        set.insert(("data", names.id(&model.datum(d).meta.name)));
    }
    for &h in &t.hazards {
        set.insert(("hazard", names.id(&model.hazard(h).meta.name)));
    }
    for &c in &t.controls {
        let control = model.control(c);
        set.insert(("control", names.id(&control.meta.name)));
        for v in &control.verification {
            if let ward_model::VerificationItem::Ref { verification, .. } = v {
                let v = model.verification(*verification);
                set.insert(("verification", names.id(&v.meta.name)));
                for &s in &v.scope {
                    target(&mut set, s);
                }
            }
        }
    }
    if let Some(a) = &t.acceptance {
        let accepted: Vec<String> = model
            .accept(a.accept)
            .threats
            .iter()
            .map(|r| names.id(&model.threat_key_name(r.key)))
            .collect();
        set.insert(("accept", accepted.join(", ")));
    }
    if let Some(rule) = &t.rule {
        set.insert(("rule", names.id(rule)));
    }
    if let Some(h) = t.threat {
        set.insert(("threat", names.id(&model.threat(h).meta.name)));
    }
    if let Some(s) = &model.system {
        set.insert(("system", names.id(&s.meta.name)));
    }
    for p in model.policies.iter().filter(|p| !p.from_stdlib) {
        set.insert(("policy", names.id(&p.meta.name)));
    }
    set
}

fn threat_changes(
    old: &Side,
    new: &Side,
    names: &Names,
    reasons: &Reasons,
    previous_id: &dyn Fn(&str) -> Option<String>,
) -> Vec<ThreatChange> {
    let same = Names::identity();
    let old_threats: BTreeMap<String, &ThreatAnalysis> = old
        .analysis
        .threats
        .iter()
        .map(|t| (names.id(&t.id), t))
        .collect();
    let new_threats: BTreeMap<String, &ThreatAnalysis> = new
        .analysis
        .threats
        .iter()
        .map(|t| (t.id.clone(), t))
        .collect();
    let ids: BTreeSet<&String> = old_threats.keys().chain(new_threats.keys()).collect();
    let mut out = Vec::new();
    for id in ids {
        let before = old_threats.get(id).copied();
        let after = new_threats.get(id).copied();
        let old_id = before.map(|t| t.id.clone());
        let renamed = old_id.as_ref().is_some_and(|o| o != id);
        let (change, fields) = match (before, after) {
            (Some(a), Some(b)) => {
                let fields = field_changes(
                    &threat_facts(old.model, a, names),
                    &threat_facts(new.model, b, &same),
                );
                match (renamed, fields.is_empty()) {
                    (true, _) => (Change::Renamed, fields),
                    (false, true) => continue,
                    (false, false) => (Change::Changed, fields),
                }
            }
            (Some(_), None) => (Change::Removed, Vec::new()),
            (None, _) => (Change::Added, Vec::new()),
        };
        let mut read = BTreeSet::new();
        if let Some(a) = before {
            read.extend(inputs(old.model, a, names));
        }
        if let Some(b) = after {
            read.extend(inputs(new.model, b, &same));
        }
        let mut why = reasons.of(&read);
        if why.is_empty() && change != Change::Renamed {
            why.push("no input it names changed: a change elsewhere in the model (attack paths, zones, shared elements) reached it".to_string());
        }
        let shown = after.or(before).expect("one side has it");
        let risk = match (before, after) {
            (Some(a), Some(b)) => match b.judged.cmp(&a.judged) {
                std::cmp::Ordering::Greater => Direction::Increase,
                std::cmp::Ordering::Less => Direction::Decrease,
                std::cmp::Ordering::Equal => Direction::Same,
            },
            (None, _) => Direction::Increase,
            (_, None) => Direction::Decrease,
        };
        out.push(ThreatChange {
            id: id.clone(),
            change,
            previous_id: if renamed { old_id } else { previous_id(id) },
            title: shown.title.clone(),
            fields,
            risk,
            uncontrolled: after.is_some_and(|t| !t.controlled),
            reasons: why,
        });
    }
    out
}

/// Per control (NEW id): whether its evidence holds, and what weakens it.
fn evidence_facts(model: &Model, analysis: &Analysis, names: &Names) -> BTreeMap<String, Facts> {
    let mut out = BTreeMap::new();
    for (c, evidence) in model.controls.iter().zip(&analysis.evidence) {
        let verification =
            |v: ward_model::VerificationId| names.id(&model.verification(v).meta.name);
        let mut x = Facts::new();
        x.insert("evidence_holds", evidence.verified.to_string());
        let stale: Vec<String> = evidence
            .stale
            .iter()
            .map(|s| {
                format!(
                    "{} (tested {} on {} at {})",
                    verification(s.verification),
                    s.tested.as_deref().unwrap_or("no version"),
                    names.id(&model.element(s.component).meta.name),
                    s.current
                )
            })
            .collect();
        if !stale.is_empty() {
            x.insert("stale_evidence", format!("[{}]", stale.join(", ")));
        }
        let failures: Vec<String> = evidence
            .open_failures
            .iter()
            .map(|&v| verification(v))
            .collect();
        if !failures.is_empty() {
            x.insert("open_failures", format!("[{}]", failures.join(", ")));
        }
        out.insert(names.id(&c.meta.name), x);
    }
    out
}

/// Verifications that no longer show what they showed: a result that is no
/// longer `pass`, evidence gone stale (the component's `version` moved past
/// `tested_version`), or a passing verification removed.
fn invalidated(old: &Side, new: &Side, names: &Names) -> Vec<InvalidatedVerification> {
    let passing = |side: &Side, n: &Names| -> BTreeMap<String, Vec<String>> {
        let mut by_verification: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (c, evidence) in side.model.controls.iter().zip(&side.analysis.evidence) {
            for &v in &evidence.passing {
                by_verification
                    .entry(n.id(&side.model.verification(v).meta.name))
                    .or_default()
                    .push(n.id(&c.meta.name));
            }
        }
        by_verification
    };
    let stale = |side: &Side, n: &Names| -> BTreeMap<(String, String), (Option<String>, String)> {
        let mut out = BTreeMap::new();
        for evidence in &side.analysis.evidence {
            for s in &evidence.stale {
                out.insert(
                    (
                        n.id(&side.model.verification(s.verification).meta.name),
                        n.id(&side.model.element(s.component).meta.name),
                    ),
                    (s.tested.clone(), s.current.clone()),
                );
            }
        }
        out
    };
    let same = Names::identity();
    let old_passing = passing(old, names);
    let new_passing = passing(new, &same);
    let old_stale = stale(old, names);
    let new_stale = stale(new, &same);
    let users = |id: &str| -> Vec<String> {
        let mut controls: BTreeSet<String> = BTreeSet::new();
        for c in &new.model.controls {
            let names_it = c.verification.iter().any(|v| {
                matches!(v, ward_model::VerificationItem::Ref { verification, .. }
                    if new.model.verification(*verification).meta.name == id)
            });
            if names_it {
                controls.insert(c.meta.name.clone());
            }
        }
        controls.extend(old_passing.get(id).into_iter().flatten().cloned());
        controls.into_iter().collect()
    };
    let result = |side: &Side, n: &Names, id: &str| {
        side.model
            .verifications
            .iter()
            .find(|v| n.id(&v.meta.name) == id)
            .map(|v| v.result.map_or("(none)".to_string(), |r| r.to_string()))
    };
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for id in old_passing.keys() {
        match result(new, &same, id) {
            None => out
                .entry(id.clone())
                .or_default()
                .push("removed".to_string()),
            Some(r) if !new_passing.contains_key(id) && r != "pass" => {
                let was = result(old, names, id).unwrap_or_default();
                out.entry(id.clone())
                    .or_default()
                    .push(format!("result {was} -> {r}"));
            }
            Some(_) => {}
        }
    }
    for ((id, component), (tested, current)) in &new_stale {
        if !old_stale.contains_key(&(id.clone(), component.clone())) {
            out.entry(id.clone()).or_default().push(format!(
                "tested_version {} but component `{component}` is now at {current}",
                tested.as_deref().unwrap_or("(none)")
            ));
        }
    }
    out.into_iter()
        .map(|(id, reasons)| InvalidatedVerification {
            controls: users(&id),
            reason: reasons.join("; "),
            id,
        })
        .collect()
}

fn stale_acceptances(old: &Side, new: &Side, names: &Names) -> Vec<StaleAcceptance> {
    let was_stale: BTreeSet<String> = old
        .analysis
        .threats
        .iter()
        .filter(|t| t.acceptance.as_ref().is_some_and(|a| a.stale))
        .map(|t| names.id(&t.id))
        .collect();
    new.analysis
        .threats
        .iter()
        .filter(|t| !was_stale.contains(&t.id))
        .filter_map(|t| {
            let a = t.acceptance.as_ref().filter(|a| a.stale)?;
            Some(StaleAcceptance {
                threat: t.id.clone(),
                accepted: a.level.to_string(),
                judged: t.judged.to_string(),
            })
        })
        .collect()
}

fn hazard_reach(old: &Side, new: &Side, names: &Names) -> HazardReach {
    let reached = |side: &Side, n: &Names| -> BTreeSet<String> {
        let model = side.model;
        let threats = side.analysis.threats.iter();
        threats
            .flat_map(|t| t.hazards.iter().map(|&h| n.id(&model.hazard(h).meta.name)))
            .collect()
    };
    let multi = |side: &Side, n: &Names| -> BTreeSet<String> {
        let threats = side.analysis.threats.iter();
        threats
            .filter(|t| t.multi_patient)
            .map(|t| n.id(&t.id))
            .collect()
    };
    let same = Names::identity();
    let (old_reached, new_reached) = (reached(old, names), reached(new, &same));
    let (old_multi, new_multi) = (multi(old, names), multi(new, &same));
    HazardReach {
        newly_reached: new_reached.difference(&old_reached).cloned().collect(),
        no_longer_reached: old_reached.difference(&new_reached).cloned().collect(),
        newly_multi_patient: new_multi.difference(&old_multi).cloned().collect(),
        no_longer_multi_patient: old_multi.difference(&new_multi).cloned().collect(),
    }
}

fn finding_changes(old: &Side, new: &Side, names: &Names) -> FindingChanges {
    let count = |side: &Side, n: &Names| -> BTreeMap<Finding, usize> {
        let mut out = BTreeMap::new();
        for d in &side.analysis.findings {
            let f = Finding {
                code: d.code.to_string(),
                severity: match d.severity {
                    ward_diagnostics::Severity::Error => "error",
                    ward_diagnostics::Severity::Warning => "warning",
                }
                .to_string(),
                message: n.text(&d.message),
            };
            *out.entry(f).or_insert(0) += 1;
        }
        out
    };
    let (before, after) = (count(old, names), count(new, &Names::identity()));
    let more = |a: &BTreeMap<Finding, usize>, b: &BTreeMap<Finding, usize>| -> Vec<Finding> {
        a.iter()
            .flat_map(|(f, &n)| {
                let extra = n.saturating_sub(b.get(f).copied().unwrap_or(0));
                std::iter::repeat_n(f.clone(), extra)
            })
            .collect()
    };
    FindingChanges {
        introduced: more(&after, &before),
        resolved: more(&before, &after),
    }
}

#[cfg(test)]
mod tests {
    use super::{field_text, FieldChange};

    fn change(old: Option<&str>, new: Option<&str>) -> String {
        field_text(&FieldChange {
            field: "controls".into(),
            old: old.map(Into::into),
            new: new.map(Into::into),
        })
    }

    #[test]
    fn a_list_shows_what_it_gained_and_lost_and_a_value_its_two_values() {
        assert_eq!(change(Some("[]"), Some("[a]")), "controls +a");
        assert_eq!(change(None, Some("[a, b]")), "controls +a, +b");
        assert_eq!(change(Some("[a, b]"), Some("[b, c]")), "controls +c, -a");
        assert_eq!(
            change(Some("1.0.0"), Some("1.1.0")),
            "controls 1.0.0 -> 1.1.0"
        );
        assert_eq!(change(None, Some("4.2.0")), "controls (none) -> 4.2.0");
    }
}
