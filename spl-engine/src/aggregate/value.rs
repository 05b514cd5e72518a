//! Value views fed to aggregation states and the result values they produce.
//!
//! Inputs are borrowed straight from Arrow arrays ([`Val`]); results are one
//! [`Out`] per group (never per row), turned into a column by [`build_column`].

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, Float64Array, StringArray};
use std::sync::Arc;

/// One observed value, borrowed from its column.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Val<'a> {
    /// From a Float64 column.
    Num(f64),
    /// From a string column (may be numeric-looking).
    Str(&'a str),
}

impl Val<'_> {
    /// The value as a number, if it is one (numeric-looking strings count; 12.2).
    #[inline]
    pub(crate) fn num(&self) -> Option<f64> {
        match *self {
            Val::Num(x) => Some(x),
            Val::Str(s) => parse_num(s),
        }
    }

    /// Calls `f` with the value's string form (numbers in display form).
    #[inline]
    pub(crate) fn with_str<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        match *self {
            Val::Num(x) => f(&fmt_num(x)),
            Val::Str(s) => f(s),
        }
    }

    /// An owned copy keeping the type.
    pub(crate) fn to_out(self) -> Out {
        match self {
            Val::Num(x) => Out::Num(x),
            Val::Str(s) => Out::Str(s.to_string()),
        }
    }
}

/// One aggregate result.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Out {
    /// A number.
    Num(f64),
    /// A string.
    Str(String),
    /// A multivalue result (`values`, `list`).
    Mv(Vec<String>),
}

pub(crate) use crate::value::parse_number as parse_num;

/// Display form of a number: shortest round-trip, integral values without `.0`
/// (12.4). Used where stats compares numbers as strings (`dc`, `values`, BY).
pub(crate) fn fmt_num(x: f64) -> String {
    if x.is_nan() {
        return "nan".to_string();
    }
    if x == 0.0 {
        // -0 and 0 print alike
        return "0".to_string();
    }
    format!("{x}")
}

/// Builds one output column from per-group results: Float64 when every
/// result is a number, List<Utf8> when any is multivalue, else Utf8 (numbers
/// in display form). `None` is null.
pub(crate) fn build_column(outs: &[Option<Out>]) -> ArrayRef {
    let mut any_str = false;
    let mut any_mv = false;
    for o in outs.iter().flatten() {
        match o {
            Out::Num(_) => {}
            Out::Str(_) => any_str = true,
            Out::Mv(_) => any_mv = true,
        }
    }
    if any_mv {
        let mut b = ListBuilder::new(StringBuilder::new());
        for o in outs {
            match o {
                None => b.append(false),
                Some(Out::Mv(vs)) => {
                    for v in vs {
                        b.values().append_value(v);
                    }
                    b.append(true);
                }
                Some(Out::Str(s)) => {
                    b.values().append_value(s);
                    b.append(true);
                }
                Some(Out::Num(x)) => {
                    b.values().append_value(fmt_num(*x));
                    b.append(true);
                }
            }
        }
        Arc::new(b.finish())
    } else if any_str {
        let arr: StringArray = outs
            .iter()
            .map(|o| match o {
                None => None,
                Some(Out::Str(s)) => Some(s.clone()),
                Some(Out::Num(x)) => Some(fmt_num(*x)),
                Some(Out::Mv(_)) => None,
            })
            .collect();
        Arc::new(arr)
    } else {
        let arr: Float64Array = outs
            .iter()
            .map(|o| match o {
                Some(Out::Num(x)) => Some(*x),
                _ => None,
            })
            .collect();
        Arc::new(arr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_looking_strings() {
        assert_eq!(parse_num("42"), Some(42.0));
        assert_eq!(parse_num("-4.5"), Some(-4.5));
        assert_eq!(parse_num(".5"), Some(0.5));
        assert_eq!(parse_num("5."), Some(5.0));
        assert_eq!(parse_num("1e3"), Some(1000.0));
        assert!(parse_num("NaN").is_some_and(f64::is_nan));
        // the same rule as eval: infinities are numbers too
        assert_eq!(parse_num("-inf"), Some(f64::NEG_INFINITY));
        for bad in ["", " 1", "1 ", "abc", "1e", "0x10", "+", ".", "1.2.3"] {
            assert_eq!(parse_num(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn number_display() {
        assert_eq!(fmt_num(3.0), "3");
        assert_eq!(fmt_num(-0.0), "0");
        assert_eq!(fmt_num(3.9900000000000055), "3.9900000000000055");
        assert_eq!(fmt_num(0.1), "0.1");
    }
}
