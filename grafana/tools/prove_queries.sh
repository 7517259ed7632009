#!/usr/bin/env bash
# Prove every dashboard expression against a real Prometheus.
#
#   prove_queries.sh                      build the demo engine and scrape two of its processes (needs the .NET SDK)
#   prove_queries.sh --target HOST:PORT   scrape these engines instead (repeatable), e.g. a demo already running
#   prove_queries.sh --dashboard FILE     prove another dashboard JSON (default dashboards/aria_engine.json)
#   prove_queries.sh --feature NAME       start Prometheus with --enable-feature=NAME (repeatable), e.g.
#                                         native-histograms (it then scrapes protobuf and stores native histograms)
#   prove_queries.sh --expr EXPR          prove this expression too (repeatable)
#   prove_queries.sh --absent EXPR        and this one returns nothing once the others return data (repeatable),
#                                         e.g. the classic buckets that native histograms replace
#   prove_queries.sh --exemplars QUERY    also wait until /api/v1/query_exemplars returns, for QUERY, exemplars
#                                         whose trace_id is a W3C trace id (repeatable; needs --feature exemplar-storage)
#
# Starts `prometheus` on a free loopback port with a temporary config that scrapes the targets every
# second as job "aria_engine" and loads prometheus/alerts.yml, then polls until every expression
# printed by extract_queries.py returns at least one series with a finite value through
# /api/v1/query and every alert rule evaluates with health "ok". Fails listing the expressions that
# never did. Bounded by PROVE_TIMEOUT seconds (default 80); kills what it started on exit.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GRAFANA_DIR=$(dirname "$HERE")
PY=/usr/bin/python3
PROMETHEUS=${PROMETHEUS:-prometheus}
TIMEOUT=${PROVE_TIMEOUT:-80}
MIN_WAIT=${PROVE_MIN_WAIT:-5}   # seconds of scraping before the first attempt: rate() needs 2 samples

targets=()
features=()
extra_exprs=()
exemplar_queries=()
absent_exprs=()
dashboard="$GRAFANA_DIR/dashboards/aria_engine.json"
while [ $# -gt 0 ]; do
  case "$1" in
    --target) targets+=("$2"); shift 2 ;;
    --dashboard) dashboard=$2; shift 2 ;;
    --feature) features+=("$2"); shift 2 ;;
    --expr) extra_exprs+=("$2"); shift 2 ;;
    --exemplars) exemplar_queries+=("$2"); shift 2 ;;
    --absent) absent_exprs+=("$2"); shift 2 ;;
    *) echo "usage: $0 [--target HOST:PORT]... [--dashboard FILE] [--feature NAME]... [--expr EXPR]... [--absent EXPR]... [--exemplars QUERY]..." >&2; exit 2 ;;
  esac
