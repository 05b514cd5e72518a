//! The canonical printer: `Display` for the AST prints normalised SPL such that
//! parsing it again gives the same tree (spans aside). Parentheses are derived
//! from precedence; field names are quoted only where a bare name would not
//! read back the same.

use super::{
    BinaryOp, Command, Expr, ExprKind, FieldAlias, Opt, Pipeline, Query, SearchExpr, SearchKind,
    SearchValue, Stage, Subsearch, UnaryOp,
};
use std::borrow::Cow;
use std::fmt::{self, Display, Formatter, Write};

/// `"text"` with `"` and (where needed) `\` escaped.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    escape_into(&mut out, s, &['"']);
    out.push('"');
    out
}

/// Escapes `specials` with a backslash, and a backslash wherever it would
/// otherwise combine with the next character (or end the text).
fn escape_into(out: &mut String, s: &str, specials: &[char]) {
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if specials.contains(&c) {
            out.push('\\');
            out.push(c);
        } else if c == '\\' {
            match it.peek() {
                None => out.push_str("\\\\"),
                Some(n) if *n == '\\' || specials.contains(n) => out.push_str("\\\\"),
                Some(_) => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
}

/// Words that a bare field name in an argument list must not be.
const LIST_KEYWORDS: &[&str] = &[
    "as",
    "by",
    "over",
    "output",
    "outputnew",
    "where",
    "from",
    "groupby",
    "sortby",
    "with",
    "in",
];

fn balanced_parens(s: &str) -> bool {
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// A field name in an argument list (`table`, `BY`, `rename`, `func(...)`).
pub(crate) fn field(name: &str) -> Cow<'_, str> {
    let safe = !name.is_empty()
        && !name.starts_with(['-', '+', '('])
        && !name
            .chars()
            .any(|c| c.is_whitespace() || ",|[]\"=`\\'".contains(c))
        && balanced_parens(name)
        && !LIST_KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(name));
    if safe {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(quote(name))
    }
}

/// A field name on the left of a search comparison.
fn search_field(name: &str) -> Cow<'_, str> {
    let safe = !name.is_empty()
        && !name
            .chars()
            .any(|c| c.is_whitespace() || "()[]|\"=!<>`\\,".contains(c))
        && !["AND", "OR", "NOT"].contains(&name)
        && !name.eq_ignore_ascii_case("in");
    if safe {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(quote(name))
    }
}

/// A search literal as written (bare or quoted).
fn search_value(v: &SearchValue) -> String {
    if v.quoted || v.text.is_empty() {
        return quote(&v.text);
    }
    bare_search_text(&v.text)
}

/// Bare-token text that the search lexer reads back as `text`: it mirrors
/// the lexer, which keeps quoted parts and spaces inside parentheses
/// (`relative_time(now(), "-1d")`) and removes one backslash from `\"`,
/// `\\` and `\|`.
fn bare_search_text(text: &str) -> String {
    // Raw quotes inside parentheses only read back as such when the
    // parentheses close; otherwise the lexer ends the token early.
    let widen = widenable(text);
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut in_quote = false;
    let mut it = text.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\\' => match it.peek() {
                None | Some('"' | '\\' | '|') => out.push_str("\\\\"),
                // An unknown escape: the lexer takes the next character
                // with the backslash, uninterpreted.
                Some(_) => {
                    out.push('\\');
                    out.extend(it.next());
                }
            },
            '"' if depth > 0 && widen => {
                in_quote = !in_quote;
                out.push('"');
            }
            '"' => out.push_str("\\\""),
            '|' if !in_quote => out.push_str("\\|"),
            '(' if !in_quote => {
                depth += 1;
                out.push(c);
            }
            ')' if !in_quote => {
                depth = depth.saturating_sub(1);
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// True when parentheses in `text` close and quotes inside them pair up.
fn widenable(text: &str) -> bool {
    let mut depth = 0usize;
    let mut in_quote = false;
    let mut it = text.chars();
    while let Some(c) = it.next() {
        match c {
            '\\' => {
                it.next();
            }
            '"' if depth > 0 => in_quote = !in_quote,
            '(' if !in_quote => depth += 1,
            ')' if !in_quote => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    depth == 0 && !in_quote
}

/// An option value: bare text as written, or quoted.
fn opt_value(value: &str, quoted: bool) -> String {
    if quoted {
        quote(value)
    } else {
        value.to_string()
    }
}

impl Display for Opt {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}={}",
            self.key.node,
            opt_value(&self.value.node, self.quoted)
        )
    }
}

