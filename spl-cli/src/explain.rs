//! `spl run --explain` and the zero-result hints: how the profile and the
//! base search's facts (`spl_engine::explain`) print on standard error, and
//! how they join `--format json` output. What each number means:
//! `docs/explain.md`.

use spl_engine::explain::{BaseFacts, Explanation, FactsWhen, TimeOrigin};
use std::fmt::Write as _;

/// When the zero-result hints print (`SPL_HINTS`): `auto` (the default)
/// prints them when standard error is a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hints {
    Always,
    Never,
    Auto,
}

impl Hints {
    /// Reads `SPL_HINTS` (`always`, `never`, `auto`; unset is `auto`).
    pub(crate) fn from_env() -> Result<Hints, String> {
        match std::env::var("SPL_HINTS") {
            Err(_) => Ok(Hints::Auto),
            Ok(v) => match v.to_ascii_lowercase().as_str() {
                "always" => Ok(Hints::Always),
                "never" => Ok(Hints::Never),
                "auto" | "" => Ok(Hints::Auto),
                _ => Err(format!(
                    "SPL_HINTS must be always, never or auto, not `{v}`"
                )),
            },
        }
    }

    /// Whether hints print on this run.
    pub(crate) fn on(self) -> bool {
        use std::io::IsTerminal;
        match self {
            Hints::Always => true,
            Hints::Never => false,
            Hints::Auto => std::io::stderr().is_terminal(),
        }
    }
}

/// Formats epoch seconds for display (in the user's time zone).
pub(crate) type TimeFmt<'a> = dyn Fn(f64) -> String + 'a;

/// What a run must collect: `None` for a plain run, else when the base
/// search's facts are computed.
pub(crate) fn facts_when(explain: bool, hints: bool) -> Option<FactsWhen> {
    match (explain, hints) {
        (true, _) => Some(FactsWhen::Always),
        (false, true) => Some(FactsWhen::Empty),
        (false, false) => None,
    }
}

