//! The nom 8 grammar. Parsers work on `&str` suffixes of the (comment-free)
//! source; [`Cx`] turns a suffix into a byte offset, so spans need no wrapper
//! input type.
//!
//! Error strategy: [`PErr`] records the furthest position and what was expected
//! there; `alt` keeps the furthest error. After a command keyword every error is
//! a `Failure` (nom's `cut`) carrying the command as context, so errors inside
//! `stats ...` say "in `stats`" instead of backtracking.

pub(crate) mod args;
pub(crate) mod comments;
pub(crate) mod expr;
pub(crate) mod lex;
pub(crate) mod pipeline;
pub(crate) mod search;

use crate::commands::CommandSpec;
use crate::error::ParseError;
use crate::span::Span;
use std::borrow::Cow;
use std::cell::Cell;

/// Deepest nesting of parentheses, brackets, `NOT`s and unary operators.
pub(crate) const MAX_DEPTH: usize = 100;

/// Most binary operators one query's eval expressions may hold: every later
/// stage (binding, evaluation, printing) walks an operator chain
/// recursively, so an unbounded chain would overflow the stack.
pub const MAX_OPERATORS: usize = 10_000;

/// Depth units one subsearch costs (so at most 25 nested subsearches).
pub(crate) const SUBSEARCH_WEIGHT: usize = 4;

/// nom result with our error type.
pub(crate) type PResult<'a, T> = nom::IResult<&'a str, T, PErr>;

/// Parse context: the whole source (for offsets), the nesting depth and the
/// command whose arguments are being read (for option checking).
pub(crate) struct Cx<'s> {
    src: &'s str,
    depth: Cell<usize>,
    /// Binary operators parsed so far (at most [`MAX_OPERATORS`]).
    operators: Cell<usize>,
    command: Cell<Option<&'static CommandSpec>>,
}

impl<'s> Cx<'s> {
    pub(crate) fn new(src: &'s str) -> Self {
        Cx {
            src,
            depth: Cell::new(0),
            operators: Cell::new(0),
            command: Cell::new(None),
        }
    }

    /// The command whose arguments are being parsed.
    pub(crate) fn command(&self) -> Option<&'static CommandSpec> {
        self.command.get()
    }

    /// Runs `f` with `spec` (or none) as the current command, restored
    /// afterwards, so a subsearch's stages do not leak into the enclosing
    /// command and back.
    pub(crate) fn in_command<T>(
        &self,
        spec: Option<&'static CommandSpec>,
        f: impl FnOnce() -> T,
    ) -> T {
        let outer = self.command.replace(spec);
        let r = f();
        self.command.set(outer);
        r
    }

    /// Byte offset of a suffix of the source.
    pub(crate) fn off(&self, rest: &str) -> usize {
        self.src.len().saturating_sub(rest.len())
    }

    /// The suffix of the source starting at byte `off`.
    pub(crate) fn suffix(&self, off: usize) -> &'s str {
        self.src.get(off..).unwrap_or("")
    }

    /// Span between two suffixes (`start` before `end`).
    pub(crate) fn span(&self, start: &str, end: &str) -> Span {
        Span::new(self.off(start), self.off(end))
    }

    /// Counts one more binary operator at `i`; fails with `too_long` past
    /// [`MAX_OPERATORS`].
    /// (A bool, with the error made out of line: the expression parsers
    /// recurse once per nesting level, so their frames stay small.)
    pub(crate) fn operator(&self) -> bool {
        let n = self.operators.get() + 1;
        self.operators.set(n);
        n <= MAX_OPERATORS
    }

    /// Enters one nesting level; fails with `too_deep` past [`MAX_DEPTH`].
    pub(crate) fn enter(&self, i: &str) -> Result<DepthGuard<'_>, nom::Err<PErr>> {
        self.enter_weighted(i, 1)
    }

    /// Enters a nesting level that costs `weight` units: a subsearch recurses
    /// through a whole pipeline, so it uses several times the stack of a
    /// parenthesis.
    pub(crate) fn enter_weighted(
        &self,
        i: &str,
        weight: usize,
    ) -> Result<DepthGuard<'_>, nom::Err<PErr>> {
        let d = self.depth.get() + weight;
        if d > MAX_DEPTH {
            return Err(nom::Err::Failure(PErr::new(i, PErrKind::TooDeep)));
        }
        self.depth.set(d);
        Ok(DepthGuard {
            depth: &self.depth,
            weight,
        })
    }
}

