//! `makeresults [count=N] [annotate=b] [format=.. data=..]`.

use crate::ast::display::Words;
use crate::ast::Opt;
use crate::parser::args::options_strict;
use crate::parser::{Cx, PResult};
use serde::Serialize;
use std::fmt;

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

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd(r#"| makeresults count=3 format=csv data="a,b
1,2""#), @"");
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("| makeresults count"), @"");
    }
}
