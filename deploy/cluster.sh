#!/usr/bin/env bash
# An EventSeries cluster on one machine against one PostgreSQL: SILOS silos (each also serving the
# HTTP API), APIS API-only processes (cluster clients) and nginx balancing HTTP over all of them.
# Every process runs in the background with its pid and log in DATA. See deploy/README.md.
#
#   deploy/cluster.sh start                    start what is not running, wait until each is ready
#   deploy/cluster.sh stop                     stop everything (SIGTERM, then SIGKILL after STOP_TIMEOUT)
#   deploy/cluster.sh status                   one line per process: pid, state, ready, URL
#   deploy/cluster.sh restart-silo N           stop silo N gracefully (if running), start it, wait until ready
#   deploy/cluster.sh kill-silo N              kill -9 silo N (it stays down: restart-silo N brings it back)
#   deploy/cluster.sh freeze-silo N SECONDS    SIGSTOP silo N, SIGCONT it SECONDS later (returns then)
#   deploy/cluster.sh rolling-restart          restart-silo 1..SILOS, one at a time
#
# Settings (environment):
#   ConnectionStrings__EventSeries   required: the database every process uses (all form one cluster)
#   SILOS=3 APIS=0                   how many silos and API-only processes
#   DATA=deploy/.data                pids, logs and nginx's files
#   BIND=127.0.0.1                   the address every HTTP, silo and gateway port listens on
#   SILO_HTTP_BASE=5200 SILO_PORT_BASE=11200 GATEWAY_PORT_BASE=30200   silo N uses BASE+N
#   API_HTTP_BASE=5300               API-only process N serves HTTP on API_HTTP_BASE+N
#   LB=nginx LB_PORT=8080            nginx in front (LB=none: no balancer); nginx is installed from Debian if missing
#   UPSTREAM=all                     what nginx balances over: all (silos and API processes) or apis (API processes only)
#   NGINX_SCAN_READ_TIMEOUT=3s       how long nginx waits for a scan's answer before resending it to the next process
#                                    (longer than the API's scan deadline, EventSeries:Scans:Deadline, 2.5 s)
#   NGINX_SCAN_RETRY="error timeout http_502"   when nginx resends a scan (proxy_next_upstream; see deploy/README.md)
#   NGINX_MAX_FAILS=0 NGINX_FAIL_TIMEOUT=10s  failed tries within FAIL_TIMEOUT that take a process out for FAIL_TIMEOUT (0: never)
#   WATCH=1 WATCH_PERIOD=0.25 WATCH_TIMEOUT=0.5   the upstream watch: every PERIOD seconds each process's /health/live is
#                                    asked; one that does not answer within TIMEOUT (frozen, hung, gone) is taken out
#                                    of nginx until it answers again (WATCH=0: no watch)
#   SILO_ARGS= API_ARGS=             extra arguments for every silo / API process (e.g. membership timeouts)
#   EventSeries__Integrations__SecretKey  the key of webhook secrets, the same for every process (silos sign
#                                    outgoing webhooks, APIs check incoming ones); made once in DATA/integrations-key if unset
#   SILO_DLL= API_DLL=               built assemblies (default: this repository's Release build, built when BUILD=1)
#   BUILD=1                          build src/Silo and src/Api (Release) before start if no *_DLL is given
#   READY_TIMEOUT=120 STOP_TIMEOUT=40   seconds
#   PORT_WAIT=10                     seconds a process's ports may stay taken before it is started (a process
#                                    stopped or killed a moment ago may still hold them); then it is not started
# As root, what it calls and is missing (curl, iproute2's ss, nginx) is installed from Debian.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SILOS=${SILOS:-3}
APIS=${APIS:-0}
DATA=${DATA:-$ROOT/deploy/.data}
BIND=${BIND:-127.0.0.1}
SILO_HTTP_BASE=${SILO_HTTP_BASE:-5200}
SILO_PORT_BASE=${SILO_PORT_BASE:-11200}
GATEWAY_PORT_BASE=${GATEWAY_PORT_BASE:-30200}
API_HTTP_BASE=${API_HTTP_BASE:-5300}
LB=${LB:-nginx}
LB_PORT=${LB_PORT:-8080}
UPSTREAM=${UPSTREAM:-all}
NGINX_SCAN_READ_TIMEOUT=${NGINX_SCAN_READ_TIMEOUT:-3s}
NGINX_SCAN_RETRY=${NGINX_SCAN_RETRY:-error timeout http_502}
NGINX_MAX_FAILS=${NGINX_MAX_FAILS:-0}
NGINX_FAIL_TIMEOUT=${NGINX_FAIL_TIMEOUT:-10s}
WATCH=${WATCH:-1}
WATCH_PERIOD=${WATCH_PERIOD:-0.25}
WATCH_TIMEOUT=${WATCH_TIMEOUT:-0.5}
READY_TIMEOUT=${READY_TIMEOUT:-120}
STOP_TIMEOUT=${STOP_TIMEOUT:-40}
PORT_WAIT=${PORT_WAIT:-10}
BUILD=${BUILD:-1}
SILO_DLL=${SILO_DLL:-}
API_DLL=${API_DLL:-}
read -r -a SILO_EXTRA <<<"${SILO_ARGS:-}"
read -r -a API_EXTRA <<<"${API_ARGS:-}"

