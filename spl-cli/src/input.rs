//! Reading the search text: a literal query, a file, or the `search` of a
//! security_content detection YAML.

use std::path::{Path, PathBuf};

/// Where the search comes from (exactly one is set).
#[derive(clap::Args, Debug, Clone)]
#[group(id = "input", required = true, multiple = false)]
pub(crate) struct QueryInput {
    /// The search text.
    pub query: Option<String>,
    /// Read the search from a file (`-` for standard input).
    #[arg(long, value_name = "FILE")]
    pub query_file: Option<PathBuf>,
    /// Read the `search` of a security_content detection YAML file.
    #[arg(long, value_name = "FILE.yml")]
    pub detection: Option<PathBuf>,
}

/// Reads the `search` string of a detection YAML.
pub(crate) fn detection_search(p: &Path) -> Result<String, String> {
    let text = spl_engine::text_file::read_to_string(p)
        .map_err(|e| format!("cannot read {}: {e}", p.display()))?;
    let doc: serde_norway::Value = serde_norway::from_str(&text)
        .map_err(|e| format!("cannot parse {} as YAML: {e}", p.display()))?;
    doc.get("search")
        .and_then(|s| s.as_str())
        .map(str::to_string)
        .ok_or_else(|| format!("{} has no `search` string", p.display()))
}

/// Whether a path names standard input (as `--data` reads it: `-`,
/// `/dev/stdin`, or its file descriptor `/dev/fd/0`).
pub(crate) fn is_stdin(p: &Path) -> bool {
    p == Path::new("-") || p == Path::new("/dev/stdin") || p == Path::new("/dev/fd/0")
}

impl QueryInput {
    /// Whether the search is read from standard input.
    pub(crate) fn reads_stdin(&self) -> bool {
        self.query_file.as_deref().is_some_and(is_stdin)
    }

    /// The query text and a name for diagnostics.
    pub(crate) fn read(&self) -> Result<(String, String), String> {
        if let Some(q) = &self.query {
            return Ok((q.clone(), "query".into()));
        }
        if let Some(p) = &self.query_file {
            if is_stdin(p) {
                let text = spl_engine::text_file::read_bounded(std::io::stdin().lock())
                    .and_then(|b| {
                        String::from_utf8(b).map_err(|_| {
                            std::io::Error::new(
                                std::io::ErrorKind::InvalidData,
                                "stream did not contain valid UTF-8",
                            )
                        })
                    })
                    .map_err(|e| format!("cannot read the search from standard input: {e}"))?;
                return Ok((text, "stdin".into()));
            }
            let text = spl_engine::text_file::read_to_string(p)
                .map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            return Ok((text, p.display().to_string()));
        }
        if let Some(p) = &self.detection {
            return Ok((detection_search(p)?, p.display().to_string()));
        }
        Err("no input: give QUERY, --query-file or --detection".into())
    }
}
