//! Flow security properties (`auth`, `server_authenticated`, `tls_version`,
//! `identity`) and request/response links (`returns`): their lowering, the
//! checks that they agree, and their `when` attributes.

use ward_diagnostics::Code;
use ward_model::*;

const BASE: &str = r#"
system s "S" {}
zone clinic "Clinic" { trust: controlled, controlled_by: hcf }
zone cloud "Cloud" {}
actor clinician in clinic { kind: human }
component portal "Portal" in cloud { kind: web_app }
component api "API" in cloud { kind: service }
data query "Query" { kind: other }
data record "Record" { kind: phi }
data token "Session token" { kind: credential }
"#;

fn compile(flows: &str) -> Compiled {
    compile_str("m.ward", &format!("{BASE}{flows}"))
}

fn clean(flows: &str) -> Model {
    let compiled = compile(flows);
    assert!(
        compiled.diagnostics.is_empty(),
        "{}",
        ward_diagnostics::render_terminal(
            &compiled.sources,
            &compiled.diagnostics,
            ward_diagnostics::ColorChoice::Never
        )
    );
    compiled.model
}

fn codes(flows: &str) -> Vec<Code> {
    compile(flows).diagnostics.iter().map(|d| d.code).collect()
}

fn flow<'m>(m: &'m Model, name: &str) -> &'m Flow {
    m.flow(
        m.find_flow(name)
            .unwrap_or_else(|| panic!("no flow {name}")),
    )
}

#[test]
fn unwritten_properties_keep_todays_meaning() {
    let m = clean(
        "flow plain: clinician -> portal { protocol: https }\n\
         flow signed_in: clinician -> portal { protocol: https, authenticated: true }\n",
    );
    let plain = flow(&m, "plain");
    assert_eq!(plain.auth, Some(AuthMethod::None));
    assert!(!plain.authenticated && !plain.server_authenticated);
    assert_eq!((plain.tls_version, plain.identity), (None, None));
    assert!(!plain.is_response && plain.reverse.is_none());
    let signed_in = flow(&m, "signed_in");
    assert_eq!(
        signed_in.auth, None,
        "only `authenticated: true`: unspecified"
    );
    assert!(signed_in.authenticated);
    assert!(
        signed_in.server_authenticated,
        "server authentication defaults to the flow's `authenticated`"
    );
}

#[test]
fn each_property_is_lowered() {
    let m = clean(
        "flow login: clinician -> portal {\n  protocol: https\n  auth: mfa\n  encrypted: true\n  \
         tls_version: tls1_2\n  identity: end_user\n}\n\
         flow call: portal -> api {\n  protocol: https\n  auth: token\n  server_authenticated: false\n  \
         encrypted: true\n  identity: service\n}\n",
    );
    let login = flow(&m, "login");
    assert_eq!(login.auth, Some(AuthMethod::Mfa));
    assert!(
        login.authenticated,
        "`auth` other than `none` is authenticated"
    );
    assert!(login.server_authenticated);
    assert_eq!(login.tls_version, Some(TlsVersion::Tls1_2));
    assert_eq!(login.identity, Some(CallerIdentity::EndUser));
    let call = flow(&m, "call");
    assert_eq!(call.auth, Some(AuthMethod::Token));
    assert!(call.authenticated && !call.server_authenticated);
    assert_eq!(call.identity, Some(CallerIdentity::Service));
    assert!(!flow(&m, "login").is_response);
}

#[test]
fn auth_none_is_not_authenticated_even_with_a_server_check() {
    let m = clean(
        "flow f: clinician -> portal { protocol: https, auth: none, server_authenticated: true, encrypted: true }\n",
    );
    let f = flow(&m, "f");
    assert!(!f.authenticated && f.server_authenticated);
}

#[test]
fn authenticated_contradicting_auth_is_e0170_with_a_fix() {
    let compiled = compile(
        "flow f: clinician -> portal { protocol: https, auth: mfa, authenticated: false, encrypted: true }\n",
    );
    let d = &compiled.diagnostics;
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code, Code::E0170);
    let span = d[0].span.unwrap();
    let text = &compiled.sources.get(span.file).text[span.start as usize..span.end as usize];
    assert_eq!(text, "false", "points at the `authenticated` value");
    let fix = d[0].fixes.first().expect("a fix");
    assert_eq!(fix.edits[0].replacement, "true");
    // `auth` decides what the flow is.
    assert!(
        compiled
            .model
            .flow(compiled.model.find_flow("f").unwrap())
            .authenticated
    );
    assert_eq!(
        codes("flow f: clinician -> portal { auth: none, authenticated: true }\n"),
        [Code::E0170]
    );
    assert!(codes("flow f: clinician -> portal { auth: token, authenticated: true }\n").is_empty());
}

