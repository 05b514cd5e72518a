//! Finding apps and merging their `.conf` files by Splunk's precedence.
//!
//! An `--apps` path is one app (a folder with `default/` or `local/`, or
//! `lookups/` or `metadata/`) or a folder whose subfolders are apps. Search
//! runs in Splunk's app/user context (Admin Manual, "Configuration file
//! precedence"): user folders, then the app the search runs in, then every
//! other app, then `system/local` and `system/default`. Offline there is no
//! user and no current app, so every app is an "other app". Among those the
//! app/user context orders apps in *reverse* lexicographical order of their
//! folder names (an app named `z` beats one named `a`; the global context,
//! used at index time, is the other way round), and inside one app `local/`
//! beats `default/`. Two apps of the same name keep the order of the
//! arguments (earlier first). The engine's own default app
//! ([`BUILTIN_PROPS`]) sits below every app, where `system/default` is.
//!
//! Settings merge key by key: a stanza's key takes the value of the
//! highest-precedence file that sets it, other keys of the same stanza may
//! come from lower files (what `btool` shows). Other apps' objects count only
//! when exported (`metadata/*.meta`); offline every app given is taken as
//! exported (`docs/compat-notes/knowledge.md`).

use super::conf::{self, ConfFile, DEFAULT_STANZA};
use crate::error::{EngineError, Result};
use indexmap::IndexMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The engine's own default app (`spl-engine/default-app/`, embedded; see
/// `docs/knowledge.md`), merged below every app, where Splunk's
/// `system/default` is. Its `props.conf` keeps Splunk's `system/default`
/// settings for the structured sourcetypes (extracted when read, Splunk's
/// `INDEXED_EXTRACTIONS`, so their automatic key/value extraction is off) and
/// reads the common security sources (Windows event logs, Sysmon, Linux
/// auditd, AWS CloudTrail, Kubernetes audit, Microsoft 365, Azure AD, Okta)
/// the way their add-ons do.
pub(crate) const BUILTIN_PROPS: &str = include_str!("../../default-app/default/props.conf");

/// The default app's `transforms.conf`.
pub(crate) const BUILTIN_TRANSFORMS: &str =
    include_str!("../../default-app/default/transforms.conf");

/// The default app's `eventtypes.conf`.
pub(crate) const BUILTIN_EVENTTYPES: &str =
    include_str!("../../default-app/default/eventtypes.conf");

/// The default app's `tags.conf`.
pub(crate) const BUILTIN_TAGS: &str = include_str!("../../default-app/default/tags.conf");

/// How the built-in app's files are named in errors.
pub(crate) const BUILTIN_DIR: &str = "<built-in default app>";

/// One app folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct App {
    /// The folder's name.
    pub name: String,
    /// The folder.
    pub dir: PathBuf,
}

fn is_app(dir: &Path) -> bool {
    ["default", "local", "lookups", "metadata"]
        .iter()
        .any(|d| dir.join(d).is_dir())
}

fn app_of(dir: &Path) -> App {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| dir.display().to_string());
    App {
        name,
        dir: dir.to_path_buf(),
    }
}

/// The apps under `paths`, highest precedence first.
pub(crate) fn discover(paths: &[PathBuf]) -> Result<Vec<App>> {
    let mut found = Vec::new();
    for p in paths {
        if !p.is_dir() {
            return Err(EngineError::Io {
                path: p.display().to_string(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "expected an app folder or a folder of apps",
                ),
            });
        }
        if is_app(p) {
            found.push(app_of(p));
            continue;
        }
        let entries = std::fs::read_dir(p).map_err(|source| EngineError::Io {
            path: p.display().to_string(),
            source,
        })?;
        let mut subs: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|d| d.is_dir() && is_app(d))
            .collect();
        if subs.is_empty() {
            return Err(EngineError::data(
                p.display().to_string(),
                None,
                None,
                "expected an app folder (with default/ or local/) or a folder of apps, found neither",
            ));
        }
        subs.sort();
        found.extend(subs.iter().map(|d| app_of(d)));
    }
    // Reverse lexicographical order of names; a stable sort keeps the
    // argument order between apps of the same name.
    found.sort_by(|a, b| b.name.as_bytes().cmp(a.name.as_bytes()));
    Ok(found)
}

/// A merged value and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Value {
    /// The value.
    pub value: String,
    /// The file that set it.
    pub file: Arc<str>,
    /// Its line there.
    pub line: usize,
}

impl Value {
    /// A `spl::data::invalid` error about this setting.
    pub(crate) fn error(&self, key: &str, message: impl Into<String>) -> EngineError {
        EngineError::data(self.file.as_ref(), Some(self.line), Some(key), message)
    }
}

/// A stanza after merging every file that has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MergedStanza {
    /// The name.
    pub name: String,
    /// The highest-precedence file with this header, and the header's line.
    pub file: Arc<str>,
    /// The header's line there (0 for the global stanza).
    pub line: usize,
    /// Settings by key, in first-seen order.
    pub settings: IndexMap<String, Value>,
}

impl MergedStanza {
    /// The value of `key`, if set.
    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        self.settings.get(key)
    }
}

