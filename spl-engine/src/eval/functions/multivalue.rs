//! Multivalue functions (semantics 3.7 [R-MVFN], 12.3). A single value acts
//! as a one-value list; null as an empty one.

use super::matching::{bind_regex, RegexArg};
use super::mviter::{bind_mvfilter, bind_mvmap, mvfilter, mvmap};
use super::{spec, BindCx, Call, CallState, FnExample, FunctionSpec, Invoke};
use crate::error::Result;
use crate::eval::bind::Kind;
use crate::eval::coerce::{to_num, to_text};
use crate::eval::val::{build_multi, list_values, Data, Val};
use crate::pcre::Pcre;
use crate::value::format_number;
use arrow_array::{Array, Float64Array, StringArray};
use std::collections::HashSet;

pub(super) const SPECS: &[FunctionSpec] = &[
    spec(
        "split",
        2,
        Some(2),
        Kind::Multi,
        Invoke::Eager(split),
        "Splits text on a literal delimiter (\"\" splits into characters).",
        &[
            FnExample {
                expr: r#"split("a, b, c", ", ")"#,
                result: r#"["a","b","c"]"#,
            },
            FnExample {
                expr: r#"split("a,,b", ",")"#,
                result: r#"["a","","b"]"#,
            },
            FnExample {
                expr: r#"split("abc", "")"#,
                result: r#"["a","b","c"]"#,
            },
        ],
    ),
    spec(
        "mvcount",
        1,
        Some(1),
        Kind::Num,
        Invoke::Eager(mvcount),
        "Number of values (null for a missing field).",
        &[
            FnExample {
                expr: "mvcount(mv)",
                result: "3",
            },
            FnExample {
                expr: "mvcount(host)",
                result: "1",
            },
            FnExample {
                expr: "mvcount(missing)",
                result: "null",
            },
        ],
    ),
    spec(
        "mvindex",
        2,
        Some(3),
        Kind::Any,
        Invoke::Eager(mvindex),
        "Value(s) by 0-based index (negative from the end); the end index is inclusive.",
        &[
            FnExample {
                expr: "mvindex(mv, 0)",
                result: "a",
            },
            FnExample {
                expr: "mvindex(mv, -1)",
                result: "c",
            },
            FnExample {
                expr: "mvindex(mv, 1, 2)",
                result: r#"["b","c"]"#,
            },
            FnExample {
                expr: "mvindex(mv, 5)",
                result: "null",
            },
        ],
    ),
    spec(
        "mvjoin",
        2,
        Some(2),
        Kind::Str,
        Invoke::Eager(mvjoin),
        "Joins the values with a delimiter.",
        &[FnExample {
            expr: r#"mvjoin(mv, ";")"#,
            result: "a;b;c",
        }],
    ),
    spec(
        "mvappend",
        1,
        None,
        Kind::Multi,
        Invoke::Eager(mvappend),
        "All values of all arguments, in order (null arguments are skipped).",
        &[FnExample {
            expr: r#"mvappend("x", mv, missing, 1)"#,
            result: r#"["x","a","b","c","1"]"#,
        }],
    ),
    spec(
        "mvfilter",
        1,
        Some(1),
        Kind::Multi,
        Invoke::Lazy(mvfilter),
        "Keeps the values of the one field in the predicate for which it is true.",
        &[
            FnExample {
                expr: r#"mvfilter(mv != "b")"#,
                result: r#"["a","c"]"#,
            },
            FnExample {
                expr: r#"mvfilter(match(mv, "^z"))"#,
                result: "null",
            },
        ],
    )
    .bound(bind_mvfilter),
    spec(
        "mvfind",
        2,
        Some(2),
        Kind::Num,
        Invoke::Eager(mvfind),
        "Index of the first value matching a regex (PCRE), or null.",
        &[
            FnExample {
                expr: r#"mvfind(mv, "[bc]")"#,
                result: "1",
            },
            FnExample {
                expr: r#"mvfind(mv, "z")"#,
                result: "null",
            },
        ],
    )
    .bound(bind_mvfind),
    spec(
        "mvdedup",
        1,
        Some(1),
        Kind::Multi,
        Invoke::Eager(mvdedup),
        "Removes duplicate values, keeping first occurrences.",
        &[FnExample {
            expr: r#"mvdedup(split("b,a,b", ","))"#,
            result: r#"["b","a"]"#,
        }],
    ),
    spec(
        "mvsort",
        1,
        Some(1),
        Kind::Multi,
        Invoke::Eager(mvsort),
        "Sorts the values lexicographically (byte order).",
        &[FnExample {
            expr: r#"mvsort(split("b,10,a,9,B", ","))"#,
            result: r#"["10","9","B","a","b"]"#,
        }],
    ),
    spec(
        "mvreverse",
        1,
        Some(1),
        Kind::Multi,
        Invoke::Eager(mvreverse),
        "Reverses the order of the values.",
        &[FnExample {
            expr: "mvreverse(mv)",
            result: r#"["c","b","a"]"#,
        }],
    ),
    spec(
        "mvzip",
        2,
        Some(3),
        Kind::Multi,
        Invoke::Eager(mvzip),
        "Pairs values of two fields with a delimiter (default `,`), up to the shorter.",
        &[
            FnExample {
                expr: r#"mvzip(mv, split("1,2", ","))"#,
                result: r#"["a,1","b,2"]"#,
            },
            FnExample {
                expr: r#"mvzip(mv, mv, "=")"#,
                result: r#"["a=a","b=b","c=c"]"#,
            },
        ],
    ),
    spec(
        "mvrange",
        2,
        Some(3),
        Kind::Multi,
        Invoke::Eager(mvrange),
        "Numbers from start up to (not including) end, by step (number or span such as `7d`).",
        &[
            FnExample {
                expr: "mvrange(1, 8, 2)",
                result: r#"["1","3","5","7"]"#,
            },
            FnExample {
                expr: r#"mvrange(0, 172800, "1d")"#,
                result: r#"["0","86400"]"#,
            },
        ],
    ),
    spec(
        "mvmap",
        2,
        Some(2),
        Kind::Multi,
        Invoke::Lazy(mvmap),
        "Evaluates an expression for each value of a multivalue field.",
        &[FnExample {
            expr: r#"mvmap(mv, mv . "!")"#,
            result: r#"["a!","b!","c!"]"#,
        }],
    )
    .bound(bind_mvmap),
];

