//! `return [N] [alias=field | field | $field]...`.

use crate::ast::display::{field, Words};
use crate::ast::FieldName;
use crate::options::OptSpec;
use crate::parser::args::key_value;
use crate::parser::lex::{at_stage_end, field_token, is_option_start, uint, ws};
use crate::parser::{Cx, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `return` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[];

/// `return [N] items`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Return {
    /// Number of rows to return (default 1).
    pub count: Option<u64>,
    /// What to return, in order.
    pub items: Vec<ReturnItem>,
}

/// One item of `return`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ReturnItem {
    /// `field`: returns `field=value`.
    Field(FieldName),
    /// `alias=field`: returns `alias=value`.
    Alias {
        /// The name in the output.
        alias: FieldName,
        /// The source field.
        field: FieldName,
    },
    /// `$field`: returns the bare value.
    Value(FieldName),
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Return> {
    let mut j = ws(i);
    let mut count = None;
    if let Ok((r, n)) = uint(cx, j, "count") {
        count = Some(n.node);
        j = r;
    }
    let mut items = Vec::new();
    loop {
        let k = ws(j);
        if let Some(r) = k.strip_prefix(',') {
            j = r;
            continue;
        }
        if at_stage_end(k) {
            break;
        }
        if is_option_start(k) {
            let (r, o) = key_value(cx, k)?;
            items.push(ReturnItem::Alias {
                alias: o.key,
                field: o.value,
            });
            j = r;
        } else if let Some(after) = k.strip_prefix('$') {
            let (r, f) = field_token(cx, after)?;
            items.push(ReturnItem::Value(f));
            j = r;
        } else {
            let (r, f) = field_token(cx, k)?;
            items.push(ReturnItem::Field(f));
            j = r;
        }
    }
    Ok((j, Return { count, items }))
}

impl fmt::Display for Return {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        if let Some(n) = self.count {
            w.push(n);
        }
        for it in &self.items {
            match it {
                ReturnItem::Field(x) => w.push(field(&x.node)),
                ReturnItem::Alias { alias, field: x } => w.push(format!(
                    "{}={}",
                    alias.node,
                    crate::ast::display::quote(&x.node)
                )),
                ReturnItem::Value(x) => w.push(format!("${}", field(&x.node))),
            };
        }
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Return {}

#[cfg(test)]
mod tests {
    use super::super::test_util::cmd;

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd("search a | return 10 src_ip user=account $dest"), @r#"
            command: Return
            count: 10
            items:
            - !Field
              node: src_ip
              span: 21-27
            - !Alias
              alias:
                node: user
                span: 28-32
              field:
                node: account
                span: 33-40
            - !Value
              node: dest
              span: 42-46
        "#);
    }
}
