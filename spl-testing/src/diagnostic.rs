//! A plain, stable text rendering of diagnostics for `error` records: the code
//! and message, the query line with a caret under the span, and the help. It
//! does not depend on a terminal or on miette's graphical layout, so expected
//! blocks stay the same across miette versions.
//!
//! ```text
//! error[spl::eval::unknown_function]: unknown function `nosuch`
//! 1 | | makeresults | eval x=nosuch(1)
//!   |                        ^^^^^^ unknown function
//! help: did you mean `...`?
//! ```

use miette::Diagnostic;
use std::fmt::Write as _;

/// Renders `d` with its first label drawn under the line of `source` it points
/// into (the expanded query for parse and run errors, the query as written for
/// macro errors). Errors without a span render as the first line and help only.
pub fn render_plain(d: &dyn Diagnostic, source: &str) -> String {
    let code = d.code().map(|c| c.to_string());
    let mut out = match code {
        Some(c) => format!("error[{c}]: {d}\n"),
        None => format!("error: {d}\n"),
    };
    if let Some(label) = d.labels().and_then(|mut l| l.next()) {
        let start = label.offset().min(source.len());
        let before = source.get(..start).unwrap_or("");
        let line_no = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line_end = source
            .get(start..)
            .and_then(|r| r.find('\n'))
            .map_or(source.len(), |i| start + i);
        let line = source.get(line_start..line_end).unwrap_or("");
        let col = before.get(line_start..).map_or(0, |p| p.chars().count());
        let width = source
            .get(start..(start + label.len()).min(line_end))
            .map_or(0, |s| s.chars().count())
            .max(1);
        let gutter = line_no.to_string();
        let pad = " ".repeat(gutter.len());
        let _ = writeln!(out, "{gutter} | {line}");
        let text = label.label().map(|l| format!(" {l}")).unwrap_or_default();
        let _ = writeln!(
            out,
            "{pad} | {}{}{text}",
            " ".repeat(col),
            "^".repeat(width)
        );
    }
    if let Some(h) = d.help() {
        let _ = writeln!(out, "help: {h}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use spl_engine::error::EngineError;
    use spl_parser::Span;

    #[test]
    fn caret_under_span_on_its_line() {
        let q = "| makeresults\n| eval x=nosuch(1)";
        let e = EngineError::UnknownFunction {
            name: "nosuch".into(),
            span: Span::new(23, 29),
            help: None,
        };
        assert_eq!(
            render_plain(&e, q),
            "error[spl::eval::unknown_function]: unknown function `nosuch`\n\
             2 | | eval x=nosuch(1)\n  |          ^^^^^^ unknown function\n"
        );
    }

    #[test]
    fn no_span_no_snippet() {
        let e = EngineError::Internal("boom".into());
        assert_eq!(
            render_plain(&e, "x"),
            "error[spl::internal]: internal error: boom\nhelp: this is a bug in the engine; please report it with the query and data\n"
        );
    }
}
