//! `tstats`: statistics over a data model's rows (`FROM datamodel=M[.D]`)
//! or over the event datasets' indexed fields (no `FROM`), with a `WHERE`
//! clause in search syntax and `BY` fields (issue 14 §3).
//!
//! Offline there are no accelerated summaries: the rows are read from the
//! data every time, through the data model (`ops::datamodel`: exports and
//! events through constraints) or from the events. The aggregations are the
//! shared table's (`aggregate/table.rs`), the output is `stats`'s: BY fields
//! first, then aggregations in written order, rows sorted by the BY values.

use crate::aggregate::names::Glob;
use crate::aggregate::timespan::{Bucketer, TimeSpan};
use crate::batch;
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::filter::{SearchFilter, SearchMode, TimeBounds};
use crate::operator::{Operator, PlanCx};
use crate::ops::datamodel::{in_window, with_default_fields, DataModelRows};
use crate::ops::stats::{bind_agg, check_by, make_batch, Aggregator, BoundArg, StatsSpec};
use crate::source::DataKind;
use crate::spec::{CommandKind, CommandSpec, Example};
use crate::time::TimeRange;
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, StringArray, UInt32Array};
use arrow_schema::{DataType, Field};
use spl_parser::ast;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Help, reference page and runnable examples of `tstats`.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Generating,
    description: "Aggregates the rows of a data model dataset (FROM datamodel=M.D) or the events' indexed fields, filtered by a WHERE clause in search syntax, one row per combination of BY values.",
    examples: &[
        Example {
            title: "cmd.exe runs by host in a data model",
            spl: "| tstats count min(_time) as firstTime values(Processes.user) as user from datamodel=Endpoint.Processes where Processes.process_name=cmd.exe by Processes.dest",
        },
        Example {
            title: "over the events' indexed fields",
            spl: "| tstats count where index=main by sourcetype",
        },
    ],
    compat: "No summaries exist offline: every run reads the data (data model exports given with `--data ...,datamodel=M.D`, and events through the model's constraints), so `summariesonly`, `allow_old_summaries`, `include_reduced_buckets`, `chunk_size` and `local` do not change results. `prestats=true` hands on the rows the aggregations would read (not Splunk's internal encoding) for the stats-family command that follows; `append` applies only in prestats mode; `use_summary_index_values=true` is rejected. Without a data model, rows are the events' fields as read (structured files are indexed extractions), without search-time knowledge. `BY _time` without `span` groups by the exact time. See docs/compat-notes/tstats.md.",
};

/// The bounds a `tstats` WHERE clause writes (`earliest=-24h`).
pub fn written_bounds(cmd: &ast::Tstats, ctx: &ExecContext) -> Result<TimeBounds> {
    crate::filter::time_bounds(cmd.where_.as_ref(), ctx)
}

