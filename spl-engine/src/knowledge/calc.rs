//! Calculated fields: props.conf `EVAL-<field> = <eval expression>`.
//!
//! props.conf.spec: "When multiple EVAL-* statements are specified, they
//! behave as if they are run in parallel": every expression reads the fields
//! as they were before any EVAL (`EVAL-x = y*2` with `EVAL-y = 100` gives
//! `x` twice the original `y`). The result replaces the field; a null result
//! leaves the field absent, as `eval` does. Expressions are the engine's
//! `eval` language ([`crate::eval::BoundExpr`]), checked when the apps load.

use super::apps::Value;
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::eval::BoundExpr;
use crate::operator::demand::FieldSet;
use crate::value;
use arrow_array::RecordBatch;
use spl_parser::ast::Expr;

/// One `EVAL-<field>`.
#[derive(Debug, Clone)]
pub(crate) struct Calc {
    /// The field it sets.
    pub field: String,
    expr: Expr,
    key: String,
    origin: Value,
}

/// An error of an expression written in a `.conf` file, named by file, line
/// and key (the span inside the setting is lost; the message keeps it).
fn relocate(e: EngineError, v: &Value, key: &str) -> EngineError {
    match e {
        EngineError::Data { .. } | EngineError::Io { .. } | EngineError::Internal(_) => e,
        other => v.error(key, format!("in `{}`: {other}", v.value)),
    }
}

impl Calc {
    /// Parses and checks `EVAL-<field> = <v>`.
    pub(crate) fn parse(field: &str, key: &str, v: &Value) -> Result<Calc> {
        let expr = spl_parser::parse_expr_at(&v.value, 0)
            .map_err(|e| v.error(key, format!("in `{}`: {e}", v.value)))?;
        BoundExpr::bind_value(&expr, &ExecContext::new(0.0)).map_err(|e| relocate(e, v, key))?;
        Ok(Calc {
            field: field.to_string(),
            expr,
            key: key.to_string(),
            origin: v.clone(),
        })
    }

    /// Adds the fields its expression reads; false when it may read fields
    /// it does not name.
    pub(crate) fn reads(&self, f: &mut FieldSet) -> bool {
        crate::operator::demand::expr_fields(&self.expr, f)
    }
}

/// Evaluates `calcs` against `batch` and then sets every result.
pub(crate) fn run(calcs: &[&Calc], batch: &RecordBatch, ctx: &ExecContext) -> Result<RecordBatch> {
    let mut results = Vec::with_capacity(calcs.len());
    for c in calcs {
        let bound =
            BoundExpr::bind_value(&c.expr, ctx).map_err(|e| relocate(e, &c.origin, &c.key))?;
        let out = bound
            .eval_field(batch, ctx)
            .map_err(|e| relocate(e, &c.origin, &c.key))?;
        results.push((c.field.as_str(), out));
    }
    let mut out = batch.clone();
    for (field, r) in results {
        out = value::with_column(&out, field, r.array, r.decimals)?;
    }
    Ok(out)
}
