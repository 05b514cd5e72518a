//! Operators: arithmetic, `+`, `.`, comparisons, `LIKE`, boolean logic, `IN`
//! (semantics 3.2, 3.3, 3.5, 3.6).

use super::coerce::{is_num_at, to_bool, to_num, to_text};
use super::precision::{from_row_decimals, precision, with_precision, Prec};
use super::val::{list_values, Data, Origin, Val};
use crate::error::Result;
use crate::value::format_number;
use arrow_array::builder::StringBuilder;
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, BooleanArray, Datum, Float64Array, StringArray, UInt32Array};
use arrow_buffer::BooleanBuffer;
use spl_parser::ast::BinaryOp;
use std::fmt::Write;
use std::sync::Arc;

/// An Arrow `Datum` over an owned array: a broadcast scalar when `.1`.
pub(crate) struct Dat(pub ArrayRef, pub bool);

impl Datum for Dat {
    fn get(&self) -> (&dyn Array, bool) {
        (self.0.as_ref(), self.1)
    }
}

fn both_scalar(a: &Val, b: &Val) -> bool {
    a.scalar && b.scalar
}

/// Logical length of a binary result.
fn out_len(a: &Val, b: &Val, len: usize) -> usize {
    if both_scalar(a, b) {
        1
    } else {
        len
    }
}

/// `- * / %` (and `+` between numbers): IEEE doubles, null in → null out,
/// non-numeric operand → null, division or modulo by zero → null (3.4).
pub(crate) fn arith(op: BinaryOp, l: &Val, r: &Val) -> Result<Val> {
    let (Some(ln), Some(rn)) = (to_num(l, true), to_num(r, true)) else {
        return Ok(Val::null());
    };
    let scalar = both_scalar(l, r);
    let (ld, rd) = (
        Dat(Arc::new(ln.clone()), l.scalar),
        Dat(Arc::new(rn.clone()), r.scalar),
    );
    let out = match op {
        BinaryOp::Add => arrow_arith::numeric::add(&ld, &rd)?,
        BinaryOp::Sub => arrow_arith::numeric::sub(&ld, &rd)?,
        BinaryOp::Mul => arrow_arith::numeric::mul(&ld, &rd)?,
        BinaryOp::Div => arrow_arith::numeric::div(&ld, &rd)?,
        _ => arrow_arith::numeric::rem(&ld, &rd)?,
    };
    // IEEE equality, so a divisor of `-0.0` counts as zero too (Arrow's
    // comparison kernels order floats totally and tell the zeros apart).
    let zero_at = |i: usize| rn.is_valid(i) && rn.value(i) == 0.0;
    let out = if matches!(op, BinaryOp::Div | BinaryOp::Mod) && (0..rn.len()).any(zero_at) {
        let broadcast = rn.len() == 1;
        let is_zero = BooleanArray::new(
            BooleanBuffer::collect_bool(out.len(), |i| zero_at(if broadcast { 0 } else { i })),
            None,
        );
        arrow_select::nullif::nullif(out.as_ref(), &is_zero)?
    } else {
        out
    };
    let out: Float64Array = out.as_primitive().clone();
    Ok(with_precision(op, l, r, &ln, &rn, out, scalar))
}

/// `+`: adds when both operands are numbers at that row, otherwise
/// concatenates their text (3.3). Null in either → null.
pub(crate) fn plus(l: &Val, r: &Val, len: usize) -> Result<Val> {
    if l.is_all_null() || r.is_all_null() {
        return Ok(Val::null());
    }
    if matches!((&l.data, &r.data), (Data::Num(_), Data::Num(_))) {
        return arith(BinaryOp::Add, l, r);
    }
    let n = out_len(l, r, len);
    let any_text = |v: &Val| matches!(v.data, Data::Str(_, Origin::Text) | Data::Bool(_));
    if any_text(l) || any_text(r) {
        return concat(l, r, len);
    }
    // Field text on at least one side: decide per row.
    let all_numeric =
        (0..n).all(|i| l.is_null_at(i) || r.is_null_at(i) || (is_num_at(l, i) && is_num_at(r, i)));
    if all_numeric {
        return arith(BinaryOp::Add, l, r);
    }
    // Sums (with their display precision) for the rows where both are numbers.
    let sums = to_text(&arith(BinaryOp::Add, l, r)?);
    let (Some(ln), Some(rn), Some(lt), Some(rt)) =
        (to_num(l, false), to_num(r, false), to_text(l), to_text(r))
    else {
        return Ok(Val::null());
    };
    let mut b = StringBuilder::with_capacity(n, n * 16);
    let mut buf = String::new();
    for i in 0..n {
        let (li, ri) = (l.idx(i), r.idx(i));
        if lt.is_null(li) || rt.is_null(ri) {
            b.append_null();
        } else if ln.is_valid(li) && rn.is_valid(ri) {
            let si = if sums.as_ref().is_some_and(|s| s.len() == 1) {
                0
            } else {
                i
            };
            match sums.as_ref().filter(|s| s.is_valid(si)) {
                Some(s) => b.append_value(s.value(si)),
                None => b.append_value(format_number(ln.value(li) + rn.value(ri), None)),
            }
        } else {
            buf.clear();
            buf.push_str(lt.value(li));
            buf.push_str(rt.value(ri));
            b.append_value(&buf);
        }
    }
    Ok(Val::new(
        Data::Str(b.finish(), Origin::Field),
        both_scalar(l, r),
    ))
}

