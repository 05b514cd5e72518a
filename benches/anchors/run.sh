#!/usr/bin/env bash
# Times `spl` beside DuckDB, DataFusion, Polars and the scan floor with the bench-anchors
# harness (../shared/bench-anchors), as docs/performance.md reports it.
# usage: benches/anchors/run.sh [WORKDIR] [SCALES]    (defaults: target/anchors, medium,large)
# Needs python3 (venv + pip), GNU time and taskset; ~2 GB of disk for the data.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$root/target/anchors}
scales=${2:-medium,large}
harness=${ANCHORS:-$root/../shared/bench-anchors}
mkdir -p "$work"
cp "$harness"/*.py "$harness"/requirements.txt "$work"/
cd "$work"
[ -x .venv/bin/python ] || { python3 -m venv .venv && .venv/bin/pip install -q -r requirements.txt; }
(cd "$root" && cargo build --release -p spl-cli)
for s in ${scales//,/ }; do
  [ -f "data/$s.parquet" ] || .venv/bin/python gen_metrics.py --scale "$s"
done
export SPL_ANCHOR_CMD="$root/benches/anchors/ext.sh {threads} {now} {data}"
.venv/bin/python bench.py --task detect --scales "$scales" \
  --engines ext,duckdb,datafusion,polars-stream,floor --threads 1,2 --quiet-wait "${QUIET_WAIT:-60}"
.venv/bin/python verify.py
.venv/bin/python report.py > results/tables.md
# the CSV target: DuckDB read_csv + the same SQL vs `spl` over Splunk's metrics CSV (small)
if [ "${CSV:-1}" = 1 ]; then
  [ -f data/small.csv ] || .venv/bin/python gen_metrics.py --scale small --csv
  cp "$root/benches/anchors/csv_duckdb.py" .
  for t in 1 2; do
    cores=$([ "$t" = 1 ] && echo 0 || echo 0,1)
    taskset -c "$cores" .venv/bin/python csv_duckdb.py data/small.csv "$t" 5
    now=$(.venv/bin/python -c "import json;print(json.load(open('data/small.meta.json'))['now'])")
    for i in 1 2 3 4 5; do
      /usr/bin/time -f "{\"engine\": \"spl-csv\", \"threads\": $t, \"wall_s\": %e, \"peak_rss_kb\": %M}" \
        taskset -c "$cores" "$root/benches/anchors/ext.sh" "$t" "$now" data/small.csv > /dev/null
    done
  done
fi
echo "tables: $work/results/tables.md"
