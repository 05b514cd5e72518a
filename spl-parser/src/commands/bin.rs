//! `bin`/`bucket [opts] field [AS name]`.

use crate::ast::display::{field, Words};
use crate::ast::{FieldName, Opt};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::args::{alias, options_strict};
use crate::parser::lex::{at_stage_end, field_token, ws};
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `bin` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    opt("bins", K::Count, Some("100"), "most bins to make"),
    opt(
        "minspan",
        K::Span,
        None,
        "smallest span when the span is inferred",
    ),
    opt(
        "span",
        K::Span,
        None,
        "bin size: a number, a time span or a log span",
    ),
    opt("start", K::Number, None, "lower end of the numeric range"),
    opt("end", K::Number, None, "upper end of the numeric range"),
    opt(
        "aligntime",
        K::Time,
        None,
        "`earliest`, `latest` or a time that time bins align to",
    ),
];

/// `bin [opts] field [AS name] [opts]` (`bucket` is an alias).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bin {
    /// `span`, `bins`, `minspan`, `start`, `end`, `aligntime`.
    pub options: Vec<Opt>,
    /// The field to discretize.
    pub field: FieldName,
    /// The `AS` name.
    pub alias: Option<FieldName>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Bin> {
    let mut options = Vec::new();
    let mut target = None;
    let mut alias_name = None;
    let mut j = i;
    loop {
        let start = j.len();
        let (r, ()) = options_strict(cx, j, &mut options)?;
        j = r;
        let k = ws(j);
        if target.is_none() && !at_stage_end(k) {
            let (r, f) = field_token(cx, k)?;
            target = Some(f);
            j = r;
        }
        if target.is_some() && alias_name.is_none() {
            let (r, a) = alias(cx, j)?;
            alias_name = a;
            j = r;
        }
        if j.len() == start {
            break;
        }
    }
    let Some(field) = target else {
        return fail_kind(ws(j), PErrKind::Missing("field name".into()));
    };
    Ok((
        j,
        Bin {
            options,
            field,
            alias: alias_name,
        },
    ))
}

impl fmt::Display for Bin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.opts(&self.options).push(field(&self.field.node));
        if let Some(a) = &self.alias {
            w.push("AS").push(field(&a.node));
        }
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Bin {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err, query};

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd("search a | bin _time span=1h AS hour"), @r#"
            command: Bin
            options:
            - key:
                node: span
                span: 21-25
              value:
                node: 1h
                span: 26-28
              quoted: false
            field:
              node: _time
              span: 15-20
            alias:
              node: hour
              span: 32-36
        "#);
        insta::assert_snapshot!(query("search a | bucket span=5m _time"), @r#"
            pipeline:
              stages:
              - command:
                  command: Search
                  expr:
                    kind: !Term
                      text: a
                      quoted: false
                      span: 7-8
                    span: 7-8
                name:
                  node: search
                  span: 0-6
                piped: false
                span: 0-8
              - command:
                  command: Bin
                  options:
                  - key:
                      node: span
                      span: 18-22
                    value:
                      node: 5m
                      span: 23-25
                    quoted: false
                  field:
                    node: _time
                    span: 26-31
                  alias: null
                name:
                  node: bucket
                  span: 11-17
                piped: true
                span: 11-31
              span: 0-31
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("search a | bin span=1h"), @r#"
            spl::parse::missing_argument

              × missing argument: expected field name, found end of input
               ╭────
             1 │ search a | bin span=1h
               ·                      ┬
               ·                      ╰── expected field name here
               ╰────
              help: in `bin`; usage: bin [<option>=<value>]... <field> [AS <field>]
        "#);
    }
}
