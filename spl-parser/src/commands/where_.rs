//! `where <eval-expression>`.

use crate::ast::Expr;
use crate::options::OptSpec;
use crate::parser::expr::expr;
use crate::parser::lex::{at_stage_end, ws};
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `where` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[];

/// `where <expr>`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Where {
    /// The predicate.
    pub expr: Expr,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Where> {
    let j = ws(i);
    if at_stage_end(j) {
        return fail_kind(j, PErrKind::Missing("expression".into()));
    }
    let (rest, expr) = expr(cx, j)?;
    Ok((rest, Where { expr }))
}

impl fmt::Display for Where {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.expr.fmt(f)
    }
}

impl crate::ast::CommandNode for Where {
    fn exprs(&self) -> Vec<&crate::ast::Expr> {
        vec![&self.expr]
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn precedence_and_before_or() {
        insta::assert_snapshot!(cmd("| where a=1 or b>2 and not c<3"), @r#"
            command: Where
            expr:
              kind: !Binary
                op: Or
                lhs:
                  kind: !Binary
                    op: Eq
                    lhs:
                      kind: !Field
                        name: a
                        quoted: false
                      span: 8-9
                    rhs:
                      kind: !Num
                        text: '1'
                      span: 10-11
                  span: 8-11
                rhs:
                  kind: !Binary
                    op: And
                    lhs:
                      kind: !Binary
                        op: Gt
                        lhs:
                          kind: !Field
                            name: b
                            quoted: false
                          span: 15-16
                        rhs:
                          kind: !Num
                            text: '2'
                          span: 17-18
                      span: 15-18
                    rhs:
                      kind: !Unary
                        op: Not
                        expr:
                          kind: !Binary
                            op: Lt
                            lhs:
                              kind: !Field
                                name: c
                                quoted: false
                              span: 27-28
                            rhs:
                              kind: !Num
                                text: '3'
                              span: 29-30
                          span: 27-30
                      span: 23-30
                  span: 15-30
              span: 8-30
        "#);
    }

    #[test]
    fn arithmetic_concat_like_in() {
        insta::assert_snapshot!(cmd(r#"| where 'x.y' + 3 * -z . "s" LIKE "a%" OR k in ("a", "b") XOR !isnull(q)"#), @r#"
            command: Where
            expr:
              kind: !Binary
                op: Xor
                lhs:
                  kind: !Binary
                    op: Or
                    lhs:
                      kind: !Binary
                        op: Like
                        lhs:
                          kind: !Binary
                            op: Concat
                            lhs:
                              kind: !Binary
                                op: Add
                                lhs:
                                  kind: !Field
                                    name: x.y
                                    quoted: true
                                  span: 8-13
                                rhs:
                                  kind: !Binary
                                    op: Mul
                                    lhs:
                                      kind: !Num
                                        text: '3'
                                      span: 16-17
                                    rhs:
                                      kind: !Unary
                                        op: Neg
                                        expr:
                                          kind: !Field
                                            name: z
                                            quoted: false
                                          span: 21-22
                                      span: 20-22
                                  span: 16-22
                              span: 8-22
                            rhs:
                              kind: !Str s
                              span: 25-28
                          span: 8-28
                        rhs:
                          kind: !Str a%
                          span: 34-38
                      span: 8-38
                    rhs:
                      kind: !In
                        expr:
                          kind: !Field
                            name: k
                            quoted: false
                          span: 42-43
                        list:
                        - kind: !Str a
                          span: 48-51
                        - kind: !Str b
                          span: 53-56
                      span: 42-57
                  span: 8-57
                rhs:
                  kind: !Unary
                    op: Not
                    expr:
                      kind: !Call
                        name:
                          node: isnull
                          span: 63-69
                        args:
                        - kind: !Field
                            name: q
                            quoted: false
                          span: 70-71
                      span: 63-72
                  span: 62-72
              span: 8-72
        "#);
    }

    #[test]
    fn boolean_literals() {
        // Lower-case `true`/`false` are literals; `'true'` and `TRUE` are
        // fields; `true()` is a call.
        insta::assert_snapshot!(cmd("| where isnull(x)=true AND NOT false OR 'true'=TRUE XOR true()"), @r#"
            command: Where
            expr:
              kind: !Binary
                op: Xor
                lhs:
                  kind: !Binary
                    op: Or
                    lhs:
                      kind: !Binary
                        op: And
                        lhs:
                          kind: !Binary
                            op: Eq
                            lhs:
                              kind: !Call
                                name:
                                  node: isnull
                                  span: 8-14
                                args:
                                - kind: !Field
                                    name: x
                                    quoted: false
                                  span: 15-16
                              span: 8-17
                            rhs:
                              kind: !Bool true
                              span: 18-22
                          span: 8-22
                        rhs:
                          kind: !Unary
                            op: Not
                            expr:
                              kind: !Bool false
                              span: 31-36
                          span: 27-36
                      span: 8-36
                    rhs:
                      kind: !Binary
                        op: Eq
                        lhs:
                          kind: !Field
                            name: 'true'
                            quoted: true
                          span: 40-46
                        rhs:
                          kind: !Field
                            name: 'TRUE'
                            quoted: false
                          span: 47-51
                      span: 40-51
                  span: 8-51
                rhs:
                  kind: !Call
                    name:
                      node: 'true'
                      span: 56-60
                    args: []
                  span: 56-62
              span: 8-62
        "#);
        let printed = crate::parse("| where 'true'=true AND 'false'!=false")
            .unwrap()
            .to_string();
        assert_eq!(printed, "| where 'true' = true AND 'false' != false");
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("| where"), @r#"
            spl::parse::missing_argument

              × missing argument: expected expression, found end of input
               ╭────
             1 │ | where
               ·       ┬
               ·       ╰── expected expression here
               ╰────
              help: in `where`; usage: where <eval-expression>
        "#);
        insta::assert_snapshot!(err("| where a >"), @r#"
            spl::parse::expected

              × expected expression, found end of input
               ╭────
             1 │ | where a >
               ·           ┬
               ·           ╰── expected expression
               ╰────
              help: in `where`; usage: where <eval-expression>
        "#);
        insta::assert_snapshot!(err("| where f(a, b"), @r#"
            spl::parse::unbalanced_bracket

              × unbalanced `(`: expected `,` or `)`, found end of input
               ╭────
             1 │ | where f(a, b
               ·          ┬
               ·          ╰── this `(` is not matched
               ╰────
              help: in `where`; usage: where <eval-expression>
        "#);
        insta::assert_snapshot!(err("| where a b"), @r#"
            spl::parse::expected

              × expected `|` or end of input, found `b`
               ╭────
             1 │ | where a b
               ·           ┬
               ·           ╰── expected `|` or end of input
               ╰────
              help: in `where`; usage: where <eval-expression>
        "#);
    }
}