say() { echo "cluster: $*"; }
die() { echo "cluster: $*" >&2; exit 1; }

silo_http() { echo $((SILO_HTTP_BASE + $1)); }
api_http() { echo $((API_HTTP_BASE + $1)); }
# Every process that serves HTTP, as "name port".
upstream_processes() { http_processes | { [ "$UPSTREAM" = apis ] && grep '^api' || cat; }; }

http_processes() {
  local i
  for ((i = 1; i <= SILOS; i++)); do echo "silo$i $(silo_http "$i")"; done
  for ((i = 1; i <= APIS; i++)); do echo "api$i $(api_http "$i")"; done
}

pid_of() { [ -f "$DATA/$1.pid" ] && cat "$DATA/$1.pid" || true; }
# Alive: its pid file names a process that is still ours (the pid was not reused by something else).
alive() {
  local pid
  pid=$(pid_of "$1")
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && grep -qaE 'EventSeries|nginx|cluster\.sh' "/proc/$pid/cmdline" 2>/dev/null
}
state_of() { # running | frozen | down
  local pid
  if ! alive "$1"; then echo down; return; fi
  pid=$(pid_of "$1")
  case $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) in
    T|t) echo frozen ;;
    *) echo running ;;
  esac
}
ready() { curl -sf -m 2 -o /dev/null "http://$BIND:$1/health/ready"; }
port_taken() { (exec 3<>"/dev/tcp/$BIND/$1") 2>/dev/null; }

# Installs Debian's packages for the commands named "command:package" that are missing, with one
# apt-get update before them (as root; otherwise says what to install).
ensure_commands() {
  local entry missing=()
  for entry in "$@"; do
    command -v "${entry%%:*}" >/dev/null || [ -x "/usr/sbin/${entry%%:*}" ] || missing+=("${entry#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "missing Debian packages: ${missing[*]} (apt-get install ${missing[*]}, as root)"
  say "installing Debian's ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 update >&2
  DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${missing[@]}" >&2
}
ensure_tools() {
  local wanted=(curl:curl ss:iproute2 setsid:util-linux)
  [ "$LB" = nginx ] && wanted+=(nginx:nginx)
  ensure_commands "${wanted[@]}"
}

# The ports among "$@" that something listens on, or that an open connection holds as its own
# (e.g. an outgoing one given it as its ephemeral port); a socket in TIME-WAIT does not count.
ports_in_use() {
  local port
  for port in "$@"; do
    ss -Htan state listening state established state syn-sent "( sport = :$port )" 2>/dev/null | grep -q . && echo "$port"
  done
  return 0
}

# Waits up to PORT_WAIT seconds until none of NAME's ports is in use (a process stopped or
# killed a moment ago may still hold one for a moment); fails, naming the holders, if they never free up.
wait_ports_free() {
  local name=$1; shift
  local taken tries=$((PORT_WAIT * 5)) said=0 port holders=""
  while :; do
    taken=$(ports_in_use "$@")
    if [ -z "$taken" ]; then
      [ "$said" = 0 ] || say "$name: ports free"
      return 0
    fi
    if [ "$tries" -le 0 ]; then
      for port in $taken; do
        holders+="; $port by $(ss -Htanp state listening state established state syn-sent "( sport = :$port )" 2>/dev/null \
          | grep -oE '"[^"]+",pid=[0-9]+' | sort -u | sed -E 's/"([^"]+)",pid=/\1 pid /' | paste -sd, - || true)"
      done
      die "$name: not started: port(s) $(echo $taken) still in use after ${PORT_WAIT}s (${holders#; })"
    fi
    [ "$said" = 1 ] || say "$name: waiting up to ${PORT_WAIT}s for port(s) $(echo $taken) to be free"
    said=1 tries=$((tries - 1))
    sleep 0.2
  done
}

