//! `| inputlookup [append=b] [start=N] [max=N] <table> [WHERE <search>]` (9.3).

use crate::context::ExecContext;
use crate::error::Result;
use crate::filter::{SearchFilter, SearchMode};
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::RecordBatch;
use spl_parser::ast::Inputlookup;

/// The `inputlookup` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Generating,
    description:
        "Generates one result per lookup table row, optionally filtered by a search expression.",
    examples: &[
        Example {
            title: "every row of a lookup table",
            spl: "| inputlookup users.csv",
        },
        Example {
            title: "rows filtered by a search expression",
            spl: "| inputlookup users.csv WHERE department=eng",
        },
    ],
    compat: "",
};

/// Plans `inputlookup`.
pub(crate) fn plan(i: &Inputlookup, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (o, ctx) = (p.opts, p.ctx);
    let table = ctx.catalog.lookup_table(&i.table.node, i.table.span)?;
    let (filter, _) = SearchFilter::bind(i.where_.as_ref(), SearchMode::Events, ctx)?;
    // Every lookup error is already fatal here, which is what `strict=true`
    // asks for; `strict=false` would only turn missing-table errors into
    // warnings, and a missing table is reported at plan time either way.
    o.flag("strict")?;
    let append = o.flag("append")?;
    Ok(Box::new(InputlookupOp {
        batches: table.to_batches()?,
        filter,
        start: o.count_or_default("start")?.unwrap_or(0) as usize,
        max: o.count_or_default("max")?.unwrap_or(1_000_000_000) as usize,
        append,
    }))
}

struct InputlookupOp {
    batches: Vec<RecordBatch>,
    filter: SearchFilter,
    start: usize,
    max: usize,
    append: bool,
}

impl Operator for InputlookupOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        // With append=true earlier results pass through; otherwise this generates alone.
        Ok(if self.append { vec![batch] } else { vec![] })
    }
    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let mut out = Vec::new();
        let mut skip = self.start;
        let mut left = self.max;
        for b in std::mem::take(&mut self.batches) {
            let b = if skip >= b.num_rows() {
                skip -= b.num_rows();
                continue;
            } else {
                let s = b.slice(skip, b.num_rows() - skip);
                skip = 0;
                s
            };
            let mask = self.filter.evaluate(&b, ctx)?;
            let mut f = arrow_select::filter::filter_record_batch(&b, &mask)?;
            if f.num_rows() > left {
                f = f.slice(0, left);
            }
            left -= f.num_rows();
            if f.num_rows() > 0 {
                out.push(f);
            }
            if left == 0 {
                break;
            }
        }
        Ok(out)
    }
}
