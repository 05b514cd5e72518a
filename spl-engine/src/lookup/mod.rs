//! Lookup tables: finding a lookup by name in the `--lookups` directories,
//! loading CSV tables, the matching kernel (`lookup`), and writing
//! (`outputlookup`).
//!
//! A lookup named N is resolved in each directory in order: a definition of N in
//! that directory (security_content lookup YAML `*.yml` with `name: N`, or a
//! `[N]` stanza of `transforms.conf` in the directory, its `local/` or `default/`
//! subdirectory, or the sibling `../local/` and `../default/` of a Splunk app's
//! `lookups/` directory), else a file `N` or `N.csv` there. A KV-store
//! collection definition (`collection:`) is stored as `N.csv` in the first
//! directory.

mod columns;
mod config;
mod matcher;
mod table;
mod write;

pub use config::LookupConfig;
pub use table::LookupTable;

use crate::error::{EngineError, Result};
use arrow_array::RecordBatch;
use config::{parse_transforms_conf, yaml_definitions_in, Definition};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Definitions found in one lookups directory.
#[derive(Default)]
struct DirDefs {
    yaml: HashMap<String, Definition>,
    /// (directory of the transforms.conf, its lookup stanzas), in priority order.
    conf: Vec<(PathBuf, HashMap<String, LookupConfig>)>,
}

/// Where a lookup lives.
#[derive(Debug, Clone)]
enum Located {
    /// A CSV file (that may not exist yet, for a definition's missing file).
    File {
        path: PathBuf,
        config: LookupConfig,
        defined: bool,
    },
    /// A KV-store collection, kept as a CSV file.
    Collection { path: PathBuf, config: LookupConfig },
}

/// The lookups visible to a search, with a cache of loaded tables.
#[derive(Default)]
pub struct LookupRegistry {
    dirs: Vec<PathBuf>,
    /// Definitions given whole (transforms.conf merged across apps): they
    /// come before any directory's own, and their file is looked for in
    /// every directory in order.
    defined: HashMap<String, LookupConfig>,
    tables: Mutex<HashMap<String, Arc<LookupTable>>>,
    defs: Mutex<HashMap<PathBuf, Arc<DirDefs>>>,
    /// `max_line_bytes` for the CSV files it loads (0: the default), set
    /// when the engine is built (`EngineBuilder::build`).
    max_line: std::sync::atomic::AtomicU64,
}

impl std::fmt::Debug for LookupRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LookupRegistry")
            .field("dirs", &self.dirs)
            .finish()
    }
}

fn poisoned() -> EngineError {
    EngineError::Internal("lookup cache lock poisoned".into())
}

/// Lookup names are file names: no directory parts.
fn valid_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(['/', '\\']) && name != "." && name != ".."
}

/// A definition's `filename` must be a bare file name: Splunk looks it up in
/// the app's `lookups/` folder and has no way to point elsewhere, and reading
/// it as an empty collection instead would give 0 rows without a word.
fn check_filename(name: &str, config: &LookupConfig, origin: &Path) -> Result<()> {
    match config.filename.as_deref() {
        Some(f) if !f.is_empty() && !valid_name(f) => Err(EngineError::data(
            origin.display().to_string(),
            None,
            Some("filename"),
            format!(
                "lookup `{name}` is defined with filename `{f}`: expected a bare file name (Splunk reads lookup files from the app's lookups/ folder), found a path"
            ),
        )),
        _ => Ok(()),
    }
}

impl LookupRegistry {
    /// A registry over these directories, searched in order.
    pub fn new(dirs: Vec<PathBuf>) -> Self {
        LookupRegistry {
            dirs,
            ..Default::default()
        }
    }

    /// A registry over these directories (an app's `lookups/` folders,
    /// highest precedence first) with definitions merged across apps: a
    /// definition's CSV file may be in any of the directories, the first
    /// one holding it winning (Splunk shares lookup files between apps).
    pub(crate) fn with_definitions(
        dirs: Vec<PathBuf>,
        defined: HashMap<String, LookupConfig>,
    ) -> Self {
        LookupRegistry {
            dirs,
            defined,
            ..Default::default()
        }
    }

