//! Partial mstats aggregates: cells numbered by [`CellIndex`] over (time
//! bucket, dimension ids, metric id); every accumulator keeps one state per
//! cell.
//!
//! A [`Partial`] is built from any subset of the batches (one per worker
//! thread) and [`Partial::merge`] folds another one in by translating its
//! interned ids, so the result does not depend on how batches were split
//! (up to floating-point summation order).

use super::index::CellIndex;
use crate::aggregate::grouped::{new_group_acc, GroupAcc, Input, InputColumn, RowGroups, NO_GROUP};
use crate::aggregate::hash::Interner;
use crate::aggregate::names::Glob;
use crate::aggregate::timespan::Bucketer;
use crate::aggregate::value::fmt_num;
use crate::aggregate::AggFunc;
use crate::error::{EngineError, Result};
use arrow_array::cast::AsArray;
use arrow_array::types::Int32Type;
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_schema::DataType;

/// What every partial of one `mstats` shares.
pub(super) struct Shape {
    pub(super) dims: Vec<String>,
    pub(super) value_style: bool,
    /// Distinct (function, metric pattern); `None` pattern = every point.
    pub(super) specs: Vec<(AggFunc, Option<Glob>)>,
    pub(super) fillnull: Option<String>,
}

impl Shape {
    /// Key width of the dimensions.
    pub(super) fn width(&self) -> usize {
        self.dims.len()
    }
}

/// Fills `key` with row `r`'s dimension ids and returns the metric part of
/// its cell, or `None` when the row feeds no aggregation (its metric is not
/// aggregated, or a `by` dimension is missing).
fn row_key(
    shape: &Shape,
    r: usize,
    metric: &[u32],
    used: &[bool],
    dim_ids: &[Vec<u32>],
    key: &mut [u64],
) -> Option<u32> {
    let m = metric.get(r).copied().unwrap_or(NONE);
    if !used.get(m as usize).copied().unwrap_or(false) {
        return None;
    }
    for (ids, k) in dim_ids.iter().zip(key.iter_mut()) {
        match ids.get(r).copied() {
            Some(id) if id != NONE => *k = u64::from(id),
            _ => return None,
        }
    }
    Some(if shape.value_style { 0 } else { m })
}

/// Largest dense code map (entries of 4 bytes).
const DENSE_LIMIT: usize = 1 << 22;

/// Cell numbers by a dense code over (dimension ids, metric id), for
/// `mstats` without `span`: the code space is the product of the interned
/// counts, rounded up, and is rebuilt larger when new values appear.
struct DenseCells {
    /// Capacity per dimension, then for the metric.
    caps: Vec<usize>,
    map: Vec<u32>,
}

impl DenseCells {
    fn code(&self, dims: impl Iterator<Item = u32>, metric: u32) -> usize {
        let mut code = 0usize;
        let mut stride = 1usize;
        for (id, cap) in dims.zip(&self.caps) {
            code += id as usize * stride;
            stride *= cap;
        }
        code + metric as usize * stride
    }
}

/// Aggregates of a subset of the points.
pub(super) struct Partial {
    /// Rows and cells (metric 0 in `_value` style).
    pub(super) index: CellIndex,
    pub(super) dims: Vec<Interner>,
    pub(super) metrics: Interner,
    /// Per metric id: which accumulators take its points.
    metric_accs: Vec<Vec<bool>>,
    pub(super) accs: Vec<Box<dyn GroupAcc>>,
    seq: u64,
    dense: Option<DenseCells>,
    metric_dict: DictCache,
    dim_dicts: Vec<DictCache>,
}

impl Partial {
    pub(super) fn new(shape: &Shape) -> Self {
        Partial {
            index: CellIndex::new(shape.width()),
            dims: shape.dims.iter().map(|_| Interner::default()).collect(),
            metrics: Interner::default(),
            metric_accs: Vec::new(),
            accs: shape.specs.iter().map(|(f, _)| new_group_acc(*f)).collect(),
            seq: 0,
            dense: None,
            metric_dict: DictCache::default(),
            dim_dicts: shape.dims.iter().map(|_| DictCache::default()).collect(),
        }
    }

