//! Tokens shared by every command grammar: whitespace, words, keywords,
//! quoted strings, bare tokens with backslash escapes, field names, numbers.

use super::{err, fail_kind, Cx, PErrKind, PResult};
use crate::ast::FieldName;
use crate::span::{Span, Spanned};
use std::borrow::Cow;

/// Whitespace between tokens (newlines included: searches span lines).
pub(crate) fn is_ws(c: char) -> bool {
    c.is_whitespace()
}

/// Skips whitespace.
pub(crate) fn ws(i: &str) -> &str {
    i.trim_start_matches(is_ws)
}

/// True at the end of a command segment (`|`, `]` or end of input).
pub(crate) fn at_stage_end(i: &str) -> bool {
    matches!(i.as_bytes().first(), None | Some(b'|') | Some(b']'))
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Length of the identifier (`[A-Za-z_][A-Za-z0-9_]*`) at the start of `i`.
pub(crate) fn ident_len(i: &str) -> usize {
    let b = i.as_bytes();
    match b.first() {
        Some(&c) if is_ident_start(c) => {
            1 + b[1..].iter().take_while(|&&c| is_ident_char(c)).count()
        }
        _ => 0,
    }
}

/// True when a keyword may end here: end of input, whitespace or a bracket/quote.
pub(crate) fn kw_boundary(rest: &str) -> bool {
    match rest.chars().next() {
        None => true,
        Some(c) => matches!(c, '(' | ')' | '[' | ']' | '"' | '\'' | '|') || is_ws(c),
    }
}

/// Matches a keyword case-insensitively, followed by a keyword boundary.
pub(crate) fn keyword<'a>(i: &'a str, kw: &str) -> Option<&'a str> {
    let head = i.get(..kw.len())?;
    let rest = &i[kw.len()..];
    (head.eq_ignore_ascii_case(kw) && kw_boundary(rest)).then_some(rest)
}

/// Matches an upper-case-only operator keyword (`AND`, `OR`, `NOT` in search).
pub(crate) fn keyword_exact<'a>(i: &'a str, kw: &str) -> Option<&'a str> {
    let rest = i.strip_prefix(kw)?;
    kw_boundary(rest).then_some(rest)
}

/// A double-quoted string: returns its raw inside text (escapes not processed).
/// An unterminated string is a failure pointing at the opening quote.
pub(crate) fn quoted_raw(i: &str) -> PResult<'_, &str> {
    let b = i.as_bytes();
    if b.first() != Some(&b'"') {
        return err(i, "`\"`");
    }
    let mut k = 1;
    while k < b.len() {
        match b[k] {
            b'\\' => k += 2,
            b'"' => return Ok((&i[k + 1..], &i[1..k])),
            _ => k += 1,
        }
    }
    fail_kind(i, PErrKind::UnterminatedString)
}

/// A double-quoted string with escapes processed, and its span (quotes included).
pub(crate) fn quoted<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Spanned<String>> {
    let (rest, raw) = quoted_raw(i)?;
    Ok((
        rest,
        Spanned::new(unescape_quoted(raw).into_owned(), cx.span(i, rest)),
    ))
}

/// Escapes inside quotes: `\"` and `\\` lose their backslash; any other
/// sequence (`\s`, `\d`, `\|`) keeps both characters, so regexes reach PCRE intact.
pub(crate) fn unescape_quoted(raw: &str) -> Cow<'_, str> {
    unescape(raw, |c| c == '"' || c == '\\')
}

/// Escapes in bare search tokens: `\"`, `\\` and `\|` lose their backslash;
/// other sequences keep both characters.
pub(crate) fn unescape_bare(raw: &str) -> Cow<'_, str> {
    unescape(raw, |c| c == '"' || c == '\\' || c == '|')
}

fn unescape(raw: &str, known: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !raw.contains('\\') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(n) if known(n) => out.push(n),
            Some(n) => {
                out.push('\\');
                out.push(n);
            }
            None => out.push('\\'),
        }
    }
    Cow::Owned(out)
}

/// Stop set of field names in lists (`table`, `fields`, `by`, `rename`).
fn list_stop(c: char) -> bool {
    matches!(c, ',' | '|' | '[' | ']' | '"' | '=' | '`') || is_ws(c)
}

