//! `mstats`: aggregate metric data points from the catalog (6.1-6.7).
//!
//! A generating command: on `finish` it scans every metric dataset with a
//! projection of the needed columns, keeps the points inside the time range
//! and WHERE, and aggregates `_value` into cells keyed by (time bucket,
//! dimension ids, metric id) ([`cells`]). Memory grows with the number of
//! cells, never with the number of points; metric names and dimension values
//! are interned (dictionary columns once per batch), so the per-point work is
//! integer hashing and a numeric update (no `span`: an array lookup by a dense
//! code). The scan is split into units (Parquet row groups, batches in
//! memory); workers (`ctx.threads`) aggregate units into their own partials,
//! merged in unit order so results do not depend on the thread count.

use crate::aggregate::names::{check_wildcard_alias, Glob};
use crate::aggregate::timespan::{Bucketer, TimeSpan};
use crate::aggregate::{AggContext, AggFunc};
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::filter::TimeBounds;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::source::{DataKind, Dataset, ScanRequest, SourceMeta};
use crate::time::TimeRange;
use arrow_array::{Array, RecordBatch};
use spl_parser::ast::{self, AggArg};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

mod cells;
mod filter;
mod index;
mod kinds;
mod output;
use crate::spec::{CommandKind, CommandSpec, Example};
use cells::{Partial, Shape};
use filter::WherePlan;

/// Help, reference page and runnable examples of `mstats`.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Generating,
    description: "Aggregates metric data points of the registered metric datasets, one column per matching metric, per time bucket and dimension values.",
    examples: &[
        Example {
            title: "average per host and minute",
            spl: "| mstats avg(cpu.*) as cpu.* where index=metrics by host span=1m",
        },
    ],
    compat: "`prestats`, `append`, `chart`, `chart.*` and `every` are rejected (`spl::run::unsupported_option`); `backfill`, `update_period` and `chunk_size` have no effect offline; `earliest=`/`latest=` are also accepted outside WHERE; the same aggregation listed under two names produces both columns.",
};

/// One written aggregation: which accumulator and how its columns are named.
pub(super) struct OutputSpec {
    acc: usize,
    func_text: String,
    /// `None` for a bare `count` (output name `count`).
    arg_text: Option<String>,
    alias: Option<String>,
    alias_glob: Option<Glob>,
}

