//! Knowledge objects from Splunk apps: the search-time field extractions,
//! aliases, calculated fields, automatic lookups, event types and tags that
//! `props.conf`, `transforms.conf`, `eventtypes.conf` and `tags.conf` define,
//! applied to the events of a base search before its filter.
//!
//! Order (Knowledge Manager Manual, "The sequence of search-time
//! operations"): `EXTRACT-` (inline), `REPORT-` (transforms), `KV_MODE`,
//! `FIELDALIAS-`, `EVAL-`, `LOOKUP-`, then event types and tags. Classes of
//! one kind run in ASCII order of their names; the transforms one `REPORT-`
//! lists run in the order written.
//!
//! Which settings apply to an event: [`props`] (source:: over host:: over the
//! sourcetype, per attribute); which file a setting comes from: [`apps`]
//! (local over default, apps in reverse lexicographical order).

pub(crate) mod alias;
pub(crate) mod apps;
pub(crate) mod calc;
pub(crate) mod conf;
pub(crate) mod events;
pub(crate) mod extract;
pub(crate) mod index_props;
pub(crate) mod kv;
pub(crate) mod props;
pub(crate) mod work;

use crate::batch;
use crate::context::{EventKnowledge, ExecContext};
use crate::error::{EngineError, Result};
use crate::lookup::LookupRegistry;
use crate::operator::demand::FieldSet;
use alias::AliasPair;
use apps::{Merged, Value};
use arrow_array::RecordBatch;
use calc::Calc;
use extract::{Extract, Transform};
use kv::{KvConfig, KvMode};
use props::PropsStanza;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use work::Work;

/// One `LOOKUP-<class>`: an automatic lookup.
#[derive(Debug, Clone)]
pub(crate) struct AutoLookup {
    /// The lookup (a transforms.conf definition or a `.csv` file name).
    pub table: String,
    /// (table column, event field).
    pub inputs: Vec<(String, String)>,
    /// (table column, event field); `None`: every other column.
    pub outputs: Option<Vec<(String, String)>>,
    /// `OUTPUTNEW`.
    pub output_new: bool,
    origin: Value,
    key: String,
}

impl AutoLookup {
    /// Whether it may set a field `wanted` accepts (every table column when
    /// no OUTPUT is written).
    fn may_give(&self, wanted: &FieldSet) -> bool {
        match &self.outputs {
            None => true,
            Some(o) => o.iter().any(|(_, field)| wanted.wants(field)),
        }
    }

    /// Parses `LOOKUP-<class> = <lookup> (<field> [AS <event field>])+
    /// [OUTPUT|OUTPUTNEW (<field> [AS <event field>])+]`.
    pub(crate) fn parse(key: &str, v: &Value) -> Result<AutoLookup> {
        let words = alias::words(&v.value);
        let mut it = words.iter().peekable();
        let table = it
            .next()
            .ok_or_else(|| v.error(key, "expected a lookup name, found nothing"))?
            .clone();
        let mut inputs = Vec::new();
        let mut outputs: Option<Vec<(String, String)>> = None;
        let mut output_new = false;
        let mut list = &mut inputs;
        while let Some(w) = it.next() {
            if w.eq_ignore_ascii_case("OUTPUT") || w.eq_ignore_ascii_case("OUTPUTNEW") {
                if outputs.is_some() {
                    return Err(v.error(
                        key,
                        format!("expected one OUTPUT or OUTPUTNEW, found a second `{w}`"),
                    ));
                }
                output_new = w.eq_ignore_ascii_case("OUTPUTNEW");
                outputs = Some(Vec::new());
                list = outputs.as_mut().unwrap_or_else(|| unreachable!());
                continue;
            }
            let mut event = w.clone();
            if it.peek().is_some_and(|n| n.eq_ignore_ascii_case("AS")) {
                it.next();
                event = it
                    .next()
                    .ok_or_else(|| v.error(key, format!("expected a field name after `{w} AS`")))?
                    .clone();
            }
            list.push((w.clone(), event));
        }
        if inputs.is_empty() {
            return Err(v.error(
                key,
                format!(
                    "expected `<lookup> <field> [AS <field>] ... [OUTPUT ...]`, found `{}`",
                    v.value
                ),
            ));
        }
        if outputs.as_ref().is_some_and(Vec::is_empty) {
            return Err(v.error(key, "expected output fields after OUTPUT/OUTPUTNEW"));
        }
        Ok(AutoLookup {
            table,
            inputs,
            outputs,
            output_new,
            origin: v.clone(),
            key: key.to_string(),
        })
    }
}

