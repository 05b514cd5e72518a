//! The corpus knowledge measures (`docs/knowledge.md`): how well the
//! engine's built-in default app reads the real example events of the
//! security_content data sources (`data_sources.jsonl`), and how many corpus
//! searches return a row over those events.
//!
//! - **Field recall.** Each data source with an `example_log` is read as
//!   Splunk would index it under its `sourcetype` and `source` (`_json`
//!   through the JSON reader, Splunk's `INDEXED_EXTRACTIONS = json`; every
//!   other sourcetype as raw text), with the default app and no other app,
//!   and `search *` returns its fields. Recall is the fraction of the
//!   source's listed `fields` (Splunk's own output; `splunk_server`,
//!   `timestartpos` and `timeendpos` ignored) that the event has, per source
//!   and over all listed fields.
//! - **Fields the detections use.** For each source, the listed fields that
//!   occur as a whole word in the search of a detection over that source.
//! - **Searches returning rows.** Every search of `detections.jsonl` runs over
//!   the example events of all its data sources (one dataset each, index
//!   `main`), with the bundled macros and the corpus's `macros.jsonl`
//!   (`<name>_filter` macros are `search *`, as the content build makes them);
//!   a search that does not return a row is classified by why.

use arrow_array::{Array, ListArray, RecordBatch};
use arrow_schema::DataType;
use miette::Diagnostic;
use serde_json::Value;
use spl_engine::session::Engine;
use spl_engine::source::{DataFormat, DataSpec};
use spl_parser::macros::MacroSet;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The clock the measures run with (2024-11-01T00:00:00Z): after every
/// example event, so relative time bounds in searches behave as on a live
/// system holding the event.
pub const NOW: f64 = 1_730_419_200.0;

/// Fields Splunk lists that say where an event sat, not what it holds.
const IGNORED: &[&str] = &["splunk_server", "timestartpos", "timeendpos"];

/// One data source of `data_sources.jsonl`.
#[derive(Debug, Clone)]
pub struct DataSource {
    /// Its name (what detections' `data_source` lists).
    pub name: String,
    /// `source`.
    pub source: String,
    /// `sourcetype`.
    pub sourcetype: String,
    /// The listed fields, deduplicated, the ignored ones removed, in order.
    pub fields: Vec<String>,
    /// The example event.
    pub example: Option<String>,
}

/// One detection (or baseline, investigation) of `detections.jsonl`.
#[derive(Debug, Clone)]
pub struct Detection {
    /// Its name.
    pub name: String,
    /// `detection`, `baseline` or `investigation`.
    pub kind: String,
    /// The search as written.
    pub search: String,
    /// The data source names.
    pub data_sources: Vec<String>,
}

/// The corpus files this module reads.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The data sources.
    pub sources: Vec<DataSource>,
    /// The searches.
    pub detections: Vec<Detection>,
    /// The bundled macros plus the corpus's.
    pub macros: MacroSet,
    /// Apps applied over the default app (none for the published measures).
    pub apps: Vec<PathBuf>,
    /// The corpus folder (its `lookups/` serve the searches' lookups).
    pub dir: PathBuf,
}

fn read_lines(path: &Path) -> Result<Vec<Value>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))
        })
        .collect()
}

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

impl Corpus {
    /// Reads `data_sources.jsonl`, `detections.jsonl` and `macros.jsonl`
    /// from `dir`.
    pub fn load(dir: &Path) -> Result<Corpus, String> {
        let mut sources = Vec::new();
        for v in read_lines(&dir.join("data_sources.jsonl"))? {
            let mut seen = BTreeSet::new();
            let fields = v
                .get("fields")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .filter(|f| !IGNORED.contains(f) && seen.insert(f.to_string()))
                .map(str::to_string)
                .collect();
            sources.push(DataSource {
                name: text(&v, "name"),
                source: text(&v, "source"),
                sourcetype: text(&v, "sourcetype"),
                fields,
                example: v
                    .get("example_log")
                    .and_then(Value::as_str)
                    .filter(|s| !s.trim().is_empty())
                    .map(str::to_string),
            });
        }
        let mut detections = Vec::new();
        for v in read_lines(&dir.join("detections.jsonl"))? {
            detections.push(Detection {
                name: text(&v, "name"),
                kind: text(&v, "kind"),
                search: text(&v, "search"),
                data_sources: v
                    .get("data_source")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
            });
        }
        let mut macros = MacroSet::with_bundled();
        macros
            .load_path(&dir.join("macros.jsonl"))
            .map_err(|e| format!("{}: {e}", dir.join("macros.jsonl").display()))?;
        Ok(Corpus {
            sources,
            detections,
            macros,
            apps: Vec::new(),
            dir: dir.to_path_buf(),
        })
    }

