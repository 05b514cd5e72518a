//! Runs `.spltest` files: builds an engine per file from its records, runs each
//! query, compares with the expected block, and optionally blesses.

use super::format::{self, CellText, RecordKind};
use crate::batch;
use crate::error::EngineError;
use crate::render;
use crate::session::Engine;
use crate::source::SourceMeta;
use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, Float64Array, RecordBatch};
use arrow_schema::{DataType, Field};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The outcome of one case.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// File and line of the case.
    pub location: String,
    /// Passed?
    pub passed: bool,
    /// Skipped (with reason)?
    pub skipped: Option<String>,
    /// Human-readable failure (a diff), empty when passed.
    pub message: String,
}

/// Summary of a run over one file.
#[derive(Debug, Clone, Default)]
pub struct FileReport {
    /// Per-case results.
    pub cases: Vec<CaseResult>,
    /// Blessed replacements made (line ranges rewritten).
    pub blessed: usize,
}

/// Options for a run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Rewrite expected blocks from actual output.
    pub bless: bool,
}

/// An error in the test file itself.
#[derive(Debug, Clone)]
pub struct SpltestError {
    /// File.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for SpltestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

fn ferr(file: &Path, line: usize, message: impl Into<String>) -> SpltestError {
    SpltestError {
        file: file.to_path_buf(),
        line,
        message: message.into(),
    }
}

/// Builds an inline table as a batch.
fn table_batch(
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
        let numeric =
            ty == "num" || ty == "time" || name == "_time" || (metrics && name == "_value");
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
                        return Err(format!("`{name}` is numeric and cannot hold a multivalue"))
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
                    CellText::Null => b.append_null(),
                    CellText::Single(s) => b.append_value(s),
                    CellText::Multi(_) => b.append_null(),
                }
            }
            fields.push(Field::new(&name, DataType::Utf8, true));
            cols.push(Arc::new(b.finish()));
        }
    }
    batch::from_columns(fields, cols, rows.len()).map_err(|e| e.to_string())
}

fn parse_time_or_number(s: &str, now: f64) -> Option<f64> {
    if let Some(v) = batch::parse_number(s) {
        return Some(v);
    }
    if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        return Some(ts.as_microsecond() as f64 / 1e6);
    }
    crate::time::resolve_time_modifier(s, now, &jiff::tz::TimeZone::UTC).ok()
}

