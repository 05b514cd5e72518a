//! `sort [N] [+|-]field...` (10.5): auto comparison per pair of values, missing
//! values last, default limit 10,000 results (`sort 0` for all), stable.

use crate::batch::{self, parse_number, values_at};
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{RecordBatch, UInt32Array};
use spl_parser::ast::{Sort, SortKey, Stage};
use std::cmp::Ordering;
use std::net::IpAddr;

/// The `sort` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    name: "sort",
    aliases: &[],
    kind: CommandKind::Transforming,
    synopsis: "sort [<count>|limit=<count>] [+|-]<field> [, ...] [desc]",
    description: "Sorts results; numbers compare numerically, other values lexicographically; missing values sort last. Default limit 10,000 (0 = all).",
    examples: &[Example {
        title: "descending numeric sort",
        spl: "| makeresults count=3 | streamstats count as n | sort - n",
    }],
    compat: "",
    simple: None,
};

#[derive(Clone, Copy)]
enum KeyFn {
    Auto,
    Str,
    Num,
    Ip,
}

/// Plans `sort`.
pub fn plan(s: &Sort, stage: &Stage) -> Result<Box<dyn Operator>> {
    let keys = s
        .keys
        .iter()
        .map(|k| {
            Ok((
                k.field.node.clone(),
                k.descending != s.desc,
                key_fn(k, stage)?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Box::new(SortOp {
        limit: match s.limit {
            None => Some(10_000),
            Some(0) => None,
            Some(n) => Some(n as usize),
        },
        keys,
        buffered: Vec::new(),
    }))
}

fn key_fn(k: &SortKey, _stage: &Stage) -> Result<KeyFn> {
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

struct SortOp {
    limit: Option<usize>,
    keys: Vec<(String, bool, KeyFn)>,
    buffered: Vec<RecordBatch>,
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

impl Operator for SortOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        self.buffered.push(batch);
        Ok(vec![])
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let batches = std::mem::take(&mut self.buffered);
        if batches.is_empty() {
            return Ok(vec![]);
        }
        let all = batch::concat_unified(&batches)?;
        let n = all.num_rows();
        // Sort keys as the first value's text; multivalue fields sort by their first value.
        let mut cols: Vec<Vec<Option<String>>> = Vec::new();
        for (name, _, _) in &self.keys {
            let mut v = Vec::with_capacity(n);
            match batch::column(&all, name) {
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
            for (k, (_, desc, f)) in self.keys.iter().enumerate() {
                let (va, vb) = (&cols[k][a as usize], &cols[k][b as usize]);
                let o = match (va, vb) {
                    (Some(x), Some(y)) => {
                        let o = compare(x, y, *f);
                        if *desc {
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
        if let Some(l) = self.limit {
            order.truncate(l);
        }
        let idx = UInt32Array::from(order);
        let cols = all
            .columns()
            .iter()
            .map(|c| arrow_select::take::take(c, &idx, None))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(vec![batch::from_columns(
            all.schema()
                .fields()
                .iter()
                .map(|f| f.as_ref().clone())
                .collect(),
            cols,
            idx.len(),
        )?])
    }
}
