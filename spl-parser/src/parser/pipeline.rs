//! Pipelines, stages, subsearches and the generic command. The first word
//! after each `|` names the command; the rest of the segment is parsed by that
//! command's grammar (semantics doc 1.1).

use super::lex::{at_stage_end, ident_len, keyword, quoted_raw, ws};
use super::search::{search_expr, Stop};
use super::{cut_ctx, fail, fail_kind, Cx, PErr, PErrKind, PResult};
use crate::ast::{Command, Generic, Pipeline, Search, Stage, Subsearch};
use crate::commands;
use crate::span::{Span, Spanned};

/// How the first segment of a pipeline is read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// A whole query: without a leading `|` the segment is an implicit `search`.
    Top,
    /// Inside `[...]`: a leading known command name needs no `|`.
    Sub,
    /// A template such as `foreach`'s: the first word must be a command.
    Fragment,
}

/// A pipeline up to the end of input (or the closing `]` in [`Mode::Sub`],
/// which is left for the caller).
pub(crate) fn pipeline<'a>(cx: &Cx, i: &'a str, mode: Mode) -> PResult<'a, Pipeline> {
    let start = ws(i);
    let mut i = start;
    let mut stages = Vec::new();
    if !i.starts_with('|') && !at_stage_end(i) {
        let (rest, st) = first_stage(cx, i, mode)?;
        stages.push(st);
        i = rest;
    }
    loop {
        let j = ws(i);
        if let Some(after) = j.strip_prefix('|') {
            let after = ws(after);
            // An empty segment (`a | | b`, or a trailing `|` left by a
            // `*_filter` macro that expanded to nothing) is skipped.
            if at_stage_end(after) {
                i = after;
                continue;
            }
            let (rest, st) = stage(cx, after, true)?;
            stages.push(st);
            i = rest;
            continue;
        }
        if j.is_empty() || (j.starts_with(']') && mode == Mode::Sub) {
            break;
        }
        return end_error(j, mode, stages.last());
    }
    let (first, last) = match (stages.first(), stages.last()) {
        (Some(f), Some(l)) => (f.span, l.span),
        _ => return fail(ws(i), "a search"),
    };
    let span = Span::new(first.start as usize, last.end as usize);
    Ok((i, Pipeline { stages, span }))
}

/// The error after a command that did not end where a command must end.
fn end_error<'a, T>(j: &'a str, mode: Mode, last: Option<&Stage>) -> PResult<'a, T> {
    let ctx = last.and_then(|s| commands::canonical_name(&s.name.node, &s.command));
    let kind = match j.chars().next() {
        Some(']') => PErrKind::Unbalanced {
            bracket: ']',
            expected: "a `[` before it",
            found_rem: j.len(),
        },
        Some(')') => PErrKind::Unbalanced {
            bracket: ')',
            expected: "a `(` before it",
            found_rem: j.len(),
        },
        _ => PErrKind::Expected(
            if mode == Mode::Sub {
                "`|` or `]`"
            } else {
                "`|` or end of input"
            }
            .into(),
        ),
    };
    let mut e = PErr::new(j, kind);
    e.ctx = ctx;
    Err(nom::Err::Failure(e))
}

fn first_stage<'a>(cx: &Cx, i: &'a str, mode: Mode) -> PResult<'a, Stage> {
    match mode {
        Mode::Fragment => stage(cx, i, false),
        Mode::Top if keyword(i, "search").is_some() => stage(cx, i, false),
        Mode::Sub if starts_with_command(i) => stage(cx, i, false),
        _ => implicit_search(cx, i),
    }
}

/// True when `i` starts with a known command name followed by a word boundary
/// (not `=`: `index=x` is a search term).
fn starts_with_command(i: &str) -> bool {
    let n = ident_len(i);
    n > 0 && command_boundary(&i[n..]) && commands::is_known_command(&i[..n])
}

fn command_boundary(rest: &str) -> bool {
    match rest.chars().next() {
        None => true,
        Some(c) => c.is_whitespace() || "|[]\"(".contains(c),
    }
}

fn implicit_search<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Stage> {
    let (rest, expr) = search_expr(cx, i, Stop::default())?;
    let span = match &expr {
        Some(e) => e.span,
        None => cx.span(i, i),
    };
    Ok((
        rest,
        Stage {
            command: Command::Search(Search { expr }),
            name: Spanned::new("search".into(), cx.span(i, i)),
            piped: false,
            span,
        },
    ))
}

