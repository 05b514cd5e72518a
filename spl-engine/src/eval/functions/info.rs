//! Informational functions (semantics 3.7 [R-INFOFN]): type and null tests.

use super::{spec, Call, FnExample, FunctionSpec, Invoke};
use crate::error::Result;
use crate::eval::bind::Kind;
use crate::eval::coerce::{is_numeric_text, parse_number};
use crate::eval::val::{list_values, Data, Origin, Val};
use arrow_array::{Array, BooleanArray, StringArray};
use arrow_buffer::BooleanBuffer;

pub(super) const SPECS: &[FunctionSpec] = &[
    spec(
        "isnull",
        1,
        Some(1),
        Kind::Bool,
        Invoke::Eager(isnull),
        "True when the value is null (the field is absent); `\"\"` is not null.",
        &[
            FnExample {
                expr: "isnull(missing)",
                result: "True",
            },
            FnExample {
                expr: "isnull(empty)",
                result: "False",
            },
        ],
    ),
    spec(
        "isnotnull",
        1,
        Some(1),
        Kind::Bool,
        Invoke::Eager(isnotnull),
        "True when the value is not null.",
        &[FnExample {
            expr: "isnotnull(host)",
            result: "True",
        }],
    ),
    spec(
        "isnum",
        1,
        Some(1),
        Kind::Bool,
        Invoke::Eager(isnum),
        "True for a number or a field value that looks like one (including `NaN`).",
        &[
            FnExample {
                expr: "isnum(status)",
                result: "True",
            },
            FnExample {
                expr: r#"isnum("404")"#,
                result: "False",
            },
            FnExample {
                expr: "isnum(bytes)",
                result: "True",
            },
        ],
    ),
    spec(
        "isint",
        1,
        Some(1),
        Kind::Bool,
        Invoke::Eager(isint),
        "True for an integer (or a field value written as one).",
        &[
            FnExample {
                expr: "isint(status)",
                result: "True",
            },
            FnExample {
                expr: "isint(2.5)",
                result: "False",
            },
        ],
    ),
    spec(
        "isstr",
        1,
        Some(1),
        Kind::Bool,
        Invoke::Eager(isstr),
        "True for a string that is not a number.",
        &[
            FnExample {
                expr: "isstr(host)",
                result: "True",
            },
            FnExample {
                expr: "isstr(status)",
                result: "False",
            },
        ],
    ),
    spec(
        "isbool",
        1,
        Some(1),
        Kind::Bool,
        Invoke::Eager(isbool),
        "True for a boolean.",
        &[FnExample {
            expr: "isbool(1==1)",
            result: "True",
        }],
    ),
    spec(
        "ismv",
        1,
        Some(1),
        Kind::Bool,
        Invoke::Eager(ismv),
        "True for a field with more than one value.",
        &[
            FnExample {
                expr: "ismv(mv)",
                result: "True",
            },
            FnExample {
                expr: "ismv(host)",
                result: "False",
            },
        ],
    ),
    spec(
        "typeof",
        1,
        Some(1),
        Kind::Str,
        Invoke::Eager(typeof_),
        "`Number`, `String`, `Boolean`, `Multivalue`, or `Invalid` for null.",
        &[
            FnExample {
                expr: "typeof(12)",
                result: "Number",
            },
            FnExample {
                expr: "typeof(status)",
                result: "Number",
            },
            FnExample {
                expr: r#"typeof("12")"#,
                result: "String",
            },
            FnExample {
                expr: "typeof(1==2)",
                result: "Boolean",
            },
            FnExample {
                expr: "typeof(missing)",
                result: "Invalid",
            },
        ],
    ),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum T {
    Null,
    Number,
    String,
    Boolean,
    Multi,
}

/// The SPL type of one row.
fn type_at(v: &Val, row: usize) -> T {
    let i = v.idx(row);
    match &v.data {
        Data::Null => T::Null,
        Data::Num(a) => {
            if a.is_null(i) {
                T::Null
            } else {
                T::Number
            }
        }
        Data::Bool(a) => {
            if a.is_null(i) {
                T::Null
            } else {
                T::Boolean
            }
        }
        Data::Str(a, o) => {
            if a.is_null(i) {
                T::Null
            } else if *o == Origin::Field && is_numeric_text(a.value(i)) {
                T::Number
            } else {
                T::String
            }
        }
        Data::Multi(l) => match list_values(l, i).as_slice() {
            [] => T::Null,
            [one] => {
                if is_numeric_text(one) {
                    T::Number
                } else {
                    T::String
                }
            }
            _ => T::Multi,
        },
    }
}

fn test(call: &Call<'_>, a: &[Val], f: impl Fn(&Val, usize) -> bool) -> Result<Val> {
    let Some(x) = a.first() else {
        return Ok(Val::bool_scalar(false));
    };
    let n = call.rows(a);
    Ok(Val::boolean(
        BooleanArray::new(BooleanBuffer::collect_bool(n, |i| f(x, i)), None),
        x.scalar,
    ))
}

fn isnull(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    test(call, a, |x, i| type_at(x, i) == T::Null)
}

fn isnotnull(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    test(call, a, |x, i| type_at(x, i) != T::Null)
}

fn isnum(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    test(call, a, |x, i| type_at(x, i) == T::Number)
}

fn isint(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    test(call, a, |x, i| {
        let j = x.idx(i);
        match &x.data {
            Data::Num(n) => n.is_valid(j) && n.value(j).fract() == 0.0,
            Data::Str(s, Origin::Field) => s.is_valid(j) && is_int_text(s.value(j)),
            Data::Multi(l) => matches!(list_values(l, j).as_slice(), [one] if is_int_text(one)),
            _ => false,
        }
    })
}

fn is_int_text(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && parse_number(s).is_some()
}

fn isstr(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    test(call, a, |x, i| type_at(x, i) == T::String)
}

fn isbool(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    test(call, a, |x, i| type_at(x, i) == T::Boolean)
}

fn ismv(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    test(call, a, |x, i| type_at(x, i) == T::Multi)
}

fn typeof_(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let Some(x) = a.first() else {
        return Ok(Val::null());
    };
    let n = call.rows(a);
    let out: StringArray = (0..n)
        .map(|i| {
            Some(match type_at(x, i) {
                T::Null => "Invalid",
                T::Number => "Number",
                T::String => "String",
                T::Boolean => "Boolean",
                T::Multi => "Multivalue",
            })
        })
        .collect();
    Ok(Val::text(out, x.scalar))
}
