//! `spath [input=<field>] [output=<field>] [path=<path> | <path>]`: extracts
//! values from JSON (semantics 2.9, 10.10; Splunk's "spath" reference page).
//!
//! Without a path, every scalar of the JSON in the input (first 5,000
//! characters, `extraction_cutoff`) becomes a field named by its path
//! (`a.b`, `list{}`, `objs{}.name`), with the same flattening as JSON events
//! at ingest. With a path, the value(s) at the path go to `output` (default:
//! the path text): `{}` takes every element of an array, `{n}` the n-th
//! (0-based); a named step applied to an array applies to each element.
//! Objects and arrays reached by a path are returned as compact JSON text.
//!
//! XML input (text starting with `<` after blanks): without a path every
//! element's text and attribute becomes a field named by its element path
//! from the root (`Event.System.EventID`, `Event.System.Provider{@Name}`),
//! as `KV_MODE = xml` names them (`knowledge::kv::xml`); an element met
//! again gives a multivalue field. With a path, the first step names the
//! root element, each further step a child element; `{@name}` takes an
//! attribute, `{n}` the n-th of the elements matched so far (1-based for
//! XML, 0-based for JSON: the reference page says the index "differs
//! between JSON and XML"), `{}` all of them. An element with child
//! elements gives its inner XML as written, a leaf its trimmed text with
//! entities decoded.

use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::knowledge::kv::decode;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::texts::merge_into;
use crate::ops::texts::{RowVals, Texts};
use crate::spec::{CommandKind, CommandSpec, Example};
use crate::value::format_number;
use arrow_array::RecordBatch;
use indexmap::IndexMap;
use serde_json::Value;
use spl_parser::ast::Spath;
use spl_parser::Span;
use std::borrow::Cow;

/// The `spath` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Extracts fields from JSON: all of them (named by their paths) or the value at one path, e.g. `a.b{}.c` or `items{0}`.",
    examples: &[
        Example {
            title: "one path into a field",
            spl: "| makeresults | eval j=\"{\\\"user\\\":{\\\"name\\\":\\\"alice\\\",\\\"roles\\\":[\\\"a\\\",\\\"b\\\"]}}\" | spath input=j output=roles path=user.roles{}",
        },
        Example {
            title: "extract every field",
            spl: "| makeresults | eval _raw=\"{\\\"a\\\":1,\\\"b\\\":{\\\"c\\\":[2,3]}}\" | spath",
        },
    ],
    compat: "XML array indexes `{n}` are 1-based (JSON's are 0-based). Numbers reached by an explicit path print in their shortest form (`1.50` gives `1.5`); auto-extraction keeps the text as written.",
};

/// Auto-extraction reads this many characters of the input (limits.conf
/// `[spath] extraction_cutoff`).
const EXTRACTION_CUTOFF: usize = 5000;

/// One step of a location path.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    /// An object key.
    Key(String),
    /// `{}`: every element.
    All,
    /// `{n}`: one element, 0-based (JSON) or 1-based (XML).
    Index(usize),
    /// `{@name}`: an XML attribute.
    Attr(String),
}

/// Parses `a.b{}.c{2}` into steps.
fn parse_path(path: &str, span: Span) -> Result<Vec<Step>> {
    let bad = |why: &str| {
        EngineError::invalid(
            format!("expected a path such as a.b{{}}.c or items{{0}}, found `{path}`"),
            span,
            why,
        )
    };
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = match part.find('{') {
            Some(i) => part.split_at(i),
            None => (part, ""),
        };
        if !name.is_empty() {
            steps.push(Step::Key(name.to_string()));
        } else if rest.is_empty() {
            return Err(bad("empty step"));
        }
        while !rest.is_empty() {
            let Some(close) = rest.find('}') else {
                return Err(bad("unclosed `{`"));
            };
            let inner = rest.get(1..close).unwrap_or("");
            if inner.is_empty() {
                steps.push(Step::All);
            } else if let Some(attr) = inner.strip_prefix('@') {
                if attr.trim().is_empty() {
                    return Err(bad("empty attribute name"));
                }
                steps.push(Step::Attr(attr.trim().to_string()));
            } else {
                let n: usize = inner.trim().parse().map_err(|_| bad("bad array index"))?;
                steps.push(Step::Index(n));
            }
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('{') {
                return Err(bad("text after `}`"));
            }
        }
    }
    Ok(steps)
}

