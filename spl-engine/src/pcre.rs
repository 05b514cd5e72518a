//! User regular expressions: Splunk's dialect is PCRE ("About Splunk regular
//! expressions"), so every regex a query supplies (`rex`, `rex mode=sed`,
//! `regex`, `makemv tokenizer=`, `match`, `replace`, `mvfind`) is compiled
//! here, with PCRE2 (the `pcre2` crate, bundled library), and nowhere else.
//!
//! - **Mode.** UTF-8 (`.` is one character), JIT when the platform has it,
//!   and no UCP: `\w`, `\d`, `\s` and `\b` are ASCII-only, PCRE's default,
//!   as `spl-semantics.md` 13.2 has it (`\w` = `[A-Za-z0-9_]`).
//! - **Limits.** Matching is bounded by Splunk's `limits.conf` `[rex]`
//!   defaults, [`MATCH_LIMIT`] and [`DEPTH_LIMIT`]. They are set with PCRE2's
//!   start-of-pattern items `(*LIMIT_MATCH=n)(*LIMIT_DEPTH=n)`, which the
//!   interpreter and the JIT both honour, so no `unsafe` match context is
//!   needed; they go after the pattern's own leading items, so a pattern may
//!   lower a limit but not raise it (as a match context does in Splunk). A
//!   match that exceeds one is a [`MatchError::Limit`], which the caller
//!   reports as `spl::run::regex_limit` with its span.
//! - **Iteration.** [`Matcher::for_each`] finds successive non-overlapping
//!   matches; after an empty match it moves on one character, and an empty
//!   match right where the previous match ended is skipped (the rule every
//!   site had with Rust's `regex`, kept unchanged).
//!
//! Internal patterns the engine builds itself from escaped literals (search
//! terms and wildcards in `commands/search.rs`, lookup `WILDCARD` keys, LIKE,
//! KubeArmor globs) stay on Rust's `regex`: they need none of PCRE's features
//! and run in linear time. So does the fixed `line (\d+)` that
//! `source/csv_util.rs` reads out of the CSV reader's own error messages.

use crate::error::{EngineError, Result};
use pcre2::bytes::{CaptureLocations, Regex, RegexBuilder};
use spl_parser::Span;
use std::borrow::Cow;
use std::ops::ControlFlow;

/// Most calls of PCRE's internal match function per match attempt: Splunk's
/// `limits.conf` `[rex] match_limit` default.
pub const MATCH_LIMIT: u32 = 100_000;

/// Deepest backtracking nesting per match attempt: Splunk's `limits.conf`
/// `[rex] depth_limit` default. The JIT ignores it and is bounded by its
/// stack (32 KiB) instead.
pub const DEPTH_LIMIT: u32 = 1_000;

/// A compiled user regex.
pub struct Pcre {
    re: Regex,
    /// Capture group names by group number (0 is the whole match).
    names: Vec<Option<String>>,
}

impl std::fmt::Debug for Pcre {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pcre({:?})", self.re.as_str())
    }
}

/// Why a pattern did not compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// PCRE2's message.
    pub message: String,
    /// Byte offset in the pattern where PCRE2 stopped, when it says.
    pub offset: Option<usize>,
}

/// A PCRE resource limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// [`MATCH_LIMIT`].
    Match,
    /// [`DEPTH_LIMIT`].
    Depth,
    /// PCRE2's heap limit (its built-in default).
    Heap,
    /// The JIT's stack.
    JitStack,
}

impl Limit {
    /// The limit's name and value, as the error message gives it.
    pub fn describe(self) -> String {
        match self {
            Limit::Match => format!("match_limit ({MATCH_LIMIT})"),
            Limit::Depth => format!("depth_limit ({DEPTH_LIMIT})"),
            Limit::Heap => "PCRE heap limit".to_string(),
            Limit::JitStack => "JIT stack limit (32 KiB)".to_string(),
        }
    }
}

/// Why a match attempt failed (rather than not matching).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatchError {
    /// A resource limit was exceeded: the pattern backtracks too much.
    Limit(Limit),
    /// Anything else PCRE2 reported (not expected with valid UTF-8 input).
    Failed(String),
}

