#!/usr/bin/env bash
# Perf gates for CI (issue 5). Builds the benchmarks in Release, runs the gate subset in five BenchmarkDotNet rounds
# (docs/benchmarks.md, "Perf gates") and returns the gate runner's exit code: 0 when every gate passes or is void,
# 1 when any gate failed twice (it prints which benchmark, which figure and which limit), anything else when the
# build or the run broke.
#
# Called by .ci/run from any directory. Takes four to six minutes on an idle 2-core machine, plus the build. The
# scaling gates (issue 12) run first, in plain threads, against an in-run baseline of independent padded cells: on a
# machine busy with other work they print VOID (counted neither way) instead of a verdict. The BenchmarkDotNet
# contention gate needs two free cores too: on a busy machine it fails and says so.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="$root/benchmarks/Aria.Metrics.Benchmarks"

cd "$root"
dotnet build "$project" -c Release --nologo -v quiet
status=0
dotnet run -c Release --no-build --project "$project" -- --gates || status=$?
exit "$status"
