//! "Did you mean …?": the closest known name to a mistyped one.

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn closest<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let len = |s: &str| s.chars().count();
    let mut best: Option<(f64, usize, &str)> = None;
    for c in candidates {
        let score = strsim::normalized_damerau_levenshtein(&word.to_lowercase(), &c.to_lowercase());
        // One name inside the other ("经济发展" in "经济发展类") is a likely match too.
        let contains = len(word).min(len(c)) >= 2 && (c.contains(word) || word.contains(c));
        let score = if contains { score.max(0.7) } else { score };
        let gap = len(word).abs_diff(len(c));
        let better = best.is_none_or(|(s, g, _)| score > s || (score == s && gap < g));
        if score >= 0.5 && better {
            best = Some((score, gap, c));
        }
    }
    best.map(|(_, _, c)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggests_transpositions_and_near_names() {
        assert_eq!(closest("pionts", ["code", "points", "parent"]), Some("points".into()));
        assert_eq!(closest("经济发展", ["经济发展类", "社会民生类"]), Some("经济发展类".into()));
        assert_eq!(closest("zzzzzz", ["code", "points"]), None);
        assert_eq!(closest("E9", ["E", "E1", "E2"]), Some("E1".into()));
    }
}
