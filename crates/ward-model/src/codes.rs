//! The semantic model's diagnostic codes; each has its page in
//! `docs/diagnostics/CODE.md`.

use ward_diagnostics::Code;

// Loading
/// A file that cannot be read, or is not UTF-8.
pub const UNREADABLE_FILE: Code = Code::E0101;
/// `Ward.toml` that is not valid, or an invalid glob in it.
pub const BAD_MANIFEST: Code = Code::E0102;
/// `use` of an unknown module path.
pub const UNKNOWN_MODULE: Code = Code::E0103;
/// `use` (or a `Ward.toml` entry) naming a missing file.
pub const USE_MISSING: Code = Code::E0104;
/// A model folder with too many entries to list.
pub const FOLDER_TOO_LARGE: Code = Code::E0108;
/// `use`, a `Ward.toml` `files` entry or a `[build]` path outside the model root.
pub const USE_OUTSIDE_ROOT: Code = Code::E0105;
/// `use` of a file that is not `.ward`.
pub const USE_NOT_WARD: Code = Code::E0106;
/// `use` that closes an import cycle.
pub const USE_CYCLE: Code = Code::E0107;
/// A `.ward` file whose path is not UTF-8.
pub const NON_UTF8_NAME: Code = Code::E0121;
/// A source file over `MAX_SOURCE_BYTES`.
pub const FILE_TOO_LARGE: Code = Code::E0122;
/// A `Ward.toml` glob that matches no file.
pub const EMPTY_PATTERN: Code = Code::W0101;

// SBOM import (`sbom:` of a component)
/// An SBOM file that is missing, outside the model root or not a file.
pub const SBOM_UNREADABLE: Code = Code::E0130;
/// An SBOM file that is not valid JSON (truncated, a syntax error).
pub const SBOM_SYNTAX: Code = Code::E0131;
/// An SBOM whose content does not match its format.
pub const SBOM_SHAPE: Code = Code::E0132;
/// An SBOM at a spec version Ward does not read.
pub const SBOM_VERSION: Code = Code::E0133;
/// Two entries of an SBOM with the same `bom-ref` or `SPDXID`.
pub const SBOM_DUPLICATE_REF: Code = Code::E0134;
/// An imported package whose id another software already has.
pub const SBOM_ID_TAKEN: Code = Code::E0135;
/// An SBOM over the size or package limit.
pub const SBOM_TOO_LARGE: Code = Code::E0136;
/// An SBOM dependency naming no entry of the document.
pub const SBOM_DANGLING_REF: Code = Code::W0230;
/// An SBOM dependency that closes a cycle (cut).
pub const SBOM_DEPENDENCY_CYCLE: Code = Code::W0231;
/// A `ward:support` or `ward:end_of_support` value Ward does not read.
pub const SBOM_SUPPORT_VALUE: Code = Code::W0232;
/// An imported package with neither purl nor CPE.
pub const SBOM_NO_IDENTIFIER: Code = Code::W0233;

// Names
/// An id declared twice.
pub const DUPLICATE_ID: Code = Code::E0110;
/// A reference to an id that is not declared.
pub const UNKNOWN_ID: Code = Code::E0111;
/// A reference to an id of the wrong kind.
pub const WRONG_KIND: Code = Code::E0112;
/// A reserved word used as a reference.
pub const RESERVED_REFERENCE: Code = Code::E0113;
/// `.reverse` after something that is not a `<->` flow.
pub const BAD_REVERSE: Code = Code::E0114;
/// A model without a `system`.
pub const NO_SYSTEM: Code = Code::E0115;
/// A second `system`.
pub const SECOND_SYSTEM: Code = Code::E0116;
/// Zones nested in a cycle.
pub const ZONE_CYCLE: Code = Code::E0117;
/// A cycle in `software`'s `depends_on`.
pub const SOFTWARE_CYCLE: Code = Code::E0123;
/// A vulnerability's `justification` with a status other than `not_affected`.
pub const JUSTIFICATION_WITHOUT_NOT_AFFECTED: Code = Code::E0140;
/// Two vulnerability records of one advisory id.
pub const DUPLICATE_ADVISORY: Code = Code::E0141;
/// A vulnerability feed that cannot be read (missing, outside the root,
/// too large, a bad pattern).
pub const FEED_UNREADABLE: Code = Code::E0142;
/// A vulnerability feed that is not valid JSON.
pub const FEED_SYNTAX: Code = Code::E0143;
/// A vulnerability feed that does not match its format (OSV or KEV).
pub const FEED_SHAPE: Code = Code::E0144;
/// An id listed twice in one vulnerability feed.
pub const FEED_DUPLICATE_ID: Code = Code::E0145;
/// A second `monitoring` declaration.
pub const SECOND_MONITORING: Code = Code::E0150;
/// A VEX file of `Ward.toml` that cannot be read.
pub const VEX_UNREADABLE: Code = Code::E0152;
/// A VEX file that is not valid JSON.
pub const VEX_SYNTAX: Code = Code::E0153;
/// A VEX file that does not match CSAF VEX or CycloneDX VEX.
pub const VEX_SHAPE: Code = Code::E0154;
/// A VEX file of a version Ward does not read.
pub const VEX_VERSION: Code = Code::E0155;
/// An id given twice in a VEX file.
pub const VEX_DUPLICATE: Code = Code::E0156;
/// A VEX file over Ward's limits.
pub const VEX_TOO_LARGE: Code = Code::E0157;
/// `out_of_scope` with an empty reason.
pub const EMPTY_OUT_OF_SCOPE: Code = Code::E0160;
/// A hand-written threat that targets an out-of-scope element or flow.
pub const THREAT_OUT_OF_SCOPE: Code = Code::W0160;
/// A flow's `authenticated` that contradicts its `auth`.
pub const AUTH_CONTRADICTION: Code = Code::E0170;
/// `server_authenticated: false` on a mutual TLS flow.
pub const MUTUAL_TLS_SERVER_UNAUTHENTICATED: Code = Code::E0171;
/// `tls_version` on a flow that is not `encrypted`.
pub const TLS_VERSION_UNENCRYPTED: Code = Code::W0170;
/// `auth: mutual_tls` on a flow that is not `encrypted`.
pub const MUTUAL_TLS_UNENCRYPTED: Code = Code::W0171;
/// `runs_on` naming something that is not a `runtime` component.
pub const RUNS_ON_NOT_RUNTIME: Code = Code::E0180;
/// `runs_on` naming the component itself.
pub const RUNS_ON_ITSELF: Code = Code::E0181;
/// A data item both in `stores` and in `processes`.
pub const STORED_AND_PROCESSED: Code = Code::W0180;
/// A component or actor without `in`.
pub const MISSING_PARENT: Code = Code::E0118;
/// `in` on a declaration that does not take it.
pub const PARENT_NOT_ALLOWED: Code = Code::E0119;
/// `RULE@ELEMENT` where the element is not of the rule's `applies_to` kind.
pub const RULE_TARGET_KIND: Code = Code::E0120;

