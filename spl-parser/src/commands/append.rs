//! `append [opts] [subsearch]`.

use crate::ast::display::Words;
use crate::ast::{Opt, Subsearch};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::args::options_strict;
use crate::parser::lex::ws;
use crate::parser::pipeline::subsearch;
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `append` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    opt(
        "extendtimerange",
        K::Bool,
        Some("false"),
        "widen the search's time range to the subsearch's",
    ),
    opt(
        "maxtime",
        K::Count,
        Some("60"),
        "seconds before the subsearch is finalized",
    ),
    opt(
        "maxout",
        K::Count,
        Some("50000"),
        "most subsearch results kept",
    ),
    opt(
        "timeout",
        K::Count,
        None,
        "seconds the subsearch's results are cached",
    ),
];

/// `append [opts] [subsearch]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Append {
    /// Options.
    pub options: Vec<Opt>,
    /// The appended search.
    pub subsearch: Subsearch,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Append> {
    let mut options = Vec::new();
    let (j, ()) = options_strict(cx, i, &mut options)?;
    let k = ws(j);
    if !k.starts_with('[') {
        return fail_kind(k, PErrKind::Missing("subsearch `[...]`".into()));
    }
    let (rest, subsearch) = subsearch(cx, k)?;
    Ok((rest, Append { options, subsearch }))
}

impl fmt::Display for Append {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.opts(&self.options).push(&self.subsearch);
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Append {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }

    fn subsearches(&self) -> Vec<&crate::ast::Subsearch> {
        vec![&self.subsearch]
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn basic() {
        insta::assert_snapshot!(cmd("search a | append maxout=10 [| inputlookup x.csv]"), @r#"
            command: Append
            options:
            - key:
                node: maxout
                span: 18-24
              value:
                node: '10'
                span: 25-27
              quoted: false
            subsearch:
              pipeline:
                stages:
                - command:
                    command: Inputlookup
                    options: []
                    table:
                      node: x.csv
                      span: 43-48
                    where_: null
                  name:
                    node: inputlookup
                    span: 31-42
                  piped: true
                  span: 31-48
                span: 31-48
              span: 28-49
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("search a | append foo [search b]"), @r#"
            spl::parse::missing_argument

              × missing argument: expected subsearch `[...]`, found `foo`
               ╭────
             1 │ search a | append foo [search b]
               ·                   ─┬─
               ·                    ╰── expected subsearch `[...]` here
               ╰────
              help: in `append`; usage: append [<option>=<value>]... [<subsearch>]
        "#);
    }
}
