//! Loading definitions from files: the corpus JSON-lines format, security_content
//! macro YAML (one file or a directory of them) and Splunk `macros.conf`.

use super::{MacroDef, MacroSet};
use crate::ParseError;
use serde::Deserialize;
use std::path::Path;

/// A `spl::macro::load` error for `path`, optionally at a 1-based line.
pub(crate) fn load_err(path: &str, line: Option<usize>, message: impl Into<String>) -> ParseError {
    let location = match line {
        Some(l) => format!("{path}:{l}"),
        None => path.to_string(),
    };
    ParseError::MacroLoad {
        location,
        path: path.to_string(),
        line,
        message: message.into(),
    }
}

pub(crate) fn load_path(set: &mut MacroSet, p: &Path) -> Result<usize, ParseError> {
    let shown = p.display().to_string();
    let meta = std::fs::metadata(p).map_err(|e| load_err(&shown, None, io_message(&e)))?;
    if meta.is_dir() {
        return load_dir(set, p);
    }
    let text = read(p)?;
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "jsonl" | "ndjson" => set.load_jsonl_str(&text, &shown),
        "yml" | "yaml" => set.load_yaml_str(&text, &shown),
        "conf" => set.load_conf_str(&text, &shown),
        _ => match sniff(&text) {
            Some(Format::Jsonl) => set.load_jsonl_str(&text, &shown),
            Some(Format::Conf) => set.load_conf_str(&text, &shown),
            Some(Format::Yaml) => set.load_yaml_str(&text, &shown),
            None => Err(load_err(
                &shown,
                None,
                "expected a macros directory, .jsonl, .yml/.yaml or .conf file, found unrecognised content",
            )),
        },
    }
}

fn io_message(e: &std::io::Error) -> String {
    e.to_string().to_lowercase()
}

/// The largest macro file read (256 MiB, as the engine's
/// `text_file::MAX_TEXT_FILE_BYTES`): `--macros /dev/zero` or an endless
/// pipe is an error after a bounded read.
pub const MAX_MACRO_FILE_BYTES: u64 = 256 << 20;

fn read(p: &Path) -> Result<String, ParseError> {
    use std::io::Read;
    let shown = p.display().to_string();
    let mut bytes = Vec::new();
    std::fs::File::open(p)
        .and_then(|f| f.take(MAX_MACRO_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| load_err(&shown, None, io_message(&e)))?;
    if bytes.len() as u64 > MAX_MACRO_FILE_BYTES {
        return Err(load_err(
            &shown,
            None,
            format!("expected at most {MAX_MACRO_FILE_BYTES} bytes (256 MiB), found more (a device or an endless pipe?)"),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = e
            .as_bytes()
            .get(..e.utf8_error().valid_up_to())
            .map(|b| b.iter().filter(|&&c| c == b'\n').count() + 1);
        load_err(&shown, line, "expected utf-8 text, found invalid bytes")
    })?;
    // A UTF-8 byte-order mark is not part of the first key.
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

enum Format {
    Jsonl,
    Conf,
    Yaml,
}

fn sniff(text: &str) -> Option<Format> {
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))?;
    if first.starts_with('{') {
        Some(Format::Jsonl)
    } else if first.starts_with('[') {
        Some(Format::Conf)
    } else if text.contains("definition:") {
        Some(Format::Yaml)
    } else {
        None
    }
}

/// `*.yml` / `*.yaml` files and `macros.conf` directly in `dir`, in name order.
fn load_dir(set: &mut MacroSet, dir: &Path) -> Result<usize, ParseError> {
    let shown = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|e| load_err(&shown, None, io_message(&e)))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| load_err(&shown, None, io_message(&e)))?;
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().to_string();
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".yml") || lower.ends_with(".yaml") || lower == "macros.conf" {
            files.push((name, path));
        }
    }
    if files.is_empty() {
        return Err(load_err(
            &shown,
            None,
            "expected macro files (*.yml, *.yaml or macros.conf) in the directory, found none",
        ));
    }
    files.sort();
    let mut n = 0;
    for (_, path) in files {
        n += load_path(set, &path)?;
    }
    Ok(n)
}

/// A corpus `macros.jsonl` record.
#[derive(Deserialize)]
struct JsonMacro {
    name: String,
    definition: String,
    #[serde(default)]
    args: Option<Vec<String>>,
    #[serde(default)]
    iseval: Option<bool>,
    #[serde(default)]
    validation: Option<String>,
    #[serde(default)]
    errormsg: Option<String>,
}

pub(crate) fn parse_jsonl(text: &str, origin: &str) -> Result<Vec<MacroDef>, ParseError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let m: JsonMacro = serde_json::from_str(line)
            .map_err(|e| load_err(origin, Some(line_no), json_message(&e)))?;
        let def = MacroDef {
            name: m.name,
            args: m.args.unwrap_or_default(),
            definition: m.definition,
            iseval: m.iseval.unwrap_or(false),
            validation: m.validation,
            errormsg: m.errormsg,
            origin: format!("{origin}:{line_no}"),
        };
        validate(&def).map_err(|msg| load_err(origin, Some(line_no), msg))?;
        out.push(def);
    }
    Ok(out)
}

fn json_message(e: &serde_json::Error) -> String {
    // serde_json's Display appends "at line 1 column N"; the line is ours.
    let s = e.to_string();
    let msg = s.split(" at line ").next().unwrap_or(&s).to_string();
    format!("{msg} (column {})", e.column())
}

