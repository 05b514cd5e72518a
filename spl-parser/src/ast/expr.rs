//! The eval/where expression language.

use crate::span::{Span, Spanned};
use serde::Serialize;

/// An eval expression node with its span.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expr {
    /// What kind of expression.
    pub kind: ExprKind,
    /// Covers the whole expression.
    pub span: Span,
}

/// Eval/where expression kinds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ExprKind {
    /// A field reference: a bare name or a single-quoted `'name'`.
    Field {
        /// The field name, unquoted.
        name: String,
        /// True when written in single quotes.
        quoted: bool,
    },
    /// A double-quoted string literal, escapes already processed.
    Str(String),
    /// A numeric literal, as written (`3`, `0.20`, `1e5`).
    Num(Number),
    /// A Boolean literal: a bare `true` or `false`, lower case (Splunk's
    /// "Types of expressions"; expressions are case-sensitive). A field
    /// named `true` is written `'true'`.
    Bool(bool),
    /// `-x`, `+x`, `NOT x`, `!x`.
    Unary {
        /// The operator.
        op: UnaryOp,
        /// The operand.
        expr: Box<Expr>,
    },
    /// `a op b`.
    Binary {
        /// The operator.
        op: BinaryOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// `name(args...)`. `true()`, `null()` etc. are calls too.
    Call {
        /// Function name as written (lookup is case-insensitive? no: SPL function
        /// names are lower case; we match case-insensitively and report the spelling).
        name: Spanned<String>,
        /// Arguments in order.
        args: Vec<Expr>,
    },
    /// `x IN (a, b, ...)` (infix form; `in(x, a, b)` is a `Call`).
    In {
        /// The tested value.
        expr: Box<Expr>,
        /// The candidate values.
        list: Vec<Expr>,
    },
}

/// A numeric literal. The text is kept because SPL tracks display precision
/// from how a literal is written (`0.20` vs `0.2`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Number {
    /// The literal as written, without sign.
    pub text: String,
}

impl Number {
    /// The value as a double.
    pub fn value(&self) -> f64 {
        self.text.parse().unwrap_or(f64::NAN)
    }
    /// True when written without a decimal point or exponent.
    pub fn is_integer(&self) -> bool {
        !self.text.contains(['.', 'e', 'E'])
    }
    /// Number of digits after the decimal point as written.
    pub fn decimals(&self) -> usize {
        match self.text.split_once('.') {
            Some((_, frac)) => frac.chars().take_while(|c| c.is_ascii_digit()).count(),
            None => 0,
        }
    }
}

/// Prefix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum UnaryOp {
    /// `-x`
    Neg,
    /// `+x`
    Plus,
    /// `NOT x` or `!x`
    Not,
}

/// Infix operators, loosest-binding last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BinaryOp {
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `+` (adds numbers, concatenates strings)
    Add,
    /// `-`
    Sub,
    /// `.` (string concatenation)
    Concat,
    /// `=` or `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `LIKE`
    Like,
    /// `AND`
    And,
    /// `OR`
    Or,
    /// `XOR`
    Xor,
}

impl BinaryOp {
    /// The operator as printed by the canonical printer.
    pub fn as_str(self) -> &'static str {
        match self {
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Concat => ".",
            BinaryOp::Eq => "=",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Like => "LIKE",
            BinaryOp::And => "AND",
            BinaryOp::Or => "OR",
            BinaryOp::Xor => "XOR",
        }
    }
}