    /// The data source named `name`.
    pub fn source(&self, name: &str) -> Option<&DataSource> {
        self.sources.iter().find(|s| s.name == name)
    }
}

/// A scratch folder for the example files, removed when dropped (a fresh,
/// unpredictable name from `tempfile`, so nothing planted beforehand is used).
#[derive(Debug)]
pub struct Scratch(tempfile::TempDir);

impl Scratch {
    /// A new empty folder under the system's temporary folder.
    pub fn new(tag: &str) -> Result<Scratch, String> {
        tempfile::Builder::new()
            .prefix(&format!("spl-corpus-knowledge-{tag}-"))
            .tempdir()
            .map(Scratch)
            .map_err(|e| format!("temporary folder: {e}"))
    }

    fn path(&self) -> &std::path::Path {
        self.0.path()
    }

    /// A private copy of the corpus lookups, made on first use: baselines
    /// `outputlookup` over them, and the shared corpus must never be written
    /// (nor one run's output change the next run's figures).
    fn lookups(&self, corpus: &Corpus) -> Result<PathBuf, String> {
        let dir = self.path().join("lookups");
        if dir.exists() {
            return Ok(dir);
        }
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let from = corpus.dir.join("lookups");
        if let Ok(entries) = std::fs::read_dir(&from) {
            for e in entries.flatten() {
                let f = e.path();
                if let Some(name) = f.file_name().filter(|_| f.is_file()) {
                    std::fs::copy(&f, dir.join(name))
                        .map_err(|e| format!("{}: {e}", f.display()))?;
                }
            }
        }
        Ok(dir)
    }
}

/// How a data source's example is read: `_json` as JSON (Splunk's system
/// default `INDEXED_EXTRACTIONS = json`), everything else as raw text that
/// the sourcetype's search-time knowledge extracts.
fn spec_for(src: &DataSource, scratch: &Scratch, n: usize) -> Result<Option<DataSpec>, String> {
    let Some(example) = &src.example else {
        return Ok(None);
    };
    let json = src.sourcetype == "_json";
    let path = scratch
        .path()
        .join(format!("{n}.{}", if json { "json" } else { "log" }));
    let mut body = example.trim_end().to_string();
    body.push('\n');
    std::fs::write(&path, body).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut spec = DataSpec::new(path);
    spec.index = Some("main".into());
    spec.source = Some(src.source.clone());
    spec.sourcetype = Some(src.sourcetype.clone());
    spec.format = Some(if json {
        DataFormat::Json
    } else {
        DataFormat::Raw
    });
    spec.now = Some(NOW);
    Ok(Some(spec))
}

/// An engine over the examples of `sources` with the default app.
fn engine_over(
    sources: &[&DataSource],
    corpus: &Corpus,
    scratch: &Scratch,
    first: usize,
) -> Result<Engine, String> {
    let mut b = Engine::builder(NOW)
        .macros(&corpus.macros)
        .lookup_dirs(vec![scratch.lookups(corpus)?])
        .apps(&corpus.apps)
        .map_err(|e| format!("apps: {e}"))?;
    for (i, s) in sources.iter().enumerate() {
        if let Some(spec) = spec_for(s, scratch, first + i)? {
            b = b
                .add_data(&spec)
                .map_err(|e| format!("{}: example: {e}", s.name))?;
        }
    }
    Ok(b.build())
}

