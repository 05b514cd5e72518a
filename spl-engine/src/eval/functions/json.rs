//! JSON functions: `spath` (eval form, semantics 3.7 [R-TEXTFN]) and basic
//! `json_extract`/`json_valid`.
//!
//! Paths use spath syntax: `a.b.c`, `a{2}.b` (index), `a{}.b` (every element,
//! giving a multivalue result). Strings come back without quotes, other
//! scalars as their JSON text, objects and arrays as compact JSON.

use super::string::map_text;
use super::{spec, Call, FnExample, FunctionSpec, Invoke};
use crate::error::Result;
use crate::eval::bind::Kind;
use crate::eval::coerce::to_text;
use crate::eval::val::{build_multi, Val};
use arrow_array::{Array, BooleanArray};
use arrow_buffer::BooleanBuffer;
use serde_json::Value;

pub(super) const SPECS: &[FunctionSpec] = &[
    spec(
        "spath",
        2,
        Some(2),
        Kind::Any,
        Invoke::Eager(spath),
        "Extracts a value from JSON text by an spath path (`a.b{0}.c`, `a{}` for every element).",
        &[
            FnExample {
                expr: r#"spath("{\"a\":{\"b\":[1,2]}}", "a.b{1}")"#,
                result: "2",
            },
            FnExample {
                expr: r#"spath("{\"a\":[{\"n\":\"x\"},{\"n\":\"y\"}]}", "a{}.n")"#,
                result: r#"["x","y"]"#,
            },
            FnExample {
                expr: r#"spath("{\"a\":{\"b\":1}}", "a")"#,
                result: r#"{"b":1}"#,
            },
            FnExample {
                expr: r#"spath("not json", "a")"#,
                result: "null",
            },
        ],
    ),
    spec(
        "json_extract",
        1,
        Some(2),
        Kind::Any,
        Invoke::Eager(spath),
        "Like `spath`: the value at a path (the whole document without one).",
        &[
            FnExample {
                expr: r#"json_extract("{\"k\":\"v\"}", "k")"#,
                result: "v",
            },
            FnExample {
                expr: r#"json_extract("[1, 2]")"#,
                result: "[1,2]",
            },
        ],
    ),
    spec(
        "json_valid",
        1,
        Some(1),
        Kind::Bool,
        Invoke::Eager(json_valid),
        "True when the text is valid JSON.",
        &[
            FnExample {
                expr: r#"json_valid("{\"a\":1}")"#,
                result: "True",
            },
            FnExample {
                expr: r#"json_valid("{a:1}")"#,
                result: "False",
            },
        ],
    ),
];

/// One step of a path.
#[derive(Debug, PartialEq)]
enum Step {
    Key(String),
    Index(i64),
    All,
}

/// Parses `a.b{0}.c{}` into steps; `None` for a malformed path.
fn parse_path(path: &str) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, mut rest) = match part.find('{') {
            Some(i) => part.split_at(i),
            None => (part, ""),
        };
        if !key.is_empty() {
            steps.push(Step::Key(key.to_string()));
        }
        while let Some(r) = rest.strip_prefix('{') {
            let end = r.find('}')?;
            let inner = r.get(..end)?;
            steps.push(if inner.is_empty() {
                Step::All
            } else {
                Step::Index(inner.trim().parse().ok()?)
            });
            rest = r.get(end + 1..)?;
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(steps)
}

