#!/usr/bin/env bash
# The consumer test. A fresh ASP.NET Core application outside the solution (this folder, copied out of the
# repository) restores Aria.Metrics.Server and Aria.Metrics.Catalog from a folder that holds only the packages packed
# from this tree just now: its nuget.config clears every other source, and a throwaway global packages folder means
# no cached copy can stand in. It builds, serves through MapAriaMetrics and the dedicated MetricsServer, and each is
# scraped as Prometheus 2.42 scrapes (OpenMetrics negotiated, gzip), judged by Python's strict OpenMetrics parser.
#
# Prints one `ok` or `FAIL` line per check (CI counts them) and exits non-zero if any failed. Needs the .NET SDK,
# curl, gzip, /usr/bin/python3 with prometheus_client and promtool (tests/run.sh installs them).
set -uo pipefail
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
py=/usr/bin/python3
prometheus_242='application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'
openmetrics='application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores'

tmp=$(mktemp -d)
app_pid=""
cleanup() {
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null; wait "$app_pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

passed=0
failed=0
# step NAME COMMAND...: runs a check, prints ok or FAIL and its output, indented.
step() {
  local name=$1; shift
  local out status
  out=$("$@" 2>&1); status=$?
  if [ "$status" -eq 0 ]; then
    passed=$((passed + 1)); echo "ok    $name"
  else
    failed=$((failed + 1)); echo "FAIL  $name"
  fi
  [ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/      /'
  return "$status"
}
# A check that the ones after it need: when it fails, so does the run.
required() {
  step "$@" || { echo "consumer: $passed passed, $failed failed"; exit 1; }
}

app=$tmp/consumer
feed=$app/packages
cp -r "$here" "$app"
rm -rf "$feed" "$app/bin" "$app/obj"
mkdir -p "$feed"

version=$(dotnet msbuild "$repo/src/Aria.Metrics.Core/Aria.Metrics.Core.csproj" -nologo -getProperty:PackageVersion)

pack() {
  local project
  for project in Core Server Catalog; do
    dotnet pack "$repo/src/Aria.Metrics.$project/Aria.Metrics.$project.csproj" -c Release -nologo -v:q -o "$feed" || return 1
  done
}
required "dotnet pack Aria.Metrics.Core, Server and Catalog $version" pack
required "the packages: contents, license, symbols with sources, run-time dependencies" "$py" "$here/check_packages.py" "$feed" "$version"

# Restored into a packages folder of its own, from the feed alone; the restore must say where each package came from.
restore() {
  NUGET_PACKAGES=$tmp/nuget-packages dotnet restore "$app/Consumer.csproj" -nologo -v:q -p:AriaMetricsVersion="$version" || return 1
  local id source
  for id in aria.metrics.core aria.metrics.server aria.metrics.catalog; do
    source=$("$py" -c 'import json, sys; print(json.load(open(sys.argv[1]))["source"])' "$tmp/nuget-packages/$id/$version/.nupkg.metadata") || return 1
    [ "$(realpath "$source")" = "$(realpath "$feed")" ] || { echo "$id came from $source, not $feed"; return 1; }
    echo "$id $version from $source"
  done
}
required "restore from the packed folder only" restore
required "build" env NUGET_PACKAGES="$tmp/nuget-packages" dotnet build "$app/Consumer.csproj" -c Release -nologo -v:q --no-restore -p:AriaMetricsVersion="$version"

free_port() { "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
app_port=$(free_port)
metrics_port=$(free_port)
# Started here, not inside a step (each step runs in a subshell), so that the exit trap knows its pid.
METRICS_PORT=$metrics_port AriaMetrics__BindAddress=127.0.0.1 ASPNETCORE_URLS="http://127.0.0.1:$app_port" \
  dotnet "$app/bin/Release/net10.0/Consumer.dll" > "$tmp/app.log" 2>&1 &
app_pid=$!
start() {
  local deadline=$((SECONDS + 60))
  until curl -fsS --max-time 2 "http://127.0.0.1:$app_port/metrics" > /dev/null 2>&1 \
      && curl -fsS --max-time 2 "http://127.0.0.1:$metrics_port/metrics" > /dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$app_pid" 2>/dev/null; then cat "$tmp/app.log"; return 1; fi
    sleep 0.3
  done
  curl -fsS "http://127.0.0.1:$app_port/"; echo
}
required "the application starts and greets (app on $app_port, metrics server on $metrics_port)" start

# scrape URL NAME: a scrape as Prometheus 2.42 sends it; OpenMetrics and gzip must come back, and the strict parser
# must accept the body, which holds the application's counter and the catalog's families.
scrape() {
  local headers=$tmp/$2.headers body=$tmp/$2.txt
  curl -fsS --max-time 10 -D "$headers" -H "Accept: $prometheus_242" -H 'Accept-Encoding: gzip' "$1" -o "$tmp/$2.gz" || return 1
  grep -qix "content-type: $openmetrics"$'\r' "$headers" || { echo "not OpenMetrics:"; cat "$headers"; return 1; }
  grep -qix $'content-encoding: gzip\r' "$headers" || { echo "not gzipped:"; cat "$headers"; return 1; }
  gzip -dc "$tmp/$2.gz" > "$body" || return 1
  grep -q '^app_greetings_total{language="en"} 1$' "$body" || { echo "no app_greetings_total sample"; return 1; }
  grep -q '^aria_sessions_created_total 1$' "$body" || { echo "no catalog sample"; return 1; }
  "$py" -c '
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse
families = list(parse(open(sys.argv[1], encoding="utf-8").read()))
print(f"{len(families)} families, {sum(len(f.samples) for f in families)} samples, accepted by the strict OpenMetrics parser")
' "$body"
}
step "MapAriaMetrics: OpenMetrics negotiated, gzipped, strictly valid" scrape "http://127.0.0.1:$app_port/metrics" mapped
step "MetricsServer: OpenMetrics negotiated, gzipped, strictly valid" scrape "http://127.0.0.1:$metrics_port/metrics" dedicated
lint() { curl -fsS --max-time 10 "http://127.0.0.1:$app_port/metrics" | promtool check metrics; }
step "MapAriaMetrics without Accept: text 0.0.4, clean for promtool check metrics" lint

echo "consumer: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
