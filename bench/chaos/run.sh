#!/usr/bin/env bash
# Fault-injection harness (issue 15). Starts a fresh private PostgreSQL (port 26100 or CHAOS_PG_PORT, folder
# bench/chaos/.data, removed at the start), seeds one event with WRISTBANDS wristbands in one
# active series of capacity CAPACITY behind one mixed gate (bench/chaos/seed.sql), starts a
# cluster with deploy/cluster.sh (3 silos and nginx by default), drives steady scans from
# bench/ChaosDriver while injecting the faults given, lets the system settle, then checks every answer
# against checkin_logs and prints the table. Exits non-zero when an invariant fails.
#
#   bench/chaos/run.sh --short                     the CI run: 2000 wristbands, 60 s at 150/s, kill -9 silo2 at 10 s, started again at 30 s
#   bench/chaos/run.sh --kill silo2@10s            120 s at 300/s (defaults), one kill -9
#   bench/chaos/run.sh --freeze silo3@20s:45s --max-gap 50s
#   bench/chaos/run.sh --db-restart @30s:5s        also --db-crash (immediate shutdown), --restart silo2@40s, --rolling-restart @10s
# Options: --silos 3 --apis 0 --rate 300 --duration 120 --wristbands 3000 --capacity 500
#   --policy reentry|single --settle 40 --max-gap 3 --direct (scans straight to every process,
#   round-robin, instead of through nginx) --silo-args "..." --api-args "..." (passed to every
#   process, e.g. membership timeouts) --attempts 4 --attempt-timeout 6s --seed N.
# Every process it started is stopped on exit, whatever happened (what a run killed with -9 left,
# the next run stops first); logs stay in bench/chaos/.data. What it needs from Debian (PostgreSQL,
# psql, nginx, curl, iproute2) is installed when missing, as root.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
started=$SECONDS

SILOS=3 APIS=0 RATE=300 DURATION=120 WRISTBANDS=3000 CAPACITY=500 POLICY=reentry SETTLE=40 MAX_GAP=3 DIRECT=0
SILO_ARGS="" API_ARGS=""
faults=() passthrough=()
while [ $# -gt 0 ]; do
  case "$1" in
    --short)
      RATE=150 DURATION=60 SETTLE=45 WRISTBANDS=2000
      faults+=(--kill silo2@10s --restart silo2@30s)
      passthrough+=(--warmup 16)
      shift ;;
    --silos) SILOS=$2; shift 2 ;;
    --apis) APIS=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --wristbands) WRISTBANDS=$2; shift 2 ;;
    --capacity) CAPACITY=$2; shift 2 ;;
    --policy) POLICY=$2; shift 2 ;;
    --settle) SETTLE=$2; shift 2 ;;
    --max-gap) MAX_GAP=$2; shift 2 ;;
    --direct) DIRECT=1; shift ;;
    --silo-args) SILO_ARGS=$2; shift 2 ;;
    --api-args) API_ARGS=$2; shift 2 ;;
    --kill | --freeze | --restart | --rolling-restart | --db-restart | --db-crash) faults+=("$1" "$2"); shift 2 ;;
    --attempts | --attempt-timeout | --seed | --max-in-flight | --warmup) passthrough+=("$1" "$2"); shift 2 ;;
    -h | --help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "chaos: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$POLICY" in single | reentry) ;; *) echo "chaos: --policy is single or reentry" >&2; exit 2 ;; esac

# Ports of their own, away from ./run.sh (5000, 11111, 30000, 55432), bench/run.sh (55433, 5080, 5090),
# deploy/cluster.sh's defaults (5200+, 11200+, 30200+, 8080), and below Linux's ephemeral range
# (/proc/sys/net/ipv4/ip_local_port_range, 32768-60999 by default; the tests' free ports come from
# it too): there an outgoing connection can take a port just before a restarted silo binds it.
# PostgreSQL on PG_PORT, nginx PG_PORT+1, silo N's HTTP/silo/gateway ports PG_PORT+10+N/+30+N/+40+N,
# API process N PG_PORT+20+N.
PG_PORT=${CHAOS_PG_PORT:-26100}
if read -r ephemeral_low ephemeral_high < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null \
   && [ $((PG_PORT + 50)) -ge "$ephemeral_low" ] && [ "$PG_PORT" -le "$ephemeral_high" ]; then
  echo "chaos: warning: ports $PG_PORT-$((PG_PORT + 50)) overlap the ephemeral range $ephemeral_low-$ephemeral_high; a restarted silo may find its port taken" >&2
