//! `rename a AS b, ...` (wildcards: `rename EU* AS EMEA*`).

use crate::ast::FieldAlias;
use crate::options::OptSpec;
use crate::parser::args::alias_list;
use crate::parser::lex::ws;
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use serde::Serialize;
use std::fmt;

/// The options of `rename` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[];

/// `rename a AS b, ...`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rename {
    /// Pairs in order (wildcards allowed; the alias is always present).
    pub pairs: Vec<FieldAlias>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Rename> {
    let (rest, pairs) = alias_list(cx, i, &|_| false)?;
    if pairs.is_empty() {
        return fail_kind(ws(i), PErrKind::Missing("`<field> AS <name>`".into()));
    }
    if let Some(p) = pairs.iter().find(|p| p.alias.is_none()) {
        let at = (p.field.span.end as usize)
            .saturating_sub(cx.off(i))
            .min(i.len());
        return fail_kind(ws(&i[at..]), PErrKind::Expected("`AS <name>`".into()));
    }
    Ok((rest, Rename { pairs }))
}

impl fmt::Display for Rename {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, p) in self.pairs.iter().enumerate() {
            if k > 0 {
                f.write_str(", ")?;
            }
            p.fmt(f)?;
        }
        Ok(())
    }
}

impl crate::ast::CommandNode for Rename {}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn forms() {
        insta::assert_snapshot!(cmd(r#"search a | rename sourceIPs{} as src_ip, user.username AS user Processes.* as * "IsOutlier(x)" as o"#), @r#"
            command: Rename
            pairs:
            - field:
                node: sourceIPs{}
                span: 18-29
              alias:
                node: src_ip
                span: 33-39
            - field:
                node: user.username
                span: 41-54
              alias:
                node: user
                span: 58-62
            - field:
                node: Processes.*
                span: 63-74
              alias:
                node: '*'
                span: 78-79
            - field:
                node: IsOutlier(x)
                span: 80-94
              alias:
                node: o
                span: 98-99
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("search a | rename x y"), @r#"
            spl::parse::expected

              × expected `AS <name>`, found `y`
               ╭────
             1 │ search a | rename x y
               ·                     ┬
               ·                     ╰── expected `AS <name>`
               ╰────
              help: in `rename`; usage: rename <wc-field> AS <wc-field>[, <wc-field> AS
                    <wc-field>]...
        "#);
        insta::assert_snapshot!(err("search a | rename x as"), @r#"
            spl::parse::expected

              × expected name after `AS`, found end of input
               ╭────
             1 │ search a | rename x as
               ·                      ┬
               ·                      ╰── expected name after `AS`
               ╰────
              help: in `rename`; usage: rename <wc-field> AS <wc-field>[, <wc-field> AS
                    <wc-field>]...
        "#);
    }
}
