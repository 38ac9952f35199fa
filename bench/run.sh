#!/usr/bin/env bash
# Check-in benchmark (issue 3). Starts a fresh durable PostgreSQL (fsync and synchronous_commit on),
# loads one event with WRISTBANDS wristbands assigned to an active series, starts one silo serving
# the API, and drives POST /api/events/{eventId}/scans with wrk over 64 connections:
#   1. cold: wristbands never scanned before, for COLD_SECONDS (each scan activates its grain: gate
#      opening); then the rest of the wristbands once each, so all of them are activated,
#   2. warm: random wristbands, all activated, for WARM_SECONDS, as fast as they are answered (the
#      most the machine does), then as steady: the same for WARM_SECONDS with a PACE_MS pause between
#      a connection's scans (about 10,000/s, below saturation: the latency a gate sees at that rate),
#   3. the ceiling: a bare ASP.NET Core endpoint parsing the same JSON, same load.
# Prints rates, their ratio, p50/p99, rows in checkin_logs and the silo's memory; writes bench/results/.
#   bench/run.sh                          # 1,000,000 wristbands
#   WRISTBANDS=100000 WARM_SECONDS=15 bench/run.sh   # a quick run
set -euo pipefail
cd "$(dirname "$0")/.."
WRISTBANDS=${WRISTBANDS:-1000000}
WARM_SECONDS=${WARM_SECONDS:-30}
COLD_SECONDS=${COLD_SECONDS:-30}
CONNECTIONS=${CONNECTIONS:-64}
PACE_MS=${PACE_MS:-2.4}   # steady phase: 64 connections x (2.4 ms pause + ~3.5 ms latency and timer slack) is about 10,000 scans/s
PG_PORT=${PG_PORT:-55433}
API_PORT=5080
BARE_PORT=5090
TOKEN=es_bench_token_for_local_runs_only
EVENT=00000000-0000-0000-0000-0000000000e1
MAIN=00000000-0000-0000-0000-0000000000f1
VIP=00000000-0000-0000-0000-0000000000f2
DATA=$PWD/bench/.data
RESULTS=$PWD/bench/results
mkdir -p "$RESULTS"

source bench/lib.sh
ensure_postgres_tools
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

cleanup() {
  [ -n "${SILO_PID:-}" ] && kill "$SILO_PID" 2>/dev/null && wait "$SILO_PID" 2>/dev/null || true
  [ -n "${BARE_PID:-}" ] && kill "$BARE_PID" 2>/dev/null && wait "$BARE_PID" 2>/dev/null || true
  stop_postgres
}
trap cleanup EXIT

echo "== building (Release)"
dotnet build src/Silo -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build bench/BareEndpoint -c Release -nologo -v quiet -clp:ErrorsOnly

echo "== fresh PostgreSQL on port $PG_PORT (durable: fsync on, synchronous_commit on)"
fresh_postgres

echo "== migrate and load $WRISTBANDS wristbands"
dotnet src/Silo/bin/Release/net10.0/EventSeries.Silo.dll migrate >/dev/null
start=$(date +%s)
psql_ -v token="$TOKEN" -v wristbands="$WRISTBANDS" -f bench/seed.sql
echo "   loaded in $(( $(date +%s) - start ))s"

echo "== starting the silo (silo + API) on :$API_PORT"
dotnet src/Silo/bin/Release/net10.0/EventSeries.Silo.dll --urls "http://127.0.0.1:$API_PORT" > "$RESULTS/silo.log" 2>&1 &
SILO_PID=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$API_PORT/health/ready" >/dev/null && break; sleep 1; done
curl -sf "http://127.0.0.1:$API_PORT/health/ready" >/dev/null || { echo "silo did not become ready"; tail -50 "$RESULTS/silo.log"; exit 1; }

