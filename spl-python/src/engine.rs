//! `spl.Engine`: an [`EngineBuilder`] that data, macros and apps are added
//! to, and the [`Engine`] built from it to run searches (rebuilt, from a
//! clone of the builder, after anything is added).

use crate::arrow::{batches_from_python, table_to_python};
use crate::errors::{plain_error, query_error, value_error};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use spl_engine::session::{Engine, EngineBuilder};
use spl_engine::source::{DataSpec, SourceMeta};
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

/// What a `spl.Engine` holds: the builder, the engine built from it (until
/// something is added), and the last search's warnings.
struct State {
    now: f64,
    builder: EngineBuilder,
    built: Option<Engine>,
    warnings: Vec<(String, String)>,
}

/// A configured SPL engine: data, macros, lookups, apps, and the clock.
///
/// `Engine(now=None, earliest=None, latest=None, tz=None, macros=None,
/// lookups=None, apps=None, default_apps=True, geoip=None, threads=None,
/// limits=None)`; `add_data`, `add_table` and `load_macros` return the
/// engine, so calls chain; `run(query)` returns a `pyarrow.Table`.

#[pyclass(frozen, module = "spl", name = "Engine")]
pub(crate) struct PyEngine {
    state: Mutex<State>,
}

/// Epoch seconds from `now=`: a number, RFC 3339 / epoch text (as `--now`),
/// or anything with a `timestamp()` method (`datetime`, `pandas.Timestamp`).
fn clock(now: Option<&Bound<'_, PyAny>>) -> PyResult<f64> {
    let Some(now) = now else {
        return Ok(wall_clock());
    };
    if let Ok(t) = now.extract::<f64>() {
        return Ok(t);
    }
    if let Ok(t) = now.extract::<String>() {
        return spl_engine::time::parse_now(&t).map_err(plain_error);
    }
    if now.hasattr("timestamp")? {
        return now.call_method0("timestamp")?.extract::<f64>();
    }
    Err(value_error(format!(
        "now: expected epoch seconds, RFC 3339 text or a datetime, found {}",
        now.get_type().name()?
    )))
}

