#!/usr/bin/env bash
# Recurring-series benchmark (issue 5). Starts a fresh durable PostgreSQL like bench/run.sh, loads
# one event with WRISTBANDS wristbands assigned to an active series (bench/seed.sql), starts one
# silo serving the API, and in one run:
#   1. scans (warm, wrk, 32 connections) for SCAN_SECONDS: the baseline,
#   2. POST /api/series/recurring: one parent generating SERIES published (scheduled) instances in
#      the same event, timed end to end,
#   3. the same scans again, now with SERIES more series in the event and the lifecycle sweeper
#      looking for due ones every 15 s,
#   4. GET /api/series?eventId=..&lifecycle=scheduled&page=..&pageSize=50 (random pages) with wrk for
#      LIST_SECONDS: p50/p99,
#   5. PUT the parent with applyToChildren=true: an edit applied to all SERIES instances. The PUT
#      answers 202 with a background job; the job is polled until it is no longer running, and both
#      the 202 and the whole job are timed (plus one GET of the parent while the job runs).
# Writes bench/results/series-summary.txt.
#   bench/series.sh                                  # 10,000 series, 20,000 wristbands
#   SERIES=2000 SCAN_SECONDS=10 LIST_SECONDS=10 bench/series.sh   # a quick run
set -euo pipefail
cd "$(dirname "$0")/.."
SERIES=${SERIES:-10000}
WRISTBANDS=${WRISTBANDS:-20000}
SCAN_SECONDS=${SCAN_SECONDS:-20}
LIST_SECONDS=${LIST_SECONDS:-20}
CONNECTIONS=${CONNECTIONS:-32}
LIST_CONNECTIONS=${LIST_CONNECTIONS:-4}
PG_PORT=${PG_PORT:-55434}
API_PORT=5081
TOKEN=es_bench_token_for_local_runs_only
EVENT=00000000-0000-0000-0000-0000000000e1
MAIN=00000000-0000-0000-0000-0000000000f1
VIP=00000000-0000-0000-0000-0000000000f2
DATA=$PWD/bench/.data/series
RESULTS=$PWD/bench/results
API=http://127.0.0.1:$API_PORT
mkdir -p "$RESULTS"

scripts/ensure-postgres.sh
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
command -v jq >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null; }
BIN=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
  [ -n "${SILO_PID:-}" ] && kill "$SILO_PID" 2>/dev/null && wait "$SILO_PID" 2>/dev/null || true
  [ -d "$DATA/pg" ] && as_pg "$BIN/pg_ctl" stop -D "$DATA/pg" -m fast >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "== building (Release)"
dotnet build src/Silo -c Release -nologo -v quiet -clp:ErrorsOnly

echo "== fresh PostgreSQL on port $PG_PORT (durable: fsync on, synchronous_commit on)"
rm -rf "$DATA" && mkdir -p "$DATA/pg" && [ "$(id -u)" != 0 ] || chown -R postgres:postgres "$DATA"
as_pg "$BIN/initdb" -D "$DATA/pg" -U postgres --auth=trust --encoding=UTF8 --locale=C >/dev/null
as_pg "$BIN/pg_ctl" start -D "$DATA/pg" -w -l "$DATA/pg/postgres.log" \
  -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DATA/pg -c max_connections=300 -c shared_buffers=512MB -c synchronous_commit=on" >/dev/null
export ConnectionStrings__EventSeries="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=eventseries_bench;Maximum Pool Size=200"
psql_() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d eventseries_bench -v ON_ERROR_STOP=1 -qAt "$@"; }

echo "== migrate and load $WRISTBANDS wristbands"
dotnet src/Silo/bin/Release/net10.0/EventSeries.Silo.dll migrate >/dev/null
psql_ -v token="$TOKEN" -v wristbands="$WRISTBANDS" -f bench/seed.sql