    /// Sets the sequence number of the next point (for `first`/`last`).
    pub(super) fn set_seq(&mut self, seq: u64) {
        self.seq = seq;
    }

    pub(super) fn n_cells(&self) -> usize {
        self.index.n_cells()
    }

    fn metric_id(&mut self, shape: &Shape, name: Option<&str>) -> u32 {
        match name {
            // empty names and names with spaces are never returned (6.1)
            Some(s) if !s.is_empty() && !s.contains(' ') => {
                let id = self.metrics.id(s);
                if id as usize == self.metric_accs.len() {
                    let m = shape
                        .specs
                        .iter()
                        .map(|(_, p)| p.as_ref().is_none_or(|p| p.matches(s)))
                        .collect();
                    self.metric_accs.push(m);
                }
                id
            }
            _ => u32::MAX,
        }
    }

    /// Metric id of each row (`NONE`: unusable or no metric name).
    fn metric_ids(&mut self, shape: &Shape, batch: &RecordBatch) -> Result<Vec<u32>> {
        let n = batch.num_rows();
        let Some(col) = batch.column_by_name("metric_name") else {
            return Ok(vec![NONE; n]);
        };
        let mut cache = std::mem::take(&mut self.metric_dict);
        let mut metric_id = |v: Option<&str>| self.metric_id(shape, v);
        let ids = ids_of(col, &mut metric_id, &mut cache);
        self.metric_dict = cache;
        ids
    }

    /// Aggregates the `selected` rows of a batch.
    pub(super) fn add_batch(
        &mut self,
        shape: &Shape,
        batch: &RecordBatch,
        selected: Vec<u32>,
        time: Option<&arrow_array::Float64Array>,
        mut bucketer: Option<&mut Bucketer>,
    ) -> Result<()> {
        let metric = self.metric_ids(shape, batch)?;
        let mut dim_ids: Vec<Vec<u32>> = Vec::with_capacity(shape.dims.len());
        for (j, d) in shape.dims.iter().enumerate() {
            let interner = self
                .dims
                .get_mut(j)
                .ok_or_else(|| EngineError::Internal("dimension interner".into()))?;
            let col = batch.column_by_name(d);
            let cache = self
                .dim_dicts
                .get_mut(j)
                .ok_or_else(|| EngineError::Internal("dimension cache".into()))?;
            dim_ids.push(intern_dim(
                col,
                batch.num_rows(),
                interner,
                shape.fillnull.as_deref(),
                cache,
            )?);
        }
        // the cell of every batch row (NO_GROUP: not aggregated)
        let mut cell_of = vec![NO_GROUP; batch.num_rows()];
        let used: Vec<bool> = self.metric_accs.iter().map(|v| v.contains(&true)).collect();
        if bucketer.is_none() && self.dense_ready(shape) {
            self.cells_dense(shape, &selected, &metric, &used, &dim_ids, &mut cell_of);
        } else {
            let mut key = vec![0u64; shape.width()];
            for r in selected {
                let r = r as usize;
                let Some(metric_part) = row_key(shape, r, &metric, &used, &dim_ids, &mut key)
                else {
                    continue;
                };
                // (the bucketer only caches: calling it after the key check is the same)
                let bucket = match (bucketer.as_deref_mut(), time) {
                    (Some(b), Some(t)) => match b.bucket(t.value(r)) {
                        Some(x) => x.to_bits(),
                        None => continue,
                    },
                    _ => 0,
                };
                if let Some(slot) = cell_of.get_mut(r) {
                    *slot = self.index.cell(bucket, &key, metric_part);
                }
            }
        }
        let n_cells = self.n_cells();
        let value = match batch.column_by_name("_value") {
            Some(v) => InputColumn::from_array(v)?,
            None => InputColumn::Missing,
        };
        let mut rg = RowGroups {
            rows: None,
            groups: Vec::new(),
        };
        for (ai, acc) in self.accs.iter_mut().enumerate() {
            // which metric ids feed this accumulator
            let take: Vec<bool> = self
                .metric_accs
                .iter()
                .map(|v| v.get(ai).copied().unwrap_or(false))
                .collect();
            let needs_time = shape.specs.get(ai).is_some_and(|(f, _)| f.needs_time());
            match (&value, needs_time) {
                (InputColumn::Num(a), false) => {
                    acc.update_num(a, &cell_of, &metric, &take, self.seq, n_cells)
                }
                _ => {
                    rg.groups.clear();
                    rg.groups
                        .extend(cell_of.iter().zip(&metric).map(|(&c, &m)| {
                            match take.get(m as usize) {
                                Some(true) => c,
                                _ => NO_GROUP,
                            }
                        }));
                    let input = Input {
                        col: &value,
                        time: if needs_time { time } else { None },
                        seq_base: self.seq,
                    };
                    acc.update(&input, &rg, n_cells);
                }
            }
        }
        self.seq += batch.num_rows() as u64;
        Ok(())
    }

