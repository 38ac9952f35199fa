#!/usr/bin/env bash
# Export benchmark (issue 13). Starts a fresh PostgreSQL and one silo serving the API, seeds the
# check-in log directly with SQL (generate_series) — one series per size in SIZES, each with that
# many rows (every 10th denied, every 3rd an exit, every 4th at the VIP gate, every 20th vip, 10 ms
# apart) — then per size and format downloads
#   GET /api/series/{id}/checkins/export?format=csv|ndjson   (every row; timed with curl, rows/s)
#   GET /api/series/{id}/metrics/export?format=csv           (per minute, gate and category)
# checks the line count, and records the silo's peak RSS during each download (VmHWM of
# /proc/<pid>/status, reset before each one with clear_refs): constant memory means the same peak
# for 100,000 rows as for 1,000,000.
#   bench/exports.sh                         # SIZES="100000 1000000", 3 runs each
#   SIZES=50000 RUNS=1 bench/exports.sh      # a quick check that it works
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"100000 1000000"}
RUNS=${RUNS:-3}
PG_PORT=${PG_PORT:-26400}
API_PORT=${API_PORT:-26410}
SILO_PORT=${SILO_PORT:-26420}
GATEWAY_PORT=${GATEWAY_PORT:-26421}
TOKEN=es_bench_token_for_local_runs_only
DATA=$PWD/bench/.exports-data
RESULTS=$PWD/bench/results
mkdir -p "$RESULTS"

source bench/lib.sh
ensure_postgres_tools
for tool in curl bc; do
  command -v $tool >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $tool >/dev/null; }
done

cleanup() {
  [ -n "${SILO_PID:-}" ] && kill "$SILO_PID" 2>/dev/null && wait "$SILO_PID" 2>/dev/null || true
  stop_postgres
}
trap cleanup EXIT

echo "== building (Release)"
dotnet build src/Silo -c Release -nologo -v quiet -clp:ErrorsOnly

echo "== fresh PostgreSQL on port $PG_PORT"
fresh_postgres "-c max_wal_size=4GB" 100
dotnet src/Silo/bin/Release/net10.0/EventSeries.Silo.dll migrate >/dev/null
psql_ -v token="$TOKEN" -v wristbands=0 -f bench/seed.sql

declare -A SERIES
n=0
for rows in $SIZES; do
  n=$((n + 1))
  series=$(printf '00000000-0000-0000-0000-0000000e%04d' "$n")
  SERIES[$rows]=$series
  echo "== seeding $rows check-in rows into series $series"
  start=$(date +%s)
  psql_ -v series="$series" -v rows="$rows" <<'SQL'
INSERT INTO event_series (id, organization_id, event_id, name, starts_at, ends_at, checkin_opens_minutes_before, lifecycle_status, reentry_policy)
  VALUES (:'series', '00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000e1', 'Export bench ' || :'rows',
          now() - interval '1 hour', now() + interval '23 hours', 120, 'active', 'reentry');
INSERT INTO checkin_logs (id, organization_id, event_id, series_id, wristband_id, nfc_id, category, gate_id, direction, result, reason, message,
                          scan_id, scanned_at, at, actor_user_id, occupancy_delta)
  SELECT gen_random_uuid(), '00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000e1', :'series', gen_random_uuid(),
         '04' || lpad(to_hex(i % 400000), 12, '0'),
         CASE WHEN i % 20 = 0 THEN 'vip' ELSE 'general' END,
         CASE WHEN i % 4 = 0 THEN '00000000-0000-0000-0000-0000000000f2'::uuid ELSE '00000000-0000-0000-0000-0000000000f1'::uuid END,
         CASE WHEN i % 3 = 0 THEN 'out' ELSE 'in' END,
         CASE WHEN i % 10 = 0 THEN 'denied' ELSE 'allowed' END,
         CASE WHEN i % 10 = 0 THEN 'already_inside' ELSE 'ok' END,
         CASE WHEN i % 10 = 0 THEN 'Already inside, please see staff.' ELSE 'Welcome!' END,
         gen_random_uuid(), t, t + interval '3 ms', '00000000-0000-0000-0000-0000000000b1',
         CASE WHEN i % 10 = 0 THEN 0 WHEN i % 3 = 0 THEN -1 ELSE 1 END
    FROM generate_series(1, :rows) AS i, LATERAL (SELECT now() - interval '3 hours' + i * interval '10 ms' AS t) x;
ANALYZE checkin_logs;
SQL
  echo "   $(( $(date +%s) - start )) s"
done

