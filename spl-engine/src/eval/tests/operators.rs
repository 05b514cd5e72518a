//! Operators, coercion and null semantics (semantics 3.2-3.6, 4).

use super::{bind_err, ctx, ev, eval_on, parse_expr};
use crate::eval::BoundExpr;
use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, StringArray};
use std::sync::Arc;

/// Rows: a numeric text field `n`, a text field `s`, a number column `x`,
/// and a multivalue `m`; row 2 has everything null.
fn batch() -> RecordBatch {
    let mut m = ListBuilder::new(StringBuilder::new());
    for row in [vec!["AAA", "BBB"], vec!["x"]] {
        for v in row {
            m.values().append_value(v);
        }
        m.append(true);
    }
    m.append(false);
    RecordBatch::try_from_iter(vec![
        (
            "n",
            Arc::new(StringArray::from(vec![Some("10"), Some("1.50"), None])) as ArrayRef,
        ),
        (
            "s",
            Arc::new(StringArray::from(vec![Some("abc"), Some("123"), None])) as ArrayRef,
        ),
        (
            "x",
            Arc::new(Float64Array::from(vec![Some(2.0), Some(0.0), None])) as ArrayRef,
        ),
        ("m", Arc::new(m.finish()) as ArrayRef),
    ])
    .unwrap()
}

fn rows(expr: &str) -> Vec<String> {
    eval_on(&batch(), expr)
}

