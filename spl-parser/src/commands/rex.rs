//! `rex [field=f] [max_match=N] [offset_field=f] [mode=sed] "regex"`.

use crate::ast::display::{quote, Words};
use crate::ast::Opt;
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::args::{bare_value_len, options_strict};
use crate::parser::lex::{quoted, ws};
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use crate::span::Spanned;
use serde::Serialize;
use std::fmt;

/// The options of `rex` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    opt("field", K::Field, Some("_raw"), "field the regex reads"),
    opt(
        "max_match",
        K::Count,
        Some("1"),
        "matches per result, 0 for all",
    ),
    opt(
        "offset_field",
        K::Text,
        None,
        "field receiving the match offsets",
    ),
    opt(
        "mode",
        K::Choice(&["sed"]),
        None,
        "`sed`: the argument is a sed expression",
    ),
];

/// `rex [field=f] [max_match=N] [offset_field=f] [mode=sed] "regex"`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rex {
    /// `field`, `max_match`, `offset_field`, `mode`.
    pub options: Vec<Opt>,
    /// The regex (or sed expression), after `\"` and `\\` are unescaped;
    /// other escapes such as `\d` are kept for PCRE.
    pub regex: Spanned<String>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Rex> {
    let mut options = Vec::new();
    let (j, ()) = options_strict(cx, i, &mut options)?;
    let k = ws(j);
    let (j, regex) = if k.starts_with('"') {
        quoted(cx, k)?
    } else {
        // Unquoted regexes (`rex field=x .*instance/(?<i>.*)`) run to the next
        // space outside parentheses.
        let n = bare_value_len(k);
        if n == 0 {
            return fail_kind(k, PErrKind::Missing("regular expression".into()));
        }
        (
            &k[n..],
            Spanned::new(k[..n].to_string(), cx.span(k, &k[n..])),
        )
    };
    let (j, ()) = options_strict(cx, j, &mut options)?;
    Ok((j, Rex { options, regex }))
}

impl fmt::Display for Rex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.opts(&self.options).push(quote(&self.regex.node));
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Rex {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd(r#"search a | rex field=_raw "\[(?<protocol>HTTPS|HTTP):(?<s>[^\:]+)\] \"(?<q>[^\"]*)\" (?<p>[^\\\\]+)$""#), @r#"
            command: Rex
            options:
            - key:
                node: field
                span: 15-20
              value:
                node: _raw
                span: 21-25
              quoted: false
            regex:
              node: \[(?<protocol>HTTPS|HTTP):(?<s>[^\:]+)\] "(?<q>[^"]*)" (?<p>[^\\]+)$
              span: 26-101
        "#);
        insta::assert_snapshot!(cmd(r#"search a | rex mode=sed field=x "s/a|b/c/g""#), @r#"
            command: Rex
            options:
            - key:
                node: mode
                span: 15-19
              value:
                node: sed
                span: 20-23
              quoted: false
            - key:
                node: field
                span: 24-29
              value:
                node: x
                span: 30-31
              quoted: false
            regex:
              node: s/a|b/c/g
              span: 32-43
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("search a | rex field=x"), @r#"
            spl::parse::missing_argument

              × missing argument: expected regular expression, found end of input
               ╭────
             1 │ search a | rex field=x
               ·                      ┬
               ·                      ╰── expected regular expression here
               ╰────
              help: in `rex`; usage: rex [field=<field>] [max_match=<int>] [mode=sed]
                    "<regex>"
        "#);
    }
}
