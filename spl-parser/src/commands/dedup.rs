//! `dedup [N] fields [opts] [sortby ...]`.

use super::sort::{keys_text, sort_keys, SortKey};
use crate::ast::display::Words;
use crate::ast::{FieldName, Opt};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::args::{field_list, options_strict};
use crate::parser::lex::{keyword, uint, ws};
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `dedup` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    opt(
        "keepevents",
        K::Bool,
        Some("false"),
        "keep duplicates, removing the dedup fields from them",
    ),
    opt(
        "keepempty",
        K::Bool,
        Some("false"),
        "keep results that lack a dedup field",
    ),
    opt(
        "consecutive",
        K::Bool,
        Some("false"),
        "remove only consecutive duplicates",
    ),
];

/// `dedup [N] fields [opts] [sortby ...]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dedup {
    /// Results to keep per combination (default 1).
    pub count: Option<u64>,
    /// The fields.
    pub fields: Vec<FieldName>,
    /// `keepevents`, `keepempty`, `consecutive`.
    pub options: Vec<Opt>,
    /// `sortby` keys.
    pub sortby: Vec<SortKey>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Dedup> {
    let mut j = ws(i);
    let mut count = None;
    if let Ok((r, n)) = uint(cx, j, "count") {
        count = Some(n.node);
        j = r;
    }
    let mut options = Vec::new();
    let mut fields = Vec::new();
    let mut sortby = Vec::new();
    let is_sortby = |s: &str| keyword(s, "sortby").is_some();
    loop {
        let start = j.len();
        let (r, ()) = options_strict(cx, j, &mut options)?;
        let (r, f) = field_list(cx, r, &is_sortby)?;
        fields.extend(f);
        j = r;
        if let Some(after) = keyword(ws(j), "sortby") {
            let (r, k) = sort_keys(cx, after, &|_| false)?;
            if k.is_empty() {
                return fail_kind(
                    ws(after),
                    PErrKind::Missing("sort field after `sortby`".into()),
                );
            }
            sortby.extend(k);
            j = r;
        }
        if j.len() == start {
            break;
        }
    }
    if fields.is_empty() {
        return fail_kind(ws(j), PErrKind::Missing("field name".into()));
    }
    Ok((
        j,
        Dedup {
            count,
            fields,
            options,
            sortby,
        },
    ))
}

impl fmt::Display for Dedup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        if let Some(n) = self.count {
            w.push(n);
        }
        w.fields(&self.fields).opts(&self.options);
        if !self.sortby.is_empty() {
            w.push("sortby").push(keys_text(&self.sortby));
        }
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Dedup {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd("search a | dedup 2 host, src keepempty=true sortby -_time +num(x)"), @r#"
            command: Dedup
            count: 2
            fields:
            - node: host
              span: 19-23
            - node: src
              span: 25-28
            options:
            - key:
                node: keepempty
                span: 29-38
              value:
                node: 'true'
                span: 39-43
              quoted: false
            sortby:
            - field:
                node: _time
                span: 52-57
              descending: true
              func: null
            - field:
                node: x
                span: 63-64
              descending: false
              func: num
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("search a | dedup"), @r#"
            spl::parse::missing_argument

              × missing argument: expected field name, found end of input
               ╭────
             1 │ search a | dedup
               ·                ┬
               ·                ╰── expected field name here
               ╰────
              help: in `dedup`; usage: dedup [<count>] <field>... [<option>=<value>]...
                    [sortby [+|-]<field>...]
        "#);
    }
}
