//! Lookups (resolution, matching semantics, writing) and GeoIP.
#![allow(clippy::unwrap_used)] // tests may unwrap, helpers included

mod ingest_common;
use ingest_common::*;

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{Array, ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use spl_engine::geoip::{GeoIp, GeoLang};
use spl_engine::lookup::LookupRegistry;
use std::sync::Arc;

fn registry() -> LookupRegistry {
    LookupRegistry::new(vec![fixture("lookups"), fixture("app/lookups")])
}

fn events(cols: Vec<(&str, ArrayRef)>) -> RecordBatch {
    let fields: Vec<Field> = cols
        .iter()
        .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
        .collect();
    RecordBatch::try_new(
        Arc::new(Schema::new(fields)),
        cols.into_iter().map(|(_, a)| a).collect(),
    )
    .unwrap()
}

fn strs(v: &[Option<&str>]) -> ArrayRef {
    Arc::new(StringArray::from(v.to_vec()))
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn resolves_files_definitions_and_misses() {
    let reg = registry();
    let users = reg.resolve("users").unwrap().unwrap();
    assert_eq!(users.columns, ["user", "department", "email"]);
    assert_eq!(users.num_rows(), 4);
    assert_eq!(users.config.max_matches, 100);
    assert!(users.config.case_sensitive);
    assert!(reg.resolve("users.csv").unwrap().is_some());
    assert!(reg.resolve("nope").unwrap().is_none());
    assert!(reg.resolve("../lookups/users").unwrap().is_none());
    // YAML definition whose name differs from its file.
    let tools = reg.resolve("suspicious_tools_lookup").unwrap().unwrap();
    assert_eq!(tools.config.wildcard_fields, ["tool"]);
    assert_eq!(tools.config.default_match, "false");
    // transforms.conf in the app's default/ with the file in lookups/.
    let ports = reg.resolve("port_names").unwrap().unwrap();
    assert_eq!(ports.config.max_matches, 2);
    assert!(reg.resolve("not_a_lookup").unwrap().is_none());
    // inputlookup view: columns as Utf8, empty cells null.
    let b = &users.to_batches().unwrap()[0];
    assert_eq!(names(b), ["user", "department", "email"]);
    assert!(one(b, "email", 1).is_none());
}

#[test]
fn exact_match_multiple_rows_and_no_output_clause() {
    let reg = registry();
    let t = reg.resolve("users").unwrap().unwrap();
    let batch = events(vec![(
        "user",
        strs(&[
            Some("alice"),
            Some("bob"),
            Some("carol"),
            None,
            Some("nobody"),
        ]),
    )]);
    let out = t
        .apply(&batch, &pairs(&[("user", "user")]), None, false)
        .unwrap();
    assert_eq!(names(&out), ["user", "department", "email"]);
    // Several matches: multivalue in file order.
    assert_eq!(cell(&out, "department", 0), ["eng", "research"]);
    assert_eq!(
        cell(&out, "email", 0),
        ["alice@example.com", "alice2@example.com"]
    );
    // Empty cell is null.
    assert_eq!(cell(&out, "department", 1), ["ops"]);
    assert!(cell(&out, "email", 1).is_empty());
    // Case-sensitive by default; absent key and no match: nothing.
    assert!(cell(&out, "department", 2).is_empty());
    assert!(cell(&out, "department", 3).is_empty());
    assert!(cell(&out, "department", 4).is_empty());
    assert_eq!(out.num_rows(), 5);
}

#[test]
fn output_renames_overwrites_and_outputnew() {
    let reg = registry();
    let t = reg.resolve("users").unwrap().unwrap();
    let batch = events(vec![
        ("u", strs(&[Some("bob"), Some("nobody"), Some("carol")])),
        ("dept", strs(&[Some("old"), Some("keep"), None])),
    ]);
    let output = pairs(&[("department", "dept")]);
    let out = t
        .apply(&batch, &pairs(&[("user", "u")]), Some(&output), false)
        .unwrap();
    assert_eq!(names(&out), ["u", "dept"]);
    assert_eq!(cell(&out, "dept", 0), ["ops"], "OUTPUT overwrites");
    assert_eq!(cell(&out, "dept", 1), ["keep"], "no match leaves the field");
    assert!(cell(&out, "dept", 2).is_empty());
    let out = t
        .apply(&batch, &pairs(&[("user", "u")]), Some(&output), true)
        .unwrap();
    assert_eq!(
        cell(&out, "dept", 0),
        ["old"],
        "OUTPUTNEW keeps existing values"
    );
    // A matched row whose output cell is empty clears the field under OUTPUT.
    let batch = events(vec![
        ("user", strs(&[Some("bob")])),
        ("email", strs(&[Some("x@y")])),
    ]);
    let out = t
        .apply(
            &batch,
            &pairs(&[("user", "user")]),
            Some(&pairs(&[("email", "email")])),
            false,
        )
        .unwrap();
    assert!(cell(&out, "email", 0).is_empty());
    // Unknown table column: clear data error.
    let err = t
        .apply(&batch, &pairs(&[("login", "user")]), None, false)
        .unwrap_err();
    assert!(err.to_string().contains("`login`"), "{err}");
}

#[test]
fn multivalue_and_numeric_event_keys() {
    let reg = registry();
    let t = reg.resolve("users").unwrap().unwrap();
    let mut lb = ListBuilder::new(StringBuilder::new());
    lb.values().append_value("bob");
    lb.values().append_value("Carol");
    lb.values().append_value("alice");
    lb.append(true);
    let batch = events(vec![("user", Arc::new(lb.finish()) as ArrayRef)]);
    let out = t
        .apply(
            &batch,
            &pairs(&[("user", "user")]),
            Some(&pairs(&[("department", "dept")])),
            false,
        )
        .unwrap();
    // The union of the rows each value matches, in file order (Carol is row 4).
    assert_eq!(cell(&out, "dept", 0), ["eng", "ops", "research", "eng"]);

    let ports = reg.resolve("port_names").unwrap().unwrap();
    let batch = events(vec![
        (
            "port",
            Arc::new(Int64Array::from(vec![443, 22, 8080])) as ArrayRef,
        ),
        (
            "f",
            Arc::new(Float64Array::from(vec![22.0, 443.5, 1.0])) as ArrayRef,
        ),
    ]);
    let out = ports
        .apply(&batch, &pairs(&[("port", "port")]), None, false)
        .unwrap();
    assert_eq!(
        cell(&out, "name", 0),
        ["https", "https-alt"],
        "max_matches = 2"
    );
    assert_eq!(cell(&out, "name", 1), ["ssh"]);
    assert!(cell(&out, "name", 2).is_empty());
    let out = ports
        .apply(
            &batch,
            &pairs(&[("port", "f")]),
            Some(&pairs(&[("name", "n")])),
            false,
        )
        .unwrap();
    assert_eq!(cell(&out, "n", 0), ["ssh"], "22.0 is looked up as 22");
    assert!(cell(&out, "n", 1).is_empty());
}

#[test]
fn cidr_definition() {
    let reg = registry();
    let t = reg.resolve("net_zones").unwrap().unwrap();
    let batch = events(vec![(
        "ip",
        strs(&[
            Some("81.2.69.142"),
            Some("10.1.2.3"),
            Some("8.8.8.8"),
            Some("not-an-ip"),
        ]),
    )]);
    let out = t
        .apply(&batch, &pairs(&[("net", "ip")]), None, false)
        .unwrap();
    assert_eq!(
        cell(&out, "zone", 0),
        ["london"],
        "first match in file order"
    );
    assert_eq!(cell(&out, "zone", 1), ["internal"]);
    assert_eq!(cell(&out, "zone", 2), ["anywhere"]);
    assert!(cell(&out, "zone", 3).is_empty());
}

#[test]
fn wildcard_case_insensitive_with_default_match() {
    let reg = registry();
    let t = reg.resolve("suspicious_tools_lookup").unwrap().unwrap();
    let batch = events(vec![(
        "process",
        strs(&[
            Some("C:\\Temp\\MimiKatz.exe"),
            Some("nc.exe"),
            Some("calc.exe"),
            None,
        ]),
    )]);
    let out = t
        .apply(
            &batch,
            &pairs(&[("tool", "process")]),
            Some(&pairs(&[
                ("is_suspicious", "is_suspicious"),
                ("note", "note"),
            ])),
            false,
        )
        .unwrap();
    assert_eq!(cell(&out, "is_suspicious", 0), ["TRUE"]);
    assert_eq!(cell(&out, "note", 0), ["credential theft"]);
    assert_eq!(cell(&out, "is_suspicious", 1), ["TRUE"]);
    // min_matches 1: no match pads with default_match.
    assert_eq!(cell(&out, "is_suspicious", 2), ["false"]);
    assert_eq!(cell(&out, "note", 2), ["false"]);
    // An absent key field is not looked up at all.
    assert!(cell(&out, "is_suspicious", 3).is_empty());
}

#[test]
fn collection_write_then_read_back() {
    let out_dir = scratch("kv");
    let reg = LookupRegistry::new(vec![out_dir.clone(), fixture("lookups")]);
    let empty = reg.resolve("io_ratio_baseline").unwrap().unwrap();
    assert_eq!(empty.columns, ["key", "avg_ratio", "stdev_ratio", "count"]);
    assert_eq!(empty.num_rows(), 0);

    let mut dec = Field::new("avg_ratio", DataType::Float64, true);
    dec.set_metadata(std::collections::HashMap::from([(
        "spl.decimals".to_string(),
        "2".to_string(),
    )]));
    let mut lb = ListBuilder::new(StringBuilder::new());
    lb.values().append_value("a");
    lb.values().append_value("b$");
    lb.append(true);
    lb.append(false);
    let schema = Arc::new(Schema::new(vec![
        Field::new("key", DataType::Utf8, true),
        dec,
        Field::new("stdev_ratio", DataType::Float64, true),
        Field::new("count", DataType::Int64, true),
        Field::new("tags", lb.finish().data_type().clone(), true),
        Field::new("_cd", DataType::Utf8, true),
    ]));
    let mut lb = ListBuilder::new(StringBuilder::new());
    lb.values().append_value("a");
    lb.values().append_value("b$");
    lb.append(true);
    lb.append(false);
    let batch = RecordBatch::try_new(
        schema,
        vec![
            strs(&[Some("prod:web"), Some("prod, \"db\"")]),
            Arc::new(Float64Array::from(vec![Some(1.5), None])),
            Arc::new(Float64Array::from(vec![Some(0.1 + 0.2), Some(3.0)])),
            Arc::new(Int64Array::from(vec![Some(7), Some(8)])),
            Arc::new(lb.finish()),
            strs(&[Some("1:2"), Some("1:3")]),
        ],
    )
    .unwrap();
    let path = reg
        .write("io_ratio_baseline", std::slice::from_ref(&batch), false)
        .unwrap();
    assert_eq!(path, out_dir.join("io_ratio_baseline.csv"));
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text,
        "key,avg_ratio,stdev_ratio,count,tags,__mv_tags\n\
         prod:web,1.50,0.30000000000000004,7,\"a\nb$\",$a$;$b$$$\n\
         \"prod, \"\"db\"\"\",,3,8,,\n"
    );
    // The cache is refreshed after a write and multivalue cells come back.
    let t = reg.resolve("io_ratio_baseline").unwrap().unwrap();
    assert_eq!(t.num_rows(), 2);
    let b = &t.to_batches().unwrap()[0];
    assert_eq!(cell(b, "tags", 0), ["a", "b$"]);
    assert_eq!(cell(b, "key", 1), ["prod, \"db\""]);

    // Append merges columns and keeps the old rows first.
    let extra = events(vec![
        ("key", strs(&[Some("dev:api")])),
        ("last_seen", strs(&[Some("1700000000")])),
    ]);
    reg.write("io_ratio_baseline", &[extra], true).unwrap();
    let t = reg.resolve("io_ratio_baseline").unwrap().unwrap();
    assert_eq!(
        t.columns,
        [
            "key",
            "avg_ratio",
            "stdev_ratio",
            "count",
            "tags",
            "last_seen"
        ]
    );
    assert_eq!(t.num_rows(), 3);
    let b = &t.to_batches().unwrap()[0];
    assert_eq!(cell(b, "key", 2), ["dev:api"]);
    assert_eq!(cell(b, "tags", 0), ["a", "b$"]);
    assert!(cell(b, "count", 2).is_empty());

    // A plain name writes NAME.csv; `x.csv` writes that file; no dirs: an error.
    let p = reg
        .write("fresh", &[events(vec![("a", strs(&[Some("1")]))])], false)
        .unwrap();
    assert_eq!(p, out_dir.join("fresh.csv"));
    let p = reg.write("other.csv", &[], false).unwrap();
    assert_eq!(std::fs::read_to_string(p).unwrap(), "");
    assert!(LookupRegistry::new(vec![]).write("x", &[], false).is_err());
    assert!(reg.write("../escape", &[], false).is_err());
}

#[test]
fn defined_lookup_with_missing_file_is_an_error() {
    let dir = scratch("missingdef");
    std::fs::write(dir.join("d.yml"), "name: ghost\nfilename: ghost.csv\n").unwrap();
    let reg = LookupRegistry::new(vec![dir]);
    let err = reg.resolve("ghost").unwrap_err();
    assert!(err.to_string().contains("ghost.csv"), "{err}");
    assert!(err.is_data_error());
}

#[test]
fn shared_corpus_lookup_files_load() {
    let dir = shared("corpus/lookups");
    if !dir.exists() {
        return;
    }
    let reg = LookupRegistry::new(vec![dir]);
    for name in [
        "3cx_ioc_domains",
        "asr_rules",
        "hijacklibs_loaded",
        "remote_access_software20240726",
    ] {
        let t = reg.resolve(name).unwrap().unwrap();
        assert!(t.num_rows() > 0, "{name}");
    }
}

/// Spaces and tabs around header names and cells are trimmed: security_content's
/// `EventCode, Description` tables (issue 11.6; docs/compat-notes/ingest.md).
#[test]
fn padded_headers_and_cells_are_trimmed() {
    let dir = scratch("padded");
    std::fs::write(
        dir.join("codes.csv"),
        "EventCode, Description ,\tnote\n8004, blocked\t,\" quoted \"\n 8005 ,  , x\n",
    )
    .unwrap();
    let reg = LookupRegistry::new(vec![dir]);
    let t = reg.resolve("codes").unwrap().unwrap();
    assert_eq!(t.columns, ["EventCode", "Description", "note"]);
    let b = &t.to_batches().unwrap()[0];
    assert_eq!(one(b, "EventCode", 0).as_deref(), Some("8004"));
    assert_eq!(one(b, "Description", 0).as_deref(), Some("blocked"));
    // quoting does not keep the padding either
    assert_eq!(one(b, "note", 0).as_deref(), Some("quoted"));
    assert_eq!(one(b, "EventCode", 1).as_deref(), Some("8005"));
    // a cell of spaces only is absent
    assert!(one(b, "Description", 1).is_none());
    // the lookup matches the bare value and outputs the bare description
    let ev = events(vec![("EventCode", strs(&[Some("8004"), Some(" 8004")]))]);
    let out = t
        .apply(&ev, &pairs(&[("EventCode", "EventCode")]), None, false)
        .unwrap();
    assert_eq!(one(&out, "Description", 0).as_deref(), Some("blocked"));
    assert!(
        one(&out, "Description", 1).is_none(),
        "event values are not trimmed"
    );

    // The corpus tables themselves, when the shared corpus is beside the checkout.
    let corpus = shared("corpus/lookups");
    if corpus.exists() {
        let reg = LookupRegistry::new(vec![corpus]);
        for (name, cols) in [
            ("applockereventcodes", ["EventCode", "Description"]),
            (
                "local_file_inclusion_paths",
                ["local_file_inclusion_paths", "lfi_path"],
            ),
            ("mandatory_job_for_workflow", ["workflow_name", "job_name"]),
        ] {
            let t = reg.resolve(name).unwrap().unwrap();
            assert_eq!(t.columns, cols, "{name}");
        }
    }
}

fn geo() -> GeoIp {
    GeoIp::open(&fixture("geoip/GeoLite2-City-Test.mmdb")).unwrap()
}

#[test]
fn geoip_lookup_records() {
    let g = geo();
    let en = GeoLang::default();
    let london = g.lookup("81.2.69.142", &en).unwrap().unwrap();
    assert_eq!(london.city, "London");
    assert_eq!(london.country, "United Kingdom");
    assert_eq!(london.region, "England");
    assert_eq!(london.lat, Some(51.5142));
    assert_eq!(london.lon, Some(-0.0931));
    assert_eq!(london.continent, "Europe");
    assert_eq!(london.timezone, "Europe/London");
    let milton = g.lookup("216.160.83.56", &en).unwrap().unwrap();
    assert_eq!(
        (milton.city.as_str(), milton.region.as_str()),
        ("Milton", "Washington")
    );
    assert_eq!(milton.metro_code, Some(819));
    // Located without a city: empty City, Country present.
    let bt = g.lookup("67.43.156.1", &en).unwrap().unwrap();
    assert_eq!((bt.city.as_str(), bt.country.as_str()), ("", "Bhutan"));
    assert_eq!(bt.lat, Some(27.5));
    // Private, invalid and empty: no record.
    for ip in ["10.0.0.1", "192.168.1.1", "not an ip", "", "::1"] {
        assert!(g.lookup(ip, &en).unwrap().is_none(), "{ip}");
    }
    // lang=
    let de = g
        .lookup("81.2.69.142", &GeoLang::parse("de"))
        .unwrap()
        .unwrap();
    assert_eq!(de.country, "Vereinigtes Königreich");
    let code = g
        .lookup("81.2.69.142", &GeoLang::parse("code"))
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            code.country.as_str(),
            code.region.as_str(),
            code.continent.as_str()
        ),
        ("GB", "ENG", "EU")
    );
    // A language the record lacks falls back to English.
    let zh = g
        .lookup("216.160.83.56", &GeoLang::parse("zh-CN"))
        .unwrap()
        .unwrap();
    assert_eq!(zh.city, "Milton");
    assert_eq!(zh.country, "美国");
}