fi
CHAOS_DATA=$ROOT/bench/chaos/.data
TOKEN=es_chaos_token_for_local_runs_only
EVENT=00000000-0000-0000-0000-0000000c0e01
GATE=00000000-0000-0000-0000-0000000c0f01
SERIES=00000000-0000-0000-0000-0000000c0051
export PG_DIR=$CHAOS_DATA/pg PG_PORT
# deploy/cluster.sh's settings, for this script and for the driver's fault commands alike.
export DATA=$CHAOS_DATA/cluster
export SILOS APIS SILO_ARGS API_ARGS BIND=127.0.0.1 LB=nginx LB_PORT=$((PG_PORT + 1))
export SILO_HTTP_BASE=$((PG_PORT + 10)) API_HTTP_BASE=$((PG_PORT + 20)) SILO_PORT_BASE=$((PG_PORT + 30)) GATEWAY_PORT_BASE=$((PG_PORT + 40))
export BUILD=0 READY_TIMEOUT=${READY_TIMEOUT:-90} STOP_TIMEOUT=${STOP_TIMEOUT:-30}
export SILO_DLL=$ROOT/src/Silo/bin/Release/net10.0/EventSeries.Silo.dll API_DLL=$ROOT/src/Api/bin/Release/net10.0/EventSeries.Api.dll
export ConnectionStrings__EventSeries="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=eventseries_chaos"
DRIVER_DLL=$ROOT/bench/ChaosDriver/bin/Release/net10.0/EventSeries.Bench.ChaosDriver.dll
cluster() { "$ROOT/deploy/cluster.sh" "$@"; }
say() { echo "== chaos $((SECONDS - started))s: $*"; }

# The pids of the processes in process group $1 (the driver's session: it and its fault commands).
group_members() {
  local stat rest pgrp pid
  for stat in /proc/[0-9]*/stat; do
    { read -r rest < "$stat"; } 2>/dev/null || continue
    pid=${stat#/proc/}; pid=${pid%/stat}
    rest=${rest##*) }
    read -r _ _ pgrp _ <<<"$rest"
    [ "$pgrp" = "$1" ] && echo "$pid"
  done
  return 0
}

# Ends process group $1 (SIGTERM: a freeze command thaws its silo on it; SIGKILL after 5 s).
stop_group() {
  [ -n "$(group_members "$1")" ] || return 0
  kill -TERM -- "-$1" 2>/dev/null || true
  for _ in $(seq 1 50); do [ -n "$(group_members "$1")" ] || return 0; sleep 0.1; done
  kill -KILL -- "-$1" 2>/dev/null || true
}

# Runs "$@" in the background and waits for it: bash runs a trap only once a foreground command
# has ended, so a SIGTERM during a build or a cluster start would wait for it; this way it stops
# the run at once, and cleanup ends the step.
step() {
  "$@" &
  STEP_PID=$!
  local rc=0
  wait "$STEP_PID" || rc=$?
  STEP_PID=
  return "$rc"
}

# Stops everything this script started, in order: a step under way, the driver and its fault
# commands (a freeze thaws its silo when ended), the cluster, PostgreSQL. Runs on every exit.
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "${STEP_PID:-}" ] && kill -0 "$STEP_PID" 2>/dev/null; then
    kill -TERM "$STEP_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$STEP_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$STEP_PID" 2>/dev/null || true
  fi
  [ -z "${DRIVER_GROUP:-}" ] || stop_group "$DRIVER_GROUP"
  rm -f "$DRIVER_GROUP_FILE"
  if [ -d "$DATA" ]; then
    cluster stop >/dev/null 2>&1 || true
    # Once more: a restart the driver had under way may have started a silo meanwhile.
    sleep 0.5
    cluster stop >/dev/null 2>&1 || true
  fi
  "$ROOT/bench/chaos/postgres.sh" stop >/dev/null 2>&1 || true
  end_leftovers
  say "stopped everything it started (logs: ${CHAOS_DATA#"$ROOT"/})"
  exit "$status"
}

# Whatever of this checkout's silos, API processes, driver or nginx still runs after the stops (a
# pid file lost in a race) is said and ended by its pid (SIGTERM, SIGKILL after 5 s).
end_leftovers() {
  local left pid
  left=$(leftovers)
  [ -n "$left" ] || return 0
  say "still running after the stops, ending them: $(for pid in $left; do printf '%s ' "$pid:$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | cut -c1-80)"; done)"
  for pid in $left; do kill -CONT "$pid" 2>/dev/null; kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 50); do [ -n "$(leftovers)" ] || return 0; sleep 0.1; done
  for pid in $(leftovers); do kill -KILL "$pid" 2>/dev/null || true; done
}

