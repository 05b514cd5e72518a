//! `fields [+|-] <wc-field-list>` (10.3).

use crate::batch::{self, wildcard_match};
use crate::context::ExecContext;
use crate::error::Result;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::RecordBatch;
use spl_parser::ast::Fields;

/// The `fields` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Keeps (default) or removes fields; wildcards allowed. `fields +` keeps internal fields such as `_time` and `_raw`.",
    examples: &[Example {
        title: "remove by wildcard",
        spl: "| makeresults | eval inbound_network_io=1, outbound_network_io=2, key=3 | fields - *network_io",
    }],
    compat: "",
};

/// Plans `fields`.
pub(crate) fn plan(f: &Fields, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let _ = p;
    Ok({
        Box::new(FieldsOp {
            remove: f.remove,
            patterns: f.fields.iter().map(|p| p.node.clone()).collect(),
        })
    })
}

struct FieldsOp {
    remove: bool,
    patterns: Vec<String>,
}

impl Operator for FieldsOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let schema = batch.schema();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        let mut keep: Vec<usize> = Vec::new();
        if self.remove {
            for (i, n) in names.iter().enumerate() {
                if !self.patterns.iter().any(|p| wildcard_match(p, n).is_some()) {
                    keep.push(i);
                }
            }
        } else {
            // Listed order first, then internal fields that were not listed.
            for p in &self.patterns {
                for (i, n) in names.iter().enumerate() {
                    if wildcard_match(p, n).is_some() && !keep.contains(&i) {
                        keep.push(i);
                    }
                }
            }
            for (i, n) in names.iter().enumerate() {
                if (*n == "_time" || *n == "_raw") && !keep.contains(&i) {
                    keep.push(i);
                }
            }
        }
        let fields = keep.iter().map(|i| schema.field(*i).clone()).collect();
        let cols = keep.iter().map(|i| batch.column(*i).clone()).collect();
        Ok(vec![batch::from_columns(fields, cols, batch.num_rows())?])
    }
    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }
}
