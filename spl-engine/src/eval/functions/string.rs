//! Text functions (semantics 3.7 [R-TEXTFN]). Multivalue input: `lower` and
//! `upper` work per value; the others use the first value (3.6).

use super::matching::{bind_regex, RegexArg};
use super::{spec, BindCx, Call, CallState, FnExample, FunctionSpec, Invoke};
use crate::error::Result;
use crate::eval::bind::Kind;
use crate::eval::coerce::{to_num, to_text};
use crate::eval::val::{build_multi, list_values, Data, Val};
use crate::pcre::{Part, Pcre, Template};
use arrow_array::builder::StringBuilder;
use arrow_array::{Array, Float64Array, StringArray};
use spl_parser::Span;

pub(super) const SPECS: &[FunctionSpec] = &[
    spec(
        "len",
        1,
        Some(1),
        Kind::Num,
        Invoke::Eager(len),
        "Number of characters (Unicode code points).",
        &[FnExample {
            expr: r#"len("héllo")"#,
            result: "5",
        }],
    ),
    spec(
        "lower",
        1,
        Some(1),
        Kind::Any,
        Invoke::Eager(lower),
        "Lower case (each value of a multivalue field).",
        &[
            FnExample {
                expr: r#"lower("AbC")"#,
                result: "abc",
            },
            FnExample {
                expr: "lower(mv)",
                result: r#"["a","b","c"]"#,
            },
        ],
    ),
    spec(
        "upper",
        1,
        Some(1),
        Kind::Any,
        Invoke::Eager(upper),
        "Upper case (each value of a multivalue field).",
        &[FnExample {
            expr: r#"upper("AbC")"#,
            result: "ABC",
        }],
    ),
    spec(
        "trim",
        1,
        Some(2),
        Kind::Str,
        Invoke::Eager(trim),
        "Removes characters of a set (default space and tab) from both ends.",
        &[
            FnExample {
                expr: r#"trim(" ZZZZabcZZ ", " Z")"#,
                result: "abc",
            },
            FnExample {
                expr: r#"trim("  x  ")"#,
                result: "x",
            },
        ],
    ),
    spec(
        "ltrim",
        1,
        Some(2),
        Kind::Str,
        Invoke::Eager(ltrim),
        "Removes characters of a set (default space and tab) from the left.",
        &[FnExample {
            expr: r#"ltrim(" ZZZZabcZZ ", " Z")"#,
            result: "abcZZ ",
        }],
    ),
    spec(
        "rtrim",
        1,
        Some(2),
        Kind::Str,
        Invoke::Eager(rtrim),
        "Removes characters of a set (default space and tab) from the right.",
        &[FnExample {
            expr: r#"rtrim(" ZZZZabcZZ ", " Z")"#,
            result: " ZZZZabc",
        }],
    ),
    spec(
        "replace",
        3,
        Some(3),
        Kind::Str,
        Invoke::Eager(replace),
        r"Replaces every match of a regex (PCRE); `\1`..`\9` in the replacement are groups.",
        &[
            FnExample {
                expr: r#"replace("web-7f9c8d6b5-x2k4q", "-\w{5}$|-[abcdef0-9]{8,10}-\w{5}$", "")"#,
                result: "web",
            },
            FnExample {
                expr: r#"replace("1/14/2023", "^(\d+)/(\d+)/", "\2/\1/")"#,
                result: "14/1/2023",
            },
            FnExample {
                expr: r#"replace("a, b, ", ",\s$$$$", "")"#,
                result: "a, b",
            },
        ],
    )
    .bound(bind_replace),
    spec(
        "substr",
        2,
        Some(3),
        Kind::Str,
        Invoke::Eager(substr),
        "Substring from a 1-based start (negative counts from the end) of an optional length.",
        &[
            FnExample {
                expr: r#"substr("splendid", 1, 3)"#,
                result: "spl",
            },
            FnExample {
                expr: r#"substr("string", -3)"#,
                result: "ing",
            },
        ],
    ),
    spec(
        "urldecode",
        1,
        Some(1),
        Kind::Str,
        Invoke::Eager(urldecode),
        "Decodes percent-encoding (and `+` as space).",
        &[FnExample {
            expr: r#"urldecode("http%3A%2F%2Fwww.splunk.com%2Fdownload%3Fr%3Dheader")"#,
            result: "http://www.splunk.com/download?r=header",
        }],
    ),
];

