//! A small JSON reader that flattens one JSON value into Splunk field names as it
//! parses, without building a tree.
//!
//! Splunk's JSON extraction (`_json`, `spath`) names a value by its path: object keys
//! joined with `.`, `{}` appended for each array level (`sourceIPs{}`, `a{}.b`,
//! `a{}{}`). Every array element is one value of a multivalue field. Numbers keep the
//! exact text they were written with (`1.50` stays `1.50`), which `serde_json::Value`
//! cannot do without the `arbitrary_precision` feature; that is why this is hand
//! written. JSON `null` yields the text `null` (see docs/compat-notes/ingest.md).
//! [`top_level_members`] reads only an object's top level, by the same rules
//! (`fromjson`).

use std::borrow::Cow;

/// The end of the run of plain string bytes at `i`: the first `"`, `\\` or
/// control character (or the end). Eight bytes at a time while none of them
/// can be one (the word tests are exact about whether such a byte exists).
fn plain_run(bytes: &[u8], mut i: usize) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(LO) & !x & HI;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let w = u64::from_le_bytes(w);
        let special = zero_byte(w ^ (LO * u64::from(b'"')))
            | zero_byte(w ^ (LO * u64::from(b'\\')))
            | (w.wrapping_sub(LO * 0x20) & !w & HI);
        if special != 0 {
            break;
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        i += 1;
    }
    i
}

/// Deeper nesting than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 512;

/// A JSON syntax error at a byte offset of the parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsonSyntaxError {
    /// Byte offset into the parsed text.
    pub offset: usize,
    /// `expected X, found Y` style message.
    pub message: String,
}

/// Parses JSON text starting at `pos`, calling `emit(path, value)` for each scalar.
pub(crate) struct Flattener<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    path: String,
    depth: usize,
}

impl<'a> Flattener<'a> {
    /// A flattener over `text`, positioned at its start.
    pub(crate) fn new(text: &'a str) -> Self {
        Flattener {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            path: String::new(),
            depth: 0,
        }
    }

    /// A flattener over `text`, positioned at byte `pos`.
    pub(crate) fn at(text: &'a str, pos: usize) -> Self {
        let mut f = Flattener::new(text);
        f.pos = pos.min(text.len());
        f
    }

