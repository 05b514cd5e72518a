//! Turns the aggregated cells into the `mstats` result: one row per (time
//! bucket, dimension values), sorted by `_time` then dimensions; then for
//! each written aggregation one column per matching metric with data
//! (metric names in byte order), named per 6.3.

use super::cells::{Partial, Shape};
use super::OutputSpec;
use crate::aggregate::hash::FxHashMap;
use crate::aggregate::value::{build_column, Out};
use crate::commands::groupby::{cmp_keys, KeyVal};
use crate::commands::stats::make_batch;
use crate::error::Result;
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use indexmap::IndexMap;
use std::sync::Arc;

/// Builds the output batch.
pub(super) fn assemble(
    shape: &Shape,
    outputs: &[OutputSpec],
    with_time: bool,
    mut p: Partial,
) -> Result<RecordBatch> {
    let w = shape.width();
    let n_cells = p.n_cells();
    let nd = shape.dims.len();
    // rows: distinct (bucket, dims) prefixes of the cell keys
    let mut row_of_cell = Vec::with_capacity(n_cells);
    let mut row_keys: Vec<usize> = Vec::new();
    {
        let mut row_map: FxHashMap<&[u64], u32> = FxHashMap::default();
        for c in 0..n_cells {
            let k = p.keys.get(c * w..c * w + w - 1).unwrap_or(&[]);
            let r = *row_map.entry(k).or_insert_with(|| {
                row_keys.push(c);
                (row_keys.len() - 1) as u32
            });
            row_of_cell.push(r);
        }
    }
    let key = |c: usize, i: usize| p.keys.get(c * w + i).copied().unwrap_or(0);
    let dim_val = |j: usize, id: u64| -> &str {
        p.dims
            .get(j)
            .and_then(|i| i.values.get(id as usize))
            .map_or("", String::as_str)
    };
    // dimension ids compare by value; rank each interner once instead of
    // comparing strings inside the sort
    let ranks: Vec<Vec<u32>> = (0..nd)
        .map(|j| {
            let n = p.dims.get(j).map_or(0, |i| i.values.len());
            let vals: Vec<KeyVal> = (0..n)
                .map(|id| KeyVal::Str(dim_val(j, id as u64).to_string()))
                .collect();
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by(|&a, &b| cmp_keys(&vals[a], &vals[b]));
            let mut rank = vec![0u32; n];
            for (r, &id) in order.iter().enumerate() {
                rank[id] = r as u32;
            }
            rank
        })
        .collect();
    let rank = |j: usize, id: u64| {
        ranks
            .get(j)
            .and_then(|r| r.get(id as usize))
            .copied()
            .unwrap_or(0)
    };
    let mut order: Vec<u32> = (0..row_keys.len() as u32).collect();
    order.sort_by(|&a, &b| {
        let (ca, cb) = (row_keys[a as usize], row_keys[b as usize]);
        let t = f64::from_bits(key(ca, 0)).total_cmp(&f64::from_bits(key(cb, 0)));
        (0..nd).fold(t, |o, j| {
            o.then_with(|| rank(j, key(ca, 1 + j)).cmp(&rank(j, key(cb, 1 + j))))
        })
    });
    let mut position = vec![0usize; order.len()];
    for (pos, &r) in order.iter().enumerate() {
        position[r as usize] = pos;
    }
    let n_rows = order.len();
    let mut cols: Vec<(String, ArrayRef)> = Vec::new();
    if with_time {
        let t: Float64Array = order
            .iter()
            .map(|&r| Some(f64::from_bits(key(row_keys[r as usize], 0))))
            .collect();
        cols.push(("_time".into(), Arc::new(t)));
    }
    for (j, d) in shape.dims.iter().enumerate() {
        let v: StringArray = order
            .iter()
            .map(|&r| Some(dim_val(j, key(row_keys[r as usize], 1 + j))))
            .collect();
        cols.push((d.clone(), Arc::new(v)));
    }
    let results: Vec<Vec<Option<Out>>> = p.accs.iter_mut().map(|a| a.results(n_cells)).collect();
    let n_metrics = p.metrics.values.len();
    let mut metric_order: Vec<usize> = (0..n_metrics).collect();
    metric_order.sort_by(|&a, &b| {
        p.metrics.values[a]
            .as_bytes()
            .cmp(p.metrics.values[b].as_bytes())
    });
    let mut cells_of_metric: Vec<Vec<usize>> = vec![Vec::new(); n_metrics];
    if !shape.value_style {
        for c in 0..n_cells {
            if let Some(v) = cells_of_metric.get_mut(key(c, w - 1) as usize) {
                v.push(c);
            }
        }
    }
    let column = |res: &[Option<Out>], cells: &mut dyn Iterator<Item = usize>| -> ArrayRef {
        let mut vals: Vec<Option<Out>> = vec![None; n_rows];
        for c in cells {
            if let (Some(&r), Some(v)) = (row_of_cell.get(c), res.get(c)) {
                if let Some(slot) = position.get(r as usize).and_then(|&pos| vals.get_mut(pos)) {
                    slot.clone_from(v);
                }
            }
        }
        build_column(&vals)
    };
    // a name produced twice keeps its first position and the later values
    let mut out_cols: IndexMap<String, ArrayRef> = IndexMap::new();
    for o in outputs {
        let (Some((_, pattern)), Some(res)) = (shape.specs.get(o.acc), results.get(o.acc)) else {
            continue;
        };
        match pattern {
            None => {
                if let Some(name) = o.name("", None) {
                    out_cols.insert(name, column(res, &mut (0..n_cells)));
                }
            }
            Some(pat) => {
                for &m in &metric_order {
                    let cs = &cells_of_metric[m];
                    if cs.is_empty() {
                        continue;
                    }
                    if let Some(name) = o.name(&p.metrics.values[m], Some(pat)) {
                        out_cols.insert(name, column(res, &mut cs.iter().copied()));
                    }
                }
            }
        }
    }
    cols.extend(out_cols);
    make_batch(cols, n_rows)
}
