//! Comparing ASTs while ignoring spans: the round-trip check of the
//! canonical printer (`parse(print(parse(q))) == parse(q)`) uses this.

use crate::ast::Query;
use serde_json::Value;

/// The AST as JSON with every span removed: `span`/`*_span` keys are dropped
/// and `{node, span}` wrappers collapse to their node.
pub fn to_json_without_spans(q: &Query) -> Value {
    let mut v = serde_json::to_value(q).unwrap_or(Value::Null);
    strip(&mut v);
    v
}

/// True when two queries have the same tree apart from spans.
pub fn same_ast(a: &Query, b: &Query) -> bool {
    to_json_without_spans(a) == to_json_without_spans(b)
}

fn strip(v: &mut Value) {
    match v {
        Value::Array(items) => items.iter_mut().for_each(strip),
        Value::Object(map) => {
            map.retain(|k, _| k != "span" && !k.ends_with("_span"));
            if map.len() == 1 {
                if let Some(node) = map.remove("node") {
                    *v = node;
                    strip(v);
                    return;
                }
            }
            map.values_mut().for_each(strip);
        }
        _ => {}
    }
}
