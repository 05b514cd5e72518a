//! Data model definitions: Splunk's data model JSON (`<app>/default/data/models/*.json`:
//! `modelName`, `objects` with `objectName`, `parentName`, `constraints`,
//! `fields`, `calculations`), the built-in Common Information Model written in
//! that format (`datamodel/cim/*.json`), and the names Splunk gives a
//! dataset's fields.
//!
//! This module only holds definitions (text); binding constraints and
//! calculations to the engine's search and eval languages, and reading the
//! rows of a dataset, happen where those languages are
//! (`ops::datamodel`).
//!
//! Hierarchy (Knowledge Manager Manual, "Design data models"): a child
//! dataset inherits its parent's constraints, fields and calculations; a
//! root's parent is `BaseEvent` (`BaseSearch` and `BaseTransaction` roots are
//! rejected when used). A field is named by the lineage of the dataset that
//! declares it (`Processes.process_name`, `All_Certificates.SSL.ssl_issuer`);
//! the fields every event has (`_time`, `host`, `source`, `sourcetype`,
//! owned by `BaseEvent`) keep their bare names.

use crate::error::{EngineError, Result};
use serde::Deserialize;
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// The built-in CIM: one Splunk data model JSON file per model.
const BUILTIN: &[(&str, &str)] = &[
    ("Alerts.json", include_str!("cim/Alerts.json")),
    (
        "Authentication.json",
        include_str!("cim/Authentication.json"),
    ),
    ("Certificates.json", include_str!("cim/Certificates.json")),
    ("Change.json", include_str!("cim/Change.json")),
    (
        "Compute_Inventory.json",
        include_str!("cim/Compute_Inventory.json"),
    ),
    ("DLP.json", include_str!("cim/DLP.json")),
    ("Data_Access.json", include_str!("cim/Data_Access.json")),
    ("Databases.json", include_str!("cim/Databases.json")),
    ("Email.json", include_str!("cim/Email.json")),
    ("Endpoint.json", include_str!("cim/Endpoint.json")),
    (
        "Event_Signatures.json",
        include_str!("cim/Event_Signatures.json"),
    ),
    (
        "Interprocess_Messaging.json",
        include_str!("cim/Interprocess_Messaging.json"),
    ),
    (
        "Intrusion_Detection.json",
        include_str!("cim/Intrusion_Detection.json"),
    ),
    ("Malware.json", include_str!("cim/Malware.json")),
    (
        "Network_Resolution.json",
        include_str!("cim/Network_Resolution.json"),
    ),
    (
        "Network_Sessions.json",
        include_str!("cim/Network_Sessions.json"),
    ),
    (
        "Network_Traffic.json",
        include_str!("cim/Network_Traffic.json"),
    ),
    ("Performance.json", include_str!("cim/Performance.json")),
    ("Risk.json", include_str!("cim/Risk.json")),
    (
        "Ticket_Management.json",
        include_str!("cim/Ticket_Management.json"),
    ),
    ("Updates.json", include_str!("cim/Updates.json")),
    (
        "Vulnerabilities.json",
        include_str!("cim/Vulnerabilities.json"),
    ),
    ("Web.json", include_str!("cim/Web.json")),
];

/// How built-in files are named in errors.
const BUILTIN_DIR: &str = "<built-in CIM>";

/// The fields every event has, owned by `BaseEvent`: never prefixed.
pub const BASE_FIELDS: [&str; 5] = ["_time", "host", "source", "sourcetype", "index"];

