#!/usr/bin/env bash
# Static checks of everything under grafana/ (no Docker, no Grafana). The catalog they check the dashboard and the
# alerts against is the real demo engine's exposition: this builds the demo (the .NET SDK is needed) and scrapes it
# once on a free loopback port. Runs from any directory; prints one `ok` or `FAIL` line per check and exits non-zero
# if any check fails. The live proof against a real Prometheus is tools/prove_queries.sh.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
py=/usr/bin/python3
failed=0
passed=0
# shellcheck source=tools/demo.sh
. "$here/tools/demo.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

step() {
  local name=$1; shift
  local out
  if out=$("$@" 2>&1); then
    passed=$((passed + 1))
    echo "ok    $name"
  else
    failed=$((failed + 1))
    echo "FAIL  $name"
  fi
  [ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/      /'
}

# Prometheus: rule_files in prometheus.yml and alerts.test.yml are relative to those files.
step "promtool check config" promtool check config "$here/prometheus/prometheus.yml"
step "promtool check rules" promtool check rules "$here/prometheus/alerts.yml"
step "promtool test rules" promtool test rules "$here/prometheus/alerts.test.yml"

# The catalog: what the demo engine exports, read from a scrape of it. Its exposition must be clean for promtool's linter.
exposition=$tmp/exposition.txt
# (step runs it in a subshell, so it stops the demo it started itself.)
scrape_demo() {
  local port status=0
  port=$(free_port) && demo_build && demo_start "$port" "$tmp/demo.log" || return 1
  demo_exposition "$port" > "$exposition" || status=1
  demo_stop
  [ "$status" -eq 0 ] || { cat "$tmp/demo.log"; return 1; }
  echo "$(grep -c '^# TYPE ' "$exposition") families from the demo on port $port"
}
step "demo engine scraped" scrape_demo
step "demo exposition (promtool check metrics)" bash -c 'promtool check metrics < "$1"' _ "$exposition"

# Dashboard: valid JSON, then structure, units, datasources, matchers, names of the catalog the demo exports.
step "dashboard is JSON" "$py" -m json.tool "$here/dashboards/aria_engine.json" /dev/null
step "dashboard and alerts against the demo's catalog" "$py" "$here/tools/check_dashboard.py" "$exposition"
count_exprs() {
  local n
  n=$("$py" "$here/tools/extract_queries.py" | wc -l) || return 1
  echo "$n expressions"
  [ "$n" -gt 0 ]
}
step "extract_queries.py" count_exprs
step "import payload" bash -c '"$1" --dry-run | jq -e ".overwrite == true and .dashboard.uid == \"aria-engine-prod\" and (.dashboard.panels | length) > 0" > /dev/null' _ "$here/import-dashboard.sh"

# Compose and provisioning: YAML, mounted host paths, cross-references.
step "compose and provisioning" "$py" "$here/tools/check_compose.py"

# Shell scripts parse.
for s in "$here/check.sh" "$here/import-dashboard.sh" "$here/tools/prove_queries.sh" "$here/tools/demo.sh"; do
  step "bash -n ${s#"$here"/}" bash -n "$s"
done

echo "check.sh: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
