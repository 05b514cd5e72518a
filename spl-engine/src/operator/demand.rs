//! What each stage of a pipeline must deliver to the stages after it: which
//! fields (so readers skip the others) and whether its rows must come in
//! search order (so the base search sorts, or merges, only when a later
//! command's result depends on the order).
//!
//! The walk goes from the end of the pipeline backwards. The final results
//! need every field in search order; each command turns what its output must
//! carry into what its input must carry ([`input_demand`]). A command the
//! walk does not know asks for everything, in order: the analysis may only
//! ever be conservative.

use spl_parser::ast::{
    search_subsearches, AggArg, Command, Expr, ExprKind, FieldAlias, Pipeline, ReturnItem,
    SearchExpr, SearchKind, Stage,
};

/// Fields a consumer needs: every field, or the named ones (names may be
/// `*` wildcard patterns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldSet {
    /// Every field.
    All,
    /// Only these (names or wildcard patterns).
    Named(Vec<String>),
}

impl FieldSet {
    /// No field at all (a `stats count` asks for nothing).
    pub fn none() -> FieldSet {
        FieldSet::Named(Vec::new())
    }

    /// Adds a field (or pattern); `*` alone means every field.
    pub fn add(&mut self, name: &str) {
        if let FieldSet::Named(names) = self {
            if name == "*" {
                *self = FieldSet::All;
            } else if !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
    }

    /// Whether a field of this name is needed.
    pub fn wants(&self, name: &str) -> bool {
        match self {
            FieldSet::All => true,
            FieldSet::Named(names) => names.iter().any(|p| {
                p == name || (p.contains('*') && crate::value::Glob::new(p).matches(name))
            }),
        }
    }

    /// Whether some wanted name or pattern passes `pred` (true for every
    /// field: `pred` is not asked).
    pub fn any_name(&self, pred: impl Fn(&str) -> bool) -> bool {
        match self {
            FieldSet::All => true,
            FieldSet::Named(names) => names.iter().any(|n| pred(n)),
        }
    }

    /// The names for a `ScanRequest` (`None`: all columns).
    pub fn columns(&self) -> Option<Vec<String>> {
        match self {
            FieldSet::All => None,
            FieldSet::Named(names) => Some(names.clone()),
        }
    }
}

/// What the stages after a command need of its output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Demand {
    /// Rows must come in search order (newest first for events): some later
    /// command's result, or the final result, depends on it.
    pub order: bool,
    /// The fields later commands (or the final result) read.
    pub fields: FieldSet,
}

impl Demand {
    /// Everything, in order: what the end of a search needs, and the safe
    /// answer for a command the analysis does not know.
    pub fn all() -> Demand {
        Demand {
            order: true,
            fields: FieldSet::All,
        }
    }
}

/// For each stage of `pipeline`, what the stages after it need of its output.
pub fn stage_demands(pipeline: &Pipeline) -> Vec<Demand> {
    let mut out = vec![Demand::all(); pipeline.stages.len()];
    let mut next = Demand::all();
    for (i, stage) in pipeline.stages.iter().enumerate().rev() {
        if let Some(d) = out.get_mut(i) {
            *d = next.clone();
        }
        next = input_demand(stage, &next);
    }
    out
}

/// Aggregations whose result depends on the order rows arrive in. The
/// others (count, dc, values, min/max, percentiles, earliest/latest, which
/// compare `_time` and keep the first of equal times, ...) do not: rows of
/// equal time keep their relative order in every order the executor uses.
/// Sums and averages are treated as order-free although floating-point
/// addition may differ in the last bit with another order.
fn order_sensitive_agg(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "first" | "last" | "list" | "mode"
    )
}

/// Whether `stage` has effects beyond its results that depend on the rows it
/// is given (`outputlookup`, anywhere inside it; `map`, whose searches are
/// built at run time): its input must not be cut short.
pub fn has_effects(stage: &Stage) -> bool {
    let mut effects = false;
    let mut check = |s: &Stage| {
        if matches!(s.command, Command::Outputlookup(_) | Command::Map(_)) {
            effects = true;
        }
    };
    check(stage);
    for sub in stage.command.subsearches() {
        sub.pipeline.walk_stages(&mut check);
    }
    effects
}

