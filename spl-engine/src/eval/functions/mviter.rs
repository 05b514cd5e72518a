//! `mvfilter` and `mvmap`: an expression evaluated once per value of a
//! multivalue field (semantics 3.7 [R-MVFN]).

use super::multivalue::row_values;
use super::{BindCx, Call, CallState};
use crate::error::{EngineError, Result};
use crate::eval::bind::{Node, Op};
use crate::eval::coerce::{to_bool, to_text};
use crate::eval::exec::eval_node;
use crate::eval::val::{build_multi, Val};
use arrow_array::{ArrayRef, RecordBatch, StringArray, UInt32Array};
use arrow_schema::{Field, Schema};
use std::sync::Arc;

/// The one field an `mvfilter`/`mvmap` expression iterates over.
struct IterField(String);

pub(super) fn bind_mvfilter(cx: &BindCx<'_>) -> Result<CallState> {
    let Some(pred) = cx.args.first() else {
        return Ok(CallState::default());
    };
    pred.expect_bool("`mvfilter`")?;
    let mut fields = Vec::new();
    pred.collect_fields(&mut fields);
    match fields.as_slice() {
        [one] => Ok(CallState::new(IterField(one.clone()))),
        _ => Err(EngineError::InvalidArgument {
            message: format!(
                "expected an expression over exactly one field, found {} fields",
                fields.len()
            ),
            span: cx.arg_span(0),
            label: "mvfilter predicate".into(),
            help: Some("mvfilter tests each value of a single multivalue field".into()),
        }),
    }
}

pub(super) fn bind_mvmap(cx: &BindCx<'_>) -> Result<CallState> {
    match cx.args.first().map(|n| &n.op) {
        Some(Op::Field(name)) => Ok(CallState::new(IterField(name.clone()))),
        _ => Err(cx.err(
            0,
            "expected a field name as the first argument of `mvmap`",
            "not a field",
        )),
    }
}

/// Evaluates `expr` once per value of `field`: other fields are repeated per
/// value. Returns the per-value results and each row's value range.
fn per_value_eval(
    call: &Call<'_>,
    field: &str,
    expr: &Node,
    batch: &RecordBatch,
) -> Result<(Val, Vec<(usize, usize)>)> {
    let src = crate::eval::exec::read_field(batch, field)?;
    let text = to_text(&src);
    let mut values: Vec<String> = Vec::new();
    let mut parents: Vec<u32> = Vec::new();
    let mut ranges = Vec::with_capacity(call.len);
    for row in 0..call.len {
        let start = values.len();
        for v in row_values(&src, text.as_ref(), row) {
            values.push(v);
            parents.push(row as u32);
        }
        ranges.push((start, values.len()));
    }
    let idx = UInt32Array::from(parents);
    let mut referenced = Vec::new();
    expr.collect_fields(&mut referenced);
    let mut fields = vec![Field::new(field, arrow_schema::DataType::Utf8, true)];
    let mut columns: Vec<ArrayRef> = vec![Arc::new(StringArray::from(values))];
    for name in referenced.iter().filter(|n| n.as_str() != field) {
        if let Ok(i) = batch.schema_ref().index_of(name) {
            let f = batch.schema_ref().field(i).clone();
            columns.push(arrow_select::take::take(
                batch.column(i).as_ref(),
                &idx,
                None,
            )?);
            fields.push(f);
        }
    }
    let flat = RecordBatch::try_new_with_options(
        Arc::new(Schema::new(fields)),
        columns,
        &arrow_array::RecordBatchOptions::new().with_row_count(Some(idx.len())),
    )?;
    Ok((eval_node(expr, &flat, call.ctx)?, ranges))
}

pub(super) fn mvfilter(call: &Call<'_>, args: &[Node], batch: &RecordBatch) -> Result<Val> {
    let (Some(IterField(field)), Some(pred)) = (call.state.get::<IterField>(), args.first()) else {
        return Ok(Val::null());
    };
    let src = crate::eval::exec::read_field(batch, field)?;
    let text = to_text(&src);
    let (res, ranges) = per_value_eval(call, field, pred, batch)?;
    let keep = to_bool(&res);
    let rows: Vec<Option<Vec<String>>> = ranges
        .iter()
        .enumerate()
        .map(|(row, &(s, e))| {
            let vals = row_values(&src, text.as_ref(), row);
            let kept: Vec<String> = (s..e)
                .zip(vals)
                .filter(|(j, _)| keep.value(if keep.len() == 1 { 0 } else { *j }))
                .map(|(_, v)| v)
                .collect();
            (!kept.is_empty()).then_some(kept)
        })
        .collect();
    Ok(Val::multi(build_multi(rows), false))
}

pub(super) fn mvmap(call: &Call<'_>, args: &[Node], batch: &RecordBatch) -> Result<Val> {
    let (Some(IterField(field)), Some(expr)) = (call.state.get::<IterField>(), args.get(1)) else {
        return Ok(Val::null());
    };
    let (res, ranges) = per_value_eval(call, field, expr, batch)?;
    let text = to_text(&res);
    let rows: Vec<Option<Vec<String>>> = ranges
        .iter()
        .map(|&(s, e)| {
            let vals: Vec<String> = (s..e)
                .flat_map(|j| row_values(&res, text.as_ref(), j))
                .collect();
            (!vals.is_empty()).then_some(vals)
        })
        .collect();
    Ok(Val::multi(build_multi(rows), false))
}