/// Plans `tstats`.
pub(crate) fn plan(cmd: &ast::Tstats, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (o, stage, ctx) = (p.opts, p.stage, p.ctx);
    let prestats = o.flag("prestats")?;
    // "append: when in prestats mode, appends to the existing results
    // instead of generating them"; outside prestats mode it does nothing
    let append = prestats && o.flag("append")?;
    if !p.first && !append {
        return Err(EngineError::invalid(
            "expected `tstats` as the first command of a search (it generates its results; only `prestats=t append=t` appends to earlier results)",
            stage.name.span,
            "tstats generates results",
        ));
    }
    if o.flag("use_summary_index_values")? {
        if let Some(opt) = o.get("use_summary_index_values") {
            return Err(EngineError::unsupported_option("tstats", opt));
        }
    }
    // No summaries exist offline: these choose between summaries and raw
    // data in Splunk, and change nothing here (docs/compat-notes/tstats.md).
    o.flag("summariesonly")?;
    o.flag("allow_old_summaries")?;
    o.flag("include_reduced_buckets")?;
    o.flag("local")?;
    o.count("chunk_size")?;
    let fillnull = o.text("fillnull_value").map(|v| v.node.clone());
    let span = match o.get("span") {
        Some(sp) => Some(TimeSpan::parse(&sp.value.node, sp.value.span)?),
        None => None,
    };
    let mut aggs = Vec::with_capacity(cmd.aggs.len());
    for a in &cmd.aggs {
        aggs.push(bind_agg(a, "tstats", ctx)?);
    }
    check_by(&cmd.by)?;
    let (filter, _) = SearchFilter::bind(cmd.where_.as_ref(), SearchMode::Events, ctx)?;
    let range = TimeRange::for_search(written_bounds(cmd, ctx)?.own_range(ctx.now), ctx.picker);
    // `FROM datamodel=M.D`; `FROM index=x` is the same as `WHERE index=x`
    let mut index_filter = None;
    let rows = match &cmd.from {
        Some(f) if f.node.to_ascii_lowercase().starts_with("index=") => {
            let q = spl_parser::parse(&format!("search {}", f.node)).map_err(|e| {
                EngineError::invalid(format!("in `FROM {}`: {e}", f.node), f.span, "bad index")
            })?;
            if let Some(ast::Command::Search(s)) = q.pipeline.stages.first().map(|c| &c.command) {
                index_filter =
                    Some(SearchFilter::bind(s.expr.as_ref(), SearchMode::Events, ctx)?.0);
            }
            None
        }
        Some(f) => {
            let nodename = filter.fields().iter().any(|x| x == "nodename");
            Some(DataModelRows::bind(&f.node, f.span, nodename, ctx)?)
        }
        None => None,
    };
    let prestats_fields = prestats.then(|| {
        let mut keep: Vec<Keep> = cmd.by.iter().map(|b| Keep::Name(b.node.clone())).collect();
        keep.push(Keep::Name("_time".into()));
        for a in &aggs {
            match &a.arg {
                BoundArg::Rows => {}
                BoundArg::Field(f) => keep.push(Keep::Name(f.clone())),
                BoundArg::Wildcard(g) => keep.push(Keep::Glob(g.clone())),
                // an eval(...) argument may read any field
                BoundArg::Eval(_) => keep.push(Keep::Glob(Glob::new("*"))),
            }
        }
        keep
    });
    // the fields the rows must carry: BY, aggregated and WHERE fields
    // (`None`: all, for wildcard and eval(...) arguments)
    let mut wanted: Option<Vec<String>> = Some(cmd.by.iter().map(|b| b.node.clone()).collect());
    for a in &aggs {
        match (&a.arg, wanted.as_mut()) {
            (BoundArg::Field(f), Some(w)) => w.push(f.clone()),
            (BoundArg::Wildcard(_) | BoundArg::Eval(_), _) => wanted = None,
            _ => {}
        }
    }
    if let Some(w) = wanted.as_mut() {
        w.extend(filter.fields());
        if let Some(f) = &index_filter {
            w.extend(f.fields());
        }
    }
    Ok(Box::new(TstatsOp {
        wanted,
        prestats: prestats_fields,
        rows,
        filter,
        index_filter,
        range,
        span,
        fillnull,
        spec: StatsSpec {
            aggs,
            by: cmd.by.iter().map(|b| b.node.clone()).collect(),
            dedup_splitvals: false,
        },
    }))
}

/// A field prestats rows keep.
#[derive(Debug, Clone)]
enum Keep {
    Name(String),
    Glob(Glob),
}

/// The `tstats` operator: reads, filters and aggregates when run.
struct TstatsOp {
    /// The fields the rows must carry (`None`: all).
    wanted: Option<Vec<String>>,
    /// `prestats=t`: the fields of the rows handed on unaggregated.
    prestats: Option<Vec<Keep>>,
    /// The data model's rows; `None`: the event datasets.
    rows: Option<DataModelRows>,
    filter: SearchFilter,
    /// `FROM index=<pattern>`.
    index_filter: Option<SearchFilter>,
    range: TimeRange,
    span: Option<TimeSpan>,
    fillnull: Option<String>,
    spec: StatsSpec,
}

