//! `chart`: aggregations over one field, split by others.

use super::stats::{clauses, push_aggs, Agg, Clauses};
use crate::ast::display::{field, Words};
use crate::ast::{FieldName, Opt};
use crate::parser::{Cx, PResult};
use serde::Serialize;
use std::fmt;

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
