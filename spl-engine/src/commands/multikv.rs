//! `multikv [conf=<stanza>] [<option>=<value>]... [fields <field>...]
//! [filter <term>...]`: a table in `_raw` (the output of `top`, `ps`,
//! `netstat`, ...) becomes one result per table row (Splunk's "multikv"
//! reference page).
//!
//! Each event's `_raw` is read line by line. The header is the first
//! non-empty line of a table whose every whitespace-separated word holds a
//! letter (`forceheader=<n>`: the n-th non-empty line, 1-based;
//! `noheader=true`: none, columns named `Column_1`, `Column_2`, ... by the
//! first row). The lines after it are rows: split at whitespace, the words
//! fill the columns left to right and the last column takes the rest of the
//! line (a `COMMAND` with spaces). Column names are the header words with
//! every run of characters other than letters, digits and `_` made one `_`
//! and trimmed of `_` at both ends (`%CPU` is `CPU`, `TIME+` is `TIME`,
//! `Local Address` written as two words is two columns). With
//! `multitable=true` (the default) an empty line ends a table and the next
//! non-empty line is a new header; with `false` the event holds one table
//! and empty lines are skipped. A forced header makes the event one table
//! too (its line number counts the event's non-empty lines).
//!
//! Each row becomes a result whose `_raw` is the row's line and whose
//! fields are the row's columns (only those `fields` names, if given);
//! `filter` keeps rows whose line contains at least one of its terms
//! (case-sensitive). `copyattrs=true` (default) copies the original
//! event's other fields to each row's result; `rmorig=true` (default) drops
//! the original event, `false` keeps it after the results made from it.
//! `conf=` (a multikv.conf stanza) is not supported.

use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::texts::{Extracted, Texts};
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{RecordBatch, RecordBatchOptions, UInt32Array};
use spl_parser::ast::Args;
use std::sync::Arc;

/// The `multikv` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Turns a table in `_raw` (a header line, then rows, as `top`, `ps` or `netstat` print) into one result per row, with a field per column.",
    examples: &[
        Example {
            title: "one result per process",
            spl: "| makeresults | eval _raw=\"  PID USER     COMMAND\n    1 root     init\n  812 www-data nginx: worker process\" | multikv | table PID USER COMMAND",
        },
        Example {
            title: "only some columns, only rows that mention nginx",
            spl: "| makeresults | eval _raw=\"  PID USER     COMMAND\n    1 root     init\n  812 www-data nginx: worker process\" | multikv fields PID COMMAND filter nginx | table PID USER COMMAND",
        },
    ],
    compat: "`conf=` (multikv.conf stanzas) is not supported (`spl::run::unsupported_option`). Columns are split at whitespace, the last column taking the rest of the line, rather than by the header's character positions. The automatic header is the first line whose every word holds a letter. `filter` terms match case-sensitively.",
};

