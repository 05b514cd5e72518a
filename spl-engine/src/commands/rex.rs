//! `rex`: field extraction with named groups, or `mode=sed` rewriting
//! (semantics 10.9, Splunk's "rex" reference page).
//!
//! Extraction is unanchored; each named group becomes a field. A row where
//! the regex does not match (or a group does not take part) keeps the field's
//! previous value. `max_match=N` (0 = unlimited) collects up to N matches
//! into multivalue fields. Regexes are PCRE adapted to Rust's `regex`
//! ([`crate::eval::compile_pcre`]); what cannot be adapted is a bind-time
//! error pointing at the regex.

use super::args::{build_texts, compile_regex, RowVals, Texts};
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::spec::{CommandKind, CommandSpec, Example};
use crate::value::with_column;
use arrow_array::RecordBatch;
use regex::{Captures, Regex};
use spl_parser::ast::{Rex, Stage};
use spl_parser::options::OptReader;
use spl_parser::Span;

/// The `rex` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    name: "rex",
    aliases: &[],
    kind: CommandKind::Streaming,
    synopsis: "rex [field=<field>] [max_match=<int>] [offset_field=<field>] \"<regex with (?<name>...) groups>\" | rex [field=<field>] mode=sed \"s/<regex>/<replacement>/[g|N]\" | \"y/<chars>/<chars>/\"",
    description: "Extracts named groups of a regular expression into fields (default field `_raw`), or rewrites a field with a sed expression.",
    examples: &[
        Example {
            title: "extract user and domain",
            spl: "| makeresults | eval email=\"alice@example.com\" | rex field=email \"(?<user>[^@]+)@(?<domain>.+)\"",
        },
        Example {
            title: "all matches as a multivalue field",
            spl: "| makeresults | eval s=\"a=1 b=2 c=3\" | rex field=s max_match=0 \"=(?<v>\\d)\"",
        },
        Example {
            title: "sed replacement with a backreference",
            spl: "| makeresults | eval s=\"user=alice\" | rex field=s mode=sed \"s/user=(\\w+)/name=\\1/\"",
        },
    ],
    compat: "Look-around, backreferences inside the regex and possessive quantifiers are rejected (Rust `regex`). Dynamic `_KEY_n`/`_VAL_n` group names are not interpreted.",
};

/// Plans `rex`.
pub fn plan(
    r: &Rex,
    o: &OptReader,
    _stage: &Stage,
    _ctx: &ExecContext,
) -> Result<Box<dyn Operator>> {
    let field = o.text_or_default("field").unwrap_or_default();
    if o.choice("mode")?.is_some() {
        let sed = Sed::parse(&r.regex.node, r.regex.span)?;
        return Ok(Box::new(SedOp { field, sed }));
    }
    let re = compile_regex(&r.regex.node, r.regex.span)?;
    let names: Vec<String> = re.capture_names().flatten().map(str::to_string).collect();
    if names.is_empty() {
        return Err(EngineError::InvalidArgument {
            message: "expected a regex with at least one named group `(?<name>...)`, found none"
                .into(),
            span: r.regex.span,
            label: "extracts nothing".into(),
            help: Some("name the part to extract, e.g. \"user=(?<user>\\w+)\"".into()),
        });
    }
    let max_match = match o.count("max_match")? {
        Some((0, _)) => usize::MAX,
        Some((n, _)) => n as usize,
        None => 1,
    };
    Ok(Box::new(RexOp {
        field,
        re,
        names,
        max_match,
        offset_field: o.text("offset_field").map(|v| v.node.clone()),
    }))
}

struct RexOp {
    field: String,
    re: Regex,
    names: Vec<String>,
    max_match: usize,
    offset_field: Option<String>,
}

