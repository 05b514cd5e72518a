//! Builders for hand-made ASTs and batches, and a plain-text table renderer.

use crate::operator::Operator;
use crate::ExecContext;
use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use spl_parser::ast::{self, Agg, AggArg, Command, Opt, Stage};
use spl_parser::{Span, Spanned};
use std::sync::Arc;

pub fn sp<T>(v: T) -> Spanned<T> {
    Spanned::new(v, Span::new(0, 0))
}

pub fn sp_at<T>(v: T, start: usize, end: usize) -> Spanned<T> {
    Spanned::new(v, Span::new(start, end))
}

/// `func(arg) [as alias]`; `arg` None is a bare function.
pub fn agg(func: &str, arg: Option<&str>, alias: Option<&str>) -> Agg {
    Agg {
        func: sp(func.to_string()),
        arg: arg.map(|a| AggArg::Field(sp(a.to_string()))),
        alias: alias.map(|a| sp(a.to_string())),
        span: Span::new(0, 0),
    }
}

pub fn opt(key: &str, value: &str) -> Opt {
    Opt {
        key: sp(key.to_string()),
        value: sp(value.to_string()),
        quoted: false,
    }
}

pub fn stats_cmd(aggs: Vec<Agg>, by: &[&str], options: Vec<Opt>) -> ast::Stats {
    ast::Stats {
        options,
        aggs,
        by: by.iter().map(|b| sp(b.to_string())).collect(),
    }
}

pub fn stage(name: &str, command: Command) -> Stage {
    Stage {
        command,
        name: sp(name.to_string()),
        piped: true,
        span: Span::new(0, 0),
    }
}

pub fn ctx() -> ExecContext {
    ExecContext::new(1_700_000_000.0)
}

pub fn strs(v: &[Option<&str>]) -> ArrayRef {
    Arc::new(StringArray::from(v.to_vec()))
}

pub fn nums(v: &[Option<f64>]) -> ArrayRef {
    Arc::new(Float64Array::from(v.to_vec()))
}

pub fn mv(rows: &[Option<&[&str]>]) -> ArrayRef {
    let mut b = ListBuilder::new(StringBuilder::new());
    for r in rows {
        match r {
            Some(vs) => {
                for v in *vs {
                    b.values().append_value(v);
                }
                b.append(true);
            }
            None => b.append(false),
        }
    }
    Arc::new(b.finish())
}

pub fn batch(cols: Vec<(&str, ArrayRef)>) -> RecordBatch {
    let schema = Schema::new(
        cols.iter()
            .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
            .collect::<Vec<_>>(),
    );
    RecordBatch::try_new(Arc::new(schema), cols.into_iter().map(|(_, a)| a).collect()).unwrap()
}

pub fn run(op: &mut dyn Operator, input: Vec<RecordBatch>) -> Vec<RecordBatch> {
    let c = ctx();
    let mut out = Vec::new();
    for b in input {
        out.extend(op.push(b, &c).unwrap());
    }
    out.extend(op.finish(&c).unwrap());
    out
}

fn cell(a: &ArrayRef, i: usize) -> String {
    if a.is_null(i) {
        return "-".into();
    }
    match a.data_type() {
        DataType::Float64 => {
            let x = a.as_primitive::<arrow_array::types::Float64Type>().value(i);
            if x == 0.0 {
                "0".into()
            } else {
                format!("{x}")
            }
        }
        DataType::Utf8 => a.as_string::<i32>().value(i).to_string(),
        DataType::List(_) => {
            let l = a.as_list::<i32>().value(i);
            let s = l.as_string::<i32>();
            let parts: Vec<&str> = (0..s.len()).map(|j| s.value(j)).collect();
            format!("[{}]", parts.join("|"))
        }
        t => format!("<{t}>"),
    }
}

/// Header line plus one line per row, cells joined by ` ; `.
pub fn render(batches: &[RecordBatch]) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(b) = batches.first() {
        let names: Vec<String> = b
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        out.push(names.join(" ; "));
    }
    for b in batches {
        for r in 0..b.num_rows() {
            let cells: Vec<String> = b.columns().iter().map(|c| cell(c, r)).collect();
            out.push(cells.join(" ; "));
        }
    }
    out
}
