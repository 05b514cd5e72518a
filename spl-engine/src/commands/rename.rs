//! `rename a AS b, ...` with wildcards (10.2).

use crate::batch::{self, substitute_wildcards, wildcard_match};
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::Field;
use spl_parser::ast::Rename;

/// The `rename` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Renames fields; wildcards on both sides substitute the matched text. Renaming a missing field onto an existing one removes the existing field.",
    examples: &[Example {
        title: "wildcard rename",
        spl: "| makeresults | eval EU_a=1, EU_b=2 | rename EU* AS EMEA*",
    }],
    compat: "",
};

/// Plans `rename`.
pub(crate) fn plan(r: &Rename, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let _ = p;
    let mut pairs = Vec::new();
    for p in &r.pairs {
        let Some(alias) = &p.alias else {
            return Err(EngineError::invalid(
                "expected `AS <new name>`",
                p.field.span,
                "rename needs AS",
            ));
        };
        let n_from = p.field.node.matches('*').count();
        let n_to = alias.node.matches('*').count();
        if n_to > 0 && n_from != n_to {
            return Err(EngineError::invalid(
                format!("expected {n_from} wildcard(s) in the new name, found {n_to}"),
                alias.span,
                "wildcard count differs",
            ));
        }
        pairs.push((p.field.node.clone(), alias.node.clone()));
    }
    Ok(Box::new(RenameOp { pairs }))
}

struct RenameOp {
    pairs: Vec<(String, String)>,
}

/// Applies one rename pair to a batch.
fn rename_one(batch: &RecordBatch, from: &str, to: &str) -> Result<RecordBatch> {
    let schema = batch.schema();
    let mut renames: Vec<(usize, String)> = Vec::new();
    for (i, f) in schema.fields().iter().enumerate() {
        if let Some(caps) = wildcard_match(from, f.name()) {
            renames.push((i, substitute_wildcards(to, &caps)));
        }
    }
    if renames.is_empty() {
        // Renaming a missing field onto an existing one removes the existing values.
        if !from.contains('*') && !to.contains('*') && batch::column(batch, to).is_some() {
            return batch::drop_columns(batch, &[to]);
        }
        return Ok(batch.clone());
    }
    let targets: Vec<&str> = renames.iter().map(|(_, t)| t.as_str()).collect();
    let mut fields: Vec<Field> = Vec::new();
    let mut cols: Vec<ArrayRef> = Vec::new();
    for (i, f) in schema.fields().iter().enumerate() {
        if let Some((_, new)) = renames.iter().find(|(j, _)| *j == i) {
            fields.push(f.as_ref().clone().with_name(new.clone()));
            cols.push(batch.column(i).clone());
        } else if targets.contains(&f.name().as_str()) {
            // Overwritten by the renamed field.
            continue;
        } else {
            fields.push(f.as_ref().clone());
            cols.push(batch.column(i).clone());
        }
    }
    batch::from_columns(fields, cols, batch.num_rows())
}

impl Operator for RenameOp {
    fn push(&mut self, mut batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        for (from, to) in &self.pairs {
            batch = rename_one(&batch, from, to)?;
        }
        Ok(vec![batch])
    }
    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }
}
