//! `appendpipe [<subpipeline>]`: runs a pipeline over the current results
//! and appends its output after them (Splunk's "appendpipe" reference page).

use crate::context::ExecContext;
use crate::error::Result;
use crate::operator::PlanCx;
use crate::operator::{run_operators, Operator};
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::RecordBatch;
use spl_parser::ast::Appendpipe;

/// The `appendpipe` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Transforming,
    description: "Runs the subpipeline over the current results and appends its results (e.g. a totals row) after them.",
    examples: &[Example {
        title: "append a total",
        spl: "| makeresults count=3 | streamstats count as n | appendpipe [ stats sum(n) as n | eval total=\"yes\" ]",
    }],
    compat: "",
};

/// Plans `appendpipe`; the subpipeline is planned now so errors surface before running.
pub(crate) fn plan(a: &Appendpipe, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (o, ctx) = (p.opts, p.ctx);
    // Previews do not exist offline: the option cannot change a result.
    o.flag("run_in_preview")?;
    let ops = ctx.planner.plan_stages(&a.subpipeline.pipeline, ctx)?;
    Ok(Box::new(AppendpipeOp {
        ops,
        buffered: Vec::new(),
        mem: crate::limits::MemBudget::new("appendpipe", p.stage.span),
    }))
}

struct AppendpipeOp {
    ops: Vec<Box<dyn Operator>>,
    buffered: Vec<RecordBatch>,
    /// What `buffered` holds, against `blocking_max_mem_mb`.
    mem: crate::limits::MemBudget,
}

impl Operator for AppendpipeOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        self.mem.hold(&batch, &ctx.limits)?;
        self.buffered.push(batch);
        Ok(Vec::new())
    }

    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let mut out = std::mem::take(&mut self.buffered);
        let extra = run_operators(&mut self.ops, out.clone(), ctx)?;
        out.extend(extra.into_iter().filter(|b| b.num_rows() > 0));
        Ok(out)
    }
}
