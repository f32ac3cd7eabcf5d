//! Policies: scales, criteria, matrices and bands, with their shape checks
//! (spec §2 policy).

use crate::codes;
use crate::language::{
    POLICY_CONTROLLED, POLICY_CVSS_EXPLOITABILITY_BANDS, POLICY_EXPLOITABILITY,
    POLICY_EXPLOITABILITY_CRITERIA, POLICY_MATRIX, POLICY_REQUIRE_VERIFIED, POLICY_SECURITY_IMPACT,
    POLICY_SECURITY_MATRIX, POLICY_SEVERITY, POLICY_TRANSFER_BASIS,
};
use crate::model::*;
use crate::names::Cx;
use crate::props::Props;
use crate::suggest::{did_you_mean, suggest};
use std::collections::{HashMap, HashSet};
use ward_diagnostics::Diagnostic;
use ward_syntax::ast::Property;

/// A lowered policy and what the rest of lowering needs to know about it.
pub(crate) struct Lowered {
    pub policy: Policy,
    /// Both scales are non-empty: levels can be checked against it.
    pub usable: bool,
    /// `cvss_exploitability_bands` was given but is invalid (reported): a
    /// `cvss` under this policy is not reported again.
    pub bands_invalid: bool,
}

pub(crate) fn lower(
    cx: &mut Cx,
    meta: Meta,
    props: &Props<'_>,
    from_stdlib: bool,
    path: String,
) -> Lowered {
    let severity = scale(cx, props.get(&POLICY_SEVERITY));
    let exploitability = scale(cx, props.get(&POLICY_EXPLOITABILITY));
    let columns = exploitability.len();

    let mut criteria = vec![None; columns];
    let column_index: HashMap<&str, usize> = exploitability
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();
    if let Some(p) = props.get(&POLICY_EXPLOITABILITY_CRITERIA) {
        if let Some(block) = cx.block(p) {
            let mut seen: HashMap<&str, &Property> = HashMap::new();
            for row in &block.properties {
                if let Some(first) = seen.get(row.key.name.as_str()) {
                    cx.push(crate::props::repeated(&row.key, first.key.span));
                    continue;
                }
                seen.insert(&row.key.name, row);
                let text = cx.string(row);
                match column_index.get(row.key.name.as_str()) {
                    Some(&i) => criteria[i] = text,
                    None if columns > 0 => {
                        unknown_level(cx, &row.key, &exploitability, "exploitability")
                    }
                    None => {}
                }
            }
        }
    }

    let matrix = props.get(&POLICY_MATRIX).map_or_else(
        || full(severity.len(), columns),
        |p| grid(cx, p, &severity, columns, "severity"),
    );

    let impact_names = CiaLevel::names()
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
    if let Some(p) = props.get(&POLICY_SECURITY_IMPACT) {
        let given: Vec<String> = cx.ident_list(p);
        if given != impact_names {
            let span = p.value_span();
            cx.push(
                Diagnostic::error(
                    codes::BAD_SECURITY_IMPACT,
                    span,
                    format!(
                        "`security_impact` must be `[none, low, medium, high]`, found `[{}]`",
                        given.join(", ")
                    ),
                )
                .with_primary_label("not the CIA level scale")
                .with_note(
                    "security impact is the CIA level of the affected data, so its scale is fixed",
                ),
            );
        }
    }
    let security_matrix = props.get(&POLICY_SECURITY_MATRIX).map_or_else(
        || full(impact_names.len(), columns),
        |p| grid(cx, p, &impact_names, columns, "security impact"),
    );

    let mut bands_invalid = false;
    let cvss_exploitability_bands = props.get(&POLICY_CVSS_EXPLOITABILITY_BANDS).and_then(|p| {
        let items = cx.list(p);
        let mut bounds = Vec::new();
        for v in &items {
            match cx.number(&p.key, v) {
                Some(n) => bounds.push(n),
                None => {
                    bands_invalid = true;
                    return None;
                }
            }
        }
        let increasing = bounds.windows(2).all(|w| w[0] < w[1]);
        let expected = columns.saturating_sub(1);
        let problem = if bounds.len() != expected && columns > 0 {
            Some(format!(
                "`cvss_exploitability_bands` needs {expected} {} (one fewer than the {columns} exploitability levels), found {}",
                if expected == 1 { "bound" } else { "bounds" },
                bounds.len()
            ))
        } else if !increasing {
            Some("`cvss_exploitability_bands` must be strictly increasing".to_string())
        } else {
            None
        };
        if let Some(message) = problem {
            bands_invalid = true;
            cx.push(
                Diagnostic::error(codes::BAD_BANDS, p.value_span(), message)
                    .with_primary_label("invalid bands")
                    .with_help("the i-th bound is the lowest CVSS exploitability sub-score of the (i+1)-th level, e.g. `[0.5, 1.5, 2.5, 3.5]` for five levels"),
            );
            return None;
        }
        Some(bounds)
    });

    let controlled = match props.get(&POLICY_CONTROLLED) {
        Some(p) => cx.enum_list::<RiskLevel>(p),
        None => vec![RiskLevel::Acceptable],
    };
    let require_verified = props
        .get(&POLICY_REQUIRE_VERIFIED)
        .and_then(|p| cx.boolean(p))
        .unwrap_or(false);
    let transfer_basis = props.get(&POLICY_TRANSFER_BASIS).and_then(|p| cx.string(p));

    let usable = !severity.is_empty() && !exploitability.is_empty();
    Lowered {
        policy: Policy {
            meta,
            from_stdlib,
            path,
            severity,
            exploitability,
            exploitability_criteria: criteria,
            matrix,
            security_impact: CiaLevel::ALL.to_vec(),
            security_matrix,
            cvss_exploitability_bands,
            controlled,
            require_verified,
            transfer_basis,
        },
        usable,
        bands_invalid,
    }
}

