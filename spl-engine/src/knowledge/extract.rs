//! Regex and delimiter field extractions: props.conf `EXTRACT-<class>` and
//! the transforms.conf stanzas `REPORT-<class>` names.
//!
//! - `EXTRACT-<class> = <regex> [in <src_field>]` (props.conf.spec): the regex
//!   runs as `(?ms)<regex>`, once per event, against `_raw` or each value of
//!   `<src_field>`; every named group that took part gives a field named
//!   as the group (PCRE allows only letters, digits and `_` there). `MATCH_LIMIT` and
//!   `DEPTH_LIMIT` of the stanza lower PCRE's limits (they cannot raise them
//!   above Splunk's defaults, [`crate::pcre`]).
//! - A transform (transforms.conf.spec) has a `REGEX` or `DELIMS`. A
//!   search-time `REGEX` is applied repeatedly over the source (every match
//!   counts, so `MV_ADD = true` collects every match into a multivalue field).
//!   Without `FORMAT` its named groups are fields, and `_KEY_<x>`/`_VAL_<x>`
//!   group pairs give a field named by the text of `_KEY_<x>`. `FORMAT =
//!   <name>::<value> ...` names fields and values with literals or `$n`
//!   (a `$n` must be a whole name or value: search time has no concatenated
//!   fields). `DELIMS = "<pair delims>", "<kv delims>"` splits pairs and then
//!   name from value; with one set, the values are named by `FIELDS` (in
//!   order, empty values keep their place) or alternate name, value.
//!   `SOURCE_KEY` names the field read (default `_raw`; `field:x`, and
//!   `fields:a,b` for the values of several fields joined by a space).
//! - A field that already has a value keeps it; a later value is discarded
//!   unless `MV_ADD = true` appends it. `CLEAN_KEYS` (default true) cleans
//!   field names; `KEEP_EMPTY_VALS` (default false) keeps empty values.

use super::apps::{MergedStanza, Value};
use super::work::Work;
use crate::error::Result;
use crate::operator::demand::FieldSet;
use crate::pcre::{MatchError, Pcre};
use std::borrow::Cow;
use std::ops::ControlFlow;

/// Splunk's key cleaning (transforms.conf `CLEAN_KEYS`): every character
/// other than `a-z`, `A-Z`, `0-9` becomes `_`, then leading `_` and digits go.
pub(crate) fn clean_key(name: &str) -> String {
    let replaced: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    replaced
        .trim_start_matches(|c: char| c == '_' || c.is_ascii_digit())
        .to_string()
}

/// Where a pattern's leading `(*...)` items end (PCRE2 reads them only at the
/// very start, so options go after them).
fn leading_items_end(pattern: &str) -> usize {
    let mut at = 0;
    while let Some(rest) = pattern.get(at..) {
        if !rest.starts_with("(*") {
            break;
        }
        match rest.find(')') {
            Some(close) => at += close + 1,
            None => break,
        }
    }
    at
}

/// `pattern` with PCRE limits lowered to `match_limit`/`depth_limit` and, for
/// EXTRACT, `(?ms)` in front of the pattern proper.
pub(crate) fn prepare(
    pattern: &str,
    match_limit: Option<u32>,
    depth_limit: Option<u32>,
    ms: bool,
) -> String {
    let mut out = String::with_capacity(pattern.len() + 48);
    if let Some(n) = match_limit {
        out.push_str(&format!("(*LIMIT_MATCH={n})"));
    }
    if let Some(n) = depth_limit {
        out.push_str(&format!("(*LIMIT_DEPTH={n})"));
    }
    let at = leading_items_end(pattern);
    out.push_str(pattern.get(..at).unwrap_or(""));
    if ms {
        out.push_str("(?ms)");
    }
    out.push_str(pattern.get(at..).unwrap_or(""));
    out
}

/// Compiles a regex written in a `.conf` file; a syntax error names the file,
/// line and key.
pub(crate) fn compile(pattern: &str, prepared: &str, v: &Value, key: &str) -> Result<Pcre> {
    Pcre::new(prepared).map_err(|e| {
        let at = e
            .offset
            .map(|o| {
                format!(
                    " (PCRE2 stopped at character {})",
                    o.min(prepared.len()) + 1
                )
            })
            .unwrap_or_default();
        v.error(
            key,
            format!("invalid regular expression `{pattern}`: {}{at}", e.message),
        )
    })
}