/// The values of logical row `row`: list values, the single value's text, or none.
pub(crate) fn row_values(v: &Val, text: Option<&StringArray>, row: usize) -> Vec<String> {
    let i = v.idx(row);
    match &v.data {
        Data::Multi(l) => list_values(l, i).into_iter().map(str::to_string).collect(),
        Data::Null => Vec::new(),
        _ => text
            .filter(|t| t.is_valid(i))
            .map(|t| vec![t.value(i).to_string()])
            .unwrap_or_default(),
    }
}

fn multi_result(rows: Vec<Option<Vec<String>>>, scalar: bool) -> Val {
    Val::multi(build_multi(rows), scalar)
}

fn split(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let [x, d] = a else { return Ok(Val::null()) };
    let (Some(xt), Some(dt)) = (to_text(x), to_text(d)) else {
        return Ok(Val::null());
    };
    let n = call.rows(a);
    let rows = (0..n).map(|i| {
        let (xi, di) = (x.idx(i), d.idx(i));
        if xt.is_null(xi) || dt.is_null(di) {
            return None;
        }
        let (s, delim) = (xt.value(xi), dt.value(di));
        Some(if delim.is_empty() {
            if s.is_empty() {
                vec![""]
            } else {
                s.char_indices()
                    .map(|(j, c)| s.get(j..j + c.len_utf8()).unwrap_or(""))
                    .collect()
            }
        } else {
            s.split(delim).collect::<Vec<&str>>()
        })
    });
    Ok(Val::multi(
        build_multi(rows),
        n == 1 && x.scalar && d.scalar,
    ))
}

fn mvcount(_: &Call<'_>, a: &[Val]) -> Result<Val> {
    let Some(x) = a.first() else {
        return Ok(Val::null());
    };
    let out: Float64Array = match &x.data {
        Data::Null => return Ok(Val::null()),
        Data::Multi(l) => (0..l.len())
            .map(|i| {
                (!l.is_null(i))
                    .then(|| list_values(l, i).len() as f64)
                    .filter(|&c| c > 0.0)
            })
            .collect(),
        _ => {
            let t = to_text(x).unwrap_or_else(|| StringArray::new_null(1));
            t.iter().map(|s| s.map(|_| 1.0)).collect()
        }
    };
    Ok(Val::num(out, x.scalar))
}

