//! `eval f=expr, ...`: assignments left to right; later ones see earlier results.

use crate::batch;
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::eval::BoundExpr;
use crate::operator::Operator;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{Array, RecordBatch};
use arrow_schema::Field;
use spl_parser::ast::Eval;

/// The `eval` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    name: "eval",
    aliases: &[],
    kind: CommandKind::Streaming,
    synopsis: "eval <field>=<expression> [, <field>=<expression>]...",
    description:
        "Computes fields from expressions; assigning null removes the field from that result.",
    examples: &[Example {
        title: "string concatenation with +",
        spl: "| makeresults | eval a=\"x\", b=a + \":\" + \"y\"",
    }],
    compat: "Dynamic field names (`eval {x}=...`) are not supported yet.",
};

/// Plans `eval`.
pub fn plan(e: &Eval, ctx: &ExecContext) -> Result<Box<dyn Operator>> {
    let mut assignments = Vec::with_capacity(e.assignments.len());
    for a in &e.assignments {
        if a.target.node.starts_with('{') && a.target.node.ends_with('}') && a.target.node.len() > 2
        {
            return Err(EngineError::invalid(
                "dynamic field names are not supported",
                a.target.span,
                "dynamic name",
            ));
        }
        assignments.push((a.target.node.clone(), BoundExpr::bind_value(&a.expr, ctx)?));
    }
    Ok(Box::new(EvalOp { assignments }))
}

struct EvalOp {
    assignments: Vec<(String, BoundExpr)>,
}

impl Operator for EvalOp {
    fn push(&mut self, mut batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        for (name, expr) in &self.assignments {
            let out = expr.eval_field(&batch, ctx)?;
            let mut field = Field::new(name, out.array.data_type().clone(), true);
            if let Some(d) = out.decimals {
                field = field.with_metadata(std::collections::HashMap::from([(
                    crate::value::DECIMALS_KEY.to_string(),
                    d.to_string(),
                )]));
            }
            batch = batch::set_column(&batch, field, out.array)?;
        }
        Ok(vec![batch])
    }
    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }
}
