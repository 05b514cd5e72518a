//! Comparison and conditional functions (semantics 3.7 [R-CONDFN]).

use super::matching::{bind_cidr, bind_like, bind_regex_arg1, cidrmatch, like, match_};
use super::{spec, BindCx, Call, CallState, FnExample, FunctionSpec, Invoke};
use crate::error::{EngineError, Result};
use crate::eval::bind::{Kind, Node, Op};
use crate::eval::coerce::{conform, select, to_bool};
use crate::eval::exec::{array_to_val, eval_node};
use crate::eval::ops;
use crate::eval::val::{Data, Val};
use crate::filter::{SearchFilter, SearchMode};
use arrow_array::{BooleanArray, RecordBatch};
use arrow_buffer::BooleanBuffer;
use spl_parser::ast::BinaryOp;

pub(super) const SPECS: &[FunctionSpec] = &[
    spec(
        "if",
        3,
        Some(3),
        Kind::Any,
        Invoke::Lazy(if_),
        "`a` when the condition is true, else `b` (null and false take `b`).",
        &[
            FnExample {
                expr: r#"if(1 < 2, "yes", "no")"#,
                result: "yes",
            },
            FnExample {
                expr: r#"if(missing > 1, "yes", "no")"#,
                result: "no",
            },
        ],
    )
    .bound(bind_if),
    spec(
        "case",
        2,
        None,
        Kind::Any,
        Invoke::Eager(case),
        "The value after the first true condition; null when none is true.",
        &[
            FnExample {
                expr: r#"case(status==200, "OK", status==404, "Not found", true(), "Other")"#,
                result: "Not found",
            },
            FnExample {
                expr: r#"case(1==2, "x")"#,
                result: "null",
            },
        ],
    )
    .bound(bind_pairs),
    spec(
        "validate",
        2,
        None,
        Kind::Any,
        Invoke::Eager(validate),
        "The value after the first false condition; null when all are true.",
        &[FnExample {
            expr: r#"validate(isint(status), "not an integer", status < 400, "error status")"#,
            result: "error status",
        }],
    )
    .bound(bind_pairs),
    spec(
        "coalesce",
        1,
        None,
        Kind::Any,
        Invoke::Eager(coalesce),
        "The first argument that is not null.",
        &[FnExample {
            expr: r#"coalesce(missing, host, "x")"#,
            result: "web-01",
        }],
    ),
    spec(
        "nullif",
        2,
        Some(2),
        Kind::Any,
        Invoke::Eager(nullif),
        "Null when the two arguments are equal, else the first.",
        &[
            FnExample {
                expr: r#"nullif(host, "web-01")"#,
                result: "null",
            },
            FnExample {
                expr: r#"nullif(host, "x")"#,
                result: "web-01",
            },
        ],
    ),
    spec(
        "null",
        0,
        Some(0),
        Kind::Null,
        Invoke::Eager(null),
        "The null value (assigning it removes the field).",
        &[FnExample {
            expr: "null()",
            result: "null",
        }],
    ),
    spec(
        "true",
        0,
        Some(0),
        Kind::Bool,
        Invoke::Eager(true_),
        "Boolean true.",
        &[FnExample {
            expr: "true()",
            result: "True",
        }],
    ),
    spec(
        "false",
        0,
        Some(0),
        Kind::Bool,
        Invoke::Eager(false_),
        "Boolean false.",
        &[FnExample {
            expr: "false()",
            result: "False",
        }],
    ),
    spec(
        "in",
        1,
        None,
        Kind::Bool,
        Invoke::Eager(in_),
        "True when the first argument equals any of the others (exact, case-sensitive).",
        &[
            FnExample {
                expr: r#"in(status, "200", "404")"#,
                result: "True",
            },
            FnExample {
                expr: r#"in(status, "200")"#,
                result: "False",
            },
        ],
    ),
    spec(
        "like",
        2,
        Some(2),
        Kind::Bool,
        Invoke::Eager(like),
        "SQL LIKE: `%` matches any run, `_` one character; whole string, case-sensitive.",
        &[
            FnExample {
                expr: r#"like(host, "web-%")"#,
                result: "True",
            },
            FnExample {
                expr: r#"like(host, "web_")"#,
                result: "False",
            },
        ],
    )
    .bound(bind_like),
    spec(
        "match",
        2,
        Some(2),
        Kind::Bool,
        Invoke::Eager(match_),
        "True when the regex (PCRE) matches anywhere in the string.",
        &[
            FnExample {
                expr: r#"match(host, "^web-\d+$")"#,
                result: "True",
            },
            FnExample {
                expr: r#"match(host, "db")"#,
                result: "False",
            },
        ],
    )
    .bound(bind_regex_arg1),
    spec(
        "cidrmatch",
        2,
        Some(2),
        Kind::Bool,
        Invoke::Eager(cidrmatch),
        "True when the IP address (second argument) is in the CIDR subnet (first).",
        &[
            FnExample {
                expr: r#"cidrmatch("10.0.0.0/8", "10.1.2.3")"#,
                result: "True",
            },
            FnExample {
                expr: r#"cidrmatch("2001:db8::/32", "2001:db9::1")"#,
                result: "False",
            },
            FnExample {
                expr: r#"cidrmatch("10.0.0.0/8", "not-an-ip")"#,
                result: "False",
            },
        ],
    )
    .bound(bind_cidr),
    spec(
        "searchmatch",
        1,
        Some(1),
        Kind::Bool,
        Invoke::Lazy(searchmatch),
        "True when the row matches the search-language terms in the (literal) string.",
        &[
            FnExample {
                expr: r#"searchmatch("host=web-* status=404")"#,
                result: "True",
            },
            FnExample {
                expr: r#"searchmatch("status>=500")"#,
                result: "False",
            },
        ],
    )
    .bound(bind_searchmatch),
];

