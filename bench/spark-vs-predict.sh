#!/usr/bin/env bash
# The same folder scored by `bin/pneumo predict` and by the Spark job in local[2] (`bin/pneumo-spark`), one after the
# other: wall time of each whole command (JVM start and model load included), images/s and images/s per core, peak
# resident memory (/usr/bin/time), and the number of files whose label differs between the two outputs.
# Usage: bench/spark-vs-predict.sh [FOLDER] [MODEL_DIR]
# Defaults: ../shared/data/chest_xray/train/NORMAL (1,341 images) and the shipped model.
# Build first: mvn -B -q -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/.."
folder="$(cd "${1:-../shared/data/chest_xray/train/NORMAL}" && pwd)"
model="${2:-core/src/main/resources/pneumo-model}"
[[ -f app/target/pneumo.jar && -f spark/target/pneumo-spark.jar ]] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 2; }
work="$(mktemp -d /tmp/pneumo-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
n=$(find "$folder" -type f \( -iname '*.jpeg' -o -iname '*.jpg' -o -iname '*.png' -o -iname '*.dcm' \) | wc -l)
echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u '+%F %H:%M') UTC"
echo "# $n images in $folder, model $model, load average $(cut -d' ' -f1-3 /proc/loadavg)"

measure() { # name, command...
  local name="$1"; shift
  /usr/bin/time -f '%e %M' -o "$work/$name.time" "$@" > "$work/$name.out" 2> "$work/$name.err" || true
  read -r wall rss < "$work/$name.time"
  printf '%-22s %8.1f s %8.1f images/s %7.1f images/s/core  peak RSS %5.0f MB\n' "$name" "$wall" \
    "$(echo "$n / $wall" | bc -l)" "$(echo "$n / $wall / 2" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
}
measure "pneumo predict" bin/pneumo predict --model "$model" --out "$work/predict.csv" "$folder"
PNEUMO_SPARK_MASTER='local[2]' measure "spark local[2]" bin/pneumo-spark --input "$folder" \
  --output "$work/spark" --model "$model" --format csv --output-files 1
grep -q 'images:' "$work/spark local[2].err" || { cat "$work/spark local[2].err" >&2; exit 1; }

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
