//! Splunk `.conf` files: `[stanza]` headers and `key = value` settings, each
//! remembered with the line it starts on so errors can name file, line and key.
//!
//! The format (Admin Manual, "Configuration file structure"; every `.spec`'s
//! "GLOBAL SETTINGS" paragraph):
//!
//! - A line whose first non-blank character is `#` is a comment; there are no
//!   comments after a value (`a = b # c` has the value `b # c`).
//! - `[name]` opens a stanza; its name is the text between the first `[` and
//!   the last `]`, trimmed. Settings before the first header belong to the
//!   global stanza, which is the same as `[default]`.
//! - `key = value` splits at the first `=`; key and value are trimmed.
//! - A line ending in a backslash continues on the next line. The backslash
//!   goes; the line break stays in the value (a multi-line saved search keeps
//!   its lines), and the next line is taken as written. An even run of
//!   trailing backslashes is text, not a continuation.
//! - A stanza may appear more than once; its settings combine, and a key set
//!   twice keeps the later value. That is the job of [`super::apps`], which
//!   merges files; this module only reads one.

use crate::error::{EngineError, Result};

/// One setting as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Setting {
    /// The key, trimmed.
    pub key: String,
    /// The value, trimmed, continuation lines joined with `\n`.
    pub value: String,
    /// 1-based line the setting starts on.
    pub line: usize,
}

/// One stanza as written (a repeated header gives two of these).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stanza {
    /// The name (`default` for the settings before any header).
    pub name: String,
    /// 1-based line of the header (0 for the implicit global stanza).
    pub line: usize,
    /// Settings in file order.
    pub settings: Vec<Setting>,
}

/// A parsed `.conf` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConfFile {
    /// The path, as errors show it.
    pub path: String,
    /// Stanzas in file order.
    pub stanzas: Vec<Stanza>,
}

/// The name of the global stanza.
pub(crate) const DEFAULT_STANZA: &str = "default";

/// True when `line` ends in an odd run of backslashes.
fn continues(line: &str) -> bool {
    line.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1
}

/// Parses the text of the file at `path`.
pub(crate) fn parse(text: &str, path: &str) -> Result<ConfFile> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut stanzas = vec![Stanza {
        name: DEFAULT_STANZA.to_string(),
        line: 0,
        settings: Vec::new(),
    }];
    let mut lines = text.split('\n').enumerate();
    while let Some((i, raw)) = lines.next() {
        let number = i + 1;
        let mut logical = raw.strip_suffix('\r').unwrap_or(raw).to_string();
        while continues(&logical) {
            logical.pop();
            match lines.next() {
                Some((_, next)) => {
                    logical.push('\n');
                    logical.push_str(next.strip_suffix('\r').unwrap_or(next));
                }
                None => break,
            }
        }
        let line = logical.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            let close = line.rfind(']').ok_or_else(|| {
                EngineError::data(
                    path,
                    Some(number),
                    None,
                    format!("expected `]` closing the stanza header, found `{line}`"),
                )
            })?;
            let after = line.get(close + 1..).unwrap_or("").trim();
            if !after.is_empty() {
                return Err(EngineError::data(
                    path,
                    Some(number),
                    None,
                    format!(
                        "expected the end of the line after the stanza header, found `{after}`"
                    ),
                ));
            }
            let name = line.get(1..close).unwrap_or("").trim().to_string();
            stanzas.push(Stanza {
                name,
                line: number,
                settings: Vec::new(),
            });
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(EngineError::data(
                path,
                Some(number),
                None,
                format!("expected `key = value` or a `[stanza]` header, found `{line}`"),
            ));
        };
        let key = key.trim();
        if key.is_empty() {
            return Err(EngineError::data(
                path,
                Some(number),
                None,
                format!("expected a key before `=`, found `{line}`"),
            ));
        }
        if let Some(stanza) = stanzas.last_mut() {
            stanza.settings.push(Setting {
                key: key.to_string(),
                value: value.trim().to_string(),
                line: number,
            });
        }
    }
    Ok(ConfFile {
        path: path.to_string(),
        stanzas,
    })
}

/// Reads and parses a `.conf` file.
pub(crate) fn read(path: &std::path::Path) -> Result<ConfFile> {
    let shown = path.display().to_string();
    let bytes = crate::text_file::read(path).map_err(|source| EngineError::Io {
        path: shown.clone(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let before = e
            .as_bytes()
            .get(..e.utf8_error().valid_up_to())
            .unwrap_or(&[]);
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        EngineError::data(
            &shown,
            Some(line),
            None,
            "expected UTF-8 text, found invalid bytes",
        )
    })?;
    parse(&text, &shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stanzas_settings_and_lines() {
        let f = parse(
            "# comment\nglobal = 1\n\n[st]\nEXTRACT-a = (?<x>\\d+)\n  # indented comment\nKV_MODE=none\n[st]\nb = c # not a comment\n",
            "props.conf",
        )
        .unwrap();
        let names: Vec<_> = f.stanzas.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["default", "st", "st"]);
        let g = &f.stanzas[0].settings[0];
        assert_eq!(
            (g.key.as_str(), g.value.as_str(), g.line),
            ("global", "1", 2)
        );
        let s = &f.stanzas[1];
        assert_eq!(s.line, 4);
        assert_eq!(s.settings[0].value, "(?<x>\\d+)");
        assert_eq!(
            (s.settings[1].key.as_str(), s.settings[1].line),
            ("KV_MODE", 7)
        );
        assert_eq!(f.stanzas[2].settings[0].value, "c # not a comment");
    }

    #[test]
    fn continuation_lines_keep_the_line_break() {
        let f = parse(
            "[s]\nFIELDALIAS-v = a AS b \\\n    c AS d\nnext = x\\\\\nlast = y\r\n",
            "p.conf",
        )
        .unwrap();
        let s = &f.stanzas[1].settings;
        assert_eq!(s[0].value, "a AS b \n    c AS d");
        assert_eq!(s[0].line, 2);
        // an even run of backslashes is text
        assert_eq!((s[1].value.as_str(), s[1].line), ("x\\\\", 4));
        assert_eq!(s[2].value, "y");
    }

    #[test]
    fn stanza_names_take_the_last_bracket() {
        let f = parse("[source::...[ab]]\nx = 1\n[ spaced ]\n", "p.conf").unwrap();
        assert_eq!(f.stanzas[1].name, "source::...[ab]");
        assert_eq!(f.stanzas[2].name, "spaced");
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let e = parse("[a]\nok = 1\nno equals here\n", "apps/x/default/props.conf").unwrap_err();
        let text = e.to_string();
        assert!(text.contains("apps/x/default/props.conf:3"), "{text}");
        assert!(text.contains("expected `key = value`"), "{text}");
        assert!(parse("[a\n", "p.conf")
            .unwrap_err()
            .to_string()
            .contains("p.conf:1"));
        assert!(parse("[a] x\n", "p.conf").is_err());
        assert!(parse(" = v\n", "p.conf").is_err());
    }
}
