//! `fillnull [value=v] [field...]`.

use crate::ast::display::Words;
use crate::ast::{FieldName, Opt};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::args::{field_list, options_strict};
use crate::parser::{Cx, PErr, PErrKind, PResult};
use crate::span::Spanned;
use serde::Serialize;
use std::fmt;

/// The options of `fillnull` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[opt(
    "value",
    K::Text,
    Some("0"),
    "the value written into empty fields",
)];

/// `fillnull [value=v] [field...]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fillnull {
    /// The fill value (`None`: `0`).
    pub value: Option<Spanned<String>>,
    /// Fields to fill; empty: every field that exists.
    pub fields: Vec<FieldName>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Fillnull> {
    let mut j = i;
    let mut options: Vec<Opt> = Vec::new();
    let mut fields = Vec::new();
    loop {
        let start = j.len();
        let (r, ()) = options_strict(cx, j, &mut options)?;
        let (r, f) = field_list(cx, r, &|_| false)?;
        fields.extend(f);
        j = r;
        if j.len() == start {
            break;
        }
    }
    let mut value = None;
    for o in options {
        if !o.key.node.eq_ignore_ascii_case("value") {
            let at = (o.key.span.start as usize)
                .saturating_sub(cx.off(i))
                .min(i.len());
            return Err(nom::Err::Failure(PErr::new(
                &i[at..],
                PErrKind::Expected("`value=`".into()),
            )));
        }
        value = Some(o.value);
    }
    Ok((j, Fillnull { value, fields }))
}

impl fmt::Display for Fillnull {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        if let Some(v) = &self.value {
            w.push(format!("value={}", crate::ast::display::quote(&v.node)));
        }
        w.fields(&self.fields);
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Fillnull {}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd("search a | fillnull"), @r#"
            command: Fillnull
            value: null
            fields: []
        "#);
        insta::assert_snapshot!(cmd(r#"search a | fillnull value="N/A" unique_accounts, unique_src"#), @r#"
            command: Fillnull
            value:
              node: N/A
              span: 26-31
            fields:
            - node: unique_accounts
              span: 32-47
            - node: unique_src
              span: 49-59
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("search a | fillnull val=1"), @"
        spl::parse::unknown_option

          × unknown option `val` of `fillnull`
           ╭────
         1 │ search a | fillnull val=1
           ·                     ─┬─
           ·                      ╰── not an option of `fillnull`
           ╰────
          help: did you mean `value`?
        ");
    }
}
