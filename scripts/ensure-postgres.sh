#!/usr/bin/env bash
# Makes sure PostgreSQL's server binaries (Debian's package) are installed; installs them if not.
# Quiet and idempotent when they are already there. Does not start any server: EventSeries and
# its tests start their own private servers.
set -euo pipefail
find_initdb() { ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(find_initdb)" ]; then
  echo "PostgreSQL not found: installing Debian's postgresql package..."
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "Need root (or sudo) to install PostgreSQL." >&2; exit 1; }
    sudo="sudo"
  fi
  $sudo apt-get update -qq
  # policy-rc.d keeps the package from starting its own default cluster during the install.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql postgresql-contrib >/dev/null
fi
initdb=$(find_initdb)
[ -n "$initdb" ] || { echo "PostgreSQL installation failed: no initdb under /usr/lib/postgresql." >&2; exit 1; }
echo "PostgreSQL: $(dirname "$initdb")"