/// A non-negative whole number setting.
pub(crate) fn limit_setting(v: Option<&Value>, key: &str) -> Result<Option<u32>> {
    match v {
        None => Ok(None),
        Some(v) if v.value.is_empty() => Ok(None),
        Some(v) => v
            .value
            .trim()
            .parse::<u32>()
            .map(Some)
            .map_err(|_| v.error(key, format!("expected a whole number, found `{}`", v.value))),
    }
}

/// A boolean setting with its default.
pub(crate) fn bool_setting(v: Option<&Value>, key: &str, default: bool) -> Result<bool> {
    match v {
        None => Ok(default),
        Some(v) if v.value.is_empty() => Ok(default),
        Some(v) => spl_parser::options::parse_conf_bool(&v.value)
            .ok_or_else(|| v.error(key, format!("expected true or false, found `{}`", v.value))),
    }
}

/// A warning about a regex that hit a PCRE limit on some event: Splunk
/// skips that extraction for the event, and so does the engine.
pub(crate) fn limit_warning(what: &str, e: &MatchError) -> String {
    match e {
        MatchError::Limit(l) => format!(
            "{what}: the regular expression exceeded the {} on an event, which keeps no fields from it",
            l.describe()
        ),
        MatchError::Failed(m) => format!("{what}: the regular expression failed on an event: {m}"),
    }
}

/// One `EXTRACT-<class>`.
#[derive(Debug)]
pub(crate) struct Extract {
    re: Pcre,
    /// The `in <src_field>` field; `None` reads `_raw`.
    pub source: Option<String>,
    /// Group numbers and the field names they give.
    groups: Vec<(usize, String)>,
    /// `file:line key`, for warnings.
    what: String,
}

impl Extract {
    /// Parses `EXTRACT-<class> = <v>`; `limits` are the stanza's
    /// `MATCH_LIMIT` and `DEPTH_LIMIT`.
    pub(crate) fn parse(
        key: &str,
        v: &Value,
        limits: (Option<u32>, Option<u32>),
    ) -> Result<Extract> {
        let (pattern, source) = split_in_field(&v.value);
        let prepared = prepare(pattern, limits.0, limits.1, true);
        let re = compile(pattern, &prepared, v, key)?;
        let groups: Vec<(usize, String)> =
            re.named_groups().map(|(i, n)| (i, n.to_string())).collect();
        if groups.is_empty() {
            return Err(v.error(
                key,
                format!("expected a regular expression with named groups such as `(?<field>...)`, found `{pattern}`"),
            ));
        }
        Ok(Extract {
            re,
            source: source.map(str::to_string),
            groups,
            what: format!("{}:{} {key}", v.file, v.line),
        })
    }

    /// Whether it may give a field `wanted` accepts.
    pub(crate) fn may_give(&self, wanted: &FieldSet) -> bool {
        self.groups.iter().any(|(_, n)| wanted.wants(n))
    }

    /// The field it reads.
    pub(crate) fn reads(&self) -> &str {
        self.source.as_deref().unwrap_or("_raw")
    }

    /// Runs over every row.
    pub(crate) fn run(&self, work: &mut Work<'_>, warn: &mut dyn FnMut(String)) {
        let src = self.source.as_deref().unwrap_or("_raw");
        let mut m = self.re.matcher();
        for row in 0..work.rows() {
            let mut found: Vec<(&str, String)> = Vec::new();
            for text in work.values(row, src) {
                let r = m.for_each(&text, |caps| {
                    for (g, name) in &self.groups {
                        if let Some(v) = caps.get(*g).filter(|v| !v.is_empty()) {
                            found.push((name.as_str(), v.to_string()));
                        }
                    }
                    ControlFlow::Break(())
                });
                if let Err(e) = r {
                    warn(limit_warning(&self.what, &e));
                }
            }
            for (name, value) in found {
                work.add(row, name, value, false);
            }
        }
    }
}

/// `<regex> in <src_field>`: the field is letters, digits and `_` after a
/// space (props.conf.spec; a regex that must end in `in <word>` is written
/// `[i]n <word>`).
fn split_in_field(value: &str) -> (&str, Option<&str>) {
    let trimmed = value.trim_end();
    let field_start = trimmed
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    let field = &trimmed[field_start..];
    if field.is_empty() {
        return (value, None);
    }
    let before = &trimmed[..field_start];
    let Some(before_in) = before
        .strip_suffix(|c: char| c.is_whitespace())
        .map(str::trim_end)
        .and_then(|b| b.strip_suffix("in"))
    else {
        return (value, None);
    };
    if before_in.is_empty() || !before_in.ends_with(char::is_whitespace) {
        return (value, None);
    }
    (before_in.trim_end(), Some(field))
}