/// The nodes a path reaches from `root`.
fn walk<'v>(root: &'v Value, steps: &[Step]) -> Vec<&'v Value> {
    let mut cur = vec![root];
    for step in steps {
        let mut next = Vec::new();
        for node in cur {
            match (step, node) {
                (Step::Key(k), Value::Object(m)) => next.extend(m.get(k)),
                // a key step over an array applies to each element
                (Step::Key(k), Value::Array(items)) => {
                    next.extend(items.iter().filter_map(|i| i.as_object()?.get(k)))
                }
                (Step::All, Value::Array(items)) => next.extend(items.iter()),
                // `{}` on a single value (AWS policies write one statement as
                // an object) takes the value itself
                (Step::All, other) => next.push(other),
                (Step::Index(n), Value::Array(items)) => next.extend(items.get(*n)),
                // attributes are XML's
                (Step::Attr(_), _) => {}
                _ => {}
            }
        }
        cur = next;
    }
    cur
}

fn node_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            (_, _, Some(f)) => format_number(f, None),
            _ => n.to_string(),
        },
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// Whether a text is XML rather than JSON.
fn is_xml(doc: &str) -> bool {
    doc.trim_start().starts_with('<')
}

/// An XML element for location paths: its attributes, children and where
/// its content lies in the text.
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Element>,
    /// Byte range of the content between the tags.
    inner: (usize, usize),
}

/// The attributes of a start tag's inside (after the name).
fn xml_attributes(mut s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    loop {
        s = s.trim_start();
        let Some(eq) = s.find('=') else { break };
        let name = s[..eq].trim().to_string();
        let rest = s[eq + 1..].trim_start();
        let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            break;
        };
        let Some(close) = rest[1..].find(q) else {
            break;
        };
        out.push((name, decode(&rest[1..1 + close])));
        s = &rest[close + 2..];
    }
    out
}

/// Parses the first element of `text` (leniently: unclosed elements end
/// with the text; comments, declarations and CDATA are skipped).
fn xml_parse(text: &str) -> Option<Element> {
    let mut stack: Vec<Element> = Vec::new();
    let mut i = 0;
    while let Some(off) = text.get(i..).and_then(|r| r.find('<')) {
        let lt = i + off;
        let rest = &text[lt..];
        let skip = |end: &str| rest.find(end).map(|e| lt + e + end.len());
        if rest.starts_with("<!--") {
            i = skip("-->")?;
        } else if rest.starts_with("<![CDATA[") {
            i = skip("]]>")?;
        } else if rest.starts_with("<?") {
            i = skip("?>")?;
        } else if rest.starts_with("<!") {
            i = skip(">")?;
        } else if let Some(close) = rest.strip_prefix("</") {
            let gt = close.find('>')?;
            let name = close[..gt].trim();
            i = lt + 2 + gt + 1;
            if let Some(pos) = stack.iter().rposition(|e| e.name == name) {
                while stack.len() > pos {
                    let mut done = stack.pop()?;
                    if stack.len() == pos {
                        done.inner.1 = lt;
                    }
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(done),
                        None => return Some(done),
                    }
                }
            }
        } else {
            let gt = rest.find('>')?;
            let inside = &rest[1..gt];
            let self_closing = inside.ends_with('/');
            let inside = inside.trim_end_matches('/');
            let end = inside.find(char::is_whitespace).unwrap_or(inside.len());
            i = lt + gt + 1;
            if end == 0 {
                continue;
            }
            let e = Element {
                name: inside[..end].to_string(),
                attrs: xml_attributes(&inside[end..]),
                children: Vec::new(),
                inner: (i, i),
            };
            if self_closing {
                match stack.last_mut() {
                    Some(parent) => parent.children.push(e),
                    None => return Some(e),
                }
            } else {
                stack.push(e);
            }
        }
    }
    // unclosed elements end with the text
    let mut last = None;
    while let Some(mut e) = stack.pop() {
        e.inner.1 = text.len();
        if let Some(child) = last.take() {
            e.children.push(child);
        }
        last = Some(e);
    }
    last
}

/// An element's value: its inner XML when it has child elements, else
/// its trimmed text with entities decoded.
fn xml_value(e: &Element, text: &str) -> String {
    let inner = text.get(e.inner.0..e.inner.1).unwrap_or_default();
    if e.children.is_empty() {
        decode(inner.trim())
    } else {
        inner.trim().to_string()
    }
}

