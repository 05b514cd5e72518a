"""Arrow in and out: add_table flattens as the file readers do; results cross without a copy."""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import spl
from conftest import FIXTURES, NOW

# OCSF-like events: a struct `src_endpoint` (null on the third), a list
# `tags`, a millisecond timestamp `_time`.
OCSF = pa.table(
    {
        "_time": pa.array(
            [1_700_000_001_000, 1_700_000_002_000, 1_700_000_003_000],
            pa.timestamp("ms", tz="UTC"),
        ),
        "activity": ["logon", "logon", "logoff"],
        "src_endpoint": pa.array(
            [{"ip": "10.0.0.1", "port": 443}, {"ip": "10.0.0.2", "port": 22}, None],
            pa.struct([("ip", pa.string()), ("port", pa.int32())]),
        ),
        "tags": [["auth", "login"], ["ssh"], None],
    }
)


def test_a_nested_struct_column_gives_dotted_fields():
    e = spl.Engine(now=NOW).add_table(OCSF, index="ocsf", sourcetype="ocsf")
    t = e.run("index=ocsf src_endpoint.ip=10.0.0.1 | table _time src_endpoint.ip src_endpoint.port tags")
    assert t.to_pylist() == [
        {
            "_time": 1_700_000_001.0,
            "src_endpoint.ip": "10.0.0.1",
            "src_endpoint.port": 443,
            "tags": ["auth", "login"],
        }
    ]
    # the null struct hides its children
    n = e.run("index=ocsf | stats count(src_endpoint.ip) AS ips dc(activity) AS acts")
    assert n.to_pylist() == [{"ips": 2, "acts": 2}]


def test_memory_and_parquet_give_the_same_rows(tmp_path):
    path = tmp_path / "ocsf.parquet"
    pq.write_table(OCSF, path)
    from_file = spl.Engine(now=NOW).add_data(path, index="ocsf")
    from_memory = spl.Engine(now=NOW).add_table(OCSF, index="ocsf")
    for q in [
        "index=ocsf | table _time activity src_endpoint.ip src_endpoint.port tags",
        "index=ocsf src_endpoint.port>30 | stats values(src_endpoint.ip) AS ip by activity",
        "index=ocsf tags=ssh | fields src_endpoint.*",
    ]:
        assert from_memory.run(q).to_pylist() == from_file.run(q).to_pylist(), q


def test_add_table_takes_batches_readers_and_capsule_objects():
    batch = OCSF.to_batches()[0]
    q = "index=main | stats count"
    for data in [batch, [batch, batch], OCSF.to_reader(), OCSF]:
        n = spl.Engine(now=NOW).add_table(data).run(q).column("count").to_pylist()[0]
        assert n == (6 if isinstance(data, list) else 3)

    class Capsule:  # only the PyCapsule protocol, as polars and others expose it
        def __arrow_c_stream__(self, requested_schema=None):
            return OCSF.__arrow_c_stream__(requested_schema)

    assert spl.Engine(now=NOW).add_table(Capsule()).run(q).column("count").to_pylist() == [3]
    with pytest.raises(ValueError):
        spl.Engine(now=NOW).add_table({"not": "arrow"})


def test_time_field_and_default_fields():
    t = pa.table({"ts": ["2024-01-01T00:00:01Z", "2024-01-01T00:00:02Z"], "user": ["a", "b"]})
    e = spl.Engine(now=NOW).add_table(t, index="i", source="s", sourcetype="st", host="h", time_field="ts")
    rows = e.run("index=i source=s sourcetype=st host=h | sort _time | table _time user ts").to_pylist()
    assert rows == [
        {"_time": 1704067201.0, "user": "a", "ts": "2024-01-01T00:00:01Z"},
        {"_time": 1704067202.0, "user": "b", "ts": "2024-01-01T00:00:02Z"},
    ]
    with pytest.raises(spl.DataError) as err:
        spl.Engine(now=NOW).add_table(t, time_field="when")
    assert err.value.code == "spl::data::invalid"
    assert "when" in err.value.message


def test_a_column_without_a_text_form_is_a_data_error():
    t = pa.table({"obs": pa.array([[{"name": "a"}]], pa.list_(pa.struct([("name", pa.string())])))})
    with pytest.raises(spl.DataError) as err:
        spl.Engine(now=NOW).add_table(t, source="observables")
    assert "observables" in err.value.message and "`obs`" in err.value.message


def test_results_cross_without_a_copy():
    # a result of about 8 MB of float64: were it copied into pyarrow's memory
    # pool, the pool's allocation would grow by as much
    e = spl.Engine(now=NOW)
    before = pa.total_allocated_bytes()
    t = e.run("| makeresults count=1000000 | streamstats count AS i | eval x=i*2 | fields x")
    assert t.num_rows == 1_000_000
    assert pa.total_allocated_bytes() - before < 1_000_000
    # a null-free float column hands its buffer to numpy as it is
    col = t.column("x")
    assert col.num_chunks >= 1
    arr = col.chunk(0).to_numpy(zero_copy_only=True)
    assert arr[0] == 2.0


def test_to_pandas():
    pytest.importorskip("pandas")
    path = FIXTURES / "ingest" / "events.csv"
    e = spl.Engine(now=NOW).add_data(path, index="csvidx")
    df = e.run("index=csvidx | stats count by host | sort host").to_pandas()
    assert list(df.columns) == ["host", "count"]
    assert df["host"].tolist() == ["web-1", "web-2", "web-3"]
    assert df["count"].tolist() == [1.0, 1.0, 1.0]
