//! `inputlookup [opts] table [WHERE search-expr]`.

use super::lookup::table;
use crate::ast::display::{field, Words};
use crate::ast::{Opt, SearchExpr};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::args::options_strict;
use crate::parser::lex::{keyword, ws};
use crate::parser::search::{search_expr, Stop};
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use crate::span::Spanned;
use serde::Serialize;
use std::fmt;

/// The options of `inputlookup` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    opt(
        "append",
        K::Bool,
        Some("false"),
        "append the rows to the current results",
    ),
    opt(
        "strict",
        K::Bool,
        Some("false"),
        "make every lookup error fatal",
    ),
    opt(
        "start",
        K::Count,
        Some("0"),
        "index of the first row read (0-based)",
    ),
    opt("max", K::Count, Some("1000000000"), "most rows read"),
];

/// `inputlookup [opts] table [WHERE search-expr]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Inputlookup {
    /// `append`, `start`, `max`...
    pub options: Vec<Opt>,
    /// Lookup definition or file name.
    pub table: Spanned<String>,
    /// Row filter.
    pub where_: Option<SearchExpr>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Inputlookup> {
    let mut options = Vec::new();
    let (j, ()) = options_strict(cx, i, &mut options)?;
    let (j, table) = table(cx, j)?;
    let (j, ()) = options_strict(cx, j, &mut options)?;
    let mut where_ = None;
    let mut rest = j;
    if let Some(after) = keyword(ws(j), "where") {
        let (r, e) = search_expr(cx, after, Stop::default())?;
        if e.is_none() {
            return fail_kind(
                ws(after),
                PErrKind::Missing("search terms after `WHERE`".into()),
            );
        }
        where_ = e;
        rest = r;
    }
    Ok((
        rest,
        Inputlookup {
            options,
            table,
            where_,
        },
    ))
}

impl fmt::Display for Inputlookup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.opts(&self.options).push(field(&self.table.node));
        if let Some(e) = &self.where_ {
            w.push("WHERE").push(e);
        }
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Inputlookup {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }

    fn subsearches(&self) -> Vec<&crate::ast::Subsearch> {
        crate::ast::search_subsearches(self.where_.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd(r#"| inputlookup append=t users.csv where dept="it*" OR NOT role=admin"#), @r#"
            command: Inputlookup
            options:
            - key:
                node: append
                span: 14-20
              value:
                node: t
                span: 21-22
              quoted: false
            table:
              node: users.csv
              span: 23-32
            where_:
              kind: !Or
              - kind: !Compare
                  field: dept
                  field_span: 39-43
                  op: Eq
                  value:
                    text: it*
                    quoted: true
                    span: 44-49
                span: 39-49
              - kind: !Not
                  kind: !Compare
                    field: role
                    field_span: 57-61
                    op: Eq
                    value:
                      text: admin
                      quoted: false
                      span: 62-67
                  span: 57-67
                span: 53-67
              span: 39-67
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("| inputlookup"), @r#"
            spl::parse::missing_argument

              × missing argument: expected lookup table name, found end of input
               ╭────
             1 │ | inputlookup
               ·             ┬
               ·             ╰── expected lookup table name here
               ╰────
              help: in `inputlookup`; usage: inputlookup [<option>=<value>]... <table>
                    [WHERE <search>]
        "#);
    }
}
