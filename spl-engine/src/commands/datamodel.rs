//! `datamodel <model> <dataset> search|flat`: the events of a data model
//! dataset with its fields (Splunk's "datamodel" reference page; issue 14 §3).

use crate::error::{EngineError, Result};
use crate::operator::{Operator, PlanCx};
use crate::ops::datamodel::{DataModelRows, DatasetEventsOp};
use crate::spec::{CommandKind, CommandSpec, Example};
use crate::time::TimeRange;
use spl_parser::ast::Args;

/// The `datamodel` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Generating,
    description: "Returns the events of a data model dataset with the dataset's fields: `search` names them by the dataset (`Processes.process_name`), `flat` by their bare names.",
    examples: &[Example {
        title: "the events of Endpoint.Processes with the dataset's field names",
        spl: "| datamodel Endpoint Processes search | table _time Processes.dest Processes.process_name Processes.user",
    }],
    compat: "Only the `search` and `flat` modes run; listing models (`| datamodel` alone, or without a mode) and `acceleration_search` are rejected. Events come newest first; the rows keep their own fields besides the dataset's. See docs/compat-notes/tstats.md.",
};

/// Plans `datamodel`: model, dataset, mode.
pub(crate) fn plan(a: &Args, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    if let Some(o) = a.options.first() {
        return Err(EngineError::unsupported_option("datamodel", o));
    }
    let w = &a.words;
    if w.len() != 3 {
        let span = w.get(3).map_or(p.stage.span, |x| x.text.span);
        return Err(EngineError::invalid(
            format!(
                "expected `datamodel <model> <dataset> search|flat`, found {} argument(s)",
                w.len()
            ),
            span,
            "listing data models is not supported; name a model, a dataset and a mode",
        ));
    }
    let mode = w[2].text.node.to_ascii_lowercase();
    let flat = match mode.as_str() {
        "search" => false,
        "flat" => true,
        _ => {
            return Err(EngineError::invalid(
                format!(
                    "expected the mode `search` or `flat`, found `{}`",
                    w[2].text.node
                ),
                w[2].text.span,
                "unsupported mode",
            ))
        }
    };
    let name = format!("{}.{}", w[0].text.node, w[1].text.node);
    let span = w[0].text.span.join(w[1].text.span);
    let rows = DataModelRows::bind(&name, span, false, p.ctx)?;
    Ok(Box::new(DatasetEventsOp {
        rows,
        range: TimeRange::for_search(None, p.ctx.picker),
        flat,
    }))
}