/// The compiled knowledge of one props.conf stanza.
#[derive(Debug, Default)]
struct Compiled {
    extracts: Vec<(String, Arc<Extract>)>,
    reports: Vec<(String, Arc<Vec<Arc<Transform>>>)>,
    aliases: Vec<(String, Arc<Vec<AliasPair>>)>,
    evals: Vec<(String, Arc<Calc>)>,
    lookups: Vec<(String, Arc<AutoLookup>)>,
    kv_mode: Option<KvMode>,
    auto_json: Option<bool>,
    trim_spaces: Option<bool>,
    rename: Option<String>,
}

/// What applies to events of one (sourcetype, source, host).
#[derive(Debug, Default)]
struct Plan {
    extracts: BTreeMap<String, Arc<Extract>>,
    reports: BTreeMap<String, Arc<Vec<Arc<Transform>>>>,
    kv: KvConfig,
    aliases: BTreeMap<String, Arc<Vec<AliasPair>>>,
    evals: BTreeMap<String, Arc<Calc>>,
    lookups: BTreeMap<String, Arc<AutoLookup>>,
    rename: Option<String>,
}

impl Plan {
    fn is_empty(&self) -> bool {
        self.extracts.is_empty()
            && self.reports.is_empty()
            && self.kv.mode.is_off()
            && self.aliases.is_empty()
            && self.evals.is_empty()
            && self.lookups.is_empty()
            && self.rename.is_none()
    }
}

impl Plan {
    fn steps(&self) -> Steps<'_> {
        Steps {
            extracts: self.extracts.values().map(AsRef::as_ref).collect(),
            reports: self
                .reports
                .values()
                .flat_map(|l| l.iter().map(AsRef::as_ref))
                .collect(),
            kv: !self.kv.mode.is_off(),
            aliases: self.aliases.values().flat_map(|l| l.iter()).collect(),
            evals: self.evals.values().map(AsRef::as_ref).collect(),
            lookups: self.lookups.values().map(AsRef::as_ref).collect(),
        }
    }
}

/// The search-time steps of one plan (or of every stanza at once), in the
/// order they run, for working out what a search needs of them.
#[derive(Default)]
struct Steps<'a> {
    extracts: Vec<&'a Extract>,
    reports: Vec<&'a Transform>,
    kv: bool,
    aliases: Vec<&'a AliasPair>,
    evals: Vec<&'a Calc>,
    lookups: Vec<&'a AutoLookup>,
}

/// Fields every event has before any knowledge applies (the base search
/// adds the default fields it needs), which automatic key/value extraction
/// never replaces.
pub(crate) const ALWAYS_THERE: [&str; 6] =
    ["_time", "_raw", "index", "source", "sourcetype", "host"];

