//! `fields [+|-] <wc-field-list>`.

use crate::ast::display::Words;
use crate::ast::FieldName;
use crate::options::OptSpec;
use crate::parser::args::field_list;
use crate::parser::lex::ws;
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `fields` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[];

/// `fields [+|-] list`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fields {
    /// True for `fields -`.
    pub remove: bool,
    /// Wildcard field patterns.
    pub fields: Vec<FieldName>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Fields> {
    let j = ws(i);
    let (remove, j) = match j.as_bytes().first() {
        Some(b'-') => (true, &j[1..]),
        Some(b'+') => (false, &j[1..]),
        _ => (false, j),
    };
    let (rest, fields) = field_list(cx, j, &|_| false)?;
    if fields.is_empty() {
        return fail_kind(ws(j), PErrKind::Missing("field name".into()));
    }
    Ok((rest, Fields { remove, fields }))
}

impl fmt::Display for Fields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        if self.remove {
            w.push("-");
        }
        w.fields(&self.fields);
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Fields {}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd("search a | fields - *network_io predicted(x)"), @r#"
            command: Fields
            remove: true
            fields:
            - node: '*network_io'
              span: 20-31
            - node: predicted(x)
              span: 32-44
        "#);
        insta::assert_snapshot!(cmd("search a | fields + a, b"), @r#"
            command: Fields
            remove: false
            fields:
            - node: a
              span: 20-21
            - node: b
              span: 23-24
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("search a | fields -"), @r#"
            spl::parse::missing_argument

              × missing argument: expected field name, found end of input
               ╭────
             1 │ search a | fields -
               ·                   ┬
               ·                   ╰── expected field name here
               ╰────
              help: in `fields`; usage: fields [+|-] <wc-field>...
        "#);
    }
}
