//! `search <terms>`: the search-term language (also the implicit leading search).

use crate::ast::SearchExpr;
use crate::parser::search::{search_expr, Stop};
use crate::parser::{Cx, PResult};
use serde::Serialize;
use std::fmt;

/// `search <terms>`; `expr` is `None` for an empty search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Search {
    /// The term expression.
    pub expr: Option<SearchExpr>,
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Search> {
    let (rest, expr) = search_expr(cx, i, Stop::default())?;
    Ok((rest, Search { expr }))
}

impl fmt::Display for Search {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.expr {
            Some(e) => e.fmt(f),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err, query};

    #[test]
    fn precedence_not_or_and() {
        insta::assert_snapshot!(cmd("a b OR c NOT d"), @"");
    }

    #[test]
    fn comparisons_and_quoted_field() {
        insta::assert_snapshot!(cmd(r#"search "user.groups{}"="system:unauthenticated" "responseStatus.code"=403 x!=1 y<=2"#), @"");
    }

    #[test]
    fn lower_case_operators_are_terms() {
        insta::assert_snapshot!(cmd("search a and b or not c"), @"");
    }

    #[test]
    fn in_list_time_bounds_case_term() {
        insta::assert_snapshot!(cmd(r#"search code IN (40*, "500") earliest=-30d@d latest=now CASE(Err) TERM(10.0.0.1)"#), @"");
    }

    #[test]
    fn backslash_escapes_in_bare_terms() {
        insta::assert_snapshot!(cmd(r#"search cfg=*\"privileged\":true* a\|b c\\d e\sf"#), @"");
    }

    #[test]
    fn implicit_search_and_subsearch_term() {
        insta::assert_snapshot!(query("index=main [search x | fields user] | head 1"), @"");
    }

    #[test]
    fn spaces_around_equals() {
        insta::assert_snapshot!(cmd("search Authentication.action = failure"), @"");
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("search a OR"), @"");
        insta::assert_snapshot!(err("search (a b"), @"");
        insta::assert_snapshot!(err("search a=\"unterminated"), @"");
        insta::assert_snapshot!(err("search a) b"), @"");
        insta::assert_snapshot!(err("`kube_audit` x"), @"");
    }
}
