//! Argument shapes shared by commands: `key=value` options, field lists,
//! `AS` aliases, aggregations and `BY` clauses.

use super::lex::{
    at_stage_end, field_token, is_option_start, is_ws, keyword, option_key_len, quoted, span_len,
    ws,
};
use super::{err, fail, fail_kind, Cx, PErr, PErrKind, PResult};
use crate::ast::{Agg, AggArg, FieldAlias, FieldName, Opt, SparklineArg};
use crate::commands::CommandSpec;
use crate::options::find_spec;
use crate::span::Spanned;

/// A command option `key=value`, checked against the current command's
/// declared options: an unknown name or a value of the wrong kind is a
/// failure pointing at it.
pub(crate) fn option<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Opt> {
    let (rest, o) = key_value(cx, i)?;
    if let Some(spec) = cx.command() {
        check_option(spec, &o, i)?;
    }
    Ok((rest, o))
}

/// Checks one option against the command's declaration; `i` starts at its key.
fn check_option(spec: &CommandSpec, o: &Opt, i: &str) -> Result<(), nom::Err<PErr>> {
    let name = o.key.node.as_str();
    let Some(decl) = find_spec(spec.options, name) else {
        let names = spec.options.iter().map(|d| d.name);
        let help = match crate::suggest::did_you_mean(name, names) {
            Some(best) => format!("did you mean `{best}`?"),
            None if spec.options.is_empty() => format!("`{}` takes no options", spec.name),
            None => {
                let all: Vec<&str> = spec.options.iter().map(|d| d.name).collect();
                format!("options of `{}`: {}", spec.name, all.join(", "))
            }
        };
        return Err(nom::Err::Failure(PErr::new(
            i,
            PErrKind::UnknownOption {
                command: spec.name,
                name: name.to_string(),
                help,
            },
        )));
    };
    if decl.kind.accepts(&o.value.node) {
        return Ok(());
    }
    let v = &i[name.len() + 1..];
    let len = (o.value.span.end as usize).saturating_sub(o.value.span.start as usize);
    let mut e = PErr::new(
        v,
        PErrKind::BadOption {
            name: decl.name.to_string(),
            expected: decl.kind.expected(),
            len: if o.quoted { len + 2 } else { len },
        },
    );
    e.ctx = Some(spec.name);
    Err(nom::Err::Failure(e))
}

/// `key=value` without option checking (`return alias=field`); the value is
/// a quoted string or a bare token in which parentheses may hold spaces
/// (`startswith=eval(a > 1)`).
pub(crate) fn key_value<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Opt> {
    let n = option_key_len(i);
    if n == 0 || !i[n..].starts_with('=') {
        return err(i, "`key=value` option");
    }
    let key = Spanned::new(i[..n].to_string(), span_len(cx, i, n));
    let v = &i[n + 1..];
    if v.starts_with('"') {
        let (rest, value) = quoted(cx, v)?;
        // Text directly after the closing quote belongs to the same value:
        // Splunk joins the pieces, and its docs write expression options as
        // `reset_after="("<eval-expression>")"`.
        let more = if rest.starts_with(',') {
            0
        } else {
            bare_value_len(rest)
        };
        if more == 0 {
            return Ok((
                rest,
                Opt {
                    key,
                    value,
                    quoted: true,
                },
            ));
        }
        let len = v.len() - rest.len() + more;
        return Ok((
            &v[len..],
            Opt {
                key,
                value: Spanned::new(join_pieces(&v[..len]), span_len(cx, v, len)),
                quoted: true,
            },
        ));
    }
    let len = bare_value_len(v);
    if len == 0 {
        return fail(v, "option value");
    }
    Ok((
        &v[len..],
        Opt {
            key,
            value: Spanned::new(v[..len].to_string(), span_len(cx, v, len)),
            quoted: false,
        },
    ))
}

/// The value of quoted and bare pieces written together (`"("x>1")"` is
/// `(x>1)`): quotes are dropped; `\"` and `\\` lose their backslash, other
/// escapes keep it.
fn join_pieces(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {}
            '\\' => match chars.next() {
                Some(n @ ('"' | '\\')) => out.push(n),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            },
            c => out.push(c),
        }
    }
    out
}

