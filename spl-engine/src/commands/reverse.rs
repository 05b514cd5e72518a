//! `reverse`: the results in the opposite order.

use crate::context::ExecContext;
use crate::error::Result;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{RecordBatch, UInt32Array};
use spl_parser::ast::Args;

/// The `reverse` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Transforming,
    description: "Reverses the order of the results.",
    examples: &[Example {
        title: "last result first",
        spl: "| makeresults count=3 | streamstats count as n | reverse",
    }],
    compat: "",
};

/// Plans `reverse`, which takes no arguments.
pub(crate) fn plan(a: &Args, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    crate::ops::texts::no_words(a, "reverse")?;
    Ok(Box::new(ReverseOp {
        buffered: Vec::new(),
        mem: crate::limits::MemBudget::new("reverse", p.stage.span),
    }))
}

/// Buffers every batch (Splunk's `reverse` is not streaming either), then
/// emits them last first, each with its rows reversed; batches keep their
/// own schemas. What it holds counts against `blocking_max_mem_mb`.
struct ReverseOp {
    buffered: Vec<RecordBatch>,
    mem: crate::limits::MemBudget,
}

impl Operator for ReverseOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        self.mem.hold(&batch, &ctx.limits)?;
        self.buffered.push(batch);
        Ok(vec![])
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let mut out = Vec::with_capacity(self.buffered.len());
        for b in std::mem::take(&mut self.buffered).into_iter().rev() {
            let n = b.num_rows() as u32;
            let idx = UInt32Array::from_iter_values((0..n).rev());
            out.push(arrow_select::take::take_record_batch(&b, &idx)?);
        }
        Ok(out)
    }
}