fn bind_if(cx: &BindCx<'_>) -> Result<CallState> {
    if let Some(c) = cx.args.first() {
        c.expect_bool("the condition of `if`")?;
    }
    Ok(CallState::default())
}

fn bind_pairs(cx: &BindCx<'_>) -> Result<CallState> {
    if cx.args.len() % 2 != 0 {
        return Err(EngineError::WrongArgCount {
            name: cx.name.to_string(),
            expected: "an even number of".into(),
            found: cx.args.len(),
            span: cx.span,
        });
    }
    for c in cx.args.iter().step_by(2) {
        c.expect_bool(&format!("a condition of `{}`", cx.name))?;
    }
    Ok(CallState::default())
}

/// `searchmatch("terms")`: the string is parsed with the search-term grammar
/// at bind time and evaluated like the `search` command (semantics 2).
fn bind_searchmatch(cx: &BindCx<'_>) -> Result<CallState> {
    let Some(text) = cx.lit_str(0) else {
        return Err(cx.err(
            0,
            "expected a string literal of search terms",
            "not a literal",
        ));
    };
    let parsed = spl_parser::parse_pipeline(&format!("search {text}"))
        .map_err(|e| cx.err(0, format!("invalid search terms: {e}"), "bad search"))?;
    let expr = match parsed.stages.into_iter().next().map(|s| s.command) {
        Some(spl_parser::ast::Command::Search(s)) => s.expr,
        _ => return Err(cx.err(0, "expected search terms, found a command", "bad search")),
    };
    let (filter, _) = SearchFilter::bind(expr.as_ref(), SearchMode::Events, cx.ctx)?;
    Ok(CallState::new(filter))
}

fn searchmatch(call: &Call<'_>, _: &[Node], batch: &RecordBatch) -> Result<Val> {
    match call.state.get::<SearchFilter>() {
        Some(f) => Ok(Val::boolean(f.evaluate(batch, call.ctx)?, false)),
        None => Ok(Val::bool_scalar(false)),
    }
}

/// `if` evaluates each branch only where it is taken when that is a small
/// part of the batch (S1's anomaly text is built for a few rows, not all).
fn if_(call: &Call<'_>, args: &[Node], batch: &RecordBatch) -> Result<Val> {
    let [c, t, f] = args else {
        return Ok(Val::null());
    };
    let mask = to_bool(&eval_node(c, batch, call.ctx)?);
    if mask.len() == 1 && call.len != 1 {
        let branch = if mask.value(0) { t } else { f };
        return eval_node(branch, batch, call.ctx);
    }
    let taken = mask.true_count();
    if taken == mask.len() {
        return eval_node(t, batch, call.ctx);
    }
    if taken == 0 {
        return eval_node(f, batch, call.ctx);
    }
    let tv = eval_where(t, batch, &mask, taken, call)?;
    let not_mask = arrow_arith::boolean::not(&mask)?;
    let fv = eval_where(f, batch, &not_mask, mask.len() - taken, call)?;
    select(&mask, tv, fv, call.len)
}

