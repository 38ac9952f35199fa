#!/usr/bin/env bash
# The fault-injection harness's private PostgreSQL (Debian's binaries), durable (fsync and
# synchronous_commit on) and with track_commit_timestamp on, so the ledger check can replay the
# log in commit order. Run by bench/chaos/run.sh, and by the driver for database faults.
#   PG_DIR=... PG_PORT=... bench/chaos/postgres.sh init|start|stop|restart [DOWN_SECONDS]|crash [DOWN_SECONDS]
# restart: a fast shutdown (sessions ended, checkpoint), crash: an immediate one (no checkpoint:
# recovery from the WAL at start); either stays down DOWN_SECONDS (default 0) before starting again.
set -euo pipefail
: "${PG_DIR:?PG_DIR: the data folder}" "${PG_PORT:?PG_PORT: the port}"
BIN=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start() {
  as_pg "$BIN/pg_ctl" start -D "$PG_DIR" -w -t 60 -l "$PG_DIR/postgres.log" >/dev/null
  echo "postgres: up on port $PG_PORT"
}

stop() { # mode
  [ -f "$PG_DIR/postmaster.pid" ] || return 0
  as_pg "$BIN/pg_ctl" stop -D "$PG_DIR" -m "$1" -w -t 60 >/dev/null || true
  echo "postgres: stopped ($1)"
}

case "${1:-}" in
  init)
    mkdir -p "$PG_DIR"
    [ "$(id -u)" != 0 ] || chown postgres:postgres "$PG_DIR"
    as_pg "$BIN/initdb" -D "$PG_DIR" -U postgres --auth=trust --encoding=UTF8 --locale=C >/dev/null
    cat >> "$PG_DIR/postgresql.conf" <<CONF
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR'
max_connections = 600
fsync = on
synchronous_commit = on
track_commit_timestamp = on
CONF
    ;;
  start) start ;;
  stop) stop fast ;;
  restart | crash)
    mode=fast
    [ "$1" = crash ] && mode=immediate
    stop "$mode"
    sleep "${2:-0}"
    start
    ;;
  *) sed -n '2,9p' "$0" >&2; exit 2 ;;
esac
