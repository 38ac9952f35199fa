# Shared by the bench scripts: a private, durable PostgreSQL of their own. Source it after setting
# DATA (its folder) and PG_PORT; ensure_postgres_tools first, then fresh_postgres, and
# stop_postgres in the script's cleanup.

# Debian's PostgreSQL (installed if missing), its binaries in BIN, and as_pg to run them as postgres when root.
ensure_postgres_tools() {
  scripts/ensure-postgres.sh >/dev/null
  BIN=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# A new server in $DATA/pg on $PG_PORT (fsync and synchronous_commit on, 1 GB shared buffers unless
# $1 says otherwise; $1 are more -c settings, PG_OPTIONS the caller's own), the database's
# connection string exported with a pool of $2 (200), and psql_ for SQL against it.
fresh_postgres() {
  local settings=${1:-} pool=${2:-200}
  rm -rf "$DATA" && mkdir -p "$DATA/pg"
  [ "$(id -u)" != 0 ] || chown -R postgres:postgres "$DATA"
  as_pg "$BIN/initdb" -D "$DATA/pg" -U postgres --auth=trust --encoding=UTF8 --locale=C >/dev/null
  as_pg "$BIN/pg_ctl" start -D "$DATA/pg" -w -l "$DATA/pg/postgres.log" \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DATA/pg -c max_connections=300 -c shared_buffers=1GB -c synchronous_commit=on $settings ${PG_OPTIONS:-}" >/dev/null
  export ConnectionStrings__EventSeries="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=eventseries_bench;Maximum Pool Size=$pool"
}
psql_() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d eventseries_bench -v ON_ERROR_STOP=1 -qAt "$@"; }

stop_postgres() {
  [ -d "$DATA/pg" ] && as_pg "$BIN/pg_ctl" stop -D "$DATA/pg" -m fast >/dev/null 2>&1 || true
}
