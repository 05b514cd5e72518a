//! Macro expansion: SPL's textual preprocessing stage, run before parsing.
//!
//! Splunk expands search macros by pasting text: `` `name` `` and
//! `` `name(a,b)` `` are replaced by the definition stored under `name` /
//! `name(2)`, with every `$arg$` substituted, recursively. Triple-backtick
//! comments are removed (replaced by one space) in the same pass. The result is
//! one string the parser sees, plus a [`SourceMap`] recording where each byte
//! came from so diagnostics can point into a macro body and name the call site.
//!
//! ```
//! use spl_parser::macros::{expand, MacroDef, MacroSet};
//!
//! let mut set = MacroSet::new();
//! set.insert(MacroDef::new("kube_audit", &[], "source=\"kubernetes\""));
//! let out = expand("`kube_audit` | stats count", &set).unwrap();
//! assert_eq!(out.text, "source=\"kubernetes\" | stats count");
//! ```
//!
//! Errors raised by expansion carry spans into the *user's query* (there is no
//! expanded text yet); errors inside a macro body point at the outermost call
//! and name the chain of expansions in their help line.

mod bundled;
mod conf;
mod expand;
mod iseval;
mod load;
mod scan;
mod source_map;
mod subst;

pub use expand::{expand, Expanded, MacroWarning, MAX_DEPTH, MAX_EXPANDED_LEN, MAX_EXPANSIONS};
pub use source_map::{CallSite, Location, Origin, SourceId, SourceMap};

use indexmap::IndexMap;
use std::collections::BTreeMap;

/// One macro definition: what a `macros.conf` stanza or a security_content
/// macro YAML file declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacroDef {
    /// Name without the arity suffix (`drop_dm_object_name`, not `drop_dm_object_name(1)`).
    pub name: String,
    /// Argument names, in call order; their count is the arity this definition serves.
    pub args: Vec<String>,
    /// The body pasted at the call site (or, with `iseval`, an eval expression producing it).
    pub definition: String,
    /// `iseval = true`: the definition is an eval expression whose string value is the expansion.
    pub iseval: bool,
    /// `validation`: an eval expression checked against the arguments (stored, not evaluated yet).
    pub validation: Option<String>,
    /// `errormsg`: the message shown when `validation` fails (stored, not used yet).
    pub errormsg: Option<String>,
    /// Where the definition came from: a file path (with line when known) or `"bundled"`.
    pub origin: String,
}

impl MacroDef {
    /// A plain (non-`iseval`) definition with origin `"inline"`.
    pub fn new(name: &str, args: &[&str], definition: &str) -> Self {
        MacroDef {
            name: name.to_string(),
            args: args.iter().map(|a| a.to_string()).collect(),
            definition: definition.to_string(),
            iseval: false,
            validation: None,
            errormsg: None,
            origin: "inline".to_string(),
        }
    }

    /// Number of arguments this definition takes.
    pub fn arity(&self) -> usize {
        self.args.len()
    }

    /// The `macros.conf` stanza key: `name` for no arguments, `name(N)` otherwise.
    pub fn key(&self) -> String {
        display_key(&self.name, self.arity())
    }
}

/// `name` or `name(N)`, the way Splunk names a stanza.
pub(crate) fn display_key(name: &str, arity: usize) -> String {
    if arity == 0 {
        name.to_string()
    } else {
        format!("{name}({arity})")
    }
}

/// A set of macro definitions keyed by name and arity (Splunk's "overloading":
/// `f` and `f(2)` are different macros). Later inserts replace earlier ones,
/// so user definitions loaded after [`MacroSet::with_bundled`] win.
#[derive(Debug, Clone, Default)]
pub struct MacroSet {
    // name -> arity -> def; IndexMap keeps iteration deterministic.
    defs: IndexMap<String, BTreeMap<usize, MacroDef>>,
}

impl MacroSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// A set holding the standard CIM / Enterprise Security macros that
    /// security_content detections call but do not define (see
    /// `docs/compat-notes/macros.md`).
    pub fn with_bundled() -> Self {
        let mut set = Self::new();
        for def in bundled::bundled_macros() {
            set.insert(def);
        }
        set
    }

    /// Adds a definition, replacing any with the same name and arity.
    pub fn insert(&mut self, def: MacroDef) {
        self.defs
            .entry(def.name.clone())
            .or_default()
            .insert(def.arity(), def);
    }

    /// Loads definitions from a file or directory and returns how many were
    /// loaded. Picks the format by kind and extension: a directory of
    /// security_content `*.yml`/`*.yaml` files (and any `macros.conf` in it),
    /// `.jsonl` (the corpus format), `.yml`/`.yaml` (one definition or a list),
    /// `.conf` (Splunk `macros.conf`); other files are sniffed by content.
    pub fn load_path(&mut self, p: &std::path::Path) -> Result<usize, crate::ParseError> {
        load::load_path(self, p)
    }

    /// Loads `macros.conf` text; `origin` names it in errors and in [`MacroDef::origin`].
    pub fn load_conf_str(&mut self, text: &str, origin: &str) -> Result<usize, crate::ParseError> {
        let defs = conf::parse_conf(text, origin)?;
        Ok(self.insert_all(defs))
    }

    /// Loads corpus-format JSON lines (`name`, `definition`, `args`, ...).
    pub fn load_jsonl_str(&mut self, text: &str, origin: &str) -> Result<usize, crate::ParseError> {
        let defs = load::parse_jsonl(text, origin)?;
        Ok(self.insert_all(defs))
    }

    /// Loads security_content macro YAML: one mapping (`name`, `definition`,
    /// `arguments`, ...) or a sequence of them.
    pub fn load_yaml_str(&mut self, text: &str, origin: &str) -> Result<usize, crate::ParseError> {
        let defs = load::parse_yaml(text, origin)?;
        Ok(self.insert_all(defs))
    }

    fn insert_all(&mut self, defs: Vec<MacroDef>) -> usize {
        let n = defs.len();
        for d in defs {
            self.insert(d);
        }
        n
    }

    /// The definition serving calls of `name` with `arity` arguments.
    pub fn get(&self, name: &str, arity: usize) -> Option<&MacroDef> {
        self.defs.get(name).and_then(|m| m.get(&arity))
    }

    /// The arities defined for `name`, ascending (empty when the name is unknown).
    pub fn arities(&self, name: &str) -> Vec<usize> {
        self.defs
            .get(name)
            .map(|m| m.keys().copied().collect())
            .unwrap_or_default()
    }

    /// Removes the definition for `name` with `arity`, returning it.
    pub fn remove(&mut self, name: &str, arity: usize) -> Option<MacroDef> {
        let m = self.defs.get_mut(name)?;
        let d = m.remove(&arity);
        if m.is_empty() {
            self.defs.shift_remove(name);
        }
        d
    }

    /// Number of definitions (each name/arity pair counts once).
    pub fn len(&self) -> usize {
        self.defs.values().map(BTreeMap::len).sum()
    }

    /// True when no definitions are present.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// All definitions, grouped by name in first-insertion order, then by arity.
    pub fn iter(&self) -> impl Iterator<Item = &MacroDef> {
        self.defs.values().flat_map(BTreeMap::values)
    }

    /// The distinct macro names.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.defs.keys().map(String::as_str)
    }
}
