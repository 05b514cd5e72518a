//! `transaction [fields] [opts]`: groups events into transactions.

use crate::ast::display::Words;
use crate::ast::{FieldName, Opt};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::args::{field_list, options_strict};
use crate::parser::{Cx, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `transaction` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    opt(
        "name",
        K::Text,
        None,
        "transaction type whose definition is the base",
    ),
    opt(
        "maxspan",
        K::Text,
        Some("-1"),
        "longest time from first to last event",
    ),
    opt(
        "maxpause",
        K::Text,
        Some("-1"),
        "longest pause between events",
    ),
    opt(
        "maxevents",
        K::Int,
        Some("1000"),
        "most events per transaction, negative for no limit",
    ),
    opt(
        "startswith",
        K::Expr,
        None,
        "filter for the event that opens a transaction",
    ),
    opt(
        "endswith",
        K::Expr,
        None,
        "filter for the event that closes a transaction",
    ),
    opt(
        "connected",
        K::Bool,
        Some("true"),
        "an event that neither matches nor conflicts starts a new transaction",
    ),
    opt(
        "unifyends",
        K::Bool,
        None,
        "start and end events must share a field value",
    ),
    opt(
        "keeporphans",
        K::Bool,
        Some("false"),
        "also output events in no transaction",
    ),
    opt("maxopentxn", K::Count, None, "most open transactions"),
    opt(
        "maxopenevents",
        K::Count,
        None,
        "most events in open transactions",
    ),
    opt(
        "keepevicted",
        K::Bool,
        Some("false"),
        "output evicted transactions",
    ),
    opt("delim", K::Text, Some(" "), "separator of field values"),
    opt(
        "mvlist",
        K::Text,
        Some("false"),
        "keep values as ordered lists (true or a field list)",
    ),
    opt(
        "nullstr",
        K::Text,
        Some("NULL"),
        "placeholder for missing values in lists",
    ),
    opt("mvraw", K::Bool, Some("false"), "make _raw multivalue"),
    opt(
        "fields",
        K::Text,
        None,
        "deprecated: the fields, now written without `fields=`",
    ),
];

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

impl crate::ast::CommandNode for Transaction {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
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