impl TstatsOp {
    /// One batch of rows: filtered by WHERE, `_time` bucketed, null BY
    /// values filled; then aggregated.
    fn prepare(
        &self,
        bucketer: &mut Option<Bucketer>,
        b: RecordBatch,
        ctx: &ExecContext,
    ) -> Result<Option<RecordBatch>> {
        let mut b = b;
        if let Some(w) = &self.wanted {
            // only the fields read from here on: a data model's rows carry
            // each field under two names, and the filter copies every column
            let schema = b.schema();
            let keep: Vec<usize> = (0..schema.fields().len())
                .filter(|&i| {
                    let n = schema.field(i).name();
                    n == "_time" || w.iter().any(|x| x == n)
                })
                .collect();
            if keep.len() < schema.fields().len() {
                b = b.project(&keep)?;
            }
        }
        let m = self.filter.evaluate(&b, ctx)?;
        b = arrow_select::filter::filter_record_batch(&b, &m)?;
        if let Some(f) = &self.index_filter {
            let m = f.evaluate(&b, ctx)?;
            b = arrow_select::filter::filter_record_batch(&b, &m)?;
        }
        if b.num_rows() == 0 {
            return Ok(None);
        }
        if let Some(bk) = bucketer.as_mut() {
            if let Some(t) = batch::column(&b, "_time") {
                let t = arrow_cast::cast(t, &DataType::Float64)?;
                let t = t
                    .as_any()
                    .downcast_ref::<Float64Array>()
                    .ok_or_else(|| EngineError::Internal("_time cast".into()))?;
                let out: Float64Array = t.iter().map(|v| v.and_then(|v| bk.bucket(v))).collect();
                b = batch::set_column(
                    &b,
                    Field::new("_time", DataType::Float64, true),
                    Arc::new(out),
                )?;
            }
        }
        if let Some(fill) = &self.fillnull {
            for f in &self.spec.by {
                b = fill_nulls(&b, f, fill)?;
            }
        }
        if let Some(keep) = &self.prestats {
            // prestats rows are the rows an aggregation would read: without
            // fillnull_value, a row missing a BY field is in no group
            if self.fillnull.is_none() {
                for f in &self.spec.by {
                    match batch::column(&b, f) {
                        None => return Ok(None),
                        Some(c) => {
                            let present = arrow_arith::boolean::is_not_null(c.as_ref())?;
                            b = arrow_select::filter::filter_record_batch(&b, &present)?;
                        }
                    }
                }
            }
            let schema = b.schema();
            let drop: Vec<&str> = schema
                .fields()
                .iter()
                .map(|f| f.name().as_str())
                .filter(|n| {
                    !keep.iter().any(|k| match k {
                        Keep::Name(x) => x == n,
                        Keep::Glob(g) => g.covers(n),
                    })
                })
                .collect();
            b = batch::drop_columns(&b, &drop)?;
        }
        Ok((b.num_rows() > 0).then_some(b))
    }

    /// The rows, prepared, to `out` (false: stop).
    fn each(
        &self,
        ctx: &ExecContext,
        out: &mut dyn FnMut(RecordBatch) -> Result<bool>,
    ) -> Result<()> {
        let mut bucketer = self
            .span
            .filter(|_| self.spec.by.iter().any(|b| b == "_time"))
            .map(|s| Bucketer::new(s, ctx.tz.clone()));
        let mut go = |b: RecordBatch| -> Result<bool> {
            match self.prepare(&mut bucketer, b, ctx)? {
                Some(b) => out(b),
                None => Ok(true),
            }
        };
        match &self.rows {
            // the aggregation reads dictionaries; prestats rows go on to
            // any command, as plain strings
            Some(rows) => rows.generate_fields(
                self.range,
                self.wanted.as_deref(),
                self.prestats.is_none(),
                Some(&self.filter),
                ctx,
                &mut go,
            ),
            None => self.events(ctx, &mut go),
        }
    }

