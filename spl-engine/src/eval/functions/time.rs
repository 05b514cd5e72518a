//! Date and time functions (semantics 3.7 [R-DATEFN], 11). The clock is
//! `ExecContext::now`; the zone is `ExecContext::tz`.

use super::{spec, Call, FnExample, FunctionSpec, Invoke};
use crate::error::Result;
use crate::eval::bind::Kind;
use crate::eval::coerce::{to_num, to_text};
use crate::eval::val::Val;
use crate::time::{resolve_time_modifier, strftime, strptime};
use arrow_array::builder::StringBuilder;
use arrow_array::{Array, Float64Array};

pub(super) const SPECS: &[FunctionSpec] = &[
    spec("now", 0, Some(0), Kind::Num, Invoke::Eager(now), "The search's start time (epoch seconds), the same for every row.", &[
        FnExample { expr: "now()", result: "1700000000" },
    ]),
    spec("time", 0, Some(0), Kind::Num, Invoke::Eager(now), "The wall-clock time; this engine is deterministic and returns the search time, like `now()`.", &[
        FnExample { expr: "time()", result: "1700000000" },
    ]),
    spec("relative_time", 2, Some(2), Kind::Num, Invoke::Eager(relative_time), "Applies a relative time modifier (`-1d@d`, `@w1`, `+2h`) to an epoch time.", &[
        FnExample { expr: r#"relative_time(now(), "-1d@d")"#, result: "1699833600" },
        FnExample { expr: r#"relative_time(1700000000, "@w1")"#, result: "1699833600" },
        FnExample { expr: "relative_time(now(), host)", result: "null" },
        FnExample { expr: r#"relative_time(now(), "-3x")"#, result: "null" },
    ]),
    spec("strftime", 2, Some(2), Kind::Str, Invoke::Eager(strftime_fn), "Formats an epoch time with strftime variables, in the search's time zone.", &[
        FnExample { expr: r#"strftime(1521467703.049, "%Y-%m-%dT%H:%M:%S.%Q")"#, result: "2018-03-19T13:55:03.049" },
        FnExample { expr: r#"strftime(0, "%a %d %b %Y %H:%M %Z")"#, result: "Thu 01 Jan 1970 00:00 UTC" },
    ]),
    spec("strptime", 2, Some(2), Kind::Num, Invoke::Eager(strptime_fn), "Parses text with strftime variables into epoch seconds (shown with 6 decimals).", &[
        FnExample { expr: r#"strptime("2018-08-13 07:00:00", "%Y-%m-%d %H:%M:%S")"#, result: "1534143600.000000" },
        FnExample { expr: r#"strptime("Mon Aug 13 00:00:00 2018 -0700", "%a %b %d %H:%M:%S %Y %z")"#, result: "1534143600.000000" },
        FnExample { expr: r#"strptime("junk", "%Y")"#, result: "null" },
    ]),
];

fn now(call: &Call<'_>, _: &[Val]) -> Result<Val> {
    Ok(Val::num_scalar(Some(call.ctx.now)))
}

fn relative_time(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let [t, m] = a else { return Ok(Val::null()) };
    let (Some(tn), Some(mt)) = (to_num(t, true), to_text(m)) else {
        return Ok(Val::null());
    };
    let n = call.rows(a);
    let out: Float64Array = (0..n)
        .map(|i| {
            let (ti, mi) = (t.idx(i), m.idx(i));
            if tn.is_null(ti) || mt.is_null(mi) {
                return None;
            }
            resolve_time_modifier(mt.value(mi), tn.value(ti), &call.ctx.tz).ok()
        })
        .collect();
    Ok(Val::num(out, t.scalar && m.scalar))
}

fn strftime_fn(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let [t, f] = a else { return Ok(Val::null()) };
    let (Some(tn), Some(ft)) = (to_num(t, true), to_text(f)) else {
        return Ok(Val::null());
    };
    let n = call.rows(a);
    let mut b = StringBuilder::with_capacity(n, n * 20);
    for i in 0..n {
        let (ti, fi) = (t.idx(i), f.idx(i));
        match (tn.is_valid(ti) && ft.is_valid(fi))
            .then(|| strftime(tn.value(ti), ft.value(fi), &call.ctx.tz))
            .flatten()
        {
            Some(s) => b.append_value(s),
            None => b.append_null(),
        }
    }
    Ok(Val::text(b.finish(), t.scalar && f.scalar))
}

fn strptime_fn(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let [s, f] = a else { return Ok(Val::null()) };
    let (Some(st), Some(ft)) = (to_text(s), to_text(f)) else {
        return Ok(Val::null());
    };
    let n = call.rows(a);
    let out: Float64Array = (0..n)
        .map(|i| {
            let (si, fi) = (s.idx(i), f.idx(i));
            if st.is_null(si) || ft.is_null(fi) {
                return None;
            }
            strptime(st.value(si), ft.value(fi), &call.ctx.tz, call.ctx.now)
        })
        .collect();
    // strptime results display with six decimals (semantics 12.4, EX).
    Ok(Val::num(out, s.scalar && f.scalar).with_decimals(Some(6)))
}
