use crate::support::*;

fn raw_events() -> spl_engine::session::Engine {
    engine(vec![events(
        &[3.0, 2.0, 1.0],
        vec![
            col(
                "_raw",
                &[
                    Some("user=alice src=10.0.0.1 dst=10.0.0.9"),
                    Some("no match here"),
                    Some("user=bob src=10.0.0.2"),
                ],
            ),
            col("user", &[Some("old1"), Some("old2"), None]),
        ],
    )])
}

#[test]
fn named_groups_from_raw_keep_old_values_on_no_match() {
    let out = run(
        &raw_events(),
        "index=main | rex \"user=(?<user>\\w+) src=(?<src>[\\d.]+)\" | table user src",
    );
    assert_eq!(
        out,
        "user  | src\nalice | 10.0.0.1\nold2  | NULL\nbob   | 10.0.0.2\n"
    );
}

#[test]
fn optional_group_that_does_not_take_part_leaves_field() {
    let out = run(
        &raw_events(),
        "index=main | rex \"src=(?<src>[\\d.]+)( dst=(?<dst>[\\d.]+))?\" | table src dst",
    );
    assert_eq!(
        out,
        "src      | dst\n10.0.0.1 | 10.0.0.9\nNULL     | NULL\n10.0.0.2 | NULL\n"
    );
}

#[test]
fn field_option_and_missing_field() {
    let out = run0(
        "| makeresults | eval email=\"alice@example.com\" \
         | rex field=email \"(?<u>[^@]+)@(?<d>.+)\" | rex field=nosuch \"(?<z>.)\" | table u d z",
    );
    assert_eq!(out, "u     | d           | z\nalice | example.com | NULL\n");
}

#[test]
fn max_match_collects_multivalue() {
    let out = run0(
        "| makeresults | eval s=\"a=1 b=2 c=3\" \
         | rex field=s max_match=0 \"(?<k>\\w)=(?<v>\\d)\" | rex field=s max_match=2 \"=(?<two>\\d)\" \
         | rex field=s max_match=5 \"c=(?<one>\\d)\" | table k v two one",
    );
    assert_eq!(
        out,
        "k         | v         | two    | one\n[a, b, c] | [1, 2, 3] | [1, 2] | 3\n"
    );
}

#[test]
fn multivalue_input_matches_values_in_order() {
    let e = engine(vec![events(&[1.0], vec![col("m", &[Some("x|id=7|id=8")])])]);
    let out = run(&e, "index=main | rex field=m \"id=(?<id>\\d)\" | table id");
    assert_eq!(out, "id\n7\n");
}

#[test]
fn offset_field_gives_inclusive_character_offsets() {
    let out = run0(
        "| makeresults | eval s=\"héllo world\" | rex field=s offset_field=off \"(?<w>wor)\" | table w off",
    );
    assert_eq!(out, "w   | off\nwor | 6-8\n");
}

#[test]
fn sed_mode_rewrites_the_field() {
    let out = run0(
        "| makeresults | eval s=\"user=alice;user=bob\" \
         | rex field=s mode=sed \"s/user=(\\w+)/name=\\1/g\" | table s",
    );
    assert_eq!(out, "s\nname=alice;name=bob\n");
    let out =
        run0("| makeresults | eval s=\"abc\" | rex field=s mode=sed \"y/abc/xyz/\" | table s");
    assert_eq!(out, "s\nxyz\n");
}

#[test]
fn sed_mode_on_raw_and_multivalue() {
    let out = run(
        &raw_events(),
        "index=main | rex mode=sed \"s/\\d+/N/g\" | table _raw",
    );
    assert_eq!(
        out,
        "_raw\nuser=alice src=N.N.N.N dst=N.N.N.N\nno match here\nuser=bob src=N.N.N.N\n"
    );
    let e = engine(vec![events(&[1.0], vec![col("m", &[Some("a1|b2")])])]);
    let out = run(
        &e,
        "index=main | rex field=m mode=sed \"s/\\d//\" | table m",
    );
    assert_eq!(out, "m\n[a, b]\n");
}

#[test]
fn numeric_field_is_matched_as_text() {
    let out = run0("| makeresults | eval n=12345 | rex field=n \"^(?<head>\\d{2})\" | table head");
    assert_eq!(out, "head\n12\n");
}

#[test]
fn pcre_literal_brace_is_adapted() {
    let out = run0(
        "| makeresults | eval s=\"${jndi:ldap}\" | rex field=s \"(?<p>\\$({|%7b)jndi)\" | table p",
    );
    assert_eq!(out, "p\n${jndi\n");
}

#[test]
fn errors_are_positioned() {
    // the caret is on the character PCRE stopped at
    let (msg, at) = err_at("| makeresults | rex \"(?<x>a)) b\"");
    assert!(msg.contains("invalid regular expression"), "{msg}");
    assert_eq!(at, ")");
    let (msg, _) = err_at("| makeresults | rex \"(a)\"");
    assert!(msg.contains("named group"), "{msg}");
    let (msg, at) = err_at("| makeresults | rex max_match=x \"(?<a>.)\"");
    assert!(msg.contains("whole number >= 0"), "{msg}");
    assert_eq!(at, "x");
    let (msg, at) = err_at("| makeresults | rex mode=foo \"s/a/b/\"");
    assert!(msg.contains("one of sed"), "{msg}");
    assert_eq!(at, "foo");
    let (msg, _) = err_at("| makeresults | rex mode=sed \"s/a/b\"");
    assert!(msg.contains("sed expression"), "{msg}");
    let (_, at) = err_at("| makeresults | rex bogus=1 \"(?<a>.)\"");
    assert_eq!(at, "bogus");
}

#[test]
fn regex_keeps_and_drops() {
    let e = raw_events();
    let out = run(&e, "index=main | regex \"user=\\w+\" | table _raw");
    assert_eq!(
        out,
        "_raw\nuser=alice src=10.0.0.1 dst=10.0.0.9\nuser=bob src=10.0.0.2\n"
    );
    let out = run(&e, "index=main | regex _raw!=\"user=\" | table _raw");
    assert_eq!(out, "_raw\nno match here\n");
    // a missing field: dropped by `=`, kept by `!=`
    let out = run(&e, "index=main | regex user=\"^old\" | table user");
    assert_eq!(out, "user\nold1\nold2\n");
    let out = run(&e, "index=main | regex user!=\"^old\" | table _raw");
    assert_eq!(out, "_raw\nuser=bob src=10.0.0.2\n");
}

#[test]
fn regex_multivalue_matches_any_value() {
    let e = engine(vec![events(
        &[1.0, 2.0],
        vec![col("m", &[Some("a|b"), Some("c")])],
    )]);
    let out = run(&e, "index=main | regex m=\"^b$\" | table m");
    assert_eq!(out, "m\n[a, b]\n");
}

#[test]
fn regex_bad_pattern_is_positioned() {
    let (msg, at) = err_at("| makeresults | regex x=\"a(\"");
    assert!(msg.contains("invalid regular expression"), "{msg}");
    assert_eq!(at, "\"", "the closing quote: PCRE reached the end");
    // with an escaped quote the pattern is not verbatim: the whole string
    let (_, at) = err_at("| makeresults | regex x=\"\\\"a(\"");
    assert_eq!(at, "\"\\\"a(\"");
}

#[test]
fn spec_examples_run() {
    let e = empty();
    for spec in [
        &spl_engine::commands::rex::SPEC,
        &spl_engine::commands::regex::SPEC,
    ] {
        for ex in spec.examples {
            e.run(ex.spl)
                .unwrap_or_else(|err| panic!("{}: {err}", ex.spl));
        }
    }
}
