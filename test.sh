#!/usr/bin/env bash
# Runs every test (unit, grain and PostgreSQL-backed API tests), then the fault-injection
# harness's short run (bench/chaos/run.sh --short: three silos, a kill -9 and a freeze under load,
# every answer checked against the log), and prints "tests: N passed, M failed" counted from the
# TRX results, the harness counting as one test. Tests start their own throwaway PostgreSQL
# servers; only the Debian package is needed, and this installs it when missing.
# Arguments go to dotnet test; with arguments the harness runs only if CHAOS=1. CHAOS=0 skips it.
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure-postgres.sh
results="$PWD/TestResults"
rm -rf "$results"
status=0
dotnet test --solution EventSeries.sln -c Release --results-directory "$results" --report-trx "$@" || status=$?
summary=$(scripts/trx-summary.sh "$results")

chaos=skipped
if [ "${CHAOS:-$([ $# -eq 0 ] && echo 1 || echo 0)}" = 1 ]; then
  echo "== fault-injection harness: bench/chaos/run.sh --short"
  if bench/chaos/run.sh --short; then chaos=passed; else chaos=failed; status=1; fi
fi
echo "fault-injection harness (bench/chaos/run.sh --short): $chaos"
if [[ "$summary" =~ ^tests:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
  passed=${BASH_REMATCH[1]} failed=${BASH_REMATCH[2]}
  [ "$chaos" = passed ] && passed=$((passed + 1))
  [ "$chaos" = failed ] && failed=$((failed + 1))
  summary="tests: $passed passed, $failed failed"
fi
echo "$summary"
exit $status
