#!/usr/bin/env bash
# The same folder scored by `bin/pneumo predict` and by the Spark job in local[2] (`bin/pneumo-spark`), one after the
# other, and the number of files whose label differs between the two outputs. For each command:
# - whole command: wall time (JVM start, Spark session, model load and output commit included), images/s and
#   images/s per core, CPU seconds (user + system) and peak resident memory (/usr/bin/time);
# - scoring phase: images/s from the moment the first 10% of the images were scored to the last one scored (from
#   predict's progress lines and the job's per-partition log lines, time-stamped as they reach standard error): the
#   rate a long run settles at, without start-up and output commit, which a large archive pays once per JVM.
# Usage: bench/spark-vs-predict.sh [FOLDER] [MODEL_DIR]
# Defaults: ../shared/data/chest_xray/train/NORMAL (1,341 images) and the shipped model.
# Env: PNEUMO_JAR / PNEUMO_SPARK_JAR run copies of the jars (so that a rebuild cannot disturb the runs);
#      ROUNDS=N repeats both runs N times (default 1), alternating predict and Spark.
# Build first: mvn -B -q -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/.."
folder="$(cd "${1:-../shared/data/chest_xray/train/NORMAL}" && pwd)"
model="${2:-core/src/main/resources/pneumo-model}"
rounds="${ROUNDS:-1}"
[[ -f "${PNEUMO_JAR:-app/target/pneumo.jar}" && -f "${PNEUMO_SPARK_JAR:-spark/target/pneumo-spark.jar}" ]] \
  || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 2; }
work="$(mktemp -d /tmp/pneumo-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
n=$(find "$folder" -type f \( -iname '*.jpeg' -o -iname '*.jpg' -o -iname '*.png' -o -iname '*.dcm' \) | wc -l)
cores=$(nproc)
echo "# $cores cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u '+%F %H:%M') UTC"
echo "# $n images in $folder, model $model, load average $(cut -d' ' -f1-3 /proc/loadavg)"
# The job's per-partition lines ("scored partition P: N files") at INFO, Spark itself at WARN.
cat "spark/log4j2.properties" > "$work/log4j2.properties"
printf '%s\n' logger.scorer.name=org.pneumo.spark.PartitionScorer logger.scorer.level=info >> "$work/log4j2.properties"

run() { # name, command... : "wall user sys rss" in $work/name.time, stderr lines time-stamped in $work/name.err
  local name="$1"; shift
  rm -rf "$work/spark"
  /usr/bin/time -f '%e %U %S %M' -o "$work/$name.time" "$@" > "$work/$name.out" \
    2> >(while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done > "$work/$name.err") || true
  sleep 0.5 # the time-stamping reader finishes
}
report() { # name, label
  local wall user sys rss
  read -r wall user sys rss < "$work/$1.time"
  printf '%-15s %7.1f s %6.1f images/s %5.1f images/s/core  CPU %6.1f s  peak RSS %5.0f MB | scoring phase %s\n' \
    "$2" "$wall" "$(echo "$n / $wall" | bc -l)" "$(echo "$n / $wall / $cores" | bc -l)" \
    "$(echo "$user + $sys" | bc -l)" "$(echo "$rss / 1024" | bc -l)" "$(phase "$work/$1.err")"
}
phase() { # time-stamped stderr: images/s from 10% of the images scored to the last
  python3 - "$1" "$n" <<'PY'
import re, sys
points, done = [], 0
for line in open(sys.argv[1], errors="replace"):
    t, _, text = line.partition(" ")
    m = re.search(r"\] (\d+)/\d+ ", text)            # predict's progress: "[===>   ] 135/1341 ..."
    if m:
        points.append((float(t), int(m.group(1))))
    m = re.search(r"scored partition -?\d+: (\d+) files", text)  # the Spark job's partitions
    if m:
        done += int(m.group(1))
        points.append((float(t), done))
n = int(sys.argv[2])
start = next((p for p in points if p[1] >= n / 10), None)
if start is None or points[-1][1] <= start[1]:
    print("n/a")
else:
    rate = (points[-1][1] - start[1]) / (points[-1][0] - start[0])
    print(f"{rate:.1f} images/s ({points[-1][1] - start[1]} images in {points[-1][0] - start[0]:.1f} s)")
PY
}
spark=(env PNEUMO_SPARK_MASTER='local[2]' PNEUMO_SPARK_OPTS="-Dlog4j2.configurationFile=$work/log4j2.properties"
  bin/pneumo-spark --output "$work/spark" --model "$model" --format csv --output-files 1 --input)
for round in $(seq "$rounds"); do
  run predict bin/pneumo predict --model "$model" --out "$work/predict.csv" "$folder"
  report predict "pneumo predict"
  run spark "${spark[@]}" "$folder"
  grep -q 'images:' "$work/spark.err" || { cat "$work/spark.err" >&2; exit 1; }
  report spark "spark local[2]"
done
echo "# load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"

# Label differences, matched by file path (Spark writes file: URIs).
python3 - "$work/predict.csv" "$work"/spark/part-*.csv <<'PY'
import csv, sys
from urllib.parse import unquote
predict = {r["file"]: r for r in csv.DictReader(open(sys.argv[1]))}
spark = {}
for part in sys.argv[2:]:
    for r in csv.DictReader(open(part)):
        spark[unquote(r["path"].removeprefix("file:"))] = r
common = predict.keys() & spark.keys()
diff = [f for f in common if predict[f]["label"] != spark[f]["label"]]
dp = max((abs(float(predict[f]["probability"]) - float(spark[f]["probability"]))
          for f in common if predict[f]["probability"] and spark[f]["probability"]), default=0)
print(f"rows: predict {len(predict)}, spark {len(spark)}, matched {len(common)}; "
      f"label differences {len(diff)}; largest probability difference {dp:.2e}")
PY
