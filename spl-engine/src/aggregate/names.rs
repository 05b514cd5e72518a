//! Wildcard arguments and output names of aggregations.
//!
//! `avg(tcp.*) as avg_tcp.*`: the argument is a glob whose `*` matches any run
//! of characters (dots included); each `*` of the `AS` name is replaced by the
//! text the corresponding `*` matched (5.1, 6.3).

use crate::error::{EngineError, Result};
use spl_parser::ast::{Agg, AggArg};
use spl_parser::Span;

/// A `*` glob with captures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Glob {
    parts: Vec<String>,
}

impl Glob {
    pub(crate) fn new(pattern: &str) -> Self {
        Glob {
            parts: pattern.split('*').map(str::to_string).collect(),
        }
    }

    /// Number of `*`.
    pub(crate) fn stars(&self) -> usize {
        self.parts.len().saturating_sub(1)
    }

    /// The texts matched by each `*` (leftmost-shortest for all but the last
    /// star, which takes the rest), or `None` when `s` does not match.
    pub(crate) fn captures<'s>(&self, s: &'s str) -> Option<Vec<&'s str>> {
        let mut caps = Vec::with_capacity(self.stars());
        if self.match_from(s, 0, 0, &mut caps) {
            Some(caps)
        } else {
            None
        }
    }

    fn match_from<'s>(&self, s: &'s str, part: usize, pos: usize, caps: &mut Vec<&'s str>) -> bool {
        let Some(p) = self.parts.get(part) else {
            return pos == s.len();
        };
        let Some(rest) = s.get(pos..) else {
            return false;
        };
        if part == 0 {
            return rest.starts_with(p.as_str()) && self.match_from(s, 1, pos + p.len(), caps);
        }
        // `p` follows a star: try every place it can start
        let last = part + 1 == self.parts.len();
        let mut start = 0;
        while start <= rest.len() {
            if rest.is_char_boundary(start) {
                let tail = &rest[start..];
                let ok = if last {
                    tail == p.as_str()
                } else {
                    tail.starts_with(p.as_str())
                };
                if ok {
                    caps.push(&rest[..start]);
                    if self.match_from(s, part + 1, pos + start + p.len(), caps) {
                        return true;
                    }
                    caps.pop();
                }
            }
            start += 1;
        }
        false
    }

    /// True when the pattern's literal start is `_` (internal fields named).
    pub(crate) fn starts_with_underscore(&self) -> bool {
        self.parts.first().is_some_and(|p| p.starts_with('_'))
    }

    /// True when `s` matches.
    pub(crate) fn matches(&self, s: &str) -> bool {
        self.captures(s).is_some()
    }

    /// This pattern with each `*` replaced by the corresponding capture.
    pub(crate) fn substitute(&self, caps: &[&str]) -> String {
        let mut out = String::new();
        for (i, p) in self.parts.iter().enumerate() {
            if i > 0 {
                out.push_str(caps.get(i - 1).copied().unwrap_or(""));
            }
            out.push_str(p);
        }
        out
    }
}

/// Checks a wildcard aggregation's `AS` name: it must have as many `*` as the
/// argument (`sum(*.free) as FreeSum` is invalid; 6.3).
pub(crate) fn check_wildcard_alias(
    arg: &Glob,
    alias: Option<&spl_parser::Spanned<String>>,
) -> Result<()> {
    if let Some(a) = alias {
        let n = Glob::new(&a.node).stars();
        if n != arg.stars() {
            return Err(EngineError::InvalidArgument {
                message: format!(
                    "expected {} `*` in the AS name of a wildcard aggregation, found {n}",
                    arg.stars()
                ),
                span: a.span,
                label: "wildcard count differs from the argument".into(),
                help: Some("write e.g. `avg(tcp.*) as avg_tcp.*`".into()),
            });
        }
    }
    Ok(())
}

/// Text of an aggregation argument for default output names (`avg(io)`).
pub(crate) fn arg_text(agg: &Agg) -> Option<&str> {
    match &agg.arg {
        Some(AggArg::Field(f)) => Some(f.node.as_str()),
        _ => None,
    }
}

/// Error for an `eval(...)` aggregation without `AS` (Splunk rejects these).
pub(crate) fn eval_needs_alias(span: Span) -> EngineError {
    EngineError::InvalidArgument {
        message: "expected `AS <name>` after an eval(...) aggregation, found none".into(),
        span,
        label: "needs a name".into(),
        help: Some("write e.g. `avg(eval(x*2)) as avg_x2`".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_and_substitutes() {
        let g = Glob::new("tcp.*");
        assert_eq!(g.captures("tcp.bytes"), Some(vec!["bytes"]));
        assert_eq!(g.captures("tcp.x.y"), Some(vec!["x.y"]));
        assert_eq!(g.captures("udp.bytes"), None);
        assert_eq!(Glob::new("avg_tcp.*").substitute(&["x.y"]), "avg_tcp.x.y");
        let two = Glob::new("*:*");
        assert_eq!(two.captures("in:out"), Some(vec!["in", "out"]));
        assert_eq!(two.captures("a:b:c"), Some(vec!["a", "b:c"]));
        assert_eq!(Glob::new("avg_*:*").substitute(&["a", "b:c"]), "avg_a:b:c");
        assert!(Glob::new("*lay").matches("delay"));
        assert!(Glob::new("*lay").matches("lay"));
        assert!(!Glob::new("*lay").matches("layer"));
        assert!(Glob::new("*").matches(""));
        assert!(Glob::new("exact").matches("exact"));
        assert!(!Glob::new("exact").matches("exactly"));
        assert_eq!(
            Glob::new("a*b*c").captures("aXbYbZc"),
            Some(vec!["X", "YbZ"])
        );
    }

    #[test]
    fn alias_star_count_checked() {
        let span = Span::new(0, 1);
        let g = Glob::new("*.free");
        assert!(
            check_wildcard_alias(&g, Some(&spl_parser::Spanned::new("FreeSum".into(), span)))
                .is_err()
        );
        assert!(
            check_wildcard_alias(&g, Some(&spl_parser::Spanned::new("*FreeSum".into(), span)))
                .is_ok()
        );
        assert!(check_wildcard_alias(&g, None).is_ok());
    }
}
