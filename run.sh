#!/usr/bin/env bash
# Runs EventSeries: one silo serving the HTTP API on http://127.0.0.1:5000, and the browser
# console at / (built first by scripts/build-web.sh; the gate scanner page at /scanner).
# With no ConnectionStrings__EventSeries set, the command runs under src/LocalDatabase (development
# only), which starts a private PostgreSQL in .data/postgres (installing Debian's package if missing),
# hands the command its connection string and stops the server when the command exits.
#   ./run.sh                                              start the system (silo + API)
#   ./run.sh bootstrap --organization "Acme" --owner "Alice"   create the first organization, print a token
#   ./run.sh migrate                                      apply database migrations and exit
#   ./run.sh reencrypt-secrets                            re-encrypt stored webhook secrets under the current key (docs/webhooks.md)
#   ./run.sh --urls http://127.0.0.1:5001 --Orleans:SiloPort 11112 --Orleans:GatewayPort 30001   another silo
#   ./run.sh api [--urls http://127.0.0.1:5100]           the API alone, as a client of running silos
# The private server's port: EventSeries__LocalPostgres__Port (default 55432).
set -euo pipefail
cd "$(dirname "$0")"
project=src/Silo
if [ "${1:-}" = api ]; then
  project=src/Api
  shift
fi

# The browser console and scanner page (web/ built into web/dist, served at /); not needed to
# bootstrap or migrate.
case "${1:-}" in
  bootstrap | migrate | reencrypt-secrets) ;;
  *)
    scripts/build-web.sh
    export EventSeries__Console__Root="${EventSeries__Console__Root:-$PWD/web/dist}"
    ;;
esac

# Builds the project and prints the built assembly's path (on failure, the build's errors).
# Two steps: `dotnet build -getProperty` alone only evaluates the project and builds nothing.
build() {
  local out
  out=$(dotnet build "$1" -c Release -nologo -v quiet -clp:ErrorsOnly) || { echo "$out"; return 1; }
  dotnet msbuild "$1" -nologo -p:Configuration=Release -getProperty:TargetPath
}

app=$(build "$project") || { echo "$app" >&2; exit 1; }
if [ -n "${ConnectionStrings__EventSeries:-}" ]; then
  exec dotnet "$app" "$@"
fi
# Development only: a key for the webhook signing secrets at rest, made once and kept owner-only
# beside the database (production passes EventSeries__Integrations__SecretKey from its secret store).
if [ -z "${EventSeries__Integrations__SecretKey:-}" ]; then
  mkdir -p .data
  [ -s .data/integrations-key ] || (umask 077 && head -c 32 /dev/urandom | base64 > .data/integrations-key)
  EventSeries__Integrations__SecretKey=$(cat .data/integrations-key)
  export EventSeries__Integrations__SecretKey
fi
scripts/ensure-postgres.sh >/dev/null
launcher=$(build src/LocalDatabase) || { echo "$launcher" >&2; exit 1; }
exec dotnet "$launcher" "$PWD/.data/postgres" -- dotnet "$app" "$@"
