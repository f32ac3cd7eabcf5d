//! Did-you-mean suggestions.

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
    if word.len() > MAX_SUGGEST_LEN {
        return None;
    }
    let limit = if word.chars().count() <= 3 { 1 } else { 2 };
    let mut best: Option<(&'a str, usize, f64)> = None;
    for candidate in candidates {
        if candidate == word || candidate.len() > MAX_SUGGEST_LEN {
            continue;
        }
        let distance = strsim::levenshtein(word, candidate);
        let similarity = strsim::jaro_winkler(word, candidate);
        if distance > limit && similarity < 0.88 {
            continue;
        }
        let better = match best {
            None => true,
            Some((_, d, s)) => distance < d || (distance == d && similarity > s),
        };
        if better {
            best = Some((candidate, distance, similarity));
        }
    }
    best.map(|(c, _, _)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_close_words_only() {
        let words = ["protocol", "carries", "authenticated", "encrypted"];
        assert_eq!(did_you_mean("protocl", words), Some("protocol"));
        assert_eq!(did_you_mean("authenticate", words), Some("authenticated"));
        assert_eq!(did_you_mean("zzz", words), None);
        assert_eq!(did_you_mean("ab", ["abc", "xy"]), Some("abc"));
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
