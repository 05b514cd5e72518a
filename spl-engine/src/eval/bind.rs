//! Plan-time binding: AST -> [`Node`] tree with functions resolved, arity
//! checked, literals pre-built and statically known result kinds.

use super::functions::{self, BindCx, CallState, FunctionSpec};
use super::val::Val;
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use spl_parser::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
use spl_parser::Span;

/// What an expression is known to produce before it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Num,
    Str,
    Bool,
    Multi,
    Null,
    /// A number or a string depending on the data (`+`), never a boolean.
    Value,
    /// Depends on the data (field references, `if`, ...).
    Any,
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::Num => "a number",
            Kind::Str => "a string",
            Kind::Bool => "a boolean",
            Kind::Multi => "a multivalue",
            Kind::Null => "null",
            Kind::Value | Kind::Any => "a value",
        }
    }
}

/// A bound expression node.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub op: Op,
    pub span: Span,
    pub kind: Kind,
}

/// Bound operations.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    Lit(Val),
    Field(String),
    Neg(Box<Node>),
    ToNum(Box<Node>),
    Not(Box<Node>),
    Binary(BinaryOp, Box<Node>, Box<Node>),
    /// A chain of `.` (or `+` known to concatenate), flattened.
    Concat(Vec<Node>),
    In(Box<Node>, Vec<Node>),
    Call {
        spec: &'static FunctionSpec,
        args: Vec<Node>,
        state: CallState,
    },
}

