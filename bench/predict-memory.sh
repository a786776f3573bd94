#!/usr/bin/env bash
# Resident memory over many single predictions (native leak check; fails with exit 1 above 48 MB of growth outside
# the Java heap). Usage: bench/predict-memory.sh [MODEL_DIR|shipped] [predictions]   Defaults: shipped, 10000.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=app/target/pneumo.jar
[[ -f "$jar" ]] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 2; }
source bin/allocator-env.sh
echo "# $(nproc) cores, $(date -u +%F)"
java -Xmx1g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$jar" \
  bench/PredictMemory.java "${1:-shipped}" "${2:-10000}"
