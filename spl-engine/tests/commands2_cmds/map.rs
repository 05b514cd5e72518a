use crate::support::*;
use spl_engine::session::Engine;
use spl_engine::source::SourceMeta;

fn logons() -> Engine {
    let mut macros = spl_parser::macros::MacroSet::new();
    macros.insert(spl_parser::macros::MacroDef::new("sec", &[], "index=main"));
    Engine::builder(1_000.0)
        .add_events(
            SourceMeta::new("main", "s", "st"),
            vec![events(
                &[3.0, 2.0, 1.0],
                vec![
                    col("TargetLogonId", &[Some("0x1"), Some("0x2"), Some("0x1")]),
                    col("EventCode", &[Some("4624"), Some("4624"), Some("4688")]),
                ],
            )],
        )
        .macros(&macros)
        .build()
}

#[test]
fn map_runs_one_search_per_result_with_macros_in_the_string() {
    let out = run(
        &logons(),
        "| makeresults | eval id=\"0x1\" | map search=\"search `sec` EventCode=4624 TargetLogonId=$id$\" | table TargetLogonId EventCode",
    );
    assert_eq!(out, "TargetLogonId | EventCode\n0x1           | 4624\n");
}

#[test]
fn map_in_appendpipe_and_maxsearches() {
    let out = run(
        &logons(),
        "| makeresults count=3 | streamstats count as n | eval id=\"0x\".n | table id \
         | appendpipe [ | map maxsearches=2 search=\"search index=main TargetLogonId=$id$\" ] | table id TargetLogonId",
    );
    assert_eq!(
        out,
        "id   | TargetLogonId\n0x1  | NULL\n0x2  | NULL\n0x3  | NULL\nNULL | 0x1\nNULL | 0x1\nNULL | 0x2\n"
    );
}

#[test]
fn map_subsearch_form_and_missing_token_field() {
    let out = run(
        &logons(),
        "| makeresults count=2 | streamstats count as n | eval code=if(n=1, \"4688\", null()) | map [ search index=main EventCode=$code$ ] | table EventCode",
    );
    assert_eq!(out, "EventCode\n4688\n");
}

#[test]
fn map_errors_point_at_the_search() {
    let (msg, at) = err_at("| makeresults | eval x=1 | map search=\"| eval y=(\"");
    assert!(msg.contains("after substitution"), "{msg}");
    assert_eq!(at, "\"| eval y=(\"");
    let (_, at) = err_at("| makeresults | map search=\"| makeresults\" maxsearches=z");
    assert_eq!(at, "z");
}

#[test]
fn spec_examples_run() {
    let e = empty();
    for ex in spl_engine::commands::map::SPEC.examples {
        let r = e
            .run(ex.spl)
            .unwrap_or_else(|err| panic!("{}: {err}", ex.spl));
        assert_eq!(r.num_rows(), 2);
    }
}
