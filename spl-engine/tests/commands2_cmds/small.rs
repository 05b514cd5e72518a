use crate::support::*;

#[test]
fn appendpipe_appends_subpipeline_results() {
    let out = run0(
        "| makeresults count=3 | streamstats count as n | table n \
         | appendpipe [ stats sum(n) as n | eval total=\"yes\" ]",
    );
    assert_eq!(out, "n | total\n1 | NULL\n2 | NULL\n3 | NULL\n6 | yes\n");
}

#[test]
fn appendpipe_on_no_results_still_runs() {
    let out = run0("| makeresults | where 1=2 | appendpipe [ stats count ]");
    assert_eq!(out, "count\n0\n");
}

#[test]
fn appendpipe_errors_are_planned_up_front() {
    let (_, at) = err_at("| makeresults | appendpipe [ rex \"(\" ]");
    assert_eq!(at, "\"", "PCRE reached the end of `(`: the closing quote");
    let (_, at) = err_at("| makeresults | appendpipe run_in_preview=maybe [ stats count ]");
    assert_eq!(at, "maybe");
}

#[test]
fn replace_whole_values_with_wildcards() {
    let e = engine(vec![events(
        &[3.0, 2.0, 1.0],
        vec![
            col("src", &[Some("::ffff:10.0.0.1"), Some("10.0.0.2"), None]),
            col("op", &[Some("%%14674"), Some("%%14675"), Some("x %%14674")]),
        ],
    )]);
    let out = run(
        &e,
        "index=main | replace \"::ffff:*\" with * in src \
         | replace \"%%14674\" with \"Value Added\", \"%%14675\" with \"Value Deleted\" in op | table src op",
    );
    assert_eq!(
        out,
        "src      | op\n10.0.0.1 | Value Added\n10.0.0.2 | Value Deleted\nNULL     | x %%14674\n"
    );
}

#[test]
fn replace_without_in_touches_all_visible_fields_and_multivalue() {
    let e = engine(vec![events(
        &[1.0],
        vec![
            col("a", &[Some("x")]),
            col("b", &[Some("x|y")]),
            col("_c", &[Some("x")]),
        ],
    )]);
    let out = run(&e, "index=main | replace x WITH z | table a b _c");
    assert_eq!(out, "a | b\nz | [z, y]\n");
    let out = run(
        &e,
        "index=main | replace x WITH z IN _c | eval c=_c | table c",
    );
    assert_eq!(out, "c\nz\n");
}

#[test]
fn replace_first_pair_wins_and_numbers_compare_as_text() {
    let out = run0("| makeresults | eval n=5, s=\"ab\" | replace 5 WITH five, a* WITH A*, ab WITH never | table n s");
    assert_eq!(out, "n    | s\nfive | Ab\n");
    let (_, at) = err_at("| makeresults | replace a WITH *b in x");
    assert_eq!(at, "*b");
}

#[test]
fn addtotals_row_sums_listed_fields() {
    let out = run0(
        "| makeresults | eval a=1, b=\"2\", c=\"x\", d=4 | addtotals fieldname=Score a, b, c | table a b c d Score",
    );
    assert_eq!(out, "a | b | c | d | Score\n1 | 2 | x | 4 | 3\n");
}

#[test]
fn addtotals_default_all_numeric_fields_and_col() {
    let e = engine(vec![events(
        &[2.0, 1.0],
        vec![
            col("x", &[Some("1"), Some("2.5")]),
            col("name", &[Some("a"), Some("b")]),
        ],
    )]);
    let out = run(
        &e,
        "index=main | addtotals col=true labelfield=name label=ALL | table name x Total",
    );
    assert_eq!(
        out,
        "name | x   | Total\na    | 1   | 1\nb    | 2.5 | 2.5\nALL  | 3.5 | 3.5\n"
    );
    let out = run(
        &e,
        "index=main | addtotals row=f col=t | table name x Total",
    );
    assert_eq!(
        out,
        "name | x   | Total\na    | 1   | NULL\nb    | 2.5 | NULL\nNULL | 3.5 | NULL\n"
    );
}

#[test]
fn addtotals_wildcards_and_no_numbers() {
    let out = run0("| makeresults | eval in_a=1, in_b=2, out=10, s=\"q\" | addtotals in_* | addtotals fieldname=T2 s | table Total T2");
    assert_eq!(out, "Total | T2\n3     | NULL\n");
    let (_, at) = err_at("| makeresults | addtotals rows=t");
    assert_eq!(at, "rows");
}

#[test]
fn spec_examples_run() {
    let e = empty();
    for spec in [
        &spl_engine::commands::appendpipe::SPEC,
        &spl_engine::commands::replace::SPEC,
        &spl_engine::commands::addtotals::SPEC,
    ] {
        for ex in spec.examples {
            e.run(ex.spl)
                .unwrap_or_else(|err| panic!("{}: {err}", ex.spl));
        }
    }
}
