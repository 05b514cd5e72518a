//! No input may panic the parser. Deterministic pseudo-random inputs (a tiny
//! xorshift, no dependencies): random bytes, token soup, and corpus searches
//! mutated by truncation, deletion, duplication and inserted brackets/quotes.
//! Every error must carry a span inside the input on char boundaries and
//! render; every success must survive the printer round trip.

use spl_parser::macros::{expand, MacroSet};
use spl_parser::normalize::same_ast;
use std::path::PathBuf;

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Parses `input`; checks the error span or the round trip.
fn check(input: &str) {
    match spl_parser::parse(input) {
        Ok(q) => {
            let printed = q.to_string();
            match spl_parser::parse(&printed) {
                Ok(again) => assert!(
                    same_ast(&q, &again),
                    "round trip changed the AST\n  input:   {input:?}\n  printed: {printed:?}"
                ),
                Err(e) => panic!(
                    "printed form does not parse: {e}\n  input: {input:?}\n  printed: {printed:?}"
                ),
            }
        }
        Err(e) => {
            if let Some(span) = e.span() {
                assert!(span.start <= span.end, "{input:?}: inverted span {span:?}");
                assert!(
                    span.end as usize <= input.len(),
                    "{input:?}: span {span:?} past the end"
                );
                assert!(
                    input.is_char_boundary(span.start as usize),
                    "{input:?}: {span:?}"
                );
                assert!(
                    input.is_char_boundary(span.end as usize),
                    "{input:?}: {span:?}"
                );
            }
            let report = miette::Report::new(e).with_source_code(input.to_string());
            let mut out = String::new();
            let handler = miette::GraphicalReportHandler::new_themed(
                miette::GraphicalTheme::unicode_nocolor(),
            );
            handler
                .render_report(&mut out, report.as_ref())
                .expect("test setup");
        }
    }
}

fn corpus_searches() -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    let mut set = MacroSet::with_bundled();
    set.load_path(&root.join("macros.jsonl"))
        .expect("test setup");
    let text = std::fs::read_to_string(root.join("detections.jsonl")).expect("test setup");
    text.lines()
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).ok()?;
            expand(v["search"].as_str()?, &set).ok().map(|e| e.text)
        })
        .collect()
}

#[test]
fn random_bytes_do_not_panic() {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    for _ in 0..3000 {
        let len = rng.below(120);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        check(&String::from_utf8_lossy(&bytes));
    }
}

const TOKENS: &[&str] = &[
    " ",
    " ",
    " ",
    "|",
    "[",
    "]",
    "(",
    ")",
    "\"",
    "'",
    "`",
    "```",
    "=",
    "==",
    "!=",
    "<",
    ">=",
    ",",
    "\\",
    "\\\"",
    "*",
    "-",
    "+",
    ".",
    "AND",
    "OR",
    "NOT",
    "XOR",
    "and",
    "not",
    "IN",
    "in",
    "LIKE",
    "by",
    "BY",
    "as",
    "AS",
    "OVER",
    "WHERE",
    "where",
    "FROM",
    "OUTPUT",
    "search",
    "stats",
    "eval",
    "tstats",
    "mstats",
    "join",
    "append",
    "appendpipe",
    "foreach",
    "lookup",
    "inputlookup",
    "rename",
    "fields",
    "table",
    "sort",
    "head",
    "dedup",
    "rex",
    "regex",
    "bin",
    "bucket",
    "spath",
    "convert",
    "top",
    "return",
    "map",
    "multisearch",
    "timechart",
    "chart",
    "replace",
    "fit",
    "x",
    "count",
    "avg(x)",
    "eval(",
    "if(",
    "ctime(",
    "span=10s",
    "type=left",
    "value=",
    "\"a b\"",
    "'f.g'",
    "k8s.pod.name",
    "user.groups{}",
    "*:*",
    "0",
    "1.5",
    "-30d@d",
    "earliest=",
    "$x$",
    "é",
    "\n",
    "\t",
];

#[test]
fn token_soup_does_not_panic() {
    let mut rng = XorShift(0x1234_5678_9abc_def1);
    for _ in 0..6000 {
        let n = 1 + rng.below(24);
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(TOKENS[rng.below(TOKENS.len())]);
            if rng.below(3) == 0 {
                s.push(' ');
            }
        }
        check(&s);
    }
}

fn char_boundary(s: &str, mut at: usize) -> usize {
    at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[test]
fn mutated_corpus_searches_do_not_panic() {
    let mut rng = XorShift(0xdead_beef_cafe_f00d);
    const INSERTS: &[&str] = &[
        "[", "]", "(", ")", "\"", "'", "|", "`", "```", "\\", "=", ",",
    ];
    for q in corpus_searches() {
        for _ in 0..3 {
            let at = char_boundary(&q, rng.below(q.len() + 1));
            let mutated = match rng.below(4) {
                0 => q[..at].to_string(),
                1 => {
                    let next = q[at..].chars().next().map_or(0, char::len_utf8);
                    format!("{}{}", &q[..at], &q[at + next..])
                }
                2 => {
                    let c: String = q[at..].chars().take(1).collect();
                    format!("{}{c}{}", &q[..at], &q[at..])
                }
                _ => format!(
                    "{}{}{}",
                    &q[..at],
                    INSERTS[rng.below(INSERTS.len())],
                    &q[at..]
                ),
            };
            check(&mutated);
        }
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for (open, close, code) in [
        ("(", ")", "spl::parse::too_deep"),
        ("[search ", "]", "spl::parse::too_deep"),
        ("NOT ", "", "spl::parse::too_deep"),
    ] {
        let q = format!("{}x{}", open.repeat(100_000), close.repeat(100_000));
        let e = spl_parser::parse(&q).unwrap_err();
        assert_eq!(
            miette::Diagnostic::code(&e)
                .map(|c| c.to_string())
                .as_deref(),
            Some(code),
            "{open}"
        );
    }
    for expr in ["(", "-", "!", "NOT ", "f("] {
        let q = format!("| where {}1", expr.repeat(100_000));
        let e = spl_parser::parse(&q).unwrap_err();
        assert_eq!(
            miette::Diagnostic::code(&e)
                .map(|c| c.to_string())
                .as_deref(),
            Some("spl::parse::too_deep"),
            "{expr}"
        );
    }
    // Within the limit, nesting works.
    let q = format!("| where {}1{} > 0", "(".repeat(50), ")".repeat(50));
    assert!(spl_parser::parse(&q).is_ok());
}
