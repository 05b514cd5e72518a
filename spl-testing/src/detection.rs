//! Detection tests: running a security_content detection YAML over the local
//! data files named in its `tests:` section.
//!
//! Each entry of `tests:` is one case. Its `attack_data` entries use the keys
//! of security_content (`data`, `source`, `sourcetype`; we also accept
//! `index`, default `main`); `data` is a path relative to the YAML. A URL
//! cannot be fetched offline, so a test naming one is skipped with that reason.
//!
//! A case passes when the search returns at least one row (the rule of the
//! public test tool) or, when an expected file sits next to the YAML, when the
//! rows are exactly the expected ones. The expected file for test `T` of
//! `det.yml` is `det.<slug of T>.expected`, else `det.expected`; it holds one
//! table in the `.spltest` rendering (or `(no results)`). `bless` rewrites it,
//! creating `det.expected` when neither exists.
//!
//! The environment comes from setup files holding `.spltest` setup records
//! (`now`, `macros PATH`, `lookups DIR`, `geoip PATH`, `lookup`, `macro`,
//! `data`, `events`...; paths relative to the setup file): `spltest.setup` in
//! the YAML's directory, then `<stem>.setup` next to it; and from the options
//! (`spl test --macros --lookups --geoip --now`), which win. Without a clock,
//! `now` is one second past the whole second holding the latest `_time` in
//! the test data.

use super::diagnostic::render_plain;
use super::report::diff;
use super::runner::{ferr, setup_from_files, CaseResult, FileReport, RunOptions, SpltestError};
use super::setup::{relative_to, Setup};
use arrow_array::{Array, Float64Array};
use serde_norway::Value;
use spl_engine::render;
use spl_engine::source::{DataSpec, Dataset, ScanRequest};
use std::path::{Path, PathBuf};

/// Settings for detection tests (`spl test --macros/--lookups/--apps/--geoip/--now`).
#[derive(Debug, Clone, Default)]
pub struct DetectionOptions {
    /// Macro files or directories (loaded after the setup files' macros, so they win).
    pub macros: Vec<PathBuf>,
    /// Lookup directories (searched before the setup files' ones).
    pub lookups: Vec<PathBuf>,
    /// Splunk app folders (applied after the setup files' `apps`, so they win
    /// where folder names tie).
    pub apps: Vec<PathBuf>,
    /// Leave out the engine's built-in default app (`--no-default-apps`).
    pub no_default_apps: bool,
    /// A GeoIP database (overrides the setup files' one).
    pub geoip: Option<PathBuf>,
    /// The clock, epoch seconds (overrides the setup files' `now`).
    pub now: Option<f64>,
}

/// The per-directory setup file applied before each detection test in it.
pub const DIR_SETUP_FILE: &str = "spltest.setup";

/// True when `p` parses as a YAML mapping with `search` and `tests` keys.
pub fn looks_like_detection(p: &Path) -> bool {
    crate::read::read_text(p)
        .ok()
        .and_then(|t| serde_norway::from_str::<Value>(&t).ok())
        .is_some_and(|v| v.get("search").is_some() && v.get("tests").is_some())
}

/// The setup files of a detection: `spltest.setup` in its directory, then
/// `<stem>.setup`, each holding `.spltest` setup records.
fn setup_files(dir: &Path, stem: &str) -> Vec<PathBuf> {
    [dir.join(DIR_SETUP_FILE), dir.join(format!("{stem}.setup"))]
        .into_iter()
        .filter(|p| p.is_file())
        .collect()
}

fn yaml_error(path: &Path, e: &serde_norway::Error) -> SpltestError {
    ferr(
        path,
        e.location().map_or(0, |l| l.line()),
        format!("invalid YAML: {e}"),
    )
}

/// `True Positive Test` -> `true_positive_test`.
fn slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('_') {
            s.push('_');
        }
    }
    s.trim_matches('_').to_string()
}

/// The 1-based line of `name: <test name>`, for locations.
fn line_of_test(text: &str, name: &str) -> usize {
    text.lines()
        .position(|l| {
            let t = l.trim_start().trim_start_matches("- ").trim();
            t.strip_prefix("name:")
                .map(|v| v.trim().trim_matches(['"', '\'']))
                == Some(name)
        })
        .map_or(0, |i| i + 1)
}

/// The latest `_time` over the datasets.
fn latest_time(datasets: &[Dataset]) -> Option<f64> {
    let req = ScanRequest {
        columns: Some(vec!["_time".to_string()]),
        ..Default::default()
    };
    let mut best: Option<f64> = None;
    for d in datasets {
        let Ok(batches) = d.scan.scan(&req) else {
            continue;
        };
        for b in batches.flatten() {
            let Some(col) = b.column_by_name("_time") else {
                continue;
            };
            let Ok(f) = arrow_cast::cast(col, &arrow_schema::DataType::Float64) else {
                continue;
            };
            if let Some(a) = f.as_any().downcast_ref::<Float64Array>() {
                for v in a.iter().flatten() {
                    best = Some(best.map_or(v, |b: f64| b.max(v)));
                }
            }
        }
    }
    best
}

