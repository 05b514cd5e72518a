//! Runs `.spltest` files: builds the environment from the setup records, runs
//! each `query`/`error` record, compares with the expected block, and with
//! `bless` rewrites the expected blocks in place from the actual output.

use super::diagnostic::render_plain;
use super::format::{self, Record, RecordKind};
use super::report::diff;
use super::setup::{relative_to, Setup};
use spl_engine::error::EngineError;
use spl_engine::render;
use spl_engine::session::Engine;
use std::path::{Path, PathBuf};

/// The outcome of one case.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// `file:line` of the case.
    pub location: String,
    /// Passed (always true when skipped).
    pub passed: bool,
    /// The reason, when skipped.
    pub skipped: Option<String>,
    /// Human-readable failure (a diff), empty when passed.
    pub message: String,
}

/// The results of one file.
#[derive(Debug, Clone, Default)]
pub struct FileReport {
    /// Per-case results, in file order.
    pub cases: Vec<CaseResult>,
    /// `file:line` of each record whose expected block `bless` rewrote.
    pub blessed: Vec<String>,
}

impl FileReport {
    /// Cases that passed (not counting skipped ones).
    pub fn passed(&self) -> usize {
        self.cases
            .iter()
            .filter(|c| c.passed && c.skipped.is_none())
            .count()
    }

    /// Cases that failed.
    pub fn failed(&self) -> usize {
        self.cases.iter().filter(|c| !c.passed).count()
    }

    /// Cases that were skipped.
    pub fn skipped(&self) -> usize {
        self.cases.iter().filter(|c| c.skipped.is_some()).count()
    }
}

/// Options for a run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Rewrite expected blocks from actual output.
    pub bless: bool,
    /// Settings for detection YAML tests (ignored by `.spltest` files, which
    /// declare everything they need).
    pub detection: super::detection::DetectionOptions,
}

/// An error in the test file itself (unreadable, malformed, a bad setup record).
#[derive(Debug, Clone)]
pub struct SpltestError {
    /// The file.
    pub file: PathBuf,
    /// 1-based line (0 when the whole file is concerned).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for SpltestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file.display(), self.message)
        } else {
            write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
        }
    }
}

impl std::error::Error for SpltestError {}

pub(crate) fn ferr(file: &Path, line: usize, message: impl Into<String>) -> SpltestError {
    SpltestError {
        file: file.to_path_buf(),
        line,
        message: message.into(),
    }
}

pub(crate) fn read_records(path: &Path) -> Result<(String, Vec<Record>), SpltestError> {
    let text =
        crate::read::read_text(path).map_err(|e| ferr(path, 0, format!("cannot read: {e}")))?;
    let records = format::parse_file(&text).map_err(|e| ferr(path, e.line, e.message))?;
    Ok((text, records))
}

/// Deepest `include` nesting (a guard against include cycles).
const MAX_INCLUDE_DEPTH: usize = 8;

