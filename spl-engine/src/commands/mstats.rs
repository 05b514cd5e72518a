//! `mstats`: aggregate metric data points from the catalog (6.1-6.7).
//!
//! A generating command: on `finish` it scans every metric dataset with a
//! projection of the needed columns, keeps the points inside the time range
//! and WHERE, and aggregates `_value` into cells keyed by (time bucket,
//! dimension ids, metric id). Memory grows with the number of cells, never
//! with the number of points; metric names and dimension values are interned
//! (dictionary columns once per batch), so the per-point work is integer
//! hashing and a numeric update.

use super::groupby::{cmp_keys, KeyVal};
use super::stats::make_batch;
use crate::aggregate::grouped::{new_group_acc, GroupAcc, Input, InputColumn, RowGroups, NO_GROUP};
use crate::aggregate::names::{check_wildcard_alias, Glob};
use crate::aggregate::timespan::{Bucketer, TimeSpan};
use crate::aggregate::value::Out;
use crate::aggregate::{AggContext, AggFunc};
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::source::{DataKind, ScanRequest};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, StringArray};
use indexmap::IndexMap;
use spl_parser::ast::{self, find_opt, AggArg};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

mod filter;
use filter::WherePlan;

/// One distinct (function, argument) pair; several outputs may share it
/// (S1 lists `avg(udp.*)` twice under two names; 6.6 default (c)).
struct AccSpec {
    func: AggFunc,
    /// `None` in `func(_value)` style: every selected point.
    pattern: Option<Glob>,
    acc: Box<dyn GroupAcc>,
}

/// One written aggregation.
struct OutputSpec {
    acc: usize,
    func_text: String,
    /// `None` for a bare `count` (output name `count`).
    arg_text: Option<String>,
    alias: Option<String>,
    alias_glob: Option<Glob>,
}

impl OutputSpec {
    fn name(&self, metric: &str, pattern: Option<&Glob>) -> Option<String> {
        let Some(p) = pattern else {
            let default = match &self.arg_text {
                Some(a) => format!("{}({a})", self.func_text),
                None => self.func_text.clone(),
            };
            return Some(self.alias.clone().unwrap_or(default));
        };
        let caps = p.captures(metric)?;
        Some(match (&self.alias_glob, &self.alias) {
            (Some(g), _) if p.stars() > 0 => g.substitute(&caps),
            (_, Some(a)) => a.clone(),
            _ => format!("{}({metric})", self.func_text),
        })
    }
}

/// Value -> id interner for dimension values and metric names.
#[derive(Default)]
struct Interner {
    ids: HashMap<String, u32>,
    values: Vec<String>,
}

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.values.len() as u32;
        self.values.push(s.to_string());
        self.ids.insert(s.to_string(), id);
        id
    }
}

