#!/usr/bin/env bash
# Live feed benchmark (issue 13). Starts a fresh durable PostgreSQL on port 26500, loads one event
# with WRISTBANDS wristbands assigned to an active series (bench/seed.sql), starts one silo serving
# the API on :26510 (Orleans silo and gateway ports 26520/26521), then:
#   1. scans at RATE a second for DURATION seconds with no feed client (wrk, bench/scan-paced.lua): the
#      scan rate and latency without the feed, and the silo's RSS;
#   2. opens CLIENTS streams of GET /api/series/{id}/feed (bench/FeedListener) and waits SETTLE
#      seconds: the silo's RSS with them connected and idle;
#   3. scans at RATE for DURATION seconds again while every client reads: the scan rate with clients, and
#      each check-in's latency from its `at` to its arrival at a client (p50/p99/max), and how many
#      streams the server closed (clients dropped for falling ClientBuffer events behind).
# Prints a summary and writes bench/results/feed-summary.txt.
#   bench/feed.sh                                             # 5,000 scans/s, 1,000 clients, 30 s
#   RATE=200 CLIENTS=10 DURATION=10 WRISTBANDS=20000 bench/feed.sh   # a quick check
# MEASURE (10) of the clients read and time every check-in; the rest only drain their bytes, so the
# tool (on the silo's own cores) costs little more than real dashboards elsewhere would.
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${RATE:-5000}
CLIENTS=${CLIENTS:-1000}
MEASURE=${MEASURE:-10}   # clients that parse every line and time check-ins; the others only drain their bytes
DURATION=${DURATION:-30}
SETTLE=${SETTLE:-10}
WRISTBANDS=${WRISTBANDS:-100000}
CONNECTIONS=${CONNECTIONS:-128}
# The clients' process shares the silo's two cores; CLIENT_NICE=19 lets it run only on what the
# silo and the scans leave, as dashboards on other machines would (reported as such).
CLIENT_NICE=${CLIENT_NICE:-0}
PG_PORT=26500
API_PORT=26510
SILO_PORT=26520
GATEWAY_PORT=26521
TOKEN=es_bench_token_for_local_runs_only
EVENT=00000000-0000-0000-0000-0000000000e1
SERIES=00000000-0000-0000-0000-000000000051
MAIN=00000000-0000-0000-0000-0000000000f1
VIP=00000000-0000-0000-0000-0000000000f2
DATA=$PWD/bench/.feed-data
RESULTS=$PWD/bench/results
mkdir -p "$RESULTS"

# Each connection pauses between its scans so that CONNECTIONS of them make about RATE a second;
# after the warm-up the pause is shortened by what a cycle took beyond it (the measured rate is what is reported).
PACE_MS=$(awk -v c="$CONNECTIONS" -v r="$RATE" 'BEGIN { printf "%.2f", c * 1000 / r }')

source bench/lib.sh
ensure_postgres_tools
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

cleanup() {
  [ -n "${LISTENER_PID:-}" ] && kill "$LISTENER_PID" 2>/dev/null && wait "$LISTENER_PID" 2>/dev/null || true
  [ -n "${SILO_PID:-}" ] && kill "$SILO_PID" 2>/dev/null && wait "$SILO_PID" 2>/dev/null || true
  stop_postgres
}
trap cleanup EXIT

echo "== building (Release)"
dotnet build src/Silo -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build bench/FeedListener -c Release -nologo -v quiet -clp:ErrorsOnly

echo "== fresh PostgreSQL on port $PG_PORT (durable: fsync on, synchronous_commit on)"
fresh_postgres

echo "== migrate and load $WRISTBANDS wristbands"
dotnet src/Silo/bin/Release/net10.0/EventSeries.Silo.dll migrate >/dev/null
psql_ -v token="$TOKEN" -v wristbands="$WRISTBANDS" -f bench/seed.sql

echo "== starting the silo (silo + API) on :$API_PORT"
dotnet src/Silo/bin/Release/net10.0/EventSeries.Silo.dll --urls "http://127.0.0.1:$API_PORT" \
  --Orleans:ClusterId feed-bench --Orleans:SiloPort "$SILO_PORT" --Orleans:GatewayPort "$GATEWAY_PORT" > "$RESULTS/feed-silo.log" 2>&1 &
