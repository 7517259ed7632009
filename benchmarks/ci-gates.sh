#!/usr/bin/env bash
# Perf gates for CI (issue 5). Builds the benchmarks in Release, runs the gate subset in process and returns the
# gate runner's exit code: 0 when every gate passes, 1 when any gate failed twice (it prints which benchmark,
# which figure and which limit), anything else when the build or the run broke.
#
# Called by .ci/run from any directory. Takes about half a minute to a minute on an idle 2-core machine, plus the
# build. The contention gate needs two free cores: on a machine busy with other work it fails and says so.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="$root/benchmarks/Aria.Metrics.Benchmarks"

cd "$root"
dotnet build "$project" -c Release --nologo -v quiet
status=0
dotnet run -c Release --no-build --project "$project" -- --gates || status=$?
exit "$status"