    /// Makes [`Partial::dense`] cover every interned dimension value and
    /// metric; false when the code space would be too large (hash path).
    fn dense_ready(&mut self, shape: &Shape) -> bool {
        let sizes: Vec<usize> = self
            .dims
            .iter()
            .map(|d| d.values.len())
            .chain(std::iter::once(match shape.value_style {
                true => 1,
                false => self.metrics.values.len(),
            }))
            .collect();
        if let Some(d) = &self.dense {
            if d.caps.iter().zip(&sizes).all(|(c, s)| s <= c) {
                return true;
            }
        }
        let caps: Vec<usize> = sizes
            .iter()
            .map(|&s| (s.max(1) * 2).next_power_of_two())
            .collect();
        let total = caps
            .iter()
            .try_fold(1usize, |acc, &c| acc.checked_mul(c))
            .filter(|&t| t <= DENSE_LIMIT);
        let Some(total) = total else {
            self.dense = None;
            return false;
        };
        let mut d = DenseCells {
            caps,
            map: vec![u32::MAX; total],
        };
        for (c, (&row, &m)) in self
            .index
            .cell_row
            .iter()
            .zip(&self.index.cell_metric)
            .enumerate()
        {
            let key = self.index.row_key(row as usize);
            let code = d.code(key.get(1..).unwrap_or(&[]).iter().map(|&k| k as u32), m);
            if let Some(slot) = d.map.get_mut(code) {
                *slot = c as u32;
            }
        }
        self.dense = Some(d);
        true
    }

    /// The cells of the selected rows through the dense code map: integer
    /// arithmetic and one array load per point (no span, so bucket 0).
    fn cells_dense(
        &mut self,
        shape: &Shape,
        selected: &[u32],
        metric: &[u32],
        used: &[bool],
        dim_ids: &[Vec<u32>],
        cell_of: &mut [u32],
    ) {
        let Some(dense) = self.dense.as_mut() else {
            return;
        };
        let mut key = vec![0u64; shape.width()];
        for &r in selected {
            let r = r as usize;
            let Some(metric_part) = row_key(shape, r, metric, used, dim_ids, &mut key) else {
                continue;
            };
            let mut code = 0usize;
            let mut stride = 1usize;
            for (&id, cap) in key.iter().zip(&dense.caps) {
                code += id as usize * stride;
                stride *= cap;
            }
            code += metric_part as usize * stride;
            let cell = match dense.map.get(code).copied() {
                Some(c) if c != NONE => c,
                _ => {
                    let c = self.index.cell(0, &key, metric_part);
                    if let Some(slot) = dense.map.get_mut(code) {
                        *slot = c;
                    }
                    c
                }
            };
            if let Some(slot) = cell_of.get_mut(r) {
                *slot = cell;
            }
        }
    }

