//! `outputlookup [opts] table [opts]`.

use super::lookup::table;
use crate::ast::display::{field, Words};
use crate::ast::Opt;
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::args::options_strict;
use crate::parser::{Cx, PResult};
use crate::span::Spanned;
use serde::Serialize;
use std::fmt;

/// The options of `outputlookup` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    opt(
        "append",
        K::Bool,
        Some("false"),
        "append to the existing table",
    ),
    opt(
        "create_empty",
        K::Bool,
        Some("false"),
        "write an empty file when there are no results",
    ),
    opt(
        "override_if_empty",
        K::Bool,
        Some("true"),
        "without results, replace (true) or keep the existing table",
    ),
    opt("max", K::Count, None, "most rows written"),
    opt("key_field", K::Field, None, "KV store key field"),
    opt(
        "allow_updates",
        K::Bool,
        None,
        "KV store: update existing records",
    ),
    opt(
        "createinapp",
        K::Bool,
        Some("true"),
        "create the file in the app (true) or in system",
    ),
    opt(
        "create_context",
        K::Choice(&["app", "user", "system"]),
        Some("app"),
        "where a new table is created",
    ),
    opt(
        "output_format",
        K::Choice(&["splunk_sv_csv", "splunk_mv_csv"]),
        Some("splunk_sv_csv"),
        "CSV flavour written",
    ),
];

/// `outputlookup [opts] table`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outputlookup {
    /// `append`, `create_empty`, `override_if_empty`, `createinapp`...
    pub options: Vec<Opt>,
    /// Lookup definition or file name.
    pub table: Spanned<String>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Outputlookup> {
    let mut options = Vec::new();
    let (j, ()) = options_strict(cx, i, &mut options)?;
    let (j, table) = table(cx, j)?;
    let (j, ()) = options_strict(cx, j, &mut options)?;
    Ok((j, Outputlookup { options, table }))
}

impl fmt::Display for Outputlookup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.opts(&self.options).push(field(&self.table.node));
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Outputlookup {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::cmd;

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd("search a | outputlookup k8s_baseline append=true"), @r#"
            command: Outputlookup
            options:
            - key:
                node: append
                span: 37-43
              value:
                node: 'true'
                span: 44-48
              quoted: false
            table:
              node: k8s_baseline
              span: 24-36
        "#);
    }
}
