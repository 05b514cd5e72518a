//! Wildcard arguments and output names of aggregations.
//!
//! `avg(tcp.*) as avg_tcp.*`: the argument is a glob whose `*` matches any run
//! of characters (dots included); each `*` of the `AS` name is replaced by the
//! text the corresponding `*` matched (5.1, 6.3).

use crate::error::{EngineError, Result};
pub(crate) use crate::value::Glob;
use spl_parser::ast::{Agg, AggArg};
use spl_parser::Span;

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
