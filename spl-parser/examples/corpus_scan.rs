#![allow(missing_docs)]
use spl_parser::ast::{Command, Pipeline};
use std::collections::BTreeMap;
fn walk(p: &Pipeline, counts: &mut BTreeMap<String, usize>) {
    for st in &p.stages {
        let key = match &st.command {
            Command::Generic(_) => format!("GENERIC {}", st.name.node),
            _ => st.name.node.to_lowercase(),
        };
        *counts.entry(key).or_default() += 1;
        match &st.command {
            Command::Join(j) => walk(&j.subsearch.pipeline, counts),
            Command::Append(a) => walk(&a.subsearch.pipeline, counts),
            Command::Appendpipe(a) => walk(&a.subpipeline.pipeline, counts),
            Command::Generic(g) => {
                for s in &g.subsearches {
                    walk(&s.pipeline, counts)
                }
            }
            _ => {}
        }
    }
}
fn main() {
    let mut set = spl_parser::macros::MacroSet::with_bundled();
    set.load_path(std::path::Path::new("/work/shared/corpus/macros.jsonl"))
        .unwrap();
    let text = std::fs::read_to_string("/work/shared/corpus/detections.jsonl").unwrap();
    let mut counts = BTreeMap::new();
    let mut exp = Vec::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let e = spl_parser::macros::expand(v["search"].as_str().unwrap(), &set).unwrap();
        let q = spl_parser::parse(&e.text).unwrap();
        walk(&q.pipeline, &mut counts);
        exp.push(e.text);
    }
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1));
    for (k, n) in v {
        println!("{n:6} {k}");
    }
    let bytes: usize = exp.iter().map(|s| s.len()).sum();
    let t = std::time::Instant::now();
    for _ in 0..10 {
        for s in &exp {
            let _ = spl_parser::parse(s);
        }
    }
    eprintln!("bytes {bytes} parse-only per pass {:?}", t.elapsed() / 10);
}
