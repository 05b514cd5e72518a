//! `spath [input=f] [output=f] [path=p | p]`.

use crate::ast::display::{field, Words};
use crate::ast::Opt;
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::args::options_strict;
use crate::parser::lex::{at_stage_end, field_token, ws};
use crate::parser::{Cx, PResult};
use crate::span::Spanned;
use serde::Serialize;
use std::fmt;

/// The options of `spath` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    opt(
        "input",
        K::Field,
        Some("_raw"),
        "field holding the JSON or XML",
    ),
    opt(
        "output",
        K::Field,
        None,
        "field receiving the value at `path`",
    ),
    opt("path", K::Text, None, "location of the value to extract"),
];

/// `spath [input=f] [output=f] [path=p | p]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spath {
    /// `input`, `output`, `path`.
    pub options: Vec<Opt>,
    /// A path written without `path=`.
    pub path: Option<Spanned<String>>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Spath> {
    let mut options = Vec::new();
    let (j, ()) = options_strict(cx, i, &mut options)?;
    let mut path = None;
    let mut j = j;
    let k = ws(j);
    if !at_stage_end(k) && !k.starts_with('[') {
        let (r, p) = field_token(cx, k)?;
        path = Some(p);
        let (r, ()) = options_strict(cx, r, &mut options)?;
        j = r;
    }
    Ok((j, Spath { options, path }))
}

impl fmt::Display for Spath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.opts(&self.options);
        if let Some(p) = &self.path {
            w.push(field(&p.node));
        }
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Spath {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::cmd;

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd("search a | spath input=x output=y path=a.b{}.c"), @r#"
            command: Spath
            options:
            - key:
                node: input
                span: 17-22
              value:
                node: x
                span: 23-24
              quoted: false
            - key:
                node: output
                span: 25-31
              value:
                node: y
                span: 32-33
              quoted: false
            - key:
                node: path
                span: 34-38
              value:
                node: a.b{}.c
                span: 39-46
              quoted: false
            path: null
        "#);
        insta::assert_snapshot!(cmd("search a | spath \"user.groups{}\""), @r#"
            command: Spath
            options: []
            path:
              node: user.groups{}
              span: 17-32
        "#);
    }
}