/// The `too_long` failure at `i` (see [`Cx::operator`]).
#[cold]
#[inline(never)]
pub(crate) fn too_long<T>(i: &str) -> Result<T, nom::Err<PErr>> {
    Err(nom::Err::Failure(PErr::new(i, PErrKind::TooLong)))
}

/// Restores the depth when a nested parser returns.
pub(crate) struct DepthGuard<'c> {
    depth: &'c Cell<usize>,
    weight: usize,
}

impl Drop for DepthGuard<'_> {
    fn drop(&mut self) {
        self.depth.set(self.depth.get().saturating_sub(self.weight));
    }
}

/// Internal parse error: position (as remaining length) plus what went wrong.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PErr {
    /// Remaining input length at the error.
    pub rem: usize,
    /// The problem.
    pub kind: PErrKind,
    /// Canonical name of the command being parsed.
    pub ctx: Option<&'static str>,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PErrKind {
    /// Expected one of these things here.
    Expected(Cow<'static, str>),
    /// A required argument is missing.
    Missing(Cow<'static, str>),
    /// A string opened at this position is never closed.
    UnterminatedString,
    /// A `'field name'` opened at this position is never closed.
    UnterminatedField,
    /// This bracket has no partner.
    Unbalanced {
        bracket: char,
        expected: &'static str,
        /// Remaining length where the partner was looked for.
        found_rem: usize,
    },
    /// Unknown function name of the given kind; `len` bytes long.
    UnknownFunction {
        kind: &'static str,
        name: String,
        help: Option<String>,
    },
    /// A backtick macro call `len` bytes long.
    UnexpandedMacro { len: usize },
    /// Nesting limit hit.
    TooDeep,
    /// Operator limit hit.
    TooLong,
    /// A value of the wrong form, `len` bytes long.
    Invalid {
        what: &'static str,
        expected: &'static str,
        len: usize,
    },
    /// An option the command does not have; the name is `name.len()` bytes.
    UnknownOption {
        command: &'static str,
        name: String,
        help: String,
    },
    /// An option value of the wrong kind, `len` bytes long.
    BadOption {
        name: String,
        expected: String,
        len: usize,
    },
    /// A word in command position that is no Splunk command.
    UnknownCommand { name: String, help: Option<String> },
    /// An option written a second time.
    DuplicateOption { name: String },
}

impl PErr {
    pub(crate) fn new(i: &str, kind: PErrKind) -> Self {
        PErr {
            rem: i.len(),
            kind,
            ctx: None,
        }
    }

    pub(crate) fn expected(i: &str, what: impl Into<Cow<'static, str>>) -> Self {
        PErr::new(i, PErrKind::Expected(what.into()))
    }

    fn rank(&self) -> u8 {
        match self.kind {
            PErrKind::Expected(_) => 0,
            _ => 1,
        }
    }
}

impl nom::error::ParseError<&str> for PErr {
    fn from_error_kind(input: &str, kind: nom::error::ErrorKind) -> Self {
        let what = match kind {
            nom::error::ErrorKind::Eof => "end of input",
            nom::error::ErrorKind::Digit => "a number",
            _ => "valid syntax",
        };
        PErr::expected(input, what)
    }

    fn append(_: &str, _: nom::error::ErrorKind, other: Self) -> Self {
        other
    }

    fn from_char(input: &str, c: char) -> Self {
        PErr::expected(input, format!("`{c}`"))
    }

    /// Keeps the error that got furthest; at a tie, merges the expectations.
    fn or(self, other: Self) -> Self {
        if self.rem != other.rem {
            return if self.rem < other.rem { self } else { other };
        }
        match (self.kind, other.kind) {
            (PErrKind::Expected(a), PErrKind::Expected(b)) => {
                let merged = if a == b || a.contains(b.as_ref()) {
                    a
                } else {
                    Cow::Owned(format!("{a} or {b}"))
                };
                PErr {
                    rem: self.rem,
                    kind: PErrKind::Expected(merged),
                    ctx: self.ctx.or(other.ctx),
                }
            }
            (a, b) => {
                let (sa, sb) = (
                    PErr {
                        rem: self.rem,
                        kind: a,
                        ctx: self.ctx,
                    },
                    PErr {
                        rem: other.rem,
                        kind: b,
                        ctx: other.ctx,
                    },
                );
                if sb.rank() > sa.rank() {
                    sb
                } else {
                    sa
                }
            }
        }
    }
}

/// A recoverable error: "expected `what` here".
pub(crate) fn err<T>(i: &str, what: impl Into<Cow<'static, str>>) -> PResult<'_, T> {
    Err(nom::Err::Error(PErr::expected(i, what)))
}

/// An unrecoverable error (used after a point of no return).
pub(crate) fn fail<T>(i: &str, what: impl Into<Cow<'static, str>>) -> PResult<'_, T> {
    Err(nom::Err::Failure(PErr::expected(i, what)))
}

/// An unrecoverable error of a given kind.
pub(crate) fn fail_kind<T>(i: &str, kind: PErrKind) -> PResult<'_, T> {
    Err(nom::Err::Failure(PErr::new(i, kind)))
}

/// Turns any error into a failure with the command context attached (nom's
/// `cut` plus `context` in one step).
pub(crate) fn cut_ctx<'a, T>(r: PResult<'a, T>, ctx: &'static str) -> PResult<'a, T> {
    r.map_err(|e| {
        let mut e = match e {
            nom::Err::Error(e) | nom::Err::Failure(e) => e,
            nom::Err::Incomplete(_) => PErr {
                rem: 0,
                kind: PErrKind::Expected(Cow::Borrowed("more input")),
                ctx: None,
            },
        };
        if e.ctx.is_none() {
            e.ctx = Some(ctx);
        }
        nom::Err::Failure(e)
    })
}

/// Describes the token at `off` for "found ..." messages.
pub(crate) fn describe_at(src: &str, off: usize) -> String {
    let rest = src.get(off..).unwrap_or("");
    let Some(c) = rest.chars().next() else {
        return "end of input".into();
    };
    if "|[]()=,\"'`!<>".contains(c) {
        return format!("`{c}`");
    }
    if c.is_whitespace() {
        return "whitespace".into();
    }
    let tok: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace() && !"|[]()=,\"'`".contains(*c))
        .take(24)
        .collect();
    if tok.is_empty() {
        format!("`{c}`")
    } else {
        format!("`{tok}`")
    }
}

/// The value of a whole-input parse, or its error as a [`ParseError`]
/// (running out of input is "expected more input" at the end).
pub(crate) fn finish<T>(src: &str, r: Result<(&str, T), nom::Err<PErr>>) -> Result<T, ParseError> {
    match r {
        Ok((_, v)) => Ok(v),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(to_public(src, e)),
        Err(nom::Err::Incomplete(_)) => Err(ParseError::Expected {
            expected: "more input".into(),
            found: "end of input".into(),
            span: Span::new(src.len(), src.len()),
            help: None,
        }),
    }
}

/// Converts an internal error to the public [`ParseError`].
pub(crate) fn to_public(src: &str, e: PErr) -> ParseError {
    let off = src.len().saturating_sub(e.rem);
    let help = e.ctx.map(crate::commands::context_help);
    let found = describe_at(src, off);
    let at = |len: usize| {
        if off >= src.len() {
            // At the end there is nothing to underline: point at the last
            // character so the caret shows where input stopped.
            let last = src.char_indices().last().map_or(0, |(k, _)| k);
            Span::new(last, src.len())
        } else {
            Span::new(off, (off + len).min(src.len()))
        }
    };
    match e.kind {
        PErrKind::Expected(what) => ParseError::Expected {
            expected: what.into_owned(),
            span: at(token_len(src, off)),
            found,
            help,
        },
        PErrKind::Missing(what) => ParseError::MissingArgument {
            expected: what.into_owned(),
            span: at(token_len(src, off)),
            found,
            help,
        },
        PErrKind::UnterminatedField => ParseError::UnterminatedString {
            what: "field name".into(),
            quote: '\'',
            span: Span::new(off, src.len()),
            help: Some("close the field name with `'`".into()),
        },
        PErrKind::UnterminatedString => ParseError::UnterminatedString {
            what: "string".into(),
            quote: '"',
            span: Span::new(off, src.len()),
            help: Some(
                "close the string with `\"`; write a literal quote inside it as `\\\"`".into(),
            ),
        },
        PErrKind::Unbalanced {
            bracket,
            expected,
            found_rem,
        } => ParseError::UnbalancedBracket {
            bracket,
            expected: expected.into(),
            found: describe_at(src, src.len().saturating_sub(found_rem)),
            span: at(1),
            help,
        },
        PErrKind::UnknownFunction { kind, name, help } => ParseError::UnknownFunction {
            kind: kind.into(),
            span: at(name.len()),
            name,
            help,
        },
        PErrKind::UnexpandedMacro { len } => ParseError::UnexpandedMacro {
            name: src
                .get(off..off + len)
                .unwrap_or("")
                .trim_matches('`')
                .to_string(),
            span: at(len),
            help: Some("expand macros first (`spl parse --macros FILE`)".into()),
        },
        PErrKind::TooDeep => ParseError::TooDeep {
            limit: MAX_DEPTH,
            span: at(1),
        },
        PErrKind::TooLong => ParseError::TooLong {
            limit: MAX_OPERATORS,
            span: at(1),
        },
        PErrKind::UnknownOption {
            command,
            name,
            help,
        } => ParseError::UnknownOption {
            command: command.into(),
            span: at(name.len()),
            name,
            help: Some(help),
        },
        PErrKind::BadOption {
            name,
            expected,
            len,
        } => ParseError::InvalidValue {
            what: format!("`{name}` value"),
            expected,
            found: src
                .get(off..off + len)
                .map(|s| format!("`{s}`"))
                .unwrap_or(found),
            span: at(len.max(1)),
            help,
        },
        PErrKind::DuplicateOption { name } => ParseError::DuplicateOption {
            span: at(name.len()),
            name,
            help,
        },
        PErrKind::UnknownCommand { name, help } => ParseError::UnknownCommand {
            span: at(name.len()),
            name,
            help,
        },
        PErrKind::Invalid {
            what,
            expected,
            len,
        } => ParseError::InvalidValue {
            what: what.into(),
            expected: expected.into(),
            found: src
                .get(off..off + len)
                .map(|s| format!("`{s}`"))
                .unwrap_or(found),
            span: at(len),
            help,
        },
    }
}

/// Length of the token at `off` (at least 1 unless at the end), for carets.
fn token_len(src: &str, off: usize) -> usize {
    let rest = src.get(off..).unwrap_or("");
    let n = rest
        .char_indices()
        .find(|(_, c)| c.is_whitespace() || "|[]()=,\"'`".contains(*c))
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    if n == 0 {
        rest.chars().next().map(char::len_utf8).unwrap_or(0)
    } else {
        n
    }
}