#[test]
fn mutual_tls_without_server_authentication_is_e0171() {
    assert_eq!(
        codes(
            "flow f: portal -> api { protocol: https, auth: mutual_tls, server_authenticated: false, encrypted: true }\n"
        ),
        [Code::E0171]
    );
    assert!(
        codes("flow f: portal -> api { auth: certificate, server_authenticated: false, encrypted: true }\n")
            .is_empty()
    );
}

#[test]
fn mutual_tls_and_tls_version_on_a_cleartext_flow_warn() {
    assert_eq!(
        codes("flow f: portal -> api { protocol: https, auth: mutual_tls }\n"),
        [Code::W0171]
    );
    assert_eq!(
        codes("flow f: portal -> api { protocol: https, tls_version: tls1_3 }\n"),
        [Code::W0170]
    );
    assert_eq!(
        codes("flow f: portal -> api { protocol: https, tls_version: tls1_3, encrypted: false }\n"),
        [Code::W0170]
    );
    assert!(codes(
        "flow f: portal -> api { protocol: https, auth: mutual_tls, tls_version: tls1_3, encrypted: true }\n"
    )
    .is_empty());
}

#[test]
fn values_outside_the_sets_are_errors_with_a_suggestion() {
    let compiled = compile(
        "flow f: portal -> api { auth: mtls, tls_version: tls12, identity: user, encrypted: true }\n",
    );
    let d = &compiled.diagnostics;
    assert_eq!(d.len(), 3, "{d:?}");
    assert!(d.iter().all(|d| d.code == Code::E0205), "{d:?}");
    let tls = d.iter().find(|d| d.message.contains("tls12")).unwrap();
    assert!(!tls.fixes.is_empty(), "did you mean `tls1_2`?");
}

#[test]
fn returns_on_a_one_way_flow_makes_the_response_direction() {
    let m = clean(
        "flow fetch: portal -> api \"Fetch a record\" { protocol: https, carries: [query, token], returns: [record], encrypted: true, authenticated: true, tls_version: tls1_2 }\n\
         threat t { stride: tampering, targets: [fetch.reverse], exploitability: low }\n",
    );
    let fetch = flow(&m, "fetch");
    let response_id = m.find_flow("fetch.reverse").unwrap();
    assert_eq!(fetch.reverse, Some(response_id));
    assert!(!fetch.is_response);
    let data = |f: &Flow| -> Vec<&str> {
        f.carries
            .iter()
            .map(|d| m.datum(*d).meta.name.as_str())
            .collect()
    };
    assert_eq!(data(fetch), ["query", "token"]);
    let response = m.flow(response_id);
    assert!(response.is_response);
    assert_eq!(
        data(response),
        ["record"],
        "the response carries `returns` only"
    );
    assert_eq!(
        (response.source, response.target),
        (fetch.target, fetch.source)
    );
    assert_eq!(response.reverse_of, Some(m.find_flow("fetch").unwrap()));
    // Same protocol and protections.
    assert_eq!(response.protocol, "https");
    assert!(response.encrypted && response.authenticated);
    assert_eq!(response.tls_version, Some(TlsVersion::Tls1_2));
    assert_eq!(
        m.threats[0].targets,
        [Target::Flow(response_id)],
        "`fetch.reverse` resolves to the response"
    );
}

#[test]
fn returns_on_a_two_way_flow_replaces_the_reverse_data() {
    let m = clean(
        "flow sync: portal <-> api { carries: [query], returns: [record] }\n\
         flow mirror: portal <-> api { carries: [query] }\n",
    );
    let reverse = flow(&m, "sync.reverse");
    assert!(reverse.is_response);
    assert_eq!(reverse.carries, [m.find_data("record").unwrap()]);
    assert_eq!(flow(&m, "sync").carries, [m.find_data("query").unwrap()]);
    let mirror = flow(&m, "mirror.reverse");
    assert!(!mirror.is_response, "a plain `<->` is no request/response");
    assert_eq!(mirror.carries, [m.find_data("query").unwrap()]);
}

