//! `timechart`: aggregations per time bucket, optionally split by a field.

use super::stats::{clauses, push_aggs, Agg, Clauses};
use crate::ast::display::Words;
use crate::ast::{FieldName, Opt};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::{Cx, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `timechart` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    opt(
        "sep",
        K::Text,
        None,
        "separator in series names built from aggregation and value",
    ),
    opt(
        "format",
        K::Text,
        None,
        "series-name template using `$AGG$` and `$VAL$`",
    ),
    opt(
        "fixedrange",
        K::Bool,
        Some("true"),
        "keep the search's whole time range",
    ),
    opt(
        "partial",
        K::Bool,
        Some("true"),
        "keep partial first and last buckets",
    ),
    opt("cont", K::Bool, Some("true"), "fill empty buckets"),
    opt(
        "limit",
        K::Text,
        Some("top10"),
        "series kept: `[top|bottom]<N>`, 0 for all",
    ),
    opt(
        "agg",
        K::Expr,
        Some("sum"),
        "aggregation used to rank series",
    ),
    opt(
        "bins",
        K::Count,
        Some("100"),
        "most buckets when no span is given",
    ),
    opt(
        "minspan",
        K::Span,
        None,
        "smallest span when the span is inferred",
    ),
    opt("span", K::Span, None, "bucket size"),
    opt("start", K::Number, None, "lower end of a numeric range"),
    opt("end", K::Number, None, "upper end of a numeric range"),
    opt("aligntime", K::Time, None, "time that buckets align to"),
    opt(
        "dedup_splitvals",
        K::Bool,
        Some("false"),
        "count each value of a multivalue split field once per result",
    ),
    opt(
        "usenull",
        K::Bool,
        Some("true"),
        "add a series for results without the split field",
    ),
    opt(
        "useother",
        K::Bool,
        Some("true"),
        "add an OTHER series for series beyond the limit",
    ),
    opt("nullstr", K::Text, Some("NULL"), "name of the null series"),
    opt(
        "otherstr",
        K::Text,
        Some("OTHER"),
        "name of the OTHER series",
    ),
];

/// `timechart [opts] aggs... [BY field] [opts]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timechart {
    /// `span`, `bins`, `limit`, `useother`, `usenull`, `cont`, ...
    pub options: Vec<Opt>,
    /// Aggregations.
    pub aggs: Vec<Agg>,
    /// The split-by field(s) (Splunk allows one).
    pub by: Vec<FieldName>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Timechart> {
    let c = Clauses {
        require_aggs: true,
        ..Clauses::default()
    };
    let (rest, p) = clauses(cx, i, c)?;
    Ok((
        rest,
        Timechart {
            options: p.options,
            aggs: p.aggs,
            by: p.by,
        },
    ))
}

impl fmt::Display for Timechart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.opts(&self.options);
        push_aggs(&mut w, &self.aggs);
        w.clause("BY", &self.by);
        w.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::cmd;

    #[test]
    fn basic() {
        insta::assert_snapshot!(cmd("| timechart span=5m limit=0 count by host useother=f"), @r#"
            command: Timechart
            options:
            - key:
                node: span
                span: 12-16
              value:
                node: 5m
                span: 17-19
              quoted: false
            - key:
                node: limit
                span: 20-25
              value:
                node: '0'
                span: 26-27
              quoted: false
            - key:
                node: useother
                span: 42-50
              value:
                node: f
                span: 51-52
              quoted: false
            aggs:
            - func:
                node: count
                span: 28-33
              arg: null
              alias: null
              span: 28-33
            by:
            - node: host
              span: 37-41
        "#);
    }
}
