//! `map`: runs a search once per input row.

use crate::ast::display::Words;
use crate::ast::{Opt, Subsearch};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::args::options_strict;
use crate::parser::lex::ws;
use crate::parser::pipeline::subsearch;
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `map` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    opt(
        "search",
        K::Text,
        None,
        "search template run once per result, with `$field$` tokens",
    ),
    opt("maxsearches", K::Count, Some("10"), "most searches run"),
];

/// `map (search="..." | [subsearch]) [maxsearches=N]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Map {
    /// `search` (the templated search text), `maxsearches`.
    pub options: Vec<Opt>,
    /// The bracketed search, when written that way.
    pub subsearch: Option<Subsearch>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Map> {
    let mut options = Vec::new();
    let (mut j, ()) = options_strict(cx, i, &mut options)?;
    let mut sub = None;
    if ws(j).starts_with('[') {
        let (r, s) = subsearch(cx, ws(j))?;
        sub = Some(s);
        let (r, ()) = options_strict(cx, r, &mut options)?;
        j = r;
    }
    if sub.is_none()
        && !options
            .iter()
            .any(|o| o.key.node.eq_ignore_ascii_case("search"))
    {
        return fail_kind(
            ws(j),
            PErrKind::Missing("`search=\"...\"` or a subsearch".into()),
        );
    }
    Ok((
        j,
        Map {
            options,
            subsearch: sub,
        },
    ))
}

impl fmt::Display for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        if let Some(s) = &self.subsearch {
            w.push(s);
        }
        w.opts(&self.options);
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Map {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }

    fn subsearches(&self) -> Vec<&crate::ast::Subsearch> {
        self.subsearch.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::cmd;

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd(r#"search a | map search="search user=$user$" maxsearches=5"#), @r#"
            command: Map
            options:
            - key:
                node: search
                span: 15-21
              value:
                node: search user=$user$
                span: 22-42
              quoted: true
            - key:
                node: maxsearches
                span: 43-54
              value:
                node: '5'
                span: 55-56
              quoted: false
            subsearch: null
        "#);
        insta::assert_snapshot!(cmd("search a | map [search user=$user$]"), @r#"
            command: Map
            options: []
            subsearch:
              pipeline:
                stages:
                - command:
                    command: Search
                    expr:
                      kind: !Compare
                        field: user
                        field_span: 23-27
                        op: Eq
                        value:
                          text: $user$
                          quoted: false
                          span: 28-34
                      span: 23-34
                  name:
                    node: search
                    span: 16-22
                  piped: false
                  span: 16-34
                span: 16-34
              span: 15-35
        "#);
    }
}
