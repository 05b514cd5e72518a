//! `outputlookup [append=b] <table>`: writes the results to a lookup CSV and
//! passes them on, so baseline searches can build the lookups detections read.

use crate::context::ExecContext;
use crate::error::Result;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::RecordBatch;
use spl_parser::ast::Outputlookup;

/// The `outputlookup` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Transforming,
    description: "Writes the results to a lookup (a CSV file in the first --lookups directory) and returns them.",
    examples: &[
        Example {
            title: "write per-host counts to a lookup",
            spl: "index=main | stats count by host | outputlookup host_counts.csv",
        },
    ],
    compat: "Options other than `append` (`create_empty`, `override_if_empty`, `max`, `key_field`, `allow_updates`, `createinapp`, `create_context`, `output_format`) are rejected (`spl::run::unsupported_option`). The file is replaced atomically (a unique temporary file, synced, renamed over it) under a per-file lock, so concurrent writers never mix rows; a command failing later in the search does not undo the write, as in Splunk.",
};

/// Plans `outputlookup`.
pub(crate) fn plan(x: &Outputlookup, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let o = p.opts;
    Ok(Box::new(OutputlookupOp {
        name: x.table.node.clone(),
        append: o.flag("append")?,
        buffered: Vec::new(),
        mem: crate::limits::MemBudget::new("outputlookup", p.stage.span),
    }))
}

struct OutputlookupOp {
    name: String,
    append: bool,
    buffered: Vec<RecordBatch>,
    /// What `buffered` holds, against `blocking_max_mem_mb`.
    mem: crate::limits::MemBudget,
}

impl Operator for OutputlookupOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        self.mem.hold(&batch, &ctx.limits)?;
        self.buffered.push(batch);
        Ok(vec![])
    }
    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let batches = std::mem::take(&mut self.buffered);
        ctx.catalog
            .lookups
            .write(&self.name, &batches, self.append)?;
        Ok(batches)
    }
}
