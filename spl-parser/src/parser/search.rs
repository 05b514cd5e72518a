//! The search-term grammar (semantics doc 2): precedence `NOT` > `OR` >
//! `AND`/juxtaposition; operators upper case only; the right side of a
//! comparison is always a literal.

use super::lex::{
    at_stage_end, is_option_start, is_ws, keyword, keyword_exact, option_key_len, quoted,
    unescape_bare, ws,
};
use super::pipeline::subsearch;
use super::{err, fail, fail_kind, Cx, PErrKind, PResult};
use crate::ast::{SearchExpr, SearchKind, SearchOp, SearchValue};
use crate::span::Span;

/// Where a search expression embedded in another command stops.
#[derive(Clone, Copy, Default)]
pub(crate) struct Stop {
    /// Stop before `BY`/`GROUPBY` (tstats/mstats `WHERE` clauses).
    pub by: bool,
    /// Stop before `key=` for these options (the command's declared ones).
    pub options: &'static [crate::options::OptSpec],
}

/// Keys that bound `_time` instead of matching a field.
const TIME_KEYS: &[&str] = &[
    "earliest",
    "latest",
    "starttime",
    "endtime",
    "starttimeu",
    "endtimeu",
    "_index_earliest",
    "_index_latest",
    "timeformat",
];

/// A search expression up to the end of the command (or a stop word).
/// `None` when there are no terms at all.
pub(crate) fn search_expr<'a>(cx: &Cx, i: &'a str, stop: Stop) -> PResult<'a, Option<SearchExpr>> {
    and_chain(cx, i, stop, false)
}

fn stops(j: &str, stop: Stop) -> bool {
    if stop.by && (keyword(j, "by").is_some() || keyword(j, "groupby").is_some()) {
        return true;
    }
    if !stop.options.is_empty() && is_option_start(j) {
        let key = &j[..option_key_len(j)];
        // Time bounds are search terms too: they stay in the clause.
        return crate::options::find_spec(stop.options, key)
            .is_some_and(|o| o.kind != crate::options::OptKind::Time);
    }
    false
}

fn and_chain<'a>(
    cx: &Cx,
    mut i: &'a str,
    stop: Stop,
    in_paren: bool,
) -> PResult<'a, Option<SearchExpr>> {
    let mut items: Vec<SearchExpr> = Vec::new();
    loop {
        let j = ws(i);
        if at_stage_end(j) || j.starts_with(')') || (!in_paren && stops(j, stop)) {
            break;
        }
        let (j, explicit_and) = match keyword_exact(j, "AND") {
            Some(after) if !items.is_empty() => (ws(after), true),
            Some(_) => return fail(j, "search term before `AND`"),
            None => (j, false),
        };
        let (rest, e) = match or_chain(cx, j, stop) {
            Err(nom::Err::Error(e)) if explicit_and => return Err(nom::Err::Failure(e)),
            r => r?,
        };
        items.push(e);
        i = rest;
    }
    Ok((i, build(items, SearchKind::And)))
}

fn build(
    mut items: Vec<SearchExpr>,
    make: fn(Vec<SearchExpr>) -> SearchKind,
) -> Option<SearchExpr> {
    match items.len() {
        0 => None,
        1 => items.pop(),
        _ => {
            let span = items
                .iter()
                .map(|e| e.span)
                .reduce(Span::join)
                .unwrap_or_default();
            Some(SearchExpr {
                kind: make(items),
                span,
            })
        }
    }
}

fn or_chain<'a>(cx: &Cx, i: &'a str, stop: Stop) -> PResult<'a, SearchExpr> {
    let (mut i, first) = not_term(cx, i, stop)?;
    let mut items = vec![first];
    loop {
        let j = ws(i);
        let Some(after) = keyword_exact(j, "OR") else {
            break;
        };
        let (rest, e) = match not_term(cx, ws(after), stop) {
            Err(nom::Err::Error(e)) => return Err(nom::Err::Failure(e)),
            r => r?,
        };
        items.push(e);
        i = rest;
    }
    match build(items, SearchKind::Or) {
        Some(e) => Ok((i, e)),
        None => err(i, "search term"),
    }
}

fn not_term<'a>(cx: &Cx, i: &'a str, stop: Stop) -> PResult<'a, SearchExpr> {
    let Some(after) = keyword_exact(i, "NOT") else {
        return primary(cx, i, stop);
    };
    let _guard = cx.enter(i)?;
    let (rest, inner) = match not_term(cx, ws(after), stop) {
        Err(nom::Err::Error(e)) => return Err(nom::Err::Failure(e)),
        r => r?,
    };
    let span = cx.span(i, rest);
    Ok((
        rest,
        SearchExpr {
            kind: SearchKind::Not(Box::new(inner)),
            span,
        },
    ))
}

