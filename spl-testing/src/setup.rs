//! The environment a `.spltest` file builds for its queries: inline tables,
//! data files, lookups (inline CSVs live in a per-file temporary directory,
//! which is also where `outputlookup` writes), macros, a GeoIP database and the
//! clock. The engine is rebuilt whenever a setup record follows a query, so
//! every query sees exactly the records above it.

use super::format::CellText;
use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, Float64Array, RecordBatch};
use arrow_schema::{DataType, Field};
use spl_engine::session::{Engine, EngineBuilder};
use spl_engine::source::{DataKind, DataSpec, Dataset, MemoryScan, SourceMeta};
use spl_parser::macros::{MacroDef, MacroSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A directory under the system temp dir, removed on drop (also when a case
/// panics: the runner catches the panic and the setup is dropped as usual).
/// Its name is random and it is created exclusively, so no other user can
/// predict it or plant it first.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new() -> std::io::Result<TempDir> {
        spl_engine::atomic_file::create_unique_dir(&std::env::temp_dir(), "spltest").map(TempDir)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Everything the setup records have declared so far.
pub(crate) struct Setup {
    now: f64,
    earliest: Option<String>,
    latest: Option<String>,
    datasets: Vec<Dataset>,
    /// For each dataset, the `data` spec it was opened from (an index in
    /// `specs`): a raw text file is opened again once apps are known, so
    /// their index-time settings apply whatever the records' order.
    origins: Vec<Option<usize>>,
    specs: Vec<DataSpec>,
    macros: MacroSet,
    lookup_dirs: Vec<PathBuf>,
    /// `apps PATH` folders.
    apps: Vec<PathBuf>,
    /// Whether the engine's built-in default app applies.
    default_apps: bool,
    geoip: Option<PathBuf>,
    temp: TempDir,
    engine: Option<Engine>,
}

/// Resolves a path written in a test file against that file's directory.
pub(crate) fn relative_to(dir: &Path, p: &str) -> PathBuf {
    let path = Path::new(p);
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        dir.join(path)
    }
}

impl Setup {
    pub(crate) fn new(now: f64) -> std::io::Result<Setup> {
        Ok(Setup {
            now,
            earliest: None,
            latest: None,
            datasets: Vec::new(),
            origins: Vec::new(),
            specs: Vec::new(),
            macros: MacroSet::new(),
            lookup_dirs: Vec::new(),
            apps: Vec::new(),
            default_apps: true,
            geoip: None,
            temp: TempDir::new()?,
            engine: None,
        })
    }

    /// Sets the picker's earliest side; an empty value clears it.
    pub(crate) fn set_earliest(&mut self, t: &str) {
        self.earliest = (!t.is_empty()).then(|| t.to_string());
        self.engine = None;
    }

    /// Sets the picker's latest side; an empty value clears it.
    pub(crate) fn set_latest(&mut self, t: &str) {
        self.latest = (!t.is_empty()).then(|| t.to_string());
        self.engine = None;
    }

    /// `events`/`metrics NAME k=v...` with an inline table.
    pub(crate) fn add_table(
        &mut self,
        metrics: bool,
        name: &str,
        options: &[(String, String)],
        header: &[String],
        rows: &[Vec<CellText>],
    ) -> Result<(), String> {
        let b = table_batch(header, rows, metrics, self.now)?;
        let mut meta = SourceMeta::new("main", name, if metrics { "metrics" } else { "spltest" });
        for (k, v) in options {
            match k.as_str() {
                "index" => meta.index = v.clone(),
                "source" => meta.source = v.clone(),
                "sourcetype" => meta.sourcetype = v.clone(),
                "host" => meta.host = Some(v.clone()),
                other => {
                    return Err(format!(
                        "expected one of index, source, sourcetype, host, found `{other}`"
                    ))
                }
            }
        }
        self.origins.push(None);
        self.datasets.push(Dataset {
            meta,
            kind: if metrics {
                DataKind::Metrics
            } else {
                DataKind::Events
            },
            scan: Arc::new(MemoryScan(vec![b])),
            datamodel: None,
        });
        self.engine = None;
        Ok(())
    }

    /// `data SPEC`: the path is relative to `dir`; `source` defaults to the
    /// path as written (so results do not depend on where the checkout is).
    pub(crate) fn add_data(&mut self, dir: &Path, spec: &str) -> Result<(), String> {
        let mut spec: DataSpec = spec
            .parse()
            .map_err(|e: spl_engine::EngineError| e.to_string())?;
        if spec.source.is_none() {
            spec.source = Some(spec.path.display().to_string());
        }
        spec.path = relative_to(dir, &spec.path.display().to_string());
        spec.now = spec.now.or(Some(self.now));
        let n = self.specs.len();
        for ds in spl_engine::source::open_datasets(&spec).map_err(|e| e.to_string())? {
            self.add_dataset(ds);
            if let Some(o) = self.origins.last_mut() {
                *o = Some(n);
            }
        }
        self.specs.push(spec);
        Ok(())
    }

    /// Registers an already opened dataset.
    pub(crate) fn add_dataset(&mut self, ds: Dataset) {
        self.origins.push(None);
        self.datasets.push(ds);
        self.engine = None;
    }

    /// `lookup NAME` with inline CSV text, or a CSV file to copy.
    pub(crate) fn add_lookup(
        &mut self,
        dir: &Path,
        name: &str,
        csv: Option<&str>,
        include: Option<&str>,
    ) -> Result<(), String> {
        if name.is_empty() || name.contains(['/', '\\']) || name == "." || name == ".." {
            return Err(format!("expected a lookup name, found `{name}`"));
        }
        let text = match (csv, include) {
            (_, Some(p)) => {
                let path = relative_to(dir, p);
                crate::read::read_text(&path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?
            }
            (Some(t), None) if !t.trim().is_empty() => t.to_string(),
            _ => return Err("expected CSV lines or include=PATH after `lookup NAME`".into()),
        };
        let file = if name.ends_with(".csv") {
            name.to_string()
        } else {
            format!("{name}.csv")
        };
        let path = self.temp.path().join(file);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        self.engine = None;
        Ok(())
    }

    /// `lookups DIR`: a directory of lookup definitions and files.
    pub(crate) fn add_lookup_dir(&mut self, dir: &Path, p: &str) -> Result<(), String> {
        let path = relative_to(dir, p);
        if !path.is_dir() {
            return Err(format!("expected a directory, found `{}`", path.display()));
        }
        self.lookup_dirs.push(path);
        self.engine = None;
        Ok(())
    }

    /// Leaves out the engine's built-in default app.
    pub(crate) fn no_default_apps(&mut self) {
        self.default_apps = false;
    }

    /// `apps PATH`: a Splunk app folder or a folder of apps.
    pub(crate) fn add_apps(&mut self, dir: &Path, p: &str) -> Result<(), String> {
        self.add_apps_path(relative_to(dir, p))
    }

    /// An apps folder given as a path (`spl test --apps`).
    pub(crate) fn add_apps_path(&mut self, path: PathBuf) -> Result<(), String> {
        if !path.is_dir() {
            return Err(format!("expected a directory, found `{}`", path.display()));
        }
        self.apps.push(path);
        self.engine = None;
        Ok(())
    }

    /// `macro NAME(a, b) = body`.
    pub(crate) fn add_macro(&mut self, signature: &str, body: &str) -> Result<(), String> {
        let (name, args) = match signature.split_once('(') {
            None => (signature.trim(), Vec::new()),
            Some((n, rest)) => {
                let inner = rest
                    .trim_end()
                    .strip_suffix(')')
                    .ok_or_else(|| format!("expected `)` to close `{signature}`"))?;
                let args: Vec<&str> = inner
                    .split(',')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .collect();
                (n.trim(), args)
            }
        };
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(format!("expected a macro name, found `{signature}`"));
        }
        let mut def = MacroDef::new(name, &args, body);
        def.origin = "spltest".into();
        self.macros.insert(def);
        self.engine = None;
        Ok(())
    }

    /// `macros PATH`: a macro file or directory.
    pub(crate) fn add_macro_file(&mut self, path: &Path) -> Result<(), String> {
        self.macros.load_path(path).map_err(|e| e.to_string())?;
        self.engine = None;
        Ok(())
    }

    /// `geoip PATH`.
    pub(crate) fn set_geoip(&mut self, path: PathBuf) {
        self.geoip = Some(path);
        self.engine = None;
    }

    /// Sets the clock (for detection tests, whose clock may come from the data).
    pub(crate) fn set_now(&mut self, now: f64) {
        self.now = now;
        self.engine = None;
    }

    /// Puts lookup directories first (after the private one): the detection
    /// runner's `--lookups` win over its setup files'.
    pub(crate) fn prepend_lookup_dirs(&mut self, dirs: &[PathBuf]) {
        self.lookup_dirs.splice(0..0, dirs.iter().cloned());
        self.engine = None;
    }

    /// The private directory (inline lookups, `outputlookup`).
    #[cfg(test)]
    pub(crate) fn temp_path(&self) -> &Path {
        self.temp.path()
    }

    /// Drops the engine built so far (after a panic left it in doubt).
    pub(crate) fn forget_engine(&mut self) {
        self.engine = None;
    }

    /// The engine for the records so far (built once per change).
    pub(crate) fn engine(&mut self) -> Result<Engine, String> {
        if let Some(e) = &self.engine {
            return Ok(e.clone());
        }
        let mut b: EngineBuilder = Engine::builder(self.now);
        if !self.default_apps {
            b = b.no_default_apps().map_err(|e| e.to_string())?;
        }
        if !self.apps.is_empty() {
            b = b.apps(&self.apps).map_err(|e| e.to_string())?;
        }
        // raw text is opened again with the apps' index-time settings
        let apps = self.default_apps || !self.apps.is_empty();
        let mut reopened = Vec::new();
        for (d, origin) in self.datasets.iter().zip(&self.origins) {
            match origin {
                Some(i) if apps && d.scan.raw_props().is_some() => {
                    if !reopened.contains(i) {
                        reopened.push(*i);
                        if let Some(spec) = self.specs.get(*i) {
                            b = b.add_data(spec).map_err(|e| e.to_string())?;
                        }
                    }
                }
                _ => b = b.add_dataset(d.clone()),
            }
        }
        b = b.macros(&self.macros);
        let mut dirs = vec![self.temp.path().to_path_buf()];
        dirs.extend(self.lookup_dirs.iter().cloned());
        b = b.lookup_dirs(dirs);
        if let Some(g) = &self.geoip {
            b = b.geoip(g).map_err(|e| e.to_string())?;
        }
        let e = b
            .time_range(self.earliest.as_deref(), self.latest.as_deref())
            .map_err(|e| e.to_string())?
            .build();
        self.engine = Some(e.clone());
        Ok(e)
    }
}

/// Builds an inline table as a batch. Header cells are `name` or `name:type`
/// with type `str`, `num`, `time` or `mv`; `_time` (and metrics' `_value`) are
/// numeric; other untyped columns are strings, multivalue when any cell is `[..]`.
pub(crate) fn table_batch(
    header: &[String],
    rows: &[Vec<CellText>],
    metrics: bool,
    now: f64,
) -> Result<RecordBatch, String> {
    let mut fields = Vec::new();
    let mut cols: Vec<ArrayRef> = Vec::new();
    for (ci, h) in header.iter().enumerate() {
        let (name, ty) = match h.rsplit_once(':') {
            Some((n, t)) if matches!(t, "str" | "num" | "time" | "mv") => (n.to_string(), t),
            _ => (h.clone(), ""),
        };
        let numeric = ty == "num"
            || ty == "time"
            || (ty.is_empty() && (name == "_time" || (metrics && name == "_value")));
        let cell = |r: &Vec<CellText>| r.get(ci).cloned().unwrap_or(CellText::Null);
        if numeric {
            let mut vals = Vec::with_capacity(rows.len());
            for r in rows {
                vals.push(match cell(r) {
                    CellText::Null => None,
                    CellText::Single(s) => {
                        Some(parse_time_or_number(&s, now).ok_or_else(|| {
                            format!("expected a number or time in `{name}`, found `{s}`")
                        })?)
                    }
                    CellText::Multi(_) => {
                        return Err(format!(
                            "expected a single value in numeric `{name}`, found a multivalue"
                        ))
                    }
                });
            }
            fields.push(Field::new(&name, DataType::Float64, true));
            cols.push(Arc::new(Float64Array::from(vals)));
        } else if ty == "mv" || rows.iter().any(|r| matches!(cell(r), CellText::Multi(_))) {
            let mut b = ListBuilder::new(StringBuilder::new());
            for r in rows {
                match cell(r) {
                    CellText::Null => b.append(false),
                    CellText::Single(s) => {
                        b.values().append_value(s);
                        b.append(true)
                    }
                    CellText::Multi(v) => {
                        for s in v {
                            b.values().append_value(s);
                        }
                        b.append(true)
                    }
                }
            }
            fields.push(Field::new(
                &name,
                DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
                true,
            ));
            cols.push(Arc::new(b.finish()));
        } else {
            let mut b = StringBuilder::new();
            for r in rows {
                match cell(r) {
                    CellText::Null | CellText::Multi(_) => b.append_null(),
                    CellText::Single(s) => b.append_value(s),
                }
            }
            fields.push(Field::new(&name, DataType::Utf8, true));
            cols.push(Arc::new(b.finish()));
        }
    }
    RecordBatch::try_new_with_options(
        Arc::new(arrow_schema::Schema::new(fields)),
        cols,
        &arrow_array::RecordBatchOptions::new().with_row_count(Some(rows.len())),
    )
    .map_err(|e| e.to_string())
}

fn parse_time_or_number(s: &str, now: f64) -> Option<f64> {
    if let Some(v) = spl_engine::value::parse_number(s) {
        return Some(v);
    }
    if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        return Some(ts.as_microsecond() as f64 / 1e6);
    }
    spl_engine::time::resolve_time_modifier(s, now, &jiff::tz::TimeZone::UTC).ok()
}
