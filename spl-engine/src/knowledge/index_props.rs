//! Index-time `props.conf` settings from apps: how a raw text file is broken
//! into events and where their timestamps are (`LINE_BREAKER`,
//! `SHOULD_LINEMERGE`, `BREAK_ONLY_BEFORE`, `BREAK_ONLY_BEFORE_DATE`,
//! `MUST_BREAK_AFTER`, `MAX_EVENTS`, `TRUNCATE`, `TIME_PREFIX`,
//! `TIME_FORMAT`, `MAX_TIMESTAMP_LOOKAHEAD`, `TZ`, `DATETIME_CONFIG`).
//!
//! Indexing runs without a user or an app, so these settings merge in
//! Splunk's *global* context (Admin Manual, "Configuration file
//! precedence"), not the app/user context search-time settings use
//! ([`super::apps`]): `system/local`, then every app's `local/` folder, then
//! every app's `default/` folder, then `system/default`; among apps the
//! order is lexicographical (bytewise: an app named `A` beats one named `B`,
//! which beats `a`). So app `B`'s `local/` beats app `A`'s `default/`. Two
//! apps of the same name keep the argument order (earlier first). The
//! built-in default app's index-time settings ([`RawProps::for_sourcetype`])
//! are the lowest layer.
//!
//! Which stanzas apply is the same as at search time ([`super::props`]):
//! `source::` over `host::` over the sourcetype over `[default]`, per
//! attribute, by `priority` within a kind. Every value is checked when the
//! apps load: a bad regex, zone or `TIME_FORMAT` directive is an error
//! naming file, line and key.
//!
//! `INDEXED_EXTRACTIONS` is not read: a file's format is what `--data`
//! says or detects, and structured formats are extracted when read
//! (`docs/compat-notes/knowledge.md`).

use super::apps::{self, App, Merged, Value};
use super::conf;
use super::props::{applicable_indices, PropsStanza};
use crate::error::Result;
use crate::pcre::Pcre;
use crate::source::{check_time_format, DatetimeConfig, IndexTimeProps, RawProps};
use std::path::PathBuf;

/// One index-time setting, checked.
#[derive(Debug, Clone)]
enum Setting {
    LineBreaker(String),
    ShouldLinemerge(bool),
    BreakOnlyBefore(Option<String>),
    BreakOnlyBeforeDate(bool),
    MustBreakAfter(Option<String>),
    MaxEvents(usize),
    Truncate(usize),
    TimePrefix(Option<String>),
    TimeFormat(Option<String>),
    Lookahead(usize),
    Tz(Option<String>),
    Datetime(DatetimeConfig),
}

impl Setting {
    fn apply(&self, p: &mut RawProps) {
        match self.clone() {
            Setting::LineBreaker(v) => p.line_breaker = v,
            Setting::ShouldLinemerge(v) => p.should_linemerge = v,
            Setting::BreakOnlyBefore(v) => p.break_only_before = v,
            Setting::BreakOnlyBeforeDate(v) => p.break_only_before_date = v,
            Setting::MustBreakAfter(v) => p.must_break_after = v,
            Setting::MaxEvents(v) => p.max_events = v,
            Setting::Truncate(v) => p.truncate = v,
            Setting::TimePrefix(v) => p.time_prefix = v,
            Setting::TimeFormat(v) => p.time_format = v,
            Setting::Lookahead(v) => p.max_timestamp_lookahead = v,
            Setting::Tz(v) => p.tz = v,
            Setting::Datetime(v) => p.datetime_config = v,
        }
    }
}

fn regex(key: &str, v: &Value, bytes: bool) -> Result<Option<String>> {
    let text = v.value.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let re = if bytes {
        Pcre::new_bytes(text)
    } else {
        Pcre::new(text)
    }
    .map_err(|e| {
        v.error(
            key,
            format!("expected a PCRE regular expression: {}", e.message),
        )
    })?;
    if key == "LINE_BREAKER" && re.group_count() < 1 {
        return Err(v.error(
            key,
            format!("expected a capturing group (the text between events), found `{text}`"),
        ));
    }
    Ok(Some(text.to_string()))
}

fn count(key: &str, v: &Value) -> Result<usize> {
    v.value.trim().parse::<usize>().map_err(|_| {
        v.error(
            key,
            format!("expected a whole number of 0 or more, found `{}`", v.value),
        )
    })
}

fn flag(key: &str, v: &Value) -> Result<bool> {
    spl_parser::options::parse_conf_bool(v.value.trim())
        .ok_or_else(|| v.error(key, format!("expected true or false, found `{}`", v.value)))
}

