//! `join [opts] [fields] [subsearch]`.

use crate::ast::display::Words;
use crate::ast::{FieldName, Opt, Subsearch};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::args::{field_list, options_strict};
use crate::parser::lex::ws;
use crate::parser::pipeline::subsearch;
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `join` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    opt(
        "type",
        K::Choice(&["inner", "outer", "left"]),
        Some("inner"),
        "join type (outer is left)",
    ),
    opt(
        "usetime",
        K::Bool,
        Some("false"),
        "only match subsearch results earlier or later than the main result",
    ),
    opt(
        "earlier",
        K::Bool,
        Some("true"),
        "with usetime: match earlier (true) or later results",
    ),
    opt(
        "overwrite",
        K::Bool,
        Some("true"),
        "subsearch values replace main values of the same field",
    ),
    opt(
        "max",
        K::Count,
        Some("1"),
        "most subsearch results joined to each main result, 0 for all",
    ),
    opt(
        "return_multivalue",
        K::Bool,
        Some("false"),
        "return multivalue fields instead of one value",
    ),
];

/// `join [opts] [fields] [subsearch]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Join {
    /// `type`, `max`, `overwrite`, `usetime`, `earlier`.
    pub options: Vec<Opt>,
    /// Join fields (empty: all common fields).
    pub fields: Vec<FieldName>,
    /// The right side.
    pub subsearch: Subsearch,
}

/// Options and fields in any order, then a required subsearch.
pub(crate) fn opts_fields_sub<'a>(
    cx: &Cx,
    i: &'a str,
) -> PResult<'a, (Vec<Opt>, Vec<FieldName>, Subsearch)> {
    let mut j = i;
    let mut options = Vec::new();
    let mut fields = Vec::new();
    loop {
        let start = j.len();
        let (r, ()) = options_strict(cx, j, &mut options)?;
        let (r, f) = field_list(cx, r, &|_| false)?;
        fields.extend(f);
        j = r;
        if j.len() == start {
            break;
        }
    }
    let k = ws(j);
    if !k.starts_with('[') {
        return fail_kind(k, PErrKind::Missing("subsearch `[...]`".into()));
    }
    let (rest, sub) = subsearch(cx, k)?;
    Ok((rest, (options, fields, sub)))
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Join> {
    let (rest, (options, fields, subsearch)) = opts_fields_sub(cx, i)?;
    Ok((
        rest,
        Join {
            options,
            fields,
            subsearch,
        },
    ))
}

impl fmt::Display for Join {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.opts(&self.options)
            .fields(&self.fields)
            .push(&self.subsearch);
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Join {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }

    fn subsearches(&self) -> Vec<&crate::ast::Subsearch> {
        vec![&self.subsearch]
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn seed_s1_join() {
        insta::assert_snapshot!(cmd("| makeresults | join type=left key [ mstats avg(tcp.*) as avg_tcp.* where index=m AND earliest=-30d latest=-1h by a b | eval key='a' + \":\" + 'b' ]"), @r#"
            command: Join
            options:
            - key:
                node: type
                span: 21-25
              value:
                node: left
                span: 26-30
              quoted: false
            fields:
            - node: key
              span: 31-34
            subsearch:
              pipeline:
                stages:
                - command:
                    command: Mstats
                    options: []
                    aggs:
                    - func:
                        node: avg
                        span: 44-47
                      arg: !Field
                        node: tcp.*
                        span: 48-53
                      alias:
                        node: avg_tcp.*
                        span: 58-67
                      span: 44-67
                    where_:
                      kind: !And
                      - kind: !Compare
                          field: index
                          field_span: 74-79
                          op: Eq
                          value:
                            text: m
                            quoted: false
                            span: 80-81
                        span: 74-81
                      - kind: !TimeBound
                          key: earliest
                          value: -30d
                        span: 86-99
                      - kind: !TimeBound
                          key: latest
                          value: -1h
                        span: 100-110
                      span: 74-110
                    by:
                    - node: a
                      span: 114-115
                    - node: b
                      span: 116-117
                  name:
                    node: mstats
                    span: 37-43
                  piped: false
                  span: 37-117
                - command:
                    command: Eval
                    assignments:
                    - target:
                        node: key
                        span: 125-128
                      expr:
                        kind: !Binary
                          op: Add
                          lhs:
                            kind: !Binary
                              op: Add
                              lhs:
                                kind: !Field
                                  name: a
                                  quoted: true
                                span: 129-132
                              rhs:
                                kind: !Str ':'
                                span: 135-138
                            span: 129-138
                          rhs:
                            kind: !Field
                              name: b
                              quoted: true
                            span: 141-144
                        span: 129-144
                  name:
                    node: eval
                    span: 120-124
                  piped: true
                  span: 120-144
                span: 37-144
              span: 35-146
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("search x | join type=left key"), @r#"
            spl::parse::missing_argument

              × missing argument: expected subsearch `[...]`, found end of input
               ╭────
             1 │ search x | join type=left key
               ·                             ┬
               ·                             ╰── expected subsearch `[...]` here
               ╰────
              help: in `join`; usage: join [<option>=<value>]... [<field>...]
                    [<subsearch>]
        "#);
        insta::assert_snapshot!(err("search x | join key [search y"), @r#"
            spl::parse::unbalanced_bracket

              × unbalanced `[`: expected `]`, found end of input
               ╭────
             1 │ search x | join key [search y
               ·                     ┬
               ·                     ╰── this `[` is not matched
               ╰────
              help: in `join`; usage: join [<option>=<value>]... [<field>...]
                    [<subsearch>]
        "#);
    }
}
