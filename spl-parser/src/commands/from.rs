//! `from <dataset type>:<dataset name>` (also `from datamodel Risk.All_Risk`).

use crate::ast::display::field;
use crate::options::OptSpec;
use crate::parser::lex::{at_stage_end, field_token, quoted, ws};
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use crate::span::Spanned;
use serde::Serialize;
use std::fmt;

/// The options of `from` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[];

/// `from [kind:]name`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FromDataset {
    /// `datamodel`, `inputlookup`, `savedsearch`, `lookup`...
    pub kind: Option<Spanned<String>>,
    /// The dataset name (`Risk.All_Risk`).
    pub name: Spanned<String>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, FromDataset> {
    let j = ws(i);
    if at_stage_end(j) {
        return fail_kind(j, PErrKind::Missing("dataset".into()));
    }
    let kind_len = j
        .find(|c: char| c.is_whitespace() || ":|[]\"".contains(c))
        .unwrap_or(j.len());
    if kind_len > 0 && j[kind_len..].starts_with(':') {
        let kind = Spanned::new(j[..kind_len].to_string(), cx.span(j, &j[kind_len..]));
        let body = &j[kind_len + 1..];
        let (r, name) = if body.starts_with('"') {
            quoted(cx, body)?
        } else {
            field_token(cx, body)?
        };
        return Ok((
            r,
            FromDataset {
                kind: Some(kind),
                name,
            },
        ));
    }
    let (r, first) = field_token(cx, j)?;
    let k = ws(r);
    if at_stage_end(k) {
        return Ok((
            r,
            FromDataset {
                kind: None,
                name: first,
            },
        ));
    }
    let (r, name) = field_token(cx, k)?;
    Ok((
        r,
        FromDataset {
            kind: Some(first),
            name,
        },
    ))
}

impl fmt::Display for FromDataset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(k) = &self.kind {
            write!(f, "{}:", field(&k.node))?;
        }
        f.write_str(&field(&self.name.node))
    }
}

impl crate::ast::CommandNode for FromDataset {}

#[cfg(test)]
mod tests {
    use super::super::test_util::cmd;

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd("| from datamodel Risk.All_Risk | from inputlookup:x.csv"), @r#"
            command: From
            kind:
              node: inputlookup
              span: 38-49
            name:
              node: x.csv
              span: 50-55
        "#);
    }
}