# Starts "$@" as a background process NAME in its own session (Ctrl-C in this terminal does not
# reach it), its output appended to DATA/NAME.log, its pid in DATA/NAME.pid.
launch() {
  local name=$1; shift
  rm -f "$DATA/$name.pid"
  echo "=== $(date -u +%FT%T.%3NZ) cluster.sh starts: $*" >> "$DATA/$name.log"
  setsid bash -c 'echo $$ > "$0"; exec "$@"' "$DATA/$name.pid" "$@" >> "$DATA/$name.log" 2>&1 < /dev/null &
  for _ in $(seq 1 50); do [ -s "$DATA/$name.pid" ] && return 0; sleep 0.1; done
  die "$name did not start (see $DATA/$name.log)"
}

# Waits until every named "name port" answers /health/ready; fails at once if one of them exits.
wait_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT)) pending=("$@") left name port entry
  while [ ${#pending[@]} -gt 0 ]; do
    left=()
    for entry in "${pending[@]}"; do
      read -r name port <<<"$entry"
      if ready "$port"; then
        say "$name ready on http://$BIND:$port"
      elif ! alive "$name"; then
        tail -n 30 "$DATA/$name.log" >&2
        die "$name exited before it was ready (log: $DATA/$name.log)"
      else
        left+=("$entry")
      fi
    done
    pending=("${left[@]+"${left[@]}"}")
    [ ${#pending[@]} -eq 0 ] && break
    [ $SECONDS -ge $deadline ] && die "not ready after ${READY_TIMEOUT}s: ${pending[*]} (logs in $DATA)"
    sleep 0.5
  done
}

# Sends SIGTERM to each named process (SIGCONT first, so a frozen one can act on it), waits up
# to STOP_TIMEOUT for all to exit, then kills what is left.
stop_processes() {
  local name pid waiting=() deadline=$((SECONDS + STOP_TIMEOUT))
  for name in "$@"; do
    alive "$name" || { rm -f "$DATA/$name.pid"; continue; }
    pid=$(pid_of "$name")
    kill -CONT "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
    waiting+=("$name")
  done
  while [ ${#waiting[@]} -gt 0 ]; do
    local left=()
    for name in "${waiting[@]}"; do alive "$name" && left+=("$name"); done
    waiting=("${left[@]+"${left[@]}"}")
    [ ${#waiting[@]} -eq 0 ] && break
    if [ $SECONDS -ge $deadline ]; then
      for name in "${waiting[@]}"; do
        say "$name did not stop within ${STOP_TIMEOUT}s: SIGKILL"
        kill -KILL "$(pid_of "$name")" 2>/dev/null || true
      done
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  for name in "$@"; do rm -f "$DATA/$name.pid"; done
}

resolve_binaries() {
  if [ -z "$SILO_DLL" ] || { [ "$APIS" -gt 0 ] && [ -z "$API_DLL" ]; }; then
    if [ "$BUILD" = 1 ]; then
      say "building src/Silo and src/Api (Release)"
      local project out
      for project in src/Silo src/Api; do
        out=$(dotnet build "$ROOT/$project" -c Release -nologo -v quiet -clp:ErrorsOnly 2>&1) || { echo "$out" >&2; die "build of $project failed"; }
      done
      "$ROOT/scripts/build-web.sh" || die "the console's build failed (scripts/build-web.sh)"
    fi
    SILO_DLL=${SILO_DLL:-$ROOT/src/Silo/bin/Release/net10.0/EventSeries.Silo.dll}
    API_DLL=${API_DLL:-$ROOT/src/Api/bin/Release/net10.0/EventSeries.Api.dll}
  fi
  # Its processes log to files, not a journal: each line gets its time (UTC), so a fault's log reads in order with the others'.
  export Logging__Console__FormatterName="${Logging__Console__FormatterName:-simple}"
  export Logging__Console__FormatterOptions__TimestampFormat="${Logging__Console__FormatterOptions__TimestampFormat:-HH:mm:ss.fff }"
  export Logging__Console__FormatterOptions__UseUtcTimestamp="${Logging__Console__FormatterOptions__UseUtcTimestamp:-true}"
  # Every process serves the browser console at / from the same build (docs/console.md).
  if [ -z "${EventSeries__Console__Root:-}" ] && [ -f "$ROOT/web/dist/index.html" ]; then
    export EventSeries__Console__Root="$ROOT/web/dist"
  fi
  [ -f "$SILO_DLL" ] || die "no silo assembly at $SILO_DLL (set SILO_DLL, or BUILD=1)"
  [ "$APIS" -eq 0 ] || [ -f "$API_DLL" ] || die "no API assembly at $API_DLL (set API_DLL, or BUILD=1)"
}

# Behind nginx the client address comes from its X-Forwarded-For (the authentication throttle counts it).
proxy_args() { [ "$LB" = nginx ] && echo "--EventSeries:ForwardedHeaders:KnownProxies:0 127.0.0.1" || true; }

start_silo() {
  local i=$1 http
  http=$(silo_http "$i")
  wait_ports_free "silo$i" "$http" $((SILO_PORT_BASE + i)) $((GATEWAY_PORT_BASE + i))
  # shellcheck disable=SC2046
  launch "silo$i" dotnet "$SILO_DLL" --urls "http://$BIND:$http" \
    --Orleans:AdvertisedIP "$BIND" --Orleans:SiloPort $((SILO_PORT_BASE + i)) --Orleans:GatewayPort $((GATEWAY_PORT_BASE + i)) \
    $(proxy_args) "${SILO_EXTRA[@]+"${SILO_EXTRA[@]}"}"
}

start_api() {
  local i=$1 http
  http=$(api_http "$i")
  wait_ports_free "api$i" "$http"
  # shellcheck disable=SC2046
  launch "api$i" dotnet "$API_DLL" --urls "http://$BIND:$http" $(proxy_args) "${API_EXTRA[@]+"${API_EXTRA[@]}"}"
}

# nginx's configuration: one upstream of every HTTP process. Scans carry a scanId that makes a
# resend return the first verdict, so only the scan route lets nginx resend a POST that was
# already sent (non_idempotent) when a process fails or does not answer within
# NGINX_SCAN_READ_TIMEOUT (longer than the API's own scan deadline: a process retrying a scan
# answers, 200 or 503, before nginx gives up on it). Every other POST/PUT/DELETE is resent only if it never reached a process.
# 503 is passed through, not retried: it means the database or cluster cannot decide now,
# which another process would say too, and it carries Retry-After for the scanner.
# No process is taken out for failing (NGINX_MAX_FAILS=0): nginx counts every timeout as the
# process's failure, but when the cluster itself is slow (a cold start, a silo frozen before
# membership evicts it) every process times out alike, nginx took all of them out at once and
# answered 502 "no live upstreams" to everything. A refused connection (a process stopped or
# killed) is retried on the next process at no cost, so keeping it in loses nothing.
write_nginx_conf() {
  local dir=$DATA/nginx name port servers=""
  mkdir -p "$dir/tmp"
  # Processes the watch found not answering (OUT="silo2 api1 ") are marked down, unless that is all of them.
  local out=${OUT:-} count=0 marked=0
  while read -r name port; do
    count=$((count + 1))
    [[ " $out " == *" $name "* ]] && marked=$((marked + 1))
  done < <(upstream_processes)
  [ "$marked" -lt "$count" ] || out=""
  while read -r name port; do
    local down=""
    [[ " $out " == *" $name "* ]] && down=" down"
    servers+="    server $BIND:$port max_fails=$NGINX_MAX_FAILS fail_timeout=$NGINX_FAIL_TIMEOUT$down;  # $name"$'\n'
  done < <(upstream_processes)
  [ -n "$servers" ] || die "UPSTREAM=apis needs APIS > 0"
  local user_line=""
  if [ "$(id -u)" = 0 ]; then
    user_line="user nobody nogroup;"
    chown -R nobody:nogroup "$dir/tmp"
  fi
  cat > "$dir/nginx.conf" <<EOF
# Written by deploy/cluster.sh; changes are lost at the next start.
$user_line
daemon off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
    log_format upstreams '\$time_iso8601 \$request_method \$uri \$status \$request_time up=\$upstream_addr \$upstream_status \$upstream_response_time';
    access_log $dir/access.log upstreams;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    client_max_body_size 16m;

    upstream eventseries {
$servers        keepalive 64;
    }

    server {
        listen $BIND:$LB_PORT;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host \$host;
        proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto \$scheme;
        proxy_connect_timeout 1s;
        proxy_next_upstream_tries 2;

        location ~ ^/api/events/[^/]+/scans\$ {
            proxy_pass http://eventseries;
            proxy_read_timeout $NGINX_SCAN_READ_TIMEOUT;
            proxy_next_upstream $NGINX_SCAN_RETRY non_idempotent;
            proxy_next_upstream_timeout 5s;
        }

        location / {
            proxy_pass http://eventseries;
            proxy_read_timeout 60s;
            proxy_next_upstream error timeout http_502;
        }
    }
}
EOF
}

start_nginx() {
  write_nginx_conf
  local bin
  bin=$(command -v nginx || echo /usr/sbin/nginx)
  "$bin" -t -q -c "$DATA/nginx/nginx.conf" -p "$DATA/nginx" -e "$DATA/nginx/error.log" || die "nginx rejected $DATA/nginx/nginx.conf"
  if alive nginx; then
    kill -HUP "$(pid_of nginx)"
    say "nginx reloaded"
    return
  fi
  wait_ports_free nginx "$LB_PORT"
  launch nginx "$bin" -c "$DATA/nginx/nginx.conf" -p "$DATA/nginx" -e "$DATA/nginx/error.log"
  for _ in $(seq 1 50); do port_taken "$LB_PORT" && { say "nginx on http://$BIND:$LB_PORT"; return; }; sleep 0.1; done
  die "nginx is not listening on $LB_PORT (see $DATA/nginx.log, $DATA/nginx/error.log)"
}

# The upstream watch: nginx alone cannot tell a frozen process (the kernel still accepts its
# connections; only the answer never comes) from a slow cluster, so it would go on sending a third
# of all scans to a frozen silo for as long as it is frozen, each waiting NGINX_SCAN_READ_TIMEOUT.
# This loop asks every process's /health/live (no grain, no database: a live process answers in
# milliseconds even when the cluster is slow) and takes the ones that do not answer out of the
# upstream, with a graceful reload, until they answer again. A process being stopped on purpose
# (restart-silo) is taken out first through its drain file, so nothing new is sent to it.
cmd_watch_upstreams() {
  local last="none" out name port
  mkdir -p "$DATA/drain" "$DATA/watch"
  while alive nginx; do
    out=""
    while read -r name port; do
      ( if [ -e "$DATA/drain/$name" ] || ! curl -s -o /dev/null -m "$WATCH_TIMEOUT" "http://$BIND:$port/health/live"; then
          touch "$DATA/watch/$name"; else rm -f "$DATA/watch/$name"; fi ) &
    done < <(upstream_processes)
    wait
    while read -r name port; do [ -e "$DATA/watch/$name" ] && out+="$name "; done < <(upstream_processes)
    if [ "$out" != "$last" ]; then
      OUT="$out" write_nginx_conf
      kill -HUP "$(pid_of nginx)" 2>/dev/null || true
      echo "$(date -u +%FT%T.%3NZ) out of nginx: ${out:-none}"
      last=$out
    fi
    sleep "$WATCH_PERIOD"
  done
}

start_watch() {
  [ "$LB" = nginx ] && [ "$WATCH" = 1 ] || return 0
  alive watch && return 0
  launch watch bash "$0" watch-upstreams
}

# Every process must hold the same key for webhook secrets; one is made for this cluster if none is given.
integrations_key() {
  if [ -z "${EventSeries__Integrations__SecretKey:-}" ]; then
    [ -s "$DATA/integrations-key" ] || (umask 077 && head -c 32 /dev/urandom | base64 > "$DATA/integrations-key")
    EventSeries__Integrations__SecretKey=$(cat "$DATA/integrations-key")
    export EventSeries__Integrations__SecretKey
  fi
}

cmd_start() {
  [ -n "${ConnectionStrings__EventSeries:-}" ] || die "set ConnectionStrings__EventSeries (every process uses it; all of them form one cluster)"
  mkdir -p "$DATA"
  integrations_key
  ensure_tools
  resolve_binaries
  # Once, before any silo: silos migrate on start too, but not all at once.
  say "migrating the database"
  dotnet "$SILO_DLL" migrate >> "$DATA/migrate.log" 2>&1 || { tail -n 20 "$DATA/migrate.log" >&2; die "migration failed"; }
  local i started=()
  for ((i = 1; i <= SILOS; i++)); do
    alive "silo$i" && continue
    start_silo "$i"
    started+=("silo$i $(silo_http "$i")")
  done
  [ ${#started[@]} -gt 0 ] && wait_ready "${started[@]}"
  started=()
  for ((i = 1; i <= APIS; i++)); do
    alive "api$i" && continue
    start_api "$i"
    started+=("api$i $(api_http "$i")")
  done
  [ ${#started[@]} -gt 0 ] && wait_ready "${started[@]}"
  [ "$LB" = nginx ] && start_nginx
  start_watch
  cmd_status
}

cmd_stop() {
  local names=(nginx) i
  for ((i = 1; i <= APIS; i++)); do names+=("api$i"); done
  for ((i = 1; i <= SILOS; i++)); do names+=("silo$i"); done
  # Also whatever an earlier start with more processes left behind.
  for f in "$DATA"/*.pid; do
    [ -e "$f" ] || continue
    f=$(basename "$f" .pid)
    [[ " ${names[*]} " == *" $f "* ]] || names+=("$f")
  done
  stop_processes watch nginx
  stop_processes "${names[@]:1}"
  rm -rf "$DATA/drain" "$DATA/watch"
  say "stopped"
}

cmd_status() {
  local name port
  printf '%-7s %-8s %-8s %-6s %s\n' process pid state ready url
  while read -r name port; do
    local r=no
    ready "$port" && r=yes
    printf '%-7s %-8s %-8s %-6s %s\n' "$name" "$(pid_of "$name")" "$(state_of "$name")" "$r" "http://$BIND:$port"
  done < <(http_processes)
  if [ "$LB" = nginx ]; then
    printf '%-7s %-8s %-8s %-6s %s\n' nginx "$(pid_of nginx)" "$(state_of nginx)" - "http://$BIND:$LB_PORT"
  fi
}

silo_number() {
  [[ "${1:-}" =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ "$1" -le "$SILOS" ] || die "silo number must be 1..$SILOS"
}

cmd_restart_silo() {
  silo_number "${1:-}"
  local i=$1 t0=$SECONDS
  [ -n "${ConnectionStrings__EventSeries:-}" ] || die "set ConnectionStrings__EventSeries"
  integrations_key
  ensure_tools
  resolve_binaries
  if alive "silo$i"; then
    if alive watch; then
      # Drained first: the watch takes it out of nginx, and scans already sent to it finish.
      mkdir -p "$DATA/drain" && touch "$DATA/drain/silo$i"
      sleep "$(awk -v p="$WATCH_PERIOD" -v t="$WATCH_TIMEOUT" 'BEGIN { print 2 * (p + t) + 0.5 }')"
    fi
    say "silo$i: stopping (SIGTERM)"
    stop_processes "silo$i"
  fi
  start_silo "$i"
  wait_ready "silo$i $(silo_http "$i")"
  rm -f "$DATA/drain/silo$i"
  say "silo$i restarted in $((SECONDS - t0))s"
}

cmd_kill_silo() {
  silo_number "${1:-}"
  alive "silo$1" || die "silo$1 is not running"
  kill -KILL "$(pid_of "silo$1")"
  say "silo$1 killed (SIGKILL)"
}

cmd_freeze_silo() {
  silo_number "${1:-}"
  [[ "${2:-}" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "usage: freeze-silo N SECONDS"
  alive "silo$1" || die "silo$1 is not running"
  local pid
  pid=$(pid_of "silo$1")
  # Thawed whatever ends this command, so a stopped harness never leaves a silo frozen.
  trap 'kill -CONT '"$pid"' 2>/dev/null || true' EXIT INT TERM
  kill -STOP "$pid"
  say "silo$1 frozen (SIGSTOP) for $2s"
  # In the background and waited for, so a signal to this script runs the trap at once.
  sleep "$2" &
  wait $!
  kill -CONT "$pid" 2>/dev/null || true
  say "silo$1 thawed (SIGCONT)"
}

cmd_rolling_restart() {
  local i
  for ((i = 1; i <= SILOS; i++)); do cmd_restart_silo "$i"; done
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart-silo) cmd_restart_silo "${2:-}" ;;
  kill-silo) cmd_kill_silo "${2:-}" ;;
  freeze-silo) cmd_freeze_silo "${2:-}" "${3:-}" ;;
  rolling-restart) cmd_rolling_restart ;;
  watch-upstreams) cmd_watch_upstreams ;;
  *) sed -n '2,13p' "$0" >&2; exit 2 ;;
esac
