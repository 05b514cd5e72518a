//! `collect [opts]`: writes results to a summary index.

use crate::ast::display::Words;
use crate::ast::Opt;
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::args::options_strict;
use crate::parser::{Cx, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `collect` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    opt("index", K::Text, None, "summary index to write to"),
    opt(
        "addtime",
        K::Bool,
        Some("true"),
        "prefix a time to results without `_raw`",
    ),
    opt("file", K::Text, None, "name of the stash file"),
    opt(
        "spool",
        K::Bool,
        Some("true"),
        "write to the spool directory to be indexed",
    ),
    opt(
        "marker",
        K::Text,
        None,
        "`key=value` text appended to each event",
    ),
    opt(
        "testmode",
        K::Bool,
        Some("false"),
        "show what would be written without writing",
    ),
    opt(
        "run_in_preview",
        K::Bool,
        Some("false"),
        "run while the search previews",
    ),
    opt("host", K::Text, None, "host of the written events"),
    opt("source", K::Text, None, "source of the written events"),
    opt(
        "sourcetype",
        K::Text,
        Some("stash"),
        "sourcetype of the written events",
    ),
    opt(
        "uselb",
        K::Bool,
        Some("true"),
        "split events with the stash line breaker",
    ),
    opt(
        "output_format",
        K::Choice(&["raw", "hec"]),
        Some("raw"),
        "format of the written events",
    ),
    opt("timeformat", K::Text, None, "format of the added time"),
    opt(
        "addinfo",
        K::Bool,
        Some("true"),
        "add the search's info_* fields",
    ),
];

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

impl crate::ast::CommandNode for Collect {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
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
