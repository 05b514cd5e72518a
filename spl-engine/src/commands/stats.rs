//! `stats`: aggregate all events into one row per BY combination
//! (`spl-semantics.md` 5.1-5.4).
//!
//! Rows are grouped as they arrive ([`GroupTable`]); each aggregation keeps
//! one state per group, so memory grows with the number of groups, not rows.
//! Output: BY fields first, then aggregates in written order; rows sorted by
//! the BY values; without BY exactly one row, even for no input.

use crate::context::ExecContext;
use crate::error::Result;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::stats::make_batch;
use crate::ops::stats::Aggregator;
use crate::ops::stats::StatsSpec;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{Array, RecordBatch, UInt32Array};
use spl_parser::ast::{self};

/// Help, reference page and runnable examples of `stats`.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Transforming,
    description: "Aggregates all results into one row per combination of BY values (sorted by them); without BY, exactly one row.",
    examples: &[
        Example {
            title: "count events",
            spl: "| makeresults count=3 | stats count",
        },
        Example {
            title: "several aggregations",
            spl: "| makeresults count=4 | streamstats count as n | stats sum(n) avg(n) values(n) as ns",
        },
        Example {
            title: "a sparkline: results per minute",
            spl: "| makeresults count=3 | streamstats count as n | eval _time=_time - n*60 | stats sparkline(count, 1m) as trend count",
        },
    ],
    compat: "`allnum=true` is rejected; BY rows sort numbers numerically before strings (Splunk leaves numeric order unspecified). A sparkline spans the search's window, or the data's range when the window is unbounded; without a span it takes the first of 1s, 5s, 10s, 30s, 1m, 5m, 10m, 30m, 1h, 1d, 1mon, 1y giving at most 100 buckets; at most 100 values (the most recent); an empty bucket is `0` for count, dc, sum and sumsq and empty for the others.",
};

/// Plans `stats`.
pub(crate) fn plan(cmd: &ast::Stats, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (o, stage, ctx) = (p.opts, p.stage, p.ctx);
    let spec = StatsSpec::bind(cmd, o, stage, ctx)?;
    Ok(Box::new(StatsOp::new(spec, stage.span)))
}

/// The `stats` operator: blocking, emits one batch on finish.
pub(crate) struct StatsOp {
    agg: Aggregator,
    /// The group table's estimate counts against `blocking_max_mem_mb`.
    mem: crate::limits::MemBudget,
}

impl StatsOp {
    pub(crate) fn new(spec: StatsSpec, span: spl_parser::Span) -> Self {
        StatsOp {
            agg: Aggregator::new(spec),
            mem: crate::limits::MemBudget::new("stats", span),
        }
    }
}

impl Operator for StatsOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        self.agg.push(&batch, ctx)?;
        self.mem.check(self.agg.heap_bytes(), &ctx.limits)?;
        Ok(Vec::new())
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let order = self.agg.table.sorted_groups();
        let mut cols = self.agg.table.key_columns(&order);
        let idx = UInt32Array::from(order.clone());
        for (name, arr) in self.agg.finish_columns() {
            let arr = if is_identity(&order) {
                arr
            } else {
                arrow_select::take::take(arr.as_ref(), &idx, None)?
            };
            cols.retain(|(n, _)| n != &name);
            cols.push((name, arr));
        }
        let rows = order.len();
        debug_assert!(cols.iter().all(|(_, a)| a.len() == rows));
        Ok(vec![make_batch(cols, rows)?])
    }
}

fn is_identity(order: &[u32]) -> bool {
    order.iter().enumerate().all(|(i, &g)| g as usize == i)
}
