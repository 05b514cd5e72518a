//! Resource limits from the command line (issue 15): `--limit name=value`
//! moves a limit, a bad setting is a clear error, and exceeding a limit is a
//! coded error or warning naming it, never a crash or silent truncation.

mod common;
use common::spl;

const NOW: &str = "--now=1700000000";

#[test]
fn a_huge_makeresults_count_names_the_limit() {
    let (code, _, err) = spl(&["run", NOW, "| makeresults count=1000000000000"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("spl::run::limit"), "{err}");
    assert!(err.contains("makeresults_max_count"), "{err}");
}

#[test]
fn limit_raises_and_lowers_a_limit() {
    let (code, out, err) = spl(&[
        "run",
        NOW,
        "--limit",
        "makeresults_max_count=5",
        "--limit=join_subsearch_maxout=1",
        "--format=csv",
        "| makeresults count=5 | streamstats count as k | join type=left k [| makeresults count=3 | streamstats count as k | eval v=k] | stats count(v) as v",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("v\n1\n"), "{out}");
    assert!(
        err.contains("warning[spl::run::limit_exceeded]: join: Subsearch produced 3 results, truncating to maxout 1"),
        "{err}"
    );
    let (code, _, err) = spl(&[
        "run",
        NOW,
        "--limit",
        "makeresults_max_count=5",
        "| makeresults count=6",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("makeresults_max_count"), "{err}");
}

#[test]
fn bad_limit_settings_are_errors() {
    for (setting, want) in [
        ("nope=1", "unknown limit `nope`"),
        (
            "subsearch_maxout=ten",
            "expected a positive integer, found `ten`",
        ),
        (
            "subsearch_maxout=0",
            "expected a positive integer, found `0`",
        ),
        ("subsearch_maxout", "expected `name=value`"),
    ] {
        let (code, _, err) = spl(&["run", NOW, "--limit", setting, "| makeresults"]);
        assert_eq!(code, 2, "{setting}: {err}");
        assert!(err.contains(want), "{setting}: {err}");
    }
}

#[test]
fn mvrange_then_mvexpand_of_a_million_values_is_linear() {
    let (code, out, err) = spl(&[
        "run",
        NOW,
        "--format=csv",
        "| makeresults | eval x=mvrange(0,1000000) | mvexpand x | stats count",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("count\n1000000\n"), "{out}");
}

/// The three "internal errors instead of answers" of issue 15.
#[test]
fn multivalue_fields_where_one_value_was_expected_give_answers() {
    let (code, out, err) = spl(&[
        "run",
        NOW,
        "--format=csv",
        "| makeresults | eval mv=split(\"a,b\",\",\") | foreach mv [eval <<FIELD>>=1] | table mv",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "mv\n1\n");
    // Only some results have the field: the others keep theirs.
    let (code, out, err) = spl(&[
        "run",
        NOW,
        "--format=csv",
        "| makeresults count=2 | streamstats count as n | eval mv=if(n=1, split(\"a,b\",\",\"), null()) | foreach mv [eval <<FIELD>>=1] | table n mv",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "n,mv\n1,1\n2,\n");
    let (code, out, err) = spl(&[
        "run",
        NOW,
        "--format=csv",
        "| makeresults | eval _time=mvappend(3600,7200) | timechart span=1h count",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(",1\n"), "{out}");
    assert!(!err.contains("internal"), "{err}");
    let (code, _, err) = spl(&[
        "run",
        NOW,
        "| makeresults | eval x=1 | makemv tokenizer=\"(.)\" _time | transaction x",
    ]);
    assert_eq!(code, 0, "{err}");
}
