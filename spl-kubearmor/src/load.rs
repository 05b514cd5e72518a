//! Reading policy files: multi-document YAML, kind checks, typed parsing with
//! file/line errors, and compilation into [`Policy`] values.

use super::compile::compile;
use super::policy::RawManifest;
use super::rules::{Policy, PolicyKind};
use spl_engine::{EngineError, Result};
use std::path::Path;

const API_VERSION: &str = "security.kubearmor.com/v1";

/// Reads every policy document in a YAML file.
pub fn load_policy_file(path: &Path) -> Result<Vec<Policy>> {
    let text = spl_engine::text_file::read_to_string(path).map_err(|source| EngineError::Io {
        path: path.display().to_string(),
        source,
    })?;
    parse_policies(&text, &path.display().to_string())
}

/// Parses every policy document in `text`; `file` names it in errors.
/// Empty documents are skipped; any other document must be a KubeArmor policy.
pub fn parse_policies(text: &str, file: &str) -> Result<Vec<Policy>> {
    let mut out = Vec::new();
    for doc in split_documents(text) {
        if let Some(policy) = parse_document(&doc, file)? {
            out.push(policy);
        }
    }
    Ok(out)
}

/// One YAML document and the 1-based line its text starts at.
pub(super) struct Doc {
    pub(super) text: String,
    pub(super) start_line: usize,
}

impl Doc {
    /// Absolute line of the first `action: Allow`, else the document start.
    pub(super) fn allow_line(&self) -> usize {
        self.text
            .lines()
            .position(|l| {
                let t = l.trim_start();
                t.starts_with("action:") && t.contains("Allow")
            })
            .map(|i| self.start_line + i)
            .unwrap_or(self.start_line)
    }

    /// Absolute line of the first `key:` (at any indentation), else the document start.
    pub(super) fn key_line(&self, key: &str) -> usize {
        let needle = format!("{key}:");
        self.text
            .lines()
            .position(|l| {
                let t = l.trim_start().trim_start_matches("- ");
                t.starts_with(&needle)
            })
            .map(|i| self.start_line + i)
            .unwrap_or(self.start_line)
    }
}

/// Splits on `---` / `...` markers at column 0, keeping line numbers.
fn split_documents(text: &str) -> Vec<Doc> {
    let mut docs = Vec::new();
    let mut cur = Doc {
        text: String::new(),
        start_line: 1,
    };
    for (i, line) in text.lines().enumerate() {
        let ln = i + 1;
        let is_start =
            line.starts_with("---") && line[3..].chars().next().is_none_or(char::is_whitespace);
        let is_end = line.starts_with("...") && line[3..].trim().is_empty();
        if is_start {
            docs.push(std::mem::replace(
                &mut cur,
                Doc {
                    // Keep the rest of the marker line (e.g. `--- # comment`) with its columns.
                    text: format!("   {}\n", &line[3..]),
                    start_line: ln,
                },
            ));
        } else if is_end {
            docs.push(std::mem::replace(
                &mut cur,
                Doc {
                    text: String::new(),
                    start_line: ln + 1,
                },
            ));
        } else {
            cur.text.push_str(line);
            cur.text.push('\n');
        }
    }
    docs.push(cur);
    docs
}

fn yaml_error(file: &str, doc: &Doc, err: &serde_norway::Error) -> EngineError {
    let mut msg = err.to_string();
    // serde_norway appends " at line L column C" relative to the document; we
    // report the absolute line ourselves.
    if let Some(pos) = msg.rfind(" at line ") {
        msg.truncate(pos);
    }
    let line = err
        .location()
        .map(|l| doc.start_line + l.line().saturating_sub(1));
    EngineError::data(
        file,
        line.or(Some(doc.start_line)),
        None,
        format!("invalid policy: {msg}"),
    )
}

fn parse_document(doc: &Doc, file: &str) -> Result<Option<Policy>> {
    let value: serde_norway::Value =
        serde_norway::from_str(&doc.text).map_err(|e| yaml_error(file, doc, &e))?;
    let map = match value {
        serde_norway::Value::Null => return Ok(None),
        serde_norway::Value::Mapping(m) => m,
        other => {
            let found = match other {
                serde_norway::Value::Sequence(_) => "a sequence",
                serde_norway::Value::String(_) => "a string",
                _ => "a scalar",
            };
            return Err(EngineError::data(
                file,
                Some(first_content_line(doc)),
                None,
                format!("expected a KubeArmor policy (a mapping with apiVersion, kind, metadata, spec), found {found}"),
            ));
        }
    };
    let get = |k: &str| map.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let kind = match get("kind") {
        Some(k) => k,
        None => {
            return Err(EngineError::data(
                file,
                Some(first_content_line(doc)),
                Some("kind"),
                "not a KubeArmor policy: expected `kind: KubeArmorPolicy`, `KubeArmorHostPolicy` or `KubeArmorClusterPolicy`, found no `kind`",
            ))
        }
    };
    let kind_line = doc.key_line("kind");
    let policy_kind = match kind.as_str() {
        "KubeArmorPolicy" => PolicyKind::Container,
        "KubeArmorHostPolicy" => PolicyKind::Host,
        "KubeArmorClusterPolicy" => PolicyKind::Cluster,
        "KubeArmorNetworkPolicy" => {
            return Err(EngineError::data(
                file,
                Some(kind_line),
                Some("kind"),
                "KubeArmorNetworkPolicy (network firewall rules) is not supported by `spl kubearmor test` yet; \
                 remove this document or test it on a cluster",
            ))
        }
        other => {
            return Err(EngineError::data(
                file,
                Some(kind_line),
                Some("kind"),
                format!(
                    "not a KubeArmor policy: expected `kind: KubeArmorPolicy`, `KubeArmorHostPolicy` or `KubeArmorClusterPolicy`, found `{other}`"
                ),
            ))
        }
    };
    match get("apiVersion") {
        Some(v) if v == API_VERSION => {}
        Some(v) => {
            return Err(EngineError::data(
                file,
                Some(doc.key_line("apiVersion")),
                Some("apiVersion"),
                format!("expected `apiVersion: {API_VERSION}`, found `{v}`"),
            ))
        }
        None => {
            let hint = if map.contains_key("Version") || map.contains_key("version") {
                " (is `Version:` a typo for `apiVersion:`?)"
            } else {
                ""
            };
            return Err(EngineError::data(
                file,
                Some(first_content_line(doc)),
                Some("apiVersion"),
                format!("expected `apiVersion: {API_VERSION}`, found no `apiVersion`{hint}"),
            ));
        }
    }
    let raw: RawManifest =
        serde_norway::from_str(&doc.text).map_err(|e| yaml_error(file, doc, &e))?;
    compile(raw, policy_kind, doc, file).map(Some)
}

fn first_content_line(doc: &Doc) -> usize {
    doc.text
        .lines()
        .position(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        })
        .map(|i| doc.start_line + i)
        .unwrap_or(doc.start_line)
}
