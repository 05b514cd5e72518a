//! Parser for Splunk's Search Processing Language (SPL).
//!
//! Stages: macro expansion turns query text into expanded text plus a source
//! map; [`parse`] turns expanded text into a spanned [`ast::Query`]. `Display`
//! on the AST prints canonical SPL, and [`normalize`] compares trees without
//! their spans.

pub mod aggregations;
pub mod ast;
mod commands;
pub mod error;
pub mod macros;
pub mod normalize;
pub mod options;
mod parser;
pub mod span;
pub mod suggest;

pub use aggregations::is_agg_function;
pub use commands::{command_spec, is_known_command, suggest_command, CommandSpec};
pub use error::ParseError;
pub use parser::MAX_OPERATORS;
pub use span::{Span, Spanned};

use parser::pipeline::{pipeline, Mode};
use parser::Cx;

/// Parses an already macro-expanded search into a [`ast::Query`].
///
/// Triple-backtick comments are blanked out first (offsets are preserved, so
/// spans still point into `text`).
pub fn parse(text: &str) -> Result<ast::Query, ParseError> {
    parse_mode(text, Mode::Top).map(|pipeline| ast::Query { pipeline })
}

/// Parses a pipeline fragment such as a `foreach` template after substitution
/// (no implicit leading `search`: the first word must be a command).
pub fn parse_pipeline(text: &str) -> Result<ast::Pipeline, ParseError> {
    parse_mode(text, Mode::Fragment)
}

/// Parses an eval expression written inside another construct, such as the
/// value of `streamstats reset_after=(count > 2)`. `offset` is where `text`
/// starts in the enclosing query, so the expression's spans (and those of a
/// parse error) point into that query. The whole text must be one
/// expression.
pub fn parse_expr_at(text: &str, offset: usize) -> Result<ast::Expr, ParseError> {
    // Padding puts every byte of `text` at its offset in the query.
    let src = format!("{}{text}", " ".repeat(offset));
    let cx = Cx::new(&src);
    let body = parser::lex::ws(&src[offset..]);
    let r = if body.is_empty() {
        parser::fail_kind(body, parser::PErrKind::Missing("expression".into()))
    } else {
        parser::expr::expr(&cx, body).and_then(|(rest, e)| {
            let rest = parser::lex::ws(rest);
            if rest.is_empty() {
                Ok((rest, e))
            } else {
                parser::fail(rest, "an operator or the end of the expression")
            }
        })
    };
    parser::finish(&src, r)
}

fn parse_mode(text: &str, mode: Mode) -> Result<ast::Pipeline, ParseError> {
    let src = parser::comments::strip_comments(text)?;
    let cx = Cx::new(&src);
    parser::finish(&src, pipeline(&cx, &src, mode))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ast::Command;

    #[test]
    fn embedded_expressions_keep_their_place_in_the_query() {
        let q = "| streamstats count reset_after=(count > 2)";
        let at = q.find('(').unwrap();
        let e = parse_expr_at(&q[at..], at).unwrap();
        assert_eq!(e.to_string(), "count > 2");
        let bad = "| streamstats count reset_after=(count >)";
        let at = bad.find('(').unwrap();
        let err = parse_expr_at(&bad[at..], at).unwrap_err();
        assert_eq!(err.span(), Some(Span::new(bad.len() - 1, bad.len())));
        let err = parse_expr_at("a b", 10).unwrap_err();
        assert_eq!(err.span(), Some(Span::new(12, 13)));
        assert!(parse_expr_at("  ", 3).is_err());
    }

    #[test]
    fn pipeline_fragments_start_with_a_command() {
        let p = parse_pipeline("eval a=1 | eval b='x y' + 2").unwrap();
        assert_eq!(p.stages.len(), 2);
        assert!(p
            .stages
            .iter()
            .all(|s| matches!(s.command, Command::Eval(_))));
        let e = parse_pipeline("x=1").unwrap_err();
        assert_eq!(e.to_string(), "expected command name, found `x`");
    }

    #[test]
    fn empty_segments_are_skipped_but_empty_queries_are_errors() {
        let q = parse("a | | stats count |").unwrap();
        assert_eq!(q.pipeline.stages.len(), 2);
        assert_eq!(
            parse("  ").unwrap_err().to_string(),
            "expected a search, found end of input"
        );
        assert!(parse("|").is_err());
    }

    #[test]
    fn splunk_commands_without_a_typed_node_stay_generic() {
        let q = parse("| xyseries a=1 \"b c\" [search x] | head 1").unwrap();
        let Command::Generic(g) = &q.pipeline.stages[0].command else {
            panic!("not generic");
        };
        let args: Vec<&str> = g.args.iter().map(|a| a.node.as_str()).collect();
        assert_eq!(args, ["a=1", "\"b c\"", "[search x]"]);
        assert_eq!(g.subsearches.len(), 1);
        assert_eq!(suggest_command("stast"), Some("stats"));
    }

    #[test]
    fn words_that_are_no_command_are_errors_with_a_suggestion() {
        let e = parse("search a | stat count").unwrap_err();
        assert_eq!(e.to_string(), "unknown command `stat`");
        assert_eq!(e.span(), Some(Span::new(11, 15)));
        assert!(
            matches!(&e, ParseError::UnknownCommand { help: Some(h), .. } if h == "did you mean `stats`?")
        );
        let e = parse("| makeresults | join x [| nosuchcmd]").unwrap_err();
        assert!(
            matches!(&e, ParseError::UnknownCommand { help: None, .. }),
            "{e:?}"
        );
    }

    #[test]
    fn options_are_checked_against_the_command() {
        let e = parse("| dedup keepempy=true host").unwrap_err();
        assert_eq!(e.to_string(), "unknown option `keepempy` of `dedup`");
        assert!(
            matches!(&e, ParseError::UnknownOption { help: Some(h), .. } if h == "did you mean `keepempty`?")
        );
        let e = parse("| stats bogus=1 count").unwrap_err();
        assert!(matches!(&e, ParseError::UnknownOption { .. }), "{e:?}");
        let e = parse("| dedup keepempty=maybe host").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid `keepempty` value: expected a boolean (true, false, t, f, yes, no, 1 or 0), found `maybe`"
        );
        let e = parse("| dedup keepempty=t host keepempty=f").unwrap_err();
        assert_eq!(
            e.to_string(),
            "duplicate option `keepempty`: expected it at most once"
        );
        assert!(parse("| makeresults splunk_server_group=a splunk_server_group=b").is_ok());
        assert!(parse("| dedup KEEPEMPTY=Yes host").is_ok());
        // an inner command's options are its own
        assert!(parse("| join type=left x [search a | dedup keepempty=t x]").is_ok());
    }

    #[test]
    fn spans_point_into_the_text_with_comments_blanked() {
        let text = "search a ```note``` | stats count";
        let q = parse(text).unwrap();
        let st = &q.pipeline.stages[1];
        assert_eq!(&text[st.name.span.range()], "stats");
        assert_eq!(&text[st.span.range()], "stats count");
    }
}
