//! Automatic key/value extraction: props.conf `KV_MODE` (with `AUTO_KV_JSON`
//! and `KV_TRIM_SPACES`), read from `_raw`.
//!
//! - `auto` (the default): `key=value` pairs. A key is a run of letters,
//!   digits, `_`, `.` and `-` right before `=` (no space around `=`), cleaned
//!   like transform keys (`src-ip` is `src_ip`). A value is either quoted
//!   (`"..."`, up to the next `"`; spaces around it trimmed unless
//!   `KV_TRIM_SPACES = false`) or runs to the next space, tab, line break,
//!   `,`, `;` or `"`. Empty values are skipped (transforms.conf.spec:
//!   "Autokv ignores field/value pairs with empty values"). The scan resumes
//!   after each value, so `url=http://h/?a=1` gives `url` only. When `_raw`
//!   is a JSON object and `AUTO_KV_JSON` is not false, its JSON fields are
//!   extracted too, before the pairs.
//! - `auto_escaped`: as `auto`, and `\"` and `\\` inside quoted values are
//!   escapes for `"` and `\`.
//! - `json`: `_raw` holds one JSON object; fields are named by path as for
//!   JSON events and `spath` (`a.b`, `list{}`). Anything else gives nothing.
//! - `xml`: `_raw` holds XML; each element's text is a field named by the
//!   element path from the root (`Event.System.EventID`), each attribute a
//!   field `<path>{@<name>}`, as `spath` names XML. Anything else gives
//!   nothing.
//! - `none` and `multi` extract nothing (`multi` marks table-formatted
//!   events: the `multikv` command turns them into one result per row).
//!
//! A key met several times in one event gives a multivalue field in order of
//! appearance. A field that already has a value before this step keeps it.

use super::apps::Value;
use super::extract::clean_key;
use super::work::Work;
use crate::error::Result;
use crate::source::json_flatten::flatten_document;
use indexmap::IndexMap;
use std::borrow::Cow;

/// `KV_MODE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KvMode {
    /// No automatic extraction.
    None,
    /// `key=value` pairs (and JSON, unless `AUTO_KV_JSON = false`).
    Auto,
    /// `auto` honouring `\"` and `\\`.
    AutoEscaped,
    /// Tables for the `multikv` command: nothing extracted automatically.
    Multi,
    /// A JSON object.
    Json,
    /// XML.
    Xml,
}

impl KvMode {
    /// Parses a `KV_MODE` value (any case); empty is the default, `auto`.
    pub(crate) fn parse(v: &Value) -> Result<KvMode> {
        Ok(match v.value.trim().to_ascii_lowercase().as_str() {
            "" | "auto" => KvMode::Auto,
            "none" => KvMode::None,
            "auto_escaped" => KvMode::AutoEscaped,
            "multi" => KvMode::Multi,
            "json" => KvMode::Json,
            "xml" => KvMode::Xml,
            other => {
                return Err(v.error(
                    "KV_MODE",
                    format!(
                        "expected none, auto, auto_escaped, multi, json or xml, found `{other}`"
                    ),
                ))
            }
        })
    }

    /// True when this mode extracts nothing.
    pub(crate) fn is_off(self) -> bool {
        matches!(self, KvMode::None | KvMode::Multi)
    }
}

/// The automatic extraction settings of one event's props.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KvConfig {
    /// `KV_MODE`.
    pub mode: KvMode,
    /// `AUTO_KV_JSON` (default true).
    pub auto_json: bool,
    /// `KV_TRIM_SPACES` (default true).
    pub trim_spaces: bool,
    /// Keys are cleaned as transform keys are (default true; the
    /// `extract` command's `clean_keys=false` turns it off).
    pub clean_keys: bool,
}

impl Default for KvConfig {
    fn default() -> Self {
        KvConfig {
            mode: KvMode::Auto,
            auto_json: true,
            trim_spaces: true,
            clean_keys: true,
        }
    }
}

/// Runs the extraction over every row; only fields `wanted` accepts are kept.
pub(crate) fn run(cfg: &KvConfig, work: &mut Work<'_>, wanted: &dyn Fn(&str) -> bool) {
    if cfg.mode.is_off() {
        return;
    }
    for row in 0..work.rows() {
        let mut found: IndexMap<String, Vec<String>> = IndexMap::new();
        {
            let Some(raw) = work.first(row, "_raw") else {
                continue;
            };
            let mut emit = |k: String, v: String| {
                if !k.is_empty() && wanted(&k) {
                    found.entry(k).or_default().push(v);
                }
            };
            extract(cfg, &raw, &mut emit);
        }
        for (k, vals) in found {
            if !work.has(row, &k) {
                work.set(row, &k, vals);
            }
        }
    }
}

