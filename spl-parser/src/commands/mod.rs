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
pub(crate) mod list;
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
// the command list declares simple commands' options inline
use crate::options::{opt, OptKind as K};
use crate::parser::{Cx, PResult};

/// A typed command's parser: input starts right after the command name.
pub(crate) type ParseFn = for<'a> fn(&Cx, &'a str) -> PResult<'a, Command>;

/// One entry of the command table.
pub struct CommandSpec {
    /// Canonical (lower-case) name.
    pub name: &'static str,
    /// Other names of the command (`bucket` for `bin`).
    pub aliases: &'static [&'static str],
    /// The parser.
    pub(crate) parse: ParseFn,
    /// One-line usage, shown as help on errors.
    pub usage: &'static str,
    /// The `name=value` options Splunk documents for the command (the
    /// module's `OPTIONS`); any other option is a parse error.
    pub options: &'static [OptSpec],
}

macro_rules! define_table {
    ($(($name:literal, [$($alias:literal),*], $variant:ident, $ty:ident, $grammar:ident,
        $opts:expr, $run:ident $module:ident, $usage:literal)),* $(,)?) => {
        /// Every typed command, from the command list. Lookup is
        /// case-insensitive, by name or alias.
        pub(crate) static COMMANDS: &[CommandSpec] = &[
            $(
                CommandSpec {
                    name: $name,
                    aliases: &[$($alias),*],
                    parse: |cx, i| $grammar::parse(cx, i).map(|(r, c)| (r, Command::$variant(c))),
                    usage: $usage,
                    options: $opts,
                },
            )*
        ];
    };
}

crate::for_each_command!(define_table);

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
    "datamodelsimple",
    "dbinspect",
    "dbxquery",
    "delete",
    "diff",
    "discretize",
    "erex",
    "eventcount",
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
    COMMANDS.iter().find(|s| {
        s.name.eq_ignore_ascii_case(name) || s.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    })
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
