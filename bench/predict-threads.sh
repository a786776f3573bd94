#!/usr/bin/env bash
# bin/pneumo predict with one busy process beside it, for each (PyTorch intra-op threads, decoding threads): wall
# seconds for 40 full-resolution originals and 200 224-px images. Usage: bench/predict-threads.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-1}"
small=$(ls -d ../shared/data/chest_xray/train/PNEUMONIA/* | head -200)
full=$(ls -d ../shared/data/fullres-sample/train/*/* | awk 'NR % 5 == 0')
bash -c 'while :; do :; done' &
busy=$!
trap 'kill $busy' EXIT
for round in $(seq 1 "$rounds"); do
  for cfg in "2 2" "1 2" "2 1" "1 1"; do
    set -- $cfg
    for set in full small; do
      if [[ $set == full ]]; then args=$full; else args=$small; fi
      start=$(date +%s.%N)
      PNEUMO_JAVA_OPTS="-Dai.djl.pytorch.num_threads=$1 -Dpneumo.decodeThreads=$2" bin/pneumo predict $args \
        > /dev/null 2>&1
      end=$(date +%s.%N)
      printf 'round %d\tpytorch threads %s\tdecode threads %s\t%s\t%.1f s\tload %s\n' "$round" "$1" "$2" "$set" \
        "$(echo "$end - $start" | bc)" "$(cut -d' ' -f1 /proc/loadavg)"
    done
  done
done