impl Display for FieldAlias {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&field(&self.field.node))?;
        if let Some(a) = &self.alias {
            write!(f, " AS {}", field(&a.node))?;
        }
        Ok(())
    }
}

/// Space-separated words, for building command argument text.
#[derive(Default)]
pub(crate) struct Words(Vec<String>);

impl Words {
    pub(crate) fn new() -> Self {
        Words(Vec::new())
    }
    pub(crate) fn push(&mut self, w: impl Display) -> &mut Self {
        let s = w.to_string();
        if !s.is_empty() {
            self.0.push(s);
        }
        self
    }
    pub(crate) fn opts(&mut self, opts: &[Opt]) -> &mut Self {
        for o in opts {
            self.push(o);
        }
        self
    }
    pub(crate) fn fields(&mut self, fields: &[super::FieldName]) -> &mut Self {
        for x in fields {
            self.push(field(&x.node));
        }
        self
    }
    /// `KEYWORD f1 f2` when the list is not empty.
    pub(crate) fn clause(&mut self, kw: &str, fields: &[super::FieldName]) -> &mut Self {
        if !fields.is_empty() {
            self.push(kw);
            self.fields(fields);
        }
        self
    }
}

impl Display for Words {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(" "))
    }
}

impl Display for Query {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.pipeline.fmt(f)
    }
}

impl Display for Pipeline {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (k, st) in self.stages.iter().enumerate() {
            if k > 0 {
                f.write_str(" | ")?;
            } else if st.piped {
                f.write_str("| ")?;
            }
            match (&st.command, k == 0 && !st.piped) {
                (Command::Search(s), true) if implicit_ok(s.expr.as_ref()) => {
                    if let Some(e) = &s.expr {
                        e.fmt(f)?;
                    }
                }
                _ => st.fmt(f)?,
            }
        }
        Ok(())
    }
}

/// A leading search can be printed without `search` unless its first term
/// would read as a command name.
fn implicit_ok(e: Option<&SearchExpr>) -> bool {
    let Some(mut e) = e else {
        return false;
    };
    loop {
        match &e.kind {
            SearchKind::And(v) | SearchKind::Or(v) => match v.first() {
                Some(first) => e = first,
                None => return false,
            },
            SearchKind::Term(v) if !v.quoted => {
                let word = v
                    .text
                    .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                    .next();
                return !word.is_some_and(|w| {
                    w.eq_ignore_ascii_case("search") || crate::commands::is_known_command(w)
                });
            }
            _ => return true,
        }
    }
}

impl Display for Stage {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name.node)?;
        let args = self.command.to_string();
        if !args.is_empty() {
            f.write_char(' ')?;
            f.write_str(&args)?;
        }
        Ok(())
    }
}

impl Display for Subsearch {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "[{}]", self.pipeline)
    }
}

// ---- search language ----

fn search_prec(e: &SearchExpr) -> u8 {
    match e.kind {
        SearchKind::And(_) => 1,
        SearchKind::Or(_) => 2,
        _ => 3,
    }
}

fn search_child(f: &mut Formatter<'_>, e: &SearchExpr, min: u8) -> fmt::Result {
    if search_prec(e) < min {
        write!(f, "({e})")
    } else {
        e.fmt(f)
    }
}

impl Display for SearchExpr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            SearchKind::And(items) => {
                for (k, it) in items.iter().enumerate() {
                    if k > 0 {
                        f.write_char(' ')?;
                    }
                    search_child(f, it, 2)?;
                }
                Ok(())
            }
            SearchKind::Or(items) => {
                for (k, it) in items.iter().enumerate() {
                    if k > 0 {
                        f.write_str(" OR ")?;
                    }
                    search_child(f, it, 3)?;
                }
                Ok(())
            }
            SearchKind::Not(inner) => {
                f.write_str("NOT ")?;
                search_child(f, inner, 3)
            }
            SearchKind::Term(v) => f.write_str(&search_value(v)),
            SearchKind::Compare {
                field, op, value, ..
            } => {
                let v = search_value(value);
                // `a= =b` compares with `=b`; `a==b` would read as `==`.
                let sep = if v.starts_with(['=', '<', '>', '!']) {
                    " "
                } else {
                    ""
                };
                write!(f, "{}{}{sep}{v}", search_field(field), op.as_str())
            }
            SearchKind::In { field, values, .. } => {
                write!(f, "{} IN (", search_field(field))?;
                for (k, v) in values.iter().enumerate() {
                    if k > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(&search_value(v))?;
                }
                f.write_char(')')
            }
            SearchKind::TimeBound { key, value } => {
                let bare = !value.is_empty()
                    && !value.starts_with(['=', '<', '>', '!'])
                    && !value
                        .chars()
                        .any(|c| c.is_whitespace() || "()[]|\"`\\".contains(c));
                if bare {
                    write!(f, "{key}={value}")
                } else {
                    write!(f, "{key}={}", quote(value))
                }
            }
            SearchKind::Func { name, value } => write!(f, "{name}({})", search_value(value)),
            SearchKind::Subsearch(s) => s.fmt(f),
        }
    }
}