    /// The directories searched.
    pub fn dirs(&self) -> &[PathBuf] {
        &self.dirs
    }

    fn dir_defs(&self, dir: &Path) -> Result<Arc<DirDefs>> {
        if let Some(d) = self.defs.lock().map_err(|_| poisoned())?.get(dir) {
            return Ok(d.clone());
        }
        let mut defs = DirDefs {
            yaml: yaml_definitions_in(dir)?,
            conf: Vec::new(),
        };
        let parent = dir.parent().map(Path::to_path_buf);
        let mut conf_dirs = vec![dir.to_path_buf(), dir.join("local"), dir.join("default")];
        if let Some(p) = parent {
            conf_dirs.push(p.join("local"));
            conf_dirs.push(p.join("default"));
        }
        for cd in conf_dirs {
            let conf = cd.join("transforms.conf");
            if conf.is_file() {
                let text =
                    crate::text_file::read_to_string(&conf).map_err(|source| EngineError::Io {
                        path: conf.display().to_string(),
                        source,
                    })?;
                defs.conf.push((
                    cd,
                    parse_transforms_conf(&text, &conf.display().to_string())?,
                ));
            }
        }
        let defs = Arc::new(defs);
        self.defs
            .lock()
            .map_err(|_| poisoned())?
            .insert(dir.to_path_buf(), defs.clone());
        Ok(defs)
    }

    fn locate(&self, name: &str) -> Result<Option<Located>> {
        if !valid_name(name) {
            return Ok(None);
        }
        if let Some(config) = self.defined.get(name) {
            return self.merged_location(name, config.clone()).map(Some);
        }
        for dir in &self.dirs {
            let defs = self.dir_defs(dir)?;
            let def = defs
                .yaml
                .get(name)
                .map(|d| (d.config.clone(), dir.clone()))
                .or_else(|| {
                    defs.conf
                        .iter()
                        .find_map(|(cd, m)| m.get(name).map(|c| (c.clone(), cd.clone())))
                });
            if let Some((config, def_dir)) = def {
                return self
                    .definition_location(name, config, dir, &def_dir)
                    .map(Some);
            }
            for cand in [name.to_string(), format!("{name}.csv")] {
                let p = dir.join(&cand);
                if p.is_file() {
                    return Ok(Some(Located::File {
                        path: p,
                        config: LookupConfig::default(),
                        defined: false,
                    }));
                }
            }
        }
        Ok(None)
    }

    /// Where a definition given whole keeps its table: its file in the
    /// first directory that has it (else where it would be written, the
    /// first directory, so that a missing file is reported).
    fn merged_location(&self, name: &str, config: LookupConfig) -> Result<Located> {
        let first = self.dirs.first().cloned().unwrap_or_default();
        check_filename(name, &config, &first)?;
        Ok(match config.filename.clone() {
            Some(f) if valid_name(&f) => {
                let path = self
                    .dirs
                    .iter()
                    .map(|d| d.join(&f))
                    .find(|p| p.is_file())
                    .unwrap_or_else(|| first.join(&f));
                Located::File {
                    path,
                    config,
                    defined: true,
                }
            }
            _ => Located::Collection {
                path: first.join(format!("{name}.csv")),
                config,
            },
        })
    }

    fn definition_location(
        &self,
        name: &str,
        config: LookupConfig,
        dir: &Path,
        def_dir: &Path,
    ) -> Result<Located> {
        check_filename(name, &config, def_dir)?;
        Ok(match config.filename.clone() {
            Some(f) if valid_name(&f) => {
                let mut candidates =
                    vec![dir.join(&f), dir.join("lookups").join(&f), def_dir.join(&f)];
                if let Some(app) = def_dir.parent() {
                    candidates.push(app.join("lookups").join(&f));
                }
                let path = candidates
                    .iter()
                    .find(|p| p.is_file())
                    .cloned()
                    .unwrap_or_else(|| dir.join(&f));
                Located::File {
                    path,
                    config,
                    defined: true,
                }
            }
            _ => Located::Collection {
                path: self
                    .dirs
                    .first()
                    .map_or_else(|| dir.to_path_buf(), Clone::clone)
                    .join(format!("{name}.csv")),
                config,
            },
        })
    }