/// Plans `mstats`.
pub fn plan_mstats(
    cmd: &ast::Mstats,
    stage: &ast::Stage,
    ctx: &ExecContext,
) -> Result<Box<dyn Operator>> {
    for key in ["prestats", "append", "chart"] {
        if let Some(o) = find_opt(&cmd.options, key) {
            if matches!(
                o.value.node.to_ascii_lowercase().as_str(),
                "true" | "t" | "1"
            ) {
                return Err(EngineError::invalid(
                    format!("expected {key}=false, found {key}={}", o.value.node),
                    o.value.span,
                    "not supported by this engine",
                ));
            }
        }
    }
    if let Some(o) = find_opt(&cmd.options, "every") {
        return Err(EngineError::invalid(
            format!("expected no `every=` option, found every={}", o.value.node),
            o.key.span,
            "not supported by this engine",
        ));
    }
    if cmd.aggs.is_empty() {
        return Err(EngineError::invalid(
            "expected at least one aggregation in `mstats`, found none",
            stage.span,
            "no aggregation",
        ));
    }
    let span = match find_opt(&cmd.options, "span") {
        Some(o) => Some(TimeSpan::parse(&o.value.node, o.value.span)?),
        None => None,
    };
    let fillnull = find_opt(&cmd.options, "fillnull_value").map(|o| o.value.node.clone());
    let mut accs: Vec<AccSpec> = Vec::new();
    let mut outputs = Vec::new();
    let mut value_style = None;
    for agg in &cmd.aggs {
        let func = AggFunc::resolve(&agg.func.node, agg.func.span, AggContext::Mstats)?;
        let arg = match &agg.arg {
            Some(AggArg::Field(f)) => f.clone(),
            None if func == AggFunc::Count => {
                spl_parser::Spanned::new("_value".to_string(), agg.span)
            }
            None => {
                return Err(EngineError::invalid(
                    format!(
                        "expected a metric name in `{}(...)`, found none",
                        agg.func.node
                    ),
                    agg.span,
                    "needs a metric",
                ))
            }
            Some(AggArg::Eval(_)) => {
                return Err(EngineError::invalid(
                    "expected a metric name, found eval(...)",
                    agg.span,
                    "mstats aggregates metric names only",
                ))
            }
        };
        let is_value = arg.node == "_value";
        if *value_style.get_or_insert(is_value) != is_value {
            return Err(EngineError::InvalidArgument {
                message:
                    "expected all aggregations to use `_value` or all to name metrics, found both"
                        .into(),
                span: arg.span,
                label: "mixed aggregation styles".into(),
                help: Some(
                    "use `func(_value) ... WHERE metric_name=...` or `func(metric.name)`, not both"
                        .into(),
                ),
            });
        }
        let pattern = (!is_value).then(|| Glob::new(&arg.node));
        if let Some(p) = &pattern {
            if p.stars() > 0 {
                check_wildcard_alias(p, agg.alias.as_ref())?;
            }
        }
        let acc = match accs
            .iter()
            .position(|a| a.func == func && a.pattern == pattern)
        {
            Some(i) => i,
            None => {
                accs.push(AccSpec {
                    func,
                    pattern,
                    acc: new_group_acc(func),
                });
                accs.len() - 1
            }
        };
        outputs.push(OutputSpec {
            acc,
            func_text: agg.func.node.clone(),
            arg_text: agg.arg.is_some().then(|| arg.node.clone()),
            alias: agg.alias.as_ref().map(|a| a.node.clone()),
            alias_glob: agg.alias.as_ref().map(|a| Glob::new(&a.node)),
        });
    }
    let where_plan = WherePlan::bind(cmd.where_.as_ref(), ctx)?;
    let earliest = where_plan.bounds.earliest.or(ctx.earliest);
    let latest = where_plan.bounds.latest.or(ctx.latest);
    Ok(Box::new(MstatsOp {
        dims: cmd.by.iter().map(|b| b.node.clone()).collect(),
        value_style: value_style.unwrap_or(false),
        span,
        fillnull,
        where_plan,
        earliest,
        latest,
        accs,
        outputs,
        done: false,
    }))
}

/// The `mstats` operator.
struct MstatsOp {
    dims: Vec<String>,
    value_style: bool,
    span: Option<TimeSpan>,
    fillnull: Option<String>,
    where_plan: WherePlan,
    earliest: Option<f64>,
    latest: Option<f64>,
    accs: Vec<AccSpec>,
    outputs: Vec<OutputSpec>,
    done: bool,
}

/// Aggregation state of one run.
struct Cells {
    /// Key of cell `c` at `keys[c*w..(c+1)*w]`: bucket bits, dim ids, metric id.
    keys: Vec<u64>,
    map: HashMap<Vec<u64>, u32>,
    dims: Vec<Interner>,
    metrics: Interner,
    /// Per metric id: which accumulators take its points.
    metric_accs: Vec<Vec<bool>>,
    seq: u64,
}

