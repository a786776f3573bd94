#!/usr/bin/env bash
# Do predictions on full-resolution originals agree with predictions on their own 224-pixel Kaggle copies? For each
# model: `pneumo predict` on fullres-sample/train (200 originals) and on the matching chest_xray/train copies, then the
# mean and largest absolute difference in P(PNEUMONIA), how many labels differ, and how many images the out-of-scope
# guard flags on each side. Usage: bench/fullres-agreement.sh [MODEL_DIR...] (default: the shipped model; data:
# ../shared/data or PNEUMO_DATA; PNEUMO_JAR picks the jar).
set -euo pipefail
cd "$(dirname "$0")/.."
data="$(cd "${PNEUMO_DATA:-../shared/data}" && pwd)"
jar="${PNEUMO_JAR:-app/target/pneumo.jar}"
[[ -f "$jar" ]] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 2; }
work=$(mktemp -d /tmp/pneumo-fullres.XXXXXX)
trap 'rm -rf "$work"' EXIT
for c in NORMAL PNEUMONIA; do
  mkdir -p "$work/copies/$c"
  for f in "$data/fullres-sample/train/$c"/*; do
    ln -s "$data/chest_xray/train/$c/$(basename "$f")" "$work/copies/$c/"
  done
done
models=("$@")
(( ${#models[@]} )) || models=(core/src/main/resources/pneumo-model)
echo "# $(nproc) cores, $(date -u '+%F %H:%M') UTC, $(basename "$jar")"
printf 'model\timages\tmean |dP|\tmax |dP|\tlabels differ\tflagged originals\tflagged copies\n'
for m in "${models[@]}"; do
  PNEUMO_JAR="$jar" bin/pneumo predict --model "$m" --out "$work/full.csv" "$data/fullres-sample/train" \
    >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
  PNEUMO_JAR="$jar" bin/pneumo predict --model "$m" --out "$work/copy.csv" "$work/copies" \
    >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
  python3 - "$m" "$work/full.csv" "$work/copy.csv" <<'PY'
import csv, os, sys
def rows(path):
    return {os.path.basename(r["file"]): r for r in csv.DictReader(open(path))}
full, copy = rows(sys.argv[2]), rows(sys.argv[3])
keys = sorted(set(full) & set(copy))
d = [abs(float(full[k]["probability"]) - float(copy[k]["probability"])) for k in keys]
differ = sum(full[k]["label"] != copy[k]["label"] for k in keys)
flagged = lambda side: sum(side[k].get("inScope", "").lower() == "false" for k in keys)
print(f"{sys.argv[1]}\t{len(keys)}\t{sum(d) / len(d):.4f}\t{max(d):.3f}\t{differ}\t{flagged(full)}\t{flagged(copy)}")
PY
done
