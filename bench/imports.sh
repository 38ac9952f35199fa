#!/usr/bin/env bash
# Import benchmark (issue 12). Starts a fresh durable PostgreSQL (fsync and synchronous_commit on)
# and one silo serving the API, writes a file of ROWS wristbands (CSV, every 10th vip, with holder
# names and e-mails), and RUNS times, each into a new event:
#   1. imports it through POST /api/events/{id}/wristbands/import, timed from the first byte sent
#      to the job's completion (GET /api/imports/{id}),
#   2. imports the same file again (every row unchanged),
#   3. assigns all of them to a series in one request (POST /api/series/{id}/wristbands/assign-all),
#   4. activates the series and scans one imported wristband: its first scan must be ALLOW.
# KIND=tickets instead writes ROWS tickets (external ids T0000001..., source shop, every 10th vip,
# with holders, all naming the run's series) to POST /api/events/{id}/tickets/import, imports them
# twice the same way, and skips steps 3 and 4 (the series column assigned them in step 1).
# The ceiling: the same upload to a bare ASP.NET Core endpoint that only reads it (bench/BareEndpoint).
# Prints each run and the medians, with rows/s and the ratio bare-upload-time / import-time.
#   bench/imports.sh                       # 1,000,000 rows, 3 runs
#   ROWS=100000 RUNS=1 bench/imports.sh    # a quick run
#   KIND=tickets bench/imports.sh          # 1,000,000 tickets
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
RUNS=${RUNS:-3}
FORMAT=${FORMAT:-csv}
KIND=${KIND:-wristbands}
case $KIND in wristbands|tickets) ;; *) echo "KIND must be wristbands or tickets"; exit 1 ;; esac
PG_PORT=${PG_PORT:-26300}
API_PORT=${API_PORT:-26310}
BARE_PORT=${BARE_PORT:-26320}
TOKEN=es_bench_token_for_local_runs_only
ORG=00000000-0000-0000-0000-0000000000a1
DATA=$PWD/bench/.imports-data
RESULTS=$PWD/bench/results
mkdir -p "$RESULTS"

source bench/lib.sh
ensure_postgres_tools
for tool in jq curl bc; do
  command -v $tool >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $tool >/dev/null; }
done

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
fresh_postgres "-c max_wal_size=4GB -c wal_buffers=64MB" 100
dotnet src/Silo/bin/Release/net10.0/EventSeries.Silo.dll migrate >/dev/null
psql_ -v token="$TOKEN" -v wristbands=0 -f bench/seed.sql

echo "== writing $ROWS $KIND ($FORMAT)"
FILE=$DATA/$KIND.$FORMAT
# Tickets name their series by name when TICKET_SERIES=1: each run's series is called "Bench day"
# (one per event). Without it (the default) the import alone is timed, as the floor asks.
TICKET_SERIES=${TICKET_SERIES:-0}
python3 - "$ROWS" "$FORMAT" "$FILE" "$KIND" "$TICKET_SERIES" <<'PY'
import sys
rows, fmt, path, kind, with_series = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] == "1"
with open(path, "w") as f:
    if kind == "tickets":
        if fmt == "csv":
            f.write("external_id,source,ticket_type,holder_name,holder_email" + (",series" if with_series else "") + "\n")
            for i in range(1, rows + 1):
                f.write(f"T{i:07d},shop,{'vip' if i % 10 == 0 else 'general'},Guest {i},guest{i}@example.org" + (",Bench day" if with_series else "") + "\n")
        else:
            for i in range(1, rows + 1):
                series = ',"series":"Bench day"' if with_series else ""
                f.write(f'{{"externalId":"T{i:07d}","source":"shop","ticketType":"{"vip" if i % 10 == 0 else "general"}","holderName":"Guest {i}","holderEmail":"guest{i}@example.org"{series}}}\n')
    elif fmt == "csv":
        f.write("nfc_id,category,holder_name,holder_email\n")
        for i in range(1, rows + 1):
            f.write(f"04{i:012X},{'vip' if i % 10 == 0 else 'general'},Guest {i},guest{i}@example.org\n")
    else:
        for i in range(1, rows + 1):
            f.write(f'{{"nfcId":"04{i:012X}","category":"{"vip" if i % 10 == 0 else "general"}","holderName":"Guest {i}","holderEmail":"guest{i}@example.org"}}\n')
PY
CONTENT_TYPE=text/csv; [ "$FORMAT" = ndjson ] && CONTENT_TYPE=application/x-ndjson
echo "   $(du -h "$FILE" | cut -f1)"

echo "== starting the silo (silo + API) on :$API_PORT and the bare endpoint on :$BARE_PORT"
dotnet src/Silo/bin/Release/net10.0/EventSeries.Silo.dll --urls "http://127.0.0.1:$API_PORT" > "$RESULTS/imports-silo.log" 2>&1 &
SILO_PID=$!
dotnet bench/BareEndpoint/bin/Release/net10.0/EventSeries.Bench.BareEndpoint.dll --urls "http://127.0.0.1:$BARE_PORT" > "$RESULTS/imports-bare.log" 2>&1 &
BARE_PID=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$API_PORT/health/ready" >/dev/null && break; sleep 1; done
curl -sf "http://127.0.0.1:$API_PORT/health/ready" >/dev/null || { echo "silo did not become ready"; tail -50 "$RESULTS/imports-silo.log"; exit 1; }
for _ in $(seq 1 30); do curl -sf -X POST "http://127.0.0.1:$BARE_PORT/sink" >/dev/null && break; sleep 1; done