/// One calculation (`calculations[]`), in the order written.
#[derive(Debug, Clone, PartialEq)]
pub enum Calculation {
    /// `Eval`: `expression` sets the one output field.
    Eval {
        /// The output field (bare name).
        field: String,
        /// An eval expression.
        expression: String,
    },
    /// `Rex`: the named groups of `expression` over `input` set the output fields.
    Rex {
        /// The field the regex reads.
        input: String,
        /// The regex (PCRE, named groups).
        expression: String,
        /// The output fields (named groups).
        outputs: Vec<String>,
    },
    /// `Lookup`: a lookup table's columns by input fields.
    Lookup {
        /// The lookup name (`lookupName`).
        lookup: String,
        /// (lookup column, event field).
        inputs: Vec<(String, String)>,
        /// (lookup column, output field).
        outputs: Vec<(String, String)>,
    },
    /// `GeoIP`: location fields of an IP address field.
    GeoIp {
        /// The IP field.
        input: String,
        /// (GeoIP attribute, output field).
        outputs: Vec<(String, String)>,
    },
}

/// One field a dataset declares.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDef {
    /// The bare name (`process_name`).
    pub name: String,
    /// The dataset whose lineage prefixes it (`None`: `BaseEvent`, never prefixed).
    pub owner: Option<usize>,
}

/// One dataset (`objects[]`).
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetDef {
    /// `objectName`.
    pub name: String,
    /// The parent's index in [`DataModel::datasets`]; `None` for a root.
    pub parent: Option<usize>,
    /// `constraints[].search`: search terms, all of which an event must match.
    pub constraints: Vec<String>,
    /// The fields it declares itself (not inherited).
    pub fields: Vec<FieldDef>,
    /// Its own calculations.
    pub calculations: Vec<Calculation>,
}

