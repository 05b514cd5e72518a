//! Mathematical functions (semantics 3.7 [R-MATHFN], 12.4).

use super::{spec, BindCx, Call, CallState, FnExample, FunctionSpec, Invoke};
use crate::error::Result;
use crate::eval::bind::{Kind, Node, Op};
use crate::eval::coerce::to_num;
use crate::eval::precision::{from_row_decimals, precision};
use crate::eval::val::{Data, Val};
use crate::value::format_number;
use arrow_array::{Array, Float64Array};
use spl_parser::ast::BinaryOp;

pub(super) const SPECS: &[FunctionSpec] = &[
    spec("round", 1, Some(2), Kind::Num, Invoke::Eager(round), "Rounds to n decimals (default 0) as floor(x*10^n + 0.5)/10^n; the result prints n decimals.", &[
        FnExample { expr: "round(3.5)", result: "4" },
        FnExample { expr: "round(-4.5)", result: "-4" },
        FnExample { expr: "round(2.555, 2)", result: "2.56" },
        FnExample { expr: "round(7/2, 2)", result: "3.50" },
        FnExample { expr: "round(0.804991002129475*1, 4)", result: "0.8050" },
    ]).bound(bind_round),
    spec("abs", 1, Some(1), Kind::Num, Invoke::Eager(abs), "Absolute value.", &[
        FnExample { expr: "abs(-5)", result: "5" },
    ]),
    spec("ceil", 1, Some(1), Kind::Num, Invoke::Eager(ceil), "Rounds up to an integer.", &[
        FnExample { expr: "ceil(1.2)", result: "2" },
    ]),
    spec("ceiling", 1, Some(1), Kind::Num, Invoke::Eager(ceil), "Rounds up to an integer (same as `ceil`).", &[
        FnExample { expr: "ceiling(-1.2)", result: "-1" },
    ]),
    spec("floor", 1, Some(1), Kind::Num, Invoke::Eager(floor), "Rounds down to an integer.", &[
        FnExample { expr: "floor(1.9)", result: "1" },
    ]),
    spec("exp", 1, Some(1), Kind::Num, Invoke::Eager(exp), "e raised to x.", &[
        FnExample { expr: "exp(0)", result: "1" },
    ]),
    spec("ln", 1, Some(1), Kind::Num, Invoke::Eager(ln), "Natural logarithm; null for x <= 0.", &[
        FnExample { expr: "ln(1)", result: "0" },
        FnExample { expr: "ln(0)", result: "null" },
    ]),
    spec("log", 1, Some(2), Kind::Num, Invoke::Eager(log), "Logarithm in a base (default 10); null when undefined.", &[
        FnExample { expr: "log(100)", result: "2" },
        FnExample { expr: "log(8, 2)", result: "3" },
    ]),
    spec("pow", 2, Some(2), Kind::Num, Invoke::Eager(pow), "x raised to y.", &[
        FnExample { expr: "pow(2, 10)", result: "1024" },
    ]),
    spec("sqrt", 1, Some(1), Kind::Num, Invoke::Eager(sqrt), "Square root; null for negative x.", &[
        FnExample { expr: "sqrt(9)", result: "3" },
        FnExample { expr: "sqrt(-1)", result: "null" },
    ]),
    spec("pi", 0, Some(0), Kind::Num, Invoke::Eager(pi), "The constant pi.", &[
        FnExample { expr: "pi()", result: "3.141592653589793" },
    ]),
    spec("exact", 1, Some(1), Kind::Num, Invoke::Eager(exact), "The value at full precision (no display rounding).", &[
        FnExample { expr: "exact(3.50)", result: "3.5" },
    ]),
    spec("sigfig", 1, Some(1), Kind::Num, Invoke::Eager(sigfig), "Rounds a product/quotient to the fewest significant figures, a sum/difference to the fewest decimals, of its literal operands.", &[
        FnExample { expr: "sigfig(1.00*1111)", result: "1110" },
        FnExample { expr: "sigfig(8.250*0.2)", result: "2" },
        FnExample { expr: "sigfig(1.5+2.25)", result: "3.8" },
    ]).bound(bind_sigfig),
    // Trigonometric and hyperbolic functions (radians). Results are exact
    // (full precision, like `pi()`); outside a function's domain, null.
    spec("acos", 1, Some(1), Kind::Num, Invoke::Eager(acos), "Arc cosine in [0, pi] radians; null outside [-1, 1].", &[
        FnExample { expr: "acos(0)", result: "1.5707963267948966" },
        FnExample { expr: "acos(-1)", result: "3.141592653589793" },
        FnExample { expr: "acos(2)", result: "null" },
    ]),
    spec("acosh", 1, Some(1), Kind::Num, Invoke::Eager(acosh), "Arc hyperbolic cosine; null for x < 1.", &[
        FnExample { expr: "acosh(1)", result: "0" },
        FnExample { expr: "round(acosh(2), 12)", result: "1.316957896925" },
        FnExample { expr: "acosh(0.5)", result: "null" },
    ]),
    spec("asin", 1, Some(1), Kind::Num, Invoke::Eager(asin), "Arc sine in [-pi/2, pi/2] radians; null outside [-1, 1].", &[
        FnExample { expr: "asin(1)", result: "1.5707963267948966" },
        FnExample { expr: "asin(-1.5)", result: "null" },
    ]),
    spec("asinh", 1, Some(1), Kind::Num, Invoke::Eager(asinh), "Arc hyperbolic sine.", &[
        FnExample { expr: "asinh(0)", result: "0" },
        FnExample { expr: "round(asinh(1), 12)", result: "0.881373587020" },
    ]),
    spec("atan", 1, Some(1), Kind::Num, Invoke::Eager(atan), "Arc tangent in [-pi/2, pi/2] radians.", &[
        FnExample { expr: "round(atan(0.50), 12)", result: "0.463647609001" },
    ]),
    spec("atan2", 2, Some(2), Kind::Num, Invoke::Eager(atan2), "Arc tangent of y/x in [-pi, pi] radians, the signs of both arguments choosing the quadrant: atan2(y, x).", &[
        FnExample { expr: "round(atan2(0.50, 0.75), 12)", result: "0.588002603548" },
        FnExample { expr: "atan2(0, -1)", result: "3.141592653589793" },
    ]),
    spec("atanh", 1, Some(1), Kind::Num, Invoke::Eager(atanh), "Arc hyperbolic tangent; null outside (-1, 1).", &[
        FnExample { expr: "round(atanh(0.500), 12)", result: "0.549306144334" },
        FnExample { expr: "atanh(1)", result: "null" },
    ]),
    spec("cos", 1, Some(1), Kind::Num, Invoke::Eager(cos), "Cosine of an angle in radians.", &[
        FnExample { expr: "round(cos(-1), 12)", result: "0.540302305868" },
        FnExample { expr: "cos(pi())", result: "-1" },
    ]),
    spec("cosh", 1, Some(1), Kind::Num, Invoke::Eager(cosh), "Hyperbolic cosine.", &[
        FnExample { expr: "round(cosh(1), 12)", result: "1.543080634815" },
    ]),
    spec("hypot", 2, Some(2), Kind::Num, Invoke::Eager(hypot), "The hypotenuse sqrt(x^2 + y^2), without intermediate overflow.", &[
        FnExample { expr: "hypot(3, 4)", result: "5" },
    ]),
    spec("sin", 1, Some(1), Kind::Num, Invoke::Eager(sin), "Sine of an angle in radians.", &[
        FnExample { expr: "round(sin(1.0), 12)", result: "0.841470984808" },
        FnExample { expr: "sin(0)", result: "0" },
    ]),
    spec("sinh", 1, Some(1), Kind::Num, Invoke::Eager(sinh), "Hyperbolic sine.", &[
        FnExample { expr: "round(sinh(1), 12)", result: "1.175201193644" },
    ]),
    spec("tan", 1, Some(1), Kind::Num, Invoke::Eager(tan), "Tangent of an angle in radians.", &[
        FnExample { expr: "round(tan(1), 12)", result: "1.557407724655" },
    ]),
    spec("tanh", 1, Some(1), Kind::Num, Invoke::Eager(tanh), "Hyperbolic tangent.", &[
        FnExample { expr: "round(tanh(1), 12)", result: "0.761594155956" },
    ]),
    spec("random", 0, Some(0), Kind::Num, Invoke::Eager(random), "A pseudo-random integer 0..2^31-1, reproducible: seeded from the search time and the row.", &[
        FnExample { expr: "if(random()>=0 AND random()<=2147483647, \"yes\", \"no\")", result: "yes" },
    ]),
];

