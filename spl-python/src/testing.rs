//! `spl.test(path, ...)`: runs `.spltest` files and detection YAMLs as
//! `spl test` does ([`spl_testing::suite::run_paths`]) and returns the counts
//! and the failures.

use crate::engine::paths;
use crate::errors::plain_error;
use pyo3::prelude::*;
use spl_testing::detection::DetectionOptions;
use spl_testing::runner::RunOptions;
use spl_testing::suite::run_paths;
use std::path::PathBuf;

/// One failed case (or a file that could not be run).

#[pyclass(frozen, module = "spl", get_all, skip_from_py_object)]
#[derive(Clone)]
pub(crate) struct TestFailure {
    /// `file:line` of the case.
    location: String,
    /// What went wrong: the diff of expected and actual rows, or the error.
    message: String,
}

#[pymethods]
impl TestFailure {
    fn __repr__(&self) -> String {
        format!("TestFailure({:?})", self.location)
    }
}

/// What `spl.test` found: counts, failures, and the text `spl test` prints.

#[pyclass(frozen, module = "spl", get_all)]
pub(crate) struct TestReport {
    /// Cases that passed.
    passed: usize,
    /// Cases that failed, plus files that could not be run.
    failed: usize,
    /// Cases that were skipped.
    skipped: usize,
    /// Each failure, in file order.
    failures: Vec<TestFailure>,
    /// The files run, in order.
    files: Vec<PathBuf>,
    /// `N passed, M failed` (plus `, K skipped`), as `spl test` ends.
    summary: String,
    /// The failures with their diffs, the skips and blessed records, as
    /// `spl test` prints them.
    details: String,
}

#[pymethods]
impl TestReport {
    /// True when nothing failed.
    #[getter]
    fn ok(&self) -> bool {
        self.failed == 0
    }

    fn __bool__(&self) -> bool {
        self.ok()
    }

    fn __repr__(&self) -> String {
        format!("TestReport({})", self.summary)
    }
}

/// Runs the `.spltest` files and detection YAMLs at `path` (a file, a
/// directory searched recursively, or a list of them) as `spl test` does.
/// The keyword options are `spl test`'s: `macros`, `lookups`, `apps`
/// (paths or lists of paths), `default_apps`, `geoip` and `now` for
/// detection tests; `bless` rewrites the expected blocks from the actual
/// output.
#[pyfunction]
#[pyo3(signature = (path, *, macros=None, lookups=None, apps=None, default_apps=true,
    geoip=None, now=None, bless=false))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn test(
    py: Python<'_>,
    path: &Bound<'_, PyAny>,
    macros: Option<&Bound<'_, PyAny>>,
    lookups: Option<&Bound<'_, PyAny>>,
    apps: Option<&Bound<'_, PyAny>>,
    default_apps: bool,
    geoip: Option<PathBuf>,
    now: Option<&Bound<'_, PyAny>>,
    bless: bool,
) -> PyResult<TestReport> {
    let now = match now {
        None => None,
        Some(t) => Some(match t.extract::<String>() {
            Ok(text) => spl_engine::time::parse_now(&text).map_err(plain_error)?,
            Err(_) => t.extract::<f64>()?,
        }),
    };
    let opts = RunOptions {
        bless,
        detection: DetectionOptions {
            macros: paths(macros)?,
            lookups: paths(lookups)?,
            apps: paths(apps)?,
            no_default_apps: !default_apps,
            geoip,
            now,
        },
    };
    let paths = paths(Some(path))?;
    let report = py.detach(|| run_paths(&paths, &opts));
    let mut failures = Vec::new();
    for (file, r) in &report.files {
        match r {
            Err(e) => failures.push(TestFailure {
                location: format!("{}:{}", file.display(), e.line),
                message: e.message.clone(),
            }),
            Ok(rep) => {
                failures.extend(rep.cases.iter().filter(|c| !c.passed).map(|c| TestFailure {
                    location: c.location.clone(),
                    message: c.message.clone(),
                }))
            }
        }
    }
    Ok(TestReport {
        passed: report.passed(),
        failed: report.failed(),
        skipped: report.skipped(),
        failures,
        files: report.files.iter().map(|(f, _)| f.clone()).collect(),
        summary: report.summary(),
        details: report.details(),
    })
}
