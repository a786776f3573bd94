#!/usr/bin/env bash
# Load on `pneumo serve` over loopback: for each client count, C concurrent clients post one 224-px X-ray for S
# seconds -> ok requests/s, p50/p99 latency, answers that were not 200 (503 is expected only once the clients
# outnumber workers + queue), then the server's peak RSS.
# Usage: bench/serve-load.sh [SECONDS] [CLIENT COUNTS...]   Env: MODEL=DIR (default: the shipped model), HEATMAP=1,
# WORKERS=N, QUEUE=N (server options).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
shift || true
counts=("${@:-1 2 4 8 16 32}")
read -r -a counts <<< "${counts[*]}"
image="../shared/data/chest_xray/train/NORMAL/IM-0115-0001.jpeg"
jar=app/target/pneumo.jar
[[ -f "$jar" ]] || mvn -B -q -DskipTests install
extra=()
[[ -n "${WORKERS:-}" ]] && extra+=(--workers "$WORKERS")
[[ -n "${QUEUE:-}" ]] && extra+=(--queue "$QUEUE")
source bench/start-server.sh
start_server ${extra[@]+"${extra[@]}"}
echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
echo "# $(head -1 "$log")"
echo "# server RSS after start: $(awk '/VmRSS/ {print $2/1024 " MB"}' /proc/$pid/status)"
for c in "${counts[@]}"; do
  java bench/ServeLoad.java "$port" "$image" "$c" "$seconds" ${HEATMAP:+heatmap}
done
echo "# server peak RSS: $(awk '/VmHWM/ {print $2/1024 " MB"}' /proc/$pid/status)"
