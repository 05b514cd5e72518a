//! Lookup definitions: security_content lookup YAML files and Splunk
//! `transforms.conf` stanzas, reduced to the match settings the engine uses.

use crate::error::{EngineError, Result};
use std::collections::HashMap;
use std::path::Path;

/// How a lookup matches and what it returns (transforms.conf settings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupConfig {
    /// At most this many matching rows per event, in file order (default 100).
    pub max_matches: usize,
    /// Fewer matches than this are padded with `default_match` (default 0).
    pub min_matches: usize,
    /// Padding value for `min_matches` (default the empty string).
    pub default_match: String,
    /// Exact, case-sensitive key comparison when true (default true).
    pub case_sensitive: bool,
    /// Table columns whose values are `*` wildcard patterns (`WILDCARD(f)`).
    pub wildcard_fields: Vec<String>,
    /// Table columns whose values are CIDR subnets (`CIDR(f)`).
    pub cidr_fields: Vec<String>,
    /// The CSV file of a file-based definition.
    pub filename: Option<String>,
    /// The KV-store collection of a collection definition.
    pub collection: Option<String>,
    /// The declared fields of a collection definition.
    pub fields_list: Vec<String>,
}

impl Default for LookupConfig {
    fn default() -> Self {
        LookupConfig {
            max_matches: 100,
            min_matches: 0,
            default_match: String::new(),
            case_sensitive: true,
            wildcard_fields: Vec::new(),
            cidr_fields: Vec::new(),
            filename: None,
            collection: None,
            fields_list: Vec::new(),
        }
    }
}

/// How one key column is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MatchKind {
    Exact,
    Wildcard,
    Cidr,
}

impl LookupConfig {
    pub(crate) fn match_kind(&self, column: &str) -> MatchKind {
        if self.wildcard_fields.iter().any(|f| f == column) {
            MatchKind::Wildcard
        } else if self.cidr_fields.iter().any(|f| f == column) {
            MatchKind::Cidr
        } else {
            MatchKind::Exact
        }
    }

    /// Applies one `key = value` setting; unknown keys are ignored (transforms.conf
    /// has many settings that do not affect matching).
    fn set(&mut self, key: &str, value: &str, origin: &str) -> Result<()> {
        let bad = |what: &str| {
            EngineError::data(
                origin,
                None,
                Some(key),
                format!("expected {what}, found `{value}`"),
            )
        };
        match key {
            "max_matches" => {
                self.max_matches = value.trim().parse().map_err(|_| bad("a whole number"))?;
                // Splunk caps max_matches at 1000 and treats 0 as 1.
                self.max_matches = self.max_matches.clamp(1, 1000);
            }
            "min_matches" => {
                self.min_matches = value.trim().parse().map_err(|_| bad("a whole number"))?
            }
            "default_match" => self.default_match = value.to_string(),
            "case_sensitive_match" => {
                self.case_sensitive = spl_parser::options::parse_conf_bool(value)
                    .ok_or_else(|| bad("true or false"))?
            }
            "match_type" => self.set_match_type(value).map_err(|m| bad(&m))?,
            "filename" => self.filename = Some(value.trim().to_string()),
            "collection" => self.collection = Some(value.trim().to_string()),
            "fields_list" => {
                self.fields_list = value
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            }
            _ => {}
        }
        Ok(())
    }

    /// `WILDCARD(a), CIDR(b)`: the argument may list several fields.
    fn set_match_type(&mut self, value: &str) -> std::result::Result<(), String> {
        let mut rest = value.trim();
        while !rest.is_empty() {
            let open = rest.find('(').ok_or("`WILDCARD(field)` or `CIDR(field)`")?;
            let close = rest.find(')').ok_or("a closing `)`")?;
            let kind = rest
                .get(..open)
                .unwrap_or_default()
                .trim()
                .to_ascii_uppercase();
            let fields = rest.get(open + 1..close).ok_or("`WILDCARD(field)`")?;
            let target = match kind.as_str() {
                "WILDCARD" => &mut self.wildcard_fields,
                "CIDR" => &mut self.cidr_fields,
                "EXACT" => &mut Vec::new(),
                _ => return Err("`WILDCARD(field)`, `CIDR(field)` or `EXACT(field)`".into()),
            };
            target.extend(
                fields
                    .split(',')
                    .map(str::trim)
                    .filter(|f| !f.is_empty())
                    .map(str::to_string),
            );
            rest = rest
                .get(close + 1..)
                .unwrap_or_default()
                .trim_start_matches([',', ' ', '\t']);
        }
        Ok(())
    }
}