    /// Folds `other` (built with the same shape) into this partial.
    pub(super) fn merge(&mut self, shape: &Shape, other: Partial) -> Result<()> {
        let dim_map: Vec<Vec<u32>> = other
            .dims
            .iter()
            .zip(self.dims.iter_mut())
            .map(|(o, s)| o.values.iter().map(|v| s.id(v)).collect())
            .collect();
        let metric_map: Vec<u32> = other
            .metrics
            .values
            .iter()
            .map(|v| self.metric_id(shape, Some(v)))
            .collect();
        let mut mapping = Vec::with_capacity(other.n_cells());
        let mut key = vec![0u64; shape.width()];
        for (&row, &m) in other.index.cell_row.iter().zip(&other.index.cell_metric) {
            let ok = other.index.row_key(row as usize);
            let bucket = ok.first().copied().unwrap_or(0);
            for (j, slot) in key.iter_mut().enumerate() {
                let id = ok.get(1 + j).copied().unwrap_or(0) as usize;
                *slot = u64::from(dim_map.get(j).and_then(|m| m.get(id)).copied().unwrap_or(0));
            }
            let metric = if shape.value_style {
                0
            } else {
                metric_map.get(m as usize).copied().unwrap_or(0)
            };
            mapping.push(self.index.cell(bucket, &key, metric));
        }
        for (mine, theirs) in self.accs.iter_mut().zip(other.accs.iter()) {
            mine.merge(theirs.as_ref(), &mapping)?;
        }
        Ok(())
    }
}

/// "No id": a null or unusable value.
const NONE: u32 = u32::MAX;

/// Dimension ids per batch row; null (or absent) dimensions become the
/// `fillnull_value` when one is given, else [`NONE`].
fn intern_dim(
    col: Option<&ArrayRef>,
    n: usize,
    int: &mut Interner,
    fill: Option<&str>,
    cache: &mut DictCache,
) -> Result<Vec<u32>> {
    let fill_id = fill.map_or(NONE, |f| int.id(f));
    let Some(col) = col else {
        return Ok(vec![fill_id; n]);
    };
    let mut id = |v: Option<&str>| v.map_or(fill_id, |v| int.id(v));
    if col.as_any_dictionary_opt().is_some() || col.data_type() == &DataType::Utf8 {
        return ids_of(col, &mut id, cache);
    }
    let s = match InputColumn::from_array(col)? {
        InputColumn::Str(s) => s,
        InputColumn::Num(a) => a.iter().map(|v| v.map(fmt_num)).collect::<StringArray>(),
        _ => return Ok(vec![fill_id; n]),
    };
    Ok(s.iter().map(id).collect())
}

/// The id of each entry of the last dictionary seen in one column. Parquet
/// readers hand out the same dictionary for every batch of a column chunk,
/// so its values are interned once per chunk, not once per batch. Holding
/// the values keeps the pointer comparison sound.
#[derive(Default)]
pub(super) struct DictCache {
    values: Option<ArrayRef>,
    map: Vec<u32>,
}

