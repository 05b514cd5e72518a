//! Field aliases: props.conf `FIELDALIAS-<class> = (<orig> AS|ASNEW <new>)+`.
//!
//! props.conf.spec: with `AS`, the alias takes the original's values,
//! replacing any it had, and is removed when the original is absent (the
//! Splunk 7.2.4 behaviour, Release Notes "Field alias behavior change");
//! with `ASNEW` an alias that already exists is left alone, and one that does
//! not is created only from an original that exists. The original is never
//! removed. `AS`/`ASNEW` match in any case; names may be double-quoted.
//! Classes run in ASCII order of their names and the pairs of one class in
//! the order written, each seeing what the ones before it did (so an alias
//! of an alias works when the classes are in that order).

use super::apps::Value;
use super::work::Work;
use crate::error::Result;
use std::borrow::Cow;

/// One `<orig> AS|ASNEW <new>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AliasPair {
    /// The original field.
    pub from: String,
    /// The alias.
    pub to: String,
    /// `ASNEW`.
    pub new_only: bool,
}

/// Splits a setting into words; `"..."` quotes a word (with `\"` inside).
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(&c) = chars.peek() else { break };
        let mut w = String::new();
        if c == '"' {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' if chars.peek() == Some(&'"') => {
                        w.push('"');
                        chars.next();
                    }
                    '"' => break,
                    c => w.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                w.push(c);
                chars.next();
            }
        }
        out.push(w);
    }
    out
}

/// Parses a `FIELDALIAS-<class>` value.
pub(crate) fn parse(v: &Value, key: &str) -> Result<Vec<AliasPair>> {
    let w = words(&v.value);
    if w.is_empty() || w.len() % 3 != 0 {
        return Err(v.error(
            key,
            format!(
                "expected `<field> AS <alias>` (or ASNEW), repeated, found `{}`",
                v.value
            ),
        ));
    }
    w.chunks(3)
        .map(|c| {
            let (from, op, to) = (&c[0], &c[1], &c[2]);
            let new_only = if op.eq_ignore_ascii_case("as") {
                false
            } else if op.eq_ignore_ascii_case("asnew") {
                true
            } else {
                return Err(v.error(
                    key,
                    format!("expected AS or ASNEW after `{from}`, found `{op}`"),
                ));
            };
            Ok(AliasPair {
                from: from.clone(),
                to: to.clone(),
                new_only,
            })
        })
        .collect()
}

/// Applies one pair to every row.
pub(crate) fn run(p: &AliasPair, work: &mut Work<'_>) {
    if p.from == p.to {
        return;
    }
    for row in 0..work.rows() {
        let vals: Vec<String> = work
            .values(row, &p.from)
            .into_iter()
            .map(Cow::into_owned)
            .collect();
        if p.new_only {
            if !vals.is_empty() && !work.has(row, &p.to) {
                work.set(row, &p.to, vals);
            }
        } else if vals.is_empty() {
            if work.has(row, &p.to) {
                work.remove(row, &p.to);
            }
        } else {
            work.set(row, &p.to, vals);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn v(text: &str) -> Value {
        Value {
            value: text.into(),
            file: Arc::from("props.conf"),
            line: 3,
        }
    }

    #[test]
    fn parses_pairs() {
        let p = parse(&v("a AS b \n  \"c d\" asnew e"), "FIELDALIAS-x").unwrap();
        assert_eq!(
            p,
            [
                AliasPair {
                    from: "a".into(),
                    to: "b".into(),
                    new_only: false
                },
                AliasPair {
                    from: "c d".into(),
                    to: "e".into(),
                    new_only: true
                }
            ]
        );
        let e = parse(&v("a TO b"), "FIELDALIAS-x").unwrap_err().to_string();
        assert!(
            e.contains("props.conf:3") && e.contains("FIELDALIAS-x"),
            "{e}"
        );
        assert!(parse(&v("a AS"), "FIELDALIAS-x").is_err());
    }
}