/// Maps each row's text (first value for multivalue) through `f`.
pub(crate) fn map_text(v: &Val, mut f: impl FnMut(&str) -> Option<String>) -> Option<StringArray> {
    let t = to_text(v)?;
    let mut b = StringBuilder::with_capacity(t.len(), t.len() * 8);
    for s in t.iter() {
        match s.and_then(&mut f) {
            Some(s) => b.append_value(s),
            None => b.append_null(),
        }
    }
    Some(b.finish())
}

fn text_result(v: &Val, out: Option<StringArray>) -> Val {
    out.map_or_else(Val::null, |a| Val::text(a, v.scalar))
}

fn len(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    let Some(x) = a.first() else {
        return Ok(Val::null());
    };
    let Some(t) = to_text(x) else {
        return Ok(Val::null());
    };
    let out: Float64Array = t
        .iter()
        .map(|s| s.map(|s| s.chars().count() as f64))
        .collect();
    Ok(Val::num(out, x.scalar))
}

fn case_map(a: &[Val], f: fn(&str) -> String) -> Result<Val> {
    let Some(x) = a.first() else {
        return Ok(Val::null());
    };
    if let Data::Multi(l) = &x.data {
        let rows = (0..l.len()).map(|i| {
            (!l.is_null(i)).then(|| list_values(l, i).into_iter().map(f).collect::<Vec<_>>())
        });
        return Ok(Val::multi(build_multi(rows), x.scalar));
    }
    Ok(text_result(x, map_text(x, |s| Some(f(s)))))
}

fn lower(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    case_map(a, str::to_lowercase)
}

fn upper(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    case_map(a, str::to_uppercase)
}

#[derive(Clone, Copy)]
enum Side {
    Both,
    Left,
    Right,
}

fn trim_impl(call: &Call<'_>, a: &[Val], side: Side) -> Result<Val> {
    let Some(x) = a.first() else {
        return Ok(Val::null());
    };
    let Some(t) = to_text(x) else {
        return Ok(Val::null());
    };
    let sets = match a.get(1) {
        Some(s) => match to_text(s) {
            Some(s) => Some((s, a.get(1).is_some_and(|v| v.scalar))),
            None => return Ok(Val::null()),
        },
        None => None,
    };
    let n = call.rows(a);
    let mut b = StringBuilder::with_capacity(n, n * 8);
    for i in 0..n {
        let xi = x.idx(i);
        let set: &str = match &sets {
            Some((s, scalar)) => {
                let si = if *scalar { 0 } else { i };
                if s.is_null(si) {
                    b.append_null();
                    continue;
                }
                s.value(si)
            }
            None => " \t",
        };
        if t.is_null(xi) {
            b.append_null();
            continue;
        }
        let pred = |c: char| set.contains(c);
        let s = t.value(xi);
        b.append_value(match side {
            Side::Both => s.trim_matches(pred),
            Side::Left => s.trim_start_matches(pred),
            Side::Right => s.trim_end_matches(pred),
        });
    }
    Ok(Val::text(b.finish(), a.iter().all(|v| v.scalar)))
}

fn trim(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    trim_impl(call, a, Side::Both)
}

fn ltrim(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    trim_impl(call, a, Side::Left)
}

fn rtrim(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    trim_impl(call, a, Side::Right)
}

/// A bound `replace` call: the regex argument and, when literal, the
/// parsed replacement.
struct Replacer {
    re: RegexArg,
    repl: Option<Template>,
}

