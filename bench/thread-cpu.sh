#!/usr/bin/env bash
# CPU seconds (user + system) of a command's threads, summed by thread name (digits and -N suffixes dropped), for
# the command and its child processes: where a run's CPU goes (PyTorch on the calling thread, decoding threads,
# the JIT compilers, Spark's driver). Threads are sampled every 0.3 s, so a thread that lives shorter than that
# (a per-batch decoding pool, for instance) may be missed; the total of `/usr/bin/time` is the reference.
# Usage: bench/thread-cpu.sh command...   (the command's own output goes to /dev/null, its errors to stderr)
set -uo pipefail
"$@" > /dev/null &
top=$!
declare -A last
while kill -0 "$top" 2>/dev/null; do
  for p in $(pgrep -P "$top") "$top"; do
    for t in /proc/"$p"/task/*; do
      read -r stat 2>/dev/null < "$t/stat" || continue
      read -r name 2>/dev/null < "$t/comm" || continue
      read -ra f <<< "${stat##*) }"
      last["$p/${t##*/}"]="$name|$(( f[11] + f[12] ))"
    done
  done
  sleep 0.3
done
wait "$top"
rc=$?
hz=$(getconf CLK_TCK)
for k in "${!last[@]}"; do echo "${last[$k]}"; done | awk -F'|' -v hz="$hz" '
  { n = $1; sub(/[-#]?[0-9]+$/, "", n); s[n] += $2 }
  END { for (n in s) if (s[n] > 0) printf "%8.1f s  %s\n", s[n] / hz, n }' | sort -rn
exit "$rc"
