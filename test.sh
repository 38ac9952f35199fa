#!/usr/bin/env bash
# Runs every test (unit, grain and PostgreSQL-backed API tests; arguments go to dotnet test), then
# the fault-injection harness's short run (bench/chaos/run.sh --short, under 3 minutes: three silos
# behind nginx, a kill -9 and a restart under load, every answer checked against the log; CHAOS=0
# skips it), and prints "tests: N passed, M failed" counted from the TRX results, the harness as one
# test. Tests start their own throwaway PostgreSQL servers, the harness its own cluster; what they
# need from Debian (PostgreSQL, nginx, curl, iproute2, Chromium, Node.js) is installed when missing.
# The console (web/) is built first: its browser tests use the real build.
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure-postgres.sh
# The console's browser tests (ConsoleTests) drive the real built console in Debian's Chromium.
scripts/build-web.sh
scripts/ensure-chromium.sh
results="$PWD/TestResults"
rm -rf "$results"
status=0
dotnet test --solution EventSeries.sln -c Release --results-directory "$results" --report-trx "$@" || status=$?
summary=$(scripts/trx-summary.sh "$results")

chaos=skipped
if [ "${CHAOS:-1}" != 0 ]; then
  echo "== fault-injection harness: bench/chaos/run.sh --short"
  chaos_start=$SECONDS
  # A guard against a hang, far above its usual 2-2.5 minutes: on SIGTERM it stops everything it started.
  if timeout --kill-after=60 360 bench/chaos/run.sh --short; then chaos=passed; else chaos=failed; status=1; fi
  chaos="$chaos in $((SECONDS - chaos_start))s"
fi
echo "fault-injection harness (bench/chaos/run.sh --short): $chaos"
scripts/trx-failures.sh "$results"
if [[ "$summary" =~ ^tests:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
  passed=${BASH_REMATCH[1]} failed=${BASH_REMATCH[2]}
  case "$chaos" in
    passed*) passed=$((passed + 1)) ;;
    failed*) failed=$((failed + 1)) ;;
  esac
  summary="tests: $passed passed, $failed failed"
fi
echo "$summary"
exit $status
