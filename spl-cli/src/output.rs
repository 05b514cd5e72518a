//! How `spl run` writes its results: the format (`--format`, else the
//! `--output` file's extension, else a table) and, for a table on a
//! terminal, its width.

use std::io::IsTerminal;
use std::path::Path;

/// Output format of `spl run`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// A readable terminal table.
    Table,
    /// Splunk-style CSV.
    Csv,
    /// One JSON array of row objects.
    Json,
    /// One JSON object per row.
    Jsonl,
}

/// The extensions `--output` knows, and their formats.
const EXTENSIONS: &[(&str, Format)] = &[
    ("json", Format::Json),
    ("jsonl", Format::Jsonl),
    ("ndjson", Format::Jsonl),
    ("csv", Format::Csv),
    ("txt", Format::Table),
];

/// The format to write: `--format` when given; else the `--output` file's
/// extension (`.json`, `.jsonl`/`.ndjson`, `.csv`, `.txt`; no extension is
/// a table); else a table. An extension of no known format without
/// `--format` is an error rather than a table the name would belie.
pub(crate) fn choose(explicit: Option<Format>, output: Option<&Path>) -> Result<Format, String> {
    if let Some(f) = explicit {
        return Ok(f);
    }
    let Some(ext) = output.and_then(Path::extension) else {
        return Ok(Format::Table);
    };
    let ext = ext.to_string_lossy().to_ascii_lowercase();
    EXTENSIONS
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|(_, f)| *f)
        .ok_or_else(|| {
            let known: Vec<String> = EXTENSIONS.iter().map(|(e, _)| format!(".{e}")).collect();
            format!(
                "--output: cannot tell the format from the extension `.{ext}` (known: {}); \
                 pass --format table|csv|json|jsonl",
                known.join(", ")
            )
        })
}

/// The width a table printed to standard output is fitted to, if any:
/// `SPL_COLUMNS` when set (forces fitting anywhere, for tests and pagers);
/// else, when standard output is a terminal, `COLUMNS` or the terminal's
/// width; else none (a table piped or written to a file is never cut).
/// `--wide` turns fitting off.
pub(crate) fn table_width(wide: bool) -> Option<usize> {
    if wide {
        return None;
    }
    let var = |name: &str| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|w| *w > 0)
    };
    if let Some(w) = var("SPL_COLUMNS") {
        return Some(w);
    }
    if !std::io::stdout().is_terminal() {
        return None;
    }
    var("COLUMNS").or_else(|| {
        console::Term::stdout()
            .size_checked()
            .map(|(_, cols)| usize::from(cols))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_chooses_unless_format_is_given() {
        let f = |p: &str| choose(None, Some(Path::new(p)));
        assert_eq!(f("out.json"), Ok(Format::Json));
        assert_eq!(f("OUT.JSON"), Ok(Format::Json));
        assert_eq!(f("out.jsonl"), Ok(Format::Jsonl));
        assert_eq!(f("out.ndjson"), Ok(Format::Jsonl));
        assert_eq!(f("out.csv"), Ok(Format::Csv));
        assert_eq!(f("out.txt"), Ok(Format::Table));
        assert_eq!(f("out"), Ok(Format::Table));
        assert_eq!(choose(None, None), Ok(Format::Table));
        assert_eq!(
            choose(Some(Format::Csv), Some(Path::new("out.json"))),
            Ok(Format::Csv)
        );
        let e = f("out.xlsx").unwrap_err();
        assert!(e.contains("`.xlsx`") && e.contains(".ndjson"), "{e}");
        assert_eq!(
            choose(Some(Format::Table), Some(Path::new("out.xlsx"))),
            Ok(Format::Table)
        );
    }
}
