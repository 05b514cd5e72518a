//! The list of commands: every command the parser reads and the engine may
//! run, declared once. Each line names the command and its aliases, its AST
//! variant and node type, its grammar module in this crate (`parse`) and
//! options, whether the engine runs it and which engine module plans it, and
//! its usage line. The parser builds its `Command` enum, command table,
//! `Display`, `options()` and `subsearches()` from this list; the engine
//! builds its registry and planner dispatch from it (`for_each_command!`
//! with a macro of its own), so adding a command is one line here plus its
//! files.

/// Calls macro `$m` with the command list (see the module docs).
#[macro_export]
#[doc(hidden)]
macro_rules! for_each_command {
    ($m:path) => {
        $m! {
            ("search", [], Search, Search, search, search::OPTIONS, run search_base, "search <terms>"),
            ("where", [], Where, Where, where_, where_::OPTIONS, run where_, "where <eval-expression>"),
            ("eval", [], Eval, Eval, eval, eval::OPTIONS, run eval, "eval <field>=<expression>[, <field>=<expression>]..."),
            ("stats", [], Stats, Stats, stats, stats::OPTIONS, run stats, "stats [<option>=<value>]... <agg>[(<field>|eval(<expr>))] [AS <name>]... [BY <field>...]"),
            ("eventstats", [], Eventstats, Stats, stats, stats::EVENTSTATS_OPTIONS, run eventstats, "eventstats [allnum=<bool>] <agg>(<field>) [AS <name>]... [BY <field>...]"),
            ("streamstats", [], Streamstats, Stats, stats, stats::STREAMSTATS_OPTIONS, run streamstats, "streamstats [<option>=<value>]... <agg>(<field>) [AS <name>]... [BY <field>...]"),
            ("mstats", [], Mstats, Mstats, mstats, mstats::OPTIONS, run mstats, "mstats [<option>=<value>]... <agg>(<metric>) [AS <name>]... [WHERE <search>] [BY <dimension>...] [span=<time>]"),
            ("tstats", [], Tstats, Tstats, tstats, tstats::OPTIONS, run tstats, "tstats [<option>=<value>]... <agg>(<field>) [AS <name>]... [FROM datamodel=<name>] [WHERE <search>] [BY <field>...]"),
            ("join", [], Join, Join, join, join::OPTIONS, run join, "join [<option>=<value>]... [<field>...] [<subsearch>]"),
            ("append", [], Append, Append, append, append::OPTIONS, run append, "append [<option>=<value>]... [<subsearch>]"),
            ("foreach", [], Foreach, Foreach, foreach, foreach::OPTIONS, run foreach, "foreach [<option>=<value>]... <wc-field>... [<template>]"),
            ("lookup", [], Lookup, Lookup, lookup, lookup::OPTIONS, run lookup, "lookup [local=<bool>] [update=<bool>] <table> <field> [AS <field>]... [OUTPUT|OUTPUTNEW <field> [AS <field>]...]"),
            ("inputlookup", [], Inputlookup, Inputlookup, inputlookup, inputlookup::OPTIONS, run inputlookup, "inputlookup [<option>=<value>]... <table> [WHERE <search>]"),
            ("outputlookup", [], Outputlookup, Outputlookup, outputlookup, outputlookup::OPTIONS, run outputlookup, "outputlookup [<option>=<value>]... <table>"),
            ("rename", [], Rename, Rename, rename, rename::OPTIONS, run rename, "rename <wc-field> AS <wc-field>[, <wc-field> AS <wc-field>]..."),
            ("fillnull", [], Fillnull, Fillnull, fillnull, fillnull::OPTIONS, run fillnull, "fillnull [value=<string>] [<field>...]"),
            ("fields", [], Fields, Fields, fields, fields::OPTIONS, run fields, "fields [+|-] <wc-field>..."),
            ("table", [], Table, Table, table, table::OPTIONS, run table, "table <wc-field>..."),
            ("sort", [], Sort, Sort, sort, sort::OPTIONS, run sort, "sort [<count>] [+|-]<field>[, ...] [desc]"),
            ("head", [], Head, Head, head, head::OPTIONS, run head, "head [<count>|limit=<count>|(<eval-expression>)] [keeplast=<bool>] [null=<bool>]"),
            ("tail", [], Tail, Tail, tail, tail::OPTIONS, run tail, "tail [<count>]"),
            ("dedup", [], Dedup, Dedup, dedup, dedup::OPTIONS, run dedup, "dedup [<count>] <field>... [<option>=<value>]... [sortby [+|-]<field>...]"),
            ("iplocation", [], Iplocation, Iplocation, iplocation, iplocation::OPTIONS, run iplocation, "iplocation [prefix=<string>] [allfields=<bool>] [lang=<string>] <ip-field>"),
            ("makeresults", [], Makeresults, Makeresults, makeresults, makeresults::OPTIONS, run makeresults, "makeresults [count=<int>] [annotate=<bool>] [format=csv|json data=<string>]"),
            ("convert", [], Convert, Convert, convert, convert::OPTIONS, run convert, "convert [timeformat=<string>] <function>(<field>) [AS <field>]..."),
            ("rex", [], Rex, Rex, rex, rex::OPTIONS, run rex, "rex [field=<field>] [max_match=<int>] [mode=sed] \"<regex>\""),
            ("regex", [], Regex, Regex, regex, regex::OPTIONS, run regex, "regex [<field>=|<field>!=]\"<regex>\""),
            ("bin", ["bucket"], Bin, Bin, bin, bin::OPTIONS, run bin, "bin [<option>=<value>]... <field> [AS <field>]"),
            ("spath", [], Spath, Spath, spath, spath::OPTIONS, run spath, "spath [input=<field>] [output=<field>] [path=<path>|<path>]"),
            ("mvexpand", [], Mvexpand, Mvexpand, mvexpand, mvexpand::OPTIONS, run mvexpand, "mvexpand <field> [limit=<int>]"),
            ("mvcombine", [], Mvcombine, Mvcombine, mvcombine, mvcombine::OPTIONS, run mvcombine, "mvcombine [delim=<string>] <field>"),
            ("makemv", [], Makemv, Makemv, makemv, makemv::OPTIONS, run makemv, "makemv [delim=<string>|tokenizer=<regex>] [allowempty=<bool>] [setsv=<bool>] <field>"),
            ("appendpipe", [], Appendpipe, Appendpipe, appendpipe, appendpipe::OPTIONS, run appendpipe, "appendpipe [run_in_preview=<bool>] [<subpipeline>]"),
            ("multisearch", [], Multisearch, Multisearch, multisearch, multisearch::OPTIONS, run multisearch, "multisearch [<subsearch>] [<subsearch>]..."),
            ("transaction", [], Transaction, Transaction, transaction, transaction::OPTIONS, run transaction, "transaction [<field>...] [<option>=<value>]..."),
            ("timechart", [], Timechart, Timechart, timechart, timechart::OPTIONS, run timechart, "timechart [<option>=<value>]... <agg>(<field>) [AS <name>]... [BY <field>]"),
            ("chart", [], Chart, Chart, chart, chart::OPTIONS, run chart, "chart [<option>=<value>]... <agg>(<field>) [AS <name>]... [OVER <field>] [BY <field>...]"),
            ("top", [], Top, Top, top, top::OPTIONS, run top, "top [<count>] [<option>=<value>]... <field>... [BY <field>...]"),
            ("rare", [], Rare, Top, top, top::OPTIONS, run rare, "rare [<count>] [<option>=<value>]... <field>... [BY <field>...]"),
            ("return", [], Return, Return, return_, return_::OPTIONS, run return_, "return [<count>] [<alias>=<field>|<field>|$<field>]..."),
            ("format", [], Format, Format, format, format::OPTIONS, run format, "format [mvsep=<string>] [maxresults=<int>] [<row prefix> <column prefix> <column separator> <column end> <row separator> <row end>]"),
            ("from", [], From, FromDataset, from, from::OPTIONS, run from, "from <dataset type>:<dataset name>"),
            ("addtotals", [], Addtotals, Addtotals, addtotals, addtotals::OPTIONS, run addtotals, "addtotals [<option>=<value>]... [<field>...]"),
            ("collect", [], Collect, Collect, collect, collect::OPTIONS, norun collect, "collect [<option>=<value>]..."),
            ("map", [], Map, Map, map, map::OPTIONS, run map, "map (search=\"<search>\" | [<subsearch>]) [maxsearches=<int>]"),
            ("replace", [], Replace, Replace, replace, replace::OPTIONS, run replace, "replace <wc-string> WITH <wc-string>[, ...] [IN <field>...]"),
            ("accum", [], Accum, Args, simple, &[], run accum, "accum <field> [AS <newfield>]"),
            ("addinfo", [], Addinfo, Args, simple, &[], run addinfo, "addinfo"),
            ("delta", [], Delta, Args, simple, &[opt("p", K::Count, Some("1"), "compare with the value this many results back (at least 1)")], run delta, "delta <field> [AS <newfield>] [p=<int>]"),
            ("reverse", [], Reverse, Args, simple, &[], run reverse, "reverse"),
            ("strcat", [], Strcat, Args, simple, &[opt("allrequired", K::Bool, Some("false"), "write the destination only when every source field exists")], run strcat, "strcat [allrequired=<bool>] <source-field>|\"<string>\"... <dest-field>"),
            ("fromjson", [], Fromjson, Args, simple, &[opt("prefix", K::Text, Some(""), "prepended to the names of the extracted fields")], run fromjson, "fromjson <field> [prefix=<string>]"),
            ("nomv", [], Nomv, Args, simple, &[], run nomv, "nomv <field>"),
            ("extract", ["kv"], Extract, Args, simple, &[opt("auto", K::Bool, Some("true"), "automatic key=value extraction when no delimiters or transforms are given (auto=f turns it off)"), opt("clean_keys", K::Bool, None, "clean keys (non-alphanumeric characters to _); overrides a transform's CLEAN_KEYS"), opt("kvdelim", K::Text, None, "characters separating a key from its value"), opt("pairdelim", K::Text, None, "characters separating key/value pairs"), opt("limit", K::Count, Some("50"), "key/value pairs extracted per event at most"), opt("maxchars", K::Count, Some("10240"), "characters of _raw read for key/value pairs"), opt("mv_add", K::Bool, None, "a key met again adds a value (multivalue field); overrides a transform's MV_ADD"), opt("reload", K::Bool, Some("false"), "apply the apps' search-time knowledge to the results again first"), opt("segment", K::Bool, Some("false"), "note the pairs' positions (not supported)")], run extract, "extract [<option>=<value>]... [<transform>...]"),
            ("multikv", [], Multikv, Args, simple, &[opt("conf", K::Text, None, "a multikv.conf stanza (not supported)"), opt("copyattrs", K::Bool, Some("true"), "copy the original event's fields to each row's result"), opt("forceheader", K::Count, None, "the header is this non-empty line (1-based)"), opt("multitable", K::Bool, Some("true"), "an empty line ends a table; the next line is a new header"), opt("noheader", K::Bool, Some("false"), "no header line: columns are Column_1, Column_2, ... (implies multitable=false)"), opt("rmorig", K::Bool, Some("true"), "drop the original events (false: keep each after its rows)")], run multikv, "multikv [<option>=<value>]... [fields <field>...] [filter <term>...]"),
            ("datamodel", [], Datamodel, Args, simple, &[], run datamodel, "datamodel <model> <dataset> search|flat"),
            ("xmlkv", [], Xmlkv, Args, simple, &[opt("maxinputs", K::Count, Some("50000"), "results handed to the command per invocation (no effect offline)")], run xmlkv, "xmlkv [<field>] [maxinputs=<int>]"),
        }
    };
}
