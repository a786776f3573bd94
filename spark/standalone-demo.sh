#!/usr/bin/env bash
# Demonstration, not part of CI: a Spark standalone cluster on this machine (one master, two workers with one core
# each, everything bound to 127.0.0.1) started from the Maven jars (no Spark distribution needed), the scoring job
# submitted to it, its output checked (one row per image file), each worker's share of the tasks shown, the
# executors' peak resident memory measured, and every process it started stopped by PID.
#
# Usage: spark/standalone-demo.sh --model DIR [INPUT_FOLDER] [EXECUTOR_MEMORY]
#   default input: ../shared/data/chest_xray/train/NORMAL (1,341 images); executor memory default 1g.
# Build first: mvn -B -q -DskipTests package
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ "${1:-}" == "--model" && -n "${2:-}" ]] || { echo "usage: $0 --model DIR [INPUT_FOLDER] [EXECUTOR_MEMORY]" >&2; exit 2; }
model="$(cd "$2" && pwd)"
input="$(cd "${3:-$here/../shared/data/chest_xray/train/NORMAL}" && pwd)"
executor_memory="${4:-1g}"
jar="$here/spark/target/pneumo-spark.jar"
cpfile="$here/spark/target/spark-classpath.txt"
[[ -f "$jar" && -f "$cpfile" ]] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 2; }
cp="$(cat "$cpfile")"
work="$(mktemp -d /tmp/pneumo-standalone.XXXXXX)"
pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "stopped ${#pids[@]} processes (${pids[*]}); logs in $work"
}
trap stop_all EXIT

# A SPARK_HOME made of links to the Maven jars: workers build each executor's class path from $SPARK_HOME/jars.
mkdir -p "$work/spark-home/jars" "$work/spark-home/conf"
tr ':' '\n' <<<"$cp" | while read -r j; do ln -s "$j" "$work/spark-home/jars/"; done
# The master's URL, worker registrations and the executors' per-task lines are logged at INFO.
{ cat "$here/spark/log4j2.properties"
  printf '%s\n' logger.pneumo.name=org.pneumo logger.pneumo.level=info \
    logger.deploy.name=org.apache.spark.deploy logger.deploy.level=info; } > "$work/spark-home/conf/log4j2.properties"
export SPARK_HOME="$work/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 SPARK_CONF_DIR="$work/spark-home/conf"
jvm=(java @"$here/spark/jvm.options" -Dlog4j2.configurationFile="$SPARK_CONF_DIR/log4j2.properties" -cp "$cp")

"${jvm[@]}" -Xmx256m org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 0 --webui-port 0 \
  > "$work/master.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do
  url="$(grep -o 'spark://127.0.0.1:[0-9]*' "$work/master.log" | head -1 || true)"
  [[ -n "$url" ]] && break
  sleep 1
done
[[ -n "$url" ]] || { echo "master did not start; see $work/master.log" >&2; exit 1; }
echo "master $url (pid ${pids[0]})"
for w in 1 2; do
  "${jvm[@]}" -Xmx256m org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 --webui-port 0 \
    --cores 1 --memory 3g --work-dir "$work/worker$w" "$url" > "$work/worker$w.log" 2>&1 &
  pids+=($!)
done
for _ in $(seq 300); do
  n=$(cat "$work"/worker?.log | grep -c 'Successfully registered with master' || true)
  [[ "$n" -ge 2 ]] && break
  sleep 1
done
[[ "$n" -ge 2 ]] || { echo "workers did not register; see $work/worker*.log" >&2; exit 1; }
echo "2 workers registered (pids ${pids[1]} ${pids[2]})"

# Peak resident memory of every executor, sampled while the job runs.
(
  while sleep 0.5; do
    for p in $(pgrep -f CoarseGrainedExecutorBackend || true); do
      grep -h VmHWM "/proc/$p/status" 2>/dev/null | awk -v p="$p" '{print p, $2}' >> "$work/executor-rss.txt" || true
    done
  done
) &
sampler=$!

out="$work/scores"
start=$(date +%s.%N)
set +e
"${jvm[@]}" -Xmx1g org.apache.spark.deploy.SparkSubmit --master "$url" --deploy-mode client \
  --class org.pneumo.spark.ScoreJob \
  --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 --conf spark.ui.enabled=false \
  --conf spark.executor.cores=1 --conf spark.task.cpus=1 --conf spark.executor.memory="$executor_memory" \
  --conf spark.executorEnv.LD_PRELOAD="$(ls /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 2>/dev/null || true)" \
  --conf spark.executorEnv.MALLOC_CONF=oversize_threshold:0,dirty_decay_ms:-1,muzzy_decay_ms:-1 \
  --conf "spark.executor.extraJavaOptions=-Dai.djl.offline=true -Djava.awt.headless=true" \
  "$jar" --input "$input" --output "$out" --model "$model" --format csv 2>&1 | tee "$work/submit.log" | grep -v '^WARNING'
code=${PIPESTATUS[0]}
set -e
end=$(date +%s.%N)
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
echo "job exit code $code, $(echo "$end - $start" | bc) s wall (JVM start and executor launch included)"

files=$(find "$input" -type f \( -iname '*.jpeg' -o -iname '*.jpg' -o -iname '*.png' -o -iname '*.dcm' \) | wc -l)
rows=$(for f in "$out"/part-*.csv; do tail -n +2 "$f"; done | wc -l)
echo "image files $files, output rows $rows"
for w in 1 2; do
  n=$(cat "$work"/worker$w/app-*/*/stderr 2>/dev/null | grep -c 'scored partition' || true)
  echo "worker $w: $n tasks"
done
if [[ -s "$work/executor-rss.txt" ]]; then
  sort -k1,1 -k2,2n "$work/executor-rss.txt" | awk '{peak[$1]=$2} END {for (p in peak) printf "executor pid %s peak RSS %.0f MB\n", p, peak[p]/1024}'
fi
[[ "$code" -eq 0 && "$rows" -eq "$files" ]] || { echo "FAILED" >&2; exit 1; }
echo "OK"