/// A lookup definition: its name and settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Definition {
    pub name: String,
    pub config: LookupConfig,
}

/// Reads a security_content lookup YAML file; `Ok(None)` when the file is not a
/// lookup definition (other YAML may share the directory).
pub(crate) fn parse_yaml_definition(text: &str, origin: &str) -> Result<Option<Definition>> {
    let Ok(value) = serde_norway::from_str::<serde_norway::Value>(text) else {
        return Ok(None);
    };
    let Some(map) = value.as_mapping() else {
        return Ok(None);
    };
    let get = |k: &str| map.get(k).and_then(yaml_scalar);
    let Some(name) = get("name") else {
        return Ok(None);
    };
    if get("filename").is_none() && get("collection").is_none() {
        return Ok(None);
    }
    let mut config = LookupConfig::default();
    for key in [
        "filename",
        "collection",
        "fields_list",
        "match_type",
        "max_matches",
        "min_matches",
        "default_match",
        "case_sensitive_match",
    ] {
        if let Some(v) = get(key) {
            config.set(key, &v, origin)?;
        }
    }
    Ok(Some(Definition { name, config }))
}

fn yaml_scalar(v: &serde_norway::Value) -> Option<String> {
    match v {
        serde_norway::Value::String(s) => Some(s.clone()),
        serde_norway::Value::Bool(b) => Some(b.to_string()),
        serde_norway::Value::Number(n) => Some(n.to_string()),
        serde_norway::Value::Sequence(items) => Some(
            items
                .iter()
                .filter_map(yaml_scalar)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        _ => None,
    }
}

impl LookupConfig {
    /// The lookup definition of one merged transforms.conf stanza, given as
    /// (key, value, file, line) settings: `None` when the stanza defines no
    /// lookup (no `filename`, `collection` or `external_type = kvstore`). A
    /// bad value is an error naming its file, line and key.
    pub(crate) fn from_settings<'s>(
        settings: impl Iterator<Item = (&'s str, &'s str, &'s str, usize)>,
    ) -> Result<Option<LookupConfig>> {
        let mut cfg = LookupConfig::default();
        let mut kvstore = false;
        for (key, value, file, line) in settings {
            if key == "external_type" && value.trim() == "kvstore" {
                kvstore = true;
            }
            cfg.set(key, value.trim(), file)
                .map_err(|e| relocate(e, line))?;
        }
        let is_lookup = kvstore
            || cfg.filename.as_deref().is_some_and(|f| !f.is_empty())
            || cfg.collection.as_deref().is_some_and(|c| !c.is_empty());
        Ok(is_lookup.then_some(cfg))
    }
}

/// Parses a `transforms.conf`: every stanza with a `filename` or `collection`
/// (or `external_type = kvstore`) becomes a definition.
pub(crate) fn parse_transforms_conf(
    text: &str,
    origin: &str,
) -> Result<HashMap<String, LookupConfig>> {
    let mut out = HashMap::new();
    let mut current: Option<(String, LookupConfig, bool)> = None;
    let finish = |cur: Option<(String, LookupConfig, bool)>,
                  out: &mut HashMap<String, LookupConfig>| {
        if let Some((name, cfg, is_lookup)) = cur {
            if is_lookup || cfg.filename.is_some() || cfg.collection.is_some() {
                out.insert(name, cfg);
            }
        }
    };
    let mut lines = text.lines().enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        let mut line = line.trim().to_string();
        // A trailing backslash continues the value on the next line.
        while line.ends_with('\\') {
            line.pop();
            match lines.next() {
                Some((_, next)) => line.push_str(next.trim()),
                None => break,
            }
        }
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(stanza) = line.strip_prefix('[') {
            let name = stanza.strip_suffix(']').ok_or_else(|| {
                EngineError::data(
                    origin,
                    Some(i + 1),
                    None,
                    format!("expected `]` closing the stanza, found `{line}`"),
                )
            })?;
            finish(current.take(), &mut out);
            current = Some((name.trim().to_string(), LookupConfig::default(), false));
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(EngineError::data(
                origin,
                Some(i + 1),
                None,
                format!("expected `key = value`, found `{line}`"),
            ));
        };
        if let Some((_, cfg, is_lookup)) = current.as_mut() {
            let key = key.trim();
            if key == "external_type" && value.trim() == "kvstore" {
                *is_lookup = true;
            }
            cfg.set(key, value.trim(), origin)
                .map_err(|e| relocate(e, i + 1))?;
        }
    }
    finish(current.take(), &mut out);
    Ok(out)
}