// ---- eval language ----

fn binary_prec(op: BinaryOp) -> u8 {
    match op {
        BinaryOp::Xor => 1,
        BinaryOp::Or => 2,
        BinaryOp::And => 3,
        BinaryOp::Eq
        | BinaryOp::Ne
        | BinaryOp::Lt
        | BinaryOp::Le
        | BinaryOp::Gt
        | BinaryOp::Ge
        | BinaryOp::Like => 5,
        BinaryOp::Add | BinaryOp::Sub | BinaryOp::Concat => 6,
        BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => 7,
    }
}

fn expr_prec(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Binary { op, .. } => binary_prec(*op),
        ExprKind::In { .. } => 5,
        ExprKind::Unary {
            op: UnaryOp::Not, ..
        } => 4,
        ExprKind::Unary { .. } => 8,
        _ => 9,
    }
}

fn expr_child(f: &mut Formatter<'_>, e: &Expr, min: u8) -> fmt::Result {
    if expr_prec(e) < min {
        write!(f, "({e})")
    } else {
        e.fmt(f)
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Field { name, quoted } => {
                // A bare `true`/`false` would read back as a Boolean literal.
                if *quoted || name == "true" || name == "false" {
                    write!(f, "'{name}'")
                } else {
                    f.write_str(name)
                }
            }
            ExprKind::Str(s) => f.write_str(&quote(s)),
            ExprKind::Num(n) => f.write_str(&n.text),
            ExprKind::Bool(b) => f.write_str(if *b { "true" } else { "false" }),
            ExprKind::Unary { op, expr } => match op {
                UnaryOp::Not => {
                    f.write_str("NOT ")?;
                    expr_child(f, expr, 4)
                }
                UnaryOp::Neg => {
                    f.write_char('-')?;
                    expr_child(f, expr, 8)
                }
                UnaryOp::Plus => {
                    f.write_char('+')?;
                    expr_child(f, expr, 8)
                }
            },
            ExprKind::Binary { op, lhs, rhs } => {
                let p = binary_prec(*op);
                expr_child(f, lhs, p)?;
                write!(f, " {} ", op.as_str())?;
                expr_child(f, rhs, p + 1)
            }
            ExprKind::Call { name, args } => {
                write!(f, "{}(", name.node)?;
                for (k, a) in args.iter().enumerate() {
                    if k > 0 {
                        f.write_str(", ")?;
                    }
                    a.fmt(f)?;
                }
                f.write_char(')')
            }
            ExprKind::In { expr, list } => {
                expr_child(f, expr, 6)?;
                f.write_str(" IN (")?;
                for (k, a) in list.iter().enumerate() {
                    if k > 0 {
                        f.write_str(", ")?;
                    }
                    a.fmt(f)?;
                }
                f.write_char(')')
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quote(r#"a"b"#), r#""a\"b""#);
        assert_eq!(quote(r"\d+"), r#""\d+""#);
        assert_eq!(quote("x\\"), r#""x\\""#);
        assert_eq!(field("k8s.cluster.name"), "k8s.cluster.name");
        assert_eq!(field("Account ID"), "\"Account ID\"");
        assert_eq!(field("by"), "\"by\"");
        assert_eq!(field("predicted(x)"), "predicted(x)");
    }

    #[test]
    fn boolean_literals_and_fields_named_like_them() {
        let e = |kind| Expr {
            kind,
            span: crate::Span::new(0, 0),
        };
        assert_eq!(e(ExprKind::Bool(true)).to_string(), "true");
        assert_eq!(e(ExprKind::Bool(false)).to_string(), "false");
        // A field built without the quoted flag still prints as a field.
        let field = |name: &str| ExprKind::Field {
            name: name.into(),
            quoted: false,
        };
        assert_eq!(e(field("true")).to_string(), "'true'");
        assert_eq!(e(field("false")).to_string(), "'false'");
        assert_eq!(e(field("TRUE")).to_string(), "TRUE");
    }
}