/// Parses a `replace` replacement: `\N` (one digit) is group N, `\\` a
/// backslash; any other `\` and every `$` are literal.
pub(crate) fn parse_replacement(repl: &str) -> Template {
    let mut parts = Vec::new();
    let mut lit = String::with_capacity(repl.len());
    let mut chars = repl.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            lit.push(c);
            continue;
        }
        match chars.peek().copied() {
            Some(d) if d.is_ascii_digit() => {
                chars.next();
                if !lit.is_empty() {
                    parts.push(Part::Lit(std::mem::take(&mut lit)));
                }
                parts.push(Part::Group(d.to_digit(10).unwrap_or(0) as usize));
            }
            Some('\\') => {
                chars.next();
                lit.push('\\');
            }
            _ => lit.push('\\'),
        }
    }
    if !lit.is_empty() {
        parts.push(Part::Lit(lit));
    }
    Template(parts)
}

fn bind_replace(cx: &BindCx<'_>) -> Result<CallState> {
    let re = bind_regex(cx, 1)?;
    let repl = cx.lit_str(2).map(parse_replacement);
    Ok(CallState::new(Replacer { re, repl }))
}

fn replace(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let [x, p, r] = a else { return Ok(Val::null()) };
    let (Some(xt), Some(pt), Some(rt)) = (to_text(x), to_text(p), to_text(r)) else {
        return Ok(Val::null());
    };
    let pre = call.state.get::<Replacer>();
    let span = pre.map_or_else(Span::default, |p| p.re.span);
    let n = call.rows(a);
    let mut b = StringBuilder::with_capacity(n, n * 16);
    let mut fixed = pre.and_then(|p| p.re.re.as_ref()).map(Pcre::matcher);
    // a pattern from a field: the last one compiled, with its matcher
    let mut cache: Option<(String, Option<Pcre>)> = None;
    for i in 0..n {
        let (xi, pi, ri) = (x.idx(i), p.idx(i), r.idx(i));
        if xt.is_null(xi) || pt.is_null(pi) || rt.is_null(ri) {
            b.append_null();
            continue;
        }
        let parsed;
        let template = match pre.and_then(|p| p.repl.as_ref()) {
            Some(t) => t,
            None => {
                parsed = parse_replacement(rt.value(ri));
                &parsed
            }
        };
        let text = xt.value(xi);
        let out = match fixed.as_mut() {
            Some(m) => Some(m.replace(text, template, 1, true)),
            None => {
                let pat = pt.value(pi);
                if cache.as_ref().is_none_or(|(k, _)| k != pat) {
                    cache = Some((pat.to_string(), Pcre::new(pat).ok()));
                }
                cache
                    .as_ref()
                    .and_then(|(_, re)| re.as_ref())
                    .map(|re| re.matcher().replace(text, template, 1, true))
            }
        };
        match out {
            Some(res) => b.append_value(res.map_err(|e| e.at(span))?),
            None => b.append_null(),
        }
    }
    Ok(Val::text(b.finish(), a.iter().all(|v| v.scalar)))
}

/// SQLite `substr` semantics (1-based, negative start from the end, negative
/// length takes characters before the start). An omitted length means "to the
/// end", so every start before the beginning gives the whole text, down to
/// `i64::MIN`. Positions are computed in `i128`, so no start or length
/// overflows.
pub(crate) fn substr_chars(s: &str, start: i64, len: Option<i64>) -> String {
    let chars: Vec<char> = s.chars().collect();
    let total = chars.len() as i128;
    let mut p1 = i128::from(start);
    // Longer than any text, whatever the start: i64 offsets cannot reach it.
    let mut p2 = len.map_or(1i128 << 100, i128::from);
    let neg = p2 < 0;
    if neg {
        p2 = -p2;
    }
    if p1 < 0 {
        p1 += total;
        if p1 < 0 {
            p2 += p1;
            p1 = 0;
        }
    } else if p1 > 0 {
        p1 -= 1;
    } else if p2 > 0 {
        p2 -= 1;
    }
    if neg {
        p1 -= p2;
        if p1 < 0 {
            p2 += p1;
            p1 = 0;
        }
    }
    let from = p1.clamp(0, total) as usize;
    let to = (p1 + p2.max(0)).clamp(0, total) as usize;
    chars
        .get(from..to.max(from))
        .map(|c| c.iter().collect())
        .unwrap_or_default()
}

