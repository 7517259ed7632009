# Sourced by check.sh and prove_queries.sh. The real demo engine (src/Aria.Metrics.Demo) is what the Grafana checks
# read the catalog from and what Prometheus scrapes: there is no second definition of the catalog to keep in step.
#
#   free_port               prints a free TCP port on 127.0.0.1
#   demo_build              builds the demo (Release, incremental) and sets DEMO_DLL; needs the .NET SDK
#   demo_start PORT LOG     starts the built demo serving on PORT (METRICS_PORT), output to LOG; appends to DEMO_PIDS
#   demo_exposition PORT    prints one text 0.0.4 exposition once the catalog is registered (fails after 60 s)
#   demo_stop               stops the demos started here and waits for them

DEMO_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DEMO_PIDS=()
DEMO_DLL=""

free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

demo_build() {
  local out
  if ! out=$(dotnet msbuild "$DEMO_REPO/src/Aria.Metrics.Demo/Aria.Metrics.Demo.csproj" -restore -t:Build \
      -p:Configuration=Release -nologo -v:q -getProperty:TargetPath 2>&1); then
    printf 'building the demo failed:\n%s\n' "$out" >&2
    return 1
  fi
  DEMO_DLL=$(printf '%s\n' "$out" | tail -n 1)
  [ -f "$DEMO_DLL" ] || { printf 'the demo build did not leave %s\n' "$DEMO_DLL" >&2; return 1; }
}

demo_start() {
  [ -n "$DEMO_DLL" ] || demo_build || return 1
  METRICS_PORT=$1 dotnet "$DEMO_DLL" > "$2" 2>&1 &
  DEMO_PIDS+=($!)
}

# The catalog registers its families together, after the server has started: wait until a scrape shows them, then
# return a scrape whose family list is the same as the one before it.
demo_exposition() {
  local url="http://127.0.0.1:$1/metrics" deadline=$((SECONDS + 60)) previous="" body types
  while [ "$SECONDS" -lt "$deadline" ]; do
    if body=$(curl -fsS --max-time 5 "$url" 2>/dev/null) && [[ "$body" == *"# TYPE aria_build_info "* ]]; then
      types=$(printf '%s\n' "$body" | grep '^# TYPE ')
      if [ "$types" = "$previous" ]; then
        printf '%s\n' "$body"
        return 0
      fi
      previous=$types
    else
      sleep 0.3
    fi
  done
  echo "the demo on port $1 served no catalog within 60 s" >&2
  return 1
}

demo_stop() {
  local p
  for p in "${DEMO_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${DEMO_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  DEMO_PIDS=()
}
