"""Engine errors as Python exceptions: class, code, message, span (into the query as written)."""

import pytest

import spl
from conftest import FIXTURES, NOW


def raised(query: str, engine: spl.Engine = None) -> spl.SplError:
    engine = engine or spl.Engine(now=NOW)
    with pytest.raises(spl.SplError) as e:
        engine.run(query)
    return e.value


def span_text(query: str, err: spl.SplError) -> str:
    start, end = err.span
    return query.encode()[start:end].decode()


def test_a_parse_error_carries_code_and_span():
    q = "| makeresults | nosuchcommand x=1"
    e = raised(q)
    assert type(e) is spl.ParseError and isinstance(e, spl.SplError)
    assert e.code == "spl::parse::unknown_command"
    assert "nosuchcommand" in e.message and str(e) == e.message
    assert span_text(q, e) == "nosuchcommand"


def test_run_errors():
    q = "| makeresults | eval x=nosuch(1)"
    e = raised(q)
    assert type(e) is spl.RunError
    assert e.code == "spl::eval::unknown_function"
    assert span_text(q, e) == "nosuch"
    q = "| makeresults | lookup nosuchlookup user"
    e = raised(q)
    assert e.code == "spl::run::missing_lookup"
    assert span_text(q, e) == "nosuchlookup"
    assert e.help and "nosuchlookup" in e.help


def test_spans_are_bytes_of_the_query_as_written():
    q = '| makeresults | eval s="héllo" | eval x=nosuch(1)'
    e = raised(q)
    assert span_text(q, e) == "nosuch"
    assert e.span[0] == q.encode().index(b"nosuch")


def test_an_error_inside_a_macro_points_at_the_call():
    macros = FIXTURES / "macros" / "security_content"
    engine = spl.Engine(now=NOW, macros=macros)
    # `kube_audit` expands to a search over an index; a bad command after it
    q = "`kube_audit` | nosuchcommand"
    e = raised(q, engine)
    assert span_text(q, e) == "nosuchcommand"
    # an unknown macro is a parse error pointing at the call
    q = "| makeresults | `no_such_macro(1)`"
    e = raised(q, engine)
    assert type(e) is spl.ParseError
    assert e.code.startswith("spl::")
    assert "no_such_macro" in span_text(q, e)


def test_data_errors_have_no_span():
    with pytest.raises(spl.DataError) as e:
        spl.Engine(now=NOW).add_data("path=nowhere.jsonl,format=nosuchformat")
    assert e.value.code == "spl::data::invalid"
    assert e.value.span is None


def test_a_bad_time_modifier():
    with pytest.raises(spl.RunError) as e:
        spl.Engine(now=NOW, earliest="-3 fortnights")
    assert e.value.code == "spl::time::invalid_modifier"