fn norm_index(i: f64, count: usize) -> Option<usize> {
    let i = i.trunc() as i64;
    let c = count as i64;
    let j = if i < 0 { c + i } else { i };
    (0..c).contains(&j).then_some(j as usize)
}

fn mvindex(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let Some(x) = a.first() else {
        return Ok(Val::null());
    };
    let text = to_text(x);
    let idx: Vec<Option<Float64Array>> = a.iter().skip(1).map(|v| to_num(v, true)).collect();
    let n = call.rows(a);
    let get = |k: usize, i: usize| -> Option<f64> {
        let v = a.get(k + 1)?;
        let arr = idx.get(k)?.as_ref()?;
        let j = v.idx(i);
        arr.is_valid(j).then(|| arr.value(j))
    };
    let rows: Vec<Option<Vec<String>>> = (0..n)
        .map(|i| {
            let vals = row_values(x, text.as_ref(), i);
            let start = norm_index(get(0, i)?, vals.len())?;
            match a.len() {
                3 => {
                    let end = norm_index(get(1, i)?, vals.len())?;
                    (end >= start)
                        .then(|| vals.get(start..=end).map(<[String]>::to_vec))
                        .flatten()
                }
                _ => vals.get(start).map(|v| vec![v.clone()]),
            }
        })
        .collect();
    let scalar = a.iter().all(|v| v.scalar);
    if a.len() == 3 {
        return Ok(multi_result(rows, scalar));
    }
    // A single index yields a single value.
    let single: StringArray = rows
        .iter()
        .map(|r| r.as_ref().and_then(|v| v.first().map(String::as_str)))
        .collect();
    Ok(Val::new(
        Data::Str(single, crate::eval::val::Origin::Field),
        scalar,
    ))
}

fn mvjoin(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let [x, d] = a else { return Ok(Val::null()) };
    let (text, Some(dt)) = (to_text(x), to_text(d)) else {
        return Ok(Val::null());
    };
    let n = call.rows(a);
    let out: StringArray = (0..n)
        .map(|i| {
            let di = d.idx(i);
            if dt.is_null(di) || x.is_null_at(i) {
                return None;
            }
            Some(row_values(x, text.as_ref(), i).join(dt.value(di)))
        })
        .collect();
    Ok(Val::text(out, x.scalar && d.scalar))
}

fn mvappend(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let texts: Vec<Option<StringArray>> = a.iter().map(to_text).collect();
    let n = call.rows(a);
    let rows = (0..n)
        .map(|i| {
            let vals: Vec<String> = a
                .iter()
                .zip(&texts)
                .flat_map(|(v, t)| row_values(v, t.as_ref(), i))
                .collect();
            (!vals.is_empty()).then_some(vals)
        })
        .collect();
    Ok(multi_result(rows, a.iter().all(|v| v.scalar)))
}

fn bind_mvfind(cx: &BindCx<'_>) -> Result<CallState> {
    Ok(CallState::new(bind_regex(cx, 1)?))
}

fn mvfind(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let [x, p] = a else { return Ok(Val::null()) };
    let (text, Some(pt)) = (to_text(x), to_text(p)) else {
        return Ok(Val::null());
    };
    let (pre, span) = RegexArg::of(call);
    let n = call.rows(a);
    let mut out: Vec<Option<f64>> = Vec::with_capacity(n);
    for i in 0..n {
        let pi = p.idx(i);
        if pt.is_null(pi) {
            out.push(None);
            continue;
        }
        let owned;
        let re = match pre {
            Some(re) => re,
            None => match Pcre::new(pt.value(pi)) {
                Ok(re) => {
                    owned = re;
                    &owned
                }
                Err(_) => {
                    out.push(None);
                    continue;
                }
            },
        };
        let mut found = None;
        for (k, v) in row_values(x, text.as_ref(), i).iter().enumerate() {
            if re.is_match(v).map_err(|e| e.at(span))? {
                found = Some(k as f64);
                break;
            }
        }
        out.push(found);
    }
    Ok(Val::num(Float64Array::from(out), x.scalar && p.scalar))
}

