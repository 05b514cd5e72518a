//! `mvcombine [delim=s] field`.

use super::mvexpand::one_field;
use crate::ast::display::{field, Words};
use crate::ast::{FieldName, Opt};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::{Cx, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `mvcombine` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[opt(
    "delim",
    K::Text,
    Some(" "),
    "separator of the combined single value",
)];

/// `mvcombine [delim=s] field`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mvcombine {
    /// `delim`.
    pub options: Vec<Opt>,
    /// The field whose values are combined.
    pub field: FieldName,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Mvcombine> {
    let (j, (f, options)) = one_field(cx, i)?;
    Ok((j, Mvcombine { options, field: f }))
}

impl fmt::Display for Mvcombine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.opts(&self.options).push(field(&self.field.node));
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Mvcombine {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::cmd;

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd(r#"search a | mvcombine delim="," host"#), @r#"
            command: Mvcombine
            options:
            - key:
                node: delim
                span: 21-26
              value:
                node: ','
                span: 27-30
              quoted: true
            field:
              node: host
              span: 31-35
        "#);
    }
}