/// What must be at hand for consumers wanting `wanted`: those fields, and,
/// walking the steps backwards, what every step that may make one of them
/// reads (an alias's original, an `EVAL-`'s inputs, a lookup's input
/// fields, `_raw` for extractions).
fn needs(steps: &Steps<'_>, events: &events::EventTypes, wanted: &FieldSet) -> FieldSet {
    if matches!(wanted, FieldSet::All) {
        return FieldSet::All;
    }
    let mut w = wanted.clone();
    if events.needed_by(&w) {
        events.reads(&mut w);
    }
    for l in steps.lookups.iter().rev() {
        if l.may_give(&w) {
            for (_, field) in &l.inputs {
                w.add(field);
            }
        }
    }
    // `EVAL-`s read the fields as they were before any of them ran
    let mut inputs = FieldSet::none();
    for c in &steps.evals {
        if w.wants(&c.field) && !c.reads(&mut inputs) {
            return FieldSet::All;
        }
    }
    if let FieldSet::Named(names) = inputs {
        for n in names {
            w.add(&n);
        }
    }
    for p in steps.aliases.iter().rev() {
        if w.wants(&p.to) {
            w.add(&p.from);
        }
    }
    if steps.kv && w.any_name(|n| !ALWAYS_THERE.contains(&n)) {
        w.add("_raw");
    }
    for t in steps.reports.iter().rev() {
        if t.may_give(&w) {
            for f in t.reads() {
                w.add(f);
            }
        }
    }
    for e in steps.extracts.iter().rev() {
        if e.may_give(&w) {
            w.add(e.reads());
        }
    }
    // The plan's key is read to choose the plan, before any step runs: the
    // steps need not make it, so it does not start a transform whose field
    // names come from the text (which "may give" any name).
    for f in ["sourcetype", "source", "host"] {
        w.add(f);
    }
    w
}

/// The knowledge of a set of apps.
pub struct Knowledge {
    props: Vec<(PropsStanza, Compiled)>,
    /// transforms.conf merged (for `extract <transform>`).
    transforms: Merged,
    events: events::EventTypes,
    lookups: LookupRegistry,
    plans: Mutex<HashMap<[String; 3], Arc<Plan>>>,
}

impl std::fmt::Debug for Knowledge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Knowledge")
            .field("props", &self.props.len())
            .finish()
    }
}

fn class<'k>(key: &'k str, prefix: &str) -> Option<&'k str> {
    key.get(..prefix.len())
        .filter(|p| p.eq_ignore_ascii_case(prefix))
        .and_then(|_| key.get(prefix.len()..))
}

/// Compiles one stanza; `transforms` caches the transforms already built.
fn compile(
    s: &apps::MergedStanza,
    transforms: &Merged,
    cache: &mut HashMap<String, Arc<Transform>>,
) -> Result<Compiled> {
    let mut c = Compiled::default();
    let limits = (
        extract::limit_setting(s.get("MATCH_LIMIT"), "MATCH_LIMIT")?,
        extract::limit_setting(s.get("DEPTH_LIMIT"), "DEPTH_LIMIT")?,
    );
    for (key, v) in &s.settings {
        if let Some(cl) = class(key, "EXTRACT-") {
            c.extracts
                .push((cl.to_string(), Arc::new(Extract::parse(key, v, limits)?)));
        } else if let Some(cl) = class(key, "REPORT-") {
            let mut list = Vec::new();
            for name in v.value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                if let Some(t) = cache.get(name) {
                    list.push(t.clone());
                    continue;
                }
                let stanza = transforms.get(name).ok_or_else(|| {
                    v.error(
                        key,
                        format!("expected a transforms.conf stanza named `{name}`, found none"),
                    )
                })?;
                let t = Arc::new(Transform::from_stanza(stanza, (v, key))?);
                cache.insert(name.to_string(), t.clone());
                list.push(t);
            }
            c.reports.push((cl.to_string(), Arc::new(list)));
        } else if let Some(cl) = class(key, "FIELDALIAS-") {
            c.aliases
                .push((cl.to_string(), Arc::new(alias::parse(v, key)?)));
        } else if let Some(field) = class(key, "EVAL-") {
            c.evals
                .push((field.to_string(), Arc::new(Calc::parse(field, key, v)?)));
        } else if let Some(cl) = class(key, "LOOKUP-") {
            c.lookups
                .push((cl.to_string(), Arc::new(AutoLookup::parse(key, v)?)));
        } else if key == "KV_MODE" {
            c.kv_mode = Some(KvMode::parse(v)?);
        } else if key == "AUTO_KV_JSON" {
            c.auto_json = Some(extract::bool_setting(Some(v), key, true)?);
        } else if key == "KV_TRIM_SPACES" {
            c.trim_spaces = Some(extract::bool_setting(Some(v), key, true)?);
        } else if key == "rename" && !v.value.trim().is_empty() {
            c.rename = Some(v.value.trim().to_string());
        }
    }
    Ok(c)
}

