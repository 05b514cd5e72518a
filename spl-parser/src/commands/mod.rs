//! One file per command: its AST struct, its parser, its printer and its
//! tests. [`COMMANDS`] maps names (and aliases such as `bucket`) to parsers.

pub(crate) mod addtotals;
pub(crate) mod append;
pub(crate) mod appendpipe;
pub(crate) mod bin;
pub(crate) mod chart;
pub(crate) mod collect;
pub(crate) mod convert;
pub(crate) mod dedup;
pub(crate) mod eval;
pub(crate) mod fields;
pub(crate) mod fillnull;
pub(crate) mod foreach;
pub(crate) mod format;
pub(crate) mod from;
pub(crate) mod generic;
pub(crate) mod head;
pub(crate) mod inputlookup;
pub(crate) mod iplocation;
pub(crate) mod join;
pub(crate) mod lookup;
pub(crate) mod makemv;
pub(crate) mod makeresults;
pub(crate) mod map;
pub(crate) mod mstats;
pub(crate) mod multisearch;
pub(crate) mod mvcombine;
pub(crate) mod mvexpand;
pub(crate) mod outputlookup;
pub(crate) mod regex;
pub(crate) mod rename;
pub(crate) mod replace;
pub(crate) mod return_;
pub(crate) mod rex;
pub(crate) mod search;
pub(crate) mod simple;
pub(crate) mod sort;
pub(crate) mod spath;
pub(crate) mod stats;
pub(crate) mod table;
pub(crate) mod tail;
pub(crate) mod timechart;
pub(crate) mod top;
pub(crate) mod transaction;
pub(crate) mod tstats;
pub(crate) mod where_;

#[cfg(test)]
pub(crate) mod test_util;

use crate::ast::Command;
use crate::options::OptSpec;
use crate::parser::{Cx, PResult};
use std::fmt;

/// A typed command's parser: input starts right after the command name.
pub(crate) type ParseFn = for<'a> fn(&Cx, &'a str) -> PResult<'a, Command>;

/// One entry of the command table.
pub struct CommandSpec {
    /// Canonical (lower-case) name; aliases map to the canonical spec's name.
    pub name: &'static str,
    /// The parser.
    pub(crate) parse: ParseFn,
    /// One-line usage, shown as help on errors.
    pub usage: &'static str,
    /// The `name=value` options Splunk documents for the command (the
    /// module's `OPTIONS`); any other option is a parse error.
    pub options: &'static [OptSpec],
}

macro_rules! spec {
    ($name:literal, $module:ident, $variant:ident, $usage:literal) => {
        spec!($name, $module, $variant, $usage, $module::OPTIONS)
    };
    ($name:literal, $module:ident, $variant:ident, $usage:literal, $options:expr) => {
        CommandSpec {
            name: $name,
            parse: |cx, i| $module::parse(cx, i).map(|(r, c)| (r, Command::$variant(c))),
            usage: $usage,
            options: $options,
        }
    };
}

