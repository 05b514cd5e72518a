//! Event types (eventtypes.conf) and tags (tags.conf), the last search-time
//! operations.
//!
//! - eventtypes.conf.spec: `[<name>]` with `search = <search terms>` (no
//!   pipes), `disabled`, `priority` (1 is the highest, 10 the lowest; it
//!   orders the values of `eventtype`) and the deprecated `tags` (a list
//!   that tags the event type, as `[eventtype=<name>]` in tags.conf would).
//!   An event gets a multivalue field `eventtype` with the name of every
//!   event type whose search it matches. The search is the engine's search
//!   filter ([`crate::filter`]); a search may use `eventtype=` and `tag=` of
//!   other event types (evaluated until nothing changes). A name with
//!   `%field%` parts is a template: an event gets the name with each part
//!   replaced by the event's value of that field (`[cisco-%code%]` on an
//!   event with `code=432` is `cisco-432`); an event without one of the
//!   fields gets no name from the template, a multivalue field gives its
//!   first value.
//! - tags.conf.spec: `[<field>=<value>]` with `<tag> = enabled|disabled`.
//!   Field and value in the stanza name are URL-encoded (`%20`). An event
//!   whose `<field>` has the value `<value>` gets the tag in the multivalue
//!   fields `tag::<field>` and `tag`; event types are tagged through the
//!   field `eventtype`.

use super::apps::Merged;
use crate::batch;
use crate::context::ExecContext;
use crate::error::Result;
use crate::filter::{SearchFilter, SearchMode};
use crate::operator::demand::FieldSet;
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, Field};
use indexmap::IndexMap;
use spl_parser::ast::Command;

/// One event type.
#[derive(Debug, Clone)]
struct EventType {
    name: String,
    /// `%field%` template parts: (literal text before, field) pairs and
    /// the literal tail; `None` for a plain name.
    template: Option<(Vec<(String, String)>, String)>,
    filter: SearchFilter,
    priority: i64,
    /// Reads `eventtype` or `tag` fields (another event type's result).
    nested: bool,
}

/// Event types and tags.
#[derive(Debug, Clone, Default)]
pub(crate) struct EventTypes {
    types: Vec<EventType>,
    /// field -> value -> tags, in the order written.
    tags: TagMap,
}

type TagMap = IndexMap<String, IndexMap<String, Vec<String>>>;

/// Whether a wanted name (or pattern) may name a `tag::<field>` field: the
/// name itself, or a pattern whose text before its first `*` is a prefix of
/// `tag::` or starts with it.
fn may_name_a_tag_field(name: &str) -> bool {
    match name.split_once('*') {
        None => name.starts_with("tag::"),
        Some((head, _)) => "tag::".starts_with(head) || head.starts_with("tag::"),
    }
}

/// Splits `a-%f%-%g%x` into (literal, field) pairs and a tail; `None` when
/// the name has no `%field%` part (an odd `%` count is no template).
fn template(name: &str) -> Option<(Vec<(String, String)>, String)> {
    let parts: Vec<&str> = name.split('%').collect();
    if parts.len() < 3 || parts.len() % 2 == 0 {
        return None;
    }
    let mut pairs = Vec::new();
    let mut i = 0;
    while i + 2 < parts.len() {
        let field = parts.get(i + 1).copied().unwrap_or_default();
        if field.is_empty() {
            return None;
        }
        pairs.push((
            parts.get(i).copied().unwrap_or_default().to_string(),
            field.to_string(),
        ));
        i += 2;
    }
    Some((pairs, parts.last().copied().unwrap_or_default().to_string()))
}

