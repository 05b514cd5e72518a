//! The `.spltest` file format: plain-text records separated by blank lines.
//!
//! ```text
//! # a comment
//! now 2024-05-01T12:00:00Z
//!
//! events web index=web sourcetype=access
//! _time                | host | status:num | tags
//! 2024-05-01T11:00:00Z | a    | 200        | [x, y]
//! 2024-05-01T11:01:00Z | b    | NULL       | (empty)
//!
//! query rowsort
//! index=web | stats count by host
//! ----
//! host | count
//! a    | 1
//! b    | 1
//!
//! error spl::run::unsupported_command
//! | nosuchcommand
//! ```
//!
//! Tables, inline lookups, `query` and `error` records run to the next blank
//! line; the other records are one line each.
//!
//! Records: `now T`, `earliest T`, `latest T`, `events NAME [k=v...]` and
//! `metrics NAME [k=v...]` (inline tables; header cells `name[:str|num]`),
//! `lookup NAME` (inline CSV) or `lookup NAME include=PATH`, `macro NAME(a,b) = body`,
//! `data SPEC` (a `--data` spec, paths relative to the file), `lookups DIR`, `apps PATH`,
//! `macros PATH`, `geoip PATH`, `include FILE` (another file's setup records),
//! `query [rowsort|nosort]` and `error CODE` (the query, then optionally `----`
//! and the expected block), `skip REASON` (skips the next query or error record).
//! The full reference is `docs/testing.md`.
//!
//! Cells: `NULL` is a missing value, `(empty)` the empty string, `[a, b]` a
//! multivalue; a JSON string literal (`"  x"`) for values with edge spaces,
//! `|`, or a leading `[`/`"`.

use std::fmt::Write as _;

/// One parsed record with the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// First line of the record (1-based).
    pub line: usize,
    /// What it is.
    pub kind: RecordKind,
}

/// Record kinds.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordKind {
    /// `now T`
    Now(String),
    /// `earliest T` (time picker)
    Earliest(String),
    /// `latest T` (time picker)
    Latest(String),
    /// `events NAME k=v...` or `metrics NAME k=v...` with an inline table.
    Table {
        /// True for metrics.
        metrics: bool,
        /// Dataset name (becomes `source` unless given).
        name: String,
        /// `index=`, `source=`, `sourcetype=`, `host=`.
        options: Vec<(String, String)>,
        /// Header cells (`name` or `name:type`).
        header: Vec<String>,
        /// Rows of cells.
        rows: Vec<Vec<CellText>>,
    },
    /// `lookup NAME` + CSV lines, or `lookup NAME include=PATH`.
    Lookup {
        /// Lookup name.
        name: String,
        /// Inline CSV text, or `None` with `include`.
        csv: Option<String>,
        /// Included path.
        include: Option<String>,
    },
    /// `macro NAME(args) = body`
    Macro {
        /// `name` or `name(a,b)`.
        signature: String,
        /// The definition.
        body: String,
    },
    /// `data SPEC`
    Data(String),
    /// `geoip PATH` (a MaxMind `.mmdb` file, relative to the test file)
    Geoip(String),
    /// `lookups DIR` (a lookups directory with definitions, relative to the test file)
    LookupDir(String),
    /// `apps PATH` (a Splunk app folder or a folder of apps, relative to the test file)
    Apps(String),
    /// `macros PATH` (a macro file or directory, relative to the test file)
    MacroFile(String),
    /// `include PATH` (the setup records of another `.spltest` file)
    Include(String),
    /// `skip REASON`
    Skip(String),
    /// `query [rowsort|nosort]`
    Query {
        /// Sort rows before comparing.
        rowsort: bool,
        /// The SPL text (lines joined with newlines).
        spl: String,
        /// Expected table (header + rows), `None` if absent (bless fills it).
        expected: Option<Expected>,
        /// Line range (1-based, inclusive start, exclusive end) of the expected block, for bless.
        expected_lines: (usize, usize),
    },
    /// `error CODE`
    Error {
        /// The expected diagnostic code.
        code: String,
        /// The SPL text.
        spl: String,
        /// Optional expected rendering.
        rendering: Option<String>,
        /// Line range (1-based, inclusive start, exclusive end) of the rendering block, for bless.
        rendering_lines: (usize, usize),
    },
}

