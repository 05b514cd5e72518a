//! `makemv [delim=s|tokenizer=re] [allowempty=b] [setsv=b] field`.

use super::mvexpand::one_field;
use crate::ast::display::{field, Words};
use crate::ast::{FieldName, Opt};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::{Cx, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `makemv` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    opt(
        "delim",
        K::Text,
        Some(" "),
        "text that separates the values",
    ),
    opt(
        "tokenizer",
        K::Regex,
        None,
        "regex whose matches (first group) are the values",
    ),
    opt(
        "allowempty",
        K::Bool,
        Some("false"),
        "keep empty values between consecutive delimiters",
    ),
    opt(
        "setsv",
        K::Bool,
        Some("false"),
        "also keep the original single value",
    ),
];

/// `makemv [delim=s|tokenizer=re] [allowempty=b] [setsv=b] field`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Makemv {
    /// `delim`, `tokenizer`, `allowempty`, `setsv`.
    pub options: Vec<Opt>,
    /// The field to split.
    pub field: FieldName,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Makemv> {
    let (j, (f, options)) = one_field(cx, i)?;
    Ok((j, Makemv { options, field: f }))
}

impl fmt::Display for Makemv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.opts(&self.options).push(field(&self.field.node));
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Makemv {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::cmd;

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd(r#"search a | makemv delim=" " allowempty=t groups"#), @r#"
            command: Makemv
            options:
            - key:
                node: delim
                span: 18-23
              value:
                node: ' '
                span: 24-27
              quoted: true
            - key:
                node: allowempty
                span: 28-38
              value:
                node: t
                span: 39-40
              quoted: false
            field:
              node: groups
              span: 41-47
        "#);
    }
}
