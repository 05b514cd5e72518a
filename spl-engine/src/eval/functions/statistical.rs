//! Statistical eval functions (semantics 3.6, 3.7 [R-STATEVAL][R-MATHFN]):
//! `min`, `max`, `avg`, `sum` over their arguments, every value of a
//! multivalue argument included.

use super::multivalue::row_values;
use super::{spec, BindCx, Call, CallState, FnExample, FunctionSpec, Invoke};
use crate::error::{EngineError, Result};
use crate::eval::bind::Kind;
use crate::eval::coerce::{parse_number, to_text};
use crate::eval::val::{Data, Origin, Val};
use crate::value::format_number;
use arrow_array::{Float64Array, StringArray};
use std::cmp::Ordering;

pub(super) const SPECS: &[FunctionSpec] = &[
    spec(
        "max",
        1,
        None,
        Kind::Any,
        Invoke::Eager(max),
        "The largest value; strings are greater than numbers, and compare lexicographically.",
        &[
            FnExample {
                expr: r#"max(1, 3, 6, 7, "11")"#,
                result: "11",
            },
            FnExample {
                expr: r#"max(3, "abc", 10)"#,
                result: "abc",
            },
            FnExample {
                expr: "max(mv)",
                result: "c",
            },
        ],
    ),
    spec(
        "min",
        1,
        None,
        Kind::Any,
        Invoke::Eager(min),
        "The smallest value; numbers are smaller than strings.",
        &[
            FnExample {
                expr: r#"min(3, "abc", 10)"#,
                result: "3",
            },
            FnExample {
                expr: "min(5, status)",
                result: "5",
            },
        ],
    ),
    spec(
        "avg",
        1,
        None,
        Kind::Num,
        Invoke::Eager(avg),
        "The mean of the numeric values (non-numeric field values are skipped).",
        &[
            FnExample {
                expr: "avg(1, 2, 3, 4)",
                result: "2.5",
            },
            FnExample {
                expr: "avg(status, missing, 6)",
                result: "205",
            },
        ],
    )
    .bound(bind_numeric_only),
    spec(
        "sum",
        1,
        None,
        Kind::Num,
        Invoke::Eager(sum),
        "The total of the numeric values (non-numeric field values are skipped).",
        &[
            FnExample {
                expr: "sum(1, 2, 3)",
                result: "6",
            },
            FnExample {
                expr: "sum(status, bytes)",
                result: "1904",
            },
        ],
    )
    .bound(bind_numeric_only),
];

/// `sum(1, "3")`/`avg("x", 2)` with a literal string are search errors (3.1).
fn bind_numeric_only(cx: &BindCx<'_>) -> Result<CallState> {
    for (i, a) in cx.args.iter().enumerate() {
        if a.kind == Kind::Str || a.kind == Kind::Bool {
            return Err(EngineError::invalid(
                format!(
                    "expected a number or field for `{}`, found {}",
                    cx.name,
                    if a.kind == Kind::Str {
                        "a string"
                    } else {
                        "a boolean"
                    }
                ),
                cx.arg_span(i),
                "not a number",
            ));
        }
    }
    Ok(CallState::default())
}

/// One candidate value: a number or a string (3.7: strings > numbers).
#[derive(Debug, Clone, PartialEq)]
enum Item {
    Num(f64),
    Str(String),
}

fn items(call: &Call<'_>, a: &[Val], numeric_only: bool) -> Vec<Vec<Item>> {
    let texts: Vec<Option<StringArray>> = a.iter().map(to_text).collect();
    let n = call.rows(a);
    (0..n)
        .map(|row| {
            let mut out = Vec::new();
            for (v, t) in a.iter().zip(&texts) {
                if let Data::Num(arr) = &v.data {
                    let i = v.idx(row);
                    if arrow_array::Array::is_valid(arr, i) {
                        out.push(Item::Num(arr.value(i)));
                    }
                    continue;
                }
                let literal_text = matches!(v.data, Data::Str(_, Origin::Text));
                for s in row_values(v, t.as_ref(), row) {
                    match (!literal_text).then(|| parse_number(&s)).flatten() {
                        Some(x) => out.push(Item::Num(x)),
                        None if !numeric_only => out.push(Item::Str(s)),
                        None => {}
                    }
                }
            }
            out
        })
        .collect()
}

fn cmp_items(a: &Item, b: &Item) -> Ordering {
    match (a, b) {
        (Item::Num(x), Item::Num(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (Item::Num(_), Item::Str(_)) => Ordering::Less,
        (Item::Str(_), Item::Num(_)) => Ordering::Greater,
        (Item::Str(x), Item::Str(y)) => x.as_bytes().cmp(y.as_bytes()),
    }
}

fn extreme(call: &Call<'_>, a: &[Val], want: Ordering) -> Result<Val> {
    let rows = items(call, a, false);
    let best: Vec<Option<Item>> = rows
        .into_iter()
        .map(|r| {
            r.into_iter()
                .reduce(|acc, x| if cmp_items(&x, &acc) == want { x } else { acc })
        })
        .collect();
    let scalar = a.iter().all(|v| v.scalar);
    if best.iter().all(|b| !matches!(b, Some(Item::Str(_)))) {
        let nums: Float64Array = best
            .iter()
            .map(|b| {
                if let Some(Item::Num(x)) = b {
                    Some(*x)
                } else {
                    None
                }
            })
            .collect();
        // One argument keeps its display precision (`max(round(x,2))`).
        let d = if a.len() == 1 {
            a.first().and_then(|v| v.decimals)
        } else {
            None
        };
        return Ok(Val::num(nums, scalar).with_decimals(d));
    }
    let texts: StringArray = best
        .iter()
        .map(|b| match b {
            Some(Item::Num(x)) => Some(format_number(*x, None)),
            Some(Item::Str(s)) => Some(s.clone()),
            None => None,
        })
        .collect();
    Ok(Val::new(Data::Str(texts, Origin::Field), scalar))
}

fn max(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    extreme(call, a, Ordering::Greater)
}

fn min(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    extreme(call, a, Ordering::Less)
}

fn fold(call: &Call<'_>, a: &[Val], mean: bool) -> Result<Val> {
    let rows = items(call, a, true);
    let out: Float64Array = rows
        .into_iter()
        .map(|r| {
            let nums: Vec<f64> = r
                .into_iter()
                .filter_map(|i| if let Item::Num(x) = i { Some(x) } else { None })
                .collect();
            if nums.is_empty() {
                return None;
            }
            let total: f64 = nums.iter().sum();
            Some(if mean {
                total / nums.len() as f64
            } else {
                total
            })
        })
        .collect();
    Ok(Val::num(out, a.iter().all(|v| v.scalar)))
}

fn avg(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    fold(call, a, true)
}

fn sum(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    fold(call, a, false)
}
