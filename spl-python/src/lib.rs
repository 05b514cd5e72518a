//! The Python module `spl`: the engine's embedding API for Python.
//!
//! ```python
//! import spl
//! engine = spl.Engine(now="2024-05-01T12:00:00Z").add_data("fixtures/ingest/audit.jsonl")
//! table = engine.run("index=main | stats count by verb")   # a pyarrow.Table
//! ```
//!
//! `spl.Engine` wraps [`spl_engine::session::EngineBuilder`] (data, macros,
//! lookups, apps, the clock) and [`spl_engine::session::Engine::run`];
//! results cross into Python through the Arrow C data interface without a
//! copy ([`arrow`]). Errors become `spl.SplError` exceptions carrying the
//! code, message and span ([`errors`]); `spl.test` runs `.spltest` files and
//! detection YAMLs as `spl test` does ([`testing`]). `docs/python.md` is the
//! user's guide; `spl.pyi` the type stubs.

mod arrow;
mod engine;
mod errors;
mod testing;

use pyo3::prelude::*;

/// The module `spl`.

#[pymodule]
fn spl(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<engine::PyEngine>()?;
    m.add_class::<testing::TestReport>()?;
    m.add_class::<testing::TestFailure>()?;
    m.add_function(wrap_pyfunction!(testing::test, m)?)?;
    errors::register(py, m)?;
    Ok(())
}
