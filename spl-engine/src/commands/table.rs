//! `table <wc-field-list>` (10.4): only the listed fields, in the listed order.

use crate::batch::{self, wildcard_match};
use crate::context::ExecContext;
use crate::error::Result;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{new_null_array, RecordBatch};
use arrow_schema::{DataType, Field};
use spl_parser::ast::Table;

/// The `table` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Transforming,
    description: "Returns only the listed fields, in order; listed fields that do not exist give empty columns.",
    examples: &[Example {
        title: "choose and order columns",
        spl: "| makeresults | eval b=2, a=1 | table a b missing",
    }],
    compat: "",
};

/// Plans `table`.
pub(crate) fn plan(t: &Table, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let _ = p;
    Ok({
        Box::new(TableOp {
            patterns: t.fields.iter().map(|p| p.node.clone()).collect(),
        })
    })
}

struct TableOp {
    patterns: Vec<String>,
}

impl Operator for TableOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let schema = batch.schema();
        let mut fields = Vec::new();
        let mut cols = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        for p in &self.patterns {
            let mut matched: Vec<usize> = schema
                .fields()
                .iter()
                .enumerate()
                .filter(|(_, f)| wildcard_match(p, f.name()).is_some())
                .filter(|(_, f)| !f.name().starts_with('_') || !p.contains('*'))
                .map(|(i, _)| i)
                .collect();
            if p.contains('*') {
                // Wildcard expansions in name order (INF 10.4).
                matched.sort_by(|a, b| schema.field(*a).name().cmp(schema.field(*b).name()));
            }
            if matched.is_empty() && !p.contains('*') && !seen.contains(p) {
                seen.push(p.clone());
                fields.push(Field::new(p, DataType::Utf8, true));
                cols.push(new_null_array(&DataType::Utf8, batch.num_rows()));
            }
            for i in matched {
                let name = schema.field(i).name().clone();
                if !seen.contains(&name) {
                    seen.push(name);
                    fields.push(schema.field(i).clone());
                    cols.push(batch.column(i).clone());
                }
            }
        }
        Ok(vec![batch::from_columns(fields, cols, batch.num_rows())?])
    }
    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }
}