    /// With several threads (`ctx.threads`), a data model's rows, and
    /// aggregations that merge exactly ([`Aggregator::merges_exactly`]):
    /// workers take the scans' partitions (Parquet row groups) in order,
    /// one at a time, each aggregating into its own table, and the tables
    /// are merged at the end. `None`: aggregate on one thread.
    ///
    /// The result does not depend on the number of threads: groups are
    /// the same whatever rows each worker saw, their states merge exactly,
    /// picks by processing order (`first`, `list`) compare a key that
    /// orders units as one pass reads them, and the output is sorted by
    /// the BY values.
    fn aggregate_parallel(&self, ctx: &ExecContext) -> Result<Option<Aggregator>> {
        let Some(rows) = &self.rows else {
            return Ok(None);
        };
        if ctx.threads < 2 || !Aggregator::new(self.spec.clone()).merges_exactly() {
            return Ok(None);
        }
        let scans = rows.scans(
            self.range,
            self.wanted.as_deref(),
            true,
            Some(&self.filter),
            ctx,
        )?;
        let units: Vec<(usize, usize)> = scans
            .iter()
            .enumerate()
            .flat_map(|(i, s)| (0..s.partitions()).map(move |p| (i, p)))
            .collect();
        let threads = ctx.threads.min(units.len());
        if threads < 2 {
            return Ok(None);
        }
        let next = AtomicUsize::new(0);
        let work = || -> Result<Aggregator> {
            let mut agg = Aggregator::new(self.spec.clone());
            let mut bucketer = self
                .span
                .filter(|_| self.spec.by.iter().any(|b| b == "_time"))
                .map(|s| Bucketer::new(s, ctx.tz.clone()));
            loop {
                let u = next.fetch_add(1, Ordering::Relaxed);
                let Some(&(scan, part)) = units.get(u) else {
                    return Ok(agg);
                };
                agg.table.set_unit(u as u32);
                agg.set_seq((u as u64) << 40);
                let fed = rows.run_scan(&scans[scan], Some(part), ctx, &mut |b| {
                    if let Some(b) = self.prepare(&mut bucketer, b, ctx)? {
                        agg.push(&b, ctx)?;
                    }
                    Ok(true)
                });
                if let Err(e) = fed {
                    // the other workers stop at their next unit
                    next.store(units.len(), Ordering::Relaxed);
                    return Err(e);
                }
            }
        };
        let results: Vec<Result<Aggregator>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads).map(|_| s.spawn(work)).collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(EngineError::Internal("tstats worker panicked".into()))
                    })
                })
                .collect()
        });
        let mut merged: Option<Aggregator> = None;
        for r in results {
            let a = r?;
            match merged.as_mut() {
                None => merged = Some(a),
                Some(m) => m.merge(a)?,
            }
        }
        Ok(merged)
    }

    /// The events of every event dataset, with their default fields (no
    /// search-time knowledge: tstats reads indexed fields).
    fn events(
        &self,
        ctx: &ExecContext,
        out: &mut dyn FnMut(RecordBatch) -> Result<bool>,
    ) -> Result<()> {
        let columns = self.wanted.clone().map(|mut w| {
            w.extend(["_time", "index", "source", "sourcetype", "host"].map(String::from));
            w
        });
        let req = ctx.scan_request(columns, self.range);
        for ds in ctx
            .catalog
            .datasets
            .iter()
            .filter(|d| d.kind == DataKind::Events)
        {
            for b in ds.scan.scan(&req)? {
                let b = b?;
                ctx.scan.count_batch(b.num_rows());
                let b = with_default_fields(&b, &ds.meta)?;
                let b = in_window(&b, self.range)?;
                if b.num_rows() > 0 && !out(b)? {
                    return Ok(());
                }
            }
        }
        Ok(())
    }
}

