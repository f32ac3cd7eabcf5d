//! Version comparison for vulnerability ranges (docs/language.md §3.18).
//!
//! Versions are compared the way OSV's SEMVER and most ECOSYSTEM orderings
//! agree on. A leading `v` is dropped and build metadata after `+` is
//! ignored. What follows the first `-` is a pre-release, which sorts before
//! the release (`3.0.0-rc1 < 3.0.0`). The rest is cut into runs of digits
//! and runs of other characters (`.` and `_` separate runs): digit runs
//! compare as numbers, other runs as text, a number sorts after text
//! (`1.0.1 > 1.0.rc1`), and a version that extends another is later
//! (`1.1.1w > 1.1.1`, OpenSSL's letter releases).

use std::cmp::Ordering;

#[derive(Debug, PartialEq, Eq)]
enum Part<'a> {
    Number(u128),
    Text(&'a str),
}

/// The release and the pre-release (after the first `-`) of a version.
fn release_and_pre(version: &str) -> (&str, Option<&str>) {
    let v = version.trim();
    let v = v.strip_prefix(['v', 'V']).unwrap_or(v);
    let v = v.split('+').next().unwrap_or(v);
    match v.split_once('-') {
        Some((release, pre)) => (release, Some(pre)),
        None => (v, None),
    }
}

fn parts(text: &str) -> Vec<Part<'_>> {
    let mut out = Vec::new();
    for piece in text.split(['.', '-', '_']) {
        let bytes = piece.as_bytes();
        let mut start = 0;
        while start < bytes.len() {
            let digit = bytes[start].is_ascii_digit();
            let end = bytes[start..]
                .iter()
                .position(|b| b.is_ascii_digit() != digit)
                .map_or(bytes.len(), |n| start + n);
            let run = &piece[start..end];
            out.push(match digit {
                // Over 38 digits: compare as text rather than overflow.
                true => run.parse().map_or(Part::Text(run), Part::Number),
                false => Part::Text(run),
            });
            start = end;
        }
    }
    out
}

/// Orders two versions (see the module documentation).
pub fn compare(a: &str, b: &str) -> Ordering {
    let ((a_release, a_pre), (b_release, b_pre)) = (release_and_pre(a), release_and_pre(b));
    compare_parts(&parts(a_release), &parts(b_release)).then_with(|| match (a_pre, b_pre) {
        (None, None) => Ordering::Equal,
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (Some(a), Some(b)) => compare_parts(&parts(a), &parts(b)),
    })
}

fn compare_parts(a: &[Part<'_>], b: &[Part<'_>]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let order = match (x, y) {
            (Part::Number(x), Part::Number(y)) => x.cmp(y),
            (Part::Text(x), Part::Text(y)) => x.cmp(y),
            // A number sorts after text: `1.0.1 > 1.0.rc1`.
            (Part::Number(_), Part::Text(_)) => Ordering::Greater,
            (Part::Text(_), Part::Number(_)) => Ordering::Less,
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

#[cfg(test)]
mod tests {
    use super::compare;
    use std::cmp::Ordering::*;

    #[test]
    fn numbers_compare_as_numbers() {
        assert_eq!(compare("2.28.10", "2.28.9"), Greater);
        assert_eq!(compare("3.6.1", "3.6.1"), Equal);
        assert_eq!(compare("v3.6.0", "3.6.0"), Equal);
        assert_eq!(compare("1.24", "1.24.0"), Less);
        assert_eq!(compare("1.1.1w", "1.1.1"), Greater);
        assert_eq!(compare("1.1.1w", "1.1.1x"), Less);
    }

    #[test]
    fn pre_releases_sort_before_the_release() {
        assert_eq!(compare("3.0.0-rc1", "3.0.0"), Less);
        assert_eq!(compare("3.0.0", "3.0.0-beta"), Greater);
        assert_eq!(compare("3.0.0+build7", "3.0.0"), Equal);
        assert_eq!(compare("3.0.0-rc1", "3.0.0-rc2"), Less);
    }
}