run_wrk() { # mode url seconds [offset] [pause ms: a steady rate instead of saturation]
  local script=bench/scan.lua
  [ -n "${5:-}" ] && script=bench/scan-paced.lua
  wrk -t2 -c"$CONNECTIONS" -d"$3" --timeout 10s -s "$script" "$2" -- "$1" "$WRISTBANDS" "${4:-0}" "$EVENT" "$MAIN" "$VIP" "$TOKEN" ${5:-} \
    > "$RESULTS/wrk.last" 2>&1 || true
  cat "$RESULTS/wrk.last" >> "$RESULTS/wrk.log"
  grep '^RESULT' "$RESULTS/wrk.last" || { echo "wrk failed:" >&2; cat "$RESULTS/wrk.last" >&2; return 1; }
}
: > "$RESULTS/wrk.log"
echo "== cold: wristbands never scanned before, ${COLD_SECONDS}s"
COLD=$(run_wrk cold "http://127.0.0.1:$API_PORT" "${COLD_SECONDS}s")
echo "   $COLD"
DONE=$(sed -n 's/.* requests=\([0-9]*\).*/\1/p' <<<"$COLD")
COLD_RATE=$(sed -n 's/.* rate=\([0-9]*\).*/\1/p' <<<"$COLD")
if [ "$DONE" -lt "$WRISTBANDS" ]; then
  SWEEP=$(( (WRISTBANDS - DONE) * 110 / 100 / (COLD_RATE > 0 ? COLD_RATE : 1) + 5 ))
  echo "== activating the other $(( WRISTBANDS - DONE )) wristbands (~${SWEEP}s, also cold scans)"
  echo "   $(run_wrk cold "http://127.0.0.1:$API_PORT" "${SWEEP}s" "$DONE")"
fi
echo "== warm: random wristbands for ${WARM_SECONDS}s, as fast as they are answered"
WARM=$(run_wrk warm "http://127.0.0.1:$API_PORT" "${WARM_SECONDS}s")
echo "   $WARM"
echo "== steady: random wristbands for ${WARM_SECONDS}s, each connection pausing ${PACE_MS} ms between scans"
STEADY=$(run_wrk warm "http://127.0.0.1:$API_PORT" "${WARM_SECONDS}s" 0 "$PACE_MS")
echo "   $STEADY"
RSS_KB=$(ps -o rss= -p "$SILO_PID" | tr -d ' ')
ROWS=$(psql_ -c "SELECT count(*) FROM checkin_logs")
ALLOWED=$(psql_ -c "SELECT count(*) FROM checkin_logs WHERE result = 'allowed'")
ACTIVATED=$(psql_ -c "SELECT count(DISTINCT nfc_id) FROM checkin_logs WHERE nfc_id LIKE 'B%'")
kill "$SILO_PID"; wait "$SILO_PID" 2>/dev/null || true; SILO_PID=

echo "== ceiling: bare ASP.NET Core endpoint on :$BARE_PORT for ${WARM_SECONDS}s"
dotnet bench/BareEndpoint/bin/Release/net10.0/EventSeries.Bench.BareEndpoint.dll --urls "http://127.0.0.1:$BARE_PORT" > "$RESULTS/bare.log" 2>&1 &
BARE_PID=$!
for _ in $(seq 1 30); do curl -s -o /dev/null "http://127.0.0.1:$BARE_PORT/" && break; sleep 1; done
BARE=$(run_wrk warm "http://127.0.0.1:$BARE_PORT" "${WARM_SECONDS}s")
echo "   $BARE"

rate() { sed -n 's/.* rate=\([0-9]*\).*/\1/p' <<<"$1"; }
field() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" <<<"$1"; }
{
  echo "date:            $(date -u +%Y-%m-%dT%H:%MZ)  machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "wristbands:      $WRISTBANDS assigned to one active series; $CONNECTIONS connections, wrk -t2"
  echo "cold scans/s:    $(rate "$COLD")  (p50 $(field "$COLD" p50_ms) ms, p99 $(field "$COLD" p99_ms) ms, errors $(field "$COLD" errors))"
  echo "warm scans/s:    $(rate "$WARM")  (p50 $(field "$WARM" p50_ms) ms, p99 $(field "$WARM" p99_ms) ms, errors $(field "$WARM" errors))  saturated"
  echo "steady scans/s:  $(rate "$STEADY")  (p50 $(field "$STEADY" p50_ms) ms, p99 $(field "$STEADY" p99_ms) ms, errors $(field "$STEADY" errors))  ${PACE_MS} ms pause per connection"
  echo "bare req/s:      $(rate "$BARE")  (p50 $(field "$BARE" p50_ms) ms, p99 $(field "$BARE" p99_ms) ms)"
  echo "warm / bare:     $(awk -v a="$(rate "$WARM")" -v b="$(rate "$BARE")" 'BEGIN { printf "%.2f", a / b }')"
  echo "checkin_logs:    $ROWS rows ($ALLOWED allowed); wristbands activated: $ACTIVATED"
  echo "silo memory:     $(( RSS_KB / 1024 )) MiB RSS after the warm run"
} | tee "$RESULTS/summary.txt"
