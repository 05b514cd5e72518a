//! `inputlookup [opts] table [WHERE search-expr]`.

use super::lookup::table;
use crate::ast::display::{field, Words};
use crate::ast::{Opt, SearchExpr};
use crate::parser::args::options_strict;
use crate::parser::lex::{keyword, ws};
use crate::parser::search::{search_expr, Stop};
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use crate::span::Spanned;
use serde::Serialize;
use std::fmt;

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

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd(r#"| inputlookup append=t users.csv where dept="it*" OR NOT role=admin"#), @"");
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("| inputlookup"), @"");
    }
}