/// Every typed command. Lookup is case-insensitive.
pub(crate) static COMMANDS: &[CommandSpec] = &[
    spec!("search", search, Search, "search <terms>"),
    spec!("where", where_, Where, "where <eval-expression>"),
    spec!("eval", eval, Eval, "eval <field>=<expression>[, <field>=<expression>]..."),
    spec!("stats", stats, Stats, "stats [<option>=<value>]... <agg>[(<field>|eval(<expr>))] [AS <name>]... [BY <field>...]"),
    spec!("eventstats", stats, Eventstats, "eventstats [allnum=<bool>] <agg>(<field>) [AS <name>]... [BY <field>...]", stats::EVENTSTATS_OPTIONS),
    spec!("streamstats", stats, Streamstats, "streamstats [<option>=<value>]... <agg>(<field>) [AS <name>]... [BY <field>...]", stats::STREAMSTATS_OPTIONS),
    spec!("mstats", mstats, Mstats, "mstats [<option>=<value>]... <agg>(<metric>) [AS <name>]... [WHERE <search>] [BY <dimension>...] [span=<time>]"),
    spec!("tstats", tstats, Tstats, "tstats [<option>=<value>]... <agg>(<field>) [AS <name>]... [FROM datamodel=<name>] [WHERE <search>] [BY <field>...]"),
    spec!("join", join, Join, "join [<option>=<value>]... [<field>...] [<subsearch>]"),
    spec!("append", append, Append, "append [<option>=<value>]... [<subsearch>]"),
    spec!("foreach", foreach, Foreach, "foreach [<option>=<value>]... <wc-field>... [<template>]"),
    spec!("lookup", lookup, Lookup, "lookup [local=<bool>] [update=<bool>] <table> <field> [AS <field>]... [OUTPUT|OUTPUTNEW <field> [AS <field>]...]"),
    spec!("inputlookup", inputlookup, Inputlookup, "inputlookup [<option>=<value>]... <table> [WHERE <search>]"),
    spec!("outputlookup", outputlookup, Outputlookup, "outputlookup [<option>=<value>]... <table>"),
    spec!("rename", rename, Rename, "rename <wc-field> AS <wc-field>[, <wc-field> AS <wc-field>]..."),
    spec!("fillnull", fillnull, Fillnull, "fillnull [value=<string>] [<field>...]"),
    spec!("fields", fields, Fields, "fields [+|-] <wc-field>..."),
    spec!("table", table, Table, "table <wc-field>..."),
    spec!("sort", sort, Sort, "sort [<count>] [+|-]<field>[, ...] [desc]"),
    spec!("head", head, Head, "head [<count>|limit=<count>|(<eval-expression>)] [keeplast=<bool>] [null=<bool>]"),
    spec!("tail", tail, Tail, "tail [<count>]"),
    spec!("dedup", dedup, Dedup, "dedup [<count>] <field>... [<option>=<value>]... [sortby [+|-]<field>...]"),
    spec!("iplocation", iplocation, Iplocation, "iplocation [prefix=<string>] [allfields=<bool>] [lang=<string>] <ip-field>"),
    spec!("makeresults", makeresults, Makeresults, "makeresults [count=<int>] [annotate=<bool>] [format=csv|json data=<string>]"),
    spec!("convert", convert, Convert, "convert [timeformat=<string>] <function>(<field>) [AS <field>]..."),
    spec!("rex", rex, Rex, "rex [field=<field>] [max_match=<int>] [mode=sed] \"<regex>\""),
    spec!("regex", regex, Regex, "regex [<field>=|<field>!=]\"<regex>\""),
    spec!("bin", bin, Bin, "bin [<option>=<value>]... <field> [AS <field>]"),
    spec!("bucket", bin, Bin, "bucket [<option>=<value>]... <field> [AS <field>]"),
    spec!("spath", spath, Spath, "spath [input=<field>] [output=<field>] [path=<path>|<path>]"),
    spec!("mvexpand", mvexpand, Mvexpand, "mvexpand <field> [limit=<int>]"),
    spec!("mvcombine", mvcombine, Mvcombine, "mvcombine [delim=<string>] <field>"),
    spec!("makemv", makemv, Makemv, "makemv [delim=<string>|tokenizer=<regex>] [allowempty=<bool>] [setsv=<bool>] <field>"),
    spec!("appendpipe", appendpipe, Appendpipe, "appendpipe [run_in_preview=<bool>] [<subpipeline>]"),
    spec!("multisearch", multisearch, Multisearch, "multisearch [<subsearch>] [<subsearch>]..."),
    spec!("transaction", transaction, Transaction, "transaction [<field>...] [<option>=<value>]..."),
    spec!("timechart", timechart, Timechart, "timechart [<option>=<value>]... <agg>(<field>) [AS <name>]... [BY <field>]"),
    spec!("chart", chart, Chart, "chart [<option>=<value>]... <agg>(<field>) [AS <name>]... [OVER <field>] [BY <field>...]"),
    spec!("top", top, Top, "top [<count>] [<option>=<value>]... <field>... [BY <field>...]"),
    spec!("rare", top, Rare, "rare [<count>] [<option>=<value>]... <field>... [BY <field>...]"),
    spec!("return", return_, Return, "return [<count>] [<alias>=<field>|<field>|$<field>]..."),
    spec!("format", format, Format, "format [mvsep=<string>] [maxresults=<int>] [<row prefix> <column prefix> <column separator> <column end> <row separator> <row end>]"),
    spec!("from", from, From, "from <dataset type>:<dataset name>"),
    spec!("addtotals", addtotals, Addtotals, "addtotals [<option>=<value>]... [<field>...]"),
    spec!("collect", collect, Collect, "collect [<option>=<value>]..."),
    spec!("map", map, Map, "map (search=\"<search>\" | [<subsearch>]) [maxsearches=<int>]"),
    spec!("replace", replace, Replace, "replace <wc-string> WITH <wc-string>[, ...] [IN <field>...]"),
    spec!("accum", simple, Simple, "accum <field> [AS <newfield>]", simple::ACCUM_OPTIONS),
    spec!("addinfo", simple, Simple, "addinfo", simple::ADDINFO_OPTIONS),
    spec!("delta", simple, Simple, "delta <field> [AS <newfield>] [p=<int>]", simple::DELTA_OPTIONS),
    spec!("reverse", simple, Simple, "reverse", simple::REVERSE_OPTIONS),
    spec!("strcat", simple, Simple, "strcat [allrequired=<bool>] <source-field>|\"<string>\"... <dest-field>", simple::STRCAT_OPTIONS),
    spec!("fromjson", simple, Simple, "fromjson <field> [prefix=<string>]", simple::FROMJSON_OPTIONS),
    spec!("xmlkv", simple, Simple, "xmlkv [<field>] [maxinputs=<int>]", simple::XMLKV_OPTIONS),
];

