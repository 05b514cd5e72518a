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
    /// Destination field (bare, `'quoted'` or `"quoted"`). For a dynamic
    /// target (`{x}`), the field whose value names the destination (`x`);
    /// the span covers the braces.
    pub target: FieldName,
    /// True for a dynamic target written `{field}` (bare, braces around the
    /// whole name): each result's value of `field` names the field assigned.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dynamic: bool,
    /// The value.
    pub expr: Expr,
}

/// The field named inside a bare dynamic target `{name}`: braces around the
/// whole target and none inside. `x{}` and `a{b}c` are plain names.
pub(crate) fn dynamic_target_name(bare: &str) -> Option<&str> {
    let inner = bare.strip_prefix('{')?.strip_suffix('}')?;
    (!inner.is_empty() && !inner.contains(['{', '}'])).then_some(inner)
}

/// The destination of an assignment: `'name'`, `"name"` or a bare name that
/// may hold `.`, `:`, `{}`, `-`, `@` (`eval inbound:outbound = ...`). A bare
/// `{name}` is dynamic (the `bool`); quoted names are always literal.
fn target<'a>(cx: &Cx, i: &'a str) -> PResult<'a, (FieldName, bool)> {
    if i.starts_with('"') {
        let (rest, name) = quoted(cx, i)?;
        return Ok((rest, (name, false)));
    }
    if let Some(body) = i.strip_prefix('\'') {
        let Some(end) = body.find('\'') else {
            return fail_kind(i, PErrKind::UnterminatedField);
        };
        let rest = &body[end + 1..];
        return Ok((
            rest,
            (
                Spanned::new(body[..end].to_string(), cx.span(i, rest)),
                false,
            ),
        ));
    }
    let n = i
        .find(|c: char| c.is_whitespace() || BARE_STOP.contains(c))
        .unwrap_or(i.len());
    if n == 0 {
        return err(i, "field name");
    }
    let rest = &i[n..];
    let span = cx.span(i, rest);
    Ok((
        rest,
        match dynamic_target_name(&i[..n]) {
            Some(inner) => (Spanned::new(inner.to_string(), span), true),
            None => (Spanned::new(i[..n].to_string(), span), false),
        },
    ))
}

/// Characters that end a bare assignment target.
const BARE_STOP: &str = "=,|[]()\"'!<>";

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Eval> {
    let mut j = ws(i);
    if at_stage_end(j) {
        return fail_kind(j, PErrKind::Missing("`field=expression`".into()));
    }
    let mut assignments = Vec::new();
    loop {
        let (rest, (target, dynamic)) = target(cx, j)?;
        let rest = ws(rest);
        let Some(rest) = rest.strip_prefix('=').filter(|r| !r.starts_with('=')) else {
            return fail(rest, "`=`");
        };
        let (rest, e) = expr(cx, rest)?;
        assignments.push(EvalAssign {
            target,
            dynamic,
            expr: e,
        });
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
                    .any(|c| c.is_whitespace() || BARE_STOP.contains(c));
            if a.dynamic {
                write!(f, "{{{t}}}")?;
            } else if bare && dynamic_target_name(t).is_none() {
                f.write_str(t)?;
            } else {
                // Quoted, so a literal `{x}` does not read back as dynamic.
                f.write_str(&crate::ast::display::quote(t))?;
            }
            write!(f, "={}", a.expr)?;
        }
        Ok(())
    }
}

impl crate::ast::CommandNode for Eval {
    fn exprs(&self) -> Vec<&crate::ast::Expr> {
        self.assignments.iter().map(|a| &a.expr).collect()
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
    fn dynamic_targets() {
        // A bare `{name}` is dynamic; quoted names and braces elsewhere are literal.
        insta::assert_snapshot!(cmd(r#"| eval {key}=value, "{lit}"=1, '{q}'=2, x{}=3, a{b}c=4, {}=5"#), @r#"
            command: Eval
            assignments:
            - target:
                node: key
                span: 7-12
              dynamic: true
              expr:
                kind: !Field
                  name: value
                  quoted: false
                span: 13-18
            - target:
                node: '{lit}'
                span: 20-27
              expr:
                kind: !Num
                  text: '1'
                span: 28-29
            - target:
                node: '{q}'
                span: 31-36
              expr:
                kind: !Num
                  text: '2'
                span: 37-38
            - target:
                node: x{}
                span: 40-43
              expr:
                kind: !Num
                  text: '3'
                span: 44-45
            - target:
                node: a{b}c
                span: 47-52
              expr:
                kind: !Num
                  text: '4'
                span: 53-54
            - target:
                node: '{}'
                span: 56-58
              expr:
                kind: !Num
                  text: '5'
                span: 59-60
        "#);
        let printed = crate::parse(r#"| eval {key}=value, "{lit}"=1, x{}=3"#)
            .unwrap()
            .to_string();
        assert_eq!(printed, r#"| eval {key}=value, "{lit}"=1, x{}=3"#);
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