/// Evaluates `node` for the rows of `mask` (others may be anything): on the
/// selected rows only when they are few and the expression is not trivial.
fn eval_where(
    node: &Node,
    batch: &RecordBatch,
    mask: &BooleanArray,
    count: usize,
    call: &Call<'_>,
) -> Result<Val> {
    let trivial = matches!(node.op, Op::Lit(_) | Op::Field(_));
    if trivial || count.saturating_mul(4) > mask.len() {
        return eval_node(node, batch, call.ctx);
    }
    let mut fields = Vec::new();
    node.collect_fields(&mut fields);
    let schema = batch.schema_ref();
    let keep: Vec<usize> = fields
        .iter()
        .filter_map(|f| schema.index_of(f).ok())
        .collect();
    let sub = arrow_select::filter::filter_record_batch(&batch.project(&keep)?, mask)?;
    let v = eval_node(node, &sub, call.ctx)?.displayable();
    if v.scalar || v.is_all_null() {
        return Ok(v);
    }
    // Scatter back: row i of the batch takes sub-row k when selected, else null.
    let mut k = 0u32;
    let idx: arrow_array::UInt32Array = (0..mask.len())
        .map(|i| {
            mask.value(i).then(|| {
                k += 1;
                k - 1
            })
        })
        .collect();
    let decimals = v.decimals;
    let origin = match &v.data {
        Data::Str(_, o) => Some(*o),
        _ => None,
    };
    let arr = v.into_array(count)?;
    let full = arrow_select::take::take(arr.as_ref(), &idx, None)?;
    let mut out = array_to_val(&full, false)?.with_decimals(decimals);
    if let (Data::Str(a, _), Some(o)) = (&out.data, origin) {
        out.data = Data::Str(a.clone(), o);
    }
    Ok(out)
}

fn case(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    pairs(call, a, false)
}

fn validate(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    pairs(call, a, true)
}

/// `case` takes the first pair whose condition is true; `validate` the first
/// whose condition is false. Built back to front so earlier pairs win.
fn pairs(call: &Call<'_>, a: &[Val], negate: bool) -> Result<Val> {
    let mut acc = Val::null();
    for pair in a.chunks(2).rev() {
        let [c, v] = pair else { continue };
        let mut mask = to_bool(c);
        if negate {
            mask = arrow_arith::boolean::not(&mask)?;
        }
        acc = select(&mask, v.clone(), acc, call.len)?;
    }
    Ok(acc)
}

fn coalesce(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let vals = conform(a.to_vec())?;
    let mut iter = vals.into_iter().rev();
    let Some(mut acc) = iter.next() else {
        return Ok(Val::null());
    };
    for v in iter {
        if v.is_all_null() {
            continue;
        }
        let n = call.rows(&[v.clone(), acc.clone()]);
        let mask = BooleanArray::new(BooleanBuffer::collect_bool(n, |i| !v.is_null_at(i)), None);
        acc = select(&mask, v, acc, call.len)?;
    }
    Ok(acc)
}

fn nullif(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let [x, y] = a else { return Ok(Val::null()) };
    let eq = ops::compare(BinaryOp::Eq, x, y, call.len)?;
    let mask = to_bool(&eq);
    select(&mask, Val::null(), x.clone(), call.len)
}

fn null(_: &Call<'_>, _: &[Val]) -> Result<Val> {
    Ok(Val::null())
}

fn true_(_: &Call<'_>, _: &[Val]) -> Result<Val> {
    Ok(Val::bool_scalar(true))
}

fn false_(_: &Call<'_>, _: &[Val]) -> Result<Val> {
    Ok(Val::bool_scalar(false))
}

fn in_(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let Some((x, list)) = a.split_first() else {
        return Ok(Val::null());
    };
    ops::in_list(x, list, call.len)
}