/// True when `col` has a value on `row` (not null, not an empty list).
fn present(col: &dyn Array, row: usize) -> bool {
    if row >= col.len() || col.is_null(row) || col.data_type() == &DataType::Null {
        return false;
    }
    match col.as_any().downcast_ref::<ListArray>() {
        Some(l) => l.value_length(row) > 0,
        None => true,
    }
}

/// The fields of the first event of a result.
fn fields_of(batches: &[RecordBatch]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if let Some(b) = batches.iter().find(|b| b.num_rows() > 0) {
        for (f, col) in b.schema().fields().iter().zip(b.columns()) {
            if present(col.as_ref(), 0) {
                out.insert(f.name().clone());
            }
        }
    }
    out
}

/// The recall of one data source.
#[derive(Debug, Clone)]
pub struct SourceRecall {
    /// The data source.
    pub name: String,
    /// Its sourcetype.
    pub sourcetype: String,
    /// Listed fields the event has.
    pub found: usize,
    /// Listed fields.
    pub listed: usize,
    /// Listed fields the event lacks.
    pub missing: Vec<String>,
    /// Listed fields the corpus detections over this source use.
    pub used: Vec<String>,
    /// Of those, the ones the event lacks.
    pub used_missing: Vec<String>,
    /// Why the example could not be read, if it could not.
    pub error: Option<String>,
    /// The example is a whole event ([`whole_event`]).
    pub whole: bool,
}

/// Field recall over every data source with an example.
#[derive(Debug, Clone, Default)]
pub struct RecallReport {
    /// Per source, in corpus order.
    pub sources: Vec<SourceRecall>,
}

impl RecallReport {
    /// Listed fields found, over all sources.
    pub fn found(&self) -> usize {
        self.sources.iter().map(|s| s.found).sum()
    }

    /// Listed fields, over all sources.
    pub fn listed(&self) -> usize {
        self.sources.iter().map(|s| s.listed).sum()
    }

    /// `found / listed`.
    pub fn overall(&self) -> f64 {
        ratio(self.found(), self.listed())
    }

    /// The mean of the per-source recalls (sources with fields only).
    pub fn mean(&self) -> f64 {
        let with: Vec<f64> = self
            .sources
            .iter()
            .filter(|s| s.listed > 0)
            .map(|s| ratio(s.found, s.listed))
            .collect();
        if with.is_empty() {
            0.0
        } else {
            with.iter().sum::<f64>() / with.len() as f64
        }
    }

    /// Listed fields found and listed, over the sources whose example is a
    /// whole event.
    pub fn whole(&self) -> (usize, usize) {
        let w = self.sources.iter().filter(|s| s.whole);
        w.fold((0, 0), |(f, l), s| (f + s.found, l + s.listed))
    }

    /// Used fields found and used, over the sources whose example is a
    /// whole event.
    pub fn whole_used(&self) -> (usize, usize) {
        let w = self.sources.iter().filter(|s| s.whole);
        w.fold((0, 0), |(f, u), s| {
            (f + s.used.len() - s.used_missing.len(), u + s.used.len())
        })
    }

    /// Used fields found, over all sources.
    pub fn used_found(&self) -> usize {
        self.sources
            .iter()
            .map(|s| s.used.len() - s.used_missing.len())
            .sum()
    }

    /// Used fields, over all sources.
    pub fn used(&self) -> usize {
        self.sources.iter().map(|s| s.used.len()).sum()
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// True when an example is a whole event, not one cut short or reduced to
/// its first line: a JSON example parses, an XML event log example ends with
/// `</Event>`, and an example is more than a bare `MM/DD/YYYY hh:mm:ss AM`
/// timestamp (the first line of a classic Windows event).
pub fn whole_event(example: &str) -> bool {
    let t = example.trim();
    if t.starts_with('{') {
        return serde_json::from_str::<Value>(t.lines().next().unwrap_or(t)).is_ok();
    }
    if t.starts_with("<Event") {
        return t.ends_with("</Event>");
    }
    let bare_time = t.len() <= 24
        && t.split_whitespace().count() == 3
        && t.bytes().filter(|b| *b == b'/').count() == 2
        && (t.ends_with("AM") || t.ends_with("PM"));
    !bare_time
}

/// True when `word` occurs in `text` with no name character on either side.
fn mentions(text: &str, word: &str) -> bool {
    let is_name = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '{' | '}');
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|t| t.find(word)) {
        let at = from + i;
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        if !before.is_some_and(is_name) && !after.is_some_and(is_name) {
            return true;
        }
        from = at + word.len().max(1);
    }
    false
}