impl Operator for MstatsOp {
    fn push(&mut self, _batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        // generating command: upstream rows are not its input
        Ok(Vec::new())
    }

    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        if self.done {
            return Ok(Vec::new());
        }
        self.done = true;
        let mut cells = Cells {
            keys: Vec::new(),
            map: HashMap::new(),
            dims: self.dims.iter().map(|_| Interner::default()).collect(),
            metrics: Interner::default(),
            metric_accs: Vec::new(),
            seq: 0,
        };
        let mut columns = vec![
            "_time".to_string(),
            "metric_name".to_string(),
            "_value".to_string(),
        ];
        columns.extend(self.dims.iter().cloned());
        for f in self.where_plan.fields() {
            if !columns.contains(f) {
                columns.push(f.clone());
            }
        }
        let req = ScanRequest {
            columns: Some(columns),
            earliest: self.earliest,
            latest: self.latest,
        };
        let catalog = ctx.catalog.clone();
        let mut bucketer = self.span.map(|s| Bucketer::new(s, ctx.tz.clone()));
        for ds in catalog
            .datasets
            .iter()
            .filter(|d| d.kind == DataKind::Metrics)
        {
            if !self.where_plan.dataset_may_match(&ds.meta) {
                continue;
            }
            for batch in ds.scan.scan(&req)? {
                let batch = batch?;
                let selected = self.select_rows(&batch, &ds.meta, ctx)?;
                if !selected.is_empty() {
                    self.aggregate(&batch, selected, &mut cells, bucketer.as_mut())?;
                }
                cells.seq += batch.num_rows() as u64;
            }
        }
        self.output(cells)
    }
}

impl MstatsOp {
    /// Rows inside `[earliest, latest)` that satisfy WHERE.
    fn select_rows(
        &self,
        batch: &RecordBatch,
        meta: &crate::source::SourceMeta,
        ctx: &ExecContext,
    ) -> Result<Vec<u32>> {
        let n = batch.num_rows();
        let Some(time) = super::groupby::time_column(batch)? else {
            return Ok(Vec::new());
        };
        let mask = self.where_plan.evaluate(batch, meta, ctx)?;
        let (lo, hi) = (self.earliest, self.latest);
        let mut rows = Vec::with_capacity(n);
        for i in 0..n.min(time.len()).min(mask.len()) {
            if time.is_null(i) || !mask.value(i) || mask.is_null(i) {
                continue;
            }
            let t = time.value(i);
            if lo.is_some_and(|lo| t < lo) || hi.is_some_and(|hi| t >= hi) {
                continue;
            }
            rows.push(i as u32);
        }
        Ok(rows)
    }

    /// Metric ids of a batch's rows (`u32::MAX`: no usable metric name).
    fn metric_ids(&self, batch: &RecordBatch, cells: &mut Cells) -> Result<Vec<u32>> {
        let n = batch.num_rows();
        let Some(col) = batch.column_by_name("metric_name") else {
            return Ok(vec![u32::MAX; n]);
        };
        let intern = |s: Option<&str>, cells: &mut Cells| -> u32 {
            match s {
                // empty names and names with spaces are never returned (6.1)
                Some(s) if !s.is_empty() && !s.contains(' ') => {
                    let id = cells.metrics.id(s);
                    if id as usize == cells.metric_accs.len() {
                        let m: Vec<bool> = self
                            .accs
                            .iter()
                            .map(|a| a.pattern.as_ref().is_none_or(|p| p.matches(s)))
                            .collect();
                        cells.metric_accs.push(m);
                    }
                    id
                }
                _ => u32::MAX,
            }
        };
        if let Some(dict) = col.as_any_dictionary_opt() {
            let values = arrow_cast::cast(dict.values(), &arrow_schema::DataType::Utf8)?;
            let values = values.as_string::<i32>();
            let ids: Vec<u32> = values.iter().map(|v| intern(v, cells)).collect();
            let keys = dict.normalized_keys();
            return Ok((0..n)
                .map(|r| {
                    if col.is_null(r) {
                        u32::MAX
                    } else {
                        keys.get(r)
                            .and_then(|&k| ids.get(k))
                            .copied()
                            .unwrap_or(u32::MAX)
                    }
                })
                .collect());
        }
        let s = arrow_cast::cast(col, &arrow_schema::DataType::Utf8)?;
        let s: &StringArray = s.as_string::<i32>();
        Ok(s.iter().map(|v| intern(v, cells)).collect())
    }

