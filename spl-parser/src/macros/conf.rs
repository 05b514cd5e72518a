//! Splunk `macros.conf` parsing.
//!
//! Format (macros.conf.spec and the generic .conf rules): `[stanza]` headers,
//! `key = value` lines, `#` comment lines, and a trailing `\` continuing a
//! value on the next line (the line break is kept, as Splunk does for
//! multi-line searches). Stanzas are `name` or `name(N)` where N is the number
//! of `args`. Repeated stanzas merge, later keys winning; `[default]` and keys
//! before the first stanza do not define macros and are ignored.

use super::load::{load_err, validate};
use super::MacroDef;
use crate::ParseError;
use indexmap::IndexMap;

#[derive(Default)]
struct Stanza {
    line: usize,
    keys: IndexMap<String, (String, usize)>,
}

pub(crate) fn parse_conf(text: &str, origin: &str) -> Result<Vec<MacroDef>, ParseError> {
    let stanzas = read_stanzas(text, origin)?;
    let mut out = Vec::new();
    for (header, st) in stanzas {
        if header == "default" {
            continue;
        }
        out.push(stanza_to_def(&header, &st, origin)?);
    }
    Ok(out)
}

/// Logical lines (continuations joined) with the 1-based line they start on.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let (body, continues) = match line.strip_suffix('\\') {
            // `\\` at the end is an escaped backslash, not a continuation.
            Some(b) if !b.ends_with('\\') => (b, true),
            _ => (line, false),
        };
        match cur.as_mut() {
            Some((_, acc)) => {
                acc.push('\n');
                acc.push_str(body);
            }
            None => cur = Some((i + 1, body.to_string())),
        }
        if !continues {
            if let Some(done) = cur.take() {
                out.push(done);
            }
        }
    }
    if let Some(done) = cur.take() {
        out.push(done);
    }
    out
}

fn read_stanzas(text: &str, origin: &str) -> Result<IndexMap<String, Stanza>, ParseError> {
    let mut stanzas: IndexMap<String, Stanza> = IndexMap::new();
    let mut current: Option<String> = None;
    for (line_no, line) in logical_lines(text) {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if t.starts_with('[') {
            let Some(close) = t.rfind(']') else {
                return Err(load_err(
                    origin,
                    Some(line_no),
                    format!("expected `]` closing the stanza header, found `{t}`"),
                ));
            };
            let name = t.get(1..close).unwrap_or("").trim().to_string();
            if name.is_empty() {
                return Err(load_err(
                    origin,
                    Some(line_no),
                    "expected a stanza name, found `[]`",
                ));
            }
            stanzas.entry(name.clone()).or_insert_with(|| Stanza {
                line: line_no,
                keys: IndexMap::new(),
            });
            current = Some(name);
            continue;
        }
        let Some(eq) = t.find('=') else {
            let shown: String = t.chars().take(40).collect();
            return Err(load_err(
                origin,
                Some(line_no),
                format!("expected `key = value` or `[stanza]`, found `{shown}`"),
            ));
        };
        let key = t.get(..eq).unwrap_or("").trim().to_string();
        let value = t.get(eq + 1..).unwrap_or("").trim().to_string();
        if key.is_empty() {
            return Err(load_err(
                origin,
                Some(line_no),
                "expected a key before `=`, found nothing",
            ));
        }
        if let Some(st) = current.as_ref().and_then(|c| stanzas.get_mut(c)) {
            st.keys.insert(key, (value, line_no));
        }
    }
    Ok(stanzas)
}

fn stanza_to_def(header: &str, st: &Stanza, origin: &str) -> Result<MacroDef, ParseError> {
    let err = |line: usize, msg: String| load_err(origin, Some(line), msg);
    let (name, arity) = split_header(header).map_err(|m| err(st.line, m))?;
    let args: Vec<String> = match st.keys.get("args") {
        Some((v, _)) if !v.trim().is_empty() => {
            v.split(',').map(|a| a.trim().to_string()).collect()
        }
        _ => Vec::new(),
    };
    if args.len() != arity {
        let line = st.keys.get("args").map_or(st.line, |(_, l)| *l);
        return Err(err(
            line,
            format!(
                "stanza `[{header}]` expects {arity} argument name(s) in `args`, found {}",
                args.len()
            ),
        ));
    }
    let Some((definition, _)) = st.keys.get("definition") else {
        return Err(err(
            st.line,
            format!("stanza `[{header}]` has no `definition`"),
        ));
    };
    let iseval = match st.keys.get("iseval") {
        Some((v, line)) => crate::options::parse_conf_bool(v).ok_or_else(|| {
            err(
                *line,
                format!("expected a boolean for `iseval` (true/false/1/0), found `{v}`"),
            )
        })?,
        None => false,
    };
    let def = MacroDef {
        name,
        args,
        definition: definition.clone(),
        iseval,
        validation: st.keys.get("validation").map(|(v, _)| v.clone()),
        errormsg: st.keys.get("errormsg").map(|(v, _)| v.clone()),
        origin: format!("{origin}:{}", st.line),
    };
    validate(&def).map_err(|m| err(st.line, m))?;
    Ok(def)
}

