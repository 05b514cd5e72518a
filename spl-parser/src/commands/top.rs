//! `top` and `rare`: most / least common values.

use crate::ast::display::Words;
use crate::ast::{FieldName, Opt};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::args::{field_list, options_strict};
use crate::parser::lex::{keyword, uint, ws};
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `top` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    opt(
        "limit",
        K::Count,
        Some("10"),
        "value combinations kept, 0 for all",
    ),
    opt(
        "countfield",
        K::Text,
        Some("count"),
        "name of the count field",
    ),
    opt(
        "percentfield",
        K::Text,
        Some("percent"),
        "name of the percent field",
    ),
    opt("showcount", K::Bool, Some("true"), "output the count field"),
    opt(
        "showperc",
        K::Bool,
        Some("true"),
        "output the percent field",
    ),
    opt(
        "useother",
        K::Bool,
        Some("false"),
        "add an OTHER row for the rest",
    ),
    opt("otherstr", K::Text, Some("OTHER"), "value of the OTHER row"),
];

/// `top|rare [N] [opts] fields [BY fields]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Top {
    /// The leading count, if written.
    pub limit: Option<u64>,
    /// `limit`, `countfield`, `percentfield`, `showcount`, `showperc`, `useother`, `otherstr`.
    pub options: Vec<Opt>,
    /// The fields whose value combinations are counted.
    pub fields: Vec<FieldName>,
    /// `BY` fields.
    pub by: Vec<FieldName>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Top> {
    let mut j = ws(i);
    let mut limit = None;
    if let Ok((r, n)) = uint(cx, j, "count") {
        limit = Some(n.node);
        j = r;
    }
    let mut options = Vec::new();
    let mut fields = Vec::new();
    let mut by = Vec::new();
    loop {
        let start = j.len();
        let (r, ()) = options_strict(cx, j, &mut options)?;
        let (r, f) = field_list(cx, r, &|s| keyword(s, "by").is_some())?;
        fields.extend(f);
        j = r;
        if let Some(after) = keyword(ws(j), "by") {
            let (r, f) = field_list(cx, after, &|_| false)?;
            by.extend(f);
            j = r;
        }
        if j.len() == start {
            break;
        }
    }
    if fields.is_empty() {
        return fail_kind(ws(j), PErrKind::Missing("field name".into()));
    }
    Ok((
        j,
        Top {
            limit,
            options,
            fields,
            by,
        },
    ))
}

impl fmt::Display for Top {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        if let Some(n) = self.limit {
            w.push(n);
        }
        w.opts(&self.options);
        w.fields(&self.fields);
        w.clause("BY", &self.by);
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Top {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd("| top 5 showperc=f user, host by src limit=3"), @r#"
            command: Top
            limit: 5
            options:
            - key:
                node: showperc
                span: 8-16
              value:
                node: f
                span: 17-18
              quoted: false
            - key:
                node: limit
                span: 37-42
              value:
                node: '3'
                span: 43-44
              quoted: false
            fields:
            - node: user
              span: 19-23
            - node: host
              span: 25-29
            by:
            - node: src
              span: 33-36
        "#);
        insta::assert_snapshot!(cmd("| rare process_name"), @r#"
            command: Rare
            limit: null
            options: []
            fields:
            - node: process_name
              span: 7-19
            by: []
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("| top limit=3"), @r#"
            spl::parse::missing_argument

              × missing argument: expected field name, found end of input
               ╭────
             1 │ | top limit=3
               ·             ┬
               ·             ╰── expected field name here
               ╰────
              help: in `top`; usage: top [<count>] [<option>=<value>]... <field>... [BY
                    <field>...]
        "#);
    }
}
