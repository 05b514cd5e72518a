//! `from datamodel:<model>.<dataset>` (also `from datamodel <M.D>`): the
//! events of a data model dataset, as `| datamodel M D search` returns them
//! (Splunk's "from" reference page; issue 14 §3).

use crate::error::{EngineError, Result};
use crate::operator::{Operator, PlanCx};
use crate::ops::datamodel::{DataModelRows, DatasetEventsOp};
use crate::spec::{CommandKind, CommandSpec, Example};
use crate::time::TimeRange;
use spl_parser::ast::FromDataset;

/// The `from` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Generating,
    description: "Retrieves the events of a dataset: `from datamodel:<model>.<dataset>` returns a data model dataset's events with its fields.",
    examples: &[Example {
        title: "the events of Endpoint.Processes",
        spl: "| from datamodel:Endpoint.Processes | table _time Processes.dest Processes.process_name",
    }],
    compat: "Only `datamodel` datasets run; `inputlookup`, `lookup`, `savedsearch` and other dataset kinds are rejected (`spl::run::invalid_argument`).",
};

/// Plans `from`.
pub(crate) fn plan(f: &FromDataset, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let Some(kind) = &f.kind else {
        return Err(EngineError::invalid(
            format!(
                "expected `datamodel:<model>.<dataset>`, found `{}`",
                f.name.node
            ),
            f.name.span,
            "name the dataset kind",
        ));
    };
    if !kind.node.eq_ignore_ascii_case("datamodel") {
        return Err(EngineError::invalid(
            format!(
                "expected the dataset kind `datamodel`, found `{}`",
                kind.node
            ),
            kind.span,
            "only data model datasets are supported",
        ));
    }
    let rows = DataModelRows::bind(&f.name.node, f.name.span, false, p.ctx)?;
    Ok(Box::new(DatasetEventsOp {
        rows,
        range: TimeRange::for_search(None, p.ctx.picker),
        flat: false,
    }))
}
