//! `where <expr>`: keeps rows whose eval expression is TRUE (false and null drop).

use crate::context::ExecContext;
use crate::error::Result;
use crate::eval::BoundExpr;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::RecordBatch;
use spl_parser::ast::Where;

/// The `where` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Keeps results for which the expression is true; comparisons with null are false.",
    examples: &[Example {
        title: "numeric comparison",
        spl: "| makeresults count=3 | streamstats count as n | where n > 1",
    }],
    compat: "",
};

/// Plans `where`.
pub(crate) fn plan(w: &Where, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let ctx = p.ctx;
    Ok(Box::new(WhereOp {
        expr: BoundExpr::bind_predicate(&w.expr, ctx)?,
    }))
}

struct WhereOp {
    expr: BoundExpr,
}

impl Operator for WhereOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let mask = self.expr.eval_predicate(&batch, ctx)?;
        let out = arrow_select::filter::filter_record_batch(&batch, &mask)?;
        Ok(if out.num_rows() == 0 {
            vec![]
        } else {
            vec![out]
        })
    }
    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }
}
