//! `tstats`: aggregations over indexed fields and accelerated data models.

use super::stats::{clauses, push_aggs, Agg, Clauses};
use crate::ast::display::{quote, Words};
use crate::ast::{FieldName, Opt, SearchExpr};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::{Cx, PResult};
use crate::span::Spanned;
use serde::Serialize;
use std::fmt;

/// Shared by `tstats` and `mstats`.
pub(crate) const PRESTATS: OptSpec = opt(
    "prestats",
    K::Bool,
    Some("false"),
    "output the prestats format",
);
/// Shared by `tstats` and `mstats`.
pub(crate) const APPEND: OptSpec = opt(
    "append",
    K::Bool,
    Some("false"),
    "with prestats: append to the current results",
);
/// Shared by `tstats` and `mstats`.
pub(crate) const SPAN: OptSpec = opt("span", K::Span, None, "time bucket size (in the BY clause)");

/// The options of `tstats` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    PRESTATS,
    opt(
        "local",
        K::Bool,
        Some("false"),
        "run on the search head only",
    ),
    APPEND,
    opt(
        "summariesonly",
        K::Bool,
        Some("false"),
        "read only accelerated summaries",
    ),
    opt(
        "include_reduced_buckets",
        K::Bool,
        Some("false"),
        "also read reduced buckets",
    ),
    opt(
        "allow_old_summaries",
        K::Bool,
        Some("false"),
        "accept summaries older than the data model",
    ),
    opt(
        "chunk_size",
        K::Count,
        Some("10000000"),
        "events read per chunk",
    ),
    opt(
        "fillnull_value",
        K::Text,
        None,
        "value for missing BY fields instead of dropping the row",
    ),
    opt(
        "use_summary_index_values",
        K::Bool,
        Some("false"),
        "read prestats fields of summary indexes as partials",
    ),
    SPAN,
];

/// `tstats [opts] aggs... [FROM datamodel=X] [WHERE search-expr] [BY fields]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tstats {
    /// Options (`summariesonly`, `allow_old_summaries`, `prestats`, `span`...).
    pub options: Vec<Opt>,
    /// Aggregations.
    pub aggs: Vec<Agg>,
    /// `FROM datamodel=...` (the text after `datamodel=`), or `FROM x`.
    pub from: Option<Spanned<String>>,
    /// `WHERE` clause.
    pub where_: Option<SearchExpr>,
    /// `BY` fields.
    pub by: Vec<FieldName>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Tstats> {
    let c = Clauses {
        where_: true,
        from: true,
        require_aggs: true,
        ..Clauses::default()
    };
    let (rest, p) = clauses(cx, i, c)?;
    Ok((
        rest,
        Tstats {
            options: p.options,
            aggs: p.aggs,
            from: p.from,
            where_: p.where_,
            by: p.by,
        },
    ))
}

impl fmt::Display for Tstats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.opts(&self.options);
        push_aggs(&mut w, &self.aggs);
        if let Some(dm) = &self.from {
            let bare = !dm.node.is_empty()
                && !dm
                    .node
                    .chars()
                    .any(|c| c.is_whitespace() || "|[]()\"\\".contains(c));
            if bare {
                w.push(format!("FROM datamodel={}", dm.node));
            } else {
                w.push(format!("FROM datamodel={}", quote(&dm.node)));
            }
        }
        if let Some(e) = &self.where_ {
            w.push("WHERE").push(e);
        }
        w.clause("BY", &self.by);
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Tstats {
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
    fn datamodel_search() {
        insta::assert_snapshot!(cmd(r#"| tstats summariesonly=false allow_old_summaries=true fillnull_value=null count min(_time) as firstTime from datamodel=Endpoint.Processes where Processes.process_name="cmd.exe" by Processes.dest _time span=1h"#), @r#"
            command: Tstats
            options:
            - key:
                node: summariesonly
                span: 9-22
              value:
                node: 'false'
                span: 23-28
              quoted: false
            - key:
                node: allow_old_summaries
                span: 29-48
              value:
                node: 'true'
                span: 49-53
              quoted: false
            - key:
                node: fillnull_value
                span: 54-68
              value:
                node: 'null'
                span: 69-73
              quoted: false
            - key:
                node: span
                span: 201-205
              value:
                node: 1h
                span: 206-208
              quoted: false
            aggs:
            - func:
                node: count
                span: 74-79
              arg: null
              alias: null
              span: 74-79
            - func:
                node: min
                span: 80-83
              arg: !Field
                node: _time
                span: 84-89
              alias:
                node: firstTime
                span: 94-103
              span: 80-103
            from:
              node: Endpoint.Processes
              span: 119-137
            where_:
              kind: !Compare
                field: Processes.process_name
                field_span: 144-166
                op: Eq
                value:
                  text: cmd.exe
                  quoted: true
                  span: 167-176
              span: 144-176
            by:
            - node: Processes.dest
              span: 180-194
            - node: _time
              span: 195-200
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("| tstats count from"), @r#"
            spl::parse::expected

              × expected data model name, found end of input
               ╭────
             1 │ | tstats count from
               ·                   ┬
               ·                   ╰── expected data model name
               ╰────
              help: in `tstats`; usage: tstats [<option>=<value>]... <agg>(<field>) [AS
                    <name>]... [FROM datamodel=<name>] [WHERE <search>] [BY <field>...]
        "#);
    }
}
