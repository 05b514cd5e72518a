//! Column-wise evaluation of a bound [`Node`] tree over a batch.

use super::bind::{Node, Op};
use super::functions::{Call, Invoke};
use super::ops;
use super::val::{Data, Origin, Val};
use crate::context::ExecContext;
use crate::error::Result;
use crate::value::{field_decimals, normalize_column};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::DataType;
use spl_parser::ast::BinaryOp;

/// Evaluates `node` over every row of `batch`.
pub(crate) fn eval_node(node: &Node, batch: &RecordBatch, ctx: &ExecContext) -> Result<Val> {
    let len = batch.num_rows();
    match &node.op {
        Op::Lit(v) => Ok(v.clone()),
        Op::Field(name) => read_field(batch, name),
        Op::Neg(x) => ops::negate(&eval_node(x, batch, ctx)?),
        Op::ToNum(x) => {
            let v = eval_node(x, batch, ctx)?;
            let decimals = v.decimals;
            Ok(match super::coerce::to_num(&v, true) {
                Some(n) => Val::num(n, v.scalar).with_decimals(decimals),
                None => Val::null(),
            })
        }
        Op::Not(x) => ops::not(&eval_node(x, batch, ctx)?),
        Op::Binary(op, l, r) => {
            let l = eval_node(l, batch, ctx)?;
            let r = eval_node(r, batch, ctx)?;
            match op {
                BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => {
                    ops::arith(*op, &l, &r)
                }
                BinaryOp::Add => ops::plus(&l, &r, len),
                BinaryOp::Concat => ops::concat(&l, &r, len),
                BinaryOp::Eq
                | BinaryOp::Ne
                | BinaryOp::Lt
                | BinaryOp::Le
                | BinaryOp::Gt
                | BinaryOp::Ge => ops::compare(*op, &l, &r, len),
                // Bound as a call to `like` (see bind.rs); kept for completeness.
                BinaryOp::Like => ops::compare(BinaryOp::Eq, &l, &r, len),
                BinaryOp::And | BinaryOp::Or | BinaryOp::Xor => ops::logic(*op, &l, &r, len),
            }
        }
        Op::Concat(parts) => {
            let vals = parts
                .iter()
                .map(|n| eval_node(n, batch, ctx))
                .collect::<Result<Vec<_>>>()?;
            ops::concat_n(&vals.iter().collect::<Vec<_>>(), len)
        }
        Op::In(x, list) => {
            let x = eval_node(x, batch, ctx)?;
            let list = list
                .iter()
                .map(|n| eval_node(n, batch, ctx))
                .collect::<Result<Vec<_>>>()?;
            ops::in_list(&x, &list, len)
        }
        Op::Call { spec, args, state } => {
            let call = Call { len, ctx, state };
            match spec.invoke {
                Invoke::Eager(f) => {
                    let vals = args
                        .iter()
                        .map(|n| eval_node(n, batch, ctx))
                        .collect::<Result<Vec<_>>>()?;
                    f(&call, &vals)
                }
                Invoke::Lazy(f) => f(&call, args, batch),
            }
        }
    }
}

/// Reads a field: absent → null; canonical Arrow types → SPL values.
pub(crate) fn read_field(batch: &RecordBatch, name: &str) -> Result<Val> {
    let schema = batch.schema_ref();
    let Ok(i) = schema.index_of(name) else {
        return Ok(Val::null());
    };
    let decimals = field_decimals(schema.field(i));
    Ok(array_to_val(batch.column(i), false)?.with_decimals(decimals))
}

/// Wraps an Arrow column (any supported input type) as an SPL value.
pub(crate) fn array_to_val(array: &ArrayRef, scalar: bool) -> Result<Val> {
    let arr = normalize_column(array)?;
    if arr.null_count() == arr.len() && !arr.is_empty() && !scalar {
        // Keep the row count semantics simple: an all-null column is null.
        return Ok(Val::null());
    }
    let data = match arr.data_type() {
        DataType::Float64 => Data::Num(arr.as_primitive().clone()),
        DataType::Boolean => Data::Bool(arr.as_boolean().clone()),
        DataType::List(_) => Data::Multi(arr.as_list().clone()),
        DataType::Utf8 => Data::Str(arr.as_string().clone(), Origin::Field),
        _ => Data::Null,
    };
    Ok(Val::new(data, scalar))
}
