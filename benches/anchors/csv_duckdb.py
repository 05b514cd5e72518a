#!/usr/bin/env python3
"""Times DuckDB's read_csv + the seed detection SQL on the metrics CSV (issue 5's CSV target).
usage: csv_duckdb.py data/small.csv THREADS REPS"""
import json, statistics, sys, time
sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.abspath(__file__)))
import engines
path, threads, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
now = json.load(open(path[:-4] + ".meta.json"))["now"]
times = []
for i in range(reps + 1):
    con = engines.duckdb_connect(threads)
    t0 = time.perf_counter()
    rows = con.execute(engines.detection_sql(f"read_csv('{path}')", now, "duckdb")).fetchall()
    dt = time.perf_counter() - t0
    if i:
        times.append(dt)
print(json.dumps({"engine": "duckdb-csv", "threads": threads, "median": statistics.median(times), "min": min(times), "rows": len(rows)}))
