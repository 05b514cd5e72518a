//! `makeresults [count=N] [annotate=b] [format=.. data=..]`.

use crate::ast::display::Words;
use crate::ast::Opt;
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::args::options_strict;
use crate::parser::{Cx, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `makeresults` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    opt("count", K::Count, Some("1"), "results to generate"),
    opt(
        "annotate",
        K::Bool,
        Some("false"),
        "add _raw, host, source, sourcetype, splunk_server and splunk_server_group",
    ),
    opt(
        "splunk_server",
        K::Text,
        Some("local"),
        "server that generates the results",
    ),
    opt(
        "splunk_server_group",
        K::Text,
        None,
        "server group that generates the results",
    )
    .repeatable(),
    opt(
        "format",
        K::Choice(&["csv", "json"]),
        None,
        "format of `data`",
    ),
    opt("data", K::Text, None, "inline CSV or JSON rows"),
];

/// `makeresults [count=N] [annotate=b] [format=.. data=..]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Makeresults {
    /// Options.
    pub options: Vec<Opt>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Makeresults> {
    let mut options = Vec::new();
    let (j, ()) = options_strict(cx, i, &mut options)?;
    Ok((j, Makeresults { options }))
}

impl fmt::Display for Makeresults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Words::new().opts(&self.options).fmt(f)
    }
}

impl crate::ast::CommandNode for Makeresults {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd(r#"| makeresults count=3 format=csv data="a,b
1,2""#), @r#"
    command: Makeresults
    options:
    - key:
        node: count
        span: 14-19
      value:
        node: '3'
        span: 20-21
      quoted: false
    - key:
        node: format
        span: 22-28
      value:
        node: csv
        span: 29-32
      quoted: false
    - key:
        node: data
        span: 33-37
      value:
        node: |-
          a,b
          1,2
        span: 38-47
      quoted: true
"#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("| makeresults count"), @r#"
            spl::parse::expected

              × expected `|` or end of input, found `count`
               ╭────
             1 │ | makeresults count
               ·               ──┬──
               ·                 ╰── expected `|` or end of input
               ╰────
              help: in `makeresults`; usage: makeresults [count=<int>] [annotate=<bool>]
                    [format=csv|json data=<string>]
        "#);
    }
}