SILO_PID=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$API_PORT/health/ready" >/dev/null && break; sleep 1; done
curl -sf "http://127.0.0.1:$API_PORT/health/ready" >/dev/null || { echo "silo did not become ready"; tail -50 "$RESULTS/feed-silo.log"; exit 1; }

rss_mib() { echo $(( $(ps -o rss= -p "$SILO_PID" | tr -d ' ') / 1024 )); }
cpu_s() { # CPU seconds (user + system) a process has used so far; 0 when it is gone
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0
}
scan() { # seconds: paced warm scans (random wristbands), prints wrk's RESULT line
  wrk -t2 -c"$CONNECTIONS" -d"$1s" --timeout 10s -s bench/scan-paced.lua "http://127.0.0.1:$API_PORT" -- \
    warm "$WRISTBANDS" 0 "$EVENT" "$MAIN" "$VIP" "$TOKEN" "$PACE_MS" > "$RESULTS/feed-wrk.last" 2>&1 || true
  cat "$RESULTS/feed-wrk.last" >> "$RESULTS/feed-wrk.log"
  grep '^RESULT' "$RESULTS/feed-wrk.last" || { echo "wrk failed:" >&2; cat "$RESULTS/feed-wrk.last" >&2; return 1; }
}
sweep() { # seconds offset: unpaced cold scans from wristband offset+1 on, prints wrk's RESULT line
  wrk -t2 -c"$CONNECTIONS" -d"$1s" --timeout 10s -s bench/scan.lua "http://127.0.0.1:$API_PORT" -- \
    cold "$WRISTBANDS" "$2" "$EVENT" "$MAIN" "$VIP" "$TOKEN" > "$RESULTS/feed-wrk.last" 2>&1 || true
  cat "$RESULTS/feed-wrk.last" >> "$RESULTS/feed-wrk.log"
  grep '^RESULT' "$RESULTS/feed-wrk.last" || { echo "wrk failed:" >&2; cat "$RESULTS/feed-wrk.last" >&2; return 1; }
}
rate() { sed -n 's/.* rate=\([0-9]*\).*/\1/p' <<<"$1"; }
field() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" <<<"$1"; }
: > "$RESULTS/feed-wrk.log"

# Every wristband's grain active first, as bench/run.sh does before its warm runs: a paced run that
# still meets cold wristbands measures their activation (a read of the log) instead of the feed,
# and reached 3,500-4,900 scans/s where warm scans run at over 6,000.
echo "== activating all $WRISTBANDS wristbands: cold scans, as fast as they are answered"
SWEPT=0
while [ "$SWEPT" -lt "$WRISTBANDS" ]; do
  PASS=$(sweep 20 "$SWEPT")
  echo "   $PASS"
  SWEPT=$(( SWEPT + $(sed -n 's/.* requests=\([0-9]*\).*/\1/p' <<<"$PASS") ))
done
echo "== warm-up: 10s of paced scans"
WARMUP=$(scan 10)
echo "   $WARMUP"
# A connection's cycle is its pause plus the scan's latency and wrk's own timer slack: take what the
# warm-up's cycle had beyond its pause off the pause, so the runs come near RATE instead of stopping
# at CONNECTIONS / (pause + latency + slack).
PACE_MS=$(awk -v c="$CONNECTIONS" -v r="$RATE" -v p0="$PACE_MS" -v r0="$(rate "$WARMUP")" \
  'BEGIN { over = (r0 > 0 ? c * 1000 / r0 - p0 : 0); p = c * 1000 / r - over; printf "%.2f", (p > 0 ? p : 0) }')
echo "   each connection now pauses ${PACE_MS} ms"
echo "== without feed clients: ${RATE}/s target for ${DURATION}s"
SILO_CPU_0=$(cpu_s "$SILO_PID")
BASE=$(scan "$DURATION")
SILO_CPU_BASE=$(awk -v a="$(cpu_s "$SILO_PID")" -v b="$SILO_CPU_0" 'BEGIN { printf "%.1f", a - b }')
echo "   $BASE"
RSS_0=$(rss_mib)

