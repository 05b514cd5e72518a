//! Conversion functions: `tostring`, `tonumber`, `printf` (semantics 3.7 [R-CONVFN]).

use super::printf::{printf_row, Arg, MAX_WIDTH_OR_PRECISION};
use super::{spec, BindCx, Call, CallState, FnExample, FunctionSpec, Invoke};
use crate::error::{EngineError, Result};
use crate::eval::bind::Kind;
use crate::eval::coerce::{parse_number, to_num, to_text};
use crate::eval::val::{Data, Origin, Val};
use crate::value::format_number;
use arrow_array::builder::StringBuilder;
use arrow_array::{Array, Float64Array, StringArray};

pub(super) const SPECS: &[FunctionSpec] = &[
    spec(
        "tostring",
        1,
        Some(2),
        Kind::Str,
        Invoke::Eager(tostring),
        "Converts to text: the display form, or `hex`, `binary`, `commas`, `duration`.",
        &[
            FnExample {
                expr: "tostring(round(3.14159, 2))",
                result: "3.14",
            },
            FnExample {
                expr: "tostring(round(7/2, 2))",
                result: "3.50",
            },
            FnExample {
                expr: "tostring(1==1)",
                result: "True",
            },
            FnExample {
                expr: r#"tostring(15, "hex")"#,
                result: "0xF",
            },
            FnExample {
                expr: r#"tostring(5, "binary")"#,
                result: "101",
            },
            FnExample {
                expr: r#"tostring(12345.6789, "commas")"#,
                result: "12,345.68",
            },
            FnExample {
                expr: r#"tostring(615, "duration")"#,
                result: "00:10:15",
            },
            FnExample {
                expr: r#"tostring(90061, "duration")"#,
                result: "1+01:01:01",
            },
        ],
    )
    .bound(bind_tostring),
    spec(
        "tonumber",
        1,
        Some(2),
        Kind::Num,
        Invoke::Eager(tonumber),
        "Parses text as a number in base 2-36 (default 10); null when it does not parse.",
        &[
            FnExample {
                expr: r#"tonumber("0A4", 16)"#,
                result: "164",
            },
            FnExample {
                expr: r#"tonumber("1e3")"#,
                result: "1000",
            },
            FnExample {
                expr: r#"tonumber(" " . status)"#,
                result: "null",
            },
            FnExample {
                expr: "tonumber(status) + 1",
                result: "405",
            },
        ],
    )
    .bound(bind_tonumber),
    spec(
        "printf",
        1,
        None,
        Kind::Str,
        Invoke::Eager(printf),
        "C-style formatting: `%d %i %f %e %g %x %X %o %s %c %%` with flags, width and precision.",
        &[
            FnExample {
                expr: r#"printf("%05.2f|%-4s|%x", 3.14159, "ab", 255)"#,
                result: "03.14|ab  |ff",
            },
            FnExample {
                expr: r#"printf("%'d", 1234567)"#,
                result: "1,234,567",
            },
        ],
    )
    .bound(bind_printf),
    spec(
        "toint",
        1,
        Some(1),
        Kind::Num,
        Invoke::Eager(toint),
        "Converts a number or numeric text to an integer, truncating toward zero; null when it is not a number.",
        &[
            FnExample { expr: r#"toint("42")"#, result: "42" },
            FnExample { expr: "toint(-3.99)", result: "-3" },
            FnExample { expr: "toint(host)", result: "null" },
        ],
    ),
    spec(
        "todouble",
        1,
        Some(1),
        Kind::Num,
        Invoke::Eager(todouble),
        "Converts a number or numeric text to a double at full precision; null when it is not a number.",
        &[
            FnExample { expr: r#"todouble("2.50")"#, result: "2.5" },
            FnExample { expr: "todouble(status) / 8", result: "50.5" },
        ],
    ),
    spec(
        "ipmask",
        2,
        Some(2),
        Kind::Str,
        Invoke::Eager(ipmask),
        "Applies an IPv4 netmask to an IPv4 address.",
        &[
            FnExample { expr: r#"ipmask("255.255.255.0", "192.168.4.5")"#, result: "192.168.4.0" },
            FnExample { expr: r#"ipmask("255.255.0.0", "not-an-ip")"#, result: "null" },
        ],
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Hex,
    Binary,
    Commas,
    Duration,
}

fn parse_format(s: &str) -> Option<Format> {
    match s.to_ascii_lowercase().as_str() {
        "hex" => Some(Format::Hex),
        "binary" => Some(Format::Binary),
        "commas" => Some(Format::Commas),
        "duration" => Some(Format::Duration),
        _ => None,
    }
}

fn bind_tostring(cx: &BindCx<'_>) -> Result<CallState> {
    match cx.lit_str(1) {
        Some(f) => match parse_format(f) {
            Some(f) => Ok(CallState::new(f)),
            None => Err(cx.err(
                1,
                format!("expected a format of hex, binary, commas or duration, found `{f}`"),
                "unknown format",
            )),
        },
        None => Ok(CallState::default()),
    }
}

fn tostring(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let Some(x) = a.first() else {
        return Ok(Val::null());
    };
    if x.is_all_null() {
        return Ok(if call.ctx.compat.tostring_null_is_null {
            Val::null()
        } else {
            Val::text_scalar(Some(""))
        });
    }
    let fmt_arg = a.get(1);
    let fixed = call.state.get::<Format>().copied();
    let out = match (fmt_arg, fixed) {
        (None, _) => match &x.data {
            Data::Multi(_) => return Ok(x.clone()),
            _ => to_text(x).unwrap_or_else(|| StringArray::new_null(1)),
        },
        (Some(f), fixed) => {
            let nums = to_num(x, true).unwrap_or_else(|| Float64Array::new_null(1));
            let fmts = to_text(f).unwrap_or_else(|| StringArray::new_null(1));
            let n = call.rows(a);
            let mut b = StringBuilder::with_capacity(n, n * 8);
            for i in 0..n {
                let (xi, fi) = (x.idx(i), f.idx(i));
                let fmt = fixed.or_else(|| {
                    (!fmts.is_null(fi))
                        .then(|| parse_format(fmts.value(fi)))
                        .flatten()
                });
                match (nums.is_valid(xi), fmt) {
                    (true, Some(fmt)) => b.append_value(format_with(nums.value(xi), fmt)),
                    _ => b.append_null(),
                }
            }
            b.finish()
        }
    };
    let scalar = a.iter().all(|v| v.scalar);
    let out = if call.ctx.compat.tostring_null_is_null || out.null_count() == 0 {
        out
    } else {
        out.iter().map(|s| Some(s.unwrap_or(""))).collect()
    };
    Ok(Val::text(out, scalar))
}

fn format_with(v: f64, fmt: Format) -> String {
    match fmt {
        Format::Hex | Format::Binary => {
            if !v.is_finite() {
                return format_number(v, None);
            }
            let t = v.trunc();
            let sign = if t < 0.0 { "-" } else { "" };
            let mag = t.abs().min(u64::MAX as f64) as u64;
            if fmt == Format::Hex {
                format!("{sign}0x{mag:X}")
            } else {
                format!("{sign}{mag:b}")
            }
        }
        Format::Commas => commas(v),
        Format::Duration => duration(v),
    }
}

/// Thousands separators, rounded to at most two decimals (12345.6789 → 12,345.68).
pub(crate) fn commas(v: f64) -> String {
    if !v.is_finite() {
        return format_number(v, None);
    }
    let r = (v * 100.0 + 0.5).floor() / 100.0;
    let text = format_number(r, None);
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Seconds as `[D+]HH:MM:SS[.ffffff]`.
pub(crate) fn duration(v: f64) -> String {
    if !v.is_finite() {
        return format_number(v, None);
    }
    let sign = if v < 0.0 { "-" } else { "" };
    let a = v.abs();
    let whole = a.trunc() as u64;
    let frac = a - a.trunc();
    let (days, rem) = (whole / 86_400, whole % 86_400);
    let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    let mut out = String::from(sign);
    if days > 0 {
        out.push_str(&format!("{days}+"));
    }
    out.push_str(&format!("{h:02}:{m:02}:{s:02}"));
    if frac > 0.0 {
        let micros = (frac * 1e6).round().min(999_999.0) as u32;
        out.push_str(&format!(".{micros:06}"));
    }
    out
}

fn bind_tonumber(cx: &BindCx<'_>) -> Result<CallState> {
    if let Some(b) = cx.lit_num(1) {
        if !(2.0..=36.0).contains(&b) || b.fract() != 0.0 {
            return Err(cx.err(
                1,
                format!(
                    "expected a base from 2 to 36, found {}",
                    format_number(b, None)
                ),
                "bad base",
            ));
        }
    }
    // A literal that can never parse is a search error (semantics 3.7).
    if let Some(s) = cx.lit_str(0) {
        let base = cx.lit_num(1).unwrap_or(10.0) as u32;
        if parse_in_base(s, base).is_none() {
            return Err(EngineError::InvalidArgument {
                message: format!("expected a number, found `{s}`"),
                span: cx.arg_span(0),
                label: "not a number".into(),
                help: None,
            });
        }
    }
    Ok(CallState::default())
}

/// Parses `s` in `base`; base 10 uses the numeric grammar (decimals and
/// exponents allowed), other bases accept an optional sign and digits
/// (and `0x` for base 16).
fn parse_in_base(s: &str, base: u32) -> Option<f64> {
    if base == 10 {
        return parse_number(s);
    }
    let (neg, digits) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let digits = if base == 16 {
        digits
            .strip_prefix("0x")
            .or_else(|| digits.strip_prefix("0X"))
            .unwrap_or(digits)
    } else {
        digits
    };
    if digits.is_empty() {
        return None;
    }
    let mut acc = 0f64;
    for ch in digits.chars() {
        acc = acc * f64::from(base) + f64::from(ch.to_digit(base)?);
    }
    Some(if neg { -acc } else { acc })
}

fn tonumber(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let Some(x) = a.first() else {
        return Ok(Val::null());
    };
    let base = a.get(1);
    if base.is_none() {
        if let Data::Num(_) = x.data {
            return Ok(x.clone());
        }
    }
    let (Some(text), bases) = (to_text(x), base.map(|b| to_num(b, true))) else {
        return Ok(Val::null());
    };
    if matches!(x.data, Data::Bool(_)) {
        return Ok(Val::null());
    }
    let n = call.rows(a);
    let out: Float64Array = (0..n)
        .map(|i| {
            let xi = x.idx(i);
            if text.is_null(xi) {
                return None;
            }
            let b = match (&bases, base) {
                (Some(Some(bs)), Some(bv)) => {
                    let bi = bv.idx(i);
                    if bs.is_null(bi) {
                        return None;
                    }
                    let b = bs.value(bi);
                    if !(2.0..=36.0).contains(&b) || b.fract() != 0.0 {
                        return None;
                    }
                    b as u32
                }
                (Some(None), _) => return None,
                _ => 10,
            };
            parse_in_base(text.value(xi), b)
        })
        .collect();
    Ok(Val::num(out, a.iter().all(|v| v.scalar)))
}

/// Where `printf`'s format argument is, for its run-time errors.
struct FormatSpan(spl_parser::Span);

fn bind_printf(cx: &BindCx<'_>) -> Result<CallState> {
    Ok(CallState::new(FormatSpan(cx.arg_span(0))))
}

fn printf(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let Some((fmt, rest)) = a.split_first() else {
        return Ok(Val::null());
    };
    let Some(fmts) = to_text(fmt) else {
        return Ok(Val::null());
    };
    let texts: Vec<Option<StringArray>> = rest.iter().map(to_text).collect();
    let nums: Vec<Option<Float64Array>> = rest.iter().map(|v| to_num(v, true)).collect();
    let n = call.rows(a);
    let mut b = StringBuilder::with_capacity(n, n * 16);
    for i in 0..n {
        let fi = fmt.idx(i);
        if fmts.is_null(fi) {
            b.append_null();
            continue;
        }
        let args: Vec<Arg<'_>> = rest
            .iter()
            .enumerate()
            .map(|(k, v)| {
                let vi = v.idx(i);
                let text = texts
                    .get(k)
                    .and_then(|t| t.as_ref())
                    .filter(|t| t.is_valid(vi))
                    .map(|t| t.value(vi));
                let num = nums
                    .get(k)
                    .and_then(|t| t.as_ref())
                    .filter(|t| t.is_valid(vi))
                    .map(|t| t.value(vi));
                Arg { text, num }
            })
            .collect();
        let text =
            printf_row(fmts.value(fi), &args).map_err(|message| EngineError::InvalidArgument {
                message,
                span: call
                    .state
                    .get::<FormatSpan>()
                    .map(|f| f.0)
                    .unwrap_or_default(),
                label: "this format".into(),
                help: Some(format!(
                    "a width or precision may be at most {MAX_WIDTH_OR_PRECISION}"
                )),
            })?;
        b.append_value(text);
    }
    Ok(Val::new(
        Data::Str(b.finish(), Origin::Text),
        a.iter().all(|v| v.scalar),
    ))
}

fn toint(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    let Some(x) = a.first() else {
        return Ok(Val::null());
    };
    if matches!(x.data, Data::Bool(_)) {
        return Ok(Val::null());
    }
    let Some(n) = to_num(x, true) else {
        return Ok(Val::null());
    };
    Ok(Val::num(
        n.unary_opt(|v| v.is_finite().then(|| v.trunc())),
        x.scalar,
    ))
}

fn todouble(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    let Some(x) = a.first() else {
        return Ok(Val::null());
    };
    if matches!(x.data, Data::Bool(_)) {
        return Ok(Val::null());
    }
    Ok(to_num(x, true).map_or_else(Val::null, |n| Val::num(n, x.scalar)))
}

fn ipmask(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let [m, ip] = a else { return Ok(Val::null()) };
    let (Some(mt), Some(it)) = (to_text(m), to_text(ip)) else {
        return Ok(Val::null());
    };
    let n = call.rows(a);
    let out: StringArray = (0..n)
        .map(|i| {
            let (mi, ii) = (m.idx(i), ip.idx(i));
            if mt.is_null(mi) || it.is_null(ii) {
                return None;
            }
            let mask: std::net::Ipv4Addr = mt.value(mi).trim().parse().ok()?;
            let addr: std::net::Ipv4Addr = it.value(ii).trim().parse().ok()?;
            Some(std::net::Ipv4Addr::from(u32::from(mask) & u32::from(addr)).to_string())
        })
        .collect();
    Ok(Val::new(
        Data::Str(out, Origin::Field),
        m.scalar && ip.scalar,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commas_and_duration() {
        assert_eq!(commas(1000000.1278), "1,000,000.13");
        assert_eq!(commas(1234567.0), "1,234,567");
        assert_eq!(commas(-1234.5), "-1,234.5");
        assert_eq!(commas(999.0), "999");
        assert_eq!(duration(615.0), "00:10:15");
        assert_eq!(duration(0.0), "00:00:00");
        assert_eq!(duration(86400.0 * 2.0 + 1.0), "2+00:00:01");
        assert_eq!(duration(1.5), "00:00:01.500000");
        assert_eq!(parse_in_base("ff", 16), Some(255.0));
        assert_eq!(parse_in_base("0x1F", 16), Some(31.0));
        assert_eq!(parse_in_base("102", 2), None);
        assert_eq!(parse_in_base("-101", 2), Some(-5.0));
    }
}