#[test]
fn geoip_column_lookup() {
    let g = geo();
    let mut lb = ListBuilder::new(StringBuilder::new());
    lb.values().append_value("216.160.83.56");
    lb.values().append_value("81.2.69.142");
    lb.append(true);
    lb.values().append_value("10.0.0.1");
    lb.append(true);
    lb.append(false);
    lb.values().append_value("81.2.69.142");
    lb.append(true);
    let ips: ArrayRef = Arc::new(lb.finish());
    let cols = g.locate(&ips, &GeoLang::default()).unwrap();
    let named = cols.named("geo_", false);
    let names: Vec<&str> = named.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "geo_City",
            "geo_Country",
            "geo_Region",
            "geo_lat",
            "geo_lon"
        ]
    );
    assert_eq!(cols.named("", true).len(), 8);
    let fields = cols.fields("", false);
    let lat = &fields[3].0;
    assert_eq!(lat.name(), "lat");
    assert_eq!(
        lat.metadata().get("spl.decimals").map(String::as_str),
        Some("5")
    );
    assert!(fields[0].0.metadata().is_empty());
    let batch = events(named.iter().map(|(n, a)| (n.as_str(), a.clone())).collect());
    assert_eq!(
        one(&batch, "geo_City", 0).as_deref(),
        Some("Milton"),
        "first value of a multivalue field"
    );
    assert!(one(&batch, "geo_City", 1).is_none());
    assert!(one(&batch, "geo_Country", 2).is_none());
    assert_eq!(one(&batch, "geo_City", 3).as_deref(), Some("London"));
    assert_eq!(f64_at(&batch, "geo_lat", 3), Some(51.5142));
    assert_eq!(f64_at(&batch, "geo_lon", 1), None);
    let metro = cols.metro_code.clone();
    let b = events(vec![("m", metro)]);
    assert_eq!(one(&b, "m", 0).as_deref(), Some("819"));
    assert_eq!(one(&b, "m", 3).as_deref(), Some(""));
}

#[test]
fn geoip_bad_database_is_a_data_error() {
    let dir = scratch("badmmdb");
    let p = dir.join("bad.mmdb");
    std::fs::write(&p, b"definitely not a maxmind database").unwrap();
    let err = GeoIp::open(&p).unwrap_err();
    assert!(err.is_data_error());
    assert!(err.to_string().contains("bad.mmdb"));
    assert!(GeoIp::open(&dir.join("missing.mmdb"))
        .unwrap_err()
        .is_data_error());
}
