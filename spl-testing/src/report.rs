//! Failure reports: a unified-style line diff of expected and actual blocks.

use std::fmt::Write as _;

/// Above this many line pairs the diff pairs lines by position instead of
/// computing a longest common subsequence (quadratic in memory).
const LCS_LIMIT: usize = 4_000_000;

/// A line diff of expected and actual text: `-` lines only in the expected
/// block, `+` lines only in the actual output, two spaces for common lines.
pub fn diff(expected: &str, actual: &str) -> String {
    let mut out = String::from("--- expected\n+++ actual\n");
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let (n, m) = (e.len(), a.len());
    if n.saturating_mul(m) > LCS_LIMIT {
        for i in 0..n.max(m) {
            match (e.get(i), a.get(i)) {
                (Some(x), Some(y)) if x == y => {
                    let _ = writeln!(out, "  {x}");
                }
                (x, y) => {
                    if let Some(x) = x {
                        let _ = writeln!(out, "- {x}");
                    }
                    if let Some(y) = y {
                        let _ = writeln!(out, "+ {y}");
                    }
                }
            }
        }
        return out;
    }
    // lcs[i][j]: length of the longest common subsequence of e[i..] and a[j..].
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if e[i] == a[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && e[i] == a[j] {
            let _ = writeln!(out, "  {}", e[i]);
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            let _ = writeln!(out, "- {}", e[i]);
            i += 1;
        } else {
            let _ = writeln!(out, "+ {}", a[j]);
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_changed_rows() {
        assert_eq!(
            diff("a | b\n1 | 2\n3 | 4\n", "a | b\n1 | 2\n3 | 5\n"),
            "--- expected\n+++ actual\n  a | b\n  1 | 2\n- 3 | 4\n+ 3 | 5\n"
        );
    }
}