/// Names of Splunk commands without a typed node here. They parse into
/// [`crate::ast::Generic`]; being known lets a subsearch start with them
/// without a `|`, and feeds "did you mean" suggestions.
const OTHER_COMMANDS: &[&str] = &[
    "abstract",
    "addcoltotals",
    "analyzefields",
    "anomalies",
    "anomalousvalue",
    "anomalydetection",
    "appendcols",
    "arules",
    "associate",
    "audit",
    "autoregress",
    "bucketdir",
    "cluster",
    "cofilter",
    "common",
    "concurrency",
    "contingency",
    "correlate",
    "counttable",
    "ctable",
    "datamodel",
    "datamodelsimple",
    "dbinspect",
    "dbxquery",
    "delete",
    "diff",
    "discretize",
    "erex",
    "eventcount",
    "extract",
    "fieldformat",
    "fieldsummary",
    "filldown",
    "findtypes",
    "folderize",
    "gauge",
    "gentimes",
    "geom",
    "geomfilter",
    "geostats",
    "highlight",
    "history",
    "iconify",
    "ingestpreview",
    "inputcsv",
    "inputintelligence",
    "kmeans",
    "kv",
    "kvform",
    "loadjob",
    "localize",
    "localop",
    "makecontinuous",
    "maketable",
    "mcatalog",
    "mcollect",
    "metadata",
    "metasearch",
    "meventcollect",
    "mpreview",
    "msearch",
    "multikv",
    "nomv",
    "outlier",
    "outputcsv",
    "outputtext",
    "overlap",
    "pivot",
    "predict",
    "rangemap",
    "redistribute",
    "reltime",
    "require",
    "rest",
    "rtorder",
    "run",
    "savedsearch",
    "script",
    "scrub",
    "searchtxn",
    "selfjoin",
    "sendalert",
    "sendemail",
    "set",
    "setfields",
    "sichart",
    "sirare",
    "sistats",
    "sitimechart",
    "sitop",
    "stash",
    "sumindex",
    "summaryindex",
    "tags",
    "timewrap",
    "tojson",
    "transam",
    "transpose",
    "trendline",
    "tscollect",
    "typeahead",
    "typelearner",
    "typer",
    "union",
    "uniq",
    "untable",
    "walklex",
    "x11",
    "xmlunescape",
    "xpath",
    "xyseries",
    // Commands of apps that published detections call: Machine Learning
    // Toolkit, URL Toolbox, CyberChef for Splunk, DNSTwist.
    "apply",
    "cyberchef",
    "deletemodel",
    "dnstwist",
    "fit",
    "listmodels",
    "sample",
    "score",
    "summary",
    "ut_bayesian",
    "ut_countset",
    "ut_levenshtein",
    "ut_meaning",
    "ut_netloc",
    "ut_parse",
    "ut_parse_extended",
    "ut_parse_simple",
    "ut_shannon",
    "ut_suites",
];

/// The typed command spec for a name (case-insensitive), if any.
pub fn lookup(name: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|s| s.name.eq_ignore_ascii_case(name))
}

/// The command table's entry for a name or alias (case-insensitive): its
/// canonical name, usage and documented options.
pub fn command_spec(name: &str) -> Option<&'static CommandSpec> {
    lookup(name)
}

/// True for any Splunk command name we know, typed or not (case-insensitive).
pub fn is_known_command(name: &str) -> bool {
    lookup(name).is_some() || OTHER_COMMANDS.iter().any(|c| c.eq_ignore_ascii_case(name))
}

/// The closest known command name to `name` (for "did you mean" help), if
/// one is close enough.
pub fn suggest_command(name: &str) -> Option<&'static str> {
    let all = COMMANDS
        .iter()
        .map(|s| s.name)
        .chain(OTHER_COMMANDS.iter().copied());
    crate::suggest::did_you_mean(name, all)
}

/// The canonical name used as error context for a parsed stage.
pub(crate) fn canonical_name(name: &str, command: &Command) -> Option<&'static str> {
    match command {
        Command::Generic(_) => None,
        _ => lookup(name).map(|s| s.name),
    }
}

