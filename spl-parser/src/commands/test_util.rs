//! Helpers for the inline snapshot tests of the command parsers.

use crate::ast::Command;

/// Parses `q` and returns the YAML of the last stage's command.
pub(crate) fn cmd(q: &str) -> String {
    let query = match crate::parse(q) {
        Ok(query) => query,
        Err(e) => panic!("{q:?} failed: {}", render(q, &e)),
    };
    roundtrip(q);
    let last: Option<&Command> = query.pipeline.stages.last().map(|s| &s.command);
    serde_norway::to_string(&last).unwrap_or_default()
}

/// Parses `q` and returns the YAML of the whole query.
pub(crate) fn query(q: &str) -> String {
    let query = match crate::parse(q) {
        Ok(query) => query,
        Err(e) => panic!("{q:?} failed: {}", render(q, &e)),
    };
    roundtrip(q);
    serde_norway::to_string(&query).unwrap_or_default()
}

/// Parses `q`, which must fail, and renders the diagnostic without colour.
pub(crate) fn err(q: &str) -> String {
    match crate::parse(q) {
        Ok(query) => panic!("{q:?} parsed: {query:?}"),
        Err(e) => render(q, &e),
    }
}

/// Asserts `parse(print(parse(q))) == parse(q)` ignoring spans.
pub(crate) fn roundtrip(q: &str) {
    let Ok(a) = crate::parse(q) else { return };
    let printed = a.to_string();
    let b = match crate::parse(&printed) {
        Ok(b) => b,
        Err(e) => panic!("reparse of {printed:?} failed: {}", render(&printed, &e)),
    };
    assert!(
        crate::normalize::same_ast(&a, &b),
        "round trip changed the AST\n  in:  {q}\n  out: {printed}"
    );
}

/// Renders an error like the CLI does (no colour, 80 columns).
pub(crate) fn render(src: &str, e: &crate::ParseError) -> String {
    let report = miette::Report::new(e.clone()).with_source_code(src.to_string());
    let mut out = String::new();
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(80);
    let _ = handler.render_report(&mut out, report.as_ref());
    out
}