    /// Applies `max_line_bytes` to the CSV files loaded from now on.
    pub(crate) fn set_max_line_bytes(&self, max: u64) {
        self.max_line
            .store(max, std::sync::atomic::Ordering::Relaxed);
    }

    fn max_line(&self) -> u64 {
        match self.max_line.load(std::sync::atomic::Ordering::Relaxed) {
            0 => crate::limits::Limits::default().max_line_bytes,
            n => n,
        }
    }

    /// The lookup named `name`, loaded (and cached); `None` when no directory has it.
    pub fn resolve(&self, name: &str) -> Result<Option<Arc<LookupTable>>> {
        if let Some(t) = self.tables.lock().map_err(|_| poisoned())?.get(name) {
            return Ok(Some(t.clone()));
        }
        let table = match self.locate(name)? {
            None => return Ok(None),
            Some(Located::File {
                path,
                config,
                defined,
            }) => {
                if !path.is_file() && defined {
                    return Err(EngineError::data(
                        path.display().to_string(),
                        None,
                        None,
                        format!("lookup `{name}` is defined with this file, but the file does not exist"),
                    ));
                }
                LookupTable::load_csv_limited(name, &path, config, self.max_line())?
            }
            Some(Located::Collection { path, config }) => {
                if path.is_file() {
                    LookupTable::load_csv_limited(name, &path, config, self.max_line())?
                } else {
                    let cols = config
                        .fields_list
                        .iter()
                        .filter(|f| f.as_str() != "_key")
                        .cloned()
                        .collect();
                    LookupTable::empty(name, cols, config, Some(path))
                }
            }
        };
        let table = Arc::new(table);
        self.tables
            .lock()
            .map_err(|_| poisoned())?
            .insert(name.to_string(), table.clone());
        Ok(Some(table))
    }

    /// Writes results to the lookup named `name` (`outputlookup`); returns the file
    /// written. A defined lookup writes its file; a collection or an unknown name
    /// writes `N.csv` (or `N` when it ends in `.csv`) in the first directory.
    /// `append` adds the rows after the existing ones (columns are merged).
    pub fn write(&self, name: &str, batches: &[RecordBatch], append: bool) -> Result<PathBuf> {
        if !valid_name(name) {
            return Err(EngineError::data(
                name,
                None,
                None,
                "expected a lookup name or file name without directory parts",
            ));
        }
        let first = self.dirs.first().ok_or_else(|| {
            EngineError::data(
                name,
                None,
                None,
                "expected a lookup directory to write to (pass --lookups DIR), found none",
            )
        })?;
        let path = match self.locate(name)? {
            Some(Located::File { path, .. }) | Some(Located::Collection { path, .. }) => path,
            None if name.to_ascii_lowercase().ends_with(".csv") => first.join(name),
            None => first.join(format!("{name}.csv")),
        };
        // One writer of this file at a time, in this process or another: an
        // append reads the old rows and writes them back, which must not
        // interleave with another write.
        let _lock = crate::atomic_file::FileLock::acquire(&path, crate::atomic_file::LOCK_WAIT)
            .map_err(|source| EngineError::Io {
                path: path.display().to_string(),
                source,
            })?;
        let existing = if append && path.is_file() {
            Some(LookupTable::load_csv_limited(
                name,
                &path,
                LookupConfig::default(),
                self.max_line(),
            )?)
        } else {
            None
        };
        write::write_lookup_csv(&path, batches, existing.as_ref())?;
        self.tables.lock().map_err(|_| poisoned())?.clear();
        Ok(path)
    }
}
