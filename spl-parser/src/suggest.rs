//! "Did you mean" suggestions by edit distance: the one copy every
//! diagnostic uses (unknown commands, options, functions, aggregations,
//! macros), so they all suggest by the same rule.

/// Edit distance over chars where inserting, deleting or substituting a
/// character, or swapping two adjacent ones (the commonest typo: `stast`),
/// costs one (optimal string alignment). Exits early once every entry of a
/// row exceeds `limit` (returns `limit + 1` then).
pub fn edit_distance(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    let w = b.len() + 1;
    let mut before: Vec<usize> = vec![0; w];
    let mut prev: Vec<usize> = (0..w).collect();
    let mut cur = vec![0; w];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let mut v = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
            if i > 0 && j > 0 && a[i - 1] == *cb && *ca == b[j - 1] {
                v = v.min(before[j - 1] + 1);
            }
            cur[j + 1] = v;
            row_min = row_min.min(v);
        }
        if row_min > limit {
            return limit + 1;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// How far a candidate may be from what was written to be suggested: two
/// edits, or a third of the name's length for long names.
fn limit_for(target: &str) -> usize {
    (target.chars().count() / 3).max(2)
}

/// Up to `max` candidates close to `target`, closest first (ties by name).
pub fn similar<'a>(
    target: &str,
    candidates: impl Iterator<Item = &'a str>,
    max: usize,
) -> Vec<&'a str> {
    let limit = limit_for(target);
    let mut scored: Vec<(usize, &str)> = candidates
        .filter(|c| *c != target)
        .map(|c| (edit_distance(target, c, limit), c))
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    scored.into_iter().take(max).map(|(_, c)| c).collect()
}

/// The candidate closest to `name` (compared lower-case), if close enough;
/// at equal distance one with the same letters (`stast` -> `stats`), then one
/// that holds `name`'s letters in order (`cnt` -> `count`) wins, then the
/// alphabetically first.
pub fn did_you_mean<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let limit = limit_for(&lower);
    let letters = sorted_chars(&lower);
    candidates
        .map(|c| {
            let cl = c.to_lowercase();
            let d = edit_distance(&lower, &cl, limit);
            // a transposition (`stast`) keeps the letters: prefer the anagram
            (
                d,
                sorted_chars(&cl) != letters,
                !is_subsequence(&lower, c),
                c,
            )
        })
        .filter(|(d, ..)| *d <= limit)
        .min()
        .map(|(.., c)| c)
}

fn sorted_chars(s: &str) -> Vec<char> {
    let mut v: Vec<char> = s.chars().collect();
    v.sort_unstable();
    v
}

/// True when the characters of `short` appear in `long` in order.
fn is_subsequence(short: &str, long: &str) -> bool {
    let mut it = long.chars();
    short.chars().all(|c| it.any(|l| l == c))
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
        assert_eq!(edit_distance("stast", "stats", 5), 1, "a swap is one edit");
        assert_eq!(edit_distance("ab", "ba", 5), 1);
    }

    #[test]
    fn suggestions_are_sorted_and_bounded() {
        let names = ["sysmon", "wmi", "sysmonx", "powershell", "symon"];
        let s = similar("sysmn", names.iter().copied(), 3);
        assert_eq!(s, ["sysmon", "symon", "sysmonx"]);
        assert!(similar("zzzzzzzz", names.iter().copied(), 3).is_empty());
    }

    #[test]
    fn did_you_mean_prefers_close_subsequences() {
        let names = ["count", "c", "dc", "stats", "stdev"];
        assert_eq!(did_you_mean("cnt", names.iter().copied()), Some("count"));
        assert_eq!(did_you_mean("STAT", names.iter().copied()), Some("stats"));
        assert_eq!(did_you_mean("zzzzzz", names.iter().copied()), None);
    }
}
