#!/usr/bin/env bash
# `pneumo serve` under large and malformed uploads: C clients post in turn a real X-ray, a 12000x8000 PNG, a JPEG
# declaring 10000x9999, a cut JPEG and random bytes for S seconds (bench/ServeMix.java), then the server's resident
# memory after start and at its peak. The server runs with --max-upload-mb 64 so that the big PNG is predicted.
# Usage: bench/serve-mix.sh [SECONDS] [CLIENTS]   Env: MODEL=DIR (default: the shipped model).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
clients="${2:-8}"
image="../shared/data/chest_xray/train/NORMAL/IM-0115-0001.jpeg"
jar=app/target/pneumo.jar
[[ -f "$jar" ]] || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }
source bench/start-server.sh
start_server --max-upload-mb 64
echo "# $(nproc) cores, $(date -u +%F), $clients clients for $seconds s"
echo "# server RSS after start: $(awk '/VmRSS/ {print $2/1024 " MB"}' /proc/$pid/status)"
java bench/ServeMix.java "$port" "$image" "$clients" "$seconds"
echo "# server peak RSS: $(awk '/VmHWM/ {print $2/1024 " MB"}' /proc/$pid/status)"
grep -c "ERROR" "$log" | sed 's/^/# ERROR lines in the server log: /' || true