# The plans the exports run (their SQL is in src/Persistence/Exports/ExportQueries.cs), for the largest series.
largest=${SERIES[${SIZES##* }]}
echo "== plans for $largest"
psql_ -c "EXPLAIN SELECT id, series_id, wristband_id, nfc_id, category, gate_id, direction, result, reason, detail, message, scan_id, scanned_at, at, actor_user_id, annuls
  FROM checkin_logs WHERE series_id = '$largest' AND organization_id = ANY('{00000000-0000-0000-0000-0000000000a1}') ORDER BY at DESC, id DESC" | sed 's/^/   /'
psql_ -c "EXPLAIN SELECT date_trunc('minute', l.at), l.gate_id, g.name, l.category, count(*) FROM checkin_logs l LEFT JOIN gates g ON g.id = l.gate_id
  WHERE l.series_id = '$largest' GROUP BY 1, l.gate_id, g.name, l.category ORDER BY 1, g.name, l.gate_id, l.category NULLS FIRST" | sed 's/^/   /'

echo "== starting the silo (silo + API) on :$API_PORT"
dotnet src/Silo/bin/Release/net10.0/EventSeries.Silo.dll --urls "http://127.0.0.1:$API_PORT" \
  --Orleans:SiloPort "$SILO_PORT" --Orleans:GatewayPort "$GATEWAY_PORT" > "$RESULTS/exports-silo.log" 2>&1 &
SILO_PID=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$API_PORT/health/ready" >/dev/null && break; sleep 1; done
curl -sf "http://127.0.0.1:$API_PORT/health/ready" >/dev/null || { echo "silo did not become ready"; tail -50 "$RESULTS/exports-silo.log"; exit 1; }
API=http://127.0.0.1:$API_PORT

kib() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$SILO_PID/status"; }
# Peak RSS since the last reset; resetting (Linux 4.0+) needs the process to be ours.
reset_peak() { echo 5 > "/proc/$SILO_PID/clear_refs" 2>/dev/null || echo "   (could not reset VmHWM: peaks are since start)"; }

# CPU time (user + system) the silo has used, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SILO_PID/stat"; }
TICKS=$(getconf CLK_TCK)

# Downloads one export, counting its lines on the fly; prints "seconds bytes lines first-byte-seconds peak-kib silo-cpu-seconds".
download() {
  local url=$1 lines cpu
  reset_peak
  cpu=$(cpu_ticks)
  lines=$(curl -sS --fail -H "Authorization: Bearer $TOKEN" "$API$url" \
    -w '%{stderr}%{time_total} %{size_download} %{time_starttransfer}\n' 2>"$DATA/curl-stats" | wc -l)
  read -r seconds bytes first < "$DATA/curl-stats"
  echo "$seconds $bytes $lines $first $(kib VmHWM) $(bc -l <<<"($(cpu_ticks) - $cpu) / $TICKS")"
}

# Warm-up: the first requests of a kind compile their code (tiered JIT); the silo's own start-up
# work (grain directory, reminders, the first lifecycle sweep) settles in its first seconds.
for _ in 1 2 3; do
  download "/api/series/${SERIES[${SIZES%% *}]}/checkins/export?format=csv" >/dev/null
  download "/api/series/${SERIES[${SIZES%% *}]}/checkins/export?format=ndjson" >/dev/null
done
sleep 5
echo "   silo RSS after warm-up: $(( $(kib VmRSS) / 1024 )) MiB"

echo
printf '%-9s %-7s %-4s %9s %10s %9s %11s %12s %13s\n' rows format run seconds "rows/s" MiB "first byte" "peak RSS MiB" "silo CPU s"
for rows in $SIZES; do
  series=${SERIES[$rows]}
  for format in csv ndjson; do
    expected=$rows; [ "$format" = csv ] && expected=$((rows + 1))
    : > "$DATA/runs"
    for run in $(seq 1 "$RUNS"); do
      read -r seconds bytes lines first peak cpu < <(download "/api/series/$series/checkins/export?format=$format")
      [ "$lines" = "$expected" ] || { echo "$format export of $rows rows: $lines lines, expected $expected"; exit 1; }
      rate=$(bc -l <<<"$rows/$seconds")
      echo "$seconds $rate $peak" >> "$DATA/runs"
      printf '%-9s %-7s %-4s %9.2f %10.0f %9.1f %11.3f %12d %13.2f\n' "$rows" "$format" "$run" "$seconds" "$rate" "$(bc -l <<<"$bytes/1048576")" "$first" $((peak / 1024)) "$cpu"
    done
    median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
    m_seconds=$(cut -d' ' -f1 "$DATA/runs" | median); m_peak=$(cut -d' ' -f3 "$DATA/runs" | sort -n | tail -n 1)
    echo "RESULT rows=$rows format=$format runs=$RUNS median ${m_seconds} s ($(printf '%.0f' "$(bc -l <<<"$rows/$m_seconds")") rows/s), highest peak RSS $((m_peak / 1024)) MiB" >> "$DATA/results"
  done
  read -r seconds bytes lines first peak cpu < <(download "/api/series/$series/metrics/export?format=csv")
  echo "RESULT rows=$rows metrics export (csv): $((lines - 1)) rows in ${seconds} s, first byte after ${first} s, peak RSS $((peak / 1024)) MiB" >> "$DATA/results"
done
echo
tee -a "$RESULTS/exports.txt" < "$DATA/results"
