//! `extract [<option>=<value>]... [<transform>...]` (alias `kv`): field
//! extraction from `_raw` at search time (Splunk's "extract" reference
//! page).
//!
//! - With transform names, the named transforms.conf stanzas of the loaded
//!   apps run in the order written (`REGEX`/`FORMAT`, `DELIMS`/`FIELDS`,
//!   `SOURCE_KEY`, ... as for `REPORT-`), `mv_add=` and `clean_keys=`
//!   overriding the stanza's `MV_ADD` and `CLEAN_KEYS`.
//! - Without, key/value pairs of `_raw`: split at any `pairdelim` character
//!   into pairs and each pair at its first `kvdelim` character (a value
//!   holding a `kvdelim` character is not extracted, as the reference page
//!   says) when either delimiter option is given; otherwise the automatic
//!   `key=value` extraction of `KV_MODE = auto` (`knowledge::kv`), which
//!   `auto=f` turns off. At most `limit` pairs per event, read from the first
//!   `maxchars` characters of `_raw`.
//! - `reload=true` applies the apps' search-time knowledge (props.conf of
//!   each event's sourcetype, source and host) to the results again first.
//!
//! Extraction is the knowledge layer's (`knowledge::kv`,
//! `knowledge::extract`), not a second extractor. As with automatic
//! extraction, a field that already has a value keeps it; a key met again
//! in one event adds a value only with `mv_add=true`. `segment=true` (the
//! pairs' positions) is rejected: the engine has no place to put them.

use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::knowledge::extract::{clean_key, delimited, Transform};
use crate::knowledge::kv::{self, KvConfig, KvMode};
use crate::knowledge::work::Work;
use crate::knowledge::Knowledge;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::RecordBatch;
use spl_parser::ast::Args;
use std::sync::Arc;

/// The `extract` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Extracts fields from `_raw`: `key=value` pairs (or pairs split at the `pairdelim`/`kvdelim` characters given), or the named transforms.conf extractions of the loaded apps. A field that already has a value keeps it.",
    examples: &[
        Example {
            title: "key=value pairs",
            spl: "| makeresults | eval _raw=\"user=alice action=login src=10.0.0.1\" | extract | table user action src",
        },
        Example {
            title: "pairs split at `|` or `;`, keys from values at `=` or `:`",
            spl: "| makeresults | eval _raw=\"user:alice|action=login;src=10.0.0.1\" | extract pairdelim=\"|;\" kvdelim=\"=:\" | table user action src",
        },
        Example {
            title: "a repeated key as a multivalue field, at most two pairs",
            spl: "| makeresults | eval _raw=\"tag=a tag=b other=c\" | kv mv_add=true limit=2 | table tag other",
        },
    ],
    compat: "Only `_raw` is read, as in Splunk. `reload=true` applies the apps' search-time knowledge to the results again (the apps are read when the engine is built). `segment=true` is rejected (`spl::run::unsupported_option`). `limit` and `maxchars` bound the key/value pairs, not named transforms. A field that already has a value keeps it; a key met again in one event adds a value only with `mv_add=true`.",
};

/// What the command extracts.
enum Mode {
    /// The named transforms, in order.
    Named(Vec<Arc<Transform>>),
    /// `key=value` pairs (KV_MODE = auto).
    Auto,
    /// Pairs split at delimiter characters.
    Delims { pairs: Vec<char>, kv: Vec<char> },
    /// Nothing (`auto=f` without delimiters or names).
    Off,
}

