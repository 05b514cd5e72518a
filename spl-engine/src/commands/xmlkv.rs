//! `xmlkv [<field>] [maxinputs=<int>]`: `<key>value</key>` pairs of XML
//! in a field (default `_raw`) become fields (Splunk's "xmlkv" reference
//! page).
//!
//! Every element that holds text and no child element is a pair: the tag
//! name (as written, namespace prefix included) is the field name and the
//! text, with XML entities and CDATA sections decoded and surrounding
//! whitespace trimmed, is the value. A tag met more than once gives a
//! multivalue field in document order. Attributes, elements with children
//! and empty elements give nothing. The reader is lenient: text around the
//! XML (a Windows event `Message` with the task XML after `Task Content:`),
//! comments, processing instructions and unclosed or stray tags are
//! skipped. Extracted fields replace the values a result had.

use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::texts::{field_name, Extracted, Texts};
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::RecordBatch;
use spl_parser::ast::Args;

/// The `xmlkv` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Extracts the `<key>value</key>` pairs of XML in a field (default `_raw`) into fields: each element holding text and no child element gives a field named by its tag. A tag met more than once gives a multivalue field.",
    examples: &[
        Example {
            title: "pairs of the XML in _raw",
            spl: "| makeresults | eval _raw=\"<game><name>Settlers of Catan</name><category>competitive</category></game>\" | xmlkv | table name category",
        },
        Example {
            title: "a scheduled task's XML inside a Windows event message",
            spl: "| makeresults | eval Message=\"Task Content: <?xml version=\\\"1.0\\\"?><Task><Settings><Hidden>true</Hidden></Settings><Actions><Exec><Command>cmd.exe</Command><Arguments>/c whoami</Arguments></Exec></Actions></Task>\" | xmlkv Message | table Hidden Command Arguments",
        },
    ],
    compat: "`maxinputs` is accepted and has no effect: every result is processed. Attributes are not extracted (use `spath`), values are trimmed, and empty elements give no field.",
};

/// Plans `xmlkv`.
pub(crate) fn plan(a: &Args, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let o = p.opts;
    // Splunk runs the command in chunks of `maxinputs` results; offline the
    // whole result set is one stream, so the value only has to be valid.
    o.count_or_default("maxinputs")?;
    let mut words = a.words.iter();
    let field = match words.next() {
        None => "_raw".to_string(),
        Some(w) => {
            field_name(w, "a field name")?;
            w.text.node.clone()
        }
    };
    if let Some(w) = words.next() {
        return Err(EngineError::invalid(
            format!("expected the end of the command, found `{}`", w.text.node),
            w.text.span,
            "xmlkv reads one field",
        ));
    }
    Ok(Box::new(XmlkvOp { field }))
}

struct XmlkvOp {
    field: String,
}

impl Operator for XmlkvOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        if batch.column_by_name(&self.field).is_none() {
            return Ok(vec![batch]);
        }
        let texts = Texts::of(&batch, &self.field)?;
        let mut out = Extracted::new(batch.num_rows());
        for row in 0..batch.num_rows() {
            for doc in texts.get(row).to_vec() {
                leaf_elements(doc, &mut |k, v| out.push(row, k, v));
            }
        }
        Ok(vec![out.write(batch)?])
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }
}

/// An element whose end tag has not been read yet.
struct Open<'a> {
    name: &'a str,
    /// Its decoded text so far.
    text: String,
    has_child: bool,
}

/// Calls `emit(tag, text)` for every element of `xml` that holds text and
/// no child element, in document order.
fn leaf_elements(xml: &str, emit: &mut impl FnMut(&str, String)) {
    let mut stack: Vec<Open<'_>> = Vec::new();
    let mut i = 0;
    while let Some(off) = xml.get(i..).and_then(|r| r.find('<')) {
        let lt = i + off;
        if let Some(top) = stack.last_mut() {
            decode_into(&mut top.text, xml.get(i..lt).unwrap_or_default());
        }
        let rest = xml.get(lt..).unwrap_or_default();
        // Markup that holds no element: skip it whole (an unterminated one
        // ends the document).
        let skip_to = |open: &str, close: &str| {
            rest.find(close)
                .filter(|&e| e >= open.len())
                .map(|e| lt + e + close.len())
        };
        if rest.starts_with("<!--") {
            let Some(end) = skip_to("<!--", "-->") else {
                break;
            };
            i = end;
        } else if let Some(cdata) = rest.strip_prefix("<![CDATA[") {
            let Some(e) = cdata.find("]]>") else { break };
            if let Some(top) = stack.last_mut() {
                top.text.push_str(cdata.get(..e).unwrap_or_default());
            }
            i = lt + "<![CDATA[".len() + e + "]]>".len();
        } else if rest.starts_with("<?") {
            let Some(end) = skip_to("<?", "?>") else {
                break;
            };
            i = end;
        } else if rest.starts_with("<!") {
            let Some(end) = skip_to("<!", ">") else { break };
            i = end;
        } else if let Some(after) = rest.strip_prefix("</") {
            let name = tag_name(after);
            let Some(gt) = after.find('>') else { break };
            i = lt + 2 + gt + 1;
            close(&mut stack, name, emit);
        } else {
            let after = rest.get(1..).unwrap_or_default();
            let name = tag_name(after);
            if name.is_empty() {
                // a `<` that starts no tag is text
                if let Some(top) = stack.last_mut() {
                    top.text.push('<');
                }
                i = lt + 1;
                continue;
            }
            let Some(gt) = tag_end(after) else { break };
            i = lt + 1 + gt + 1;
            if let Some(top) = stack.last_mut() {
                top.has_child = true;
            }
            let self_closing = after.get(..gt).is_some_and(|t| t.ends_with('/'));
            if !self_closing {
                stack.push(Open {
                    name,
                    text: String::new(),
                    has_child: false,
                });
            }
        }
    }
}