/// Length of a bare option value: up to whitespace, `|`, `[`, `]`, an
/// unmatched `)` or a comma that ends a word, except inside parentheses or
/// quotes.
pub(crate) fn bare_value_len(v: &str) -> usize {
    let b = v.as_bytes();
    let mut depth = 0usize;
    let mut k = 0;
    while k < b.len() {
        match b[k] {
            b'\\' => k += 1,
            b'"' => {
                k += 1;
                while k < b.len() && b[k] != b'"' {
                    if b[k] == b'\\' {
                        k += 1;
                    }
                    k += 1;
                }
            }
            b'(' => depth += 1,
            b')' if depth == 0 => return k,
            b')' => depth -= 1,
            b'|' | b'[' | b']' if depth == 0 => return k,
            // A comma that ends a word separates list items (`by _time
            // span=1h, host`); inside a value (`lang=es,fr`) it stays.
            b',' if depth == 0
                && k > 0
                && b.get(k + 1)
                    .is_none_or(|c| c.is_ascii_whitespace() || *c == b'|') =>
            {
                return k
            }
            c if depth == 0 && (c as char).is_ascii_whitespace() => return k,
            _ => {}
        }
        k += 1;
    }
    b.len()
}

/// Zero or more options; an error inside a started option propagates.
pub(crate) fn options_strict<'a>(cx: &Cx, mut i: &'a str, out: &mut Vec<Opt>) -> PResult<'a, ()> {
    loop {
        let j = ws(i);
        if !is_option_start(j) {
            return Ok((i, ()));
        }
        let (rest, o) = option(cx, j)?;
        out.push(o);
        i = rest;
    }
}

/// A comma- and/or space-separated list of field names. Stops at the end of
/// the command, at an option (`name=`), or where `stop` says so.
pub(crate) fn field_list<'a>(
    cx: &Cx,
    mut i: &'a str,
    stop: &dyn Fn(&str) -> bool,
) -> PResult<'a, Vec<FieldName>> {
    let mut out = Vec::new();
    loop {
        let j = ws(i);
        if let Some(r) = j.strip_prefix(',') {
            i = r;
            continue;
        }
        if at_stage_end(j) || is_option_start(j) || j.starts_with('[') || stop(j) {
            return Ok((i, out));
        }
        let (rest, f) = field_token(cx, j)?;
        out.push(f);
        i = rest;
    }
}

/// An optional `AS name` after something.
pub(crate) fn alias<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Option<FieldName>> {
    let j = ws(i);
    let Some(after) = keyword(j, "as") else {
        return Ok((i, None));
    };
    let (rest, name) =
        field_token(cx, ws(after)).or_else(|_| fail(ws(after), "name after `AS`"))?;
    Ok((rest, Some(name)))
}

/// `field [AS alias]` pairs separated by commas and/or spaces (`rename`, `lookup`).
pub(crate) fn alias_list<'a>(
    cx: &Cx,
    mut i: &'a str,
    stop: &dyn Fn(&str) -> bool,
) -> PResult<'a, Vec<FieldAlias>> {
    let mut out = Vec::new();
    loop {
        let j = ws(i);
        if let Some(r) = j.strip_prefix(',') {
            i = r;
            continue;
        }
        if at_stage_end(j) || stop(j) {
            return Ok((i, out));
        }
        let (rest, field) = field_token(cx, j)?;
        let (rest, alias) = alias(cx, rest)?;
        out.push(FieldAlias { field, alias });
        i = rest;
    }
}

fn agg_name_len(i: &str) -> usize {
    let b = i.as_bytes();
    match b.first() {
        Some(c) if c.is_ascii_alphabetic() || *c == b'_' => b
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_' || **c == b'.')
            .count(),
        _ => 0,
    }
}

/// One aggregation: `func[(arg)] [AS name]`, where `arg` is a field pattern
/// or `eval(expr)`. Unknown function names are an error.
pub(crate) fn agg<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Agg> {
    if agg_name_len(i) == 0 {
        return err(i, "aggregation");
    }
    let (mut rest, func) = agg_name(cx, i)?;
    let name = func.node.as_str();
    let mut arg = None;
    if rest.starts_with('(') {
        let open = rest;
        let _guard = cx.enter(open)?;
        let j = ws(&rest[1..]);
        let (r, a) = if name.eq_ignore_ascii_case("sparkline") {
            let (r, s) = sparkline_arg(cx, j)?;
            (r, Some(AggArg::Sparkline(s)))
        } else if let Some(after) = keyword(j, "eval").filter(|a| ws(a).starts_with('(')) {
            let (r, e) = super::expr::args(cx, ws(after))?;
            let mut e = e.into_iter();
            match (e.next(), e.next()) {
                (Some(one), None) => (r, Some(AggArg::Eval(one))),
                _ => return fail(after, "one expression inside `eval(...)`"),
            }
        } else if j.starts_with(')') {
            (j, None)
        } else {
            let (r, f) = agg_field(cx, j)?;
            (r, Some(AggArg::Field(f)))
        };
        let r = ws(r);
        let Some(r) = r.strip_prefix(')') else {
            return fail_kind(
                open,
                PErrKind::Unbalanced {
                    bracket: '(',
                    expected: "`)`",
                    found_rem: r.len(),
                },
            );
        };
        arg = a;
        rest = r;
    }
    let (rest, alias) = alias(cx, rest)?;
    Ok((
        rest,
        Agg {
            func,
            arg,
            alias,
            span: cx.span(i, rest),
        },
    ))
}

