//! `chart`: aggregations over one field, split by others.

use super::stats::{clauses, push_aggs, Agg, Clauses};
use crate::ast::display::{field, Words};
use crate::ast::{FieldName, Opt};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::{Cx, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `chart` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    series::SEP,
    series::FORMAT,
    opt(
        "cont",
        K::Bool,
        Some("true"),
        "show empty bins of the x-axis",
    ),
    series::LIMIT,
    series::AGG,
    opt(
        "bins",
        K::Count,
        Some("300"),
        "most bins of a numeric row split",
    ),
    series::MINSPAN,
    opt("span", K::Span, None, "bin size of the row split"),
    series::START,
    series::END,
    series::ALIGNTIME,
    series::DEDUP_SPLITVALS,
    series::USENULL,
    series::USEOTHER,
    series::NULLSTR,
    series::OTHERSTR,
];

/// The options `chart` and `timechart` share (Splunk's Search Reference).
pub(crate) mod series {
    use crate::options::{opt, OptKind as K, OptSpec};

    pub(crate) const SEP: OptSpec = opt(
        "sep",
        K::Text,
        None,
        "separator in series names built from aggregation and value",
    );
    pub(crate) const FORMAT: OptSpec = opt(
        "format",
        K::Text,
        None,
        "series-name template using `$AGG$` and `$VAL$`",
    );
    pub(crate) const LIMIT: OptSpec = opt(
        "limit",
        K::Text,
        Some("top10"),
        "series kept: `[top|bottom]<N>`, 0 for all",
    );
    pub(crate) const AGG: OptSpec = opt(
        "agg",
        K::Expr,
        Some("sum"),
        "aggregation used to rank series",
    );
    pub(crate) const START: OptSpec = opt("start", K::Number, None, "lower end of a numeric range");
    pub(crate) const END: OptSpec = opt("end", K::Number, None, "upper end of a numeric range");
    pub(crate) const ALIGNTIME: OptSpec =
        opt("aligntime", K::Time, None, "time that buckets align to");
    pub(crate) const MINSPAN: OptSpec = opt(
        "minspan",
        K::Span,
        None,
        "smallest span when the span is inferred",
    );
    pub(crate) const DEDUP_SPLITVALS: OptSpec = opt(
        "dedup_splitvals",
        K::Bool,
        Some("false"),
        "count each value of a multivalue split field once per result",
    );
    pub(crate) const USENULL: OptSpec = opt(
        "usenull",
        K::Bool,
        Some("true"),
        "add a series for results without the split field",
    );
    pub(crate) const USEOTHER: OptSpec = opt(
        "useother",
        K::Bool,
        Some("true"),
        "add an OTHER series for series beyond the limit",
    );
    pub(crate) const NULLSTR: OptSpec =
        opt("nullstr", K::Text, Some("NULL"), "name of the null series");
    pub(crate) const OTHERSTR: OptSpec = opt(
        "otherstr",
        K::Text,
        Some("OTHER"),
        "name of the OTHER series",
    );
}

/// `chart [opts] aggs... [OVER field] [BY field [field]]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    /// `limit`, `useother`, `usenull`, `span`, ...
    pub options: Vec<Opt>,
    /// Aggregations.
    pub aggs: Vec<Agg>,
    /// The `OVER` (row) field.
    pub over: Option<FieldName>,
    /// `BY` fields (row field then column field when there is no `OVER`).
    pub by: Vec<FieldName>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Chart> {
    let c = Clauses {
        over: true,
        require_aggs: true,
        ..Clauses::default()
    };
    let (rest, p) = clauses(cx, i, c)?;
    Ok((
        rest,
        Chart {
            options: p.options,
            aggs: p.aggs,
            over: p.over,
            by: p.by,
        },
    ))
}

impl fmt::Display for Chart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.opts(&self.options);
        push_aggs(&mut w, &self.aggs);
        if let Some(o) = &self.over {
            w.push("OVER").push(field(&o.node));
        }
        w.clause("BY", &self.by);
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Chart {
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
    fn over_by() {
        insta::assert_snapshot!(cmd("| chart limit=5 count over host by status"), @r#"
            command: Chart
            options:
            - key:
                node: limit
                span: 8-13
              value:
                node: '5'
                span: 14-15
              quoted: false
            aggs:
            - func:
                node: count
                span: 16-21
              arg: null
              alias: null
              span: 16-21
            over:
              node: host
              span: 27-31
            by:
            - node: status
              span: 35-41
        "#);
    }
}
