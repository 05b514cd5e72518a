//! `tail`: the last N results, in reverse order.

use crate::context::ExecContext;
use crate::error::Result;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::RecordBatch;
use spl_parser::ast::Tail;

/// The `tail` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Transforming,
    description: "Returns the last N results (default 10) in reverse order.",
    examples: &[Example {
        title: "last two",
        spl: "| makeresults count=5 | streamstats count as n | tail 2",
    }],
    compat: "",
};

/// Plans `tail`.
pub(crate) fn plan(t: &Tail, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    Ok(Box::new(TailOp {
        n: t.limit.unwrap_or(10) as usize,
        buffered: Vec::new(),
        rows: 0,
        mem: crate::limits::MemBudget::new("tail", p.stage.span),
    }))
}

struct TailOp {
    n: usize,
    /// The latest batches, holding at least the last `n` rows.
    buffered: Vec<RecordBatch>,
    /// Rows in `buffered`.
    rows: usize,
    mem: crate::limits::MemBudget,
}

impl Operator for TailOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        self.rows += batch.num_rows();
        self.buffered.push(batch);
        // only the last `n` rows can be output: drop the oldest batches
        // that the newer ones cover, so memory is bounded by `n` (plus a batch)
        let mut drop = 0;
        while let Some(first) = self.buffered.get(drop) {
            if self.rows - first.num_rows() < self.n {
                break;
            }
            self.rows -= first.num_rows();
            drop += 1;
        }
        if drop > 0 {
            self.buffered.drain(..drop);
        }
        // the oldest batch may still hold far more rows than are needed:
        // copy only its needed rows so its buffers can be freed
        let excess = self.rows.saturating_sub(self.n);
        if let Some(first) = self.buffered.first_mut() {
            if excess > 0 && excess < first.num_rows() {
                let keep = first.num_rows() - excess;
                let idx = arrow_array::UInt32Array::from_iter_values(
                    (excess..first.num_rows()).map(|i| i as u32),
                );
                *first = arrow_select::take::take_record_batch(first, &idx)?;
                self.rows -= excess;
                debug_assert_eq!(first.num_rows(), keep);
                drop += 1;
            }
        }
        if drop > 0 {
            self.mem.release();
            for b in &self.buffered {
                self.mem.hold(b, &ctx.limits)?;
            }
        } else if let Some(b) = self.buffered.last() {
            self.mem.hold(b, &ctx.limits)?;
        }
        Ok(vec![])
    }
    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let batches = std::mem::take(&mut self.buffered);
        if batches.is_empty() {
            return Ok(vec![]);
        }
        let all = crate::batch::concat_unified(&batches)?;
        let n = all.num_rows();
        let k = self.n.min(n);
        // Splunk's tail returns the last results in reverse order.
        let idx =
            arrow_array::UInt32Array::from((n - k..n).rev().map(|i| i as u32).collect::<Vec<_>>());
        let cols = all
            .columns()
            .iter()
            .map(|c| arrow_select::take::take(c, &idx, None))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(vec![RecordBatch::try_new(all.schema(), cols)?])
    }
}
