//! `timechart [span=<span>|bins=<int>] [limit=] [useother=] [usenull=]
//! [cont=] <agg>... [BY <field>]`: aggregations per time bucket, one column
//! per series (semantics 10.12; Splunk's "timechart" reference page).
//!
//! `_time` is bucketed like `bin` (epoch alignment below a day, local
//! midnight for days and longer); without `span`, the span is the first of
//! 1s/5s/10s/30s/1m/5m/10m/30m/1h/1d/1mon giving at most `bins` (100)
//! buckets over the time picker's range (or the data's). The series pivot is
//! `chart`'s ([`Pivot`]). With `cont=true` (default) empty buckets between
//! the first and last (or across the picker's range) appear, with 0 for
//! `count`/`dc` and null otherwise.

use crate::aggregate::bins::{auto_span, parse_span, BinSpan};
use crate::aggregate::timespan::{Bucketer, TimeSpan};
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::groupby::time_column;
use crate::ops::pivot::Pivot;
use crate::spec::{CommandKind, CommandSpec, Example};
use crate::value::with_column;
use arrow_array::{Float64Array, RecordBatch};
use spl_parser::ast::Timechart;
use spl_parser::{Span, Spanned};
use std::sync::Arc;

/// The `timechart` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Transforming,
    description: "Aggregates per time bucket: one row per bucket, one column per aggregation or per BY value (top `limit` series, the rest in OTHER).",
    examples: &[
        Example {
            title: "events per minute",
            spl: "| makeresults count=3 | streamstats count as n | eval _time=_time + n*40 | timechart span=1m count",
        },
        Example {
            title: "split by a field",
            spl: "| makeresults count=4 | streamstats count as n | eval _time=_time + n*30, host=if(n%2=0, \"a\", \"b\") | timechart span=1m count by host",
        },
    ],
    compat: "`partial=false` and `fixedrange=false` are rejected; `agg=`, `sep=`, `format=`, `where` series filters and `minspan` with `span` are not supported. Series columns are in value order with NULL and OTHER last.",
};

/// Plans `timechart`.
pub(crate) fn plan(t: &Timechart, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (o, stage, ctx) = (p.opts, p.stage, p.ctx);
    // Partial edge buckets are kept and the range is the search's (both
    // Splunk's defaults); turning either off is not implemented.
    for name in ["partial", "fixedrange"] {
        if !o.flag(name)? {
            if let Some(opt) = o.get(name) {
                return Err(EngineError::unsupported_option("timechart", opt));
            }
        }
    }
    if t.by.len() > 1 {
        let extra = t.by.get(1).map_or(stage.span, |f| f.span);
        return Err(EngineError::invalid(
            format!("expected at most one BY field, found {}", t.by.len()),
            extra,
            "timechart splits by one field",
        ));
    }
    let span = match o.get("span") {
        Some(o) => match parse_span(&o.value.node, o.value.span, true)? {
            BinSpan::Time(ts) => Some(ts),
            BinSpan::Num(..) => None,
        },
        None => None,
    };
    let bins = match o.count("bins")? {
        Some((0, s)) => {
            return Err(EngineError::invalid(
                "expected bins to be at least 1, found 0",
                s,
                "no bins",
            ))
        }
        Some((n, _)) => n as usize,
        None => 100,
    };
    let minspan = match o.get("minspan") {
        Some(o) => Some(parse_span(&o.value.node, o.value.span, true)?),
        None => None,
    };
    let time_field = Spanned::new("_time".to_string(), stage.name.span);
    let pivot = Pivot::bind(o, &t.aggs, Some(&time_field), t.by.first(), stage, ctx)?;
    Ok(Box::new(TimechartOp {
        pivot,
        span,
        bins,
        minspan,
        cont: o.flag("cont")?,
        buffered: Vec::new(),
        mem: crate::limits::MemBudget::new("timechart", p.stage.span),
    }))
}

struct TimechartOp {
    pivot: Pivot,
    span: Option<TimeSpan>,
    bins: usize,
    minspan: Option<BinSpan>,
    cont: bool,
    buffered: Vec<RecordBatch>,
    /// What `buffered` holds, against `blocking_max_mem_mb`.
    mem: crate::limits::MemBudget,
}

/// At most this many empty buckets are added by `cont=true`.
const MAX_FILL: usize = 100_000;

impl Operator for TimechartOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        self.mem.hold(&batch, &ctx.limits)?;
        self.buffered.push(batch);
        Ok(Vec::new())
    }

    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let batches = std::mem::take(&mut self.buffered);
        let mut times = Vec::new();
        for b in &batches {
            if let Some(t) = time_column(b)? {
                times.extend(t.iter().flatten());
            }
        }
        let span = match self.span {
            Some(s) => s,
            None => {
                let mut range = times.clone();
                if let (Some(e), Some(l)) = (ctx.search.earliest, ctx.search.latest) {
                    range = vec![e, l];
                }
                match auto_span(&range, self.bins, self.minspan, None, None, true)? {
                    BinSpan::Time(ts) => ts,
                    BinSpan::Num(..) => TimeSpan::parse("1s", Span::new(0, 0))?,
                }
            }
        };
        let mut bucketer = Bucketer::new(span, ctx.tz.clone());
        let mut bucketed = Vec::with_capacity(batches.len());
        for b in &batches {
            let Some(t) = time_column(b)? else {
                bucketed.push(b.clone());
                continue;
            };
            let col: Float64Array = t
                .iter()
                .map(|v| v.and_then(|x| bucketer.bucket(x)))
                .collect();
            bucketed.push(with_column(b, "_time", Arc::new(col), None)?);
        }
        let mut fill = Vec::new();
        if self.cont {
            let (lo, hi) = match (ctx.search.earliest, ctx.search.latest) {
                (Some(e), Some(l)) if l > e => (Some(e), Some(l - 1e-6)),
                _ => (
                    times.iter().copied().reduce(f64::min),
                    times.iter().copied().reduce(f64::max),
                ),
            };
            if let (Some(lo), Some(hi)) = (lo, hi) {
                let last = bucketer.bucket(hi);
                let mut cur = bucketer.bucket(lo);
                while let (Some(c), Some(l)) = (cur, last) {
                    if c > l || fill.len() >= MAX_FILL {
                        break;
                    }
                    fill.push(c);
                    cur = bucketer.next(c);
                }
            }
        }
        Ok(self.pivot.run(&bucketed, &fill, ctx)?.into_iter().collect())
    }
}