impl Knowledge {
    /// Loads the apps under `paths` (each an app folder or a folder of
    /// apps); every setting is checked now, so a bad regex or expression is
    /// an error naming its file, line and key before any search runs.
    /// `builtin`: whether the engine's own default app is the lowest layer.
    pub fn load(paths: &[PathBuf], builtin: bool) -> Result<Knowledge> {
        let apps = apps::discover(paths)?;
        let props = apps::merge(&apps, "props.conf", builtin.then_some(apps::BUILTIN_PROPS))?;
        let transforms = apps::merge(
            &apps,
            "transforms.conf",
            builtin.then_some(apps::BUILTIN_TRANSFORMS),
        )?;
        let eventtypes = apps::merge(
            &apps,
            "eventtypes.conf",
            builtin.then_some(apps::BUILTIN_EVENTTYPES),
        )?;
        let tags = apps::merge(&apps, "tags.conf", builtin.then_some(apps::BUILTIN_TAGS))?;
        let mut cache = HashMap::new();
        let mut compiled = Vec::new();
        for s in props.stanzas.into_values() {
            let c = compile(&s, &transforms, &mut cache)?;
            compiled.push((PropsStanza::new(s)?, c));
        }
        let lookup_dirs = apps
            .iter()
            .map(|a| a.dir.join("lookups"))
            .filter(|d| d.is_dir())
            .collect();
        // lookup definitions merged key by key across apps, like every
        // other transforms.conf setting; their files may be in any app
        let mut defined = HashMap::new();
        for st in transforms.stanzas.values() {
            let settings = st
                .settings
                .iter()
                .map(|(k, v)| (k.as_str(), v.value.as_str(), v.file.as_ref(), v.line));
            if let Some(cfg) = crate::lookup::LookupConfig::from_settings(settings)? {
                defined.insert(st.name.clone(), cfg);
            }
        }
        Ok(Knowledge {
            props: compiled,
            transforms,
            events: events::EventTypes::new(&eventtypes, &tags)?,
            lookups: LookupRegistry::with_definitions(lookup_dirs, defined),
            plans: Mutex::new(HashMap::new()),
        })
    }