impl Operator for TstatsOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        // `prestats=t append=t`: earlier results pass, ours follow them
        Ok(vec![batch])
    }

    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        if self.prestats.is_some() {
            let mut all = Vec::new();
            self.each(ctx, &mut |b| {
                all.push(b);
                Ok(true)
            })?;
            return Ok(all);
        }
        let mut agg = match self.aggregate_parallel(ctx)? {
            Some(agg) => agg,
            None => {
                let mut agg = Aggregator::new(self.spec.clone());
                self.each(ctx, &mut |b| {
                    agg.push(&b, ctx)?;
                    Ok(true)
                })?;
                agg
            }
        };
        let order = agg.table.sorted_groups();
        let mut cols = agg.table.key_columns(&order);
        let idx = UInt32Array::from(order.clone());
        for (name, arr) in agg.finish_columns() {
            let arr = arrow_select::take::take(arr.as_ref(), &idx, None)?;
            cols.retain(|(n, _)| n != &name);
            cols.push((name, arr));
        }
        let rows = order.len();
        Ok(vec![make_batch(cols, rows)?])
    }

    fn generate(
        &mut self,
        ctx: &ExecContext,
        out: &mut dyn FnMut(RecordBatch) -> Result<bool>,
    ) -> Result<()> {
        if self.prestats.is_some() {
            // prestats rows stream to the command that aggregates them
            return self.each(ctx, out);
        }
        for b in self.finish(ctx)? {
            if !out(b)? {
                break;
            }
        }
        Ok(())
    }
}

/// `field`'s nulls (or the whole field when absent) set to `value`.
fn fill_nulls(b: &RecordBatch, field: &str, value: &str) -> Result<RecordBatch> {
    let rows = b.num_rows();
    let filled: ArrayRef = match batch::column(b, field) {
        None => Arc::new(StringArray::from(vec![value; rows])),
        Some(c) if c.null_count() == 0 => return Ok(b.clone()),
        Some(c) if batch::is_multivalue(c.data_type()) => {
            // a null list is the absent field: one value `value`
            let mut lb =
                arrow_array::builder::ListBuilder::new(arrow_array::builder::StringBuilder::new());
            for row in 0..rows {
                match batch::values_at(c, row)? {
                    Some(vs) if !vs.is_empty() => {
                        for v in vs {
                            lb.values().append_value(v);
                        }
                    }
                    _ => lb.values().append_value(value),
                }
                lb.append(true);
            }
            Arc::new(lb.finish())
        }
        Some(c) if c.data_type().is_numeric() => {
            let x = arrow_cast::cast(c, &DataType::Float64)?;
            let x = x
                .as_any()
                .downcast_ref::<Float64Array>()
                .ok_or_else(|| EngineError::Internal("fillnull cast".into()))?;
            // a number filling numbers keeps the column numeric, so that a
            // value is the same group, of the same type, whichever batch it
            // comes in (with nulls or not)
            let fill_num = crate::value::parse_number(value)
                .filter(|&v| crate::aggregate::value::fmt_num(v) == value);
            if let Some(v) = fill_num {
                let filled: Float64Array = x.iter().map(|x| Some(x.unwrap_or(v))).collect();
                let filled: ArrayRef = Arc::new(filled);
                return batch::set_column(b, Field::new(field, DataType::Float64, true), filled);
            }
            // else text: numbers where present print as the group table
            // shows them (`1`, not Arrow's `1.0`), so a value is the same
            // group in a batch with nulls (text) and in one without
            let mut b = arrow_array::builder::StringBuilder::with_capacity(rows, rows * 4);
            for v in x.iter() {
                match v {
                    Some(v) => b.append_value(crate::aggregate::value::fmt_num(v)),
                    None => b.append_value(value),
                }
            }
            Arc::new(b.finish())
        }
        Some(c) => {
            let s = arrow_cast::cast(c, &DataType::Utf8)?;
            let s = s
                .as_any()
                .downcast_ref::<StringArray>()
                .ok_or_else(|| EngineError::Internal("fillnull cast".into()))?;
            if c.data_type() == &DataType::Utf8 {
                Arc::new(
                    s.iter()
                        .map(|v| Some(v.unwrap_or(value)))
                        .collect::<StringArray>(),
                )
            } else {
                // numbers keep their type where present; a filled row is text
                Arc::new(
                    s.iter()
                        .map(|v| Some(v.unwrap_or(value).to_string()))
                        .collect::<StringArray>(),
                )
            }
        }
    };
    batch::set_column(
        b,
        Field::new(field, filled.data_type().clone(), true),
        filled,
    )
}
