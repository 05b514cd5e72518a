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
use crate::aggregate::hash::FxHashMap;
use crate::aggregate::names::Glob;
use crate::aggregate::timespan::Bucketer;
use crate::aggregate::value::fmt_num;
use crate::aggregate::AggFunc;
use crate::error::{EngineError, Result};
use arrow_array::cast::AsArray;
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

/// Value -> id interner for dimension values and metric names.
#[derive(Default)]
pub(super) struct Interner {
    ids: FxHashMap<String, u32>,
    pub(super) values: Vec<String>,
}

impl Interner {
    pub(super) fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.values.len() as u32;
        self.values.push(s.to_string());
        self.ids.insert(s.to_string(), id);
        id
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
        }
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

    /// Metric id of each row (`u32::MAX`: unusable or no metric name).
    fn metric_ids(&mut self, shape: &Shape, batch: &RecordBatch) -> Result<Vec<u32>> {
        let n = batch.num_rows();
        let Some(col) = batch.column_by_name("metric_name") else {
            return Ok(vec![u32::MAX; n]);
        };
        if let Some(dict) = col.as_any_dictionary_opt() {
            // each dictionary entry is looked up once per batch
            let values = arrow_cast::cast(dict.values(), &DataType::Utf8)?;
            let ids: Vec<u32> = values
                .as_string::<i32>()
                .iter()
                .map(|v| self.metric_id(shape, v))
                .collect();
            let keys = dict.normalized_keys();
            return Ok((0..n)
                .map(|r| match col.is_null(r) {
                    true => u32::MAX,
                    false => keys
                        .get(r)
                        .and_then(|&k| ids.get(k))
                        .copied()
                        .unwrap_or(u32::MAX),
                })
                .collect());
        }
        let s = arrow_cast::cast(col, &DataType::Utf8)?;
        Ok(s.as_string::<i32>()
            .iter()
            .map(|v| self.metric_id(shape, v))
            .collect())
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
        let mut dim_ids: Vec<Vec<Option<u32>>> = Vec::with_capacity(shape.dims.len());
        for (j, d) in shape.dims.iter().enumerate() {
            let interner = self
                .dims
                .get_mut(j)
                .ok_or_else(|| EngineError::Internal("dimension interner".into()))?;
            let col = batch.column_by_name(d);
            dim_ids.push(intern_dim(
                col,
                batch.num_rows(),
                interner,
                shape.fillnull.as_deref(),
            )?);
        }
        let mut key = vec![0u64; shape.width()];
        let mut rows = Vec::with_capacity(selected.len());
        let mut cell_metric = Vec::with_capacity(selected.len());
        'rows: for r in selected {
            let r = r as usize;
            let m = metric.get(r).copied().unwrap_or(u32::MAX);
            if !self
                .metric_accs
                .get(m as usize)
                .is_some_and(|v| v.contains(&true))
            {
                continue;
            }
            let bucket = match (bucketer.as_deref_mut(), time) {
                (Some(b), Some(t)) => match b.bucket(t.value(r)) {
                    Some(x) => x.to_bits(),
                    None => continue,
                },
                _ => 0,
            };
            for (j, ids) in dim_ids.iter().enumerate() {
                match ids.get(r).copied().flatten() {
                    Some(id) => key[j] = u64::from(id),
                    None => continue 'rows,
                }
            }
            let metric_part = if shape.value_style { 0 } else { m };
            let cell = self.index.cell(bucket, &key, metric_part);
            rows.push(r as u32);
            cell_metric.push((cell, m));
        }
        let n_cells = self.n_cells();
        let value = match batch.column_by_name("_value") {
            Some(v) => InputColumn::from_array(v)?,
            None => InputColumn::Missing,
        };
        let mut rg = RowGroups {
            rows: Some(rows),
            groups: Vec::with_capacity(cell_metric.len()),
        };
        for (ai, acc) in self.accs.iter_mut().enumerate() {
            rg.groups.clear();
            let metric_accs = &self.metric_accs;
            rg.groups.extend(cell_metric.iter().map(|&(c, m)| {
                let take = metric_accs.get(m as usize).and_then(|v| v.get(ai)).copied();
                if take == Some(true) {
                    c
                } else {
                    NO_GROUP
                }
            }));
            let needs_time = shape.specs.get(ai).is_some_and(|(f, _)| f.needs_time());
            let input = Input {
                col: &value,
                time: if needs_time { time } else { None },
                seq_base: self.seq,
            };
            acc.update(&input, &rg, n_cells);
        }
        self.seq += batch.num_rows() as u64;
        Ok(())
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
            for (j, slot) in key.iter_mut().enumerate().take(shape.dims.len()) {
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

/// Dimension ids per batch row; null (or absent) dimensions become the
/// `fillnull_value` when given, else `None` (the point is dropped; 6.4).
fn intern_dim(
    col: Option<&ArrayRef>,
    n: usize,
    int: &mut Interner,
    fill: Option<&str>,
) -> Result<Vec<Option<u32>>> {
    let fill_id = fill.map(|f| int.id(f));
    let Some(col) = col else {
        return Ok(vec![fill_id; n]);
    };
    if let Some(dict) = col.as_any_dictionary_opt() {
        let values = arrow_cast::cast(dict.values(), &DataType::Utf8)?;
        let ids: Vec<Option<u32>> = values
            .as_string::<i32>()
            .iter()
            .map(|v| v.map(|v| int.id(v)))
            .collect();
        let keys = dict.normalized_keys();
        return Ok((0..n)
            .map(|r| match col.is_null(r) {
                true => fill_id,
                false => keys
                    .get(r)
                    .and_then(|&k| ids.get(k).copied().flatten())
                    .or(fill_id),
            })
            .collect());
    }
    let s = match InputColumn::from_array(col)? {
        InputColumn::Str(s) => s,
        InputColumn::Num(a) => a.iter().map(|v| v.map(fmt_num)).collect::<StringArray>(),
        _ => return Ok(vec![fill_id; n]),
    };
    Ok(s.iter().map(|v| v.map(|v| int.id(v)).or(fill_id)).collect())
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
                (AggFunc::Sum, Some(Glob::new("*"))),
                (AggFunc::Stdev, Some(Glob::new("b"))),
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
