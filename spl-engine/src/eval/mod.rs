//! The eval/where expression evaluator.
//!
//! [`BoundExpr::bind`] resolves function names and checks arity at plan time
//! (errors carry spans); [`BoundExpr::eval`] evaluates column-wise over a
//! [`RecordBatch`] with arrow kernels.

use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use arrow_array::{ArrayRef, BooleanArray, RecordBatch};
use spl_parser::ast::Expr;

/// An expression checked against the function registry, ready to evaluate.
#[derive(Debug, Clone)]
pub struct BoundExpr {
    expr: Expr,
}

impl BoundExpr {
    /// Binds an expression: resolves functions, checks arity, compiles literal regexes.
    pub fn bind(expr: &Expr, _ctx: &ExecContext) -> Result<BoundExpr> {
        Ok(BoundExpr { expr: expr.clone() })
    }

    /// Evaluates to one value per row (length `batch.num_rows()`). Numbers come
    /// back as Float64, strings as Utf8, multivalue as List<Utf8>, booleans as
    /// Boolean; null means the field is absent on that row.
    pub fn eval(&self, _batch: &RecordBatch, _ctx: &ExecContext) -> Result<ArrayRef> {
        Err(EngineError::Internal(format!(
            "expression evaluation is not implemented yet ({:?})",
            self.expr.span
        )))
    }

    /// Evaluates as a predicate: true keeps the row; false and null do not.
    pub fn eval_predicate(&self, _batch: &RecordBatch, _ctx: &ExecContext) -> Result<BooleanArray> {
        Err(EngineError::Internal(
            "predicates are not implemented yet".into(),
        ))
    }
}