/// Help text for an error inside a command: where, and the usage.
pub(crate) fn context_help(ctx: &str) -> String {
    match lookup(ctx) {
        Some(spec) => format!("in `{}`; usage: {}", spec.name, spec.usage),
        None => format!("in `{ctx}`"),
    }
}

impl Command {
    /// The `name=value` options written for the command (empty for commands
    /// whose options the parser folds into typed fields, such as `sort limit=`).
    pub fn options(&self) -> &[crate::ast::Opt] {
        match self {
            Command::Stats(c) | Command::Eventstats(c) | Command::Streamstats(c) => &c.options,
            Command::Mstats(c) => &c.options,
            Command::Tstats(c) => &c.options,
            Command::Join(c) => &c.options,
            Command::Append(c) => &c.options,
            Command::Foreach(c) => &c.options,
            Command::Lookup(c) => &c.options,
            Command::Inputlookup(c) => &c.options,
            Command::Outputlookup(c) => &c.options,
            Command::Head(c) => &c.options,
            Command::Dedup(c) => &c.options,
            Command::Iplocation(c) => &c.options,
            Command::Makeresults(c) => &c.options,
            Command::Convert(c) => &c.options,
            Command::Rex(c) => &c.options,
            Command::Bin(c) => &c.options,
            Command::Spath(c) => &c.options,
            Command::Mvexpand(c) => &c.options,
            Command::Mvcombine(c) => &c.options,
            Command::Makemv(c) => &c.options,
            Command::Appendpipe(c) => &c.options,
            Command::Transaction(c) => &c.options,
            Command::Timechart(c) => &c.options,
            Command::Chart(c) => &c.options,
            Command::Top(c) | Command::Rare(c) => &c.options,
            Command::Format(c) => &c.options,
            Command::Addtotals(c) => &c.options,
            Command::Collect(c) => &c.options,
            Command::Map(c) => &c.options,
            Command::Simple(c) => &c.options,
            Command::Search(_)
            | Command::Where(_)
            | Command::Eval(_)
            | Command::Rename(_)
            | Command::Fillnull(_)
            | Command::Fields(_)
            | Command::Table(_)
            | Command::Sort(_)
            | Command::Tail(_)
            | Command::Regex(_)
            | Command::Multisearch(_)
            | Command::Return(_)
            | Command::From(_)
            | Command::Replace(_)
            | Command::Generic(_) => &[],
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Search(c) => c.fmt(f),
            Command::Where(c) => c.fmt(f),
            Command::Eval(c) => c.fmt(f),
            Command::Stats(c) | Command::Eventstats(c) | Command::Streamstats(c) => c.fmt(f),
            Command::Mstats(c) => c.fmt(f),
            Command::Tstats(c) => c.fmt(f),
            Command::Join(c) => c.fmt(f),
            Command::Append(c) => c.fmt(f),
            Command::Foreach(c) => c.fmt(f),
            Command::Lookup(c) => c.fmt(f),
            Command::Inputlookup(c) => c.fmt(f),
            Command::Outputlookup(c) => c.fmt(f),
            Command::Rename(c) => c.fmt(f),
            Command::Fillnull(c) => c.fmt(f),
            Command::Fields(c) => c.fmt(f),
            Command::Table(c) => c.fmt(f),
            Command::Sort(c) => c.fmt(f),
            Command::Head(c) => c.fmt(f),
            Command::Tail(c) => c.fmt(f),
            Command::Dedup(c) => c.fmt(f),
            Command::Iplocation(c) => c.fmt(f),
            Command::Makeresults(c) => c.fmt(f),
            Command::Convert(c) => c.fmt(f),
            Command::Rex(c) => c.fmt(f),
            Command::Regex(c) => c.fmt(f),
            Command::Bin(c) => c.fmt(f),
            Command::Spath(c) => c.fmt(f),
            Command::Mvexpand(c) => c.fmt(f),
            Command::Mvcombine(c) => c.fmt(f),
            Command::Makemv(c) => c.fmt(f),
            Command::Appendpipe(c) => c.fmt(f),
            Command::Multisearch(c) => c.fmt(f),
            Command::Transaction(c) => c.fmt(f),
            Command::Timechart(c) => c.fmt(f),
            Command::Chart(c) => c.fmt(f),
            Command::Top(c) | Command::Rare(c) => c.fmt(f),
            Command::Return(c) => c.fmt(f),
            Command::Format(c) => c.fmt(f),
            Command::From(c) => c.fmt(f),
            Command::Addtotals(c) => c.fmt(f),
            Command::Collect(c) => c.fmt(f),
            Command::Map(c) => c.fmt(f),
            Command::Replace(c) => c.fmt(f),
            Command::Simple(c) => c.fmt(f),
            Command::Generic(c) => c.fmt(f),
        }
    }
}