/// What a command's input must carry so that its output carries `out`.
pub fn input_demand(stage: &Stage, out: &Demand) -> Demand {
    let mut f = out.fields.clone();
    let mut order = out.order;
    let all = Demand::all;
    match &stage.command {
        // row-wise commands: order passes through, their inputs are added
        Command::Search(s) => {
            if !search_fields(s.expr.as_ref(), &mut f) {
                return Demand {
                    order,
                    fields: FieldSet::All,
                };
            }
        }
        Command::Where(w) => {
            if !expr_fields(&w.expr, &mut f) {
                return Demand {
                    order,
                    fields: FieldSet::All,
                };
            }
        }
        Command::Eval(e) => {
            for a in &e.assignments {
                if a.dynamic {
                    f.add(&a.target.node);
                }
                if !expr_fields(&a.expr, &mut f) {
                    return Demand {
                        order,
                        fields: FieldSet::All,
                    };
                }
            }
        }
        Command::Rename(r) => {
            if r.pairs.iter().any(|p| {
                p.field.node.contains('*') || p.alias.as_ref().is_some_and(|a| a.node.contains('*'))
            }) {
                f = FieldSet::All;
            }
            for p in &r.pairs {
                f.add(&p.field.node);
            }
        }
        Command::Fields(x) => {
            if !x.remove {
                let mut g = FieldSet::none();
                for n in &x.fields {
                    g.add(&n.node);
                }
                // `fields a b` keeps `_time` and `_raw` too
                for internal in ["_time", "_raw"] {
                    if f.wants(internal) {
                        g.add(internal);
                    }
                }
                f = g;
            }
        }
        Command::Table(t) => {
            let mut g = FieldSet::none();
            for n in &t.fields {
                g.add(&n.node);
            }
            f = g;
        }
        Command::Lookup(l) => {
            for FieldAlias { field, alias } in &l.inputs {
                f.add(&field.node);
                if let Some(a) = alias {
                    f.add(&a.node);
                }
            }
        }
        Command::Iplocation(i) => f.add(&i.field.node),
        Command::Convert(c) => {
            for conv in &c.conversions {
                f.add(&conv.field.node);
            }
        }
        Command::Rex(r) => f.add(option(&r.options, "field").unwrap_or("_raw")),
        Command::Regex(r) => f.add(r.field.as_ref().map_or("_raw", |x| x.node.as_str())),
        Command::Bin(b) => {
            f.add(&b.field.node);
            f.add("_time");
        }
        Command::Spath(s) => f.add(option(&s.options, "input").unwrap_or("_raw")),
        Command::Makemv(m) => f.add(&m.field.node),
        Command::Mvexpand(m) => f.add(&m.field.node),
        Command::Fillnull(x) => {
            for n in &x.fields {
                f.add(&n.node);
            }
        }
        Command::Replace(r) => {
            for n in &r.fields {
                f.add(&n.node);
            }
        }
        Command::Strcat(a) | Command::Fromjson(a) => {
            for w in a.words.iter().filter(|w| !w.quoted) {
                f.add(&w.text.node);
            }
        }
        Command::Xmlkv(a) => {
            f.add("_raw");
            for w in &a.words {
                f.add(&w.text.node);
            }
        }
        Command::Addinfo(_) | Command::Append(_) => {}
        Command::Join(j) => {
            if j.fields.is_empty() {
                f = FieldSet::All;
            }
            for n in &j.fields {
                f.add(&n.node);
            }
        }
        Command::Addtotals(a) => {
            if a.fields.is_empty() {
                f = FieldSet::All;
            }
            for n in &a.fields {
                f.add(&n.node);
            }
        }
        Command::Reverse(_) => {}
        // order-dependent commands
        Command::Head(h) => {
            order = true;
            if let Some(e) = &h.expr {
                if !expr_fields(e, &mut f) {
                    f = FieldSet::All;
                }
            }
        }
        Command::Tail(_) => order = true,
        Command::Dedup(d) => {
            order = true;
            for n in &d.fields {
                f.add(&n.node);
            }
            for k in &d.sortby {
                f.add(&k.field.node);
            }
        }
        Command::Sort(s) => {
            // a limit (10,000 unless `sort 0`) keeps the first of equal keys
            order = order || s.limit != Some(0);
            for k in &s.keys {
                f.add(&k.field.node);
            }
        }
        Command::Accum(a) | Command::Delta(a) => {
            order = true;
            for w in &a.words {
                f.add(&w.text.node);
            }
        }
        Command::Streamstats(s) => {
            if s.options.iter().any(|o| {
                let k = o.key.node.to_ascii_lowercase();
                k == "reset_before" || k == "reset_after"
            }) {
                return all();
            }
            order = true;
            f.add("_time");
            if !agg_fields(&s.aggs, &mut f) {
                return all();
            }
            for n in &s.by {
                f.add(&n.node);
            }
        }
        Command::Eventstats(s) => {
            order = order || s.aggs.iter().any(|a| order_sensitive_agg(&a.func.node));
            f.add("_time");
            if !agg_fields(&s.aggs, &mut f) {
                return all();
            }
            for n in &s.by {
                f.add(&n.node);
            }
        }
        Command::Return(r) => {
            order = true;
            f = FieldSet::none();
            for item in &r.items {
                let name = match item {
                    ReturnItem::Field(x) | ReturnItem::Value(x) => x,
                    ReturnItem::Alias { field, .. } => field,
                };
                f.add(&name.node);
            }
        }
        // blocking commands whose results do not depend on the input order
        // (unless an aggregation does) and that read only what they name
        Command::Stats(s) => {
            return aggregation(&s.aggs, s.by.iter().map(|n| n.node.as_str()));
        }
        Command::Chart(c) => {
            let keys = c.over.iter().chain(&c.by).map(|n| n.node.as_str());
            return aggregation(&c.aggs, keys);
        }
        Command::Timechart(t) => {
            return aggregation(&t.aggs, t.by.iter().map(|n| n.node.as_str()));
        }
        Command::Top(t) | Command::Rare(t) => {
            let mut g = FieldSet::none();
            g.add("_time");
            for n in t.fields.iter().chain(&t.by) {
                g.add(&n.node);
            }
            return Demand {
                order: false,
                fields: g,
            };
        }
        // everything else reads fields the walk cannot name (a template, all
        // fields, the rows' order or all of it)
        _ => return all(),
    }
    Demand { order, fields: f }
}

