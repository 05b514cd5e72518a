//! `printf`'s C-like formatter: conversions `d i u f F e E g G x X o s c %`,
//! flags `' - 0 + space #`, width and precision (numbers or `*`).

use crate::value::format_number;

/// The largest width or precision a conversion may ask for: C has none, but
/// an unbounded one would let one row ask for gigabytes (and Rust's own
/// formatter stops at 65535). Above it `printf` is an error naming it.
pub(crate) const MAX_WIDTH_OR_PRECISION: usize = 65_535;

/// One argument as both text and number (either may be absent).
pub(crate) struct Arg<'a> {
    pub text: Option<&'a str>,
    pub num: Option<f64>,
}

#[derive(Default)]
struct Spec {
    left: bool,
    zero: bool,
    plus: bool,
    space: bool,
    alt: bool,
    group: bool,
    width: Option<usize>,
    precision: Option<usize>,
}

/// Formats one row. Missing or mistyped arguments format as empty / zero,
/// as C's printf would with a defaulted argument. A width or precision over
/// [`MAX_WIDTH_OR_PRECISION`] is an error (the message says which).
pub(crate) fn printf_row(fmt: &str, args: &[Arg<'_>]) -> Result<String, String> {
    let mut out = String::with_capacity(fmt.len() + 16);
    let mut chars = fmt.chars().peekable();
    let mut next = 0usize;
    let take = |next: &mut usize| {
        let a = args.get(*next);
        *next += 1;
        a
    };
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&f) = chars.peek() {
            match f {
                '-' => spec.left = true,
                '0' => spec.zero = true,
                '+' => spec.plus = true,
                ' ' => spec.space = true,
                '#' => spec.alt = true,
                '\'' => spec.group = true,
                _ => break,
            }
            chars.next();
        }
        spec.width = read_count(&mut chars, || take(&mut next).and_then(|a| a.num));
        if chars.peek() == Some(&'.') {
            chars.next();
            spec.precision =
                Some(read_count(&mut chars, || take(&mut next).and_then(|a| a.num)).unwrap_or(0));
        }
        for (what, n) in [("width", spec.width), ("precision", spec.precision)] {
            if let Some(n) = n.filter(|&n| n > MAX_WIDTH_OR_PRECISION) {
                return Err(format!(
                    "printf: a {what} of {n} is over the limit of {MAX_WIDTH_OR_PRECISION}"
                ));
            }
        }
        // Length modifiers are accepted and ignored.
        while matches!(chars.peek(), Some('l' | 'h' | 'L' | 'j' | 'z' | 't')) {
            chars.next();
        }
        let Some(conv) = chars.next() else {
            out.push('%');
            break;
        };
        let body = match conv {
            '%' => {
                out.push('%');
                continue;
            }
            'd' | 'i' | 'u' => {
                let v = take(&mut next).and_then(|a| a.num).unwrap_or(0.0).trunc();
                let mut digits = format_number(v.abs(), None);
                if let Some(p) = spec.precision {
                    while digits.len() < p {
                        digits.insert(0, '0');
                    }
                }
                if spec.group {
                    digits = group(&digits);
                }
                sign(&spec, v < 0.0) + &digits
            }
            'f' | 'F' => {
                let v = take(&mut next).and_then(|a| a.num).unwrap_or(0.0);
                let mut s = format!("{:.*}", spec.precision.unwrap_or(6), v.abs());
                if spec.group {
                    s = match s.split_once('.') {
                        Some((i, f)) => format!("{}.{f}", group(i)),
                        None => group(&s),
                    };
                }
                sign(&spec, v.is_sign_negative() && v != 0.0) + &s
            }
            'e' | 'E' => {
                let v = take(&mut next).and_then(|a| a.num).unwrap_or(0.0);
                let s = exp_form(v.abs(), spec.precision.unwrap_or(6), conv == 'E');
                sign(&spec, v < 0.0) + &s
            }
            'g' | 'G' => {
                let v = take(&mut next).and_then(|a| a.num).unwrap_or(0.0);
                sign(&spec, v < 0.0)
                    + &general(v.abs(), spec.precision.unwrap_or(6), spec.alt, conv == 'G')
            }
            'x' | 'X' | 'o' => {
                let v = take(&mut next).and_then(|a| a.num).unwrap_or(0.0).trunc();
                let m = v.abs().min(u64::MAX as f64) as u64;
                let s = match conv {
                    'x' => format!("{}{m:x}", if spec.alt && m != 0 { "0x" } else { "" }),
                    'X' => format!("{}{m:X}", if spec.alt && m != 0 { "0X" } else { "" }),
                    _ => format!("{}{m:o}", if spec.alt && m != 0 { "0" } else { "" }),
                };
                format!("{}{s}", if v < 0.0 { "-" } else { "" })
            }
            'c' => {
                let a = take(&mut next);
                match a.and_then(|a| a.num) {
                    Some(n) => char::from_u32(n as u32)
                        .map(String::from)
                        .unwrap_or_default(),
                    None => a
                        .and_then(|a| a.text)
                        .and_then(|t| t.chars().next())
                        .map(String::from)
                        .unwrap_or_default(),
                }
            }
            's' => {
                let t = take(&mut next).and_then(|a| a.text).unwrap_or("");
                match spec.precision {
                    Some(p) => t.chars().take(p).collect(),
                    None => t.to_string(),
                }
            }
            other => {
                // Unknown conversion: print it as written.
                out.push('%');
                out.push(other);
                continue;
            }
        };
        pad(
            &mut out,
            &body,
            &spec,
            matches!(
                conv,
                'd' | 'i' | 'u' | 'f' | 'F' | 'e' | 'E' | 'g' | 'G' | 'x' | 'X' | 'o'
            ),
        );
    }
    Ok(out)
}