/// One kind of `.conf` file merged across all apps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Merged {
    /// Stanzas by name, in first-seen order (lowest layer first).
    pub stanzas: IndexMap<String, MergedStanza>,
}

impl Merged {
    /// Merges files given lowest precedence first.
    pub(crate) fn from_files(files: &[ConfFile]) -> Merged {
        let mut out = Merged::default();
        for f in files {
            let file: Arc<str> = Arc::from(f.path.as_str());
            for s in &f.stanzas {
                if s.settings.is_empty() && s.name == DEFAULT_STANZA && s.line == 0 {
                    continue;
                }
                let entry = out
                    .stanzas
                    .entry(s.name.clone())
                    .or_insert_with(|| MergedStanza {
                        name: s.name.clone(),
                        file: file.clone(),
                        line: s.line,
                        settings: IndexMap::new(),
                    });
                if s.line > 0 {
                    entry.file = file.clone();
                    entry.line = s.line;
                }
                for set in &s.settings {
                    entry.settings.insert(
                        set.key.clone(),
                        Value {
                            value: set.value.clone(),
                            file: file.clone(),
                            line: set.line,
                        },
                    );
                }
            }
        }
        out
    }

    /// The stanza named `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&MergedStanza> {
        self.stanzas.get(name)
    }
}

/// Reads `name` (`props.conf`, ...) from every app and merges them; the
/// built-in text, if any, is the lowest layer.
pub(crate) fn merge(apps: &[App], name: &str, builtin: Option<&str>) -> Result<Merged> {
    let mut files = Vec::new();
    if let Some(text) = builtin {
        files.push(conf::parse(text, &format!("{BUILTIN_DIR}/default/{name}"))?);
    }
    // lowest precedence first: apps in reverse of `apps`, default before local
    for app in apps.iter().rev() {
        for layer in ["default", "local"] {
            let p = app.dir.join(layer).join(name);
            if p.is_file() {
                files.push(conf::read(&p)?);
            }
        }
    }
    Ok(Merged::from_files(&files))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(p: &Path, text: &str) {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn apps_are_found_and_ordered_reverse_lexicographically() {
        let root = std::env::temp_dir().join(format!("spl-apps-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        write(&root.join("many/A_app/default/props.conf"), "[x]\n");
        write(&root.join("many/b_app/local/props.conf"), "[x]\n");
        write(&root.join("many/not_an_app/readme.txt"), "");
        write(&root.join("Z_one/default/props.conf"), "[x]\n");
        let apps = discover(&[root.join("many"), root.join("Z_one")]).unwrap();
        let names: Vec<_> = apps.iter().map(|a| a.name.as_str()).collect();
        // bytewise: `b` > `Z` > `A`
        assert_eq!(names, ["b_app", "Z_one", "A_app"]);
        assert!(discover(&[root.join("many/not_an_app")]).is_err());
        assert!(discover(&[root.join("missing")]).is_err());
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn local_beats_default_and_later_apps_beat_earlier_ones() {
        let root = std::env::temp_dir().join(format!("spl-merge-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        write(
            &root.join("a/default/props.conf"),
            "[st]\nKV_MODE = json\nEXTRACT-a = (?<a>x)\nEXTRACT-only_a = (?<o>y)\n",
        );
        write(
            &root.join("a/local/props.conf"),
            "[st]\nEXTRACT-a = (?<a>local)\n",
        );
        write(
            &root.join("b/default/props.conf"),
            "[st]\nKV_MODE = xml\n[st]\nKV_MODE = none\n",
        );
        let apps = discover(&[root.join("a"), root.join("b")]).unwrap();
        let m = merge(&apps, "props.conf", Some("[st]\nKV_MODE = auto\nX = 1\n")).unwrap();
        let st = m.get("st").unwrap();
        // b beats a; within b the later duplicate stanza wins
        assert_eq!(st.get("KV_MODE").unwrap().value, "none");
        assert!(st
            .get("KV_MODE")
            .unwrap()
            .file
            .ends_with("b/default/props.conf"));
        assert_eq!(st.get("KV_MODE").unwrap().line, 4);
        // a's local beats a's default
        assert_eq!(st.get("EXTRACT-a").unwrap().value, "(?<a>local)");
        // keys set only lower down survive
        assert_eq!(st.get("EXTRACT-only_a").unwrap().value, "(?<o>y)");
        assert_eq!(st.get("X").unwrap().value, "1");
        assert!(st.get("X").unwrap().file.starts_with(BUILTIN_DIR));
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn the_default_app_loads_with_every_setting_checked() {
        // every regex, expression and event type of the embedded files compiles
        let k = super::super::Knowledge::load(&[], true).unwrap();
        assert!(k.props.len() > 20, "{} props stanzas", k.props.len());
        for (name, text) in [
            ("props.conf", BUILTIN_PROPS),
            ("transforms.conf", BUILTIN_TRANSFORMS),
            ("eventtypes.conf", BUILTIN_EVENTTYPES),
            ("tags.conf", BUILTIN_TAGS),
        ] {
            let m = merge(&[], name, Some(text)).unwrap();
            assert!(!m.stanzas.is_empty(), "{name} is empty");
            for s in m.stanzas.values() {
                assert!(s.file.starts_with(BUILTIN_DIR), "{}", s.file);
            }
        }
    }
}
