//! `append [subsearch]`: the subsearch's results after the main results.
//!
//! The subsearch is planned with the command, so its errors surface (with
//! their spans) whether or not the main search returns rows; it runs at the end.

use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::PlanCx;
use crate::operator::{Operator, PlannedSearch};
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::RecordBatch;
use spl_parser::ast::Append;

/// The `append` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Appends the results of a subsearch to the current results.",
    examples: &[Example {
        title: "two generated rows",
        spl: "| makeresults | eval a=1 | append [ | makeresults | eval a=2 ]",
    }],
    compat: "The subsearch keeps at most `maxout` results (50,000 by default); `maxtime` and `timeout` have no effect offline; `extendtimerange=true` is not supported.",
};

/// Plans `append`.
pub(crate) fn plan(a: &Append, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (o, ctx) = (p.opts, p.ctx);
    if o.flag("extendtimerange")? {
        if let Some(opt) = o.get("extendtimerange") {
            return Err(EngineError::unsupported_option("append", opt));
        }
    }
    // Offline subsearches are not time-limited or cached: these cannot
    // change a result.
    o.count("maxtime")?;
    o.count("timeout")?;
    Ok(Box::new(AppendOp {
        sub: ctx.planner.plan_search(&a.subsearch.pipeline, ctx)?,
        maxout: o.count_or_default("maxout")?.unwrap_or(50_000) as usize,
    }))
}

struct AppendOp {
    /// The planned subsearch.
    sub: Box<dyn PlannedSearch>,
    /// Most subsearch results kept (`maxout`).
    maxout: usize,
}

impl Operator for AppendOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![batch])
    }
    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let mut out = self.sub.run(ctx)?;
        let mut rows = 0usize;
        out.retain_mut(|b| {
            let keep = self.maxout.saturating_sub(rows);
            if b.num_rows() > keep {
                *b = b.slice(0, keep);
            }
            rows += b.num_rows();
            b.num_rows() > 0
        });
        Ok(out)
    }
}