/// `.` (and string `+`): text forms joined; null in either → null (3.5).
pub(crate) fn concat(l: &Val, r: &Val, len: usize) -> Result<Val> {
    concat_n(&[l, r], len)
}

/// `a . b . c ...` in one pass (a chain of `.`/string `+` is bound as one
/// node, so no intermediate columns are built). Any null operand → null.
pub(crate) fn concat_n(parts: &[&Val], len: usize) -> Result<Val> {
    let mut texts = Vec::with_capacity(parts.len());
    for p in parts {
        match to_text(p) {
            Some(t) => texts.push(t),
            None => return Ok(Val::null()),
        }
    }
    let scalar = parts.iter().all(|p| p.scalar);
    let n = if scalar { 1 } else { len };
    let mut b = StringBuilder::with_capacity(n, n * 16 * parts.len());
    for i in 0..n {
        if !parts.iter().zip(&texts).all(|(p, t)| t.is_valid(p.idx(i))) {
            b.append_null();
            continue;
        }
        for (p, t) in parts.iter().zip(&texts) {
            // Writing into an Arrow string builder cannot fail.
            let _ = b.write_str(t.value(p.idx(i)));
        }
        b.append_value("");
    }
    Ok(Val::text(b.finish(), scalar))
}

/// Flattens a multivalue operand: its values as field text, plus each
/// value's parent row. The other operand is taken along by parent row.
fn flatten(v: &Val, len: usize) -> (Val, UInt32Array, Vec<(usize, usize)>) {
    let Data::Multi(list) = &v.data else {
        return (v.clone(), UInt32Array::from(Vec::<u32>::new()), Vec::new());
    };
    let mut vals: Vec<&str> = Vec::new();
    let mut parents: Vec<u32> = Vec::new();
    let mut ranges = Vec::with_capacity(len);
    for row in 0..len {
        let start = vals.len();
        for s in list_values(list, v.idx(row)) {
            vals.push(s);
            parents.push(row as u32);
        }
        ranges.push((start, vals.len()));
    }
    let arr = StringArray::from(vals);
    (
        Val::new(Data::Str(arr, Origin::Field), false),
        UInt32Array::from(parents),
        ranges,
    )
}

/// Takes `v`'s rows at `idx` (scalars stay scalar).
fn take_rows(v: &Val, idx: &UInt32Array) -> Result<Val> {
    if v.scalar || v.is_all_null() {
        return Ok(v.clone());
    }
    let arr = v.clone().into_array(idx.len().max(1))?;
    let taken = arrow_select::take::take(arr.as_ref(), idx, None)?;
    let data = match &v.data {
        Data::Num(_) => Data::Num(taken.as_primitive().clone()),
        Data::Str(_, o) => Data::Str(taken.as_string().clone(), *o),
        Data::Bool(_) => Data::Bool(taken.as_boolean().clone()),
        Data::Multi(_) => Data::Multi(taken.as_list().clone()),
        Data::Null => Data::Null,
    };
    Ok(Val {
        data,
        scalar: false,
        decimals: v.decimals,
        row_dec: None,
    })
}

/// Any-value reduction of a per-value result back to rows.
fn any_per_row(flat: &BooleanArray, ranges: &[(usize, usize)]) -> BooleanArray {
    let buf = BooleanBuffer::collect_bool(ranges.len(), |row| {
        ranges
            .get(row)
            .is_some_and(|&(s, e)| (s..e).any(|j| flat.is_valid(j) && flat.value(j)))
    });
    BooleanArray::new(buf, None)
}

