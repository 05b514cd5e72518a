use crate::support::*;

fn mv_events() -> spl_engine::session::Engine {
    engine(vec![events(
        &[3.0, 2.0, 1.0],
        vec![
            col("m", &[Some("a|b|c"), None, Some("z")]),
            num("k", &[Some(1.5), Some(2.0), Some(3.0)]),
        ],
    )])
}

#[test]
fn mvexpand_one_row_per_value_and_drops_nulls() {
    let out = run(&mv_events(), "index=main | mvexpand m | table m k");
    assert_eq!(out, "m | k\na | 1.5\nb | 1.5\nc | 1.5\nz | 3\n");
}

#[test]
fn mvexpand_limit() {
    let out = run(&mv_events(), "index=main | mvexpand m limit=2 | table m");
    assert_eq!(out, "m\na\nb\nz\n");
}

#[test]
fn mvexpand_missing_field_removes_all_and_numbers_pass_through() {
    let out = run(&mv_events(), "index=main | mvexpand nosuch | table m");
    assert_eq!(out, "(no results)\n");
    let out = run(&mv_events(), "index=main | mvexpand k | stats sum(k) as s");
    assert_eq!(out, "s\n6.5\n");
}

#[test]
fn mvexpand_errors() {
    let (_, at) = err_at("| makeresults | mvexpand _raw");
    assert_eq!(at, "_raw");
    let (_, at) = err_at("| makeresults | mvexpand x limit=a");
    assert_eq!(at, "a");
    let (_, at) = err_at("| makeresults | mvexpand x max=1");
    assert_eq!(at, "max");
}

#[test]
fn spec_examples_run() {
    let e = empty();
    for ex in spl_engine::commands::mvexpand::SPEC.examples {
        e.run(ex.spl)
            .unwrap_or_else(|err| panic!("{}: {err}", ex.spl));
    }
}

#[test]
fn makemv_delim_default_space_and_allowempty() {
    let out = run0(
        "| makeresults | eval a=\"x y  z\", b=\"1,,2\", c=\"1,,2\" \
         | makemv a | makemv delim=\",\" b | makemv delim=\",\" allowempty=true c | table a b c",
    );
    assert_eq!(
        out,
        "a         | b      | c\n[x, y, z] | [1, 2] | [1, \"\", 2]\n"
    );
}

#[test]
fn makemv_tokenizer_uses_first_group() {
    let out = run0(
        "| makeresults | eval s=\"id=1;id=22;x\", t=\"ab cd\" \
         | makemv tokenizer=\"id=(\\d+)\" s | makemv tokenizer=\"\\w+\" t | table s t",
    );
    assert_eq!(out, "s       | t\n[1, 22] | [ab, cd]\n");
}

#[test]
fn makemv_single_value_stays_single_and_missing_field() {
    let out = run0(
        "| makeresults | eval a=\"one\" | makemv a | makemv nosuch | eval n=mvcount(a) | table a n",
    );
    assert_eq!(out, "a   | n\none | 1\n");
}

#[test]
fn makemv_errors() {
    let (_, at) = err_at("| makeresults | makemv delim=\",\" tokenizer=\"(a)\" x");
    assert_eq!(at, "tokenizer");
    // PCRE stops at the end of `(a`: the caret is on the closing quote
    let (_, at) = err_at("| makeresults | makemv tokenizer=\"(a\" x");
    assert_eq!(at, "\"");
    let (_, at) = err_at("| makeresults | makemv setsv=true x");
    assert_eq!(at, "setsv=true");
}

#[test]
fn mvcombine_merges_identical_results() {
    let e = engine(vec![events(
        &[4.0, 3.0, 2.0, 1.0],
        vec![
            col("host", &[Some("a"), Some("b"), Some("a"), Some("a")]),
            col("port", &[Some("80"), Some("22"), Some("443"), None]),
        ],
    )]);
    let out = run(&e, "index=main | mvcombine port | table host port");
    assert_eq!(out, "host | port\na    | [80, 443]\nb    | 22\n");
    // every result differs in `port`, so combining on `host` merges nothing
    let out = run(
        &e,
        "index=main | table host port | mvcombine delim=\",\" host",
    );
    assert_eq!(
        out,
        "host | port\na    | 80\nb    | 22\na    | 443\na    | NULL\n"
    );
}

#[test]
fn mvcombine_and_makemv_spec_examples_run() {
    let e = empty();
    for spec in [
        &spl_engine::commands::makemv::SPEC,
        &spl_engine::commands::mvcombine::SPEC,
    ] {
        for ex in spec.examples {
            e.run(ex.spl)
                .unwrap_or_else(|err| panic!("{}: {err}", ex.spl));
        }
    }
}
