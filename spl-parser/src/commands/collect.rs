//! `collect [opts]`: writes results to a summary index.

use crate::ast::display::Words;
use crate::ast::Opt;
use crate::parser::args::options_strict;
use crate::parser::{Cx, PResult};
use serde::Serialize;
use std::fmt;

/// `collect [index=..] [source=..] [sourcetype=..] [marker=..] ...`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Collect {
    /// Options.
    pub options: Vec<Opt>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Collect> {
    let mut options = Vec::new();
    let (j, ()) = options_strict(cx, i, &mut options)?;
    Ok((j, Collect { options }))
}

impl fmt::Display for Collect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Words::new().opts(&self.options).fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::cmd;

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd(r#"search a | collect index=summary marker="x=1""#), @r#"
            command: Collect
            options:
            - key:
                node: index
                span: 19-24
              value:
                node: summary
                span: 25-32
              quoted: false
            - key:
                node: marker
                span: 33-39
              value:
                node: x=1
                span: 40-45
              quoted: true
        "#);
    }
}
