//! `tstats`: aggregations over indexed fields and accelerated data models.

use super::stats::{clauses, push_aggs, Agg, Clauses};
use crate::ast::display::{quote, Words};
use crate::ast::{FieldName, Opt, SearchExpr};
use crate::parser::{Cx, PResult};
use crate::span::Spanned;
use serde::Serialize;
use std::fmt;

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

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn datamodel_search() {
        insta::assert_snapshot!(cmd(r#"| tstats summariesonly=false allow_old_summaries=true fillnull_value=null count min(_time) as firstTime from datamodel=Endpoint.Processes where Processes.process_name="cmd.exe" by Processes.dest _time span=1h"#), @"");
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("| tstats count from"), @"");
    }
}