/// The checked index-time setting of `key`, if it is one; an empty value
/// restores Splunk's default.
fn setting(key: &str, v: &Value) -> Result<Option<Setting>> {
    let d = RawProps::default();
    let empty = v.value.trim().is_empty();
    Ok(Some(match key {
        "LINE_BREAKER" => Setting::LineBreaker(regex(key, v, true)?.unwrap_or(d.line_breaker)),
        "SHOULD_LINEMERGE" if empty => Setting::ShouldLinemerge(d.should_linemerge),
        "SHOULD_LINEMERGE" => Setting::ShouldLinemerge(flag(key, v)?),
        "BREAK_ONLY_BEFORE" => Setting::BreakOnlyBefore(regex(key, v, false)?),
        "BREAK_ONLY_BEFORE_DATE" if empty => Setting::BreakOnlyBeforeDate(d.break_only_before_date),
        "BREAK_ONLY_BEFORE_DATE" => Setting::BreakOnlyBeforeDate(flag(key, v)?),
        "MUST_BREAK_AFTER" => Setting::MustBreakAfter(regex(key, v, false)?),
        "MAX_EVENTS" if empty => Setting::MaxEvents(d.max_events),
        "MAX_EVENTS" => Setting::MaxEvents(count(key, v)?.max(1)),
        "TRUNCATE" if empty => Setting::Truncate(d.truncate),
        "TRUNCATE" => Setting::Truncate(count(key, v)?),
        "TIME_PREFIX" => Setting::TimePrefix(regex(key, v, false)?),
        "TIME_FORMAT" if empty => Setting::TimeFormat(None),
        "TIME_FORMAT" => {
            check_time_format(v.value.trim()).map_err(|m| v.error(key, m))?;
            Setting::TimeFormat(Some(v.value.trim().to_string()))
        }
        "MAX_TIMESTAMP_LOOKAHEAD" if empty => Setting::Lookahead(d.max_timestamp_lookahead),
        "MAX_TIMESTAMP_LOOKAHEAD" => Setting::Lookahead(count(key, v)?),
        "TZ" if empty => Setting::Tz(None),
        "TZ" => {
            let name = v.value.trim();
            jiff::tz::TimeZone::get(name)
                .map_err(|e| v.error(key, format!("expected a time zone name: {e}")))?;
            Setting::Tz(Some(name.to_string()))
        }
        "DATETIME_CONFIG" => Setting::Datetime(match v.value.trim() {
            "CURRENT" => DatetimeConfig::Current,
            "NONE" => DatetimeConfig::None,
            // Splunk's own datetime.xml: automatic recognition
            "" | "/etc/datetime.xml" => DatetimeConfig::Auto,
            other => {
                return Err(v.error(
                    key,
                    format!(
                        "expected CURRENT, NONE or /etc/datetime.xml, found `{other}` (a custom \
                         datetime.xml is not supported)"
                    ),
                ))
            }
        }),
        _ => return Ok(None),
    }))
}

/// The index-time settings of a set of apps.
pub(crate) struct IndexProps {
    stanzas: Vec<(PropsStanza, Vec<Setting>)>,
}

impl std::fmt::Debug for IndexProps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexProps")
            .field("stanzas", &self.stanzas.len())
            .finish()
    }
}

/// The apps' `props.conf` files merged in the global context (lowest
/// precedence first: `default/` folders, then `local/` ones, each from the
/// last app in lexicographical order to the first).
fn merge_global(found: &[App], builtin: bool) -> Result<Merged> {
    // `discover` lists apps in reverse lexicographical order, equal names
    // in argument order; the global context wants lexicographical order,
    // equal names still in argument order (earlier higher)
    let mut order: Vec<&App> = found.iter().collect();
    order.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
    let mut files = Vec::new();
    // the engine's default app is the lowest layer, where system/default is
    if builtin {
        files.push(conf::parse(
            apps::BUILTIN_PROPS,
            &format!("{}/default/props.conf", apps::BUILTIN_DIR),
        )?);
    }
    for layer in ["default", "local"] {
        for app in order.iter().rev() {
            let p = app.dir.join(layer).join("props.conf");
            if p.is_file() {
                files.push(conf::read(&p)?);
            }
        }
    }
    Ok(Merged::from_files(&files))
}

