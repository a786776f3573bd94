#!/usr/bin/env bash
# Issue 10's proxies for model folders (validation split, the same without label-audit suspects, val/, fullres-sample;
# thresholds by several rules; calibration): bench/proxy-table.sh AUDIT_CSV MODEL_DIR... (data: ../shared/data, or
# PNEUMO_DATA). Make the audit with: bin/pneumo audit-labels --data ../shared/data/chest_xray --out AUDIT_CSV
set -euo pipefail
cd "$(dirname "$0")/.."
data="${PNEUMO_DATA:-../shared/data}"
jar="${PNEUMO_JAR:-app/target/pneumo.jar}"
[[ -f "$jar" ]] || mvn -B -q -DskipTests package
source bin/allocator-env.sh
echo "# $(nproc) cores, $(date -u +%F), data $data"
java -Xmx3g -Dai.djl.offline=true -Djava.awt.headless=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
  -cp "$jar" bench/ProxyTable.java "$data" "$@"
