//! `makeresults [count=N]` (10.14): N results with `_time` = the search's `now`.

use crate::batch;
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{ArrayRef, Float64Array, RecordBatch};
use arrow_schema::{DataType, Field};
use spl_parser::ast::{Makeresults, Stage};
use spl_parser::options::OptReader;
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
    simple: None,
};

/// Plans `makeresults`.
pub fn plan(
    _m: &Makeresults,
    o: &OptReader,
    _stage: &Stage,
    _ctx: &ExecContext,
) -> Result<Box<dyn Operator>> {
    let count = o.count_or_default("count")?.unwrap_or(1) as usize;
    if o.flag("annotate")? {
        if let Some(opt) = o.get("annotate") {
            return Err(EngineError::unsupported_option("makeresults", opt));
        }
    }
    // Offline there is one server, the local one.
    if let Some(v) = o.text("splunk_server") {
        if !v.node.eq_ignore_ascii_case("local") {
            if let Some(opt) = o.get("splunk_server") {
                return Err(EngineError::unsupported_option("makeresults", opt));
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