    /// The members of the object at the current position: each key with the byte
    /// range of its value. Values are checked but not flattened.
    pub(crate) fn object_members(
        &mut self,
    ) -> Result<Vec<(Cow<'a, str>, usize, usize)>, JsonSyntaxError> {
        if self.skip_ws() != Some(b'{') {
            return Err(self.unexpected("`{` (a JSON object)"));
        }
        self.pos += 1;
        let mut out = Vec::new();
        if self.skip_ws() == Some(b'}') {
            self.pos += 1;
            return Ok(out);
        }
        loop {
            if self.skip_ws() != Some(b'"') {
                return Err(self.unexpected("a quoted object key"));
            }
            let key = self.string()?;
            self.expect(b':', "`:` after an object key")?;
            self.skip_ws();
            let start = self.pos;
            self.path.clear();
            self.value(&mut |_: &str, _: Cow<'a, str>| {})?;
            out.push((key, start, self.pos));
            match self.skip_ws() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(out);
                }
                _ => return Err(self.unexpected("`,` or `}` in an object")),
            }
        }
    }

    /// Current byte offset.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// Skips JSON whitespace; returns the next byte, if any.
    pub(crate) fn skip_ws(&mut self) -> Option<u8> {
        while let Some(&b) = self.bytes.get(self.pos) {
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                return Some(b);
            }
        }
        None
    }

    /// Consumes `b` (after whitespace) or fails with `expected what`.
    pub(crate) fn expect(&mut self, b: u8, what: &str) -> Result<(), JsonSyntaxError> {
        match self.skip_ws() {
            Some(c) if c == b => {
                self.pos += 1;
                Ok(())
            }
            _ => Err(self.unexpected(what)),
        }
    }

    /// Flattens one JSON object at the current position (after whitespace); its
    /// fields are named from the root.
    pub(crate) fn flatten_object<F>(&mut self, emit: &mut F) -> Result<(), JsonSyntaxError>
    where
        F: FnMut(&str, Cow<'a, str>),
    {
        match self.skip_ws() {
            Some(b'{') => {
                self.path.clear();
                self.object(emit)
            }
            _ => Err(self.unexpected("`{` (a JSON object)")),
        }
    }

    /// An error saying what was expected and showing what was found here.
    pub(crate) fn unexpected(&self, expected: &str) -> JsonSyntaxError {
        let found = match self.text.get(self.pos..).and_then(|s| s.chars().next()) {
            None => "end of input".to_string(),
            Some(c) if c.is_control() => format!("{c:?}"),
            Some(c) => format!("`{c}`"),
        };
        JsonSyntaxError {
            offset: self.pos,
            message: format!("expected {expected}, found {found}"),
        }
    }

    fn value<F>(&mut self, emit: &mut F) -> Result<(), JsonSyntaxError>
    where
        F: FnMut(&str, Cow<'a, str>),
    {
        match self.bytes.get(self.pos) {
            Some(b'{') => self.object(emit),
            Some(b'[') => self.array(emit),
            Some(b'"') => {
                let s = self.string()?;
                self.emit_scalar(emit, s);
                Ok(())
            }
            Some(b't') => self.literal("true", emit),
            Some(b'f') => self.literal("false", emit),
            Some(b'n') => self.literal("null", emit),
            Some(b'-' | b'0'..=b'9') => {
                let n = self.number()?;
                self.emit_scalar(emit, Cow::Borrowed(n));
                Ok(())
            }
            _ => Err(self.unexpected("a JSON value")),
        }
    }

    fn emit_scalar<F>(&self, emit: &mut F, value: Cow<'a, str>)
    where
        F: FnMut(&str, Cow<'a, str>),
    {
        // A scalar at the root, or under an empty key, has no usable field name.
        if !self.path.is_empty() {
            emit(&self.path, value);
        }
    }

    fn enter(&mut self) -> Result<(), JsonSyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(JsonSyntaxError {
                offset: self.pos,
                message: format!("expected at most {MAX_DEPTH} levels of nesting, found more"),
            });
        }
        Ok(())
    }

    fn object<F>(&mut self, emit: &mut F) -> Result<(), JsonSyntaxError>
    where
        F: FnMut(&str, Cow<'a, str>),
    {
        self.enter()?;
        self.pos += 1; // `{`
        if self.skip_ws() == Some(b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(());
        }
        loop {
            if self.skip_ws() != Some(b'"') {
                return Err(self.unexpected("a quoted object key"));
            }
            let key = self.string()?;
            self.expect(b':', "`:` after an object key")?;
            self.skip_ws();
            let saved = self.path.len();
            if !self.path.is_empty() {
                self.path.push('.');
            }
            self.path.push_str(&key);
            let r = self.value(emit);
            self.path.truncate(saved);
            r?;
            match self.skip_ws() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                _ => return Err(self.unexpected("`,` or `}` in an object")),
            }
        }
    }

    fn array<F>(&mut self, emit: &mut F) -> Result<(), JsonSyntaxError>
    where
        F: FnMut(&str, Cow<'a, str>),
    {
        self.enter()?;
        self.pos += 1; // `[`
        let saved = self.path.len();
        self.path.push_str("{}");
        let r = self.array_items(emit);
        self.path.truncate(saved);
        self.depth -= 1;
        r
    }

    fn array_items<F>(&mut self, emit: &mut F) -> Result<(), JsonSyntaxError>
    where
        F: FnMut(&str, Cow<'a, str>),
    {
        if self.skip_ws() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.skip_ws();
            self.value(emit)?;
            match self.skip_ws() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.unexpected("`,` or `]` in an array")),
            }
        }
    }

    fn literal<F>(&mut self, word: &'static str, emit: &mut F) -> Result<(), JsonSyntaxError>
    where
        F: FnMut(&str, Cow<'a, str>),
    {
        let end = self.pos + word.len();
        if self.bytes.get(self.pos..end) == Some(word.as_bytes()) {
            self.pos = end;
            self.emit_scalar(emit, Cow::Borrowed(word));
            Ok(())
        } else {
            Err(self.unexpected("a JSON value"))
        }
    }

    /// A number, validated against JSON's grammar, returned as written.
    fn number(&mut self) -> Result<&'a str, JsonSyntaxError> {
        let start = self.pos;
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        match self.bytes.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.unexpected("a digit")),
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if !matches!(self.bytes.get(self.pos), Some(b'0'..=b'9')) {
                return Err(self.unexpected("a digit after `.`"));
            }
            self.digits();
        }
        if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.bytes.get(self.pos), Some(b'0'..=b'9')) {
                return Err(self.unexpected("a digit in the exponent"));
            }
            self.digits();
        }
        Ok(self.text.get(start..self.pos).unwrap_or_default())
    }

    fn digits(&mut self) {
        while matches!(self.bytes.get(self.pos), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    /// A string at `"`; borrowed when it has no escapes.
    fn string(&mut self) -> Result<Cow<'a, str>, JsonSyntaxError> {
        self.pos += 1; // opening quote
        let start = self.pos;
        self.pos = plain_run(self.bytes, self.pos);
        loop {
            match self.bytes.get(self.pos) {
                None => return Err(self.unexpected("a closing `\"`")),
                Some(b'"') => {
                    let s = self.text.get(start..self.pos).unwrap_or_default();
                    self.pos += 1;
                    return Ok(Cow::Borrowed(s));
                }
                Some(b'\\') => break,
                Some(&b) if b < 0x20 => {
                    return Err(
                        self.unexpected("a string character (control characters must be escaped)")
                    )
                }
                Some(_) => self.pos += 1,
            }
        }
        let mut out = String::from(self.text.get(start..self.pos).unwrap_or_default());
        loop {
            match self.bytes.get(self.pos) {
                None => return Err(self.unexpected("a closing `\"`")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(&b) if b < 0x20 => {
                    return Err(
                        self.unexpected("a string character (control characters must be escaped)")
                    )
                }
                Some(_) => {
                    // Copy a run of plain characters at once (char boundaries are
                    // guaranteed: the run stops only at ASCII bytes).
                    let run_start = self.pos;
                    self.pos = plain_run(self.bytes, self.pos);
                    out.push_str(self.text.get(run_start..self.pos).unwrap_or_default());
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), JsonSyntaxError> {
        let c = match self.bytes.get(self.pos) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let hi = self.hex4()?;
                let c = if (0xD800..0xDC00).contains(&hi)
                    && self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u")
                {
                    let save = self.pos;
                    self.pos += 2;
                    let lo = self.hex4()?;
                    if (0xDC00..0xE000).contains(&lo) {
                        char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                    } else {
                        self.pos = save;
                        None
                    }
                } else {
                    char::from_u32(hi)
                };
                // Lone surrogates cannot be represented in UTF-8: keep a visible marker.
                out.push(c.unwrap_or('\u{FFFD}'));
                return Ok(());
            }
            _ => return Err(self.unexpected("a valid escape (`\\n`, `\\\"`, `\\u00e9`...)")),
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, JsonSyntaxError> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.unexpected("4 hex digits after `\\u`"))?;
        let v = u32::from_str_radix(digits, 16).map_err(|_| self.unexpected("4 hex digits"))?;
        self.pos += 4;
        Ok(v)
    }
}

/// One top-level member of a JSON object: its key and values
/// ([`top_level_members`]).
pub(crate) type Member<'a> = (Cow<'a, str>, Vec<Cow<'a, str>>);

/// The top-level members of a text that must hold exactly one JSON object
/// (whitespace around it allowed), in document order: each key with its
/// values. A string gives its unescaped text, a number the text it was
/// written with, `true`/`false`/`null` their words, a nested object the
/// text it was written with, and an array one value per element (nested
/// objects and arrays as written), so `[]` gives no value (`fromjson`).
pub(crate) fn top_level_members(text: &str) -> Result<Vec<Member<'_>>, JsonSyntaxError> {
    let mut p = Flattener::new(text);
    let members = p.object_members()?;
    if p.skip_ws().is_some() {
        return Err(p.unexpected("end of the JSON object"));
    }
    let mut out = Vec::with_capacity(members.len());
    for (key, start, end) in members {
        let mut values = Vec::new();
        let mut v = Flattener::at(text, start);
        if v.skip_ws() == Some(b'[') {
            v.pos += 1;
            if v.skip_ws() == Some(b']') {
                v.pos += 1;
            } else {
                loop {
                    v.skip_ws();
                    values.push(v.scalar_or_text()?);
                    match v.skip_ws() {
                        Some(b',') => v.pos += 1,
                        _ => break,
                    }
                }
            }
        } else {
            values.push(v.scalar_or_text()?);
        }
        debug_assert!(v.pos <= end);
        out.push((key, values));
    }
    Ok(out)
}

impl<'a> Flattener<'a> {
    /// The value at the current position: a scalar's text (strings
    /// unescaped, numbers as written), or an object's or array's text as
    /// written.
    fn scalar_or_text(&mut self) -> Result<Cow<'a, str>, JsonSyntaxError> {
        let start = self.pos;
        let ignore = &mut |_: &str, _: Cow<'a, str>| {};
        match self.bytes.get(self.pos) {
            Some(b'{' | b'[') => {
                self.path.clear();
                self.value(ignore)?;
                Ok(Cow::Borrowed(
                    self.text.get(start..self.pos).unwrap_or_default(),
                ))
            }
            Some(b'"') => self.string(),
            Some(b'-' | b'0'..=b'9') => self.number().map(Cow::Borrowed),
            Some(b't') => self.literal("true", ignore).map(|()| Cow::Borrowed("true")),
            Some(b'f') => self
                .literal("false", ignore)
                .map(|()| Cow::Borrowed("false")),
            Some(b'n') => self.literal("null", ignore).map(|()| Cow::Borrowed("null")),
            _ => Err(self.unexpected("a JSON value")),
        }
    }
}

