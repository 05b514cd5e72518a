//! `rex`: field extraction with named groups, or `mode=sed` rewriting
//! (semantics 10.9, Splunk's "rex" reference page).
//!
//! Extraction is unanchored; each named group becomes a field. A row where
//! the regex does not match (or a group does not take part) keeps the field's
//! previous value. `max_match=N` (0 = unlimited) collects up to N matches
//! into multivalue fields. Regexes are PCRE ([`crate::pcre`]): a syntax
//! error is a bind-time error pointing into the regex, and a match that
//! exceeds PCRE's limits is a run-time `spl::run::regex_limit` error.

use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::texts::merge_into;
use crate::ops::texts::{build_texts, RowVals, Texts};
use crate::pcre::{MatchError, Matcher, Part, Pcre, Template};
use crate::spec::{CommandKind, CommandSpec, Example};
use crate::value::with_column;
use arrow_array::RecordBatch;
use spl_parser::ast::Rex;
use spl_parser::Span;
use std::ops::ControlFlow;

/// The `rex` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
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
    compat: "Regexes are PCRE, matched within Splunk's default limits (match_limit 100000, depth_limit 1000); exceeding one is an error. Dynamic `_KEY_n`/`_VAL_n` group names are not interpreted.",
};

/// Plans `rex`.
pub(crate) fn plan(r: &Rex, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let o = p.opts;
    let field = o.text_or_default("field").unwrap_or_default();
    if o.choice("mode")?.is_some() {
        let sed = Sed::parse(&r.regex.node, r.regex.span)?;
        return Ok(Box::new(SedOp {
            field,
            sed,
            span: r.regex.span,
        }));
    }
    let re = Pcre::compile(&r.regex.node, r.regex.span)?;
    // Each field, with its groups: with `(?J)` a name may label several.
    let mut names: Vec<(String, Vec<usize>)> = Vec::new();
    for (g, name) in re.named_groups() {
        match names.iter_mut().find(|(n, _)| n == name) {
            Some((_, groups)) => groups.push(g),
            None => names.push((name.to_string(), vec![g])),
        }
    }
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
        span: r.regex.span,
        names,
        max_match,
        offset_field: o.text("offset_field").map(|v| v.node.clone()),
    }))
}

struct RexOp {
    field: String,
    re: Pcre,
    /// The regex in the query, for run-time errors.
    span: Span,
    /// Each extracted field and its group numbers.
    names: Vec<(String, Vec<usize>)>,
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
        let mut matcher = self.re.matcher();
        for row in 0..n {
            let vals = input.get(row);
            if vals == RowVals::Null {
                continue;
            }
            let mut taken = 0usize;
            for v in vals.to_vec() {
                if taken >= self.max_match {
                    break;
                }
                matcher
                    .for_each(v, |caps| {
                        taken += 1;
                        for (g, (_, groups)) in self.names.iter().enumerate() {
                            if let Some(m) = groups.iter().find_map(|&i| caps.get(i)) {
                                if let Some(slot) = out.get_mut(g).and_then(|o| o.get_mut(row)) {
                                    slot.get_or_insert_with(Vec::new).push(m.to_string());
                                }
                            }
                        }
                        if let (Some(_), Some((s, e))) = (&self.offset_field, caps.range(0)) {
                            let start = v.get(..s).map_or(0, |p| p.chars().count());
                            let len = v.get(s..e).map_or(0, |p| p.chars().count());
                            // inclusive character offsets, as the doc's "0-9" for 10 chars
                            let end = (start + len).saturating_sub(1);
                            if let Some(slot) = offsets.get_mut(row) {
                                slot.get_or_insert_with(Vec::new)
                                    .push(format!("{start}-{end}"));
                            }
                        }
                        if taken >= self.max_match {
                            ControlFlow::Break(())
                        } else {
                            ControlFlow::Continue(())
                        }
                    })
                    .map_err(|e| e.at(self.span))?;
            }
        }
        let mut batch = batch;
        for ((name, _), rows) in self.names.iter().zip(out) {
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

/// A parsed sed expression.
#[derive(Debug)]
enum Sed {
    /// `s/re/repl/flags`.
    Subst {
        re: Pcre,
        repl: Template,
        /// Replace from this occurrence (1-based) on ...
        from: usize,
        /// ... and every later one (`g`), or only that one.
        all: bool,
    },
    /// `y/abc/xyz/`.
    Translit(Vec<(char, char)>),
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
                let re = Pcre::compile(re, regex_span(text, span, re))?;
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

    /// The regex of an `s` expression.
    fn regex(&self) -> Option<&Pcre> {
        match self {
            Sed::Subst { re, .. } => Some(re),
            Sed::Translit(_) => None,
        }
    }

    /// Rewrites `v`; `matcher` is the `s` expression's regex's.
    fn apply(&self, v: &str, matcher: Option<&mut Matcher<'_>>) -> Result<String, MatchError> {
        match (self, matcher) {
            (Sed::Translit(map), _) => Ok(v
                .chars()
                .map(|c| map.iter().find(|(a, _)| *a == c).map_or(c, |(_, b)| *b))
                .collect()),
            (
                Sed::Subst {
                    repl, from, all, ..
                },
                Some(m),
            ) => Ok(m.replace(v, repl, *from, *all)?.into_owned()),
            (Sed::Subst { .. }, None) => Ok(v.to_string()),
        }
    }
}

/// Where the regex of `s/<regex>/...` sits in the query, when the sed text
/// appears there verbatim (no escapes); else the whole sed expression.
fn regex_span(text: &str, span: Span, re: &str) -> Span {
    let lead = text.len() - text.trim_start().len();
    let t = text.trim_start();
    let base = if span.len() == text.len() + 2 {
        span.start as usize + 1
    } else if span.len() == text.len() {
        span.start as usize
    } else {
        return span;
    };
    let prefix = t.chars().take(2).map(char::len_utf8).sum::<usize>();
    match t.get(prefix..) {
        Some(rest) if rest.starts_with(re) => {
            let start = base + lead + prefix;
            Span::new(start, start + re.len())
        }
        _ => span,
    }
}

/// `\1`..`\9` are groups (`\0` the whole match); `\\` a backslash.
fn parse_replacement(r: &str) -> Template {
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
                    parts.push(Part::Lit(std::mem::take(&mut lit)));
                }
                parts.push(Part::Group(d.to_digit(10).unwrap_or(0) as usize));
            }
            Some('n') => lit.push('\n'),
            Some('t') => lit.push('\t'),
            Some(o) => lit.push(o),
            None => lit.push('\\'),
        }
    }
    if !lit.is_empty() {
        parts.push(Part::Lit(lit));
    }
    Template(parts)
}

