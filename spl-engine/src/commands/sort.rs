//! `sort [N] [+|-]field...` (10.5): auto comparison per pair of values, missing
//! values last, default limit 10,000 results (`sort 0` for all), stable.
//!
//! With a limit (the default 10,000) the operator keeps only the best `N`
//! rows: once more than `2N` (and a batch's worth) are held it sorts them and
//! drops the rest, which gives the same result as sorting everything because
//! the sort is stable. What it holds counts against `blocking_max_mem_mb`.

use crate::batch;
use crate::context::ExecContext;
use crate::error::Result;
use crate::limits::MemBudget;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::sort_keys::{take_rows, SortKeys};
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::RecordBatch;
use spl_parser::ast::Sort;

/// The `sort` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Transforming,
    description: "Sorts results; numbers compare numerically, other values lexicographically; missing values sort last. Default limit 10,000 (0 = all).",
    examples: &[Example {
        title: "descending numeric sort",
        spl: "| makeresults count=3 | streamstats count as n | sort - n",
    }],
    compat: "",
};

/// Plans `sort`.
pub(crate) fn plan(s: &Sort, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    Ok(Box::new(SortOp {
        limit: match s.limit {
            None => Some(10_000),
            Some(0) => None,
            Some(n) => Some(n as usize),
        },
        keys: SortKeys::bind(&s.keys, s.desc)?,
        buffered: Vec::new(),
        rows: 0,
        mem: MemBudget::new("sort", p.stage.span),
    }))
}

struct SortOp {
    limit: Option<usize>,
    keys: SortKeys,
    buffered: Vec<RecordBatch>,
    /// Rows in `buffered`.
    rows: usize,
    mem: MemBudget,
}

/// Rows held beyond twice the limit before the held rows are cut back.
const SLACK_ROWS: usize = 8192;

impl SortOp {
    /// Sorts what is held and keeps the first `limit` rows.
    fn sorted(&mut self) -> Result<Option<RecordBatch>> {
        let batches = std::mem::take(&mut self.buffered);
        self.rows = 0;
        self.mem.release();
        if batches.is_empty() {
            return Ok(None);
        }
        let all = batch::concat_unified(&batches)?;
        drop(batches);
        let mut order = self.keys.order(&all)?;
        if let Some(l) = self.limit {
            order.truncate(l);
        }
        Ok(Some(take_rows(&all, order)?))
    }
}

impl Operator for SortOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        self.rows += batch.num_rows();
        let cut = self
            .limit
            .is_some_and(|l| self.rows > l.saturating_mul(2).saturating_add(SLACK_ROWS));
        if !cut {
            self.mem.hold(&batch, &ctx.limits)?;
            self.buffered.push(batch);
            return Ok(vec![]);
        }
        // only the best `limit` rows can be output: keep those, so a
        // limited sort holds at most about `2 * limit` rows whatever its input
        self.buffered.push(batch);
        if let Some(kept) = self.sorted()? {
            self.rows = kept.num_rows();
            self.mem.hold(&kept, &ctx.limits)?;
            self.buffered.push(kept);
        }
        Ok(vec![])
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(self.sorted()?.into_iter().collect())
    }
}
