//! The eval/where expression evaluator.
//!
//! [`BoundExpr::bind`] resolves function names and checks arity and literal
//! arguments at plan time (errors carry spans); [`BoundExpr::eval`] evaluates
//! column-wise over a [`RecordBatch`] with arrow kernels. Literals stay
//! one-row broadcast values; literal regexes are compiled once at bind time.
//!
//! Value model (semantics 3.3-3.6, 12): results are `Float64` (numbers),
//! `Utf8` (strings), `List<Utf8>` (multivalue) or `Boolean` (only inside
//! expressions); null means "field absent". Field text that looks numeric acts
//! as a number; string literals are always text. Comparisons with null are
//! false and `NOT false` is true (two-valued logic). See
//! `docs/compat-notes/eval.md` for the choices made where Splunk is unclear.

mod bind;
pub(crate) mod coerce;
mod exec;
pub mod functions;
mod ops;
mod precision;
mod val;

#[cfg(test)]
mod tests;

use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use arrow_array::{ArrayRef, BooleanArray, RecordBatch};
use bind::{Kind, Node};
use spl_parser::ast::Expr;
use val::Data;

/// An expression checked against the function registry, ready to evaluate.
#[derive(Debug, Clone)]
pub struct BoundExpr {
    root: Node,
}

/// An evaluated column and the display precision it carries (decimal places,
/// from `round(x, n)` and friends). The `eval` command stores `decimals` in
/// the output field's metadata under [`crate::value::DECIMALS_KEY`].
#[derive(Debug, Clone)]
pub struct EvalOutput {
    /// One value per row.
    pub array: ArrayRef,
    /// Decimal places to display, when the expression fixes them.
    pub decimals: Option<u8>,
}

impl BoundExpr {
    /// Binds an expression: resolves functions, checks arity, compiles literal regexes.
    pub fn bind(expr: &Expr, ctx: &ExecContext) -> Result<BoundExpr> {
        Ok(BoundExpr {
            root: bind::bind_expr(expr, ctx)?,
        })
    }

    /// Binds the right-hand side of an `eval` assignment: like [`Self::bind`],
    /// but a boolean result is an error (semantics 3.1: wrap it in `if()`).
    pub fn bind_value(expr: &Expr, ctx: &ExecContext) -> Result<BoundExpr> {
        let b = Self::bind(expr, ctx)?;
        if b.root.kind == Kind::Bool {
            return Err(EngineError::InvalidArgument {
                message: "expected a value, found a boolean expression".into(),
                span: b.root.span,
                label: "boolean result".into(),
                help: Some(
                    "wrap it in if(<condition>, \"yes\", \"no\") or tostring(<condition>)".into(),
                ),
            });
        }
        Ok(b)
    }

    /// Binds a `where` predicate: the expression must be boolean (a bare
    /// field or a number is an error).
    pub fn bind_predicate(expr: &Expr, ctx: &ExecContext) -> Result<BoundExpr> {
        let b = Self::bind(expr, ctx)?;
        b.root.expect_bool("the predicate")?;
        Ok(b)
    }

    /// True when the expression is statically known to produce a boolean.
    #[cfg(test)]
    pub fn is_boolean(&self) -> bool {
        self.root.kind == Kind::Bool
    }

    /// Field names the expression reads (for projection pushdown), in order of first use.
    #[cfg(test)]
    pub fn referenced_fields(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.root.collect_fields(&mut out);
        out
    }

    /// Evaluates to one value per row (length `batch.num_rows()`). Numbers come
    /// back as Float64, strings as Utf8, multivalue as List<Utf8>, booleans as
    /// Boolean; null means the field is absent on that row (an all-null result
    /// is a null Utf8 column).
    pub fn eval(&self, batch: &RecordBatch, ctx: &ExecContext) -> Result<ArrayRef> {
        Ok(self.eval_field(batch, ctx)?.array)
    }

    /// Like [`Self::eval`], with the display precision of the result.
    pub fn eval_field(&self, batch: &RecordBatch, ctx: &ExecContext) -> Result<EvalOutput> {
        let v = exec::eval_node(&self.root, batch, ctx)?.displayable();
        let decimals = match v.data {
            Data::Num(_) => v.decimals,
            _ => None,
        };
        Ok(EvalOutput {
            array: v.into_array(batch.num_rows())?,
            decimals,
        })
    }

    /// Evaluates as a predicate: true keeps the row; false and null do not.
    /// A non-boolean result is an error naming the expression.
    pub fn eval_predicate(&self, batch: &RecordBatch, ctx: &ExecContext) -> Result<BooleanArray> {
        let v = exec::eval_node(&self.root, batch, ctx)?;
        let n = batch.num_rows();
        match &v.data {
            Data::Null => Ok(BooleanArray::from(vec![false; n])),
            Data::Bool(_) => {
                let b = coerce::to_bool(&v);
                if b.len() == n {
                    Ok(b)
                } else {
                    let keep = b.len() == 1 && b.value(0);
                    Ok(BooleanArray::from(vec![keep; n]))
                }
            }
            _ => Err(EngineError::InvalidArgument {
                message: "expected a boolean expression, found a value".into(),
                span: self.root.span,
                label: "not a condition".into(),
                help: Some("compare it, e.g. x=\"value\" or isnotnull(x)".into()),
            }),
        }
    }
}