/// `--format json` output with the explanation: `{"results": [...rows...],
/// "metadata": {"explain": {...}}}` (without `--explain` the output stays
/// the bare array of rows). `spl run` streams this document
/// (`stream_out`); this builds it whole, to test that against.
#[cfg(test)]
pub(crate) fn json_with_metadata(rows_json: &str, e: &Explanation) -> String {
    let rows: serde_json::Value =
        serde_json::from_str(rows_json).unwrap_or(serde_json::Value::Array(Vec::new()));
    let doc = serde_json::json!({
        "results": rows,
        "metadata": { "explain": e },
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// The full report of `--explain`: the stage table, then the base facts.
pub(crate) fn report(e: &Explanation, time: &TimeFmt) -> String {
    let mut out = String::from("explain: stages\n");
    let head = [
        "#",
        "rows in",
        "rows out",
        "batches in",
        "batches out",
        "ms",
    ];
    let mut rows: Vec<[String; 6]> = Vec::new();
    for (i, s) in e.stages.iter().enumerate() {
        let opt = |v: Option<u64>| v.map_or("-".to_string(), |v| v.to_string());
        rows.push([
            (i + 1).to_string(),
            opt(s.rows_in),
            s.rows_out.to_string(),
            opt(s.batches_in),
            s.batches_out.to_string(),
            format!("{:.3}", s.seconds * 1000.0),
        ]);
    }
    let width = |k: usize| {
        rows.iter()
            .filter_map(|r| r.get(k))
            .map(String::len)
            .chain(head.get(k).map(|h| h.len()))
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..head.len()).map(width).collect();
    let line = |cells: &[String]| {
        let mut l = String::from(" ");
        for (c, w) in cells.iter().zip(&widths) {
            let _ = write!(l, " {c:>w$}");
        }
        l
    };
    let head: Vec<String> = head.iter().map(|h| h.to_string()).collect();
    out.push_str(&line(&head));
    out.push_str("  stage\n");
    for (r, s) in rows.iter().zip(&e.stages) {
        out.push_str(&line(r));
        let _ = writeln!(out, "  {}", shorten(&s.text, 72));
    }
    if let Some(b) = &e.base {
        out.push_str("explain: base search\n");
        facts(&mut out, b, time, false);
    }
    out
}

/// The short block printed on a terminal when a search returned no rows
/// or its base search matched no event: the facts that explain a zero, not
/// the whole profile. `None` when there are no facts (the search does not
/// start with a base search).
pub(crate) fn hint(e: &Explanation, no_rows: bool, time: &TimeFmt) -> Option<String> {
    let b = e.base.as_ref()?;
    let mut out = String::from(if no_rows {
        "hint: the search returned no results. What its base search saw:\n"
    } else {
        "hint: the base search matched no events. What it saw:\n"
    });
    if !facts(&mut out, b, time, true) {
        out.push_str(
            "  its time range, index/source/sourcetype/host terms and field names exclude \
             nothing on their own; --explain shows where the rows went\n",
        );
    }
    Some(out)
}

/// Writes the facts; `only_causes` leaves out those that exclude nothing.
/// Returns whether some fact that excludes events was written.
fn facts(out: &mut String, b: &BaseFacts, fmt: &TimeFmt, only_causes: bool) -> bool {
    let time = |t: Option<f64>| t.map_or("-".to_string(), fmt);
    let mut cause = false;
    if b.datasets.is_empty() {
        out.push_str("  data: none given (--data): there are no events to search\n");
        return true;
    }
    let _ = writeln!(
        out,
        "  data: {} events read from {} source{}",
        b.events_read,
        b.datasets.len(),
        if b.datasets.len() == 1 { "" } else { "s" }
    );
    for d in &b.datasets {
        let host = d
            .host
            .as_ref()
            .map_or(String::new(), |h| format!(", host={h}"));
        let _ = write!(
            out,
            "    {} (index={}, sourcetype={}{host}): {} events",
            d.source, d.index, d.sourcetype, d.events_read
        );
        if d.earliest.is_some() {
            let _ = write!(out, ", _time {} .. {}", time(d.earliest), time(d.latest));
        }
        if d.partial {
            out.push_str(" (reading stopped there: the counts below are of these events)");
        }
        out.push('\n');
        if d.without_time > 0 {
            cause |= d.without_time == d.events_read;
            let _ = writeln!(
                out,
                "      {} of them without _time (no timestamp found, or time_field= names a field they lack)",
                d.without_time
            );
        }
    }
    if b.events_read == 0 {
        return true;
    }
    let t = &b.time;
    if !only_causes || t.excluded > 0 {
        let origin = match t.origin {
            TimeOrigin::AllTime => "all time",
            TimeOrigin::Picker => "from --earliest/--latest",
            TimeOrigin::Search => "from earliest=/latest= in the search",
        };
        let range = match (t.earliest, t.latest) {
            (None, None) => "all time".to_string(),
            (e, l) => format!("{} .. {} ({origin})", time(e), time(l)),
        };
        let _ = writeln!(
            out,
            "  time range: {range}: excludes {} of {} events",
            t.excluded, b.events_read
        );
        cause |= t.excluded > 0;
    }
    for term in &b.terms {
        if only_causes && term.excluded == 0 {
            continue;
        }
        cause |= term.excluded > 0;
        let _ = write!(
            out,
            "  term {}: excludes {} of {} events",
            term.text, term.excluded, b.events_read
        );
        if term.excluded > 0 {
            if term.values.is_empty() {
                let _ = write!(out, " (no event has {})", term.field);
            } else {
                let _ = write!(out, " ({} values: {})", term.field, term.values.join(", "));
            }
        }
        out.push('\n');
    }
    for m in &b.missing_fields {
        cause = true;
        let _ = write!(
            out,
            "  field {} (used by {}): no event has it",
            m.name,
            m.used_by.join(", ")
        );
        if !m.suggestions.is_empty() {
            let _ = write!(out, "; did you mean {}?", m.suggestions.join(", "));
        }
        out.push('\n');
    }
    cause
}

/// `s` on one line, cut to `max` characters with an ellipsis.
fn shorten(s: &str, max: usize) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() <= max {
        return one;
    }
    let mut cut: String = one.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}
