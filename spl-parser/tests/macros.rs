//! Macro expansion rules (spl-semantics.md 1.4, 1.6, 1.7).

use spl_parser::macros::{expand, MacroDef, MacroSet};
use spl_parser::{ParseError, Span};

fn set(defs: &[(&str, &[&str], &str)]) -> MacroSet {
    let mut s = MacroSet::new();
    for (n, a, d) in defs {
        s.insert(MacroDef::new(n, a, d));
    }
    s
}

fn exp(q: &str, s: &MacroSet) -> String {
    expand(q, s).unwrap_or_else(|e| panic!("{q:?}: {e}")).text
}

fn span_text(q: &str, s: Span) -> &str {
    &q[s.range()]
}

#[test]
fn macros_simple_and_arity_overloading() {
    let s = set(&[
        ("m", &[], "index=main"),
        ("m", &["a"], "index=$a$"),
        ("m", &["a", "b"], "index=$a$ sourcetype=$b$"),
    ]);
    assert_eq!(exp("`m` | stats count", &s), "index=main | stats count");
    assert_eq!(exp("`m(web)`", &s), "index=web");
    assert_eq!(exp("`m(web, access)`", &s), "index=web sourcetype=access");
    // Whitespace around the name and arguments is not part of them.
    assert_eq!(exp("` m ( web ) `", &s), "index=web");
    // `m()` is the zero-argument macro.
    assert_eq!(exp("`m()`", &s), "index=main");
}

#[test]
fn macros_args_substituted_globally_including_in_quotes() {
    let s = set(&[(
        "q",
        &["f", "v"],
        "search $f$=\"$v$\" | eval x=\"$f$ is $v$\" | eval $f$_2=$f$",
    )]);
    assert_eq!(
        exp("`q(user, bob)`", &s),
        "search user=\"bob\" | eval x=\"user is bob\" | eval user_2=user"
    );
    // `$name$` with a name that is not an argument stays literal, and `$` alone too.
    let s = set(&[("r", &["a"], "$b$ $ $a$ $$a$ cost$")]);
    assert_eq!(exp("`r(1)`", &s), "$b$ $ 1 $1 cost$");
}

