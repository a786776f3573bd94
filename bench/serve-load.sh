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
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
args=(serve --port "$port")
[[ -n "${MODEL:-}" ]] && args+=(--model "$MODEL")
[[ -n "${WORKERS:-}" ]] && args+=(--workers "$WORKERS")
[[ -n "${QUEUE:-}" ]] && args+=(--queue "$QUEUE")
log=$(mktemp)
bin/pneumo "${args[@]}" 2> "$log" &
launcher=$!
trap 'kill $launcher 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 120); do
  curl -sf "http://127.0.0.1:$port/health" > /dev/null && break
  sleep 0.5
done
curl -sf "http://127.0.0.1:$port/health" > /dev/null || { cat "$log"; echo "server did not start" >&2; exit 1; }
pid=$(pgrep -f "pneumo.jar serve --port $port" | head -1)
echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
echo "# $(head -1 "$log")"
echo "# server RSS after start: $(awk '/VmRSS/ {print $2/1024 " MB"}' /proc/$pid/status)"
for c in "${counts[@]}"; do
  java bench/ServeLoad.java "$port" "$image" "$c" "$seconds" ${HEATMAP:+heatmap}
done
echo "# server peak RSS: $(awk '/VmHWM/ {print $2/1024 " MB"}' /proc/$pid/status)"
