//! Rendering parser and macro errors for the terminal: the source line, a
//! caret, the code and the help. Errors inside a macro body are shown against
//! that body and name the call site in the user's query.

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
use spl_parser::macros::{Expanded, Origin};
use spl_parser::Span;
use std::fmt;
use std::io::IsTerminal;

/// An error (parse, macro or engine) re-pointed at the text a user can fix.
#[derive(Debug)]
pub(crate) struct Located {
    inner: Box<dyn Diagnostic + Send + Sync + 'static>,
    source: NamedSource<String>,
    span: Option<Span>,
    note: Option<String>,
    warning: bool,
}

impl Located {
    /// The same diagnostic, rendered as a warning (the search is valid but
    /// will not run as it is).
    pub(crate) fn into_warning(mut self) -> Self {
        self.warning = true;
        self
    }

    /// An error whose spans point into `query` (macro errors, or parse errors
    /// of a query without macros).
    pub(crate) fn in_query(
        inner: impl Diagnostic + Send + Sync + 'static,
        name: &str,
        query: &str,
    ) -> Self {
        let span = primary_span(&inner);
        Located {
            inner: Box::new(inner),
            source: NamedSource::new(name, query.to_string()),
            span,
            note: None,
            warning: false,
        }
    }

    /// A parse error of expanded text: maps its span back through the source
    /// map to the query or to a macro body.
    pub(crate) fn in_expansion(
        inner: impl Diagnostic + Send + Sync + 'static,
        name: &str,
        expanded: &Expanded,
    ) -> Self {
        let Some(span) = primary_span(&inner) else {
            return Located::in_query(inner, name, expanded.source_map.query());
        };
        let loc = expanded.locate(span);
        let body = match &loc.origin {
            Origin::Query => None,
            Origin::Macro {
                name: macro_name,
                arity,
                defined_in,
            } => expanded.source_map.source_text(loc.source).map(|t| {
                let what = if *arity == 0 {
                    format!("macro `{macro_name}` ({defined_in})")
                } else {
                    format!("macro `{macro_name}({arity})` ({defined_in})")
                };
                (what, t.to_string())
            }),
        };
        match body {
            None => Located {
                inner: Box::new(inner),
                source: NamedSource::new(name, expanded.source_map.query().to_string()),
                span: Some(loc.span_in_origin),
                note: None,
                warning: false,
            },
            Some((origin, text)) => {
                let query = expanded.source_map.query();
                let note = loc.call_sites.last().map(|c| {
                    let (line, col) = line_col(query, c.span.start as usize);
                    let call = query.get(c.span.range()).unwrap_or("");
                    format!("inside the expansion of {call} at {name}:{line}:{col}")
                });
                Located {
                    inner: Box::new(inner),
                    source: NamedSource::new(origin, text),
                    span: Some(loc.span_in_origin),
                    note,
                    warning: false,
                }
            }
        }
    }
}

/// The span of a diagnostic's first label.
fn primary_span(d: &dyn Diagnostic) -> Option<Span> {
    let label = d.labels()?.next()?;
    Some(Span::new(label.offset(), label.offset() + label.len()))
}

fn line_col(text: &str, off: usize) -> (usize, usize) {
    let before = text.get(..off).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl std::error::Error for Located {}

impl Diagnostic for Located {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.inner.code()
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.warning.then_some(miette::Severity::Warning)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let help = self.inner.help().map(|h| h.to_string());
        match (help, &self.note) {
            (Some(h), Some(n)) => Some(Box::new(format!("{h}\n{n}"))),
            (Some(h), None) => Some(Box::new(h)),
            (None, Some(n)) => Some(Box::new(n.clone())),
            (None, None) => None,
        }
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span?;
        let text = self
            .inner
            .labels()
            .and_then(|mut l| l.next())
            .and_then(|l| l.label().map(str::to_string));
        Some(Box::new(std::iter::once(LabeledSpan::new(
            text,
            span.start as usize,
            span.len(),
        ))))
    }
}

/// Renders a diagnostic as text (colour only on a terminal without `NO_COLOR`).
pub(crate) fn render(d: &dyn Diagnostic) -> String {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let theme = if colour {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut out = String::new();
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    if handler.render_report(&mut out, d).is_err() {
        out = format!("error: {d}\n");
    }
    out
}
