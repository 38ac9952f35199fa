#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium, installing the package if not: the console's
# browser tests drive it with Playwright (ExecutablePath), because Playwright's own browser download
# does not work on these machines. Quiet and idempotent when it is already there.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "Chromium not found at /usr/bin/chromium and apt-get is unavailable: install Chromium there." >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Installing Chromium needs root or sudo." >&2; exit 1; }
  sudo=(sudo)
fi
echo "Chromium not found: installing Debian's chromium package..." >&2
# env, not a prefix assignment: sudo resets the environment. The lock timeout waits out a concurrent apt run.
apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300)
"${apt[@]}" update >&2
"${apt[@]}" install -y --no-install-recommends chromium >&2
[ -x /usr/bin/chromium ] || { echo "Chromium installation failed: no /usr/bin/chromium." >&2; exit 1; }
