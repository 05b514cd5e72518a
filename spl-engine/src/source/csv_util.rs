//! Shared CSV plumbing: opening a file past a UTF-8 byte-order mark, reading the
//! header, and turning arrow-csv errors into data errors that name the line.

use crate::error::{EngineError, Result};
use arrow_schema::ArrowError;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::OnceLock;

/// Opens `path` for CSV reading, skipping a leading UTF-8 BOM.
pub(crate) fn open_csv(path: &Path, display: &str) -> Result<BufReader<File>> {
    let file = File::open(path).map_err(|source| EngineError::Io {
        path: display.to_string(),
        source,
    })?;
    let mut r = BufReader::with_capacity(1 << 20, file);
    let has_bom = r
        .fill_buf()
        .map_err(|source| EngineError::Io {
            path: display.to_string(),
            source,
        })?
        .starts_with(b"\xEF\xBB\xBF");
    if has_bom {
        r.consume(3);
    }
    Ok(r)
}

/// The field separator of a CSV-family file: a tab in `.tsv` files, else a comma.
pub(crate) fn delimiter_of(path: &Path) -> u8 {
    let tsv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv"));
    if tsv {
        b'\t'
    } else {
        b','
    }
}

/// The column names of a CSV file's header row.
pub(crate) fn read_header(reader: impl Read, display: &str) -> Result<Vec<String>> {
    read_header_sep(reader, display, b',')
}

/// The error for a header of more than `max` columns (`csv_max_columns`):
/// every column costs memory per batch whether a search reads it or not.
pub(crate) fn check_columns(header: &[String], display: &str, max: u64) -> Result<()> {
    if header.len() as u64 > max {
        return Err(crate::limits::data_exceeded(
            display,
            Some(1),
            "csv_max_columns",
            max,
            format!("the header has {} columns", header.len()),
        ));
    }
    Ok(())
}

/// The column names of the header row of a file whose fields `sep` separates.
pub(crate) fn read_header_sep(reader: impl Read, display: &str, sep: u8) -> Result<Vec<String>> {
    let mut rdr = BufReader::new(reader);
    let mut line = Vec::new();
    // The header may itself contain quoted newlines; keep reading until quotes balance.
    loop {
        let n = rdr
            .read_until(b'\n', &mut line)
            .map_err(|e| super::line_limit::io_error(display, 0, e))?;
        let quotes = line.iter().filter(|&&b| b == b'"').count();
        if n == 0 || quotes % 2 == 0 {
            break;
        }
    }
    let text = String::from_utf8(line).map_err(|_| {
        EngineError::data(
            display,
            Some(1),
            None,
            "expected a UTF-8 header row, found invalid bytes",
        )
    })?;
    let text = text.trim_end_matches(['\n', '\r']);
    if text.trim().is_empty() {
        return Err(EngineError::data(
            display,
            Some(1),
            None,
            "expected a CSV header row, found an empty file",
        ));
    }
    split_record(text, char::from(sep)).ok_or_else(|| {
        EngineError::data(
            display,
            Some(1),
            None,
            "expected a closing `\"` in the header row",
        )
    })
}

/// Splits one CSV record (RFC 4180 quoting).
#[cfg(test)]
pub(crate) fn split_csv_record(text: &str) -> Option<Vec<String>> {
    split_record(text, ',')
}

/// Splits one record whose fields `sep` separates (RFC 4180 quoting).
fn split_record(text: &str, sep: char) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    let mut in_quotes = false;
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cur.push('"');
                } else {
                    in_quotes = false;
                }
            } else {
                cur.push(c);
            }
        } else if c == '"' {
            in_quotes = true;
        } else if c == sep {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    if in_quotes {
        return None;
    }
    out.push(cur);
    Some(out)
}

/// Maps an arrow-csv error to a data error, recovering the line number it names.
pub(crate) fn csv_error(e: ArrowError, display: &str) -> EngineError {
    static LINE: OnceLock<Option<regex::Regex>> = OnceLock::new();
    if let ArrowError::IoError(_, io) = &e {
        if let Some(t) = super::line_limit::too_long(io) {
            return super::line_limit::error(display, 0, t);
        }
    }
    let msg = match &e {
        ArrowError::CsvError(m) | ArrowError::ParseError(m) => m.clone(),
        ArrowError::IoError(m, _) => m.clone(),
        other => other.to_string(),
    };
    let line = LINE
        .get_or_init(|| regex::Regex::new(r"line (\d+)").ok())
        .as_ref()
        .and_then(|re| re.captures(&msg))
        .and_then(|c| c.get(1))
        .and_then(|m| m.as_str().parse::<usize>().ok());
    // arrow-csv counts data lines from 0 after the header in parse errors and from 1
    // with the header in record errors; both messages are kept verbatim after the line.
    let message = msg
        .split(". Row data:")
        .next()
        .unwrap_or(&msg)
        .to_lowercase();
    EngineError::data(display, line, None, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_quoted_records() {
        assert_eq!(
            split_csv_record(
                r#"a,"b,c","d""e",,"x
y""#
            )
            .unwrap(),
            ["a", "b,c", "d\"e", "", "x\ny"]
        );
        assert!(split_csv_record("\"open").is_none());
    }

    #[test]
    fn header_with_bom_free_reader() {
        let h = read_header(
            &b"\"metric_timestamp\",metric_name,_value\n1,2,3\n"[..],
            "f",
        )
        .unwrap();
        assert_eq!(h, ["metric_timestamp", "metric_name", "_value"]);
        assert!(read_header(&b""[..], "f").is_err());
    }
}
