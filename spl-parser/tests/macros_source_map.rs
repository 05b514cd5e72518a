//! The macro source map: where each byte of expanded text came from.

use spl_parser::macros::{expand, MacroDef, MacroSet, Origin, SourceId};
use spl_parser::Span;

fn set(defs: &[(&str, &[&str], &str)]) -> MacroSet {
    let mut s = MacroSet::new();
    for (n, a, d) in defs {
        s.insert(MacroDef::new(n, a, d));
    }
    s
}

fn span_text(q: &str, s: Span) -> &str {
    &q[s.range()]
}

#[test]
fn macros_source_map_identity_for_plain_text() {
    let q = "index=x | stats count";
    let e = expand(q, &MacroSet::new()).unwrap();
    assert_eq!(e.text, q);
    let at = q.find("stats").unwrap();
    let loc = e.locate(Span::new(at, at + 5));
    assert_eq!(loc.origin, Origin::Query);
    assert_eq!(span_text(q, loc.span_in_origin), "stats");
    assert!(loc.call_sites.is_empty());
    assert_eq!(e.source_map.expansion_count(), 0);
}

#[test]
fn macros_source_map_through_two_levels() {
    let s = set(&[
        ("outer", &["f"], "eval a=1 | `inner($f$)` | head 5"),
        ("inner", &["g"], "stats count BY $g$"),
    ]);
    let q = "index=main | `outer(user)` | table user";
    let e = expand(q, &s).unwrap();
    assert_eq!(
        e.text,
        "index=main | eval a=1 | stats count BY user | head 5 | table user"
    );

    // `count` comes from inner's body; two call sites lead back to the query.
    let at = e.text.find("count").unwrap();
    let loc = e.locate(Span::new(at, at + 5));
    let inner_body = e.source_map.source_text(loc.source).unwrap();
    assert_eq!(inner_body, "stats count BY $g$");
    assert_eq!(&inner_body[loc.span_in_origin.range()], "count");
    match &loc.origin {
        Origin::Macro {
            name,
            arity,
            defined_in,
        } => {
            assert_eq!(
                (name.as_str(), *arity, defined_in.as_str()),
                ("inner", 1, "inline")
            );
        }
        o => panic!("unexpected {o:?}"),
    }
    assert_eq!(loc.call_sites.len(), 2);
    let c0 = &loc.call_sites[0];
    let outer_body = e.source_map.source_text(c0.source).unwrap();
    assert_eq!(c0.name, "inner");
    assert_eq!(&outer_body[c0.span.range()], "`inner($f$)`");
    let c1 = &loc.call_sites[1];
    assert_eq!(c1.source, SourceId::QUERY);
    assert_eq!(span_text(q, c1.span), "`outer(user)`");
    assert_eq!(loc.query_span(), c1.span);

    // `user` after BY came from the argument written in the query.
    let at = e.text.find("BY user").unwrap() + 3;
    let loc = e.locate(Span::new(at, at + 4));
    assert_eq!(loc.origin, Origin::Query);
    assert_eq!(span_text(q, loc.span_in_origin), "user");
    assert_eq!(loc.span_in_origin.start as usize, q.find("user").unwrap());

    // `head` comes from outer's body (one level).
    let at = e.text.find("head").unwrap();
    let loc = e.locate(Span::new(at, at + 4));
    assert_eq!(loc.call_sites.len(), 1);
    assert_eq!(
        &e.source_map.source_text(loc.source).unwrap()[loc.span_in_origin.range()],
        "head"
    );

    // Query text after the call maps to its original offsets.
    let at = e.text.find("table").unwrap();
    let loc = e.locate(Span::new(at, at + 5));
    assert_eq!(loc.origin, Origin::Query);
    assert_eq!(loc.span_in_origin.start as usize, q.find("table").unwrap());
}

#[test]
fn macros_source_map_spans_crossing_expansions_widen_to_call() {
    let s = set(&[("m", &[], "stats count")]);
    let q = "index=x | `m` | head 1";
    let e = expand(q, &s).unwrap();
    assert_eq!(e.text, "index=x | stats count | head 1");
    // From `index` into the macro body: widened to the whole call in the query.
    let loc = e.locate(Span::new(0, 15));
    assert_eq!(loc.origin, Origin::Query);
    assert_eq!(span_text(q, loc.span_in_origin), "index=x | `m`");
    // From inside the body to the query text after it.
    let at = e.text.find("count").unwrap();
    let loc = e.locate(Span::new(at, e.text.len()));
    assert_eq!(span_text(q, loc.span_in_origin), "`m` | head 1");
    // An empty span at the end of the text maps to the end of the query.
    let loc = e.locate(Span::new(e.text.len(), e.text.len()));
    assert_eq!(loc.span_in_origin, Span::new(q.len(), q.len()));
}

