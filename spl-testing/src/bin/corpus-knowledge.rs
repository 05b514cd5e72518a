//! `corpus-knowledge [CORPUS_DIR] [--markdown] [--no-searches] [--list OUTCOME] [--apps DIR]`:
//! the corpus knowledge measures of `docs/knowledge.md` (field recall of the
//! built-in default app on the data sources' example events, and the corpus
//! searches that return a row over them). `CORPUS_DIR` defaults to
//! `../shared/corpus`. `--list zero` (or `error`, `unsupported`, `rows`,
//! `datamodel`, `parse`, `macro`, `none`) names the searches with that outcome;
//! `--apps DIR` applies apps over the default app (to try changes).

use spl_testing::corpus_knowledge::{self as ck, Outcome};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut dir = PathBuf::from("../shared/corpus");
    let mut markdown = false;
    let mut with_searches = true;
    let mut list: Option<Outcome> = None;
    let mut apps = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--markdown" => markdown = true,
            "--no-searches" => with_searches = false,
            "--apps" => match args.next() {
                Some(p) => apps.push(PathBuf::from(p)),
                None => {
                    eprintln!("expected a folder after --apps");
                    return ExitCode::from(2);
                }
            },
            "--list" => {
                list = match args.next().as_deref() {
                    Some("zero") => Some(Outcome::ZeroRows),
                    Some("rows") => Some(Outcome::Rows),
                    Some("error") => Some(Outcome::Error),
                    Some("unsupported") => Some(Outcome::UnsupportedCommand),
                    Some("datamodel") => Some(Outcome::DataModel),
                    Some("parse") => Some(Outcome::Parse),
                    Some("macro") => Some(Outcome::Macro),
                    Some("none") => Some(Outcome::NoExample),
                    other => {
                        eprintln!("expected an outcome after --list (zero, rows, error, unsupported, datamodel, parse, macro, none), found {other:?}");
                        return ExitCode::from(2);
                    }
                }
            }
            "-h" | "--help" => {
                println!(
                    "corpus-knowledge [CORPUS_DIR] [--markdown] [--no-searches] [--list OUTCOME]"
                );
                return ExitCode::SUCCESS;
            }
            other if other.starts_with('-') => {
                eprintln!("unknown option `{other}` (try --help)");
                return ExitCode::from(2);
            }
            other => dir = PathBuf::from(other),
        }
    }
    let corpus = match ck::Corpus::load(&dir) {
        Ok(mut c) => {
            c.apps = apps;
            c
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let recall = match ck::recall(&corpus) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let searches = if with_searches {
        match ck::searches(&corpus, &recall) {
            Ok(r) => Some(r),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        None
    };
    if markdown {
        print!("{}", ck::markdown(&recall, searches.as_ref()));
    } else {
        for s in &recall.sources {
            println!(
                "{:5.1}% {:3}/{:3} {}{} [{}]{}",
                100.0 * s.found as f64 / s.listed.max(1) as f64,
                s.found,
                s.listed,
                s.name,
                if s.whole { "" } else { " (not a whole event)" },
                s.sourcetype,
                s.error
                    .as_ref()
                    .map(|e| format!(" ERROR {e}"))
                    .unwrap_or_default()
            );
            if !s.used_missing.is_empty() {
                println!("        used, missing: {}", s.used_missing.join(" "));
            }
            let other: Vec<&str> = s
                .missing
                .iter()
                .filter(|m| !s.used_missing.contains(m))
                .map(String::as_str)
                .collect();
            if !other.is_empty() {
                println!("        missing: {}", other.join(" "));
            }
        }
        let (wf, wl) = recall.whole();
        let (wuf, wu) = recall.whole_used();
        println!(
            "whole examples: recall {:.2}% ({wf}/{wl}), used fields {wuf}/{wu}",
            100.0 * wf as f64 / wl.max(1) as f64
        );
        println!(
            "overall recall {:.2}% ({}/{}), mean per source {:.2}%, used fields {}/{}",
            100.0 * recall.overall(),
            recall.found(),
            recall.listed(),
            100.0 * recall.mean(),
            recall.used_found(),
            recall.used()
        );
        if let Some(r) = &searches {
            for o in Outcome::ALL {
                println!("{:>5} {}", r.count(o), o.label());
            }
            println!(
                "        zero rows with every tested field extracted: {}; with a tested field missing: {}",
                r.zero_with_fields(),
                r.count(Outcome::ZeroRows) - r.zero_with_fields()
            );
            for (d, n) in r.details(Outcome::Error) {
                println!("        {n:4} {d}");
            }
            println!("        tstats / data model searches:");
            for (d, n) in r.details(Outcome::DataModel) {
                let d = if d.is_empty() { "ran, zero rows" } else { &d };
                println!("        {n:4} {d}");
            }
        }
    }
    if let (Some(o), Some(r)) = (list, &searches) {
        for x in r.results.iter().filter(|x| x.outcome == o) {
            println!(
                "{}\t{}\t{}\t{}{}",
                x.kind,
                x.name,
                x.sources.join(", "),
                x.detail,
                x.fields_missing.join(" ")
            );
        }
    }
    ExitCode::SUCCESS
}
