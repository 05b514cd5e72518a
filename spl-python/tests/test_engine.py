"""spl.Engine: data from files, searches, results as pyarrow tables, the clock."""

import datetime

import pyarrow as pa
import pytest

import spl
from conftest import FIXTURES, NOW

# The README's seed detection ("Kubernetes Scanning by Unauthenticated IP
# Address"), verbatim from fixtures/detections/kubernetes_scanning_by_unauthenticated_ip_address.yml
SEED = (
    '`kube_audit` "user.groups{}"="system:unauthenticated" "responseStatus.code"=403 '
    "| iplocation sourceIPs{} | stats count values(userAgent) as userAgent "
    "values(user.username) as user.username values(user.groups{}) as user.groups{} "
    "values(verb) as verb values(requestURI) as requestURI "
    "values(responseStatus.code) as responseStatus.code "
    "values(responseStatus.message) as responseStatus.message "
    "values(responseStatus.reason) as responseStatus.reason "
    "values(responseStatus.status) as responseStatus.status by sourceIPs{} Country City "
    "| where count > 5 | rename sourceIPs{} as src_ip, user.username as user "
    "| `kubernetes_scanning_by_unauthenticated_ip_address_filter`"
)


def seed_engine(data: str) -> spl.Engine:
    return spl.Engine(
        now=NOW,
        macros=FIXTURES / "macros" / "security_content",
        geoip=FIXTURES / "geoip" / "GeoLite2-City-Test.mmdb",
    ).add_data(f"path={FIXTURES / 'data' / data},source=kubernetes,sourcetype=_json")


def test_seed_detection_fires_on_the_anomalous_data_only():
    t = seed_engine("k8s-audit-anomalous.jsonl").run(SEED)
    assert isinstance(t, pa.Table)
    assert t.column_names[:5] == ["src_ip", "Country", "City", "count", "userAgent"]
    # the rows spl-cli/tests/seeds.rs checks against the oracle
    got = [(r["src_ip"], r["Country"], r["City"], r["count"], r["verb"]) for r in t.to_pylist()]
    assert got == [
        ("175.16.199.10", "China", "Changchun", 6.0, ["get", "list"]),
        ("2001:480::1", "United States", "San Diego", 7.0, ["get", "list"]),
        ("216.160.83.57", "United States", "Milton", 8.0, ["get", "list"]),
        ("67.43.156.20", "Bhutan", "", 9.0, ["create", "get", "list"]),
        ("81.2.69.142", "United Kingdom", "London", 12.0, ["create", "get", "list"]),
    ]
    assert t.column("user").to_pylist() == [["system:anonymous"]] * 5
    # the quiet day has no scanning
    assert seed_engine("k8s-audit-quiet.jsonl").run(SEED).num_rows == 0


def test_run_returns_typed_columns_over_the_union_of_fields():
    e = spl.Engine(now=NOW).add_data(f"path={FIXTURES / 'ingest' / 'events.csv'},index=csvidx")
    t = e.run("index=csvidx | eval n=len(user) | table _time host user groups n")
    assert t.column_names == ["_time", "host", "user", "groups", "n"]
    assert t.schema.field("_time").type == pa.float64()
    assert t.schema.field("groups").type == pa.list_(pa.string())
    assert t.schema.field("n").type == pa.float64()
    rows = t.to_pylist()
    assert [r["host"] for r in rows] == ["web-2", "web-1", "web-3"]
    assert rows[1]["groups"] == ["a", "b"]
    assert rows[2]["user"] is None  # absent on that row: null


def test_add_data_keywords_set_the_spec_keys():
    path = FIXTURES / "ingest" / "events.csv"
    by_spec = spl.Engine(now=NOW).add_data(f"path={path},index=csvidx,sourcetype=csvlog")
    by_kw = spl.Engine(now=NOW).add_data(str(path), index="csvidx", sourcetype="csvlog")
    by_pathlike = spl.Engine(now=NOW).add_data(path, index="csvidx", sourcetype="csvlog")
    q = "index=csvidx sourcetype=csvlog | stats count by host | sort host"
    assert by_spec.run(q) == by_kw.run(q) == by_pathlike.run(q)
    assert by_kw.run(q).column("count").to_pylist() == [1, 1, 1]
    with pytest.raises(spl.DataError) as e:
        spl.Engine(now=NOW).add_data(path, colour="red")
    assert e.value.code == "spl::data::invalid"
    assert "colour" in e.value.message


def test_the_engine_is_fluent_and_a_failed_add_leaves_it_as_it_was():
    e = spl.Engine(now=NOW)
    assert e.add_data(FIXTURES / "ingest" / "events.csv", index="csvidx") is e
    with pytest.raises(spl.DataError) as err:
        e.add_data(FIXTURES / "ingest" / "no-such-file.jsonl")
    assert err.value.code == "spl::data::io"
    assert e.run("index=csvidx | stats count").column("count").to_pylist() == [3]


def test_now_is_injected_and_deterministic():
    q = '| makeresults | eval n=now(), d=relative_time(now(), "-1d@d") | table n d'
    a = spl.Engine(now=NOW).run(q)
    b = spl.Engine(now=NOW).run(q)
    assert a == b
    assert a.to_pylist() == [{"n": 1714564800.0, "d": 1714435200.0}]
    as_datetime = datetime.datetime(2024, 5, 1, 12, tzinfo=datetime.timezone.utc)
    assert spl.Engine(now=as_datetime).run(q) == a
    assert spl.Engine(now=1714564800).run(q) == a
    later = spl.Engine(now=1714564800 + 86400).run(q).to_pylist()[0]
    assert later["n"] == 1714564800.0 + 86400
    assert spl.Engine(now=NOW).now == 1714564800.0


def test_time_range_and_zone():
    path = FIXTURES / "ingest" / "events.csv"
    # events at 2024-01-02T03:04:05 and :06; the window keeps the later one
    e = spl.Engine(now=NOW, earliest="1704164646", latest="+0s").add_data(path, index="csvidx")
    assert e.run("index=csvidx | table host").column("host").to_pylist() == ["web-2"]
    q = '| makeresults | eval h=strftime(now(), "%H") | table h'
    assert spl.Engine(now=NOW, tz="Asia/Tokyo").run(q).column("h").to_pylist() == ["21"]
    with pytest.raises(ValueError):
        spl.Engine(now=NOW, tz="Nowhere/Atlantis")


def test_warnings_of_the_last_search():
    e = spl.Engine(now=NOW)
    assert e.last_warnings == []
    e.run("| makeresults | `my_detection_filter`")
    assert [code for code, _ in e.last_warnings] == ["spl::macro::undefined_filter"]
    e.run("| makeresults")
    assert e.last_warnings == []


def test_searches_run_again_after_more_data():
    e = spl.Engine(now=NOW).add_data(FIXTURES / "ingest" / "events.csv", index="a")
    assert e.run("index=* | stats count").column("count").to_pylist() == [3]
    e.add_data(FIXTURES / "ingest" / "events.csv", index="b")
    assert e.run("index=* | stats count").column("count").to_pylist() == [6]