/// The values a location path reaches from the root.
fn xml_walk(root: &Element, text: &str, steps: &[Step]) -> Vec<String> {
    let mut steps = steps.iter().peekable();
    // the first step names the root
    let mut cur: Vec<&Element> = match steps.next() {
        Some(Step::Key(k)) if *k == root.name => vec![root],
        Some(Step::Attr(a)) => {
            return root
                .attrs
                .iter()
                .filter(|(n, _)| n == a)
                .map(|(_, v)| v.clone())
                .collect()
        }
        Some(_) => return Vec::new(),
        None => vec![root],
    };
    for step in steps {
        match step {
            Step::Key(k) => {
                cur = cur
                    .iter()
                    .flat_map(|e| e.children.iter().filter(|c| c.name == *k))
                    .collect();
            }
            Step::All => {}
            Step::Index(n) => {
                cur = n
                    .checked_sub(1)
                    .and_then(|i| cur.get(i).copied())
                    .into_iter()
                    .collect();
            }
            Step::Attr(a) => {
                return cur
                    .iter()
                    .flat_map(|e| e.attrs.iter().filter(|(n, _)| n == a))
                    .map(|(_, v)| v.clone())
                    .collect();
            }
        }
    }
    cur.iter().map(|e| xml_value(e, text)).collect()
}

/// Plans `spath`.
pub(crate) fn plan(s: &Spath, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let o = p.opts;
    let input = o.text_or_default("input").unwrap_or_default();
    let output = o.text("output");
    let path = match (o.get("path"), &s.path) {
        (Some(o), _) => Some((o.value.node.clone(), o.value.span)),
        (None, Some(p)) => Some((p.node.clone(), p.span)),
        (None, None) => None,
    };
    let mode = match path {
        None => {
            if let Some(out) = output {
                return Err(EngineError::invalid(
                    "expected `path` with `output`, found no path",
                    out.span,
                    "output of what?",
                ));
            }
            Mode::Auto
        }
        Some((p, span)) => {
            let steps = parse_path(&p, span)?;
            let output = output.map_or_else(|| p.clone(), |v| v.node.clone());
            Mode::Path { steps, output }
        }
    };
    Ok(Box::new(SpathOp { input, mode }))
}

enum Mode {
    Auto,
    Path { steps: Vec<Step>, output: String },
}

struct SpathOp {
    input: String,
    mode: Mode,
}

/// The first `n` characters of `s`.
fn cut(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

impl SpathOp {
    fn auto(&self, batch: RecordBatch, texts: &Texts) -> Result<RecordBatch> {
        let n = batch.num_rows();
        let mut fields: IndexMap<String, Vec<Option<Vec<String>>>> = IndexMap::new();
        for row in 0..n {
            for doc in texts.get(row).to_vec() {
                let doc = cut(doc, EXTRACTION_CUTOFF);
                if is_xml(doc) {
                    crate::knowledge::kv::xml(doc, &mut |k: String, v: String| {
                        let col = fields.entry(k).or_insert_with(|| vec![None; n]);
                        if let Some(slot) = col.get_mut(row) {
                            slot.get_or_insert_with(Vec::new).push(v);
                        }
                    });
                    continue;
                }
                // fields before a syntax error (or the cutoff) are kept, as
                // Splunk's lenient reader does
                let _ = crate::source::json_flatten::flatten_document(
                    doc,
                    &mut |k: &str, v: Cow<'_, str>| {
                        let col = fields.entry(k.to_string()).or_insert_with(|| vec![None; n]);
                        if let Some(slot) = col.get_mut(row) {
                            slot.get_or_insert_with(Vec::new).push(v.into_owned());
                        }
                    },
                );
            }
        }
        let mut batch = batch;
        for (name, rows) in fields {
            batch = merge_into(&batch, &name, rows)?;
        }
        Ok(batch)
    }

    fn path(
        &self,
        batch: RecordBatch,
        texts: &Texts,
        steps: &[Step],
        output: &str,
    ) -> Result<RecordBatch> {
        let mut rows: Vec<Option<Vec<String>>> = vec![None; batch.num_rows()];
        for (row, slot) in rows.iter_mut().enumerate() {
            let vals = texts.get(row);
            if vals == RowVals::Null {
                continue;
            }
            for doc in vals.to_vec() {
                if is_xml(doc) {
                    if let Some(root) = xml_parse(doc) {
                        for v in xml_walk(&root, doc, steps) {
                            slot.get_or_insert_with(Vec::new).push(v);
                        }
                    }
                    continue;
                }
                let Ok(root) = serde_json::from_str::<Value>(doc) else {
                    continue;
                };
                for node in walk(&root, steps) {
                    slot.get_or_insert_with(Vec::new).push(node_text(node));
                }
            }
        }
        merge_into(&batch, output, rows)
    }
}