/// Field recall of every data source with an example.
pub fn recall(corpus: &Corpus) -> Result<RecallReport, String> {
    let scratch = Scratch::new("recall")?;
    let mut report = RecallReport::default();
    for (i, src) in corpus.sources.iter().enumerate() {
        if src.example.is_none() || src.fields.is_empty() {
            continue;
        }
        let searches: Vec<&str> = corpus
            .detections
            .iter()
            .filter(|d| d.data_sources.iter().any(|n| n == &src.name))
            .map(|d| d.search.as_str())
            .collect();
        let used: Vec<String> = src
            .fields
            .iter()
            .filter(|f| searches.iter().any(|s| mentions(s, f)))
            .cloned()
            .collect();
        let got = engine_over(&[src], corpus, &scratch, i)
            .and_then(|e| e.run("search *").map_err(|e| e.to_string()));
        let (have, error) = match got {
            Ok(r) => (fields_of(&r.batches), None),
            Err(e) => (BTreeSet::new(), Some(e)),
        };
        let missing: Vec<String> = src
            .fields
            .iter()
            .filter(|f| !have.contains(*f))
            .cloned()
            .collect();
        let used_missing = used
            .iter()
            .filter(|f| missing.contains(f))
            .cloned()
            .collect();
        report.sources.push(SourceRecall {
            name: src.name.clone(),
            sourcetype: src.sourcetype.clone(),
            found: src.fields.len() - missing.len(),
            listed: src.fields.len(),
            missing,
            used,
            used_missing,
            error,
            whole: src.example.as_deref().is_some_and(whole_event),
        });
    }
    Ok(report)
}

/// Why a search returned no row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// It returned at least one row.
    Rows,
    /// It returned none.
    ZeroRows,
    /// It reads a data model or summaries (`tstats`, `datamodel`,
    /// `from datamodel`), which example events alone do not fill.
    DataModel,
    /// None of its data sources has an example event.
    NoExample,
    /// A macro did not expand.
    Macro,
    /// It did not parse.
    Parse,
    /// It uses a command the engine does not run.
    UnsupportedCommand,
    /// It failed otherwise (the code says how).
    Error,
}

impl Outcome {
    /// Every outcome, in the order reports list them.
    pub const ALL: [Outcome; 8] = [
        Outcome::Rows,
        Outcome::ZeroRows,
        Outcome::DataModel,
        Outcome::NoExample,
        Outcome::UnsupportedCommand,
        Outcome::Parse,
        Outcome::Macro,
        Outcome::Error,
    ];
}

impl Outcome {
    /// A short label.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Rows => "returns a row",
            Outcome::ZeroRows => "zero rows",
            Outcome::DataModel => "tstats / data model",
            Outcome::NoExample => "no example event for its data sources",
            Outcome::Macro => "macro expansion error",
            Outcome::Parse => "parse error",
            Outcome::UnsupportedCommand => "unsupported command",
            Outcome::Error => "other error",
        }
    }
}

/// One search's result.
#[derive(Debug, Clone)]
pub struct SearchResult {
    /// The detection.
    pub name: String,
    /// Its kind.
    pub kind: String,
    /// What happened.
    pub outcome: Outcome,
    /// The error code or message, for errors.
    pub detail: String,
    /// Its data sources with an example.
    pub sources: Vec<String>,
    /// For zero rows: the listed fields of its sources that the search
    /// mentions and the example events lack (empty: every field it tests is
    /// there, so the example simply does not match it).
    pub fields_missing: Vec<String>,
}

