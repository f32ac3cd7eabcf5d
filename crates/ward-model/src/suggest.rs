//! Did-you-mean suggestions, and the fix that applies one.

use ward_diagnostics::{Applicability, Edit, Fix, Span};

/// The longest name (in bytes) that is compared for suggestions.
pub const MAX_SUGGEST_LEN: usize = 256;

/// The candidate closest to `word`, if close enough to be a likely typo:
/// Levenshtein distance at most 2 (at most 1 for words of up to 3
/// characters), or a Jaro-Winkler similarity of at least 0.88. Ties go to
/// the earlier candidate. Names longer than [`MAX_SUGGEST_LEN`] bytes get
/// no suggestion: comparing costs the product of the two lengths.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    suggest(word, candidates).map(|s| s.name)
}

/// A did-you-mean candidate and how sure it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Suggestion<'a> {
    pub name: &'a str,
    /// Within the edit distance limit, and no other candidate as few edits
    /// away: replacing the word by it is a [`Applicability::Safe`] fix.
    pub unique: bool,
}

impl Suggestion<'_> {
    /// The fix that replaces the misspelt word at `span` by the candidate.
    pub fn fix(&self, word: &str, span: Span) -> Fix {
        let applicability = if self.unique {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        };
        Fix::new(
            format!("Replace `{word}` with `{}`", self.name),
            applicability,
            vec![Edit::replace(span, self.name)],
        )
    }
}

/// Words a user writes for a value of the language that no edit distance
/// finds: the usual abbreviations and synonyms. One is suggested only when
/// its value is among the candidates (so `medium` means `moderate` on the
/// exploitability scale, and is itself a confidentiality level), and then as
/// surely as a one-letter typo.
const SYNONYMS: &[(&str, &str)] = &[
    // STRIDE categories.
    ("spoof", "spoofing"),
    ("impersonation", "spoofing"),
    ("tamper", "tampering"),
    ("repudiate", "repudiation"),
    ("info_disclosure", "information_disclosure"),
    ("disclosure", "information_disclosure"),
    ("info_leak", "information_disclosure"),
    ("dos", "denial_of_service"),
    ("ddos", "denial_of_service"),
    ("denial", "denial_of_service"),
    ("elevation", "elevation_of_privilege"),
    ("eop", "elevation_of_privilege"),
    ("privilege_escalation", "elevation_of_privilege"),
    // FDA control categories.
    ("authn", "authentication"),
    ("authz", "authorization"),
    ("access_control", "authorization"),
    ("encryption", "cryptography"),
    ("crypto", "cryptography"),
    ("logging", "event_detection"),
    ("detection", "event_detection"),
    ("monitoring", "event_detection"),
    ("resilience", "resiliency"),
    ("availability", "resiliency"),
    ("updates", "updatability"),
    ("patching", "updatability"),
    // Levels: the exploitability scale says `moderate`, the
    // confidentiality/integrity/availability scale `medium`.
    ("medium", "moderate"),
    ("moderate", "medium"),
    ("severe", "serious"),
    // Component and actor kinds.
    ("database", "datastore"),
    ("db", "datastore"),
    ("app", "mobile_app"),
    ("cloud", "cloud_service"),
    ("user", "human"),
    ("person", "human"),
    // Verification results and control status.
    ("passed", "pass"),
    ("failed", "fail"),
    ("planned", "proposed"),
];

/// The value of the language `word` is a synonym of, if any.
fn synonym_of(word: &str) -> Option<&'static str> {
    SYNONYMS
        .iter()
        .find(|(synonym, _)| synonym.eq_ignore_ascii_case(word))
        .map(|(_, value)| *value)
}

/// [`did_you_mean`], telling whether the candidate is the only closest one.
pub(crate) fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<Suggestion<'a>> {
    closest(word, candidates, true)
}

/// [`suggest`], with or without the [`cannot_match`] shortcut.
fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    shortcut: bool,
) -> Option<Suggestion<'a>> {
    if word.len() > MAX_SUGGEST_LEN {
        return None;
    }
    let limit = if word.chars().count() <= 3 { 1 } else { 2 };
    let synonym = synonym_of(word);
    let mut best: Option<(&'a str, usize, f64)> = None;
    // Candidates at the best distance so far (counted once per name).
    let mut as_close = 0;
    for candidate in candidates {
        if candidate == word || candidate.len() > MAX_SUGGEST_LEN {
            continue;
        }
        if synonym == Some(candidate) {
            return Some(Suggestion {
                name: candidate,
                unique: true,
            });
        }
        // Many unknown names against many declared ones: most pairs are
        // ruled out here in linear time.
        if shortcut && cannot_match(word, candidate, limit) {
            continue;
        }
        let distance = strsim::levenshtein(word, candidate);
        let similarity = strsim::jaro_winkler(word, candidate);
        if distance > limit && similarity < 0.88 {
            continue;
        }
        match best {
            Some((name, d, _)) if distance > d || (distance == d && name == candidate) => {}
            Some((_, d, _)) if distance == d => as_close += 1,
            _ => as_close = 0,
        }
        let better = match best {
            None => true,
            Some((_, d, s)) => distance < d || (distance == d && similarity > s),
        };
        if better {
            best = Some((candidate, distance, similarity));
        }
    }
    best.map(|(name, distance, _)| Suggestion {
        name,
        unique: distance <= limit && as_close == 0,
    })
}

