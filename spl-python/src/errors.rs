//! Engine errors as Python exceptions: `spl.SplError` and its subclasses
//! `spl.ParseError` (the query did not parse or a macro did not expand),
//! `spl.RunError` (planning or running failed: unsupported command or
//! option, bad argument, missing lookup, limit, time modifier) and
//! `spl.DataError` (unreadable or malformed input data). Each carries
//! `code` (`spl::parse::unknown_command`, ...), `message`, `span` (byte
//! offsets `(start, end)` into the query as written, or `None`) and `help`.

use miette::Diagnostic;
use pyo3::prelude::*;
use spl_engine::session::Engine;
use spl_engine::EngineError;

mod types {
    use pyo3::exceptions::PyException;
    pyo3::create_exception!(
        spl,
        SplError,
        PyException,
        "An error of the SPL engine: `code`, `message`, `span` ((start, end) byte offsets into the query, or None), `help`."
    );
    pyo3::create_exception!(
        spl,
        ParseError,
        SplError,
        "The query did not parse, or a macro in it did not expand (`spl::parse::*`, `spl::macro::*`)."
    );
    pyo3::create_exception!(
        spl,
        RunError,
        SplError,
        "The search could not be planned or run (`spl::run::*`, `spl::eval::*`, `spl::time::*`, `spl::internal*`)."
    );
    pyo3::create_exception!(
        spl,
        DataError,
        SplError,
        "Input data could not be read: the message names the file, line and field (`spl::data::*`)."
    );
}
pub(crate) use types::{DataError, ParseError, RunError, SplError};

/// Adds the exception classes to the module.
pub(crate) fn register(py: Python<'_>, m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("SplError", py.get_type::<SplError>())?;
    m.add("ParseError", py.get_type::<ParseError>())?;
    m.add("RunError", py.get_type::<RunError>())?;
    m.add("DataError", py.get_type::<DataError>())?;
    Ok(())
}

/// The byte range of a diagnostic's first label, in the text it was raised
/// against.
fn primary_span(d: &dyn Diagnostic) -> Option<(usize, usize)> {
    let label = d.labels()?.next()?;
    Some((label.offset(), label.offset() + label.len()))
}

/// An engine error raised while running `query` on `engine`: its span,
/// which points into the macro-expanded text, is re-pointed at what the
/// user wrote (the call of the macro when it lies inside one), as the CLI's
/// caret is.
pub(crate) fn query_error(e: EngineError, engine: &Engine, query: &str) -> PyErr {
    let span = primary_span(&e).map(|(start, end)| match engine.expand(query) {
        // expansion succeeded, so the error came after it: spans are in the
        // expanded text
        Ok(x) => {
            let s = x.locate(spl_parser::Span::new(start, end)).query_span();
            (s.start as usize, s.end as usize)
        }
        // expansion failed: its errors point into the query itself
        Err(_) => (start, end),
    });
    to_py(&e, span)
}

/// An engine error not tied to a query (adding data, loading apps or
/// macros): no span.
pub(crate) fn plain_error(e: EngineError) -> PyErr {
    to_py(&e, None)
}

fn to_py(e: &EngineError, span: Option<(usize, usize)>) -> PyErr {
    let code = e
        .code()
        .map(|c| c.to_string())
        .unwrap_or_else(|| "spl::internal".into());
    let message = e.to_string();
    let help = e.help().map(|h| h.to_string());
    let err = match e {
        EngineError::Parse(_) => ParseError::new_err(message.clone()),
        e if e.is_data_error() => DataError::new_err(message.clone()),
        _ => RunError::new_err(message.clone()),
    };
    Python::attach(|py| {
        let value = err.value(py);
        // setting attributes on a fresh exception instance cannot fail short
        // of memory exhaustion; if it does, that error is what Python sees
        let set = value
            .setattr("code", code)
            .and_then(|()| value.setattr("message", message))
            .and_then(|()| value.setattr("span", span))
            .and_then(|()| value.setattr("help", help));
        match set {
            Ok(()) => err,
            Err(other) => other,
        }
    })
}

/// A Python `ValueError` for an argument the binding cannot use.
pub(crate) fn value_error(msg: impl Into<String>) -> PyErr {
    pyo3::exceptions::PyValueError::new_err(msg.into())
}
