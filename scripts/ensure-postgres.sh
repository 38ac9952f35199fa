#!/usr/bin/env bash
# Makes sure PostgreSQL's server binaries (Debian's packages) are installed, installing them if not,
# and prints the one line naming the binaries EventSeries will use. Quiet and idempotent when they
# are already there. Starts no server: EventSeries and its tests run their own private servers
# (the package itself may start Debian's default cluster on 5432; nothing here uses it).
set -euo pipefail

newest_bin() {
  local initdb
  initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$initdb" ] && dirname "$initdb"
}

if ! newest_bin >/dev/null; then
  if ! command -v apt-get >/dev/null; then
    echo "PostgreSQL server binaries not found under /usr/lib/postgresql and apt-get is unavailable:" >&2
    echo "install PostgreSQL, or set ConnectionStrings__EventSeries to an existing server." >&2
    exit 1
  fi
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "Installing PostgreSQL needs root or sudo." >&2; exit 1; }
    sudo=(sudo)
  fi
  echo "PostgreSQL not found: installing Debian's postgresql package..." >&2
  # env, not a prefix assignment: sudo resets the environment. The lock timeout waits out a
  # concurrent apt run (unattended-upgrades on a fresh machine) instead of failing at once.
  apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300)
  "${apt[@]}" update >&2
  "${apt[@]}" install -y --no-install-recommends postgresql postgresql-contrib >&2
fi

bin=$(newest_bin) || { echo "PostgreSQL installation failed: no initdb under /usr/lib/postgresql/*/bin." >&2; exit 1; }
echo "PostgreSQL binaries: $bin"