done
feature_flags=()
if [ ${#features[@]} -gt 0 ]; then
  feature_flags=("--enable-feature=$(IFS=,; echo "${features[*]}")")
fi

start=$SECONDS
tmp=$(mktemp -d)
pids=()
# shellcheck source=demo.sh
. "$HERE/demo.sh"
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  demo_stop
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

elapsed() { echo $((SECONDS - start)); }
deadline_passed() { [ $((SECONDS - start)) -ge "$TIMEOUT" ]; }

if [ ${#targets[@]} -eq 0 ]; then
  demo_build
  for n in 1 2; do
    port=$(free_port)
    demo_start "$port" "$tmp/demo-$n.log"
    targets+=("127.0.0.1:$port")
  done
  echo "demo engines: ${targets[*]}"
fi

prom_port=$(free_port)
prom="http://127.0.0.1:$prom_port"
{
  echo "global:"
  echo "  scrape_interval: 1s"
  echo "  scrape_timeout: 1s"
  echo "  evaluation_interval: 1s"
  echo "rule_files:"
  echo "  - $GRAFANA_DIR/prometheus/alerts.yml"
  echo "scrape_configs:"
  echo "  - job_name: aria_engine"
  echo "    static_configs:"
  echo "      - targets:"
  for t in "${targets[@]}"; do echo "          - '$t'"; done
} > "$tmp/prometheus.yml"
promtool check config "$tmp/prometheus.yml" > /dev/null

"$PROMETHEUS" --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/data" \
  --web.listen-address="127.0.0.1:$prom_port" --log.level=warn "${feature_flags[@]}" > "$tmp/prometheus.log" 2>&1 &
pids+=($!)

until curl -fs --max-time 2 "$prom/-/ready" > /dev/null 2>&1; do
  if deadline_passed || ! kill -0 "${pids[-1]}" 2>/dev/null; then
    echo "prometheus did not become ready:" >&2; cat "$tmp/prometheus.log" >&2; exit 1
  fi
  sleep 0.5
done
echo "prometheus ${features[*]:+(--enable-feature=$(IFS=,; echo "${features[*]}")) }ready on $prom after $(elapsed)s"

"$PY" "$HERE/extract_queries.py" "$dashboard" > "$tmp/exprs"
for e in "${extra_exprs[@]}"; do printf '%s\n' "$e" >> "$tmp/exprs"; done
total=$(wc -l < "$tmp/exprs")
[ "$total" -gt 0 ] || { echo "no expressions extracted" >&2; exit 1; }

# Number of series with a finite value that an instant query returns (-1 on an API error).
finite_series() {
  curl -fsS --max-time 5 "$prom/api/v1/query" --data-urlencode "query=$1" 2>/dev/null \
    | jq -r 'if .status == "success" and .data.resultType == "vector"
             then [.data.result[] | .value[1] | select(. != "NaN" and . != "+Inf" and . != "-Inf")] | length
             elif .status == "success" and .data.resultType == "scalar"
             then (if (.data.result[1] | IN("NaN", "+Inf", "-Inf")) then 0 else 1 end)
             else -1 end' 2>/dev/null || echo -1
}

# Number of exemplars that /api/v1/query_exemplars returns for a query over the last ten minutes with a W3C trace id.
trace_exemplars() {
  local now
  now=$(date +%s)
  curl -fsS --max-time 5 "$prom/api/v1/query_exemplars" --data-urlencode "query=$1" \
      --data-urlencode "start=$((now - 600))" --data-urlencode "end=$now" 2>/dev/null \
    | jq -r '[.data[]?.exemplars[]? | select((.labels.trace_id // "") | test("^[0-9a-f]{32}$"))] | length' 2>/dev/null || echo 0
}

up_targets() {
  curl -fsS --max-time 5 "$prom/api/v1/query" --data-urlencode 'query=up{job="aria_engine"} == 1' 2>/dev/null \
    | jq -r '.data.result | length' 2>/dev/null || echo 0
}

until [ "$(up_targets)" -ge "${#targets[@]}" ]; do
  if deadline_passed; then echo "targets not up after $(elapsed)s: ${targets[*]}" >&2; cat "$tmp/prometheus.log" >&2; exit 1; fi
  sleep 0.5
done
echo "${#targets[@]} targets up after $(elapsed)s"
sleep "$MIN_WAIT"

attempt=0
while :; do
  attempt=$((attempt + 1))
  : > "$tmp/failed"
  : > "$tmp/report"
  while IFS= read -r expr; do
    n=$(finite_series "$expr")
    printf '%4s  %s\n' "$n" "$expr" >> "$tmp/report"
    [ "$n" -gt 0 ] || printf '%s\n' "$expr" >> "$tmp/failed"
  done < "$tmp/exprs"
  bad_rules=$(curl -fsS --max-time 5 "$prom/api/v1/rules" \
    | jq -r '[.data.groups[].rules[] | select(.health != "ok") | "\(.name): \(.health) \(.lastError // "")"] | .[]')
  rule_count=$(curl -fsS --max-time 5 "$prom/api/v1/rules" | jq -r '[.data.groups[].rules[]] | length')
  if [ ! -s "$tmp/failed" ] && [ -z "$bad_rules" ] && [ "$rule_count" -gt 0 ]; then break; fi
  if deadline_passed; then break; fi
  sleep 2
done

echo "series  expression (attempt $attempt, $(elapsed)s)"
cat "$tmp/report"
echo "alert rules loaded: $rule_count; firing or pending now:"
curl -fsS --max-time 5 "$prom/api/v1/alerts" \
  | jq -r '.data.alerts[] | "  \(.labels.alertname) \(.state) \(.labels.instance) \(.labels.model // "")"' | sort

# What must not be there, asked once the rest has data (so that the scrapes have happened).
: > "$tmp/present"
for e in "${absent_exprs[@]}"; do
  n=$(curl -fsS --max-time 5 "$prom/api/v1/query" --data-urlencode "query=$e" 2>/dev/null | jq -r '.data.result | length' 2>/dev/null || echo -1)
  printf '%4s series, none expected  %s\n' "$n" "$e"
  [ "$n" -eq 0 ] || printf '%s\n' "$e" >> "$tmp/present"
done

# Exemplars, once the expressions have data: each query must come back with trace ids.
: > "$tmp/no_exemplars"
for q in "${exemplar_queries[@]}"; do
  n=$(trace_exemplars "$q")
  until [ "$n" -gt 0 ] || deadline_passed; do sleep 1; n=$(trace_exemplars "$q"); done
  printf '%4s exemplars with a trace_id  %s\n' "$n" "$q"
  [ "$n" -gt 0 ] || printf '%s\n' "$q" >> "$tmp/no_exemplars"
done

failed=$(wc -l < "$tmp/failed")
if [ "$failed" -gt 0 ] || [ -n "$bad_rules" ] || [ "$rule_count" -eq 0 ]; then
  echo "FAIL: $failed of $total expressions returned no series with a finite value:" >&2
  sed 's/^/  /' "$tmp/failed" >&2
  [ -z "$bad_rules" ] || { echo "FAIL: alert rules not healthy:" >&2; echo "$bad_rules" | sed 's/^/  /' >&2; }
  [ "$rule_count" -gt 0 ] || echo "FAIL: no alert rules loaded" >&2
  exit 1
fi
if [ -s "$tmp/present" ]; then
  echo "FAIL: series that should not exist:" >&2
  sed 's/^/  /' "$tmp/present" >&2
  exit 1
fi
if [ -s "$tmp/no_exemplars" ]; then
  echo "FAIL: no exemplar with a trace_id for:" >&2
  sed 's/^/  /' "$tmp/no_exemplars" >&2
  exit 1
fi
echo "OK: $total of $total expressions returned data; $rule_count alert rules healthy; ${#exemplar_queries[@]} exemplar queries answered ($(elapsed)s)"