impl MatchError {
    /// The engine error for a regex the query holds at `span`.
    pub fn at(self, span: Span) -> EngineError {
        match self {
            MatchError::Limit(limit) => EngineError::RegexLimit {
                limit: limit.describe(),
                span,
            },
            MatchError::Failed(m) => EngineError::Internal(format!("regex match failed: {m}")),
        }
    }

    fn from_pcre(e: &pcre2::Error) -> MatchError {
        match e.code() {
            pcre2_sys::PCRE2_ERROR_MATCHLIMIT => MatchError::Limit(Limit::Match),
            pcre2_sys::PCRE2_ERROR_DEPTHLIMIT => MatchError::Limit(Limit::Depth),
            pcre2_sys::PCRE2_ERROR_HEAPLIMIT => MatchError::Limit(Limit::Heap),
            pcre2_sys::PCRE2_ERROR_JIT_STACKLIMIT => MatchError::Limit(Limit::JitStack),
            _ => MatchError::Failed(e.to_string()),
        }
    }
}

/// The start-of-pattern items PCRE2 accepts (pcre2pattern, "Option
/// settings" and "Newline conventions"), without the leading `(*`; the
/// `LIMIT_*=` ones take a number and a `)`.
const LEADING_ITEMS: &[&str] = &[
    "UTF8)",
    "UTF)",
    "UCP)",
    "NOTEMPTY)",
    "NOTEMPTY_ATSTART)",
    "NO_AUTO_POSSESS)",
    "NO_DOTSTAR_ANCHOR)",
    "NO_JIT)",
    "NO_START_OPT)",
    "CASELESS_RESTRICT)",
    "TURKISH_CASING)",
    "CR)",
    "LF)",
    "CRLF)",
    "ANY)",
    "NUL)",
    "ANYCRLF)",
    "BSR_ANYCRLF)",
    "BSR_UNICODE)",
    "LIMIT_HEAP=",
    "LIMIT_MATCH=",
    "LIMIT_DEPTH=",
    "LIMIT_RECURSION=",
];

/// One leading item of `rest`: its length, and for `LIMIT_MATCH`/`LIMIT_DEPTH`
/// (`LIMIT_RECURSION` is the old name of the latter) which limit and its value.
fn leading_item(rest: &str) -> Option<(usize, Option<(Limit, u32)>)> {
    let body = rest.strip_prefix("(*")?;
    let name = LEADING_ITEMS.iter().find(|n| body.starts_with(**n))?;
    if !name.ends_with('=') {
        return Some((2 + name.len(), None));
    }
    let after = body.get(name.len()..)?;
    let digits = after.bytes().take_while(u8::is_ascii_digit).count();
    if after.as_bytes().get(digits) != Some(&b')') {
        return None;
    }
    let value: u32 = after.get(..digits)?.parse().ok()?;
    let limit = match *name {
        "LIMIT_MATCH=" => Some((Limit::Match, value)),
        "LIMIT_DEPTH=" | "LIMIT_RECURSION=" => Some((Limit::Depth, value)),
        _ => None,
    };
    Some((2 + name.len() + digits + 1, limit))
}

/// `pattern` with the limits inserted after its leading items, the insertion
/// point and the inserted length (to map PCRE2's error offsets back).
///
/// With `ascii`, `(?a)` follows them unless the pattern asks for `(*UCP)`
/// itself: see [`Pcre::build`].
fn with_limits(pattern: &str, ascii: bool) -> (String, usize, usize) {
    let (mut match_limit, mut depth_limit) = (MATCH_LIMIT, DEPTH_LIMIT);
    let mut at = 0;
    let mut asks_ucp = false;
    while let Some((len, limit)) = pattern.get(at..).and_then(leading_item) {
        asks_ucp |= pattern.get(at..).is_some_and(|r| r.starts_with("(*UCP)"));
        match limit {
            Some((Limit::Match, v)) => match_limit = match_limit.min(v),
            Some((_, v)) => depth_limit = depth_limit.min(v),
            None => {}
        }
        at += len;
    }
    let ascii = if ascii && !asks_ucp { "(?a)" } else { "" };
    let items = format!("(*LIMIT_MATCH={match_limit})(*LIMIT_DEPTH={depth_limit}){ascii}");
    let mut out = String::with_capacity(pattern.len() + items.len());
    out.push_str(pattern.get(..at).unwrap_or(""));
    out.push_str(&items);
    out.push_str(pattern.get(at..).unwrap_or(""));
    (out, at, items.len())
}

