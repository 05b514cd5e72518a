//! The pivot `chart` and `timechart` share: aggregations per row value and
//! series (split) value, series limits, `OTHER` and `NULL` series.

use crate::batch;
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::ops::groupby::{cmp_keys, KeyVal};
use crate::ops::stats::{make_batch, Aggregator, StatsSpec};
use crate::ops::texts::{build_texts, RowVals, Texts};
use crate::value::{format_number, with_column};
use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, StringArray, UInt32Array};
use arrow_schema::DataType;
use indexmap::IndexMap;
use spl_parser::ast::{self, Stage};
use spl_parser::options::OptReader;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The bound pivot: rows, an optional series field and the series options.
pub(crate) struct Pivot {
    spec: StatsSpec,
    /// The row field (`_time` for timechart); `None`: one row.
    row: Option<String>,
    split: Option<String>,
    limit: usize,
    useother: bool,
    usenull: bool,
    otherstr: String,
    nullstr: String,
}

/// The result of one aggregation pass: one entry per group.
pub(crate) struct Pass {
    rows: Vec<Option<KeyVal>>,
    series: Vec<Option<String>>,
    cols: Vec<(String, ArrayRef)>,
}

pub(crate) fn key_of(arr: &ArrayRef, i: usize) -> Result<Option<KeyVal>> {
    if arr.data_type() == &DataType::Float64 {
        let a = arr.as_primitive::<Float64Type>();
        return Ok((i < a.len() && a.is_valid(i)).then(|| KeyVal::Num(a.value(i))));
    }
    Ok(batch::values_at(arr, i)?.map(|v| KeyVal::Str(v.join("\n"))))
}

pub(crate) fn key_text(k: &KeyVal) -> String {
    match k {
        KeyVal::Num(x) => format_number(*x, None),
        KeyVal::Str(s) => s.clone(),
    }
}

impl Pivot {
    /// Binds the aggregations and options of chart/timechart.
    pub(crate) fn bind(
        o: &OptReader,
        aggs: &[ast::Agg],
        row: Option<&ast::FieldName>,
        split: Option<&ast::FieldName>,
        stage: &Stage,
        ctx: &ExecContext,
    ) -> Result<Pivot> {
        let by: Vec<ast::FieldName> = row.into_iter().chain(split).cloned().collect();
        let stats = ast::Stats {
            options: Vec::new(),
            aggs: aggs.to_vec(),
            by,
        };
        let spec = StatsSpec::bind(&stats, o, stage, ctx)?;
        if let Some(split) = split {
            // a sparkline is one cell per row: there is no series to split it by
            if let Some(a) = aggs
                .iter()
                .find(|a| a.func.node.eq_ignore_ascii_case("sparkline"))
            {
                return Err(EngineError::InvalidArgument {
                    message: format!(
                        "expected no column split with a sparkline, found `{}`",
                        split.node
                    ),
                    span: a.span,
                    label: "sparkline with a column split".into(),
                    help: Some(format!(
                        "write `chart sparkline ... over <row-field>` without `by {}`, or use stats",
                        split.node
                    )),
                });
            }
        }
        let limit = match o.get("limit") {
            None => 10,
            Some(o) => {
                let v = o.value.node.trim().to_ascii_lowercase();
                let n = v.strip_prefix("top").unwrap_or(&v);
                n.parse::<usize>().map_err(|_| {
                    EngineError::invalid(
                        format!(
                            "expected a non-negative integer or topN for `limit`, found `{}`",
                            o.value.node
                        ),
                        o.value.span,
                        "not a limit",
                    )
                })?
            }
        };
        let text = |k: &str| o.text_or_default(k).unwrap_or_default();
        Ok(Pivot {
            spec,
            row: row.map(|r| r.node.clone()),
            split: split.map(|s| s.node.clone()),
            limit: if limit == 0 { usize::MAX } else { limit },
            useother: o.flag("useother")?,
            usenull: o.flag("usenull")?,
            otherstr: text("otherstr"),
            nullstr: text("nullstr"),
        })
    }