fn map_lists(call: &Call<'_>, a: &[Val], f: impl Fn(Vec<String>) -> Vec<String>) -> Result<Val> {
    let Some(x) = a.first() else {
        return Ok(Val::null());
    };
    let text = to_text(x);
    let n = call.rows(a);
    let rows = (0..n)
        .map(|i| {
            let v = f(row_values(x, text.as_ref(), i));
            (!v.is_empty()).then_some(v)
        })
        .collect();
    Ok(multi_result(rows, x.scalar))
}

fn mvdedup(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    map_lists(call, a, |vals| {
        let mut seen = HashSet::new();
        vals.into_iter()
            .filter(|v| seen.insert(v.clone()))
            .collect()
    })
}

fn mvsort(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    map_lists(call, a, |mut vals| {
        vals.sort_unstable();
        vals
    })
}

fn mvreverse(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    map_lists(call, a, |mut vals| {
        vals.reverse();
        vals
    })
}

fn mvzip(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let (Some(x), Some(y)) = (a.first(), a.get(1)) else {
        return Ok(Val::null());
    };
    let (xt, yt) = (to_text(x), to_text(y));
    let delim = a.get(2).map(|d| (d, to_text(d)));
    let n = call.rows(a);
    let rows = (0..n)
        .map(|i| {
            let sep = match &delim {
                Some((d, Some(t))) => {
                    let di = d.idx(i);
                    if t.is_null(di) {
                        return None;
                    }
                    t.value(di).to_string()
                }
                Some((_, None)) => return None,
                None => ",".to_string(),
            };
            let (xs, ys) = (row_values(x, xt.as_ref(), i), row_values(y, yt.as_ref(), i));
            let out: Vec<String> = xs
                .iter()
                .zip(&ys)
                .map(|(p, q)| format!("{p}{sep}{q}"))
                .collect();
            (!out.is_empty()).then_some(out)
        })
        .collect();
    Ok(multi_result(rows, a.iter().all(|v| v.scalar)))
}

/// A step of `mvrange`: a number, or a span such as `7d` (seconds).
fn parse_step(s: &str) -> Option<f64> {
    if let Some(v) = crate::eval::coerce::parse_number(s) {
        return Some(v);
    }
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: f64 = if num.is_empty() {
        1.0
    } else {
        num.parse().ok()?
    };
    let secs = crate::time::unit_seconds(unit)?;
    Some(n * secs)
}

fn mvrange(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let (Some(s), Some(e)) = (a.first(), a.get(1)) else {
        return Ok(Val::null());
    };
    let (Some(sn), Some(en)) = (to_num(s, true), to_num(e, true)) else {
        return Ok(Val::null());
    };
    let steps = a.get(2).map(|st| (st, to_text(st)));
    let max = call.ctx.limits.mvrange_max_values;
    let n = call.rows(a);
    let rows = (0..n)
        .map(|i| {
            let (si, ei) = (s.idx(i), e.idx(i));
            if sn.is_null(si) || en.is_null(ei) {
                return None;
            }
            let step = match &steps {
                Some((st, Some(t))) => {
                    let ti = st.idx(i);
                    if t.is_null(ti) {
                        return None;
                    }
                    parse_step(t.value(ti))?
                }
                Some((_, None)) => return None,
                None => 1.0,
            };
            let (start, end) = (sn.value(si), en.value(ei));
            if step == 0.0 || !step.is_finite() || !start.is_finite() || !end.is_finite() {
                return None;
            }
            // The count is computed up front, and value i is start + i*step:
            // repeated addition never ends where `v + step == v` (large floats).
            let count = ((end - start) / step).ceil();
            if count <= 0.0 {
                return None;
            }
            if count > max as f64 {
                crate::limits::truncated(
                    &call.ctx.warnings,
                    "mvrange_max_values",
                    format!(
                        "mvrange({}, {}, {}) would make {count} values: the result is null",
                        format_number(start, None),
                        format_number(end, None),
                        format_number(step, None)
                    ),
                );
                return None;
            }
            let out: Vec<String> = (0..count as usize)
                .map(|i| start + i as f64 * step)
                .filter(|&v| (step > 0.0 && v < end) || (step < 0.0 && v > end))
                .map(|v| format_number(v, None))
                .collect();
            (!out.is_empty()).then_some(out)
        })
        .collect();
    Ok(multi_result(rows, a.iter().all(|v| v.scalar)))
}