impl Operator for SpathOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        if batch.column_by_name(&self.input).is_none() {
            return Ok(vec![batch]);
        }
        let texts = Texts::of(&batch, &self.input)?;
        let out = match &self.mode {
            Mode::Auto => self.auto(batch, &texts)?,
            Mode::Path { steps, output } => self.path(batch, &texts, steps, output)?,
        };
        Ok(vec![out])
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Vec<Step> {
        parse_path(s, Span::new(0, 0)).unwrap()
    }

    #[test]
    fn paths() {
        assert_eq!(
            p("a.b{}.c{2}"),
            vec![
                Step::Key("a".into()),
                Step::Key("b".into()),
                Step::All,
                Step::Key("c".into()),
                Step::Index(2)
            ]
        );
        assert_eq!(p("{}"), vec![Step::All]);
        assert_eq!(
            p("m{}{}"),
            vec![Step::Key("m".into()), Step::All, Step::All]
        );
        assert_eq!(
            p("a.b{@id}"),
            vec![
                Step::Key("a".into()),
                Step::Key("b".into()),
                Step::Attr("id".into())
            ]
        );
        for bad in ["a..b", "a{", "a{x}", "a{}b", "a{@}"] {
            assert!(parse_path(bad, Span::new(0, 0)).is_err(), "{bad}");
        }
    }

    #[test]
    fn xml_paths() {
        let doc = "<?xml version='1.0'?><Event xmlns='x'><System><Provider Name='Sysmon' Guid='{1}'/><EventID>1</EventID></System><EventData><Data Name='Image'>C:\\a.exe</Data><Data Name='User'>A &amp; B</Data></EventData></Event>";
        let root = xml_parse(doc).unwrap();
        let w = |s: &str| xml_walk(&root, doc, &p(s));
        assert_eq!(w("Event.System.EventID"), ["1"]);
        assert_eq!(w("Event.System.Provider{@Name}"), ["Sysmon"]);
        assert_eq!(w("Event.EventData.Data"), ["C:\\a.exe", "A & B"]);
        assert_eq!(w("Event.EventData.Data{2}"), ["A & B"]);
        assert_eq!(w("Event.EventData.Data{0}"), Vec::<String>::new());
        assert_eq!(w("Event.EventData.Data{@Name}"), ["Image", "User"]);
        assert_eq!(w("Event{@xmlns}"), ["x"]);
        assert_eq!(w("Other.System"), Vec::<String>::new());
        assert_eq!(
            w("Event.System"),
            ["<Provider Name='Sysmon' Guid='{1}'/><EventID>1</EventID>"]
        );
    }

    #[test]
    fn walking() {
        let v: Value =
            serde_json::from_str(r#"{"a":[{"b":1},{"b":2.5},{"c":3}],"o":{"x":null,"y":true}}"#)
                .unwrap();
        let texts = |steps: &[Step]| -> Vec<String> {
            walk(&v, steps).into_iter().map(node_text).collect()
        };
        assert_eq!(texts(&p("a{}.b")), vec!["1", "2.5"]);
        assert_eq!(texts(&p("a.b")), vec!["1", "2.5"]);
        assert_eq!(texts(&p("a{1}.b")), vec!["2.5"]);
        assert_eq!(texts(&p("a{9}")), Vec::<String>::new());
        assert_eq!(texts(&p("o")), vec![r#"{"x":null,"y":true}"#]);
        assert_eq!(texts(&p("o.x")), vec!["null"]);
        assert_eq!(texts(&p("o.y")), vec!["true"]);
        assert_eq!(texts(&p("o.y{}")), vec!["true"]);
        assert_eq!(cut("héllo", 2), "hé");
    }
}
