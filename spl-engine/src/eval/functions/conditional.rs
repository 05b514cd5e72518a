//! Comparison and conditional functions (semantics 3.7 [R-CONDFN]).

use super::{spec, BindCx, Call, CallState, FnExample, FunctionSpec, Invoke};
use crate::commands::search::{SearchFilter, SearchMode};
use crate::error::{EngineError, Result};
use crate::eval::bind::{Kind, Node};
use crate::eval::coerce::{conform, select, to_bool, to_text};
use crate::eval::ops::{self, per_value};
use crate::eval::val::{Data, Val};
use arrow_array::{Array, BooleanArray, RecordBatch};
use arrow_buffer::BooleanBuffer;
use regex::Regex;
use spl_parser::ast::BinaryOp;
use std::collections::HashMap;
use std::net::IpAddr;

pub(super) const SPECS: &[FunctionSpec] = &[
    spec(
        "if",
        3,
        Some(3),
        Kind::Any,
        Invoke::Eager(if_),
        "`a` when the condition is true, else `b` (null and false take `b`).",
        &[
            FnExample {
                expr: r#"if(1 < 2, "yes", "no")"#,
                result: "yes",
            },
            FnExample {
                expr: r#"if(missing > 1, "yes", "no")"#,
                result: "no",
            },
        ],
    )
    .bound(bind_if),
    spec(
        "case",
        2,
        None,
        Kind::Any,
        Invoke::Eager(case),
        "The value after the first true condition; null when none is true.",
        &[
            FnExample {
                expr: r#"case(status==200, "OK", status==404, "Not found", true(), "Other")"#,
                result: "Not found",
            },
            FnExample {
                expr: r#"case(1==2, "x")"#,
                result: "null",
            },
        ],
    )
    .bound(bind_pairs),
    spec(
        "validate",
        2,
        None,
        Kind::Any,
        Invoke::Eager(validate),
        "The value after the first false condition; null when all are true.",
        &[FnExample {
            expr: r#"validate(isint(status), "not an integer", status < 400, "error status")"#,
            result: "error status",
        }],
    )
    .bound(bind_pairs),
    spec(
        "coalesce",
        1,
        None,
        Kind::Any,
        Invoke::Eager(coalesce),
        "The first argument that is not null.",
        &[FnExample {
            expr: r#"coalesce(missing, host, "x")"#,
            result: "web-01",
        }],
    ),
    spec(
        "nullif",
        2,
        Some(2),
        Kind::Any,
        Invoke::Eager(nullif),
        "Null when the two arguments are equal, else the first.",
        &[
            FnExample {
                expr: r#"nullif(host, "web-01")"#,
                result: "null",
            },
            FnExample {
                expr: r#"nullif(host, "x")"#,
                result: "web-01",
            },
        ],
    ),
    spec(
        "null",
        0,
        Some(0),
        Kind::Null,
        Invoke::Eager(null),
        "The null value (assigning it removes the field).",
        &[FnExample {
            expr: "null()",
            result: "null",
        }],
    ),
    spec(
        "true",
        0,
        Some(0),
        Kind::Bool,
        Invoke::Eager(true_),
        "Boolean true.",
        &[FnExample {
            expr: "true()",
            result: "True",
        }],
    ),
    spec(
        "false",
        0,
        Some(0),
        Kind::Bool,
        Invoke::Eager(false_),
        "Boolean false.",
        &[FnExample {
            expr: "false()",
            result: "False",
        }],
    ),
    spec(
        "in",
        1,
        None,
        Kind::Bool,
        Invoke::Eager(in_),
        "True when the first argument equals any of the others (exact, case-sensitive).",
        &[
            FnExample {
                expr: r#"in(status, "200", "404")"#,
                result: "True",
            },
            FnExample {
                expr: r#"in(status, "200")"#,
                result: "False",
            },
        ],
    ),
    spec(
        "like",
        2,
        Some(2),
        Kind::Bool,
        Invoke::Eager(like),
        "SQL LIKE: `%` matches any run, `_` one character; whole string, case-sensitive.",
        &[
            FnExample {
                expr: r#"like(host, "web-%")"#,
                result: "True",
            },
            FnExample {
                expr: r#"like(host, "web_")"#,
                result: "False",
            },
        ],
    )
    .bound(bind_like),
    spec(
        "match",
        2,
        Some(2),
        Kind::Bool,
        Invoke::Eager(match_),
        "True when the regex matches anywhere in the string.",
        &[
            FnExample {
                expr: r#"match(host, "^web-\d+$")"#,
                result: "True",
            },
            FnExample {
                expr: r#"match(host, "db")"#,
                result: "False",
            },
        ],
    )
    .bound(bind_regex_arg1),
    spec(
        "cidrmatch",
        2,
        Some(2),
        Kind::Bool,
        Invoke::Eager(cidrmatch),
        "True when the IP address (second argument) is in the CIDR subnet (first).",
        &[
            FnExample {
                expr: r#"cidrmatch("10.0.0.0/8", "10.1.2.3")"#,
                result: "True",
            },
            FnExample {
                expr: r#"cidrmatch("2001:db8::/32", "2001:db9::1")"#,
                result: "False",
            },
            FnExample {
                expr: r#"cidrmatch("10.0.0.0/8", "not-an-ip")"#,
                result: "False",
            },
        ],
    )
    .bound(bind_cidr),
    spec(
        "searchmatch",
        1,
        Some(1),
        Kind::Bool,
        Invoke::Lazy(searchmatch),
        "True when the row matches the search-language terms in the (literal) string.",
        &[
            FnExample {
                expr: r#"searchmatch("host=web-* status=404")"#,
                result: "True",
            },
            FnExample {
                expr: r#"searchmatch("status>=500")"#,
                result: "False",
            },
        ],
    )
    .bound(bind_searchmatch),
];