/// Applies `f` to every number; non-finite results of finite input become null.
fn map1(a: &[Val], f: impl Fn(f64) -> f64) -> Result<Val> {
    let Some(x) = a.first() else {
        return Ok(Val::null());
    };
    let Some(n) = to_num(x, true) else {
        return Ok(Val::null());
    };
    let out: Float64Array = n.unary_opt(|v| {
        let r = f(v);
        (r.is_finite() || !v.is_finite()).then_some(r)
    });
    Ok(Val::num(out, x.scalar))
}

/// Row-wise `f(x, y)` over two numeric arguments.
fn map2(call: &Call<'_>, x: &Val, y: &Val, f: impl Fn(f64, f64) -> Option<f64>) -> Result<Val> {
    let (Some(xn), Some(yn)) = (to_num(x, true), to_num(y, true)) else {
        return Ok(Val::null());
    };
    let n = call.rows(&[x.clone(), y.clone()]);
    let out: Float64Array = (0..n)
        .map(|i| {
            let (xi, yi) = (x.idx(i), y.idx(i));
            if xn.is_null(xi) || yn.is_null(yi) {
                return None;
            }
            f(xn.value(xi), yn.value(yi))
        })
        .collect();
    Ok(Val::num(out, x.scalar && y.scalar))
}