/// Plans `multikv`.
pub(crate) fn plan(a: &Args, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let o = p.opts;
    let copyattrs = o.bool("copyattrs")?.unwrap_or(true);
    let noheader = o.bool("noheader")?.unwrap_or(false);
    // noheader implies one table per event (the reference page)
    let multitable = o.bool("multitable")?.unwrap_or(true) && !noheader;
    let rmorig = o.bool("rmorig")?.unwrap_or(true);
    let forceheader = match o.count("forceheader")? {
        None => None,
        Some((0, span)) => {
            return Err(EngineError::invalid(
                "expected a line number of 1 or more, found 0",
                span,
                "lines are counted from 1, empty lines left out",
            ))
        }
        Some((n, _)) => Some(n as usize),
    };
    if noheader && forceheader.is_some() {
        if let Some(opt) = o.get("forceheader") {
            return Err(EngineError::invalid(
                "expected either noheader=true or forceheader, found both",
                opt.key.span,
                "a table without a header has no header line to force",
            ));
        }
    }
    let mut fields: Option<Vec<String>> = None;
    let mut filter: Option<Vec<String>> = None;
    let mut current: Option<&mut Vec<String>> = None;
    for w in &a.words {
        if w.is_keyword("fields") {
            current = Some(fields.insert(Vec::new()));
        } else if w.is_keyword("filter") {
            current = Some(filter.insert(Vec::new()));
        } else if let Some(list) = current.as_mut() {
            list.push(w.text.node.clone());
        } else {
            return Err(EngineError::invalid(
                format!(
                    "expected an option, `fields` or `filter`, found `{}`",
                    w.text.node
                ),
                w.text.span,
                "multikv takes fields <field>... and filter <term>...",
            ));
        }
    }
    for (name, list) in [("fields", &fields), ("filter", &filter)] {
        if list.as_ref().is_some_and(Vec::is_empty) {
            let span = a
                .words
                .iter()
                .find(|w| w.is_keyword(name))
                .map_or(p.stage.span, |w| w.text.span);
            return Err(EngineError::invalid(
                format!("expected at least one value after `{name}`, found none"),
                span,
                "give the list after the keyword",
            ));
        }
    }
    Ok(Box::new(MultikvOp {
        cfg: Arc::new(Config {
            copyattrs,
            noheader,
            multitable,
            rmorig,
            forceheader,
            fields,
            filter,
        }),
    }))
}

struct Config {
    copyattrs: bool,
    noheader: bool,
    multitable: bool,
    rmorig: bool,
    forceheader: Option<usize>,
    fields: Option<Vec<String>>,
    filter: Option<Vec<String>>,
}

/// A row made from a table: its line and its (column, value) pairs.
type Made = (String, Vec<(String, String)>);

struct MultikvOp {
    cfg: Arc<Config>,
}

