//! "Did you mean" suggestions by edit distance.

/// Levenshtein distance over chars, with an early exit once every entry of a
/// row exceeds `limit` (returns `limit + 1` then).
pub(crate) fn edit_distance(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        if let Some(c0) = cur.first_mut() {
            *c0 = i + 1;
        }
        let mut row_min = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            let v = sub.min(del).min(ins);
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = v;
            }
            row_min = row_min.min(v);
        }
        if row_min > limit {
            return limit + 1;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

/// Up to `max` candidates close to `target`, closest first (ties by name).
pub(crate) fn similar<'a>(
    target: &str,
    candidates: impl Iterator<Item = &'a str>,
    max: usize,
) -> Vec<&'a str> {
    let limit = (target.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .filter(|c| *c != target)
        .map(|c| (edit_distance(target, c, limit), c))
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    scored.into_iter().take(max).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting", 10), 3);
        assert_eq!(edit_distance("", "abc", 10), 3);
        assert_eq!(edit_distance("abc", "abc", 0), 0);
        assert_eq!(edit_distance("abcdef", "x", 2), 3);
    }

    #[test]
    fn suggestions_are_sorted_and_bounded() {
        let names = ["sysmon", "wmi", "sysmonx", "powershell", "symon"];
        let s = similar("sysmn", names.iter().copied(), 3);
        assert_eq!(s, ["sysmon", "symon", "sysmonx"]);
        assert!(similar("zzzzzzzz", names.iter().copied(), 3).is_empty());
    }
}