fn bind_if(cx: &BindCx<'_>) -> Result<CallState> {
    if let Some(c) = cx.args.first() {
        c.expect_bool("the condition of `if`")?;
    }
    Ok(CallState::default())
}

fn bind_pairs(cx: &BindCx<'_>) -> Result<CallState> {
    if cx.args.len() % 2 != 0 {
        return Err(EngineError::WrongArgCount {
            name: cx.name.to_string(),
            expected: "an even number of".into(),
            found: cx.args.len(),
            span: cx.span,
        });
    }
    for c in cx.args.iter().step_by(2) {
        c.expect_bool(&format!("a condition of `{}`", cx.name))?;
    }
    Ok(CallState::default())
}

/// `searchmatch("terms")`: the string is parsed with the search-term grammar
/// at bind time and evaluated like the `search` command (semantics 2).
fn bind_searchmatch(cx: &BindCx<'_>) -> Result<CallState> {
    let Some(text) = cx.lit_str(0) else {
        return Err(cx.err(
            0,
            "expected a string literal of search terms",
            "not a literal",
        ));
    };
    let parsed = spl_parser::parse_pipeline(&format!("search {text}"))
        .map_err(|e| cx.err(0, format!("invalid search terms: {e}"), "bad search"))?;
    let expr = match parsed.stages.into_iter().next().map(|s| s.command) {
        Some(spl_parser::ast::Command::Search(s)) => s.expr,
        _ => return Err(cx.err(0, "expected search terms, found a command", "bad search")),
    };
    let (filter, _) = SearchFilter::bind(expr.as_ref(), SearchMode::Events, cx.ctx)?;
    Ok(CallState::new(filter))
}

fn searchmatch(call: &Call<'_>, _: &[Node], batch: &RecordBatch) -> Result<Val> {
    match call.state.get::<SearchFilter>() {
        Some(f) => Ok(Val::boolean(f.evaluate(batch, call.ctx)?, false)),
        None => Ok(Val::bool_scalar(false)),
    }
}

fn if_(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let [c, t, f] = a else { return Ok(Val::null()) };
    select(&to_bool(c), t.clone(), f.clone(), call.len)
}

fn case(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    pairs(call, a, false)
}

fn validate(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    pairs(call, a, true)
}