#[test]
fn macros_comma_splitting_respects_quotes_and_parens() {
    let s = set(&[("two", &["a", "b"], "[$a$] [$b$]")]);
    assert_eq!(exp(r#"`two("x,y", z)`"#, &s), r#"["x,y"] [z]"#);
    assert_eq!(exp("`two(f(a,b), c)`", &s), "[f(a,b)] [c]");
    assert_eq!(
        exp(r#"`two("He said \"a,b\"", c)`"#, &s),
        r#"["He said \"a,b\""] [c]"#
    );
    // Three top-level commas make four arguments: wrong arity for `two`.
    assert!(matches!(
        expand("`two(a,b,c,d)`", &s),
        Err(ParseError::MacroArity { found: 4, .. })
    ));
}

#[test]
fn macros_named_arguments() {
    let s = set(&[(
        "iis",
        &["fragment", "host"],
        "sourcetype=iis $fragment$ host=$host$",
    )]);
    assert_eq!(
        exp("`iis(host=web1, fragment=TM)`", &s),
        "sourcetype=iis TM host=web1"
    );
    // Not every argument named after a parameter: positional.
    assert_eq!(exp("`iis(a=1, b)`", &s), "sourcetype=iis a=1 host=b");
}

#[test]
fn macros_not_expanded_inside_quotes() {
    let s = set(&[("users", &[], "EXPANDED")]);
    assert_eq!(
        exp(r#"search x="audit`users`local""#, &s),
        r#"search x="audit`users`local""#
    );
    assert_eq!(
        exp(r#"x="a\"`users`" `users`"#, &s),
        r#"x="a\"`users`" EXPANDED"#
    );
    // A backtick inside a string does not start anything.
    assert_eq!(
        exp(r#"eval n=mvcount(split(p,"`"))-1 | `users`"#, &s),
        r#"eval n=mvcount(split(p,"`"))-1 | EXPANDED"#
    );
    // Outside quotes, `\"` does not open a string.
    assert_eq!(exp(r#"a=\" `users`"#, &s), r#"a=\" EXPANDED"#);
}

#[test]
fn macros_comments_replaced_by_one_space() {
    let s = set(&[("m", &[], "index=x")]);
    assert_eq!(exp("stats```x```count", &s), "stats count");
    assert_eq!(exp("```a `m` comment``` `m`", &s), "  index=x");
    assert_eq!(exp("a ``` multi\nline ``` b", &s), "a   b");
    // Comment markers inside quotes are literal text.
    assert_eq!(
        exp(r#"eval s="```not a comment```""#, &s),
        r#"eval s="```not a comment```""#
    );
    // A quote inside a comment does not open a string.
    assert_eq!(exp("```say \"hi``` `m`", &s), "  index=x");
    // Comments inside macro bodies are removed too.
    let s = set(&[("c", &[], "a```why```b")]);
    assert_eq!(exp("`c`", &s), "a b");
}

#[test]
fn macros_unterminated_comment_is_error_with_span() {
    let q = "index=x ``` no end";
    match expand(q, &MacroSet::new()) {
        Err(ParseError::MacroUnterminatedComment { span, help }) => {
            assert_eq!(span_text(q, span), "```");
            assert!(help.is_none());
        }
        other => panic!("unexpected {other:?}"),
    }
    // Inside a body the error points at the call and names the chain.
    let s = set(&[("bad", &[], "x ``` open")]);
    let q = "a `bad` b";
    match expand(q, &s) {
        Err(ParseError::MacroUnterminatedComment { span, help }) => {
            assert_eq!(span_text(q, span), "`bad`");
            assert!(help.unwrap().contains("`bad`"));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn macros_unterminated_and_invalid_calls() {
    let q = "index=x | `oops";
    match expand(q, &MacroSet::new()) {
        Err(ParseError::MacroUnterminatedCall { span, .. }) => {
            assert_eq!(span_text(q, span), "`oops")
        }
        other => panic!("unexpected {other:?}"),
    }
    for q in ["a `` b", "`m(x`", "`two words`", "`(x)`", "`m(a) b`"] {
        match expand(q, &MacroSet::new()) {
            Err(ParseError::MacroInvalidCall { span, message, .. }) => {
                assert!(message.starts_with("expected"), "{message}");
                assert!(span_text(q, span).starts_with('`'), "{q}: {span:?}");
            }
            other => panic!("{q}: unexpected {other:?}"),
        }
    }
}

#[test]
fn macros_nested_expansion() {
    let s = set(&[
        ("outer", &["x"], "`inner($x$)` | `leaf`"),
        ("inner", &["y"], "search y=$y$"),
        ("leaf", &[], "head 1"),
    ]);
    assert_eq!(exp("`outer(5)`", &s), "search y=5 | head 1");
}

#[test]
fn macros_cycles_and_depth_limit() {
    let s = set(&[("a", &[], "x `b`"), ("b", &[], "`a`")]);
    let q = "index=i | `a`";
    match expand(q, &s) {
        Err(ParseError::MacroRecursion {
            chain,
            span,
            reason,
        }) => {
            assert_eq!(chain, "`a` -> `b` -> `a`");
            assert!(reason.contains("calls itself"));
            assert_eq!(span_text(q, span), "`a`");
        }
        other => panic!("unexpected {other:?}"),
    }
    // Self-reference through an argument-taking overload is a different macro.
    let s = set(&[("f", &[], "`f(1)`"), ("f", &["n"], "n=$n$")]);
    assert_eq!(exp("`f`", &s), "n=1");
    // A chain longer than the limit without a cycle.
    let mut s = MacroSet::new();
    for i in 0..60 {
        s.insert(MacroDef::new(
            &format!("m{i}"),
            &[],
            &format!("`m{}`", i + 1),
        ));
    }
    s.insert(MacroDef::new("m60", &[], "end"));
    match expand("`m0`", &s) {
        Err(ParseError::MacroRecursion { reason, chain, .. }) => {
            assert!(reason.contains("nesting limit of 50"), "{reason}");
            assert!(chain.starts_with("`m0` -> `m1`"));
        }
        other => panic!("unexpected {other:?}"),
    }
    // Exactly at the limit is fine.
    let mut s = MacroSet::new();
    for i in 0..49 {
        s.insert(MacroDef::new(
            &format!("m{i}"),
            &[],
            &format!("`m{}`", i + 1),
        ));
    }
    s.insert(MacroDef::new("m49", &[], "end"));
    assert_eq!(exp("`m0`", &s), "end");
}

#[test]
fn macros_exponential_fanout_is_bounded() {
    let mut s = MacroSet::new();
    for i in 0..40 {
        let n = format!("`m{}`", i + 1);
        s.insert(MacroDef::new(&format!("m{i}"), &[], &format!("{n} {n}")));
    }
    s.insert(MacroDef::new("m40", &[], "x"));
    assert!(matches!(
        expand("`m0`", &s),
        Err(ParseError::MacroTooLarge { .. })
    ));
}

#[test]
fn macros_undefined_filter_in_command_position_is_search_star() {
    let s = MacroSet::new();
    let q = "index=x | stats count | `my_detection_filter`";
    let e = expand(q, &s).unwrap();
    assert_eq!(e.text, "index=x | stats count | search *");
    assert_eq!(e.warnings.len(), 1);
    let w = &e.warnings[0];
    assert_eq!(w.code, "spl::macro::undefined_filter");
    assert_eq!(w.name, "my_detection_filter");
    assert_eq!(span_text(q, w.span), "`my_detection_filter`");
    // No space after the pipe, and at the very start of a (sub)search.
    assert_eq!(exp("a |`x_filter`", &s), "a |search *");
    assert_eq!(exp("`x_filter`", &s), "search *");
    assert_eq!(exp("a [`x_filter` | head 1]", &s), "a [search * | head 1]");
}

#[test]
fn macros_undefined_filter_among_search_terms_is_match_all() {
    let s = MacroSet::new();
    assert_eq!(exp("a | search `x_filter`", &s), "a | search *");
    assert_eq!(
        exp("src=1 `x_filter` | bucket span=10m _time", &s),
        "src=1 * | bucket span=10m _time"
    );
    // Never glued onto a neighbouring term.
    assert_eq!(exp("a=1`x_filter`b", &s), "a=1 * b");
}

#[test]
fn macros_undefined_other_is_error_with_suggestions() {
    let s = set(&[("sysmon", &[], "x"), ("wmi", &[], "y")]);
    let q = "`sysmn` | stats count";
    match expand(q, &s) {
        Err(ParseError::MacroUndefined { name, span, help }) => {
            assert_eq!(name, "sysmn");
            assert_eq!(span_text(q, span), "`sysmn`");
            assert!(help.unwrap().contains("did you mean `sysmon`"));
        }
        other => panic!("unexpected {other:?}"),
    }
    let err = expand("`nothing_like_it`", &s).unwrap_err();
    assert!(err
        .to_string()
        .contains("undefined macro `nothing_like_it`"));
    let code = miette::Diagnostic::code(&err).unwrap().to_string();
    assert_eq!(code, "spl::macro::undefined");
}

#[test]
fn macros_wrong_arity_names_defined_arities() {
    let s = set(&[
        ("m", &["a", "b"], "$a$ $b$"),
        ("m", &["a", "b", "c"], "$a$"),
    ]);
    let q = "`m(1)`";
    match expand(q, &s) {
        Err(ParseError::MacroArity {
            name,
            found,
            expected,
            span,
            help,
        }) => {
            assert_eq!((name.as_str(), found), ("m", 1));
            assert_eq!(expected, "2 or 3");
            assert_eq!(span_text(q, span), q);
            assert!(help.unwrap().contains("`m(2)`"));
        }
        other => panic!("unexpected {other:?}"),
    }
    // A `_filter` macro defined with other arities is an arity error, not a no-op.
    let s = set(&[("x_filter", &["a"], "search $a$")]);
    assert!(matches!(
        expand("`x_filter`", &s),
        Err(ParseError::MacroArity { .. })
    ));
}

#[test]
fn macros_errors_inside_bodies_point_at_the_outer_call() {
    let s = set(&[("outer", &[], "a | `inner`"), ("inner", &[], "`missing`")]);
    let q = "x | `outer` | y";
    match expand(q, &s) {
        Err(ParseError::MacroUndefined { span, help, .. }) => {
            assert_eq!(span_text(q, span), "`outer`");
            let help = help.unwrap();
            assert!(help.contains("`outer` -> `inner`"), "{help}");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn macros_iseval_string_expressions() {
    let mut s = MacroSet::new();
    let mut d = MacroDef::new("idx", &["n"], r#""index=" . "$n$" . " sourcetype=" . $n$"#);
    d.iseval = true;
    s.insert(d);
    assert_eq!(exp("`idx(5)`", &s), "index=5 sourcetype=5");
    let mut d = MacroDef::new("dyn", &["f"], r#"if(isnull($f$), "a", "b")"#);
    d.iseval = true;
    s.insert(d);
    match expand("x `dyn(y)`", &s) {
        Err(e @ ParseError::MacroIsevalUnsupported { .. }) => {
            let code = miette::Diagnostic::code(&e).unwrap().to_string();
            assert_eq!(code, "spl::macro::iseval_unsupported");
            assert!(e.to_string().contains("found `if(isnull(y)"), "{e}");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn macros_iseval_result_is_expanded_again() {
    let mut s = set(&[("leaf", &[], "index=leaf")]);
    let mut d = MacroDef::new("ev", &[], r#""`leaf`" . " | head 1""#);
    d.iseval = true;
    s.insert(d);
    assert_eq!(exp("`ev`", &s), "index=leaf | head 1");
}

#[test]
fn macros_user_definitions_override_bundled() {
    let mut s = MacroSet::with_bundled();
    assert_eq!(
        exp("`drop_dm_object_name(Processes)`", &s),
        "rename Processes.* AS *"
    );
    s.insert(MacroDef::new(
        "drop_dm_object_name",
        &["object"],
        "rename $object$.* as *",
    ));
    assert_eq!(exp("`drop_dm_object_name(P)`", &s), "rename P.* as *");
    assert_eq!(s.get("drop_dm_object_name", 1).unwrap().origin, "inline");
}

#[test]
fn macros_names_are_case_sensitive() {
    let s = set(&[("kube_audit", &[], "source=\"kubernetes\"")]);
    match expand("`Kube_Audit`", &s) {
        Err(ParseError::MacroUndefined { help, .. }) => {
            assert!(help.unwrap().contains("`kube_audit`"));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn macros_body_quote_state_does_not_leak() {
    // A body with an unbalanced quote is scanned on its own: text after the
    // call is still outside quotes, so its macros expand.
    let s = set(&[("unbal", &[], "x=\"open"), ("m", &[], "M")]);
    assert_eq!(exp("`unbal` `m`", &s), "x=\"open M");
    // An unbalanced quote in the body hides macros later in that body only.
    let s = set(&[("unbal", &[], "\"open `m`"), ("m", &[], "M")]);
    assert_eq!(exp("`unbal` `m`", &s), "\"open `m` M");
}

#[test]
fn macros_dollar_dollar_is_not_undoubled() {
    // `$$` un-doubling belongs to saved-search/dashboard layers, not to macro
    // expansion (spl-semantics.md 1.7).
    let s = set(&[("re", &["f"], "rex field=$f$ \",\\s$$$$\"")]);
    assert_eq!(
        exp("`re(x)` | eval a=\"$$\"", &s),
        "rex field=x \",\\s$$$$\" | eval a=\"$$\""
    );
}

#[test]
fn macros_size_limit_counts_only_growth() {
    // A long query without macros is not limited; only what expansion adds is.
    let q = "a ".repeat(9 << 20);
    let e = expand(&q, &MacroSet::new()).unwrap();
    assert_eq!(e.text.len(), q.len());
    let s = set(&[("big", &["x"], &"$x$".repeat(1 << 12))]);
    let q = format!("`big({})`", "y".repeat(1 << 13));
    assert!(matches!(
        expand(&q, &s),
        Err(ParseError::MacroTooLarge { what, .. }) if what == "bytes"
    ));
}