/// Applies `f` (which returns a never-null boolean over its operands) to a
/// multivalue operand value by value; true for a row if any value is (3.6).
pub(crate) fn per_value<F>(mv: &Val, other: &Val, len: usize, f: F) -> Result<Val>
where
    F: Fn(&Val, &Val, usize) -> Result<BooleanArray>,
{
    let rows = if mv.scalar && other.scalar { 1 } else { len };
    let (flat, parents, ranges) = flatten(mv, rows);
    let other = take_rows(other, &parents)?;
    let res = f(&flat, &other, parents.len())?;
    Ok(Val::boolean(
        any_per_row(&res, &ranges),
        rows == 1 && mv.scalar && other.scalar,
    ))
}

/// A comparison operator: `= == != < <= > >=`.
pub(crate) fn compare(op: BinaryOp, l: &Val, r: &Val, len: usize) -> Result<Val> {
    if l.is_all_null() || r.is_all_null() {
        return Ok(Val::bool_scalar(false));
    }
    if matches!(l.data, Data::Multi(_)) {
        let r = first_if_multi(r)?;
        return per_value(l, &r, len, |a, b, n| compare_plain(op, a, b, n));
    }
    if matches!(r.data, Data::Multi(_)) {
        return per_value(r, l, len, |a, b, n| compare_plain(flip(op), a, b, n));
    }
    Ok(Val::boolean(
        compare_plain(op, l, r, len)?,
        both_scalar(l, r),
    ))
}

/// With both sides multivalue, the right side contributes its first value (INF).
fn first_if_multi(v: &Val) -> Result<Val> {
    if !matches!(v.data, Data::Multi(_)) {
        return Ok(v.clone());
    }
    let t = to_text(v).unwrap_or_else(|| StringArray::new_null(1));
    Ok(Val::new(Data::Str(t, Origin::Field), v.scalar))
}

fn flip(op: BinaryOp) -> BinaryOp {
    match op {
        BinaryOp::Lt => BinaryOp::Gt,
        BinaryOp::Le => BinaryOp::Ge,
        BinaryOp::Gt => BinaryOp::Lt,
        BinaryOp::Ge => BinaryOp::Le,
        other => other,
    }
}

fn num_cmp(op: BinaryOp, a: f64, b: f64) -> bool {
    match op {
        BinaryOp::Eq => a == b,
        BinaryOp::Ne => a != b,
        BinaryOp::Lt => a < b,
        BinaryOp::Le => a <= b,
        BinaryOp::Gt => a > b,
        _ => a >= b,
    }
}

/// Compares two non-multivalue operands; never null (null → false, 3.5).
fn compare_plain(op: BinaryOp, l: &Val, r: &Val, len: usize) -> Result<BooleanArray> {
    let n = out_len(l, r, len);
    if l.is_all_null() || r.is_all_null() {
        return Ok(BooleanArray::from(vec![false; n]));
    }
    if matches!(l.data, Data::Bool(_)) || matches!(r.data, Data::Bool(_)) {
        return bool_cmp(op, l, r);
    }
    let numeric_only = matches!((&l.data, &r.data), (Data::Num(_), Data::Num(_)));
    let text = |v: &Val| matches!(v.data, Data::Str(_, Origin::Text) | Data::Bool(_));
    let text_only = text(l) || text(r);
    if !text_only {
        if let (Some(ln), Some(rn)) = (to_num(l, false), to_num(r, false)) {
            let all_num = numeric_only || (ln.null_count() == 0 && rn.null_count() == 0);
            if all_num {
                let buf = BooleanBuffer::collect_bool(n, |i| {
                    let (li, ri) = (l.idx(i), r.idx(i));
                    ln.is_valid(li) && rn.is_valid(ri) && num_cmp(op, ln.value(li), rn.value(ri))
                });
                return Ok(BooleanArray::new(buf, None));
            }
            // Mixed: numeric where both sides are numbers, text elsewhere.
            let s = string_cmp(op, l, r)?;
            let buf = BooleanBuffer::collect_bool(n, |i| {
                let (li, ri) = (l.idx(i), r.idx(i));
                if ln.is_valid(li) && rn.is_valid(ri) {
                    num_cmp(op, ln.value(li), rn.value(ri))
                } else {
                    let si = if s.len() == 1 { 0 } else { i };
                    s.is_valid(si) && s.value(si)
                }
            });
            return Ok(BooleanArray::new(buf, None));
        }
    }
    Ok(nulls_false(&string_cmp(op, l, r)?))
}