/// Plans `extract`/`kv`.
pub(crate) fn plan(a: &Args, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let o = p.opts;
    if o.bool("segment")?.unwrap_or(false) {
        if let Some(opt) = o.get("segment") {
            return Err(EngineError::unsupported_option(o.command(), opt));
        }
    }
    let auto = o.bool("auto")?.unwrap_or(true);
    let reload = o.bool("reload")?.unwrap_or(false);
    let mv_add = o.bool("mv_add")?;
    let clean_keys = o.bool("clean_keys")?;
    let limit = o.count_or_default("limit")?.unwrap_or(50) as usize;
    let maxchars = o.count_or_default("maxchars")?.unwrap_or(10240) as usize;
    let chars = |name: &str| -> Result<Option<Vec<char>>> {
        match o.text(name) {
            None => Ok(None),
            Some(t) if t.node.is_empty() => Err(EngineError::invalid(
                format!("expected one or more delimiter characters for {name}, found nothing"),
                t.span,
                "delimiters are single characters, e.g. \"|;\"",
            )),
            Some(t) => Ok(Some(t.node.chars().collect())),
        }
    };
    let (pairdelim, kvdelim) = (chars("pairdelim")?, chars("kvdelim")?);
    let knowledge = p
        .ctx
        .catalog
        .knowledge
        .as_ref()
        .and_then(|k| k.as_any().downcast_ref::<Knowledge>());
    let mut named = Vec::new();
    for w in &a.words {
        let name = &w.text.node;
        let stanza = knowledge.and_then(|k| k.transform(name)).ok_or_else(|| {
            EngineError::invalid(
                format!("expected a transforms.conf stanza of the loaded apps, found `{name}`"),
                w.text.span,
                "no such transform (apps are loaded with --apps)",
            )
        })?;
        let has = |k: &str| stanza.get(k).is_some_and(|v| !v.value.is_empty());
        if !has("REGEX") && !has("DELIMS") {
            return Err(EngineError::invalid(
                format!("expected a transform with REGEX or DELIMS, found `{name}` with neither"),
                w.text.span,
                "this transform extracts no fields",
            ));
        }
        let blame = crate::knowledge::apps::Value {
            value: name.clone(),
            file: stanza.file.clone(),
            line: stanza.line,
        };
        named.push(Arc::new(Transform::from_stanza(
            stanza,
            (&blame, "extract"),
        )?));
    }
    let mode = if !named.is_empty() {
        Mode::Named(named)
    } else if pairdelim.is_some() || kvdelim.is_some() {
        Mode::Delims {
            // Splunk names no defaults: whitespace between pairs, `=`
            // between key and value, as automatic extraction reads them
            pairs: pairdelim.unwrap_or_else(|| vec![' ', '\t', '\n', '\r']),
            kv: kvdelim.unwrap_or_else(|| vec!['=']),
        }
    } else if auto {
        Mode::Auto
    } else {
        Mode::Off
    };
    Ok(Box::new(ExtractOp {
        mode,
        reload,
        mv_add,
        clean_keys,
        limit,
        maxchars,
    }))
}

struct ExtractOp {
    mode: Mode,
    reload: bool,
    mv_add: Option<bool>,
    clean_keys: Option<bool>,
    limit: usize,
    maxchars: usize,
}

impl ExtractOp {
    /// The pairs of one `_raw`, at most `limit`.
    fn pairs(&self, raw: &str) -> Vec<(String, String)> {
        let end = raw
            .char_indices()
            .nth(self.maxchars)
            .map_or(raw.len(), |(i, _)| i);
        let text = raw.get(..end).unwrap_or(raw);
        let clean = self.clean_keys.unwrap_or(true);
        let mut out = Vec::new();
        match &self.mode {
            Mode::Auto => {
                let cfg = KvConfig {
                    mode: KvMode::Auto,
                    clean_keys: clean,
                    ..KvConfig::default()
                };
                kv::extract(&cfg, text, &mut |k, v| out.push((k, v)));
            }
            Mode::Delims { pairs, kv } => {
                let mut found = Vec::new();
                delimited(text, pairs, Some(kv), &[], &mut found);
                for (k, v) in found {
                    // the reference page: a value holding a key/value
                    // delimiter is not extracted
                    if v.is_empty() || v.contains(kv.as_slice()) {
                        continue;
                    }
                    let k = if clean { clean_key(&k) } else { k };
                    out.push((k, v));
                }
            }
            Mode::Named(_) | Mode::Off => {}
        }
        out.retain(|(k, _)| !k.is_empty());
        out.truncate(self.limit);
        out
    }
}

impl Operator for ExtractOp {
    fn push(&mut self, mut batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        if self.reload {
            if let Some(k) = &ctx.catalog.knowledge {
                batch = k.apply(batch, &crate::operator::demand::FieldSet::All, false, ctx)?;
            }
        }
        if batch.column_by_name("_raw").is_none() || matches!(self.mode, Mode::Off) {
            return Ok(vec![batch]);
        }
        let mut work = Work::new(&batch);
        if let Mode::Named(list) = &self.mode {
            let mut warnings: Vec<String> = Vec::new();
            for t in list {
                t.run_with(
                    &mut work,
                    &|_| true,
                    &mut |w| {
                        if !warnings.contains(&w) {
                            warnings.push(w)
                        }
                    },
                    self.mv_add,
                    self.clean_keys,
                );
            }
            for w in warnings {
                ctx.warnings.push("spl::run::knowledge_regex_limit", w);
            }
        } else {
            let mv_add = self.mv_add.unwrap_or(false);
            for row in 0..work.rows() {
                let Some(raw) = work.first(row, "_raw").map(|r| r.into_owned()) else {
                    continue;
                };
                // fields the result had before keep their values
                let mut mine: Vec<String> = Vec::new();
                for (k, v) in self.pairs(&raw) {
                    let seen = mine.contains(&k);
                    if !seen && work.has(row, &k) {
                        continue;
                    }
                    if seen && !mv_add {
                        continue;
                    }
                    work.add(row, &k, v, true);
                    if !seen {
                        mine.push(k);
                    }
                }
            }
        }
        Ok(vec![work.finish(|_| true)?])
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }
}
