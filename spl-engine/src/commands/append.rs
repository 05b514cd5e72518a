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
    compat: "The subsearch keeps at most `maxout` results (by default the limit `append_maxout`, 50,000), with Splunk's `Subsearch produced N results, truncating to maxout M` warning; `maxtime` and `timeout` have no effect offline; `extendtimerange=true` is not supported.",
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
        maxout: match o.count("maxout")? {
            Some((n, _)) => (crate::limits::Limits::usize(n), None),
            None => (
                crate::limits::Limits::usize(ctx.limits.append_maxout),
                Some("append_maxout"),
            ),
        },
    }))
}

struct AppendOp {
    /// The planned subsearch.
    sub: Box<dyn PlannedSearch>,
    /// Most subsearch results kept (`maxout`), and the limit that set it
    /// when the option did not.
    maxout: (usize, Option<&'static str>),
}

impl Operator for AppendOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![batch])
    }
    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let mut out = self.sub.run(ctx)?;
        let (maxout, limit) = self.maxout;
        let total: usize = out.iter().map(|b| b.num_rows()).sum();
        if total > maxout {
            let message = format!(
                "append: Subsearch produced {total} results, truncating to maxout {maxout}"
            );
            match limit {
                Some(name) => crate::limits::truncated(&ctx.warnings, name, message),
                None => ctx.warnings.push(
                    "spl::run::limit_exceeded",
                    format!("{message} (option `maxout`)"),
                ),
            }
        }
        let mut rows = 0usize;
        out.retain_mut(|b| {
            let keep = maxout.saturating_sub(rows);
            if b.num_rows() > keep {
                *b = b.slice(0, keep);
            }
            rows += b.num_rows();
            b.num_rows() > 0
        });
        Ok(out)
    }
}
