//! `mstats`: aggregations over metric data points.

use super::stats::{clauses, push_aggs, Agg, Clauses};
use crate::ast::display::Words;
use crate::ast::{FieldName, Opt, SearchExpr};
use crate::parser::{Cx, PResult};
use serde::Serialize;
use std::fmt;

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

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn seed_s1_outer() {
        insta::assert_snapshot!(cmd("| mstats avg(tcp.*) as tcp.* avg(udp.*) as udp.* where index=kubernetes_metrics AND earliest=-1h by k8s.cluster.name source.workload.name  span=10s"), @"");
    }

    #[test]
    fn groupby_and_option_in_where() {
        insta::assert_snapshot!(cmd("| mstats count(_value) WHERE metric_name=cpu.* span=1m host=a GROUPBY host"), @"");
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("| mstats avg(x) where"), @"");
    }
}