/// Applies one setup record; returns false for query, error and skip records.
pub(crate) fn apply_setup(
    setup: &mut Setup,
    path: &Path,
    r: &Record,
    depth: usize,
) -> Result<bool, SpltestError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let at = |m: String| ferr(path, r.line, m);
    match &r.kind {
        RecordKind::Now(_) => {}
        RecordKind::Earliest(t) => setup.set_earliest(t),
        RecordKind::Latest(t) => setup.set_latest(t),
        RecordKind::Table {
            metrics,
            name,
            options,
            header,
            rows,
        } => setup
            .add_table(*metrics, name, options, header, rows)
            .map_err(at)?,
        RecordKind::Lookup { name, csv, include } => setup
            .add_lookup(dir, name, csv.as_deref(), include.as_deref())
            .map_err(at)?,
        RecordKind::Macro { signature, body } => setup.add_macro(signature, body).map_err(at)?,
        RecordKind::Data(spec) => setup.add_data(dir, spec).map_err(at)?,
        RecordKind::Geoip(p) => setup.set_geoip(relative_to(dir, p)),
        RecordKind::LookupDir(p) => setup.add_lookup_dir(dir, p).map_err(at)?,
        RecordKind::Apps(p) => setup.add_apps(dir, p).map_err(at)?,
        RecordKind::MacroFile(p) => setup.add_macro_file(&relative_to(dir, p)).map_err(at)?,
        RecordKind::Include(p) => {
            if depth >= MAX_INCLUDE_DEPTH {
                return Err(at(format!(
                    "expected at most {MAX_INCLUDE_DEPTH} nested includes, found more (a cycle?)"
                )));
            }
            let inc = relative_to(dir, p);
            let (_, records) = read_records(&inc)?;
            for ir in &records {
                match &ir.kind {
                    RecordKind::Now(_) => {
                        return Err(ferr(
                            &inc,
                            ir.line,
                            "expected setup records only in an included file, found `now` (set it in the including file)",
                        ))
                    }
                    RecordKind::Query { .. } | RecordKind::Error { .. } | RecordKind::Skip(_) => {
                        return Err(ferr(
                            &inc,
                            ir.line,
                            "expected setup records only in an included file, found a query, error or skip record",
                        ))
                    }
                    _ => {
                        apply_setup(setup, &inc, ir, depth + 1)?;
                    }
                }
            }
        }
        RecordKind::Skip(_) | RecordKind::Query { .. } | RecordKind::Error { .. } => {
            return Ok(false)
        }
    }
    Ok(true)
}

/// A fresh setup from setup-only files (a detection's `spltest.setup`, the
/// examples environment): their `now` (the last one wins) and their records.
pub(crate) fn setup_from_files(files: &[PathBuf]) -> Result<(Setup, Option<f64>), SpltestError> {
    let mut all = Vec::new();
    let mut now = None;
    for f in files {
        let (_, records) = read_records(f)?;
        for r in &records {
            if let RecordKind::Now(t) = &r.kind {
                now = Some(
                    spl_engine::time::parse_now(t).map_err(|e| ferr(f, r.line, e.to_string()))?,
                );
            }
        }
        all.push((f, records));
    }
    let mut setup = Setup::new(now.unwrap_or(0.0)).map_err(|e| {
        ferr(
            Path::new(""),
            0,
            format!("cannot create a temporary directory: {e}"),
        )
    })?;
    for (f, records) in &all {
        for r in records {
            if !apply_setup(&mut setup, f, r, 0)? {
                return Err(ferr(
                    f,
                    r.line,
                    "expected setup records only in a setup file, found a query, error or skip record",
                ));
            }
        }
    }
    Ok((setup, now))
}

/// An environment built from `.spltest` setup records: what a test file's
/// queries see, reusable from Rust (the registry test and `spl docs` run the
/// command examples in one). Its private lookup directory lives as long as it does.
pub struct Environment {
    setup: Setup,
    file: PathBuf,
}

impl Environment {
    /// Builds the environment declared by a setup file (`now`, tables,
    /// lookups, macros, data, GeoIP; no queries).
    pub fn from_file(path: &Path) -> Result<Environment, SpltestError> {
        let (setup, _) = setup_from_files(&[path.to_path_buf()])?;
        Ok(Environment {
            setup,
            file: path.to_path_buf(),
        })
    }

    /// The engine over this environment (built once, then shared).
    pub fn engine(&mut self) -> Result<Engine, SpltestError> {
        self.setup.engine().map_err(|m| ferr(&self.file, 0, m))
    }
}

/// Runs `f`, turning a panic into an error message carrying the panic's own
/// message, so that one panicking case is reported as a failure instead of
/// ending the whole run.
pub(crate) fn guard<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|p| {
        let msg = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".into());
        format!("panicked: {msg}")
    })
}

