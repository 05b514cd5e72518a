//! `transaction [fields] [opts]`: groups events into transactions.

use crate::ast::display::Words;
use crate::ast::{FieldName, Opt};
use crate::parser::args::{field_list, options_strict};
use crate::parser::{Cx, PResult};
use serde::Serialize;
use std::fmt;

/// `transaction [fields] [opts]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transaction {
    /// Fields whose values identify a transaction.
    pub fields: Vec<FieldName>,
    /// `maxspan`, `maxpause`, `startswith`, `endswith`, `maxevents`, `keepevicted`, ...
    pub options: Vec<Opt>,
}

/// Options and fields in any order, until nothing more matches.
pub(crate) fn opts_and_fields<'a>(cx: &Cx, i: &'a str) -> PResult<'a, (Vec<Opt>, Vec<FieldName>)> {
    let mut j = i;
    let mut options = Vec::new();
    let mut fields = Vec::new();
    loop {
        let start = j.len();
        let (r, ()) = options_strict(cx, j, &mut options)?;
        let (r, f) = field_list(cx, r, &|_| false)?;
        fields.extend(f);
        j = r;
        if j.len() == start {
            return Ok((j, (options, fields)));
        }
    }
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Transaction> {
    let (j, (options, fields)) = opts_and_fields(cx, i)?;
    Ok((j, Transaction { fields, options }))
}

impl fmt::Display for Transaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.fields(&self.fields).opts(&self.options);
        w.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::cmd;

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd(r#"search a | transaction user, host maxspan=10m startswith="login" endswith=eval(action == "logout")"#), @r#"
            command: Transaction
            fields:
            - node: user
              span: 23-27
            - node: host
              span: 29-33
            options:
            - key:
                node: maxspan
                span: 34-41
              value:
                node: 10m
                span: 42-45
              quoted: false
            - key:
                node: startswith
                span: 46-56
              value:
                node: login
                span: 57-64
              quoted: true
            - key:
                node: endswith
                span: 65-73
              value:
                node: eval(action == "logout")
                span: 74-98
              quoted: false
        "#);
    }
}
