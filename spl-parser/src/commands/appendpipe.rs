//! `appendpipe [subpipeline]`: runs a pipeline over the current results and
//! appends its output.

use crate::ast::display::Words;
use crate::ast::{Opt, Subsearch};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::args::options_strict;
use crate::parser::lex::ws;
use crate::parser::pipeline::subsearch;
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `appendpipe` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[opt(
    "run_in_preview",
    K::Bool,
    Some("true"),
    "show the subpipeline's effect in preview results",
)];

/// `appendpipe [run_in_preview=b] [subpipeline]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Appendpipe {
    /// Options.
    pub options: Vec<Opt>,
    /// The subpipeline (it reads the current results, not an index).
    pub subpipeline: Subsearch,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Appendpipe> {
    let mut options = Vec::new();
    let (j, ()) = options_strict(cx, i, &mut options)?;
    let k = ws(j);
    if !k.starts_with('[') {
        return fail_kind(k, PErrKind::Missing("subpipeline `[...]`".into()));
    }
    let (rest, subpipeline) = subsearch(cx, k)?;
    Ok((
        rest,
        Appendpipe {
            options,
            subpipeline,
        },
    ))
}

impl fmt::Display for Appendpipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.opts(&self.options).push(&self.subpipeline);
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Appendpipe {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }

    fn subsearches(&self) -> Vec<&crate::ast::Subsearch> {
        vec![&self.subpipeline]
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::cmd;

    #[test]
    fn basic() {
        insta::assert_snapshot!(cmd("search a | appendpipe [| timechart limit=0 span=5m count | table _time]"), @r#"
            command: Appendpipe
            options: []
            subpipeline:
              pipeline:
                stages:
                - command:
                    command: Timechart
                    options:
                    - key:
                        node: limit
                        span: 35-40
                      value:
                        node: '0'
                        span: 41-42
                      quoted: false
                    - key:
                        node: span
                        span: 43-47
                      value:
                        node: 5m
                        span: 48-50
                      quoted: false
                    aggs:
                    - func:
                        node: count
                        span: 51-56
                      arg: null
                      alias: null
                      span: 51-56
                    by: []
                  name:
                    node: timechart
                    span: 25-34
                  piped: true
                  span: 25-56
                - command:
                    command: Table
                    fields:
                    - node: _time
                      span: 65-70
                  name:
                    node: table
                    span: 59-64
                  piped: true
                  span: 59-70
                span: 25-70
              span: 22-71
        "#);
    }
}
