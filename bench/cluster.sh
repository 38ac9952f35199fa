#!/usr/bin/env bash
# Multi-silo scan benchmark (issue 15). One durable PostgreSQL and one seeded event (bench/seed.sql)
# for every layout; each layout is started with deploy/cluster.sh behind nginx, its wristbands are
# activated once (cold scans), then wrk drives warm scans (random wristbands) for WARM_SECONDS:
#   1, 2 and 3 silos, each co-hosting the API (nginx balances over the silos' HTTP ports),
#   3 silos with the API as APIS separate processes (cluster clients) behind nginx,
#   the bare ceiling: bench/BareEndpoint directly and behind the same nginx.
# All share this machine's cores, so the figures are ratios to the bare ceiling of the same run,
# not an absolute gain. After each layout `EventSeries.Silo.dll activations` prints how the grains
# spread over the silos. RUNS repeats everything and reports the median per layout.
#   bench/cluster.sh                                    # 20,000 wristbands, 20 s warm, 3 runs
#   RUNS=1 WRISTBANDS=5000 WARM_SECONDS=10 bench/cluster.sh
set -euo pipefail
cd "$(dirname "$0")/.."
WRISTBANDS=${WRISTBANDS:-20000}
WARM_SECONDS=${WARM_SECONDS:-20}
RUNS=${RUNS:-3}
APIS=${APIS:-2}
LAYOUTS=${LAYOUTS:-"1:0 2:0 3:0 3:$APIS"}   # silos:api-processes
CONNECTIONS=${CONNECTIONS:-64}
PG_PORT=${PG_PORT:-55434}
LB_PORT=${LB_PORT:-8090}
BARE_PORT=5091
TOKEN=es_bench_token_for_local_runs_only
EVENT=00000000-0000-0000-0000-0000000000e1
MAIN=00000000-0000-0000-0000-0000000000f1
VIP=00000000-0000-0000-0000-0000000000f2
DATA=$PWD/bench/.cluster-data
RESULTS=$PWD/bench/results/cluster
mkdir -p "$RESULTS"

scripts/ensure-postgres.sh
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
command -v nginx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }
BIN=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
export DATA_CLUSTER=$DATA/cluster
cluster() { DATA=$DATA_CLUSTER LB_PORT=$LB_PORT BUILD=0 deploy/cluster.sh "$@"; }

