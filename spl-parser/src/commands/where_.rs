//! `where <eval-expression>`.

use crate::ast::Expr;
use crate::parser::expr::expr;
use crate::parser::lex::{at_stage_end, ws};
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use serde::Serialize;
use std::fmt;

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

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn precedence_and_before_or() {
        insta::assert_snapshot!(cmd("| where a=1 or b>2 and not c<3"), @"");
    }

    #[test]
    fn arithmetic_concat_like_in() {
        insta::assert_snapshot!(cmd(r#"| where 'x.y' + 3 * -z . "s" LIKE "a%" OR k in ("a", "b") XOR !isnull(q)"#), @"");
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("| where"), @"");
        insta::assert_snapshot!(err("| where a >"), @"");
        insta::assert_snapshot!(err("| where f(a, b"), @"");
        insta::assert_snapshot!(err("| where a b"), @"");
    }
}