struct SedOp {
    field: String,
    sed: Sed,
    /// The sed expression in the query, for run-time errors.
    span: Span,
}

impl Operator for SedOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        if batch.column_by_name(&self.field).is_none() {
            return Ok(vec![batch]);
        }
        let input = Texts::of(&batch, &self.field)?;
        let mut matcher = self.sed.regex().map(Pcre::matcher);
        let mut rows: Vec<Option<Vec<String>>> = Vec::with_capacity(batch.num_rows());
        for row in 0..batch.num_rows() {
            rows.push(match input.get(row) {
                RowVals::Null => None,
                v => Some(
                    v.to_vec()
                        .into_iter()
                        .map(|s| self.sed.apply(s, matcher.as_mut()))
                        .collect::<Result<Vec<String>, MatchError>>()
                        .map_err(|e| e.at(self.span))?,
                ),
            });
        }
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

    impl Sed {
        fn run(&self, v: &str) -> String {
            let mut m = self.regex().map(Pcre::matcher);
            self.apply(v, m.as_mut()).unwrap()
        }
    }

    #[test]
    fn sed_substitutions() {
        assert_eq!(sed("s/a/b/").run("aaa"), "baa");
        assert_eq!(sed("s/a/b/g").run("aaa"), "bbb");
        assert_eq!(sed("s/a/b/2").run("aaa"), "aba");
        assert_eq!(sed("s/a/b/2g").run("aaaa"), "abbb");
        assert_eq!(sed(r"s/(\d+)-(\d+)/\2:\1/g").run("1-2 3-4"), "2:1 4:3");
        assert_eq!(sed(r"s/\//|/g").run("a/b/c"), "a|b|c");
        assert_eq!(sed("s#x#y#g").run("xox"), "yoy");
        assert_eq!(sed("y/abc/xyz/").run("aabbcc-d"), "xxyyzz-d");
        assert_eq!(sed("s/z/q/").run("none"), "none");
    }

    #[test]
    fn sed_regex_span() {
        // `"s/(a/b/"` quoted at 10..20: the regex `(a` is at 13..15
        assert_eq!(
            regex_span("s/(a/b/", Span::new(10, 19), "(a"),
            Span::new(13, 15)
        );
        assert_eq!(
            regex_span("s/(a/b/", Span::new(10, 17), "(a"),
            Span::new(12, 14)
        );
        // an escaped delimiter: the regex is not verbatim
        assert_eq!(
            regex_span(r"s/\//b/", Span::new(0, 10), "/"),
            Span::new(0, 10)
        );
    }

    #[test]
    fn sed_errors() {
        let e = |s: &str| Sed::parse(s, Span::new(0, 0)).is_err();
        assert!(e("s/a/b"));
        assert!(e("s/a/b/x"));
        assert!(e("s/a/b/0"));
        assert!(e("y/ab/x/"));
        assert!(e("q/a/b/"));
        assert!(e("s/(a/c/"));
        assert!(!e("s/(?<=a)b/c/"));
    }
}
