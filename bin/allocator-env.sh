# Sourced by bin/pneumo and the bench scripts: the memory allocator PyTorch needs on this kind of machine
# (DESIGN.md: glibc's default malloc makes training about 10x slower). jemalloc when installed, else glibc tunables.
# Set PNEUMO_NO_JEMALLOC=1 to skip jemalloc.
pneumo_jemalloc=
if [[ -z "${PNEUMO_NO_JEMALLOC:-}" ]]; then
  for lib in /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 /usr/lib/aarch64-linux-gnu/libjemalloc.so.2 \
             /usr/lib64/libjemalloc.so.2 /usr/lib/libjemalloc.so.2; do
    if [[ -f "$lib" ]]; then
      export LD_PRELOAD="$lib${LD_PRELOAD:+:$LD_PRELOAD}"
      export MALLOC_CONF="${MALLOC_CONF:-oversize_threshold:0,dirty_decay_ms:-1,muzzy_decay_ms:-1}"
      pneumo_jemalloc=1
      break
    fi
  done
fi
if [[ -z "$pneumo_jemalloc" ]]; then
  export MALLOC_ARENA_MAX=1 MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=17179869184 MALLOC_TOP_PAD_=1073741824
fi
export DJL_OFFLINE=true
