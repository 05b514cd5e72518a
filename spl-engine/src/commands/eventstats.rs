//! `eventstats`: the `stats` aggregates, appended to every event of their
//! group instead of replacing the events (5.5).
//!
//! Blocking: events are buffered with their group id until the aggregates
//! are known; the result columns are then gathered per row with `take`.

use crate::aggregate::grouped::NO_GROUP;
use crate::context::ExecContext;
use crate::error::Result;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::stats::{make_batch, Aggregator, StatsSpec};
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{ArrayRef, RecordBatch, UInt32Array};
use spl_parser::ast;

/// Help, reference page and runnable examples of `eventstats`.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Transforming,
    description: "Computes the stats aggregates and adds them to every result of their group; results with a null BY value get none.",
    examples: &[
        Example {
            title: "add the total to every row",
            spl: "| makeresults count=3 | streamstats count as n | eventstats sum(n) as total",
        },
    ],
    compat: "A result in several groups (multivalue BY) gets its first group's values; `allnum=true` is rejected. When the fields it adds would take more than `[default] max_mem_usage_mb` (200 MB, the limit `max_mem_usage_mb`), the search stops with an error naming the limit (`values(x)` over many distinct values copies them to every result).",
};

/// Plans `eventstats`.
pub(crate) fn plan(cmd: &ast::Stats, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (o, stage, ctx) = (p.opts, p.stage, p.ctx);
    let spec = StatsSpec::bind(cmd, o, stage, ctx)?;
    Ok(Box::new(EventstatsOp {
        agg: Aggregator::new(spec),
        buffered: Vec::new(),
        span: stage.span,
        mem: crate::limits::MemBudget::new("eventstats", stage.span),
    }))
}

struct EventstatsOp {
    agg: Aggregator,
    /// The stage, for the memory limit's error.
    span: spl_parser::Span,
    /// Each input batch with the group of each row (`None`: null BY value).
    buffered: Vec<(RecordBatch, Vec<Option<u32>>)>,
    /// The buffered input plus the group table, against `blocking_max_mem_mb`.
    mem: crate::limits::MemBudget,
}

/// Estimated bytes of each row of `arr` once copied: a list's values are
/// copied whole for every result of the group, so `values(x)` over many
/// distinct values costs rows × values.
fn row_costs(arr: &ArrayRef) -> Vec<usize> {
    use arrow_array::cast::AsArray;
    use arrow_array::Array;
    if let arrow_schema::DataType::List(_) = arr.data_type() {
        let list = arr.as_list::<i32>();
        let values = list.values();
        let per_value = values.get_array_memory_size() / values.len().max(1) + 8;
        return list
            .value_offsets()
            .windows(2)
            .map(|w| (w[1] - w[0]).max(0) as usize * per_value + 8)
            .collect();
    }
    vec![arr.get_array_memory_size() / arr.len().max(1) + 1; arr.len()]
}

impl EventstatsOp {
    /// Stops with an error naming `max_mem_usage_mb` when the columns to add
    /// would exceed it, before they are built.
    fn check_memory(&self, results: &[(String, ArrayRef)], ctx: &ExecContext) -> Result<()> {
        let budget = crate::limits::Limits::mb_bytes(ctx.limits.max_mem_usage_mb);
        let costs: Vec<Vec<usize>> = results.iter().map(|(_, a)| row_costs(a)).collect();
        let mut total = 0usize;
        for (_, groups) in &self.buffered {
            for g in groups.iter().flatten() {
                for c in &costs {
                    total = total.saturating_add(c.get(*g as usize).copied().unwrap_or(0));
                }
            }
            if total > budget {
                return Err(crate::limits::exceeded(
                    "max_mem_usage_mb",
                    ctx.limits.max_mem_usage_mb,
                    format!(
                        "eventstats would add more than {} MB of values to its results",
                        ctx.limits.max_mem_usage_mb
                    ),
                    self.span,
                ));
            }
        }
        Ok(())
    }
}

impl Operator for EventstatsOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let rg = self.agg.push(&batch, ctx)?;
        let mut group = vec![None; batch.num_rows()];
        for (i, &g) in rg.groups.iter().enumerate() {
            let row = rg
                .rows
                .as_ref()
                .map_or(Some(i), |r| r.get(i).map(|&x| x as usize));
            // a row in several groups (multivalue BY) takes its first group's values (UNK)
            if let Some(slot) = row.and_then(|r| group.get_mut(r)) {
                if slot.is_none() && g != NO_GROUP {
                    *slot = Some(g);
                }
            }
        }
        self.mem.hold(&batch, &ctx.limits)?;
        self.mem.hold_bytes(group.len() * 8, &ctx.limits)?;
        self.mem.check(self.agg.heap_bytes(), &ctx.limits)?;
        self.buffered.push((batch, group));
        Ok(Vec::new())
    }

    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let results = self.agg.finish_columns();
        self.check_memory(&results, ctx)?;
        let mut out = Vec::with_capacity(self.buffered.len());
        for (batch, groups) in self.buffered.drain(..) {
            let idx = UInt32Array::from(groups);
            let mut cols: Vec<(String, ArrayRef)> = batch
                .schema()
                .fields()
                .iter()
                .zip(batch.columns())
                .map(|(f, c)| (f.name().clone(), c.clone()))
                .collect();
            for (name, arr) in &results {
                let taken = arrow_select::take::take(arr.as_ref(), &idx, None)?;
                // an existing field of the same name is overwritten in place
                match cols.iter_mut().find(|(n, _)| n == name) {
                    Some(slot) => slot.1 = taken,
                    None => cols.push((name.clone(), taken)),
                }
            }
            out.push(make_batch(cols, batch.num_rows())?);
        }
        Ok(out)
    }
}
