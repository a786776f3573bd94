#!/usr/bin/env bash
# Inference speed of a model: single-image latency (file to probability; median, p99) with and without a heatmap,
# and folder throughput in batches of 32. Usage: bench/predict.sh [MODEL_DIR] [IMAGE] [FOLDER] [runs]
# Defaults: the shipped model (core/src/main/resources/pneumo-model), one 224x224 image and the 224x224 NORMAL training folder of ../shared/data.
set -euo pipefail
cd "$(dirname "$0")/.."
model="${1:-core/src/main/resources/pneumo-model}"
image="${2:-../shared/data/chest_xray/train/NORMAL/IM-0115-0001.jpeg}"
folder="${3:-../shared/data/chest_xray/train/NORMAL}"
runs="${4:-300}"
jar="${PNEUMO_JAR:-app/target/pneumo.jar}"
[[ -f "$jar" ]] || mvn -B -q -DskipTests install
source bin/allocator-env.sh
echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F), model $model"
java -Xmx1g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$jar" \
  bench/PredictLatency.java "$model" "$image" "$folder" "$runs"