/// The pairs of one `_raw`.
pub(crate) fn extract(cfg: &KvConfig, raw: &str, emit: &mut dyn FnMut(String, String)) {
    match cfg.mode {
        KvMode::None | KvMode::Multi => {}
        KvMode::Auto | KvMode::AutoEscaped => {
            if cfg.auto_json && raw.trim_start().starts_with('{') {
                json(raw, emit);
            }
            let clean = cfg.clean_keys;
            pairs(
                raw,
                cfg.mode == KvMode::AutoEscaped,
                cfg.trim_spaces,
                &mut |k, v| emit(if clean { clean_key(&k) } else { k }, v),
            );
        }
        KvMode::Json => json(raw, emit),
        KvMode::Xml => xml(raw, emit),
    }
}

fn json(raw: &str, emit: &mut dyn FnMut(String, String)) {
    let text = raw.trim();
    let mut found = Vec::new();
    let ok = flatten_document(text, &mut |k: &str, v: Cow<'_, str>| {
        found.push((k.to_string(), v.into_owned()));
    });
    if ok.is_ok() {
        for (k, v) in found {
            emit(k, v);
        }
    }
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')
}

/// `key=value` pairs.
fn pairs(raw: &str, escaped: bool, trim: bool, emit: &mut dyn FnMut(String, String)) {
    let bytes = raw.as_bytes();
    let mut i = 0;
    while let Some(off) = raw.get(i..).and_then(|r| r.find('=')) {
        let eq = i + off;
        let mut ks = eq;
        while ks > i && bytes.get(ks - 1).is_some_and(|&b| is_key_byte(b)) {
            ks -= 1;
        }
        let key = raw.get(ks..eq).unwrap_or("");
        let start = eq + 1;
        if key.is_empty() {
            i = start;
            continue;
        }
        let (value, end) = if bytes.get(start) == Some(&b'"') {
            match quoted(raw, start + 1, escaped) {
                Some((v, end)) => (
                    if trim {
                        v.trim_matches(' ').to_string()
                    } else {
                        v
                    },
                    end,
                ),
                None => unquoted(raw, start),
            }
        } else {
            unquoted(raw, start)
        };
        if !value.is_empty() {
            emit(key.to_string(), value);
        }
        i = end.max(start);
    }
}

fn unquoted(raw: &str, start: usize) -> (String, usize) {
    let rest = raw.get(start..).unwrap_or("");
    let len = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '"'))
        .unwrap_or(rest.len());
    (rest[..len].to_string(), start + len)
}

/// A quoted value starting after its opening quote: the text and the index
/// after the closing quote.
fn quoted(raw: &str, start: usize, escaped: bool) -> Option<(String, usize)> {
    let rest = raw.get(start..)?;
    let mut out = String::new();
    let mut chars = rest.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, start + i + 1)),
            '\\' if escaped => match chars.next() {
                Some((_, n @ ('"' | '\\'))) => out.push(n),
                Some((_, n)) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            },
            c => out.push(c),
        }
    }
    None
}

/// Decodes XML character references and the five named entities.
pub(crate) fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let Some(semi) = after.find(';').filter(|&s| s <= 12) else {
            out.push('&');
            rest = &after[1..];
            continue;
        };
        let name = &after[1..semi];
        let decoded = match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            n => n
                .strip_prefix("#x")
                .or_else(|| n.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| n.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The attributes of a start tag's inside (after the name).
fn attributes(mut s: &str, mut emit: impl FnMut(&str, String)) {
    loop {
        s = s.trim_start();
        let Some(eq) = s.find('=') else { return };
        let name = s[..eq].trim();
        let rest = s[eq + 1..].trim_start();
        let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            return;
        };
        let Some(close) = rest[1..].find(q) else {
            return;
        };
        if !name.is_empty() && !name.contains(char::is_whitespace) {
            emit(name, decode(&rest[1..1 + close]));
        }
        s = &rest[close + 2..];
    }
}