/// The demand of an aggregating command on its input: the aggregated and
/// grouping fields, in order only for an order-dependent aggregation.
fn aggregation<'a>(aggs: &[spl_parser::ast::Agg], keys: impl Iterator<Item = &'a str>) -> Demand {
    let mut f = FieldSet::none();
    f.add("_time");
    if !agg_fields(aggs, &mut f) {
        return Demand::all();
    }
    for k in keys {
        f.add(k);
    }
    let order = aggs.iter().any(|a| {
        order_sensitive_agg(&a.func.node)
            || matches!(&a.arg, Some(AggArg::Sparkline(s)) if order_sensitive_agg(&s.func.node))
    });
    Demand { order, fields: f }
}

/// Adds the fields aggregations read; false when one reads fields the walk
/// cannot name.
fn agg_fields(aggs: &[spl_parser::ast::Agg], f: &mut FieldSet) -> bool {
    aggs.iter().all(|a| match &a.arg {
        None => true,
        Some(AggArg::Field(x)) => {
            f.add(&x.node);
            true
        }
        Some(AggArg::Eval(e)) => expr_fields(e, f),
        Some(AggArg::Sparkline(s)) => {
            if let Some(x) = &s.field {
                f.add(&x.node);
            }
            true
        }
    })
}

/// Adds the fields an eval expression reads; false when it may read fields
/// it does not name (`searchmatch` matches a search against the whole row).
pub fn expr_fields(e: &Expr, f: &mut FieldSet) -> bool {
    match &e.kind {
        ExprKind::Field { name, .. } => {
            f.add(name);
            true
        }
        ExprKind::Str(_) | ExprKind::Num(_) | ExprKind::Bool(_) => true,
        ExprKind::Unary { expr, .. } => expr_fields(expr, f),
        ExprKind::Binary { lhs, rhs, .. } => expr_fields(lhs, f) && expr_fields(rhs, f),
        ExprKind::Call { name, args } => {
            !name.node.eq_ignore_ascii_case("searchmatch") && args.iter().all(|a| expr_fields(a, f))
        }
        ExprKind::In { expr, list } => {
            expr_fields(expr, f) && list.iter().all(|a| expr_fields(a, f))
        }
    }
}

/// Adds the fields a search expression reads (terms read `_raw`, bounds
/// `_time`); false when it holds a subsearch, whose results name fields only
/// known once it has run.
pub fn search_fields(e: Option<&SearchExpr>, f: &mut FieldSet) -> bool {
    let Some(e) = e else { return true };
    if !search_subsearches(Some(e)).is_empty() {
        return false;
    }
    walk_search(e, f);
    true
}

fn walk_search(e: &SearchExpr, f: &mut FieldSet) {
    match &e.kind {
        SearchKind::And(items) | SearchKind::Or(items) => {
            for i in items {
                walk_search(i, f);
            }
        }
        SearchKind::Not(inner) => walk_search(inner, f),
        SearchKind::Term(_) | SearchKind::Func { .. } => f.add("_raw"),
        SearchKind::Compare { field, .. } | SearchKind::In { field, .. } => f.add(field),
        SearchKind::TimeBound { .. } => f.add("_time"),
        SearchKind::Subsearch(_) => {}
    }
}

