//! `chart <agg>... [OVER <row-field>] [BY <column-field>]` (or `BY <row>
//! <column>`): aggregations in a table with one row per row-field value and
//! one column per column-field value ("series"), and the pivot it shares
//! with `timechart` (Splunk's "chart" reference page; semantics 10.12).
//!
//! The aggregation is `stats <aggs> BY <row> <column>` through the shared
//! [`Aggregator`]. Only the `limit` (default 10, 0 = all) series with the
//! largest sum of the first aggregation are kept; the rest are merged into
//! `OTHER` (`useother`, re-aggregated, so `avg` stays an average) or dropped.
//! Results without the column field form the `NULL` series (`usenull`).
//! With one aggregation a series column is named by its value; with several,
//! `<agg>: <value>`. Missing cells are null, except `count`/`dc`, which are 0.

use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::pivot::Pivot;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::RecordBatch;
use spl_parser::ast::Chart;

/// The `chart` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Transforming,
    description: "Aggregates into a table: one row per OVER value, one column per BY value (the top `limit` series; the rest in OTHER).",
    examples: &[Example {
        title: "count by two fields",
        spl: "| makeresults count=4 | streamstats count as n | eval host=if(n<3, \"a\", \"b\"), status=if(n%2=0, \"ok\", \"fail\") | chart count over host by status",
    }],
    compat: "`span`/`bins` on the OVER field, `agg=` series ranking and `format`/`sep` are not supported. Series columns are in value order with NULL and OTHER last. `sparkline(...)` works as in `stats`, without a column split.",
};

/// Plans `chart`.
pub(crate) fn plan(c: &Chart, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (o, stage, ctx) = (p.opts, p.stage, p.ctx);
    let (row, split) = match (&c.over, c.by.as_slice()) {
        (Some(o), []) => (Some(o), None),
        (Some(o), [b]) => (Some(o), Some(b)),
        (None, []) => (None, None),
        (None, [r]) => (Some(r), None),
        (None, [r, b]) => (Some(r), Some(b)),
        (_, more) => {
            let extra = more.last().map_or(stage.span, |f| f.span);
            return Err(EngineError::invalid(
                "expected at most a row field and a column field, found more",
                extra,
                "too many split fields",
            ));
        }
    };
    let pivot = Pivot::bind(o, &c.aggs, row, split, stage, ctx)?;
    Ok(Box::new(ChartOp {
        pivot,
        buffered: Vec::new(),
        mem: crate::limits::MemBudget::new("chart", p.stage.span),
    }))
}

struct ChartOp {
    pivot: Pivot,
    buffered: Vec<RecordBatch>,
    /// What `buffered` holds, against `blocking_max_mem_mb`.
    mem: crate::limits::MemBudget,
}

impl Operator for ChartOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        self.mem.hold(&batch, &ctx.limits)?;
        self.buffered.push(batch);
        Ok(Vec::new())
    }

    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let batches = std::mem::take(&mut self.buffered);
        Ok(self.pivot.run(&batches, &[], ctx)?.into_iter().collect())
    }
}
