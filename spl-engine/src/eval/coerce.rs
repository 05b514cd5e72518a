//! SPL's implicit conversions, in one place (semantics 3.3, 12.2).
//!
//! - A numeric-looking string is: optional sign, digits with an optional
//!   decimal part (or `.digits`), optional exponent; or `nan`/`inf`/`infinity`
//!   with optional sign (a field holding `NaN` is numeric, 12.2). Leading or
//!   trailing spaces make it non-numeric; `0x..` is non-numeric (UNK, 12.2).
//! - Numbers print in their display form ([`format_number`]); booleans as
//!   `True`/`False`; a multivalue value contributes its first value when used
//!   by an operator or function that is not multivalue-aware (3.6, INF).

use super::exec::array_to_val;
use super::ops::Dat;
use super::val::{build_multi, list_values, Data, Origin, Val};
use crate::error::Result;
use crate::value::{bool_text, write_number};
use arrow_array::builder::StringBuilder;
use arrow_array::{Array, BooleanArray, Float64Array, StringArray};

/// Parses SPL's numeric-looking text (see the module docs); `None` otherwise.
pub(crate) use crate::value::parse_number;

/// True when `s` is numeric-looking.
pub(crate) fn is_numeric_text(s: &str) -> bool {
    parse_number(s).is_some()
}

/// The value as numbers, row for row (same length as the underlying array;
/// broadcast scalars stay length 1). Non-numeric rows are null. `None` when
/// the value is all null.
///
/// `lenient_text`: whether genuine strings ([`Origin::Text`]) that look
/// numeric convert. Arithmetic converts them (`- * / %` need numbers), while
/// `+` and comparisons treat them as text (3.3).
pub(crate) fn to_num(v: &Val, lenient_text: bool) -> Option<Float64Array> {
    match &v.data {
        Data::Null => None,
        Data::Num(a) => Some(a.clone()),
        Data::Str(a, origin) => {
            if *origin == Origin::Text && !lenient_text {
                return Some(Float64Array::new_null(a.len()));
            }
            Some(a.iter().map(|s| s.and_then(parse_number)).collect())
        }
        Data::Bool(a) => Some(Float64Array::new_null(a.len())),
        Data::Multi(l) => Some(
            (0..l.len())
                .map(|i| list_values(l, i).first().and_then(|s| parse_number(s)))
                .collect(),
        ),
    }
}

/// The value as display text, row for row (first value for multivalue).
/// `None` when the value is all null.
pub(crate) fn to_text(v: &Val) -> Option<StringArray> {
    match &v.data {
        Data::Null => None,
        Data::Str(a, _) => Some(a.clone()),
        Data::Num(a) => {
            let mut b = StringBuilder::with_capacity(a.len(), a.len() * 8);
            for (i, x) in a.iter().enumerate() {
                match x {
                    Some(x) => {
                        let d = match &v.row_dec {
                            Some(r) => r.get(i).copied().flatten(),
                            None => v.decimals,
                        };
                        write_number(&mut b, x, d);
                        b.append_value("");
                    }
                    None => b.append_null(),
                }
            }
            Some(b.finish())
        }
        Data::Bool(a) => Some(a.iter().map(|x| x.map(bool_text)).collect()),
        Data::Multi(l) => Some(
            (0..l.len())
                .map(|i| list_values(l, i).first().copied())
                .collect(),
        ),
    }
}

/// The value as booleans (null and non-boolean rows are false).
pub(crate) fn to_bool(v: &Val) -> BooleanArray {
    match &v.data {
        Data::Bool(a) => super::ops::nulls_false(a),
        Data::Null => BooleanArray::from(vec![false]),
        Data::Num(a) => BooleanArray::from(vec![false; a.len()]),
        Data::Str(a, _) => BooleanArray::from(vec![false; a.len()]),
        Data::Multi(a) => BooleanArray::from(vec![false; a.len()]),
    }
}

/// Whether row `row` (logical) of `v` is a number in SPL's eyes: a genuine
/// number, or field text that looks numeric.
pub(crate) fn is_num_at(v: &Val, row: usize) -> bool {
    let i = v.idx(row);
    match &v.data {
        Data::Num(a) => a.is_valid(i),
        Data::Str(a, Origin::Field) => a.is_valid(i) && is_numeric_text(a.value(i)),
        Data::Multi(l) => list_values(l, i)
            .first()
            .is_some_and(|s| is_numeric_text(s)),
        _ => false,
    }
}