#[test]
fn macros_source_map_comment_space_maps_to_comment() {
    let q = "a ```note``` b";
    let e = expand(q, &MacroSet::new()).unwrap();
    assert_eq!(e.text, "a   b");
    let loc = e.locate(Span::new(2, 3));
    assert_eq!(span_text(q, loc.span_in_origin), "```note```");
    let at = e.text.find('b').unwrap();
    assert_eq!(
        e.locate(Span::new(at, at + 1)).span_in_origin.start as usize,
        q.find('b').unwrap()
    );
}

#[test]
fn macros_repeated_calls_share_one_source() {
    let s = set(&[("m", &["x"], "f=$x$")]);
    let e = expand("`m(1)` `m(2)` `m(3)`", &s).unwrap();
    assert_eq!(e.text, "f=1 f=2 f=3");
    assert_eq!(e.source_map.expansion_count(), 3);
    assert_eq!(e.source_map.source_count(), 2);
    // Each expansion's call site is its own.
    let at = e.text.rfind("f=").unwrap();
    let loc = e.locate(Span::new(at, at + 2));
    assert_eq!(loc.call_sites[0].span, Span::new(14, 20));
}

#[test]
fn macros_non_ascii_text_is_preserved() {
    let s = set(&[("m", &["x"], "é=$x$ ✓")]);
    let q = "naïve `m(ü)` ```ß``` end";
    let e = expand(q, &s).unwrap();
    assert_eq!(e.text, "naïve é=ü ✓   end");
    let at = e.text.find('ü').unwrap();
    let loc = e.locate(Span::new(at, at + 'ü'.len_utf8()));
    assert_eq!(span_text(q, loc.span_in_origin), "ü");
}

#[test]
fn macros_source_map_three_levels_and_partial_crossing() {
    let s = set(&[
        ("a", &["x"], "A1 `b($x$)` A2"),
        ("b", &["y"], "B1 `c($y$)` B2"),
        ("c", &["z"], "C1 $z$ C2"),
    ]);
    let q = "Q `a(v)` Q";
    let e = expand(q, &s).unwrap();
    assert_eq!(e.text, "Q A1 B1 C1 v C2 B2 A2 Q");

    // C1: three call sites back to the query, innermost first.
    let at = e.text.find("C1").unwrap();
    let loc = e.locate(Span::new(at, at + 2));
    let names: Vec<&str> = loc.call_sites.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["c", "b", "a"]);
    let texts: Vec<&str> = loc
        .call_sites
        .iter()
        .map(|c| &e.source_map.source_text(c.source).unwrap()[c.span.range()])
        .collect();
    assert_eq!(texts, ["`c($y$)`", "`b($x$)`", "`a(v)`"]);

    // `v` came through three substitutions from the query.
    let at = e.text.find(" v ").unwrap() + 1;
    let loc = e.locate(Span::new(at, at + 1));
    assert_eq!(loc.source, SourceId::QUERY);
    assert_eq!(loc.span_in_origin, Span::new(5, 6));

    // From C2 (in c) to B2 (in b): widened within b's body to the call of c.
    let from = e.text.find("C2").unwrap();
    let to = e.text.find("B2").unwrap() + 2;
    let loc = e.locate(Span::new(from, to));
    let body = e.source_map.source_text(loc.source).unwrap();
    assert_eq!(body, "B1 `c($y$)` B2");
    assert_eq!(&body[loc.span_in_origin.range()], "`c($y$)` B2");
    assert_eq!(loc.call_sites.len(), 2);

    // From A1 (in a) to C1 (in c): widened within a's body.
    let from = e.text.find("A1").unwrap();
    let to = e.text.find("C1").unwrap() + 2;
    let loc = e.locate(Span::new(from, to));
    let body = e.source_map.source_text(loc.source).unwrap();
    assert_eq!(&body[loc.span_in_origin.range()], "A1 `b($x$)`");
}