impl Operator for RexOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let input = Texts::of(&batch, &self.field)?;
        let n = batch.num_rows();
        // per group: per row, the extracted values (None: leave the row alone)
        let mut out: Vec<Vec<Option<Vec<String>>>> = vec![vec![None; n]; self.names.len()];
        let mut offsets: Vec<Option<Vec<String>>> = vec![None; n];
        for row in 0..n {
            let vals = input.get(row);
            if vals == RowVals::Null {
                continue;
            }
            let mut taken = 0usize;
            for v in vals.to_vec() {
                for caps in self.re.captures_iter(v) {
                    if taken >= self.max_match {
                        break;
                    }
                    taken += 1;
                    for (g, name) in self.names.iter().enumerate() {
                        if let Some(m) = caps.name(name) {
                            if let Some(slot) = out.get_mut(g).and_then(|o| o.get_mut(row)) {
                                slot.get_or_insert_with(Vec::new)
                                    .push(m.as_str().to_string());
                            }
                        }
                    }
                    if let (Some(_), Some(m)) = (&self.offset_field, caps.get(0)) {
                        let start = v[..m.start()].chars().count();
                        let len = m.as_str().chars().count();
                        // inclusive character offsets, as the doc's "0-9" for 10 chars
                        let end = (start + len).saturating_sub(1);
                        if let Some(slot) = offsets.get_mut(row) {
                            slot.get_or_insert_with(Vec::new)
                                .push(format!("{start}-{end}"));
                        }
                    }
                }
                if taken >= self.max_match {
                    break;
                }
            }
        }
        let mut batch = batch;
        for (name, rows) in self.names.iter().zip(out) {
            batch = merge_into(&batch, name, rows)?;
        }
        if let Some(of) = &self.offset_field {
            batch = merge_into(&batch, of, offsets)?;
        }
        Ok(vec![batch])
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(Vec::new())
    }
}

/// Sets `name` to the new values on rows that have some, keeping the old
/// value elsewhere. Untouched when no row has a new value.
pub(crate) fn merge_into(
    batch: &RecordBatch,
    name: &str,
    mut rows: Vec<Option<Vec<String>>>,
) -> Result<RecordBatch> {
    if rows.iter().all(Option::is_none) {
        return Ok(batch.clone());
    }
    if rows.iter().any(Option::is_none) && batch.column_by_name(name).is_some() {
        let old = Texts::of(batch, name)?;
        for (row, slot) in rows.iter_mut().enumerate() {
            if slot.is_none() {
                let v = old.get(row);
                if v != RowVals::Null {
                    *slot = Some(v.to_vec().into_iter().map(str::to_string).collect());
                }
            }
        }
    }
    with_column(batch, name, build_texts(&rows), None)
}

/// A parsed sed expression.
#[derive(Debug)]
enum Sed {
    /// `s/re/repl/flags`.
    Subst {
        re: Regex,
        repl: Vec<ReplPart>,
        /// Replace from this occurrence (1-based) on ...
        from: usize,
        /// ... and every later one (`g`), or only that one.
        all: bool,
    },
    /// `y/abc/xyz/`.
    Translit(Vec<(char, char)>),
}

#[derive(Debug, PartialEq)]
enum ReplPart {
    Lit(String),
    Group(usize),
}