    fn aggregate(
        &mut self,
        batch: &RecordBatch,
        selected: Vec<u32>,
        cells: &mut Cells,
        mut bucketer: Option<&mut Bucketer>,
    ) -> Result<()> {
        let metric = self.metric_ids(batch, cells)?;
        let time = super::groupby::time_column(batch)?;
        let mut dim_ids: Vec<Vec<Option<u32>>> = Vec::with_capacity(self.dims.len());
        for (j, d) in self.dims.iter().enumerate() {
            let interner = cells
                .dims
                .get_mut(j)
                .ok_or_else(|| EngineError::Internal("dimension interner".into()))?;
            dim_ids.push(intern_dim(
                batch.column_by_name(d),
                batch.num_rows(),
                interner,
                self.fillnull.as_deref(),
            )?);
        }
        let w = 2 + self.dims.len();
        let mut key = vec![0u64; w];
        let mut rows = Vec::with_capacity(selected.len());
        let mut groups = Vec::with_capacity(selected.len());
        'rows: for &r in &selected {
            let r = r as usize;
            let m = metric.get(r).copied().unwrap_or(u32::MAX);
            let wanted = cells
                .metric_accs
                .get(m as usize)
                .is_some_and(|v| v.iter().any(|&b| b));
            if !wanted {
                continue;
            }
            key[0] = match (bucketer.as_deref_mut(), &time) {
                (Some(b), Some(t)) => match b.bucket(t.value(r)) {
                    Some(x) => x.to_bits(),
                    None => continue,
                },
                _ => 0,
            };
            for (j, ids) in dim_ids.iter().enumerate() {
                match ids.get(r).copied().flatten() {
                    Some(id) => key[1 + j] = u64::from(id),
                    None => continue 'rows,
                }
            }
            key[w - 1] = if self.value_style { 0 } else { u64::from(m) };
            let cell = match cells.map.get(key.as_slice()) {
                Some(&c) => c,
                None => {
                    let c = (cells.keys.len() / w) as u32;
                    cells.map.insert(key.clone(), c);
                    cells.keys.extend_from_slice(&key);
                    c
                }
            };
            rows.push(r as u32);
            groups.push((cell, m));
        }
        let n_cells = cells.keys.len() / w;
        let value = match batch.column_by_name("_value") {
            Some(v) => InputColumn::from_array(v)?,
            None => InputColumn::Missing,
        };
        let time_in = time.as_ref();
        for (ai, acc) in self.accs.iter_mut().enumerate() {
            let gs: Vec<u32> = groups
                .iter()
                .map(|&(c, m)| {
                    let take = cells
                        .metric_accs
                        .get(m as usize)
                        .and_then(|v| v.get(ai))
                        .copied()
                        .unwrap_or(false);
                    if take {
                        c
                    } else {
                        NO_GROUP
                    }
                })
                .collect();
            let input = Input {
                col: &value,
                time: if acc.func.needs_time() { time_in } else { None },
                seq_base: cells.seq,
            };
            let rg = RowGroups {
                rows: Some(rows.clone()),
                groups: gs,
            };
            acc.acc.update(&input, &rg, n_cells);
        }
        Ok(())
    }

    fn output(&mut self, cells: Cells) -> Result<Vec<RecordBatch>> {
        let w = 2 + self.dims.len();
        let n_cells = cells.keys.len() / w;
        // rows: distinct (bucket, dims)
        let mut row_of_cell = Vec::with_capacity(n_cells);
        let mut row_map: HashMap<&[u64], u32> = HashMap::new();
        let mut row_keys: Vec<&[u64]> = Vec::new();
        for c in 0..n_cells {
            let k = cells.keys.get(c * w..c * w + w - 1).unwrap_or(&[]);
            let r = *row_map.entry(k).or_insert_with(|| {
                row_keys.push(k);
                (row_keys.len() - 1) as u32
            });
            row_of_cell.push(r);
        }
        let dim_val = |j: usize, id: u64| -> &str {
            cells
                .dims
                .get(j)
                .and_then(|i| i.values.get(id as usize))
                .map_or("", String::as_str)
        };
        let mut order: Vec<u32> = (0..row_keys.len() as u32).collect();
        order.sort_by(|&a, &b| {
            let (ka, kb) = (row_keys[a as usize], row_keys[b as usize]);
            let t = f64::from_bits(ka[0]).total_cmp(&f64::from_bits(kb[0]));
            (0..self.dims.len()).fold(t, |o, j| {
                o.then_with(|| {
                    cmp_keys(
                        &KeyVal::Str(dim_val(j, ka[1 + j]).to_string()),
                        &KeyVal::Str(dim_val(j, kb[1 + j]).to_string()),
                    )
                })
            })
        });
        let mut position = vec![0usize; order.len()];
        for (p, &r) in order.iter().enumerate() {
            position[r as usize] = p;
        }
        let n_rows = order.len();
        let mut cols: Vec<(String, ArrayRef)> = Vec::new();
        if self.span.is_some() {
            let t: Float64Array = order
                .iter()
                .map(|&r| Some(f64::from_bits(row_keys[r as usize][0])))
                .collect();
            cols.push(("_time".into(), Arc::new(t)));
        }
        for (j, d) in self.dims.iter().enumerate() {
            let v: StringArray = order
                .iter()
                .map(|&r| Some(dim_val(j, row_keys[r as usize][1 + j])))
                .collect();
            cols.push((d.clone(), Arc::new(v)));
        }
        // per accumulator: results per cell, then one column per (output, metric)
        let results: Vec<Vec<Option<Out>>> = self
            .accs
            .iter_mut()
            .map(|a| a.acc.results(n_cells))
            .collect();
        let mut metric_order: Vec<u32> = (0..cells.metrics.values.len() as u32).collect();
        metric_order.sort_by(|&a, &b| {
            cells.metrics.values[a as usize]
                .as_bytes()
                .cmp(cells.metrics.values[b as usize].as_bytes())
                .then(Ordering::Equal)
        });
        let mut cells_of_metric: Vec<Vec<u32>> = vec![Vec::new(); cells.metrics.values.len()];
        if !self.value_style {
            for c in 0..n_cells {
                if let Some(v) = cells
                    .keys
                    .get(c * w + w - 1)
                    .and_then(|&m| cells_of_metric.get_mut(m as usize))
                {
                    v.push(c as u32);
                }
            }
        }
        let mut out_cols: IndexMap<String, ArrayRef> = IndexMap::new();
        for o in &self.outputs {
            let Some(spec) = self.accs.get(o.acc) else {
                continue;
            };
            let Some(res) = results.get(o.acc) else {
                continue;
            };
            if spec.pattern.is_none() {
                let mut vals: Vec<Option<Out>> = vec![None; n_rows];
                for c in 0..n_cells {
                    vals[position[row_of_cell[c] as usize]] = res.get(c).cloned().flatten();
                }
                if let Some(name) = o.name("", None) {
                    out_cols.insert(name, crate::aggregate::value::build_column(&vals));
                }
                continue;
            }
            for &m in &metric_order {
                let mname = &cells.metrics.values[m as usize];
                let Some(name) = o.name(mname, spec.pattern.as_ref()) else {
                    continue;
                };
                let mut vals: Vec<Option<Out>> = vec![None; n_rows];
                let cs = cells_of_metric
                    .get(m as usize)
                    .map_or(&[][..], Vec::as_slice);
                for &c in cs {
                    vals[position[row_of_cell[c as usize] as usize]] =
                        res.get(c as usize).cloned().flatten();
                }
                if !cs.is_empty() {
                    out_cols.insert(name, crate::aggregate::value::build_column(&vals));
                }
            }
        }
        cols.extend(out_cols);
        Ok(vec![make_batch(cols, n_rows)?])
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
        let values = arrow_cast::cast(dict.values(), &arrow_schema::DataType::Utf8)?;
        let values = values.as_string::<i32>();
        let ids: Vec<Option<u32>> = values.iter().map(|v| v.map(|v| int.id(v))).collect();
        let keys = dict.normalized_keys();
        return Ok((0..n)
            .map(|r| {
                if col.is_null(r) {
                    fill_id
                } else {
                    keys.get(r)
                        .and_then(|&k| ids.get(k).copied().flatten())
                        .or(fill_id)
                }
            })
            .collect());
    }
    let s = match InputColumn::from_array(col)? {
        InputColumn::Str(s) => s,
        InputColumn::Num(a) => a
            .iter()
            .map(|v| v.map(crate::aggregate::value::fmt_num))
            .collect::<StringArray>(),
        _ => return Ok(vec![fill_id; n]),
    };
    Ok(s.iter().map(|v| v.map(|v| int.id(v)).or(fill_id)).collect())
}