/// An expected result table.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    /// Field names.
    pub header: Vec<String>,
    /// Cells.
    pub rows: Vec<Vec<CellText>>,
}

/// A cell as written in a `.spltest` table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum CellText {
    /// `NULL`
    Null,
    /// A single value.
    Single(String),
    /// `[a, b]`
    Multi(Vec<String>),
}

/// A format error with its line.
#[derive(Debug, Clone, PartialEq)]
pub struct FormatError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

fn needs_quotes(s: &str) -> bool {
    s.is_empty()
        || s != s.trim()
        || s.contains('|')
        || s.contains('\n')
        || s.starts_with('[')
        || s.starts_with('"')
        || s == "NULL"
        || s == "(empty)"
}

/// Writes one value as cell text.
pub fn quote_value(s: &str, in_list: bool) -> String {
    if s.is_empty() && !in_list {
        return "(empty)".into();
    }
    if needs_quotes(s) || (in_list && (s.contains(", ") || s.contains(']'))) {
        serde_json::to_string(s).unwrap_or_default()
    } else {
        s.to_string()
    }
}

impl CellText {
    /// The canonical text of a cell.
    pub fn render(&self) -> String {
        match self {
            CellText::Null => "NULL".into(),
            CellText::Single(s) => quote_value(s, false),
            CellText::Multi(v) => format!(
                "[{}]",
                v.iter()
                    .map(|s| quote_value(s, true))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// Splits a table line on ` | ` separators, honouring JSON-quoted cells.
fn split_cells(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut in_str = false;
    let mut escape = false;
    for ch in line.chars() {
        if in_str {
            cur.push(ch);
            if escape {
                escape = false;
            } else if ch == '\\' {
                escape = true;
            } else if ch == '"' {
                in_str = false;
            }
            continue;
        }
        match ch {
            '"' if cur.trim().is_empty() || cur.trim_end().ends_with(['[', ',']) => {
                in_str = true;
                cur.push(ch);
            }
            '|' => {
                cells.push(cur.trim().to_string());
                cur.clear();
            }
            _ => cur.push(ch),
        }
    }
    cells.push(cur.trim().to_string());
    cells
}

fn parse_value(s: &str) -> Result<String, String> {
    if s.starts_with('"') {
        serde_json::from_str::<String>(s).map_err(|e| format!("bad quoted value {s}: {e}"))
    } else if s == "(empty)" {
        Ok(String::new())
    } else {
        Ok(s.to_string())
    }
}

/// Parses one cell's text.
pub fn parse_cell(s: &str) -> Result<CellText, String> {
    if s == "NULL" {
        return Ok(CellText::Null);
    }
    if let Some(inner) = s.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        let mut vals = Vec::new();
        let mut cur = String::new();
        let mut in_str = false;
        let mut escape = false;
        for ch in inner.chars() {
            if in_str {
                cur.push(ch);
                if escape {
                    escape = false;
                } else if ch == '\\' {
                    escape = true;
                } else if ch == '"' {
                    in_str = false;
                }
                continue;
            }
            match ch {
                '"' if cur.trim().is_empty() => {
                    in_str = true;
                    cur.push(ch);
                }
                ',' => {
                    vals.push(parse_value(cur.trim())?);
                    cur.clear();
                }
                _ => cur.push(ch),
            }
        }
        if !inner.trim().is_empty() {
            vals.push(parse_value(cur.trim())?);
        }
        return Ok(CellText::Multi(vals));
    }
    Ok(CellText::Single(parse_value(s)?))
}

/// Renders an expected table with aligned columns.
pub fn render_table(header: &[String], rows: &[Vec<CellText>]) -> String {
    let texts: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(CellText::render).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &texts {
        for (i, c) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(c.chars().count());
            }
        }
    }
    let line = |cells: &[String]| -> String {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let w = widths.get(i).copied().unwrap_or(0);
                format!("{c}{}", " ".repeat(w.saturating_sub(c.chars().count())))
            })
            .collect();
        parts.join(" | ").trim_end().to_string()
    };
    let mut out = String::new();
    let _ = writeln!(out, "{}", line(header));
    for r in &texts {
        let _ = writeln!(out, "{}", line(r));
    }
    out
}

