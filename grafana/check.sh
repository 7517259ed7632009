#!/usr/bin/env bash
# Static checks of everything under grafana/ (no Docker, no Grafana, no engine needed).
# Runs from any directory; exits non-zero if any check fails. The live proof against a real
# Prometheus is tools/prove_queries.sh.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
py=/usr/bin/python3
failed=0
passed=0

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

# Dashboard: valid JSON, then structure, units, datasources, matchers, catalog names.
step "dashboard is JSON" "$py" -m json.tool "$here/dashboards/aria_engine.json" /dev/null
step "dashboard structure" "$py" "$here/tools/check_dashboard.py"
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

# The fake target's exposition must itself be clean for promtool's linter.
step "fake target exposition (promtool check metrics)" bash -c '"$1" "$2" --once | promtool check metrics' _ "$py" "$here/tools/fake_target.py"

# Shell scripts parse.
for s in "$here/check.sh" "$here/import-dashboard.sh" "$here/tools/prove_queries.sh"; do
  step "bash -n ${s#"$here"/}" bash -n "$s"
done

echo "check.sh: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
