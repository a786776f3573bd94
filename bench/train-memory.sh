#!/usr/bin/env bash
# Resident memory of a training run, epoch by epoch: runs `bin/pneumo train` (5 epochs on the real training folder
# unless told otherwise), samples the JVM's resident memory every second, and prints one line per finished epoch with
# the resident memory then and the peak so far (VmHWM), and at the end the growth from epoch 2 to the last.
# Usage: bench/train-memory.sh [DATA] [extra train arguments...]
#   DATA defaults to ../shared/data/chest_xray; the run writes to a temporary folder that is removed afterwards.
#   Example (the default recipe, 5 epochs): bench/train-memory.sh
#   Example (quick): bench/train-memory.sh ../shared/data/chest_xray --epochs 6 --max-batches 30
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/data/chest_xray}"
shift || true
args=("$@")
[[ " ${args[*]-} " == *" --epochs"* ]] || args+=(--epochs 5)
jar=${PNEUMO_JAR:-app/target/pneumo.jar}
[[ -f "$jar" ]] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 2; }
out=$(mktemp -d /tmp/pneumo-train-memory.XXXXXX)
log="$out/train.log"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$out"' EXIT
echo "# $(nproc) cores, $(date -u '+%F %H:%M') UTC, load $(cut -d' ' -f1 /proc/loadavg); train --data $data ${args[*]}"
PNEUMO_JAR="$jar" bin/pneumo train --data "$data" --out "$out/model" "${args[@]}" >"$log" 2>&1 &
launcher=$!
pid=""
for _ in $(seq 1 60); do
  pid=$(pgrep -f -n "java .*--out $out/model" || true)
  [[ -n "$pid" ]] && break
  sleep 1
done
[[ -n "$pid" ]] || { echo "no java process found:" >&2; cat "$log" >&2; exit 1; }
status() { awk -v k="$1" '$1 == k":" {printf "%d", $2 / 1024}' /proc/"$pid"/status 2>/dev/null; }
seen=0
rss_at=(); printf 'epoch\tseconds\trss_MB\tpeak_MB\n'
start=$(date +%s)
while kill -0 "$launcher" 2>/dev/null; do
  rss=$(status VmRSS); hwm=$(status VmHWM)
  done_epochs=$(grep -c '^epoch [0-9]*/[0-9]* done' "$log" || true)
  while (( seen < done_epochs )); do
    seen=$((seen + 1)); rss_at[$seen]=$rss
    printf '%d\t%d\t%s\t%s\n' "$seen" $(( $(date +%s) - start )) "$rss" "$hwm"
  done
  last_hwm=$hwm
  sleep 1
done
wait "$launcher" || { echo "training failed:" >&2; tail -20 "$log" >&2; exit 1; }
echo "peak resident memory of the whole run (model writing and guard fit included): ${last_hwm:-?} MB"
if (( seen >= 2 )); then
  echo "growth from epoch 2 to epoch $seen: $(( rss_at[seen] - rss_at[2] )) MB"
fi
