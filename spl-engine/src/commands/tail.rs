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
pub(crate) fn plan(t: &Tail, _p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    Ok(Box::new(TailOp {
        n: t.limit.unwrap_or(10) as usize,
        buffered: Vec::new(),
    }))
}

struct TailOp {
    n: usize,
    buffered: Vec<RecordBatch>,
}

impl Operator for TailOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        self.buffered.push(batch);
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
