//! `iplocation [prefix=p] [allfields=b] [lang=l] field`.

use crate::ast::display::{field, Words};
use crate::ast::{FieldName, Opt};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::args::options_strict;
use crate::parser::lex::{at_stage_end, field_token, ws};
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `iplocation` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    opt(
        "prefix",
        K::Text,
        Some(""),
        "prepended to the names of the added fields",
    ),
    opt(
        "allfields",
        K::Bool,
        Some("false"),
        "also add Continent, MetroCode and Timezone",
    ),
    opt("lang", K::Text, None, "language of the place names"),
];

/// `iplocation [prefix=p] [allfields=b] [lang=l] field`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Iplocation {
    /// Options.
    pub options: Vec<Opt>,
    /// The IP field.
    pub field: FieldName,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Iplocation> {
    let mut options = Vec::new();
    let (j, ()) = options_strict(cx, i, &mut options)?;
    let k = ws(j);
    if at_stage_end(k) {
        return fail_kind(k, PErrKind::Missing("IP field".into()));
    }
    let (j, f) = field_token(cx, k)?;
    let (j, ()) = options_strict(cx, j, &mut options)?;
    Ok((j, Iplocation { options, field: f }))
}

impl fmt::Display for Iplocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.opts(&self.options).push(field(&self.field.node));
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Iplocation {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd("search a | iplocation prefix=geo_ sourceIPs{} allfields=true"), @r#"
            command: Iplocation
            options:
            - key:
                node: prefix
                span: 22-28
              value:
                node: geo_
                span: 29-33
              quoted: false
            - key:
                node: allfields
                span: 46-55
              value:
                node: 'true'
                span: 56-60
              quoted: false
            field:
              node: sourceIPs{}
              span: 34-45
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("search a | iplocation prefix=x"), @r#"
            spl::parse::missing_argument

              × missing argument: expected IP field, found end of input
               ╭────
             1 │ search a | iplocation prefix=x
               ·                              ┬
               ·                              ╰── expected IP field here
               ╰────
              help: in `iplocation`; usage: iplocation [prefix=<string>]
                    [allfields=<bool>] [lang=<string>] <ip-field>
        "#);
    }
}