/// PCRE2's message without the crate's `PCRE2: error compiling pattern at
/// offset N: ` preamble.
fn pcre_message(e: &pcre2::Error) -> String {
    let text = e.to_string();
    match text.splitn(3, ": ").nth(2) {
        Some(m) => m.to_string(),
        None => text,
    }
}

impl Pcre {
    /// Compiles `pattern` (PCRE syntax, UTF-8 mode, JIT when available).
    pub fn new(pattern: &str) -> std::result::Result<Pcre, SyntaxError> {
        Pcre::build(pattern, true)
    }

    /// Compiles `pattern` for subjects that are bytes rather than text
    /// (props.conf `LINE_BREAKER` runs over a read buffer, which may end
    /// inside a character): no UTF-8 mode, so a pattern character is its
    /// bytes; match with [`Matcher::find_bytes_at`].
    pub fn new_bytes(pattern: &str) -> std::result::Result<Pcre, SyntaxError> {
        Pcre::build(pattern, false)
    }

    /// Text patterns are compiled in UTF mode with `PCRE2_UCP` and `(?a)`:
    /// the pcre2 crate sets `PCRE2_MATCH_INVALID_UTF` only with UCP, and
    /// without it PCRE2 validates the subject from the start offset to its
    /// end at every match call, which made a loop over the matches of a long
    /// event quadratic (a third of the time of XML field extraction). `(?a)`
    /// keeps `\d`, `\s`, `\w`, `\b` and the POSIX classes ASCII-only, as
    /// without UCP (PCRE's default, as in Splunk); `(*UCP)` in the pattern
    /// still turns Unicode classes on. Subjects are `&str`, so always valid.
    fn build(pattern: &str, utf: bool) -> std::result::Result<Pcre, SyntaxError> {
        let (full, at, inserted) = with_limits(pattern, utf);
        let re = RegexBuilder::new()
            .utf(utf)
            .ucp(utf)
            .jit_if_available(true)
            .build(&full)
            .map_err(|e| SyntaxError {
                message: pcre_message(&e),
                offset: e.offset().map(|o| {
                    if o >= at + inserted {
                        o - inserted
                    } else {
                        o.min(at)
                    }
                }),
            })?;
        let names = re.capture_names().to_vec();
        Ok(Pcre { re, names })
    }

    /// Compiles a regex the query holds at `span` (the quoted string, or the
    /// bare token). A syntax error is `spl::run::invalid_argument` with the
    /// caret on the character PCRE2 stopped at, when the pattern appears in the
    /// query verbatim (no `\"` or `\\` escapes), else on the whole pattern.
    pub fn compile(pattern: &str, span: Span) -> Result<Pcre> {
        Pcre::new(pattern).map_err(|e| {
            let at = e.offset.and_then(|o| caret(span, pattern, o));
            let help = match (e.offset, at) {
                (Some(o), None) if o >= pattern.len() => {
                    "the pattern is PCRE, as in Splunk; PCRE2 reached its end".to_string()
                }
                (Some(o), None) => format!(
                    "the pattern is PCRE, as in Splunk; PCRE2 stopped at its character {}",
                    pattern.get(..o).map_or(o, |p| p.chars().count()) + 1
                ),
                _ => "the pattern is PCRE, as in Splunk; escape a literal `(`, `[`, `*`, `+`, `?` or `\\` with a backslash".to_string(),
            };
            EngineError::InvalidArgument {
                message: format!("invalid regular expression: {}", e.message),
                span: at.unwrap_or(span),
                label: "bad regex".into(),
                help: Some(help),
            }
        })
    }

