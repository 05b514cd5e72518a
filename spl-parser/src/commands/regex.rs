//! `regex [field=|field!=]"regex"`: keeps (or drops) results whose field
//! matches.

use crate::ast::display::quote;
use crate::ast::FieldName;
use crate::options::OptSpec;
use crate::parser::lex::{at_stage_end, field_token, quoted, ws};
use crate::parser::search::token;
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use crate::span::Spanned;
use serde::Serialize;
use std::fmt;

/// The options of `regex` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[];

/// `regex [field=|field!=]"regex"`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Regex {
    /// The field (`None`: `_raw`).
    pub field: Option<FieldName>,
    /// True for `field!=regex`.
    pub negate: bool,
    /// The regex (quoted-string escapes processed).
    pub regex: Spanned<String>,
}

fn pattern<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Spanned<String>> {
    if i.starts_with('"') {
        return quoted(cx, i);
    }
    let (rest, raw) = token(i, false, false);
    if raw.is_empty() {
        return fail_kind(i, PErrKind::Missing("regular expression".into()));
    }
    Ok((rest, Spanned::new(raw.to_string(), cx.span(i, rest))))
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Regex> {
    let j = ws(i);
    if at_stage_end(j) {
        return fail_kind(j, PErrKind::Missing("regular expression".into()));
    }
    if !j.starts_with('"') {
        if let Ok((r, mut f)) = field_token(cx, j) {
            let r = ws(r);
            let (negate, after) = match (f.node.strip_suffix('!'), r.strip_prefix('=')) {
                (Some(name), Some(a)) => {
                    f.node = name.to_string();
                    f.span.end -= 1;
                    (true, Some(ws(a)))
                }
                (None, Some(a)) => (false, Some(ws(a))),
                _ => match r.strip_prefix("!=") {
                    Some(a) => (true, Some(ws(a))),
                    None => (false, None),
                },
            };
            if let Some(after) = after {
                let (rest, regex) = pattern(cx, after)?;
                return Ok((
                    rest,
                    Regex {
                        field: Some(f),
                        negate,
                        regex,
                    },
                ));
            }
        }
    }
    let (rest, regex) = pattern(cx, j)?;
    Ok((
        rest,
        Regex {
            field: None,
            negate: false,
            regex,
        },
    ))
}

impl fmt::Display for Regex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(field) = &self.field {
            let op = if self.negate { "!=" } else { "=" };
            write!(f, "{}{op}", crate::ast::display::field(&field.node))?;
        }
        f.write_str(&quote(&self.regex.node))
    }
}

impl crate::ast::CommandNode for Regex {}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd(r#"search a | regex process!="(?i)\\windows\\" | regex "^x" | regex url=^http"#), @r#"
            command: Regex
            field:
              node: url
              span: 65-68
            negate: false
            regex:
              node: ^http
              span: 69-74
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("search a | regex"), @r#"
            spl::parse::missing_argument

              × missing argument: expected regular expression, found end of input
               ╭────
             1 │ search a | regex
               ·                ┬
               ·                ╰── expected regular expression here
               ╰────
              help: in `regex`; usage: regex [<field>=|<field>!=]"<regex>"
        "#);
    }
}
