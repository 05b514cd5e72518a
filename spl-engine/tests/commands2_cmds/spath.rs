use crate::support::*;

fn json_events() -> spl_engine::session::Engine {
    engine(vec![events(
        &[2.0, 1.0],
        vec![
            col(
                "_raw",
                &[
                    Some(
                        r#"{"user":{"name":"alice","groups":["a","b"]},"n":1.50,"ok":true,"x":null,"objs":[{"k":1},{"k":2}]}"#,
                    ),
                    Some("not json"),
                ],
            ),
            col(
                "doc",
                &[
                    Some(
                        r#"{"Statement":[{"Action":"kms:*","Effect":"Allow"},{"Action":["s3:Get","s3:Put"]}]}"#,
                    ),
                    Some(r#"{"Statement":{"Action":"one"}}"#),
                ],
            ),
            col("n", &[Some("old"), Some("keep")]),
        ],
    )])
}

#[test]
fn auto_extracts_every_path() {
    let out = run(
        &json_events(),
        "index=main | spath | table user.name user.groups{} n ok x objs{}.k",
    );
    assert_eq!(
        out,
        "user.name | user.groups{} | n    | ok   | x    | objs{}.k\n\
         alice     | [a, b]        | 1.50 | true | null | [1, 2]\n\
         NULL      | NULL          | keep | NULL | NULL | NULL\n"
    );
}

#[test]
fn path_with_output_and_arrays() {
    let out = run(
        &json_events(),
        "index=main | spath input=doc output=st path=Statement{} | spath input=doc output=act path=Statement{}.Action \
         | spath input=doc output=first Statement{0}.Effect | table st act first",
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[1].contains(
            r#"[{"Action":"kms:*","Effect":"Allow"}, "{\"Action\":[\"s3:Get\",\"s3:Put\"]}"]"#
        ),
        "{out}"
    );
    assert!(lines[1].ends_with("| Allow"), "{out}");
    assert!(lines[2].starts_with(r#"{"Action":"one"} "#), "{out}");
    assert!(lines[2].contains("| one "), "{out}");
}

#[test]
fn default_output_is_the_path_and_missing_path_keeps_field() {
    let out = run(
        &json_events(),
        "index=main | spath path=user.name | spath output=n path=nosuch | table user.name n",
    );
    assert_eq!(out, "user.name | n\nalice     | old\nNULL      | keep\n");
}

#[test]
fn chained_spath_over_expanded_statements() {
    let out = run(
        &json_events(),
        "index=main | spath input=doc output=st path=Statement{} | mvexpand st \
         | spath input=st output=a path=Action | table a",
    );
    // a path to an array (without `{}`) gives the array's JSON text
    assert_eq!(out, "a\nkms:*\n\"[\\\"s3:Get\\\",\\\"s3:Put\\\"]\"\none\n");
}

#[test]
fn missing_input_field_is_a_no_op() {
    let out = run0("| makeresults | eval a=1 | spath input=nosuch | spath | table a");
    assert_eq!(out, "a\n1\n");
}

#[test]
fn auto_extraction_stops_at_the_cutoff() {
    let long = "x".repeat(6000);
    let q = format!(
        "| makeresults | eval _raw=\"{{\\\"a\\\":1,\\\"pad\\\":\\\"{long}\\\",\\\"b\\\":2}}\" | spath | table a b"
    );
    assert_eq!(run0(&q), "a | b\n1 | NULL\n");
}

#[test]
fn bad_paths_and_options() {
    let (msg, at) = err_at("| makeresults | spath path=a{x}");
    assert!(msg.contains("expected a path"), "{msg}");
    assert_eq!(at, "a{x}");
    let (_, at) = err_at("| makeresults | spath inptu=_raw");
    assert_eq!(at, "inptu");
}

#[test]
fn spec_examples_run() {
    let e = empty();
    for ex in spl_engine::commands::spath::SPEC.examples {
        e.run(ex.spl)
            .unwrap_or_else(|err| panic!("{}: {err}", ex.spl));
    }
}