/// Checks every case and reports all mismatches at once.
fn check(cases: &[(&str, [&str; 3])]) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(expr, want)| {
            let got = rows(expr);
            (got != want.to_vec()).then(|| format!("{expr}: got {got:?}, want {want:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn arithmetic() {
    let cases: &[(&str, [&str; 3])] = &[
        // Field text keeps its decimals: "1.50" + 1 shows 2.50 (12.4).
        ("n + 1", ["11", "2.50", "null"]),
        ("n * x", ["20", "0.00", "null"]),
        ("n / x", ["5", "null", "null"]),
        ("n % 3", ["1", "1.50", "null"]),
        ("3 / 2 + x", ["3.5", "1.5", "null"]),
        ("-x", ["-2", "0", "null"]),
        ("s - 1", ["null", "122", "null"]),
        ("2 * 3 + 4", ["10", "10", "10"]),
        ("2 + 3 * 4", ["14", "14", "14"]),
        ("(2 + 3) * 4", ["20", "20", "20"]),
        // Addition shows the fewest decimals of its operands (12.4).
        ("0.1 + 0.2", ["0.3"; 3]),
        ("exact(0.1) + exact(0.2)", ["0.30000000000000004"; 3]),
        ("8.250 * 0.2", ["2"; 3]),
        ("8.250 * 0.20", ["1.7"; 3]),
        ("8.250 * 0.200", ["1.65"; 3]),
        ("8.250 * exact(0.2)", ["1.650"; 3]),
        ("2 * 0.9", ["2"; 3]),
        ("1100 * 0.9", ["990"; 3]),
        ("2.1 * 1024", ["2150"; 3]),
        ("x * 0.02", ["0.04", "0", "null"]),
        ("round(x * 0.02, 2)", ["0.04", "0", "null"]),
        ("round(x * 100 * 0.02, 2)", ["4", "0", "null"]),
        ("round((x + 0.5) * 0.02, 2)", ["0.05", "0.01", "null"]),
        ("4 / 2", ["2"; 3]),
        // A divisor of -0.0 is zero too: null, not -inf (3.4).
        ("1 / -0.0", ["null"; 3]),
        ("1 % -0.0", ["null"; 3]),
        ("n / -x", ["-5", "null", "null"]),
        ("n % -x", ["0", "null", "null"]),
    ];
    check(cases);
}

#[test]
fn plus_and_concat() {
    let cases: &[(&str, [&str; 3])] = &[
        // Text on either side concatenates, using the field's own text (3.3).
        (r#"n + ":""#, ["10:", "1.50:", "null"]),
        (r#"s + ":" + n"#, ["abc:10", "123:1.50", "null"]),
        // A field that does not look numeric concatenates with a number.
        ("s + x", ["abc2", "123", "null"]),
        (r#""a" + x"#, ["a2", "a0", "null"]),
        ("s . x", ["abc2", "1230", "null"]),
        ("n . 1", ["101", "1.501", "null"]),
        (r#""v=" . round(x / 3, 2)"#, ["v=0.67", "v=0.00", "null"]),
        // Null in concatenation or arithmetic: null (3.5).
        (r#"missing . "x""#, ["null"; 3]),
        (r#"missing + "x""#, ["null"; 3]),
        ("missing + 1", ["null"; 3]),
    ];
    check(cases);
}

#[test]
fn comparisons_two_valued() {
    let cases: &[(&str, [&str; 3])] = &[
        (r#"if(n > 9, "y", "n")"#, ["y", "n", "n"]),
        // Numeric-looking text compares numerically: "10" > "9".
        (r#"if(n > "9", "y", "n")"#, ["n", "n", "n"]),
        (r#"if(n = 10, "y", "n")"#, ["y", "n", "n"]),
        (r#"if(n == 1.5, "y", "n")"#, ["n", "y", "n"]),
        (r#"if(s < "b", "y", "n")"#, ["y", "y", "n"]),
        (r#"if(s = "ABC", "y", "n")"#, ["n", "n", "n"]),
        // Null compares false, and NOT of that is true (3.5).
        (r#"if(missing == missing, "OK", "NG")"#, ["NG"; 3]),
        (r#"if(NOT missing != missing, "OK", "NG")"#, ["OK"; 3]),
        (r#"if(x != 2, "y", "n")"#, ["n", "y", "n"]),
        (r#"if(NOT x = 2, "y", "n")"#, ["n", "y", "y"]),
        // Multivalue: true when any value matches (3.6).
        (r#"if(m = "BBB", "y", "n")"#, ["y", "n", "n"]),
        (r#"if(m != "AAA", "y", "n")"#, ["y", "y", "n"]),
        (r#"if("x" = m, "y", "n")"#, ["n", "y", "n"]),
        (r#"if(x IN (0, 5), "y", "n")"#, ["n", "y", "n"]),
        (r#"if(s LIKE "a%", "y", "n")"#, ["y", "n", "n"]),
        (r#"if(x > 1 AND n > 1, "y", "n")"#, ["y", "n", "n"]),
        (r#"if(x > 1 OR n > 1, "y", "n")"#, ["y", "y", "n"]),
        (r#"if(x > 1 XOR n > 1, "y", "n")"#, ["n", "y", "n"]),
        (r#"if(!isnull(x), "y", "n")"#, ["y", "y", "n"]),
    ];
    check(cases);
}

#[test]
fn predicates() {
    let c = ctx();
    let keep = |expr: &str| -> Vec<bool> {
        let b = BoundExpr::bind_predicate(&parse_expr(expr), &c).unwrap();
        let out = b.eval_predicate(&batch(), &c).unwrap();
        assert_eq!(out.null_count(), 0);
        (0..out.len()).map(|i| out.value(i)).collect()
    };
    assert_eq!(keep(r#"s != """#), [true, true, false]);
    assert_eq!(keep("x > 1"), [true, false, false]);
    assert_eq!(keep("isnull(x)"), [false, false, true]);
    assert_eq!(keep("1 = 1"), [true, true, true]);
    assert_eq!(keep("null()"), [false, false, false]);
    // Bare fields and values are not predicates.
    assert!(BoundExpr::bind_predicate(&parse_expr("x"), &c).is_err());
    assert!(BoundExpr::bind_predicate(&parse_expr("x + 1"), &c).is_err());
    // A top-level boolean is not an eval value (3.1).
    assert!(BoundExpr::bind_value(&parse_expr("x > 1"), &c).is_err());
    assert!(BoundExpr::bind_value(&parse_expr(r#"if(x > 1, "a", "b")"#), &c).is_ok());
    // Boolean literals (issue 11).
    assert_eq!(keep("true"), [true; 3]);
    assert_eq!(keep("false"), [false; 3]);
    assert_eq!(keep("isnull(x) = true"), [false, false, true]);
    assert_eq!(keep("isnull(x) == false"), [true, true, false]);
    assert_eq!(keep("isnull(x) != true"), [true, true, false]);
    assert_eq!(keep("x > 1 = false"), [false, true, true]);
    assert_eq!(keep("NOT true"), [false; 3]);
    assert_eq!(keep("true AND x > 1"), [true, false, false]);
    assert_eq!(keep("false OR x > 1"), [true, false, false]);
    assert_eq!(keep("true XOR true"), [false; 3]);
    assert_eq!(keep("true = true()"), [true; 3]);
    assert_eq!(keep("false = false()"), [true; 3]);
    assert_eq!(keep("true = false"), [false; 3]);
    // A Boolean literal is not an eval value, like any boolean (3.1).
    assert!(BoundExpr::bind_value(&parse_expr("true"), &c).is_err());
    assert!(BoundExpr::bind_value(&parse_expr("false"), &c).is_err());
}

#[test]
fn boolean_literals() {
    let cases: &[(&str, [&str; 3])] = &[
        (r#"if(true, "y", "n")"#, ["y"; 3]),
        (r#"if(false, "y", "n")"#, ["n"; 3]),
        (
            r#"case(x > 1, "big", true, "other")"#,
            ["big", "other", "other"],
        ),
        (
            r#"case(x > 1, "big", false, "never")"#,
            ["big", "null", "null"],
        ),
        ("tostring(true)", ["True"; 3]),
        ("tostring(false)", ["False"; 3]),
        ("typeof(true)", ["Boolean"; 3]),
        (r#"if(isbool(false), "y", "n")"#, ["y"; 3]),
        (r#""is " . true"#, ["is True"; 3]),
        // Field text compares with a Boolean ignoring case (JSON `true`).
        (r#"if("true" = true, "y", "n")"#, ["y"; 3]),
        (r#"if("TRUE" = true, "y", "n")"#, ["y"; 3]),
        (r#"if("True" != false, "y", "n")"#, ["y"; 3]),
        (r#"if("yes" = true, "y", "n")"#, ["n"; 3]),
        (r#"if(1 = true, "y", "n")"#, ["n"; 3]),
        (r#"if(missing = true, "y", "n")"#, ["n"; 3]),
        (r#"if(missing != true, "y", "n")"#, ["n"; 3]),
        // `'true'` is a field (absent here); `true()` is the function.
        (r#"if(isnull('true'), "y", "n")"#, ["y"; 3]),
        (r#"if(true(), "y", "n")"#, ["y"; 3]),
    ];
    check(cases);
}

#[test]
fn bind_errors() {
    assert_eq!(bind_err("nosuchfn(1)"), "spl::eval::unknown_function");
    assert_eq!(bind_err("round(1, 2, 3)"), "spl::eval::wrong_arg_count");
    assert_eq!(bind_err("if(1, 2)"), "spl::eval::wrong_arg_count");
    assert_eq!(
        bind_err(r#"case(x > 1, "a", x)"#),
        "spl::eval::wrong_arg_count"
    );
    assert_eq!(bind_err(r#"match(x, "(")"#), "spl::run::invalid_argument");
    assert_eq!(
        bind_err(r#"replace(x, "[", "")"#),
        "spl::run::invalid_argument"
    );
    assert_eq!(bind_err("round(x, -1)"), "spl::run::invalid_argument");
    assert_eq!(
        bind_err(r#"tostring(x, "weird")"#),
        "spl::run::invalid_argument"
    );
    assert_eq!(
        bind_err(r#"tonumber("seven")"#),
        "spl::run::invalid_argument"
    );
    assert_eq!(bind_err(r#"sum(1, "3")"#), "spl::run::invalid_argument");
    assert_eq!(
        bind_err(r#"cidrmatch("10.0.0/99", x)"#),
        "spl::run::invalid_argument"
    );
    assert_eq!(bind_err(r#"if(x, 1, 2)"#), "spl::run::invalid_argument");
    assert_eq!(bind_err(r#"1 AND x > 2"#), "spl::run::invalid_argument");
    assert_eq!(bind_err(r#"mvfilter(a = b)"#), "spl::run::invalid_argument");
    assert_eq!(bind_err(r#"searchmatch(x)"#), "spl::run::invalid_argument");
    let e = BoundExpr::bind(&parse_expr("tostrin(x)"), &ctx()).unwrap_err();
    assert!(e.to_string().contains("tostrin"));
    match e {
        crate::error::EngineError::UnknownFunction { help, span, .. } => {
            assert_eq!(help.as_deref(), Some("did you mean `tostring`?"));
            assert_eq!((span.start, span.end), (0, 7));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn literals_and_display_precision() {
    assert_eq!(ev("1.50"), "1.50");
    assert_eq!(ev("-2.0"), "-2.0");
    assert_eq!(ev("1e3"), "1000");
    assert_eq!(ev("1.50 * 2"), "3.00");
    assert_eq!(ev("exact(1.50) * 2"), "3");
    assert_eq!(ev("round(10/3, 3)"), "3.333");
    assert_eq!(ev("round(2, 2)"), "2.00");
    assert_eq!(ev("round(16.275, 2)"), "16.27");
    assert_eq!(ev("round(21.275, 2)"), "21.28");
    assert_eq!(ev("round(-4.51)"), "-5");
    assert_eq!(ev("-round(10/4, 1)"), "-2.5");
    assert_eq!(ev(r#"if(1 = 1, round(1/3, 2), round(2/3, 2))"#), "0.33");
    // Different precisions across branches keep each branch's display text.
    assert_eq!(ev(r#"if(1 = 2, round(1/3, 2), 1/3)"#), "0.3333333333333333");
    assert_eq!(ev(r#"coalesce(missing, round(1/8, 4))"#), "0.1250");
}

#[test]
fn referenced_fields() {
    let b = BoundExpr::bind(&parse_expr("if(a > b, 'c.d' . a, coalesce(e, 1))"), &ctx()).unwrap();
    assert_eq!(b.referenced_fields(), ["a", "b", "c.d", "e"]);
    assert!(!b.is_boolean());
}

/// Seed S1: the foreach body after substitution (MATCHSTR = tcp.bytes).
#[test]
fn seed_s1_anomaly_expression() {
    let expr = r#"if( 'tcp.bytes' > ('avg_tcp.bytes' + 3 * 'stdev_tcp.bytes'), anomalies + "tcp.bytes higher than average by " + tostring(round(('tcp.bytes' - 'avg_tcp.bytes')/'stdev_tcp.bytes' ,2)) + " Standard Deviations. tcp.bytes=" + tostring('tcp.bytes') + " avg_tcp.bytes=" + tostring('avg_tcp.bytes') + " 'stdev_tcp.bytes'=" + tostring('stdev_tcp.bytes') + ", " , anomalies)"#;
    let f = |v: Vec<Option<f64>>| Arc::new(Float64Array::from(v)) as ArrayRef;
    let batch = RecordBatch::try_from_iter(vec![
        (
            "tcp.bytes",
            f(vec![Some(100.0), Some(10.5), Some(100.0), None, Some(50.0)]),
        ),
        (
            "avg_tcp.bytes",
            f(vec![
                Some(10.0),
                Some(10.0),
                Some(10.0),
                Some(1.0),
                Some(10.0),
            ]),
        ),
        (
            "stdev_tcp.bytes",
            f(vec![Some(3.0), Some(1.0), Some(0.0), Some(1.0), None]),
        ),
        (
            "anomalies",
            Arc::new(StringArray::from(vec![""; 5])) as ArrayRef,
        ),
    ])
    .unwrap();
    let got = eval_on(&batch, expr);
    assert_eq!(
        got[0],
        "tcp.bytes higher than average by 30.00 Standard Deviations. tcp.bytes=100 avg_tcp.bytes=10 'stdev_tcp.bytes'=3, "
    );
    assert_eq!(got[1], "");
    // stdev 0: division by zero is null, tostring(null) is null, so the whole
    // accumulator becomes null (semantics 13.1).
    assert_eq!(got[2], "null");
    assert_eq!(got[3], "");
    assert_eq!(got[4], "");
    // With the compatibility switch, tostring(null) is "" instead.
    let mut c = ctx();
    c.compat.tostring_null_is_null = false;
    let out = BoundExpr::bind(&parse_expr(expr), &c)
        .unwrap()
        .eval_field(&batch, &c)
        .unwrap();
    let s = out.array.as_any().downcast_ref::<StringArray>().unwrap();
    assert_eq!(
        s.value(2),
        "tcp.bytes higher than average by  Standard Deviations. tcp.bytes=100 avg_tcp.bytes=10 'stdev_tcp.bytes'=0, "
    );
}

/// Seed S1's cleanup and S2's service name.
#[test]
fn seed_replace_and_split() {
    let batch = RecordBatch::try_from_iter(vec![
        (
            "anomalies",
            Arc::new(StringArray::from(vec![
                Some("a higher, b higher, "),
                Some(""),
                Some("0"),
            ])) as ArrayRef,
        ),
        (
            "k8s.pod.name",
            Arc::new(StringArray::from(vec![
                Some("frontend-7d9f8c6b5d-x2k4q"),
                Some("redis-0"),
                Some("api-abcde"),
            ])) as ArrayRef,
        ),
    ])
    .unwrap();
    assert_eq!(
        eval_on(&batch, r#"split(replace(anomalies, ",\s$$$$", "") ,", ")"#),
        [r#"["a higher","b higher"]"#, r#"[""]"#, r#"["0"]"#]
    );
    assert_eq!(
        eval_on(&batch, r#"replace(anomalies, ",\s$", "")"#),
        ["a higher, b higher", "", "0"]
    );
    assert_eq!(
        eval_on(
            &batch,
            r#"replace('k8s.pod.name', "-\w{5}$|-[abcdef0-9]{8,10}-\w{5}$", "")"#
        ),
        ["frontend", "redis-0", "api"]
    );
    assert_eq!(
        eval_on(
            &batch,
            r#"'k8s.pod.name' + ":" + replace('k8s.pod.name', "-\w{5}$", "")"#
        ),
        [
            "frontend-7d9f8c6b5d-x2k4q:frontend-7d9f8c6b5d",
            "redis-0:redis-0",
            "api-abcde:api"
        ]
    );
}

/// `if` evaluates a rarely taken branch on the selected rows only; results
/// must be the same as evaluating everywhere.
#[test]
fn selective_if_branches() {
    let x: ArrayRef = Arc::new(Float64Array::from(
        (0..8).map(|i| Some(i as f64)).collect::<Vec<_>>(),
    ));
    let s: ArrayRef = Arc::new(StringArray::from(
        (0..8).map(|i| format!("a{i},b")).collect::<Vec<_>>(),
    ));
    let b = RecordBatch::try_from_iter(vec![("x", x), ("s", s)]).unwrap();
    assert_eq!(
        eval_on(&b, "if(x > 6, round(x / 3, 2), x)"),
        ["0", "1", "2", "3", "4", "5", "6", "2.33"]
    );
    assert_eq!(
        eval_on(&b, "if(x < 1, round(x / 3, 2), round(x, 2))"),
        ["0.00", "1.00", "2.00", "3.00", "4.00", "5.00", "6.00", "7.00"]
    );
    assert_eq!(
        eval_on(&b, r#"if(x = 3, split(s, ","), s)"#),
        [
            r#"["a0,b"]"#,
            r#"["a1,b"]"#,
            r#"["a2,b"]"#,
            r#"["a3","b"]"#,
            r#"["a4,b"]"#,
            r#"["a5,b"]"#,
            r#"["a6,b"]"#,
            r#"["a7,b"]"#
        ]
    );
    assert_eq!(
        eval_on(&b, r#"if(x >= 2, "k" . s, s . "!")"#),
        ["a0,b!", "a1,b!", "ka2,b", "ka3,b", "ka4,b", "ka5,b", "ka6,b", "ka7,b"]
    );
    assert_eq!(eval_on(&b, r#"if(x = 5, now(), null())"#)[5], "1700000000");
}