/// Runs every test of a detection YAML.
pub fn run_detection(path: &Path, opts: &RunOptions) -> Result<FileReport, SpltestError> {
    let text =
        crate::read::read_text(path).map_err(|e| ferr(path, 0, format!("cannot read: {e}")))?;
    let doc: Value = serde_norway::from_str(&text).map_err(|e| yaml_error(path, &e))?;
    let search = doc
        .get("search")
        .and_then(Value::as_str)
        .ok_or_else(|| ferr(path, 0, "expected a `search` string in the detection"))?;
    let tests = doc
        .get("tests")
        .and_then(Value::as_sequence)
        .ok_or_else(|| ferr(path, 0, "expected a `tests` list in the detection"))?;
    if tests.is_empty() {
        return Ok(FileReport {
            cases: vec![CaseResult {
                location: path.display().to_string(),
                passed: true,
                skipped: Some("the detection has no tests".into()),
                message: String::new(),
            }],
            blessed: Vec::new(),
        });
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut report = FileReport::default();
    for (k, test) in tests.iter().enumerate() {
        let name = test
            .get("name")
            .and_then(Value::as_str)
            .map_or_else(|| format!("test {}", k + 1), str::to_string);
        let location = format!(
            "{}:{} (test \"{name}\")",
            path.display(),
            line_of_test(&text, &name)
        );
        let expected_path = [
            dir.join(format!("{stem}.{}.expected", slug(&name))),
            dir.join(format!("{stem}.expected")),
        ]
        .into_iter()
        .find(|p| p.is_file());
        let case = Case {
            dir,
            search,
            test,
            setup_files: setup_files(dir, &stem),
            opts,
            expected: expected_path.clone(),
        };
        let outcome = case.run();
        let mut result = CaseResult {
            location: location.clone(),
            passed: false,
            skipped: None,
            message: String::new(),
        };
        match outcome {
            Outcome::Skip(reason) => {
                result.passed = true;
                result.skipped = Some(reason);
            }
            Outcome::Pass => result.passed = true,
            Outcome::Fail(m) => result.message = m,
            Outcome::Mismatch { message, actual } => {
                if opts.bless {
                    // A new file is per test unless the detection has only one.
                    let target = expected_path.unwrap_or_else(|| {
                        if tests.len() == 1 {
                            dir.join(format!("{stem}.expected"))
                        } else {
                            dir.join(format!("{stem}.{}.expected", slug(&name)))
                        }
                    });
                    spl_engine::atomic_file::write_atomic_bytes(&target, actual.as_bytes())
                        .map_err(|e| ferr(&target, 0, format!("cannot write: {e}")))?;
                    report
                        .blessed
                        .push(format!("{location}: {}", target.display()));
                    result.passed = true;
                } else {
                    result.message = message;
                }
            }
        }
        report.cases.push(result);
    }
    Ok(report)
}

enum Outcome {
    Pass,
    Skip(String),
    Fail(String),
    /// Rows differ from (or, under bless, have no) expected file.
    Mismatch {
        message: String,
        actual: String,
    },
}

struct Case<'a> {
    dir: &'a Path,
    search: &'a str,
    test: &'a Value,
    setup_files: Vec<PathBuf>,
    opts: &'a RunOptions,
    expected: Option<PathBuf>,
}

