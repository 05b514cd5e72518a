//! Typed command options (`name=value`), declared once per command.
//!
//! Each command's entry in the command table lists the options Splunk
//! documents for it ([`OptSpec`]: name, kind, default, doc). The parser
//! rejects an option the command does not have (`spl::parse::unknown_option`,
//! with a "did you mean") and a value of the wrong kind
//! (`spl::parse::invalid_value`), so `spl parse` lints them. The engine reads
//! options through an [`OptReader`], which parses values by the same rules
//! and remembers which options the planner read: an option that parses but
//! that the planner never read is one the engine does not implement, and is
//! reported as such instead of being silently ignored.

use crate::ast::Opt;
use crate::span::{Span, Spanned};
use std::cell::RefCell;

/// The kind of value an option takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptKind {
    /// `true`/`false`, `t`/`f`, `yes`/`no`, `1`/`0`, any case ([`parse_bool`]).
    Bool,
    /// A whole number >= 0.
    Count,
    /// A whole number, possibly negative.
    Int,
    /// Any number.
    Number,
    /// Free text.
    Text,
    /// A field name.
    Field,
    /// A span: a number with an optional time unit (`10`, `5m`, `1mon`,
    /// `2.5`), or a log span (`log`, `2log10`).
    Span,
    /// A time modifier (`-1h@h`, an epoch, an absolute time); the engine
    /// resolves it against the clock.
    Time,
    /// One of these words, any case.
    Choice(&'static [&'static str]),
    /// An eval or search expression, usually in parentheses (`(x>1)`,
    /// `eval(x>1)`, `"x=1"`).
    Expr,
    /// A regular expression.
    Regex,
}

impl OptKind {
    /// What a value of this kind looks like, for "expected ..." messages.
    pub fn expected(&self) -> String {
        match self {
            OptKind::Bool => "a boolean (true, false, t, f, yes, no, 1 or 0)".into(),
            OptKind::Count => "a whole number >= 0".into(),
            OptKind::Int => "a whole number".into(),
            OptKind::Number => "a number".into(),
            OptKind::Text => "text".into(),
            OptKind::Field => "a field name".into(),
            OptKind::Span => "a span such as `10`, `5m` or `1d`".into(),
            OptKind::Time => "a time such as `-1h@h`, `now` or an epoch".into(),
            OptKind::Choice(words) => format!("one of {}", words.join(", ")),
            OptKind::Expr => "an expression".into(),
            OptKind::Regex => "a regular expression".into(),
        }
    }

    /// Whether `value` has this kind's form. Only the form is checked here;
    /// the engine checks meaning (a time that resolves, a valid regex).
    pub fn accepts(&self, value: &str) -> bool {
        let v = value.trim();
        match self {
            OptKind::Bool => parse_bool(v).is_some(),
            OptKind::Count => v.parse::<u64>().is_ok(),
            OptKind::Int => v.parse::<i64>().is_ok(),
            OptKind::Number => v.parse::<f64>().is_ok_and(f64::is_finite),
            OptKind::Text | OptKind::Expr | OptKind::Regex | OptKind::Time => true,
            OptKind::Field => !v.is_empty(),
            OptKind::Span => is_span(v),
            OptKind::Choice(words) => words.iter().any(|w| w.eq_ignore_ascii_case(v)),
        }
    }
}

/// `<number>[<unit letters>]` or `[<number>]log[<number>]`, optionally
/// snapped (`1w@w1`).
fn is_span(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    let lower = match lower.split_once('@') {
        Some((span, snap)) if !snap.is_empty() => span.to_string(),
        Some(_) => return false,
        None => lower,
    };
    if let Some((a, b)) = lower.split_once("log") {
        let num_ok = |s: &str| s.is_empty() || s.parse::<f64>().is_ok();
        return num_ok(a) && num_ok(b);
    }
    let digits = lower
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(lower.len());
    let (num, unit) = lower.split_at(digits);
    // `span=h` means one hour in Splunk's relative syntax; a bare unit is accepted.
    (num.is_empty() || num.parse::<f64>().is_ok())
        && !(num.is_empty() && unit.is_empty())
        && unit.chars().all(|c| c.is_ascii_alphabetic())
}

/// Splunk's boolean option values, any case: `true`, `t`, `yes`, `1` and
/// `false`, `f`, `no`, `0` (Search Reference, "Understanding SPL syntax",
/// data types).
pub fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "t" | "yes" | "1" => Some(true),
        "false" | "f" | "no" | "0" => Some(false),
        _ => None,
    }
}

/// A boolean in a `.conf` file (`macros.conf`, `transforms.conf`, later
/// `props.conf`): Splunk's configuration files also take `y`/`n` and
/// `on`/`off`, any case.
pub fn parse_conf_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "y" | "on" => Some(true),
        "n" | "off" => Some(false),
        other => parse_bool(other),
    }
}