# Pids of processes whose command line names this checkout's silo, API or driver assembly or the
# harness's nginx configuration: silos, API processes, the driver, nginx.
leftovers() {
  local f pid
  for f in $(grep -laF -e "$SILO_DLL" -e "$API_DLL" -e "$DRIVER_DLL" -e "$DATA/nginx/nginx.conf" /proc/[0-9]*/cmdline 2>/dev/null); do
    pid=${f#/proc/}; pid=${pid%/cmdline}
    [ "$pid" = $$ ] || echo "$pid"
  done
  return 0
}

# What a previous run left (it was killed before it could clean up: kill -9, a lost terminal), then
# a fresh folder. First its driver, which would otherwise go on scanning this run's cluster and
# injecting its faults into it: its process group, if a member of it is still our driver or cluster.sh.
DRIVER_GROUP_FILE=$CHAOS_DATA/driver.pgid
if [ -f "$DRIVER_GROUP_FILE" ]; then
  stale=$(cat "$DRIVER_GROUP_FILE")
  if [[ "$stale" =~ ^[0-9]+$ ]]; then
    for pid in $(group_members "$stale"); do
      if grep -qaF -e "$DRIVER_DLL" -e "$ROOT/deploy/cluster.sh" "/proc/$pid/cmdline" 2>/dev/null; then
        say "stopping the driver a previous run left (process group $stale)"
        stop_group "$stale"
        break
      fi
    done
  fi
fi
if [ -d "$DATA" ]; then cluster stop >/dev/null 2>&1 || true; fi
if [ -f "$PG_DIR/postmaster.pid" ]; then "$ROOT/bench/chaos/postgres.sh" stop >/dev/null 2>&1 || true; fi
end_leftovers
rm -rf "$CHAOS_DATA"
mkdir -p "$DATA"
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# What it and deploy/cluster.sh call, from Debian when missing (CI is a fresh machine, as root):
# one apt-get update, then every missing package at once.
ensure_tools() {
  local entry missing=()
  for entry in psql:postgresql-client curl:curl ss:iproute2 nginx:nginx runuser:util-linux setsid:util-linux; do
    command -v "${entry%%:*}" >/dev/null || [ -x "/usr/sbin/${entry%%:*}" ] || missing+=("${entry#*:}")
  done
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql postgresql-contrib)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || { echo "chaos: missing Debian packages: ${missing[*]} (apt-get install them as root)" >&2; exit 1; }
  say "installing Debian's $(printf '%s\n' "${missing[@]}" | sort -u | paste -sd' ' -)"
  DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 update >&2
  # shellcheck disable=SC2046
  DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 install -y --no-install-recommends \
    $(printf '%s\n' "${missing[@]}" | sort -u) >&2
}

ensure_tools
say "building (Release)"
scripts/ensure-postgres.sh >/dev/null
# No build servers: nothing of the build outlives the run.
step dotnet build src/Silo -c Release -nologo -v quiet -clp:ErrorsOnly --disable-build-servers
[ "$APIS" -eq 0 ] || step dotnet build src/Api -c Release -nologo -v quiet -clp:ErrorsOnly --disable-build-servers
step dotnet build bench/ChaosDriver -c Release -nologo -v quiet -clp:ErrorsOnly --disable-build-servers

say "fresh PostgreSQL on port $PG_PORT; $WRISTBANDS wristbands, capacity $CAPACITY, policy $POLICY"
step bench/chaos/postgres.sh init
step bench/chaos/postgres.sh start
step dotnet "$SILO_DLL" migrate > "$CHAOS_DATA/migrate.log" 2>&1 || { cat "$CHAOS_DATA/migrate.log" >&2; exit 1; }
step psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d eventseries_chaos -v ON_ERROR_STOP=1 -qAt \
  -v token="$TOKEN" -v wristbands="$WRISTBANDS" -v capacity="$CAPACITY" -v policy="$POLICY" -f bench/chaos/seed.sql

say "starting $SILOS silos, $APIS API processes and nginx (deploy/cluster.sh)"
step "$ROOT/deploy/cluster.sh" start   # the script itself, not the function: cleanup ends what step started

targets=http://127.0.0.1:$LB_PORT
if [ "$DIRECT" = 1 ]; then
  targets=$(for ((i = 1; i <= SILOS; i++)); do printf 'http://127.0.0.1:%s,' $((SILO_HTTP_BASE + i)); done
            for ((i = 1; i <= APIS; i++)); do printf 'http://127.0.0.1:%s,' $((API_HTTP_BASE + i)); done)
fi

say "load and faults"
# In a session of its own, so cleanup can end it and the fault commands it runs at once.
setsid dotnet "$DRIVER_DLL" --target "$targets" --event "$EVENT" --gate "$GATE" --series "$SERIES" --token "$TOKEN" \
  --database "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=eventseries_chaos;Pooling=false" \
  --wristbands "$WRISTBANDS" --capacity "$CAPACITY" --policy "$POLICY" --rate "$RATE" --duration "$DURATION" \
  --settle "$SETTLE" --max-gap "$MAX_GAP" --cluster "$ROOT/deploy/cluster.sh" \
  --db-script "$ROOT/bench/chaos/postgres.sh" --out "$CHAOS_DATA" "${passthrough[@]+"${passthrough[@]}"}" "${faults[@]+"${faults[@]}"}" &
DRIVER_PID=$!
# setsid made it the leader of its own group: its pid is the group's id.
DRIVER_GROUP=$DRIVER_PID
echo "$DRIVER_GROUP" > "$DRIVER_GROUP_FILE"
status=0
wait "$DRIVER_PID" || status=$?
# Which processes are still up: a silo voted dead while frozen ends itself when it thaws (Orleans
# never lets a dead silo back in), and nothing here restarts it as a supervisor would.
say "processes at the end"
cluster status || true
say "done (driver exit $status)"
exit "$status"
