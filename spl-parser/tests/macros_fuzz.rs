//! No input panics macro expansion: a deterministic pseudo-random loop over
//! random token soups and mutated corpus searches, with invariants on the
//! results (spans inside their texts, on char boundaries).

use miette::Diagnostic;
use spl_parser::macros::{expand, MacroDef, MacroSet};
use spl_parser::Span;
use std::path::PathBuf;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const TOKENS: &[&str] = &[
    "`",
    "``",
    "```",
    "````",
    "\"",
    "\\",
    "\\\"",
    "(",
    ")",
    ",",
    "$",
    "$a$",
    "$b$",
    "=",
    "|",
    " ",
    "\n",
    "[",
    "]",
    "m",
    "m(",
    "n",
    "r",
    "x_filter",
    "`m`",
    "`m(1)`",
    "`m(1,2)`",
    "`n(a=1)`",
    "`r`",
    "`deep`",
    "`x_filter`",
    "`drop_dm_object_name(P)`",
    "`nope`",
    "é",
    "✓",
    "index=x",
    "search",
    "a",
    "1",
];

fn macros() -> MacroSet {
    let mut s = MacroSet::with_bundled();
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/macros.jsonl");
    s.load_path(&p).expect("corpus macros");
    for (n, a, d) in [
        ("m", &[][..], "index=m ```c``` `m(1)`"),
        ("m", &["a"][..], "f=\"$a$\" $a$ `n(a=$a$)`"),
        ("m", &["a", "b"][..], "$a$$b$ `x_filter`"),
        ("n", &["a"][..], "n=$a$ \"`m`\""),
        ("r", &[][..], "`r2`"),
        ("r2", &[][..], "`r`"),
        ("deep", &[][..], "`deep1` `deep1`"),
        ("deep1", &[][..], "`deep2` `deep2`"),
        ("deep2", &[][..], "é `m`"),
        ("unbal", &[][..], "\"open `m`"),
        ("ev", &["a"][..], "\"v=\" . \"$a$\""),
    ] {
        s.insert(MacroDef::new(n, a, d));
    }
    let mut ev = MacroDef::new("ev", &["a"], "\"v=\" . \"$a$\"");
    ev.iseval = true;
    s.insert(ev);
    s
}

fn corpus_searches() -> Vec<String> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/detections.jsonl");
    let text = std::fs::read_to_string(p).expect("corpus");
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["search"].as_str().map(str::to_string))
        .collect()
}

fn char_boundary_near(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn mutate(rng: &mut Rng, s: &str) -> String {
    let mut out = s.to_string();
    for _ in 0..1 + rng.below(4) {
        let at = char_boundary_near(&out, rng.below(out.len() + 1));
        match rng.below(3) {
            0 => out.insert_str(at, rng.pick(TOKENS)),
            1 => {
                let end = char_boundary_near(&out, at + rng.below(12));
                out.replace_range(at..end.max(at), "");
            }
            _ => {
                let end = char_boundary_near(&out, at + rng.below(30));
                let piece = out[at..end.max(at)].to_string();
                out.insert_str(at, &piece);
            }
        }
    }
    out
}

fn check(q: &str, set: &MacroSet, rng: &mut Rng) {
    match expand(q, set) {
        Ok(e) => {
            let t = &e.text;
            for _ in 0..8 {
                let a = char_boundary_near(t, rng.below(t.len() + 1));
                let b = char_boundary_near(t, a + rng.below(40));
                let loc = e.locate(Span::new(a, b.max(a)));
                let src = e.source_map.source_text(loc.source).expect("source exists");
                assert!(
                    src.get(loc.span_in_origin.range()).is_some(),
                    "{q:?}: {loc:?} not a valid range of its source"
                );
                let qs = loc.query_span();
                assert!(q.get(qs.range()).is_some(), "{q:?}: query span {qs:?}");
                for c in &loc.call_sites {
                    let s = e.source_map.source_text(c.source).expect("call source");
                    assert!(s.get(c.span.range()).is_some(), "{q:?}: call site {c:?}");
                }
            }
            for w in &e.warnings {
                assert!(q.get(w.span.range()).is_some(), "{q:?}: warning {w:?}");
            }
        }
        Err(err) => {
            assert!(err.code().is_some(), "{err:?} has no code");
            let msg = err.to_string();
            assert!(!msg.is_empty());
            for l in err.labels().into_iter().flatten() {
                let r = l.offset()..l.offset() + l.len();
                assert!(
                    q.get(r.clone()).is_some(),
                    "{q:?}: error label {r:?} for {err}"
                );
            }
        }
    }
}

#[test]
fn macros_fuzz_random_token_soup() {
    let set = macros();
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    for _ in 0..4000 {
        let n = rng.below(30);
        let q: String = (0..n).map(|_| rng.pick(TOKENS)).collect();
        check(&q, &set, &mut rng);
    }
}

#[test]
fn macros_fuzz_mutated_corpus_searches() {
    let set = macros();
    let searches = corpus_searches();
    assert!(!searches.is_empty());
    let mut rng = Rng(0x0dd_ba11_cafe_f00d);
    for _ in 0..3000 {
        let s = &searches[rng.below(searches.len())];
        let q = mutate(&mut rng, s);
        check(&q, &set, &mut rng);
    }
}

#[test]
fn macros_fuzz_random_bytes_as_text() {
    let set = macros();
    let mut rng = Rng(42);
    for _ in 0..2000 {
        let n = rng.below(64);
        let bytes: Vec<u8> = (0..n)
            .map(|_| {
                // Bias towards the bytes the scanner cares about.
                let r = rng.below(10);
                match r {
                    0 => b'`',
                    1 => b'"',
                    2 => b'\\',
                    3 => b'$',
                    _ => (rng.next() & 0x7f) as u8,
                }
            })
            .collect();
        let q = String::from_utf8_lossy(&bytes).into_owned();
        check(&q, &set, &mut rng);
    }
}
