# Sourced by the serving benchmarks: starts `bin/pneumo serve` on a free local port with the arguments given
# (MODEL in the environment adds --model), waits for /health, and sets port, pid (the server JVM) and log (its
# standard error). The server is stopped and the log removed when the calling script exits.
start_server() {
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  local args=(serve --port "$port" "$@")
  [[ -n "${MODEL:-}" ]] && args+=(--model "$MODEL")
  log=$(mktemp)
  bin/pneumo "${args[@]}" 2> "$log" &
  server_launcher=$!
  trap 'kill $server_launcher 2>/dev/null || true; rm -f "$log"' EXIT
  for _ in $(seq 120); do
    curl -sf "http://127.0.0.1:$port/health" > /dev/null && break
    sleep 0.5
  done
  curl -sf "http://127.0.0.1:$port/health" > /dev/null || { cat "$log"; echo "server did not start" >&2; exit 1; }
  pid=$(pgrep -f "[.]jar serve --port $port" | head -1) # any jar: PNEUMO_JAR may name a copy
}
