//! `convert [timeformat=..] func(field) [AS name]...`.

use crate::ast::display::{field, Words};
use crate::ast::{FieldName, Opt};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::args::{alias, options_strict};
use crate::parser::lex::{at_stage_end, field_token, ident_len, span_len, ws};
use crate::parser::{fail, fail_kind, Cx, PErrKind, PResult};
use crate::span::{Span, Spanned};
use serde::Serialize;
use std::fmt;

/// The options of `convert` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[opt(
    "timeformat",
    K::Text,
    Some("%m/%d/%Y %H:%M:%S"),
    "format of ctime() and mktime()",
)];

/// `convert [timeformat=..] func(field) [AS name]...`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Convert {
    /// `timeformat`.
    pub options: Vec<Opt>,
    /// Conversions in order.
    pub conversions: Vec<Conversion>,
}

/// One `func(field) [AS name]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conversion {
    /// `auto`, `ctime`, `dur2sec`, `memk`, `mktime`, `mstime`, `none`, `num`,
    /// `rmcomma`, `rmunit`, as written.
    pub func: Spanned<String>,
    /// The field (wildcards allowed).
    pub field: FieldName,
    /// The `AS` name.
    pub alias: Option<FieldName>,
    /// Covers the conversion.
    pub span: Span,
}

const CONVERT_FUNCS: &[&str] = &[
    "auto", "ctime", "dur2sec", "memk", "mktime", "mstime", "none", "num", "rmcomma", "rmunit",
];

fn conversion<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Conversion> {
    let n = ident_len(i);
    if n == 0 {
        return fail(i, "conversion function");
    }
    let name = &i[..n];
    if !CONVERT_FUNCS.iter().any(|f| f.eq_ignore_ascii_case(name)) {
        return fail_kind(
            i,
            PErrKind::UnknownFunction {
                kind: "convert",
                name: name.to_string(),
                help: Some(format!("valid functions: {}", CONVERT_FUNCS.join(", "))),
            },
        );
    }
    let func = Spanned::new(name.to_string(), span_len(cx, i, n));
    let Some(inner) = i[n..].strip_prefix('(') else {
        return fail(&i[n..], "`(`");
    };
    let (r, f) = field_token(cx, ws(inner))?;
    let r = ws(r);
    let Some(r) = r.strip_prefix(')') else {
        return fail(r, "`)`");
    };
    let (r, alias) = alias(cx, r)?;
    Ok((
        r,
        Conversion {
            func,
            field: f,
            alias,
            span: cx.span(i, r),
        },
    ))
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Convert> {
    let mut options = Vec::new();
    let mut conversions = Vec::new();
    let mut j = i;
    loop {
        let (r, ()) = options_strict(cx, j, &mut options)?;
        let k = ws(r);
        if let Some(after) = k.strip_prefix(',') {
            j = after;
            continue;
        }
        if at_stage_end(k) {
            j = r;
            break;
        }
        let (r, c) = conversion(cx, k)?;
        conversions.push(c);
        j = r;
    }
    if conversions.is_empty() {
        return fail_kind(ws(j), PErrKind::Missing("conversion `func(field)`".into()));
    }
    Ok((
        j,
        Convert {
            options,
            conversions,
        },
    ))
}

impl fmt::Display for Convert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.opts(&self.options);
        for c in &self.conversions {
            let mut s = format!("{}({})", c.func.node, field(&c.field.node));
            if let Some(a) = &c.alias {
                s.push_str(&format!(" AS {}", field(&a.node)));
            }
            w.push(s);
        }
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Convert {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd(r#"search a | convert timeformat="%Y-%m-%dT%H:%M:%S" ctime(firstTime) ctime(lastTime) AS last, num(x)"#), @r#"
            command: Convert
            options:
            - key:
                node: timeformat
                span: 19-29
              value:
                node: '%Y-%m-%dT%H:%M:%S'
                span: 30-49
              quoted: true
            conversions:
            - func:
                node: ctime
                span: 50-55
              field:
                node: firstTime
                span: 56-65
              alias: null
              span: 50-66
            - func:
                node: ctime
                span: 67-72
              field:
                node: lastTime
                span: 73-81
              alias:
                node: last
                span: 86-90
              span: 67-90
            - func:
                node: num
                span: 92-95
              field:
                node: x
                span: 96-97
              alias: null
              span: 92-98
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("search a | convert tostring(x)"), @r#"
            spl::parse::unknown_function

              × unknown convert function `tostring`
               ╭────
             1 │ search a | convert tostring(x)
               ·                    ────┬───
               ·                        ╰── not a known convert function
               ╰────
              help: valid functions: auto, ctime, dur2sec, memk, mktime, mstime, none,
                    num, rmcomma, rmunit
        "#);
        insta::assert_snapshot!(err("search a | convert"), @r#"
            spl::parse::missing_argument

              × missing argument: expected conversion `func(field)`, found end of input
               ╭────
             1 │ search a | convert
               ·                  ┬
               ·                  ╰── expected conversion `func(field)` here
               ╰────
              help: in `convert`; usage: convert [timeformat=<string>] <function>(<field>)
                    [AS <field>]...
        "#);
    }
}