    /// Named groups in the order they appear, with their group numbers.
    pub fn named_groups(&self) -> impl Iterator<Item = (usize, &str)> {
        self.names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| n.as_deref().map(|n| (i, n)))
    }

    /// Number of capturing groups (not counting the whole match).
    pub fn group_count(&self) -> usize {
        self.names.len().saturating_sub(1)
    }

    /// The byte range of the first match in `subject`, if any.
    pub fn find(&self, subject: &str) -> std::result::Result<Option<(usize, usize)>, MatchError> {
        self.re
            .find(subject.as_bytes())
            .map(|m| m.map(|m| (m.start(), m.end())))
            .map_err(|e| MatchError::from_pcre(&e))
    }

    /// Whether the regex matches anywhere in `subject`.
    pub fn is_match(&self, subject: &str) -> std::result::Result<bool, MatchError> {
        self.re
            .is_match(subject.as_bytes())
            .map_err(|e| MatchError::from_pcre(&e))
    }

    /// A matcher with its own match data, to reuse over many subjects.
    pub fn matcher(&self) -> Matcher<'_> {
        Matcher {
            re: self,
            locs: self.re.capture_locations(),
        }
    }
}

/// Where, inside the query, byte `offset` of `pattern` is, when `span` holds
/// the pattern verbatim: quoted (two bytes longer) or bare (same length).
fn caret(span: Span, pattern: &str, offset: usize) -> Option<Span> {
    let offset = offset.min(pattern.len());
    let start = span.start as usize
        + if span.len() == pattern.len() + 2 {
            1
        } else if span.len() == pattern.len() {
            0
        } else {
            return None;
        };
    let at = start + offset;
    // at the end of a quoted pattern, the closing quote
    let width = pattern
        .get(offset..)
        .and_then(|r| r.chars().next())
        .map_or(start - span.start as usize, char::len_utf8);
    Some(Span::new(at, at + width))
}

/// The byte ranges of a match's groups (0: the whole match; `None` for a
/// group that took no part).
pub type GroupRanges = Vec<Option<(usize, usize)>>;

/// A regex with reusable match data; see [`Pcre::matcher`].
pub struct Matcher<'r> {
    re: &'r Pcre,
    locs: CaptureLocations,
}

/// The groups of one match.
pub struct Caps<'a> {
    subject: &'a str,
    locs: &'a CaptureLocations,
}

impl<'a> Caps<'a> {
    /// Byte range of group `i` (0: the whole match), if it took part.
    pub fn range(&self, i: usize) -> Option<(usize, usize)> {
        self.locs.get(i).filter(|(s, e)| s <= e)
    }

    /// Text of group `i` (0: the whole match), if it took part.
    pub fn get(&self, i: usize) -> Option<&'a str> {
        let (s, e) = self.range(i)?;
        self.subject.get(s..e)
    }
}

impl Matcher<'_> {
    /// Finds the first match at or after byte `start` of `subject` and
    /// returns the byte ranges of its groups (0: the whole match; `None` for
    /// a group that took no part). For a regex from [`Pcre::new_bytes`].
    pub fn find_bytes_at(
        &mut self,
        subject: &[u8],
        start: usize,
    ) -> std::result::Result<Option<GroupRanges>, MatchError> {
        let found = self
            .re
            .re
            .captures_read_at(&mut self.locs, subject, start)
            .map_err(|e| MatchError::from_pcre(&e))?;
        Ok(found.map(|_| {
            (0..self.re.names.len())
                .map(|i| self.locs.get(i).filter(|(s, e)| s <= e))
                .collect()
        }))
    }

    /// Calls `f` on each successive non-overlapping match until it breaks.
    pub fn for_each(
        &mut self,
        subject: &str,
        mut f: impl FnMut(&Caps<'_>) -> ControlFlow<()>,
    ) -> std::result::Result<(), MatchError> {
        let bytes = subject.as_bytes();
        let mut start = 0usize;
        let mut last_end: Option<usize> = None;
        while start <= subject.len() {
            let found = self
                .re
                .re
                .captures_read_at(&mut self.locs, bytes, start)
                .map_err(|e| MatchError::from_pcre(&e))?;
            let Some(m) = found else { break };
            let (ms, me) = (m.start(), m.end());
            let next = if me > start {
                me
            } else {
                // No progress (an empty match): step over one character.
                start
                    + subject
                        .get(start..)
                        .and_then(|r| r.chars().next())
                        .map_or(1, char::len_utf8)
            };
            start = next;
            if ms == me && last_end == Some(me) {
                continue;
            }
            last_end = Some(me);
            let caps = Caps {
                subject,
                locs: &self.locs,
            };
            if f(&caps).is_break() {
                break;
            }
        }
        Ok(())
    }

    /// Replaces matches with `template`: the `first`-th match (1-based) and,
    /// with `all`, every later one. Borrowed when nothing is replaced.
    pub fn replace<'s>(
        &mut self,
        subject: &'s str,
        template: &Template,
        first: usize,
        all: bool,
    ) -> std::result::Result<Cow<'s, str>, MatchError> {
        let mut out = String::new();
        let mut last = 0usize;
        let mut nth = 0usize;
        let mut replaced = false;
        self.for_each(subject, |caps| {
            nth += 1;
            if nth < first {
                return ControlFlow::Continue(());
            }
            if nth > first && !all {
                return ControlFlow::Break(());
            }
            if let Some((s, e)) = caps.range(0) {
                if s >= last {
                    out.push_str(subject.get(last..s).unwrap_or(""));
                    template.expand(caps, &mut out);
                    last = e;
                    replaced = true;
                }
            }
            ControlFlow::Continue(())
        })?;
        if !replaced {
            return Ok(Cow::Borrowed(subject));
        }
        out.push_str(subject.get(last..).unwrap_or(""));
        Ok(Cow::Owned(out))
    }
}

