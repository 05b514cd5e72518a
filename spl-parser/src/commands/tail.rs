//! `tail [N]`.

use crate::options::OptSpec;
use crate::parser::lex::{at_stage_end, uint, ws};
use crate::parser::{Cx, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `tail` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[];

/// `tail [N]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tail {
    /// Count (default 10).
    pub limit: Option<u64>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Tail> {
    let j = ws(i);
    if at_stage_end(j) {
        return Ok((i, Tail { limit: None }));
    }
    let (r, n) = uint(cx, j, "count")?;
    Ok((
        r,
        Tail {
            limit: Some(n.node),
        },
    ))
}

impl fmt::Display for Tail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.limit {
            Some(n) => write!(f, "{n}"),
            None => Ok(()),
        }
    }
}

impl crate::ast::CommandNode for Tail {}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd("search a | tail 3"), @r#"
            command: Tail
            limit: 3
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("search a | tail x"), @r#"
            spl::parse::expected

              × expected count, found `x`
               ╭────
             1 │ search a | tail x
               ·                 ┬
               ·                 ╰── expected count
               ╰────
              help: in `tail`; usage: tail [<count>]
        "#);
    }
}