/// One `name args...` segment; `i` starts at the name.
pub(crate) fn stage<'a>(cx: &Cx, i: &'a str, piped: bool) -> PResult<'a, Stage> {
    let n = ident_len(i);
    if n == 0 || !command_boundary(&i[n..]) {
        if i.starts_with('`') {
            let len = super::lex::macro_call_len(i);
            return fail_kind(i, PErrKind::UnexpandedMacro { len });
        }
        return fail(i, "command name");
    }
    let name_text = &i[..n];
    let name = Spanned::new(name_text.to_string(), cx.span(i, &i[n..]));
    let after = &i[n..];
    let (rest, command) = match commands::lookup(name_text) {
        Some(spec) => {
            let (rest, command) =
                cx.in_command(Some(spec), || cut_ctx((spec.parse)(cx, after), spec.name))?;
            check_duplicates(cx, spec, &command)?;
            (rest, command)
        }
        None if commands::is_known_command(name_text) => {
            let (rest, g) = cx.in_command(None, || generic(cx, after))?;
            (rest, Command::Generic(g))
        }
        None => {
            let help = commands::suggest_command(name_text).map(|c| format!("did you mean `{c}`?"));
            return fail_kind(
                i,
                PErrKind::UnknownCommand {
                    name: name_text.to_string(),
                    help,
                },
            );
        }
    };
    let end = if cx.off(rest) > cx.off(after) {
        rest
    } else {
        after
    };
    Ok((
        rest,
        Stage {
            command,
            name,
            piped,
            span: cx.span(i, end),
        },
    ))
}

/// Rejects an option written twice unless it is declared repeatable.
fn check_duplicates(
    cx: &Cx,
    spec: &'static commands::CommandSpec,
    command: &Command,
) -> Result<(), nom::Err<PErr>> {
    let opts = command.options();
    for (k, o) in opts.iter().enumerate() {
        let name = &o.key.node;
        let again = opts[..k]
            .iter()
            .any(|p| p.key.node.eq_ignore_ascii_case(name));
        let repeatable =
            crate::options::find_spec(spec.options, name).is_some_and(|d| d.repeatable);
        if again && !repeatable {
            let mut e = PErr::new(
                cx.suffix(o.key.span.start as usize),
                PErrKind::DuplicateOption { name: name.clone() },
            );
            e.ctx = Some(spec.name);
            return Err(nom::Err::Failure(e));
        }
    }
    Ok(())
}

/// `[ pipeline ]`; `i` starts at `[`.
pub(crate) fn subsearch<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Subsearch> {
    let _guard = cx.enter_weighted(i, super::SUBSEARCH_WEIGHT)?;
    let inner = &i[1..];
    if ws(inner).is_empty() {
        return fail_kind(
            i,
            PErrKind::Unbalanced {
                bracket: '[',
                expected: "`]`",
                found_rem: 0,
            },
        );
    }
    let (rest, pipeline) = cx.in_command(None, || pipeline(cx, inner, Mode::Sub))?;
    let rest = ws(rest);
    match rest.strip_prefix(']') {
        Some(after) => Ok((
            after,
            Subsearch {
                pipeline,
                span: cx.span(i, after),
            },
        )),
        None => fail_kind(
            i,
            PErrKind::Unbalanced {
                bracket: '[',
                expected: "`]`",
                found_rem: rest.len(),
            },
        ),
    }
}

/// The arguments of a command without a typed node: whitespace-separated
/// tokens, quoted strings and subsearches kept whole.
pub(crate) fn generic<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Generic> {
    let start = ws(i);
    let mut j = start;
    let mut end = start;
    let mut args = Vec::new();
    let mut subsearches = Vec::new();
    loop {
        j = ws(j);
        if at_stage_end(j) {
            break;
        }
        let rest = if j.starts_with('[') {
            let (rest, sub) = subsearch(cx, j)?;
            subsearches.push(sub);
            rest
        } else {
            generic_token(j)?
        };
        args.push(Spanned::new(
            j[..j.len() - rest.len()].to_string(),
            cx.span(j, rest),
        ));
        j = rest;
        end = rest;
    }
    let raw_len = start.len() - end.len();
    Ok((
        end,
        Generic {
            args,
            subsearches,
            raw: Spanned::new(start[..raw_len].to_string(), cx.span(start, end)),
        },
    ))
}

/// One generic token: up to whitespace, `|`, `[` or `]`; quoted parts and
/// backslash escapes are taken whole.
fn generic_token(i: &str) -> Result<&str, nom::Err<PErr>> {
    let mut j = i;
    loop {
        let Some(c) = j.chars().next() else {
            return Ok(j);
        };
        match c {
            '"' => {
                let (rest, _) = quoted_raw(j)?;
                j = rest;
            }
            '\\' => {
                let mut it = j.chars();
                it.next();
                it.next();
                j = it.as_str();
            }
            '|' | '[' | ']' => return Ok(j),
            c if c.is_whitespace() => return Ok(j),
            c => j = &j[c.len_utf8()..],
        }
    }
}
