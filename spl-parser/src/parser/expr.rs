//! The eval/where expression grammar (semantics doc 3.2). Loosest first:
//! `XOR`, `OR`, `AND`, `NOT`/`!`, comparisons (`= == != < <= > >= LIKE IN`),
//! `+ - .`, `* / %`, unary `- +`, primaries. Boolean keywords are
//! case-insensitive here (unlike the search language).

use super::lex::{ident_len, keyword, quoted, span_len, ws};
use super::{err, fail, fail_kind, too_long, Cx, PErrKind, PResult};
use crate::ast::{BinaryOp, Expr, ExprKind, Number, UnaryOp};
use crate::span::Spanned;

/// A whole expression; leading whitespace is skipped, trailing is not consumed.
pub(crate) fn expr<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Expr> {
    xor(cx, ws(i))
}

fn bin(op: BinaryOp, lhs: Expr, rhs: Expr) -> Expr {
    let span = lhs.span.join(rhs.span);
    Expr {
        kind: ExprKind::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        },
        span,
    }
}

/// One left-associative level whose operators are keywords.
fn kw_level<'a>(
    cx: &Cx,
    i: &'a str,
    kw: &str,
    op: BinaryOp,
    next: fn(&Cx, &'a str) -> PResult<'a, Expr>,
) -> PResult<'a, Expr> {
    let (mut i, mut lhs) = next(cx, i)?;
    loop {
        let j = ws(i);
        let Some(after) = keyword(j, kw) else {
            return Ok((i, lhs));
        };
        if !cx.operator() {
            return too_long(j);
        }
        let (rest, rhs) = operand(cx, after, next)?;
        lhs = bin(op, lhs, rhs);
        i = rest;
    }
}

/// The right operand of an operator: its absence is a hard error.
fn operand<'a>(
    cx: &Cx,
    i: &'a str,
    next: fn(&Cx, &'a str) -> PResult<'a, Expr>,
) -> PResult<'a, Expr> {
    match next(cx, ws(i)) {
        Err(nom::Err::Error(e)) => Err(nom::Err::Failure(e)),
        r => r,
    }
}

fn xor<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Expr> {
    kw_level(cx, i, "XOR", BinaryOp::Xor, or)
}

fn or<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Expr> {
    kw_level(cx, i, "OR", BinaryOp::Or, and)
}

fn and<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Expr> {
    kw_level(cx, i, "AND", BinaryOp::And, not)
}

fn not<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Expr> {
    let after = keyword(i, "NOT").or_else(|| i.strip_prefix('!').filter(|r| !r.starts_with('=')));
    let Some(after) = after else {
        return cmp(cx, i);
    };
    let _guard = cx.enter(i)?;
    let (rest, inner) = operand(cx, after, not)?;
    let span = cx.span(i, i).join(inner.span);
    Ok((
        rest,
        Expr {
            kind: ExprKind::Unary {
                op: UnaryOp::Not,
                expr: Box::new(inner),
            },
            span,
        },
    ))
}

fn cmp_op(i: &str) -> Option<(BinaryOp, usize)> {
    let b = i.as_bytes();
    Some(match (b.first()?, b.get(1)) {
        (b'=', Some(b'=')) => (BinaryOp::Eq, 2),
        (b'=', _) => (BinaryOp::Eq, 1),
        (b'!', Some(b'=')) => (BinaryOp::Ne, 2),
        (b'<', Some(b'=')) => (BinaryOp::Le, 2),
        (b'>', Some(b'=')) => (BinaryOp::Ge, 2),
        (b'<', _) => (BinaryOp::Lt, 1),
        (b'>', _) => (BinaryOp::Gt, 1),
        _ => {
            return keyword(i, "LIKE").map(|_| (BinaryOp::Like, 4));
        }
    })
}

fn cmp<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Expr> {
    let (mut i, mut lhs) = add(cx, i)?;
    loop {
        let j = ws(i);
        if let Some((op, n)) = cmp_op(j) {
            if !cx.operator() {
                return too_long(j);
            }
            let (rest, rhs) = operand(cx, &j[n..], add)?;
            lhs = bin(op, lhs, rhs);
            i = rest;
        } else if let Some(after) = keyword(j, "IN") {
            let open = ws(after);
            if !open.starts_with('(') {
                return fail(open, "`(` after `IN`");
            }
            let (rest, list) = args(cx, open)?;
            let span = lhs.span.join(cx.span(rest, rest));
            lhs = Expr {
                kind: ExprKind::In {
                    expr: Box::new(lhs),
                    list,
                },
                span,
            };
            i = rest;
        } else {
            return Ok((i, lhs));
        }
    }
}

fn add<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Expr> {
    let (mut i, mut lhs) = mul(cx, i)?;
    loop {
        let j = ws(i);
        let op = match j.as_bytes().first() {
            Some(b'+') => BinaryOp::Add,
            Some(b'-') => BinaryOp::Sub,
            Some(b'.') => BinaryOp::Concat,
            _ => return Ok((i, lhs)),
        };
        if !cx.operator() {
            return too_long(j);
        }
        let (rest, rhs) = operand(cx, &j[1..], mul)?;
        lhs = bin(op, lhs, rhs);
        i = rest;
    }
}

