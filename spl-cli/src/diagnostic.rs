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
        Located::new(Box::new(inner), name, query.to_string(), span, None)
    }

    /// Builds one; a span on a very long line is shown in a window of that
    /// line (the renderer cannot draw columns past 65535, and nobody reads
    /// such a line whole), with a note giving its line and column.
    fn new(
        inner: Box<dyn Diagnostic + Send + Sync + 'static>,
        name: &str,
        text: String,
        span: Option<Span>,
        note: Option<String>,
    ) -> Self {
        let (text, span, clip_note) = match span {
            Some(sp) => {
                clip(&text, sp).map_or((text, Some(sp), None), |(t, sp, n)| (t, Some(sp), Some(n)))
            }
            None => (text, None, None),
        };
        let note = match (note, clip_note) {
            (Some(a), Some(b)) => Some(format!("{a}\n{b}")),
            (a, b) => a.or(b),
        };
        Located {
            inner,
            source: NamedSource::new(name, text),
            span,
            note,
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
            None => Located::new(
                Box::new(inner),
                name,
                expanded.source_map.query().to_string(),
                Some(loc.span_in_origin),
                None,
            ),
            Some((origin, text)) => {
                let query = expanded.source_map.query();
                let note = loc.call_sites.last().map(|c| {
                    let (line, col) = line_col(query, c.span.start as usize);
                    let call = query.get(c.span.range()).unwrap_or("");
                    format!("inside the expansion of {call} at {name}:{line}:{col}")
                });
                Located::new(
                    Box::new(inner),
                    &origin,
                    text,
                    Some(loc.span_in_origin),
                    note,
                )
            }
        }
    }
}

/// Lines longer than this are shown in a window around the span.
const LONG_LINE: usize = 1000;
/// Bytes of context shown on each side of the span in such a window.
const CONTEXT: usize = 80;

/// For a span on a line longer than [`LONG_LINE`] bytes: the window of that
/// line around the span (`…` where text was cut), the span inside it (at
/// most [`CONTEXT`] bytes long) and a note with the span's line and column.
fn clip(text: &str, span: Span) -> Option<(String, Span, String)> {
    let start = (span.start as usize).min(text.len());
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text
        .get(start..)?
        .find('\n')
        .map_or(text.len(), |i| start + i);
    if line_end - line_start <= LONG_LINE {
        return None;
    }
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let end = floor(
        (span.end as usize)
            .clamp(start, line_end)
            .min(start + CONTEXT),
    );
    let from = floor(start.saturating_sub(CONTEXT).max(line_start));
    let to = floor((end + CONTEXT).min(line_end));
    let head = if from > line_start { "…" } else { "" };
    let tail = if to < line_end { "…" } else { "" };
    let window = format!("{head}{}{tail}", text.get(from..to)?);
    let s = head.len() + (start - from);
    let clipped = Span::new(s, s + (end - start));
    let (line, col) = line_col(text, start);
    let note = format!("the line is long: shown around line {line}, column {col}");
    Some((window, clipped, note))
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

/// Prints macro expansion's findings on stderr: warnings always, notes (an
/// undefined `*_filter` macro, [`spl_parser::macros::MacroWarning::is_note`])
/// only when `verbose`.
pub(crate) fn print_macro_findings(found: &[spl_parser::macros::MacroWarning], verbose: bool) {
    for w in found {
        if !w.is_note() {
            eprintln!("warning[{}]: {}", w.code, w.message);
        } else if verbose {
            eprintln!("note[{}]: {}", w.code, w.message);
        }
    }
}