    /// Rewrites the series field of each batch with `map` (null in, null out drops the row's series).
    fn rewrite(
        &self,
        batches: &[RecordBatch],
        map: &dyn Fn(Option<&str>) -> Option<String>,
    ) -> Result<Vec<RecordBatch>> {
        let Some(split) = &self.split else {
            return Ok(batches.to_vec());
        };
        batches
            .iter()
            .map(|b| {
                let texts = Texts::of(b, split)?;
                let rows: Vec<Option<Vec<String>>> = (0..b.num_rows())
                    .map(|r| {
                        let vals: Vec<String> = match texts.get(r) {
                            RowVals::Null => map(None).into_iter().collect(),
                            v => v
                                .to_vec()
                                .into_iter()
                                .filter_map(|s| map(Some(s)))
                                .collect(),
                        };
                        (!vals.is_empty()).then_some(vals)
                    })
                    .collect();
                with_column(b, split, build_texts(&rows), None)
            })
            .collect()
    }

    fn aggregate(&self, batches: &[RecordBatch], ctx: &ExecContext) -> Result<Pass> {
        let mut agg = Aggregator::new(self.spec.clone());
        for b in batches {
            agg.push(b, ctx)?;
        }
        let n = agg.table.n_groups();
        let ids: Vec<u32> = (0..n as u32).collect();
        let keys = agg.table.key_columns(&ids);
        let cols = agg.finish_columns();
        let mut rows = vec![None; n];
        let mut series = vec![None; n];
        let mut k = keys.iter();
        if self.row.is_some() {
            if let Some((_, arr)) = k.next() {
                for (i, slot) in rows.iter_mut().enumerate() {
                    *slot = key_of(arr, i)?;
                }
            }
        }
        if self.split.is_some() {
            if let Some((_, arr)) = k.next() {
                for (i, slot) in series.iter_mut().enumerate() {
                    *slot = key_of(arr, i)?.map(|kv| key_text(&kv));
                }
            }
        }
        Ok(Pass { rows, series, cols })
    }

    /// Runs the pivot; `extra_rows` are row values to include even without data
    /// (timechart's empty buckets).
    pub(crate) fn run(
        &self,
        batches: &[RecordBatch],
        extra_rows: &[f64],
        ctx: &ExecContext,
    ) -> Result<Option<RecordBatch>> {
        let nullstr = self.nullstr.clone();
        let usenull = self.usenull;
        let batches = self.rewrite(batches, &move |v| match v {
            Some(s) => Some(s.to_string()),
            None => usenull.then(|| nullstr.clone()),
        })?;
        let mut pass = self.aggregate(&batches, ctx)?;
        let mut excluded: HashSet<String> = HashSet::new();
        if self.split.is_some() {
            let mut totals: IndexMap<String, f64> = IndexMap::new();
            let first = pass.cols.first().map(|(_, a)| a.clone());
            for (g, s) in pass.series.iter().enumerate() {
                let Some(s) = s else { continue };
                let v = match &first {
                    Some(a) => batch::values_at(a, g)?
                        .and_then(|v| v.first().and_then(|x| batch::parse_number(x)))
                        .unwrap_or(0.0),
                    None => 0.0,
                };
                *totals.entry(s.clone()).or_insert(0.0) += v;
            }
            if totals.len() > self.limit {
                let mut ranked: Vec<(String, f64)> = totals.into_iter().collect();
                ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                excluded = ranked
                    .into_iter()
                    .skip(self.limit)
                    .map(|(s, _)| s)
                    .collect();
                if self.useother {
                    let other = self.otherstr.clone();
                    let ex = excluded.clone();
                    let batches = self.rewrite(&batches, &move |v| {
                        v.map(|s| {
                            if ex.contains(s) {
                                other.clone()
                            } else {
                                s.to_string()
                            }
                        })
                    })?;
                    pass = self.aggregate(&batches, ctx)?;
                    excluded.clear();
                }
            }
        }
        self.assemble(pass, &excluded, extra_rows)
    }

    fn is_count(&self, name: &str) -> bool {
        self.spec
            .aggs
            .iter()
            .any(|a| a.name == name && a.func.spec().zero_when_empty)
    }