/// One piece of a `FORMAT` name or value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Lit(String),
    Group(usize),
}

impl Part {
    fn parse(text: &str) -> Part {
        match text.strip_prefix('$').and_then(|n| n.parse::<usize>().ok()) {
            Some(g) if text.len() > 1 && text[1..].bytes().all(|b| b.is_ascii_digit()) => {
                Part::Group(g)
            }
            _ => Part::Lit(text.to_string()),
        }
    }

    fn expand<'a>(&'a self, caps: &crate::pcre::Caps<'a>) -> Option<&'a str> {
        match self {
            Part::Lit(s) => Some(s),
            Part::Group(g) => caps.get(*g),
        }
    }
}

/// How a transform's regex names its fields.
#[derive(Debug)]
enum Format {
    /// Named groups, and `_KEY_x`/`_VAL_x` pairs.
    Groups {
        named: Vec<(usize, String)>,
        keyval: Vec<(usize, usize)>,
    },
    /// `FORMAT = name::value ...`.
    Pairs(Vec<(Part, Part)>),
}

#[derive(Debug)]
enum Body {
    Regex {
        re: Pcre,
        format: Format,
    },
    Delims {
        pairs: Vec<char>,
        kv: Option<Vec<char>>,
        fields: Vec<String>,
    },
}

/// Where a transform reads.
#[derive(Debug, Clone, PartialEq, Eq)]
enum SourceKey {
    Field(String),
    Fields(Vec<String>),
}

/// A search-time field transform (a transforms.conf stanza with `REGEX` or
/// `DELIMS`).
#[derive(Debug)]
pub(crate) struct Transform {
    body: Body,
    source: SourceKey,
    mv_add: bool,
    clean_keys: bool,
    keep_empty: bool,
    what: String,
}

/// Parses a `DELIMS`/`FIELDS` style list of double-quoted strings.
fn quoted_list(v: &Value, key: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut chars = v.value.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        match chars.next() {
            None => break,
            Some('"') => {}
            Some(c) => {
                return Err(v.error(
                    key,
                    format!("expected a double-quoted string such as \"|\", found `{c}`"),
                ))
            }
        }
        let mut s = String::new();
        loop {
            match chars.next() {
                None => {
                    return Err(v.error(key, "expected a closing `\"`, found the end of the value"))
                }
                Some('"') => break,
                Some('\\') => match chars.next() {
                    Some('t') => s.push('\t'),
                    Some('n') => s.push('\n'),
                    Some('r') => s.push('\r'),
                    Some(c) => s.push(c),
                    None => s.push('\\'),
                },
                Some(c) => s.push(c),
            }
        }
        out.push(s);
    }
    Ok(out)
}