/// Converts values that will be mixed row by row (branches of `if`/`case`,
/// arguments of `coalesce`) to one representation:
/// all-null values take the others' type; numbers with the same display
/// precision stay numbers; numbers with differing precision, or mixed with
/// text, become field text in their display form (so they still act as
/// numbers and print as before); anything mixed with multivalue becomes
/// multivalue.
pub(crate) fn conform(vals: Vec<Val>) -> Result<Vec<Val>> {
    let vals: Vec<Val> = vals.into_iter().map(Val::displayable).collect();
    #[derive(PartialEq)]
    enum T {
        Num(Option<u8>),
        Bool,
        Str(Origin),
        Multi,
    }
    let mut target: Option<T> = None;
    for v in &vals {
        let t = match &v.data {
            Data::Null => continue,
            Data::Num(_) => T::Num(v.decimals),
            Data::Bool(_) => T::Bool,
            Data::Str(_, o) => T::Str(*o),
            Data::Multi(_) => T::Multi,
        };
        target = Some(match (target, t) {
            (None, t) => t,
            (Some(a), b) if a == b => a,
            (Some(T::Multi), _) | (_, T::Multi) => T::Multi,
            (Some(T::Str(Origin::Text)), T::Str(Origin::Text)) => T::Str(Origin::Text),
            (Some(T::Str(Origin::Text) | T::Bool), T::Bool | T::Str(Origin::Text)) => {
                T::Str(Origin::Text)
            }
            _ => T::Str(Origin::Field),
        });
    }
    let Some(target) = target else {
        return Ok(vals);
    };
    vals.into_iter()
        .map(|v| {
            let scalar = v.scalar;
            Ok(match (&target, &v.data) {
                (T::Num(d), Data::Null) => {
                    Val::num(Float64Array::new_null(1), true).with_decimals(*d)
                }
                (T::Num(_), _) => v,
                (T::Bool, Data::Null) => Val::boolean(BooleanArray::new_null(1), true),
                (T::Bool, _) => v,
                (T::Str(o), Data::Null) => Val::new(Data::Str(StringArray::new_null(1), *o), true),
                (T::Str(o), _) => {
                    let t = to_text(&v).unwrap_or_else(|| StringArray::new_null(1));
                    Val::new(Data::Str(t, *o), scalar)
                }
                (T::Multi, Data::Multi(_)) => v,
                (T::Multi, Data::Null) => {
                    Val::multi(build_multi(std::iter::once(None::<Vec<&str>>)), true)
                }
                (T::Multi, _) => {
                    let t = to_text(&v).unwrap_or_else(|| StringArray::new_null(1));
                    Val::multi(build_multi(t.iter().map(|x| x.map(|s| vec![s]))), scalar)
                }
            })
        })
        .collect()
}

/// Row-wise choice: `a` where `mask` is true, else `b` (values conformed
/// first). `mask` has one entry per row, or one entry for a broadcast.
pub(crate) fn select(mask: &BooleanArray, a: Val, b: Val, len: usize) -> Result<Val> {
    let mut v = conform(vec![a, b])?;
    let (Some(b), Some(a)) = (v.pop(), v.pop()) else {
        return Ok(Val::null());
    };
    let mask_scalar = mask.len() == 1;
    if mask_scalar && a.scalar && b.scalar {
        return Ok(if mask.is_valid(0) && mask.value(0) {
            a
        } else {
            b
        });
    }
    if mask_scalar {
        let pick = if mask.is_valid(0) && mask.value(0) {
            a
        } else {
            b
        };
        return pick.expand(len);
    }
    if a.is_all_null() && b.is_all_null() {
        return Ok(Val::null());
    }
    let decimals = a.decimals;
    let (ta, sa) = (a.scalar, b.scalar);
    let (arr_a, arr_b) = (a.clone().into_array(1)?, b.into_array(1)?);
    let out = arrow_select::zip::zip(mask, &Dat(arr_a, ta), &Dat(arr_b, sa))?;
    let mut v = array_to_val(&out, false)?;
    if let (Data::Str(arr, _), Data::Str(_, o)) = (&v.data, &a.data) {
        v.data = Data::Str(arr.clone(), *o);
    }
    Ok(v.with_decimals(decimals))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_grammar() {
        let yes = [
            "0", "1", "-1", "+1", "1.5", "1.", ".5", "-.5", "1e5", "1E-5", "2.5e+3", "NaN", "nan",
            "-inf", "Infinity", "007",
        ];
        let no = [
            "", " 1", "1 ", "1,000", "0x1F", "e5", "1e", "1e+", ".", "-", "+", "abc", "1.2.3",
            "1_000", "--1", "1f",
        ];
        for s in yes {
            assert!(parse_number(s).is_some(), "{s:?} should be numeric");
        }
        for s in no {
            assert!(parse_number(s).is_none(), "{s:?} should not be numeric");
        }
        assert_eq!(parse_number("2.5e+3"), Some(2500.0));
        assert_eq!(parse_number("-.5"), Some(-0.5));
    }

    #[test]
    fn conversions() {
        let f = Val::new(
            Data::Str(
                StringArray::from(vec![Some("10"), Some("x"), None]),
                Origin::Field,
            ),
            false,
        );
        let n = to_num(&f, false).unwrap();
        assert_eq!(n.iter().collect::<Vec<_>>(), vec![Some(10.0), None, None]);
        let t = Val::text_scalar(Some("10"));
        assert!(to_num(&t, false).unwrap().is_null(0));
        assert_eq!(to_num(&t, true).unwrap().value(0), 10.0);
        let num = Val::num_scalar(Some(3.5)).with_decimals(Some(2));
        assert_eq!(to_text(&num).unwrap().value(0), "3.50");
        assert_eq!(to_text(&Val::bool_scalar(true)).unwrap().value(0), "True");
        assert!(to_text(&Val::null()).is_none());
        assert!(is_num_at(&f, 0));
        assert!(!is_num_at(&f, 1));
        assert!(!is_num_at(&t, 0));
    }
}
