//! Lowers `data` declarations and lists of data ids (`stores`, `carries`);
//! warns when commands, firmware, config or credentials have no integrity.

use super::Builder;
use crate::codes;
use crate::model::*;
use crate::policy::ValueSpan;
use crate::props::dedup_in_order;
use ward_diagnostics::Diagnostic;
use ward_syntax::ast::{Decl, DeclKind, Property};

impl Builder<'_> {
    pub(super) fn data(&mut self, decl: &Decl) -> Data {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let kind = props
            .get("kind")
            .and_then(|p| self.cx.enum_value::<DataKind>(p))
            .unwrap_or(DataKind::Other);
        let mut cia = |key: &str| {
            props
                .get(key)
                .and_then(|p| self.cx.enum_value::<CiaLevel>(p))
                .unwrap_or(CiaLevel::None)
        };
        let confidentiality = cia("confidentiality");
        let integrity = cia("integrity");
        let availability = cia("availability");
        let unrated: Vec<SecurityProperty> = SecurityProperty::ALL
            .iter()
            .copied()
            .filter(|p| props.get(p.as_str()).is_none())
            .collect();
        let hazards = props
            .get("hazards")
            .map(|p| self.property_hazards(p))
            .unwrap_or_default();
        // Unwritten integrity is reported as unrated data (W0440) instead.
        if integrity == CiaLevel::None
            && props.get("integrity").is_some()
            && matches!(
                kind,
                DataKind::Command | DataKind::Firmware | DataKind::Config | DataKind::Credential
            )
        {
            let at = props
                .get("integrity")
                .map_or(decl.name.span, |p| p.value_span());

            let mut d = Diagnostic::warning(
                codes::WEAK_INTEGRITY,
                at,
                format!(
                    "{} data `{}` has `integrity: none`",
                    kind.as_str(),
                    decl.name.name
                ),
            )
            .with_primary_label("integrity is `none`")
            .with_help(format!(
                "tampering with {} data matters: set `integrity: high` (or the level it deserves)",
                kind.as_str()
            ));
            if let Some(k) = props.get("kind") {
                d = d.with_label(k.value_span(), "its kind");
            }
            self.cx.push(d);
        }
        Data {
            meta,
            kind,
            confidentiality,
            integrity,
            availability,
            unrated,
            hazards,
        }
    }

    pub(super) fn data_list(&mut self, p: &Property) -> Vec<DataId> {
        let mut out = Vec::new();
        for v in self.cx.list(p) {
            let Some(r) = self.cx.value_ref(&p.key, v, "a data id") else {
                continue;
            };
            if let Some(Symbol::Data(d)) = self.cx.resolve_ref(r, &[DeclKind::Data]) {
                out.push(d);
            }
        }
        dedup_in_order(out)
    }
}
