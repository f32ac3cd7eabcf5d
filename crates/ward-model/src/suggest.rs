//! Did-you-mean suggestions.

/// The candidate closest to `word`, if close enough to be a likely typo:
/// Levenshtein distance at most 2 (at most 1 for words of up to 3
/// characters), or a Jaro-Winkler similarity of at least 0.88. Ties go to
/// the earlier candidate.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = if word.chars().count() <= 3 { 1 } else { 2 };
    let mut best: Option<(&'a str, usize, f64)> = None;
    for candidate in candidates {
        if candidate == word {
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
}
