//! `foreach [opts] <wc-fields> [template]`. The template is kept as text:
//! Splunk substitutes `<<FIELD>>`, `<<MATCHSTR>>`... textually, even inside
//! string literals, and parses the result per field
//! ([`crate::parse_pipeline`]).

use crate::ast::display::Words;
use crate::ast::{FieldName, Opt};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::args::{field_list, options_strict};
use crate::parser::lex::ws;
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use crate::span::Spanned;
use serde::Serialize;
use std::fmt;

/// The options of `foreach` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    opt(
        "mode",
        K::Choice(&["multifield", "multivalue", "json_array", "auto_collections"]),
        Some("multifield"),
        "what is iterated",
    ),
    opt(
        "fieldstr",
        K::Text,
        Some("<<FIELD>>"),
        "placeholder for the field name",
    ),
    opt(
        "matchstr",
        K::Text,
        Some("<<MATCHSTR>>"),
        "placeholder for the part of the name the wildcards matched",
    ),
    opt(
        "matchseg1",
        K::Text,
        Some("<<MATCHSEG1>>"),
        "placeholder for the first wildcard's match",
    ),
    opt(
        "matchseg2",
        K::Text,
        Some("<<MATCHSEG2>>"),
        "placeholder for the second wildcard's match",
    ),
    opt(
        "matchseg3",
        K::Text,
        Some("<<MATCHSEG3>>"),
        "placeholder for the third wildcard's match",
    ),
    opt(
        "itemstr",
        K::Text,
        Some("<<ITEM>>"),
        "placeholder for the current value (multivalue and JSON modes)",
    ),
    opt(
        "iterstr",
        K::Text,
        Some("<<ITER>>"),
        "placeholder for the current value's index (multivalue and JSON modes)",
    ),
];

/// `foreach [opts] <wc-fields> [template]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Foreach {
    /// `mode`, `fieldstr`, `matchstr`, `matchseg1..3`, `itemstr`, `iterstr`.
    pub options: Vec<Opt>,
    /// Wildcard field patterns.
    pub fields: Vec<FieldName>,
    /// The template text between the brackets (exclusive).
    pub template: Spanned<String>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Foreach> {
    let mut j = i;
    let mut options = Vec::new();
    let mut fields = Vec::new();
    loop {
        let start = j.len();
        let (r, ()) = options_strict(cx, j, &mut options)?;
        let (r, f) = field_list(cx, r, &|_| false)?;
        fields.extend(f);
        j = r;
        if j.len() == start {
            break;
        }
    }
    let open = ws(j);
    if fields.is_empty() {
        return fail_kind(open, PErrKind::Missing("field pattern".into()));
    }
    if !open.starts_with('[') {
        return fail_kind(open, PErrKind::Missing("template `[...]`".into()));
    }
    let Some(close) = matching_bracket(open) else {
        return fail_kind(
            open,
            PErrKind::Unbalanced {
                bracket: '[',
                expected: "`]`",
                found_rem: 0,
            },
        );
    };
    let body = &open[1..close];
    let rest = &open[close + 1..];
    Ok((
        rest,
        Foreach {
            options,
            fields,
            template: Spanned::new(body.to_string(), cx.span(body, &open[close..])),
        },
    ))
}

/// Index of the `]` matching the `[` at 0, skipping quoted strings.
pub(crate) fn matching_bracket(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut depth = 0usize;
    let mut in_quote = false;
    let mut k = 0;
    while k < b.len() {
        match b[k] {
            b'\\' => k += 1,
            b'"' => in_quote = !in_quote,
            b'[' if !in_quote => depth += 1,
            b']' if !in_quote => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
        k += 1;
    }
    None
}

impl fmt::Display for Foreach {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.opts(&self.options).fields(&self.fields);
        w.push(format!("[{}]", self.template.node));
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Foreach {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn seed_template_kept_as_text() {
        insta::assert_snapshot!(cmd(r#"search a | foreach stdev_* [ eval anomalies =if( '<<MATCHSTR>>' > ('avg_<<MATCHSTR>>' + 3 * 'stdev_<<MATCHSTR>>'), anomalies + "<<MATCHSTR>> [x]", anomalies) ]"#), @r#"
            command: Foreach
            options: []
            fields:
            - node: stdev_*
              span: 19-26
            template:
              node: ' eval anomalies =if( ''<<MATCHSTR>>'' > (''avg_<<MATCHSTR>>'' + 3 * ''stdev_<<MATCHSTR>>''), anomalies + "<<MATCHSTR>> [x]", anomalies) '
              span: 29-158
        "#);
    }

    #[test]
    fn options() {
        insta::assert_snapshot!(cmd("search a | foreach mode=multivalue x [eval n=n+<<ITEM>>]"), @r#"
            command: Foreach
            options:
            - key:
                node: mode
                span: 19-23
              value:
                node: multivalue
                span: 24-34
              quoted: false
            fields:
            - node: x
              span: 35-36
            template:
              node: eval n=n+<<ITEM>>
              span: 39-55
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("search a | foreach x [eval y=1"), @r#"
            spl::parse::unbalanced_bracket

              × unbalanced `[`: expected `]`, found end of input
               ╭────
             1 │ search a | foreach x [eval y=1
               ·                      ┬
               ·                      ╰── this `[` is not matched
               ╰────
              help: in `foreach`; usage: foreach [<option>=<value>]... <wc-field>...
                    [<template>]
        "#);
        insta::assert_snapshot!(err("search a | foreach x"), @r#"
            spl::parse::missing_argument

              × missing argument: expected template `[...]`, found end of input
               ╭────
             1 │ search a | foreach x
               ·                    ┬
               ·                    ╰── expected template `[...]` here
               ╰────
              help: in `foreach`; usage: foreach [<option>=<value>]... <wc-field>...
                    [<template>]
        "#);
    }
}