/// A known aggregation name at `i` (which starts with one), or an
/// `unknown_function` failure with a suggestion.
fn agg_name<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Spanned<String>> {
    let n = agg_name_len(i);
    let name = &i[..n];
    if !crate::aggregations::is_agg_function(name) {
        return fail_kind(
            i,
            PErrKind::UnknownFunction {
                kind: "aggregation",
                name: name.to_string(),
                help: crate::aggregations::suggest(name).map(|s| format!("did you mean `{s}`?")),
            },
        );
    }
    Ok((&i[n..], Spanned::new(name.to_string(), span_len(cx, i, n))))
}

/// The inside of `sparkline(...)`: `<func>[(<field>)] [, <span>]`, up to
/// the closing `)` (not consumed).
fn sparkline_arg<'a>(cx: &Cx, i: &'a str) -> PResult<'a, SparklineArg> {
    if agg_name_len(i) == 0 {
        return fail(
            i,
            "an aggregation such as `count` or `avg(bytes)` inside `sparkline(...)`",
        );
    }
    let (mut rest, func) = agg_name(cx, i)?;
    let mut field = None;
    if rest.starts_with('(') {
        let open = rest;
        let j = ws(&rest[1..]);
        let (r, f) = if j.starts_with('"') {
            quoted(cx, j)?
        } else {
            agg_field(cx, j)?
        };
        let Some(r) = ws(r).strip_prefix(')') else {
            return fail_kind(
                open,
                PErrKind::Unbalanced {
                    bracket: '(',
                    expected: "`)`",
                    found_rem: ws(r).len(),
                },
            );
        };
        field = Some(f);
        rest = r;
    }
    let mut span = None;
    let j = ws(rest);
    if let Some(after) = j.strip_prefix(',') {
        let k = ws(after);
        let len = k
            .char_indices()
            .find(|&(_, c)| c == ')' || c == ',' || is_ws(c) || c == '|')
            .map_or(k.len(), |(p, _)| p);
        if len == 0 {
            return fail(k, "a span such as `1h` after `,`");
        }
        span = Some(Spanned::new(k[..len].to_string(), span_len(cx, k, len)));
        rest = &k[len..];
    }
    Ok((rest, SparklineArg { func, field, span }))
}

/// The field inside `func(...)`: a quoted name or a bare pattern up to `)`.
fn agg_field<'a>(cx: &Cx, i: &'a str) -> PResult<'a, FieldName> {
    if i.starts_with('"') {
        return quoted(cx, i);
    }
    let mut depth = 0usize;
    let mut end = i.len();
    for (k, c) in i.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => {
                end = k;
                break;
            }
            ')' => depth -= 1,
            c if is_ws(c) || c == '|' || c == '[' || c == ']' || c == '"' => {
                end = k;
                break;
            }
            _ => {}
        }
    }
    if end == 0 {
        return err(i, "field name");
    }
    let rest = &i[end..];
    Ok((rest, Spanned::new(i[..end].to_string(), cx.span(i, rest))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_values() {
        assert_eq!(bare_value_len("10s by x"), 3);
        assert_eq!(bare_value_len("eval(a > 1) x"), 11);
        assert_eq!(bare_value_len("a|b"), 1);
        assert_eq!(bare_value_len("f(x))"), 4);
    }

    #[test]
    fn quoted_and_bare_pieces_join() {
        assert_eq!(join_pieces(r#""("count>2")""#), "(count>2)");
        assert_eq!(
            join_pieces(r#""("match(test,\"yes\")")""#),
            r#"(match(test,"yes"))"#
        );
        assert_eq!(join_pieces(r#""a\sb"c"#), r"a\sbc");
    }
}
