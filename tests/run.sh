#!/usr/bin/env bash
# Runs the whole test suite. The tests judge our output with real tools from Debian's packages (promtool and the
# prometheus server, Python's strict OpenMetrics parser, client_model's metrics.proto compiled by protoc and read by
# Python's protobuf runtime), so this installs them first when they are missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

missing=()
command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
/usr/bin/python3 -c 'import prometheus_client' >/dev/null 2>&1 || missing+=(python3-prometheus-client)
[ -f /usr/share/gocode/src/github.com/prometheus/client_model/io/prometheus/client/metrics.proto ] ||
    missing+=(golang-github-prometheus-client-model-dev)
command -v protoc >/dev/null 2>&1 || missing+=(protobuf-compiler)
[ -f /usr/include/google/protobuf/timestamp.proto ] || missing+=(libprotobuf-dev)
/usr/bin/python3 -c 'import google.protobuf' >/dev/null 2>&1 || missing+=(python3-protobuf)
command -v jq >/dev/null 2>&1 || missing+=(jq)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing ${missing[*]} (Debian packages the tests use as independent judges)"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The connection tests open thousands of loopback sockets, two descriptors each (both ends are in the test process).
# The .NET runtime raises the soft open-file limit to the hard one by itself; a hard limit below what they need is
# raised here, which root may do.
if [ "$(ulimit -Hn)" != unlimited ] && [ "$(ulimit -Hn)" -lt 16384 ]; then
    ulimit -n 16384 2>/dev/null || echo "warning: the open-file limit is $(ulimit -Hn) and cannot be raised; the connection-limit test needs about 9000"
fi

exec dotnet test Aria.Metrics.sln -c Release "$@"
