//! `head` (10.6).

use crate::context::ExecContext;
use crate::error::Result;
use crate::eval::BoundExpr;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{Array, RecordBatch};
use spl_parser::ast::Head;

/// The `head` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description:
        "Returns the first N results (default 10), or results until the expression is false.",
    examples: &[Example {
        title: "first two",
        spl: "| makeresults count=5 | head 2",
    }],
    compat: "",
};

/// Plans `head`.
pub(crate) fn plan(h: &Head, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (o, ctx) = (p.opts, p.ctx);
    let limit = match h.limit {
        Some(n) => Some(n),
        None => o.count("limit")?.map(|(n, _)| n),
    };
    let expr = match &h.expr {
        Some(e) => Some(BoundExpr::bind(e, ctx)?),
        None => None,
    };
    Ok(Box::new(HeadOp {
        remaining: if expr.is_some() && limit.is_none() {
            usize::MAX
        } else {
            limit.unwrap_or(10) as usize
        },
        expr,
        keeplast: o.flag("keeplast")?,
        null_ok: o.flag("null")?,
        done: false,
    }))
}

struct HeadOp {
    remaining: usize,
    expr: Option<BoundExpr>,
    keeplast: bool,
    null_ok: bool,
    done: bool,
}

impl Operator for HeadOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        if self.done || self.remaining == 0 {
            return Ok(vec![]);
        }
        let mut take = batch.num_rows().min(self.remaining);
        if let Some(e) = &self.expr {
            // A null result counts as false unless `null=true` (the predicate maps null to false).
            let truth = e.eval_predicate(&batch, ctx)?;
            let limit = take;
            if let Some(row) =
                (0..limit).find(|&row| !(truth.value(row) || (self.null_ok && truth.is_null(row))))
            {
                take = if self.keeplast { row + 1 } else { row };
                self.done = true;
            }
        }
        self.remaining -= take.min(self.remaining);
        Ok(if take == 0 {
            vec![]
        } else {
            vec![batch.slice(0, take)]
        })
    }
    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }
    fn satisfied(&self) -> bool {
        self.done || self.remaining == 0
    }
}
