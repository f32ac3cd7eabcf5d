//! Every kind of rejected vector: the kind, the byte range it points at, and
//! (in one snapshot) the messages and help lines as Ward shows them.

use std::ops::Range;

use ward_cvss::{parse, CvssErrorKind};

const VALID: &str = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";

/// Parses `vector`, expecting an error whose span covers `pointed_at`.
fn reject(vector: &str, pointed_at: &str) -> (CvssErrorKind, Range<usize>) {
    let err = parse(vector).expect_err(vector);
    let span = err.span();
    assert_eq!(
        &vector[span.clone()],
        pointed_at,
        "span of the error for {vector}: {err}"
    );
    (err.kind().clone(), span)
}

#[test]
fn empty_vector() {
    let (kind, span) = reject("", "");
    assert_eq!(kind, CvssErrorKind::Empty);
    assert_eq!(span, 0..0);
}

#[test]
fn missing_prefix() {
    let (kind, _) = reject("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "AV:N");
    assert_eq!(
        kind,
        CvssErrorKind::MissingPrefix {
            found: "AV:N".into()
        }
    );
    let (kind, _) = reject("cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "cvss:3.1");
    assert_eq!(
        kind,
        CvssErrorKind::MissingPrefix {
            found: "cvss:3.1".into()
        }
    );
    let (kind, _) = reject(" CVSS:3.1/AV:N", " CVSS:3.1");
    assert_eq!(
        kind,
        CvssErrorKind::MissingPrefix {
            found: " CVSS:3.1".into()
        }
    );
    let (kind, _) = reject("CVSS:/AV:N", "CVSS:");
    assert_eq!(
        kind,
        CvssErrorKind::MissingPrefix {
            found: "CVSS:".into()
        }
    );
}

#[test]
fn unsupported_version() {
    for version in ["4.0", "2.0", "3.2", "3"] {
        let vector = format!("CVSS:{version}/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
        let (kind, span) = reject(&vector, version);
        assert_eq!(
            kind,
            CvssErrorKind::UnsupportedVersion {
                version: version.into()
            }
        );
        assert_eq!(span.start, 5);
    }
}

#[test]
fn empty_part() {
    let (kind, span) = reject("CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "/");
    assert_eq!(kind, CvssErrorKind::EmptyPart);
    assert_eq!(span, 13..14);
    let trailing = format!("{VALID}/");
    let (kind, span) = reject(&trailing, "/");
    assert_eq!(kind, CvssErrorKind::EmptyPart);
    assert_eq!(span, VALID.len()..VALID.len() + 1);
    let (kind, span) = reject("CVSS:3.0/", "/");
    assert_eq!(kind, CvssErrorKind::EmptyPart);
    assert_eq!(span, 8..9);
}

#[test]
fn malformed_part() {
    for part in ["AVN", "AV:N:L", ":N", "AV=N"] {
        let vector = VALID.replace("AV:N", part);
        let (kind, _) = reject(&vector, part);
        assert_eq!(kind, CvssErrorKind::MalformedPart { part: part.into() });
    }
}

#[test]
fn unknown_metric() {
    for name in ["AT", "av", "VC", "SA", "MAT", "X"] {
        let vector = format!("{VALID}/{name}:N");
        let (kind, span) = reject(&vector, name);
        assert_eq!(kind, CvssErrorKind::UnknownMetric { name: name.into() });
        assert_eq!(span.start, VALID.len() + 1);
    }
}

#[test]
fn invalid_value_of_a_base_metric() {
    let (kind, span) = reject("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "Q");
    assert_eq!(
        kind,
        CvssErrorKind::InvalidValue {
            metric: "AV",
            value: "Q".into()
        }
    );
    assert_eq!(span, 12..13);
    // Base metrics have no "Not Defined" value.
    let (kind, _) = reject("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:X/C:H/I:H/A:H", "X");
    assert_eq!(
        kind,
        CvssErrorKind::InvalidValue {
            metric: "S",
            value: "X".into()
        }
    );
    // Values are case-sensitive.
    let (kind, _) = reject("CVSS:3.1/AV:N/AC:L/PR:n/UI:N/S:U/C:H/I:H/A:H", "n");
    assert_eq!(
        kind,
        CvssErrorKind::InvalidValue {
            metric: "PR",
            value: "n".into()
        }
    );
    // A whole word is not a value either.
    let (kind, _) = reject(
        "CVSS:3.1/AV:Network/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "Network",
    );
    assert_eq!(
        kind,
        CvssErrorKind::InvalidValue {
            metric: "AV",
            value: "Network".into()
        }
    );
}

#[test]
fn missing_value_points_just_after_the_colon() {
    let (kind, span) = reject("CVSS:3.1/AV:N/AC:/PR:N/UI:N/S:U/C:H/I:H/A:H", "");
    assert_eq!(
        kind,
        CvssErrorKind::InvalidValue {
            metric: "AC",
            value: String::new()
        }
    );
    assert_eq!(span, 17..17);
}

#[test]
fn invalid_value_of_a_temporal_or_environmental_metric() {
    for (part, metric, value) in [
        ("E:Z", "E", "Z"),
        ("RL:N", "RL", "N"),
        ("RC:H", "RC", "H"),
        ("CR:N", "CR", "N"),
        ("MAV:Q", "MAV", "Q"),
        ("MPR:R", "MPR", "R"),
        ("MS:N", "MS", "N"),
        ("MA:M", "MA", "M"),
    ] {
        let vector = format!("{VALID}/{part}");
        let (kind, span) = reject(&vector, value);
        assert_eq!(
            kind,
            CvssErrorKind::InvalidValue {
                metric,
                value: value.into()
            }
        );
        assert_eq!(span.end, vector.len());
    }
}

#[test]
fn duplicate_metric_points_at_the_repeat_and_remembers_the_first() {
    let vector = format!("{VALID}/AV:L");
    let (kind, span) = reject(&vector, "AV:L");
    assert_eq!(
        kind,
        CvssErrorKind::DuplicateMetric {
            metric: "AV",
            first: 9..13
        }
    );
    assert_eq!(span.start, VALID.len() + 1);
    // The same value twice is still a duplicate.
    let vector = format!("{VALID}/E:P/RL:O/E:P");
    let (kind, _) = reject(&vector, "E:P");
    let first = VALID.len() + 1..VALID.len() + 4;
    assert_eq!(kind, CvssErrorKind::DuplicateMetric { metric: "E", first });
    // `X` counts as giving the metric.
    let vector = format!("{VALID}/RC:X/RC:C");
    let (kind, _) = reject(&vector, "RC:C");
    assert!(matches!(
        kind,
        CvssErrorKind::DuplicateMetric { metric: "RC", .. }
    ));
}

#[test]
fn missing_base_metrics_are_listed_in_canonical_order() {
    let vector = "CVSS:3.1/AV:N/AC:L/PR:N/S:U/C:H/I:H/A:H";
    let (kind, span) = reject(vector, vector);
    assert_eq!(
        kind,
        CvssErrorKind::MissingMetrics {
            metrics: vec!["UI"]
        }
    );
    assert_eq!(span, 0..vector.len());
    let vector = "CVSS:3.0/A:H/C:H/E:P";
    let (kind, _) = reject(vector, vector);
    assert_eq!(
        kind,
        CvssErrorKind::MissingMetrics {
            metrics: vec!["AV", "AC", "PR", "UI", "S", "I"]
        }
    );
    let vector = "CVSS:3.1";
    let (kind, _) = reject(vector, vector);
    assert_eq!(
        kind,
        CvssErrorKind::MissingMetrics {
            metrics: vec!["AV", "AC", "PR", "UI", "S", "C", "I", "A"]
        }
    );
}

#[test]
fn the_first_problem_from_the_left_is_reported_before_missing_metrics() {
    let (kind, _) = reject("CVSS:3.1/AV:N/ZZ:Q/AC:Q", "ZZ");
    assert_eq!(kind, CvssErrorKind::UnknownMetric { name: "ZZ".into() });
}

/// Mangled vectors never panic, and their spans always lie on character
/// boundaries within the vector.
#[test]
fn mangled_vectors_give_errors_with_valid_spans() {
    let extended = format!("{VALID}/E:P/MAV:N");
    let mut mangled = Vec::new();
    for (at, _) in extended.char_indices() {
        let mut cut = extended.clone();
        cut.remove(at);
        mangled.push(cut);
        for insert in ['/', ':', 'X', 'é', ' '] {
            let mut grown = extended.clone();
            grown.insert(at, insert);
            mangled.push(grown);
        }
        mangled.push(extended[..at].to_string());
    }
    for vector in &mangled {
        if let Err(err) = parse(vector) {
            let span = err.span();
            assert!(
                span.start <= span.end && span.end <= vector.len(),
                "{vector}: {span:?}"
            );
            assert!(vector.is_char_boundary(span.start) && vector.is_char_boundary(span.end));
            assert!(!err.to_string().is_empty() && !err.help().is_empty());
        }
    }
}

/// The messages and help lines, shown under the part they point at.
#[test]
fn messages_and_help() {
    let vectors = [
        "",
        "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
        "CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/",
        "CVSS:3.1/AVN/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:3.1/av:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:3.1/AV:N/AC:L/AT:N/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:N",
        "CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:Z",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:L",
        "CVSS:3.1/AV:N/AC:L/PR:N/S:U/C:H/I:H/A:H",
        "CVSS:3.0/AV:N/C:H",
    ];
    let mut shown = String::new();
    for vector in vectors {
        let err = parse(vector).unwrap_err();
        let span = err.span();
        let carets = "^".repeat((span.end - span.start).max(1));
        shown.push_str(&format!(
            "{vector}\n{}{carets}\nerror: {err}\nhelp: {}\n\n",
            " ".repeat(span.start),
            err.help()
        ));
    }
    insta::assert_snapshot!(shown);
}
