//! `lookup [opts] table field [AS f]... [OUTPUT|OUTPUTNEW f [AS g]...]`.

use crate::ast::display::{field, Words};
use crate::ast::{FieldAlias, Opt};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::args::{alias_list, options_strict};
use crate::parser::lex::{at_stage_end, field_token, keyword, ws};
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use crate::span::Spanned;
use serde::Serialize;
use std::fmt;

/// The options of `lookup` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    opt(
        "local",
        K::Bool,
        Some("false"),
        "run the lookup on the search head only",
    ),
    opt(
        "update",
        K::Bool,
        Some("false"),
        "real-time searches see changes of the table",
    ),
    opt(
        "event_time_field",
        K::Field,
        None,
        "time field for a temporal lookup",
    ),
];

/// `lookup [opts] table field [AS f]... [OUTPUT|OUTPUTNEW f [AS g]...]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lookup {
    /// `local`, `update`...
    pub options: Vec<Opt>,
    /// Lookup definition or file name.
    pub table: Spanned<String>,
    /// Match fields: lookup column `AS` event field.
    pub inputs: Vec<FieldAlias>,
    /// The output clause, if any.
    pub output: Option<LookupOutput>,
}

/// `OUTPUT`/`OUTPUTNEW` clause of `lookup`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LookupOutput {
    /// True for `OUTPUTNEW`.
    pub new_only: bool,
    /// Lookup column `AS` event field.
    pub fields: Vec<FieldAlias>,
}

/// A lookup table name: bare token or quoted.
pub(crate) fn table<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Spanned<String>> {
    let j = ws(i);
    if at_stage_end(j) {
        return fail_kind(j, PErrKind::Missing("lookup table name".into()));
    }
    field_token(cx, j)
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Lookup> {
    let mut options = Vec::new();
    let (j, ()) = options_strict(cx, i, &mut options)?;
    let (j, table) = table(cx, j)?;
    let is_output = |s: &str| keyword(s, "output").is_some() || keyword(s, "outputnew").is_some();
    let (j, inputs) = alias_list(cx, j, &is_output)?;
    if inputs.is_empty() {
        return fail_kind(ws(j), PErrKind::Missing("lookup field".into()));
    }
    let k = ws(j);
    let (new_only, after) = match (keyword(k, "outputnew"), keyword(k, "output")) {
        (Some(a), _) => (true, a),
        (None, Some(a)) => (false, a),
        (None, None) => {
            return Ok((
                j,
                Lookup {
                    options,
                    table,
                    inputs,
                    output: None,
                },
            ))
        }
    };
    let (rest, fields) = alias_list(cx, after, &|_| false)?;
    if fields.is_empty() {
        return fail_kind(ws(after), PErrKind::Missing("output field".into()));
    }
    Ok((
        rest,
        Lookup {
            options,
            table,
            inputs,
            output: Some(LookupOutput { new_only, fields }),
        },
    ))
}

impl fmt::Display for Lookup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.opts(&self.options).push(field(&self.table.node));
        let list = |v: &[FieldAlias]| {
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        w.push(list(&self.inputs));
        if let Some(o) = &self.output {
            w.push(if o.new_only { "OUTPUTNEW" } else { "OUTPUT" });
            w.push(list(&o.fields));
        }
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Lookup {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd("search a | lookup k8s_container_network_io_ratio_baseline key"), @r#"
            command: Lookup
            options: []
            table:
              node: k8s_container_network_io_ratio_baseline
              span: 18-57
            inputs:
            - field:
                node: key
                span: 58-61
              alias: null
            output: null
        "#);
        insta::assert_snapshot!(cmd("search a | lookup local=t users uid AS user_id, dept OUTPUTNEW name AS user_name email"), @r#"
            command: Lookup
            options:
            - key:
                node: local
                span: 18-23
              value:
                node: t
                span: 24-25
              quoted: false
            table:
              node: users
              span: 26-31
            inputs:
            - field:
                node: uid
                span: 32-35
              alias:
                node: user_id
                span: 39-46
            - field:
                node: dept
                span: 48-52
              alias: null
            output:
              new_only: true
              fields:
              - field:
                  node: name
                  span: 63-67
                alias:
                  node: user_name
                  span: 71-80
              - field:
                  node: email
                  span: 81-86
                alias: null
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("search a | lookup"), @r#"
            spl::parse::missing_argument

              × missing argument: expected lookup table name, found end of input
               ╭────
             1 │ search a | lookup
               ·                 ┬
               ·                 ╰── expected lookup table name here
               ╰────
              help: in `lookup`; usage: lookup [local=<bool>] [update=<bool>] <table>
                    <field> [AS <field>]... [OUTPUT|OUTPUTNEW <field> [AS <field>]...]
        "#);
        insta::assert_snapshot!(err("search a | lookup t x OUTPUT"), @r#"
            spl::parse::missing_argument

              × missing argument: expected output field, found end of input
               ╭────
             1 │ search a | lookup t x OUTPUT
               ·                            ┬
               ·                            ╰── expected output field here
               ╰────
              help: in `lookup`; usage: lookup [local=<bool>] [update=<bool>] <table>
                    <field> [AS <field>]... [OUTPUT|OUTPUTNEW <field> [AS <field>]...]
        "#);
    }
}