fn mul<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Expr> {
    let (mut i, mut lhs) = unary(cx, i)?;
    loop {
        let j = ws(i);
        let op = match j.as_bytes().first() {
            Some(b'*') => BinaryOp::Mul,
            Some(b'/') => BinaryOp::Div,
            Some(b'%') => BinaryOp::Mod,
            _ => return Ok((i, lhs)),
        };
        if !cx.operator() {
            return too_long(j);
        }
        let (rest, rhs) = operand(cx, &j[1..], unary)?;
        lhs = bin(op, lhs, rhs);
        i = rest;
    }
}

fn unary<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Expr> {
    let op = match i.as_bytes().first() {
        Some(b'-') => UnaryOp::Neg,
        Some(b'+') => UnaryOp::Plus,
        _ => return primary(cx, i),
    };
    let _guard = cx.enter(i)?;
    let (rest, inner) = operand(cx, &i[1..], unary)?;
    let span = cx.span(i, i).join(inner.span);
    Ok((
        rest,
        Expr {
            kind: ExprKind::Unary {
                op,
                expr: Box::new(inner),
            },
            span,
        },
    ))
}

fn primary<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Expr> {
    let Some(&c) = i.as_bytes().first() else {
        return err(i, "expression");
    };
    match c {
        b'(' => {
            let _guard = cx.enter(i)?;
            let (rest, mut inner) = expr(cx, &i[1..])?;
            let rest = ws(rest);
            let Some(after) = rest.strip_prefix(')') else {
                return unbalanced_paren(i, rest, "`)`");
            };
            // The parentheses belong to the node for carets; printing
            // re-derives them from precedence.
            inner.span = cx.span(i, after);
            Ok((after, inner))
        }
        b'"' => {
            let (rest, s) = quoted(cx, i)?;
            Ok((
                rest,
                Expr {
                    kind: ExprKind::Str(s.node),
                    span: s.span,
                },
            ))
        }
        b'\'' => {
            let Some(end) = i[1..].find('\'') else {
                return fail_kind(i, PErrKind::UnterminatedField);
            };
            let rest = &i[end + 2..];
            Ok((
                rest,
                Expr {
                    kind: ExprKind::Field {
                        name: i[1..end + 1].to_string(),
                        quoted: true,
                    },
                    span: cx.span(i, rest),
                },
            ))
        }
        b'0'..=b'9' => number(cx, i),
        b'.' if i.as_bytes().get(1).is_some_and(u8::is_ascii_digit) => number(cx, i),
        b'`' => {
            let len = super::lex::macro_call_len(i);
            fail_kind(i, PErrKind::UnexpandedMacro { len })
        }
        _ => {
            let n = ident_len(i);
            if n == 0 {
                return err(i, "expression");
            }
            let name = &i[..n];
            let after = ws(&i[n..]);
            if after.starts_with('(') {
                let (rest, args) = args(cx, after)?;
                return Ok((
                    rest,
                    Expr {
                        kind: ExprKind::Call {
                            name: Spanned::new(name.to_string(), span_len(cx, i, n)),
                            args,
                        },
                        span: cx.span(i, rest),
                    },
                ));
            }
            let kind = match name {
                // Lower case only: expressions are case-sensitive, so `TRUE`
                // stays a field. `true()` is the function (above).
                "true" => ExprKind::Bool(true),
                "false" => ExprKind::Bool(false),
                _ => ExprKind::Field {
                    name: name.to_string(),
                    quoted: false,
                },
            };
            Ok((
                &i[n..],
                Expr {
                    kind,
                    span: span_len(cx, i, n),
                },
            ))
        }
    }
}

fn unbalanced_paren<'a, T>(open: &'a str, at: &'a str, expected: &'static str) -> PResult<'a, T> {
    if at.is_empty() || at.starts_with('|') || at.starts_with(']') {
        fail_kind(
            open,
            PErrKind::Unbalanced {
                bracket: '(',
                expected,
                found_rem: at.len(),
            },
        )
    } else {
        fail(at, expected)
    }
}

/// `( [expr {, expr}] )`; `i` starts at the `(`.
pub(crate) fn args<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Vec<Expr>> {
    let _guard = cx.enter(i)?;
    let open = i;
    let mut j = ws(&i[1..]);
    let mut out = Vec::new();
    if let Some(rest) = j.strip_prefix(')') {
        return Ok((rest, out));
    }
    loop {
        let (rest, e) = match expr(cx, j) {
            Err(nom::Err::Error(e)) => return Err(nom::Err::Failure(e)),
            r => r?,
        };
        out.push(e);
        let rest = ws(rest);
        if let Some(r) = rest.strip_prefix(',') {
            j = ws(r);
        } else if let Some(r) = rest.strip_prefix(')') {
            return Ok((r, out));
        } else {
            return unbalanced_paren(open, rest, "`,` or `)`");
        }
    }
}

fn number<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Expr> {
    let b = i.as_bytes();
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut n = digits(0);
    if b.get(n) == Some(&b'.') && b.get(n + 1).is_some_and(u8::is_ascii_digit) {
        n += 1 + digits(n + 1);
    }
    if matches!(b.get(n), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(b.get(n + 1), Some(b'+' | b'-')));
        let d = digits((n + 1 + sign).min(b.len()));
        if d > 0 {
            n += 1 + sign + d;
        }
    }
    let rest = &i[n..];
    Ok((
        rest,
        Expr {
            kind: ExprKind::Num(Number {
                text: i[..n].to_string(),
            }),
            span: cx.span(i, rest),
        },
    ))
}
