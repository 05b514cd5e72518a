//! `multisearch [search ...] [search ...]...`.

use crate::ast::display::Words;
use crate::ast::Subsearch;
use crate::options::OptSpec;
use crate::parser::lex::ws;
use crate::parser::pipeline::subsearch;
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `multisearch` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[];

/// `multisearch [..] [..]...`: streaming searches run together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Multisearch {
    /// The searches (Splunk requires at least two).
    pub subsearches: Vec<Subsearch>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Multisearch> {
    let mut j = i;
    let mut subsearches = Vec::new();
    while ws(j).starts_with('[') {
        let (r, s) = subsearch(cx, ws(j))?;
        subsearches.push(s);
        j = r;
    }
    if subsearches.is_empty() {
        return fail_kind(ws(j), PErrKind::Missing("subsearch `[...]`".into()));
    }
    Ok((j, Multisearch { subsearches }))
}

impl fmt::Display for Multisearch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        for s in &self.subsearches {
            w.push(s);
        }
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Multisearch {
    fn subsearches(&self) -> Vec<&crate::ast::Subsearch> {
        self.subsearches.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::cmd;

    #[test]
    fn two() {
        insta::assert_snapshot!(cmd("| multisearch [search a=1] [search b=2]"), @r#"
            command: Multisearch
            subsearches:
            - pipeline:
                stages:
                - command:
                    command: Search
                    expr:
                      kind: !Compare
                        field: a
                        field_span: 22-23
                        op: Eq
                        value:
                          text: '1'
                          quoted: false
                          span: 24-25
                      span: 22-25
                  name:
                    node: search
                    span: 15-21
                  piped: false
                  span: 15-25
                span: 15-25
              span: 14-26
            - pipeline:
                stages:
                - command:
                    command: Search
                    expr:
                      kind: !Compare
                        field: b
                        field_span: 35-36
                        op: Eq
                        value:
                          text: '2'
                          quoted: false
                          span: 37-38
                      span: 35-38
                  name:
                    node: search
                    span: 28-34
                  piped: false
                  span: 28-38
                span: 28-38
              span: 27-39
        "#);
    }
}