#[test]
fn empty_returns_is_a_response_without_data() {
    let m = clean("flow ping: portal -> api { carries: [query], returns: [] }\n");
    let pong = flow(&m, "ping.reverse");
    assert!(pong.is_response && pong.carries.is_empty());
}

#[test]
fn reverse_of_a_one_way_flow_without_returns_is_still_an_error() {
    assert_eq!(
        codes(
            "flow f: portal -> api { carries: [query] }\n\
             threat t { stride: tampering, targets: [f.reverse], exploitability: low }\n"
        ),
        [Code::E0114]
    );
}

#[test]
fn returns_names_data_only() {
    let compiled = compile("flow f: portal -> api { returns: [api] }\n");
    assert_eq!(
        compiled
            .diagnostics
            .iter()
            .map(|d| d.code)
            .collect::<Vec<_>>(),
        [Code::E0112]
    );
    let m = &compiled.model;
    assert!(m.flow(m.find_flow("f.reverse").unwrap()).carries.is_empty());
}

fn rule_when(when: &str) -> Result<TypedExpr, Vec<Code>> {
    let compiled = compile(&format!(
        "rule r \"R {{id}}\" {{\n  stride: spoofing\n  applies_to: flow\n  exploitability: high\n  when: {when}\n}}\n"
    ));
    if compiled.diagnostics.is_empty() {
        Ok(compiled.model.rules[0].when.clone())
    } else {
        Err(compiled.diagnostics.iter().map(|d| d.code).collect())
    }
}

#[test]
fn when_attributes_are_typed() {
    let literal = |when: &str| match rule_when(when) {
        Ok(TypedExpr::Compare { right, .. }) => match *right {
            TypedExpr::Literal { value } => value,
            other => panic!("{other:?}"),
        },
        other => panic!("{when}: {other:?}"),
    };
    assert_eq!(literal("auth == mfa"), Literal::Auth(Some(AuthMethod::Mfa)));
    assert_eq!(literal("auth == unspecified"), Literal::Auth(None));
    assert_eq!(
        literal("tls_version < tls1_2"),
        Literal::TlsVersion(Some(TlsVersion::Tls1_2))
    );
    assert_eq!(
        literal("tls_version == unspecified"),
        Literal::TlsVersion(None)
    );
    assert_eq!(
        literal("identity == service"),
        Literal::Identity(Some(CallerIdentity::Service))
    );
    assert_eq!(literal("identity != unspecified"), Literal::Identity(None));
    assert!(
        rule_when("auth in [password, token] and not server_authenticated and is_response").is_ok()
    );
    // Bad values and misuse are type errors.
    assert!(rule_when("auth == mtls").is_err());
    assert!(
        rule_when("identity < service").is_err(),
        "identity is not ordered"
    );
    assert!(rule_when("is_response == mfa").is_err());
}

#[test]
fn the_formatter_keeps_every_flow_property() {
    let flows = "flow fetch:portal->api \"Fetch\" { protocol: https, carries: [query],   returns: [record], auth: mutual_tls, server_authenticated: true, tls_version: tls1_3, identity: service, encrypted: true }\n";
    let text = format!("{BASE}{flows}");
    let formatted =
        ward_syntax::format(&text, ward_diagnostics::FileId(0)).expect("the text parses");
    assert_ne!(formatted, text, "the one-line flow is laid out");
    assert_eq!(
        ward_syntax::format(&formatted, ward_diagnostics::FileId(0)).unwrap(),
        formatted,
        "formatting is idempotent"
    );
    let lowered = |text: &str| -> String {
        let compiled = compile_str("m.ward", text);
        assert!(
            compiled.diagnostics.is_empty(),
            "{:?}",
            compiled.diagnostics
        );
        let m = &compiled.model;
        m.flows
            .iter()
            .map(|f| {
                format!(
                    "{} {:?} {:?} {} {:?} {:?} {} {}",
                    f.meta.name,
                    f.carries,
                    f.auth,
                    f.server_authenticated,
                    f.tls_version,
                    f.identity,
                    f.encrypted,
                    f.is_response
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let before = lowered(&text);
    assert!(before.contains("fetch.reverse"), "{before}");
    assert_eq!(lowered(&formatted), before);
}
