//! `append [opts] [subsearch]`.

use crate::ast::display::Words;
use crate::ast::{Opt, Subsearch};
use crate::parser::args::options_strict;
use crate::parser::lex::ws;
use crate::parser::pipeline::subsearch;
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use serde::Serialize;
use std::fmt;

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

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn basic() {
        insta::assert_snapshot!(cmd("search a | append maxout=10 [| inputlookup x.csv]"), @"");
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("search a | append foo [search b]"), @"");
    }
}
