//! `sort [N] [+|-]field...` (10.5): auto comparison per pair of values, missing
//! values last, default limit 10,000 results (`sort 0` for all), stable.

use crate::batch;
use crate::context::ExecContext;
use crate::error::Result;
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
pub(crate) fn plan(s: &Sort, _p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    Ok(Box::new(SortOp {
        limit: match s.limit {
            None => Some(10_000),
            Some(0) => None,
            Some(n) => Some(n as usize),
        },
        keys: SortKeys::bind(&s.keys, s.desc)?,
        buffered: Vec::new(),
    }))
}

struct SortOp {
    limit: Option<usize>,
    keys: SortKeys,
    buffered: Vec<RecordBatch>,
}

impl Operator for SortOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        self.buffered.push(batch);
        Ok(vec![])
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let batches = std::mem::take(&mut self.buffered);
        if batches.is_empty() {
            return Ok(vec![]);
        }
        let all = batch::concat_unified(&batches)?;
        let mut order = self.keys.order(&all)?;
        if let Some(l) = self.limit {
            order.truncate(l);
        }
        Ok(vec![take_rows(&all, order)?])
    }
}