/// Flattens a whole text that must hold exactly one JSON object.
pub(crate) fn flatten_document<'a, F>(text: &'a str, emit: &mut F) -> Result<(), JsonSyntaxError>
where
    F: FnMut(&str, Cow<'a, str>),
{
    let mut p = Flattener::new(text);
    p.flatten_object(emit)?;
    match p.skip_ws() {
        None => Ok(()),
        Some(_) => Err(p.unexpected("end of the JSON object")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        flatten_document(text, &mut |k: &str, v: Cow<'_, str>| {
            out.push((k.to_string(), v.into_owned()))
        })
        .unwrap();
        out
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn plain_run_stops_at_the_first_special_byte() {
        let bytewise = |b: &[u8], i: usize| {
            (i..b.len())
                .find(|&j| matches!(b[j], b'"' | b'\\' | 0..=0x1f))
                .unwrap_or(b.len())
        };
        for special in (0u8..=255).filter(|b| matches!(b, b'"' | b'\\' | 0..=0x1f)) {
            for at in 0..20 {
                for start in 0..4 {
                    let mut b = "abcdéfghijklmnopqrstu".as_bytes().to_vec();
                    if let Some(x) = b.get_mut(at) {
                        *x = special;
                    }
                    assert_eq!(plain_run(&b, start), bytewise(&b, start), "{special} {at}");
                }
            }
        }
        let high: Vec<u8> = (0x20u8..=0xff)
            .filter(|&b| b != b'"' && b != b'\\')
            .collect();
        assert_eq!(plain_run(&high, 0), high.len());
    }

    #[test]
    fn nested_objects_and_arrays() {
        let got = flat(
            r#"{"user":{"username":"bob","groups":["a","b"]},"sourceIPs":["1.2.3.4"],
               "objs":[{"b":1},{"b":2,"c":true}],"nest":[[1,2],[3]],"e":[],"o":{}}"#,
        );
        assert_eq!(
            got,
            pairs(&[
                ("user.username", "bob"),
                ("user.groups{}", "a"),
                ("user.groups{}", "b"),
                ("sourceIPs{}", "1.2.3.4"),
                ("objs{}.b", "1"),
                ("objs{}.b", "2"),
                ("objs{}.c", "true"),
                ("nest{}{}", "1"),
                ("nest{}{}", "2"),
                ("nest{}{}", "3"),
            ])
        );
    }

    #[test]
    fn top_level_members_keep_nested_text() {
        let got = top_level_members(
            r#" {"name":"Al\"bert","age":63.50,"ok":true,"n":null,
                "tags":["a", 2, {"x": [1]}, [3,4]],"e":[],"o":{"k": "v"}} "#,
        )
        .unwrap();
        let got: Vec<(String, Vec<String>)> = got
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v.into_iter().map(Cow::into_owned).collect()))
            .collect();
        let want: Vec<(String, Vec<String>)> = [
            ("name", vec![r#"Al"bert"#]),
            ("age", vec!["63.50"]),
            ("ok", vec!["true"]),
            ("n", vec!["null"]),
            ("tags", vec!["a", "2", r#"{"x": [1]}"#, "[3,4]"]),
            ("e", vec![]),
            ("o", vec![r#"{"k": "v"}"#]),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.into_iter().map(str::to_string).collect()))
        .collect();
        assert_eq!(got, want);
        for bad in ["[1]", "\"x\"", "{\"a\":1} x", "{\"a\":[1,}", ""] {
            assert!(top_level_members(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn numbers_keep_their_lexeme_and_null_is_text() {
        let got = flat(
            r#"{"a":1.50,"b":-0,"c":1e3,"d":403,"n":null,"big":123456789012345678901234567890}"#,
        );
        assert_eq!(
            got,
            pairs(&[
                ("a", "1.50"),
                ("b", "-0"),
                ("c", "1e3"),
                ("d", "403"),
                ("n", "null"),
                ("big", "123456789012345678901234567890")
            ])
        );
    }

    #[test]
    fn escapes_and_dotted_keys() {
        let got = flat(
            r#"{"annotations":{"authorization.k8s.io/decision":"allow"},"u":"a\u0026b\n\ud83d\ude00\"","x":"\ud800"}"#,
        );
        assert_eq!(
            got,
            pairs(&[
                ("annotations.authorization.k8s.io/decision", "allow"),
                ("u", "a&b\n😀\""),
                ("x", "\u{FFFD}")
            ])
        );
    }

    #[test]
    fn syntax_errors_are_reported_not_panicked() {
        for bad in [
            "",
            "{",
            "{\"a\"",
            "{\"a\":}",
            "{\"a\":1,}",
            "{\"a\":01}",
            "{\"a\":1.}",
            "{\"a\":-}",
            "{\"a\":\"x",
            "{\"a\":\"\\x\"}",
            "{\"a\":\"\\u12\"}",
            "{\"a\":tru}",
            "{\"a\":1} x",
            "[1]",
            "{\"a\":\"tab\there\"}",
        ] {
            let r = flatten_document(bad, &mut |_: &str, _: Cow<'_, str>| {});
            assert!(r.is_err(), "{bad:?} should fail");
        }
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(100_000), "]".repeat(100_000));
        let err = flatten_document(&deep, &mut |_: &str, _: Cow<'_, str>| {}).unwrap_err();
        assert!(err.message.contains("levels of nesting"), "{}", err.message);
    }
}