// Properties
pub const UNKNOWN_PROPERTY: Code = Code::E0201;
pub const MISSING_PROPERTY: Code = Code::E0202;
pub const REPEATED_PROPERTY: Code = Code::E0203;
/// A value of the wrong shape (string, list, identifier, number, ...).
pub const WRONG_SHAPE: Code = Code::E0204;
/// A value outside its closed set.
pub const BAD_ENUM_VALUE: Code = Code::E0205;
/// A level not on the policy's scale.
pub const UNKNOWN_LEVEL: Code = Code::E0206;
/// Both `exploitability` and `cvss`.
pub const BOTH_EXPLOITABILITY_AND_CVSS: Code = Code::E0207;
/// A threat with neither `exploitability` nor `cvss`.
pub const NO_EXPLOITABILITY: Code = Code::E0208;
/// An invalid CVSS vector.
pub const BAD_CVSS: Code = Code::E0209;
/// `cvss` under a policy without `cvss_exploitability_bands`.
pub const CVSS_WITHOUT_BANDS: Code = Code::E0210;
/// An `information_for_safety` control that reduces risk.
pub const INFORMATION_REDUCES: Code = Code::E0211;
/// A threat accepted twice.
pub const DUPLICATE_ACCEPT: Code = Code::E0212;
/// `accept` at level `unacceptable` without `benefit_risk`.
pub const MISSING_BENEFIT_RISK: Code = Code::E0213;
/// A number that must be a non-negative integer.
pub const BAD_INTEGER: Code = Code::E0214;
/// `use std::stride` with an exploitability scale not of five levels.
pub const STDLIB_SCALE: Code = Code::E0215;
/// A `date` that is not a calendar date `"YYYY-MM-DD"`.
pub const BAD_DATE: Code = Code::E0216;
/// Command, firmware, config or credential data at `integrity: none`.
pub const WEAK_INTEGRITY: Code = Code::W0201;
/// A control whose verifications are all inline items.
pub const INLINE_VERIFICATION_ONLY: Code = Code::W0202;
/// `renamed_from` names an id that is still declared.
pub const RENAMED_FROM_EXISTS: Code = Code::W0203;
/// A component's `software` item written as free text.
pub const FREE_TEXT_SOFTWARE: Code = Code::W0204;

// Policy shape
pub const EMPTY_SCALE: Code = Code::E0250;
pub const REPEATED_LEVEL: Code = Code::E0251;
pub const MISSING_ROW: Code = Code::E0252;
pub const UNKNOWN_ROW: Code = Code::E0253;
pub const REPEATED_ROW: Code = Code::E0254;
pub const ROW_LENGTH: Code = Code::E0255;
pub const BAD_SECURITY_IMPACT: Code = Code::E0256;
pub const BAD_BANDS: Code = Code::E0257;

// `when` and rule titles
pub const UNKNOWN_ATTRIBUTE: Code = Code::E0301;
pub const TYPE_MISMATCH: Code = Code::E0302;
pub const NOT_BOOLEAN: Code = Code::E0303;
pub const NOT_ORDERED: Code = Code::E0304;
pub const NOT_A_LIST: Code = Code::E0305;
pub const BAD_CALL: Code = Code::E0306;
pub const UNTYPED_LITERAL: Code = Code::E0307;
pub const UNKNOWN_PLACEHOLDER: Code = Code::E0310;
pub const BAD_BRACE: Code = Code::E0311;