/// Runs one `.spltest` file.
pub fn run_file(path: &Path, opts: &RunOptions) -> Result<FileReport, SpltestError> {
    let (text, records) = read_records(path)?;
    let mut now = 0.0;
    for r in &records {
        if let RecordKind::Now(t) = &r.kind {
            now = spl_engine::time::parse_now(t).map_err(|e| ferr(path, r.line, e.to_string()))?;
        }
    }
    let mut setup = Setup::new(now)
        .map_err(|e| ferr(path, 0, format!("cannot create a temporary directory: {e}")))?;
    let mut skip_next: Option<String> = None;
    let mut report = FileReport::default();
    let mut replacements: Vec<((usize, usize), String)> = Vec::new();
    for r in &records {
        if apply_setup(&mut setup, path, r, 0)? {
            continue;
        }
        let loc = format!("{}:{}", path.display(), r.line);
        if let RecordKind::Skip(reason) = &r.kind {
            skip_next = Some(reason.clone());
            continue;
        }
        if let Some(reason) = skip_next.take() {
            report.cases.push(CaseResult {
                location: loc,
                passed: true,
                skipped: Some(reason),
                message: String::new(),
            });
            continue;
        }
        if !matches!(r.kind, RecordKind::Query { .. } | RecordKind::Error { .. }) {
            continue;
        }
        let (outcome, replacement) =
            check_record(&mut setup, &r.kind).map_err(|m| ferr(path, r.line, m))?;
        let mut case = CaseResult {
            location: loc.clone(),
            passed: outcome.is_ok(),
            skipped: None,
            message: outcome.err().unwrap_or_default(),
        };
        if !case.passed && opts.bless {
            if let Some(rep) = replacement {
                replacements.push(rep);
                report.blessed.push(loc);
                case.passed = true;
                case.message.clear();
            }
        }
        report.cases.push(case);
    }
    if opts.bless && !replacements.is_empty() {
        let out = apply_replacements(&text, replacements);
        spl_engine::atomic_file::write_atomic_bytes(path, out.as_bytes())
            .map_err(|e| ferr(path, 0, format!("cannot write: {e}")))?;
    }
    Ok(report)
}

/// What checking one record gives: pass or the failure message, and the
/// block bless may write (its line range and text).
type Checked = (Result<(), String>, Option<((usize, usize), String)>);

/// Checks a query or error record against the engine of the records above
/// it. A panic fails this case only (the run goes on and keeps its summary)
/// and drops the engine, which may hold poisoned locks. `Err` is a setup
/// failure that ends the file.
pub(crate) fn check_record(setup: &mut Setup, kind: &RecordKind) -> Result<Checked, String> {
    let engine = setup.engine()?;
    let checked = guard(|| match kind {
        RecordKind::Query {
            rowsort,
            spl,
            expected,
            expected_lines,
        } => {
            let (o, actual) = check_query(&engine, spl, *rowsort, expected.as_ref());
            (o, actual.map(|a| (*expected_lines, a)))
        }
        RecordKind::Error {
            code,
            spl,
            rendering,
            rendering_lines,
        } => {
            let (o, actual) = check_error(&engine, spl, code, rendering.as_deref());
            (o, actual.map(|a| (*rendering_lines, a)))
        }
        _ => (Ok(()), None),
    });
    Ok(checked.unwrap_or_else(|m| {
        setup.forget_engine();
        (Err(m), None)
    }))
}

