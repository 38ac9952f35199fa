#!/usr/bin/env bash
# Builds the browser console and scanner page (web/) into web/dist, which the API serves at /.
# Installs Debian's nodejs and npm when npm is missing; runs `npm ci` only when node_modules is
# missing or package-lock.json changed since the last install; quiet on success.
set -euo pipefail
cd "$(dirname "$0")/../web"

if ! command -v npm >/dev/null; then
  if ! command -v apt-get >/dev/null; then
    echo "npm not found and apt-get is unavailable: install Node.js 20+ and npm to build the console." >&2
    exit 1
  fi
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "Installing Node.js needs root or sudo." >&2; exit 1; }
    sudo=(sudo)
  fi
  echo "npm not found: installing Debian's nodejs and npm packages..." >&2
  apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300)
  "${apt[@]}" update >&2
  "${apt[@]}" install -y --no-install-recommends nodejs npm >&2
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# node_modules/.package-lock.json is npm's own record of what is installed; a lock file newer than
# it means the dependencies changed.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  if ! npm ci --no-audit --no-fund >"$log" 2>&1; then
    cat "$log" >&2
    echo "build-web.sh: npm ci failed in web/" >&2
    exit 1
  fi
fi
if ! npm run build >"$log" 2>&1; then
  cat "$log" >&2
  echo "build-web.sh: the console's build failed (npm run build in web/)" >&2
  exit 1
fi