echo "== starting the silo (silo + API) on :$API_PORT"
dotnet src/Silo/bin/Release/net10.0/EventSeries.Silo.dll --urls "$API" > "$RESULTS/series-silo.log" 2>&1 &
SILO_PID=$!
for _ in $(seq 1 120); do curl -sf "$API/health/ready" >/dev/null && break; sleep 1; done
curl -sf "$API/health/ready" >/dev/null || { echo "silo did not become ready"; tail -50 "$RESULTS/series-silo.log"; exit 1; }

scan() { # mode seconds [offset]
  wrk -t2 -c"$CONNECTIONS" -d"$2" --timeout 10s -s bench/scan.lua "$API" -- "$1" "$WRISTBANDS" "${3:-0}" "$EVENT" "$MAIN" "$VIP" "$TOKEN" 2>&1 | grep '^RESULT'
}
field() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" <<<"$1"; }

echo "== activating the $WRISTBANDS wristbands (cold scans)"
echo "   $(scan cold "$(( WRISTBANDS / 2000 + 5 ))s")"
echo "== scans before: ${SCAN_SECONDS}s, 1 series in the event"
BEFORE=$(scan warm "${SCAN_SECONDS}s"); echo "   $BEFORE"

FIRST=$(date -u -d 'tomorrow 18:00' +%Y-%m-%dT%H:%M:%SZ)
LAST_END=$(date -u -d "tomorrow 21:00" +%Y-%m-%dT%H:%M:%SZ)
echo "== POST /api/series/recurring: FREQ=DAILY;COUNT=$SERIES, published, 2 gates, 1 category limit"
BODY=$(jq -n --arg e "$EVENT" --arg m "$MAIN" --arg v "$VIP" --arg s "$FIRST" --arg ends "$LAST_END" --arg rule "FREQ=DAILY;COUNT=$SERIES" \
  '{eventId: $e, name: "Nightly", startsAt: $s, endsAt: $ends, capacity: 5000, gateIds: [$m, $v],
    categoryLimits: [{category: "vip", maxWristbands: 100}], recurrence: {rule: $rule}, publish: true}')
