#!/usr/bin/env bash
# What the out-of-scope guard adds per image: the model folder against a copy of it without the guard, in one JVM,
# alternating rounds (bench/GuardCost.java): single-image latency (file to probability), folder scoring in batches
# of 32, and the Mahalanobis distance alone.
# Usage: bench/guard-cost.sh [MODEL_DIR] [IMAGE] [FOLDER] [ROUNDS] [FOLDER_IMAGES]
# Defaults: the shipped model, one 224x224 JPEG and the first 320 images of the NORMAL training folder; 10 rounds.
# Env: PNEUMO_JAR runs a copy of the jar (so that a rebuild cannot disturb the run).
set -euo pipefail
cd "$(dirname "$0")/.."
model="${1:-core/src/main/resources/pneumo-model}"
image="${2:-../shared/data/chest_xray/train/NORMAL/IM-0115-0001.jpeg}"
folder="${3:-../shared/data/chest_xray/train/NORMAL}"
jar="${PNEUMO_JAR:-app/target/pneumo.jar}"
[[ -f "$jar" ]] || { echo "build first: mvn -B -q -DskipTests install" >&2; exit 2; }
source bin/allocator-env.sh
echo "# $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u '+%F %H:%M') UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx1g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$jar" \
  bench/GuardCost.java "$model" "$image" "$folder" "${4:-10}" "${5:-320}"
echo "# load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
