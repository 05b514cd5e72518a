//! `timechart`: aggregations per time bucket, optionally split by a field.

use super::chart::series;
use super::stats::{clauses, push_aggs, Agg, Clauses};
use crate::ast::display::Words;
use crate::ast::{FieldName, Opt};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::{Cx, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `timechart` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    series::SEP,
    series::FORMAT,
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
    series::LIMIT,
    series::AGG,
    opt(
        "bins",
        K::Count,
        Some("100"),
        "most buckets when no span is given",
    ),
    series::MINSPAN,
    opt("span", K::Span, None, "bucket size"),
    series::START,
    series::END,
    series::ALIGNTIME,
    series::DEDUP_SPLITVALS,
    series::USENULL,
    series::USEOTHER,
    series::NULLSTR,
    series::OTHERSTR,
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

impl crate::ast::CommandNode for Timechart {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }

    fn exprs(&self) -> Vec<&crate::ast::Expr> {
        super::stats::agg_exprs(&self.aggs)
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