/// SPL's rounding: ties toward +inf, computed in doubles (12.4).
pub(crate) fn round_to(v: f64, n: i32) -> f64 {
    if n == 0 {
        return (v + 0.5).floor();
    }
    let p = 10f64.powi(n);
    let r = (v * p + 0.5).floor() / p;
    if r.is_finite() {
        r
    } else {
        v
    }
}

fn bind_round(cx: &BindCx<'_>) -> Result<CallState> {
    if let Some(n) = cx.lit_num(1) {
        if n < 0.0 || n.fract() != 0.0 || n > 20.0 {
            return Err(cx.err(
                1,
                format!(
                    "expected a whole number of decimals from 0 to 20, found {}",
                    format_number(n, None)
                ),
                "bad precision",
            ));
        }
    }
    Ok(CallState::default())
}

fn round(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let Some(x) = a.first() else {
        return Ok(Val::null());
    };
    let Some(digits) = a.get(1) else {
        return Ok(map1(a, |v| round_to(v, 0))?.with_decimals(None));
    };
    let out = map2(call, x, digits, |v, n| {
        (0.0..=20.0)
            .contains(&n)
            .then(|| round_to(v, n.trunc() as i32))
    })?;
    // The precision is displayed: `round(x, 2)` prints `3.50` — but not more
    // decimals than the operand itself is known to have (12.4).
    let Data::Num(values) = out.data else {
        return Ok(out);
    };
    let (Some(dn), xp) = (to_num(digits, true), precision(x)) else {
        return Ok(Val::null());
    };
    let decs: Vec<Option<u8>> = (0..values.len())
        .map(|i| {
            let j = if dn.len() == 1 { 0 } else { i };
            let n = (dn.is_valid(j) && (0.0..=20.0).contains(&dn.value(j)))
                .then(|| dn.value(j) as u8)?;
            let k = if x.scalar { 0 } else { i };
            Some(xp.at(k).map_or(n, |xd| xd.min(n)))
        })
        .collect();
    Ok(from_row_decimals(values, decs, out.scalar))
}

fn abs(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    let d = a.first().and_then(|x| x.decimals);
    Ok(map1(a, f64::abs)?.with_decimals(d))
}

fn ceil(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    map1(a, f64::ceil)
}

fn floor(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    map1(a, f64::floor)
}

fn exp(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    map1(a, f64::exp)
}

fn ln(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    map1(a, |v| if v > 0.0 { v.ln() } else { f64::NAN })
}

fn log(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    match a {
        [x] => map1(std::slice::from_ref(x), |v| {
            if v > 0.0 {
                v.log10()
            } else {
                f64::NAN
            }
        }),
        [x, b] => map2(call, x, b, |v, b| {
            if v > 0.0 && b > 0.0 && b != 1.0 {
                // Exact for powers of ten and two, like log10/log2.
                let r = if b == 10.0 {
                    v.log10()
                } else if b == 2.0 {
                    v.log2()
                } else {
                    v.ln() / b.ln()
                };
                r.is_finite().then_some(r)
            } else {
                None
            }
        }),
        _ => Ok(Val::null()),
    }
}

fn pow(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let [x, y] = a else { return Ok(Val::null()) };
    map2(call, x, y, |x, y| {
        let r = x.powf(y);
        r.is_finite().then_some(r)
    })
}

fn sqrt(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    map1(a, |v| if v >= 0.0 { v.sqrt() } else { f64::NAN })
}

fn pi(_: &Call<'_>, _: &[Val]) -> Result<Val> {
    Ok(Val::num_scalar(Some(std::f64::consts::PI)))
}

fn exact(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    Ok(map1(a, |v| v)?.with_decimals(None))
}

/// What `sigfig` does, decided from the argument's shape at bind time.
#[derive(Debug, Clone, Copy)]
enum SigRule {
    Figures(u32),
    Decimals(u8),
}

/// Significant figures of a numeric literal (`None`: integer literals are exact).
fn literal_figures(n: &Node) -> Option<u32> {
    let Op::Lit(v) = &n.op else { return None };
    let d = v.decimals?;
    let x = n.as_num_lit()?;
    let text = format_number(x.abs(), Some(d));
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let sig = digits.trim_start_matches('0');
    Some(if sig.is_empty() { 1 } else { sig.len() as u32 })
}