cleanup() {
  cluster stop >/dev/null 2>&1 || true
  [ -n "${BARE_PID:-}" ] && kill "$BARE_PID" 2>/dev/null && wait "$BARE_PID" 2>/dev/null || true
  [ -n "${NGINX_CONF:-}" ] && nginx -c "$NGINX_CONF" -s stop 2>/dev/null || true
  [ -d "$DATA/pg" ] && as_pg "$BIN/pg_ctl" stop -D "$DATA/pg" -m fast >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "== building (Release)"
dotnet build src/Silo -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build src/Api -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build bench/BareEndpoint -c Release -nologo -v quiet -clp:ErrorsOnly

echo "== fresh PostgreSQL on port $PG_PORT (durable: fsync on, synchronous_commit on)"
rm -rf "$DATA" && mkdir -p "$DATA/pg" && [ "$(id -u)" != 0 ] || chown -R postgres:postgres "$DATA"
as_pg "$BIN/initdb" -D "$DATA/pg" -U postgres --auth=trust --encoding=UTF8 --locale=C >/dev/null
as_pg "$BIN/pg_ctl" start -D "$DATA/pg" -w -l "$DATA/pg/postgres.log" \
  -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DATA/pg -c max_connections=400 -c shared_buffers=1GB -c synchronous_commit=on" >/dev/null
export ConnectionStrings__EventSeries="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=eventseries_bench;Maximum Pool Size=100"
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAt -c "CREATE DATABASE eventseries_bench" >/dev/null
dotnet src/Silo/bin/Release/net10.0/EventSeries.Silo.dll migrate >/dev/null
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d eventseries_bench -v ON_ERROR_STOP=1 -qAt -v token="$TOKEN" -v wristbands="$WRISTBANDS" -f bench/seed.sql

run_wrk() { # mode url seconds [offset]
  wrk -t2 -c"$CONNECTIONS" -d"$3" --timeout 10s -s bench/scan.lua "$2" -- "$1" "$WRISTBANDS" "${4:-0}" "$EVENT" "$MAIN" "$VIP" "$TOKEN" \
    > "$RESULTS/wrk.last" 2>&1 || true
  cat "$RESULTS/wrk.last" >> "$RESULTS/wrk.log"
  grep '^RESULT' "$RESULTS/wrk.last" || { echo "wrk failed:" >&2; cat "$RESULTS/wrk.last" >&2; return 1; }
}
rate() { sed -n 's/.* rate=\([0-9]*\).*/\1/p' <<<"$1"; }
field() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" <<<"$1"; }

# nginx in front of the bare endpoint, configured like the cluster's (keepalive upstream).
bare_nginx() {
  mkdir -p "$DATA/bare-nginx"
  NGINX_CONF=$DATA/bare-nginx/nginx.conf
  cat > "$NGINX_CONF" <<EOF
worker_processes 1;
pid $DATA/bare-nginx/nginx.pid;
error_log $DATA/bare-nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $DATA/bare-nginx; proxy_temp_path $DATA/bare-nginx;
  fastcgi_temp_path $DATA/bare-nginx; uwsgi_temp_path $DATA/bare-nginx; scgi_temp_path $DATA/bare-nginx;
  upstream bare { server 127.0.0.1:$BARE_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$((LB_PORT + 1));
    location / { proxy_pass http://bare; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
EOF
  nginx -c "$NGINX_CONF"
}

: > "$RESULTS/wrk.log"
: > "$RESULTS/runs.txt"
for run in $(seq 1 "$RUNS"); do
  for layout in $LAYOUTS; do
    silos=${layout%%:*}; apis=${layout##*:}
    name="${silos}silo-$([ "$apis" = 0 ] && echo cohosted || echo "${apis}api")"
    echo "== run $run, $name"
    SILOS=$silos APIS=$apis cluster start >/dev/null
    COLD=$(run_wrk cold "http://127.0.0.1:$LB_PORT" "$(( WRISTBANDS / 1000 + 10 ))s")
    WARM=$(run_wrk warm "http://127.0.0.1:$LB_PORT" "${WARM_SECONDS}s")
    echo "   $WARM"
    dotnet src/Silo/bin/Release/net10.0/EventSeries.Silo.dll activations 2>/dev/null | sed 's/^/   /' | tee -a "$RESULTS/activations.txt"
    echo "$run $name $(rate "$WARM") $(field "$WARM" p50_ms) $(field "$WARM" p99_ms) $(field "$WARM" errors)" >> "$RESULTS/runs.txt"
    SILOS=$silos APIS=$apis cluster stop >/dev/null
  done

  echo "== run $run, bare ceiling (direct and behind nginx)"
  dotnet bench/BareEndpoint/bin/Release/net10.0/EventSeries.Bench.BareEndpoint.dll --urls "http://127.0.0.1:$BARE_PORT" > "$RESULTS/bare.log" 2>&1 &
  BARE_PID=$!
  for _ in $(seq 1 30); do curl -s -o /dev/null "http://127.0.0.1:$BARE_PORT/" && break; sleep 1; done
  BARE=$(run_wrk warm "http://127.0.0.1:$BARE_PORT" "${WARM_SECONDS}s")
  echo "$run bare $(rate "$BARE") $(field "$BARE" p50_ms) $(field "$BARE" p99_ms) 0" >> "$RESULTS/runs.txt"
  bare_nginx
  BARE_LB=$(run_wrk warm "http://127.0.0.1:$((LB_PORT + 1))" "${WARM_SECONDS}s")
  echo "$run bare-nginx $(rate "$BARE_LB") $(field "$BARE_LB" p50_ms) $(field "$BARE_LB" p99_ms) 0" >> "$RESULTS/runs.txt"
  nginx -c "$NGINX_CONF" -s stop; NGINX_CONF=
  kill "$BARE_PID"; wait "$BARE_PID" 2>/dev/null || true; BARE_PID=
  echo "   bare $(rate "$BARE") req/s, behind nginx $(rate "$BARE_LB") req/s"
done

# Per layout: the median over runs of (scans/s / the same run's bare req/s), and the median rate.
{
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  machine: $(nproc) cores  wristbands: $WRISTBANDS  warm: ${WARM_SECONDS}s x $RUNS runs, $CONNECTIONS connections through nginx"
  printf '%-18s %12s %14s %10s %10s %8s\n' layout "median rate" "median/bare" "p50 ms" "p99 ms" errors
  awk '
    $2 == "bare" { bare[$1] = $3 }
    { rows[NR] = $0 }
    END {
      for (i = 1; i <= NR; i++) { split(rows[i], f, " "); n = f[2]; k = ++count[n]; r[n, k] = f[3]; q[n, k] = f[3] / bare[f[1]]; p50[n, k] = f[4]; p99[n, k] = f[5]; err[n] += f[6]; order[n] = order[n] ? order[n] : i }
      for (n in count) {
        c = count[n]
        for (a = 1; a <= c; a++) for (b = a + 1; b <= c; b++) {
          if (r[n, b] < r[n, a]) { t = r[n, a]; r[n, a] = r[n, b]; r[n, b] = t }
          if (q[n, b] < q[n, a]) { t = q[n, a]; q[n, a] = q[n, b]; q[n, b] = t }
          if (p50[n, b] < p50[n, a]) { t = p50[n, a]; p50[n, a] = p50[n, b]; p50[n, b] = t }
          if (p99[n, b] < p99[n, a]) { t = p99[n, a]; p99[n, a] = p99[n, b]; p99[n, b] = t }
        }
        m = int((c + 1) / 2)
        printf "%d %-18s %12d %14.3f %10s %10s %8d\n", order[n], n, r[n, m], q[n, m], p50[n, m], p99[n, m], err[n]
      }
    }' "$RESULTS/runs.txt" | sort -n | cut -d' ' -f2-
} | tee "$RESULTS/summary.txt"