echo "== opening $CLIENTS feed clients"
nice -n "$CLIENT_NICE" dotnet bench/FeedListener/bin/Release/net10.0/EventSeries.Bench.FeedListener.dll --url "http://127.0.0.1:$API_PORT" \
  --token "$TOKEN" --path "/api/series/$SERIES/feed" --clients "$CLIENTS" --measure "$MEASURE" > "$RESULTS/feed-listener.log" 2>&1 &
LISTENER_PID=$!
for _ in $(seq 1 300); do grep -qs '^READY' "$RESULTS/feed-listener.log" && break; kill -0 "$LISTENER_PID" 2>/dev/null || break; sleep 1; done
grep '^READY' "$RESULTS/feed-listener.log" || { echo "the feed clients did not connect:"; cat "$RESULTS/feed-listener.log"; exit 1; }
sleep "$SETTLE"   # let the silo's memory settle with the streams open and idle
RSS_K_IDLE=$(rss_mib)

echo "== with $CLIENTS feed clients: ${RATE}/s target for ${DURATION}s"
SILO_CPU_0=$(cpu_s "$SILO_PID"); LISTENER_CPU_0=$(cpu_s "$LISTENER_PID")
WITH=$(scan "$DURATION")
SILO_CPU_WITH=$(awk -v a="$(cpu_s "$SILO_PID")" -v b="$SILO_CPU_0" 'BEGIN { printf "%.1f", a - b }')
LISTENER_CPU=$(awk -v a="$(cpu_s "$LISTENER_PID")" -v b="$LISTENER_CPU_0" 'BEGIN { printf "%.1f", a - b }')
echo "   $WITH"
RSS_K=$(rss_mib)
sleep 2   # the last scans' events are held SettleDelay (300 ms) before they go out
kill -TERM "$LISTENER_PID"; wait "$LISTENER_PID" 2>/dev/null || true; LISTENER_PID=
FEED=$(grep '^RESULT' "$RESULTS/feed-listener.log" || echo "RESULT missing")
echo "   $FEED"

{
  echo "date:              $(date -u +%Y-%m-%dT%H:%MZ)  machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "clients:           $CLIENTS ($MEASURE timed), at nice $CLIENT_NICE"
  echo "load:              target ${RATE} scans/s for ${DURATION}s ($CONNECTIONS connections pausing ${PACE_MS} ms), $WRISTBANDS wristbands, one series"
  echo "scans/s, 0 clients: $(rate "$BASE")  (p50 $(field "$BASE" p50_ms) ms, p99 $(field "$BASE" p99_ms) ms, errors $(field "$BASE" errors))"
  echo "scans/s, $CLIENTS clients: $(rate "$WITH")  (p50 $(field "$WITH" p50_ms) ms, p99 $(field "$WITH" p99_ms) ms, errors $(field "$WITH" errors))"
  echo "with / without:    $(awk -v a="$(rate "$WITH")" -v b="$(rate "$BASE")" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')"
  echo "scan to client:    p50 $(field "$FEED" p50_ms) ms, p99 $(field "$FEED" p99_ms) ms, max $(field "$FEED" max_ms) ms  ($(field "$FEED" events) events at $(field "$FEED" measured) timed clients, $(field "$FEED" per_client) per client; all clients drained $(field "$FEED" drained_mib) MiB besides; $(field "$FEED" ended) streams closed by the server)"
  echo "silo RSS:          ${RSS_0} MiB with 0 clients, ${RSS_K_IDLE} MiB with $CLIENTS idle, ${RSS_K} MiB with $CLIENTS under load"
  echo "CPU seconds:       silo ${SILO_CPU_BASE} without clients, ${SILO_CPU_WITH} with them (the clients' own process: ${LISTENER_CPU}); per 1,000 scans: $(awk -v a="$SILO_CPU_BASE" -v n="$(field "$BASE" requests)" 'BEGIN { printf "%.3f", (n > 0 ? a * 1000 / n : 0) }') s without, $(awk -v a="$SILO_CPU_WITH" -v n="$(field "$WITH" requests)" 'BEGIN { printf "%.3f", (n > 0 ? a * 1000 / n : 0) }') s with"
} | tee "$RESULTS/feed-summary.txt"