fn walk<'v>(v: &'v Value, steps: &[Step], out: &mut Vec<&'v Value>) {
    let Some((first, rest)) = steps.split_first() else {
        out.push(v);
        return;
    };
    match (first, v) {
        (Step::Key(k), Value::Object(m)) => {
            if let Some(x) = m.get(k) {
                walk(x, rest, out);
            }
        }
        // `a.b` on an array of objects applies to each element, as spath does.
        (Step::Key(_), Value::Array(items)) => items.iter().for_each(|x| walk(x, steps, out)),
        (Step::Index(i), Value::Array(items)) => {
            let idx = if *i < 0 { items.len() as i64 + i } else { *i };
            if let Some(x) = usize::try_from(idx).ok().and_then(|i| items.get(i)) {
                walk(x, rest, out);
            }
        }
        (Step::All, Value::Array(items)) => items.iter().for_each(|x| walk(x, rest, out)),
        _ => {}
    }
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The values at `path` in `doc` (no path: the document itself).
fn extract(doc: &str, path: Option<&str>) -> Option<Vec<String>> {
    let v: Value = serde_json::from_str(doc).ok()?;
    let steps = match path {
        Some(p) => parse_path(p)?,
        None => Vec::new(),
    };
    let mut out = Vec::new();
    walk(&v, &steps, &mut out);
    let vals: Vec<String> = out
        .into_iter()
        .filter(|v| !v.is_null())
        .map(text_of)
        .collect();
    (!vals.is_empty()).then_some(vals)
}

fn spath(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let Some(doc) = a.first() else {
        return Ok(Val::null());
    };
    let Some(dt) = to_text(doc) else {
        return Ok(Val::null());
    };
    let pt = match a.get(1) {
        Some(p) => match to_text(p) {
            Some(t) => Some((p, t)),
            None => return Ok(Val::null()),
        },
        None => None,
    };
    let n = call.rows(a);
    let rows: Vec<Option<Vec<String>>> = (0..n)
        .map(|i| {
            let di = doc.idx(i);
            if dt.is_null(di) {
                return None;
            }
            let path = match &pt {
                Some((p, t)) => {
                    let pi = p.idx(i);
                    if t.is_null(pi) {
                        return None;
                    }
                    Some(t.value(pi))
                }
                None => None,
            };
            extract(dt.value(di), path)
        })
        .collect();
    let scalar = a.iter().all(|v| v.scalar);
    if rows.iter().all(|r| r.as_ref().is_none_or(|v| v.len() <= 1)) {
        let single: arrow_array::StringArray = rows
            .iter()
            .map(|r| r.as_ref().and_then(|v| v.first().map(String::as_str)))
            .collect();
        return Ok(Val::new(
            crate::eval::val::Data::Str(single, crate::eval::val::Origin::Field),
            scalar,
        ));
    }
    Ok(Val::multi(build_multi(rows), scalar))
}

fn json_valid(call: &Call<'_>, a: &[Val]) -> Result<Val> {
    let Some(x) = a.first() else {
        return Ok(Val::bool_scalar(false));
    };
    let Some(valid) = map_text(x, |s| {
        serde_json::from_str::<Value>(s).ok().map(|_| String::new())
    }) else {
        return Ok(Val::bool_scalar(false));
    };
    let n = call.rows(a);
    let out = BooleanArray::new(
        BooleanBuffer::collect_bool(n, |i| valid.is_valid(x.idx(i))),
        None,
    );
    Ok(Val::boolean(out, x.scalar))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(
            parse_path("a.b{0}.c{}"),
            Some(vec![
                Step::Key("a".into()),
                Step::Key("b".into()),
                Step::Index(0),
                Step::Key("c".into()),
                Step::All
            ])
        );
        assert_eq!(parse_path("a{x}"), None);
        assert_eq!(parse_path("a{0"), None);
        let doc = r#"{"r":{"status":403,"groups":["a","b"],"n":null},"list":[{"k":1},{"k":2}]}"#;
        assert_eq!(extract(doc, Some("r.status")), Some(vec!["403".into()]));
        assert_eq!(
            extract(doc, Some("r.groups{}")),
            Some(vec!["a".into(), "b".into()])
        );
        assert_eq!(extract(doc, Some("r.groups{-1}")), Some(vec!["b".into()]));
        assert_eq!(
            extract(doc, Some("list.k")),
            Some(vec!["1".into(), "2".into()])
        );
        assert_eq!(extract(doc, Some("r.n")), None);
        assert_eq!(extract(doc, Some("missing")), None);
        assert_eq!(extract("[", Some("a")), None);
    }
}
