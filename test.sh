#!/usr/bin/env bash
# Runs every test (unit, grain and PostgreSQL-backed API tests) and prints
# "tests: N passed, M failed" counted from the TRX results. Tests start their own throwaway
# PostgreSQL servers; only the Debian package is needed, and this installs it when missing.
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure-postgres.sh
results="$PWD/TestResults"
rm -rf "$results"
status=0
dotnet test --solution EventSeries.sln -c Release --results-directory "$results" --report-trx "$@" || status=$?
scripts/trx-summary.sh "$results"
exit $status