/// A matrix of `unacceptable`, the conservative filling of missing cells.
fn full(rows: usize, columns: usize) -> Vec<Vec<RiskLevel>> {
    vec![vec![RiskLevel::Unacceptable; columns]; rows]
}

/// A list of level names: non-empty, each once.
fn scale(cx: &mut Cx, p: Option<&Property>) -> Vec<String> {
    let Some(p) = p else { return Vec::new() };
    let items = cx.list(p);
    let mut levels: Vec<String> = Vec::new();
    let mut first_span = HashMap::new();
    for v in &items {
        let Some(id) = cx.value_ident(&p.key, v) else {
            continue;
        };
        if let Some(first) = first_span.get(&id.name) {
            cx.push(
                Diagnostic::error(
                    codes::REPEATED_LEVEL,
                    id.span,
                    format!("level `{}` appears twice in `{}`", id.name, p.key.name),
                )
                .with_primary_label("repeated level")
                .with_label(*first, "first here"),
            );
            continue;
        }
        first_span.insert(id.name.clone(), id.span);
        levels.push(id.name.clone());
    }
    if items.is_empty() {
        cx.push(
            Diagnostic::error(
                codes::EMPTY_SCALE,
                p.value_span(),
                format!("the `{}` scale is empty", p.key.name),
            )
            .with_primary_label("no levels")
            .with_help("list the levels from lowest to highest, e.g. `[low, medium, high]`"),
        );
    }
    levels
}

fn unknown_level(cx: &mut Cx, key: &ward_syntax::ast::Ident, scale: &[String], scale_name: &str) {
    let mut d = Diagnostic::error(
        codes::UNKNOWN_LEVEL,
        key.span,
        format!("`{}` is not a level of the {scale_name} scale", key.name),
    )
    .with_primary_label("unknown level");
    let names: Vec<&str> = scale.iter().map(String::as_str).collect();
    d = match suggest(&key.name, names.iter().copied()) {
        Some(best) => d
            .with_help(format!("did you mean `{}`?", best.name))
            .with_fix(best.fix(&key.name, key.span)),
        None => d.with_help(format!(
            "the levels are {}",
            crate::load::backticked(&names)
        )),
    };
    cx.push(d);
}