impl IndexProps {
    /// The default app's settings alone, loaded once per process.
    pub(crate) fn builtin() -> Result<std::sync::Arc<IndexProps>> {
        static BUILTIN: std::sync::OnceLock<
            std::result::Result<std::sync::Arc<IndexProps>, String>,
        > = std::sync::OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                IndexProps::load(&[], true)
                    .map(std::sync::Arc::new)
                    .map_err(|e| e.to_string())
            })
            .clone()
            .map_err(|e| {
                crate::error::EngineError::Internal(format!("the built-in default app: {e}"))
            })
    }

    /// Loads and checks the index-time settings of the apps under `paths`
    /// (`builtin`: with the engine's default app as the lowest layer).
    pub(crate) fn load(paths: &[PathBuf], builtin: bool) -> Result<IndexProps> {
        let merged = merge_global(&apps::discover(paths)?, builtin)?;
        let mut stanzas = Vec::new();
        for s in merged.stanzas.into_values() {
            let mut settings = Vec::new();
            for (key, v) in &s.settings {
                if let Some(set) = setting(key, v)? {
                    settings.push(set);
                }
            }
            if !settings.is_empty() {
                stanzas.push((PropsStanza::new(s)?, settings));
            }
        }
        Ok(IndexProps { stanzas })
    }
}

impl IndexTimeProps for IndexProps {
    fn resolve(
        &self,
        sourcetype: &str,
        source: &str,
        host: &str,
        mut base: RawProps,
    ) -> Result<RawProps> {
        let order = applicable_indices(
            self.stanzas.iter().map(|(s, _)| s),
            sourcetype,
            source,
            host,
        );
        for i in order {
            if let Some((_, settings)) = self.stanzas.get(i) {
                for s in settings {
                    s.apply(&mut base);
                }
            }
        }
        Ok(base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn write(p: &Path, text: &str) {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn global_context_lexicographical_and_local_over_every_default() {
        let root = std::env::temp_dir().join(format!("spl-index-props-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        write(
            &root.join("A_app/default/props.conf"),
            "[st]\nTRUNCATE = 1\nMAX_EVENTS = 11\nTZ = Europe/Paris\n",
        );
        write(
            &root.join("b_app/default/props.conf"),
            "[st]\nTRUNCATE = 2\nMAX_EVENTS = 22\nSHOULD_LINEMERGE = false\n",
        );
        write(
            &root.join("b_app/local/props.conf"),
            "[st]\nMAX_EVENTS = 33\n",
        );
        let ip = IndexProps::load(std::slice::from_ref(&root), false).unwrap();
        let p = ip.resolve("st", "/x", "h", RawProps::default()).unwrap();
        // A beats b (lexicographical, not the search-time reverse order)
        assert_eq!(p.truncate, 1);
        // b's local beats A's default
        assert_eq!(p.max_events, 33);
        // keys set only lower down survive
        assert!(!p.should_linemerge);
        assert_eq!(p.tz.as_deref(), Some("Europe/Paris"));
        // another sourcetype keeps the base
        let q = ip.resolve("other", "/x", "h", RawProps::default()).unwrap();
        assert_eq!(q, RawProps::default());
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn bad_values_name_file_line_and_key() {
        let root = std::env::temp_dir().join(format!("spl-index-bad-{}", std::process::id()));
        for (text, key) in [
            ("[st]\nLINE_BREAKER = [\\r\\n]+\n", "LINE_BREAKER"),
            ("[st]\nLINE_BREAKER = ([\\r\\n]+\n", "LINE_BREAKER"),
            ("[st]\nTIME_FORMAT = %Y-%m-%d %Ã\n", "TIME_FORMAT"),
            ("[st]\nTIME_FORMAT = %Y %c\n", "TIME_FORMAT"),
            ("[st]\nTZ = Mars/Olympus\n", "TZ"),
            ("[st]\nTRUNCATE = -1\n", "TRUNCATE"),
            ("[st]\nSHOULD_LINEMERGE = maybe\n", "SHOULD_LINEMERGE"),
            ("[st]\nDATETIME_CONFIG = /opt/my.xml\n", "DATETIME_CONFIG"),
            ("[st]\nBREAK_ONLY_BEFORE = (\n", "BREAK_ONLY_BEFORE"),
        ] {
            let _ = std::fs::remove_dir_all(&root);
            write(&root.join("app/default/props.conf"), text);
            let e = IndexProps::load(&[root.join("app")], false)
                .unwrap_err()
                .to_string();
            assert!(e.contains("props.conf:2"), "{text}: {e}");
            assert!(e.contains(key), "{text}: {e}");
        }
        let _ = std::fs::remove_dir_all(&root);
    }
}