/// Decodes `%XX` escapes.
fn url_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b.get(i),
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (Some(b'%'), Some(h), Some(l)) => {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                i += 3;
            }
            (Some(&c), _, _) => {
                out.push(c);
                i += 1;
            }
            (None, _, _) => break,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl EventTypes {
    /// Reads merged eventtypes.conf and tags.conf; a search that does not
    /// parse or bind is an error naming file, line and key.
    pub(crate) fn new(eventtypes: &Merged, tags: &Merged) -> Result<EventTypes> {
        let ctx = ExecContext::new(0.0);
        let mut out = EventTypes::default();
        fn add_tag(tags: &mut TagMap, field: &str, value: &str, tag: &str) {
            let list = tags
                .entry(field.to_string())
                .or_default()
                .entry(value.to_string())
                .or_default();
            if !list.iter().any(|t| t == tag) {
                list.push(tag.to_string());
            }
        }
        for s in eventtypes.stanzas.values() {
            if s.name == super::conf::DEFAULT_STANZA {
                continue;
            }
            let disabled = super::extract::bool_setting(s.get("disabled"), "disabled", false)?;
            let Some(search) = s.get("search").filter(|v| !v.value.trim().is_empty()) else {
                continue;
            };
            if disabled {
                continue;
            }
            let priority = match s.get("priority") {
                Some(v) if !v.value.trim().is_empty() => {
                    v.value.trim().parse::<i64>().map_err(|_| {
                        v.error(
                            "priority",
                            format!("expected a number from 1 to 10, found `{}`", v.value),
                        )
                    })?
                }
                _ => 10,
            };
            let text = search.value.replace('\n', " ");
            let query = spl_parser::parse(&format!("search {text}"))
                .map_err(|e| search.error("search", format!("in `{text}`: {e}")))?;
            let stages = &query.pipeline.stages;
            let expr = match stages.first().map(|c| &c.command) {
                Some(Command::Search(s)) if stages.len() == 1 => s.expr.clone(),
                _ => {
                    return Err(search.error(
                        "search",
                        format!("expected search terms without pipes, found `{text}`"),
                    ))
                }
            };
            let (filter, _) = SearchFilter::bind(expr.as_ref(), SearchMode::Events, &ctx)
                .map_err(|e| search.error("search", format!("in `{text}`: {e}")))?;
            let nested = filter
                .fields()
                .iter()
                .any(|f| f == "eventtype" || f == "tag" || f.starts_with("tag::"));
            if let Some(t) = s.get("tags") {
                for tag in t.value.split([',', ' ']).filter(|x| !x.is_empty()) {
                    add_tag(&mut out.tags, "eventtype", &s.name, tag);
                }
            }
            out.types.push(EventType {
                name: s.name.clone(),
                template: template(&s.name),
                filter,
                priority,
                nested,
            });
        }
        out.types.sort_by(|a, b| {
            a.priority
                .cmp(&b.priority)
                .then_with(|| a.name.cmp(&b.name))
        });
        for s in tags.stanzas.values() {
            let Some((field, value)) = s.name.split_once('=') else {
                continue;
            };
            let (field, value) = (url_decode(field.trim()), url_decode(value.trim()));
            for (tag, v) in &s.settings {
                let on = match v.value.trim().to_ascii_lowercase().as_str() {
                    "enabled" => true,
                    "disabled" => false,
                    other => {
                        return Err(v.error(
                            tag,
                            format!("expected enabled or disabled, found `{other}`"),
                        ))
                    }
                };
                if on {
                    add_tag(&mut out.tags, &field, &value, tag);
                } else if let Some(list) = out.tags.get_mut(&field).and_then(|m| m.get_mut(&value))
                {
                    list.retain(|t| t != tag);
                }
            }
        }
        Ok(out)
    }

    /// True when there is nothing to do.
    pub(crate) fn is_empty(&self) -> bool {
        self.types.is_empty() && self.tags.is_empty()
    }

    /// Whether a consumer wanting `wanted` needs `eventtype`, `tag` or a
    /// `tag::<field>` from here.
    pub(crate) fn needed_by(&self, wanted: &FieldSet) -> bool {
        !self.is_empty()
            && (wanted.wants("eventtype")
                || wanted.wants("tag")
                || wanted.any_name(may_name_a_tag_field))
    }

    /// Adds the fields the event types' searches and the tags read.
    pub(crate) fn reads(&self, f: &mut FieldSet) {
        for t in &self.types {
            for n in t.filter.fields() {
                f.add(&n);
            }
        }
        for field in self.tags.keys() {
            f.add(field);
        }
    }

    /// Adds `eventtype`, `tag` and `tag::<field>` to `batch`.
    pub(crate) fn apply(&self, batch: RecordBatch, ctx: &ExecContext) -> Result<RecordBatch> {
        if self.is_empty() || batch.num_rows() == 0 {
            return Ok(batch);
        }
        let rows = batch.num_rows();
        let mut out = batch;
        if !self.types.is_empty() {
            let mut matched: Vec<Vec<bool>> = vec![vec![false; rows]; self.types.len()];
            // plain event types once, then nested ones until nothing changes
            let mut pass = 0;
            loop {
                let mut changed = false;
                for (i, t) in self.types.iter().enumerate() {
                    if pass > 0 && !t.nested {
                        continue;
                    }
                    let mask = t.filter.evaluate(&out, ctx)?;
                    for (row, m) in matched[i].iter_mut().enumerate() {
                        let hit = mask.is_valid(row) && mask.value(row);
                        if hit && !*m {
                            *m = true;
                            changed = true;
                        }
                    }
                }
                out = self.with_eventtypes(&out, &matched)?;
                out = self.with_tags(&out)?;
                pass += 1;
                if !changed || !self.types.iter().any(|t| t.nested) || pass > self.types.len() {
                    break;
                }
            }
            Ok(out)
        } else {
            self.with_tags(&out)
        }
    }

    fn with_eventtypes(&self, batch: &RecordBatch, matched: &[Vec<bool>]) -> Result<RecordBatch> {
        let mut rows: Vec<Option<Vec<String>>> = vec![None; batch.num_rows()];
        for (row, slot) in rows.iter_mut().enumerate() {
            let mut names: Vec<String> = Vec::new();
            for (t, m) in self.types.iter().zip(matched) {
                if !m.get(row).copied().unwrap_or(false) {
                    continue;
                }
                match &t.template {
                    None => names.push(t.name.clone()),
                    Some((pairs, tail)) => {
                        let mut name = String::new();
                        let mut complete = true;
                        for (lit, field) in pairs {
                            name.push_str(lit);
                            let first = match batch::column(batch, field) {
                                Some(c) => {
                                    batch::values_at(c, row)?.and_then(|v| v.into_iter().next())
                                }
                                None => None,
                            };
                            match first {
                                Some(v) => name.push_str(&v),
                                None => complete = false,
                            }
                        }
                        name.push_str(tail);
                        if complete && !names.contains(&name) {
                            names.push(name);
                        }
                    }
                }
            }
            if !names.is_empty() {
                *slot = Some(names);
            }
        }
        if rows.iter().all(Option::is_none) && batch::column(batch, "eventtype").is_none() {
            return Ok(batch.clone());
        }
        set(batch, "eventtype", &rows)
    }

    fn with_tags(&self, batch: &RecordBatch) -> Result<RecordBatch> {
        let n = batch.num_rows();
        let mut all: Vec<Vec<String>> = vec![Vec::new(); n];
        let mut out = batch.clone();
        for (field, values) in &self.tags {
            let Some(col) = batch::column(batch, field).cloned() else {
                continue;
            };
            let mut per_row: Vec<Option<Vec<String>>> = vec![None; n];
            for (row, slot) in per_row.iter_mut().enumerate() {
                let vals = batch::values_at(&col, row)?.unwrap_or_default();
                let mut tags: Vec<String> = Vec::new();
                for v in &vals {
                    if let Some(ts) = values.get(v.as_str()) {
                        for t in ts {
                            if !tags.contains(t) {
                                tags.push(t.clone());
                            }
                        }
                    }
                }
                for t in &tags {
                    if let Some(a) = all.get_mut(row) {
                        if !a.contains(t) {
                            a.push(t.clone());
                        }
                    }
                }
                if !tags.is_empty() {
                    *slot = Some(tags);
                }
            }
            if per_row.iter().any(Option::is_some) {
                out = set(&out, &format!("tag::{field}"), &per_row)?;
            }
        }
        let rows: Vec<Option<Vec<String>>> = all
            .into_iter()
            .map(|mut t| {
                t.sort();
                (!t.is_empty()).then_some(t)
            })
            .collect();
        if rows.iter().any(Option::is_some) {
            out = set(&out, "tag", &rows)?;
        }
        Ok(out)
    }
}

/// Sets `name` to a text column of `rows` (a list column whenever the field
/// can hold several values, so its type does not change from batch to batch).
fn set(batch: &RecordBatch, name: &str, rows: &[Option<Vec<String>>]) -> Result<RecordBatch> {
    let arr = super::work::list_column(rows);
    let dt: DataType = arr.data_type().clone();
    batch::set_column(batch, Field::new(name, dt, true), arr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates() {
        assert_eq!(template("plain"), None);
        assert_eq!(template("a%b"), None);
        assert_eq!(template("a%%b"), None);
        assert_eq!(
            template("cisco-%code%"),
            Some((vec![("cisco-".into(), "code".into())], String::new()))
        );
        assert_eq!(
            template("%a%-%b%x"),
            Some((
                vec![(String::new(), "a".into()), ("-".into(), "b".into())],
                "x".into()
            ))
        );
    }

    #[test]
    fn url_decoding() {
        assert_eq!(url_decode("a%20b%3dc%"), "a b=c%");
        assert_eq!(url_decode("plain"), "plain");
    }
}
