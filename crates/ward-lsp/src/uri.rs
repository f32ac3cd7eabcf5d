//! `file://` URIs <-> paths. lsp-types 0.97 gives a bare URI type, so the
//! percent-encoding is done here (RFC 3986: every byte outside the unreserved
//! set and `/` is encoded; decoding accepts any `%XX`).

use lsp_types::Uri;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The path of a `file:` URI; `None` for other schemes (`untitled:`) or a
/// malformed one.
pub fn to_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let rest = text.strip_prefix("file://").or_else(|| {
        // `file:/path` (no authority) is also seen in the wild.
        text.strip_prefix("file:").filter(|r| r.starts_with('/'))
    })?;
    // Skip an authority (`file://localhost/...`).
    let path = if rest.starts_with('/') {
        rest
    } else {
        &rest[rest.find('/')?..]
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = percent_decode(path)?;
    let text = String::from_utf8(bytes).ok()?;
    Some(PathBuf::from(text))
}

/// The `file://` URI of an absolute path.
pub fn from_path(path: &Path) -> Uri {
    let text = path.to_string_lossy();
    let mut uri = String::from("file://");
    if !text.starts_with('/') {
        uri.push('/');
    }
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    Uri::from_str(&uri).unwrap_or_else(|_| Uri::from_str("file:///").expect("a valid URI"))
}

fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(text: &str) -> Uri {
        Uri::from_str(text).unwrap()
    }

    #[test]
    fn round_trip_with_escapes() {
        let path = Path::new("/tmp/my model/ä#1.ward");
        let u = from_path(path);
        assert_eq!(u.as_str(), "file:///tmp/my%20model/%C3%A4%231.ward");
        assert_eq!(to_path(&u).unwrap(), path);
    }

    #[test]
    fn accepts_authority_and_lowercase_escapes() {
        assert_eq!(
            to_path(&uri("file://localhost/a%2fb.ward")).unwrap(),
            Path::new("/a/b.ward")
        );
        assert_eq!(
            to_path(&uri("file:/x/y.ward")).unwrap(),
            Path::new("/x/y.ward")
        );
    }

    #[test]
    fn other_schemes_have_no_path() {
        assert_eq!(to_path(&uri("untitled:Untitled-1")), None);
    }
}