/// A header word as a field name.
fn column_name(word: &str) -> String {
    let mut out = String::new();
    for c in word.chars() {
        if c.is_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

/// A line is a header when each of its words holds a letter.
fn looks_like_header(line: &str) -> bool {
    let mut words = line.split_whitespace().peekable();
    words.peek().is_some() && words.all(|w| w.chars().any(char::is_alphabetic))
}

/// Splits a row into at most `n` columns, the last taking the rest.
fn split_row(line: &str, n: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line.trim();
    while !rest.is_empty() {
        if out.len() + 1 == n {
            out.push(rest);
            break;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        out.push(&rest[..end]);
        rest = rest[end..].trim_start();
    }
    out
}

impl Config {
    /// The rows of one event's `_raw`: each row's line and its (column,
    /// value) pairs.
    fn rows<'r>(&self, raw: &'r str) -> Vec<(&'r str, Vec<(String, &'r str)>)> {
        let lines: Vec<&str> = raw.lines().map(|l| l.trim_end_matches('\r')).collect();
        // tables: runs of non-empty lines (one run per event without
        // multitable, or with a forced header, whose line number counts
        // every non-empty line of the event)
        let one_table = !self.multitable || self.forceheader.is_some();
        let mut tables: Vec<Vec<&str>> = vec![Vec::new()];
        for l in lines {
            if l.trim().is_empty() {
                if !one_table && tables.last().is_some_and(|t| !t.is_empty()) {
                    tables.push(Vec::new());
                }
                continue;
            }
            if let Some(t) = tables.last_mut() {
                t.push(l);
            }
        }
        let mut out = Vec::new();
        for table in &tables {
            let (header, body): (Vec<String>, &[&str]) = if self.noheader {
                let n = table.first().map_or(0, |l| l.split_whitespace().count());
                ((1..=n).map(|i| format!("Column_{i}")).collect(), table)
            } else {
                let at = match self.forceheader {
                    Some(n) => n - 1,
                    None => match table.iter().position(|l| looks_like_header(l)) {
                        Some(i) => i,
                        None => continue,
                    },
                };
                let Some(h) = table.get(at) else { continue };
                let names = h
                    .split_whitespace()
                    .enumerate()
                    .map(|(i, w)| {
                        let n = column_name(w);
                        if n.is_empty() {
                            format!("Column_{}", i + 1)
                        } else {
                            n
                        }
                    })
                    .collect();
                (names, table.get(at + 1..).unwrap_or_default())
            };
            for line in body {
                if let Some(terms) = &self.filter {
                    if !terms.iter().any(|t| line.contains(t.as_str())) {
                        continue;
                    }
                }
                let values = split_row(line, header.len());
                let pairs = header
                    .iter()
                    .zip(values)
                    .filter(|(n, _)| {
                        self.fields
                            .as_ref()
                            .is_none_or(|f| f.iter().any(|x| x == *n))
                    })
                    .map(|(n, v)| (n.clone(), v))
                    .collect();
                out.push((*line, pairs));
            }
        }
        out
    }
}

impl Operator for MultikvOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        if batch.column_by_name("_raw").is_none() {
            return Ok(if self.cfg.rmorig { vec![] } else { vec![batch] });
        }
        let texts = Texts::of(&batch, "_raw")?;
        // (original row, its extracted row or None for the original kept)
        let mut plan: Vec<(u32, Option<Made>)> = Vec::new();
        for row in 0..batch.num_rows() {
            for raw in texts.get(row).to_vec() {
                for (line, pairs) in self.cfg.rows(raw) {
                    let pairs = pairs.into_iter().map(|(n, v)| (n, v.to_string())).collect();
                    plan.push((row as u32, Some((line.to_string(), pairs))));
                }
            }
            if !self.cfg.rmorig {
                plan.push((row as u32, None));
            }
        }
        if plan.is_empty() {
            return Ok(vec![]);
        }
        let idx = UInt32Array::from(plan.iter().map(|(r, _)| *r).collect::<Vec<_>>());
        let base = if self.cfg.copyattrs {
            arrow_select::take::take_record_batch(&batch, &idx)?
        } else {
            // only the row's own fields; a kept original keeps its own
            let all = arrow_select::take::take_record_batch(&batch, &idx)?;
            if self.cfg.rmorig {
                RecordBatch::try_new_with_options(
                    Arc::new(arrow_schema::Schema::empty()),
                    vec![],
                    &RecordBatchOptions::new().with_row_count(Some(plan.len())),
                )?
            } else {
                // blank the copied fields on the rows made from a table
                let mut mask = Extracted::new(plan.len());
                for (i, (_, made)) in plan.iter().enumerate() {
                    if made.is_some() {
                        for f in batch.schema().fields() {
                            mask.touch(i, f.name());
                        }
                    }
                }
                mask.write(all)?
            }
        };
        let mut out = Extracted::new(plan.len());
        for (i, (_, made)) in plan.into_iter().enumerate() {
            if let Some((line, pairs)) = made {
                out.push(i, "_raw", line);
                for (n, v) in pairs {
                    out.push(i, &n, v);
                }
            }
        }
        Ok(vec![out.write(base)?])
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> Config {
        Config {
            copyattrs: true,
            noheader: false,
            multitable: true,
            rmorig: true,
            forceheader: None,
            fields: None,
            filter: None,
        }
    }

    #[test]
    fn header_rows_and_the_last_column() {
        let raw = "top - 10:00:00 up 1 day\n\n  PID USER   %CPU COMMAND\n    1 root   0.0  init\n  812 www    1.5  nginx: worker\n";
        let rows = cfg().rows(raw);
        assert_eq!(rows.len(), 2);
        let (line, pairs) = &rows[1];
        assert_eq!(*line, "  812 www    1.5  nginx: worker");
        let got: Vec<(&str, &str)> = pairs.iter().map(|(n, v)| (n.as_str(), *v)).collect();
        assert_eq!(
            got,
            [
                ("PID", "812"),
                ("USER", "www"),
                ("CPU", "1.5"),
                ("COMMAND", "nginx: worker")
            ]
        );
        assert_eq!(column_name("TIME+"), "TIME");
        assert_eq!(column_name("Local Address"), "Local_Address");
    }
}
