#!/usr/bin/env bash
# The out-of-scope guard's table for a model (share flagged on pediatric, adult and synthetic images; AUROC of the
# typicality score): bench/scope-guard.sh [MODEL_DIR] [DATA_ROOT]. Defaults: the shipped model, ../shared/data.
set -euo pipefail
cd "$(dirname "$0")/.."
model="${1:-core/src/main/resources/pneumo-model}"
data="${2:-../shared/data}"
jar="${PNEUMO_JAR:-app/target/pneumo.jar}"
[[ -f "$jar" ]] || mvn -B -q -DskipTests package
source bin/allocator-env.sh
echo "# $(nproc) cores, $(date -u +%F), model $model"
java -Xmx2g -Dai.djl.offline=true -Djava.awt.headless=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
  -cp "$jar" bench/ScopeGuardReport.java "$model" "$data"