fn primary<'a>(cx: &Cx, i: &'a str, stop: Stop) -> PResult<'a, SearchExpr> {
    let Some(c) = i.chars().next() else {
        return err(i, "search term");
    };
    match c {
        '(' => {
            let _guard = cx.enter(i)?;
            let (rest, inner) = and_chain(cx, &i[1..], stop, true)?;
            let rest = ws(rest);
            let Some(after) = rest.strip_prefix(')') else {
                return fail_kind(
                    i,
                    PErrKind::Unbalanced {
                        bracket: '(',
                        expected: "`)`",
                        found_rem: rest.len(),
                    },
                );
            };
            match inner {
                Some(mut e) => {
                    e.span = cx.span(i, after);
                    Ok((after, e))
                }
                None => fail(rest, "search term inside `(...)`"),
            }
        }
        '[' => {
            let (rest, sub) = subsearch(cx, i)?;
            let span = sub.span;
            Ok((
                rest,
                SearchExpr {
                    kind: SearchKind::Subsearch(Box::new(sub)),
                    span,
                },
            ))
        }
        '`' => {
            let len = super::lex::macro_call_len(i);
            fail_kind(i, PErrKind::UnexpandedMacro { len })
        }
        '"' => {
            let (rest, v) = quoted(cx, i)?;
            if let Some(r) = comparison(cx, &v.node, v.span, rest)? {
                return Ok(r);
            }
            if let Some(r) = in_clause(cx, i, &v.node, v.span, rest)? {
                return Ok(r);
            }
            Ok((
                rest,
                SearchExpr {
                    span: v.span,
                    kind: SearchKind::Term(SearchValue {
                        text: v.node,
                        quoted: true,
                        span: v.span,
                    }),
                },
            ))
        }
        '=' | '<' | '>' | ')' => err(i, "search term"),
        '!' if i[1..].starts_with('=') => err(i, "search term"),
        _ => bare(cx, i),
    }
}

/// `CASE(x)`, `TERM(x)`, `field op value`, `field IN (...)` or a bare term.
fn bare<'a>(cx: &Cx, i: &'a str) -> PResult<'a, SearchExpr> {
    for name in ["CASE", "TERM"] {
        if let Some(after) = i.strip_prefix(name).and_then(|r| r.strip_prefix('(')) {
            return func(cx, i, name, after);
        }
    }
    let (rest, raw) = token(i, false, true);
    if raw.is_empty() {
        return err(i, "search term");
    }
    let span = cx.span(i, rest);
    let field = unescape_bare(raw);
    if let Some(r) = comparison(cx, &field, span, rest)? {
        return Ok(r);
    }
    if let Some(r) = in_clause(cx, i, &field, span, rest)? {
        return Ok(r);
    }
    Ok((
        rest,
        SearchExpr {
            kind: SearchKind::Term(SearchValue {
                text: field.into_owned(),
                quoted: false,
                span,
            }),
            span,
        },
    ))
}

/// `IN (...)` after a field, if present.
fn in_clause<'a>(
    cx: &Cx,
    start: &'a str,
    field: &str,
    field_span: Span,
    rest: &'a str,
) -> Result<Option<(&'a str, SearchExpr)>, nom::Err<super::PErr>> {
    let Some(after) = keyword(ws(rest), "IN") else {
        return Ok(None);
    };
    let open = ws(after);
    if !open.starts_with('(') {
        return Ok(None);
    }
    let (rest, values) = in_list(cx, open)?;
    Ok(Some((
        rest,
        SearchExpr {
            kind: SearchKind::In {
                field: field.to_string(),
                field_span,
                values,
            },
            span: cx.span(start, rest),
        },
    )))
}

fn func<'a>(cx: &Cx, i: &'a str, name: &str, after: &'a str) -> PResult<'a, SearchExpr> {
    let j = ws(after);
    let (rest, value) = value(cx, j, false)?;
    let rest = ws(rest);
    let Some(rest) = rest.strip_prefix(')') else {
        return fail_kind(
            &i[name.len()..],
            PErrKind::Unbalanced {
                bracket: '(',
                expected: "`)`",
                found_rem: rest.len(),
            },
        );
    };
    Ok((
        rest,
        SearchExpr {
            kind: SearchKind::Func {
                name: name.to_string(),
                value,
            },
            span: cx.span(i, rest),
        },
    ))
}