API=http://127.0.0.1:$API_PORT
auth=(-H "Authorization: Bearer $TOKEN")
post() { curl -sf "${auth[@]}" -H 'Content-Type: application/json' -X POST "$API$1" -d "$2"; }
now_ms() { date +%s%3N; }

# Uploads the file and waits for its job; prints "milliseconds job-json".
import_file() {
  local start job id
  start=$(now_ms)
  job=$(curl -sf "${auth[@]}" -H "Content-Type: $CONTENT_TYPE" --data-binary "@$FILE" "$API/api/events/$1/$KIND/import?format=$FORMAT")
  id=$(jq -r .id <<<"$job")
  while true; do
    job=$(curl -sf "${auth[@]}" "$API/api/imports/$id")
    case $(jq -r .status <<<"$job") in completed|failed) break ;; esac
    sleep 0.05
  done
  echo "$(( $(now_ms) - start )) $(jq -c . <<<"$job")"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
: > "$DATA/runs"
for run in $(seq 1 "$RUNS"); do
  event=$(post /api/events "{\"organizationId\":\"$ORG\",\"name\":\"Import run $run\",\"timeZone\":\"UTC\",\"categories\":[{\"name\":\"general\"},{\"name\":\"vip\"}]}" | jq -r .id)
  gate=$(post "/api/events/$event/gates" '{"name":"Main","kind":"entry"}' | jq -r .id)
  starts=$(date -u -d '+30 minutes' +%Y-%m-%dT%H:%M:%SZ); ends=$(date -u -d '+8 hours' +%Y-%m-%dT%H:%M:%SZ)
  series=$(post /api/series "{\"eventId\":\"$event\",\"name\":\"Bench day\",\"startsAt\":\"$starts\",\"endsAt\":\"$ends\",\"checkInWindow\":{\"opensMinutesBeforeStart\":60},\"gateIds\":[\"$gate\"]}" | jq -r .id)

  bare_start=$(now_ms)
  curl -sf -H "Content-Type: $CONTENT_TYPE" --data-binary "@$FILE" "http://127.0.0.1:$BARE_PORT/sink" >/dev/null
  bare=$(( $(now_ms) - bare_start ))

  read -r first first_job < <(import_file "$event")
  [ "$(jq -r '.status + " " + (.created|tostring)' <<<"$first_job")" = "completed $ROWS" ] || { echo "first import: $first_job"; exit 1; }
  read -r again again_job < <(import_file "$event")
  [ "$(jq -r '.status + " " + (.unchanged|tostring)' <<<"$again_job")" = "completed $ROWS" ] || { echo "second import: $again_job"; exit 1; }

  if [ "$KIND" = tickets ]; then
    [ "$TICKET_SERIES" = 0 ] || [ "$(jq -r .assigned <<<"$first_job")" = "$ROWS" ] || { echo "tickets given the series: $first_job"; exit 1; }
    echo "$first $again 0 $bare" >> "$DATA/runs"
    note=""; [ "$TICKET_SERIES" = 1 ] && note=", series assigned in it"
    printf 'run %d: import %6d ms (%7.0f rows/s%s), again (unchanged) %6d ms, bare upload %5d ms (ratio %.3f)\n' \
      "$run" "$first" "$(bc -l <<<"$ROWS*1000/$first")" "$note" "$again" "$bare" "$(bc -l <<<"$bare/$first")"
    continue
  fi

  assign_start=$(now_ms)
  assigned=$(post "/api/series/$series/wristbands/assign-all" '{}' | jq -r .assigned)
  assign=$(( $(now_ms) - assign_start ))
  [ "$assigned" = "$ROWS" ] || { echo "assigned $assigned of $ROWS"; exit 1; }

  post "/api/series/$series/transitions" '{"to":"scheduled"}' >/dev/null
  post "/api/series/$series/transitions" '{"to":"active"}' >/dev/null
  verdict=$(post "/api/events/$event/scans" "{\"nfcId\":\"04$(printf '%012X' 1)\",\"gateId\":\"$gate\"}" | jq -r '(.allowed|tostring) + " " + (.reason // "")')
  [ "${verdict%% *}" = true ] || { echo "first scan of an imported wristband: $verdict"; exit 1; }

  echo "$first $again $assign $bare" >> "$DATA/runs"
  printf 'run %d: import %6d ms (%7.0f rows/s), again (unchanged) %6d ms, assign-all %6d ms, bare upload %5d ms (ratio %.3f), first scan: %s\n' \
    "$run" "$first" "$(bc -l <<<"$ROWS*1000/$first")" "$again" "$assign" "$bare" "$(bc -l <<<"$bare/$first")" "$verdict"
done

m_first=$(cut -d' ' -f1 "$DATA/runs" | median); m_again=$(cut -d' ' -f2 "$DATA/runs" | median)
m_assign=$(cut -d' ' -f3 "$DATA/runs" | median); m_bare=$(cut -d' ' -f4 "$DATA/runs" | median)
echo
assign_part="assign-all ${m_assign} ms ($(if [ "$m_assign" = 0 ]; then echo "in the import"; else printf '%.0f rows/s' "$(bc -l <<<"$ROWS*1000/$m_assign")"; fi)),"
echo "RESULT kind=$KIND rows=$ROWS format=$FORMAT runs=$RUNS median: import ${m_first} ms ($(printf '%.0f' "$(bc -l <<<"$ROWS*1000/$m_first")") rows/s)," \
  "again ${m_again} ms, $assign_part" \
  "bare upload ${m_bare} ms, ratio bare/import $(printf '%.3f' "$(bc -l <<<"$m_bare/$m_first")")" | tee -a "$RESULTS/imports.txt"
