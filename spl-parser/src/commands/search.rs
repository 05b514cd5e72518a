//! `search <terms>`: the search-term language (also the implicit leading search).

use crate::ast::SearchExpr;
use crate::options::OptSpec;
use crate::parser::search::{search_expr, Stop};
use crate::parser::{Cx, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `search` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[];

/// `search <terms>`; `expr` is `None` for an empty search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Search {
    /// The term expression.
    pub expr: Option<SearchExpr>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Search> {
    let (rest, expr) = search_expr(cx, i, Stop::default())?;
    Ok((rest, Search { expr }))
}

impl fmt::Display for Search {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.expr {
            Some(e) => e.fmt(f),
            None => Ok(()),
        }
    }
}

impl crate::ast::CommandNode for Search {
    fn subsearches(&self) -> Vec<&crate::ast::Subsearch> {
        crate::ast::search_subsearches(self.expr.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err, query};

    #[test]
    fn precedence_not_or_and() {
        insta::assert_snapshot!(cmd("a b OR c NOT d"), @r#"
            command: Search
            expr:
              kind: !And
              - kind: !Term
                  text: a
                  quoted: false
                  span: 0-1
                span: 0-1
              - kind: !Or
                - kind: !Term
                    text: b
                    quoted: false
                    span: 2-3
                  span: 2-3
                - kind: !Term
                    text: c
                    quoted: false
                    span: 7-8
                  span: 7-8
                span: 2-8
              - kind: !Not
                  kind: !Term
                    text: d
                    quoted: false
                    span: 13-14
                  span: 13-14
                span: 9-14
              span: 0-14
        "#);
    }

    #[test]
    fn comparisons_and_quoted_field() {
        insta::assert_snapshot!(cmd(r#"search "user.groups{}"="system:unauthenticated" "responseStatus.code"=403 x!=1 y<=2"#), @r#"
            command: Search
            expr:
              kind: !And
              - kind: !Compare
                  field: user.groups{}
                  field_span: 7-22
                  op: Eq
                  value:
                    text: system:unauthenticated
                    quoted: true
                    span: 23-47
                span: 7-47
              - kind: !Compare
                  field: responseStatus.code
                  field_span: 48-69
                  op: Eq
                  value:
                    text: '403'
                    quoted: false
                    span: 70-73
                span: 48-73
              - kind: !Compare
                  field: x
                  field_span: 74-75
                  op: Ne
                  value:
                    text: '1'
                    quoted: false
                    span: 77-78
                span: 74-78
              - kind: !Compare
                  field: y
                  field_span: 79-80
                  op: Le
                  value:
                    text: '2'
                    quoted: false
                    span: 82-83
                span: 79-83
              span: 7-83
        "#);
    }

    #[test]
    fn lower_case_operators_are_terms() {
        insta::assert_snapshot!(cmd("search a and b or not c"), @r#"
            command: Search
            expr:
              kind: !And
              - kind: !Term
                  text: a
                  quoted: false
                  span: 7-8
                span: 7-8
              - kind: !Term
                  text: and
                  quoted: false
                  span: 9-12
                span: 9-12
              - kind: !Term
                  text: b
                  quoted: false
                  span: 13-14
                span: 13-14
              - kind: !Term
                  text: or
                  quoted: false
                  span: 15-17
                span: 15-17
              - kind: !Term
                  text: not
                  quoted: false
                  span: 18-21
                span: 18-21
              - kind: !Term
                  text: c
                  quoted: false
                  span: 22-23
                span: 22-23
              span: 7-23
        "#);
    }

    #[test]
    fn in_list_time_bounds_case_term() {
        insta::assert_snapshot!(cmd(r#"search code IN (40*, "500") earliest=-30d@d latest=now CASE(Err) TERM(10.0.0.1)"#), @r#"
            command: Search
            expr:
              kind: !And
              - kind: !In
                  field: code
                  field_span: 7-11
                  values:
                  - text: 40*
                    quoted: false
                    span: 16-19
                  - text: '500'
                    quoted: true
                    span: 21-26
                span: 7-27
              - kind: !TimeBound
                  key: earliest
                  value: -30d@d
                span: 28-43
              - kind: !TimeBound
                  key: latest
                  value: now
                span: 44-54
              - kind: !Func
                  name: CASE
                  value:
                    text: Err
                    quoted: false
                    span: 60-63
                span: 55-64
              - kind: !Func
                  name: TERM
                  value:
                    text: 10.0.0.1
                    quoted: false
                    span: 70-78
                span: 65-79
              span: 7-79
        "#);
    }

    #[test]
    fn backslash_escapes_in_bare_terms() {
        insta::assert_snapshot!(cmd(r#"search cfg=*\"privileged\":true* a\|b c\\d e\sf"#), @r#"
            command: Search
            expr:
              kind: !And
              - kind: !Compare
                  field: cfg
                  field_span: 7-10
                  op: Eq
                  value:
                    text: '*"privileged":true*'
                    quoted: false
                    span: 11-32
                span: 7-32
              - kind: !Term
                  text: a|b
                  quoted: false
                  span: 33-37
                span: 33-37
              - kind: !Term
                  text: c\d
                  quoted: false
                  span: 38-42
                span: 38-42
              - kind: !Term
                  text: e\sf
                  quoted: false
                  span: 43-47
                span: 43-47
              span: 7-47
        "#);
    }

    #[test]
    fn implicit_search_and_subsearch_term() {
        insta::assert_snapshot!(query("index=main [search x | fields user] | head 1"), @r#"
            pipeline:
              stages:
              - command:
                  command: Search
                  expr:
                    kind: !And
                    - kind: !Compare
                        field: index
                        field_span: 0-5
                        op: Eq
                        value:
                          text: main
                          quoted: false
                          span: 6-10
                      span: 0-10
                    - kind: !Subsearch
                        pipeline:
                          stages:
                          - command:
                              command: Search
                              expr:
                                kind: !Term
                                  text: x
                                  quoted: false
                                  span: 19-20
                                span: 19-20
                            name:
                              node: search
                              span: 12-18
                            piped: false
                            span: 12-20
                          - command:
                              command: Fields
                              remove: false
                              fields:
                              - node: user
                                span: 30-34
                            name:
                              node: fields
                              span: 23-29
                            piped: true
                            span: 23-34
                          span: 12-34
                        span: 11-35
                      span: 11-35
                    span: 0-35
                name:
                  node: search
                  span: 0-0
                piped: false
                span: 0-35
              - command:
                  command: Head
                  limit: 1
                  expr: null
                  options: []
                name:
                  node: head
                  span: 38-42
                piped: true
                span: 38-44
              span: 0-44
        "#);
    }

    #[test]
    fn spaces_around_equals() {
        insta::assert_snapshot!(cmd("search Authentication.action = failure"), @r#"
            command: Search
            expr:
              kind: !Compare
                field: Authentication.action
                field_span: 7-28
                op: Eq
                value:
                  text: failure
                  quoted: false
                  span: 31-38
              span: 7-38
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("search a OR"), @r#"
            spl::parse::expected

              × expected search term, found end of input
               ╭────
             1 │ search a OR
               ·           ┬
               ·           ╰── expected search term
               ╰────
              help: in `search`; usage: search <terms>
        "#);
        insta::assert_snapshot!(err("search (a b"), @r#"
            spl::parse::unbalanced_bracket

              × unbalanced `(`: expected `)`, found end of input
               ╭────
             1 │ search (a b
               ·        ┬
               ·        ╰── this `(` is not matched
               ╰────
              help: in `search`; usage: search <terms>
        "#);
        insta::assert_snapshot!(err("search a=\"unterminated"), @r#"
            spl::parse::unterminated_string

              × unterminated string: expected closing `"`, found end of input
               ╭────
             1 │ search a="unterminated
               ·          ──────┬──────
               ·                ╰── opened here
               ╰────
              help: close the string with `"`; write a literal quote inside it as `\"`
        "#);
        insta::assert_snapshot!(err("search a) b"), @r#"
            spl::parse::unbalanced_bracket

              × unbalanced `)`: expected a `(` before it, found `)`
               ╭────
             1 │ search a) b
               ·         ┬
               ·         ╰── this `)` is not matched
               ╰────
              help: in `search`; usage: search <terms>
        "#);
        insta::assert_snapshot!(err("`kube_audit` x"), @r#"
            spl::parse::unexpanded_macro

              × unexpanded macro `kube_audit`: expected a search, found a macro call
               ╭────
             1 │ `kube_audit` x
               · ──────┬─────
               ·       ╰── macro call
               ╰────
              help: expand macros first (`spl parse --macros FILE`)
        "#);
    }
}
