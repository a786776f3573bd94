#!/usr/bin/env bash
# Training throughput of both networks at 224x224, batch 32, in Java (DJL + PyTorch) and in Python PyTorch, one after
# the other on the same machine, plus the machine's practical peak FLOP rate. Needs the app jar (mvn -DskipTests
# install) and Debian's python3-torch (installed here if missing). Usage: bench/train-throughput.sh [steps]
set -euo pipefail
cd "$(dirname "$0")/.."
steps="${1:-12}"
jar=app/target/pneumo.jar
[[ -f "$jar" ]] || mvn -B -q -DskipTests install
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  apt-get update -q && apt-get install -y -q python3-torch
fi
# Same allocator settings as bin/pneumo for both sides.
source bin/allocator-env.sh
echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
java -Xmx4g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$jar" \
  bench/TrainThroughput.java "$steps" | tee /tmp/pneumo-bench-java.txt
/usr/bin/python3 bench/train_throughput.py "$steps" | tee /tmp/pneumo-bench-python.txt
for net in seed cnn-lstm; do
  j=$(awk -F'\t' -v n="$net" '$2==n {print $4+0}' /tmp/pneumo-bench-java.txt)
  p=$(awk -F'\t' -v n="$net" '$2==n {print $4+0}' /tmp/pneumo-bench-python.txt)
  awk -v n="$net" -v j="$j" -v p="$p" 'BEGIN {printf "ratio\t%s\tjava/python %.2f\n", n, j / p}'
done
