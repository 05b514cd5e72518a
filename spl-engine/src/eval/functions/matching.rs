//! Pattern tests: `like`, `match`, `cidrmatch` (semantics 3.7 [R-CONDFN]),
//! and the regex helpers other families share.

use super::{BindCx, Call, CallState};
use crate::error::Result;
use crate::eval::coerce::{to_bool, to_text};
use crate::eval::ops::per_value;
use crate::eval::val::{Data, Val};
use crate::pcre::Pcre;
use arrow_array::{Array, BooleanArray};
use arrow_buffer::BooleanBuffer;
use regex::Regex;
use spl_parser::Span;
use std::collections::HashMap;
use std::net::IpAddr;

/// Translates an SQL LIKE pattern to an anchored regex (`%` any run, `_` one
/// character, everything else literal — there is no escape character).
///
/// LIKE stays on Rust's `regex`, not PCRE: the pattern is built here from
/// escaped literals, `.*` and `.`, so the two dialects agree on it, and
/// `regex` matches it in linear time with no backtracking limit to hit.
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

pub(super) fn bind_like(cx: &BindCx<'_>) -> Result<CallState> {
    match cx.lit_str(1) {
        Some(p) => like_regex(p)
            .map(CallState::new)
            .map_err(|e| cx.err(1, format!("invalid LIKE pattern: {e}"), "bad pattern")),
        None => Ok(CallState::default()),
    }
}

pub(super) fn like(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let [s, p] = a else { return Ok(Val::null()) };
    let pre = call.state.get::<Regex>();
    pattern_test(
        call.len,
        s,
        p,
        pre,
        |pat| like_regex(pat).ok(),
        |re, text| Ok(re.is_match(text)),
    )
}

/// A regex argument of an eval function: compiled at bind time when it is a
/// string literal, and where the query holds it (run-time limit errors point
/// there, also for patterns that come from fields).
pub(crate) struct RegexArg {
    /// The compiled literal, if the argument is one.
    pub re: Option<Pcre>,
    /// The argument's span.
    pub span: Span,
}

impl RegexArg {
    /// The bound argument of a call (a bind hook made it; a default span
    /// otherwise, which only a bug could reach).
    pub fn of<'a>(call: &'a Call<'_>) -> (Option<&'a Pcre>, Span) {
        match call.state.get::<RegexArg>() {
            Some(r) => (r.re.as_ref(), r.span),
            None => (None, Span::default()),
        }
    }
}

/// Binds regex argument `i` (PCRE, [`crate::pcre`]); a literal that does not
/// compile is an error pointing into it.
pub(crate) fn bind_regex(cx: &BindCx<'_>, i: usize) -> Result<RegexArg> {
    let span = cx.arg_span(i);
    let re = match cx.lit_str(i) {
        Some(p) => Some(Pcre::compile(p, span)?),
        None => None,
    };
    Ok(RegexArg { re, span })
}

pub(super) fn bind_regex_arg1(cx: &BindCx<'_>) -> Result<CallState> {
    Ok(CallState::new(bind_regex(cx, 1)?))
}

pub(super) fn match_(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let [s, p] = a else { return Ok(Val::null()) };
    let (pre, span) = RegexArg::of(call);
    pattern_test(
        call.len,
        s,
        p,
        pre,
        |pat| Pcre::new(pat).ok(),
        |re, text| re.is_match(text).map_err(|e| e.at(span)),
    )
}

/// Tests each row's text against a pattern (precompiled, or compiled per
/// distinct pattern; one that does not compile matches nothing); multivalue
/// input: true when any value matches.
fn pattern_test<R>(
    len: usize,
    s: &Val,
    p: &Val,
    pre: Option<&R>,
    compile: impl Fn(&str) -> Option<R>,
    test: impl Fn(&R, &str) -> Result<bool>,
) -> Result<Val> {
    if let Data::Multi(_) = s.data {
        return per_value(s, p, len, |a, b, n| {
            Ok(to_bool(&pattern_test_plain(a, b, n, pre, &compile, &test)?))
        });
    }
    let n = if s.scalar && p.scalar { 1 } else { len };
    pattern_test_plain(s, p, n, pre, &compile, &test)
}

fn pattern_test_plain<R>(
    s: &Val,
    p: &Val,
    n: usize,
    pre: Option<&R>,
    compile: &impl Fn(&str) -> Option<R>,
    test: &impl Fn(&R, &str) -> Result<bool>,
) -> Result<Val> {
    let (Some(st), Some(pt)) = (to_text(s), to_text(p)) else {
        return Ok(Val::bool_scalar(false));
    };
    let mut cache: HashMap<String, Option<R>> = HashMap::new();
    let mut failed = None;
    let buf = BooleanBuffer::collect_bool(n, |i| {
        let (si, pi) = (s.idx(i), p.idx(i));
        if failed.is_some() || st.is_null(si) || pt.is_null(pi) {
            return false;
        }
        let text = st.value(si);
        let re = match pre {
            Some(re) => Some(re),
            None => {
                let pat = pt.value(pi);
                cache
                    .entry(pat.to_string())
                    .or_insert_with(|| compile(pat))
                    .as_ref()
            }
        };
        match re.map(|re| test(re, text)) {
            Some(Ok(hit)) => hit,
            Some(Err(e)) => {
                failed = Some(e);
                false
            }
            None => false,
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
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

pub(super) fn bind_cidr(cx: &BindCx<'_>) -> Result<CallState> {
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

pub(super) fn cidrmatch(call: &Call<'_>, a: &[Val]) -> Result<Val> {
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
