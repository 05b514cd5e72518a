//! `mvexpand field [limit=N]`.

use crate::ast::display::{field, Words};
use crate::ast::{FieldName, Opt};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::args::options_strict;
use crate::parser::lex::{at_stage_end, field_token, ws};
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `mvexpand` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[opt(
    "limit",
    K::Count,
    Some("0"),
    "values expanded per result, 0 for all",
)];

/// `mvexpand field [limit=N]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mvexpand {
    /// The multivalue field.
    pub field: FieldName,
    /// `limit`.
    pub options: Vec<Opt>,
}

/// Options around a single required field (`mvexpand`, `mvcombine`, `makemv`).
pub(crate) fn one_field<'a>(cx: &Cx, i: &'a str) -> PResult<'a, (FieldName, Vec<Opt>)> {
    let mut options = Vec::new();
    let (j, ()) = options_strict(cx, i, &mut options)?;
    let k = ws(j);
    if at_stage_end(k) {
        return fail_kind(k, PErrKind::Missing("field name".into()));
    }
    let (j, f) = field_token(cx, k)?;
    let (j, ()) = options_strict(cx, j, &mut options)?;
    Ok((j, (f, options)))
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Mvexpand> {
    let (j, (f, options)) = one_field(cx, i)?;
    Ok((j, Mvexpand { field: f, options }))
}

impl fmt::Display for Mvexpand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.push(field(&self.field.node)).opts(&self.options);
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Mvexpand {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd("search a | mvexpand user limit=10"), @r#"
            command: Mvexpand
            field:
              node: user
              span: 20-24
            options:
            - key:
                node: limit
                span: 25-30
              value:
                node: '10'
                span: 31-33
              quoted: false
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("search a | mvexpand"), @r#"
            spl::parse::missing_argument

              × missing argument: expected field name, found end of input
               ╭────
             1 │ search a | mvexpand
               ·                   ┬
               ·                   ╰── expected field name here
               ╰────
              help: in `mvexpand`; usage: mvexpand <field> [limit=<int>]
        "#);
    }
}
