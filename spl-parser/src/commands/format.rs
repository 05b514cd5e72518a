//! `format [mvsep=..] [maxresults=N] ["row prefix" "col prefix" ... ]`.

use crate::ast::display::{quote, Words};
use crate::ast::Opt;
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::args::options_strict;
use crate::parser::lex::{at_stage_end, field_token, ws};
use crate::parser::{Cx, PResult};
use crate::span::Spanned;
use serde::Serialize;
use std::fmt;

/// The options of `format` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    opt(
        "mvsep",
        K::Text,
        Some("OR"),
        "separator between the values of a multivalue field",
    ),
    opt(
        "maxresults",
        K::Count,
        Some("0"),
        "most results used, 0 for all",
    ),
    opt(
        "emptystr",
        K::Text,
        Some("NOT( )"),
        "output when there are no results",
    ),
    opt(
        "quote",
        K::Bool,
        Some("false"),
        "quote the output and escape quotes inside it",
    ),
];

/// `format [opts] [row-prefix col-prefix col-sep col-end row-sep row-end]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Format {
    /// `mvsep`, `maxresults`, `emptystr`.
    pub options: Vec<Opt>,
    /// The six positional strings, if given.
    pub args: Vec<Spanned<String>>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Format> {
    let mut options = Vec::new();
    let mut args = Vec::new();
    let mut j = i;
    loop {
        let (r, ()) = options_strict(cx, j, &mut options)?;
        let k = ws(r);
        if at_stage_end(k) {
            j = r;
            break;
        }
        let (r, a) = field_token(cx, k)?;
        args.push(a);
        j = r;
    }
    Ok((j, Format { options, args }))
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.opts(&self.options);
        for a in &self.args {
            w.push(quote(&a.node));
        }
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Format {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::cmd;

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd(r#"search a | format maxresults=5 "(" "(" "AND" ")" "OR" ")""#), @r#"
            command: Format
            options:
            - key:
                node: maxresults
                span: 18-28
              value:
                node: '5'
                span: 29-30
              quoted: false
            args:
            - node: (
              span: 31-34
            - node: (
              span: 35-38
            - node: AND
              span: 39-44
            - node: )
              span: 45-48
            - node: OR
              span: 49-53
            - node: )
              span: 54-57
        "#);
    }
}
