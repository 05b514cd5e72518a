//! `eval f=expr, ...`: assignments left to right; later ones see earlier results.
//! `eval {f}=expr` assigns to the field named by each result's value of `f`.

use crate::batch;
use crate::context::ExecContext;
use crate::error::Result;
use crate::eval::BoundExpr;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::spec::{CommandKind, CommandSpec, Example};
use crate::value::{self, Cell};
use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{Array, ArrayRef, BooleanArray, RecordBatch};
use arrow_buffer::BooleanBuffer;
use arrow_schema::Field;
use indexmap::IndexMap;
use spl_parser::ast::Eval;
use std::sync::Arc;

/// The `eval` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Computes fields from expressions; assigning null removes the field from that \
                  result. `eval {f}=<expression>` assigns to the field named by each result's \
                  value of `f`.",
    examples: &[
        Example {
            title: "string concatenation with +",
            spl: "| makeresults | eval a=\"x\", b=a + \":\" + \"y\"",
        },
        Example {
            title: "dynamic field name: the value of `key` names the field",
            spl: "| makeresults | eval key=\"user\", value=\"alice\" | eval {key}=value",
        },
    ],
    compat: "A dynamic target is a bare `{field}` (braces around the whole name): a result \
             whose `field` is null, empty or absent assigns nothing, and a multivalue `field` \
             uses its first value. Braces elsewhere (`x{}`) and quoted targets are literal \
             names.",
};

/// Where an assignment writes.
enum Target {
    /// A fixed field name.
    Field(String),
    /// The field named by each row's value of this field.
    Dynamic(String),
}

/// Plans `eval`.
pub(crate) fn plan(e: &Eval, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let ctx = p.ctx;
    let mut assignments = Vec::with_capacity(e.assignments.len());
    for a in &e.assignments {
        let target = if a.dynamic {
            Target::Dynamic(a.target.node.clone())
        } else {
            Target::Field(a.target.node.clone())
        };
        assignments.push((target, BoundExpr::bind_value(&a.expr, ctx)?));
    }
    Ok(Box::new(EvalOp { assignments }))
}

struct EvalOp {
    assignments: Vec<(Target, BoundExpr)>,
}

impl Operator for EvalOp {
    fn push(&mut self, mut batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        for (target, expr) in &self.assignments {
            let out = expr.eval_field(&batch, ctx)?;
            let field = value::with_decimals(
                Field::new("", out.array.data_type().clone(), true),
                out.decimals,
            );
            batch = match target {
                Target::Field(name) => {
                    batch::set_column(&batch, field.with_name(name.as_str()), out.array)?
                }
                Target::Dynamic(name_field) => {
                    assign_dynamic(&batch, name_field, &field, &out.array)?
                }
            };
        }
        Ok(vec![batch])
    }
    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }
}

/// The field name each row assigns to: the text of `name_field` on that row
/// (its first value when multivalue); `None` when it is null, empty or the
/// field is absent.
fn row_names(batch: &RecordBatch, name_field: &str) -> Vec<Option<String>> {
    let rows = batch.num_rows();
    let schema = batch.schema();
    let Ok(idx) = schema.index_of(name_field) else {
        return vec![None; rows];
    };
    let (field, array) = (schema.field(idx), batch.column(idx));
    (0..rows)
        .map(|row| match value::cell(field, array.as_ref(), row) {
            Cell::Null => None,
            Cell::Single(s) => Some(s),
            Cell::Multi(values) => values.into_iter().next(),
        })
        .map(|name| name.filter(|n| !n.is_empty()))
        .collect()
}

/// `eval {name_field}=...`: each row writes `values[row]` (typed as `field`)
/// into the field its `name_field` names. Columns are created in order of
/// first use; a row keeps its value of every field it did not name.
fn assign_dynamic(
    batch: &RecordBatch,
    name_field: &str,
    field: &Field,
    values: &ArrayRef,
) -> Result<RecordBatch> {
    let names = row_names(batch, name_field);
    let mut targets: IndexMap<&str, Vec<usize>> = IndexMap::new();
    for (row, name) in names.iter().enumerate() {
        if let Some(n) = name {
            targets.entry(n.as_str()).or_default().push(row);
        }
    }
    let rows = batch.num_rows();
    let mut out = batch.clone();
    for (name, hit) in targets {
        let mut mask = vec![false; rows];
        for &row in &hit {
            mask[row] = true;
        }
        let schema = out.schema();
        let existing = schema
            .index_of(name)
            .ok()
            .map(|i| (schema.field(i).as_ref().clone(), out.column(i).clone()));
        let (new_field, array) = merge(field, values, existing.as_ref(), &mask)?;
        out = batch::set_column(&out, new_field.with_name(name), array)?;
    }
    Ok(out)
}

/// `values` on the rows of `mask`, the existing column (or null) elsewhere.
/// Columns of one type and display precision are zipped; otherwise each row
/// keeps its displayed text (a list column when either side is multivalue),
/// which still acts as a number where it looks like one.
fn merge(
    field: &Field,
    values: &ArrayRef,
    existing: Option<&(Field, ArrayRef)>,
    mask: &[bool],
) -> Result<(Field, ArrayRef)> {
    let keep = BooleanArray::new(BooleanBuffer::collect_bool(mask.len(), |i| mask[i]), None);
    let Some((old_field, old)) = existing else {
        let nulls = arrow_array::new_null_array(values.data_type(), values.len());
        let array = arrow_select::zip::zip(&keep, values, &nulls)?;
        return Ok((field.clone(), array));
    };
    if old.data_type() == values.data_type()
        && value::field_decimals(old_field) == value::field_decimals(field)
    {
        let array = arrow_select::zip::zip(&keep, values, old)?;
        return Ok((field.clone(), array));
    }
    let cells: Vec<Cell> = (0..mask.len())
        .map(|row| {
            if mask[row] {
                value::cell(field, values.as_ref(), row)
            } else {
                value::cell(old_field, old.as_ref(), row)
            }
        })
        .collect();
    let array: ArrayRef = if cells.iter().any(|c| matches!(c, Cell::Multi(_))) {
        let mut b = ListBuilder::new(StringBuilder::new()).with_field(Arc::new(
            Field::new_list_field(arrow_schema::DataType::Utf8, true),
        ));
        for c in cells {
            match c {
                Cell::Null => b.append(false),
                Cell::Single(s) => {
                    b.values().append_value(s);
                    b.append(true);
                }
                Cell::Multi(vs) => {
                    for v in vs {
                        b.values().append_value(v);
                    }
                    b.append(true);
                }
            }
        }
        Arc::new(b.finish())
    } else {
        let mut b = StringBuilder::new();
        for c in cells {
            match c.joined("\n") {
                Some(s) => b.append_value(s),
                None => b.append_null(),
            }
        }
        Arc::new(b.finish())
    };
    let f = Field::new(field.name(), array.data_type().clone(), true);
    Ok((f, array))
}