/// Parses table body lines (after the header) into rows of `width` cells;
/// `first_line` is the 0-based line of `lines[0]`.
fn parse_rows(
    lines: &[&str],
    width: usize,
    first_line: usize,
) -> Result<Vec<Vec<CellText>>, FormatError> {
    let mut rows = Vec::new();
    for (k, r) in lines.iter().enumerate() {
        let at = |message: String| FormatError {
            line: first_line + k + 1,
            message,
        };
        let cells = split_cells(r);
        if cells.len() != width {
            return Err(at(format!("expected {width} cells, found {}", cells.len())));
        }
        rows.push(
            cells
                .iter()
                .map(|c| parse_cell(c))
                .collect::<Result<Vec<_>, _>>()
                .map_err(at)?,
        );
    }
    Ok(rows)
}

/// Parses a standalone table (a header line, then rows), as in a detection's
/// expected file. Line numbers in errors are 1-based within `lines`.
pub fn parse_table(lines: &[&str]) -> Result<(Vec<String>, Vec<Vec<CellText>>), FormatError> {
    let header = lines.first().map(|h| split_cells(h)).unwrap_or_default();
    let rows = parse_rows(lines.get(1..).unwrap_or(&[]), header.len(), 1)?;
    Ok((header, rows))
}

/// Parses a whole `.spltest` file.
pub fn parse_file(text: &str) -> Result<Vec<Record>, FormatError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    let mut out = Vec::new();
    let err = |line: usize, m: String| FormatError {
        line: line + 1,
        message: m,
    };
    while i < lines.len() {
        let l = lines[i].trim_end();
        if l.trim().is_empty() || l.trim_start().starts_with('#') {
            i += 1;
            continue;
        }
        let start = i;
        let (word, rest) = match l.split_once(char::is_whitespace) {
            Some((w, r)) => (w, r.trim()),
            None => (l, ""),
        };
        // Tables, inline lookups, queries and errors own the block of lines up
        // to the next blank line; every other record is one line, so a `skip`
        // or setup line may sit right above the record it concerns.
        let mut j = i + 1;
        let block = matches!(word, "events" | "metrics" | "query" | "error")
            || (word == "lookup" && !rest.contains("include="));
        while block && j < lines.len() && !lines[j].trim().is_empty() {
            j += 1;
        }
        let body: Vec<&str> = lines[i + 1..j].to_vec();
        let kind = match word {
            "now" => RecordKind::Now(rest.to_string()),
            "earliest" => RecordKind::Earliest(rest.to_string()),
            "latest" => RecordKind::Latest(rest.to_string()),
            "skip" => RecordKind::Skip(rest.to_string()),
            "data" | "geoip" | "lookups" | "apps" | "macros" | "include" => {
                if rest.is_empty() {
                    return Err(err(i, format!("expected a path after `{word}`")));
                }
                let r = rest.to_string();
                match word {
                    "data" => RecordKind::Data(r),
                    "geoip" => RecordKind::Geoip(r),
                    "lookups" => RecordKind::LookupDir(r),
                    "apps" => RecordKind::Apps(r),
                    "macros" => RecordKind::MacroFile(r),
                    _ => RecordKind::Include(r),
                }
            }
            "macro" => {
                let (sig, body) = rest
                    .split_once('=')
                    .ok_or_else(|| err(i, "expected `macro NAME(args) = definition`".into()))?;
                RecordKind::Macro {
                    signature: sig.trim().to_string(),
                    body: body.trim().to_string(),
                }
            }
            "events" | "metrics" => {
                let mut parts = rest.split_whitespace();
                let name = parts
                    .next()
                    .ok_or_else(|| err(i, format!("expected a name after `{word}`")))?
                    .to_string();
                let mut options = Vec::new();
                for p in parts {
                    let (k, v) = p
                        .split_once('=')
                        .ok_or_else(|| err(i, format!("expected key=value, found `{p}`")))?;
                    options.push((k.to_string(), v.to_string()));
                }
                let header_line = body
                    .first()
                    .ok_or_else(|| err(i, "expected a header line".into()))?;
                let header = split_cells(header_line);
                let rows = parse_rows(body.get(1..).unwrap_or(&[]), header.len(), i + 2)?;
                RecordKind::Table {
                    metrics: word == "metrics",
                    name,
                    options,
                    header,
                    rows,
                }
            }
            "lookup" => {
                let mut parts = rest.split_whitespace();
                let name = parts
                    .next()
                    .ok_or_else(|| err(i, "expected a lookup name".into()))?
                    .to_string();
                let include = parts
                    .find_map(|p| p.strip_prefix("include="))
                    .map(str::to_string);
                RecordKind::Lookup {
                    name,
                    csv: if include.is_some() {
                        None
                    } else {
                        Some(body.join("\n") + "\n")
                    },
                    include,
                }
            }
            "query" | "error" => {
                let sep = body.iter().position(|b| b.trim() == "----");
                let spl_lines = &body[..sep.unwrap_or(body.len())];
                if spl_lines.is_empty() {
                    return Err(err(i, "expected a query after the record header".into()));
                }
                let spl = spl_lines.join("\n");
                let exp_start = sep.map(|s| i + 1 + s + 1).unwrap_or(j);
                if word == "query" {
                    let rowsort = match rest {
                        "" | "nosort" => false,
                        "rowsort" => true,
                        other => {
                            return Err(err(
                                i,
                                format!("expected rowsort or nosort, found `{other}`"),
                            ))
                        }
                    };
                    let expected = match sep {
                        None => None,
                        Some(s) => {
                            let block = body.get(s + 1..).unwrap_or(&[]);
                            let header = block.first().map(|h| split_cells(h)).unwrap_or_default();
                            let rows = parse_rows(
                                block.get(1..).unwrap_or(&[]),
                                header.len(),
                                exp_start + 1,
                            )?;
                            Some(Expected { header, rows })
                        }
                    };
                    RecordKind::Query {
                        rowsort,
                        spl,
                        expected,
                        expected_lines: (exp_start + 1, j + 1),
                    }
                } else {
                    if rest.is_empty() {
                        return Err(err(i, "expected an error code after `error`".into()));
                    }
                    RecordKind::Error {
                        code: rest.to_string(),
                        spl,
                        rendering: sep.map(|s| body[s + 1..].join("\n")),
                        rendering_lines: (exp_start + 1, j + 1),
                    }
                }
            }
            other => return Err(err(i, format!("unknown record `{other}`"))),
        };
        out.push(Record {
            line: start + 1,
            kind,
        });
        i = j;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_round_trip() {
        for c in [
            CellText::Null,
            CellText::Single(String::new()),
            CellText::Single(" x".into()),
            CellText::Single("a|b".into()),
            CellText::Multi(vec!["a".into(), "b, c".into()]),
            CellText::Single("NULL".into()),
        ] {
            assert_eq!(parse_cell(&c.render()).unwrap(), c, "{}", c.render());
        }
    }

    #[test]
    fn one_line_records_stack() {
        let t = "now 2024-01-01T00:00:00Z\nmacro m = x\nskip later\nquery\n| makeresults\n";
        let r = parse_file(t).unwrap();
        assert_eq!(r.len(), 4);
        assert_eq!(r[2].kind, RecordKind::Skip("later".into()));
        assert_eq!(r[3].line, 4);
    }

    #[test]
    fn parses_records() {
        let t = "now 2024-01-01T00:00:00Z\n\nevents web index=web\nhost | n:num\na | 1\n\nquery rowsort\nindex=web\n| table host\n----\nhost\na\n";
        let r = parse_file(t).unwrap();
        assert_eq!(r.len(), 3);
        match &r[2].kind {
            RecordKind::Query {
                spl,
                expected,
                expected_lines,
                ..
            } => {
                assert_eq!(spl, "index=web\n| table host");
                assert_eq!(expected.as_ref().unwrap().rows.len(), 1);
                assert_eq!(*expected_lines, (11, 13));
            }
            other => panic!("{other:?}"),
        }
    }
}