/// A comparison with a Boolean operand: both sides as text, ignoring case,
/// so `isnull(x) = true` compares two Booleans, and field text `true` (a
/// JSON Boolean) or `True` (`tostring(true)`) equals `true`. Never null.
fn bool_cmp(op: BinaryOp, l: &Val, r: &Val) -> Result<BooleanArray> {
    let lower = |v: &Val| -> Val {
        let t = to_text(v).unwrap_or_else(|| StringArray::new_null(1));
        let t: StringArray = t.iter().map(|s| s.map(str::to_lowercase)).collect();
        Val::new(Data::Str(t, Origin::Text), v.scalar)
    };
    Ok(nulls_false(&string_cmp(op, &lower(l), &lower(r))?))
}

/// Null entries become false (two-valued logic, 3.5).
pub(crate) fn nulls_false(b: &BooleanArray) -> BooleanArray {
    if b.null_count() == 0 {
        b.clone()
    } else {
        arrow_select::filter::prep_null_mask_filter(b)
    }
}

/// Byte-order string comparison of the operands' text forms (may contain nulls).
fn string_cmp(op: BinaryOp, l: &Val, r: &Val) -> Result<BooleanArray> {
    let (Some(lt), Some(rt)) = (to_text(l), to_text(r)) else {
        return Ok(BooleanArray::from(vec![false]));
    };
    let (ld, rd) = (Dat(Arc::new(lt), l.scalar), Dat(Arc::new(rt), r.scalar));
    Ok(match op {
        BinaryOp::Eq => arrow_ord::cmp::eq(&ld, &rd)?,
        BinaryOp::Ne => arrow_ord::cmp::neq(&ld, &rd)?,
        BinaryOp::Lt => arrow_ord::cmp::lt(&ld, &rd)?,
        BinaryOp::Le => arrow_ord::cmp::lt_eq(&ld, &rd)?,
        BinaryOp::Gt => arrow_ord::cmp::gt(&ld, &rd)?,
        _ => arrow_ord::cmp::gt_eq(&ld, &rd)?,
    })
}

/// Boolean `AND`/`OR`/`XOR` (two-valued: null operands are false).
pub(crate) fn logic(op: BinaryOp, l: &Val, r: &Val, len: usize) -> Result<Val> {
    let scalar = both_scalar(l, r);
    let n = if scalar { 1 } else { len };
    let (lb, rb) = (to_bool(l), to_bool(r));
    // Broadcast scalars (and the length-1 `false` of an all-null operand).
    let get = |b: &BooleanArray, i: usize| b.value(if b.len() == 1 { 0 } else { i });
    let buf = BooleanBuffer::collect_bool(n, |i| {
        let (a, b) = (get(&lb, i), get(&rb, i));
        match op {
            BinaryOp::And => a && b,
            BinaryOp::Or => a || b,
            _ => a ^ b,
        }
    });
    Ok(Val::boolean(BooleanArray::new(buf, None), scalar))
}

/// `NOT x`: two-valued, so `NOT (null comparison)` is true (3.5).
pub(crate) fn not(v: &Val) -> Result<Val> {
    let b = to_bool(v);
    Ok(Val::boolean(arrow_arith::boolean::not(&b)?, v.scalar))
}

/// Unary minus.
pub(crate) fn negate(v: &Val) -> Result<Val> {
    let Some(n) = to_num(v, true) else {
        return Ok(Val::null());
    };
    let out: Float64Array = arrow_arith::numeric::neg(&n)?.as_primitive().clone();
    Ok(match precision(v) {
        Prec::Rows(decs) => from_row_decimals(out, decs, v.scalar),
        p => Val::num(out, v.scalar).with_decimals(p.at(0)),
    })
}

/// `x IN (a, b, ...)`: exact equality with any candidate (3.7).
pub(crate) fn in_list(x: &Val, list: &[Val], len: usize) -> Result<Val> {
    let mut acc: Option<Val> = None;
    for cand in list {
        let eq = compare(BinaryOp::Eq, x, cand, len)?;
        acc = Some(match acc {
            None => eq,
            Some(prev) => logic(BinaryOp::Or, &prev, &eq, len)?,
        });
    }
    Ok(acc.unwrap_or_else(|| Val::bool_scalar(false)))
}