/// Splits `s/a/b/g` on the unescaped delimiter (the character after `s`/`y`).
fn split_sed(text: &str) -> Option<(char, Vec<String>)> {
    let mut chars = text.chars();
    let _cmd = chars.next()?;
    let delim = chars.next()?;
    let mut parts = vec![String::new()];
    let mut escaped = false;
    for c in chars {
        let cur = parts.last_mut()?;
        if escaped {
            // `\<delim>` is the delimiter itself; other escapes stay for the regex.
            if c != delim {
                cur.push('\\');
            }
            cur.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == delim {
            parts.push(String::new());
        } else {
            cur.push(c);
        }
    }
    if escaped {
        parts.last_mut()?.push('\\');
    }
    Some((delim, parts))
}

impl Sed {
    fn parse(text: &str, span: Span) -> Result<Sed> {
        let bad = |why: &str| {
            EngineError::InvalidArgument {
            message: format!("expected a sed expression s/<regex>/<replacement>/[g|N] or y/<chars>/<chars>/, found `{text}`"),
            span,
            label: why.to_string(),
            help: None,
        }
        };
        let t = text.trim();
        let kind = t.chars().next();
        let Some((_, parts)) = split_sed(t) else {
            return Err(bad("incomplete"));
        };
        match (kind, parts.as_slice()) {
            (Some('s'), [re, repl, flags]) => {
                let re = compile_regex(re, span)?;
                let mut from = 1usize;
                let mut all = false;
                let digits: String = flags.chars().filter(char::is_ascii_digit).collect();
                for c in flags.chars() {
                    match c {
                        'g' => all = true,
                        '0'..='9' => {}
                        _ => return Err(bad("unknown flag")),
                    }
                }
                if !digits.is_empty() {
                    from = digits.parse().map_err(|_| bad("bad occurrence"))?;
                    if from == 0 {
                        return Err(bad("occurrences count from 1"));
                    }
                }
                Ok(Sed::Subst {
                    re,
                    repl: parse_replacement(repl),
                    from,
                    all,
                })
            }
            (Some('y'), [a, b, rest]) if rest.is_empty() => {
                let a: Vec<char> = a.chars().collect();
                let b: Vec<char> = b.chars().collect();
                if a.len() != b.len() {
                    return Err(bad("both sides need the same number of characters"));
                }
                Ok(Sed::Translit(a.into_iter().zip(b).collect()))
            }
            _ => Err(bad("not a sed expression")),
        }
    }

    fn apply(&self, v: &str) -> String {
        match self {
            Sed::Translit(map) => v
                .chars()
                .map(|c| map.iter().find(|(a, _)| *a == c).map_or(c, |(_, b)| *b))
                .collect(),
            Sed::Subst {
                re,
                repl,
                from,
                all,
            } => {
                let mut out = String::with_capacity(v.len());
                let mut last = 0;
                for (i, caps) in re.captures_iter(v).enumerate() {
                    let nth = i + 1;
                    if nth < *from {
                        continue;
                    }
                    if nth > *from && !*all {
                        break;
                    }
                    let Some(m) = caps.get(0) else { continue };
                    out.push_str(&v[last..m.start()]);
                    expand(&caps, repl, &mut out);
                    last = m.end();
                }
                out.push_str(&v[last..]);
                out
            }
        }
    }
}

/// `\1`..`\9` are groups (`\0` the whole match); `\\` a backslash.
fn parse_replacement(r: &str) -> Vec<ReplPart> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut chars = r.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            lit.push(c);
            continue;
        }
        match chars.next() {
            Some(d) if d.is_ascii_digit() => {
                if !lit.is_empty() {
                    parts.push(ReplPart::Lit(std::mem::take(&mut lit)));
                }
                parts.push(ReplPart::Group(d.to_digit(10).unwrap_or(0) as usize));
            }
            Some('n') => lit.push('\n'),
            Some('t') => lit.push('\t'),
            Some(o) => lit.push(o),
            None => lit.push('\\'),
        }
    }
    if !lit.is_empty() {
        parts.push(ReplPart::Lit(lit));
    }
    parts
}

fn expand(caps: &Captures<'_>, repl: &[ReplPart], out: &mut String) {
    for p in repl {
        match p {
            ReplPart::Lit(s) => out.push_str(s),
            ReplPart::Group(g) => {
                if let Some(m) = caps.get(*g) {
                    out.push_str(m.as_str());
                }
            }
        }
    }
}

struct SedOp {
    field: String,
    sed: Sed,
}

impl Operator for SedOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        if batch.column_by_name(&self.field).is_none() {
            return Ok(vec![batch]);
        }
        let input = Texts::of(&batch, &self.field)?;
        let rows: Vec<Option<Vec<String>>> = (0..batch.num_rows())
            .map(|row| match input.get(row) {
                RowVals::Null => None,
                v => Some(v.to_vec().into_iter().map(|s| self.sed.apply(s)).collect()),
            })
            .collect();
        Ok(vec![with_column(
            &batch,
            &self.field,
            build_texts(&rows),
            None,
        )?])
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sed(s: &str) -> Sed {
        Sed::parse(s, Span::new(0, 0)).unwrap()
    }

    #[test]
    fn sed_substitutions() {
        assert_eq!(sed("s/a/b/").apply("aaa"), "baa");
        assert_eq!(sed("s/a/b/g").apply("aaa"), "bbb");
        assert_eq!(sed("s/a/b/2").apply("aaa"), "aba");
        assert_eq!(sed("s/a/b/2g").apply("aaaa"), "abbb");
        assert_eq!(sed(r"s/(\d+)-(\d+)/\2:\1/g").apply("1-2 3-4"), "2:1 4:3");
        assert_eq!(sed(r"s/\//|/g").apply("a/b/c"), "a|b|c");
        assert_eq!(sed("s#x#y#g").apply("xox"), "yoy");
        assert_eq!(sed("y/abc/xyz/").apply("aabbcc-d"), "xxyyzz-d");
        assert_eq!(sed("s/z/q/").apply("none"), "none");
    }

    #[test]
    fn sed_errors() {
        let e = |s: &str| Sed::parse(s, Span::new(0, 0)).is_err();
        assert!(e("s/a/b"));
        assert!(e("s/a/b/x"));
        assert!(e("s/a/b/0"));
        assert!(e("y/ab/x/"));
        assert!(e("q/a/b/"));
        assert!(e("s/(?<=a)b/c/"));
    }
}