impl Case<'_> {
    fn run(&self) -> Outcome {
        // a panic fails this test only (its setup is rebuilt per test)
        match super::runner::guard(|| self.try_run()) {
            Ok(Ok(o)) => o,
            Ok(Err(m)) | Err(m) => Outcome::Fail(m),
        }
    }

    /// The environment: setup files, then the command-line options, then the data.
    fn setup(&self, datasets: Vec<Dataset>) -> Result<Setup, String> {
        let (mut setup, file_now) =
            setup_from_files(&self.setup_files).map_err(|e| e.to_string())?;
        let now = match (self.opts.detection.now, file_now) {
            (Some(n), _) | (None, Some(n)) => n,
            (None, None) => latest_time(&datasets).map_or(0.0, |t| t.floor() + 1.0),
        };
        setup.set_now(now);
        for ds in datasets {
            setup.add_dataset(ds);
        }
        for m in &self.opts.detection.macros {
            setup.add_macro_file(m)?;
        }
        setup.prepend_lookup_dirs(&self.opts.detection.lookups);
        for a in &self.opts.detection.apps {
            setup
                .add_apps_path(a.clone())
                .map_err(|e| format!("--apps: {e}"))?;
        }
        if self.opts.detection.no_default_apps {
            setup.no_default_apps();
        }
        if let Some(g) = &self.opts.detection.geoip {
            setup.set_geoip(g.clone());
        }
        Ok(setup)
    }

    fn try_run(&self) -> Result<Outcome, String> {
        let data = self
            .test
            .get("attack_data")
            .and_then(Value::as_sequence)
            .cloned()
            .unwrap_or_default();
        if data.is_empty() {
            return Ok(Outcome::Skip("the test has no attack_data".into()));
        }
        let mut specs = Vec::new();
        for entry in &data {
            let file = entry
                .get("data")
                .and_then(Value::as_str)
                .ok_or("expected a `data` path in every attack_data entry")?;
            if file.starts_with("http://") || file.starts_with("https://") {
                return Ok(Outcome::Skip(format!(
                    "attack_data is a URL, which cannot be fetched offline ({file}); download it and set `data` to the local path"
                )));
            }
            let mut spec = DataSpec::new(relative_to(self.dir, file));
            let field = |k: &str| entry.get(k).and_then(Value::as_str).map(str::to_string);
            spec.source = Some(field("source").unwrap_or_else(|| file.to_string()));
            spec.sourcetype = field("sourcetype");
            spec.index = field("index");
            specs.push(spec);
        }
        let mut datasets = Vec::new();
        for spec in &specs {
            datasets.extend(spl_engine::source::open_datasets(spec).map_err(|e| e.to_string())?);
        }
        let mut setup = self.setup(datasets)?;
        let engine = setup.engine()?;
        let table = match engine
            .run(self.search)
            .and_then(|r| render::table(&r.batches, &engine.context().tz))
        {
            Ok(t) => t,
            Err(e) => {
                let source = engine
                    .expand(self.search)
                    .map(|x| x.text)
                    .unwrap_or_default();
                let source = if source.is_empty() {
                    self.search
                } else {
                    &source
                };
                return Ok(Outcome::Fail(format!(
                    "the detection failed:\n{}",
                    render_plain(&e, source)
                )));
            }
        };
        let rows: Vec<Vec<super::format::CellText>> = table
            .rows
            .iter()
            .map(|r| r.iter().map(super::cell_text).collect())
            .collect();
        let actual = super::render_rows(&table.fields, &rows);
        let Some(exp_path) = &self.expected else {
            if self.opts.bless {
                return Ok(Outcome::Mismatch {
                    message: String::new(),
                    actual,
                });
            }
            return Ok(if rows.is_empty() {
                Outcome::Fail(
                    "the detection returned no rows; a test without an expected file needs at least one (add one holding `(no results)` for a negative test)".into(),
                )
            } else {
                Outcome::Pass
            });
        };
        let exp_text = crate::read::read_text(exp_path)
            .map_err(|e| format!("cannot read {}: {e}", exp_path.display()))?;
        let expected =
            normalize_expected(&exp_text).map_err(|m| format!("{}: {m}", exp_path.display()))?;
        if expected == actual {
            Ok(Outcome::Pass)
        } else {
            Ok(Outcome::Mismatch {
                message: format!("{}\n{}", exp_path.display(), diff(&expected, &actual)),
                actual,
            })
        }
    }
}

/// Re-renders an expected table so alignment and quoting do not matter.
fn normalize_expected(text: &str) -> Result<String, String> {
    let mut lines: Vec<&str> = text.lines().collect();
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let Some(first) = lines.first() else {
        return Err("expected a header line or `(no results)`, found nothing".into());
    };
    if first.trim() == "(no results)" && lines.len() == 1 {
        return Ok(super::render_rows(&[], &[]));
    }
    let (header, rows) = super::format::parse_table(&lines)
        .map_err(|e| format!("line {}: {}", e.line, e.message))?;
    Ok(super::format::render_table(&header, &rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_test_lines() {
        assert_eq!(slug("True Positive Test"), "true_positive_test");
        assert_eq!(slug("  T1046 -- scan!  "), "t1046_scan");
        let text = "tests:\n- name: A\n  attack_data: []\n- name: 'B c'\n";
        assert_eq!(line_of_test(text, "A"), 2);
        assert_eq!(line_of_test(text, "B c"), 4);
        assert_eq!(line_of_test(text, "zzz"), 0);
    }

    #[test]
    fn expected_files_are_normalised() {
        assert_eq!(
            normalize_expected("a|b\n1 |   2\n\n").unwrap(),
            "a | b\n1 | 2\n"
        );
        assert_eq!(
            normalize_expected("(no results)\n").unwrap(),
            "(no results)\n"
        );
        assert!(normalize_expected("").is_err());
        assert_eq!(
            normalize_expected("a | b\n1\n").unwrap_err(),
            "line 2: expected 2 cells, found 1"
        );
    }
}
