//! `lookup [local=b] [update=b] <table> <field> [AS <event-field>]... [OUTPUT|OUTPUTNEW ...]` (9.1).
//!
//! The table is resolved at plan time (a missing lookup is a query error with a
//! caret); matching is done by [`crate::lookup::LookupTable::apply`].

use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::lookup::LookupTable;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::RecordBatch;
use spl_parser::ast::Lookup;
use std::sync::Arc;

/// The `lookup` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Adds fields from a lookup table (a definition or a CSV file) to results whose key fields match; several matches give multivalue fields.",
    examples: &[
        Example {
            title: "add the department of each user",
            spl: "index=main | lookup users.csv user OUTPUT department | table user department",
        },
        Example {
            title: "a CIDR-matched lookup definition",
            spl: "index=main | lookup net_zones net AS src_ip OUTPUT zone | table src_ip zone",
        },
    ],
    compat: "Lookups are CSV files (KV-store collections map to `<name>.csv`); time-based lookups (`event_time_field`) are not supported; `local` and `update` have no effect offline.",
};

/// Plans `lookup`.
pub(crate) fn plan(l: &Lookup, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (o, ctx) = (p.opts, p.ctx);
    // Where the lookup runs and real-time refreshes cannot change a result
    // offline.
    o.flag("local")?;
    o.flag("update")?;
    let table = ctx.catalog.lookup_table(&l.table.node, l.table.span)?;
    let inputs: Vec<(String, String)> = l
        .inputs
        .iter()
        .map(|fa| {
            (
                fa.field.node.clone(),
                fa.alias.as_ref().unwrap_or(&fa.field).node.clone(),
            )
        })
        .collect();
    let (outputs, output_new) = match &l.output {
        Some(o) => (
            Some(
                o.fields
                    .iter()
                    .map(|fa| {
                        (
                            fa.field.node.clone(),
                            fa.alias.as_ref().unwrap_or(&fa.field).node.clone(),
                        )
                    })
                    .collect::<Vec<_>>(),
            ),
            o.new_only,
        ),
        None => (None, false),
    };
    for (col, _) in inputs.iter().chain(outputs.iter().flatten()) {
        if !table.columns.iter().any(|c| c == col) {
            let span = l
                .inputs
                .iter()
                .chain(l.output.iter().flat_map(|o| o.fields.iter()))
                .find(|fa| &fa.field.node == col)
                .map_or(l.table.span, |fa| fa.field.span);
            return Err(EngineError::invalid(
                format!(
                    "lookup `{}` has no column `{col}` (columns: {})",
                    l.table.node,
                    table.columns.join(", ")
                ),
                span,
                "no such column",
            ));
        }
    }
    Ok(Box::new(LookupOp {
        table,
        inputs,
        outputs,
        output_new,
    }))
}

struct LookupOp {
    table: Arc<LookupTable>,
    inputs: Vec<(String, String)>,
    outputs: Option<Vec<(String, String)>>,
    output_new: bool,
}

impl Operator for LookupOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![self.table.apply(
            &batch,
            &self.inputs,
            self.outputs.as_deref(),
            self.output_new,
        )?])
    }
    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }
}
