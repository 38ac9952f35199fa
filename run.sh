#!/usr/bin/env bash
# Runs EventSeries: one silo serving the HTTP API on http://127.0.0.1:5000.
# With no ConnectionStrings__EventSeries set, it provisions a private PostgreSQL in .data/postgres
# (installing Debian's package if missing) and keeps its data across runs.
#   ./run.sh                                              start the system (silo + API)
#   ./run.sh bootstrap --organization "Acme" --owner "Alice"   create the first organization, print a token
#   ./run.sh migrate                                      apply database migrations and exit
#   ./run.sh --urls http://127.0.0.1:5001 --Orleans:SiloPort 11112 --Orleans:GatewayPort 30001   another silo
#   ./run.sh api [--urls http://127.0.0.1:5100]           the API alone, as a client of running silos
set -euo pipefail
cd "$(dirname "$0")"
if [ -z "${ConnectionStrings__EventSeries:-}" ]; then
  scripts/ensure-postgres.sh >/dev/null
  # dotnet run starts in the project folder; pin the private server to the repository's .data.
  export EventSeries__LocalPostgres__DataDirectory="${EventSeries__LocalPostgres__DataDirectory:-$PWD/.data/postgres}"
fi
project=src/Silo
if [ "${1:-}" = api ]; then
  project=src/Api
  shift
fi
dotnet build "$project" -c Release -nologo -v quiet -clp:ErrorsOnly
exec dotnet run --project "$project" -c Release --no-build -- "$@"