/// `name` -> (name, 0); `name(N)` -> (name, N).
fn split_header(header: &str) -> Result<(String, usize), String> {
    let Some(inner) = header.strip_suffix(')') else {
        return Ok((header.to_string(), 0));
    };
    let Some(open) = inner.rfind('(') else {
        return Err(format!(
            "expected `name` or `name(N)` as stanza name, found `[{header}]`"
        ));
    };
    let n = inner.get(open + 1..).unwrap_or("").trim();
    let arity = n
        .parse::<usize>()
        .map_err(|_| format!("expected a number of arguments in `[{header}]`, found `{n}`"))?;
    Ok((inner.get(..open).unwrap_or("").trim().to_string(), arity))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
# comment line
[default]
definition = ignored

[simple]
definition = index=main sourcetype=x

[with_args(2)]
args = a, b
definition = eval $a$=$b$ \\
| table $a$
iseval = 0
validation = isnum($b$)
errormsg = b must be a number

[simple]
definition = index=other
";

    #[test]
    fn parses_stanzas_args_and_continuations() {
        let defs = parse_conf(SAMPLE, "macros.conf").unwrap();
        assert_eq!(defs.len(), 2);
        let simple = &defs[0];
        assert_eq!(simple.name, "simple");
        // Repeated stanzas merge; the later value wins.
        assert_eq!(simple.definition, "index=other");
        assert_eq!(simple.origin, "macros.conf:5");
        let w = &defs[1];
        assert_eq!((w.name.as_str(), w.args.len()), ("with_args", 2));
        assert_eq!(w.args, ["a", "b"]);
        assert_eq!(w.definition, "eval $a$=$b$ \n| table $a$");
        assert!(!w.iseval);
        assert_eq!(w.validation.as_deref(), Some("isnum($b$)"));
        assert_eq!(w.errormsg.as_deref(), Some("b must be a number"));
    }

    fn load_error_line(text: &str) -> (Option<usize>, String) {
        match parse_conf(text, "m.conf").unwrap_err() {
            ParseError::MacroLoad { line, message, .. } => (line, message),
            e => panic!("unexpected {e:?}"),
        }
    }

    #[test]
    fn errors_name_the_line() {
        let (line, msg) = load_error_line("[a(2)]\nargs = x\ndefinition = y\n");
        assert_eq!(line, Some(2));
        assert!(msg.contains("expects 2"), "{msg}");
        let (line, msg) = load_error_line("\n[a]\nargs=\n");
        assert_eq!(line, Some(2));
        assert!(msg.contains("no `definition`"), "{msg}");
        let (line, _) = load_error_line("[a]\ndefinition = x\niseval = maybe\n");
        assert_eq!(line, Some(3));
        let (line, _) = load_error_line("[a]\njust words\n");
        assert_eq!(line, Some(2));
        let (line, _) = load_error_line("[a(x)]\ndefinition = x\n");
        assert_eq!(line, Some(1));
        let (line, _) = load_error_line("[a\n");
        assert_eq!(line, Some(1));
    }

    #[test]
    fn iseval_and_crlf() {
        let defs = parse_conf(
            "[e(1)]\r\nargs = v\r\ndefinition = \"x=\" . \"$v$\"\r\niseval = true\r\n",
            "m.conf",
        )
        .unwrap();
        assert!(defs[0].iseval);
        assert_eq!(defs[0].definition, "\"x=\" . \"$v$\"");
    }

    #[test]
    fn escaped_trailing_backslash_is_not_a_continuation() {
        let defs = parse_conf("[a]\ndefinition = x\\\\\n[b]\ndefinition = y\n", "m.conf").unwrap();
        assert_eq!(defs.len(), 2);
        assert_eq!(defs[0].definition, "x\\\\");
    }
}
