//! Turns the aggregated cells into the `mstats` result: one row per (time
//! bucket, dimension values), sorted by `_time` then dimensions; then for
//! each written aggregation one column per matching metric with data
//! (metric names in byte order), named per 6.3.

use super::cells::{Partial, Shape};
use super::OutputSpec;
use crate::aggregate::value::{build_column, Out};
use crate::error::Result;
use crate::ops::groupby::{cmp_keys, KeyVal};
use crate::ops::stats::make_batch;
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
    let n_cells = p.n_cells();
    let n_rows = p.index.n_rows();
    let nd = shape.dims.len();
    let row_key = |r: usize, i: usize| p.index.row_key(r).get(i).copied().unwrap_or(0);
    let dim_val = |j: usize, id: u64| -> &str {
        p.dims
            .get(j)
            .and_then(|i| i.values.get(id as usize))
            .map_or("", String::as_str)
    };
    // rank each dimension's distinct values once instead of comparing
    // strings inside the row sort
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
    // flat sort keys: the bucket, then each dimension's rank
    let mut dim_ranks: Vec<u32> = Vec::with_capacity(n_rows * nd);
    for r in 0..n_rows {
        for j in 0..nd {
            let id = row_key(r, 1 + j) as usize;
            dim_ranks.push(ranks.get(j).and_then(|x| x.get(id)).copied().unwrap_or(0));
        }
    }
    let ranks_of = |r: u32| {
        dim_ranks
            .get(r as usize * nd..(r as usize + 1) * nd)
            .unwrap_or(&[])
    };
    let mut order: Vec<u32> = (0..n_rows as u32).collect();
    order.sort_unstable_by(|&a, &b| {
        let (ta, tb) = (
            f64::from_bits(row_key(a as usize, 0)),
            f64::from_bits(row_key(b as usize, 0)),
        );
        ta.total_cmp(&tb).then_with(|| ranks_of(a).cmp(ranks_of(b)))
    });
    let mut position = vec![0usize; n_rows];
    for (pos, &r) in order.iter().enumerate() {
        position[r as usize] = pos;
    }
    let mut cols: Vec<(String, ArrayRef)> = Vec::new();
    if with_time {
        let t: Float64Array = order
            .iter()
            .map(|&r| Some(f64::from_bits(row_key(r as usize, 0))))
            .collect();
        cols.push(("_time".into(), Arc::new(t)));
    }
    for (j, d) in shape.dims.iter().enumerate() {
        let v: StringArray = order
            .iter()
            .map(|&r| Some(dim_val(j, row_key(r as usize, 1 + j))))
            .collect();
        cols.push((d.clone(), Arc::new(v)));
    }
    // output position and metric of every cell
    let mut cell_pos = Vec::with_capacity(n_cells);
    let n_metrics = p.metrics.values.len();
    let mut cells_of_metric: Vec<Vec<usize>> = vec![Vec::new(); n_metrics];
    for (c, (&row, &m)) in p
        .index
        .cell_row
        .iter()
        .zip(&p.index.cell_metric)
        .enumerate()
    {
        cell_pos.push(position.get(row as usize).copied().unwrap_or(0));
        if !shape.value_style {
            if let Some(v) = cells_of_metric.get_mut(m as usize) {
                v.push(c);
            }
        }
    }
    let results: Vec<Vec<Option<Out>>> = p.accs.iter_mut().map(|a| a.results(n_cells)).collect();
    let mut metric_order: Vec<usize> = (0..n_metrics).collect();
    metric_order.sort_by(|&a, &b| {
        p.metrics.values[a]
            .as_bytes()
            .cmp(p.metrics.values[b].as_bytes())
    });
    let column = |res: &[Option<Out>], cells: &mut dyn Iterator<Item = usize>| -> ArrayRef {
        let mut vals: Vec<Option<Out>> = vec![None; n_rows];
        for c in cells {
            if let (Some(&pos), Some(v)) = (cell_pos.get(c), res.get(c)) {
                if let Some(slot) = vals.get_mut(pos) {
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
