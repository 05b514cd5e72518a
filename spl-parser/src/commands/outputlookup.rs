//! `outputlookup [opts] table [opts]`.

use super::lookup::table;
use crate::ast::display::{field, Words};
use crate::ast::Opt;
use crate::parser::args::options_strict;
use crate::parser::{Cx, PResult};
use crate::span::Spanned;
use serde::Serialize;
use std::fmt;

/// `outputlookup [opts] table`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outputlookup {
    /// `append`, `create_empty`, `override_if_empty`, `createinapp`...
    pub options: Vec<Opt>,
    /// Lookup definition or file name.
    pub table: Spanned<String>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Outputlookup> {
    let mut options = Vec::new();
    let (j, ()) = options_strict(cx, i, &mut options)?;
    let (j, table) = table(cx, j)?;
    let (j, ()) = options_strict(cx, j, &mut options)?;
    Ok((j, Outputlookup { options, table }))
}

impl fmt::Display for Outputlookup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.opts(&self.options).push(field(&self.table.node));
        w.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::cmd;

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd("search a | outputlookup k8s_baseline append=true"), @r#"
            command: Outputlookup
            options:
            - key:
                node: append
                span: 37-43
              value:
                node: 'true'
                span: 44-48
              quoted: false
            table:
              node: k8s_baseline
              span: 24-36
        "#);
    }
}
