//! `mvexpand <field> [limit=<int>]`: one result per value of a multivalue
//! field, other fields copied (semantics 10.13).
//!
//! Results without the field are removed (COMM, see the compat notes). Rows
//! are expanded with Arrow's `take`, so other columns keep their types.

use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::spec::{CommandKind, CommandSpec, Example};
use crate::value::with_column;
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray, UInt32Array};
use arrow_schema::DataType;
use spl_parser::ast::Mvexpand;
use std::sync::Arc;

/// The `mvexpand` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Expands each value of a multivalue field into its own result; results without the field are removed.",
    examples: &[Example {
        title: "one row per value",
        spl: "| makeresults | eval hosts=split(\"a,b,c\", \",\") | mvexpand hosts",
    }],
    compat: "As in Splunk, output past `[mvexpand] max_mem_usage_mb` (500 MB, the limit `mvexpand_max_mem_mb`) per input batch is truncated with a warning naming the limit (Splunk: \"output will be truncated ... Memory threshold ... has been reached\"); the engine estimates memory as the bytes of the values plus the other fields' bytes per copied row.",
};

/// Plans `mvexpand`.
pub(crate) fn plan(m: &Mvexpand, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let o = p.opts;
    if m.field.node.starts_with('_') {
        return Err(EngineError::invalid(
            format!("expected a non-internal field, found `{}`", m.field.node),
            m.field.span,
            "internal fields cannot be expanded",
        ));
    }
    let limit = match o.count("limit")? {
        Some((0, _)) | None => usize::MAX,
        Some((n, _)) => n as usize,
    };
    Ok(Box::new(MvexpandOp {
        field: m.field.node.clone(),
        limit,
    }))
}

struct MvexpandOp {
    field: String,
    limit: usize,
}

/// Bytes a row of `batch` holds, on average (for the memory estimate).
fn row_bytes(batch: &RecordBatch) -> usize {
    let total: usize = batch
        .columns()
        .iter()
        .map(|c| c.get_array_memory_size())
        .sum();
    total / batch.num_rows().max(1)
}

impl Operator for MvexpandOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let Some(col) = batch.column_by_name(&self.field).cloned() else {
            return Ok(Vec::new());
        };
        let budget = crate::limits::Limits::mb_bytes(ctx.limits.mvexpand_max_mem_mb);
        let per_row = row_bytes(&batch)
            .saturating_sub(col.get_array_memory_size() / batch.num_rows().max(1))
            + 16;
        let mut used = 0usize;
        let mut truncated = false;
        let (indices, values): (Vec<u32>, Option<ArrayRef>) = match col.data_type() {
            DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..) => {
                let col = crate::value::normalize_column(&col)?;
                let list = col.as_list::<i32>();
                let items = list.values().as_string::<i32>();
                let offsets = list.value_offsets();
                let mut idx = Vec::new();
                let mut vals: Vec<Option<&str>> = Vec::new();
                for row in 0..list.len() {
                    if list.is_null(row) {
                        continue;
                    }
                    let (Some(&s), Some(&e)) = (offsets.get(row), offsets.get(row + 1)) else {
                        continue;
                    };
                    let mut taken = 0;
                    for j in s.max(0) as usize..(e.max(0) as usize).min(items.len()) {
                        if taken >= self.limit {
                            break;
                        }
                        if items.is_null(j) {
                            continue;
                        }
                        used += per_row + items.value(j).len();
                        if used > budget {
                            truncated = true;
                            break;
                        }
                        idx.push(row as u32);
                        vals.push(Some(items.value(j)));
                        taken += 1;
                    }
                    if truncated {
                        crate::limits::truncated(&ctx.warnings,
                            "mvexpand_max_mem_mb",
                            format!(
                                "mvexpand: output will be truncated at {} results due to excessive memory usage: the memory threshold of {} MB has been reached",
                                idx.len(),
                                ctx.limits.mvexpand_max_mem_mb
                            ),
                        );
                        break;
                    }
                }
                let arr: ArrayRef = Arc::new(StringArray::from(vals));
                (idx, Some(arr))
            }
            _ => {
                let idx = (0..col.len())
                    .filter(|&r| col.is_valid(r))
                    .map(|r| r as u32)
                    .collect();
                (idx, None)
            }
        };
        if indices.is_empty() {
            return Ok(Vec::new());
        }
        let take = UInt32Array::from(indices);
        // The expanded list is replaced by its values, so it must not be
        // copied once per value first (that was quadratic in the list's
        // length): it is blanked before the other columns are copied.
        let batch = match (&values, batch.schema().index_of(&self.field)) {
            (Some(_), Ok(i)) => {
                let mut cols = batch.columns().to_vec();
                cols[i] = arrow_array::new_null_array(cols[i].data_type(), batch.num_rows());
                let schema = batch.schema();
                let mut fields: Vec<_> = schema.fields().iter().cloned().collect();
                fields[i] = Arc::new(fields[i].as_ref().clone().with_nullable(true));
                let schema =
                    arrow_schema::Schema::new_with_metadata(fields, schema.metadata().clone());
                RecordBatch::try_new(Arc::new(schema), cols)?
            }
            _ => batch,
        };
        let out = arrow_select::take::take_record_batch(&batch, &take)?;
        let out = match values {
            Some(v) => {
                let decimals = None;
                with_column(&out, &self.field, v, decimals)?
            }
            None => out,
        };
        Ok(vec![out])
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(Vec::new())
    }
}