/// Closes the innermost open element called `name` (and any left open
/// inside it); a stray end tag is ignored.
fn close(stack: &mut Vec<Open<'_>>, name: &str, emit: &mut impl FnMut(&str, String)) {
    let Some(at) = stack.iter().rposition(|o| o.name == name) else {
        return;
    };
    stack.truncate(at + 1);
    if let Some(el) = stack.pop() {
        let value = el.text.trim();
        if !el.has_child && !value.is_empty() {
            emit(el.name, value.to_string());
        }
    }
}

/// The XML name at the start of `s` (empty when `s` does not start with
/// one).
fn tag_name(s: &str) -> &str {
    let starts = s
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':');
    if !starts {
        return "";
    }
    let end = s
        .find(|c: char| c.is_whitespace() || matches!(c, '/' | '>' | '<' | '=' | '"' | '\''))
        .unwrap_or(s.len());
    s.get(..end).unwrap_or_default()
}

/// The offset of the `>` ending a start tag, skipping quoted attribute
/// values.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// Appends `text` with its character and entity references decoded; an
/// unknown or malformed reference stays as written.
fn decode_into(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or_default());
        let after = rest.get(amp + 1..).unwrap_or_default();
        let decoded = after.find(';').filter(|&e| e <= 10).and_then(|e| {
            let name = after.get(..e)?;
            let c = match name {
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                "quot" => '"',
                "apos" => '\'',
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = after.get(e + 1..).unwrap_or_default();
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(xml: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        leaf_elements(xml, &mut |k, v| out.push((k.to_string(), v)));
        out
    }

    fn want(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn leaves_in_document_order() {
        assert_eq!(
            pairs(
                "<game>\n  <name>Settlers of Catan</name>\n  <category>competitive</category>\n</game>\
                 <game><name>Ticket to Ride</name><category>competitive</category></game>"
            ),
            want(&[
                ("name", "Settlers of Catan"),
                ("category", "competitive"),
                ("name", "Ticket to Ride"),
                ("category", "competitive"),
            ])
        );
    }

    #[test]
    fn markup_entities_and_attributes() {
        assert_eq!(
            pairs(
                r#"Task Content: <?xml version="1.0" encoding="UTF-16"?>
                <!DOCTYPE x><Task a="1>2" b='x'><!-- <c>no</c> -->
                <Cmd>a &amp; b &lt;c&gt; &#65;&#x42; &bogus; & x</Cmd>
                <Data Name='x'><![CDATA[<raw> &amp;]]></Data><ns:T>  v  </ns:T>
                <Empty/><Blank></Blank><Space>   </Space></Task>"#
            ),
            want(&[
                ("Cmd", "a & b <c> AB &bogus; & x"),
                ("Data", "<raw> &amp;"),
                ("ns:T", "v"),
            ])
        );
    }

    #[test]
    fn lenient_with_broken_xml() {
        assert_eq!(
            pairs("<a><b>1</b><c>2<d>3</a> </x> <e>4 < 5</e><f>unclosed"),
            // `d` is never closed: only properly closed leaves count
            want(&[("b", "1"), ("e", "4 < 5")])
        );
        assert_eq!(pairs("no xml at all"), want(&[]));
        assert_eq!(
            pairs("<a>x</a><!-- unterminated <b>y</b>"),
            want(&[("a", "x")])
        );
        assert_eq!(pairs("<a>x</a><b"), want(&[("a", "x")]));
    }
}
