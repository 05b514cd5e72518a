use crate::support::*;

fn users() -> spl_engine::session::Engine {
    engine(vec![events(
        &[3.0, 2.0, 1.0],
        vec![
            col("user", &[Some("alice"), Some("bob"), Some("say \"hi\"")]),
            col("src", &[Some("10.0.0.1"), None, Some("10.0.0.3")]),
            col("grp", &[Some("a|b"), Some("c"), None]),
        ],
    )])
}

#[test]
fn return_fields_aliases_and_values() {
    let e = users();
    assert_eq!(
        run(&e, "index=main | return user"),
        "search\nuser=\"alice\"\n"
    );
    assert_eq!(
        run(&e, "index=main | return 3 u=user src"),
        r#"search
(u="alice" src="10.0.0.1") OR (u="bob") OR (u="say \"hi\"" src="10.0.0.3")
"#
    );
}

#[test]
fn return_used_by_a_subsearch() {
    let e = users();
    let out = run(
        &e,
        "index=main [ search index=main user=bob | return user ] | table user",
    );
    assert_eq!(out, "user\nbob\n");
    let out = run(
        &e,
        "index=main [ search index=main src=* | return 5 src ] | table user",
    );
    assert_eq!(out, "user\nalice\nsay \"hi\"\n");
    // `$field` returns the bare value: a raw search term
    let out = run(&e, "index=main user=alice | return $src");
    assert_eq!(out, "search\n10.0.0.1\n");
}

#[test]
fn format_default_and_custom() {
    let e = users();
    let out = run(&e, "index=main | head 2 | table user grp | format");
    assert_eq!(
        out,
        r#"search
( ( ( grp="a" OR grp="b" ) AND user="alice" ) OR ( grp="c" AND user="bob" ) )
"#
    );
    let out = run(&e, "index=main | head 1 | table user src | format mvsep=\"||\" \"[\" \"[\" \"&&\" \"]\" \"||\" \"]\"");
    // (the renderer quotes a value that starts with `[`)
    assert_eq!(
        out,
        r#"search
"[ [ src=\"10.0.0.1\" && user=\"alice\" ] ]"
"#
    );
    let out = run(&e, "index=main | where 1=2 | format");
    assert_eq!(out, "search\nNOT( )\n");
    let out = run(&e, "index=main | table user | format maxresults=1");
    assert_eq!(out, "search\n( ( user=\"alice\" ) )\n");
}

#[test]
fn format_used_by_a_subsearch() {
    let e = users();
    let out = run(
        &e,
        "index=main [ search index=main grp=c | fields user | format ] | table user",
    );
    assert_eq!(out, "user\nbob\n");
}

#[test]
fn format_errors() {
    let (_, at) = err_at("| makeresults | format \"(\" \"(\"");
    assert_eq!(at, "\"(\"");
    let (_, at) = err_at("| makeresults | format maxresults=x");
    assert_eq!(at, "x");
}

#[test]
fn multisearch_merges_newest_first() {
    let e = users();
    let out = run(
        &e,
        "| multisearch [ search index=main user=alice ] [ search index=main user=bob ] [ | makeresults | eval user=\"gen\" ] | table user",
    );
    // makeresults' _time is now (1000), newer than the events
    assert_eq!(out, "user\ngen\nalice\nbob\n");
    let (msg, _) = err_at("| multisearch [ | makeresults ]");
    assert!(msg.contains("at least two"), "{msg}");
}

#[test]
fn spec_examples_run() {
    let e = empty();
    for spec in [
        &spl_engine::commands::return_::SPEC,
        &spl_engine::commands::format::SPEC,
        &spl_engine::commands::multisearch::SPEC,
    ] {
        for ex in spec.examples {
            e.run(ex.spl)
                .unwrap_or_else(|err| panic!("{}: {err}", ex.spl));
        }
    }
}
