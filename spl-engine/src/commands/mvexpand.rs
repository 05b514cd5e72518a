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
    compat: "No memory cap (Splunk truncates at max_mem_usage_mb).",
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

impl Operator for MvexpandOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let Some(col) = batch.column_by_name(&self.field).cloned() else {
            return Ok(Vec::new());
        };
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
                        idx.push(row as u32);
                        vals.push(Some(items.value(j)));
                        taken += 1;
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