/// Runs one `.spltest` file.
pub fn run_file(path: &Path, opts: &RunOptions) -> Result<FileReport, SpltestError> {
    let text =
        std::fs::read_to_string(path).map_err(|e| ferr(path, 0, format!("cannot read: {e}")))?;
    let records = format::parse_file(&text).map_err(|e| ferr(path, e.line, e.message))?;
    let mut now = 0.0;
    let mut earliest: Option<String> = None;
    let mut latest: Option<String> = None;
    for r in &records {
        if let RecordKind::Now(t) = &r.kind {
            now = crate::time::parse_now(t).map_err(|e| ferr(path, r.line, e.to_string()))?;
        }
    }
    let mut builder = Engine::builder(now);
    let mut skip_next: Option<String> = None;
    let mut report = FileReport::default();
    let mut replacements: Vec<((usize, usize), String)> = Vec::new();
    let mut engine: Option<Engine> = None;
    for r in &records {
        let loc = format!("{}:{}", path.display(), r.line);
        match &r.kind {
            RecordKind::Now(_) => {}
            RecordKind::Earliest(t) => earliest = Some(t.clone()),
            RecordKind::Latest(t) => latest = Some(t.clone()),
            RecordKind::Skip(reason) => skip_next = Some(reason.clone()),
            RecordKind::Table {
                metrics,
                name,
                options,
                header,
                rows,
            } => {
                let b =
                    table_batch(header, rows, *metrics, now).map_err(|m| ferr(path, r.line, m))?;
                let mut meta =
                    SourceMeta::new("main", name, if *metrics { "metrics" } else { "spltest" });
                for (k, v) in options {
                    match k.as_str() {
                        "index" => meta.index = v.clone(),
                        "source" => meta.source = v.clone(),
                        "sourcetype" => meta.sourcetype = v.clone(),
                        "host" => meta.host = Some(v.clone()),
                        other => {
                            return Err(ferr(
                                path,
                                r.line,
                                format!("unknown table option `{other}`"),
                            ))
                        }
                    }
                }
                builder = if *metrics {
                    builder.add_metrics(meta, vec![b])
                } else {
                    builder.add_events(meta, vec![b])
                };
                engine = None;
            }
            RecordKind::Lookup { .. } | RecordKind::Macro { .. } | RecordKind::Data(_) => {
                return Err(ferr(
                    path,
                    r.line,
                    "lookup, macro and data records are not supported yet",
                ));
            }
            RecordKind::Query {
                rowsort,
                spl,
                expected,
                expected_lines,
            } => {
                if let Some(reason) = skip_next.take() {
                    report.cases.push(CaseResult {
                        location: loc,
                        passed: true,
                        skipped: Some(reason),
                        message: String::new(),
                    });
                    continue;
                }
                let eng = match &engine {
                    Some(e) => e.clone(),
                    None => {
                        let b = std::mem::replace(&mut builder, Engine::builder(now));
                        let e = b
                            .time_range(earliest.as_deref(), latest.as_deref())
                            .map_err(|e| ferr(path, r.line, e.to_string()))?
                            .build();
                        builder = rebuild_from(&e, now);
                        engine = Some(e.clone());
                        e
                    }
                };
                let actual = eng
                    .run(spl)
                    .and_then(|res| render::table(&res.batches, &eng.context().tz));
                let (header, mut rows) = match actual {
                    Ok(t) => (
                        t.fields.clone(),
                        t.rows
                            .iter()
                            .map(|r| r.iter().map(super::cell_text).collect::<Vec<_>>())
                            .collect::<Vec<_>>(),
                    ),
                    Err(e) => {
                        report.cases.push(CaseResult {
                            location: loc,
                            passed: false,
                            skipped: None,
                            message: format!("query failed: {} ({})", e, code_of(&e)),
                        });
                        continue;
                    }
                };
                if *rowsort {
                    rows.sort();
                }
                let actual_text = super::render_rows(&header, &rows);
                let expected_text = expected.as_ref().map(|e| {
                    let mut er = e.rows.clone();
                    if *rowsort {
                        er.sort();
                    }
                    if e.header.len() == 1 && e.header[0] == "(no results)" && er.is_empty() {
                        super::render_rows(&[], &[])
                    } else {
                        format::render_table(&e.header, &er)
                    }
                });
                let passed = expected_text.as_deref() == Some(actual_text.as_str());
                if !passed && opts.bless {
                    replacements.push((*expected_lines, actual_text.clone()));
                }
                report.cases.push(CaseResult {
                    location: loc,
                    passed: passed || opts.bless,
                    skipped: None,
                    message: if passed {
                        String::new()
                    } else {
                        diff(expected_text.as_deref().unwrap_or(""), &actual_text)
                    },
                });
            }
            RecordKind::Error { code, spl, .. } => {
                if let Some(reason) = skip_next.take() {
                    report.cases.push(CaseResult {
                        location: loc,
                        passed: true,
                        skipped: Some(reason),
                        message: String::new(),
                    });
                    continue;
                }
                let eng = match &engine {
                    Some(e) => e.clone(),
                    None => {
                        let b = std::mem::replace(&mut builder, Engine::builder(now));
                        let e = b
                            .time_range(earliest.as_deref(), latest.as_deref())
                            .map_err(|e| ferr(path, r.line, e.to_string()))?
                            .build();
                        builder = rebuild_from(&e, now);
                        engine = Some(e.clone());
                        e
                    }
                };
                let (passed, message) = match eng.run(spl) {
                    Ok(_) => (
                        false,
                        format!("expected error {code}, but the query succeeded"),
                    ),
                    Err(e) => {
                        let got = code_of(&e);
                        if got == *code {
                            (true, String::new())
                        } else {
                            (false, format!("expected error {code}, found {got}: {e}"))
                        }
                    }
                };
                report.cases.push(CaseResult {
                    location: loc,
                    passed,
                    skipped: None,
                    message,
                });
            }
        }
    }
    if opts.bless && !replacements.is_empty() {
        report.blessed = replacements.len();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        // Apply bottom-up so earlier line numbers stay valid.
        replacements.sort_by(|a, b| b.0 .0.cmp(&a.0 .0));
        for ((start, end), new) in replacements {
            let s = start - 1;
            let e = (end - 1).min(lines.len());
            let mut block: Vec<String> = new.lines().map(str::to_string).collect();
            if s == e && (s == 0 || lines.get(s - 1).map(|l| l.trim()) != Some("----")) {
                block.insert(0, "----".into());
            }
            lines.splice(s..e, block);
        }
        let mut out = lines.join("\n");
        out.push('\n');
        std::fs::write(path, out).map_err(|e| ferr(path, 0, format!("cannot write: {e}")))?;
    }
    Ok(report)
}

/// A builder holding the same datasets as an engine (so later tables add to them).
fn rebuild_from(e: &Engine, now: f64) -> crate::session::EngineBuilder {
    let mut b = Engine::builder(now);
    for d in &e.context().catalog.datasets {
        b = b.add_dataset(d.clone());
    }
    b.macros(e.macros())
}

/// The diagnostic code of an error.
pub fn code_of(e: &EngineError) -> String {
    use miette::Diagnostic;
    e.code()
        .map(|c| c.to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// A line diff of expected and actual tables.
pub fn diff(expected: &str, actual: &str) -> String {
    let mut out = String::from("--- expected\n+++ actual\n");
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    // Longest common subsequence over lines: tables are small.
    let (n, m) = (e.len(), a.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if e[i] == a[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && e[i] == a[j] {
            out.push_str(&format!("  {}\n", e[i]));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push_str(&format!("+ {}\n", a[j]));
            j += 1;
        } else {
            out.push_str(&format!("- {}\n", e[i]));
            i += 1;
        }
    }
    out
}

/// Finds `.spltest` files under a path (a file or a directory, recursively, sorted).
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
