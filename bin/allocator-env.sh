# Sourced by bin/pneumo and the bench scripts: the memory allocator PyTorch needs on this kind of machine (with
# glibc's default malloc, PyTorch returns its large per-step buffers to the system and faults them in again every
# step; training here was about 10x slower). jemalloc when installed, else glibc tunables that keep freed memory.
# Set PNEUMO_NO_JEMALLOC=1 to skip jemalloc. Sets pneumo_allocator to a one-line description for the user.
pneumo_jemalloc=
if [[ -z "${PNEUMO_NO_JEMALLOC:-}" ]]; then
  for lib in /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 /usr/lib/aarch64-linux-gnu/libjemalloc.so.2 \
             /usr/lib64/libjemalloc.so.2 /usr/lib/libjemalloc.so.2; do
    if [[ -f "$lib" ]]; then
      export LD_PRELOAD="$lib${LD_PRELOAD:+:$LD_PRELOAD}"
      export MALLOC_CONF="${MALLOC_CONF:-oversize_threshold:0,dirty_decay_ms:-1,muzzy_decay_ms:-1}"
      pneumo_jemalloc="$lib"
      break
    fi
  done
fi
if [[ -n "$pneumo_jemalloc" ]]; then
  pneumo_allocator="memory allocator: jemalloc ($pneumo_jemalloc)"
else
  export MALLOC_ARENA_MAX=1 MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=17179869184 MALLOC_TOP_PAD_=1073741824
  pneumo_allocator="memory allocator: glibc malloc with tunables ($([[ -n "${PNEUMO_NO_JEMALLOC:-}" ]] \
    && echo "PNEUMO_NO_JEMALLOC is set" || echo "jemalloc not found")): these tunables keep PyTorch's buffers\
 (glibc's defaults train about 10x slower here) but jemalloc is faster still; install it with:\
 sudo apt-get install libjemalloc2 (Debian/Ubuntu) or sudo dnf install jemalloc (Fedora)"
fi
export DJL_OFFLINE=true