/// XML elements and attributes, named by path (`KV_MODE = xml`, and
/// `spath` over XML).
pub(crate) fn xml(raw: &str, emit: &mut dyn FnMut(String, String)) {
    let text = raw.trim_start();
    if !text.starts_with('<') {
        return;
    }
    // open elements: name and the text met directly inside
    let mut stack: Vec<(String, String)> = Vec::new();
    let path = |stack: &[(String, String)]| {
        stack
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(".")
    };
    let mut rest = text;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if let Some(top) = stack.last_mut() {
                top.1.push_str(&decode(rest));
            }
            break;
        };
        if lt > 0 {
            if let Some(top) = stack.last_mut() {
                top.1.push_str(&decode(&rest[..lt]));
            }
        }
        rest = &rest[lt..];
        let skip_to = |rest: &str, end: &str| rest.find(end).map(|i| i + end.len());
        if rest.starts_with("<!--") {
            let Some(n) = skip_to(rest, "-->") else { break };
            rest = &rest[n..];
        } else if let Some(body) = rest.strip_prefix("<![CDATA[") {
            let Some(n) = body.find("]]>") else { break };
            if let Some(top) = stack.last_mut() {
                top.1.push_str(&body[..n]);
            }
            rest = &body[n + 3..];
        } else if rest.starts_with("<?") {
            let Some(n) = skip_to(rest, "?>") else { break };
            rest = &rest[n..];
        } else if rest.starts_with("<!") {
            let Some(n) = skip_to(rest, ">") else { break };
            rest = &rest[n..];
        } else if let Some(close) = rest.strip_prefix("</") {
            let Some(gt) = close.find('>') else { break };
            let name = close[..gt].trim();
            if let Some(pos) = stack.iter().rposition(|(n, _)| n == name) {
                while stack.len() > pos {
                    let p = path(&stack);
                    if let Some((_, t)) = stack.pop() {
                        let t = t.trim();
                        if !t.is_empty() {
                            emit(p, t.to_string());
                        }
                    }
                }
            }
            rest = &close[gt + 1..];
        } else {
            let Some(gt) = rest.find('>') else { break };
            let inner = &rest[1..gt];
            let self_closing = inner.ends_with('/');
            let inner = inner.trim_end_matches('/');
            let name_end = inner
                .find(|c: char| c.is_whitespace())
                .unwrap_or(inner.len());
            let name = &inner[..name_end];
            if name.is_empty() {
                rest = &rest[gt + 1..];
                continue;
            }
            stack.push((name.to_string(), String::new()));
            let p = path(&stack);
            attributes(&inner[name_end..], |a, v| emit(format!("{p}{{@{a}}}"), v));
            if self_closing {
                stack.pop();
            }
            rest = &rest[gt + 1..];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(mode: KvMode, raw: &str) -> Vec<(String, String)> {
        let cfg = KvConfig {
            mode,
            ..KvConfig::default()
        };
        let mut out = Vec::new();
        extract(&cfg, raw, &mut |k, v| out.push((k, v)));
        out
    }

    fn pairs_of(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn auto_pairs() {
        assert_eq!(
            all(
                KvMode::Auto,
                r#"2024-01-01 user=alice src-ip=10.0.0.1, msg=" hi there " empty= n=1;x=2 url=http://h/?a=1"#
            ),
            pairs_of(&[
                ("user", "alice"),
                ("src_ip", "10.0.0.1"),
                ("msg", "hi there"),
                ("n", "1"),
                ("x", "2"),
                ("url", "http://h/?a=1"),
            ])
        );
        // without escapes, `\"` ends the value at the quote
        assert_eq!(
            all(KvMode::Auto, r#"a="x \"y\"" b=2"#)[0],
            ("a".to_string(), "x \\".to_string())
        );
        assert_eq!(
            all(KvMode::AutoEscaped, r#"a="x \"y\" \\z" b=2"#),
            pairs_of(&[("a", "x \"y\" \\z"), ("b", "2")])
        );
        assert!(all(KvMode::None, "a=1").is_empty());
        assert!(all(KvMode::Multi, "a=1").is_empty());
    }

    #[test]
    fn trim_spaces_can_be_turned_off() {
        let cfg = KvConfig {
            trim_spaces: false,
            ..KvConfig::default()
        };
        let mut out = Vec::new();
        extract(&cfg, r#"a=" x ""#, &mut |k, v| out.push((k, v)));
        assert_eq!(out, pairs_of(&[("a", " x ")]));
    }

    #[test]
    fn json_modes() {
        let raw = r#"{"a": {"b": 1}, "l": ["x", "y"], "s": "k=v"}"#;
        assert_eq!(
            all(KvMode::Json, raw),
            pairs_of(&[("a.b", "1"), ("l{}", "x"), ("l{}", "y"), ("s", "k=v")])
        );
        // auto reads the JSON and then the pairs inside it
        let auto = all(KvMode::Auto, raw);
        assert!(auto.contains(&("a.b".into(), "1".into())));
        assert!(auto.contains(&("k".into(), "v".into())));
        let cfg = KvConfig {
            auto_json: false,
            ..KvConfig::default()
        };
        let mut out = Vec::new();
        extract(&cfg, raw, &mut |k, v| out.push((k, v)));
        assert_eq!(out, pairs_of(&[("k", "v")]));
        assert!(all(KvMode::Json, "not json a=1").is_empty());
    }

    #[test]
    fn xml_paths_and_attributes() {
        let raw = r#"<?xml version="1.0"?><Event xmlns="x"><System><Provider Name="Sec &amp; Co"/><EventID>4625</EventID></System><!-- c --><Data Name="a">1</Data><Data Name="b"><![CDATA[<2>]]></Data></Event>"#;
        assert_eq!(
            all(KvMode::Xml, raw),
            pairs_of(&[
                ("Event{@xmlns}", "x"),
                ("Event.System.Provider{@Name}", "Sec & Co"),
                ("Event.System.EventID", "4625"),
                ("Event.Data{@Name}", "a"),
                ("Event.Data", "1"),
                ("Event.Data{@Name}", "b"),
                ("Event.Data", "<2>"),
            ])
        );
        assert!(all(KvMode::Xml, "a=1 <b>2</b>").is_empty());
        assert_eq!(decode("&#65;&#x42;&bogus;"), "AB&bogus;");
    }
}