/// `id(value)` of every row of a text column, calling `id` once per
/// dictionary entry for dictionary columns; null rows get `id(None)`.
fn ids_of(
    col: &ArrayRef,
    id: &mut dyn FnMut(Option<&str>) -> u32,
    cache: &mut DictCache,
) -> Result<Vec<u32>> {
    let null_id = id(None);
    if let Some(dict) = col.as_dictionary_opt::<Int32Type>() {
        let same = cache
            .values
            .as_ref()
            .is_some_and(|v| std::sync::Arc::ptr_eq(v, dict.values()));
        if !same {
            let values = arrow_cast::cast(dict.values(), &DataType::Utf8)?;
            cache.map = values.as_string::<i32>().iter().map(&mut *id).collect();
            cache.values = Some(dict.values().clone());
        }
        let map = &cache.map;
        let keys = dict.keys();
        let mut out: Vec<u32> = keys
            .values()
            .iter()
            .map(|&k| map.get(k as usize).copied().unwrap_or(null_id))
            .collect();
        if let Some(nulls) = keys.nulls().filter(|n| n.null_count() > 0) {
            for r in nulls
                .iter()
                .enumerate()
                .filter_map(|(r, v)| (!v).then_some(r))
            {
                if let Some(slot) = out.get_mut(r) {
                    *slot = null_id;
                }
            }
        }
        return Ok(out);
    }
    if col.as_any_dictionary_opt().is_some() {
        let c = arrow_cast::cast(col, &DataType::Utf8)?;
        return ids_of(&c, id, cache);
    }
    let s = match col.data_type() {
        DataType::Utf8 => col.clone(),
        _ => arrow_cast::cast(col, &DataType::Utf8)?,
    };
    Ok(s.as_string::<i32>().iter().map(id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::value::Out;
    use arrow_array::Float64Array;
    use arrow_schema::{Field, Schema};
    use std::sync::Arc;

    fn batch(rows: &[(&str, f64, &str)]) -> RecordBatch {
        let schema = Schema::new(vec![
            Field::new("metric_name", DataType::Utf8, true),
            Field::new("_value", DataType::Float64, true),
            Field::new("d", DataType::Utf8, true),
        ]);
        let m: StringArray = rows.iter().map(|r| Some(r.0)).collect();
        let v: Float64Array = rows.iter().map(|r| Some(r.1)).collect();
        let d: StringArray = rows.iter().map(|r| Some(r.2)).collect();
        RecordBatch::try_new(
            Arc::new(schema),
            vec![Arc::new(m), Arc::new(v), Arc::new(d)],
        )
        .unwrap()
    }

    fn shape() -> Shape {
        Shape {
            dims: vec!["d".into()],
            value_style: false,
            specs: vec![
                (crate::aggregate::test_func("sum"), Some(Glob::new("*"))),
                (crate::aggregate::test_func("stdev"), Some(Glob::new("b"))),
            ],
            fillnull: None,
        }
    }

    /// (metric, dim, results per spec) for every cell, sorted.
    fn cells(mut p: Partial) -> Vec<(String, String, Vec<Option<Out>>)> {
        let n = p.n_cells();
        let res: Vec<Vec<Option<Out>>> = p.accs.iter_mut().map(|a| a.results(n)).collect();
        let mut out: Vec<_> = (0..n)
            .map(|c| {
                let row = p.index.row_key(p.index.cell_row[c] as usize);
                let d = &p.dims[0].values[row[1] as usize];
                let m = &p.metrics.values[p.index.cell_metric[c] as usize];
                (
                    m.clone(),
                    d.clone(),
                    res.iter().map(|r| r[c].clone()).collect(),
                )
            })
            .collect();
        out.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        out
    }

    #[test]
    fn merging_partials_equals_one_pass() {
        let s = shape();
        let b1 = batch(&[("a", 1.0, "x"), ("b", 2.0, "y"), ("b", 4.0, "x")]);
        let b2 = batch(&[("b", 6.0, "x"), ("c", 1.0, "z"), ("a", 3.0, "x")]);
        let all = |p: &mut Partial, b: &RecordBatch| {
            let sel = (0..b.num_rows() as u32).collect();
            p.add_batch(&s, b, sel, None, None).unwrap();
        };
        let mut one = Partial::new(&s);
        all(&mut one, &b1);
        all(&mut one, &b2);
        let mut left = Partial::new(&s);
        all(&mut left, &b2);
        let mut right = Partial::new(&s);
        all(&mut right, &b1);
        left.merge(&s, right).unwrap();
        let merged = cells(left);
        assert_eq!(merged, cells(one));
        assert_eq!(
            merged[1],
            (
                "b".to_string(),
                "x".to_string(),
                vec![Some(Out::Num(10.0)), Some(Out::Num(2.0f64.sqrt()))]
            )
        );
    }
}