/// `case` takes the first pair whose condition is true; `validate` the first
/// whose condition is false. Built back to front so earlier pairs win.
fn pairs(call: &Call<'_>, a: &[Val], negate: bool) -> Result<Val> {
    let mut acc = Val::null();
    for pair in a.chunks(2).rev() {
        let [c, v] = pair else { continue };
        let mut mask = to_bool(c);
        if negate {
            mask = arrow_arith::boolean::not(&mask)?;
        }
        acc = select(&mask, v.clone(), acc, call.len)?;
    }
    Ok(acc)
}

fn coalesce(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let vals = conform(a.to_vec())?;
    let mut iter = vals.into_iter().rev();
    let Some(mut acc) = iter.next() else {
        return Ok(Val::null());
    };
    for v in iter {
        if v.is_all_null() {
            continue;
        }
        let n = call.rows(&[v.clone(), acc.clone()]);
        let mask = BooleanArray::new(BooleanBuffer::collect_bool(n, |i| !v.is_null_at(i)), None);
        acc = select(&mask, v, acc, call.len)?;
    }
    Ok(acc)
}

fn nullif(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let [x, y] = a else { return Ok(Val::null()) };
    let eq = ops::compare(BinaryOp::Eq, x, y, call.len)?;
    let mask = to_bool(&eq);
    select(&mask, Val::null(), x.clone(), call.len)
}

fn null(_: &Call<'_>, _: &[Val]) -> Result<Val> {
    Ok(Val::null())
}

fn true_(_: &Call<'_>, _: &[Val]) -> Result<Val> {
    Ok(Val::bool_scalar(true))
}

fn false_(_: &Call<'_>, _: &[Val]) -> Result<Val> {
    Ok(Val::bool_scalar(false))
}

fn in_(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let Some((x, list)) = a.split_first() else {
        return Ok(Val::null());
    };
    ops::in_list(x, list, call.len)
}

/// Translates an SQL LIKE pattern to an anchored regex (`%` any run, `_` one
/// character, everything else literal — there is no escape character).
pub(crate) fn like_regex(pattern: &str) -> std::result::Result<Regex, regex::Error> {
    let mut re = String::with_capacity(pattern.len() + 8);
    re.push_str("(?s)^");
    let mut buf = [0u8; 4];
    for ch in pattern.chars() {
        match ch {
            '%' => re.push_str(".*"),
            '_' => re.push('.'),
            c => re.push_str(&regex::escape(c.encode_utf8(&mut buf))),
        }
    }
    re.push('$');
    Regex::new(&re)
}

fn bind_like(cx: &BindCx<'_>) -> Result<CallState> {
    match cx.lit_str(1) {
        Some(p) => like_regex(p)
            .map(CallState::new)
            .map_err(|e| cx.err(1, format!("invalid LIKE pattern: {e}"), "bad pattern")),
        None => Ok(CallState::default()),
    }
}

fn like(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let [s, p] = a else { return Ok(Val::null()) };
    regex_test(call.len, s, p, call.state.get::<Regex>(), true)
}

/// Compiles a literal regex argument at bind time (PCRE subset: Rust `regex`).
pub(crate) fn compile_regex(cx: &BindCx<'_>, i: usize) -> Result<Option<Regex>> {
    match cx.lit_str(i) {
        Some(p) => {
            crate::eval::compile_pcre(p)
                .map(Some)
                .map_err(|e| EngineError::InvalidArgument {
                    message: format!("invalid regular expression: {}", first_line(&e.to_string())),
                    span: cx.arg_span(i),
                    label: "bad regex".into(),
                    help: Some(
                        "the engine uses Rust regex syntax (no look-around or backreferences)"
                            .into(),
                    ),
                })
        }
        None => Ok(None),
    }
}

/// The `regex` crate's multi-line message, reduced to its last line.
fn first_line(s: &str) -> String {
    let last = s.lines().last().unwrap_or(s).trim();
    last.strip_prefix("error: ").unwrap_or(last).to_string()
}

fn bind_regex_arg1(cx: &BindCx<'_>) -> Result<CallState> {
    Ok(compile_regex(cx, 1)?
        .map(CallState::new)
        .unwrap_or_default())
}