/// A security_content `macros/*.yml` document.
#[derive(Deserialize)]
struct YamlMacro {
    name: String,
    definition: String,
    #[serde(default)]
    arguments: Option<Vec<String>>,
    #[serde(default)]
    args: Option<Vec<String>>,
    #[serde(default)]
    iseval: Option<bool>,
    #[serde(default)]
    validation: Option<String>,
    #[serde(default)]
    errormsg: Option<String>,
}

pub(crate) fn parse_yaml(text: &str, origin: &str) -> Result<Vec<MacroDef>, ParseError> {
    let is_list = text
        .lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with('#') && *l != "---")
        .is_some_and(|l| l.starts_with("- ") || l == "-");
    let docs: Vec<YamlMacro> = if is_list {
        serde_norway::from_str(text).map_err(|e| yaml_err(origin, &e))?
    } else {
        vec![serde_norway::from_str(text).map_err(|e| yaml_err(origin, &e))?]
    };
    let mut out = Vec::with_capacity(docs.len());
    for m in docs {
        let def = MacroDef {
            name: m.name.trim().to_string(),
            args: m.arguments.or(m.args).unwrap_or_default(),
            definition: m.definition,
            iseval: m.iseval.unwrap_or(false),
            validation: m.validation,
            errormsg: m.errormsg,
            origin: origin.to_string(),
        };
        validate(&def).map_err(|msg| load_err(origin, None, msg))?;
        out.push(def);
    }
    Ok(out)
}

fn yaml_err(origin: &str, e: &serde_norway::Error) -> ParseError {
    let line = e.location().map(|l| l.line());
    let s = e.to_string();
    let msg = s.split(" at line ").next().unwrap_or(&s).to_string();
    load_err(origin, line, msg)
}

/// Checks a definition loaded from a file: a usable name, distinct argument
/// names made of `[A-Za-z0-9_-]` (what `$name$` can reference).
pub(crate) fn validate(def: &MacroDef) -> Result<(), String> {
    let name = def.name.as_str();
    if name.is_empty() {
        return Err("expected a macro name, found an empty name".to_string());
    }
    if let Some(c) = name
        .chars()
        .find(|c| c.is_whitespace() || matches!(c, '(' | ')' | ',' | '"' | '`' | '$' | '='))
    {
        return Err(format!(
            "expected a macro name, found `{name}` (character {c:?} is not allowed)"
        ));
    }
    for (i, a) in def.args.iter().enumerate() {
        if a.is_empty() || !a.bytes().all(super::scan::is_arg_name_char) {
            return Err(format!(
                "expected argument names of letters, digits, `_` or `-`, found `{a}` in `{}`",
                def.key()
            ));
        }
        if def.args.get(..i).is_some_and(|prev| prev.contains(a)) {
            return Err(format!(
                "argument `{a}` of `{}` is declared twice",
                def.key()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_reports_line_and_column() {
        let text = "{\"name\":\"a\",\"definition\":\"x\",\"args\":[]}\n\n{\"name\":\"b\"}\n";
        let err = parse_jsonl(text, "m.jsonl").unwrap_err();
        match err {
            ParseError::MacroLoad {
                line,
                location,
                message,
                ..
            } => {
                assert_eq!(line, Some(3));
                assert_eq!(location, "m.jsonl:3");
                assert!(message.contains("definition"), "{message}");
            }
            e => panic!("unexpected {e:?}"),
        }
    }

    #[test]
    fn yaml_single_and_list() {
        let one = "name: a\ndefinition: index=x\narguments: []\ndescription: d\n";
        let defs = parse_yaml(one, "a.yml").unwrap();
        assert_eq!(defs.len(), 1);
        assert_eq!(defs[0].definition, "index=x");
        let list = "- name: a\n  definition: x\n- name: b\n  definition: y $v$\n  arguments: [v]\n";
        let defs = parse_yaml(list, "l.yml").unwrap();
        assert_eq!(defs.len(), 2);
        assert_eq!(defs[1].args, ["v"]);
    }

    #[test]
    fn yaml_errors_have_lines() {
        let bad = "name: a\ndescription: no definition\n";
        assert!(matches!(
            parse_yaml(bad, "b.yml"),
            Err(ParseError::MacroLoad { .. })
        ));
        let bad = "name: a\ndefinition: [unclosed\n";
        match parse_yaml(bad, "c.yml").unwrap_err() {
            ParseError::MacroLoad { line, .. } => assert!(line.is_some()),
            e => panic!("unexpected {e:?}"),
        }
    }

    #[test]
    fn bad_argument_names_are_rejected() {
        let text = "{\"name\":\"a\",\"definition\":\"$x y$\",\"args\":[\"x y\"]}\n";
        assert!(parse_jsonl(text, "m.jsonl").is_err());
        let text = "{\"name\":\"a b\",\"definition\":\"x\"}\n";
        assert!(parse_jsonl(text, "m.jsonl").is_err());
        let text = "{\"name\":\"a\",\"definition\":\"x\",\"args\":[\"v\",\"v\"]}\n";
        assert!(parse_jsonl(text, "m.jsonl").is_err());
    }

    #[test]
    fn sniffing() {
        assert!(matches!(sniff("# c\n{\"a\":1}"), Some(Format::Jsonl)));
        assert!(matches!(sniff("[m]\ndefinition = x"), Some(Format::Conf)));
        assert!(matches!(
            sniff("name: m\ndefinition: x"),
            Some(Format::Yaml)
        ));
        assert!(sniff("hello").is_none());
    }
}