/// If a comparison operator follows, parses `op value` after a field.
fn comparison<'a>(
    cx: &Cx,
    field: &str,
    field_span: Span,
    rest: &'a str,
) -> Result<Option<(&'a str, SearchExpr)>, nom::Err<super::PErr>> {
    let j = ws(rest);
    let b = j.as_bytes();
    let (op, n) = match (b.first(), b.get(1)) {
        (Some(b'='), Some(b'=')) => (SearchOp::Eq, 2),
        (Some(b'='), _) => (SearchOp::Eq, 1),
        (Some(b'!'), Some(b'=')) => (SearchOp::Ne, 2),
        (Some(b'<'), Some(b'=')) => (SearchOp::Le, 2),
        (Some(b'>'), Some(b'=')) => (SearchOp::Ge, 2),
        (Some(b'<'), _) => (SearchOp::Lt, 1),
        (Some(b'>'), _) => (SearchOp::Gt, 1),
        _ => return Ok(None),
    };
    let vstart = ws(&j[n..]);
    let (rest, v) = match value(cx, vstart, false) {
        Ok(r) => r,
        Err(nom::Err::Error(_)) => {
            return Err(nom::Err::Failure(super::PErr::expected(
                vstart,
                format!("value after `{}`", op.as_str()),
            )))
        }
        Err(e) => return Err(e),
    };
    let span = field_span.join(v.span);
    let kind = if op == SearchOp::Eq && TIME_KEYS.iter().any(|k| k.eq_ignore_ascii_case(field)) {
        SearchKind::TimeBound {
            key: field.to_ascii_lowercase(),
            value: v.text,
        }
    } else {
        SearchKind::Compare {
            field: field.to_string(),
            field_span,
            op,
            value: v,
        }
    };
    Ok(Some((rest, SearchExpr { kind, span })))
}

/// A literal: quoted phrase or bare token (`in_list`: commas separate).
fn value<'a>(cx: &Cx, i: &'a str, in_list: bool) -> PResult<'a, SearchValue> {
    if i.starts_with('"') {
        let (rest, v) = quoted(cx, i)?;
        return Ok((
            rest,
            SearchValue {
                text: v.node,
                quoted: true,
                span: v.span,
            },
        ));
    }
    if i.starts_with('`') {
        let len = super::lex::macro_call_len(i);
        return fail_kind(i, PErrKind::UnexpandedMacro { len });
    }
    let (rest, raw) = token(i, in_list, false);
    if raw.is_empty() {
        return err(i, "value");
    }
    Ok((
        rest,
        SearchValue {
            text: unescape_bare(raw).into_owned(),
            quoted: false,
            span: cx.span(i, rest),
        },
    ))
}

/// A bare token. Stops at whitespace, `|`, `[`, `]`, `"`, an unmatched `)`
/// (and `,` in lists); `(`...`)` inside the token is kept. With `field`, also
/// stops before comparison operators (`=`, `!=`, `<`, `>`).
pub(crate) fn token(i: &str, in_list: bool, field: bool) -> (&str, &str) {
    let b = i.as_bytes();
    let mut depth = 0usize;
    // Where the token first relied on being inside parentheses (a space or a
    // quote); if the parentheses never close, the token ends there instead.
    let mut widened: Option<usize> = None;
    let mut k = 0;
    while k < b.len() {
        let c = b[k];
        match c {
            b'\\' => {
                k += 2;
                continue;
            }
            b'(' => depth += 1,
            b')' if depth == 0 => break,
            b')' => depth -= 1,
            // Inside parentheses (`relative_time(now(), "-10m@m")`) spaces
            // and quoted strings belong to the token.
            b'"' if depth > 0 && !field => {
                widened.get_or_insert(k);
                k += 1;
                while k < b.len() && b[k] != b'"' {
                    k += if b[k] == b'\\' { 2 } else { 1 };
                }
            }
            b'|' | b'[' | b']' | b'"' | b'`' => break,
            b',' if in_list && depth == 0 => break,
            b'=' | b'<' | b'>' if field => break,
            b'!' if field && b.get(k + 1) == Some(&b'=') => break,
            _ if c < 0x80 && is_ws(c as char) => {
                if depth == 0 || field {
                    break;
                }
                widened.get_or_insert(k);
            }
            _ => {}
        }
        k += 1;
    }
    let mut k = k.min(b.len());
    if depth > 0 {
        if let Some(w) = widened {
            k = w;
        }
    }
    while !i.is_char_boundary(k) {
        k += 1;
    }
    (&i[k..], &i[..k])
}

/// `( v1, v2 ... )` after `IN`; `i` starts at `(`.
fn in_list<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Vec<SearchValue>> {
    let mut j = &i[1..];
    let mut out = Vec::new();
    loop {
        j = ws(j);
        if let Some(r) = j.strip_prefix(',') {
            j = r;
            continue;
        }
        if let Some(r) = j.strip_prefix(')') {
            return Ok((r, out));
        }
        if at_stage_end(j) {
            return fail_kind(
                i,
                PErrKind::Unbalanced {
                    bracket: '(',
                    expected: "`)`",
                    found_rem: j.len(),
                },
            );
        }
        if j.starts_with('(') {
            return fail(j, "value or `)`");
        }
        let (rest, v) = value(cx, j, true)?;
        out.push(v);
        j = rest;
    }
}
