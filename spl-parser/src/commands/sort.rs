//! `sort [N|limit=N] [+|-]key, ... [desc]`.

use crate::ast::display::{field, Words};
use crate::ast::FieldName;
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::args::option;
use crate::parser::lex::{at_stage_end, field_token, is_option_start, uint, ws};
use crate::parser::{fail, fail_kind, Cx, PErr, PErrKind, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `sort` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[opt(
    "limit",
    K::Count,
    Some("10000"),
    "results kept, 0 for all",
)];

/// `sort [N|limit=N] [+|-]key, ... [desc]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sort {
    /// Maximum number of results (`None`: Splunk's default 10,000; `Some(0)`: all).
    pub limit: Option<u64>,
    /// Sort keys in priority order.
    pub keys: Vec<SortKey>,
    /// A trailing `desc` (reverses the whole order).
    pub desc: bool,
}

/// One sort key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SortKey {
    /// The field.
    pub field: FieldName,
    /// True for a leading `-`.
    pub descending: bool,
    /// `auto`, `str`, `num` or `ip` when written as `num(f)`; `None` = auto.
    pub func: Option<String>,
}

const SORT_FUNCS: &[&str] = &["auto", "str", "num", "ip"];

/// One `[+|-]field` or `[+|-]func(field)` key.
pub(crate) fn sort_key<'a>(cx: &Cx, i: &'a str) -> PResult<'a, SortKey> {
    let (descending, j) = match i.as_bytes().first() {
        Some(b'-') => (true, ws(&i[1..])),
        Some(b'+') => (false, ws(&i[1..])),
        _ => (false, i),
    };
    for func in SORT_FUNCS {
        // `get` so that a field name with a multi-byte character in the
        // first bytes is not cut inside it
        let Some(head) = j.get(..func.len() + 1) else {
            continue;
        };
        if head
            .get(..func.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(func))
            && head.ends_with('(')
        {
            let inner = ws(&j[func.len() + 1..]);
            let (r, field) = field_token(cx, inner)?;
            let r = ws(r);
            let Some(r) = r.strip_prefix(')') else {
                return fail(r, "`)`");
            };
            return Ok((
                r,
                SortKey {
                    field,
                    descending,
                    func: Some(func.to_string()),
                },
            ));
        }
    }
    let (r, field) = field_token(cx, j)?;
    Ok((
        r,
        SortKey {
            field,
            descending,
            func: None,
        },
    ))
}

/// Sort keys separated by commas and/or spaces, up to the end or `stop`.
pub(crate) fn sort_keys<'a>(
    cx: &Cx,
    mut i: &'a str,
    stop: &dyn Fn(&str) -> bool,
) -> PResult<'a, Vec<SortKey>> {
    let mut keys = Vec::new();
    loop {
        let j = ws(i);
        if let Some(r) = j.strip_prefix(',') {
            i = r;
            continue;
        }
        if at_stage_end(j) || is_option_start(j) || stop(j) {
            return Ok((i, keys));
        }
        let (r, k) = sort_key(cx, j)?;
        keys.push(k);
        i = r;
    }
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Sort> {
    let mut j = ws(i);
    let mut limit = None;
    if let Ok((r, n)) = uint(cx, j, "count") {
        limit = Some(n.node);
        j = r;
    }
    let mut keys = Vec::new();
    loop {
        let k = ws(j);
        if is_option_start(k) {
            let (r, o) = option(cx, k)?;
            if !o.key.node.eq_ignore_ascii_case("limit") {
                return Err(nom::Err::Failure(PErr::expected(
                    k,
                    "`limit=` or sort field",
                )));
            }
            let Ok(n) = o.value.node.parse::<u64>() else {
                return fail_kind(
                    &k[o.key.node.len() + 1..],
                    PErrKind::Invalid {
                        what: "sort limit",
                        expected: "a non-negative integer",
                        len: o.value.node.len(),
                    },
                );
            };
            limit = Some(n);
            j = r;
            continue;
        }
        let (r, more) = sort_keys(cx, j, &|_| false)?;
        if more.is_empty() {
            break;
        }
        keys.extend(more);
        j = r;
    }
    // A trailing bare `desc`/`d` reverses the order rather than naming a field.
    let mut desc = false;
    if keys.len() > 1 {
        if let Some(last) = keys.last() {
            let name = last.field.node.as_str();
            if !last.descending
                && last.func.is_none()
                && (name.eq_ignore_ascii_case("desc") || name.eq_ignore_ascii_case("d"))
            {
                keys.pop();
                desc = true;
            }
        }
    }
    if keys.is_empty() {
        return fail_kind(ws(j), PErrKind::Missing("sort field".into()));
    }
    Ok((j, Sort { limit, keys, desc }))
}

impl fmt::Display for SortKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.descending {
            f.write_str("-")?;
        }
        match &self.func {
            Some(func) => write!(f, "{func}({})", field(&self.field.node)),
            None => f.write_str(&field(&self.field.node)),
        }
    }
}

/// Keys joined by `, `.
pub(crate) fn keys_text(keys: &[SortKey]) -> String {
    keys.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for Sort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        if let Some(n) = self.limit {
            w.push(n);
        }
        w.push(keys_text(&self.keys));
        if self.desc {
            w.push("desc");
        }
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Sort {}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd("search a | sort 0 - total_failures, +num(count) str(x) desc"), @r#"
            command: Sort
            limit: 0
            keys:
            - field:
                node: total_failures
                span: 20-34
              descending: true
              func: null
            - field:
                node: count
                span: 41-46
              descending: false
              func: num
            - field:
                node: x
                span: 52-53
              descending: false
              func: str
            desc: true
        "#);
        insta::assert_snapshot!(cmd("search a | sort limit=5 -_time"), @r#"
            command: Sort
            limit: 5
            keys:
            - field:
                node: _time
                span: 25-30
              descending: true
              func: null
            desc: false
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("search a | sort"), @r#"
            spl::parse::missing_argument

              × missing argument: expected sort field, found end of input
               ╭────
             1 │ search a | sort
               ·               ┬
               ·               ╰── expected sort field here
               ╰────
              help: in `sort`; usage: sort [<count>] [+|-]<field>[, ...] [desc]
        "#);
        insta::assert_snapshot!(err("search a | sort limit=x y"), @"
        spl::parse::invalid_value

          × invalid `limit` value: expected a whole number >= 0, found `x`
           ╭────
         1 │ search a | sort limit=x y
           ·                       ┬
           ·                       ╰── invalid `limit` value
           ╰────
          help: in `sort`; usage: sort [<count>] [+|-]<field>[, ...] [desc]
        ");
    }
}