fn bind_sigfig(cx: &BindCx<'_>) -> Result<CallState> {
    let Some(arg) = cx.args.first() else {
        return Ok(CallState::default());
    };
    let rule = match &arg.op {
        Op::Binary(BinaryOp::Mul | BinaryOp::Div, l, r) => [literal_figures(l), literal_figures(r)]
            .into_iter()
            .flatten()
            .min()
            .map(SigRule::Figures),
        Op::Binary(BinaryOp::Add | BinaryOp::Sub, l, r) => {
            let dec = |n: &Node| match &n.op {
                Op::Lit(v) => Some(v.decimals.unwrap_or(0)),
                _ => None,
            };
            [dec(l), dec(r)]
                .into_iter()
                .flatten()
                .min()
                .map(SigRule::Decimals)
        }
        _ => literal_figures(arg).map(SigRule::Figures),
    };
    Ok(rule.map(CallState::new).unwrap_or_default())
}

fn sigfig(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    match call.state.get::<SigRule>().copied() {
        Some(SigRule::Figures(n)) => map1(a, |v| {
            if v == 0.0 || !v.is_finite() {
                return v;
            }
            let mag = v.abs().log10().floor() as i32;
            let places = n as i32 - 1 - mag;
            if places >= 0 {
                round_to(v, places)
            } else {
                let p = 10f64.powi(-places);
                round_to(v / p, 0) * p
            }
        }),
        Some(SigRule::Decimals(d)) => {
            Ok(map1(a, |v| round_to(v, i32::from(d)))?.with_decimals(Some(d)))
        }
        None => Ok(map1(a, |v| v)?.with_decimals(a.first().and_then(|x| x.decimals))),
    }
}

/// `f` over one numeric argument, null outside `domain`. A NaN argument
/// stays NaN (as in the other math functions); a NaN result of a number
/// (`sin` of an infinity) and an overflow from a finite argument
/// (`cosh(1000)`) are null.
fn map_domain(a: &[Val], domain: fn(f64) -> bool, f: fn(f64) -> f64) -> Result<Val> {
    let Some(x) = a.first() else {
        return Ok(Val::null());
    };
    let Some(n) = to_num(x, true) else {
        return Ok(Val::null());
    };
    let out: Float64Array = n.unary_opt(|v| {
        if v.is_nan() {
            return Some(v);
        }
        if !domain(v) {
            return None;
        }
        let r = f(v);
        (!r.is_nan() && (r.is_finite() || !v.is_finite())).then_some(r)
    });
    Ok(Val::num(out, x.scalar))
}

fn any(_: f64) -> bool {
    true
}

fn acos(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    map_domain(a, |v| (-1.0..=1.0).contains(&v), f64::acos)
}

fn acosh(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    map_domain(a, |v| v >= 1.0, f64::acosh)
}

fn asin(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    map_domain(a, |v| (-1.0..=1.0).contains(&v), f64::asin)
}

fn asinh(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    map_domain(a, any, f64::asinh)
}

fn atan(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    map_domain(a, any, f64::atan)
}

fn atanh(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    map_domain(a, |v| v > -1.0 && v < 1.0, f64::atanh)
}

fn cos(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    map_domain(a, f64::is_finite, f64::cos)
}

fn cosh(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    map_domain(a, any, f64::cosh)
}

fn sin(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    map_domain(a, f64::is_finite, f64::sin)
}

fn sinh(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    map_domain(a, any, f64::sinh)
}

fn tan(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    map_domain(a, f64::is_finite, f64::tan)
}

fn tanh(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    map_domain(a, any, f64::tanh)
}

/// `atan2(y, x)`: Splunk's argument order (y first), as C's `atan2`.
fn atan2(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let [y, x] = a else { return Ok(Val::null()) };
    map2(call, y, x, |y, x| {
        let r = y.atan2(x);
        (!r.is_nan() || y.is_nan() || x.is_nan()).then_some(r)
    })
}

/// `hypot(x, y)`: `sqrt(x^2 + y^2)` without intermediate overflow; null
/// when the result itself overflows.
fn hypot(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let [x, y] = a else { return Ok(Val::null()) };
    map2(call, x, y, |x, y| {
        let r = x.hypot(y);
        (r.is_finite() || !x.is_finite() || !y.is_finite()).then_some(r)
    })
}

/// SplitMix64: a tiny, well-mixed hash for reproducible pseudo-random numbers.
fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn random(call: &Call<'_>, _: &[Val]) -> Result<Val> {
    let seed = call.ctx.now.to_bits();
    let out: Float64Array = (0..call.len as u64)
        .map(|i| Some((splitmix(seed ^ splitmix(i)) & 0x7FFF_FFFF) as f64))
        .collect();
    Ok(Val::num(out, false))
}
