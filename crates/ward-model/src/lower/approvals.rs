//! Lowers `approval` declarations (who approved what and when, pinned by a
//! content hash) and takes the digests of the model's declarations that the
//! content hashes are made of (docs/qms.md, "Approvals").

use super::{Builder, Source};
use crate::codes;
use crate::language::{
    APPROVAL_APPROVED_HASH, APPROVAL_DATE, APPROVAL_NAME, APPROVAL_NOTE, APPROVAL_ROLE,
    APPROVAL_SCOPE,
};
use crate::load::Origin;
use crate::model::*;
use crate::sha256_hex;
use crate::suggest::suggest;
use ward_diagnostics::Diagnostic;
use ward_syntax::ast::{Decl, DeclKind, Ident, Item, PropertyValue, UseTarget, Value};
use ward_syntax::format::format_decl_without_comments;

impl Builder<'_> {
    pub(super) fn approval(&mut self, decl: &Decl, accepts: &[Accept]) -> Approval {
        let props = self.props(decl);
        let meta = super::untitled_meta(decl);
        let mut text = |spec| {
            props
                .get(spec)
                .and_then(|p| self.cx.string(p))
                .unwrap_or_default()
        };
        let role = text(&APPROVAL_ROLE);
        let name = text(&APPROVAL_NAME);
        let hash_prop = props.get(&APPROVAL_APPROVED_HASH);
        let approved_hash = hash_prop
            .and_then(|p| self.cx.string(p))
            .unwrap_or_default();
        let note = props.get(&APPROVAL_NOTE).and_then(|p| self.cx.string(p));
        let date = props
            .get(&APPROVAL_DATE)
            .and_then(|p| self.cx.date(p))
            .unwrap_or_default();
        let scope = props
            .get(&APPROVAL_SCOPE)
            .and_then(|p| match &p.value {
                PropertyValue::Value(v) => Some((&p.key, v)),
                PropertyValue::Block(_) => None,
            })
            .and_then(|(key, v)| self.approval_scope(key, v, accepts));
        Approval {
            meta,
            role,
            name,
            date,
            scope,
            approved_hash,
            approved_hash_span: hash_prop.map_or(decl.name.span, |p| {
                use crate::policy::ValueSpan;
                p.value_span()
            }),
            note,
        }
    }

    /// `model`, `release`, or a list of threats that accepts name.
    fn approval_scope(
        &mut self,
        key: &Ident,
        v: &Value,
        accepts: &[Accept],
    ) -> Option<ApprovalScope> {
        const EXPECTED: &str = "`model`, `release` or a list of accepted threats";
        match v {
            Value::Ref(r) if r.reverse.is_none() && r.id.name == "model" => {
                Some(ApprovalScope::Model)
            }
            Value::Ref(r) if r.reverse.is_none() && r.id.name == "release" => {
                Some(ApprovalScope::Release)
            }
            Value::List(list) if !list.items.is_empty() => {
                let accepted: Vec<String> = accepts
                    .iter()
                    .flat_map(|a| &a.threats)
                    .map(|t| self.written(t.span).to_owned())
                    .collect();
                let mut threats = Vec::new();
                let mut complete = true;
                for item in &list.items {
                    let written = self.written(item.span()).to_owned();
                    if accepted.contains(&written) {
                        if let Some(t) = self.threat_ref(key, item) {
                            threats.push(t);
                        }
                        continue;
                    }
                    complete = false;
                    let mut d = Diagnostic::error(
                        codes::UNKNOWN_ID,
                        item.span(),
                        format!("no `accept` names the threat `{written}`"),
                    )
                    .with_primary_label("not an accepted threat");
                    d = match suggest(&written, accepted.iter().map(String::as_str)) {
                        Some(s) => d
                            .with_help(format!("did you mean `{}`?", s.name))
                            .with_fix(s.fix(&written, item.span())),
                        None => d.with_help(
                            "an approval's scope lists threats named by `accept` declarations",
                        ),
                    };
                    self.cx.push(d);
                }
                complete.then_some(ApprovalScope::Accepts(threats))
            }
            other => {
                self.cx
                    .wrong_value(APPROVAL_SCOPE.key, other, EXPECTED, "not a scope");
                None
            }
        }
    }
}

/// The digest of every declaration and `use` of the model's own files,
/// approvals excepted, of every file the model imports (SBOMs, feeds, VEX:
/// they change what was approved as much as a declaration does), and of
/// `Ward.toml`'s `stage`, sorted by kind and name. The declarations' only
/// with `declarations` (formatting each is the cost).
pub(super) fn content_digests(
    loaded: &crate::load::Loaded,
    decls: &[Source<'_>],
    declarations: bool,
) -> Vec<ContentDigest> {
    let digest = |text: &str| sha256_hex(text.as_bytes());
    let mut out: Vec<ContentDigest> = decls
        .iter()
        .filter(|s| declarations && !s.stdlib && s.decl.kind != DeclKind::Approval)
        .map(|s| {
            let text = &loaded.sources.get(s.decl.span.file).text;
            ContentDigest {
                kind: s.decl.kind.keyword(),
                name: s.decl.name.name.clone(),
                sha256: digest(&format_decl_without_comments(text, s.decl)),
            }
        })
        .collect();
    for file in loaded.files.iter().filter(|f| f.origin == Origin::User) {
        for item in &file.ast.items {
            if let Item::Use(u) = item {
                let target = match &u.target {
                    UseTarget::Path(p) => p.text(),
                    UseTarget::File(s) => s.value.clone(),
                };
                out.push(ContentDigest {
                    kind: ward_syntax::keywords::USE,
                    sha256: digest(&target),
                    name: target,
                });
            }
        }
    }
    let imported = (loaded.sboms.iter().map(|s| ("sbom", &s.name, s.file)))
        .chain(loaded.feeds.iter().map(|f| ("feed", &f.name, Some(f.file))))
        .chain(loaded.vex.iter().map(|v| ("vex", &v.name, v.file)));
    for (kind, name, file) in imported {
        if let Some(file) = file {
            out.push(ContentDigest {
                kind,
                name: name.clone(),
                sha256: digest(&loaded.sources.get(file).text),
            });
        }
    }
    // `Ward.toml`'s stage, not `--stage`: judging at another stage changes
    // nothing that was approved.
    out.push(ContentDigest {
        kind: "stage",
        name: loaded.stage.as_str().to_owned(),
        sha256: digest(loaded.stage.as_str()),
    });
    out.sort_by(|a, b| (a.kind, &a.name, &a.sha256).cmp(&(b.kind, &b.name, &b.sha256)));
    out
}
