//! The display precision of computed numbers (semantics 12.4).
//!
//! A number is either *exact* (integer literals and text, aggregates,
//! results of exact operands: shown in shortest round-trip form) or carries
//! a number of decimals (a decimal literal `0.20`, field text `2.50`,
//! `round(x, 2)`). Operators propagate it the way Splunk's documented
//! examples do:
//!
//! - `+ - %`: the fewest decimals among the operands that have them
//!   (`0.1 + 0.2` shows `0.3`, `2.5 + 2.50` shows `5.0`);
//! - `* /`: the fewest significant figures among the operands that have
//!   them, applied to the fraction only — integer digits are never rounded
//!   away (`8.250*0.2` shows `2`, `8.250*0.20` shows `1.7`, `2.1*1024`
//!   shows `2150`, `1100*0.9` shows `990`).
//!
//! Exact operands never limit the result; `exact(x)` makes a value exact.
//! Because the decimals of a product depend on each row's magnitude, such
//! results carry per-row decimals inside an expression and become field text
//! in their display form when stored (they still act as numbers, and their
//! text carries the precision onwards, as in Splunk).

use super::val::{list_values, Data, Val};
use arrow_array::{Array, Float64Array};
use spl_parser::ast::BinaryOp;
use std::sync::Arc;

/// The precision of an operand, per physical row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Prec {
    Exact,
    Static(u8),
    Rows(Vec<Option<u8>>),
}

impl Prec {
    pub fn at(&self, i: usize) -> Option<u8> {
        match self {
            Prec::Exact => None,
            Prec::Static(d) => Some(*d),
            Prec::Rows(r) => r.get(i).copied().flatten(),
        }
    }

    fn has_rows(&self) -> bool {
        matches!(self, Prec::Rows(_))
    }
}

/// Decimals written in numeric text (`2.50` → 2); `None` for integers,
/// exponent forms and non-numbers (exact or not a number).
pub(crate) fn text_decimals(s: &str) -> Option<u8> {
    if s.contains(['e', 'E']) {
        return None;
    }
    let (_, frac) = s.split_once('.')?;
    super::coerce::parse_number(s)?;
    u8::try_from(frac.len()).ok()
}

/// The precision `v` carries.
pub(crate) fn precision(v: &Val) -> Prec {
    match &v.data {
        Data::Num(_) => match &v.row_dec {
            Some(r) => Prec::Rows(r.as_ref().clone()),
            None => v.decimals.map_or(Prec::Exact, Prec::Static),
        },
        Data::Str(a, _) => rows(a.iter().map(|s| s.and_then(text_decimals))),
        Data::Multi(l) => {
            rows((0..l.len()).map(|i| list_values(l, i).first().and_then(|s| text_decimals(s))))
        }
        _ => Prec::Exact,
    }
}

fn rows(it: impl Iterator<Item = Option<u8>>) -> Prec {
    let r: Vec<Option<u8>> = it.collect();
    if r.iter().all(Option::is_none) {
        Prec::Exact
    } else {
        Prec::Rows(r)
    }
}

/// Significant figures of a value shown with `dec` decimals (`0.20` → 2).
fn sig_figs(v: f64, dec: u8) -> i32 {
    let d = i32::from(dec);
    if v == 0.0 || !v.is_finite() {
        return d.max(1);
    }
    (v.abs().log10().floor() as i32 + 1 + d).max(1)
}

/// Decimals that show `r` with `sig` significant figures, never fewer than 0.
fn decimals_for(r: f64, sig: i32) -> u8 {
    let mag = if r == 0.0 || !r.is_finite() {
        0
    } else {
        r.abs().log10().floor() as i32
    };
    u8::try_from((sig - 1 - mag).clamp(0, 20)).unwrap_or(0)
}

/// Attaches the propagated precision to an arithmetic result `out`
/// (operand values `lv`/`rv`, broadcast when their length is 1).
pub(crate) fn with_precision(
    op: BinaryOp,
    l: &Val,
    r: &Val,
    lv: &Float64Array,
    rv: &Float64Array,
    out: Float64Array,
    scalar: bool,
) -> Val {
    let (lp, rp) = (precision(l), precision(r));
    if lp == Prec::Exact && rp == Prec::Exact {
        return Val::num(out, scalar);
    }
    let additive = !matches!(op, BinaryOp::Mul | BinaryOp::Div);
    if additive && !lp.has_rows() && !rp.has_rows() {
        let d = [lp.at(0), rp.at(0)].into_iter().flatten().min();
        return Val::num(out, scalar).with_decimals(d);
    }
    let at = |a: &Float64Array, p: &Prec, i: usize| {
        let j = if a.len() == 1 { 0 } else { i };
        (p.at(j), a.is_valid(j).then(|| a.value(j)))
    };
    let decs: Vec<Option<u8>> = (0..out.len())
        .map(|i| {
            if out.is_null(i) {
                return None;
            }
            let (ld, lx) = at(lv, &lp, i);
            let (rd, rx) = at(rv, &rp, i);
            if additive {
                return [ld, rd].into_iter().flatten().min();
            }
            let sig = [ld.zip(lx), rd.zip(rx)]
                .into_iter()
                .flatten()
                .map(|(d, x)| sig_figs(x, d))
                .min()?;
            Some(decimals_for(out.value(i), sig))
        })
        .collect();
    from_row_decimals(out, decs, scalar)
}

/// A number column with per-row decimals: one static precision when all
/// rows agree, else per-row precision (shown as field text when stored).
pub(crate) fn from_row_decimals(out: Float64Array, decs: Vec<Option<u8>>, scalar: bool) -> Val {
    let first = (0..out.len())
        .find(|&i| out.is_valid(i))
        .and_then(|i| decs.get(i).copied());
    let uniform = (0..out.len())
        .filter(|&i| out.is_valid(i))
        .all(|i| decs.get(i).copied() == first);
    if uniform {
        return Val::num(out, scalar).with_decimals(first.flatten());
    }
    let mut v = Val::num(out, scalar);
    v.row_dec = Some(Arc::new(decs));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures() {
        assert_eq!(text_decimals("2.50"), Some(2));
        assert_eq!(text_decimals("10"), None);
        assert_eq!(text_decimals("1e5"), None);
        assert_eq!(text_decimals("abc.de"), None);
        assert_eq!(sig_figs(0.2, 2), 2);
        assert_eq!(sig_figs(8.25, 3), 4);
        assert_eq!(sig_figs(0.02, 2), 1);
        assert_eq!(decimals_for(1.65, 1), 0);
        assert_eq!(decimals_for(1.65, 2), 1);
        assert_eq!(decimals_for(2150.4, 2), 0);
        assert_eq!(decimals_for(0.1, 1), 1);
    }
}