/// One documented option of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptSpec {
    /// The name (matched case-insensitively).
    pub name: &'static str,
    /// The kind of value.
    pub kind: OptKind,
    /// Splunk's default, as text (`None`: no default; the option is absent).
    pub default: Option<&'static str>,
    /// What it does.
    pub doc: &'static str,
    /// May be written more than once (`splunk_server_group`); any other
    /// option written twice is an error, as in Splunk.
    pub repeatable: bool,
}

impl OptSpec {
    /// The same option, allowed more than once.
    pub const fn repeatable(self) -> OptSpec {
        OptSpec {
            repeatable: true,
            ..self
        }
    }
}

/// Declares an option: `opt("keepempty", Bool, Some("false"), "...")`.
pub const fn opt(
    name: &'static str,
    kind: OptKind,
    default: Option<&'static str>,
    doc: &'static str,
) -> OptSpec {
    OptSpec {
        name,
        kind,
        default,
        doc,
        repeatable: false,
    }
}

/// The spec of `name` among `specs` (case-insensitive).
pub fn find_spec<'s>(specs: &'s [OptSpec], name: &str) -> Option<&'s OptSpec> {
    specs.iter().find(|s| s.name.eq_ignore_ascii_case(name))
}

/// A problem with an option value found while reading it.
#[derive(Debug, Clone, PartialEq)]
pub struct OptError {
    /// `expected X for `name`, found `v``.
    pub message: String,
    /// The value (or the option) in the query.
    pub span: Span,
    /// Short label under the caret.
    pub label: String,
}

/// Reads one command's options by their declared kinds, remembering which
/// were read.
pub struct OptReader<'a> {
    command: &'static str,
    opts: &'a [Opt],
    specs: &'static [OptSpec],
    read: RefCell<Vec<bool>>,
}

impl<'a> OptReader<'a> {
    /// A reader over the options written for `command`, declared by `specs`.
    pub fn new(command: &'static str, opts: &'a [Opt], specs: &'static [OptSpec]) -> Self {
        OptReader {
            command,
            opts,
            specs,
            read: RefCell::new(vec![false; opts.len()]),
        }
    }

