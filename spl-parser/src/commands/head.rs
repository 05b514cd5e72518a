//! `head [N | limit=N | (expr)] [keeplast=b] [null=b]`.

use crate::ast::display::Words;
use crate::ast::{Expr, Opt};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::args::options_strict;
use crate::parser::expr::expr;
use crate::parser::lex::{at_stage_end, uint, ws};
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `head` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    opt("limit", K::Count, Some("10"), "results kept"),
    opt(
        "null",
        K::Bool,
        Some("false"),
        "with an expression: a null result keeps going",
    ),
    opt(
        "keeplast",
        K::Bool,
        Some("false"),
        "with an expression: keep the result that ended the run",
    ),
];

/// `head [N | limit=N | (expr)] [keeplast=b] [null=b]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Head {
    /// The count, if given (`head 5` or `head limit=5`).
    pub limit: Option<u64>,
    /// The `(expr)` form.
    pub expr: Option<Expr>,
    /// `keeplast`, `null` (a `limit=` option is moved to `limit`).
    pub options: Vec<Opt>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Head> {
    let mut options = Vec::new();
    let mut limit = None;
    let mut expression = None;
    let mut j = i;
    loop {
        let start = j.len();
        let (r, ()) = options_strict(cx, j, &mut options)?;
        j = r;
        let k = ws(j);
        if at_stage_end(k) {
            break;
        }
        if limit.is_none() && expression.is_none() {
            if let Ok((r, n)) = uint(cx, k, "count") {
                limit = Some(n.node);
                j = r;
                continue;
            }
            let (r, e) = expr(cx, k)?;
            expression = Some(e);
            j = r;
        }
        if j.len() == start {
            break;
        }
    }
    let mut rest_opts = Vec::with_capacity(options.len());
    for o in options {
        if o.key.node.eq_ignore_ascii_case("limit") {
            match o.value.node.parse::<u64>() {
                Ok(n) => limit = Some(n),
                Err(_) => {
                    let at = (o.value.span.start as usize).saturating_sub(cx.off(i));
                    return fail_kind(
                        i.get(at..).unwrap_or(""),
                        PErrKind::Invalid {
                            what: "head limit",
                            expected: "a non-negative integer",
                            len: o.value.node.len(),
                        },
                    );
                }
            }
        } else {
            rest_opts.push(o);
        }
    }
    Ok((
        j,
        Head {
            limit,
            expr: expression,
            options: rest_opts,
        },
    ))
}

impl fmt::Display for Head {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        if let Some(n) = self.limit {
            w.push(n);
        }
        if let Some(e) = &self.expr {
            w.push(format!("({e})"));
        }
        w.opts(&self.options);
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Head {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }

    fn exprs(&self) -> Vec<&crate::ast::Expr> {
        self.expr.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd("search a | head 5"), @r#"
            command: Head
            limit: 5
            expr: null
            options: []
        "#);
        insta::assert_snapshot!(cmd("search a | head limit=3 keeplast=t"), @r#"
            command: Head
            limit: 3
            expr: null
            options:
            - key:
                node: keeplast
                span: 24-32
              value:
                node: t
                span: 33-34
              quoted: false
        "#);
        insta::assert_snapshot!(cmd("search a | head (count > 10) null=f"), @r#"
            command: Head
            limit: null
            expr:
              kind: !Binary
                op: Gt
                lhs:
                  kind: !Field
                    name: count
                    quoted: false
                  span: 17-22
                rhs:
                  kind: !Num
                    text: '10'
                  span: 25-27
              span: 16-28
            options:
            - key:
                node: 'null'
                span: 29-33
              value:
                node: f
                span: 34-35
              quoted: false
        "#);
        insta::assert_snapshot!(cmd("search a | head"), @r#"
            command: Head
            limit: null
            expr: null
            options: []
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("search a | head limit=x"), @"
        spl::parse::invalid_value

          × invalid `limit` value: expected a whole number >= 0, found `x`
           ╭────
         1 │ search a | head limit=x
           ·                       ┬
           ·                       ╰── invalid `limit` value
           ╰────
          help: in `head`; usage: head [<count>|limit=<count>|(<eval-expression>)]
                [keeplast=<bool>] [null=<bool>]
        ");
    }
}