    /// The engine's default app alone, loaded once per process (every
    /// engine starts with it).
    pub fn builtin() -> Result<Arc<Knowledge>> {
        static BUILTIN: std::sync::OnceLock<std::result::Result<Arc<Knowledge>, String>> =
            std::sync::OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                Knowledge::load(&[], true)
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })
            .clone()
            .map_err(|e| EngineError::Internal(format!("the built-in default app: {e}")))
    }

    /// The merged transforms.conf stanza `name`, if any.
    pub(crate) fn transform(&self, name: &str) -> Option<&apps::MergedStanza> {
        self.transforms.get(name)
    }

    fn plan(&self, key: &[String; 3]) -> Result<Arc<Plan>> {
        let poisoned = || EngineError::Internal("knowledge cache lock poisoned".into());
        if let Some(p) = self.plans.lock().map_err(|_| poisoned())?.get(key) {
            return Ok(p.clone());
        }
        let mut plan = Plan::default();
        let order =
            props::applicable_indices(self.props.iter().map(|(s, _)| s), &key[0], &key[1], &key[2]);
        for i in order {
            let Some((stanza, c)) = self.props.get(i) else {
                continue;
            };
            for (k, v) in &c.extracts {
                plan.extracts.insert(k.clone(), v.clone());
            }
            for (k, v) in &c.reports {
                plan.reports.insert(k.clone(), v.clone());
            }
            for (k, v) in &c.aliases {
                plan.aliases.insert(k.clone(), v.clone());
            }
            for (k, v) in &c.evals {
                plan.evals.insert(k.clone(), v.clone());
            }
            for (k, v) in &c.lookups {
                plan.lookups.insert(k.clone(), v.clone());
            }
            if let Some(m) = c.kv_mode {
                plan.kv.mode = m;
            }
            if let Some(b) = c.auto_json {
                plan.kv.auto_json = b;
            }
            if let Some(b) = c.trim_spaces {
                plan.kv.trim_spaces = b;
            }
            if matches!(stanza.target, props::Target::Sourcetype(_)) {
                if let Some(r) = &c.rename {
                    plan.rename = Some(r.clone());
                }
            }
        }
        let plan = Arc::new(plan);
        self.plans
            .lock()
            .map_err(|_| poisoned())?
            .insert(key.clone(), plan.clone());
        Ok(plan)
    }

    /// Applies the knowledge to the rows `rows` of `batch`, which share one
    /// (sourcetype, source, host).
    fn apply_plan(
        &self,
        plan: &Plan,
        batch: &RecordBatch,
        wanted: &FieldSet,
        raw_extracted: bool,
        ctx: &ExecContext,
    ) -> Result<RecordBatch> {
        if plan.is_empty() {
            return Ok(batch.clone());
        }
        let mut steps = plan.steps();
        steps.kv &= !raw_extracted;
        let need = needs(&steps, &self.events, wanted);
        let mut warnings: Vec<String> = Vec::new();
        let mut warn = |w: String| {
            if !warnings.contains(&w) {
                warnings.push(w);
            }
        };
        let wants = |f: &str| need.wants(f);
        let mut w = Work::new(batch);
        for e in plan.extracts.values().filter(|e| e.may_give(&need)) {
            e.run(&mut w, &mut warn);
        }
        for list in plan.reports.values() {
            for t in list.iter().filter(|t| t.may_give(&need)) {
                t.run(&mut w, &wants, &mut warn);
            }
        }
        if steps.kv {
            kv::run(&plan.kv, &mut w, &wants);
        }
        for pairs in plan.aliases.values() {
            for p in pairs.iter().filter(|p| need.wants(&p.to)) {
                alias::run(p, &mut w);
            }
        }
        let mut out = w.finish(wants)?;
        for msg in warnings {
            ctx.warnings.push("spl::run::knowledge_regex_limit", msg);
        }
        let calcs: Vec<&Calc> = plan
            .evals
            .values()
            .map(AsRef::as_ref)
            .filter(|c| need.wants(&c.field))
            .collect();
        if !calcs.is_empty() {
            out = calc::run(&calcs, &out, ctx)?;
        }
        for l in plan.lookups.values().filter(|l| l.may_give(&need)) {
            let table = match self.lookups.resolve(&l.table)? {
                Some(t) => t,
                None => ctx.catalog.lookups.resolve(&l.table)?.ok_or_else(|| {
                    l.origin.error(
                        &l.key,
                        format!("expected a lookup named `{}` (a transforms.conf definition or a .csv file in an app's lookups/), found none", l.table),
                    )
                })?,
            };
            out = table.apply(&out, &l.inputs, l.outputs.as_deref(), l.output_new)?;
        }
        if let Some(new) = &plan.rename {
            let old = batch::column(&out, "sourcetype").cloned();
            if let Some(old) = old {
                out = batch::set_column(
                    &out,
                    arrow_schema::Field::new("_sourcetype", old.data_type().clone(), true),
                    old,
                )?;
            }
            let rows = out.num_rows();
            out = batch::set_column(
                &out,
                arrow_schema::Field::new("sourcetype", arrow_schema::DataType::Utf8, true),
                Arc::new(arrow_array::StringArray::from(vec![new.as_str(); rows])),
            )?;
        }
        Ok(out)
    }
}

/// The text of `name` on `row` (empty when absent).
fn text_at(batch: &RecordBatch, name: &str, row: usize) -> String {
    batch::column(batch, name)
        .and_then(|c| batch::values_at(c, row).ok().flatten())
        .and_then(|v| v.into_iter().next())
        .unwrap_or_default()
}