/// Runs a query record. On a mismatch returns the diff, and the actual block
/// when bless may replace the expected one.
fn check_query(
    engine: &Engine,
    spl: &str,
    rowsort: bool,
    expected: Option<&format::Expected>,
) -> (Result<(), String>, Option<String>) {
    let actual = engine
        .run(spl)
        .and_then(|res| render::table(&res.batches, &engine.context().tz));
    let table = match actual {
        Ok(t) => t,
        Err(e) => {
            let source = engine.expand(spl).map(|x| x.text).unwrap_or_default();
            let source = if source.is_empty() { spl } else { &source };
            return (
                Err(format!(
                    "the query failed:\n{}",
                    indent(&render_plain(&e, source))
                )),
                None,
            );
        }
    };
    let mut rows: Vec<Vec<format::CellText>> = table
        .rows
        .iter()
        .map(|r| r.iter().map(super::cell_text).collect())
        .collect();
    if rowsort {
        rows.sort();
    }
    let actual_text = super::render_rows(&table.fields, &rows);
    let Some(e) = expected else {
        return (
            Err(format!(
                "no expected block (run with --bless to record it); actual:\n{}",
                indent(&actual_text)
            )),
            Some(actual_text),
        );
    };
    let mut er = e.rows.clone();
    if rowsort {
        er.sort();
    }
    let expected_text = if e.header.len() == 1 && e.header[0] == "(no results)" && er.is_empty() {
        super::render_rows(&[], &[])
    } else {
        format::render_table(&e.header, &er)
    };
    if expected_text == actual_text {
        (Ok(()), None)
    } else {
        (Err(diff(&expected_text, &actual_text)), Some(actual_text))
    }
}

/// Runs an error record: the code must match, and the plain rendering when
/// the record has a block.
fn check_error(
    engine: &Engine,
    spl: &str,
    code: &str,
    rendering: Option<&str>,
) -> (Result<(), String>, Option<String>) {
    let failure = match engine.expand(spl) {
        Err(e) => Some((render_plain(&e, spl), code_of(&e))),
        Ok(x) => match engine
            .run(spl)
            .and_then(|res| render::table(&res.batches, &engine.context().tz).map(|_| ()))
        {
            Ok(()) => None,
            Err(e) => Some((render_plain(&e, &x.text), code_of(&e))),
        },
    };
    let Some((rendered, got)) = failure else {
        return (
            Err(format!("expected error {code}, but the query succeeded")),
            None,
        );
    };
    if got != code {
        return (
            Err(format!(
                "expected error {code}, found {got}:\n{}",
                indent(&rendered)
            )),
            None,
        );
    }
    match rendering {
        None => (Ok(()), None),
        Some(exp) => {
            let norm = |s: &str| {
                s.lines()
                    .map(str::trim_end)
                    .collect::<Vec<_>>()
                    .join("\n")
                    .trim_end()
                    .to_string()
            };
            if norm(exp) == norm(&rendered) {
                (Ok(()), None)
            } else {
                (
                    Err(diff(&(norm(exp) + "\n"), &(norm(&rendered) + "\n"))),
                    Some(rendered),
                )
            }
        }
    }
}

/// Applies bless replacements (1-based, end-exclusive line ranges) to `text`.
fn apply_replacements(text: &str, mut replacements: Vec<((usize, usize), String)>) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Bottom-up, so earlier line numbers stay valid.
    replacements.sort_by_key(|r| std::cmp::Reverse(r.0 .0));
    for ((start, end), new) in replacements {
        let s = start.saturating_sub(1).min(lines.len());
        let e = end.saturating_sub(1).clamp(s, lines.len());
        let mut block: Vec<String> = new.lines().map(|l| l.trim_end().to_string()).collect();
        // A record without an expected block gets its `----` separator.
        let has_sep = s > 0 && lines.get(s - 1).map(|l| l.trim()) == Some("----");
        if s == e && !has_sep {
            block.insert(0, "----".into());
        }
        lines.splice(s..e, block);
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

fn indent(s: &str) -> String {
    s.lines().map(|l| format!("    {l}\n")).collect()
}

/// The diagnostic code of an error (`unknown` when it has none).
pub fn code_of(e: &EngineError) -> String {
    use miette::Diagnostic;
    e.code()
        .map(|c| c.to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Finds `.spltest` files under a path (a file, or a directory searched
/// recursively), sorted.
pub fn collect_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                out.extend(collect_files(&p)?);
            } else if p.extension().is_some_and(|x| x == "spltest") {
                out.push(p);
            }
        }
    } else {
        out.push(path.to_path_buf());
    }
    Ok(out)
}