    /// The command's canonical name.
    pub fn command(&self) -> &'static str {
        self.command
    }

    /// The option as written (the last one of a repeatable option written
    /// twice), marking every occurrence read.
    pub fn get(&self, name: &str) -> Option<&'a Opt> {
        let mut found = None;
        let mut read = self.read.borrow_mut();
        for (i, o) in self.opts.iter().enumerate() {
            if o.key.node.eq_ignore_ascii_case(name) {
                if let Some(r) = read.get_mut(i) {
                    *r = true;
                }
                found = Some(o);
            }
        }
        found
    }

    /// True when the option is written.
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The option's value as written.
    pub fn text(&self, name: &str) -> Option<&'a Spanned<String>> {
        self.get(name).map(|o| &o.value)
    }

    /// The value as written, or the declared default.
    pub fn text_or_default(&self, name: &str) -> Option<String> {
        self.text(name)
            .map(|v| v.node.clone())
            .or_else(|| self.default(name).map(str::to_string))
    }

    fn default(&self, name: &str) -> Option<&'static str> {
        find_spec(self.specs, name).and_then(|s| s.default)
    }

    fn bad(&self, o: &Opt, expected: &str) -> OptError {
        OptError {
            message: format!(
                "expected {expected} for `{}`, found `{}`",
                o.key.node, o.value.node
            ),
            span: o.value.span,
            label: format!("invalid `{}`", o.key.node),
        }
    }

    /// A boolean option, or its declared default (false without one).
    pub fn flag(&self, name: &str) -> Result<bool, OptError> {
        Ok(self
            .bool(name)?
            .unwrap_or_else(|| self.default(name).and_then(parse_bool).unwrap_or(false)))
    }

    /// A boolean option if written.
    pub fn bool(&self, name: &str) -> Result<Option<bool>, OptError> {
        match self.get(name) {
            None => Ok(None),
            Some(o) => parse_bool(&o.value.node)
                .map(Some)
                .ok_or_else(|| self.bad(o, &OptKind::Bool.expected())),
        }
    }

    /// A whole number >= 0 if written, with the value's span.
    pub fn count(&self, name: &str) -> Result<Option<(u64, Span)>, OptError> {
        match self.get(name) {
            None => Ok(None),
            Some(o) => o
                .value
                .node
                .trim()
                .parse::<u64>()
                .map(|n| Some((n, o.value.span)))
                .map_err(|_| self.bad(o, &OptKind::Count.expected())),
        }
    }

    /// A whole number >= 0, or its declared default.
    pub fn count_or_default(&self, name: &str) -> Result<Option<u64>, OptError> {
        Ok(match self.count(name)? {
            Some((n, _)) => Some(n),
            None => self.default(name).and_then(|d| d.parse().ok()),
        })
    }

    /// A whole number if written.
    pub fn int(&self, name: &str) -> Result<Option<(i64, Span)>, OptError> {
        match self.get(name) {
            None => Ok(None),
            Some(o) => o
                .value
                .node
                .trim()
                .parse::<i64>()
                .map(|n| Some((n, o.value.span)))
                .map_err(|_| self.bad(o, &OptKind::Int.expected())),
        }
    }

    /// A finite number if written.
    pub fn number(&self, name: &str) -> Result<Option<(f64, Span)>, OptError> {
        match self.get(name) {
            None => Ok(None),
            Some(o) => match o.value.node.trim().parse::<f64>() {
                Ok(n) if n.is_finite() => Ok(Some((n, o.value.span))),
                _ => Err(self.bad(o, &OptKind::Number.expected())),
            },
        }
    }

    /// One of the declared choices if written (lower case), or the default.
    pub fn choice(&self, name: &str) -> Result<Option<String>, OptError> {
        let spec = find_spec(self.specs, name);
        match self.get(name) {
            None => Ok(self.default(name).map(str::to_ascii_lowercase)),
            Some(o) => match spec.map(|s| s.kind) {
                Some(k @ OptKind::Choice(_)) if !k.accepts(&o.value.node) => {
                    Err(self.bad(o, &k.expected()))
                }
                _ => Ok(Some(o.value.node.trim().to_ascii_lowercase())),
            },
        }
    }

    /// Options written but never read: ones the engine does not implement.
    pub fn unread(&self) -> Vec<&'a Opt> {
        let read = self.read.borrow();
        self.opts
            .iter()
            .zip(read.iter())
            .filter(|(_, r)| !**r)
            .map(|(o, _)| o)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(k: &str, v: &str) -> Opt {
        Opt {
            key: Spanned::new(k.into(), Span::new(0, k.len())),
            value: Spanned::new(v.into(), Span::new(k.len() + 1, k.len() + 1 + v.len())),
            quoted: false,
        }
    }

    static SPECS: &[OptSpec] = &[
        opt("keepempty", OptKind::Bool, Some("false"), "keep"),
        opt("current", OptKind::Bool, Some("true"), "cur"),
        opt("max", OptKind::Count, Some("1"), "m"),
        opt(
            "type",
            OptKind::Choice(&["inner", "left", "outer"]),
            Some("inner"),
            "t",
        ),
    ];

    #[test]
    fn booleans_are_splunks_documented_words() {
        for (v, b) in [
            ("true", true),
            ("T", true),
            ("Yes", true),
            ("1", true),
            ("FALSE", false),
            ("f", false),
            ("no", false),
            ("0", false),
        ] {
            assert_eq!(parse_bool(v), Some(b), "{v}");
        }
        for v in ["y", "n", "2", "", "on"] {
            assert_eq!(parse_bool(v), None, "{v}");
        }
    }

    #[test]
    fn reader_reads_defaults_last_values_and_tracks_use() {
        let opts = vec![
            o("KeepEmpty", "t"),
            o("max", "2"),
            o("max", "3"),
            o("bogus", "x"),
        ];
        let r = OptReader::new("dedup", &opts, SPECS);
        assert!(r.flag("keepempty").unwrap());
        assert!(r.flag("current").unwrap(), "default true");
        assert_eq!(r.count("max").unwrap().map(|x| x.0), Some(3), "last wins");
        assert_eq!(r.choice("type").unwrap().as_deref(), Some("inner"));
        let unread: Vec<&str> = r.unread().iter().map(|o| o.key.node.as_str()).collect();
        assert_eq!(unread, ["bogus"]);
    }

    #[test]
    fn ill_typed_values_name_the_option() {
        let opts = vec![o("keepempty", "maybe")];
        let r = OptReader::new("dedup", &opts, SPECS);
        let e = r.flag("keepempty").unwrap_err();
        assert_eq!(
            e.message,
            "expected a boolean (true, false, t, f, yes, no, 1 or 0) for `keepempty`, found `maybe`"
        );
    }

    #[test]
    fn spans() {
        for v in [
            "10", "5m", "1mon", "2.5", "log", "2log10", "h", "30s", "1w@w1",
        ] {
            assert!(OptKind::Span.accepts(v), "{v}");
        }
        for v in ["", "5m5", "-1", "x y", "1d@"] {
            assert!(!OptKind::Span.accepts(v), "{v}");
        }
    }
}
