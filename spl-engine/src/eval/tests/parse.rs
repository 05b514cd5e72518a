//! A tiny test-only expression parser (the real one lives in `spl-parser`),
//! so tests can be written as SPL text. Precedence per semantics 3.2.

use spl_parser::ast::{BinaryOp, Expr, ExprKind, Number, UnaryOp};
use spl_parser::{Span, Spanned};

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(String),
    Str(String),
    Field(String, bool),
    Op(&'static str),
    LParen,
    RParen,
    Comma,
}

fn lex(s: &str) -> Vec<(Tok, usize, usize)> {
    let b: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let tok = if c.is_ascii_digit()
            || (c == '.' && b.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == '.') {
                i += 1;
            }
            if i < b.len() && (b[i] == 'e' || b[i] == 'E') {
                i += 1;
                if i < b.len() && (b[i] == '+' || b[i] == '-') {
                    i += 1;
                }
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
            }
            Tok::Num(b[start..i].iter().collect())
        } else if c == '"' {
            i += 1;
            let mut v = String::new();
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' && i + 1 < b.len() && (b[i + 1] == '"' || b[i + 1] == '\\') {
                    v.push(b[i + 1]);
                    i += 2;
                } else {
                    v.push(b[i]);
                    i += 1;
                }
            }
            i += 1;
            Tok::Str(v)
        } else if c == '\'' {
            i += 1;
            let mut v = String::new();
            while i < b.len() && b[i] != '\'' {
                v.push(b[i]);
                i += 1;
            }
            i += 1;
            Tok::Field(v, true)
        } else if c.is_alphabetic() || c == '_' {
            while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                i += 1;
            }
            let w: String = b[start..i].iter().collect();
            match w.to_ascii_uppercase().as_str() {
                "AND" => Tok::Op("AND"),
                "OR" => Tok::Op("OR"),
                "XOR" => Tok::Op("XOR"),
                "NOT" => Tok::Op("NOT"),
                "LIKE" => Tok::Op("LIKE"),
                "IN" if b
                    .get(i..)
                    .is_some_and(|r| r.iter().find(|c| !c.is_whitespace()) == Some(&'(')) =>
                {
                    Tok::Op("IN")
                }
                _ => Tok::Field(w, false),
            }
        } else {
            let two: String = b[i..(i + 2).min(b.len())].iter().collect();
            let op = ["==", "!=", "<=", ">="].into_iter().find(|o| *o == two);
            if let Some(op) = op {
                i += 2;
                Tok::Op(op)
            } else {
                i += 1;
                match c {
                    '(' => Tok::LParen,
                    ')' => Tok::RParen,
                    ',' => Tok::Comma,
                    '+' => Tok::Op("+"),
                    '-' => Tok::Op("-"),
                    '*' => Tok::Op("*"),
                    '/' => Tok::Op("/"),
                    '%' => Tok::Op("%"),
                    '.' => Tok::Op("."),
                    '=' => Tok::Op("="),
                    '<' => Tok::Op("<"),
                    '>' => Tok::Op(">"),
                    '!' => Tok::Op("!"),
                    other => panic!("unexpected {other:?} in {s:?}"),
                }
            }
        };
        out.push((tok, start, i));
    }
    out
}

struct P {
    toks: Vec<(Tok, usize, usize)>,
    pos: usize,
}

fn binop(op: &str) -> Option<(BinaryOp, u8)> {
    Some(match op {
        "XOR" => (BinaryOp::Xor, 1),
        "OR" => (BinaryOp::Or, 2),
        "AND" => (BinaryOp::And, 3),
        "=" | "==" => (BinaryOp::Eq, 5),
        "!=" => (BinaryOp::Ne, 5),
        "<" => (BinaryOp::Lt, 5),
        "<=" => (BinaryOp::Le, 5),
        ">" => (BinaryOp::Gt, 5),
        ">=" => (BinaryOp::Ge, 5),
        "LIKE" => (BinaryOp::Like, 5),
        "+" => (BinaryOp::Add, 6),
        "-" => (BinaryOp::Sub, 6),
        "." => (BinaryOp::Concat, 6),
        "*" => (BinaryOp::Mul, 7),
        "/" => (BinaryOp::Div, 7),
        "%" => (BinaryOp::Mod, 7),
        _ => return None,
    })
}

