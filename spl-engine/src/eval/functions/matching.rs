//! Pattern tests: `like`, `match`, `cidrmatch` (semantics 3.7 [R-CONDFN]),
//! and the regex helpers other families share.

use super::{BindCx, Call, CallState};
use crate::error::{EngineError, Result};
use crate::eval::coerce::{to_bool, to_text};
use crate::eval::ops::per_value;
use crate::eval::val::{Data, Val};
use arrow_array::{Array, BooleanArray};
use arrow_buffer::BooleanBuffer;
use regex::Regex;
use std::collections::HashMap;
use std::net::IpAddr;

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

pub(super) fn bind_regex_arg1(cx: &BindCx<'_>) -> Result<CallState> {
    Ok(compile_regex(cx, 1)?
        .map(CallState::new)
        .unwrap_or_default())
}

pub(super) fn match_(call: &Call<'_>, a: &[Val]) -> Result<Val> {
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