    fn assemble(
        &self,
        pass: Pass,
        excluded: &HashSet<String>,
        extra_rows: &[f64],
    ) -> Result<Option<RecordBatch>> {
        // rows in value order
        let mut row_keys: Vec<KeyVal> = Vec::new();
        let mut row_index: HashMap<String, usize> = HashMap::new();
        let all_rows = pass
            .rows
            .iter()
            .flatten()
            .cloned()
            .chain(extra_rows.iter().map(|&t| KeyVal::Num(t)));
        for k in all_rows {
            if let std::collections::hash_map::Entry::Vacant(e) = row_index.entry(key_text(&k)) {
                e.insert(row_keys.len());
                row_keys.push(k);
            }
        }
        if self.row.is_none() {
            row_keys = vec![KeyVal::Str(String::new())];
        }
        let mut order: Vec<usize> = (0..row_keys.len()).collect();
        order.sort_by(|&a, &b| cmp_keys(&row_keys[a], &row_keys[b]));
        let mut pos = vec![0usize; row_keys.len()];
        for (p, &i) in order.iter().enumerate() {
            pos[i] = p;
        }
        // series in value order, NULL then OTHER last
        let mut series: Vec<String> = pass
            .series
            .iter()
            .flatten()
            .filter(|s| !excluded.contains(*s))
            .cloned()
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let rank = |s: &str| {
            if s == self.otherstr {
                2
            } else if s == self.nullstr && self.usenull {
                1
            } else {
                0
            }
        };
        series.sort_by(|a, b| {
            rank(a)
                .cmp(&rank(b))
                .then_with(|| cmp_keys(&KeyVal::Str(a.clone()), &KeyVal::Str(b.clone())))
        });
        let series_keys: Vec<Option<String>> = if self.split.is_some() {
            series.into_iter().map(Some).collect()
        } else {
            vec![None]
        };
        // (row position, series) -> group
        let mut cell: HashMap<(usize, Option<&str>), u32> = HashMap::new();
        for g in 0..pass.cols.first().map_or(0, |(_, a)| a.len()) {
            let r = match (&self.row, pass.rows.get(g).cloned().flatten()) {
                (None, _) => 0,
                (Some(_), Some(k)) => match row_index.get(&key_text(&k)) {
                    Some(&i) => pos[i],
                    None => continue,
                },
                (Some(_), None) => continue,
            };
            let s = pass.series.get(g).and_then(|s| s.as_deref());
            cell.insert((r, s), g as u32);
        }
        let n_rows = row_keys.len();
        let mut out: Vec<(String, ArrayRef)> = Vec::new();
        if let Some(rname) = &self.row {
            let sorted: Vec<&KeyVal> = order.iter().map(|&i| &row_keys[i]).collect();
            let arr: ArrayRef = if sorted.iter().all(|k| matches!(k, KeyVal::Num(_))) {
                Arc::new(Float64Array::from(
                    sorted
                        .iter()
                        .map(|k| match k {
                            KeyVal::Num(x) => Some(*x),
                            KeyVal::Str(_) => None,
                        })
                        .collect::<Vec<_>>(),
                ))
            } else {
                Arc::new(StringArray::from(
                    sorted.iter().map(|k| Some(key_text(k))).collect::<Vec<_>>(),
                ))
            };
            out.push((rname.clone(), arr));
        }
        let several = pass.cols.len() > 1;
        for s in &series_keys {
            for (name, arr) in &pass.cols {
                let col_name = match s {
                    None => name.clone(),
                    Some(s) if several => format!("{name}: {s}"),
                    Some(s) => s.clone(),
                };
                let idx: UInt32Array = (0..n_rows)
                    .map(|r| cell.get(&(r, s.as_deref())).copied())
                    .collect();
                let mut taken = arrow_select::take::take(arr.as_ref(), &idx, None)?;
                if self.is_count(name) && taken.data_type() == &DataType::Float64 {
                    let f = taken.as_primitive::<Float64Type>();
                    taken = Arc::new(
                        f.iter()
                            .map(|v| Some(v.unwrap_or(0.0)))
                            .collect::<Float64Array>(),
                    );
                }
                out.retain(|(n, _)| n != &col_name);
                out.push((col_name, taken));
            }
        }
        if n_rows == 0
            || (self.row.is_some()
                && pass.cols.first().is_none_or(|(_, a)| a.is_empty())
                && extra_rows.is_empty())
        {
            return Ok(None);
        }
        Ok(Some(make_batch(out, n_rows)?))
    }
}