fn relocate(e: EngineError, line: usize) -> EngineError {
    match e {
        EngineError::Data {
            file,
            field,
            message,
            ..
        } => EngineError::Data {
            file,
            line: Some(line),
            field,
            message,
        },
        other => other,
    }
}

/// Reads every lookup definition stored directly in `dir` (YAML files).
pub(crate) fn yaml_definitions_in(dir: &Path) -> Result<HashMap<String, Definition>> {
    let mut out = HashMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(out);
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e == "yml" || e == "yaml")
        })
        .collect();
    paths.sort();
    for p in paths {
        let Ok(text) = crate::text_file::read_to_string(&p) else {
            continue;
        };
        if let Some(def) = parse_yaml_definition(&text, &p.display().to_string())? {
            out.entry(def.name.clone()).or_insert(def);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn security_content_yaml() {
        let d = parse_yaml_definition(
            "name: browser_app_list\nfilename: browser_app_list.csv\nmatch_type: WILDCARD(browser_process_name), WILDCARD(browser_object_path)\nmin_matches: 1\nmax_matches: 1\ndefault_match: 'false'\ncase_sensitive_match: 'false'\n",
            "x.yml",
        )
        .unwrap()
        .unwrap();
        assert_eq!(d.name, "browser_app_list");
        let c = d.config;
        assert_eq!(
            c.wildcard_fields,
            ["browser_process_name", "browser_object_path"]
        );
        assert_eq!((c.min_matches, c.max_matches), (1, 1));
        assert_eq!(c.default_match, "false");
        assert!(!c.case_sensitive);
        let kv = parse_yaml_definition(
            "name: k8s_container_network_io_ratio_baseline\ncollection: k8s_container_network_io_ratio_baseline\nfields_list: key, avg_outbound_network_io, count\n",
            "y.yml",
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            kv.config.fields_list,
            ["key", "avg_outbound_network_io", "count"]
        );
        assert!(
            parse_yaml_definition("apiVersion: v1\nkind: Policy\n", "z.yml")
                .unwrap()
                .is_none()
        );
        assert!(parse_yaml_definition("name: [unclosed", "z.yml")
            .unwrap()
            .is_none());
        assert!(
            parse_yaml_definition("name: x\nfilename: x.csv\nmax_matches: lots\n", "z.yml")
                .is_err()
        );
        for (given, used) in [("0", 1), ("5000", 1000), ("7", 7)] {
            let yaml = format!("name: x\nfilename: x.csv\nmax_matches: {given}\n");
            let d = parse_yaml_definition(&yaml, "m.yml").unwrap().unwrap();
            assert_eq!(d.config.max_matches, used);
        }
    }

    #[test]
    fn transforms_conf() {
        let conf = "# comment\n[geo_nets]\nfilename = nets.csv\nmatch_type = CIDR(net), WILDCARD(host)\nmax_matches = 5\ncase_sensitive_match = false\n\n[kv]\nexternal_type = kvstore\ncollection = kvcoll\nfields_list = _key, a, \\\n  b\n[not_a_lookup]\nREGEX = (.*)\n";
        let defs = parse_transforms_conf(conf, "transforms.conf").unwrap();
        let g = defs.get("geo_nets").unwrap();
        assert_eq!(g.filename.as_deref(), Some("nets.csv"));
        assert_eq!(g.cidr_fields, ["net"]);
        assert_eq!(g.wildcard_fields, ["host"]);
        assert_eq!(g.max_matches, 5);
        assert!(!g.case_sensitive);
        assert_eq!(defs.get("kv").unwrap().fields_list, ["_key", "a", "b"]);
        assert!(!defs.contains_key("not_a_lookup"));
        let e = parse_transforms_conf("[x]\nfilename = a.csv\nmax_matches = many\n", "t.conf")
            .unwrap_err();
        assert!(e.to_string().contains("t.conf:3"), "{e}");
        assert!(parse_transforms_conf("[x\n", "t.conf").is_err());
    }
}