/// Every search's result.
#[derive(Debug, Clone, Default)]
pub struct SearchReport {
    /// In corpus order.
    pub results: Vec<SearchResult>,
}

impl SearchReport {
    /// How many searches had `o`.
    pub fn count(&self, o: Outcome) -> usize {
        self.results.iter().filter(|r| r.outcome == o).count()
    }

    /// Zero-row searches whose tested fields are all extracted.
    pub fn zero_with_fields(&self) -> usize {
        self.results
            .iter()
            .filter(|r| r.outcome == Outcome::ZeroRows && r.fields_missing.is_empty())
            .count()
    }

    /// Error details and how often each occurred, for `o`.
    pub fn details(&self, o: Outcome) -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for r in self.results.iter().filter(|r| r.outcome == o) {
            *m.entry(r.detail.clone()).or_insert(0) += 1;
        }
        m
    }
}

fn uses_data_model(search: &str) -> bool {
    let s = search.to_ascii_lowercase();
    s.contains("tstats") || s.contains("datamodel") || s.contains("| from ")
}

/// Runs every search over its data sources' example events.
/// `recall` (of the same corpus) says which listed fields each source's
/// example lacks, to tell a zero-row search that tests a missing field from
/// one whose example simply does not match.
pub fn searches(corpus: &Corpus, recall: &RecallReport) -> Result<SearchReport, String> {
    let scratch = Scratch::new("searches")?;
    let mut engines: HashMap<Vec<String>, Engine> = HashMap::new();
    let mut next_file = 0;
    let mut report = SearchReport::default();
    for d in &corpus.detections {
        // "Sysmon EventID 1 AND Sysmon EventID 11": both sources
        let mut names: Vec<String> = d
            .data_sources
            .iter()
            .flat_map(|n| n.split(" AND "))
            .filter(|n| corpus.source(n).is_some_and(|s| s.example.is_some()))
            .map(str::to_string)
            .collect();
        names.sort();
        names.dedup();
        let mut result = SearchResult {
            name: d.name.clone(),
            kind: d.kind.clone(),
            outcome: Outcome::NoExample,
            detail: String::new(),
            sources: names.clone(),
            fields_missing: Vec::new(),
        };
        if names.is_empty() {
            if uses_data_model(&d.search) {
                result.outcome = Outcome::DataModel;
            }
            report.results.push(result);
            continue;
        }
        if !engines.contains_key(&names) {
            let srcs: Vec<&DataSource> = names.iter().filter_map(|n| corpus.source(n)).collect();
            let e = engine_over(&srcs, corpus, &scratch, next_file)?;
            next_file += srcs.len();
            engines.insert(names.clone(), e);
        }
        let engine = &engines[&names];
        let dm = uses_data_model(&d.search);
        let (outcome, detail) = match engine.expand(&d.search) {
            Err(e) => (Outcome::Macro, code_of(&e)),
            Ok(x) => match spl_parser::parse(&x.text) {
                Err(e) => (
                    Outcome::Parse,
                    e.code().map(|c| c.to_string()).unwrap_or_default(),
                ),
                Ok(q) => match engine.run_query(&q) {
                    Ok(r) if r.num_rows() > 0 => (Outcome::Rows, String::new()),
                    Ok(_) if dm => (Outcome::DataModel, String::new()),
                    Ok(_) => (Outcome::ZeroRows, String::new()),
                    Err(e) => {
                        let code = code_of(&e);
                        if dm {
                            (Outcome::DataModel, code)
                        } else if code == "spl::run::unsupported_command" {
                            (Outcome::UnsupportedCommand, e.to_string())
                        } else {
                            (Outcome::Error, format!("{code}: {e}"))
                        }
                    }
                },
            },
        };
        if outcome == Outcome::ZeroRows {
            let mut missing: BTreeSet<String> = BTreeSet::new();
            for n in &names {
                if let Some(r) = recall.sources.iter().find(|r| &r.name == n) {
                    missing.extend(r.missing.iter().filter(|f| mentions(&d.search, f)).cloned());
                }
            }
            result.fields_missing = missing.into_iter().collect();
        }
        result.outcome = outcome;
        result.detail = detail;
        report.results.push(result);
    }
    Ok(report)
}

