//! `table <wc-field-list>`.

use crate::ast::display::Words;
use crate::ast::FieldName;
use crate::options::OptSpec;
use crate::parser::args::field_list;
use crate::parser::lex::ws;
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `table` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[];

/// `table list`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// Wildcard field patterns, in output order.
    pub fields: Vec<FieldName>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Table> {
    let (rest, fields) = field_list(cx, i, &|_| false)?;
    if fields.is_empty() {
        return fail_kind(ws(i), PErrKind::Missing("field name".into()));
    }
    Ok((rest, Table { fields }))
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Words::new().fields(&self.fields).fmt(f)
    }
}

impl crate::ast::CommandNode for Table {}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd(r#"search a | table _time, "Account ID" user.groups{} stdev_*"#), @r#"
            command: Table
            fields:
            - node: _time
              span: 17-22
            - node: Account ID
              span: 24-36
            - node: user.groups{}
              span: 37-50
            - node: stdev_*
              span: 51-58
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("search a | table"), @r#"
            spl::parse::missing_argument

              × missing argument: expected field name, found end of input
               ╭────
             1 │ search a | table
               ·                ┬
               ·                ╰── expected field name here
               ╰────
              help: in `table`; usage: table <wc-field>...
        "#);
    }
}
