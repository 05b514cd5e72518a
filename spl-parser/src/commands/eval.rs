//! `eval a=expr, b=expr`.

use crate::ast::{Expr, FieldName};
use crate::options::OptSpec;
use crate::parser::expr::expr;
use crate::parser::lex::{at_stage_end, quoted, ws};
use crate::parser::{err, fail, fail_kind, Cx, PErrKind, PResult};
use crate::span::Spanned;
use serde::Serialize;
use std::fmt;

/// The options of `eval` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[];

/// `eval a=expr, b=expr`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Eval {
    /// Assignments, evaluated left to right.
    pub assignments: Vec<EvalAssign>,
}

/// One `target = expr` of an `eval`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalAssign {
    /// Destination field (bare, `'quoted'` or `"quoted"`; `{x}` means dynamic name).
    pub target: FieldName,
    /// The value.
    pub expr: Expr,
}

/// The destination of an assignment: `'name'`, `"name"` or a bare name that
/// may hold `.`, `:`, `{}`, `-`, `@` (`eval inbound:outbound = ...`).
fn target<'a>(cx: &Cx, i: &'a str) -> PResult<'a, FieldName> {
    if i.starts_with('"') {
        return quoted(cx, i);
    }
    if let Some(body) = i.strip_prefix('\'') {
        let Some(end) = body.find('\'') else {
            return fail_kind(i, PErrKind::UnterminatedField);
        };
        let rest = &body[end + 1..];
        return Ok((
            rest,
            Spanned::new(body[..end].to_string(), cx.span(i, rest)),
        ));
    }
    let n = i
        .find(|c: char| c.is_whitespace() || "=,|[]()\"'!<>".contains(c))
        .unwrap_or(i.len());
    if n == 0 {
        return err(i, "field name");
    }
    let rest = &i[n..];
    Ok((rest, Spanned::new(i[..n].to_string(), cx.span(i, rest))))
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Eval> {
    let mut j = ws(i);
    if at_stage_end(j) {
        return fail_kind(j, PErrKind::Missing("`field=expression`".into()));
    }
    let mut assignments = Vec::new();
    loop {
        let (rest, target) = target(cx, j)?;
        let rest = ws(rest);
        let Some(rest) = rest.strip_prefix('=').filter(|r| !r.starts_with('=')) else {
            return fail(rest, "`=`");
        };
        let (rest, e) = expr(cx, rest)?;
        assignments.push(EvalAssign { target, expr: e });
        let after = ws(rest);
        match after.strip_prefix(',') {
            Some(r) => j = ws(r),
            None if at_stage_end(after) => return Ok((rest, Eval { assignments })),
            None => return fail(after, "`,` or end of command"),
        }
    }
}

impl fmt::Display for Eval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, a) in self.assignments.iter().enumerate() {
            if k > 0 {
                f.write_str(", ")?;
            }
            let t = &a.target.node;
            let bare = !t.is_empty()
                && !t
                    .chars()
                    .any(|c| c.is_whitespace() || "=,|[]()\"'!<>".contains(c));
            if bare {
                f.write_str(t)?;
            } else {
                f.write_str(&crate::ast::display::quote(t))?;
            }
            write!(f, "={}", a.expr)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn assignments() {
        insta::assert_snapshot!(cmd(r#"| eval key='source.workload.name' + ":" + 'source.process.name', inbound:outbound = a/b, "x y"=0.20"#), @r#"
            command: Eval
            assignments:
            - target:
                node: key
                span: 7-10
              expr:
                kind: !Binary
                  op: Add
                  lhs:
                    kind: !Binary
                      op: Add
                      lhs:
                        kind: !Field
                          name: source.workload.name
                          quoted: true
                        span: 11-33
                      rhs:
                        kind: !Str ':'
                        span: 36-39
                    span: 11-39
                  rhs:
                    kind: !Field
                      name: source.process.name
                      quoted: true
                    span: 42-63
                span: 11-63
            - target:
                node: inbound:outbound
                span: 65-81
              expr:
                kind: !Binary
                  op: Div
                  lhs:
                    kind: !Field
                      name: a
                      quoted: false
                    span: 84-85
                  rhs:
                    kind: !Field
                      name: b
                      quoted: false
                    span: 86-87
                span: 84-87
            - target:
                node: x y
                span: 89-94
              expr:
                kind: !Num
                  text: '0.20'
                span: 95-99
        "#);
    }

    #[test]
    fn functions_and_escapes() {
        insta::assert_snapshot!(cmd(r#"| eval s = replace('k8s.pod.name', "-\w{5}$|-[abcdef0-9]{8,10}-\w{5}$", ""), q="a\"b\\c""#), @r#"
            command: Eval
            assignments:
            - target:
                node: s
                span: 7-8
              expr:
                kind: !Call
                  name:
                    node: replace
                    span: 11-18
                  args:
                  - kind: !Field
                      name: k8s.pod.name
                      quoted: true
                    span: 19-33
                  - kind: !Str -\w{5}$|-[abcdef0-9]{8,10}-\w{5}$
                    span: 35-70
                  - kind: !Str ''
                    span: 72-74
                span: 11-75
            - target:
                node: q
                span: 77-78
              expr:
                kind: !Str a"b\c
                span: 79-88
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("| eval x"), @r#"
            spl::parse::expected

              × expected `=`, found end of input
               ╭────
             1 │ | eval x
               ·        ┬
               ·        ╰── expected `=`
               ╰────
              help: in `eval`; usage: eval <field>=<expression>[, <field>=<expression>]...
        "#);
        insta::assert_snapshot!(err("| eval x=1 y=2"), @r#"
            spl::parse::expected

              × expected `,` or end of command, found `y`
               ╭────
             1 │ | eval x=1 y=2
               ·            ┬
               ·            ╰── expected `,` or end of command
               ╰────
              help: in `eval`; usage: eval <field>=<expression>[, <field>=<expression>]...
        "#);
        insta::assert_snapshot!(err("| eval x=(1"), @r#"
            spl::parse::unbalanced_bracket

              × unbalanced `(`: expected `)`, found end of input
               ╭────
             1 │ | eval x=(1
               ·          ┬
               ·          ╰── this `(` is not matched
               ╰────
              help: in `eval`; usage: eval <field>=<expression>[, <field>=<expression>]...
        "#);
        insta::assert_snapshot!(err("| eval x='abc"), @r#"
            spl::parse::unterminated_string

              × unterminated field name: expected closing `'`, found end of input
               ╭────
             1 │ | eval x='abc
               ·          ──┬─
               ·            ╰── opened here
               ╰────
              help: close the field name with `'`
        "#);
    }
}
