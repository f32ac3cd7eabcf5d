//! A flow's security properties: `auth` and its shorthand `authenticated`,
//! `server_authenticated`, `tls_version` and `identity`, with the checks
//! that they agree (E0170, E0171, W0170, W0171).

use super::Builder;
use crate::codes;
use crate::language::{
    FLOW_AUTH, FLOW_AUTHENTICATED, FLOW_ENCRYPTED, FLOW_IDENTITY, FLOW_SERVER_AUTHENTICATED,
    FLOW_TLS_VERSION,
};
use crate::model::*;
use crate::policy::ValueSpan;
use crate::props::Props;
use ward_diagnostics::{Applicability, Diagnostic, Edit, Fix};
use ward_syntax::ast::Property;

/// What a flow says about authentication and its channel.
pub(super) struct FlowSecurity {
    pub authenticated: bool,
    pub auth: Option<AuthMethod>,
    pub server_authenticated: bool,
    pub tls_version: Option<TlsVersion>,
    pub identity: Option<CallerIdentity>,
    pub encrypted: bool,
}

impl Builder<'_> {
    pub(super) fn flow_security(&mut self, props: &Props<'_>) -> FlowSecurity {
        let authenticated_written = written_bool(self, props.get(&FLOW_AUTHENTICATED));
        let auth_written = props
            .get(&FLOW_AUTH)
            .and_then(|p| Some((self.cx.enum_value::<AuthMethod>(p)?, p)));
        if let (Some((authenticated, flag)), Some((method, _))) =
            (authenticated_written, auth_written)
        {
            if authenticated != (method != AuthMethod::None) {
                self.auth_contradiction(flag, authenticated, method);
            }
        }
        // `auth` decides; `authenticated: true` alone leaves the method
        // unspecified.
        let auth = match (auth_written, authenticated_written) {
            (Some((method, _)), _) => Some(method),
            (None, Some((true, _))) => None,
            (None, _) => Some(AuthMethod::None),
        };
        let authenticated = auth != Some(AuthMethod::None);
        let encrypted = written_bool(self, props.get(&FLOW_ENCRYPTED)).is_some_and(|(b, _)| b);
        let server_written = written_bool(self, props.get(&FLOW_SERVER_AUTHENTICATED));
        if let (Some((false, p)), Some(AuthMethod::MutualTls)) = (server_written, auth) {
            self.cx.push(
                Diagnostic::error(
                    codes::MUTUAL_TLS_SERVER_UNAUTHENTICATED,
                    p.value_span(),
                    "`server_authenticated: false` on a mutual TLS flow",
                )
                .with_primary_label("mutual TLS checks the server's certificate")
                .with_help(
                    "remove `server_authenticated: false`, or state the method the source really uses (`auth: certificate`)",
                ),
            );
        }
        if let (Some((AuthMethod::MutualTls, p)), false) = (auth_written, encrypted) {
            self.cx.push(
                Diagnostic::warning(
                    codes::MUTUAL_TLS_UNENCRYPTED,
                    p.value_span(),
                    "`auth: mutual_tls` on a flow that is not `encrypted`",
                )
                .with_primary_label("mutual TLS encrypts the link")
                .with_help("add `encrypted: true`: the rules take this flow as cleartext"),
            );
        }
        let tls_written = props
            .get(&FLOW_TLS_VERSION)
            .and_then(|p| Some((self.cx.enum_value::<TlsVersion>(p)?, p)));
        if let (Some((_, p)), false) = (tls_written, encrypted) {
            self.cx.push(
                Diagnostic::warning(
                    codes::TLS_VERSION_UNENCRYPTED,
                    p.value_span(),
                    "`tls_version` on a flow that is not `encrypted`",
                )
                .with_primary_label("TLS encrypts the link")
                .with_help(
                    "add `encrypted: true` if the link runs over TLS, else remove `tls_version`",
                ),
            );
        }
        let identity = props
            .get(&FLOW_IDENTITY)
            .and_then(|p| self.cx.enum_value::<CallerIdentity>(p));
        FlowSecurity {
            authenticated,
            auth,
            server_authenticated: server_written.map_or(authenticated, |(b, _)| b),
            tls_version: tls_written.map(|(v, _)| v),
            identity,
            encrypted,
        }
    }

    /// E0170, with the fix that makes `authenticated` say what `auth` says.
    fn auth_contradiction(&mut self, flag: &Property, authenticated: bool, method: AuthMethod) {
        let agreeing = if authenticated { "false" } else { "true" };
        self.cx.push(
            Diagnostic::error(
                codes::AUTH_CONTRADICTION,
                flag.value_span(),
                format!("`authenticated: {authenticated}` contradicts `auth: {method}`"),
            )
            .with_primary_label(format!("`auth: {method}` means `authenticated: {agreeing}`"))
            .with_help("`authenticated` is shorthand for `auth` other than `none`: keep `auth` and remove `authenticated`")
            .with_fix(Fix::new(
                format!("Write `authenticated: {agreeing}`"),
                Applicability::Unsafe,
                vec![Edit::replace(flag.value_span(), agreeing)],
            )),
        );
    }
}

/// A boolean property as written, with the property for its span.
fn written_bool<'p>(b: &mut Builder<'_>, p: Option<&'p Property>) -> Option<(bool, &'p Property)> {
    let p = p?;
    Some((b.cx.boolean(p)?, p))
}
