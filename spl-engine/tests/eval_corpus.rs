//! Binds every eval/where expression of the security_content corpus
//! (`shared/corpus/detections.jsonl`, macros expanded) against the function
//! registry, and evaluates each one on a small batch of text fields, so an
//! unknown function, a wrong arity, a regex the engine cannot compile, or a
//! panic in a function shows up here.

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use serde_json::Value;
use spl_engine::eval::BoundExpr;
use spl_engine::ExecContext;
use spl_parser::ast::{BinaryOp, Expr, ExprKind, Number, UnaryOp};
use spl_parser::macros::{expand, MacroSet};
use spl_parser::{Span, Spanned};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

fn corpus(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus")
        .join(file)
}

fn span(v: &Value) -> Span {
    let s = v.as_str().unwrap_or("0-0");
    let (a, b) = s.split_once('-').unwrap_or(("0", "0"));
    Span::new(a.parse().unwrap_or(0), b.parse().unwrap_or(0))
}

/// Rebuilds an `Expr` from its serde form (the AST is `Serialize` only).
fn expr_from_json(v: &Value) -> Option<Expr> {
    let obj = v.as_object()?;
    if obj.len() != 2 {
        return None;
    }
    let sp = span(obj.get("span")?);
    let kind = obj.get("kind")?.as_object()?;
    let (tag, body) = kind.iter().next()?;
    let kind = match tag.as_str() {
        "Field" => ExprKind::Field {
            name: body["name"].as_str()?.to_string(),
            quoted: body["quoted"].as_bool()?,
        },
        "Str" => ExprKind::Str(body.as_str()?.to_string()),
        "Bool" => ExprKind::Bool(body.as_bool()?),
        "Num" => ExprKind::Num(Number {
            text: body["text"].as_str()?.to_string(),
        }),
        "Unary" => ExprKind::Unary {
            op: match body["op"].as_str()? {
                "Neg" => UnaryOp::Neg,
                "Plus" => UnaryOp::Plus,
                _ => UnaryOp::Not,
            },
            expr: Box::new(expr_from_json(&body["expr"])?),
        },
        "Binary" => ExprKind::Binary {
            op: binop(body["op"].as_str()?)?,
            lhs: Box::new(expr_from_json(&body["lhs"])?),
            rhs: Box::new(expr_from_json(&body["rhs"])?),
        },
        "Call" => ExprKind::Call {
            name: Spanned::new(
                body["name"]["node"].as_str()?.to_string(),
                span(&body["name"]["span"]),
            ),
            args: body["args"]
                .as_array()?
                .iter()
                .map(expr_from_json)
                .collect::<Option<_>>()?,
        },
        "In" => ExprKind::In {
            expr: Box::new(expr_from_json(&body["expr"])?),
            list: body["list"]
                .as_array()?
                .iter()
                .map(expr_from_json)
                .collect::<Option<_>>()?,
        },
        _ => return None,
    };
    Some(Expr { kind, span: sp })
}

fn binop(s: &str) -> Option<BinaryOp> {
    Some(match s {
        "Mul" => BinaryOp::Mul,
        "Div" => BinaryOp::Div,
        "Mod" => BinaryOp::Mod,
        "Add" => BinaryOp::Add,
        "Sub" => BinaryOp::Sub,
        "Concat" => BinaryOp::Concat,
        "Eq" => BinaryOp::Eq,
        "Ne" => BinaryOp::Ne,
        "Lt" => BinaryOp::Lt,
        "Le" => BinaryOp::Le,
        "Gt" => BinaryOp::Gt,
        "Ge" => BinaryOp::Ge,
        "Like" => BinaryOp::Like,
        "And" => BinaryOp::And,
        "Or" => BinaryOp::Or,
        "Xor" => BinaryOp::Xor,
        _ => return None,
    })
}

/// Collects the outermost eval expressions anywhere in a serialized AST.
fn collect(v: &Value, out: &mut Vec<Expr>) {
    if let Some(e) = expr_from_json(v) {
        out.push(e);
        return;
    }
    match v {
        Value::Object(m) => m.values().for_each(|x| collect(x, out)),
        Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
        _ => {}
    }
}

/// Failures we expect, by the start of the error message, with the reason.
/// A new kind of failure fails the test, and so does a listed one that no
/// longer occurs.
/// (Empty since regexes are PCRE: the two searches whose look-ahead in
/// `replace()`/`match()` Rust's `regex` rejected now bind.)
const KNOWN: &[(&str, &str)] = &[];

#[test]
fn corpus_expressions_bind_and_evaluate() {
    let text = std::fs::read_to_string(corpus("detections.jsonl"))
        .expect("shared/corpus beside the repository");
    let mut macros = MacroSet::with_bundled();
    macros
        .load_path(&corpus("macros.jsonl"))
        .expect("corpus macros");
    let ctx = ExecContext::new(1_700_000_000.0);
    let mut total = 0;
    let mut parsed = 0;
    let mut failures: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).expect("json");
        let name = v["name"].as_str().unwrap_or("?").to_string();
        let Ok(expanded) = expand(v["search"].as_str().unwrap_or(""), &macros) else {
            continue;
        };
        let Ok(query) = spl_parser::parse(&expanded.text) else {
            continue;
        };
        parsed += 1;
        let mut exprs = Vec::new();
        collect(
            &serde_json::to_value(&query).expect("ast serializes"),
            &mut exprs,
        );
        for e in exprs {
            total += 1;
            let mut fields = Vec::new();
            match BoundExpr::bind(&e, &ctx) {
                Ok(b) => {
                    fields.extend(b.referenced_fields());
                    // Evaluate on three rows of plausible text values.
                    let cols: Vec<(String, ArrayRef)> = fields
                        .iter()
                        .map(|f| {
                            let a: ArrayRef = Arc::new(StringArray::from(vec![
                                Some("10"),
                                Some("C:\\Windows\\x.exe"),
                                None,
                            ]));
                            (f.clone(), a)
                        })
                        .collect();
                    let batch = if cols.is_empty() {
                        RecordBatch::try_new_with_options(
                            Arc::new(arrow_schema::Schema::empty()),
                            vec![],
                            &arrow_array::RecordBatchOptions::new().with_row_count(Some(3)),
                        )
                        .unwrap()
                    } else {
                        RecordBatch::try_from_iter(cols).unwrap()
                    };
                    if let Err(err) = b.eval(&batch, &ctx) {
                        failures
                            .entry(format!("eval: {err}"))
                            .or_default()
                            .push(name.clone());
                    }
                }
                Err(err) => failures
                    .entry(err.to_string())
                    .or_default()
                    .push(name.clone()),
            }
        }
    }
    eprintln!("corpus: {parsed} searches parsed, {total} expressions");
    for (msg, names) in &failures {
        eprintln!("  {msg} ({} searches, e.g. {})", names.len(), names[0]);
    }
    assert!(parsed > 1500, "only {parsed} searches parsed");
    assert!(total > 1000, "only {total} expressions");
    let unexplained: Vec<_> = failures
        .keys()
        .filter(|m| !KNOWN.iter().any(|(k, _)| m.starts_with(k)))
        .collect();
    assert!(
        unexplained.is_empty(),
        "unexplained failures: {unexplained:#?}"
    );
    let fixed: Vec<_> = KNOWN
        .iter()
        .filter(|(k, _)| !failures.keys().any(|m| m.starts_with(k)))
        .collect();
    assert!(
        fixed.is_empty(),
        "known failures that no longer occur: {fixed:?}"
    );
}
