//! Lowers `data` declarations and lists of data ids (`stores`, `carries`);
//! warns when commands, firmware, config or credentials have no integrity.

use super::Builder;
use crate::codes;
use crate::language::{
    PropertySpec, DATA_AVAILABILITY, DATA_CONFIDENTIALITY, DATA_HAZARDS, DATA_INTEGRITY, DATA_KIND,
};
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
            .get(&DATA_KIND)
            .and_then(|p| self.cx.enum_value::<DataKind>(p))
            .unwrap_or(DataKind::Other);
        let mut cia = |spec: &PropertySpec| {
            props
                .get(spec)
                .and_then(|p| self.cx.enum_value::<CiaLevel>(p))
                .unwrap_or(CiaLevel::None)
        };
        let confidentiality = cia(&DATA_CONFIDENTIALITY);
        let integrity = cia(&DATA_INTEGRITY);
        let availability = cia(&DATA_AVAILABILITY);
        let unrated: Vec<SecurityProperty> = SecurityProperty::ALL
            .iter()
            .copied()
            .filter(|p| props.get(rating(*p)).is_none())
            .collect();
        let hazards = props
            .get(&DATA_HAZARDS)
            .map(|p| self.property_hazards(p))
            .unwrap_or_default();
        // Unwritten integrity is reported as unrated data (W0440) instead.
        if integrity == CiaLevel::None
            && props.get(&DATA_INTEGRITY).is_some()
            && matches!(
                kind,
                DataKind::Command | DataKind::Firmware | DataKind::Config | DataKind::Credential
            )
        {
            let at = props
                .get(&DATA_INTEGRITY)
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
            if let Some(k) = props.get(&DATA_KIND) {
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

/// The rating property of one security property of `data`.
fn rating(property: SecurityProperty) -> &'static PropertySpec {
    match property {
        SecurityProperty::Confidentiality => &DATA_CONFIDENTIALITY,
        SecurityProperty::Integrity => &DATA_INTEGRITY,
        SecurityProperty::Availability => &DATA_AVAILABILITY,
    }
}