/// The fields a search's stages test or use that must come from its events,
/// each with the commands that use it, in pipeline order: what
/// `--explain` checks against the fields the events have. Each stage's own
/// reads are its [`input_demand`] when nothing after it needs anything. A
/// field an earlier `eval` or `rename` makes is left out; the walk stops
/// after a command that makes fields it cannot name (`stats`, `lookup`,
/// `rex`, ...), whose own reads still count, and at one whose reads it
/// cannot name. Names with wildcards and internal fields (`_time`, `_raw`)
/// are left out.
pub fn event_fields_used(pipeline: &Pipeline) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut made: Vec<String> = Vec::new();
    let nothing = Demand {
        order: false,
        fields: FieldSet::none(),
    };
    for stage in &pipeline.stages {
        let FieldSet::Named(reads) = input_demand(stage, &nothing).fields else {
            break;
        };
        let command = stage.name.node.to_ascii_lowercase();
        for name in reads {
            if name.starts_with('_') || name.contains('*') || made.contains(&name) {
                continue;
            }
            match out.iter_mut().find(|(n, _)| *n == name) {
                Some((_, by)) if !by.contains(&command) => by.push(command.clone()),
                Some(_) => {}
                None => out.push((name, vec![command.clone()])),
            }
        }
        match &stage.command {
            Command::Eval(e) if e.assignments.iter().any(|a| a.dynamic) => break,
            Command::Eval(e) => made.extend(e.assignments.iter().map(|a| a.target.node.clone())),
            Command::Rename(r) => made.extend(
                r.pairs
                    .iter()
                    .filter_map(|p| p.alias.as_ref().map(|a| a.node.clone())),
            ),
            Command::Search(_)
            | Command::Where(_)
            | Command::Table(_)
            | Command::Fields(_)
            | Command::Dedup(_)
            | Command::Sort(_)
            | Command::Head(_)
            | Command::Tail(_)
            | Command::Reverse(_)
            | Command::Fillnull(_) => {}
            _ => break,
        }
    }
    out
}

fn option<'a>(opts: &'a [spl_parser::ast::Opt], key: &str) -> Option<&'a str> {
    spl_parser::ast::find_opt(opts, key).map(|o| o.value.node.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demands(q: &str) -> Vec<Demand> {
        let q = spl_parser::parse(q).expect("parses");
        stage_demands(&q.pipeline)
    }

    fn named(names: &[&str]) -> FieldSet {
        FieldSet::Named(names.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn stats_needs_its_fields_in_no_order() {
        let d = demands("index=x | stats count by a b");
        assert_eq!(
            d[0],
            Demand {
                order: false,
                fields: named(&["_time", "a", "b"])
            }
        );
    }

    #[test]
    fn order_and_fields_pass_through_row_wise_commands() {
        let d = demands("index=x | eval c=a+1 | where b>2 | stats first(c) by u");
        assert!(d[0].order);
        assert_eq!(d[0].fields, named(&["_time", "c", "u", "b", "a"]));
        let d = demands("index=x | eval c=a+1 | head 3");
        assert_eq!(d[0], Demand::all());
        let d = demands("index=x | table a b | head 3");
        assert_eq!(
            d[0],
            Demand {
                order: true,
                fields: named(&["a", "b"])
            }
        );
    }

    #[test]
    fn unknown_reads_ask_for_everything() {
        for q in [
            "index=x | transaction a | stats count",
            "index=x | where searchmatch(\"a=1\") | stats count",
            "index=x | search [search y | fields a] | stats count",
            "index=x | rename a* as b* | stats count by b1",
        ] {
            assert_eq!(demands(q)[0].fields, FieldSet::All, "{q}");
        }
        assert!(!demands("index=x | stats count | head 1")[0].order);
        assert!(demands("index=x | sort a | stats count")[0].order);
        assert!(!demands("index=x | sort 0 a | stats count")[0].order);
    }

    #[test]
    fn fields_used_come_from_events() {
        let q = spl_parser::parse(
            "index=x user=a | eval y=lower(usr) | where y=\"b\" AND code>1 \
             | stats count by host_name | where count>1",
        )
        .expect("parses");
        let used = event_fields_used(&q.pipeline);
        let names: Vec<&str> = used.iter().map(|(n, _)| n.as_str()).collect();
        // `y` is made by eval, `count` by stats (the walk stops after it);
        // `index` is a field like any other here (the caller leaves out
        // default fields)
        assert_eq!(names, ["index", "user", "usr", "code", "host_name"]);
        assert_eq!(used[2].1, ["eval"]);
        assert_eq!(used[4].1, ["stats"]);
    }

    #[test]
    fn effects() {
        let q =
            spl_parser::parse("index=x | appendpipe [outputlookup t] | head 1").expect("parses");
        assert!(has_effects(&q.pipeline.stages[1]));
        assert!(!has_effects(&q.pipeline.stages[2]));
    }
}