fn substr(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let Some(x) = a.first() else {
        return Ok(Val::null());
    };
    let Some(t) = to_text(x) else {
        return Ok(Val::null());
    };
    let nums: Vec<Option<Float64Array>> = a.iter().skip(1).map(|v| to_num(v, true)).collect();
    if nums.iter().any(Option::is_none) {
        return Ok(Val::null());
    }
    let n = call.rows(a);
    let mut b = StringBuilder::with_capacity(n, n * 8);
    for i in 0..n {
        let xi = x.idx(i);
        let arg = |k: usize| -> Option<Option<f64>> {
            let v = a.get(k + 1)?;
            let arr = nums.get(k)?.as_ref()?;
            let j = v.idx(i);
            Some(arr.is_valid(j).then(|| arr.value(j)))
        };
        let start = arg(0).flatten();
        let length = arg(1);
        match (t.is_null(xi), start, length) {
            (false, Some(s), None) => {
                b.append_value(substr_chars(t.value(xi), s.trunc() as i64, None))
            }
            (false, Some(s), Some(Some(l))) => b.append_value(substr_chars(
                t.value(xi),
                s.trunc() as i64,
                Some(l.trunc() as i64),
            )),
            _ => b.append_null(),
        }
    }
    Ok(Val::text(b.finish(), a.iter().all(|v| v.scalar)))
}

/// Percent-decoding; `+` is a space; invalid escapes are kept as written;
/// invalid UTF-8 is replaced with U+FFFD.
pub(crate) fn url_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        match c {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn urldecode(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    let Some(x) = a.first() else {
        return Ok(Val::null());
    };
    Ok(text_result(x, map_text(x, |s| Some(url_decode(s)))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substr_sqlite() {
        assert_eq!(substr_chars("splendid", 1, Some(3)), "spl");
        assert_eq!(substr_chars("string", -3, None), "ing");
        assert_eq!(substr_chars("string", 0, Some(2)), "s");
        assert_eq!(substr_chars("string", 3, Some(-2)), "st");
        assert_eq!(substr_chars("string", 10, None), "");
        assert_eq!(substr_chars("string", -10, Some(5)), "s");
        assert_eq!(substr_chars("string", -10, Some(2)), "");
        assert_eq!(substr_chars("héllo", 2, Some(2)), "él");
        // Extreme starts and lengths: no overflow, same rules (issue 11).
        assert_eq!(substr_chars("string", i64::MIN, None), "string");
        assert_eq!(substr_chars("string", -100, None), "string");
        assert_eq!(substr_chars("string", i64::MIN, Some(5)), "");
        // Start 2^63 before the end, 2^63-1 characters: up to the last one.
        assert_eq!(substr_chars("string", i64::MIN, Some(i64::MAX)), "strin");
        assert_eq!(substr_chars("string", i64::MIN, Some(i64::MIN)), "");
        assert_eq!(substr_chars("string", i64::MAX, None), "");
        // The 2^63 characters before a start past the end: all of them.
        assert_eq!(substr_chars("string", i64::MAX, Some(i64::MIN)), "string");
        assert_eq!(substr_chars("string", 2, Some(i64::MAX)), "tring");
        assert_eq!(substr_chars("string", 3, Some(i64::MIN)), "st");
        assert_eq!(substr_chars("string", -1, Some(i64::MIN)), "strin");
        assert_eq!(substr_chars("string", 0, Some(i64::MAX)), "string");
    }

    #[test]
    fn replacement_parsing() {
        use crate::pcre::Part::{Group, Lit};
        assert_eq!(
            parse_replacement(r"\2/\1/").0,
            [Group(2), Lit("/".into()), Group(1), Lit("/".into())]
        );
        assert_eq!(parse_replacement("$5").0, [Lit("$5".into())]);
        assert_eq!(parse_replacement(r"a\\b\x").0, [Lit(r"a\b\x".into())]);
    }

    #[test]
    fn url() {
        assert_eq!(url_decode("a%20b+c%2"), "a b c%2");
        assert_eq!(url_decode("%E2%9C%93"), "✓");
    }
}
