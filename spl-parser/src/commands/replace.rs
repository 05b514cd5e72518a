//! `replace <wc-string> WITH <wc-string>[, ...] [IN <field-list>]`.

use crate::ast::display::{quote, Words};
use crate::ast::FieldName;
use crate::options::OptSpec;
use crate::parser::args::field_list;
use crate::parser::lex::{at_stage_end, field_token, keyword, ws};
use crate::parser::{fail, fail_kind, Cx, PErrKind, PResult};
use crate::span::Spanned;
use serde::Serialize;
use std::fmt;

/// The options of `replace` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[];

/// `replace a WITH b, ... [IN fields]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Replace {
    /// Replacements in order (wildcards allowed).
    pub pairs: Vec<ReplacePair>,
    /// Fields to apply them to (empty: all fields).
    pub fields: Vec<FieldName>,
}

/// One `old WITH new`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplacePair {
    /// The value (pattern) to replace.
    pub from: Spanned<String>,
    /// The replacement.
    pub to: Spanned<String>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Replace> {
    let mut pairs = Vec::new();
    let mut fields = Vec::new();
    let mut j = i;
    loop {
        let k = ws(j);
        if let Some(r) = k.strip_prefix(',') {
            j = r;
            continue;
        }
        if at_stage_end(k) {
            break;
        }
        if let Some(after) = keyword(k, "in") {
            let (r, f) = field_list(cx, after, &|_| false)?;
            fields = f;
            j = r;
            break;
        }
        let (r, from) = field_token(cx, k)?;
        let Some(after) = keyword(ws(r), "with") else {
            return fail(ws(r), "`WITH`");
        };
        let (r, to) = field_token(cx, ws(after))?;
        pairs.push(ReplacePair { from, to });
        j = r;
    }
    if pairs.is_empty() {
        return fail_kind(ws(j), PErrKind::Missing("`<value> WITH <value>`".into()));
    }
    Ok((j, Replace { pairs, fields }))
}

impl fmt::Display for Replace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pairs: Vec<String> = self
            .pairs
            .iter()
            .map(|p| format!("{} WITH {}", quote(&p.from.node), quote(&p.to.node)))
            .collect();
        let mut w = Words::new();
        w.push(pairs.join(", "));
        w.clause("IN", &self.fields);
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Replace {}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd(r#"search a | replace "::ffff:*" with *, a WITH b in src, dest"#), @r#"
            command: Replace
            pairs:
            - from:
                node: ::ffff:*
                span: 19-29
              to:
                node: '*'
                span: 35-36
            - from:
                node: a
                span: 38-39
              to:
                node: b
                span: 45-46
            fields:
            - node: src
              span: 50-53
            - node: dest
              span: 55-59
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("search a | replace x y"), @r#"
            spl::parse::expected

              × expected `WITH`, found `y`
               ╭────
             1 │ search a | replace x y
               ·                      ┬
               ·                      ╰── expected `WITH`
               ╰────
              help: in `replace`; usage: replace <wc-string> WITH <wc-string>[, ...] [IN
                    <field>...]
        "#);
    }
}
