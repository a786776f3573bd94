#!/usr/bin/env bash
# Longer property-based fuzzing of the decoders (DecoderPropertiesTest) than the default test run's 200 tries per
# property: TRIES tries each (default 20000). Exit status 0 when no input escaped as anything but a clean refusal.
# Usage: bench/fuzz-decoders.sh [TRIES]
set -euo pipefail
cd "$(dirname "$0")/.."
tries="${1:-20000}"
exec nice -n 15 mvn -B -q -pl core test -Dtest=DecoderPropertiesTest -Djqwik.tries.default="$tries" \
  -Dsurefire.failIfNoSpecifiedTests=false