fn read_count<I: Iterator<Item = char>>(
    chars: &mut std::iter::Peekable<I>,
    mut star: impl FnMut() -> Option<f64>,
) -> Option<usize> {
    if chars.peek() == Some(&'*') {
        chars.next();
        return star().map(|v| v.max(0.0) as usize);
    }
    let mut n: Option<usize> = None;
    while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
        n = Some(n.unwrap_or(0).saturating_mul(10).saturating_add(d as usize));
        chars.next();
    }
    n
}

fn sign(spec: &Spec, negative: bool) -> String {
    if negative {
        "-".into()
    } else if spec.plus {
        "+".into()
    } else if spec.space {
        " ".into()
    } else {
        String::new()
    }
}

fn group(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    let n = digits.len();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn exp_form(v: f64, precision: usize, upper: bool) -> String {
    let s = format!("{:.*e}", precision, v);
    // Rust prints `1.5e2`; C prints `1.5e+02`.
    let (mant, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let e = if upper { 'E' } else { 'e' };
    format!(
        "{mant}{e}{}{:02}",
        if exp < 0 { '-' } else { '+' },
        exp.abs()
    )
}

fn general(v: f64, precision: usize, alt: bool, upper: bool) -> String {
    let p = precision.max(1);
    if v == 0.0 {
        return "0".into();
    }
    let exp = v.log10().floor() as i32;
    let s = if exp < -4 || exp >= p as i32 {
        exp_form(v, p - 1, upper)
    } else {
        format!("{:.*}", (p as i32 - 1 - exp).max(0) as usize, v)
    };
    if alt {
        return s;
    }
    // Strip trailing zeros of the fraction (in the mantissa for exponent form).
    let (mant, tail) = match s.find(['e', 'E']) {
        Some(i) => s.split_at(i),
        None => (s.as_str(), ""),
    };
    let mant = if mant.contains('.') {
        mant.trim_end_matches('0').trim_end_matches('.')
    } else {
        mant
    };
    format!("{mant}{tail}")
}

fn pad(out: &mut String, body: &str, spec: &Spec, numeric: bool) {
    let len = body.chars().count();
    let width = spec.width.unwrap_or(0);
    if len >= width {
        out.push_str(body);
        return;
    }
    let fill = width - len;
    if spec.left {
        out.push_str(body);
        out.extend(std::iter::repeat_n(' ', fill));
    } else if spec.zero && numeric {
        let sign_len = body
            .chars()
            .take_while(|c| matches!(c, '-' | '+' | ' '))
            .count();
        let (sign, digits) = body.split_at(sign_len);
        out.push_str(sign);
        out.extend(std::iter::repeat_n('0', fill));
        out.push_str(digits);
    } else {
        out.extend(std::iter::repeat_n(' ', fill));
        out.push_str(body);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(fmt: &str, args: &[Arg<'_>]) -> String {
        printf_row(fmt, args).unwrap()
    }

    #[test]
    fn huge_width_or_precision_is_an_error_not_a_panic() {
        for f in [
            "%.65536f",
            "%.65536e",
            "%.65536g",
            "%65536d",
            "%.99999999999999999999s",
        ] {
            let e = printf_row(f, &[n(1.0)]).unwrap_err();
            assert!(e.contains("over the limit of 65535"), "{f}: {e}");
        }
        assert_eq!(
            printf_row("%*d", &[n(1e12), n(1.0)]).unwrap_err(),
            "printf: a width of 1000000000000 is over the limit of 65535"
        );
        assert_eq!(row("%.65535f", &[n(1.0)]).len(), 65537);
        assert_eq!(row("%65535d", &[n(1.0)]).len(), 65535);
    }

    fn n(v: f64) -> Arg<'static> {
        Arg {
            text: None,
            num: Some(v),
        }
    }
    fn s(t: &'static str) -> Arg<'static> {
        Arg {
            text: Some(t),
            num: None,
        }
    }

    #[test]
    fn formats() {
        assert_eq!(row("%d%%", &[n(42.9)]), "42%");
        assert_eq!(
            row("%5d|%-5d|%05d", &[n(42.0), n(42.0), n(-42.0)]),
            "   42|42   |-0042"
        );
        assert_eq!(row("%.2f", &[n(2.555)]), "2.56");
        assert_eq!(row("%+.1f", &[n(2.0)]), "+2.0");
        assert_eq!(row("%e", &[n(1234.5)]), "1.234500e+03");
        assert_eq!(
            row("%g|%g|%g", &[n(0.0001), n(123456789.0), n(2.5)]),
            "0.0001|1.23457e+08|2.5"
        );
        assert_eq!(
            row("%#x|%X|%o", &[n(255.0), n(255.0), n(8.0)]),
            "0xff|FF|10"
        );
        assert_eq!(row("%*d", &[n(4.0), n(7.0)]), "   7");
        assert_eq!(row("%.3s|%c", &[s("abcdef"), n(65.0)]), "abc|A");
        assert_eq!(row("%'d", &[n(-1234567.0)]), "-1,234,567");
        assert_eq!(row("%s and %s", &[s("a")]), "a and ");
        assert_eq!(row("100%", &[]), "100%");
        assert_eq!(row("%q", &[]), "%q");
    }
}