/// A matrix block: one row per level of `rows`, in any order, each with
/// `columns` risk levels. Missing cells are `unacceptable`.
fn grid(
    cx: &mut Cx,
    p: &Property,
    rows: &[String],
    columns: usize,
    row_scale: &str,
) -> Vec<Vec<RiskLevel>> {
    let mut out = full(rows.len(), columns);
    let Some(block) = cx.block(p) else { return out };
    // By name: a scale may have thousands of levels.
    let row_index: HashMap<&str, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.as_str(), i))
        .collect();
    let mut seen: HashMap<&str, &Property> = HashMap::new();
    for row in &block.properties {
        let name = row.key.name.as_str();
        let Some(&index) = row_index.get(name) else {
            if rows.is_empty() {
                continue;
            }
            let names: Vec<&str> = rows.iter().map(String::as_str).collect();
            let mut d = Diagnostic::error(
                codes::UNKNOWN_ROW,
                row.key.span,
                format!("`{name}` in `{}` is not a {row_scale} level", p.key.name),
            )
            .with_primary_label("unknown row");
            d = match suggest(name, names.iter().copied()) {
                Some(best) => d
                    .with_help(format!("did you mean `{}`?", best.name))
                    .with_fix(best.fix(name, row.key.span)),
                None => d.with_help(format!("the rows are {}", crate::load::backticked(&names))),
            };
            cx.push(d);
            continue;
        };
        if let Some(first) = seen.get(name) {
            cx.push(
                Diagnostic::error(
                    codes::REPEATED_ROW,
                    row.key.span,
                    format!("row `{name}` is given twice"),
                )
                .with_primary_label("repeated row")
                .with_label(first.key.span, "first given here"),
            );
            continue;
        }
        seen.insert(name, row);
        let cells = cx.list(row);
        if columns > 0 && cells.len() != columns {
            cx.push(
                Diagnostic::error(
                    codes::ROW_LENGTH,
                    row.value_span(),
                    format!(
                        "row `{name}` has {} {}, expected {columns} (one per exploitability level)",
                        cells.len(),
                        if cells.len() == 1 { "cell" } else { "cells" }
                    ),
                )
                .with_primary_label(if cells.len() < columns {
                    "too few cells"
                } else {
                    "too many cells"
                }),
            );
        }
        for (column, cell) in cells.iter().enumerate().take(columns) {
            if let Some(level) = cx.value_enum::<RiskLevel>(&row.key, cell) {
                out[index][column] = level;
            }
        }
    }
    // A row whose name is a typo of a missing level is reported once, as unknown.
    let typos: HashSet<&str> = block
        .properties
        .iter()
        .filter(|row| !row_index.contains_key(row.key.name.as_str()))
        .filter_map(|row| did_you_mean(&row.key.name, rows.iter().map(String::as_str)))
        .collect();
    let missing: Vec<&str> = rows
        .iter()
        .filter(|r| !seen.contains_key(r.as_str()) && !typos.contains(&r.as_str()))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() && !matches!(&p.value, ward_syntax::ast::PropertyValue::Value(_)) {
        cx.push(
            Diagnostic::error(
                codes::MISSING_ROW,
                p.key.span,
                format!(
                    "`{}` has no row for {} {}",
                    p.key.name,
                    if missing.len() == 1 {
                        "level"
                    } else {
                        "levels"
                    },
                    crate::load::backticked(&missing)
                ),
            )
            .with_primary_label("missing rows")
            .with_help(format!("give one row per {row_scale} level")),
        );
    }
    out
}

/// The span of a property's value (or block).
pub(crate) trait ValueSpan {
    fn value_span(&self) -> ward_diagnostics::Span;
}

impl ValueSpan for Property {
    fn value_span(&self) -> ward_diagnostics::Span {
        match &self.value {
            ward_syntax::ast::PropertyValue::Value(v) => v.span(),
            ward_syntax::ast::PropertyValue::Block(b) => b.span(),
        }
    }
}
