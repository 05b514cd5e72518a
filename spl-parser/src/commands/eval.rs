//! `eval a=expr, b=expr`.

use crate::ast::{Expr, FieldName};
use crate::parser::expr::expr;
use crate::parser::lex::{at_stage_end, quoted, ws};
use crate::parser::{err, fail, fail_kind, Cx, PErrKind, PResult};
use crate::span::Spanned;
use serde::Serialize;
use std::fmt;

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
            return fail(i, "closing `'` of the field name");
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
        insta::assert_snapshot!(cmd(r#"| eval key='source.workload.name' + ":" + 'source.process.name', inbound:outbound = a/b, "x y"=0.20"#), @"");
    }

    #[test]
    fn functions_and_escapes() {
        insta::assert_snapshot!(cmd(r#"| eval s = replace('k8s.pod.name', "-\w{5}$|-[abcdef0-9]{8,10}-\w{5}$", ""), q="a\"b\\c""#), @"");
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("| eval x"), @"");
        insta::assert_snapshot!(err("| eval x=1 y=2"), @"");
        insta::assert_snapshot!(err("| eval x=(1"), @"");
        insta::assert_snapshot!(err("| eval x='abc"), @"");
    }
}