/// One data model.
#[derive(Debug, Clone, PartialEq)]
pub struct DataModel {
    /// `modelName`.
    pub name: String,
    /// Its datasets, parents before children.
    pub datasets: Vec<DatasetDef>,
    /// The file it was read from (for messages).
    pub file: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ModelJson {
    model_name: String,
    #[serde(default)]
    objects: Vec<ObjectJson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ObjectJson {
    object_name: String,
    #[serde(default)]
    parent_name: Option<String>,
    #[serde(default)]
    constraints: Vec<ConstraintJson>,
    #[serde(default)]
    fields: Vec<FieldJson>,
    #[serde(default)]
    calculations: Vec<CalcJson>,
}

#[derive(Deserialize)]
struct ConstraintJson {
    #[serde(default)]
    search: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FieldJson {
    field_name: String,
    #[serde(default)]
    owner: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CalcJson {
    calculation_type: String,
    #[serde(default)]
    expression: Option<String>,
    #[serde(default)]
    input_field: Option<String>,
    #[serde(default)]
    output_fields: Vec<OutputJson>,
    #[serde(default)]
    lookup_name: Option<String>,
    #[serde(default)]
    lookup_inputs: Vec<LookupInputJson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OutputJson {
    field_name: String,
    #[serde(default)]
    lookup_output_field_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LookupInputJson {
    input_field: String,
    lookup_field: String,
}

const ROOT_PARENTS: [&str; 3] = ["BaseEvent", "BaseSearch", "BaseTransaction"];

impl DataModel {
    /// Parses one data model JSON document; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<DataModel> {
        let json: ModelJson = serde_json::from_str(text).map_err(|e| {
            EngineError::data(
                file,
                Some(e.line()),
                None,
                format!("expected a Splunk data model JSON document: {e}"),
            )
        })?;
        let bad = |field: &str, msg: String| EngineError::data(file, None, Some(field), msg);
        let mut datasets: Vec<DatasetDef> = Vec::new();
        // parents may be listed after their children: place them in passes
        let mut pending: Vec<&ObjectJson> = json.objects.iter().collect();
        while !pending.is_empty() {
            let before = pending.len();
            let mut rest = Vec::new();
            for o in pending {
                let parent = match o.parent_name.as_deref() {
                    None => None,
                    Some(p) if ROOT_PARENTS.contains(&p) => {
                        if p != "BaseEvent" {
                            return Err(bad(
                                "parentName",
                                format!(
                                    "dataset `{}`: only event datasets (parentName BaseEvent) are supported, found `{p}`",
                                    o.object_name
                                ),
                            ));
                        }
                        None
                    }
                    Some(p) => match datasets.iter().position(|d| d.name == p) {
                        Some(i) => Some(i),
                        None => {
                            rest.push(o);
                            continue;
                        }
                    },
                };
                if datasets.iter().any(|d| d.name == o.object_name) {
                    return Err(bad(
                        "objectName",
                        format!(
                            "expected unique dataset names, found `{}` twice",
                            o.object_name
                        ),
                    ));
                }
                let own = datasets.len();
                let fields = o
                    .fields
                    .iter()
                    .map(|f| FieldDef {
                        name: f.field_name.clone(),
                        owner: match f.owner.as_deref() {
                            Some("BaseEvent") => None,
                            _ if BASE_FIELDS.contains(&f.field_name.as_str()) => None,
                            _ => Some(own),
                        },
                    })
                    .collect();
                let mut fields: Vec<FieldDef> = fields;
                let mut calculations = Vec::new();
                for c in &o.calculations {
                    // a calculation's outputs are fields of its dataset
                    for out in &c.output_fields {
                        if !fields.iter().any(|f| f.name == out.field_name) {
                            fields.push(FieldDef {
                                name: out.field_name.clone(),
                                owner: Some(own),
                            });
                        }
                    }
                    calculations.push(calc(c).map_err(|m| {
                        bad("calculations", format!("dataset `{}`: {m}", o.object_name))
                    })?);
                }
                datasets.push(DatasetDef {
                    name: o.object_name.clone(),
                    parent,
                    constraints: o
                        .constraints
                        .iter()
                        .map(|c| c.search.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect(),
                    fields,
                    calculations,
                });
            }
            if rest.len() == before {
                let o = rest[0];
                return Err(bad(
                    "parentName",
                    format!(
                        "dataset `{}`: expected a parent dataset named `{}`, found none",
                        o.object_name,
                        o.parent_name.as_deref().unwrap_or_default()
                    ),
                ));
            }
            pending = rest;
        }
        Ok(DataModel {
            name: json.model_name,
            datasets,
            file: file.to_string(),
        })
    }

    /// The index of the dataset named `name` (case-sensitive, as Splunk).
    pub fn dataset(&self, name: &str) -> Option<usize> {
        self.datasets.iter().position(|d| d.name == name)
    }

    /// The datasets from the root down to `i`.
    pub fn chain(&self, i: usize) -> Vec<usize> {
        let mut out = vec![i];
        let mut cur = i;
        while let Some(p) = self.datasets.get(cur).and_then(|d| d.parent) {
            out.push(p);
            cur = p;
        }
        out.reverse();
        out
    }

    /// `Root.Child.Grandchild`: the dataset's name in field names and `nodename`.
    pub fn lineage(&self, i: usize) -> String {
        self.chain(i)
            .iter()
            .map(|&d| self.datasets[d].name.as_str())
            .collect::<Vec<_>>()
            .join(".")
    }

    /// The root datasets.
    pub fn roots(&self) -> Vec<usize> {
        (0..self.datasets.len())
            .filter(|&i| self.datasets[i].parent.is_none())
            .collect()
    }

    /// `i` and every dataset below it, parents first.
    pub fn subtree(&self, i: usize) -> Vec<usize> {
        (0..self.datasets.len())
            .filter(|&d| self.chain(d).contains(&i))
            .collect()
    }

    /// The fields of dataset `i` with the ones it inherits: (bare name, full name).
    pub fn fields(&self, i: usize) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for d in self.chain(i) {
            for f in &self.datasets[d].fields {
                let full = match f.owner {
                    Some(o) => format!("{}.{}", self.lineage(o), f.name),
                    None => f.name.clone(),
                };
                if !out.iter().any(|(_, n)| *n == full) {
                    out.push((f.name.clone(), full));
                }
            }
        }
        out
    }
}

/// (table or GeoIP field, event field) of a calculation's `outputFields`:
/// `lookupOutputFieldName` when given, else the field's own name.
fn output_pairs(c: &CalcJson) -> Vec<(String, String)> {
    c.output_fields
        .iter()
        .map(|o| {
            (
                o.lookup_output_field_name
                    .clone()
                    .unwrap_or_else(|| o.field_name.clone()),
                o.field_name.clone(),
            )
        })
        .collect()
}

fn calc(c: &CalcJson) -> std::result::Result<Calculation, String> {
    let outputs = || c.output_fields.iter().map(|o| o.field_name.clone());
    match c.calculation_type.to_ascii_lowercase().as_str() {
        "eval" => {
            let expression = c
                .expression
                .clone()
                .ok_or("expected an `expression` for an Eval calculation")?;
            let mut fields = outputs();
            let field = fields
                .next()
                .ok_or("expected one output field for an Eval calculation, found none")?;
            Ok(Calculation::Eval { field, expression })
        }
        "rex" => Ok(Calculation::Rex {
            input: c
                .input_field
                .clone()
                .ok_or("expected an `inputField` for a Rex calculation")?,
            expression: c
                .expression
                .clone()
                .ok_or("expected an `expression` for a Rex calculation")?,
            outputs: outputs().collect(),
        }),
        "lookup" => Ok(Calculation::Lookup {
            lookup: c
                .lookup_name
                .clone()
                .ok_or("expected a `lookupName` for a Lookup calculation")?,
            inputs: c
                .lookup_inputs
                .iter()
                .map(|i| (i.lookup_field.clone(), i.input_field.clone()))
                .collect(),
            outputs: output_pairs(c),
        }),
        "geoip" => Ok(Calculation::GeoIp {
            input: c
                .input_field
                .clone()
                .ok_or("expected an `inputField` for a GeoIP calculation")?,
            outputs: output_pairs(c),
        }),
        other => Err(format!(
            "expected a calculationType of Eval, Rex, Lookup or GeoIP, found `{other}`"
        )),
    }
}

/// A dataset of a model, as `from datamodel=M.D` names it.
#[derive(Debug, Clone)]
pub struct Target {
    /// The model.
    pub model: Arc<DataModel>,
    /// The dataset; `None`: the whole model (every root dataset).
    pub dataset: Option<usize>,
}

impl Target {
    /// The datasets whose events the target holds: the dataset, or every root.
    pub fn tops(&self) -> Vec<usize> {
        match self.dataset {
            Some(d) => vec![d],
            None => self.model.roots(),
        }
    }
}

/// Every data model a search can use: the built-in CIM, overridden model by
/// model (by `modelName`) by those of `--apps`.
#[derive(Debug, Clone)]
pub struct DataModels {
    models: Vec<Arc<DataModel>>,
}

fn builtin() -> &'static [Arc<DataModel>] {
    static MODELS: OnceLock<Vec<Arc<DataModel>>> = OnceLock::new();
    MODELS.get_or_init(|| {
        BUILTIN
            .iter()
            .filter_map(|(file, text)| {
                // the built-in files are checked by a unit test
                DataModel::parse(text, &format!("{BUILTIN_DIR}/{file}"))
                    .ok()
                    .map(Arc::new)
            })
            .collect()
    })
}

impl Default for DataModels {
    fn default() -> Self {
        DataModels {
            models: builtin().to_vec(),
        }
    }
}

impl DataModels {
    /// No models at all (not even the built-in CIM).
    pub fn empty() -> Self {
        DataModels { models: Vec::new() }
    }

    /// Adds (or replaces by name) a model.
    pub fn add(&mut self, m: DataModel) {
        self.models.retain(|x| x.name != m.name);
        self.models.push(Arc::new(m));
    }

    /// Adds the models of apps' `default/data/models/*.json` and
    /// `local/data/models/*.json` (`apps` highest precedence first, so the
    /// highest is added last and wins).
    pub fn add_app_dirs(&mut self, apps: &[&Path]) -> Result<()> {
        for app in apps.iter().rev() {
            for sub in ["default", "local"] {
                let dir = app.join(sub).join("data").join("models");
                let Ok(entries) = std::fs::read_dir(&dir) else {
                    continue;
                };
                let mut files: Vec<_> = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "json"))
                    .collect();
                files.sort();
                for f in files {
                    let display = f.display().to_string();
                    let text =
                        crate::text_file::read_to_string(&f).map_err(|source| EngineError::Io {
                            path: display.clone(),
                            source,
                        })?;
                    self.add(DataModel::parse(&text, &display)?);
                }
            }
        }
        Ok(())
    }

    /// The model names, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.models.iter().map(|m| m.name.clone()).collect();
        v.sort();
        v
    }

    /// The model named `name` (case-sensitive).
    pub fn model(&self, name: &str) -> Option<Arc<DataModel>> {
        self.models.iter().find(|m| m.name == name).cloned()
    }

    /// Resolves `M` or `M.D` (also `M.Root.Child`: the last name is the
    /// dataset); the error text says what was missing.
    pub fn resolve(&self, text: &str) -> std::result::Result<Target, String> {
        let (model_name, rest) = match text.split_once('.') {
            Some((m, r)) => (m, Some(r)),
            None => (text, None),
        };
        let Some(model) = self.model(model_name) else {
            return Err(format!(
                "expected a data model ({}), found `{model_name}`",
                self.names().join(", ")
            ));
        };
        let dataset = match rest {
            None => None,
            Some(r) => {
                let last = r.rsplit('.').next().unwrap_or(r);
                match model.dataset(last) {
                    Some(d) => Some(d),
                    None => {
                        return Err(format!(
                            "expected a dataset of `{}` ({}), found `{r}`",
                            model.name,
                            model
                                .datasets
                                .iter()
                                .map(|d| d.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                    }
                }
            }
        };
        Ok(Target { model, dataset })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_model_parses() {
        for (file, text) in BUILTIN {
            let m = DataModel::parse(text, file).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(!m.datasets.is_empty(), "{file}");
        }
        assert_eq!(builtin().len(), BUILTIN.len());
    }

    #[test]
    fn hierarchy_lineage_and_inherited_fields() {
        let dm = DataModels::default();
        let t = dm.resolve("Network_Traffic.Blocked_Traffic").unwrap();
        let d = t.dataset.unwrap();
        assert_eq!(
            t.model.lineage(d),
            "All_Traffic.Traffic_By_Action.Blocked_Traffic"
        );
        let fields = t.model.fields(d);
        assert!(fields.iter().any(|(_, f)| f == "All_Traffic.dest_port"));
        assert!(fields.iter().any(|(_, f)| f == "_time"));
        let c = dm.resolve("Certificates.SSL").unwrap();
        let f = c.model.fields(c.dataset.unwrap());
        assert!(f
            .iter()
            .any(|(_, f)| f == "All_Certificates.SSL.ssl_issuer"));
        assert!(dm.resolve("Nope.X").is_err());
        assert!(dm.resolve("Endpoint.Nope").is_err());
    }

    #[test]
    fn bad_documents_are_errors() {
        let e = DataModel::parse("{", "m.json").unwrap_err().to_string();
        assert!(e.contains("m.json"), "{e}");
        let orphan = r#"{"modelName":"M","objects":[{"objectName":"A","parentName":"Z"}]}"#;
        let e = DataModel::parse(orphan, "m.json").unwrap_err().to_string();
        assert!(e.contains("parent dataset named `Z`"), "{e}");
        let calc = r#"{"modelName":"M","objects":[{"objectName":"A","parentName":"BaseEvent",
            "calculations":[{"calculationType":"Magic"}]}]}"#;
        assert!(DataModel::parse(calc, "m.json").is_err());
    }
}