/// One piece of a replacement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal text.
    Lit(String),
    /// The text of a group (0: the whole match); empty when it took no part.
    Group(usize),
}

/// A replacement: literal text and group references. Each site parses its own
/// syntax into one (`rex mode=sed` and `replace` differ on escapes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Template(pub Vec<Part>);

impl Template {
    /// Appends the replacement for `caps` to `out`.
    pub fn expand(&self, caps: &Caps<'_>, out: &mut String) {
        for p in &self.0 {
            match p {
                Part::Lit(s) => out.push_str(s),
                Part::Group(g) => out.push_str(caps.get(*g).unwrap_or("")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn re(p: &str) -> Pcre {
        Pcre::new(p).unwrap()
    }

    fn all(p: &str, s: &str) -> Vec<String> {
        let r = re(p);
        let mut m = r.matcher();
        let mut out = Vec::new();
        m.for_each(s, |c| {
            out.push(c.get(0).unwrap_or("?").to_string());
            ControlFlow::Continue(())
        })
        .unwrap();
        out
    }

    #[test]
    fn pcre_features() {
        assert!(re(r"(?<=user=)\w+").is_match("a user=bob").unwrap());
        assert!(!re(r"foo(?!bar)").is_match("foobar").unwrap());
        assert!(re(r"(\w)\1").is_match("hello").unwrap());
        assert!(re(r"^a++b").is_match("aab").unwrap());
        assert!(!re(r"^(?>a+)ab").is_match("aaab").unwrap());
        assert!(re("ERROR$").is_match("ERROR\n").unwrap());
        assert!(!re(r"ERROR\z").is_match("ERROR\n").unwrap());
        assert!(re(r"end\Z").is_match("the end\n").unwrap());
        assert!(re(r"({|%7b)(main|sys)").is_match("${sys").unwrap());
        assert!(re(r"x{y}").is_match("x{y}").unwrap());
        assert!(re(r"\w{5}$").is_match("x-abcde").unwrap());
        assert!(re(r"(?i)CMD").is_match("cmd").unwrap());
        // UTF-8 mode without UCP: `.` is a character, `\w` is ASCII.
        assert_eq!(all(r"^.", "é"), ["é"]);
        assert!(!re(r"^\w$").is_match("é").unwrap());
        assert!(re(r"(*UCP)^\w$").is_match("é").unwrap());
    }

    #[test]
    fn named_groups_in_three_spellings() {
        let r = re(r"(?<a>x)(?P<b>y)(?'c'z)(w)");
        let names: Vec<_> = r.named_groups().collect();
        assert_eq!(names, [(1, "a"), (2, "b"), (3, "c")]);
        assert_eq!(r.group_count(), 4);
    }

    #[test]
    fn iteration_matches_the_old_rule_for_empty_matches() {
        assert_eq!(all("a*", "baaab"), ["", "aaa", ""]);
        assert_eq!(all("", "aé"), ["", "", ""]);
        assert_eq!(all(r"\d+", "a1b22c333"), ["1", "22", "333"]);
    }

    #[test]
    fn replacement() {
        let t = Template(vec![Part::Group(2), Part::Lit("-".into()), Part::Group(1)]);
        let r = re(r"(\w)(\w)");
        let mut m = r.matcher();
        assert_eq!(m.replace("abcd", &t, 1, true).unwrap(), "b-ad-c");
        assert_eq!(m.replace("abcd", &t, 2, false).unwrap(), "abd-c");
        assert!(matches!(
            m.replace("!!", &t, 1, true).unwrap(),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn limits_stop_catastrophic_backtracking() {
        let r = re(r"(a+)+$");
        let s = format!("{}b", "a".repeat(40));
        assert!(matches!(r.is_match(&s), Err(MatchError::Limit(_))));
        let mut m = r.matcher();
        assert!(matches!(
            m.for_each(&s, |_| ControlFlow::Continue(())),
            Err(MatchError::Limit(_))
        ));
        // A pattern can lower a limit, not raise it.
        let (p, at, _) = with_limits("(*UTF)(*LIMIT_MATCH=99999999)(*LIMIT_DEPTH=10)x", false);
        assert_eq!(at, 46);
        assert!(p.ends_with("(*LIMIT_MATCH=100000)(*LIMIT_DEPTH=10)x"));
        assert!(matches!(
            re("(*LIMIT_MATCH=999999999)(a+)+$").is_match(&s),
            Err(MatchError::Limit(_))
        ));
    }

    /// Classes stay ASCII as in PCRE's default (and Splunk's) although text
    /// patterns are compiled with UCP (for `PCRE2_MATCH_INVALID_UTF`, which
    /// spares a UTF-8 check of the rest of the subject at every match);
    /// `(*UCP)` asks for Unicode classes; case folding is Unicode either way.
    #[test]
    fn classes_are_ascii_unless_the_pattern_asks_for_ucp() {
        let all = |p: &str, s: &str| {
            let mut out = Vec::new();
            let compiled = re(p);
            let mut m = compiled.matcher();
            m.for_each(s, |c| {
                out.push(c.get(0).unwrap_or_default().to_string());
                ControlFlow::Continue(())
            })
            .unwrap();
            out
        };
        let s = "é1 ٣2 a\u{a0}b";
        assert_eq!(all(r"\w+", s), ["1", "2", "a", "b"]);
        assert_eq!(all(r"\d+", s), ["1", "2"]);
        assert_eq!(all(r"[[:alpha:]]+", s), ["a", "b"]);
        assert_eq!(all(r"\bb", "éb"), ["b"]);
        assert_eq!(all(r"\s", s).len(), 2);
        assert_eq!(all(r"(*UCP)\w+", s), ["é1", "٣2", "a", "b"]);
        assert_eq!(all(r"(*UCP)\s", s).len(), 3);
        assert_eq!(all(r"(?i)STRASSE|É+", "ééÉ"), ["ééÉ"]);
        let (p, _, _) = with_limits("(*UCP)x", true);
        assert!(!p.contains("(?a)"), "{p}");
        assert!(with_limits("x", true).0.ends_with("(?a)x"));
    }

    #[test]
    fn syntax_errors_point_into_the_pattern() {
        let e = Pcre::new("ab(c").unwrap_err();
        assert_eq!(e.offset, Some(4));
        assert!(e.message.contains("missing closing parenthesis"), "{e:?}");
        let e = Pcre::new("(*CRLF)a[").unwrap_err();
        assert_eq!(e.offset, Some(9));
        // quoted in the query at 10..16: the caret sits after the opening quote
        assert_eq!(caret(Span::new(10, 16), "ab(c", 2), Some(Span::new(13, 14)));
        assert_eq!(caret(Span::new(10, 16), "ab(c", 4), Some(Span::new(15, 16)));
        assert_eq!(caret(Span::new(10, 14), "ab(c", 4), Some(Span::new(14, 14)));
        assert_eq!(caret(Span::new(10, 20), "ab(c", 2), None);
    }
}