impl OutputSpec {
    /// Column name for `metric` (for a wildcard pattern the matched text
    /// replaces the `*` of the AS name; 6.3); `None` if it does not match.
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

/// The time bounds an `mstats` writes: in its WHERE clause, or as
/// `earliest=`/`latest=` arguments outside it (Splunk's grammar accepts both;
/// an argument wins over the same bound in WHERE).
pub fn written_bounds(cmd: &ast::Mstats, ctx: &ExecContext) -> Result<TimeBounds> {
    let mut b = crate::filter::time_bounds(cmd.where_.as_ref(), ctx)?;
    for o in &cmd.options {
        let key = o.key.node.to_ascii_lowercase();
        if key != "earliest" && key != "latest" {
            continue;
        }
        let t = crate::time::resolve_time_modifier(&o.value.node, ctx.now, &ctx.tz).map_err(
            |e| match e {
                EngineError::InvalidTime { text, .. } => EngineError::InvalidTime {
                    text,
                    span: Some(o.value.span),
                },
                other => other,
            },
        )?;
        if key == "earliest" {
            b.earliest = Some(t);
        } else {
            b.latest = Some(t);
        }
    }
    Ok(b)
}

/// Plans `mstats`.
pub(crate) fn plan(cmd: &ast::Mstats, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (o, stage, ctx) = (p.opts, p.stage, p.ctx);
    // Output shapes other than plain results are not implemented; their
    // default (off) is accepted.
    for key in ["prestats", "append", "chart"] {
        if o.flag(key)? {
            if let Some(opt) = o.get(key) {
                return Err(EngineError::unsupported_option("mstats", opt));
            }
        }
    }
    // Real-time and storage tuning cannot change results offline.
    o.flag("backfill")?;
    o.count("update_period")?;
    o.count("chunk_size")?;
    if cmd.aggs.is_empty() {
        return Err(EngineError::invalid(
            "expected at least one aggregation in `mstats`, found none",
            stage.span,
            "no aggregation",
        ));
    }
    let span = match o.get("span") {
        Some(sp) => Some(TimeSpan::parse(&sp.value.node, sp.value.span)?),
        None => None,
    };
    let fillnull = o.text("fillnull_value").map(|v| v.node.clone());
    let mut specs: Vec<(AggFunc, Option<Glob>)> = Vec::new();
    let mut outputs = Vec::new();
    let mut value_style = None;
    for agg in &cmd.aggs {
        let func = AggFunc::resolve(&agg.func.node, agg.func.span, AggContext::Mstats)?;
        let arg = match &agg.arg {
            Some(AggArg::Field(f)) => f.clone(),
            None if func.takes_rows() => spl_parser::Spanned::new("_value".to_string(), agg.span),
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
            Some(AggArg::Sparkline(_)) => {
                return Err(crate::aggregate::sparkline_elsewhere(
                    &agg.func.node,
                    agg.func.span,
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
        // the same (function, argument) is computed once, whatever its names
        let acc = match specs.iter().position(|(f, p)| *f == func && *p == pattern) {
            Some(i) => i,
            None => {
                specs.push((func, pattern));
                specs.len() - 1
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
    // read here so they count as implemented; `written_bounds` applies them
    o.get("earliest");
    o.get("latest");
    // WHERE's own bounds replace the picker's, by the base search's rule (6.5).
    let range = TimeRange::for_search(written_bounds(cmd, ctx)?.own_range(ctx.now), ctx.picker);
    Ok(Box::new(MstatsOp {
        shape: Shape {
            dims: cmd.by.iter().map(|b| b.node.clone()).collect(),
            value_style: value_style.unwrap_or(false),
            specs,
            fillnull,
        },
        span,
        where_plan,
        range,
        outputs,
        done: false,
    }))
}

/// The `mstats` operator.
struct MstatsOp {
    shape: Shape,
    span: Option<TimeSpan>,
    where_plan: WherePlan,
    range: TimeRange,
    outputs: Vec<OutputSpec>,
    done: bool,
}

/// Folds the partials of scan units into one, in unit order whatever
/// order the workers finish them in, so the result (down to the last bit of
/// a floating-point sum) does not depend on the number of threads.
struct Merger {
    merged: Option<Partial>,
    next: usize,
    pending: std::collections::BTreeMap<usize, Partial>,
}

impl Merger {
    fn add(&mut self, shape: &Shape, unit: usize, partial: Partial) -> Result<()> {
        self.pending.insert(unit, partial);
        while let Some(p) = self.pending.remove(&self.next) {
            match &mut self.merged {
                None => self.merged = Some(p),
                Some(m) => m.merge(shape, p)?,
            }
            self.next += 1;
        }
        Ok(())
    }
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
        let mut columns = vec![
            "_time".to_string(),
            "metric_name".to_string(),
            "_value".to_string(),
        ];
        columns.extend(self.shape.dims.iter().cloned());
        for f in self.where_plan.fields() {
            if !columns.contains(f) {
                columns.push(f.clone());
            }
        }
        // `_time` matters only for the window unless buckets, a time-aware
        // aggregation or WHERE read it
        let time_only_for_window = self.span.is_none()
            && !self.shape.specs.iter().any(|(f, _)| f.needs_time())
            && !self.where_plan.fields().iter().any(|f| f == "_time");
        let req = ScanRequest {
            columns: Some(columns),
            earliest: self.range.earliest,
            latest: self.range.latest,
            time_only_for_window,
            counters: Some(ctx.scan.clone()),
            warnings: Some(ctx.warnings.clone()),
            // metrics scans read dictionaries already (`open_metrics`)
            dictionary_strings: false,
        };
        let catalog = ctx.catalog.clone();
        let mut datasets: Vec<&Dataset> = Vec::new();
        for d in catalog
            .datasets
            .iter()
            .filter(|d| d.kind == DataKind::Metrics)
        {
            if self.where_plan.dataset_may_match(&d.meta, ctx)? {
                datasets.push(d);
            }
        }
        kinds::warn_event_only_indexes(&self.where_plan, &catalog, ctx)?;
        // the units of work: every partition of every dataset, in order
        let units: Vec<(&Dataset, usize)> = datasets
            .iter()
            .flat_map(|d| (0..d.scan.partitions(&req)).map(move |p| (*d, p)))
            .collect();
        let next = AtomicUsize::new(0);
        let merger = Mutex::new(Merger {
            merged: None,
            next: 0,
            pending: Default::default(),
        });
        let work = || -> Result<()> {
            loop {
                let u = next.fetch_add(1, Ordering::Relaxed);
                let Some(&(ds, part)) = units.get(u) else {
                    return Ok(());
                };
                let result = self.unit(ds, part, u, &req, ctx);
                let mut m = merger
                    .lock()
                    .map_err(|_| EngineError::Internal("mstats merger poisoned".into()))?;
                if let Err(e) = result.and_then(|p| m.add(&self.shape, u, p)) {
                    // stop the other workers early
                    next.store(units.len(), Ordering::Relaxed);
                    return Err(e);
                }
            }
        };
        let threads = ctx.threads.max(1).min(units.len().max(1));
        if threads == 1 {
            work()?;
        } else {
            let results: Vec<Result<()>> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..threads).map(|_| s.spawn(work)).collect();
                handles
                    .into_iter()
                    .map(|h| {
                        h.join().unwrap_or_else(|_| {
                            Err(EngineError::Internal("mstats worker panicked".into()))
                        })
                    })
                    .collect()
            });
            results.into_iter().collect::<Result<Vec<()>>>()?;
        }
        let partial = merger
            .into_inner()
            .map_err(|_| EngineError::Internal("mstats merger poisoned".into()))?
            .merged
            .unwrap_or_else(|| Partial::new(&self.shape));
        let batch = output::assemble(&self.shape, &self.outputs, self.span.is_some(), partial)?;
        // no BY, no span and no data: no columns at all, so no result
        if batch.num_columns() == 0 {
            return Ok(Vec::new());
        }
        Ok(vec![batch])
    }
}

impl MstatsOp {
    /// Aggregates one scan unit (partition `part` of `ds`, unit number `unit`).
    fn unit(
        &self,
        ds: &Dataset,
        part: usize,
        unit: usize,
        req: &ScanRequest,
        ctx: &ExecContext,
    ) -> Result<Partial> {
        let mut partial = Partial::new(&self.shape);
        // arrival order across units, for first()/last(): unit, then row
        partial.set_seq((unit as u64) << 40);
        let mut bucketer = self.span.map(|s| Bucketer::new(s, ctx.tz.clone()));
        let counted = ctx.scan.for_source(&ds.meta.source);
        for batch in ds.scan.scan_partition(req, part)? {
            let batch = batch?;
            counted.count_batch(batch.num_rows());
            let time = crate::ops::groupby::time_column(&batch)?;
            if time.is_none() && !req.time_only_for_window {
                continue; // no time, no point
            }
            let selected = self.select_rows(&batch, time.as_ref(), &ds.meta, ctx)?;
            if !selected.is_empty() {
                partial.add_batch(
                    &self.shape,
                    &batch,
                    selected,
                    time.as_ref(),
                    bucketer.as_mut(),
                )?;
            }
        }
        Ok(partial)
    }

    /// Rows inside `[earliest, latest)` that satisfy WHERE. Without `time`
    /// (the scan left it out: every row is inside the window) only WHERE
    /// decides.
    fn select_rows(
        &self,
        batch: &RecordBatch,
        time: Option<&arrow_array::Float64Array>,
        meta: &SourceMeta,
        ctx: &ExecContext,
    ) -> Result<Vec<u32>> {
        let n = time.map_or(batch.num_rows(), |t| batch.num_rows().min(t.len()));
        let mask = self.where_plan.evaluate(batch, meta, ctx)?;
        // one pass over plain slices: the WHERE mask (nulls are false), the
        // time nulls and the window
        let keep = match &mask {
            Some(m) => {
                let values = m.values();
                match m.nulls() {
                    Some(nulls) => values & nulls.inner(),
                    None => values.clone(),
                }
            }
            None => arrow_buffer::BooleanBuffer::new_set(n),
        };
        let Some(time) = time else {
            return Ok(keep
                .set_indices()
                .take_while(|&i| i < n)
                .map(|i| i as u32)
                .collect());
        };
        let keep = match time.nulls() {
            Some(nulls) => &keep & nulls.inner(),
            None => keep,
        };
        let (lo, hi) = (self.range.lo(), self.range.hi());
        let times = time.values();
        let mut rows = Vec::with_capacity(n);
        for i in keep.set_indices().take_while(|&i| i < n) {
            if let Some(&t) = times.get(i) {
                if t >= lo && t < hi {
                    rows.push(i as u32);
                }
            }
        }
        Ok(rows)
    }
}