impl Node {
    /// The string literal this node is, if any.
    pub fn as_str_lit(&self) -> Option<&str> {
        match &self.op {
            Op::Lit(v) => match &v.data {
                super::val::Data::Str(a, _) if !arrow_array::Array::is_null(a, 0) => {
                    Some(a.value(0))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// The numeric literal this node is, if any.
    pub fn as_num_lit(&self) -> Option<f64> {
        match &self.op {
            Op::Lit(v) => match &v.data {
                super::val::Data::Num(a) if !arrow_array::Array::is_null(a, 0) => Some(a.value(0)),
                _ => None,
            },
            Op::Neg(inner) => inner.as_num_lit().map(|x| -x),
            _ => None,
        }
    }

    /// Fails unless this node can be used as a condition (3.1, 4).
    pub fn expect_bool(&self, what: &str) -> Result<()> {
        match (&self.op, self.kind) {
            (_, Kind::Bool | Kind::Null) => Ok(()),
            (Op::Field(name), _) => Err(EngineError::InvalidArgument {
                message: format!("expected a boolean expression for {what}, found field `{name}`"),
                span: self.span,
                label: "not a boolean".into(),
                help: Some(field_predicate_help(name)),
            }),
            (_, Kind::Any) => Ok(()),
            (_, k) => Err(EngineError::InvalidArgument {
                message: format!(
                    "expected a boolean expression for {what}, found {}",
                    k.describe()
                ),
                span: self.span,
                label: "not a boolean".into(),
                help: None,
            }),
        }
    }

    /// Field names this node reads, in first-use order.
    pub fn collect_fields(&self, out: &mut Vec<String>) {
        let mut push = |n: &str| {
            if !out.iter().any(|o| o == n) {
                out.push(n.to_string());
            }
        };
        match &self.op {
            Op::Lit(_) => {}
            Op::Field(n) => push(n),
            Op::Neg(x) | Op::ToNum(x) | Op::Not(x) => x.collect_fields(out),
            Op::Binary(_, a, b) => {
                a.collect_fields(out);
                b.collect_fields(out);
            }
            Op::Concat(parts) => parts.iter().for_each(|n| n.collect_fields(out)),
            Op::In(x, list) => {
                x.collect_fields(out);
                list.iter().for_each(|n| n.collect_fields(out));
            }
            Op::Call { args, .. } => args.iter().for_each(|n| n.collect_fields(out)),
        }
    }
}

/// The help for a bare field used as a condition. `TRUE`, `False`... are
/// fields only because of their case (a field named exactly `true` was
/// written `'true'`), so they get a hint about Boolean literals.
fn field_predicate_help(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if lower != "true" && lower != "false" {
        format!("compare the field, e.g. `{name}=\"true\"` or `isnotnull({name})`")
    } else if lower != name {
        format!("Boolean literals are lower case: write `{lower}`")
    } else {
        format!("compare the field, e.g. `'{name}'=\"true\"` or `isnotnull('{name}')`")
    }
}

/// Binds an AST expression.
pub(crate) fn bind_expr(expr: &Expr, ctx: &ExecContext) -> Result<Node> {
    let span = expr.span;
    let node = |op: Op, kind: Kind| Node { op, span, kind };
    Ok(match &expr.kind {
        ExprKind::Field { name, .. } => node(Op::Field(name.clone()), Kind::Any),
        ExprKind::Str(s) => node(Op::Lit(Val::text_scalar(Some(s))), Kind::Str),
        ExprKind::Bool(b) => node(Op::Lit(Val::bool_scalar(*b)), Kind::Bool),
        ExprKind::Num(n) => {
            let v = n.value();
            if v.is_nan() {
                return Err(EngineError::invalid(
                    format!("expected a number, found `{}`", n.text),
                    span,
                    "bad number",
                ));
            }
            // A literal written with decimals displays as written (`1.50`); see compat notes.
            let decimals = if n.text.contains(['e', 'E']) || n.is_integer() {
                None
            } else {
                u8::try_from(n.decimals()).ok()
            };
            node(
                Op::Lit(Val::num_scalar(Some(v)).with_decimals(decimals)),
                Kind::Num,
            )
        }
        ExprKind::Unary { op, expr } => {
            let inner = bind_expr(expr, ctx)?;
            match op {
                UnaryOp::Neg => node(Op::Neg(Box::new(inner)), Kind::Num),
                UnaryOp::Plus => node(Op::ToNum(Box::new(inner)), Kind::Num),
                UnaryOp::Not => {
                    inner.expect_bool("NOT")?;
                    node(Op::Not(Box::new(inner)), Kind::Bool)
                }
            }
        }
        ExprKind::Binary {
            op: BinaryOp::Like,
            lhs,
            rhs,
        } => {
            // `x LIKE p` is `like(x, p)`: same semantics, pattern compiled once.
            let args = vec![bind_expr(lhs, ctx)?, bind_expr(rhs, ctx)?];
            bind_call("like", span, span, args, ctx)?
        }
        ExprKind::Binary { op, lhs, rhs } => {
            let l = bind_expr(lhs, ctx)?;
            let r = bind_expr(rhs, ctx)?;
            let kind = match op {
                BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod | BinaryOp::Sub => Kind::Num,
                BinaryOp::Add => match (l.kind, r.kind) {
                    (Kind::Num, Kind::Num) => Kind::Num,
                    (Kind::Str, _) | (_, Kind::Str) => Kind::Str,
                    _ => Kind::Value,
                },
                BinaryOp::Concat => Kind::Str,
                BinaryOp::And | BinaryOp::Or | BinaryOp::Xor => {
                    l.expect_bool(op.as_str())?;
                    r.expect_bool(op.as_str())?;
                    Kind::Bool
                }
                _ => Kind::Bool,
            };
            // `.` always concatenates, and so does `+` when one side is a
            // string (3.3): flatten the chain into one node.
            if *op == BinaryOp::Concat || (*op == BinaryOp::Add && kind == Kind::Str) {
                let mut parts = Vec::new();
                for side in [l, r] {
                    match side.op {
                        Op::Concat(inner) => parts.extend(inner),
                        _ => parts.push(side),
                    }
                }
                return Ok(node(Op::Concat(parts), Kind::Str));
            }
            node(Op::Binary(*op, Box::new(l), Box::new(r)), kind)
        }
        ExprKind::In { expr, list } => {
            let x = bind_expr(expr, ctx)?;
            let list = list
                .iter()
                .map(|e| bind_expr(e, ctx))
                .collect::<Result<Vec<_>>>()?;
            node(Op::In(Box::new(x), list), Kind::Bool)
        }
        ExprKind::Call { name, args } => {
            let args = args
                .iter()
                .map(|e| bind_expr(e, ctx))
                .collect::<Result<Vec<_>>>()?;
            bind_call(&name.node, name.span, span, args, ctx)?
        }
    })
}

/// Resolves a function call: name, arity, then the function's own bind hook.
fn bind_call(
    name: &str,
    name_span: Span,
    span: Span,
    args: Vec<Node>,
    ctx: &ExecContext,
) -> Result<Node> {
    let Some(spec) = functions::lookup(name) else {
        return Err(EngineError::UnknownFunction {
            name: name.to_string(),
            span: name_span,
            help: functions::suggest(name),
        });
    };
    if args.len() < spec.min_args || spec.max_args.is_some_and(|m| args.len() > m) {
        return Err(EngineError::WrongArgCount {
            name: spec.name.to_string(),
            expected: spec.arity_text(),
            found: args.len(),
            span,
        });
    }
    let state = match spec.bind {
        Some(hook) => hook(&BindCx {
            name: spec.name,
            span,
            args: &args,
            ctx,
        })?,
        None => CallState::default(),
    };
    let kind = result_kind(spec, &args);
    Ok(Node {
        op: Op::Call { spec, args, state },
        span,
        kind,
    })
}

/// `if`/`case`/`coalesce`-style functions are boolean only when every
/// candidate value is; everything else declares its kind in the registry.
fn result_kind(spec: &FunctionSpec, args: &[Node]) -> Kind {
    let values: Vec<Kind> = match spec.name {
        "if" => args.iter().skip(1).map(|a| a.kind).collect(),
        "case" | "validate" => args.iter().skip(1).step_by(2).map(|a| a.kind).collect(),
        "coalesce" | "nullif" => args.iter().map(|a| a.kind).collect(),
        _ => return spec.returns,
    };
    let non_null: Vec<Kind> = values.into_iter().filter(|k| *k != Kind::Null).collect();
    match non_null.first() {
        None => Kind::Null,
        Some(first) if non_null.iter().all(|k| k == first) => *first,
        Some(_) => Kind::Any,
    }
}