fn match_(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let [s, p] = a else { return Ok(Val::null()) };
    regex_test(call.len, s, p, call.state.get::<Regex>(), false)
}

/// Tests each row's text against a regex (precompiled, or compiled per
/// distinct pattern); multivalue input: true when any value matches.
fn regex_test(len: usize, s: &Val, p: &Val, pre: Option<&Regex>, like: bool) -> Result<Val> {
    if let Data::Multi(_) = s.data {
        return per_value(s, p, len, |a, b, n| {
            Ok(to_bool(&regex_test_plain(a, b, n, pre, like)?))
        });
    }
    let n = if s.scalar && p.scalar { 1 } else { len };
    regex_test_plain(s, p, n, pre, like)
}

fn regex_test_plain(s: &Val, p: &Val, n: usize, pre: Option<&Regex>, like: bool) -> Result<Val> {
    let (Some(st), Some(pt)) = (to_text(s), to_text(p)) else {
        return Ok(Val::bool_scalar(false));
    };
    let mut cache: HashMap<String, Option<Regex>> = HashMap::new();
    let buf = BooleanBuffer::collect_bool(n, |i| {
        let (si, pi) = (s.idx(i), p.idx(i));
        if st.is_null(si) || pt.is_null(pi) {
            return false;
        }
        let text = st.value(si);
        if let Some(re) = pre {
            return re.is_match(text);
        }
        let pat = pt.value(pi);
        let re = cache.entry(pat.to_string()).or_insert_with(|| {
            if like {
                like_regex(pat).ok()
            } else {
                crate::eval::compile_pcre(pat).ok()
            }
        });
        re.as_ref().is_some_and(|re| re.is_match(text))
    });
    Ok(Val::boolean(
        BooleanArray::new(buf, None),
        s.scalar && p.scalar,
    ))
}

/// A parsed CIDR block.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cidr {
    net: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Parses `a.b.c.d/n`, `v6::/n`, or a bare address (a /32 or /128).
    pub(crate) fn parse(s: &str) -> Option<Cidr> {
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a, Some(p.parse::<u8>().ok()?)),
            None => (s.trim(), None),
        };
        let net: IpAddr = addr.parse().ok()?;
        let max = if net.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(Cidr { net, prefix })
    }

    pub(crate) fn contains(&self, ip: &IpAddr) -> bool {
        match (self.net, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(n) & mask == u32::from(*a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(n) & mask == u128::from(*a) & mask
            }
            _ => false,
        }
    }
}

fn bind_cidr(cx: &BindCx<'_>) -> Result<CallState> {
    match cx.lit_str(0) {
        Some(c) => match Cidr::parse(c) {
            Some(c) => Ok(CallState::new(c)),
            None => Err(cx.err(
                0,
                format!("expected a CIDR block such as 10.0.0.0/8, found `{c}`"),
                "bad CIDR",
            )),
        },
        None => Ok(CallState::default()),
    }
}

fn cidrmatch(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let [c, ip] = a else { return Ok(Val::null()) };
    let pre = call.state.get::<Cidr>().copied();
    let test = |c: &Val, ip: &Val, n: usize| -> Result<BooleanArray> {
        let (Some(ct), Some(it)) = (to_text(c), to_text(ip)) else {
            return Ok(BooleanArray::from(vec![false; n]));
        };
        Ok(BooleanArray::new(
            BooleanBuffer::collect_bool(n, |i| {
                let (ci, ii) = (c.idx(i), ip.idx(i));
                if ct.is_null(ci) || it.is_null(ii) {
                    return false;
                }
                let Some(cidr) = pre.or_else(|| Cidr::parse(ct.value(ci))) else {
                    return false;
                };
                it.value(ii)
                    .trim()
                    .parse::<IpAddr>()
                    .is_ok_and(|a| cidr.contains(&a))
            }),
            None,
        ))
    };
    if let Data::Multi(_) = ip.data {
        return per_value(ip, c, call.len, |ipv, cv, n| test(cv, ipv, n));
    }
    let n = call.rows(a);
    Ok(Val::boolean(test(c, ip, n)?, c.scalar && ip.scalar))
}
