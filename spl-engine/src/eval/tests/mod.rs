//! Evaluator tests: registry examples, operators, coercion, seeds.

mod corpus;
mod families;
mod operators;

use super::{BoundExpr, EvalOutput};
use crate::context::ExecContext;
use crate::value::{cell, with_decimals, Cell};
use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field};
use std::sync::Arc;

/// Parses an eval expression with the real parser (as the body of a
/// `where` command), and checks the test-only parser agrees on the tree shape.
pub(crate) fn parse_expr(text: &str) -> spl_parser::ast::Expr {
    let pipeline = spl_parser::parse_pipeline(&format!("where {text}"))
        .unwrap_or_else(|e| panic!("parse {text:?}: {e}"));
    let Some(spl_parser::ast::Command::Where(w)) =
        pipeline.stages.into_iter().next().map(|s| s.command)
    else {
        panic!("{text:?} did not parse as a where command");
    };
    // Spans refer to the `where ` prefix; shift them back to the text.
    let mut expr = w.expr;
    shift_spans(&mut expr, 6);
    expr
}

fn shift_spans(e: &mut spl_parser::ast::Expr, by: u32) {
    use spl_parser::ast::ExprKind;
    e.span.start = e.span.start.saturating_sub(by);
    e.span.end = e.span.end.saturating_sub(by);
    match &mut e.kind {
        ExprKind::Unary { expr, .. } => shift_spans(expr, by),
        ExprKind::Binary { lhs, rhs, .. } => {
            shift_spans(lhs, by);
            shift_spans(rhs, by);
        }
        ExprKind::Call { name, args } => {
            name.span.start = name.span.start.saturating_sub(by);
            name.span.end = name.span.end.saturating_sub(by);
            args.iter_mut().for_each(|a| shift_spans(a, by));
        }
        ExprKind::In { expr, list } => {
            shift_spans(expr, by);
            list.iter_mut().for_each(|a| shift_spans(a, by));
        }
        _ => {}
    }
}

/// The clock used by examples: 2023-11-14T22:13:20Z.
pub(crate) const NOW: f64 = 1_700_000_000.0;

pub(crate) fn ctx() -> ExecContext {
    ExecContext::new(NOW)
}

/// The one-row batch registry examples run on: `host="web-01"`,
/// `status="404"`, `mv=["a","b","c"]`, `bytes=1500` (Float64), `empty=""`.
pub(crate) fn example_batch() -> RecordBatch {
    let mut mv = ListBuilder::new(StringBuilder::new());
    for v in ["a", "b", "c"] {
        mv.values().append_value(v);
    }
    mv.append(true);
    RecordBatch::try_from_iter(vec![
        (
            "host",
            Arc::new(StringArray::from(vec!["web-01"])) as ArrayRef,
        ),
        (
            "status",
            Arc::new(StringArray::from(vec!["404"])) as ArrayRef,
        ),
        ("mv", Arc::new(mv.finish()) as ArrayRef),
        (
            "bytes",
            Arc::new(Float64Array::from(vec![1500.0])) as ArrayRef,
        ),
        ("empty", Arc::new(StringArray::from(vec![""])) as ArrayRef),
    ])
    .unwrap()
}

/// Display text of each row of an evaluated column (as the registry examples write it).
pub(crate) fn display(out: &EvalOutput) -> Vec<String> {
    let field = with_decimals(
        Field::new("x", out.array.data_type().clone(), true),
        out.decimals,
    );
    (0..out.array.len())
        .map(|i| match cell(&field, out.array.as_ref(), i) {
            Cell::Null => "null".to_string(),
            Cell::Single(s) if matches!(out.array.data_type(), DataType::List(_)) => {
                format!("[{s:?}]")
            }
            Cell::Single(s) => s,
            Cell::Multi(v) => format!(
                "[{}]",
                v.iter()
                    .map(|s| format!("{s:?}"))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        })
        .collect()
}

/// Evaluates `expr` on `batch`, returning display strings per row.
pub(crate) fn eval_on(batch: &RecordBatch, expr: &str) -> Vec<String> {
    let c = ctx();
    let bound =
        BoundExpr::bind(&parse_expr(expr), &c).unwrap_or_else(|e| panic!("bind {expr}: {e}"));
    let out = bound
        .eval_field(batch, &c)
        .unwrap_or_else(|e| panic!("eval {expr}: {e}"));
    assert_eq!(out.array.len(), batch.num_rows(), "{expr}");
    display(&out)
}

/// Evaluates `expr` on the example batch (one row).
pub(crate) fn ev(expr: &str) -> String {
    eval_on(&example_batch(), expr).remove(0)
}

/// The bind error's diagnostic code for `expr`.
pub(crate) fn bind_err(expr: &str) -> String {
    use miette::Diagnostic;
    match BoundExpr::bind(&parse_expr(expr), &ctx()) {
        Ok(_) => panic!("expected a bind error for {expr}"),
        Err(e) => e.code().map(|c| c.to_string()).unwrap_or_default(),
    }
}

#[test]
fn registry_examples() {
    let mut n = 0;
    let mut failures = Vec::new();
    for f in super::functions::functions() {
        for ex in f.examples {
            let got = std::panic::catch_unwind(|| ev(ex.expr)).unwrap_or_else(|_| "<panic>".into());
            if got != ex.result {
                failures.push(format!(
                    "{}: {} => {got} (expected {})",
                    f.name, ex.expr, ex.result
                ));
            }
            n += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "failing examples:\n{}",
        failures.join("\n")
    );
    assert!(n >= 100, "only {n} examples");
}