/// The current time, for `now=None` (the engine itself never reads the
/// clock; like the CLI's `--now` default).
fn wall_clock() -> f64 {
    #[allow(clippy::disallowed_methods)]
    let now = std::time::SystemTime::now();
    now.duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// A time-picker bound: a modifier (`-24h`, `@d`) or epoch seconds.
fn time_bound(v: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<String>> {
    let Some(v) = v else { return Ok(None) };
    if let Ok(s) = v.extract::<String>() {
        return Ok(Some(s));
    }
    if let Ok(t) = v.extract::<f64>() {
        return Ok(Some(t.to_string()));
    }
    Err(value_error(format!(
        "{name}: expected a time modifier or epoch seconds, found {}",
        v.get_type().name()?
    )))
}

/// A path, or a list of paths (`str` or `os.PathLike`).
pub(crate) fn paths(v: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<PathBuf>> {
    let Some(v) = v else { return Ok(Vec::new()) };
    if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
        return v.try_iter()?.map(|p| p?.extract::<PathBuf>()).collect();
    }
    Ok(vec![v.extract::<PathBuf>()?])
}

/// The text of a keyword option's value (`strict=True` is `true`).
fn option_text(v: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(b) = v.extract::<bool>() {
        return Ok(b.to_string());
    }
    if let Ok(s) = v.extract::<String>() {
        return Ok(s);
    }
    Ok(v.str()?.to_string())
}

impl PyEngine {
    fn lock(&self) -> PyResult<MutexGuard<'_, State>> {
        self.state
            .lock()
            .map_err(|_| value_error("the engine was poisoned by a panic in another thread"))
    }

    /// Applies a fallible builder step to a clone of the builder, so a
    /// failed step leaves the engine as it was.
    fn update(
        &self,
        step: impl FnOnce(EngineBuilder) -> Result<EngineBuilder, PyErr>,
    ) -> PyResult<()> {
        let mut st = self.lock()?;
        st.builder = step(st.builder.clone())?;
        st.built = None;
        Ok(())
    }
}

#[pymethods]
impl PyEngine {
    #[new]
    #[pyo3(signature = (now=None, earliest=None, latest=None, tz=None, macros=None,
        lookups=None, apps=None, default_apps=true, geoip=None, threads=None, limits=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        now: Option<&Bound<'_, PyAny>>,
        earliest: Option<&Bound<'_, PyAny>>,
        latest: Option<&Bound<'_, PyAny>>,
        tz: Option<&str>,
        macros: Option<&Bound<'_, PyAny>>,
        lookups: Option<&Bound<'_, PyAny>>,
        apps: Option<&Bound<'_, PyAny>>,
        default_apps: bool,
        geoip: Option<PathBuf>,
        threads: Option<usize>,
        limits: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let now = clock(now)?;
        let mut b = Engine::builder(now);
        if let Some(tz) = tz {
            let zone = jiff::tz::TimeZone::get(tz)
                .map_err(|e| value_error(format!("tz: unknown time zone `{tz}`: {e}")))?;
            b = b.time_zone(zone);
        }
        if let Some(n) = threads {
            b = b.threads(n);
        }
        if let Some(limits) = limits {
            for (k, v) in limits.iter() {
                let name = k.extract::<String>()?;
                let value = v.extract::<u64>()?;
                b = b
                    .limit(&name, value)
                    .map_err(|e| value_error(format!("limits: {e}")))?;
            }
        }
        for p in paths(macros)? {
            b = b.load_macros(&p).map_err(plain_error)?;
        }
        let lookups = paths(lookups)?;
        if !lookups.is_empty() {
            b = b.lookup_dirs(lookups);
        }
        if !default_apps {
            b = b.no_default_apps().map_err(plain_error)?;
        }
        let apps = paths(apps)?;
        if !apps.is_empty() {
            b = b.apps(&apps).map_err(plain_error)?;
        }
        if let Some(g) = geoip {
            b = b.geoip(&g).map_err(plain_error)?;
        }
        let (earliest, latest) = (
            time_bound(earliest, "earliest")?,
            time_bound(latest, "latest")?,
        );
        b = b
            .time_range(earliest.as_deref(), latest.as_deref())
            .map_err(plain_error)?;
        Ok(PyEngine {
            state: Mutex::new(State {
                now,
                builder: b,
                built: None,
                warnings: Vec::new(),
            }),
        })
    }

    /// Adds data files as `spl run --data` does: `path_or_spec` is a path
    /// (a file, a directory, a `.gz` file) or a spec
    /// `"path=f.jsonl,sourcetype=x,index=y"`; keyword options (`index`,
    /// `source`, `sourcetype`, `host`, `format`, `kind`, `time_field`,
    /// `strict`, `rollup`, `datamodel`) set the same keys, over the spec's.
    /// Returns the engine.
    #[pyo3(signature = (path_or_spec, **options))]
    fn add_data<'py>(
        slf: &Bound<'py, Self>,
        path_or_spec: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, Self>> {
        let mut spec: DataSpec = match path_or_spec.extract::<String>() {
            Ok(text) => text.parse().map_err(plain_error)?,
            // an os.PathLike is a path, never a spec
            Err(_) => DataSpec::new(path_or_spec.extract::<PathBuf>()?),
        };
        if let Some(options) = options {
            for (k, v) in options.iter() {
                let key = k.extract::<String>()?;
                spec.set(&key, &option_text(&v)?).map_err(plain_error)?;
            }
        }
        slf.get()
            .update(|b| b.add_data(&spec).map_err(plain_error))?;
        Ok(slf.clone())
    }

    /// Adds events from memory: a `pyarrow.Table`, `RecordBatch`,
    /// `RecordBatchReader`, anything with `__arrow_c_stream__` /
    /// `__arrow_c_array__` (polars, pandas), or a list of them. Columns are
    /// flattened as the file readers flatten them: a struct column
    /// `src_endpoint` gives `src_endpoint.ip`, a list column a multivalue
    /// field. `_time` comes from `time_field` (default the `_time` column):
    /// epoch seconds, a timestamp, or time text. Returns the engine.
    #[pyo3(signature = (table, index="main", source="python", sourcetype="arrow", host=None, time_field=None))]
    fn add_table<'py>(
        slf: &Bound<'py, Self>,
        table: &Bound<'py, PyAny>,
        index: &str,
        source: &str,
        sourcetype: &str,
        host: Option<String>,
        time_field: Option<&str>,
    ) -> PyResult<Bound<'py, Self>> {
        let batches = batches_from_python(table)?;
        let mut meta = SourceMeta::new(index, source, sourcetype);
        meta.host = host;
        slf.get().update(|b| {
            b.try_add_events(meta, batches, time_field)
                .map_err(plain_error)
        })?;
        Ok(slf.clone())
    }

    /// Loads macro definitions (macros.conf, corpus JSON lines,
    /// security_content YAML, or a directory of them). Returns the engine.
    fn load_macros<'py>(slf: &Bound<'py, Self>, path: PathBuf) -> PyResult<Bound<'py, Self>> {
        slf.get()
            .update(|b| b.load_macros(&path).map_err(plain_error))?;
        Ok(slf.clone())
    }

    /// Runs a search and returns its rows as a `pyarrow.Table` over the
    /// union of the result's fields (a field absent on a row is null).
    /// `_time` is epoch seconds (float64), multivalue fields are lists of
    /// strings. Raises `spl.ParseError`, `spl.RunError` or `spl.DataError`;
    /// the search's warnings are in `last_warnings` afterwards.
    fn run<'py>(&self, py: Python<'py>, query: &str) -> PyResult<Bound<'py, PyAny>> {
        let engine = {
            let mut st = self.lock()?;
            let built = st.built.take();
            let engine = built.unwrap_or_else(|| st.builder.clone().build());
            st.built = Some(engine.clone());
            engine
        };
        // searches run without holding the GIL: other Python threads go on
        let result = py.detach(|| engine.run(query));
        let result = result.map_err(|e| query_error(e, &engine, query))?;
        self.lock()?.warnings = result
            .warnings
            .iter()
            .map(|w| (w.code.to_string(), w.message.clone()))
            .collect();
        table_to_python(py, &result)
    }

    /// The last search's warnings as `(code, message)` pairs (empty before
    /// the first search).
    #[getter]
    fn last_warnings(&self) -> PyResult<Vec<(String, String)>> {
        Ok(self.lock()?.warnings.clone())
    }

    /// The engine's clock, epoch seconds.
    #[getter]
    fn now(&self) -> PyResult<f64> {
        Ok(self.lock()?.now)
    }

    fn __repr__(&self) -> PyResult<String> {
        Ok(format!("spl.Engine(now={})", self.now()?))
    }
}
