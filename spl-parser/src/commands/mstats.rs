//! `mstats`: aggregations over metric data points.

use super::stats::{clauses, push_aggs, Agg, Clauses};
use crate::ast::display::Words;
use crate::ast::{FieldName, Opt, SearchExpr};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::{Cx, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `mstats` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    super::tstats::PRESTATS,
    super::tstats::APPEND,
    opt(
        "backfill",
        K::Bool,
        Some("true"),
        "real-time: fill in from disk first",
    ),
    opt(
        "update_period",
        K::Count,
        Some("0"),
        "real-time summary refresh period (ms)",
    ),
    opt(
        "fillnull_value",
        K::Text,
        None,
        "value for missing BY fields instead of dropping the point",
    ),
    opt(
        "chunk_size",
        K::Count,
        Some("10000000"),
        "time series read per chunk",
    ),
    opt(
        "chart",
        K::Bool,
        Some("false"),
        "output the shape of chart/timechart",
    ),
    opt(
        "chart.limit",
        K::Text,
        Some("top10"),
        "series limit in chart mode",
    ),
    opt(
        "chart.agg",
        K::Expr,
        Some("sum"),
        "series ranking aggregation in chart mode",
    ),
    opt(
        "chart.usenull",
        K::Bool,
        Some("true"),
        "null series in chart mode",
    ),
    opt(
        "chart.useother",
        K::Bool,
        Some("true"),
        "OTHER series in chart mode",
    ),
    opt(
        "chart.nullstr",
        K::Text,
        Some("NULL"),
        "name of the null series",
    ),
    opt(
        "chart.otherstr",
        K::Text,
        Some("OTHER"),
        "name of the OTHER series",
    ),
    super::tstats::SPAN,
    opt(
        "every",
        K::Span,
        None,
        "sample one bucket every this long (after span)",
    ),
    opt(
        "earliest",
        K::Time,
        None,
        "start of the time range (as in WHERE)",
    ),
    opt(
        "latest",
        K::Time,
        None,
        "end of the time range (as in WHERE)",
    ),
];

/// `mstats [opts] aggs... [WHERE search-expr] [BY dims] [span=..]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mstats {
    /// Options (`span`, `prestats`, `fillnull_value`, `every`, ...), wherever written.
    pub options: Vec<Opt>,
    /// Aggregations.
    pub aggs: Vec<Agg>,
    /// The `WHERE` clause (search-term language; macros already expanded).
    pub where_: Option<SearchExpr>,
    /// `BY`/`GROUPBY` dimensions.
    pub by: Vec<FieldName>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Mstats> {
    let c = Clauses {
        where_: true,
        groupby: true,
        require_aggs: true,
        ..Clauses::default()
    };
    let (rest, p) = clauses(cx, i, c)?;
    Ok((
        rest,
        Mstats {
            options: p.options,
            aggs: p.aggs,
            where_: p.where_,
            by: p.by,
        },
    ))
}

impl fmt::Display for Mstats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.opts(&self.options);
        push_aggs(&mut w, &self.aggs);
        if let Some(e) = &self.where_ {
            w.push("WHERE").push(e);
        }
        w.clause("BY", &self.by);
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Mstats {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }

    fn subsearches(&self) -> Vec<&crate::ast::Subsearch> {
        crate::ast::search_subsearches(self.where_.as_ref())
    }

    fn exprs(&self) -> Vec<&crate::ast::Expr> {
        super::stats::agg_exprs(&self.aggs)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn seed_s1_outer() {
        insta::assert_snapshot!(cmd("| mstats avg(tcp.*) as tcp.* avg(udp.*) as udp.* where index=kubernetes_metrics AND earliest=-1h by k8s.cluster.name source.workload.name  span=10s"), @r#"
            command: Mstats
            options:
            - key:
                node: span
                span: 139-143
              value:
                node: 10s
                span: 144-147
              quoted: false
            aggs:
            - func:
                node: avg
                span: 9-12
              arg: !Field
                node: tcp.*
                span: 13-18
              alias:
                node: tcp.*
                span: 23-28
              span: 9-28
            - func:
                node: avg
                span: 29-32
              arg: !Field
                node: udp.*
                span: 33-38
              alias:
                node: udp.*
                span: 43-48
              span: 29-48
            where_:
              kind: !And
              - kind: !Compare
                  field: index
                  field_span: 55-60
                  op: Eq
                  value:
                    text: kubernetes_metrics
                    quoted: false
                    span: 61-79
                span: 55-79
              - kind: !TimeBound
                  key: earliest
                  value: -1h
                span: 84-96
              span: 55-96
            by:
            - node: k8s.cluster.name
              span: 100-116
            - node: source.workload.name
              span: 117-137
        "#);
    }

    #[test]
    fn groupby_and_option_in_where() {
        insta::assert_snapshot!(cmd("| mstats count(_value) WHERE metric_name=cpu.* span=1m host=a GROUPBY host"), @"
        command: Mstats
        options:
        - key:
            node: span
            span: 47-51
          value:
            node: 1m
            span: 52-54
          quoted: false
        aggs:
        - func:
            node: count
            span: 9-14
          arg: !Field
            node: _value
            span: 15-21
          alias: null
          span: 9-22
        where_:
          kind: !And
          - kind: !Compare
              field: metric_name
              field_span: 29-40
              op: Eq
              value:
                text: cpu.*
                quoted: false
                span: 41-46
            span: 29-46
          - kind: !Compare
              field: host
              field_span: 55-59
              op: Eq
              value:
                text: a
                quoted: false
                span: 60-61
            span: 55-61
          span: 29-61
        by:
        - node: host
          span: 70-74
        ");
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("| mstats avg(x) where"), @r#"
            spl::parse::missing_argument

              × missing argument: expected search terms after `WHERE`, found end of input
               ╭────
             1 │ | mstats avg(x) where
               ·                     ┬
               ·                     ╰── expected search terms after `WHERE` here
               ╰────
              help: in `mstats`; usage: mstats [<option>=<value>]... <agg>(<metric>) [AS
                    <name>]... [WHERE <search>] [BY <dimension>...] [span=<time>]
        "#);
    }
}