impl P {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.0)
    }
    fn span_from(&self, start: usize) -> Span {
        let end = self
            .toks
            .get(self.pos.saturating_sub(1))
            .map_or(start, |t| t.2);
        Span::new(start, end)
    }
    fn start(&self) -> usize {
        self.toks.get(self.pos).map_or(0, |t| t.1)
    }

    fn expr(&mut self, min: u8) -> Expr {
        let start = self.start();
        let mut lhs = self.unary();
        while let Some(Tok::Op(op)) = self.peek().cloned() {
            if op == "IN" {
                if min > 5 {
                    break;
                }
                self.pos += 1;
                let list = self.args();
                lhs = Expr {
                    kind: ExprKind::In {
                        expr: Box::new(lhs),
                        list,
                    },
                    span: self.span_from(start),
                };
                continue;
            }
            let Some((bop, prec)) = binop(op) else { break };
            if prec < min {
                break;
            }
            self.pos += 1;
            let rhs = self.expr(prec + 1);
            lhs = Expr {
                kind: ExprKind::Binary {
                    op: bop,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                },
                span: self.span_from(start),
            };
        }
        lhs
    }

    fn unary(&mut self) -> Expr {
        let start = self.start();
        let op = match self.peek() {
            Some(Tok::Op("NOT")) | Some(Tok::Op("!")) => Some((UnaryOp::Not, 4)),
            Some(Tok::Op("-")) => Some((UnaryOp::Neg, 8)),
            Some(Tok::Op("+")) => Some((UnaryOp::Plus, 8)),
            _ => None,
        };
        if let Some((op, prec)) = op {
            self.pos += 1;
            let inner = if prec == 4 {
                self.expr(4)
            } else {
                self.unary()
            };
            return Expr {
                kind: ExprKind::Unary {
                    op,
                    expr: Box::new(inner),
                },
                span: self.span_from(start),
            };
        }
        self.primary()
    }

    fn args(&mut self) -> Vec<Expr> {
        assert_eq!(self.peek(), Some(&Tok::LParen));
        self.pos += 1;
        let mut args = Vec::new();
        if self.peek() == Some(&Tok::RParen) {
            self.pos += 1;
            return args;
        }
        loop {
            args.push(self.expr(0));
            match self.peek() {
                Some(Tok::Comma) => self.pos += 1,
                Some(Tok::RParen) => {
                    self.pos += 1;
                    return args;
                }
                other => panic!("expected , or ) found {other:?}"),
            }
        }
    }

    fn primary(&mut self) -> Expr {
        let (tok, start, end) = self.toks[self.pos].clone();
        self.pos += 1;
        let kind = match tok {
            Tok::Num(text) => ExprKind::Num(Number { text }),
            Tok::Str(s) => ExprKind::Str(s),
            Tok::Field(name, true) => ExprKind::Field { name, quoted: true },
            Tok::Op(w @ ("IN" | "LIKE")) if self.peek() == Some(&Tok::LParen) => ExprKind::Call {
                name: Spanned::new(w.to_ascii_lowercase(), Span::new(start, end)),
                args: self.args(),
            },
            Tok::Field(name, false) => {
                if self.peek() == Some(&Tok::LParen) {
                    let args = self.args();
                    ExprKind::Call {
                        name: Spanned::new(name, Span::new(start, end)),
                        args,
                    }
                } else {
                    ExprKind::Field {
                        name,
                        quoted: false,
                    }
                }
            }
            Tok::LParen => {
                let e = self.expr(0);
                assert_eq!(self.peek(), Some(&Tok::RParen));
                self.pos += 1;
                return e;
            }
            other => panic!("unexpected token {other:?}"),
        };
        Expr {
            kind,
            span: self.span_from(start),
        }
    }
}

/// Parses an eval expression (test helper; panics on bad input).
pub(crate) fn parse_expr(s: &str) -> Expr {
    let mut p = P {
        toks: lex(s),
        pos: 0,
    };
    let e = p.expr(0);
    assert_eq!(p.pos, p.toks.len(), "trailing tokens in {s:?}");
    e
}
