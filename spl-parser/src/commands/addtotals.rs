//! `addtotals [opts] [fields]`.

use super::transaction::opts_and_fields;
use crate::ast::display::Words;
use crate::ast::{FieldName, Opt};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::{Cx, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `addtotals` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    opt(
        "row",
        K::Bool,
        Some("true"),
        "add a field with each result's sum of the numeric fields",
    ),
    opt(
        "col",
        K::Bool,
        Some("false"),
        "append a result holding the sum of each column",
    ),
    opt(
        "fieldname",
        K::Field,
        Some("Total"),
        "name of the row-total field",
    ),
    opt(
        "labelfield",
        K::Field,
        None,
        "field of the summary row that holds `label`",
    ),
    opt("label", K::Text, Some("Total"), "label of the summary row"),
];

/// `addtotals [row=b] [col=b] [labelfield=f] [label=s] [fieldname=f] [fields]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Addtotals {
    /// Options.
    pub options: Vec<Opt>,
    /// Fields to total (empty: all numeric fields).
    pub fields: Vec<FieldName>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Addtotals> {
    let (j, (options, fields)) = opts_and_fields(cx, i)?;
    Ok((j, Addtotals { options, fields }))
}

impl fmt::Display for Addtotals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.opts(&self.options).fields(&self.fields);
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Addtotals {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::cmd;

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd("search a | addtotals fieldname=total a* b"), @r#"
            command: Addtotals
            options:
            - key:
                node: fieldname
                span: 21-30
              value:
                node: total
                span: 31-36
              quoted: false
            fields:
            - node: a*
              span: 37-39
            - node: b
              span: 40-41
        "#);
    }
}
