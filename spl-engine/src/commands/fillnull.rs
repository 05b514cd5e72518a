//! `fillnull [value=v] [fields]` (10.1).
//!
//! Without a field list it fills every field that exists in the result set,
//! i.e. has a value in at least one result, so it must see all results first.

use crate::batch;
use crate::context::ExecContext;
use crate::error::Result;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field};
use spl_parser::ast::Fillnull;
use std::sync::Arc;

/// The `fillnull` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Transforming,
    description: "Replaces null values with a value (default 0). Without fields, fills every field that has a value in at least one result.",
    examples: &[Example {
        title: "fill a missing field",
        spl: "| makeresults count=2 | streamstats count as n | eval x=if(n=1, \"a\", null()) | fillnull value=none x",
    }],
    compat: "",
};

/// Plans `fillnull`.
pub(crate) fn plan(f: &Fillnull, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let _ = p;
    Ok({
        Box::new(FillnullOp {
            value: f
                .value
                .as_ref()
                .map(|v| v.node.clone())
                .unwrap_or_else(|| "0".into()),
            fields: f.fields.iter().map(|f| f.node.clone()).collect(),
            buffered: Vec::new(),
            mem: crate::limits::MemBudget::new("fillnull", p.stage.span),
        })
    })
}

struct FillnullOp {
    value: String,
    fields: Vec<String>,
    buffered: Vec<RecordBatch>,
    /// What `buffered` holds, against `blocking_max_mem_mb`.
    mem: crate::limits::MemBudget,
}

fn fill_column(col: Option<&ArrayRef>, value: &str, rows: usize) -> Result<ArrayRef> {
    let Some(col) = col else {
        return Ok(Arc::new(StringArray::from(vec![value; rows])));
    };
    if col.null_count() == 0 {
        return Ok(col.clone());
    }
    match col.data_type() {
        DataType::Utf8 => {
            let s = col.as_any().downcast_ref::<StringArray>();
            let s = s.ok_or_else(|| crate::error::EngineError::Internal("utf8 downcast".into()))?;
            Ok(Arc::new(
                s.iter()
                    .map(|v| Some(v.unwrap_or(value)))
                    .collect::<StringArray>(),
            ))
        }
        _ => {
            // Mixed kinds: the filled column becomes text, numbers keep their display form.
            let target = if batch::is_multivalue(col.data_type()) {
                col.data_type().clone()
            } else {
                DataType::Utf8
            };
            let as_text = batch::coerce_array(col, &target)?;
            if let DataType::Utf8 = target {
                return fill_column(Some(&as_text), value, rows);
            }
            let filler = batch::coerce_array(
                &(Arc::new(StringArray::from(vec![value; rows])) as ArrayRef),
                &target,
            )?;
            let mask = arrow_arith::boolean::is_not_null(&as_text)?;
            Ok(arrow_select::zip::zip(&mask, &as_text, &filler)?)
        }
    }
}

fn fill(batch: &RecordBatch, names: &[String], value: &str) -> Result<RecordBatch> {
    let mut out = batch.clone();
    for n in names {
        let col = fill_column(batch::column(batch, n), value, batch.num_rows())?;
        let existing = batch.schema().field_with_name(n).ok().cloned();
        let field = match existing {
            Some(f) if f.data_type() == col.data_type() => f,
            _ => Field::new(n, col.data_type().clone(), true),
        };
        out = batch::set_column(&out, field, col)?;
    }
    Ok(out)
}

impl Operator for FillnullOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        if self.fields.is_empty() {
            self.mem.hold(&batch, &ctx.limits)?;
            self.buffered.push(batch);
            return Ok(vec![]);
        }
        Ok(vec![fill(&batch, &self.fields, &self.value)?])
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let batches = std::mem::take(&mut self.buffered);
        if batches.is_empty() {
            return Ok(vec![]);
        }
        // Fields with at least one value anywhere; internal `_` fields are left alone (UNK 10.1).
        let mut existing: Vec<String> = Vec::new();
        for b in &batches {
            for (f, c) in b.schema().fields().iter().zip(b.columns()) {
                if !f.name().starts_with('_')
                    && c.null_count() < c.len()
                    && !existing.contains(f.name())
                {
                    existing.push(f.name().clone());
                }
            }
        }
        batches
            .iter()
            .map(|b| fill(b, &existing, &self.value))
            .collect()
    }
}
