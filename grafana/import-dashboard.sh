#!/usr/bin/env bash
# Import dashboards/aria_engine.json into a running Grafana through its HTTP API.
#
#   GRAFANA_URL=http://localhost:3000 GRAFANA_AUTH=admin:admin ./import-dashboard.sh
#   ./import-dashboard.sh --dry-run          print the request body instead of sending it
#
# The file holds the bare dashboard (the form file provisioning reads); this script wraps it as
# {"dashboard": ..., "overwrite": true} on the fly, so there is one copy of the JSON.
#   GRAFANA_URL          default http://localhost:3000
#   GRAFANA_AUTH         "user:password" (basic auth) or a service-account token (Bearer)
#   GRAFANA_FOLDER_UID   optional folder to import into
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dashboard="$here/dashboards/aria_engine.json"
url=${GRAFANA_URL:-http://localhost:3000}
folder=${GRAFANA_FOLDER_UID:-}

wrap() {
  if command -v jq > /dev/null; then
    jq -c --arg folder "$folder" \
      '{dashboard: (. + {id: null}), overwrite: true, message: "import-dashboard.sh"}
       + (if $folder == "" then {} else {folderUid: $folder} end)' "$dashboard"
  else
    python3 - "$dashboard" "$folder" <<'EOF'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    d = json.load(f)
d["id"] = None
body = {"dashboard": d, "overwrite": True, "message": "import-dashboard.sh"}
if sys.argv[2]:
    body["folderUid"] = sys.argv[2]
print(json.dumps(body, separators=(",", ":")))
EOF
  fi
}

if [ "${1:-}" = "--dry-run" ]; then
  wrap
  exit 0
fi
[ $# -eq 0 ] || { echo "usage: $0 [--dry-run]" >&2; exit 2; }

auth=()
if [ -n "${GRAFANA_AUTH:-}" ]; then
  case "$GRAFANA_AUTH" in
    *:*) auth=(--user "$GRAFANA_AUTH") ;;
    *) auth=(--header "Authorization: Bearer $GRAFANA_AUTH") ;;
  esac
fi

wrap | curl --fail-with-body -sS -X POST "${auth[@]}" \
  -H "Content-Type: application/json" -H "Accept: application/json" \
  --data-binary @- "${url%/}/api/dashboards/db"
echo