fn code_of(e: &dyn Diagnostic) -> String {
    e.code().map(|c| c.to_string()).unwrap_or_default()
}

/// The recall table and search counts as Markdown, as `docs/knowledge.md`
/// holds them.
pub fn markdown(recall: &RecallReport, searches: Option<&SearchReport>) -> String {
    let pct = |a: usize, b: usize| format!("{:.1}%", 100.0 * ratio(a, b));
    let mut out = String::new();
    let (wf, wl) = recall.whole();
    let (wuf, wu) = recall.whole_used();
    let partial = recall.sources.iter().filter(|s| !s.whole).count();
    out.push_str(&format!(
        "Over the {} sources whose example is a whole event ({} examples are cut short or only a first line): \
**{}** ({} of {}); fields the detections use: {} ({} of {}).\n\n",
        recall.sources.len() - partial,
        partial,
        pct(wf, wl),
        wf,
        wl,
        pct(wuf, wu),
        wuf,
        wu
    ));
    out.push_str(&format!(
        "Overall field recall: **{}** ({} of {} listed fields over {} data sources; mean per source {:.1}%). \
Fields the detections use: {} of {} ({}).\n\n",
        pct(recall.found(), recall.listed()),
        recall.found(),
        recall.listed(),
        recall.sources.len(),
        100.0 * recall.mean(),
        recall.used_found(),
        recall.used(),
        pct(recall.used_found(), recall.used()),
    ));
    out.push_str("| data source | sourcetype | recall | found / listed | used fields missing | other fields missing |\n");
    out.push_str("| --- | --- | ---: | ---: | --- | --- |\n");
    // (a `*` after the name: the example is not a whole event)
    for s in &recall.sources {
        let others: Vec<&str> = s
            .missing
            .iter()
            .filter(|m| !s.used_missing.contains(m))
            .map(String::as_str)
            .collect();
        // at most 12 names a cell; the rest counted
        let cell = |v: &[&str]| {
            if v.is_empty() {
                return String::new();
            }
            let shown = &v[..v.len().min(12)];
            let more = v.len() - shown.len();
            let mut c = format!("`{}`", shown.join("`, `"));
            if more > 0 {
                c.push_str(&format!(" and {more} more"));
            }
            c
        };
        let used: Vec<&str> = s.used_missing.iter().map(String::as_str).collect();
        out.push_str(&format!(
            "| {}{} | `{}` | {} | {} / {} | {} | {}{} |\n",
            s.name,
            if s.whole { "" } else { " *" },
            s.sourcetype,
            pct(s.found, s.listed),
            s.found,
            s.listed,
            cell(&used),
            cell(&others),
            s.error
                .as_ref()
                .map(|e| format!(" (error: {})", e.replace('|', "\\|")))
                .unwrap_or_default()
        ));
    }
    if let Some(r) = searches {
        out.push_str(&format!(
            "\nSearches: {} in all; **{} return at least one row**.\n\n| outcome | searches |\n| --- | ---: |\n",
            r.results.len(),
            r.count(Outcome::Rows)
        ));
        for o in Outcome::ALL {
            out.push_str(&format!("| {} | {} |\n", o.label(), r.count(o)));
        }
        out.push_str(&format!(
            "\nOf the zero-row searches, {} test only fields the example events have (the example does not match them), \
and {} test a field the examples lack.\n",
            r.zero_with_fields(),
            r.count(Outcome::ZeroRows) - r.zero_with_fields()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn mentions_whole_words_only() {
        assert!(mentions("EventCode=1 | stats", "EventCode"));
        assert!(!mentions("EventCodeX=1", "EventCode"));
        assert!(!mentions("Processes.user", "user"));
        assert!(mentions("by user, dest", "user"));
        assert!(!mentions("a", "user"));
    }
}