/// The ends of the runs of rows that share (sourcetype, source, host),
/// found without building a value per row where the columns are text.
fn run_ends(batch: &RecordBatch) -> Vec<usize> {
    use arrow_array::Array;
    let rows = batch.num_rows();
    let mut change = vec![false; rows];
    for name in ["sourcetype", "source", "host"] {
        let Some(col) = batch::column(batch, name) else {
            continue;
        };
        let text = col.as_any().downcast_ref::<arrow_array::StringArray>();
        for (row, c) in change.iter_mut().enumerate().skip(1) {
            let differs = match text {
                Some(s) => {
                    let at = |r: usize| s.is_valid(r).then(|| s.value(r));
                    at(row) != at(row - 1)
                }
                None => text_at(batch, name, row) != text_at(batch, name, row - 1),
            };
            *c |= differs;
        }
    }
    let mut ends: Vec<usize> = (1..rows).filter(|&r| change[r]).collect();
    ends.push(rows);
    ends
}

impl EventKnowledge for Knowledge {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn lookup(&self, name: &str) -> Result<Option<Arc<crate::lookup::LookupTable>>> {
        self.lookups.resolve(name)
    }

    fn reads(
        &self,
        wanted: &FieldSet,
        key: Option<&[String; 3]>,
        raw_extracted: bool,
    ) -> Result<FieldSet> {
        match key {
            Some(k) => {
                let plan = self.plan(k)?;
                let mut steps = plan.steps();
                steps.kv &= !raw_extracted;
                Ok(needs(&steps, &self.events, wanted))
            }
            None => {
                // any stanza may apply, and automatic extraction is on by default
                let mut all = Steps {
                    kv: !raw_extracted,
                    ..Steps::default()
                };
                for (_, c) in &self.props {
                    all.extracts
                        .extend(c.extracts.iter().map(|(_, e)| e.as_ref()));
                    all.reports.extend(
                        c.reports
                            .iter()
                            .flat_map(|(_, l)| l.iter().map(AsRef::as_ref)),
                    );
                    all.aliases
                        .extend(c.aliases.iter().flat_map(|(_, l)| l.iter()));
                    all.evals.extend(c.evals.iter().map(|(_, e)| e.as_ref()));
                    all.lookups
                        .extend(c.lookups.iter().map(|(_, l)| l.as_ref()));
                }
                Ok(needs(&all, &self.events, wanted))
            }
        }
    }

    fn may_set(&self, name: &str) -> bool {
        self.props.iter().any(|(_, c)| {
            (c.rename.is_some() && name == "sourcetype")
                || c.evals.iter().any(|(_, e)| e.field == name)
                || c.aliases
                    .iter()
                    .any(|(_, l)| l.iter().any(|p| p.to == name))
                || c.lookups.iter().any(|(_, l)| match &l.outputs {
                    None => true,
                    Some(o) => o.iter().any(|(_, f)| f == name),
                })
        })
    }

    fn apply(
        &self,
        batch: RecordBatch,
        wanted: &FieldSet,
        raw_extracted: bool,
        ctx: &ExecContext,
    ) -> Result<RecordBatch> {
        let rows = batch.num_rows();
        if rows == 0 {
            return Ok(batch);
        }
        // runs of rows sharing (sourcetype, source, host), in order
        let key_of = |row: usize| {
            [
                text_at(&batch, "sourcetype", row),
                text_at(&batch, "source", row),
                text_at(&batch, "host", row),
            ]
        };
        let mut parts = Vec::new();
        let mut start = 0;
        for end in run_ends(&batch) {
            let plan = self.plan(&key_of(start))?;
            let slice = batch.slice(start, end - start);
            parts.push(self.apply_plan(&plan, &slice, wanted, raw_extracted, ctx)?);
            start = end;
        }
        let out = if parts.len() == 1 {
            parts.pop().unwrap_or(batch)
        } else {
            batch::concat_unified(&parts)?
        };
        if self.events.needed_by(wanted) {
            self.events.apply(out, ctx)
        } else {
            Ok(out)
        }
    }
}

#[cfg(test)]
mod tests;