GENERATE=$(curl -sS -o "$RESULTS/series-create.json" -w '%{http_code} %{time_total}' -X POST "$API/api/series/recurring" \
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$BODY")
echo "   HTTP ${GENERATE% *} in ${GENERATE#* }s: $(jq -c '{created, children, generatedThrough}' "$RESULTS/series-create.json")"
ROWS=$(psql_ -c "SELECT count(*) FROM event_series WHERE event_id = '$EVENT' AND lifecycle_status = 'scheduled'")
LOGGED=$(psql_ -c "SELECT count(*) FROM series_state_transitions t JOIN event_series s ON s.id = t.series_id WHERE s.parent_series_id IS NOT NULL")
echo "   scheduled series in the event: $ROWS; children's transitions logged: $LOGGED"

# Let PostgreSQL's own upkeep of the 30,000 new rows (autovacuum, checkpoint) finish first, so it is
# not counted against the scans.
psql_ -c "VACUUM ANALYZE" -c "CHECKPOINT" >/dev/null
echo "== scans after: ${SCAN_SECONDS}s, $SERIES more (scheduled) series in the event, sweeper running"
AFTER=$(scan warm "${SCAN_SECONDS}s"); echo "   $AFTER"

PAGES=$(( SERIES / 50 ))
echo "== GET /api/series?eventId=..&lifecycle=scheduled&pageSize=50, random page of $PAGES, $LIST_CONNECTIONS connections, ${LIST_SECONDS}s"
LIST=$(wrk -t2 -c"$LIST_CONNECTIONS" -d"${LIST_SECONDS}s" --timeout 10s -s bench/list.lua "$API" -- "$EVENT" scheduled "$PAGES" 50 "$TOKEN" 2>&1 | grep '^RESULT')
echo "   $LIST"
PARENT=$(jq -r .parent.id "$RESULTS/series-create.json")
echo "== PUT /api/series/{parent}?applyToChildren=true: 20:00 Berlin time instead of 19:00 for all $SERIES instances (a job: each child's own grain)"
LATER=$(date -u -d 'tomorrow 19:00' +%Y-%m-%dT%H:%M:%SZ)
LATER_END=$(date -u -d 'tomorrow 22:00' +%Y-%m-%dT%H:%M:%SZ)
EDIT=$(jq -n --arg s "$LATER" --arg ends "$LATER_END" '{name: "Nightly", startsAt: $s, endsAt: $ends, capacity: 5000}')
JOB_STARTED=$(date +%s.%N)
APPLY=$(curl -sS -o "$RESULTS/series-apply.json" -w '%{http_code} %{time_total}' --max-time 60 -X PUT "$API/api/series/$PARENT?applyToChildren=true" \
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$EDIT" || echo "000 timeout")
JOB=$(jq -r '.id // empty' "$RESULTS/series-apply.json" 2>/dev/null || true)
PARENT_GET=$(curl -sS -o /dev/null -w '%{http_code} %{time_total}' --max-time 60 -H "Authorization: Bearer $TOKEN" "$API/api/series/$PARENT" || echo "000 timeout")
JOB_STATUS=none
if [ -n "$JOB" ]; then
  # Poll the job until it is no longer running (at most 10 minutes).
  for _ in $(seq 1200); do
    curl -sS -o "$RESULTS/series-job.json" --max-time 10 -H "Authorization: Bearer $TOKEN" "$API/api/series/$PARENT/jobs/$JOB" || true
    JOB_STATUS=$(jq -r '.status // "unknown"' "$RESULTS/series-job.json" 2>/dev/null || echo unknown)
    [ "$JOB_STATUS" = running ] || break
    sleep 0.5
  done
fi
JOB_SECONDS=$(awk -v a="$JOB_STARTED" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
JOB_COUNTS=$(jq -c '{total, done, skipped, failed}' "$RESULTS/series-job.json" 2>/dev/null || echo '{}')
MOVED=$(psql_ -c "SELECT count(*) FROM event_series WHERE parent_series_id = '$PARENT' AND extract(hour FROM starts_at AT TIME ZONE 'Europe/Berlin') = 20")
echo "   HTTP ${APPLY% *} in ${APPLY#* }s; GET parent meanwhile: HTTP ${PARENT_GET% *} in ${PARENT_GET#* }s"
echo "   job $JOB_STATUS after ${JOB_SECONDS}s $JOB_COUNTS; instances at the new time: $MOVED"
SWEEPS=$(grep -c "Lifecycle sweep" "$RESULTS/series-silo.log" || true)

{
  echo "date:              $(date -u +%Y-%m-%dT%H:%MZ)  machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "generate $SERIES:    HTTP ${GENERATE% *} in ${GENERATE#* } s (one request; $ROWS scheduled rows, $LOGGED transitions)"
  echo "scans before:      $(field "$BEFORE" rate)/s  (p50 $(field "$BEFORE" p50_ms) ms, p99 $(field "$BEFORE" p99_ms) ms, errors $(field "$BEFORE" errors))"
  echo "scans after:       $(field "$AFTER" rate)/s  (p50 $(field "$AFTER" p50_ms) ms, p99 $(field "$AFTER" p99_ms) ms, errors $(field "$AFTER" errors))"
  echo "after / before:    $(awk -v a="$(field "$AFTER" rate)" -v b="$(field "$BEFORE" rate)" 'BEGIN { printf "%.2f", a / b }')"
  echo "list (page of 50): $LIST_CONNECTIONS connections, $(field "$LIST" rate) req/s, p50 $(field "$LIST" p50_ms) ms, p99 $(field "$LIST" p99_ms) ms, errors $(field "$LIST" errors)"
  echo "apply to $SERIES:    HTTP ${APPLY% *} in ${APPLY#* } s; job $JOB_STATUS after $JOB_SECONDS s $JOB_COUNTS ($MOVED instances moved)"
  echo "GET parent during the job: HTTP ${PARENT_GET% *} in ${PARENT_GET#* } s"
  echo "silo log lines about sweeps with work: $SWEEPS"
} | tee "$RESULTS/series-summary.txt"
