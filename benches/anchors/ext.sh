#!/bin/sh
# Our engine as the bench-anchors harness's `ext` engine (see docs/performance.md):
# the outbound seed detection, verbatim from security_content, over one metrics file.
# usage: ext.sh THREADS NOW_EPOCH DATA_FILE     (SPL_BIN overrides the binary)
root=$(cd "$(dirname "$0")/../.." && pwd)
exec "${SPL_BIN:-$root/target/release/spl}" run --threads "$1" --now "$2" \
  --macros "$root/fixtures/macros/security_content" \
  --detection "$root/fixtures/detections/kubernetes_anomalous_outbound_network_activity_from_process.yml" \
  --data "path=$3,index=kubernetes_metrics" --format jsonl 2>/dev/null
