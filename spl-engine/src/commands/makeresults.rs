//! `makeresults [count=N]` (10.14): N results with `_time` = the search's `now`.

use crate::batch;
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{ArrayRef, Float64Array, RecordBatch};
use arrow_schema::{DataType, Field};
use spl_parser::ast::{Makeresults, Stage};
use std::sync::Arc;

/// The `makeresults` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    name: "makeresults",
    aliases: &[],
    kind: CommandKind::Generating,
    synopsis: "makeresults [count=<int>]",
    description: "Generates results that hold only `_time`, the search's start time.",
    examples: &[Example {
        title: "three results",
        spl: "| makeresults count=3",
    }],
    compat: "`annotate`, `format` and `data` are not supported yet.",
};

/// Plans `makeresults`.
pub fn plan(m: &Makeresults, _stage: &Stage, _ctx: &ExecContext) -> Result<Box<dyn Operator>> {
    let mut count = 1usize;
    for o in &m.options {
        match o.key.node.to_ascii_lowercase().as_str() {
            "count" => {
                count = o.value.node.parse().map_err(|_| {
                    EngineError::invalid(
                        format!("expected a number, found `{}`", o.value.node),
                        o.value.span,
                        "count",
                    )
                })?
            }
            "annotate"
                if matches!(
                    o.value.node.to_ascii_lowercase().as_str(),
                    "f" | "false" | "0"
                ) => {}
            _ => {
                return Err(EngineError::invalid(
                    format!("`makeresults {}=` is not supported yet", o.key.node),
                    o.key.span,
                    "not supported",
                ))
            }
        }
    }
    Ok(Box::new(MakeresultsOp { count }))
}

struct MakeresultsOp {
    count: usize,
}

impl Operator for MakeresultsOp {
    fn push(&mut self, _batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }
    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let t: ArrayRef = Arc::new(Float64Array::from(vec![ctx.now; self.count]));
        Ok(vec![batch::from_columns(
            vec![Field::new("_time", DataType::Float64, true)],
            vec![t],
            self.count,
        )?])
    }
}