/// A field name or wildcard pattern in a list: a bare token (dots, colons,
/// braces, `*`, `-`, `@`; balanced parentheses as in `predicted(x)`), quoted
/// parts (`"Account ID"`), or both run together (`"Web".*`, as left by
/// `drop_dm_object_name("Web")`), which Splunk concatenates.
pub(crate) fn field_token<'a>(cx: &Cx, i: &'a str) -> PResult<'a, FieldName> {
    // Fast path: one bare segment (the common case) allocates once.
    let n = bare_field_len(i);
    if n > 0 && !i[n..].starts_with('"') {
        let rest = &i[n..];
        return Ok((
            rest,
            Spanned::new(unescape_bare(&i[..n]).into_owned(), cx.span(i, rest)),
        ));
    }
    let mut out = String::new();
    let mut j = i;
    loop {
        if j.starts_with('"') {
            let (rest, raw) = quoted_raw(j)?;
            out.push_str(&unescape_quoted(raw));
            j = rest;
            continue;
        }
        let n = bare_field_len(j);
        if n == 0 {
            break;
        }
        out.push_str(&unescape_bare(&j[..n]));
        j = &j[n..];
    }
    if j.len() == i.len() {
        return err(i, "field name");
    }
    Ok((j, Spanned::new(out, cx.span(i, j))))
}

/// Length of the bare part of a list field name.
fn bare_field_len(i: &str) -> usize {
    let mut depth = 0usize;
    let mut it = i.char_indices();
    while let Some((k, c)) = it.next() {
        match c {
            '\\' if it.next().is_none() => return i.len(),
            '\\' => {}
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            ')' => return k,
            c if list_stop(c) => return k,
            _ => {}
        }
    }
    i.len()
}

/// True when `i` starts an option: `name=` (but not `name==`).
pub(crate) fn is_option_start(i: &str) -> bool {
    let n = option_key_len(i);
    n > 0 && {
        let rest = &i[n..];
        rest.starts_with('=') && !rest.starts_with("==")
    }
}

/// Length of an option key: an identifier that may contain dots (`chart.xx`).
pub(crate) fn option_key_len(i: &str) -> usize {
    let b = i.as_bytes();
    match b.first() {
        Some(&c) if is_ident_start(c) => {
            1 + b[1..]
                .iter()
                .take_while(|&&c| is_ident_char(c) || c == b'.')
                .count()
        }
        _ => 0,
    }
}

/// An unsigned integer with a token boundary after it.
pub(crate) fn uint<'a>(cx: &Cx, i: &'a str, what: &'static str) -> PResult<'a, Spanned<u64>> {
    let n = i.bytes().take_while(u8::is_ascii_digit).count();
    let after = &i[n..];
    let boundary = after
        .chars()
        .next()
        .is_none_or(|c| is_ws(c) || ",|])".contains(c));
    if n == 0 || !boundary {
        return err(i, what);
    }
    match i[..n].parse::<u64>() {
        Ok(v) => Ok((after, Spanned::new(v, cx.span(i, after)))),
        Err(_) => fail_kind(
            i,
            PErrKind::Invalid {
                what,
                expected: "an integer below 2^64",
                len: n,
            },
        ),
    }
}

/// Length of a backtick macro call at the start of `i` (to the closing
/// backtick, or just the opening one if it is never closed).
pub(crate) fn macro_call_len(i: &str) -> usize {
    match i.strip_prefix('`').and_then(|r| r.find('`')) {
        Some(n) => n + 2,
        None => 1,
    }
}

/// Span of `len` bytes at `i`.
pub(crate) fn span_len(cx: &Cx, i: &str, len: usize) -> Span {
    let s = cx.off(i);
    Span::new(s, s + len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape_rules() {
        assert_eq!(unescape_quoted(r#"a\"b\\c\sd\|"#), r#"a"b\c\sd\|"#);
        assert_eq!(unescape_bare(r#"a\"b\\c\sd\|"#), r#"a"b\c\sd|"#);
        assert_eq!(unescape_bare("x\\"), "x\\");
    }

    #[test]
    fn keywords_need_boundaries() {
        assert_eq!(keyword("BY x", "by"), Some(" x"));
        assert_eq!(keyword("bytes", "by"), None);
        assert_eq!(keyword_exact("and x", "AND"), None);
        assert_eq!(keyword_exact("AND(", "AND"), Some("("));
    }

    #[test]
    fn unterminated_quote() {
        assert!(matches!(quoted_raw("\"abc"), Err(nom::Err::Failure(_))));
    }
}
