//! `addinfo`: the search's own facts on every result: its time range
//! (`info_min_time`, `info_max_time`), when it ran (`info_search_time`) and
//! its id (`info_sid`). Offline, all of them come from the run's clock and
//! window (`--now`, the time picker and the bounds the search wrote), never
//! from the system clock.

use crate::context::ExecContext;
use crate::error::Result;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::spec::{CommandKind, CommandSpec, Example};
use crate::value::with_column;
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use spl_parser::ast::Args;
use std::sync::Arc;

/// The `addinfo` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Adds the search's time range (info_min_time, info_max_time), its start time (info_search_time) and its id (info_sid) to every result.",
    examples: &[Example {
        title: "the window of a search that wrote earliest=-1h",
        spl: "index=main earliest=-1h | head 1 | addinfo | table info_min_time info_max_time info_search_time info_sid",
    }],
    compat: "`info_sid` is `<now>.0` (Splunk's ad hoc search id shape: the start epoch and a serial). An unbounded side prints as Splunk does: `info_min_time=0.000`, `info_max_time=+Infinity`.",
};

/// Plans `addinfo`, which takes no arguments.
pub(crate) fn plan(a: &Args, _p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    crate::ops::texts::no_words(a, "addinfo")?;
    Ok(Box::new(AddinfoOp))
}

struct AddinfoOp;

/// Splunk prints these times with milliseconds.
const DECIMALS: Option<u8> = Some(3);

impl Operator for AddinfoOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let n = batch.num_rows();
        let range = ctx.search;
        let num = |v: f64| -> ArrayRef { Arc::new(Float64Array::from(vec![v; n])) };
        let min = num(range.earliest.unwrap_or(0.0));
        // An unbounded latest is the text `+Infinity`, as Splunk shows it.
        let max: ArrayRef = match range.latest {
            Some(l) => num(l),
            None => Arc::new(StringArray::from(vec!["+Infinity"; n])),
        };
        let sid: ArrayRef = Arc::new(StringArray::from(vec![sid(ctx.now); n]));
        let mut out = with_column(&batch, "info_min_time", min, DECIMALS)?;
        out = with_column(&out, "info_max_time", max, DECIMALS)?;
        out = with_column(&out, "info_search_time", num(ctx.now), DECIMALS)?;
        out = with_column(&out, "info_sid", sid, None)?;
        Ok(vec![out])
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }
}

/// A deterministic search id in the shape of Splunk's ad hoc ids.
fn sid(now: f64) -> String {
    format!("{}.0", now.floor() as i64)
}
