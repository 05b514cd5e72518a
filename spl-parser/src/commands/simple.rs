//! Commands whose arguments are only options and words: `accum x AS y`,
//! `delta x p=2`, `strcat a "-" b out`, `fromjson f prefix=p`, `xmlkv`,
//! `reverse`, `addinfo`. One grammar serves them all; each command's line in
//! the command list (`list.rs`) names its usage and declares its options,
//! and the engine's planner gives the words their meaning (which is a field,
//! which a literal, where `AS` may stand).

use crate::ast::display::{field, quote, Words};
use crate::ast::{FieldName, Opt};
use crate::parser::args::option;
use crate::parser::lex::{at_stage_end, field_token, is_option_start, quoted, ws};
use crate::parser::{Cx, PResult};
use serde::Serialize;
use std::fmt;

/// The arguments of a simple command, in the order written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Args {
    /// `name=value` options, checked against the command's declaration.
    pub options: Vec<Opt>,
    /// The other arguments in order: bare words (field names, keywords such
    /// as `AS`) and quoted strings.
    pub words: Vec<Word>,
}

/// One positional argument.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Word {
    /// The text, unquoted and unescaped, with its span.
    pub text: FieldName,
    /// True when written as a `"quoted string"`.
    pub quoted: bool,
}

impl Word {
    /// True for the bare keyword `kw` (any case).
    pub fn is_keyword(&self, kw: &str) -> bool {
        !self.quoted && self.text.node.eq_ignore_ascii_case(kw)
    }
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Args> {
    let mut j = i;
    let mut options = Vec::new();
    let mut words = Vec::new();
    loop {
        let k = ws(j);
        if at_stage_end(k) {
            return Ok((j, Args { options, words }));
        }
        if let Some(r) = k.strip_prefix(',') {
            j = r;
            continue;
        }
        if is_option_start(k) {
            let (r, o) = option(cx, k)?;
            options.push(o);
            j = r;
        } else if k.starts_with('"') {
            let (r, text) = quoted(cx, k)?;
            words.push(Word { text, quoted: true });
            j = r;
        } else {
            let (r, text) = field_token(cx, k)?;
            words.push(Word {
                text,
                quoted: false,
            });
            j = r;
        }
    }
}

impl fmt::Display for Args {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.opts(&self.options);
        for word in &self.words {
            if word.quoted {
                w.push(quote(&word.text.node));
            } else if word.text.node.chars().all(|c| c.is_ascii_alphabetic()) {
                // keywords (`AS`) are plain words to this grammar
                w.push(&word.text.node);
            } else {
                w.push(field(&word.text.node));
            }
        }
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Args {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn words_options_and_strings() {
        insta::assert_snapshot!(cmd(r#"| makeresults | strcat allrequired=t a "-" b out"#), @"
        command: Strcat
        options:
        - key:
            node: allrequired
            span: 23-34
          value:
            node: t
            span: 35-36
          quoted: false
        words:
        - text:
            node: a
            span: 37-38
          quoted: false
        - text:
            node: '-'
            span: 39-42
          quoted: true
        - text:
            node: b
            span: 43-44
          quoted: false
        - text:
            node: out
            span: 45-48
          quoted: false
        ");
        let q =
            crate::parse("| makeresults | accum x AS y | delta x p=2 | reverse | addinfo").unwrap();
        assert_eq!(
            q.to_string(),
            "| makeresults | accum x AS y | delta p=2 x | reverse | addinfo"
        );
    }

    #[test]
    fn options_are_checked() {
        insta::assert_snapshot!(err("| makeresults | delta x q=2"), @"
        spl::parse::unknown_option

          × unknown option `q` of `delta`
           ╭────
         1 │ | makeresults | delta x q=2
           ·                         ┬
           ·                         ╰── not an option of `delta`
           ╰────
          help: did you mean `p`?
        ");
    }
}