/// Whether `candidate` is certainly neither within `limit` edits of `word`
/// nor Jaro-Winkler-similar to it, judged from the letters they share
/// (ASCII names only; others are always compared in full). Exact bounds:
/// the Levenshtein distance is at least the larger multiset difference of
/// their letters, and the Jaro similarity at most
/// `(s/|a| + s/|b| + 1) / 3` for `s` shared letters, raised by the common
/// prefix (at most 4) as Jaro-Winkler does.
fn cannot_match(word: &str, candidate: &str, limit: usize) -> bool {
    if !word.is_ascii() || !candidate.is_ascii() {
        return false;
    }
    let mut counts = [0u16; 128];
    for b in word.bytes() {
        counts[b as usize] = counts[b as usize].saturating_add(1);
    }
    let mut shared = 0;
    for b in candidate.bytes() {
        let count = &mut counts[b as usize];
        if *count > 0 {
            *count -= 1;
            shared += 1;
        }
    }
    let only_word = word.len() - shared;
    let only_candidate = candidate.len() - shared;
    if only_word.max(only_candidate) <= limit {
        return false;
    }
    if shared == 0 {
        return true;
    }
    let (s, a, b) = (shared as f64, word.len() as f64, candidate.len() as f64);
    let jaro = (s / a + s / b + 1.0) / 3.0;
    let prefix = word
        .bytes()
        .zip(candidate.bytes())
        .take(4)
        .take_while(|(x, y)| x == y)
        .count() as f64;
    let similarity = jaro + 0.1 * prefix * (1.0 - jaro);
    // A margin for rounding: when in doubt, compare in full.
    similarity < 0.88 - 1e-9
}

#[cfg(test)]
mod tests {
    use super::{did_you_mean, suggest};

    #[test]
    fn suggests_close_words_only() {
        let words = ["protocol", "carries", "authenticated", "encrypted"];
        assert_eq!(did_you_mean("protocl", words), Some("protocol"));
        assert_eq!(did_you_mean("authenticate", words), Some("authenticated"));
        assert_eq!(did_you_mean("zzz", words), None);
        assert_eq!(did_you_mean("ab", ["abc", "xy"]), Some("abc"));
    }

    #[test]
    fn synonyms_come_before_edit_distance_and_only_among_the_candidates() {
        let stride = [
            "spoofing",
            "tampering",
            "repudiation",
            "information_disclosure",
            "denial_of_service",
            "elevation_of_privilege",
        ];
        let sure = |word, words: &[&'static str]| {
            suggest(word, words.iter().copied()).map(|s| (s.name, s.unique))
        };
        assert_eq!(sure("dos", &stride), Some(("denial_of_service", true)));
        assert_eq!(sure("DoS", &stride), Some(("denial_of_service", true)));
        assert_eq!(sure("spoof", &stride), Some(("spoofing", true)));
        assert_eq!(
            sure("info_disclosure", &stride),
            Some(("information_disclosure", true))
        );
        assert_eq!(
            sure("elevation", &stride),
            Some(("elevation_of_privilege", true))
        );
        let categories = [
            "authentication",
            "authorization",
            "cryptography",
            "integrity",
        ];
        assert_eq!(
            sure("encryption", &categories),
            Some(("cryptography", true))
        );
        assert_eq!(sure("authn", &categories), Some(("authentication", true)));
        assert_eq!(sure("authz", &categories), Some(("authorization", true)));
        let exploitability = ["very_low", "low", "moderate", "high", "very_high"];
        assert_eq!(sure("medium", &exploitability), Some(("moderate", true)));
        let cia = ["none", "low", "medium", "high"];
        assert_eq!(sure("moderate", &cia), Some(("medium", true)));
        // A synonym whose value is not a candidate suggests nothing by itself.
        assert_eq!(sure("dos", &categories), None);
    }

    #[test]
    fn a_suggestion_is_unique_only_without_an_equally_close_rival() {
        let unique = |word, words: &[&'static str]| suggest(word, words.iter().copied());
        let one = unique("pump_dose", &["pump_doses", "alarm", "pump_dose_log"]).unwrap();
        assert_eq!((one.name, one.unique), ("pump_doses", true));
        // Two candidates one edit away: a guess between them.
        let two = unique("dose_c", &["dose_a", "dose_b"]).unwrap();
        assert_eq!((two.name, two.unique), ("dose_a", false));
        // The same name declared twice is still one candidate.
        let again = unique("dose_c", &["dose_a", "dose_a"]).unwrap();
        assert!(again.unique);
        // Similar by Jaro-Winkler only, not within the edit limit: a guess.
        let far = unique("authentication", &["authenticated"]).unwrap();
        assert_eq!((far.name, far.unique), ("authenticated", false));
    }

    #[test]
    fn the_shortcut_never_changes_a_suggestion() {
        // 1,500 pseudo-random names against 200 of them over a small alphabet
        // (many near misses), with and without the shortcut.
        let mut state = 0x2545_f491_u32;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state
        };
        let alphabet = b"ab_1xA";
        let names: Vec<String> = (0..1_500)
            .map(|_| {
                let len = 1 + next() as usize % 9;
                (0..len)
                    .map(|_| alphabet[next() as usize % alphabet.len()] as char)
                    .collect()
            })
            .collect();
        let candidates: Vec<&str> = names[..200].iter().map(String::as_str).collect();
        for word in &names {
            assert_eq!(
                super::closest(word, candidates.iter().copied(), true),
                super::closest(word, candidates.iter().copied(), false),
                "{word}"
            );
        }
    }

    #[test]
    fn very_long_names_are_not_compared() {
        // Found by tests/adversarial.rs: two 1 MB ids one edit apart took
        // hours (Levenshtein is quadratic in the lengths).
        let long = "x".repeat(1 << 20);
        let near = format!("{}y", &long[1..]);
        assert_eq!(did_you_mean(&near, [long.as_str()]), None);
        let limit = "x".repeat(super::MAX_SUGGEST_LEN);
        let typo = format!("{}y", &limit[1..]);
        assert_eq!(did_you_mean(&typo, [limit.as_str()]), Some(limit.as_str()));
    }
}
