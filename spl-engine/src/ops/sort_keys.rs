//! Sort keys shared by `sort` and `dedup ... sortby` (10.5): `auto` (the
//! default) compares two numbers numerically, two IP addresses as
//! addresses, anything else as text in byte order; `num(f)`, `str(f)` and
//! `ip(f)` force one reading (values that are not numbers, resp. addresses,
//! sort after those that are). Missing values sort last whatever the
//! direction; a multivalue field sorts by its first value; the order is
//! stable.

use crate::batch::{self, values_at};
use crate::error::{EngineError, Result};
use crate::value::parse_number;
use arrow_array::{RecordBatch, UInt32Array};
use spl_parser::ast::SortKey;
use std::cmp::Ordering;
use std::net::IpAddr;

#[derive(Clone, Copy)]
enum KeyFn {
    Auto,
    Str,
    Num,
    Ip,
}

struct Key {
    field: String,
    descending: bool,
    func: KeyFn,
}

/// Bound sort keys.
pub(crate) struct SortKeys {
    keys: Vec<Key>,
}

impl SortKeys {
    /// Binds `keys`; `flip` reverses every direction (`sort ... desc`).
    /// An unknown key function is an error at its field.
    pub(crate) fn bind(keys: &[SortKey], flip: bool) -> Result<SortKeys> {
        let keys = keys
            .iter()
            .map(|k| {
                Ok(Key {
                    field: k.field.node.clone(),
                    descending: k.descending != flip,
                    func: key_fn(k)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(SortKeys { keys })
    }

    /// The rows of `batch` in sorted order (a stable sort).
    pub(crate) fn order(&self, batch: &RecordBatch) -> Result<Vec<u32>> {
        let n = batch.num_rows();
        // Keys as the first value's text.
        let mut cols: Vec<Vec<Option<String>>> = Vec::with_capacity(self.keys.len());
        for key in &self.keys {
            let mut v = Vec::with_capacity(n);
            match batch::column(batch, &key.field) {
                None => v.resize(n, None),
                Some(c) => {
                    for row in 0..n {
                        v.push(values_at(c, row)?.and_then(|vals| vals.into_iter().next()));
                    }
                }
            }
            cols.push(v);
        }
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_by(|&a, &b| {
            for (key, col) in self.keys.iter().zip(&cols) {
                let o = match (&col[a as usize], &col[b as usize]) {
                    (Some(x), Some(y)) => {
                        let o = compare(x, y, key.func);
                        if key.descending {
                            o.reverse()
                        } else {
                            o
                        }
                    }
                    // Missing values always sort last (10.5).
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => Ordering::Equal,
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
            Ordering::Equal
        });
        Ok(order)
    }
}

/// The rows `order` of `batch`, in that order.
pub(crate) fn take_rows(batch: &RecordBatch, order: Vec<u32>) -> Result<RecordBatch> {
    let idx = UInt32Array::from(order);
    let cols = batch
        .columns()
        .iter()
        .map(|c| arrow_select::take::take(c, &idx, None))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    batch::from_columns(
        batch
            .schema()
            .fields()
            .iter()
            .map(|f| f.as_ref().clone())
            .collect(),
        cols,
        idx.len(),
    )
}

fn key_fn(k: &SortKey) -> Result<KeyFn> {
    Ok(
        match k.func.as_deref().map(str::to_ascii_lowercase).as_deref() {
            None | Some("auto") => KeyFn::Auto,
            Some("str") => KeyFn::Str,
            Some("num") => KeyFn::Num,
            Some("ip") => KeyFn::Ip,
            Some(other) => {
                return Err(EngineError::invalid(
                    format!("expected auto, str, num or ip, found `{other}`"),
                    k.field.span,
                    "unknown sort function",
                ))
            }
        },
    )
}

fn compare(a: &str, b: &str, f: KeyFn) -> Ordering {
    match f {
        KeyFn::Str => a.cmp(b),
        KeyFn::Num | KeyFn::Auto => match (parse_number(a), parse_number(b)) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) if matches!(f, KeyFn::Num) => Ordering::Less,
            (None, Some(_)) if matches!(f, KeyFn::Num) => Ordering::Greater,
            _ => match (a.parse::<IpAddr>(), b.parse::<IpAddr>()) {
                (Ok(x), Ok(y)) if matches!(f, KeyFn::Auto) => x.cmp(&y),
                _ => a.cmp(b),
            },
        },
        KeyFn::Ip => match (a.parse::<IpAddr>(), b.parse::<IpAddr>()) {
            (Ok(x), Ok(y)) => x.cmp(&y),
            (Ok(_), Err(_)) => Ordering::Less,
            (Err(_), Ok(_)) => Ordering::Greater,
            _ => a.cmp(b),
        },
    }
}
