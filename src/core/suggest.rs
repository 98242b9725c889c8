//! "Did you mean …?": the closest known name to a mistyped one.

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn closest<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::normalized_damerau_levenshtein(&word.to_lowercase(), &c.to_lowercase());
        let contains = !word.is_empty() && (c.contains(word) || word.contains(c));
        let score = if contains { score.max(0.7) } else { score };
        if score >= 0.5 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggests_transpositions_and_near_names() {
        assert_eq!(closest("pionts", ["code", "points", "parent"]), Some("points".into()));
        assert_eq!(
            closest("经济发展", ["经济发展类", "社会民生类"]),
            Some("经济发展类".into())
        );
        assert_eq!(closest("zzzzzz", ["code", "points"]), None);
    }
}