/// `FIELDS = a, b, "c d"`.
fn field_list(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quoted => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

impl Transform {
    /// Whether it may give a field `wanted` accepts (field names taken from
    /// the text, `_KEY_n` or `$n::` may be any).
    pub(crate) fn may_give(&self, wanted: &FieldSet) -> bool {
        match &self.body {
            Body::Regex {
                format: Format::Groups { named, keyval },
                ..
            } => {
                (!keyval.is_empty() && self.may_name(wanted))
                    || named.iter().any(|(_, n)| wanted.wants(n))
            }
            Body::Regex {
                format: Format::Pairs(pairs),
                ..
            } => pairs.iter().any(|(name, _)| match name {
                Part::Lit(n) => wanted.wants(n),
                Part::Group(_) => self.may_name(wanted),
            }),
            Body::Delims { kv, fields, .. } => {
                (kv.is_some() && self.may_name(wanted)) || fields.iter().any(|n| wanted.wants(n))
            }
        }
    }

    /// Whether a field name taken from the text (`$1::$2`, `DELIMS` keys) may
    /// make one of `wanted`: with `CLEAN_KEYS` (the default) such a name never
    /// starts with `_` or a digit, and without `MV_ADD` an extracted value
    /// never replaces one an event has, so the fields every event has
    /// (`index`, `host`...) are never made. A search that wants only those
    /// (`index=x | stats count` wants `_time` and `index`) thus does not run
    /// every dynamic-name transform over every event.
    fn may_name(&self, wanted: &FieldSet) -> bool {
        wanted.any_name(|n| {
            let cleaned_away =
                self.clean_keys && n.starts_with(|c: char| c == '_' || c.is_ascii_digit());
            !cleaned_away && (self.mv_add || !super::ALWAYS_THERE.contains(&n))
        })
    }

    /// The fields it reads.
    pub(crate) fn reads(&self) -> Vec<&str> {
        match &self.source {
            SourceKey::Field(f) => vec![f.as_str()],
            SourceKey::Fields(fs) => fs.iter().map(String::as_str).collect(),
        }
    }

    /// Builds the transform of a transforms.conf stanza; `used_by` is the
    /// REPORT setting that names it, blamed when the stanza has neither
    /// `REGEX` nor `DELIMS`.
    pub(crate) fn from_stanza(s: &MergedStanza, used_by: (&Value, &str)) -> Result<Transform> {
        let flag = |k: &str, d: bool| bool_setting(s.get(k), k, d);
        let mv_add = flag("MV_ADD", false)?;
        let clean_keys = flag("CLEAN_KEYS", true)?;
        let keep_empty = flag("KEEP_EMPTY_VALS", false)?;
        let source = match s.get("SOURCE_KEY").map(|v| v.value.trim()) {
            None | Some("") => SourceKey::Field("_raw".into()),
            Some(k) => source_key(k),
        };
        let regex = s.get("REGEX").filter(|v| !v.value.is_empty());
        let delims = s.get("DELIMS").filter(|v| !v.value.is_empty());
        let body = match (regex, delims) {
            (Some(v), _) => {
                let ml = limit_setting(s.get("MATCH_LIMIT"), "MATCH_LIMIT")?;
                let dl = limit_setting(s.get("DEPTH_LIMIT"), "DEPTH_LIMIT")?;
                let prepared = prepare(&v.value, ml, dl, false);
                let re = compile(&v.value, &prepared, v, "REGEX")?;
                let total = re.group_count();
                if total == 0 {
                    return Err(v.error(
                        "REGEX",
                        format!("expected a regular expression with at least one capturing group, found `{}`", v.value),
                    ));
                }
                let format = match s.get("FORMAT").filter(|f| !f.value.trim().is_empty()) {
                    Some(f) => {
                        let mut pairs = Vec::new();
                        for tok in f.value.split_whitespace() {
                            let Some((n, val)) = tok.split_once("::") else {
                                return Err(f.error(
                                    "FORMAT",
                                    format!("expected `<name>::<value>` items, found `{tok}`"),
                                ));
                            };
                            let (n, val) = (Part::parse(n), Part::parse(val));
                            for p in [&n, &val] {
                                if let Part::Group(g) = p {
                                    if *g == 0 || *g > total {
                                        return Err(f.error(
                                            "FORMAT",
                                            format!("`${g}` names a group the REGEX does not have (it has {total})"),
                                        ));
                                    }
                                }
                            }
                            pairs.push((n, val));
                        }
                        Format::Pairs(pairs)
                    }
                    None => {
                        let mut named = Vec::new();
                        let mut keys = Vec::new();
                        let mut vals = Vec::new();
                        for (i, n) in re.named_groups() {
                            if let Some(k) = n.strip_prefix("_KEY_") {
                                keys.push((k.to_string(), i));
                            } else if let Some(k) = n.strip_prefix("_VAL_") {
                                vals.push((k.to_string(), i));
                            } else {
                                named.push((i, n.to_string()));
                            }
                        }
                        let keyval = keys
                            .iter()
                            .filter_map(|(k, i)| {
                                vals.iter().find(|(vk, _)| vk == k).map(|(_, j)| (*i, *j))
                            })
                            .collect();
                        Format::Groups { named, keyval }
                    }
                };
                Body::Regex { re, format }
            }
            (None, Some(v)) => {
                let sets = quoted_list(v, "DELIMS")?;
                let mut sets = sets.into_iter();
                let pairs: Vec<char> = sets.next().unwrap_or_default().chars().collect();
                let kv = sets.next().map(|s| s.chars().collect::<Vec<_>>());
                if pairs.is_empty() {
                    return Err(v.error("DELIMS", "expected at least one delimiter character"));
                }
                let fields = s
                    .get("FIELDS")
                    .map(|f| field_list(&f.value))
                    .unwrap_or_default();
                Body::Delims { pairs, kv, fields }
            }
            (None, None) => {
                let (uv, ukey) = used_by;
                return Err(uv.error(
                    ukey,
                    format!(
                        "transform `{}` ({}:{}) has neither REGEX nor DELIMS, so it cannot extract fields",
                        s.name, s.file, s.line
                    ),
                ));
            }
        };
        Ok(Transform {
            body,
            source,
            mv_add,
            clean_keys,
            keep_empty,
            what: format!("{}:{} [{}]", s.file, s.line, s.name),
        })
    }

    /// The text(s) the transform reads on `row`.
    fn sources<'w>(&self, work: &'w Work<'_>, row: usize) -> Vec<Cow<'w, str>> {
        match &self.source {
            SourceKey::Field(f) => work.values(row, f),
            SourceKey::Fields(fs) => {
                let parts: Vec<Cow<'_, str>> =
                    fs.iter().filter_map(|f| work.first(row, f)).collect();
                if parts.is_empty() {
                    Vec::new()
                } else {
                    vec![Cow::Owned(parts.join(" "))]
                }
            }
        }
    }

    /// Runs over every row; `wanted` filters field names that come from the
    /// data.
    pub(crate) fn run(
        &self,
        work: &mut Work<'_>,
        wanted: &dyn Fn(&str) -> bool,
        warn: &mut dyn FnMut(String),
    ) {
        self.run_with(work, wanted, warn, None, None);
    }

    /// [`Transform::run`] with `MV_ADD` and `CLEAN_KEYS` overridden when
    /// given (the `extract` command's `mv_add=` and `clean_keys=`).
    pub(crate) fn run_with(
        &self,
        work: &mut Work<'_>,
        wanted: &dyn Fn(&str) -> bool,
        warn: &mut dyn FnMut(String),
        mv_add: Option<bool>,
        clean_keys: Option<bool>,
    ) {
        let mv_add = mv_add.unwrap_or(self.mv_add);
        let clean_keys = clean_keys.unwrap_or(self.clean_keys);
        for row in 0..work.rows() {
            let mut found: Vec<(String, String)> = Vec::new();
            for text in self.sources(work, row) {
                match &self.body {
                    Body::Regex { re, format } => {
                        let mut m = re.matcher();
                        let r = m.for_each(&text, |caps| {
                            match format {
                                Format::Groups { named, keyval } => {
                                    for (g, n) in named {
                                        if let Some(v) = caps.get(*g) {
                                            found.push((n.clone(), v.to_string()));
                                        }
                                    }
                                    for (k, v) in keyval {
                                        if let (Some(k), Some(v)) = (caps.get(*k), caps.get(*v)) {
                                            found.push((k.to_string(), v.to_string()));
                                        }
                                    }
                                }
                                Format::Pairs(pairs) => {
                                    for (n, v) in pairs {
                                        if let (Some(n), Some(v)) = (n.expand(caps), v.expand(caps))
                                        {
                                            found.push((n.to_string(), v.to_string()));
                                        }
                                    }
                                }
                            }
                            ControlFlow::Continue(())
                        });
                        if let Err(e) = r {
                            warn(limit_warning(&self.what, &e));
                        }
                    }
                    Body::Delims { pairs, kv, fields } => {
                        delimited(&text, pairs, kv.as_deref(), fields, &mut found);
                    }
                }
            }
            for (name, value) in found {
                if value.is_empty() && !self.keep_empty {
                    continue;
                }
                let name = if clean_keys { clean_key(&name) } else { name };
                if name.is_empty() || !wanted(&name) {
                    continue;
                }
                work.add(row, &name, value, mv_add);
            }
        }
    }
}

/// `SOURCE_KEY`: a field, `field:<name>`, or `fields:<a>,<b>`. Index-time
/// key names of the default fields map to those fields.
fn source_key(k: &str) -> SourceKey {
    if let Some(list) = k.strip_prefix("fields:") {
        return SourceKey::Fields(
            list.split(',')
                .map(|f| f.trim().to_string())
                .filter(|f| !f.is_empty())
                .collect(),
        );
    }
    let k = k.strip_prefix("field:").unwrap_or(k);
    let f = match k {
        "MetaData:Host" => "host",
        "MetaData:Source" => "source",
        "MetaData:Sourcetype" => "sourcetype",
        "_MetaData:Index" => "index",
        other => other,
    };
    SourceKey::Field(f.to_string())
}

/// Splits `text` at any of `delims` outside double quotes; quotes around a
/// piece are removed and `\"` inside them unescaped.
fn split_quoted(text: &str, delims: &[char]) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && quoted && chars.peek() == Some(&'"') {
            cur.push('"');
            chars.next();
        } else if c == '"' {
            quoted = !quoted;
        } else if !quoted && delims.contains(&c) {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out
}

/// A `DELIMS` extraction of one text.
pub(crate) fn delimited(
    text: &str,
    pairs: &[char],
    kv: Option<&[char]>,
    fields: &[String],
    out: &mut Vec<(String, String)>,
) {
    match kv {
        Some(kv) => {
            for piece in split_quoted(text, pairs) {
                if piece.is_empty() {
                    continue;
                }
                let parts = split_quoted_once(&piece, kv);
                if let Some((k, v)) = parts {
                    out.push((k.trim().to_string(), v.trim().to_string()));
                }
            }
        }
        None if !fields.is_empty() => {
            for (name, value) in fields.iter().zip(split_quoted(text, pairs)) {
                out.push((name.clone(), value));
            }
        }
        None => {
            let tokens: Vec<String> = split_quoted(text, pairs)
                .into_iter()
                .filter(|t| !t.is_empty())
                .collect();
            for pair in tokens.chunks(2) {
                if let [k, v] = pair {
                    out.push((k.clone(), v.clone()));
                }
            }
        }
    }
}

/// Splits a pair at its first name/value delimiter outside quotes.
fn split_quoted_once(piece: &str, kv: &[char]) -> Option<(String, String)> {
    let mut quoted = false;
    for (i, c) in piece.char_indices() {
        if c == '"' {
            quoted = !quoted;
        } else if !quoted && kv.contains(&c) {
            let unquote = |s: &str| {
                let t = s.trim();
                let t = t
                    .strip_prefix('"')
                    .and_then(|x| x.strip_suffix('"'))
                    .unwrap_or(t);
                t.replace("\\\"", "\"")
            };
            return Some((unquote(&piece[..i]), unquote(&piece[i + c.len_utf8()..])));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_cleaning() {
        assert_eq!(clean_key("src-ip"), "src_ip");
        assert_eq!(clean_key("_1st.name"), "st_name");
        assert_eq!(clean_key("42"), "");
        assert_eq!(clean_key("Ok_9"), "Ok_9");
    }

    #[test]
    fn in_field_suffix() {
        assert_eq!(split_in_field("(?<a>x) in msg"), ("(?<a>x)", Some("msg")));
        assert_eq!(
            split_in_field("(?<a>x)  in  my_field "),
            ("(?<a>x)", Some("my_field"))
        );
        assert_eq!(
            split_in_field("(?<a>x) [i]n msg"),
            ("(?<a>x) [i]n msg", None)
        );
        assert_eq!(split_in_field("(?<a>login) in"), ("(?<a>login) in", None));
        assert_eq!(split_in_field("(?<a>x)in msg"), ("(?<a>x)in msg", None));
        assert_eq!(split_in_field("(?<a>x) pin msg"), ("(?<a>x) pin msg", None));
    }

    #[test]
    fn options_go_after_leading_items() {
        assert_eq!(prepare("a", None, None, true), "(?ms)a");
        assert_eq!(
            prepare("(*UTF)a", Some(10), None, true),
            "(*LIMIT_MATCH=10)(*UTF)(?ms)a"
        );
        assert_eq!(prepare("a", None, Some(5), false), "(*LIMIT_DEPTH=5)a");
    }

    #[test]
    fn delimiters() {
        let mut out = Vec::new();
        delimited("a=1|b=\"x|y\"||c=", &['|'], Some(&['=']), &[], &mut out);
        assert_eq!(
            out,
            [
                ("a".into(), "1".into()),
                ("b".into(), "x|y".into()),
                ("c".into(), String::new())
            ]
        );
        out.clear();
        let fields = vec!["f1".to_string(), "f2".into(), "f3".into()];
        delimited("x,,z", &[','], None, &fields, &mut out);
        assert_eq!(
            out,
            [
                ("f1".into(), "x".into()),
                ("f2".into(), String::new()),
                ("f3".into(), "z".into())
            ]
        );
        out.clear();
        delimited("k1  v1 k2 v2", &[' '], None, &[], &mut out);
        assert_eq!(
            out,
            [("k1".into(), "v1".into()), ("k2".into(), "v2".into())]
        );
        assert_eq!(field_list("a, \"b c\" ,d"), ["a", "b c", "d"]);
    }
}
