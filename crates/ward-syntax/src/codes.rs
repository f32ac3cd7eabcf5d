//! The syntax diagnostic codes; each has its page in `docs/diagnostics/`.

use ward_diagnostics::Code;

/// Whether `code` is a syntax code (the range E0001-E0099).
pub fn is_syntax(code: Code) -> bool {
    code.is_syntax() && code.severity() == ward_diagnostics::Severity::Error
}

/// A token the grammar does not allow there.
pub const SYNTAX: Code = Code::E0001;
/// A string with no closing quote.
pub const UNTERMINATED_STRING: Code = Code::E0002;
/// A block `{` with no matching `}`.
pub const UNCLOSED_BLOCK: Code = Code::E0003;
/// A reserved word where an id is declared or referenced.
pub const RESERVED_ID: Code = Code::E0004;
/// A bad escape sequence in a string.
pub const INVALID_ESCAPE: Code = Code::E0005;
/// Nesting deeper than the parser accepts.
pub const TOO_DEEP: Code = Code::E0006;
/// A `/*` comment with no matching `*/`.
pub const UNCLOSED_COMMENT: Code = Code::E0007;
/// Two properties on one line without a comma.
pub const MISSING_COMMA: Code = Code::E0008;
/// Top-level text that starts no declaration.
pub const EXPECTED_DECLARATION: Code = Code::E0009;
/// `a < b < c`.
pub const CHAINED_COMPARISON: Code = Code::E0010;
/// A `when` expression over several lines without parentheses.
pub const MULTILINE_WHEN: Code = Code::E0011;
/// A bidirectional-override or zero-width character in code (Trojan Source).
pub const INVISIBLE_IN_CODE: Code = Code::E0012;
/// A bidirectional-override or zero-width character in a string.
pub const INVISIBLE_IN_STRING: Code = Code::W0012;
/// A bidirectional-override or zero-width character in a comment.
pub const INVISIBLE_IN_COMMENT: Code = Code::W0013;
